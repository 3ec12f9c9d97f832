"""Exports carry the places: the events file has each event's place, precision and coordinates, and the
exported map files hold the place markers."""

from __future__ import annotations

from lib.exports import export
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import charts
from lib.views.style import ChartMeta


def test_the_events_file_gives_each_events_place_precision_and_coordinates() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    frame = export.events_export_frame(tables.events, tables, ds, meta).set_index("id")
    khujand = frame.loc["khujand-police-station-car-bombing"]
    assert (khujand["place"], khujand["place precision"]) == ("Khujand", "1 Exact place")
    assert (khujand["latitude"], khujand["longitude"]) == (ds.places["khujand"].lat, ds.places["khujand"].lon)
    assert frame.loc["kunduz-governor-accuses-tajikistan", "place precision"] == "4 Province"
    unplaced = frame.loc["taliban-warns-kazakhstan-over-isaf"]
    assert unplaced["place"] == "" and unplaced["place precision"] == ""


def test_the_exported_interactive_map_holds_the_place_markers() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.figure_for("map", tables.events, tables, meta)
    html = export.figure_html(fig, "map").decode("utf-8")
    assert '"scattergeo"' in html and "Khujand" in html and "Kunduz province" in html
