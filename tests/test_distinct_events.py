"""Pairs reviewed as distinct acts (`distinct_events.yaml`, CODEBOOK.md 8): the duplicates command stops listing
them, the file is checked with located errors, and a merge it would contradict is refused. Fixture folders only."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.model import store
from lib.model.distinct import DISTINCT_FILE
from lib.model.load import load_dataset
from lib.reading.batch import main
from lib.reading.duplicates import candidates
from lib.validate import main as validate
from tests.conftest import make_events, write_data_dir

KEEP, TWIN = "taliban-warns-kaz", "taliban-warning-reported-again"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fixture folder whose Taliban warning (taliban -> KAZ, 2011-05) is coded again from a second article
    (2011-05-22): a possible duplicate pair, as the command lists it."""
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    events = make_events()
    warning = next(e for e in events if e["id"] == KEEP)
    root = write_data_dir(tmp_path / "data", [*events, {**warning, "id": TWIN, "date": "2011-05-22", "date_note": None,
                                                         "sources": [{**warning["sources"][0], "article": "mt-2011-b"}]}])
    text = (root / "articles" / "mt-2011.md").read_text(encoding="utf-8")
    (root / "articles" / "mt-2011-b.md").write_text(text.replace("id: mt-2011\n", "id: mt-2011-b\n"), encoding="utf-8")
    assert not [p for p in load_dataset(root).problems if p.is_error]
    return root


def _write_pairs(root: Path, pairs: object) -> None:
    (root / DISTINCT_FILE).write_text(yaml.safe_dump({"pairs": pairs}, sort_keys=False), encoding="utf-8")


def _pair(a: str, b: str, **kw: object) -> dict:
    return {"events": [a, b], "reason": "two acts that only look alike", "curator": "test", **kw}


def test_a_pair_reviewed_as_distinct_is_no_longer_listed_and_all_lists_it(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    twin = TWIN
    assert [(c.first.id, c.second.id) for c in candidates(load_dataset(folder))] == [(KEEP, TWIN)]
    _write_pairs(folder, [_pair(TWIN, KEEP)])  # either order names the pair
    ds = load_dataset(folder)
    assert [p for p in ds.problems if p.is_error] == []
    assert candidates(ds) == []
    assert [(c.first.id, c.second.id) for c in candidates(ds, reviewed=True)] == [(KEEP, TWIN)]
    assert main(["--data", str(folder), "duplicates"]) == 0
    out = capsys.readouterr()
    assert twin not in out.out and "0 possible duplicate pair(s)" in out.err and "1 more reviewed as distinct" in out.err
    assert main(["--data", str(folder), "duplicates", "--all"]) == 0
    assert twin in capsys.readouterr().out


def test_the_file_is_optional(data_dir: Path) -> None:
    ds = load_dataset(data_dir)
    assert ds.distinct == [] and not any(DISTINCT_FILE in p.file for p in ds.problems)


@pytest.mark.parametrize(("pairs", "record", "field", "words"), [
    ([_pair("kaz-votes-isaf", "no-such-event")], "pair #1 (kaz-votes-isaf / no-such-event)", "events",
     "'no-such-event' is not an event of events.yaml (merged"),
    ([_pair("kaz-votes-isaf", "taliban-warns-kaz"), _pair("taliban-warns-kaz", "kaz-votes-isaf")],
     "pair #2 (taliban-warns-kaz / kaz-votes-isaf)", "events", "listed already (pair #1)"),
    ([_pair("kaz-votes-isaf", "kaz-votes-isaf")], "pair #1 (kaz-votes-isaf / kaz-votes-isaf)", "events", "twice"),
    ([{"events": ["kaz-votes-isaf", "taliban-warns-kaz"], "curator": "test"}], "pair #1 (kaz-votes-isaf / taliban-warns-kaz)",
     "reason", ""),
    ([_pair("kaz-votes-isaf", "taliban-warns-kaz", reviewer="x")], "pair #1 (kaz-votes-isaf / taliban-warns-kaz)",
     "reviewer", ""),
    ([{"events": ["kaz-votes-isaf"], "reason": "r", "curator": "c"}], "pair #1", "events", "expected two event ids"),
])  # fmt: skip
def test_a_bad_pair_is_a_located_error_and_left_out(
        data_dir: Path, pairs: list, record: str, field: str, words: str,
        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    _write_pairs(data_dir, pairs)
    ds = load_dataset(data_dir)
    found = [p for p in ds.problems if p.file.endswith(DISTINCT_FILE)]
    assert found and all(p.is_error for p in found), ds.problems
    assert any(p.record == record and p.field == field and words in p.message for p in found), found
    assert len(ds.distinct) == len(pairs) - 1 if len(pairs) == 2 else ds.distinct == []
    assert validate([str(data_dir)]) == 1
    assert f"{data_dir.name}/{DISTINCT_FILE}: {record}" in capsys.readouterr().out


def test_a_file_of_another_shape_is_an_error(data_dir: Path) -> None:
    (data_dir / DISTINCT_FILE).write_text("- events: [a, b]\n", encoding="utf-8")
    problems = [p for p in load_dataset(data_dir).problems if p.file.endswith(DISTINCT_FILE)]
    assert [p.message for p in problems] == ["expected a mapping with one 'pairs:' list at the top"]


def test_merging_a_pair_reviewed_as_distinct_is_refused_naming_the_file(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    twin = TWIN
    _write_pairs(folder, [_pair(KEEP, TWIN)])
    before = store.read_state(folder)
    assert main(["--data", str(folder), "merge", twin, "--into", KEEP]) == 1
    err = capsys.readouterr().err
    assert DISTINCT_FILE in err and f"'{twin}' is not an event" in err
    assert store.read_state(folder) == before, "nothing written"
    (folder / DISTINCT_FILE).unlink()  # the pair taken out, the same merge goes through
    assert main(["--data", str(folder), "merge", twin, "--into", KEEP]) == 0


@pytest.mark.parametrize(("twin_date", "approximate", "listed"), [
    ("2011-08-01", False, False),  # 71 days after the first article's publication (22 May 2011)
    ("2011-06-10", False, True),   # 19 days after it: within the window
    ("2011-08-01", True, True),    # an article of approximate date does not end the year-dated event
])  # fmt: skip
def test_a_year_dated_event_ends_at_the_publication_of_its_first_article(
        tmp_path: Path, twin_date: str, approximate: bool, listed: bool) -> None:  # fmt: skip
    from lib.reading.duplicates import span

    events = make_events()
    warning = next(e for e in events if e["id"] == KEEP)
    events = [e for e in events if e["id"] != KEEP] + [
        {**warning, "date": "2011", "date_note": "the year only"},
        {**warning, "id": TWIN, "date": twin_date, "date_note": "in the second article",
         "sources": [{**warning["sources"][0], "article": "mt-2011-b"}]}]  # fmt: skip
    root = write_data_dir(tmp_path / "data", events)
    text = (root / "articles" / "mt-2011.md").read_text(encoding="utf-8")
    if approximate:
        text = text.replace("published: '2011-05-22'\n", "published: '2011-05-22'\napproximate: true\n")
        (root / "articles" / "mt-2011.md").write_text(text, encoding="utf-8")
    (root / "articles" / "mt-2011-b.md").write_text(
        text.replace("id: mt-2011\n", "id: mt-2011-b\n").replace("2011-05-22", "2011-08-02"), encoding="utf-8")
    ds = load_dataset(root)
    assert not [p for p in ds.problems if p.is_error], ds.problems
    year_event = next(e for e in ds.events if e.id == KEEP)
    assert span(year_event, ds)[1].isoformat() == ("2011-12-31" if approximate else "2011-05-22")
    assert [(c.first.id, c.second.id) for c in candidates(ds)] == ([(KEEP, TWIN)] if listed else [])
