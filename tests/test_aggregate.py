"""Aggregations behind the overview, stance and map pages, on the small fixture."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib import aggregate
from lib.load import load_dataset
from lib.tables import build_tables


def tables_of(data_dir: Path):
    ds = load_dataset(data_dir)
    return ds, build_tables(ds)


def test_date_span_keeps_the_precision_of_the_data(data_dir: Path) -> None:
    _, tables = tables_of(data_dir)
    assert aggregate.date_span(tables.events) == ("2011-05", "2011-05")
    assert aggregate.date_span(tables.events.iloc[0:0]) is None


def test_period_counts_list_every_period_with_its_events(data_dir: Path) -> None:
    ds, tables = tables_of(data_dir)
    counts = aggregate.period_counts(tables.events, ds.periods)
    assert counts[["period", "events"]].values.tolist() == [["Kazakhstan and ISAF", 2]]


def test_events_outside_every_period_are_counted_as_other_years(data_dir: Path) -> None:
    ds, tables = tables_of(data_dir)
    counts = aggregate.period_counts(tables.events, [])
    assert counts[["period", "events"]].values.tolist() == [[aggregate.OTHER_PERIOD, 2]]


def test_stance_targets_are_actors_on_either_side_most_involved_first(data_dir: Path) -> None:
    _, tables = tables_of(data_dir)
    assert aggregate.stance_targets(tables.events) == ["KAZ", "nato_isaf", "taliban"]


def test_country_summary_counts_events_and_mean_stance_toward_a_target(data_dir: Path) -> None:
    _, tables = tables_of(data_dir)
    summary = aggregate.country_summary(tables.events, tables, target="KAZ").set_index("country")
    assert summary.loc["KAZ", "events"] == 2 and summary.loc["AFG", "events"] == 1
    assert summary.loc["KAZ", "stance_events"] == 1 and summary.loc["KAZ", "mean_stance"] == -1
    assert pd.isna(summary.loc["AFG", "mean_stance"])


def test_stance_events_in_both_directions(data_dir: Path) -> None:
    _, tables = tables_of(data_dir)
    toward = aggregate.stance_events(tables.events, "KAZ", "toward")
    assert toward["party"].tolist() == ["taliban"]
    reverse = aggregate.stance_events(tables.events, "KAZ", "from")
    assert reverse["party"].tolist() == ["nato_isaf"]


def test_stance_matrix_on_the_real_data_has_the_taliban_rows() -> None:
    ds = load_dataset()
    tables = build_tables(ds)
    matrix = aggregate.stance_matrix(tables.events, ds.periods, "taliban")
    assert {"RUS", "KAZ"} <= set(matrix["party"])
    assert matrix["mean"].between(-2, 2).all()


def _views(tables):
    from lib.filters import Filters

    views = [Filters(), Filters(countries=("KAZ",)), Filters(actors=("taliban",)), Filters(year_from=2010, year_to=2011),
             Filters(countries=("AFG", "TJK"), types=("verbal_conflict",)), Filters(countries=("NOWHERE",))]  # fmt: skip
    return [f.apply(tables) for f in views]


def test_countries_and_sources_of_a_view_match_a_lookup_by_id() -> None:
    ds = load_dataset()
    tables = build_tables(ds)
    for events in _views(tables):
        ids = set(events["id"])
        links = aggregate.countries_of(events, tables)
        assert set(links["event_id"]) == ids & set(tables.event_countries["event_id"])
        assert len(links) == tables.event_countries["event_id"].isin(ids).sum()
        sources = aggregate.sources_of(events, tables)
        assert sources.equals(tables.sources[tables.sources["event_id"].isin(ids)])


def test_sources_of_works_without_a_row_column(data_dir: Path) -> None:
    _, tables = tables_of(data_dir)
    bare = type(tables)(tables.events, tables.event_countries, tables.sources.drop(columns="row"))
    chosen = aggregate.sources_of(tables.events.iloc[[0]], bare)
    assert list(chosen["event_id"]) == [tables.events["id"].iat[0]]


def test_key_numbers_count_what_the_view_shows() -> None:
    ds = load_dataset()
    tables = build_tables(ds)
    for events in _views(tables):
        numbers = aggregate.key_numbers(events, tables)
        if events.empty:
            assert numbers["events"] == 0 and numbers["first"] is None
            continue
        ids = set(events["id"])
        assert numbers["events"] == len(events)
        assert numbers["countries"] == tables.event_countries.loc[tables.event_countries["event_id"].isin(ids),
                                                                  "country"].nunique()  # fmt: skip
        assert numbers["actors"] == len(set(events["actor"].dropna().astype(str)) | set(events["target"].dropna().astype(str)))
        assert numbers["articles"] == tables.sources.loc[tables.sources["event_id"].isin(ids), "article"].nunique()
        assert numbers["first"] == events.sort_values("start")["date"].iat[0]
        assert sum(numbers["by_type"].values()) == len(events)
