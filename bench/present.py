"""Briefing mode timings: a slide change in the browser (key press -> the next slide's chart drawn) on the
real data, and the PPTX (and PDF handout) of a 10-slide briefing with a warm kaleido.

`python -m bench present [--rounds 3] [--repeats 3] [--skip-browser]`. Targets: slide change median under
300 ms; a 10-slide PPTX under 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.results import ms, stamp, table, wait_for_quiet, write_section

ROOT = Path(__file__).resolve().parent.parent
TARGET_SLIDE_S = 0.3
TARGET_PPTX_S = 5.0
TARGET_FOLLOW_S = 1.0  # the audience window follows the presenter within a second
DECK_SLIDES = 10
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
DRAWN_JS = """([heading, selector]) => {
  const h = document.querySelector('.st-key-present_heading h1');
  return !!h && h.innerText.trim() === heading && !!document.querySelector(selector)
    && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def _briefing_of(slides_wanted: int):
    """A briefing of `slides_wanted` slides from the shipped ones (their slides in turn), and the loaded data."""
    from lib.exports.pack import view_for
    from lib.model.briefings import Briefing

    view, _ = view_for({})
    loaded = view.loaded
    pool = [s for b in loaded.dataset.briefings.values() for s in b.slides]
    if not pool:
        raise SystemExit("bench present: no briefings in the data folder")
    chosen = [pool[n % len(pool)] for n in range(slides_wanted)]
    return Briefing(title=f"Benchmark briefing ({slides_wanted} slides)", slides=chosen), loaded


def time_decks(repeats: int) -> tuple[list[list[object]], list[str]]:
    """The 10-slide deck as PPTX and PDF, after the export browser is warm."""
    from lib.exports import deck, export

    rows, notes = [], []
    available, why = export.static_export_available()
    if not available:
        return rows, [f"- Not measured: {why}"]
    briefing, loaded = _briefing_of(DECK_SLIDES)
    start = time.perf_counter()
    export.warm_up()
    first = deck.build_pptx(briefing, loaded)
    notes.append(f"- First PPTX in a fresh process (starting the export browser): {time.perf_counter() - start:.1f} s; "
                 f"{len(first) / 1024:.0f} KB.")  # fmt: skip
    for fmt in ("pptx", "pdf"):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            data = deck.build(briefing, loaded, fmt)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        target = TARGET_PPTX_S if fmt == "pptx" else None
        verdict = "—" if target is None else ("met" if median < target else "NOT met")
        rows.append([f"{DECK_SLIDES}-slide {fmt.upper()} (warm exporter)", f"{median:.2f} s", f"{max(times):.2f} s",
                     f"{len(data) / 1024:.0f} KB", f"{target:.0f} s" if target else "—", verdict])  # fmt: skip
    return rows, notes


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


COUNTER_JS = """t => { const e = document.querySelector('p.slide-counter'); return !!e && e.innerText.endsWith(t); }"""


def _no_wait_and_follow(browser, port: int, briefings: dict, rounds: int) -> tuple[list[float], list[float]]:
    """Key presses with no pause (pressed the moment the counter shows, timed to the next chart drawn), and the
    lag from a press in a presenter's window to the audience window (another browser context) showing it."""
    eager: list[float] = []
    lag: list[float] = []
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    for name, briefing in briefings.items():
        slides = briefing.slides
        count = len(slides)
        for _ in range(rounds):
            page.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1")
            page.wait_for_function(COUNTER_JS, arg=f"Slide 1 of {count}", timeout=120000)
            for number in range(2, count + 1):
                start = time.perf_counter()
                page.keyboard.press("ArrowRight")
                kind = "spotlight" if slides[number - 1].event else "chart"
                page.wait_for_function(DRAWN_JS, arg=[slides[number - 1].heading,
                                                      f".st-key-present_{kind}_{number} .main-svg"],
                                       timeout=30000, polling="raf")  # fmt: skip
                eager.append(time.perf_counter() - start)
    page.close()
    audience_context, presenter_context = browser.new_context(), browser.new_context()
    audience = audience_context.new_page()
    presenter = presenter_context.new_page()
    for name, briefing in briefings.items():
        count = len(briefing.slides)
        room = f"bench{int(time.time() * 1000) % 10**8}"
        audience.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1&room={room}")
        presenter.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1&view=presenter&room={room}")
        for p in (audience, presenter):
            p.wait_for_function(COUNTER_JS, arg=f"Slide 1 of {count}", timeout=120000)
        for _ in range(rounds):
            for number in [*range(2, count + 1), 1]:
                presenter.wait_for_timeout(500)
                start = time.perf_counter()
                presenter.keyboard.press("ArrowRight" if number > 1 else "Home")
                audience.wait_for_function(COUNTER_JS, arg=f"Slide {number} of {count}", timeout=30000, polling="raf")
                lag.append(time.perf_counter() - start)
    audience_context.close()
    presenter_context.close()
    return eager, lag


def time_slide_changes(rounds: int) -> tuple[list[float], list[str], list[float], list[float]]:
    """Per key press, the seconds until the next slide's heading and chart are drawn (every shipped briefing);
    then the same with no pause before a press, and the presenter-to-audience lag."""
    import urllib.request

    from playwright.sync_api import sync_playwright

    from lib.model.load import load_dataset

    briefings = load_dataset().briefings
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))  # fmt: skip
    times: list[float] = []
    notes: list[str] = []
    eager: list[float] = []
    lag: list[float] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            for name, briefing in briefings.items():
                slides = briefing.slides

                def target(number: int, slides: list = slides) -> list[str]:
                    kind = "spotlight" if slides[number - 1].event else "chart"
                    return [slides[number - 1].heading, f".st-key-present_{kind}_{number} .main-svg"]

                page.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1")
                page.wait_for_function(DRAWN_JS, arg=target(1), timeout=120000)
                page.wait_for_timeout(1000)
                for _ in range(rounds):
                    for number in range(2, len(slides) + 1):
                        page.wait_for_timeout(300)  # a presenter pauses; the previous rerun has finished
                        start = time.perf_counter()
                        page.keyboard.press("ArrowRight")
                        page.wait_for_function(DRAWN_JS, arg=target(number), timeout=30000, polling="raf")
                        times.append(time.perf_counter() - start)
                    page.keyboard.press("Home")
                    page.wait_for_function(DRAWN_JS, arg=target(1), timeout=30000)
            eager, lag = _no_wait_and_follow(browser, port, briefings, rounds)
            browser.close()
        notes.append(f"- {len(times)} slide changes over {len(briefings)} briefings ({rounds} rounds each), "
                     "Chromium at 1280×720, ArrowRight pressed, timed until the next slide's heading and chart "
                     "(or event spotlight) are in the page and Streamlit is idle.")  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return times, notes, eager, lag


def run(rounds: int, repeats: int, browser: bool) -> str:
    wait_for_quiet()
    rows: list[list[object]] = []
    notes: list[str] = []
    if browser:
        times, more, eager, lag = time_slide_changes(rounds)
        notes += more
        for label, values, target in (
            ("Slide change in the browser (key → next chart drawn)", times, TARGET_SLIDE_S),
            ("Slide change, pressed the moment the counter shows", eager, TARGET_SLIDE_S),
            ("Presenter's press → audience window on that slide", lag, TARGET_FOLLOW_S),
        ):
            if values:
                median = statistics.median(values)
                p95 = sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
                rows.append([label, ms(median), ms(p95) + " (p95)", f"{len(values)} presses", ms(target),
                             "met" if median < target else "NOT met"])  # fmt: skip
        notes.append("- No pause: each press the moment the previous slide's counter shows (the key handler is "
                     "ready then), timed to the next slide's chart drawn. Follow: a presenter window and an "
                     "audience window (two browser contexts, one room), 0.5 s between presses.")  # fmt: skip
    deck_rows, more = time_decks(repeats)
    rows += deck_rows
    notes += more
    body = "\n".join([
        "## Briefing mode (present, PPTX, PDF)", "", stamp(), "",
        table(["Measure", "Median", "Max", "Size", "Target", "Result"], rows), "", *notes,
    ])  # fmt: skip
    write_section("present", body)
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench present", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes through each shipped briefing")
    parser.add_argument("--repeats", type=int, default=3, help="deck builds per format")
    parser.add_argument("--skip-browser", action="store_true", help="only the deck timings")
    args = parser.parse_args(argv)
    print(run(args.rounds, args.repeats, not args.skip_browser))
    return 0


if __name__ == "__main__":
    sys.exit(main())
