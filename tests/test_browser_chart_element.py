"""Corners of the chart element (lib/ui/chart_element.py, static/plotly/chart_element.js) in headless Chromium, from a
real `streamlit run` server on a small fixture data folder:
- the mode-bar camera ("Download plot as a PNG"): a click saves a real PNG (signature, size, the pixel size and file
  name the chart's config asks for, a drawn picture rather than a blank one), and neither the page nor the download
  asks any host but the app's own;
- leaving a chart (a page change) lets plotly.js forget it: no window listener of a chart that is gone.

The camera is on the mode bar only when the server cannot export images itself (`lib.ui.render.chart_config`): the
server here is started with BROWSER_PATH naming no browser, as on a machine without Chromium, where the camera is the
reader's only way to a picture of the chart."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bench.load_test import CHART_SELECTOR
from lib.exports.export import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH
from lib.model.load import load_dataset
from tests.test_browser import (  # noqa: F401
    ALLOWED_HOSTS,
    Browser,
    pytestmark,  # fmt: skip
    serve_dashboard,
    settle,
    visit_page,
    warmed_browser,
)
from tests.test_browser_map import map_folder

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# plotly.js 4 titles it "Download plot as a PNG" (the format as given, upper case; 2.x wrote "png")
CAMERA = '.modebar-btn[data-title="Download plot as a png" i]'

# The chart's plotly.js graph div: the chart element draws into its .dashboard-chart, st.plotly_chart inside it
GRAPH_JS = "c => (c.matches('.js-plotly-plot') ? c : c.querySelector('.js-plotly-plot'))"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = map_folder(tmp_path_factory.mktemp("camera") / "data")
    assert load_dataset(folder).problems == []
    return folder


@pytest.fixture(scope="module")
def server(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    no_browser = tmp_path_factory.mktemp("no-browser") / "chromium"  # does not exist: static export unavailable
    yield from serve_dashboard(data, {"BROWSER_PATH": str(no_browser)}, "streamlit-browser-chart-download.log")


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    yield from warmed_browser(server)


def _local(url: str) -> bool:
    """Whether a request stays on the app's own server: http(s)/ws(s) to it, a blob: of its origin, or a data: URL."""
    if url.startswith("data:"):
        return True
    parts = urlsplit(url.removeprefix("blob:"))
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in ALLOWED_HOSTS


def _png_facts(raw: bytes) -> dict:
    """A PNG's signature, pixel size (from its IHDR chunk) and how much of it is drawn (decoded with Pillow)."""
    from PIL import Image

    width, height = struct.unpack(">II", raw[16:24])
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image.thumbnail((400, 400))  # enough to tell a drawn chart from a blank one, quick to count
    counts = image.getcolors(image.width * image.height)  # [(count, colour), ...]
    white = sum(n for n, colour in counts if min(colour) >= 250)
    return {"ihdr": raw[12:16], "size": (width, height), "colours": len(counts),
            "drawn_share": 1 - white / (image.width * image.height)}


@pytest.mark.parametrize("path", ["/timeline?country=TJK", "/map?country=TJK"])
def test_the_mode_bar_camera_downloads_a_png_of_the_chart(server: str, browser: Browser, path: str) -> None:
    requests: list[str] = []

    def check(br: Any) -> dict:
        context, page = visit_page(br, server, path, requests, charts=1, height=1300)
        try:
            chart = page.locator(CHART_SELECTOR).first
            asked = chart.evaluate(GRAPH_JS + "._context.toImageButtonOptions")
            chart.hover()  # plotly.js shows the mode bar while the pointer is over the chart
            camera = chart.locator(CAMERA)
            camera.wait_for(state="visible", timeout=30000)
            with page.expect_download(timeout=60000) as info:
                camera.click()
            download = info.value
            raw = Path(download.path()).read_bytes()
            page.wait_for_timeout(500)  # anything the click set off has asked by now
            return {"raw": raw, "name": download.suggested_filename, "url": download.url[:60], "asked": asked}
        finally:
            context.close()

    seen = browser.run(check)
    raw = seen["raw"]
    assert raw[:8] == PNG_SIGNATURE, f"not a PNG: starts {raw[:16]!r} (from {seen['url']})"
    assert len(raw) > 20_000, f"{len(raw)} bytes: too small for a drawn {EXPORT_WIDTH}x{EXPORT_HEIGHT} chart"
    facts = _png_facts(raw)
    assert facts["ihdr"] == b"IHDR"
    assert facts["size"] == (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE), facts["size"]
    assert facts["colours"] > 50 and facts["drawn_share"] > 0.1, facts  # plot area, marks, text: not a blank canvas
    assert seen["asked"]["format"] == "png" and seen["name"] == f"{seen['asked']['filename']}.png", (seen["name"], seen["asked"])
    assert "TJK" in seen["name"], "the file is named for the view shown"
    assert _local(seen["url"]), seen["url"]
    assert requests and all(_local(u) for u in requests), [u for u in requests if not _local(u)]


# Window "resize" listeners, read through the DevTools protocol (getEventListeners is the console's, not the page's).
RESIZE_LISTENERS = "(getEventListeners(window).resize || []).length"


def test_a_chart_that_is_left_leaves_no_listener_behind(server: str, browser: Browser) -> None:
    def check(br: Any) -> list[tuple[str, int, int]]:
        context, page = visit_page(br, server, "/timeline?country=TJK", [], charts=1, height=1300)
        try:
            cdp = context.new_cdp_session(page)

            def count(where: str) -> tuple[str, int, int]:
                found = cdp.send("Runtime.evaluate", {"expression": RESIZE_LISTENERS, "includeCommandLineAPI": True,
                                                      "returnByValue": True})  # fmt: skip
                return where, found["result"]["value"], page.locator(".js-plotly-plot").count()

            seen = [count("timeline")]
            for _ in range(3):
                for path in ("map", "stance", "timeline"):
                    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first.click()
                    page.wait_for_url(f"**/{path}**", timeout=60000)
                    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1",
                                           timeout=60000)  # fmt: skip
                    settle(page)
                    seen.append(count(path))
            return seen
        finally:
            context.close()

    seen = browser.run(check)
    # (page, window resize listeners, charts on the page): each chart on the page may hold one listener (plotly.js's
    # responsive resize), the rest are the app's own and must not grow with the charts that were drawn and left
    others = [listeners - charts for _, listeners, charts in seen]
    assert max(others) == others[0], seen
