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
from tests.conftest import write_data_dir
from tests.crash_child import ARTICLE_ID, run_child, sample_changes

ROOT = Path(__file__).resolve().parent.parent
def _visible(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def _hidden(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob(".*"))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes], int]:
    """The folder before the save, the changes, the files before and after an uninterrupted save, and the
    number of file-system steps that save took."""
    base = tmp_path_factory.mktemp("crash")
    folder = write_data_dir(base / "pristine" / "data")
    changes_file = base / "changes.json"
    changes_file.write_text(json.dumps(sample_changes(folder)), encoding="utf-8")
    done = base / "done" / "data"
    shutil.copytree(folder, done)
    run = run_child(done, 0, changes_file)
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
        run = run_child(copy, k, changes_file)
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
        assert run_child(copy, k, changes_file).returncode == -signal.SIGKILL
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
