"""Presenting a briefing in headless Chromium at a projector's 1280×720, from a real `streamlit run` server.

The chart fills the screen, the keys a presenter clicker sends move between slides without reloading
the page, charts stay interactive, leaving returns to the same view in the dashboard, and no request
goes to another host. Saves docs/screenshots/present.png (the README's).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from lib.model.load import load_dataset
from tests.conftest import REAL_DATA
from tests.test_browser import (  # noqa: F401
    ALLOWED_HOSTS,
    CHROMIUM,
    SCREENSHOTS,
    Browser,
    browser,  # fmt: skip
    select_point,
    server,
    settle,
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)")
VIEWPORT = {"width": 1280, "height": 720}
NAME = "kazakhstan-isaf-2010-2011"
BRIEFING = load_dataset(REAL_DATA).briefings[NAME]


def heading_of(page: Any) -> str:
    return page.locator(".st-key-present_heading h1").inner_text().strip()


def wait_for_slide(page: Any, number: int) -> None:
    """Until slide `number`'s heading and its chart (or the event's spotlight) are drawn."""
    heading = BRIEFING.slides[number - 1].heading
    page.wait_for_function("h => { const e = document.querySelector('.st-key-present_heading h1');"
                           " return e && e.innerText.trim() === h; }", arg=heading, timeout=60000)  # fmt: skip
    kind = "spotlight" if BRIEFING.slides[number - 1].event else "chart"
    page.wait_for_selector(f".st-key-present_{kind}_{number} .main-svg", timeout=60000)


def open_slide(br: Any, base: str, number: int, requests: list[str]) -> tuple[Any, Any]:
    context = br.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}/present?briefing={NAME}&slide={number}")
    wait_for_slide(page, number)
    settle(page)
    return context, page


def slide_in_url(page: Any) -> str:
    return parse_qs(urlsplit(page.url).query).get("slide", [""])[0]


def test_a_chart_slide_fills_the_screen_with_no_sidebar(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    assert BRIEFING.slides[1].page == "timeline", "the shipped briefing's second slide is a chart"

    def check(br: Any) -> dict:
        context, page = open_slide(br, server, 2, browser.requests)
        try:
            box = page.locator(".st-key-present_chart_2 [data-testid='dashboardChart']").bounding_box()
            page.mouse.move(2, 2)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "present.png"))
            sidebar = page.locator('[data-testid="stSidebar"]')
            return {"box": box, "sidebar": sidebar.count() and sidebar.is_visible(),
                    "bar": page.locator(".st-key-present_bar").inner_text(), "heading": heading_of(page)}  # fmt: skip
        finally:
            context.close()

    seen = browser.run(check)
    share = seen["box"]["width"] * seen["box"]["height"] / (VIEWPORT["width"] * VIEWPORT["height"])
    assert share >= 0.6, f"the chart covers {share:.0%} of the viewport"
    assert seen["box"]["y"] + seen["box"]["height"] <= VIEWPORT["height"], "the whole chart is on screen"
    assert not seen["sidebar"]
    assert f"Slide 2 of {len(BRIEFING.slides)}" in seen["bar"] and BRIEFING.title in seen["bar"]
    assert seen["heading"] == BRIEFING.slides[1].heading


def test_clicker_keys_move_between_slides_without_reloading_the_page(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    def check(br: Any) -> dict:
        context, page = open_slide(br, server, 1, browser.requests)
        try:
            page.evaluate("window.__same_page = true")
            steps = {}
            for key, number in (("ArrowRight", 2), ("PageDown", 3), ("ArrowLeft", 2), ("PageUp", 1),
                                ("End", len(BRIEFING.slides)), ("Home", 1)):  # fmt: skip
                page.keyboard.press(key)
                wait_for_slide(page, number)
                steps[key] = (slide_in_url(page), heading_of(page))
            return {"steps": steps, "same_page": page.evaluate("window.__same_page === true")}
        finally:
            context.close()

    seen = browser.run(check)
    last = len(BRIEFING.slides)
    expected = {"ArrowRight": 2, "PageDown": 3, "ArrowLeft": 2, "PageUp": 1, "End": last, "Home": 1}
    for key, number in expected.items():
        assert seen["steps"][key] == (str(number), BRIEFING.slides[number - 1].heading), key
    assert seen["same_page"], "moving between slides is a rerun, never a page load"


def test_a_slide_chart_is_interactive_and_selecting_an_event_shows_its_quote(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    def check(br: Any) -> str:
        context, page = open_slide(br, server, 2, browser.requests)
        try:
            point = page.locator(".st-key-present_chart_2 .scatterlayer .point").first
            box = point.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2 - 15, box["y"] + box["height"] / 2 - 15)
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
            page.wait_for_selector(".st-key-present_chart_2 .hoverlayer .hovertext", timeout=10000)
            select_point(page, point, "[data-testid='stMain'] blockquote")
            settle(page)
            return page.locator("[data-testid='stMain'] blockquote").first.inner_text()
        finally:
            context.close()

    quote = " ".join(browser.run(check).split())
    quotes = {" ".join(s.quote.split()) for e in load_dataset(REAL_DATA).events for s in e.sources}
    assert quote in quotes, f"the selected event's verbatim quote is shown: {quote!r}"


def test_leaving_returns_to_the_same_view_in_the_dashboard(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    def check(br: Any) -> dict:
        context, page = open_slide(br, server, 2, browser.requests)
        try:
            page.get_by_role("link", name="Open in Timeline").click()
            page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=60000)
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1", timeout=60000)
            settle(page)
            return {"url": page.url, "text": page.locator('[data-testid="stMain"]').inner_text()}
        finally:
            context.close()

    seen = browser.run(check)
    query = parse_qs(urlsplit(seen["url"]).query)
    assert urlsplit(seen["url"]).path.endswith("/timeline")
    assert query.get("country") == ["KAZ"] and query.get("rows") == ["country"]
    assert query.get("from") == ["2010"] and query.get("to") == ["2011"]
    assert "Showing: Kazakhstan · 2010–2011" in seen["text"]


def test_arriving_by_the_navigation_hides_the_sidebar_and_leaving_brings_it_back(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.on("request", lambda r: browser.requests.append(r.url))
        sidebar = page.locator('[data-testid="stSidebar"]')
        try:
            page.goto(f"{server}/timeline")
            page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=60000)
            page.get_by_role("link", name="Present a briefing").click()
            page.wait_for_selector('[data-testid="stMain"] a:has-text("slides")', timeout=60000)
            page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=10000)
            page.get_by_role("link", name=BRIEFING.title).first.click()
            wait_for_slide(page, 1)
            settle(page)
            inside = {"sidebar": sidebar.count() and sidebar.is_visible(), "path": urlsplit(page.url).path}
            page.get_by_role("link", name="Open in").first.click()
            page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=60000)
            settle(page)
            return inside | {"after": sidebar.count() and sidebar.is_visible()}
        finally:
            context.close()

    seen = browser.run(check)
    assert not seen["sidebar"] and seen["path"].endswith("/present")
    assert seen["after"], "the dashboard page reached from the presentation has its sidebar again"


def test_presenting_requests_no_other_host(server: str, browser: Browser) -> None:  # noqa: F811 - the shared fixtures
    hosts = {urlsplit(u).hostname for u in browser.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert any("/present" in u for u in browser.requests)
    assert hosts <= ALLOWED_HOSTS, hosts - ALLOWED_HOSTS
