"""The regional map's event points in headless Chromium, from a real `streamlit run` server on a small fixture
data folder (five events placed in Tajikistan at every precision): the markers are drawn, a click or the keyboard
chooser shows the event with its quote, the layers choice lives in the link, and the browser requests no host but
the app's own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lib.model.load import load_dataset
from tests.conftest import ACTORS, VOCAB, make_events, write_data_dir, write_yaml
from tests.test_browser import (  # noqa: F401
    ALLOWED_HOSTS,
    Browser,
    element_text,
    pytestmark,  # fmt: skip
    select_point,
    serve_dashboard,
    settle,
    visit_page,
    warmed_browser,
)

POINTS = ".js-plotly-plot .scattergeo path.point"

# The fixture's places, as the gazetteer gives them (copied from data/places.yaml, which `lib.validate` checks).
PLACES = [
    {"id": "dushanbe", "name": "Dushanbe", "country": "TJK", "kind": "town", "geonameid": 1221874,
     "lat": 38.53575, "lon": 68.77905},
    {"id": "khujand", "name": "Khujand", "country": "TJK", "kind": "town", "geonameid": 1514879,
     "lat": 40.28256, "lon": 69.62216},
    {"id": "kulob", "name": "Kŭlob", "country": "TJK", "kind": "town", "geonameid": 1221194,
     "lat": 37.91459, "lon": 69.78454},
    {"id": "khatlon-province", "name": "Khatlon province", "country": "TJK", "kind": "province",
     "admin1_of": ["Kulob"], "lat": 37.7667, "lon": 68.9773},
    {"id": "eastern-tajikistan", "name": "eastern Tajikistan", "country": "TJK", "kind": "region",
     "admin1_of": ["Rasht", "Khorugh"], "lat": 38.5131, "lon": 70.1544},
]  # fmt: skip
SENTENCES = {
    "dushanbe": "Tajik officials met Kazakh envoys in Dushanbe on May 3.",
    "khujand": "Suicide car bombers attacked a police station in Khujand last September.",
    "kulob": "Troops clashed with militants near Kulob in April.",
    "khatlon": "Border guards in Khatlon province seized weapons in March.",
    "convoy": "An attack on a military convoy in the country's mountainous east killed 28 troops last September.",
}
# The precision scale's labels, as data/vocab.yaml words them: the event panel reads "Place: <name> (<label>)".
PRECISIONS = [{"value": value, "label": label, "description": label + "."}
              for value, label in [(1, "Exact place"), (2, "Near a place"), (3, "District"), (4, "Province"),
                                   (5, "Region")]]  # fmt: skip
CONVOY_TITLE = "Attack on a military convoy in the mountainous east"
CONVOY_LABEL = "eastern Tajikistan · September 2010 · Attack on a military convoy"  # the keyboard chooser's option


def _event(key: str, title: str, date: str, place: str, precision: int, actor: str, target: str,
           event_type: str, stance: int) -> dict:  # fmt: skip
    return {**make_events()[0], "id": f"tjk-{key}", "date": date, "title": title, "summary": title + ".",
            "actor": actor, "target": target, "countries": ["TJK"], "event_type": event_type, "stance": stance,
            "place": place, "place_precision": precision,
            "sources": [{"article": "mt-2011", "quote": SENTENCES[key]}]}  # fmt: skip


def map_folder(root: Path) -> Path:
    """A valid data folder whose Tajikistan view has an exact place (two, one event each), a place nearby, a
    province and a region, besides the conftest's two Kazakhstan events."""
    events = make_events() + [
        _event("dushanbe", "Tajik officials meet Kazakh envoys", "2011-05-03", "dushanbe", 1, "TJK", "KAZ",
               "verbal_cooperation", 1),
        _event("khujand", "Car bomb at a police station in Khujand", "2010-09", "khujand", 1, "taliban", "TJK",
               "material_conflict", -2),
        _event("kulob", "Clash with militants near Kulob", "2011-04", "kulob", 2, "TJK", "taliban",
               "material_conflict", -2),
        _event("khatlon", "Weapons seized in Khatlon", "2011-03", "khatlon-province", 4, "TJK", "taliban",
               "material_conflict", -1),
        _event("convoy", CONVOY_TITLE, "2010-09", "eastern-tajikistan", 5, "taliban", "TJK", "material_conflict", -2),
    ]  # fmt: skip
    body = "KABUL — The Taliban has warned   Kazakhstan.\n\nThe Kazakh parliament decided May 18 to send troops.\n\n"
    folder = write_data_dir(root, events, article_body=body + " ".join(SENTENCES.values()),
                            actors=[*ACTORS, {"id": "TJK", "name": "Tajikistan", "kind": "state", "country": "TJK",
                                              "colour": "#44AA99"}])  # fmt: skip
    write_yaml(folder / "places.yaml", {"places": PLACES})
    write_yaml(folder / "vocab.yaml", {**VOCAB, "place_precisions": PRECISIONS})
    return folder


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = map_folder(tmp_path_factory.mktemp("map") / "data")
    assert load_dataset(folder).problems == []
    return folder


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[str]:
    yield from serve_dashboard(data, {}, "streamlit-browser-map.log")


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    yield from warmed_browser(server)


# The index of a point of the exact-place trace that stands for one event, lies inside the map's frame (points outside
# it are clipped, not removed) and has no other marker on it, with its event id: which one depends on the data.
ONE_EVENT_POINT = """sel => {
  const frame = document.querySelector('.js-plotly-plot .geo .bg rect').getBoundingClientRect();
  const points = [...document.querySelectorAll(sel)];
  const centres = points.map(p => { const b = p.getBoundingClientRect(); return [b.x + b.width / 2, b.y + b.height / 2]; });
  for (let n = points.length - 1; n >= 0; n--) {
    const point = points[n], datum = point.__data__, trace = point.parentNode.__data__[0].trace;
    const [x, y] = centres[n];
    const inside = x > frame.left + 8 && x < frame.right - 8 && y > frame.top + 8 && y < frame.bottom - 8;
    const alone = centres.every(([u, v], m) => m === n || Math.hypot(u - x, v - y) > 14);  // no other marker on it
    const row = trace.customdata && trace.customdata[datum.i];
    if (trace.name === 'Exact place' && inside && alone && row && row[6] === '1 event') return {n: n, event: row[0]};
  }
  return null;
}"""


def test_points_are_drawn_and_clicking_one_shows_its_event(server: str, browser: Browser, data: Path) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/map?country=TJK", browser.requests, charts=1, height=1300)
        try:
            page.wait_for_function(f"document.querySelectorAll('{POINTS}').length >= 3", timeout=60000)
            result: dict = {"points": page.locator(POINTS).count(),
                            "shapes": page.locator(".geo path.choroplethlocation").count(),
                            "text_before": element_text(page)}  # fmt: skip
            chosen = page.evaluate(ONE_EVENT_POINT, POINTS)
            assert chosen, "an exact place of one event, inside the map's frame, no other marker on it"
            result["event"] = chosen["event"]
            select_point(page, page.locator(POINTS).nth(chosen["n"]), '[data-testid="stMain"] blockquote')
            settle(page)
            result["text_after"] = element_text(page)
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["points"] >= 5 and seen["shapes"] >= 1
    assert "Events by country and place" in seen["text_before"]
    dataset = load_dataset(data)
    event = next(e for e in dataset.events if e.id == seen["event"])
    assert event.id in ("tjk-dushanbe", "tjk-khujand")  # the fixture's exact places of one event each
    place = dataset.places[event.place]
    assert event.title in seen["text_after"]
    assert f"Place: {place.name} (exact place)" in seen["text_after"]


def test_the_places_only_layer_by_link_and_the_keyboard_chooser(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/map?country=TJK&layers=points", browser.requests, charts=1, height=1300)
        try:
            page.wait_for_function(f"document.querySelectorAll('{POINTS}').length >= 3", timeout=60000)
            result: dict = {"points": page.locator(POINTS).count(),
                            "shapes": page.locator(".geo path.choroplethlocation").count(),
                            "text_before": element_text(page), "url": page.url}  # fmt: skip
            chooser = page.get_by_label("Event on the map")
            chooser.click()
            page.keyboard.type(CONVOY_LABEL)
            page.keyboard.press("Enter")
            page.wait_for_selector('[data-testid="stMain"] blockquote', timeout=30000)
            settle(page)
            result["text_after"] = element_text(page)
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["points"] >= 5 and seen["shapes"] == 0
    assert "Events by place" in seen["text_before"] and "layers=points" in seen["url"]
    assert CONVOY_TITLE in seen["text_after"]
    assert "Place: eastern Tajikistan (region)" in seen["text_after"]


def test_the_map_requests_no_other_host(server: str, browser: Browser) -> None:
    hosts = {urlsplit(u).hostname for u in browser.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert browser.requests and hosts <= ALLOWED_HOSTS, hosts - ALLOWED_HOSTS
