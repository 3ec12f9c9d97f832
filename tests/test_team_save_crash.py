"""A team save killed (SIGKILL, as `kill -9`) at any step, its git commit included, leaves nothing broken and
nothing out of the history (issues 22 and 23): a subprocess makes alice's save (a new article, its event, a new
actor) in a data folder that is a git repository and is killed before its k-th step, for every k: each
file-system step of the atomic write and each git command. Then the folder is opened, and bob saves another
change. Each time: the folder is valid and holds the old files or the new ones; bob's save lands and its commit
holds only his change; every file on disk is in the history (a change the kill left uncommitted is recorded,
authored "unrecorded", before bob's commit); no temporary file is left. A git killed mid-commit leaves its
index.lock: a stale one is removed under the save lock, so history goes on."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from lib.model import store
from lib.model.yaml_edit import replace_record
from lib.team import history, saving
from tests.conftest import write_data_dir
from tests.crash_child import ARTICLE_ID, run_child, sample_changes


def _visible(folder: Path) -> dict[str, bytes]:
    """The data files and their bytes (hidden files and the .git folder left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}  # fmt: skip


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes], int]:
    base = tmp_path_factory.mktemp("team-crash")
    folder = write_data_dir(base / "pristine" / "data")
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=setup", "-c", "user.email=setup@x", "commit", "-qm", "Start")
    changes_file = base / "changes.json"
    changes_file.write_text(json.dumps(sample_changes(folder)), encoding="utf-8")
    done = base / "done" / "data"
    shutil.copytree(folder, done)
    run = run_child(done, 0, changes_file, team=True)
    assert run.returncode == 0, run.stderr
    assert _git(done, "log", "-1", "--format=%an|%s").strip() == f"alice|Add 1 event from {ARTICLE_ID}"
    return folder, changes_file, _visible(folder), _visible(done), int(run.stdout.strip().removeprefix("steps="))


def _bobs_save(folder: Path) -> saving.Saved:
    """bob retitles the first event: a change of his own, after the folder was opened again."""
    seen = store.read_state(folder)  # the next open: an interrupted save is finished or undone
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    first = yaml.safe_load(text)["events"][0]
    new = replace_record(text, "events", {**first, "title": "Retitled by bob"})
    return saving.save(folder, {"events.yaml": new}, seen, user="bob", message=f"Edit event {first['id']}")


def test_a_kill_at_every_step_of_a_team_save_loses_nothing_from_the_history(pristine, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from lib.model.data_folder import load_folder

    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.setenv("DASHBOARD_SAVE_LIMIT", "0")
    folder, changes_file, before, after, steps = pristine
    assert steps >= 18  # the write's file-system steps and the commit's git commands
    outcomes = []
    for k in range(1, steps + 1):
        copy = tmp_path / f"k{k}" / "data"
        shutil.copytree(folder, copy)
        run = run_child(copy, k, changes_file, team=True)
        assert run.returncode == -signal.SIGKILL, f"step {k}: {run.returncode} {run.stderr[-500:]}"
        ds, _ = load_folder(copy)
        assert [str(p) for p in ds.problems if p.is_error] == [], f"step {k}"
        state = _visible(copy)
        assert state in (before, after), f"step {k}: a mixed folder {sorted(state)}"
        outcomes.append("new" if state == after else "old")
        bob = _bobs_save(copy)
        assert bob.ok and bob.commit, f"step {k}: {[str(p) for p in bob.problems]} {bob.note}"
        dirty = [line for line in _git(copy, "status", "--porcelain").splitlines() if not line[3:].startswith(".")]
        assert dirty == [], f"step {k}: not in the history: {dirty}"
        assert _git(copy, "log", "-1", "--format=%an").strip() == "bob", f"step {k}"
        assert _git(copy, "show", "--format=", "--name-only", "HEAD").split() == ["events.yaml"], f"step {k}"
        added = [line for line in _git(copy, "show", "--format=", "HEAD").splitlines() if line.startswith("+")]
        assert not any("kaz-delists-taliban" in line for line in added), f"step {k}: bob's commit holds alice's event"
        authors = _git(copy, "log", "--format=%an").split()
        if state == after:  # alice's files are in the history: by her commit, or recorded as unrecorded
            assert authors[1] in ("alice", history.UNRECORDED), f"step {k}: {authors}"
            assert f"articles/{ARTICLE_ID}.md" in _git(copy, "ls-files")
        else:
            assert authors == ["bob", "setup"], f"step {k}: {authors}"
        hidden = sorted(p.name for p in copy.rglob(".*") if ".git" not in p.relative_to(copy).parts)
        assert set(hidden) <= {".save.lock", ".save-limits.sqlite"}, f"step {k}: left {hidden}"
    assert "old" in outcomes and "new" in outcomes, outcomes


def test_a_stale_git_lock_from_a_killed_commit_is_removed(pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.setenv("DASHBOARD_SAVE_LIMIT", "0")
    folder = tmp_path / "data"
    shutil.copytree(pristine[0], folder)
    lock = folder / ".git" / "index.lock"
    lock.write_bytes(b"")  # as a git killed mid-commit leaves it
    fresh = _bobs_save(folder)  # a young lock may be a person's git at work: left alone, the save still lands
    assert fresh.ok and fresh.commit is None and "not recorded in the history" in (fresh.note or "")
    old = time.time() - history.STALE_GIT_LOCK_SECONDS - 5
    os.utime(lock, (old, old))
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    second = yaml.safe_load(text)["events"][1]
    seen = store.read_state(folder)
    new = replace_record(text, "events", {**second, "title": "Retitled again"})
    later = saving.save(folder, {"events.yaml": new}, seen, user="dora", message=f"Edit event {second['id']}")
    assert later.ok and later.commit and not lock.exists()
    assert _git(folder, "log", "--format=%an").split() == ["dora", history.UNRECORDED, "setup"]  # bob's change too
    assert "Retitled by bob" in _git(folder, "show", "HEAD~1")


def test_only_data_files_are_recorded(pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.setenv("DASHBOARD_SAVE_LIMIT", "0")
    folder = tmp_path / "data"
    shutil.copytree(pristine[0], folder)
    (folder / "notes.txt").write_text("a curator's scratch notes", encoding="utf-8")
    (folder / "periods.yaml").write_text((folder / "periods.yaml").read_text(encoding="utf-8") + "# by hand\n",
                                         encoding="utf-8")  # fmt: skip
    (folder / "articles" / "mt-2011.md").unlink()  # removed by hand: recorded as removed
    assert history.record_unrecorded(folder)
    shown = _git(folder, "show", "--format=%an", "--name-status", "HEAD").split()
    assert shown == [history.UNRECORDED, "D", "articles/mt-2011.md", "M", "periods.yaml"]
    assert "?? notes.txt" in _git(folder, "status", "--porcelain")
    assert history.record_unrecorded(folder) is None  # nothing left to record
