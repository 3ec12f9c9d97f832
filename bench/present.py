"""Briefing mode timings: a slide change in the browser (key press -> the next slide's chart drawn) on the
real data, and the PPTX (and PDF handout) of a 10-slide briefing with a warm kaleido.

`python -m bench present [--rounds 3] [--repeats 3] [--skip-browser]`; `--follow-only` times the presenter-to-audience
lag alone and prints it (RESULTS.md untouched): `--against DIR` (repeatable) times other checkouts of the app in turns
with this one, briefing by briefing, `--breakdown` splits each follow (room written, doorbell file written, the
audience's read seeing it, its run starting, the new heading shown, its run ending, its chart drawn), `--briefings N` takes the first N.
`--changes-only --changes-against CODE[:DATA]` (repeatable, `--ports`) times slide changes alone on this checkout and
others in turns, briefing by briefing, with each change's CPU in the page's main thread and in the server: on a shared
machine the CPU a change costs is steadier than its wall time. Targets: slide change median under
300 ms; a 10-slide PPTX under 5 s. A press the moment the counter shows is measured against the bare-Streamlit
floor (bench/present_floor.py: the same slide figures switched by Streamlit's button shortcuts), in the same
run, the two pages' passes interleaved; and the lag from a presenter's press to the audience window's slide.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load_test import free_port, wait_healthy
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


COUNTER_JS = """t => { const e = document.querySelector('p.slide-counter'); return !!e && e.innerText.endsWith(t); }"""


def _floor_figures(briefings: dict) -> dict[str, list[dict]]:
    """Every slide's figure as the present page draws it at the design screen (1280x720, scale 1), by briefing."""
    from lib.exports import slides
    from lib.exports.pack import view_for
    from lib.ui.present import SPOTLIGHT_FONT

    loaded = view_for({})[0].loaded
    names = slides.short_names(loaded.dataset)
    out: dict[str, list[dict]] = {}
    for name, briefing in briefings.items():
        items = []
        for number in range(1, len(briefing.slides) + 1):
            content = slides.slide_content(briefing, number, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
            if content.event is not None:
                fig = slides.event_spotlight(loaded.tables.events, loaded.meta, content.event.id)
                fig = slides.for_projection(fig, font=SPOTLIGHT_FONT)
            else:
                assert content.view is not None
                fig = slides.view_figure(content.view, loaded.tables, loaded.meta, loaded.options)
                fig = slides.for_projection(fig, font=slides.PROJECTION_FONT) if fig is not None else None
            spec = json.loads(slides.on_slide(fig, 1.0, names)[0].to_json()) if fig is not None else {}
            items.append({"heading": content.slide.heading, "kind": "spotlight" if content.event else "chart",
                          "spec": spec})  # fmt: skip
        out[name] = items
    return out


def _eager_pass(page, url: str, slides: list) -> tuple[list[float], int]:
    """One pass through a briefing: every other press is made the moment the counter of the slide it leaves shows
    (that slide's run still drawing its chart) and timed until the next slide's heading and chart are drawn and
    the page is idle; the presses between (from a settled slide) are not timed. Returns the times and the timed
    presses that never arrived (30 s)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    count = len(slides)

    def drawn(number: int) -> list[str]:
        kind = "spotlight" if slides[number - 1].event else "chart"
        return [slides[number - 1].heading, f".st-key-present_{kind}_{number} .main-svg"]

    page.goto(url)
    page.wait_for_function(DRAWN_JS, arg=drawn(1), timeout=120000)
    page.wait_for_timeout(500)
    times: list[float] = []
    lost = 0
    number = 1
    while number + 2 <= count:
        page.keyboard.press("ArrowRight")  # from a settled slide: not timed
        try:
            page.wait_for_function(COUNTER_JS, arg=f"Slide {number + 1} of {count}", timeout=30000, polling="raf")
        except PlaywrightTimeout:  # counted with the timed presses lost: one lost press must not end the run
            lost += 1
            break
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")  # the moment the counter shows: timed
        try:
            page.wait_for_function(DRAWN_JS, arg=drawn(number + 2), timeout=30000, polling="raf")
        except PlaywrightTimeout:
            lost += 1
            break
        times.append(time.perf_counter() - start)
        number += 2
    return times, lost


def _drawn(slides: list, number: int) -> list[str]:
    """DRAWN_JS's argument for slide `number`: its heading and its chart's (or spotlight's) drawn SVG."""
    kind = "spotlight" if slides[number - 1].event else "chart"
    return [slides[number - 1].heading, f".st-key-present_{kind}_{number} .main-svg"]


def _paused_pass(page, url: str, slides: list, rounds: int, meter=None, spent: list | None = None) -> list[float]:
    """`rounds` passes through a briefing, ArrowRight pressed 300 ms after the page went idle (a presenter
    pausing), each timed until the next slide's heading and chart are drawn and the page is idle. With `meter` (a
    function returning CPU seconds so far, as a tuple), each change's CPU, up to the pause's end, goes to `spent`."""
    page.goto(url)
    page.wait_for_function(DRAWN_JS, arg=_drawn(slides, 1), timeout=120000)
    page.wait_for_timeout(1000)
    times: list[float] = []
    for _ in range(rounds):
        page.wait_for_timeout(300)
        for number in range(2, len(slides) + 1):
            before = meter() if meter else None
            start = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(DRAWN_JS, arg=_drawn(slides, number), timeout=30000, polling="raf")
            times.append(time.perf_counter() - start)
            page.wait_for_timeout(300)  # a presenter pauses; the previous rerun has finished
            if meter and spent is not None:
                spent.append(tuple(b - a for a, b in zip(before, meter(), strict=True)))
        page.keyboard.press("Home")
        page.wait_for_function(DRAWN_JS, arg=_drawn(slides, 1), timeout=30000)
    return times


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process (and its waited-for children) has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _no_wait_and_follow(browser, port: int, floor_port: int, briefings: dict,
                        rounds: int) -> tuple[list[float], list[float], list[float], int]:  # fmt: skip
    """Presses the moment the counter shows, on the present page and on the bare-Streamlit floor (their passes
    interleaved, the first page alternating by round); then the lag from a press in a presenter's window to the
    audience window (another browser context) showing that slide's heading and chart."""
    eager: list[float] = []
    floor: list[float] = []
    lost = 0
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    for round_ in range(rounds):
        for name, briefing in briefings.items():
            app_url = f"http://127.0.0.1:{port}/present?briefing={name}&slide=1"
            floor_url = f"http://127.0.0.1:{floor_port}/?briefing={name}"
            passes = [(app_url, eager), (floor_url, floor)]
            for url, into in passes if round_ % 2 == 0 else passes[::-1]:
                times, missed = _eager_pass(page, url, briefing.slides)
                into += times
                lost += missed
    page.close()
    lag = follow_lag(browser, port, briefings, rounds)
    return eager, floor, lag, lost


# Injected into the audience window when a follow is broken down: when a doorbell read came back (and what it
# said), and every change of Streamlit's script state (a run starting in this window), by the wall clock.
TRACE_JS = """(() => {
  const t = window.__followTrace = { bell: [], state: [], heading: [] };
  const fetch0 = window.fetch;
  window.fetch = async function (...args) {
    const answer = await fetch0.apply(this, args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (url.includes("/static/rooms/")) {
      answer.clone().text().then((text) => t.bell.push([Date.now(), parseInt(text, 10)]));
    }
    return answer;
  };
  let last = null;
  new MutationObserver(() => {
    const app = document.querySelector("[data-testid=stApp]");
    const state = app && app.dataset.testScriptState;
    if (state !== last) { last = state; t.state.push([Date.now(), state]); }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
  let heading = null;
  new MutationObserver(() => {
    const h = document.querySelector(".st-key-present_heading h1");
    const text = h ? h.innerText.trim() : null;
    if (text !== heading) { heading = text; t.heading.push([Date.now(), text]); }
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();"""
STAGES = ("room row written", "bell file changed", "audience's read sees it", "audience's run starts",
          "audience's heading shown", "audience's run ends", "audience's chart drawn")  # fmt: skip


def _stages(start: float, end: float, room, bell_file: Path | None, trace: dict,
            heading: str = "") -> list[float | None]:  # fmt: skip
    """Seconds from the presenter's press to each of STAGES (None where a stage did not happen: no doorbell)."""
    written = room.moved if room is not None else None
    rang = bell_file.stat().st_mtime if bell_file is not None and bell_file.exists() else None
    version = room.version if room is not None else None
    seen = next((t / 1000 for t, v in trace["bell"] if t / 1000 >= start and version is not None and v >= version),
                None)  # fmt: skip
    after = seen if seen is not None else written if written is not None else start
    run = next((t / 1000 for t, s in trace["state"] if s == "running" and t / 1000 >= after), None)
    shown = next((t / 1000 for t, h in trace.get("heading", []) if h == heading and t / 1000 >= start), None)
    ends = next((t / 1000 for t, s in trace["state"] if s == "notRunning" and run is not None and t / 1000 >= run),
                None)  # fmt: skip
    return [None if at is None else at - start for at in (written, rang, seen, run, shown, ends, end)]


def _task_seconds(cdp) -> float:
    """The main-thread task time (CDP Performance.getMetrics TaskDuration, seconds) of the page `cdp` is attached to."""
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")


def follow_lag(browser, port: int, briefings: dict, rounds: int, *, root: Path = ROOT,
               breakdown: list[list[float | None]] | None = None,
               busy: list[dict] | None = None) -> list[float]:  # fmt: skip
    """The lag from a press in a presenter's window to the audience window (another browser context) showing
    that slide's heading and chart, idle; 0.5 s between presses. With `breakdown`, each press's STAGES are added
    to it (the server at `port` must use the rooms file this process reads and serve `root`'s static folder); with
    `busy`, each press's main-thread task time in each window (CDP), from the press to the audience's slide drawn,
    with the lag and the slide's kind."""
    from lib.ui import rooms

    lag: list[float] = []
    audience_context = browser.new_context(viewport={"width": 1280, "height": 720})
    presenter_context = browser.new_context(viewport={"width": 1280, "height": 720})
    for context in (audience_context, presenter_context):
        context.set_default_navigation_timeout(180000)  # a page load on a loaded 2-core machine: not timed
    if breakdown is not None:
        audience_context.add_init_script(TRACE_JS)
    audience = audience_context.new_page()
    presenter = presenter_context.new_page()
    meters = []
    if busy is not None:
        for page in (presenter, audience):
            meters.append(page.context.new_cdp_session(page))
            meters[-1].send("Performance.enable")
    for name, briefing in briefings.items():
        slides = briefing.slides
        count = len(slides)
        room = f"bench{int(time.time() * 1000) % 10**8}"
        bell_file = root / "static" / "rooms" / rooms.bell_name(name, room)
        audience.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1&room={room}")
        presenter.goto(f"http://127.0.0.1:{port}/present?briefing={name}&slide=1&view=presenter&room={room}")
        for p in (audience, presenter):
            p.wait_for_function(COUNTER_JS, arg=f"Slide 1 of {count}", timeout=120000)
        for _ in range(rounds):
            for number in [*range(2, count + 1), 1]:
                presenter.wait_for_timeout(500)
                kind = "spotlight" if slides[number - 1].event else "chart"
                before = [_task_seconds(cdp) for cdp in meters]
                start, wall = time.perf_counter(), time.time()
                presenter.keyboard.press("ArrowRight" if number > 1 else "Home")
                audience.wait_for_function(DRAWN_JS, arg=[slides[number - 1].heading,
                                                          f".st-key-present_{kind}_{number} .main-svg"],
                                           timeout=30000, polling="raf")  # fmt: skip
                lag.append(time.perf_counter() - start)
                if busy is not None:
                    spent = [_task_seconds(cdp) - b for cdp, b in zip(meters, before, strict=True)]
                    busy.append({"lag": lag[-1], "presenter": spent[0], "audience": spent[1],
                                 "kind": "event" if slides[number - 1].event else slides[number - 1].page})
                if breakdown is not None:
                    trace = audience.evaluate("() => window.__followTrace")
                    breakdown.append(_stages(wall, wall + lag[-1], rooms.get(name, room), bell_file, trace,
                                             slides[number - 1].heading))  # fmt: skip
                    audience.evaluate("() => { const t = window.__followTrace; t.bell = []; t.state = [];"
                                      " t.heading = []; }")  # fmt: skip
    audience_context.close()
    presenter_context.close()
    return lag


def busy_lines(label: str, busy: list[dict]) -> list[str]:
    """Markdown rows: each window's main-thread task time per press (from the press to the audience's slide drawn),
    for all presses, the slowest tenth, and by the slide's kind (its page, or "event")."""
    if not busy:
        return []
    cut = sorted(b["lag"] for b in busy)[int(0.9 * (len(busy) - 1))]
    groups = {"all": busy, "slowest tenth": [b for b in busy if b["lag"] >= cut]}
    for kind in sorted({b["kind"] for b in busy}):
        groups[kind] = [b for b in busy if b["kind"] == kind]
    lines = []
    for group, rows in groups.items():
        lag = statistics.median(b["lag"] for b in rows)
        (pm, pp), (am, ap) = (_quantiles([b[w] for b in rows]) for w in ("presenter", "audience"))
        lines.append(f"| {label}: {group} | {len(rows)} | {ms(lag)} | {ms(pm)} / {ms(pp)} | {ms(am)} / {ms(ap)} |")
    return lines


def breakdown_lines(label: str, breakdown: list[list[float | None]]) -> list[str]:
    """Markdown rows: each stage's median and p95 from the press, and the median step from the stage before."""
    lines = []
    previous: list[float | None] = [0.0] * len(breakdown)
    for index, stage in enumerate(STAGES):
        at = [row[index] for row in breakdown]
        known = [a for a in at if a is not None]
        steps = [a - p for a, p in zip(at, previous, strict=True) if a is not None and p is not None]
        if known:
            median, p95 = _quantiles(known)
            lines.append(f"| {label} | {stage} | {ms(median)} | {ms(p95)} | +{ms(statistics.median(steps))} | "
                         f"{len(known)} |")  # fmt: skip
            previous = [a if a is not None else p for a, p in zip(at, previous, strict=True)]
        else:
            lines.append(f"| {label} | {stage} | — | — | — | 0 |")
    return lines


def _serve(script: str, port: int, env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    try:
        wait_healthy(port, proc, 120)
    except RuntimeError as exc:
        proc.terminate()
        raise SystemExit(f"bench present: {script} did not start on port {port}: {exc}") from exc
    return proc


def time_slide_changes(rounds: int, ports: list[int] | None = None) -> tuple[list[float], list[str], dict[str, list[float]]]:
    """Per key press, the seconds until the next slide's heading and chart are drawn (every shipped briefing),
    a presenter pausing before each press; then presses the moment the counter shows, against the floor; and
    the presenter-to-audience lag."""
    from playwright.sync_api import sync_playwright

    from lib.model.files import write_atomic
    from lib.model.load import load_dataset

    briefings = load_dataset().briefings
    port, floor_port = ports_for(2, ports)
    times: list[float] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "floor.json"
        write_atomic(figures, json.dumps(_floor_figures(briefings)))
        proc = _serve("dashboard.py", port, dict(os.environ))
        floor_proc = _serve("bench/present_floor.py", floor_port, {**os.environ, "BENCH_PRESENT_FLOOR": str(figures)})
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                for name, briefing in briefings.items():
                    times += _paused_pass(page, f"http://127.0.0.1:{port}/present?briefing={name}&slide=1",
                                          briefing.slides, rounds)  # fmt: skip
                page.close()
                eager, floor, lag, lost = _no_wait_and_follow(browser, port, floor_port, briefings, rounds)
                browser.close()
        finally:
            for running in (proc, floor_proc):
                running.terminate()
                running.wait(timeout=15)
    notes.append(f"- {len(times)} slide changes over {len(briefings)} briefings ({rounds} rounds each), Chromium at "
                 "1280×720, ArrowRight pressed 300 ms after the page went idle, timed until the next slide's heading "
                 "and chart (or event spotlight) are in the page and Streamlit is idle.")  # fmt: skip
    notes.append("- No wait: every other press is made the moment the counter of the slide it leaves shows (that "
                 "slide's run is still drawing), timed until the next slide's heading and chart are drawn and the "
                 "page is idle. The floor, bench/present_floor.py, is a bare Streamlit page that switches the same "
                 "slide figures (built as the present page builds them at 1280×720) with Streamlit's own button "
                 "shortcuts; its passes and the present page's alternate, briefing by briefing, in the same run. "
                 f"Timed presses that never moved the slide within 30 s: {lost}.")  # fmt: skip
    notes.append("- Follow: a presenter window and an audience window (two browser contexts, one room), 0.5 s "
                 "between presses, timed from the presenter's press to the audience window showing the slide's "
                 "heading and chart, idle.")  # fmt: skip
    return times, notes, {"eager": eager, "floor": floor, "lag": lag}


def ports_for(servers: int, given: list[int] | None = None) -> list[int]:
    """A port for each of `servers` servers: the `given` ones in order (`--ports`), free ones for the rest."""
    chosen = list(given or [])[:servers]
    return chosen + [free_port() for _ in range(servers - len(chosen))]


def run_changes_only(rounds: int, against: list[str] | None = None, ports: list[int] | None = None,
                     limit: int | None = None) -> str:
    """Slide changes alone (a presenter pausing, and presses the moment the counter shows) on this checkout and on
    each of `against` ("CODE" or "CODE:DATA": another checkout of the app, served with the data folder DATA if
    given), timed in turns briefing by briefing (the order rotating), one server per checkout, so code is compared
    with code at the same load. Printed; RESULTS.md untouched. `ports`: the servers' ports (else free ones)."""
    from playwright.sync_api import sync_playwright

    from lib.model.load import load_dataset

    briefings = load_dataset().briefings
    if limit:
        briefings = dict(list(briefings.items())[:limit])
    arms: list[tuple[str, Path, str | None]] = [("this checkout", ROOT, None)]
    for spec in against or []:
        code, _, data = spec.partition(":")
        arms.append((spec, Path(code).resolve(), str(Path(data).resolve()) if data else None))
    chosen = ports_for(len(arms), ports)
    load = os.getloadavg()[0]
    paused: dict[str, list[float]] = {label: [] for label, _, _ in arms}
    eager: dict[str, list[float]] = {label: [] for label, _, _ in arms}
    spent: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in arms}  # (browser, server) CPU s
    procs = {}
    try:
        for (label, root, data), port in zip(arms, chosen, strict=False):
            env = {**os.environ, **({"DASHBOARD_DATA_DIR": data} if data else {})}
            procs[label] = (_serve("dashboard.py", port, env, cwd=root), port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            def meter(pid: int) -> tuple[float, float]:  # the page's main-thread task time, the server's CPU
                tasks = next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                             if m["name"] == "TaskDuration")  # fmt: skip
                return tasks, _cpu_seconds(pid)

            for label, (_, port) in procs.items():  # a first load builds the data caches: not timed
                page.goto(f"http://127.0.0.1:{port}/present?briefing={next(iter(briefings))}&slide=1")
                page.wait_for_selector("p.slide-counter", timeout=600000)
            turn = 0
            for _ in range(rounds):
                for name, briefing in briefings.items():
                    turn += 1
                    order = arms[turn % len(arms):] + arms[:turn % len(arms)]
                    for label, _, _ in order:
                        url = f"http://127.0.0.1:{procs[label][1]}/present?briefing={name}&slide=1"
                        pid = procs[label][0].pid
                        paused[label] += _paused_pass(page, url, briefing.slides, 1, lambda pid=pid: meter(pid),
                                                      spent[label])  # fmt: skip
                        eager[label] += _eager_pass(page, url, briefing.slides)[0]
            browser.close()
    finally:
        for proc, _ in procs.values():
            proc.terminate()
            proc.wait(timeout=15)
    out = [f"load at start {load:.1f}, at end {os.getloadavg()[0]:.1f}; {rounds} rounds of {len(briefings)} briefings",
           ("| Checkout | Paused: median | p95 | presses | Pressed at once: median | p95 | presses "
            "| CPU per paused change: page's main thread, median | server, median |"),
           "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for label, _, _ in arms:
        pm, pp = _quantiles(paused[label]) if paused[label] else (float("nan"),) * 2
        em, ep = _quantiles(eager[label]) if eager[label] else (float("nan"),) * 2
        page_cpu = statistics.median(b for b, _ in spent[label]) if spent[label] else None
        server_cpu = statistics.median(c for _, c in spent[label]) if spent[label] else None
        out.append(f"| {label} | {ms(pm)} | {ms(pp)} | {len(paused[label])} | {ms(em)} | {ms(ep)} | "
                   f"{len(eager[label])} | {ms(page_cpu)} | {ms(server_cpu)} |")  # fmt: skip
    return "\n".join(out)


def run_follow_only(rounds: int, against: list[Path] | None = None, breakdown: bool = False,
                    limit: int | None = None, ports: list[int] | None = None) -> str:
    """The presenter-to-audience lag alone (a quick re-run after a change to the room's polling). With `against`,
    other checkouts of the app are served beside this one and all are timed in turns, briefing by briefing (the
    order rotating); with `breakdown`, each press is broken down into STAGES; `limit`: the first briefings only;
    `ports`: the servers' ports, this checkout's first (else free ones)."""
    from playwright.sync_api import sync_playwright

    from lib.model.load import load_dataset

    briefings = load_dataset().briefings
    if limit:
        briefings = dict(list(briefings.items())[:limit])
    roots = [ROOT] + [path.resolve() for path in against or []]
    load = os.getloadavg()[0]
    lags: dict[Path, list[float]] = {root: [] for root in roots}
    parts: dict[Path, list[list[float | None]]] = {root: [] for root in roots}
    busy: dict[Path, list[dict]] = {root: [] for root in roots}
    with tempfile.TemporaryDirectory() as folder:
        # one rooms file both this process and the servers use, so the breakdown can read when a room moved
        env = {**os.environ, "DASHBOARD_ROOMS": str(Path(folder) / "rooms.sqlite")}
        os.environ["DASHBOARD_ROOMS"] = env["DASHBOARD_ROOMS"]
        port_of = dict(zip(roots, ports_for(len(roots), ports), strict=True))
        procs = {root: _serve("dashboard.py", port_of[root], env, cwd=root) for root in roots}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                warm = browser.new_page(viewport={"width": 1280, "height": 720})
                for root in roots:  # a first load builds the data caches: not timed
                    warm.goto(f"http://127.0.0.1:{port_of[root]}/present?briefing={next(iter(briefings))}&slide=1")
                    warm.wait_for_selector("p.slide-counter", timeout=600000)
                warm.close()
                turn = 0
                for _ in range(rounds):
                    for name, briefing in briefings.items():  # each briefing on every checkout, in turns
                        turn += 1
                        for root in roots[turn % len(roots):] + roots[:turn % len(roots)]:
                            lags[root] += follow_lag(browser, port_of[root], {name: briefing}, 1, root=root,
                                                     breakdown=parts[root] if breakdown else None,
                                                     busy=busy[root] if breakdown else None)  # fmt: skip
                browser.close()
        finally:
            for proc in procs.values():
                proc.terminate()
                proc.wait(timeout=15)
    out = []
    for root in roots:
        median, p95 = _quantiles(lags[root])
        verdict = "met" if max(median, p95) < TARGET_FOLLOW_S else "NOT met"
        out.append(f"presenter -> audience ({root}): median {ms(median)}, p95 {ms(p95)}, {len(lags[root])} presses, "
                   f"load at start {load:.1f}, at end {os.getloadavg()[0]:.1f}: {verdict} (target {ms(TARGET_FOLLOW_S)})")  # fmt: skip
    if breakdown:
        out += ["", "| Checkout | Stage (from the presenter's press) | Median | p95 | Median step | Presses |",
                "|---|---|---|---|---|---|"]  # fmt: skip
        for root in roots:
            out += breakdown_lines(root.name if root != ROOT else "this checkout", parts[root])
        out += ["", ("| Checkout: presses | Presses | Follow median | Presenter's main thread, median / p95 "
                     "| Audience's main thread, median / p95 |"), "|---|---|---|---|---|"]  # fmt: skip
        for root in roots:
            out += busy_lines(root.name if root != ROOT else "this checkout", busy[root])
    return "\n".join(out)


def _quantiles(values: list[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) of `values`."""
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(rounds: int, repeats: int, browser: bool, ports: list[int] | None = None) -> str:
    wait_for_quiet()
    rows: list[list[object]] = []
    notes: list[str] = []
    if browser:
        times, more, measured = time_slide_changes(rounds, ports)
        notes += more
        floor_median = _quantiles(measured["floor"])[0] if measured["floor"] else None
        for label, values, target in (
            ("Slide change in the browser (key → next chart drawn), presenter pausing", times, TARGET_SLIDE_S),
            ("Slide change, pressed the moment the counter shows", measured["eager"], TARGET_SLIDE_S),
            ("Floor: bare Streamlit page, same figures, same presses", measured["floor"], None),
            ("Presenter's press → audience window on that slide (target: median and p95)", measured["lag"],
             TARGET_FOLLOW_S),
        ):
            if not values:
                continue
            median, p95 = _quantiles(values)
            # "within a second" for the audience is every press's promise: its p95 must be under the target too
            judged = max(median, p95) if target == TARGET_FOLLOW_S else median
            verdict = "—" if target is None else "met" if judged < target else "NOT met"
            rows.append([label, ms(median), ms(p95) + " (p95)", f"{len(values)} presses",
                         ms(target) if target else "—", verdict])  # fmt: skip
        if measured["eager"] and floor_median:
            notes.append(f"- Present page against the floor, pressed the moment the counter shows: "
                         f"{_quantiles(measured['eager'])[0] / floor_median:.2f}× the floor's median.")  # fmt: skip
    deck_rows, more = time_decks(repeats)
    rows += deck_rows
    notes += more
    body = "\n".join([
        "## Briefing mode (present, PPTX, PDF)", "", stamp(), "",
        table(["Measure", "Median", "p95 / Max", "Size", "Target", "Result"], rows), "", *notes,
    ])  # fmt: skip
    write_section("present", body)
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench present", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes through each shipped briefing")
    parser.add_argument("--repeats", type=int, default=3, help="deck builds per format")
    parser.add_argument("--skip-browser", action="store_true", help="only the deck timings")
    parser.add_argument("--follow-only", action="store_true",
                        help="only the presenter-to-audience lag, printed (RESULTS.md is left as it is)")
    parser.add_argument("--against", type=Path, action="append",
                        help="with --follow-only: another checkout of the app, timed in turns (may be repeated)")
    parser.add_argument("--breakdown", action="store_true",
                        help="with --follow-only: each press broken down (room written, bell, read, run, drawn)")
    parser.add_argument("--briefings", type=int, help="with --follow-only/--changes-only: only the first N briefings")
    parser.add_argument("--changes-only", action="store_true",
                        help="only the slide changes (paused and at once), printed; with --changes-against")
    parser.add_argument("--changes-against", action="append", metavar="CODE[:DATA]",
                        help="with --changes-only: another checkout (and data folder) timed in turns with this one")
    parser.add_argument("--ports", type=lambda text: [int(n) for n in text.split(",")],
                        help="the servers' ports, comma-separated (else free ones)")
    args = parser.parse_args(argv)
    if args.changes_only:
        print(run_changes_only(args.rounds, args.changes_against, args.ports, args.briefings))
        return 0
    if args.follow_only:
        print(run_follow_only(args.rounds, args.against, args.breakdown, args.briefings, args.ports))
        return 0
    print(run(args.rounds, args.repeats, not args.skip_browser, args.ports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
