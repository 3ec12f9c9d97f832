"""A save that kills itself (SIGKILL, as `kill -9`) just before its k-th step, shared by the crash tests.

Run in a child process: `python -m tests.crash_child FOLDER CRASH_AT CHANGES_JSON [--team ARTICLE_ID]`.
The steps are the file-system calls inside `lib.model.files.write_files` and, with `--team` (a save through
`lib.team.saving` with its git commit), each git command of the commit. CRASH_AT 0 never kills. Prints
`steps=N` when the save finishes. `run_child` starts it; `sample_changes` is the save both tests make."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_ID = "tw-2011-06-08-kazakhstan-delists-taliban"
BODY = "ASTANA — Kazakhstan's foreign ministry said on Monday that the Taliban had been removed from the list."
FILE_STEPS = [(os, "replace"), (os, "unlink"), (os, "fsync"), (os, "chmod"), (os, "fdopen"), (os, "close"),
              (tempfile, "mkstemp")]  # fmt: skip


def sample_changes(folder: Path) -> dict[str, str]:
    """A save like Curate's: a new article, an event citing it (events.yaml) and a new actor (actors.yaml)."""
    from lib.model.yaml_edit import append_record, article_text

    meta = {"id": ARTICLE_ID, "title": "Kazakhstan Delists Taliban", "outlet": "Test Wire", "author": None,
            "published": "2011-06-08", "url": None}  # fmt: skip
    event = {"id": "kaz-delists-taliban", "date": "2011-06-06", "title": "Kazakhstan removes the Taliban from its list",
             "summary": "The foreign ministry said so.", "actor": "kaz_mfa", "target": "taliban", "countries": ["KAZ"],
             "event_type": "verbal_cooperation", "stance": 1,
             "sources": [{"article": ARTICLE_ID, "quote": "the Taliban had been removed from the list"}]}  # fmt: skip
    actor = {"id": "kaz_mfa", "name": "Kazakh foreign ministry", "kind": "government", "country": "KAZ",
             "colour": "#123456"}  # fmt: skip
    return {
        f"articles/{ARTICLE_ID}.md": article_text(meta, BODY),
        "events.yaml": append_record((folder / "events.yaml").read_text(encoding="utf-8"), "events", event),
        "actors.yaml": append_record((folder / "actors.yaml").read_text(encoding="utf-8"), "actors", actor),
    }


def run_child(folder: Path, crash_at: int, changes_file: Path, *, team: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the save in a child process on `folder`, killed before step `crash_at` (0: never)."""
    env = {**os.environ, "DASHBOARD_CURATE": "1", "PYTHONPATH": str(ROOT), "DASHBOARD_SAVE_LIMIT": "0"}
    args = [sys.executable, "-m", "tests.crash_child", str(folder), str(crash_at), str(changes_file)]
    return subprocess.run([*args, *(["--team", ARTICLE_ID] if team else [])], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


class _Gate:
    """Open while a wrapped call runs."""

    def __init__(self) -> None:
        self.open = False

    def during(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            self.open = True
            try:
                return real(*args, **kwargs)
            finally:
                self.open = False

        return wrapped


class _Steps:
    """Counts steps and kills the process at the chosen one."""

    def __init__(self, crash_at: int) -> None:
        self.crash_at, self.count = crash_at, 0

    def step(self) -> None:
        self.count += 1
        if self.count == self.crash_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def counted(self, real: Callable[..., Any], gate: _Gate, counts: Callable[..., bool] = lambda *a, **k: True) -> Callable[..., Any]:
        """`real`, each call of which is a step while `gate` is open and `counts` says so."""

        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if gate.open and counts(*args, **kwargs):
                self.step()
            return real(*args, **kwargs)

        return wrapped


def _is_git(command: Any, *args: Any, **kwargs: Any) -> bool:
    return isinstance(command, list | tuple) and bool(command) and command[0] == "git"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("crash_at", type=int)
    parser.add_argument("changes_file")
    parser.add_argument("--team", metavar="ARTICLE_ID")
    args = parser.parse_args()

    from lib.model import files, store

    changes = json.loads(Path(args.changes_file).read_text(encoding="utf-8"))
    seen = store.read_state(args.folder)
    steps, writing = _Steps(args.crash_at), _Gate()
    for module, name in FILE_STEPS:
        setattr(module, name, steps.counted(getattr(module, name), writing))
    store.write_files = writing.during(files.write_files)
    if args.team is None:
        problems = store.save(args.folder, changes, seen)
        assert problems == [], [str(p) for p in problems]
    else:
        from lib.team import history, saving

        committing = _Gate()  # each git command of the commit is a step
        subprocess.run = steps.counted(subprocess.run, committing, _is_git)
        history.commit = committing.during(history.commit)
        saved = saving.save(args.folder, changes, seen, user="alice", message="Add 1 event from " + args.team)
        assert saved.ok and saved.commit, [str(p) for p in saved.problems]
    print(f"steps={steps.count}")


if __name__ == "__main__":
    main()
