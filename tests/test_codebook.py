"""Codebook rules checked across records: events outside every period, new outlets, republished and
excerpted articles. A rule the data can live with is a warning (the record stays); a quote across a cut is
an error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.model.codebook import article_id
from lib.model.load import load_dataset
from lib.validate import main as validate_main
from tests.conftest import ARTICLE_BODY, PERIODS, make_events, write_data_dir, write_yaml


def _article(folder: Path, name: str, body: str, **front: object) -> None:
    meta = {"id": name, "title": "Another article", "outlet": "The Moscow Times", "published": "2011-05-23", **front}
    (folder / "articles" / f"{name}.md").write_text("---\n" + yaml.safe_dump(meta) + "---\n" + body + "\n", encoding="utf-8")


def _cite(folder: Path, name: str, quote: str) -> None:
    events = make_events()
    events[1]["sources"].append({"article": name, "quote": quote})
    write_yaml(folder / "events.yaml", {"events": events})


def test_an_event_outside_every_period_is_kept_and_flagged_as_a_warning(tmp_path: Path, capsys) -> None:
    events = make_events()
    events[1]["date"] = "2024-06"
    folder = write_data_dir(tmp_path / "data", events)
    ds = load_dataset(folder)
    assert [e.id for e in ds.events] == ["kaz-votes-isaf", "taliban-warns-kaz"], "a warning keeps its event"
    (problem,) = ds.problems
    assert not problem.is_error and problem.record == "event 'taliban-warns-kaz'" and problem.field == "date"
    assert str(problem).startswith("data/events.yaml: event 'taliban-warns-kaz' field 'date': warning: '2024-06' is outside every period")
    assert validate_main([str(folder)]) == 0
    out = capsys.readouterr().out
    assert "warning: '2024-06' is outside every period" in out and "(1 warning: see above)" in out
    assert validate_main([str(folder), "--strict"]) == 1


def test_a_date_spanning_two_adjacent_periods_is_inside_them(tmp_path: Path) -> None:
    events = make_events()
    events[1]["date"] = "2011"
    folder = write_data_dir(tmp_path / "data", events)
    write_yaml(folder / "periods.yaml", {"periods": [
        {"id": "first-half", "label": "First half", "start": "2010-01-01", "end": "2011-06-30"},
        {"id": "second-half", "label": "Second half", "start": "2011-07-01", "end": "2012-12-31"}]})  # fmt: skip
    assert load_dataset(folder).problems == []


def test_overlapping_periods_are_flagged(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    write_yaml(folder / "periods.yaml", {"periods": [*PERIODS,
        {"id": "overlap", "label": "Overlap", "start": "2011-06-01", "end": "2012-12-31"}]})  # fmt: skip
    (problem,) = load_dataset(folder).problems
    assert "period 'overlap' field 'start': warning: overlaps period 'isaf-2011'" in str(problem)


def test_a_republished_article_names_the_original_outlet_and_where_it_was_found(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    _article(folder, "mt-2011-05-23-again", ARTICLE_BODY, republished_in="Johnson's Russia List")
    _cite(folder, "mt-2011-05-23-again", "The Taliban has warned Kazakhstan")
    ds = load_dataset(folder)
    assert ds.problems == []
    assert ds.articles["mt-2011-05-23-again"].citation().endswith("Republished in Johnson's Russia List.")
    _article(folder, "mt-2011-05-23-again", ARTICLE_BODY, republished_in="the moscow times")
    assert [p.field for p in load_dataset(folder).problems] == ["republished_in"]


def test_one_outlet_one_short_form(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    _article(folder, "mt-2011-05-23-other", ARTICLE_BODY, outlet="Moscow Times Online")
    _cite(folder, "mt-2011-05-23-other", "The Taliban has warned Kazakhstan")
    (problem,) = load_dataset(folder).problems
    assert "articles whose ids start 'mt' name different outlets (Moscow Times Online, The Moscow Times)" in str(problem)
    assert not problem.is_error


def test_an_excerpt_marks_its_cuts_and_no_quote_spans_one(tmp_path: Path) -> None:
    body = "The Taliban has warned Kazakhstan.\n\n[…]\n\nThe Kazakh parliament decided May 18 to send troops."
    folder = write_data_dir(tmp_path / "data")
    _article(folder, "mt-2011-05-23-cut", body)
    _cite(folder, "mt-2011-05-23-cut", "The Taliban has warned Kazakhstan.")
    assert [(p.field, p.severity) for p in load_dataset(folder).problems] == [("excerpt", "warning")]
    _article(folder, "mt-2011-05-23-cut", body, excerpt=True)
    ds = load_dataset(folder)
    assert ds.problems == [] and ds.articles["mt-2011-05-23-cut"].citation().endswith("Excerpt.")
    _cite(folder, "mt-2011-05-23-cut", "Kazakhstan. […] The Kazakh parliament")
    ds = load_dataset(folder)
    (problem,) = ds.problems
    assert problem.is_error and "spans a cut" in problem.message
    assert [e.id for e in ds.events] == ["kaz-votes-isaf"], "an event with an error is left out"


def _dated_source(folder: Path, **source: object) -> None:
    events = make_events()
    events[0]["sources"][0].update(source)
    write_yaml(folder / "events.yaml", {"events": events})


def test_a_source_may_record_the_date_it_gives_where_it_disagrees_with_the_event(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    assert make_events()[0]["date"] == "2011-05-18", "the fixture the cases below are written against"
    _dated_source(folder, date="2011-05-17", date_note="This report says Tuesday; the record of the vote, Wednesday.")
    ds = load_dataset(folder)
    assert ds.problems == []
    assert next(e for e in ds.events if e.id == "kaz-votes-isaf").sources[0].date == "2011-05-17"


@pytest.mark.parametrize(("source", "field", "words"), [
    ({"date": "2011-05"}, "sources[0].date", "agrees with the event's date '2011-05-18'"),
    ({"date": "2011-05-24"}, "sources[0].date", "after the article's publication (2011-05-22)"),
    ({"date": "2011-05-17"}, "sources[0].date_note", "is required with a source's `date`"),
    ({"date_note": "Said to be earlier."}, "sources[0].date_note", "belongs with a source's `date`"),
    ({"date": "2011-02-30"}, "sources[0].date", "not a real calendar day"),
])  # fmt: skip
def test_a_source_date_that_agrees_postdates_its_article_or_lacks_its_note_is_a_located_error(
        tmp_path: Path, source: dict, field: str, words: str) -> None:  # fmt: skip
    folder = write_data_dir(tmp_path / "data")
    note = {"date_note": "How this text dates it."} if source.get("date") not in (None, "2011-05-17") else {}
    _dated_source(folder, **{**note, **source})
    ds = load_dataset(folder)
    problems = [p for p in ds.problems if p.is_error]
    assert [(p.file.endswith("events.yaml"), p.record, p.field) for p in problems] == [(True, "event 'kaz-votes-isaf'", field)]
    assert words in problems[0].message


@pytest.mark.parametrize(
    ("outlet", "published", "title", "expected"),
    [
        ("mt", "2011-05-22", "Taliban Warns Kazakhstan on Entering Afghan War", "mt-2011-05-22-taliban-warns-kazakhstan-on-entering-afghan-war"),
        ("Diplomat", "2017", "Taliban: New Challenges for Central Asia", "diplomat-2017-taliban-new-challenges-for-central-asia"),
        ("rferl", "2024-03", "Tokaev's Kabul Visit — and What Comes Next for Astana", "rferl-2024-03-tokaevs-kabul-visit-and-what-comes-next-for"),
    ],
)
def test_an_article_id_is_derived_in_the_codebook_form(outlet: str, published: str, title: str, expected: str) -> None:
    assert article_id(outlet, published, title) == expected


_WEEKDAY_BODY = ("The Taliban warned Kazakhstan on Wednesday.\n\nOn Sunday the Taliban warned Kazakhstan again.\n\n"
                 "In a statement on Wednesday, May 18, the Taliban warned Kazakhstan.")


@pytest.mark.parametrize(("quote", "date", "window"), [
    ("The Taliban warned Kazakhstan on Wednesday.", "2011-05", "between 27 April and 25 May 2011"),
    ("The Taliban warned Kazakhstan on Wednesday.", "2011", None),
    ("On Sunday the Taliban warned Kazakhstan again.", "2011-05", None),
    ("In a statement on Wednesday, May 18, the Taliban warned Kazakhstan.", "2011-05", None),
])  # fmt: skip
def test_a_weekday_under_a_month_only_date_holds_the_month_only_when_the_month_began_on_it(
        tmp_path: Path, quote: str, date: str, window: str | None) -> None:  # fmt: skip
    """CODEBOOK 18.6: an article dated only to May 2011 (which began on a Sunday) may be of any day of May, so
    its "on Wednesday" falls between 27 April and 25 May; its "On Sunday" stays in May; a dated weekday is no
    window at all."""
    folder = write_data_dir(tmp_path / "data")
    _article(folder, "mt-2011-05-weekdays", _WEEKDAY_BODY, published="2011-05")
    events = make_events()
    events[1].update(date=date, sources=[{"article": "mt-2011-05-weekdays", "quote": quote}])
    write_yaml(folder / "events.yaml", {"events": events})
    problems = load_dataset(folder).problems
    if window is None:
        assert problems == []
        return
    (problem,) = problems
    assert (problem.record, problem.field, problem.is_error) == ("event 'taliban-warns-kaz'", "date", False)
    assert window in problem.message and "CODEBOOK.md 18.6" in problem.message


_TOTALS_BODY = ("Kazakhstan has spent US$3.3 million on the programme.\n\n"
                "Kazakhstan has spent $2 million on the programme since 2009.\n\n"
                "Kazakhstan has spent years on the programme.")


@pytest.mark.parametrize(("quote", "date", "published", "flagged"), [
    ("Kazakhstan has spent US$3.3 million on the programme.", "2011", "2011-05-23", True),
    ("Kazakhstan has spent US$3.3 million on the programme.", "2011-05", "2011-05-23", False),
    ("Kazakhstan has spent US$3.3 million on the programme.", "2011", "2011", False),
    ("Kazakhstan has spent $2 million on the programme since 2009.", "2011", "2011-05-23", False),
    ("Kazakhstan has spent years on the programme.", "2011", "2011-05-23", False),
])  # fmt: skip
def test_a_total_to_date_with_no_start_is_dated_at_the_month_it_is_stated(
        tmp_path: Path, quote: str, date: str, published: str, flagged: bool) -> None:  # fmt: skip
    """CODEBOOK 3.4 and 18.7: "has spent US$3.3 million" in a report of 23 May 2011 is a span ending then, coded
    at May 2011; the year would claim the whole sum fell in 2011. A text that gives a start, an article dated only
    to its year, or a present perfect with no sum is not flagged."""
    folder = write_data_dir(tmp_path / "data")
    _article(folder, "mt-2011-05-23-totals", _TOTALS_BODY, published=published)
    events = make_events()
    events[1].update(date=date, sources=[{"article": "mt-2011-05-23-totals", "quote": quote}])
    write_yaml(folder / "events.yaml", {"events": events})
    problems = load_dataset(folder).problems
    if not flagged:
        assert problems == []
        return
    (problem,) = problems
    assert (problem.record, problem.field, problem.is_error) == ("event 'taliban-warns-kaz'", "date", False)
    assert "total to date" in problem.message and "'has spent US$'" in problem.message
    assert "CODEBOOK.md 3.4, 18.7" in problem.message
