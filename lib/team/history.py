"""Every save a git commit in the data folder's own repository, with the signed-in user as its author; an
event's history read back from `git log` (who, when, which fields changed). Uses the git command line.

History is on only when the data folder is the top of a git repository (`git init` in it): a data folder
inside another repository (the project's own `data/`) or outside any keeps working, with history off.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lib.model.read import load_yaml

LOG = logging.getLogger("dashboard.team")
UNRECORDED = "unrecorded"  # the author of changes no save recorded (a save killed before its commit, a hand edit)
STALE_GIT_LOCK_SECONDS = 60.0  # a git index.lock older than this, seen while holding the save lock, is a dead git's
HISTORY_OFF = ("History is off: the data folder is not its own git repository. Run `git init` in it "
               "(and commit once) to record who changed what.")  # fmt: skip
_SEP = "\x1f"


def _git(folder: Path, *args: str, check: bool = True, env: Mapping[str, str] | None = None) -> str:
    result = subprocess.run(["git", "-C", str(folder), *args], check=False, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})  # fmt: skip
    if check and result.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def history_on(folder: str | os.PathLike[str]) -> bool:
    """True when `folder` is the top of its own git repository (and git is installed)."""
    root = Path(folder).resolve()
    try:
        top = _git(root, "rev-parse", "--show-toplevel", check=False).strip()
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(top) and Path(top).resolve() == root


def author_of(user: str | None) -> tuple[str, str]:
    """(name, e-mail) for a commit by `user`: an e-mail is both; a login gets `<login>@dashboard.invalid`;
    no user (the localhost tool) is "curator"."""
    if not user:
        return "curator", "curator@dashboard.invalid"
    return user, user if "@" in user else f"{user}@dashboard.invalid"


def commit(folder: str | os.PathLike[str], paths: Sequence[str], message: str, user: str | None) -> str | None:
    """Commit `paths` (relative to `folder`) with `message`, authored and committed by `user`; the new commit's
    id, or None when history is off. Raises RuntimeError when git fails."""
    root = Path(folder).resolve()
    if not history_on(root):
        return None
    name, email = author_of(user)
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    _git(root, "add", "--", *paths)
    _git(root, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=env)
    return _git(root, "rev-parse", "HEAD").strip()


def _clear_stale_index_lock(root: Path) -> None:
    """Remove the index.lock a git killed mid-commit left behind (every later commit would fail on it), once it is
    older than `STALE_GIT_LOCK_SECONDS`: the caller holds the folder's save lock, so no save of the app is running
    git here; a younger one may be a person's git command, left alone (the next save catches up)."""
    lock = Path(_git(root, "rev-parse", "--git-path", "index.lock", check=False).strip() or ".git/index.lock")
    lock = lock if lock.is_absolute() else root / lock
    try:
        age = time.time() - lock.stat().st_mtime
    except OSError:
        return
    if age > STALE_GIT_LOCK_SECONDS:
        lock.unlink(missing_ok=True)
        LOG.warning("removed a stale git lock (%s, %.0f s old) left by an interrupted commit", lock.name, age)


DATA_SUFFIXES = (".yaml", ".yml", ".md", ".parquet")  # what the data folder's data is made of


def _unrecorded_paths(root: Path) -> list[str]:
    """The data files (YAML, Markdown, Parquet; not hidden) whose content no commit holds: changed, added or
    removed. Anything else a person keeps in the folder (notes, exports) is left alone."""
    out = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", ".")
    paths = [entry[3:] for entry in out.split("\0") if len(entry) > 3]
    return sorted(p for p in paths if not any(part.startswith(".") for part in Path(p).parts)
                  and p.endswith(DATA_SUFFIXES))  # fmt: skip


def record_unrecorded(folder: str | os.PathLike[str]) -> str | None:
    """Before a save (under the folder's save lock): commit the data files no commit holds yet, authored
    "unrecorded", so that nothing stays out of the history and the save's own commit holds only its change. They
    come from a save killed between its files and its commit, or from an edit by hand. Returns the commit's id,
    or None when there was nothing to record (or history is off). Raises RuntimeError when git fails."""
    root = Path(folder).resolve()
    if not history_on(root):
        return None
    _clear_stale_index_lock(root)
    paths = _unrecorded_paths(root)
    if not paths:
        return None
    name, email = UNRECORDED, f"{UNRECORDED}@dashboard.invalid"
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    message = ("Record changes no save recorded (a save interrupted before its commit, or an edit by hand)\n\n"
               + "\n".join(f"file {p}" for p in paths))  # fmt: skip
    _git(root, "add", "-A", "--", *paths)
    _git(root, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=env)
    sha = _git(root, "rev-parse", "HEAD").strip()
    LOG.warning("recorded changes no save recorded: commit=%s files=%s", sha[:10], ",".join(paths[:10]))
    return sha


def describe(*, article: str | None = None, added: Sequence[str] = (), edited: Sequence[str] = (),
             actors: Sequence[str] = (), places: Sequence[str] = (), verb: str = "Edit") -> str:  # fmt: skip
    """A commit message saying what changed and from which article: "Add 3 events from <article>" (first line),
    then the ids, one line each."""
    def n(count: int, noun: str) -> str:
        return f"{count} {noun}{'' if count == 1 else 's'}"

    parts = []
    if added:
        parts.append(f"Add {n(len(added), 'event')}" + (f" from {article}" if article else ""))
    elif article:
        parts.append(f"Add article {article}")
    if edited:
        parts.append(f"{verb} event {edited[0]}" if len(edited) == 1 else f"{verb} {n(len(edited), 'event')}")
    if actors:
        parts.append(f"add {n(len(actors), 'actor')}")
    if places:
        parts.append(f"add {n(len(places), 'place')}")
    first = "; ".join(parts) or "Save"
    body = [f"event {e}: added" for e in added] + [f"event {e}: {verb.lower()}" for e in edited]
    body += [f"actor {a}: added" for a in actors] + [f"place {p}: added" for p in places]
    return first[:1].upper() + first[1:] + ("\n\n" + "\n".join(body) if body else "")


@dataclass(frozen=True)
class Change:
    """One commit that changed an event: who, when, its message's first line, and the fields changed
    (`added` when the event first appeared)."""

    commit: str
    author: str
    when: str  # ISO 8601
    subject: str
    fields: tuple[str, ...]
    event: dict[str, Any]  # the event as it was after this commit (for a restore)


def _events_at(root: Path, sha: str) -> dict[str, dict[str, Any]]:
    try:
        document = load_yaml(_git(root, "show", f"{sha}:events.yaml"))
    except (RuntimeError, yaml.YAMLError):
        return {}
    items = document.get("events") if isinstance(document, dict) else None
    return {e["id"]: e for e in items or [] if isinstance(e, dict) and isinstance(e.get("id"), str)}


def event_history(folder: str | os.PathLike[str], event_id: str, limit: int = 40) -> list[Change]:
    """The commits that changed event `event_id` in events.yaml, newest first (at most `limit` commits of
    events.yaml are read). [] when history is off."""
    root = Path(folder).resolve()
    if not history_on(root):
        return []
    log = _git(root, "log", f"-{limit}", f"--format=%H{_SEP}%an{_SEP}%aI{_SEP}%s", "--", "events.yaml", check=False)
    rows = [line.split(_SEP) for line in log.splitlines() if line.count(_SEP) == 3]
    changes: list[Change] = []
    versions = [(_events_at(root, sha).get(event_id), sha, who, when, subject) for sha, who, when, subject in rows]
    for i, (now, sha, who, when, subject) in enumerate(versions):
        before = versions[i + 1][0] if i + 1 < len(versions) else None
        if now is None or now == before:
            continue
        if before is None and i + 1 == len(versions) == limit:  # the oldest commit read, not the first
            fields: tuple[str, ...] = ("earlier history not read",)
        elif before is None:
            fields = ("added",)
        else:
            fields = tuple(sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k)))
        changes.append(Change(sha, who, when, subject, fields, now))
    return changes
