"""Briefings are data: the schema, the located errors of `python -m lib.validate`, and the views they name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.model.briefings import Briefing, briefing_yaml, new_id, parse_briefing, query_params, slide_view, view_slide
from lib.model.load import load_dataset
from lib.validate import main as validate
from tests.conftest import write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent


def good_briefing() -> dict:
    return {
        "title": "Kazakhstan and ISAF",
        "subtitle": "The vote and the warning",
        "date": "2026-12-05",
        "slides": [
            {"heading": "The year", "page": "timeline", "query": "country=KAZ&from=2011&rows=country",
             "notes": "Read it left to right."},
            {"heading": "The warning", "event": "taliban-warns-kaz"},
            {"heading": "Stance", "page": "stance", "query": {"country": ["KAZ"], "target": "KAZ", "dir": "toward"}},
            {"heading": "All of it", "page": "overview"},
        ],
    }


def folder_with(tmp_path: Path, **briefings: object) -> Path:
    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    for name, content in briefings.items():
        path = root / "briefings" / f"{name}.yaml"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            write_yaml(path, content)
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in load_dataset(root).problems]


def test_a_valid_briefing_loads_with_its_slides_in_order(tmp_path: Path) -> None:
    ds = load_dataset(folder_with(tmp_path, kaz=good_briefing()))
    assert ds.problems == []
    briefing = ds.briefings["kaz"]
    assert [s.heading for s in briefing.slides] == ["The year", "The warning", "Stance", "All of it"]
    assert [s.kind for s in briefing.slides] == ["view", "event", "view", "view"]
    assert briefing.slides[0].notes == "Read it left to right."


def test_a_data_folder_without_briefings_is_fine(tmp_path: Path) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "data"))
    assert ds.briefings == {} and ds.problems == []


def test_unknown_page_event_filter_value_and_option_are_located_problems(tmp_path: Path) -> None:
    bad = good_briefing()
    bad["slides"] = [
        {"heading": "A", "page": "dashboard"},
        {"heading": "B", "event": "no-such-event"},
        {"heading": "C", "page": "timeline", "query": "country=XYZ&rows=month&colour=red"},
        {"heading": "D", "page": "stance", "query": "target=nobody&from=20x"},
        {"heading": "E", "page": "events", "query": "metric=stance"},
    ]
    found = problems_of(folder_with(tmp_path, bad=bad))
    where = "data/briefings/bad.yaml: briefing 'bad' field"
    expected = [
        f"{where} 'slides[0].page': 'dashboard' is not a page",
        f"{where} 'slides[1].event': 'no-such-event' is not an event in events.yaml",
        f"{where} 'slides[2].query.country': unknown country “XYZ”",
        f"{where} 'slides[2].query.rows': 'month' is not a choice of the timeline page",
        f"{where} 'slides[2].query.colour': unknown parameter 'colour'",
        f"{where} 'slides[3].query.target': 'nobody' is not a choice of the stance page",
        f"{where} 'slides[3].query.from': 'from' year “20x”: expected a year such as 2011.",
        f"{where} 'slides[4].query.metric': 'metric' is not an option of the events page",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in found), (message, found)
    assert len(found) == len(expected), found


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    bad = {"title": "", "slides": [{"heading": "Both", "page": "map", "event": "kaz-votes-isaf"},
                                   {"page": "map"}, {"heading": "x", "page": "map", "note": "typo"}]}  # fmt: skip
    found = problems_of(folder_with(tmp_path, bad=bad))
    text = "\n".join(found)
    assert "field 'title'" in text
    assert "field 'slides[0]'" in text and "either a view" in text
    assert "field 'slides[1].heading': is required but missing" in text
    assert "field 'slides[2].note': is not a known field (misspelt?)" in text


def test_a_briefing_without_slides_is_a_problem(tmp_path: Path) -> None:
    found = problems_of(folder_with(tmp_path, empty={"title": "Nothing", "slides": []}))
    assert any("field 'slides'" in p and "at least 1" in p for p in found), found


def test_malformed_yaml_and_bad_file_names_are_reported_and_other_briefings_still_load(tmp_path: Path) -> None:
    root = folder_with(tmp_path, good=good_briefing(), broken="title: [unclosed\n")
    (root / "briefings" / "bad name.yaml").write_text(yaml.safe_dump(good_briefing()), encoding="utf-8")
    ds = load_dataset(root)
    text = "\n".join(str(p) for p in ds.problems)
    assert "data/briefings/broken.yaml: briefing 'broken': malformed YAML at line" in text
    assert "data/briefings/bad name.yaml" in text and "file name is the briefing's id" in text
    assert list(ds.briefings) == ["good"]


def test_the_validator_prints_briefing_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = good_briefing()
    bad["slides"][1]["event"] = "gone"
    assert validate([str(folder_with(tmp_path, bad=bad))]) == 1
    assert "data/briefings/bad.yaml: briefing 'bad' field 'slides[1].event': 'gone' is not an event" in capsys.readouterr().out


def test_the_shipped_briefings_are_valid_and_mix_views_and_events() -> None:
    ds = load_dataset(ROOT / "data")
    assert [p for p in ds.problems if "briefings" in p.file] == []
    assert len(ds.briefings) >= 2
    for briefing in ds.briefings.values():
        kinds = {s.kind for s in briefing.slides}
        assert kinds == {"view", "event"} and 6 <= len(briefing.slides) <= 10
        assert all(s.notes for s in briefing.slides), "every shipped slide has speaker notes"


def test_query_strings_and_mappings_read_the_same() -> None:
    assert query_params("country=KAZ,TJK&from=2010") == {"country": "KAZ,TJK", "from": "2010"}
    assert query_params({"country": ["KAZ", "TJK"], "from": 2010}) == {"country": "KAZ,TJK", "from": "2010"}
    assert query_params("?country=KAZ&country=TJK") == {"country": "KAZ,TJK"}


def test_a_slide_view_has_the_pages_defaults_and_a_permalink(tmp_path: Path) -> None:
    from lib.model.briefings import options_of

    ds = load_dataset(folder_with(tmp_path, kaz=good_briefing()))
    options = options_of(ds)
    first, _, stance, overview = ds.briefings["kaz"].slides
    view = slide_view(first, options)
    assert (view.page, view.chart, view.figure_params()) == ("timeline", "timeline", {"rows": "country"})
    assert view.permalink() == "timeline?country=KAZ&from=2011&rows=country"
    view = slide_view(stance, options)
    assert view.figure_params() == {"target": "KAZ", "direction": "toward"}
    assert view.permalink() == "stance?country=KAZ&target=KAZ"  # the default direction is not spelt out
    assert slide_view(overview, options).permalink() == "overview"


def test_a_view_slide_from_a_page_url_keeps_only_that_pages_parameters() -> None:
    slide = view_slide("home", {"country": "KAZ", "rows": "country", "x": "1"}, "Heading")
    assert slide == {"heading": "Heading", "page": "overview", "query": "country=KAZ"}
    assert view_slide("timeline", {"rows": "country"}, "H")["query"] == "rows=country"


def test_the_yaml_written_reads_back_as_the_same_briefing(tmp_path: Path) -> None:
    ds = load_dataset(folder_with(tmp_path, kaz=good_briefing()))
    text = briefing_yaml(ds.briefings["kaz"])
    again, problems = parse_briefing(text, "x.yaml", "briefing 'x'", ds)
    assert problems == [] and again == ds.briefings["kaz"]
    assert text.startswith("title: Kazakhstan and ISAF\n")
    assert Briefing.model_validate(yaml.safe_load(text)) == again


def test_new_ids_are_file_names_and_never_taken() -> None:
    assert new_id("Kazakhstan & ISAF, 2010–2011") == "kazakhstan-isaf-2010-2011"
    assert new_id("Kazakhstan & ISAF, 2010–2011", {"kazakhstan-isaf-2010-2011"}) == "kazakhstan-isaf-2010-2011-2"
    assert new_id("???") == "briefing"


# --- the draft packed into the URL, and views in words (issue 21) ----------------------------------------------


def test_a_draft_packs_into_the_url_and_back() -> None:
    from lib.model.briefings import draft_from_param, draft_param

    draft = {"id": "kaz", "title": "Ünïcode – “quotes”", "subtitle": "", "slides": [
        {"heading": "One", "page": "timeline", "query": "country=KAZ&rows=country", "uid": "x"},
        {"heading": "Two", "event": "e1", "notes": "Say it\nslowly."}]}  # fmt: skip
    packed = draft_param(draft)
    assert packed.replace("-", "").replace("_", "").isalnum()
    assert draft_from_param(packed) == {"id": "kaz", "title": "Ünïcode – “quotes”", "slides": [
        {"heading": "One", "page": "timeline", "query": "country=KAZ&rows=country"},
        {"heading": "Two", "event": "e1", "notes": "Say it\nslowly."}]}  # fmt: skip


@pytest.mark.parametrize("text", ["", "!!!", "abc", "eJwrSS0u0c1IzcnJBwAcuwSv", "x" * 60_000])
def test_anything_else_in_the_draft_parameter_is_no_draft(text: str) -> None:
    from lib.model.briefings import draft_from_param

    assert draft_from_param(text) is None


def test_a_draft_parameter_that_unpacks_too_large_or_to_odd_types_is_refused_or_cleaned() -> None:
    import base64
    import json
    import zlib

    from lib.model.briefings import draft_from_param

    def pack(data: object) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")

    assert draft_from_param(pack({"title": "t", "slides": [], "pad": "x" * 1_000_000})) is None
    cleaned = draft_from_param(pack({"title": 3, "id": "../x", "slides": [{"heading": ["a"], "page": "map"}, "no"]}))
    assert cleaned == {"slides": [{"page": "map"}]}


def test_a_view_in_words(data_dir: Path) -> None:
    from lib.model.briefings import options_of, view_in_words

    options = options_of(load_dataset(data_dir))
    assert view_in_words("timeline", {"country": "KAZ,TJK", "from": "2021", "to": "2024", "rows": "country"}, options) == (
        "Timeline — Kazakhstan, Tajikistan · 2021–2024 · one row per country")
    assert view_in_words("stance", {"target": "KAZ"}, options) == "Actor stance — All events · stance toward Kazakhstan"
    assert view_in_words("map", {"metric": "stance", "layers": "areas"}, options) == (
        "Regional map — All events · mean stance toward Taliban · countries only")
    assert view_in_words("home", {}, options) == "Overview — All events"


def _ranged(title: str, *queries: str | None) -> dict:
    slides = [{"heading": f"View {n}", "page": "overview", **({"query": q} if q else {})} for n, q in enumerate(queries)]
    return {"title": title, "slides": [*slides, {"heading": "The warning", "event": "taliban-warns-kaz"}]}


def test_a_view_showing_years_outside_the_titles_range_is_a_warning_and_the_briefing_still_loads(tmp_path: Path) -> None:
    # the fixture's events are all of 2011: a view without years shows 2011 only
    ds = load_dataset(folder_with(tmp_path, a=_ranged("Kazakhstan, 2010–2011", None, "from=2010&to=2011", "from=2009"),
                                  b=_ranged("Kazakhstan, 2012–2013", None, "from=2012&to=2013"),
                                  c=_ranged("Kazakhstan and ISAF", "from=2001&to=2020")))  # fmt: skip
    found = {(p.file.rsplit("/", 1)[-1], p.field): p for p in ds.problems}
    assert set(found) == {("a.yaml", "slides[2].query"), ("b.yaml", "slides[0].query")}, [str(p) for p in ds.problems]
    assert all(not p.is_error for p in ds.problems) and set(ds.briefings) == {"a", "b", "c"}, "warnings keep the briefing"
    assert "names 2010–2011 but this view shows 2009–2011" in found["a.yaml", "slides[2].query"].message


def test_title_years_reads_ranges_only() -> None:
    from lib.model.briefings import title_years

    assert title_years("Kazakhstan and the ISAF decision, 2010–2011") == (2010, 2011)
    assert title_years("Kazakhstan, 2010-11") == (2010, 2011)
    assert title_years("Water, trade and rail across the Amu Darya") is None
    assert title_years("Since 2021: 300 days") is None
    assert title_years("Back to front, 2017–2000") is None


@pytest.mark.parametrize("notes, flagged", [
    ("Click a country to list its events.", True),
    ("Where the events fall. Hover over a marker for its quote.", True),
    ("Double-clicking the legend isolates a line.", True),
    ("The talks dragged on; the Taliban tapped into local grievances.", False),
    ("TAPI's Afghan section started in Herat in 2018.", False),
])  # fmt: skip
def test_notes_that_tell_the_reader_to_click_are_a_warning(tmp_path: Path, notes: str, flagged: bool) -> None:
    briefing = good_briefing()
    briefing["slides"][1]["notes"] = notes
    ds = load_dataset(folder_with(tmp_path, kaz=briefing))
    assert [p.field for p in ds.problems] == (["slides[1].notes"] if flagged else [])
    assert "kaz" in ds.briefings and all(not p.is_error for p in ds.problems)
