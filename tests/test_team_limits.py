"""The save limit is shared by every process on one data folder (issue 22, replicas behind nginx): the attempts
of one user through two replica processes add up to the limit, not twice it; it is per user; attempts older than
the window no longer count; a damaged store is started afresh; a store that cannot be written refuses the save."""

from __future__ import annotations

import multiprocessing
import subprocess
from pathlib import Path

import pytest

from lib.model import store
from lib.model.yaml_edit import append_record
from lib.team import history, limits, saving
from tests.conftest import make_events, write_data_dir

NEW = {**make_events()[0], "id": "kaz-new-event", "title": "A new event"}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.delenv(limits.WINDOW_ENV, raising=False)
    return write_data_dir(tmp_path / "data")


def _takes(folder: str, user: str, n: int, start, out) -> None:  # type: ignore[no-untyped-def]
    """One replica: `n` save attempts by `user` as fast as it can, once `start` is set."""
    start.wait(60)
    out.put([limits.take(folder, user) is None for _ in range(n)])


def test_two_processes_share_one_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "7")
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    replicas = [ctx.Process(target=_takes, args=(str(folder), "alice", 6, start, out)) for _ in range(2)]
    for r in replicas:
        r.start()
    start.set()  # both hammer the store at once
    allowed = [out.get(timeout=120) for _ in replicas]
    for r in replicas:
        r.join(10)
    assert sum(sum(a) for a in allowed) == 7  # per process it would be 12: each replica allows its own 6
    assert all(any(a) for a in allowed)  # both replicas counted in the one store
    assert "at most 7 a minute per user, counted across every replica" in limits.take(folder, "alice")
    assert limits.take(folder, "bob") is None  # per user


def _save(folder: str, event_id: str, user: str, out) -> None:  # type: ignore[no-untyped-def]
    root = Path(folder)
    text = append_record((root / "events.yaml").read_text(encoding="utf-8"), "events", {**NEW, "id": event_id})
    saved = saving.save(root, {"events.yaml": text}, store.read_state(root), user=user,
                        message=history.describe(article="mt-2011", added=[event_id]))  # fmt: skip
    out.put((saved.ok, [str(p) for p in saved.problems]))


def test_a_save_on_one_replica_counts_on_the_other(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "1")
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    for event_id in ("ev-one", "ev-two"):  # one process after the other, like two replicas
        p = ctx.Process(target=_save, args=(str(folder), event_id, "alice", out))
        p.start()
        p.join(120)
    first, second = out.get(timeout=10), out.get(timeout=10)
    assert first == (True, [])
    assert not second[0] and "too many saves: at most 1 a minute per user" in second[1][0]
    assert "ev-two" not in (folder / "events.yaml").read_text(encoding="utf-8")  # nothing was saved
    assert limits.STORE_NAME not in store.read_state(folder)  # not data: hidden, out of the fingerprint


def test_old_attempts_stop_counting(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "2")
    monkeypatch.setenv(limits.WINDOW_ENV, "30")
    assert limits.take(folder, "alice", now=1000.0) is None
    assert limits.take(folder, "alice", now=1010.0) is None
    assert "at most 2 in 30 seconds per user" in limits.take(folder, "alice", now=1020.0)
    assert limits.take(folder, "alice", now=1031.0) is None  # the first attempt left the window
    monkeypatch.setenv(limits.LIMIT_ENV, "0")
    assert all(limits.take(folder, "alice", now=1031.0) is None for _ in range(50))  # 0: no limit


def test_a_damaged_store_starts_afresh(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "1")
    (folder / limits.STORE_NAME).write_bytes(b"not a database at all" * 100)
    assert limits.take(folder, "alice") is None
    assert limits.take(folder, "alice") is not None


def test_a_store_that_cannot_be_written_refuses_the_save(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "5")
    (folder / limits.STORE_NAME).mkdir()  # neither a database nor removable as a file
    saved = saving.save(folder, {"events.yaml": append_record((folder / "events.yaml").read_text(encoding="utf-8"),
                                                              "events", NEW)},
                        store.read_state(folder), user="alice", message="Add 1 event")  # fmt: skip
    assert not saved.ok and "the save limit's store .save-limits.sqlite could not be used" in str(saved.problems[0])
    assert "kaz-new-event" not in (folder / "events.yaml").read_text(encoding="utf-8")


def test_the_store_stays_out_of_the_history(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LIMIT_ENV, "5")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=s", "-c", "user.email=s@x", "commit", "-qm", "Start"]):
        subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)
    text = append_record((folder / "events.yaml").read_text(encoding="utf-8"), "events", NEW)
    assert saving.save(folder, {"events.yaml": text}, store.read_state(folder), user="alice", message="Add 1 event").ok
    files = subprocess.run(["git", "-C", str(folder), "show", "--name-only", "--format=", "HEAD"], capture_output=True,
                           text=True, check=True).stdout.split()  # fmt: skip
    assert files == ["events.yaml"] and (folder / limits.STORE_NAME).is_file()
