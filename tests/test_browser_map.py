"""The regional map's event points in headless Chromium, from a real `streamlit run` server: the markers
are drawn, a click or the keyboard chooser shows the event with its quote, the layers choice lives in
the link, and the browser requests no host but the app's own."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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


def test_points_are_drawn_and_clicking_one_shows_its_event(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/map?country=TJK", browser.requests, charts=1, height=1300)
        try:
            page.wait_for_function(f"document.querySelectorAll('{POINTS}').length >= 3", timeout=60000)
            result: dict = {"points": page.locator(POINTS).count(),
                            "shapes": page.locator(".geo path.choroplethlocation").count(),
                            "text_before": element_text(page)}  # fmt: skip
            # the exact-place trace is drawn last, over the areas: Khujand, the only town in this view
            select_point(page, page.locator(POINTS).last, '[data-testid="stMain"] blockquote')
            settle(page)
            result["text_after"] = element_text(page)
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["points"] >= 3 and seen["shapes"] >= 6
    assert "Events by country and place" in seen["text_before"]
    assert "Suicide car bombers attack a police station" in seen["text_after"]
    assert "Place: Khujand (exact place)" in seen["text_after"] and "second city" in seen["text_after"]


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
