"""Aggregations behind the overview, stance and map pages, on the small fixture."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate


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
    from lib.model.filters import Filters

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


# ---------------------------------------------------------------------------
# the vectorised aggregations agree with plain pandas on real and on synthetic data


@pytest.fixture(scope="module")
def both_tables():
    from bench.synthetic import source_dataset, synthetic_events
    from lib.model.bulk import load_bulk_tables, write_events_parquet

    ds = load_dataset()
    real = build_tables(ds)
    folder = Path(tempfile.mkdtemp(prefix="agg-"))
    synthetic, problems = load_bulk_tables(write_events_parquet(synthetic_events(5000, seed=3, ds=source_dataset()),
                                                                folder / "events.parquet"), ds)  # fmt: skip
    assert problems == []
    return ds, [real, synthetic]


def _reference_country_summary(events, tables, target):
    links = tables.event_countries[tables.event_countries["event_id"].isin(events["id"])]
    counts = links.groupby("country", observed=True).size().rename("events")
    frame = counts.to_frame()
    frame.index = frame.index.astype(str)
    frame["stance_events"], frame["mean_stance"] = 0, np.nan
    if target is not None:
        ids = set(events.loc[events["target"] == target, "id"])
        toward = links[links["event_id"].isin(ids)].merge(events[["id", "stance"]], left_on="event_id", right_on="id")
        stats = toward.groupby(toward["country"].astype(str))["stance"].agg(["size", "mean"])
        frame.loc[stats.index, "stance_events"] = stats["size"]
        frame.loc[stats.index, "mean_stance"] = stats["mean"]
    return frame.rename_axis("country").reset_index().sort_values(["events", "country"], ascending=[False, True])


def test_vectorised_aggregations_match_plain_pandas(both_tables) -> None:
    ds, all_tables = both_tables
    for tables in all_tables:
        for events in _views(tables):
            by_year = aggregate.counts_by_year(events)
            expected = events.groupby(["year", "event_type"], observed=True).size().rename("events").reset_index()
            assert by_year.astype({"event_type": str}).values.tolist() == expected.astype(
                {"event_type": str}).values.tolist()  # fmt: skip
            for target in (None, "taliban", "KAZ"):
                got = aggregate.country_summary(events, tables, target).reset_index(drop=True)
                want = _reference_country_summary(events, tables, target).reset_index(drop=True)
                pd.testing.assert_frame_equal(got, want, check_dtype=False)
            labels = aggregate.period_labels(events, ds.periods)
            slow = pd.Series(aggregate.OTHER_PERIOD, index=events.index, dtype=object)
            for period in ds.periods:
                inside = (events["mid"] >= pd.Timestamp(period.start)) & (events["mid"] <= pd.Timestamp(period.end))
                slow[inside & (slow == aggregate.OTHER_PERIOD)] = period.label
            assert labels.equals(slow)
            for target, direction in (("taliban", "toward"), ("KAZ", "from"), ("RUS", "toward")):
                chosen = aggregate.stance_events(events, target, direction)
                matrix = aggregate.stance_matrix(events, ds.periods, target, direction)
                if chosen.empty:
                    assert matrix.empty
                    continue
                grouped = chosen.assign(period=aggregate.period_labels(chosen, ds.periods)).groupby(
                    ["party", "period"], observed=True)["stance"].agg(["mean", "size"])  # fmt: skip
                pd.testing.assert_frame_equal(matrix, grouped.rename(columns={"size": "n"}).reset_index())
                parties = chosen["party"].value_counts().index.tolist()
                quarters = aggregate.quarterly_means(events, target, direction, parties)
                for party in parties:
                    slow_q = chosen[chosen["party"] == party].set_index("mid")["stance"].resample("QS").mean().dropna()
                    pd.testing.assert_series_equal(quarters[party], slow_q, check_freq=False)
        actor, target = tables.events["actor"].astype(object), tables.events["target"].astype(object)
        paired = target.notna() & (actor != target)
        counts = pd.concat([actor[paired], target[paired]]).astype(str).value_counts()
        assert aggregate.stance_targets(tables.events) == sorted(counts.index, key=lambda a: (-counts[a], a))


def test_period_counts_merge_periods_that_share_a_label(data_dir: Path) -> None:
    ds, tables = tables_of(data_dir)
    twice = [ds.periods[0], ds.periods[0].model_copy(update={"id": "again"})]
    counts = aggregate.period_counts(tables.events, twice)
    assert counts["events"].tolist() == [2, 2]
    assert aggregate.period_codes(tables.events, twice).tolist() == [0, 0]


def test_month_numbers_match_numpy_calendar_months() -> None:
    values = pd.to_datetime(["1999-12-31 23:59:59", "2000-01-01", "2000-02-29 12:00", "2017-12-31", "2011-05-16"],
                            format="ISO8601")
    values = values.to_numpy().astype("datetime64[s]")
    assert aggregate.month_numbers(values).tolist() == values.astype("datetime64[M]").astype(np.int64).tolist()
    with_gap = np.array(["2001-03-04", "NaT"], dtype="datetime64[s]")
    assert aggregate.month_numbers(with_gap)[0] == np.datetime64("2001-03", "M").astype(np.int64)
    assert aggregate.month_numbers(np.array([], dtype="datetime64[s]")).tolist() == []


def test_period_table_heads_its_columns_says_dates_and_keeps_its_text_as_written() -> None:
    import datetime as dt

    counts = pd.DataFrame([
        {"period": "2001 *war*", "start": dt.date(2001, 10, 7), "end": dt.date(2001, 12, 31), "events": 3,
         "description": "Kabul [fell](x) in *November*"},
        {"period": aggregate.OTHER_PERIOD, "start": None, "end": None, "events": 1, "description": "Outside."},
    ], columns=["period", "start", "end", "events", "description"])  # fmt: skip
    table = aggregate.period_table(counts)
    assert list(table.columns) == ["Period", "From", "To", "Events shown", "What happened"]
    first, other = table.iloc[0], table.iloc[1]
    assert (first["From"], first["To"], other["From"], other["To"]) == ("7 Oct 2001", "31 Dec 2001", "—", "—")
    assert (first["Period"], first["What happened"]) == ("2001 *war*", "Kabul [fell](x) in *November*")
    assert table["Events shown"].tolist() == [3, 1]


def test_an_html_table_heads_its_columns_escapes_every_cell_aligns_numbers_right_and_keeps_a_cell_on_one_line() -> None:
    table = pd.DataFrame({"Period": ["War <b>&</b> peace"], "From": ["7 Oct 2001"], "Events shown": [3],
                          "What happened": ["Two\nlines"]})  # fmt: skip
    assert aggregate.html_table(table, right=("Events shown",), nowrap=("From",)) == (
        "<table><thead><tr><th>Period</th><th>From</th><th style=\"text-align: right;\">Events shown</th>"
        "<th>What happened</th></tr></thead><tbody><tr><td>War &lt;b&gt;&amp;&lt;/b&gt; peace</td>"
        "<td>7\u00a0Oct\u00a02001</td><td style=\"text-align: right;\">3</td><td>Two lines</td></tr></tbody></table>"
    )
