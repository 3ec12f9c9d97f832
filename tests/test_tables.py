"""Tidy tables: one row per event with parsed spans, plus long country and source tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lib.model.load import load_dataset
from lib.model.tables import build_tables, codes_of, event_rows, in_view, sorted_categorical
from tests.conftest import REAL_DATA


def test_events_frame_has_one_row_per_event_with_span_and_precision(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    events = tables.events.set_index("id")
    assert len(events) == 2
    month = events.loc["taliban-warns-kaz"]
    assert month["precision"] == "month"
    assert month["start"] == pd.Timestamp("2011-05-01") and month["end"] == pd.Timestamp("2011-05-31")
    assert month["mid"] == pd.Timestamp("2011-05-16")
    day = events.loc["kaz-votes-isaf"]
    assert day["precision"] == "day" and day["start"] == day["end"] == pd.Timestamp("2011-05-18")
    assert day["actor_name"] == "Kazakhstan" and day["target_name"] == "NATO / ISAF"
    assert day["year"] == 2011


def test_long_tables_link_back_to_event_rows(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    links = tables.event_countries
    assert sorted(links[links["event_id"] == "kaz-votes-isaf"]["country"]) == ["AFG", "KAZ"]
    assert (tables.events.loc[links["row"], "id"].to_numpy() == links["event_id"].to_numpy()).all()
    assert list(tables.sources.columns) == ["event_id", "n", "article", "quote", "row"]
    assert len(tables.sources) == 2
    sources = tables.sources
    assert (tables.events.loc[sources["row"], "id"].to_numpy() == sources["event_id"].to_numpy()).all()


def test_event_rows_finds_each_id_and_minus_one_for_unknown(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    ids = list(tables.events["id"])
    rows = event_rows(tables.events, pd.Series([ids[1], ids[0], ids[1], "no-such-event"]))
    assert rows.tolist() == [1, 0, 1, -1] and rows.dtype == np.int64


def test_in_view_marks_rows_of_the_filtered_events() -> None:
    events = pd.DataFrame({"id": list("abcdef")})
    view = events[events["id"].isin(["b", "e"])]  # index 1 and 4, as Filters.apply leaves it
    assert in_view(view, pd.Series([0, 1, 4, 4, 5])).tolist() == [False, True, True, True, False]
    assert in_view(view, np.array([], dtype=np.int64)).tolist() == []
    assert in_view(events.iloc[0:0], pd.Series([2, 3])).tolist() == [False, False]
    assert in_view(events.iloc[[5]], pd.Series([0, 1])).tolist() == [False, False]  # view beyond the rows asked


def test_real_data_tables_build_with_every_event() -> None:
    ds = load_dataset(REAL_DATA)
    tables = build_tables(ds)
    assert len(tables.events) == len(ds.events)
    assert tables.events["id"].is_unique
    assert set(tables.events["precision"].astype(str)) <= {"day", "month", "year"}
    assert tables.sources["quote"].str.len().min() > 0


def test_country_links_are_a_sorted_categorical_and_codes_of_any_column(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    country = tables.event_countries["country"]
    assert isinstance(country.dtype, pd.CategoricalDtype) and list(country.cat.categories) == ["AFG", "KAZ"]
    unsorted = pd.Series(pd.Categorical(["b", "a", "b"], categories=["b", "a"]))
    fixed = sorted_categorical(unsorted)
    assert list(fixed.cat.categories) == ["a", "b"] and list(fixed) == ["b", "a", "b"]
    codes, names = codes_of(pd.Series(["x", None, "w", "x"], dtype=object))
    assert codes.tolist() == [1, -1, 0, 1] and list(names) == ["w", "x"]
    codes, names = codes_of(fixed)
    assert codes.tolist() == [1, 0, 1] and list(names) == ["a", "b"]
