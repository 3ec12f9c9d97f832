"""The regional map page under AppTest: the layers choice (kept in the URL), the points drawn, the view
fitted to the filtered countries, and choosing an event from the keyboard shows it with its quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model.load import load_dataset
from tests.test_pages import REAL_DATA, charts_of, open_page, title_of


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(REAL_DATA))
    return REAL_DATA


def _types(spec: dict) -> list[str]:
    return [t["type"] for t in spec["data"]]


def _marker_ids(spec: dict) -> set[str]:
    return {row[0] for t in spec["data"] if t["type"] == "scattergeo" and t.get("customdata") for row in t["customdata"]}


def test_the_map_draws_countries_and_places_by_default(real_data: Path) -> None:
    at = open_page("map")
    spec = charts_of(at)[0]
    assert title_of(spec) == "Events by country and place"
    assert _types(spec)[0] == "choropleth" and _marker_ids(spec)
    assert at.selectbox(key="page_layers").value == "both" and "layers" not in at.query_params
    (help_panel,) = [e for e in at.expander if e.label == "How to read this chart"]
    assert not help_panel.markdown  # its text is sent only when a reader opens it
    at.session_state[help_panel.key] = True
    at.run()
    (help_panel,) = [e for e in at.expander if e.label == "How to read this chart"]
    assert any("a large pale disc is a province or wider region" in m.value for m in help_panel.markdown)


@pytest.mark.parametrize(("layers", "title", "choropleth", "markers"), [
    ("areas", "Events by country", True, False),
    ("points", "Events by place", False, True),
])  # fmt: skip
def test_the_layers_choice_comes_from_the_link(real_data: Path, layers: str, title: str, choropleth: bool,
                                              markers: bool) -> None:  # fmt: skip
    at = open_page("map", page_query={"layers": layers})
    spec = charts_of(at)[0]
    assert title_of(spec) == title
    assert ("choropleth" in _types(spec)) is choropleth and bool(_marker_ids(spec)) is markers
    assert at.query_params["layers"] == layers


def test_changing_the_layers_updates_the_link(real_data: Path) -> None:
    at = open_page("map")
    at.selectbox(key="page_layers").set_value("points").run()
    assert at.query_params["layers"] == "points" and title_of(charts_of(at)[0]) == "Events by place"
    at.selectbox(key="page_layers").set_value("both").run()
    assert "layers" not in at.query_params


def test_a_bad_layers_value_is_ignored_with_a_note(real_data: Path) -> None:
    at = open_page("map", page_query={"layers": "satellite"})
    assert at.selectbox(key="page_layers").value == "both"
    assert any("Ignored unknown layers “satellite”" in c.value for c in at.caption)


def test_the_view_fits_the_filtered_countries(real_data: Path) -> None:
    wide = charts_of(open_page("map"))[0]["layout"]["geo"]["lonaxis"]["range"]
    narrow = charts_of(open_page("map", {"country": "TJK"}))[0]["layout"]["geo"]["lonaxis"]["range"]
    assert narrow[1] - narrow[0] < wide[1] - wide[0]
    assert narrow[0] < 67.4 and narrow[1] > 75.1  # all of Tajikistan


def test_choosing_an_event_from_the_keyboard_shows_its_place_and_quote(real_data: Path) -> None:
    at = open_page("map", {"country": "TJK"})
    pick = at.selectbox(key="map_event_pick")
    assert pick.value is None
    assert any(label.startswith("Khujand · 2010 · ") for label in pick.options)
    pick.set_value("khujand-police-station-car-bombing").run()
    assert not at.exception
    assert "Suicide car bombers attack a police station in Tajikistan's second city" in [s.value for s in at.header]
    assert any(c.value.startswith("Place: Khujand \\(exact place\\)") for c in at.caption)
    assert any("second city" in m.value and m.value.startswith(">") for m in at.markdown)


def test_the_chooser_lists_exactly_the_events_drawn_on_the_map(real_data: Path) -> None:
    at = open_page("map")
    spec = charts_of(at)[0]
    drawn = sum(int(row[6].split()[0]) for t in spec["data"] if t["type"] == "scattergeo" and t.get("customdata")
                for row in t["customdata"])  # fmt: skip
    options = at.selectbox(key="map_event_pick").options
    ds = load_dataset(real_data)
    placed = [e for e in ds.events if e.place]
    assert len(options) == drawn == len(placed)  # events known only by country are not offered
    assert {label.split(" · ")[0] for label in options} <= {p.name for p in ds.places.values()}
