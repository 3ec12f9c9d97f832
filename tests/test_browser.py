"""Every page in headless Chromium, opened by permalink from a real `streamlit run` server.

Checks that the charts render (the map's country shapes are in the DOM, drawn from the shipped
topojson), that the link's filters are applied, that selecting points shows the event or filters
the table, that a changed view round-trips through its URL, and that the browser never requests
any host but the app's own. Saves a screenshot of each page to docs/screenshots/<page>.png.

Playwright runs in a worker thread: its sync API refuses to start in a thread where another
library (e.g. an earlier test) left an asyncio loop running.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lib.model.load import load_dataset
from lib.wording import year_range
from tests.conftest import REAL_DATA

ROOT = Path(__file__).resolve().parent.parent
LAST_YEAR = max(int(e.date[:4]) for e in load_dataset(REAL_DATA).events)
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
WIDTH = 1400

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_dashboard(data: Path, env_extra: dict[str, str], log_name: str | Path, args: tuple[str, ...] = (),
                    port: int | None = None, startup: float = 60) -> Iterator[str]:
    """Run `streamlit run dashboard.py` on `data` (extra environment in `env_extra`, extra command-line `args`)
    until closed; yields its URL. The log goes to `.pytest_cache/<log_name>`, or to `log_name` if it is a path."""
    port = port or free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), **env_extra}
    (ROOT / ".pytest_cache").mkdir(exist_ok=True)
    log_path = log_name if isinstance(log_name, Path) else ROOT / ".pytest_cache" / log_name
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"streamlit did not start; {log_path}:\n" + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """One `streamlit run dashboard.py` for the module, on the real data."""
    yield from serve_dashboard(REAL_DATA, {}, "streamlit-browser-test.log")


class Browser:
    """A Chromium page driven from one worker thread; `run(fn)` executes fn(page) there."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._jobs: list[tuple[Callable[[Any], Any], list[Any], threading.Event]] = []
        self._wake = threading.Condition()
        self._stop = False
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        self._ready.wait(60)
        if self._error:
            raise self._error

    def _loop(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                self._browser = browser
                self._ready.set()
                while True:
                    with self._wake:
                        while not self._jobs and not self._stop:
                            self._wake.wait()
                        if self._stop and not self._jobs:
                            break
                        fn, box, done = self._jobs.pop(0)
                    try:
                        box.append(("ok", fn(browser)))
                    except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
                        box.append(("error", exc))
                    done.set()
                browser.close()
        except BaseException as exc:  # noqa: BLE001
            self._error = exc
            self._ready.set()

    def run(self, fn: Callable[[Any], Any], timeout: float = 180) -> Any:
        box: list[Any] = []
        done = threading.Event()
        with self._wake:
            self._jobs.append((fn, box, done))
            self._wake.notify()
        if not done.wait(timeout):
            raise TimeoutError("browser job timed out")
        kind, value = box[0]
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        with self._wake:
            self._stop = True
            self._wake.notify()
        self._thread.join(30)


def warmed_browser(server: str) -> Iterator[Browser]:
    """A Browser for `server`, closed after its last use, whose first page load is already done: Streamlit's first
    load after start can be slow (imports, first data load)."""
    b = Browser()
    b.run(lambda br: visit_page(br, server, "/", b.requests, charts=2)[0].close())
    yield b
    b.close()


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    yield from warmed_browser(server)


def visit_page(br: Any, base: str, path: str, requests: list[str], *, charts: int, height: int = 1100):
    """Open `path` in a fresh context (a new visitor), wait until `charts` Plotly charts are drawn."""
    context = br.new_context(viewport={"width": WIDTH, "height": height})
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + path)
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]', timeout=60000)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=60000
        )
    else:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=60000)
    settle(page)
    return context, page


# Idle by the app's own script state: Streamlit shows its status widget only once a run has lasted 500 ms, so a
# page without it may be in the first half second of a run (on a loaded machine, the run that has drawn a new slide's
# counter but not yet its heading: round 8 and 9's "stale heading" in tests/test_browser_present_keys.py).
IDLE_JS = """() => { const app = document.querySelector('[data-testid=stApp]');
  return !!app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]'); }"""


def settle(page: Any) -> None:
    """Wait until Streamlit has finished running the script and the DOM stopped changing (idle, and idle again
    800 ms later; a page that polls may run between the two looks: up to three tries)."""
    for _ in range(3):
        page.wait_for_function(IDLE_JS, timeout=60000)
        page.wait_for_timeout(800)
        if page.evaluate(IDLE_JS):
            return


def element_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _screenshot(page: Any, name: str) -> None:
    """A screenshot of the whole page: the viewport grown to the height of the main content."""
    height = page.evaluate(
        "document.querySelector('[data-testid=\"stMainBlockContainer\"]').getBoundingClientRect().bottom"
    )
    page.mouse.move(2, 2)  # no hover label over the chart
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 60, 4000)})
    page.wait_for_timeout(700)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _click_point(page: Any, locator: Any) -> None:
    """Click a Plotly point as a person does: hover it first (Plotly picks the hovered point), then click."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 20, y - 20)
    page.mouse.move(x, y, steps=5)
    page.wait_for_timeout(300)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.up()


def select_point(page: Any, locator: Any, expect: str) -> None:
    """Click a point until the page shows `expect` (a selector).

    Measured here: Plotly reports the selection at once, but Streamlit drops a selection made in the
    first few seconds after a fresh page load; so try up to four times."""
    for attempt in range(4):
        _click_point(page, locator)
        try:
            page.wait_for_selector(expect, timeout=3000)
            return
        except Exception:
            if attempt == 3:
                raise
            settle(page)


def _sidebar_countries(page: Any) -> str:
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()


# --- the pages ------------------------------------------------------------------------------------


def test_overview_by_permalink(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/overview?country=KAZ,TJK&from=2010", browser.requests, charts=2)
        try:
            result = {"text": element_text(page), "sidebar": _sidebar_countries(page), "url": page.url,
                      "bars": page.locator(".js-plotly-plot .barlayer .point").count(),
                      "tables": page.evaluate("[...document.querySelectorAll('[data-testid=\"stDataFrame\"], [data-testid=\"stTable\"]')]"
                                              ".filter(t => !t.closest('[data-testid=\"stExpander\"]')).length")}  # fmt: skip
            result["periods_headers"] = page.evaluate("[...document.querySelectorAll('[data-testid=\"stHtml\"] table th')]"
                                                      ".map(th => th.textContent.trim())")  # fmt: skip
            result["grid_code"] = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)"
                                                ".filter(n => /\\/(DataFrame|arrowFormatUtils)[.-]/.test(n))")  # fmt: skip
            _screenshot(page, "overview")
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert "Page not found" not in seen["text"]
    assert f"Showing: Kazakhstan, Tajikistan · {year_range(2010, LAST_YEAR)}" in seen["text"]
    assert "Kazakhstan" in seen["sidebar"] and "Tajikistan" in seen["sidebar"]
    assert seen["bars"] > 0
    assert "Periods" in seen["text"] and "Source articles" in seen["text"] and seen["tables"] == 0, \
        "no grid and no st.table: the periods are an HTML table, the articles a list, their grid opens on demand"
    assert seen["periods_headers"][:3] == ["Period", "From", "To"], "the periods: a real table with header cells"
    assert seen["grid_code"] == [], "no data grid's frontend code on the overview's first sight"
    assert "country=KAZ%2CTJK" in seen["url"] or "country=KAZ,TJK" in seen["url"]
    assert f"to={LAST_YEAR}" in seen["url"], "the one-ended link is written back with both ends of the years"


def test_timeline_by_permalink_and_selecting_an_event_shows_its_source(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/timeline?country=KAZ&from=2010&to=2012&rows=country",
                               browser.requests, charts=1)  # fmt: skip
        try:
            result: dict = {"text_before": element_text(page),
                            "markers": page.locator(".js-plotly-plot .scatterlayer .point").count()}  # fmt: skip
            select_point(page, page.locator(".js-plotly-plot .scatterlayer .point").first,
                          '[data-testid="stMain"] blockquote')  # fmt: skip
            settle(page)
            result["text_after"] = element_text(page)
            _screenshot(page, "timeline")
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert "Timeline of events by country" in seen["text_before"]
    assert "Showing: Kazakhstan · 2010–2012" in seen["text_before"]
    assert seen["markers"] > 0
    assert "Open the original article" in seen["text_after"] or "Article text, quote highlighted" in seen["text_after"]


def test_stance_by_permalink_and_selecting_a_point_shows_its_quote(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/stance?target=taliban", browser.requests, charts=2)
        try:
            result: dict = {"text_before": element_text(page),
                            "heat": page.locator(".js-plotly-plot .hm, .js-plotly-plot image").count()}  # fmt: skip
            select_point(page, page.locator(".js-plotly-plot").first.locator(".scatterlayer .point").last,
                          '[data-testid="stMain"] blockquote')  # fmt: skip
            settle(page)
            result["text_after"] = element_text(page)
            _screenshot(page, "stance")
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert "Stance toward the Taliban over time" in seen["text_before"]
    assert "Mean stance toward the Taliban by period" in seen["text_before"]
    assert seen["heat"] >= 1
    assert "Article text, quote highlighted" in seen["text_after"]


def test_map_by_permalink_draws_country_shapes_offline_and_clicking_filters_the_table(
    server: str, browser: Browser
) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/map?country=TJK,KAZ&from=2010", browser.requests, charts=1, height=1300)
        try:
            page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length >= 6", timeout=60000)
            result: dict = {"shapes": page.locator(".geo path.choroplethlocation").count(),
                            "land": page.locator(".geo .layer.land path, .geo path.land").count(),
                            "text_before": element_text(page)}  # fmt: skip
            # each country's path carries its ISO-3 code in plotly's data (the view is fitted, so sizes vary)
            codes = page.evaluate("Array.from(document.querySelectorAll('path.choroplethlocation'))"
                                  ".map(p => p.__data__ && p.__data__.loc)")  # fmt: skip
            result["clicked"] = "KAZ" in codes
            if result["clicked"]:
                select_point(page, page.locator("path.choroplethlocation").nth(codes.index("KAZ")),
                              'h2:has-text("Events concerning")')  # fmt: skip
            settle(page)
            result["text_after"] = element_text(page)
            _screenshot(page, "map")
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["shapes"] >= 6
    assert seen["land"] >= 1, "the base map (land) is drawn from the shipped topojson"
    assert "Events by country" in seen["text_before"] and f"Showing: Tajikistan, Kazakhstan · {year_range(2010, LAST_YEAR)}" in seen[
        "text_before"]  # fmt: skip
    assert seen["clicked"] and "Events concerning Kazakhstan" in seen["text_after"]


def test_events_by_permalink_search_and_open_an_event(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/events?actor=taliban", browser.requests, charts=0, height=1300)
        try:
            result: dict = {"text_before": element_text(page)}
            page.get_by_label("Search the events").fill("warn ISAF")
            page.get_by_label("Search the events").press("Enter")
            settle(page)
            result["text_search"] = element_text(page)
            page.locator('[data-testid="stSelectbox"]').last.click()
            page.locator('[role="option"]').first.click()
            page.wait_for_selector('[data-testid="stMain"] blockquote', timeout=30000)
            settle(page)
            result["text_after"] = element_text(page)
            result["marks"] = page.locator('[data-testid="stMain"] [data-testid="stExpander"] strong').count()
            _screenshot(page, "events")
            return result
        finally:
            context.close()

    seen = browser.run(check)
    assert "Showing: involving Taliban" in seen["text_before"]
    assert "contain “warn ISAF”" in seen["text_search"]
    assert "Article text, quote highlighted" in seen["text_after"] and seen["marks"] >= 1


def test_a_changed_view_round_trips_through_its_url(server: str, browser: Browser) -> None:
    def check(br: Any) -> dict:
        context, page = visit_page(br, server, "/timeline?country=TJK", browser.requests, charts=1)
        try:
            page.get_by_text("Country", exact=True).click()
            page.wait_for_url("**rows=country**", timeout=30000)
            settle(page)
            link = page.url
        finally:
            context.close()
        context, page = visit_page(br, server, urlsplit(link).path + "?" + urlsplit(link).query, browser.requests,
                               charts=1)  # fmt: skip
        try:
            return {"link": link, "text": element_text(page), "sidebar": _sidebar_countries(page)}
        finally:
            context.close()

    seen = browser.run(check)
    assert "rows=country" in seen["link"]
    assert "Timeline of events by country" in seen["text"] and "Showing: Tajikistan" in seen["text"]
    assert "Tajikistan" in seen["sidebar"]


def test_a_bad_link_shows_notes_not_a_crash(server: str, browser: Browser) -> None:
    def check(br: Any) -> str:
        context, page = visit_page(br, server, "/map?country=KAZ,XYZ&from=nineteen&metric=colour", browser.requests,
                               charts=1)  # fmt: skip
        try:
            return page.locator("body").inner_text()
        finally:
            context.close()

    text = browser.run(check)
    assert "XYZ" in text and "nineteen" in text and "colour" in text
    assert "Events by country" in text


def test_no_host_but_the_app_is_ever_requested(server: str, browser: Browser) -> None:
    hosts = {urlsplit(u).hostname for u in browser.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert browser.requests and hosts <= ALLOWED_HOSTS, hosts - ALLOWED_HOSTS
