"""The data folder is one dataset wherever it is loaded: events.yaml and events.parquet together for the app,
the check before a save, the validator and the briefings. A save that would clash with an event kept only in
Parquet is refused; a briefing may show a Parquet event, and one naming no event is a located error."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.model.briefings import parse_briefing
from lib.model.bulk import write_events_parquet
from lib.model.data_folder import check_folder, event_ids, load_folder
from lib.model.store import read_state, save
from lib.model.yaml_edit import append_record
from lib.validate import main as validate
from tests.conftest import make_events, write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent
PARQUET_ID = "taliban-warns-kaz"  # make_events()[1], kept in events.parquet only


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """events.yaml holds the vote; events.parquet holds the Taliban's warning."""
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    vote, warning = make_events()
    root = write_data_dir(tmp_path / "data", [vote])
    write_events_parquet([warning], root / "events.parquet")
    return root


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _briefing(event: str) -> dict:
    return {"title": "The warning", "slides": [{"heading": "Kazakhstan's year", "page": "timeline", "query": "country=KAZ"},
                                               {"heading": "The warning", "event": event}]}  # fmt: skip


def test_the_folder_loads_the_events_of_both_files(folder: Path) -> None:
    ds, tables = load_folder(folder)
    assert ds.problems == []
    assert [e.id for e in ds.events] == ["kaz-votes-isaf"], "the dataset's records are events.yaml's"
    assert set(tables.events["id"]) == {"kaz-votes-isaf", PARQUET_ID}
    assert PARQUET_ID in event_ids(tables)


def test_a_briefing_may_show_an_event_kept_only_in_parquet(folder: Path) -> None:
    (folder / "briefings").mkdir()
    write_yaml(folder / "briefings" / "warning.yaml", _briefing(PARQUET_ID))
    ds, _ = load_folder(folder)
    assert ds.problems == []
    assert ds.briefings["warning"].slides[1].event == PARQUET_ID
    assert validate([str(folder)]) == 0


def test_a_briefing_naming_no_event_is_a_located_error_with_the_nearest_id(folder: Path, capsys) -> None:
    (folder / "briefings").mkdir()
    write_yaml(folder / "briefings" / "warning.yaml", _briefing("taliban-warn-kaz"))
    ds, _ = load_folder(folder)
    (problem,) = ds.problems
    assert (problem.file, problem.record, problem.field) == ("data/briefings/warning.yaml", "briefing 'warning'",
                                                             "slides[1].event")  # fmt: skip
    assert problem.message == ("'taliban-warn-kaz' is not an event in events.yaml or events.parquet "
                               f"(did you mean {PARQUET_ID!r}?)")  # fmt: skip
    assert problem.is_error and "warning" not in ds.briefings
    assert validate([str(folder)]) == 1
    assert "slides[1].event" in capsys.readouterr().out


def test_a_briefing_draft_is_checked_against_the_events_of_both_files(folder: Path) -> None:
    import yaml

    ds, tables = load_folder(folder)
    text = yaml.safe_dump(_briefing(PARQUET_ID))
    briefing, problems = parse_briefing(text, "briefings/d.yaml", "briefing 'd'", ds, event_ids(tables))
    assert briefing is not None and problems == []
    _, problems = parse_briefing(text.replace(PARQUET_ID, "no-such-event"), "briefings/d.yaml", "briefing 'd'", ds,
                                 event_ids(tables))  # fmt: skip
    assert [p.field for p in problems] == ["slides[1].event"]


def test_a_save_that_would_repeat_an_id_kept_only_in_parquet_writes_nothing(folder: Path) -> None:
    seen = read_state(folder)
    before = _bytes(folder)
    events_yaml = (folder / "events.yaml").read_text(encoding="utf-8")
    again = dict(make_events()[1], title="The same id, typed again")
    problems = save(folder, {"events.yaml": append_record(events_yaml, "events", again)}, seen)
    assert problems, "refused"
    assert all(p.is_error for p in problems)
    assert any(p.file == "data/events.parquet" and p.field == "id" and f"duplicate id {PARQUET_ID!r}" in p.message
               for p in problems), [str(p) for p in problems]  # fmt: skip
    assert _bytes(folder) == before, "nothing written"


def test_a_save_is_checked_with_the_briefings_against_both_files(folder: Path) -> None:
    import yaml

    seen = read_state(folder)
    assert save(folder, {"briefings/warning.yaml": yaml.safe_dump(_briefing(PARQUET_ID))}, seen) == []
    assert (folder / "briefings" / "warning.yaml").is_file()
    seen = read_state(folder)
    before = _bytes(folder)
    (problem,) = save(folder, {"briefings/other.yaml": yaml.safe_dump(_briefing("taliban-warns-kazakhstan"))}, seen)
    assert problem.field == "slides[1].event" and f"(did you mean {PARQUET_ID!r}?)" in problem.message
    assert _bytes(folder) == before


def _broken(folder: Path, how: str) -> None:
    """Spoil the folder one way (the check before a save must find what the app's loader finds)."""
    vote, warning = make_events()
    if how == "parquet rows":
        bad = [dict(warning, id="x-1", actor="martians"), dict(warning, id="x-2", stance=9),
               dict(warning, id="x-3", sources=[{"article": "mt-2011", "quote": "Not in the article"}]), warning]
        write_events_parquet(bad, folder / "events.parquet")
    elif how == "id in both":
        write_yaml(folder / "events.yaml", {"events": [vote, warning]})
    elif how == "briefings":
        (folder / "briefings").mkdir()
        write_yaml(folder / "briefings" / "good.yaml", _briefing(PARQUET_ID))
        write_yaml(folder / "briefings" / "bad.yaml", _briefing("kaz-votes-isa"))
    elif how == "uncited article":
        text = (folder / "articles" / "mt-2011.md").read_text(encoding="utf-8")
        (folder / "articles" / "mt-2012.md").write_text(text.replace("id: mt-2011", "id: mt-2012"), encoding="utf-8")
    elif how == "no parquet":
        (folder / "events.parquet").unlink()
    elif how == "unreadable parquet":
        (folder / "events.parquet").write_bytes(b"not parquet")


@pytest.mark.parametrize("how", ["nothing", "parquet rows", "id in both", "briefings", "uncited article", "no parquet",
                                 "unreadable parquet"])  # fmt: skip
def test_the_check_before_a_save_finds_what_the_apps_loader_finds(folder: Path, how: str) -> None:
    _broken(folder, how)
    ds, _ = load_folder(folder)
    checked = check_folder(folder)
    assert [str(p) for p in checked.problems] == [str(p) for p in ds.problems]
    assert list(checked.briefings) == list(ds.briefings)
    assert (how in ("nothing", "no parquet")) == (ds.problems == []), "each spoiling is found"


def test_the_app_shows_a_briefing_of_a_parquet_event_without_a_data_problem(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "briefings").mkdir()
    write_yaml(folder / "briefings" / "warning.yaml", _briefing(PARQUET_ID))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert not [e for e in at.expander if "Data problems" in e.label]
    at.query_params["briefing"], at.query_params["slide"] = "warning", "2"
    at.switch_page("app_pages/present.py").run()
    assert not at.exception
    assert any("The Taliban warn of severe consequences" in m.value for m in at.markdown), "the Parquet event's slide"
