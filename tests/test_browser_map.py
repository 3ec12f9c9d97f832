"""The regional map's event points in headless Chromium, from a real `streamlit run` server: the markers
are drawn, a click or the keyboard chooser shows the event with its quote, the layers choice lives in
the link, and the browser requests no host but the app's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lib.model.load import load_dataset
from tests.conftest import REAL_DATA
from tests.test_browser import (  # noqa: F401
    ALLOWED_HOSTS,
    Browser,
    browser,
    element_text,
    pytestmark,  # fmt: skip
    select_point,
    server,
    settle,
    visit_page,
)

POINTS = ".js-plotly-plot .scattergeo path.point"


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


def test_points_are_drawn_and_clicking_one_shows_its_event(server: str, browser: Browser) -> None:
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
    assert seen["points"] >= 3 and seen["shapes"] >= 6
    assert "Events by country and place" in seen["text_before"]
    event = next(e for e in load_dataset(REAL_DATA).events if e.id == seen["event"])
    place = load_dataset(REAL_DATA).places[event.place]
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
            page.keyboard.type("eastern Tajikistan · September 2010 · Attack")
            page.keyboard.press("Enter")
            page.wait_for_selector('[data-testid="stMain"] blockquote', timeout=30000)
            settle(page)
            result["text_after"] = element_text(page)
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["points"] >= 3 and seen["shapes"] == 0
    assert "Events by place" in seen["text_before"] and "layers=points" in seen["url"]
    assert "Attack on a Tajik military convoy kills 28 troops" in seen["text_after"]
    assert "Place: eastern Tajikistan (region)" in seen["text_after"]


def test_the_map_requests_no_other_host(server: str, browser: Browser) -> None:
    hosts = {urlsplit(u).hostname for u in browser.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert browser.requests and hosts <= ALLOWED_HOSTS, hosts - ALLOWED_HOSTS
