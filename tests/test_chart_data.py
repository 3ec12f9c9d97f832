"""The "Data" view under every chart: the numbers it draws, with its labels, for the current view."""

from __future__ import annotations

import copy
from pathlib import Path

import plotly.io as pio
import pytest

from lib.exports import export
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import chart_data, charts
from lib.views.style import ChartMeta
from tests.conftest import make_events, write_data_dir

QUOTE = {"article": "mt-2011", "quote": "The Kazakh parliament decided May 18 to send troops"}


def event(event_id: str, date: str, actor: str, target: str | None, event_type: str, stance: int,
          countries: list[str]) -> dict:  # fmt: skip
    base = copy.deepcopy(make_events()[0])
    base.update(id=event_id, date=date, title=f"Title of {event_id}", actor=actor, target=target,
                event_type=event_type, stance=stance, countries=countries, sources=[QUOTE])  # fmt: skip
    return base


EVENTS = [
    event("a", "2010-03-01", "KAZ", "taliban", "verbal_cooperation", 1, ["KAZ", "AFG"]),
    event("b", "2011-05-18", "KAZ", "nato_isaf", "material_cooperation", 2, ["KAZ"]),
    event("c", "2011-05", "taliban", "KAZ", "verbal_conflict", -1, ["KAZ"]),
    event("d", "2011", "nato_isaf", "taliban", "material_conflict", -2, ["AFG"]),
    event("e", "2011-06-02", "KAZ", "taliban", "verbal_conflict", -1, ["KAZ", "TJK"]),
]


@pytest.fixture
def view(tmp_path: Path) -> tuple:
    ds = load_dataset(write_data_dir(tmp_path / "data", EVENTS))
    assert not ds.problems, ds.problems
    tables = build_tables(ds)
    return tables, ChartMeta.from_dataset(ds)


def figure(view: tuple, kind: str, **params: str):
    tables, meta = view
    return charts.figure_for(kind, tables.events, tables, meta, **params)


def test_every_chart_says_what_it_is(view: tuple) -> None:
    for kind in ("by_year", "by_country", "timeline", "stance", "stance_heatmap", "map"):
        assert chart_data.kind(figure(view, kind)) == kind


def test_events_per_year_table_has_a_column_per_type_and_the_total(view: tuple) -> None:
    table = chart_data.table(figure(view, "by_year"))
    assert list(table["Year"]) == [2010, 2011]
    assert list(table["All events"]) == [1, 4]
    assert table.loc[1, "Verbal conflict"] == 2 and table.loc[0, "Verbal conflict"] == 0
    assert {"Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"} <= set(table.columns)


def test_by_country_table_uses_country_names_most_first(view: tuple) -> None:
    table = chart_data.table(figure(view, "by_country"))
    assert list(table["Country"]) == ["Kazakhstan", "Afghanistan", "Tajikistan"]
    assert list(table["Events"]) == [4, 2, 1]


def test_timeline_table_lists_every_drawn_event_in_date_order_with_the_dates_as_precise_as_known(view: tuple) -> None:
    table = chart_data.table(figure(view, "timeline"))
    assert list(table["id"]) == ["a", "c", "b", "e", "d"]  # as drawn: "May 2011" and "2011" at their middles
    assert set(table["Date"]) == {"1 March 2010", "18 May 2011", "May 2011", "2011", "2 June 2011"}
    assert set(table["Actor"]) == {"Kazakhstan", "Taliban", "NATO / ISAF"}
    assert "id" not in chart_data.display_table(table).columns


def test_country_timeline_has_a_row_per_event_and_country(view: tuple) -> None:
    tables, _ = view
    table = chart_data.table(figure(view, "timeline", rows="country"))
    assert len(table) == len(tables.event_countries)
    assert set(table[table["id"] == "e"]["Country"]) == {"Kazakhstan", "Tajikistan"}


def test_stance_table_has_each_party_and_its_stance_label(view: tuple) -> None:
    table = chart_data.table(figure(view, "stance", target="taliban"))
    assert set(table["Party"]) == {"Kazakhstan", "NATO / ISAF"}
    assert dict(zip(table["id"], table["Stance"], strict=True)) == {"a": "+1 Engaging", "d": "-2 Hostile",
                                                                    "e": "-1 Opposed"}  # fmt: skip


def test_stance_heatmap_table_has_means_and_counts(view: tuple) -> None:
    table = chart_data.table(figure(view, "stance_heatmap", target="taliban"))
    row = table[table["Party"] == "Kazakhstan"].iloc[0]
    assert row["Period"] == "Kazakhstan and ISAF" and row["Mean stance"] == 0.0 and row["Events"] == 2


def test_map_table_counts_every_central_asian_state_even_with_none(view: tuple) -> None:
    table = chart_data.table(figure(view, "map"))
    counts = dict(zip(table["Country"], table["Events"], strict=True))
    assert counts == {"Kazakhstan": 4, "Afghanistan": 2, "Tajikistan": 1}


def test_tables_read_the_same_from_a_figure_that_went_through_json(view: tuple) -> None:
    for kind in ("by_year", "by_country", "timeline", "stance", "stance_heatmap", "map"):
        fig = figure(view, kind)
        again = pio.from_json(fig.to_json())
        assert chart_data.table(again).equals(chart_data.table(fig)), kind


def test_a_filtered_view_gives_the_filtered_numbers(view: tuple) -> None:
    tables, meta = view
    only_2011 = tables.events[tables.events["date"].astype(str).str.startswith("2011")]
    table = chart_data.table(charts.figure_for("by_year", only_2011, tables, meta))
    assert list(table["Year"]) == [2011] and list(table["All events"]) == [4]


def test_empty_chart_gives_an_empty_table(view: tuple) -> None:
    tables, meta = view
    assert chart_data.table(charts.figure_for("by_year", tables.events.iloc[:0], tables, meta)).empty


def test_csv_of_a_table_uses_the_chart_labels_and_neutralises_formulas(view: tuple) -> None:
    tables, meta = view
    events = tables.events.copy()
    events["title"] = "=HYPERLINK(1)"
    csv = export.table_csv(chart_data.table(charts.figure_for("timeline", events, tables, meta))).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Date,Event,Event type,Actor,Target"
    assert "'=HYPERLINK(1)" in csv


def test_event_choices_name_each_event_once_by_date_and_title(view: tuple) -> None:
    choices = chart_data.event_choices(chart_data.table(figure(view, "timeline", rows="country")))
    assert next(iter(choices)) == "a" and len(choices) == 5
    assert choices["e"] == "2 June 2011 — Title of e"


def test_places_only_map_table_lists_each_marker_with_its_place_precision_and_count() -> None:
    root = Path(__file__).resolve().parent.parent / "data"
    ds = load_dataset(root)
    tables = build_tables(ds)
    meta = ChartMeta.from_dataset(ds)
    fig = charts.figure_for("map", tables.events, tables, meta, subtitle="All events", layers="points")
    table = chart_data.table(fig)
    placed = sum(1 for e in ds.events if getattr(e, "place", None))
    assert list(table.columns) == ["Place", "Precision", "Event type", "Events"]
    assert placed == 0 or (not table.empty and int(table["Events"].sum()) == placed)
    assert set(table["Place"]) <= {meta.places[e.place].name for e in ds.events if getattr(e, "place", None)}
