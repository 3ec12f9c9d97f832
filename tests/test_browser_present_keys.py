"""Every press counts, from the first: a presenter's keys in headless Chromium against a real `streamlit run`.

The server runs on a copy of the real data with one more briefing, "long": the two shipped briefings' slides
one after the other, so ten presses forward have ten slides to go to.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from lib.model.load import load_dataset
from tests.conftest import REAL_DATA
from tests.test_browser import CHROMIUM, SCREENSHOTS, Browser, serve_dashboard, settle

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
    b.run(lambda br: _warm(br, server), timeout=600)
    yield b
    b.close()


def _warm(br: Any, base: str) -> None:
    context = br.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{base}/present?briefing={LONG}&slide=1", timeout=300000)
    page.wait_for_selector(COUNTER, timeout=300000)  # a new server's first page (its caches cold): minutes under load
    settle(page)
    context.close()


def slide_in_url(page: Any) -> str:
    return parse_qs(urlsplit(page.url).query).get("slide", [""])[0]


def wait_for_counter(page: Any, number: int, count: int, timeout: int = 30000) -> None:
    """Wait until the counter shows slide `number`; on a timeout, fail saying what it shows (a press lost or doubled)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("t => { const e = document.querySelector('p.slide-counter');"
                               " return e && e.innerText.endsWith(t); }", arg=f"Slide {number} of {count}",
                               timeout=timeout)  # fmt: skip
    except PlaywrightTimeout:
        shown = page.evaluate("() => { const e = document.querySelector('p.slide-counter'); return e && e.innerText; }")
        pytest.fail(f"the counter shows {shown!r} after {timeout} ms, not slide {number} of {count} (address {page.url})")


# What the page shows as one slide: the counter's number, the heading(s) and the bars in the page. Read once the page
# is idle by Streamlit's own script state (tests.test_browser.settle): in the first half second of a run, before its
# status widget shows, the run may have drawn the new counter but not yet the heading, which rounds 8 and 9 took
# for an older run's heading left behind (and answered with a "heal" run in lib.ui.slide_keys, now gone).
SHOWN = """() => {
  const counter = document.querySelector('p.slide-counter');
  const number = counter && /Slide (\\d+) of/.exec(counter.innerText);
  return {slide: number ? parseInt(number[1], 10) : null,
          headings: [...document.querySelectorAll('.st-key-present_heading h1')].map((h) => h.innerText.trim()),
          bars: document.querySelectorAll('.st-key-present_bar').length};
}"""


def disagreement(page: Any, briefing: Any) -> str | None:
    """None when the page shows one bar and the heading of the slide its counter names; else what it shows."""
    shown = page.evaluate(SHOWN)
    number = shown["slide"]
    want = [briefing.slides[number - 1].heading] if number and 1 <= number <= len(briefing.slides) else None
    if shown["headings"] == want and shown["bars"] == 1:
        return None
    return f"counter at slide {number}, expected heading {want}: {shown}"


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
                # a new page load, a new session (its load is not what is tested: up to 2 min on a loaded machine)
                page.goto(f"{server}/present?briefing={LONG}&slide={start}", timeout=120000)
                page.wait_for_selector(COUNTER, timeout=60000)
                page.keyboard.press("ArrowRight")  # no wait: the counter has just appeared
                try:
                    wait_for_counter(page, start + 1, count, timeout=15000)
                    moved.append(slide_in_url(page))
                except Exception:  # noqa: BLE001 - a lost press is what we count
                    moved.append(f"lost at {start}")
                if attempt % 5 == 4:  # now and then, the page once idle: the heading is the counter's slide's
                    settle(page)
                    odd = disagreement(page, briefing)
                    if odd:
                        moved.append(odd)
            return moved
        finally:
            context.close()

    moved = browser.run(check, timeout=900)  # twenty page loads: minutes on a loaded 2-core machine
    assert moved == [str(2 + attempt % 5) for attempt in range(20)], moved


# Holds back the browser's own message for a press (Streamlit's widget manager sends pending triggers from a
# zero-delay timer) by a second, so the room-polling fragment's auto-rerun, every 0.4 s, which sends every
# widget's state, carries the press first: what happens now and then when a press meets the polling.
HOLD_BACK_PRESSES = """(() => {
  const later = window.setTimeout;
  window.setTimeout = function (fn, ms, ...rest) {
    if (!ms && typeof fn === 'function' && String(fn).includes('pendingTriggerIds')) {
      window.__heldBack = (window.__heldBack || 0) + 1;
      ms = 1000;
    }
    return later.call(this, fn, ms, ...rest);
  };
})();"""


def test_a_press_that_rides_on_the_room_polling_rerun_moves_the_slide(server: str, browser: Browser,
                                                                     briefing: Any) -> None:  # fmt: skip
    count = len(briefing.slides)

    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        context.add_init_script(HOLD_BACK_PRESSES)
        page = context.new_page()
        seen: dict = {"moved": [], "held": []}
        try:
            for start in (1, 2, 3):
                page.goto(f"{server}/present?briefing={LONG}&slide={start}")
                page.wait_for_selector(COUNTER, timeout=60000)
                settle(page)  # the first run is over: the polling runs at once, with the press
                page.keyboard.press("ArrowRight")
                try:
                    wait_for_counter(page, start + 1, count, timeout=15000)
                    settle(page)
                    seen["moved"].append((slide_in_url(page), page.locator(COUNTER).inner_text()[-len("Slide 9 of 99"):]))
                except Exception:  # noqa: BLE001 - a lost press is what we count
                    seen["moved"].append(f"lost at {start}")
                seen["held"].append(page.evaluate("window.__heldBack || 0"))
            return seen
        finally:
            context.close()

    seen = browser.run(check)
    assert all(held >= 1 for held in seen["held"]), f"each press was held back: {seen}"
    assert [m if isinstance(m, str) else m[0] for m in seen["moved"]] == ["2", "3", "4"], seen
    assert all(isinstance(m, tuple) and m[1].endswith(f"Slide {n} of {count}")
               for m, n in zip(seen["moved"], (2, 3, 4), strict=True)), seen  # fmt: skip


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
            settle(page)
            forward = (slide_in_url(page), page.locator(".st-key-present_heading h1").inner_text().strip())
            odd = [disagreement(page, briefing)]
            for _ in range(3):  # and back, as fast
                page.keyboard.press("ArrowLeft")
                page.wait_for_timeout(80)
            wait_for_counter(page, 8, count)
            settle(page)
            odd.append(disagreement(page, briefing))
            return {"forward": forward, "back": slide_in_url(page), "counter": page.locator(COUNTER).inner_text(),
                    "odd": odd}  # fmt: skip
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["odd"] == [None, None], seen["odd"]
    assert seen["forward"] == ("11", briefing.slides[10].heading)
    assert seen["back"] == "8" and seen["counter"].endswith(f"Slide 8 of {count}"), seen


def test_ten_clicks_on_next_80_ms_apart_move_ten_slides_and_back_returns(server: str, browser: Browser,
                                                                        briefing: Any) -> None:  # fmt: skip
    """The on-screen buttons are numbered presses like the keys (a click during a change is not lost or doubled);
    the browser's Back goes to the slide before (the address each move wrote), as a press."""
    count = len(briefing.slides)

    def check(br: Any) -> dict:
        context = br.new_context(viewport=VIEWPORT)
        page = context.new_page()
        try:
            page.goto(f"{server}/present?briefing={LONG}&slide=1")
            page.wait_for_selector(".st-key-present_next button:not([disabled])", timeout=60000)
            for _ in range(10):
                # .first: for a moment after a page load the bar can be in the page twice (the first run's, fading)
                page.locator(".st-key-present_next button").first.click(force=True, no_wait_after=True)
                page.wait_for_timeout(80)
            wait_for_counter(page, 11, count)
            settle(page)
            forward = (slide_in_url(page), page.locator(".st-key-present_heading h1").inner_text().strip())
            page.locator(".st-key-present_next button").first.click()
            wait_for_counter(page, 12, count)
            settle(page)
            page.go_back()  # the address before this click's: slide 11
            wait_for_counter(page, 11, count)
            settle(page)
            return {"forward": forward, "back": slide_in_url(page),
                    "heading": page.locator(".st-key-present_heading h1").inner_text().strip()}  # fmt: skip
        finally:
            context.close()

    seen = browser.run(check)
    assert seen["forward"] == ("11", briefing.slides[10].heading), seen
    assert seen["back"] == "11" and seen["heading"] == briefing.slides[10].heading, seen


def test_a_click_in_the_presenters_slide_list_moves_both_windows(server: str, browser: Browser,
                                                                briefing: Any) -> None:  # fmt: skip
    count = len(briefing.slides)

    def check(br: Any) -> dict:
        contexts = [br.new_context(viewport=VIEWPORT) for _ in range(2)]
        audience, presenter = (context.new_page() for context in contexts)
        room = f"list{time.time_ns()}"  # a new room: the rooms file outlives a test run
        try:
            audience.goto(f"{server}/present?briefing={LONG}&slide=1&room={room}")
            presenter.goto(f"{server}/present?briefing={LONG}&slide=1&view=presenter&room={room}")
            for page in (audience, presenter):
                wait_for_counter(page, 1, count, timeout=60000)
            settle(presenter)
            presenter.get_by_text("Every slide").click()
            presenter.locator(".st-key-presenter_goto_7 button").first.click()
            wait_for_counter(presenter, 7, count)
            wait_for_counter(audience, 7, count)
            settle(audience)
            return {"presenter": slide_in_url(presenter), "audience": slide_in_url(audience),
                    "heading": audience.locator(".st-key-present_heading h1").inner_text().strip()}  # fmt: skip
        finally:
            for context in contexts:
                context.close()

    seen = browser.run(check)
    assert seen == {"presenter": "7", "audience": "7", "heading": briefing.slides[6].heading}, seen


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
            settle(page)
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
                settle(audience)
                text = " ".join(audience.locator("body").inner_text().split())
                seen["notes_on_audience"] += [n[:60] for n in notes if n[:60] in text]
                seen["audience"].append(slide_in_url(audience))
                try:
                    presenter.wait_for_function("n => { const e = document.querySelector('.st-key-presenter_notes');"
                                                " return e && e.innerText.split(/\\s+/).join(' ').includes(n); }",
                                                arg=notes[number - 1][:80], timeout=15000)  # fmt: skip
                    seen["presenter"].append(True)
                    if number == 2:  # the README's picture of the presenter view
                        settle(presenter)
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
# What a slide measures: does anything scroll (the document, or Streamlit's main pane, whose overflow the slide hides),
# the quotes shown whole, and the share of the screen the chart's plot area takes (the cartesian subplots' drag
# areas, or the map's geo area), the largest chart text (its type scales with the screen).
MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const area = (sel) => [...document.querySelectorAll(sel)].filter((e) => !e.closest('.st-key-presenter_now'))
    .map((e) => e.getBoundingClientRect()).reduce((sum, b) => sum + b.width * b.height, 0);
  const quotes = [...document.querySelectorAll('.st-key-present_event blockquote')].map((q) => {
    const b = q.getBoundingClientRect();
    return {text: q.innerText, whole: b.top >= 0 && b.bottom <= innerHeight + 1 && b.right <= innerWidth + 1
            && q.scrollHeight <= q.clientHeight + 1};
  });
  const ticks = [...document.querySelectorAll('.st-key-present_chart .xtick text, .st-key-present_chart .ytick text')];
  return {
    document: document.scrollingElement.scrollHeight - innerHeight,
    main: main.scrollHeight - main.clientHeight,
    quotes: quotes,
    plot: (area('.st-key-present_chart .draglayer .nsewdrag') + area('.st-key-present_chart .geolayer g.bg rect'))
          / (innerWidth * innerHeight),
    spot: area('.st-key-present_spot .draglayer .nsewdrag') / (innerWidth * innerHeight),
    tick: Math.max(0, ...ticks.map((t) => t.getBoundingClientRect().height)),
  };
}"""
SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
# The slide heading's type and the largest type of an event's text, in px.
TEXT_SIZES = """() => {
  const h = document.querySelector('.st-key-present_heading h1');
  return {heading: h ? parseFloat(getComputedStyle(h).fontSize) : 0,
          text: Math.max(0, ...[...document.querySelectorAll('.st-key-present_event p')].map(
            (e) => parseFloat(getComputedStyle(e).fontSize)))};
}"""


def wait_for_heading(page: Any, heading: str) -> None:
    page.wait_for_function("h => { const e = document.querySelector('.st-key-present_heading h1');"
                           " return e && e.innerText.trim() === h; }", arg=heading, timeout=60000)  # fmt: skip


def each_slide_drawn(page: Any, url: str, briefing: Any, *, wait_for_base_map: bool = False) -> Iterator[tuple[int, Any]]:
    """Open `url` and move through the briefing's slides with ArrowRight, as a presenter does; yield (number, slide)
    once each slide's heading and chart are drawn and the page has settled."""
    page.goto(url)
    page.wait_for_selector(COUNTER, timeout=60000)
    for number, slide in enumerate(briefing.slides, start=1):
        if number > 1:
            page.keyboard.press("ArrowRight")
        wait_for_heading(page, slide.heading)
        kind = "spotlight" if slide.event else "chart"
        page.wait_for_selector(f".st-key-present_{kind}_{number} .main-svg", timeout=60000)
        if wait_for_base_map and slide.page == "map":  # the base map is drawn after the figure's frame
            page.wait_for_selector(".st-key-present_chart .geolayer g.bg rect", timeout=60000)
        settle(page)
        yield number, slide


def every_slide_drawn(br: Any, size: tuple[int, int], shipped: dict, url: Callable[[str], str], *,
                      wait_for_base_map: bool = False) -> Iterator[tuple[Any, str, int, Any]]:  # fmt: skip
    """Each briefing of `shipped` opened at `url(name)` in one page of `size`, and each of its slides reached with the
    keys (`each_slide_drawn`): yield (page, briefing name, slide number, slide); the page's context is closed after."""
    context = br.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        for name, briefing in shipped.items():
            for number, slide in each_slide_drawn(page, url(name), briefing, wait_for_base_map=wait_for_base_map):
                yield page, name, number, slide
    finally:
        context.close()


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def every_slide(request: pytest.FixtureRequest, server: str, browser: Browser, data: Path) -> dict:
    """Every slide of every briefing in the data folder (read now: whatever briefings ship), moved to with
    the keys as a presenter does, measured at one screen size."""
    size = request.param
    shipped = {name: b for name, b in load_dataset(data).briefings.items() if name != LONG}
    assert shipped, "the data folder ships at least one briefing"

    def check(br: Any) -> dict:
        return {(name, number): page.evaluate(MEASURE) | {"over": page.evaluate(OVERFLOW), "event": slide.event,
                                                          "page": slide.page}
                for page, name, number, slide in every_slide_drawn(br, size, shipped, lambda name: (
                    f"{server}/present?briefing={name}&slide=1"), wait_for_base_map=True)}  # fmt: skip

    return {"size": size, "slides": browser.run(check), "events": {e.id: e for e in load_dataset(data).events}}


def test_every_shipped_slide_fits_the_screen(every_slide: dict) -> None:
    cut = {}
    for where, seen in every_slide["slides"].items():
        # the page scrolls, or any text, quote, link, button or chart ends past the screen's edge (Streamlit's main
        # pane hides its overflow: a few px of empty padding below the last element, 7 px on some event slides at
        # 1920x1080, scroll nothing and cut nothing, so that pane's own scroll height is not the measure)
        if seen["document"] > 0 or seen["over"]:
            cut[where] = {"document": seen["document"], "main": seen["main"], "over": seen["over"]}
        if seen["event"]:
            event = every_slide["events"][seen["event"]]
            verbatim = {" ".join(s.quote.split()) for s in event.sources}
            shown = [" ".join(q["text"].split())[1:-1] for q in seen["quotes"]]  # inside the slide's “…”
            if not shown or not all(q in verbatim for q in shown) or not all(q["whole"] for q in seen["quotes"]):
                cut[f"{where} quote"] = seen["quotes"]
    assert cut == {}, f"at {every_slide['size']}: every slide's text, quotes and chart are whole on the screen"


def test_an_event_slides_heading_stays_its_largest_text(server: str, browser: Browser, data: Path) -> None:
    """An event's text is fitted to the space, but never as large as the slide's heading: fitted to the window's
    height alone, a short event's text outgrew it and its first line (the date, in bold) read as the heading's
    second line. The first event slide of every shipped briefing, at each screen size."""
    shipped = {name: b for name, b in load_dataset(data).briefings.items() if name != LONG}
    firsts = {name: next((n for n, s in enumerate(b.slides, start=1) if s.event), None) for name, b in shipped.items()}
    firsts = {name: number for name, number in firsts.items() if number is not None}
    assert firsts, "the shipped briefings have event slides"

    def check(br: Any) -> dict:
        sizes = {}
        for width, height in SIZES:
            context = br.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, number in firsts.items():
                page.goto(f"{server}/present?briefing={name}&slide={number}")
                wait_for_heading(page, shipped[name].slides[number - 1].heading)
                page.wait_for_selector(f".st-key-present_spotlight_{number} .main-svg", timeout=60000)
                settle(page)
                page.wait_for_timeout(500)  # the fit runs on the next frame once the run is over
                sizes[(name, number, width)] = page.evaluate(TEXT_SIZES)
            context.close()
        return sizes

    sizes = browser.run(check)
    large = {where: size for where, size in sizes.items() if not 0 < size["text"] < size["heading"]}
    assert large == {}, "the heading stays larger than the event's largest text (px)"


def test_a_chart_slides_plot_area_covers_half_the_screen(every_slide: dict) -> None:
    charts = {where: round(s["plot"], 3) for where, s in every_slide["slides"].items() if not s["event"]}
    assert charts, "the shipped briefings have chart slides"
    small = {where: share for where, share in charts.items() if share < 0.5}
    assert small == {}, f"at {every_slide['size']}: the plot area (not only its box) covers half the screen"
    spots = {where: round(s["spot"], 3) for where, s in every_slide["slides"].items() if s["event"]}
    assert all(share >= 0.15 for share in spots.values()), f"an event's spotlight chart is large enough to read: {spots}"


# What the presenter's window measures: does it scroll (the document, or Streamlit's main pane, which it does not hide),
# and does any text, link, button or chart shown end past the screen (a closed expander's content is not shown).
PRESENTER_MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const shown = (e) => !e.closest('details:not([open]) > :not(summary)');
  const over = [...document.querySelectorAll(['p', 'h1', 'blockquote', '.main-svg', 'a', 'button', 'summary']
      .map((s) => '[data-testid=stMain] ' + s).join(', '))].filter(shown)
    .map((e) => [e, e.getBoundingClientRect()]).filter(([e, b]) => b.height > 0 && b.width > 0
      && (b.bottom > innerHeight + 1 || b.right > innerWidth + 1))
    .map(([e, b]) => `${e.tagName} ${(e.textContent || '').trim().slice(0, 40)} ends at ${Math.round(b.right)}x${Math.round(b.bottom)}`);
  // the preview's chart: the height its plot (the cartesian subplots' y axes, as plotly.js laid them out: the still
  // preview has no drag areas to measure) takes of the chart's box
  const box = document.querySelector('.st-key-presenter_now [data-testid=dashboardChart]');
  const full = box && box._fullLayout;  // the chart element's box is plotly.js's graph div
  const ys = full ? Object.keys(full).filter((k) => /^yaxis[0-9]*$/.test(k)).map((k) => full[k]) : [];
  const plot = ys.length ? (Math.max(...ys.map((a) => a._offset + a._length)) - Math.min(...ys.map((a) => a._offset)))
    / box.getBoundingClientRect().height : null;
  return {document: document.scrollingElement.scrollHeight - innerHeight, main: main.scrollHeight - main.clientHeight,
          over: over, plot: plot};
}"""


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def presenter_every_slide(request: pytest.FixtureRequest, server: str, browser: Browser, data: Path) -> dict:
    """The presenter's window on every slide of every briefing in the data folder, moved with the keys, at one screen
    size; on each briefing's first slide also with its slide list opened."""
    size = request.param
    shipped = {name: b for name, b in load_dataset(data).briefings.items() if name != LONG}

    def url(name: str) -> str:
        return f"{server}/present?briefing={name}&slide=1&view=presenter&room=fit{size[0]}{int(time.time() * 1000) % 10**8}"

    def check(br: Any) -> dict:
        seen: dict = {}
        for page, name, number, _ in every_slide_drawn(br, size, shipped, url):
            seen[(name, number)] = page.evaluate(PRESENTER_MEASURE)
            if number == 1:
                page.get_by_text("Every slide").click()
                page.wait_for_selector(".st-key-presenter_goto_1 button", state="visible", timeout=10000)
                settle(page)
                seen[(name, "slide list open")] = page.evaluate(PRESENTER_MEASURE)
                page.get_by_text("Every slide").click()
                settle(page)
        return seen

    return {"size": size, "slides": browser.run(check, timeout=900)}


def test_the_presenters_window_never_scrolls(presenter_every_slide: dict) -> None:
    scrolls = {where: seen for where, seen in presenter_every_slide["slides"].items()
               if seen["document"] > 0 or seen["main"] > 0 or seen["over"]}  # fmt: skip
    assert scrolls == {}, f"at {presenter_every_slide['size']}: the presenter's window fits every slide on the screen"


def test_the_presenters_chart_preview_keeps_half_its_box_for_the_plot(presenter_every_slide: dict) -> None:
    # round 12: a stance chart's twenty legend entries under the plot left it a fifth of the box at 1280x720
    plots = {where: round(seen["plot"], 2) for where, seen in presenter_every_slide["slides"].items()
             if seen.get("plot") is not None}  # fmt: skip
    assert plots, "the shipped briefings have chart slides with axes"
    cramped = {where: share for where, share in plots.items() if share < 0.5}
    assert cramped == {}, f"at {presenter_every_slide['size']}: the preview's plot takes half its chart's height"


def _steady_tick(page: Any, seconds: float = 20.0) -> float:
    """The tick label height once it stops changing: a screen other than the design size redraws the chart
    at its scale in one more run after the first, which a busy machine can deliver after the page settled."""
    readings: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        idle = page.evaluate("() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState")
        readings.append(page.evaluate(MEASURE)["tick"] if idle == "notRunning" else -1.0)
        if len(readings) >= 4 and readings[-1] >= 0 and len(set(readings[-4:])) == 1:
            return readings[-1]
        page.wait_for_timeout(250)
    return readings[-1]


def test_chart_text_scales_with_the_screen(server: str, browser: Browser, data: Path) -> None:
    shipped = {name: b for name, b in load_dataset(data).briefings.items() if name != LONG}
    name, number = next((name, n) for name, b in shipped.items() for n, s in enumerate(b.slides, start=1)
                        if s.page in ("timeline", "stance", "overview"))  # fmt: skip

    def check(br: Any) -> dict:
        heights = {}
        for size in SIZES:
            context = br.new_context(viewport={"width": size[0], "height": size[1]})
            page = context.new_page()
            try:
                page.goto(f"{server}/present?briefing={name}&slide={number}")
                page.wait_for_selector(f".st-key-present_chart_{number} .main-svg", timeout=60000)
                settle(page)
                heights[size] = _steady_tick(page)
            finally:
                context.close()
        return heights

    heights = browser.run(check)
    small, middle, large = (heights[size] for size in SIZES)
    assert small < middle < large and large >= 1.3 * middle, f"tick label heights (px) by screen size: {heights}"
