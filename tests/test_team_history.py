"""Team saves (issue 22): every save a git commit authored by the user, saying what changed and from which
article; an event's history (who, when, which fields); a folder without git keeps working with history off;
saves from several processes serialised by the folder's lock, the one made on stale data refused with
nothing lost; a per-user rate limit."""

from __future__ import annotations

import multiprocessing
import subprocess
from pathlib import Path

import pytest
import yaml

from lib.model import store
from lib.model.yaml_edit import append_record, replace_record
from lib.team import history, saving
from lib.team.lock import LockTimeout, folder_lock
from tests.conftest import make_events, write_data_dir

NEW = {**make_events()[0], "id": "kaz-new-event", "title": "A new event"}


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.setenv("DASHBOARD_SAVE_LIMIT", "0")
    return write_data_dir(tmp_path / "data")


@pytest.fixture
def repo(folder: Path) -> Path:
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=setup", "-c", "user.email=setup@x", "commit", "-qm", "Start")
    return folder


def _events(folder: Path) -> str:
    return (folder / "events.yaml").read_text(encoding="utf-8")


def _add(folder: Path, seen: dict[str, str], event: dict, user: str) -> saving.Saved:
    text = append_record(_events(folder), "events", event)
    message = history.describe(article="mt-2011", added=[event["id"]])
    return saving.save(folder, {"events.yaml": text}, seen, user=user, message=message)


def test_describe() -> None:
    assert history.describe(article="tw-2011", added=["a", "b", "c"]).startswith("Add 3 events from tw-2011\n\nevent a: added")
    assert history.describe(edited=["x"], verb="Restore").splitlines()[0] == "Restore event x"
    assert history.describe(article="tw", added=["a"], actors=["z"]).splitlines()[0] == "Add 1 event from tw; add 1 actor"


def test_a_save_is_a_commit_by_the_user(repo: Path) -> None:
    saved = _add(repo, store.read_state(repo), NEW, "alice@example.org")
    assert saved.ok and saved.commit and saved.note is None
    log = _git(repo, "log", "--format=%an <%ae>|%s")
    assert log.splitlines()[0] == "alice@example.org <alice@example.org>|Add 1 event from mt-2011"
    edited = {**NEW, "title": "A retitled event", "stance": 1}
    text = replace_record(_events(repo), "events", edited)
    again = saving.save(repo, {"events.yaml": text}, store.read_state(repo), user="bob", message=history.describe(edited=[NEW["id"]]))
    assert again.ok and _git(repo, "log", "-1", "--format=%an <%ae>").strip() == "bob <bob@dashboard.invalid>"
    changes = history.event_history(repo, NEW["id"])
    assert [(c.author, c.fields) for c in changes] == [("bob", ("stance", "title")), ("alice@example.org", ("added",))]
    assert changes[1].event["title"] == "A new event" and changes[0].subject == "Edit event kaz-new-event"
    assert [(c.author, c.fields) for c in history.event_history(repo, "kaz-votes-isaf")] == [("setup", ("added",))]


def test_without_git_history_is_off_and_saves_work(folder: Path) -> None:
    saved = _add(folder, store.read_state(folder), NEW, "alice")
    assert saved.ok and saved.commit is None and saved.note == history.HISTORY_OFF
    assert "kaz-new-event" in _events(folder) and history.event_history(folder, NEW["id"]) == []


def test_a_folder_inside_another_repository_has_history_off(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    inner = write_data_dir(tmp_path / "data")
    assert history.history_on(tmp_path) and not history.history_on(inner)


def test_a_stale_save_is_refused_and_nothing_is_lost(repo: Path) -> None:
    seen = store.read_state(repo)
    first = _add(repo, seen, NEW, "alice")
    second = _add(repo, seen, {**NEW, "id": "kaz-other", "title": "Other"}, "bob")  # read before alice saved
    assert first.ok and not second.ok
    assert "changed on disk after this page read it" in str(second.problems[0]) and "nothing was saved" in str(second.problems[0])
    assert "kaz-new-event" in _events(repo) and "kaz-other" not in _events(repo)
    assert _git(repo, "log", "--format=%an").split() == ["alice", "setup"]


def _hold(folder: str, ready, release) -> None:  # type: ignore[no-untyped-def]
    with folder_lock(folder):
        ready.set()
        release.wait(10)


def test_the_lock_holds_across_processes(repo: Path) -> None:
    ctx = multiprocessing.get_context("fork")  # fast to start on a loaded machine; the children only save
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(repo), ready, release))
    holder.start()
    try:
        assert ready.wait(120)
        with pytest.raises(LockTimeout), folder_lock(repo, wait=0.3):
            pass
        refused = saving.save(repo, {"events.yaml": _events(repo)}, store.read_state(repo), user="a", message="x", wait=0.3)
        assert "held .save.lock" in str(refused.problems[0])
    finally:
        release.set()
        holder.join(10)
    with folder_lock(repo, wait=1):
        pass
    assert ".save.lock" not in store.read_state(repo)


def _save_in_process(folder: str, seen: dict, event: dict, user: str, out) -> None:  # type: ignore[no-untyped-def]
    import os

    os.environ["DASHBOARD_CURATE"] = "1"
    saved = _add(Path(folder), seen, event, user)
    out.put((user, saved.ok, [str(p) for p in saved.problems]))


def test_two_processes_saving_at_once_one_lands(repo: Path) -> None:
    ctx = multiprocessing.get_context("fork")  # fast to start on a loaded machine; the children only save
    out = ctx.Queue()
    seen = store.read_state(repo)
    workers = [ctx.Process(target=_save_in_process, args=(str(repo), seen, {**NEW, "id": f"ev-{u}", "title": u}, u, out))
               for u in ("alice", "bob")]  # fmt: skip
    for w in workers:
        w.start()
    results = sorted(out.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(10)
    assert sorted(ok for _, ok, _ in results) == [False, True]
    landed = next(u for u, ok, _ in results if ok)
    refused = next(p for _, ok, p in results if not ok)
    assert "changed on disk after this page read it" in refused[0]
    ids = [e["id"] for e in yaml.safe_load(_events(repo))["events"]]
    assert f"ev-{landed}" in ids and len(ids) == 3
    assert _git(repo, "log", "-1", "--format=%an").strip() == landed


def test_saves_are_rate_limited_per_user(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_SAVE_LIMIT", "1")
    assert _add(repo, store.read_state(repo), NEW, "alice").ok
    limited = _add(repo, store.read_state(repo), {**NEW, "id": "ev-2"}, "alice")
    assert "too many saves: at most 1 a minute" in str(limited.problems[0])
    assert _add(repo, store.read_state(repo), {**NEW, "id": "ev-3"}, "bob").ok


def _events_page(folder: Path, monkeypatch: pytest.MonkeyPatch, event_id: str):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/events.py").run()
    at.selectbox(key="events_pick").select(event_id).run()
    at.toggle(key=f"history_{event_id}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_events_page_shows_history_and_restores(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _add(repo, store.read_state(repo), NEW, "alice").ok
    edited = {**NEW, "title": "A retitled event"}
    text = replace_record(_events(repo), "events", edited)
    assert saving.save(repo, {"events.yaml": text}, store.read_state(repo), user="bob", message="Edit event kaz-new-event").ok
    at = _events_page(repo, monkeypatch, NEW["id"])
    lines = [str(m.value) for m in at.markdown if "`" in str(m.value)]
    assert lines[0].startswith("`bob`") and "changed title" in lines[0]
    assert lines[1].startswith("`alice`") and "added" in lines[1]
    restore = [b for b in at.button if b.label == "Restore"]
    assert len(restore) == 1  # the current version has none
    restore[0].click().run()
    assert not at.exception and "Restored the version of" in " ".join(str(s.value) for s in at.success)
    assert "title: A new event" in _events(repo)
    assert _git(repo, "log", "-1", "--format=%an|%s").startswith("curator|Restore (to ")


def test_events_page_says_history_is_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _events_page(folder, monkeypatch, "kaz-votes-isaf")
    assert history.HISTORY_OFF in [str(c.value) for c in at.caption]


def test_history_read_only_so_far_says_so(repo: Path) -> None:
    assert _add(repo, store.read_state(repo), NEW, "alice").ok
    assert [c.fields for c in history.event_history(repo, NEW["id"], limit=1)] == [("earlier history not read",)]
    assert [c.fields for c in history.event_history(repo, NEW["id"], limit=5)] == [("added",)]
