"""A save of several files is all or nothing, even when the process is killed (SIGKILL, as `kill -9`) at any
step: a subprocess saves a new article, its event and a new actor, and is killed before its k-th file-system
step, for every k; the folder, opened again, is valid and holds exactly the old files or exactly the new
ones, with no temporary file and no journal left."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lib.model import files
from lib.model.yaml_edit import append_record, article_text
from tests.conftest import write_data_dir

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_ID = "tw-2011-06-08-kazakhstan-delists-taliban"
BODY = "ASTANA — Kazakhstan's foreign ministry said on Monday that the Taliban had been removed from the list."

# Runs one save and kills itself with SIGKILL just before its CRASH_AT-th file-system step inside
# lib.model.files.write_files (0: never); prints the number of steps when it finishes.
CHILD = r"""
import json, os, signal, sys, tempfile
from lib.model import files, store
folder, crash_at, changes_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
changes = json.loads(open(changes_file, encoding="utf-8").read())
seen = store.read_state(folder)
steps = [0]
active = [False]
def counted(name, real):
    def step(*args, **kwargs):
        if active[0]:
            steps[0] += 1
            if steps[0] == crash_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return step
for module, name in [(os, "replace"), (os, "unlink"), (os, "fsync"), (os, "chmod"), (os, "fdopen"),
                     (os, "close"), (tempfile, "mkstemp")]:
    setattr(module, name, counted(name, getattr(module, name)))
real_write_files = files.write_files
def watched(*args, **kwargs):
    active[0] = True
    try:
        return real_write_files(*args, **kwargs)
    finally:
        active[0] = False
store.write_files = watched
problems = store.save(folder, changes, seen)
assert problems == [], [str(p) for p in problems]
print(f"steps={steps[0]}")
"""


def _changes(folder: Path) -> dict[str, str]:
    """A save like Curate's: a new article, an event citing it (events.yaml) and a new actor (actors.yaml)."""
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


def _visible(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def _hidden(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*"))


def _run(folder: Path, crash_at: int, changes_file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DASHBOARD_CURATE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CHILD, str(folder), str(crash_at), str(changes_file)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes], int]:
    """The folder before the save, the changes, the files before and after an uninterrupted save, and the
    number of file-system steps that save took."""
    base = tmp_path_factory.mktemp("crash")
    folder = write_data_dir(base / "pristine" / "data")
    changes_file = base / "changes.json"
    changes_file.write_text(json.dumps(_changes(folder)), encoding="utf-8")
    done = base / "done" / "data"
    shutil.copytree(folder, done)
    run = _run(done, 0, changes_file)
    assert run.returncode == 0, run.stderr
    steps = int(run.stdout.strip().removeprefix("steps="))
    assert _hidden(done) == []
    return folder, changes_file, _visible(folder), _visible(done), steps


def test_the_uninterrupted_save_writes_all_three_files(pristine) -> None:
    _, _, before, after, steps = pristine
    assert set(after) - set(before) == {f"articles/{ARTICLE_ID}.md"}
    assert after["events.yaml"] != before["events.yaml"] and after["actors.yaml"] != before["actors.yaml"]
    assert steps >= 15  # stage 3 files (mkstemp, write, fsync, chmod each), the journal, 3 renames, its removal


def test_a_kill_at_every_step_leaves_the_old_or_the_new_folder_once_opened(pristine, tmp_path: Path) -> None:
    from lib.model.data_folder import load_folder

    folder, changes_file, before, after, steps = pristine
    outcomes = []
    for k in range(1, steps + 1):
        copy = tmp_path / f"k{k}" / "data"
        shutil.copytree(folder, copy)
        run = _run(copy, k, changes_file)
        assert run.returncode == -signal.SIGKILL, f"step {k}: {run.returncode} {run.stderr[-500:]}"
        ds, _ = load_folder(copy)  # the next open: recovery, then the load
        assert [str(p) for p in ds.problems if p.is_error] == [], f"step {k}"
        state = _visible(copy)
        assert state in (before, after), f"step {k}: a mixed folder {sorted(state)}"
        assert _hidden(copy) == [], f"step {k}: left {_hidden(copy)}"
        outcomes.append("new" if state == after else "old")
    assert "old" in outcomes and "new" in outcomes, outcomes
    assert outcomes == sorted(outcomes, key=lambda o: o == "new"), "once the journal is written, always the new"


def test_the_validator_opening_an_interrupted_folder_finishes_the_save_and_exits_0(pristine, tmp_path: Path) -> None:
    folder, changes_file, _, after, steps = pristine
    for k in range(steps, 0, -1):  # the last step at which the journal is still there: every rename done
        copy = tmp_path / f"k{k}" / "data"
        shutil.copytree(folder, copy)
        assert _run(copy, k, changes_file).returncode == -signal.SIGKILL
        if (copy / files.JOURNAL_NAME).exists():
            break
    assert (copy / files.JOURNAL_NAME).exists()
    run = subprocess.run([sys.executable, "-m", "lib.validate", str(copy)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "completed when the folder was opened" in run.stdout
    assert _visible(copy) == after and _hidden(copy) == []


def test_a_journal_naming_a_path_outside_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me", encoding="utf-8")
    (folder / ".evil.part").write_text("x", encoding="utf-8")
    (folder / files.JOURNAL_NAME).write_text(json.dumps({"renames": [{"from": ".evil.part", "to": "../victim.txt"}]}),
                                             encoding="utf-8")  # fmt: skip
    notes = files.recover(folder)
    assert len(notes) == 1 and "cannot be used" in notes[0]
    assert outside.read_text(encoding="utf-8") == "keep me"


def test_a_full_disk_while_staging_writes_nothing_and_leaves_no_temporary_file(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    folder = write_data_dir(tmp_path / "data")
    changes = {"events.yaml": "events: []\n", "actors.yaml": "actors: []\n"}
    real = os.fsync
    calls = []

    def full(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(fd)

    before = _visible(folder)
    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        files.write_files(folder, changes)
    assert caught.value.filename == "actors.yaml"
    assert _visible(folder) == before and _hidden(folder) == []
