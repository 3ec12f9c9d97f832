"""The loader and validator: every kind of problem is reported specifically, valid events still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model.dataset import normalise_whitespace
from lib.model.load import load_dataset
from lib.validate import main as validate_main
from tests.conftest import REAL_DATA, make_events, write_data_dir, write_yaml, yaml_records


def messages(folder: Path) -> list[str]:
    return [str(p) for p in load_dataset(folder).problems]


def broken(tmp_path: Path, **changes: object) -> Path:
    """A data folder whose first event has `changes` applied (a value of ... deletes the field)."""
    events = make_events()
    for key, value in changes.items():
        if value is ...:
            del events[0][key]
        else:
            events[0][key] = value
    return write_data_dir(tmp_path / "data", events)


def test_valid_fixture_loads_clean(data_dir: Path) -> None:
    ds = load_dataset(data_dir)
    assert ds.problems == []
    assert [e.id for e in ds.events] == ["kaz-votes-isaf", "taliban-warns-kaz"]


def test_data_dir_comes_from_environment(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    assert load_dataset().data_dir == data_dir.resolve()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": ...}, "event 'kaz-votes-isaf' field 'title': is required but missing"),
        ({"actor": "martians"}, "event 'kaz-votes-isaf' field 'actor': 'martians' is not an actor in actors.yaml"),
        ({"target": "nobody"}, "event 'kaz-votes-isaf' field 'target': 'nobody' is not an actor in actors.yaml"),
        ({"countries": ["KAZ", "XXX"]}, "field 'countries[1]': 'XXX': Value error, 'XXX' is not an ISO 3166-1"),
        ({"countries": ["kaz"]}, "field 'countries[0]': 'kaz': String should match pattern"),
        ({"countries": ["FRA"]}, "field 'countries[0]': 'FRA' is not listed in countries.yaml"),
        ({"date": "2011-02-30"}, "field 'date': '2011-02-30': Value error, '2011-02-30' is not a real calendar day"),
        ({"date": "2011-13"}, "field 'date': '2011-13': Value error, '2011-13' has month 13"),
        ({"date": "May 2011"}, "field 'date': 'May 2011': Value error, 'May 2011' is not a date of the form"),
        ({"stance": 7}, "field 'stance': 7: Input should be less than or equal to 2"),
        ({"stance": "1"}, "field 'stance': '1': Input should be a valid integer"),
        ({"event_type": "war"}, "field 'event_type': 'war': Input should be 'verbal_cooperation'"),
        ({"sources": [{"article": "mt-2011", "quote": "never said"}]},
         "field 'sources[0].quote': 'never said' does not appear verbatim in article 'mt-2011'"),
        ({"sources": [{"article": "ghost", "quote": "x"}]},
         "field 'sources[0].article': 'ghost' is not an article in articles/"),
        ({"sources": []}, "field 'sources': []: List should have at least 1 item"),
        ({"stnace": 1}, "field 'stnace': is not a known field (did you mean 'stance'?)"),
    ],
)
def test_each_problem_has_its_specific_message_and_valid_events_still_load(
    tmp_path: Path, changes: dict, expected: str
) -> None:
    folder = broken(tmp_path, **changes)
    ds = load_dataset(folder)
    found = [str(p) for p in ds.problems]
    assert any(expected in m and m.startswith("data/events.yaml: ") for m in found), found
    assert [e.id for e in ds.events] == ["taliban-warns-kaz"]


def test_duplicate_event_id_keeps_the_first(tmp_path: Path) -> None:
    events = make_events()
    events[1]["id"] = events[0]["id"]
    ds = load_dataset(write_data_dir(tmp_path / "data", events))
    assert [e.id for e in ds.events] == ["kaz-votes-isaf"]
    assert "data/events.yaml: event 'kaz-votes-isaf' field 'id': duplicate id 'kaz-votes-isaf' (entry #2 skipped)" in [
        str(p) for p in ds.problems
    ]


def test_event_without_id_is_named_by_position(tmp_path: Path) -> None:
    events = make_events()
    del events[1]["id"]
    found = messages(write_data_dir(tmp_path / "data", events))
    assert "data/events.yaml: event #2 field 'id': is required but missing" in found


def test_all_problems_are_collected_not_just_the_first(tmp_path: Path) -> None:
    folder = broken(tmp_path, stance=9, actor="martians", date="2011-02-30")
    found = messages(folder)
    assert sum("event 'kaz-votes-isaf'" in m for m in found) >= 2
    assert any("'stance'" in m for m in found) and any("'date'" in m for m in found)


def test_malformed_yaml_reports_line_and_salvages_the_other_entries(data_dir: Path) -> None:
    path = data_dir / "events.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Taliban warn Kazakhstan", "title: [Taliban warn"), encoding="utf-8")
    ds = load_dataset(data_dir)
    found = [str(p) for p in ds.problems]
    assert any(m.startswith("data/events.yaml: malformed YAML at line") for m in found), found
    assert any("skipped: malformed YAML" in m for m in found)
    assert [e.id for e in ds.events] == ["kaz-votes-isaf"]


def test_missing_article_file_rejects_its_events(data_dir: Path) -> None:
    (data_dir / "articles" / "mt-2011.md").unlink()
    ds = load_dataset(data_dir)
    assert ds.events == []
    assert any("'mt-2011' is not an article in articles/" in str(p) for p in ds.problems)


def test_article_not_cited_is_reported(data_dir: Path) -> None:
    write_yaml(data_dir / "events.yaml", {"events": make_events()[:1]})
    extra = (data_dir / "articles" / "mt-2011.md").read_text().replace("id: mt-2011", "id: unused")
    (data_dir / "articles" / "unused.md").write_text(extra, encoding="utf-8")
    assert "data/articles/unused.md: article 'unused': is not cited by any event" in messages(data_dir)


def test_empty_events_file_is_a_problem_not_a_crash(data_dir: Path) -> None:
    (data_dir / "events.yaml").write_text("", encoding="utf-8")
    ds = load_dataset(data_dir)
    assert ds.events == []
    assert "data/events.yaml: file is empty: expected a 'events:' list" in [str(p) for p in ds.problems]


def test_non_utf8_bytes_are_reported_and_the_rest_loads(data_dir: Path) -> None:
    path = data_dir / "events.yaml"
    path.write_bytes(path.read_bytes().replace(b"The lower house", b"The \xff lower house"))
    ds = load_dataset(data_dir)
    assert any("is not valid UTF-8 (byte 0xff at line" in str(p) for p in ds.problems)
    assert len(ds.events) == 2


def test_unsafe_yaml_tags_are_refused(data_dir: Path) -> None:
    (data_dir / "events.yaml").write_text("events: !!python/object/apply:os.system ['echo hacked']\n")
    ds = load_dataset(data_dir)
    assert ds.events == []
    assert any("malformed YAML" in str(p) for p in ds.problems)


def test_article_id_must_match_file_name(data_dir: Path) -> None:
    (data_dir / "articles" / "mt-2011.md").rename(data_dir / "articles" / "other.md")
    assert any("field 'id': must match the file name 'other'" in m for m in messages(data_dir))


def test_validate_cli_exits_1_and_prints_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = broken(tmp_path, stance=9, actor="martians")
    assert validate_main([str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any("field 'stance'" in line for line in out) and any("field 'actor'" in line for line in out)


def test_validate_cli_exits_0_on_clean_data(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_main([str(data_dir)]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 valid events")


def test_real_data_validates_clean_with_every_file_record_loaded_and_every_article_cited() -> None:
    ds = load_dataset(REAL_DATA)
    assert [str(p) for p in ds.problems] == []
    assert set(ds.articles) == {p.stem for p in (REAL_DATA / "articles").glob("*.md")}
    assert [e.id for e in ds.events] == [e["id"] for e in yaml_records(REAL_DATA, "events.yaml", "events")]
    assert {s.article for e in ds.events for s in e.sources} == set(ds.articles)


def test_real_data_every_event_is_quoted_from_its_articles() -> None:
    ds = load_dataset(REAL_DATA)
    for event in ds.events:
        assert event.sources, event.id
        for source in event.sources:
            assert normalise_whitespace(source.quote) in normalise_whitespace(ds.articles[source.article].text)
