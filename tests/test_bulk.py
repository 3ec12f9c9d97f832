"""The Parquet bulk format: same tables as the YAML path, and every kind of bad row reported and dropped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lib.model import bulk
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.ui.chart_element import drawn_charts
from tests.conftest import key_numbers, make_events, write_data_dir


def _comparable(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Plain object values (missing as None), rows in key order: dtype choices aside, the same content."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.sort_values(key).reset_index(drop=True)


def bulk_rows() -> pd.DataFrame:
    rows = []
    for event in make_events():
        source = event["sources"][0]
        rows.append({**{k: v for k, v in event.items() if k != "sources"},
                     "source_article": source["article"], "source_quote": source["quote"]})  # fmt: skip
    return pd.DataFrame(rows)


def test_round_trip_matches_build_tables(data_dir: Path, tmp_path: Path) -> None:
    ds = load_dataset(data_dir)
    expected = build_tables(ds)
    path = bulk.write_events_parquet(make_events(), tmp_path / "events.parquet")
    no_yaml = load_dataset(write_data_dir(tmp_path / "bulk-only", events=[]))
    tables, problems = bulk.load_bulk_tables(path, no_yaml)
    assert problems == []
    assert list(tables.events.columns) == list(expected.events.columns)
    pd.testing.assert_frame_equal(_comparable(tables.events, ["id"]), _comparable(expected.events, ["id"]))
    assert list(tables.events["id"]) == list(expected.events["id"])  # same date order
    for name in ("precision", "event_type", "actor", "target", "actor_name"):
        assert isinstance(tables.events[name].dtype, pd.CategoricalDtype)
    assert tables.events["start"].dtype == expected.events["start"].dtype
    assert tables.events["stance"].dtype == np.int8
    pd.testing.assert_frame_equal(
        _comparable(tables.event_countries, ["event_id", "country"]),
        _comparable(expected.event_countries, ["event_id", "country"]),
    )
    pd.testing.assert_frame_equal(_comparable(tables.sources, ["event_id"]), _comparable(expected.sources, ["event_id"]))
    links = tables.event_countries
    assert (tables.events.loc[links["row"], "id"].to_numpy() == links["event_id"].to_numpy()).all()
    sources = tables.sources
    assert (tables.events.loc[sources["row"], "id"].to_numpy() == sources["event_id"].to_numpy()).all()


def test_source_rows_point_at_events_after_dropping_bad_rows_and_combining(data_dir: Path, tmp_path: Path) -> None:
    frame = bulk_rows()
    frame = pd.concat([frame, frame.assign(id=["b-1", "b-2"], actor=["martians", "taliban"], date=["2001", "2015-02"])],
                      ignore_index=True)  # a bad row in the middle; the good ones dated elsewhere  # fmt: skip
    path = bulk.write_events_parquet(frame, tmp_path / "events.parquet")
    ds = load_dataset(write_data_dir(tmp_path / "d", events=[]))
    tables, problems = bulk.load_bulk_tables(path, ds)
    assert [p.field for p in problems] == ["actor"]
    for long in (tables.sources, tables.event_countries):
        assert (tables.events.loc[long["row"], "id"].to_numpy() == long["event_id"].to_numpy()).all()
    yaml_ds = load_dataset(data_dir)
    combined = bulk.combine_tables(build_tables(yaml_ds), bulk.load_bulk_tables(
        bulk.write_events_parquet(frame.assign(id=[f"x-{i}" for i in range(4)]), tmp_path / "more.parquet"), yaml_ds)[0],
        {a: actor.name for a, actor in yaml_ds.actors.items()})  # fmt: skip
    assert len(combined.events) == 2 + 3
    for long in (combined.sources, combined.event_countries):
        assert long["row"].dtype == np.int64
        assert (combined.events.loc[long["row"], "id"].to_numpy() == long["event_id"].to_numpy()).all()
    empty = bulk.empty_tables()
    assert list(empty.sources.columns) == list(tables.sources.columns)


def test_semicolon_joined_countries_are_accepted(data_dir: Path, tmp_path: Path) -> None:
    frame = bulk_rows().assign(countries=["KAZ; AFG", "KAZ"])
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    tables, problems = bulk.load_bulk_tables(path, load_dataset(write_data_dir(tmp_path / "d", events=[])))
    assert problems == []
    assert sorted(tables.events["countries"]) == ["KAZ", "KAZ, AFG"]


BAD_ROWS = [
    ("date", {"date": "2011-02-30"}, "real calendar day"),
    ("date", {"date": "18/05/2011"}, "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("actor", {"actor": "martians"}, "is not an actor"),
    ("target", {"target": "venus"}, "is not an actor"),
    ("countries", {"countries": ["KAZ", "XYZ"]}, "not listed in countries.yaml"),
    ("countries", {"countries": []}, "at least one country"),
    ("event_type", {"event_type": "sort_of_conflict"}, "must be one of"),
    ("stance", {"stance": 3}, "from -2 to 2"),
    ("title", {"title": "   "}, "required"),
    ("title", {"title": "x" * 201}, "at most 200"),
    ("source_quote", {"source_quote": ""}, "required"),
    ("source_quote", {"source_quote": "words nobody wrote"}, "does not appear verbatim"),
    ("source_article", {"source_article": "no-such-article"}, "is not an article"),
    ("id", {"id": "bad id!"}, "letters, digits"),
]


@pytest.mark.parametrize(("field", "change", "wording"), BAD_ROWS, ids=[f"{f}-{w[:12]}" for f, _, w in BAD_ROWS])
def test_each_invalid_kind_is_reported_and_dropped(tmp_path: Path, field: str, change: dict, wording: str) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "d", events=[]))
    frame = bulk_rows()
    for key, value in change.items():
        frame.at[0, key] = value
    path = bulk.write_events_parquet(frame, tmp_path / "events.parquet")
    tables, problems = bulk.load_bulk_tables(path, ds)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.field == field and wording in problem.message
    assert problem.file.endswith("events.parquet")
    assert list(tables.events["id"]) == ["taliban-warns-kaz"]  # the bad row dropped, the good one kept
    assert list(tables.sources["event_id"]) == ["taliban-warns-kaz"]
    assert set(tables.event_countries["event_id"]) == {"taliban-warns-kaz"}


def test_duplicate_ids_keep_the_first_and_clash_with_yaml(data_dir: Path, tmp_path: Path) -> None:
    frame = pd.concat([bulk_rows(), bulk_rows().iloc[[0]]], ignore_index=True)
    path = bulk.write_events_parquet(frame, tmp_path / "events.parquet")
    tables, problems = bulk.load_bulk_tables(path, load_dataset(write_data_dir(tmp_path / "d", events=[])))
    assert [p.field for p in problems] == ["id"] and "duplicate id 'kaz-votes-isaf'" in problems[0].message
    assert sorted(tables.events["id"]) == ["kaz-votes-isaf", "taliban-warns-kaz"]
    _, clashes = bulk.load_bulk_tables(path, load_dataset(data_dir))  # the same ids are in events.yaml
    assert {p.record for p in clashes if "events.yaml" in p.message} == {"event 'kaz-votes-isaf'", "event 'taliban-warns-kaz'"}


def test_problems_are_capped_per_field(tmp_path: Path) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "d", events=[]))
    base = bulk_rows().iloc[[0]]
    frame = pd.concat([base] * 50, ignore_index=True).assign(id=[f"e{i}" for i in range(50)], actor="martians")
    path = bulk.write_events_parquet(frame, tmp_path / "events.parquet")
    tables, problems = bulk.load_bulk_tables(path, ds)
    assert len(problems) == bulk.MAX_PROBLEMS_PER_FIELD + 1
    assert problems[-1].record is None and problems[-1].message.startswith("… and 30 more")
    assert tables.events.empty


def test_missing_column_and_unreadable_file(tmp_path: Path) -> None:
    ds = load_dataset(write_data_dir(tmp_path / "d", events=[]))
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pandas(bulk_rows().drop(columns=["stance"]).assign(colour="x")), path)
    tables, problems = bulk.load_bulk_tables(path, ds)
    assert tables.events.empty
    assert {(p.field, "required" in p.message) for p in problems} >= {("stance", True), ("colour", False)}
    path.write_bytes(b"not parquet")
    tables, problems = bulk.load_bulk_tables(path, ds)
    assert tables.events.empty and "cannot be read as Parquet" in problems[0].message


def test_tables_with_bulk_adds_events_beside_yaml(data_dir: Path) -> None:
    ds = load_dataset(data_dir)
    base = build_tables(ds)  # before the parquet exists, whether or not build_tables is wired to lib.model.bulk
    extra = bulk_rows().assign(id=["bulk-1", "bulk-2"])
    bulk.write_events_parquet(extra, data_dir / "events.parquet")
    tables = bulk.tables_with_bulk(ds, base)
    assert sorted(tables.events["id"]) == ["bulk-1", "bulk-2", "kaz-votes-isaf", "taliban-warns-kaz"]
    assert tables.events["start"].is_monotonic_increasing
    links = tables.event_countries
    assert (tables.events.loc[links["row"], "id"].to_numpy() == links["event_id"].to_numpy()).all()
    assert ds.problems == []
    assert len(tables.sources) == 4 and tables.sources["quote"].notna().all()
    assert tables.events["summary"].notna().all()


# ---------------------------------------------------------------------------
# wired in: the validator and the dashboard read events.parquet beside events.yaml


def _folder_with_bulk(root: Path, *, yaml_events: list | None = None, bad_actor: bool = True) -> Path:
    """The fixture folder plus an events.parquet of two valid rows (and one with an unknown actor)."""
    folder = write_data_dir(root / "data", events=yaml_events)
    rows = bulk_rows().assign(id=["bulk-vote", "bulk-warning"], date=["2012-03-01", "2013"])
    if bad_actor:
        rows = pd.concat([rows, rows.iloc[[0]].assign(id="bulk-bad", actor="martians")], ignore_index=True)
    bulk.write_events_parquet(rows, folder / bulk.BULK_FILENAME)
    return folder


def test_validator_checks_the_bulk_file_and_exits_1_on_its_problems(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from lib.validate import main as validate_main

    folder = _folder_with_bulk(tmp_path)
    assert validate_main([str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == ["data/events.parquet: event 'bulk-bad' field 'actor': 'martians' is not an actor in actors.yaml"]
    assert "1 error, 0 warnings; 4 valid events (2 from events.parquet), 1 article," in err


def test_validator_passes_a_clean_bulk_file_whose_events_cite_the_articles(tmp_path: Path, capsys) -> None:
    from lib.validate import main as validate_main

    folder = _folder_with_bulk(tmp_path, yaml_events=[], bad_actor=False)  # the article is cited only by bulk rows
    assert load_dataset(folder).problems  # YAML alone: "is not cited by any event"
    assert validate_main([str(folder)]) == 0
    assert capsys.readouterr().out.startswith("OK: 2 valid events (2 from events.parquet)")


def test_validator_reports_an_unreadable_bulk_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from lib.validate import main as validate_main

    folder = write_data_dir(tmp_path / "data")
    (folder / bulk.BULK_FILENAME).write_bytes(b"not parquet at all")
    assert validate_main([str(folder)]) == 1
    assert capsys.readouterr().out.startswith("data/events.parquet: cannot be read as Parquet")


def test_dashboard_shows_bulk_events_and_lists_their_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    folder = _folder_with_bulk(tmp_path)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert key_numbers(at)["Events"] == "4"  # two from events.yaml, two valid bulk rows
    panel = [e for e in at.expander if "Data problems" in e.label]
    shown = panel[0].dataframe[0].value
    assert shown.to_dict("records") == [{"file": "data/events.parquet", "entry": "event 'bulk-bad'", "field": "actor",
                                         "kind": "error", "problem": "'martians' is not an actor in actors.yaml"}]  # fmt: skip
    at.switch_page("app_pages/timeline.py").run()
    ids = {row[0] for chart in drawn_charts(at) for trace in chart.spec["data"]
           for row in trace.get("customdata") or []}  # fmt: skip
    assert ids == {"kaz-votes-isaf", "taliban-warns-kaz", "bulk-vote", "bulk-warning"}


def test_dashboard_without_a_bulk_file_is_unchanged(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60).run()
    assert not at.exception and key_numbers(at)["Events"] == "2"
    assert not [e for e in at.expander if "Data problems" in e.label]
