"""Events on the regional map: aggregated per place, drawn at the precision the sources give, selectable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate, charts, map_points
from lib.views.style import ChartMeta
from tests.conftest import make_events, write_data_dir, write_yaml
from tests.test_places import ASTANA, KABUL, KUNDUZ


def _event(n: int, place: str | None, precision: int | None, event_type: str = "verbal_cooperation",
           countries: tuple[str, ...] = ("KAZ", "AFG"), date: str = "2011-05-18") -> dict:  # fmt: skip
    base = make_events()[0]
    return {**base, "id": f"e{n:03d}", "title": f"Event {n}", "date": date, "countries": list(countries),
            "event_type": event_type, "stance": 1 if "cooperation" in event_type else -1,
            "place": place, "place_precision": precision}  # fmt: skip


@pytest.fixture
def placed(tmp_path: Path):
    events = [
        _event(1, "astana", 1, date="2011-05-18"),
        _event(2, "astana", 1, date="2011-05-19"),
        _event(3, "astana", 1, date="2011-05-20"),
        _event(4, "astana", 1, "material_cooperation"),
        _event(5, "astana", 2),
        _event(6, "kunduz-province", 4, "verbal_conflict"),
        _event(7, None, None),
    ]
    folder = write_data_dir(tmp_path / "data", events)
    write_yaml(folder / "places.yaml", {"places": [KABUL, KUNDUZ, ASTANA]})
    ds = load_dataset(folder)
    assert ds.problems == []
    tables = build_tables(ds)
    return tables, ChartMeta.from_dataset(ds)


def _markers(fig) -> list:
    return [t for t in fig.data if t.type == "scattergeo" and t.lat is not None and t.lat[0] is not None
            and t.mode == "markers"]  # fmt: skip


def test_events_are_counted_per_place_precision_and_type(placed) -> None:
    tables, meta = placed
    points = map_points.place_points(tables.events, meta)
    counts = {(p, int(lvl), t): int(n) for p, lvl, t, n in points[["place", "precision", "event_type", "events"]].itertuples(index=False)}
    assert counts == {("astana", 1, "verbal_cooperation"): 3, ("astana", 1, "material_cooperation"): 1,
                      ("astana", 2, "verbal_cooperation"): 1, ("kunduz-province", 4, "verbal_conflict"): 1}  # fmt: skip
    astana = points[points["place"] == "astana"].iloc[0]
    assert (astana["lat"], astana["lon"], astana["name"]) == (ASTANA["lat"], ASTANA["lon"], "Astana")


def test_a_marker_names_its_earliest_events_and_how_many_more(placed) -> None:
    tables, meta = placed
    points = map_points.place_points(tables.events, meta)
    three = points[(points["place"] == "astana") & (points["events"] == 3)].iloc[0]
    assert three["first_id"] == "e001"
    assert three["examples"].split("<br>") == ["18 May 2011: Event 1", "19 May 2011: Event 2", "20 May 2011: Event 3"]
    many = pd.concat([tables.events] * 2, ignore_index=True).assign(id=lambda f: [f"x{i}" for i in range(len(f))])
    big = map_points.place_points(many, meta)
    assert big["examples"].str.contains("… and 3 more").any()


def test_each_precision_has_its_own_style_and_areas_are_never_drawn_as_points(placed) -> None:
    tables, meta = placed
    fig = charts.region_map(aggregate.country_summary(tables.events, tables), meta,
                            points=map_points.place_points(tables.events, meta))  # fmt: skip
    by_name = {t.name.split(" (")[0]: t for t in _markers(fig)}
    assert set(by_name) == {"Exact place", "Near a place", "Province"}
    assert by_name["Exact place"].marker.symbol == "circle" and by_name["Near a place"].marker.symbol == "circle-open"
    province = by_name["Province"]
    assert province.marker.color[0].startswith("rgba(") and province.marker.color[0].endswith(",0.38)")
    assert min(province.marker.size) > max(by_name["Exact place"].marker.size) - map_points.GROWTH
    # drawn under the points: areas first
    names = [t.name.split(" (")[0] for t in _markers(fig)]
    assert names.index("Province") < names.index("Exact place")


def test_markers_are_coloured_by_event_type(placed) -> None:
    tables, meta = placed
    traces = map_points.point_traces(map_points.place_points(tables.events, meta), meta)
    exact = next(t for t in traces if t.name == "Exact place")
    colours = {row[2]: colour for row, colour in zip(exact.customdata, exact.marker.color, strict=True)}
    assert colours["verbal_cooperation"].startswith("rgba(0,114,178")  # vocab's blue
    assert colours["material_cooperation"].startswith("rgba(0,158,115")
    legend = {t.name for t in traces if t.showlegend is not False}
    assert {"Verbal cooperation", "Material cooperation", "Verbal conflict", "Exact place", "Province"} <= legend


def test_markers_sharing_a_place_are_nested_so_each_stays_visible(placed) -> None:
    tables, meta = placed
    points = map_points.place_points(tables.events, meta)
    sizes = dict(zip(zip(points["place"], points["precision"], points["event_type"]), map_points.marker_sizes(points)))
    assert sizes[("astana", 1, "verbal_cooperation")] - sizes[("astana", 1, "material_cooperation")] >= map_points.RING_GAP


def test_hover_shows_place_precision_count_type_and_titles_with_dates(placed) -> None:
    tables, meta = placed
    (trace,) = [t for t in map_points.point_traces(map_points.place_points(tables.events, meta), meta)
                if t.name == "Province" and t.customdata is not None]  # fmt: skip
    row = list(trace.customdata[0])
    assert row[:4] == ["e006", "kunduz-province", "verbal_conflict", "4"]
    assert row[4:8] == ["Kunduz province", "Province", "1 event", "Verbal conflict"]
    assert row[8] == "18 May 2011: Event 6"
    assert "%{customdata[4]}" in trace.hovertemplate and "%{customdata[8]}" in trace.hovertemplate


def test_selecting_a_marker_gives_its_events(placed) -> None:
    tables, meta = placed
    selection = [{"customdata": ["e001", "astana", "verbal_cooperation", "1", "Astana"], "lat": 51.18},
                 {"location": "KAZ"}]  # a country clicked too  # fmt: skip
    markers = map_points.selected_markers(selection)
    assert markers == [("astana", "verbal_cooperation", 1)]
    assert list(map_points.events_at(tables.events, markers)["id"]) == ["e001", "e002", "e003"]
    assert len(map_points.events_at(tables.events, [])) == len(tables.events)


def test_the_layers_choice_draws_areas_points_or_both(placed) -> None:
    tables, meta = placed

    def kinds(layers: str) -> tuple[bool, bool, str]:
        fig = charts.figure_for("map", tables.events, tables, meta, layers=layers)
        return (any(t.type == "choropleth" for t in fig.data), bool(_markers(fig)), fig.layout.title.text)

    assert kinds("both") == (True, True, "Events by country and place")
    assert kinds("areas") == (True, False, "Events by country")
    assert kinds("points") == (False, True, "Events by place")


def test_a_view_without_placed_events_says_so(placed) -> None:
    tables, meta = placed
    unplaced = tables.events[tables.events["place"].isna()]
    fig = charts.figure_for("map", unplaced, tables, meta, layers="both")
    assert not _markers(fig)
    assert any("No event in this view has a coded place" in a.text for a in fig.layout.annotations)


def test_the_view_fits_the_focus_countries_and_points_inside_the_region() -> None:
    empty = pd.DataFrame(columns=map_points.POINT_COLUMNS)
    view = map_points.fit_view(["TJK"], empty, charts.CENTRAL_ASIA_VIEW)
    (lon0, lon1), (lat0, lat1) = view["lonaxis_range"], view["lataxis_range"]
    assert lon0 < 67.4 and lon1 > 75.1 and lat0 < 36.7 and lat1 > 41 and lon1 - lon0 <= 14.01
    assert map_points.fit_view(["USA"], empty, charts.CENTRAL_ASIA_VIEW) == charts.CENTRAL_ASIA_VIEW
    wide = map_points.fit_view(["RUS"], empty, charts.CENTRAL_ASIA_VIEW)
    assert wide["lonaxis_range"][1] <= charts.CENTRAL_ASIA_VIEW["lonaxis_range"][1]


def test_a_million_events_make_at_most_one_marker_per_place_precision_and_type(placed) -> None:
    tables, meta = placed
    events = tables.events
    rng = np.random.default_rng(0)
    many = events.iloc[rng.integers(0, len(events), size=200_000)].reset_index(drop=True)
    points = map_points.place_points(many, meta)
    assert len(points) <= 4 and points["events"].sum() == int(many["place"].notna().sum())
    markers = sum(len(t.lat) for t in map_points.point_traces(points, meta) if t.lat[0] is not None)
    assert markers == len(points)


def test_the_real_map_draws_every_placed_event() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.figure_for("map", tables.events, tables, meta)
    drawn = sum(int(row[6].split()[0].replace(",", "")) for t in _markers(fig) for row in t.customdata)
    assert drawn == int(tables.events["place"].notna().sum()) > 0


def test_the_events_shown_under_the_map_are_the_selected_markers_else_the_one_picked(placed) -> None:
    tables, _ = placed
    markers = [("astana", "verbal_cooperation", 1)]
    assert map_points.chosen_event_ids(tables.events, markers, "e006") == ["e001", "e002", "e003"]
    assert map_points.chosen_event_ids(tables.events, [], "e006") == ["e006"]
    assert map_points.chosen_event_ids(tables.events, [], None) == []
