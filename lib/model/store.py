"""Saving to the data folder so that nothing is lost: the one write path of the curation mode.

`read_state` fingerprints the folder when a page reads it; `save` writes a set of changed files only if
none of them changed on disk since (another curator, an editor), only if the whole dataset as it would be
after the save loads without an error, and then all of them or none, even across a crash
(`lib.model.files.write_files`: staged files, a journal, renames; finished or undone on the next open).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from lib.errors import DataProblem
from lib.model.data_folder import check_folder
from lib.model.files import JOURNAL_NAME, TEMP_SUFFIX, recover, write_atomic, write_files
from lib.paths import curation_mode

_SAVING = threading.Lock()  # one save at a time in this process (curators' sessions are threads)
# Written in this order, so that a reader between two renames never sees an event citing a missing article.
_ORDER = ("articles/", "countries.yaml", "actors.yaml", "periods.yaml", "vocab.yaml", "places.yaml", "events.yaml")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _data_files(root: Path) -> list[Path]:
    """The folder's files, hidden files and unfinished temporary writes left out."""
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
                  and not p.name.endswith(TEMP_SUFFIX))  # fmt: skip


def read_state(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Each data file's path relative to `folder` (with `/`) and the SHA-256 of its bytes."""
    root = Path(folder)
    recover(root)  # an interrupted save is finished (or undone) before the page sees the folder
    return {p.relative_to(root).as_posix(): _digest(p) for p in _data_files(root)}


def _label(root: Path, rel: str) -> str:
    return f"{root.name}/{rel}"


def _bad_path(rel: str) -> str | None:
    """Why `rel` cannot be written by a save, or None: only plain files inside the folder."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or "\\" in rel or any(p in ("", ".", "..") or p.startswith(".") for p in path.parts):
        return "is not a plain path inside the data folder"
    if path.suffix not in {".yaml", ".md"}:
        return "is not a YAML or Markdown file: a save writes only those"
    return None


def _stale(root: Path, changes: Mapping[str, str], seen: Mapping[str, str]) -> list[DataProblem]:
    problems = []
    for rel in changes:
        path = root / rel
        now = _digest(path) if path.is_file() else None
        before = seen.get(rel)
        if now == before:
            continue
        if before is None:
            why = "now exists: someone created it after this page read the data folder"
        elif now is None:
            why = "was deleted after this page read the data folder"
        else:
            why = "changed on disk after this page read it (another curator or an editor)"
        problems.append(DataProblem(_label(root, rel), None, None,
                                    f"{why}; nothing was saved. Reload the data and make the change again"))  # fmt: skip
    return problems


def problems_after(folder: str | os.PathLike[str], changes: Mapping[str, str]) -> list[DataProblem]:
    """Every problem of the dataset as it would be with `changes` written (warnings included), the problems the
    app would find loading it (`lib.model.data_folder.check_folder`: events.yaml, events.parquet and the briefings
    checked against both), on a temporary copy: unchanged files are linked, changed ones written there."""
    root = Path(folder).resolve()
    with tempfile.TemporaryDirectory(prefix="curate-check-") as tmp:
        copy = Path(tmp) / root.name  # the same folder name: messages name the files as they are
        for path in _data_files(root):
            target = copy / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.relative_to(root).as_posix() not in changes:
                target.symlink_to(path)
        for rel, text in changes.items():
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            write_atomic(target, text)
        return check_folder(copy).problems


def save(folder: str | os.PathLike[str], changes: Mapping[str, str], seen: Mapping[str, str]) -> list[DataProblem]:
    """Write `changes` (relative path -> the file's new text) into `folder`, or write nothing and return why.

    Refused, with a problem naming each file, if a changed file's digest differs from `seen` (the state the
    page read with `read_state`) or a file that was absent now exists. Otherwise the whole dataset as it
    would be after the save is loaded; any error and nothing is written (every error is returned; warnings
    do not stop a save). Then the files are written all or nothing (`lib.model.files.write_files`), so a save
    (an event and its new place, say) lands whole or not at all, even if the process is killed part-way.
    Returns [] when saved. Outside curation
    mode (`lib.paths.curation_mode`) it writes nothing.
    """
    root = Path(folder).resolve()
    if not curation_mode():
        return [DataProblem(root.name, None, None, "the app writes to the data folder only in curation mode "
                            "(scripts/start.sh --curate, or DASHBOARD_CURATE=1); nothing was saved")]  # fmt: skip
    bad = [DataProblem(_label(root, rel), None, None, why) for rel in changes if (why := _bad_path(rel))]
    if bad or not changes:
        return bad or [DataProblem(root.name, None, None, "nothing to save")]
    with _SAVING:
        stale = _stale(root, changes, seen)
        if stale:
            return stale
        errors = [p for p in problems_after(root, changes) if p.is_error]
        if errors:
            return errors
        stale = _stale(root, changes, seen)  # again: an editor may have saved while the copy was checked
        if stale:
            return stale
        order = sorted(changes, key=lambda r: next((i for i, p in enumerate(_ORDER) if r.startswith(p)), len(_ORDER)))
        try:
            write_files(root, changes, order)
        except OSError as exc:
            why = exc.strerror or str(exc)
            if (root / JOURNAL_NAME).exists():  # made, but a rename failed: the next open completes it
                return [DataProblem(root.name, None, None, f"the save was made but not every file could be put in "
                                    f"place ({why}); it is completed when the data folder is next opened")]  # fmt: skip
            rel = exc.filename if exc.filename in changes else None
            return [DataProblem(_label(root, rel) if rel else root.name, None, None,
                                f"could not be written ({why}); nothing was saved")]  # fmt: skip
    return []
