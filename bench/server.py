"""Server time per interaction: each page's rerun after a filter change vs a floor page, with AppTest.

For every page registered in dashboard.py (st.navigation), the harness switches to the page, warms
up, then changes a sidebar filter and reruns many times, timing `AppTest.run()`. The floor page
(bench/floor_page.py) renders the same figures, already built, and nothing else: the difference is
what the page itself costs. Figure JSON bytes per page come from the rendered elements' specs.

`python -m bench server [--reruns 30] [--warmup 3] [--data DIR] [--bulk 100k] [--no-profile]`.

`--bulk SIZE` points the app at a copy of data/ plus a synthetic events.parquet of that size (the
app loads it beside events.yaml). Unless `--no-profile`, a few more reruns per page run under
pyinstrument (after the timed ones, so they do not skew them): the profile is written to
bench/out/server-profile[-SIZE]-<page>.txt and its top-level split goes into RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.results import OUT_DIR, ms, stamp, table, wait_for_quiet, write_section
from lib.model.files import write_atomic
from lib.paths import DATA_DIR_ENV, ROOT

ENTRY = ROOT / "dashboard.py"
FLOOR = Path(__file__).resolve().parent / "floor_page.py"
TIMEOUT_S = 300
TARGET_RATIO = 1.3  # page rerun within 1.3x of its floor
EVENTS_TARGET = 3.0  # issue 24: the events page's rerun within 3x its server-side floor
# Pages with a bare-Streamlit floor of their own: the same elements (widgets with the same options, the same table),
# every value worked out once and kept. Judges whether a target is within Streamlit's reach, as `bench browser` does.
BARE_PAGES = {"app_pages/events.py": "bench/bare_events_page.py"}
PROFILE_RERUNS = 12


def discover_pages(entry: Path = ENTRY) -> list[str]:
    """The page scripts dashboard.py registers with st.Page (paths relative to the repo), else pages/*.py."""
    if entry.is_file():
        found = re.findall(r"st\.Page\(\s*[\"']([^\"']+\.py)[\"']", entry.read_text(encoding="utf-8"))
        if found:
            return list(dict.fromkeys(found))  # a page registered twice (a hidden alias) is measured once
    return sorted(str(p.relative_to(ROOT)) for folder in ("app_pages", "pages") for p in (ROOT / folder).glob("*.py"))


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _changes() -> list[tuple[str, object]]:
    """A cycle of sidebar filter changes that ends where it started (so every rerun differs from the last).

    Changes go through `at.session_state[widget key]`: with st.navigation, AppTest drops the entry
    script's sidebar widgets from its element tree after the first run, so they cannot be clicked.
    """
    from lib.ui import Keys, load

    options = load().options
    changes: list[tuple[str, object]] = []
    if options.countries:
        changes += [(Keys.countries, [next(iter(options.countries))]), (Keys.countries, [])]
    low, high = options.years
    if high - low >= 2:
        changes += [(Keys.years, (low + 1, high - 1)), (Keys.years, (low, high))]
    if options.types:
        changes += [(Keys.types, [next(iter(options.types))]), (Keys.types, [])]
    return changes


def captured_charts(at) -> list[dict]:
    """The charts a run drew: figure, config, JSON bytes, and whether the app's chart element drew it (the floor then
    draws it the same way)."""
    from lib.ui.chart_element import NAME, drawn_charts

    by_element = sum(1 for e in at.get("bidi_component") if e.proto.component_name == NAME)  # listed first
    return [{"spec": el.spec, "config": el.config, "bytes": len(el.raw_spec), "json": el.raw_spec,
             "element": n < by_element} for n, el in enumerate(drawn_charts(at))]  # fmt: skip


def _timed_reruns(at, changes: list[tuple[str, object]], reruns: int, warmup: int) -> list[float] | str:
    """Seconds per rerun after `warmup` untimed ones, each rerun after the next change of the cycle (none
    for an empty cycle); the error message instead if the script raised."""
    times = []
    for n in range(warmup + reruns):
        if changes:
            key, value = changes[n % len(changes)]
            at.session_state[key] = value
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            return str(at.exception[0].message)[:300]
        if n >= warmup:
            times.append(elapsed)
    return times


def _summary(times: list[float] | str, at) -> dict:
    if isinstance(times, str):
        return {"error": times}
    return {"median_s": statistics.median(times), "p95_s": _p95(times), "charts": len(captured_charts(at))}


def measure_page(page: str, reruns: int, warmup: int, profile: str | None = None) -> dict:
    """Median/p95 rerun time after filter changes on `page`, and its figures; with `profile` (a file
    name), also a pyinstrument profile of further reruns."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT_S)
    at.run()
    if page != discover_pages()[0]:
        at.switch_page(page).run()
    if at.exception:
        return {"page": page, "error": str(at.exception[0].message)[:300]}
    changes = _changes()
    times = _timed_reruns(at, changes, reruns, warmup)
    if isinstance(times, str):
        return {"page": page, "error": times}
    # final state = unfiltered (the cycle returns to it): capture what the page drew
    charts = captured_charts(at)
    split = ""
    if profile:
        profiler = _profiled_reruns(at, changes, PROFILE_RERUNS, start=warmup + reruns)
        write_atomic(OUT_DIR / profile, profiler.output_text(unicode=False, color=False, show_all=False))
        split = _split(profiler, page)
    return {"page": page, "median_s": statistics.median(times), "p95_s": _p95(times), "reruns": len(times),
            "changes": [k for k, _ in changes], "charts": charts, "split": split}  # fmt: skip


@contextmanager
def _floor_figures(charts: list[dict]) -> Iterator[None]:
    """The captured figures in the file floor_page.py reads (named by $BENCH_FLOOR_FIGURES), for the block."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, dir=OUT_DIR) as handle:
        json.dump([{"spec": c["spec"], "config": c["config"], "json": c["json"], "element": c["element"]}
                   for c in charts], handle)  # fmt: skip
    os.environ["BENCH_FLOOR_FIGURES"] = handle.name
    try:
        yield
    finally:
        Path(handle.name).unlink(missing_ok=True)


def measure_floor(charts: list[dict], reruns: int, warmup: int) -> dict:
    """Median/p95 rerun time of the floor page drawing the same (already built) figures."""
    from streamlit.testing.v1 import AppTest

    with _floor_figures(charts):
        at = AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT_S)
        return _summary(_timed_reruns(at, [], reruns, warmup), at)


def app_floor_entry(entry: Path = ENTRY) -> Path:
    """dashboard.py with every registered page swapped for the floor page: the app's shared frame
    (data, filter sidebar, briefing button, problems panel) plus figures and nothing else."""
    text = re.sub(r"st\.Page\(\s*[\"'][^\"']+\.py[\"']", f"st.Page({str(FLOOR)!r}", entry.read_text(encoding="utf-8"))
    path = entry.parent / "_bench_app_floor.py"  # beside dashboard.py: same working folder and imports
    write_atomic(path, text.encode("utf-8"))
    return path


def measure_app_floor(charts: list[dict], reruns: int, warmup: int) -> dict:
    """Median/p95 rerun time of dashboard.py's frame with the floor page, after the same filter changes."""
    from streamlit.testing.v1 import AppTest

    entry = app_floor_entry()
    try:
        with _floor_figures(charts):
            at = AppTest.from_file(str(entry), default_timeout=TIMEOUT_S)
            at.run()
            return _summary(_timed_reruns(at, _changes(), reruns, warmup), at)
    finally:
        entry.unlink(missing_ok=True)


def measure_alternating(page: str, reruns: int, warmup: int) -> dict:
    """The page, the empty floor and the page's bare-Streamlit floor (`BARE_PAGES`), one rerun of each in turn after
    the same filter change, so the machine's moments fall on all three alike: median and p95 of each. The warm-up
    shows every view of the cycle twice (each view's table is built the first time it is shown)."""
    from streamlit.testing.v1 import AppTest

    with _floor_figures([]):
        runs = {"page": AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT_S),
                "floor": AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT_S),
                "bare": AppTest.from_file(str(ROOT / BARE_PAGES[page]), default_timeout=TIMEOUT_S)}  # fmt: skip
        for at in runs.values():
            at.run()
        if page != discover_pages()[0]:
            runs["page"].switch_page(page).run()
        changes = _changes()
        times: dict[str, list[float]] = {name: [] for name in runs}
        warm = max(warmup, 2 * len(changes))
        for n in range(warm + reruns):
            key, value = changes[n % len(changes)] if changes else (None, None)
            for name, at in runs.items():
                if key is not None and name != "floor":
                    at.session_state[key] = value
                start = time.perf_counter()
                at.run()
                elapsed = time.perf_counter() - start
                if at.exception:
                    return {"error": f"{name}: {str(at.exception[0].message)[:300]}"}
                if n >= warm:
                    times[name].append(elapsed)
    return {name: {"median_s": statistics.median(t), "p95_s": _p95(t)} for name, t in times.items()}


@contextmanager
def kept_bytecode() -> Iterator[None]:
    """Compile each script once, as `streamlit run` does (one ScriptCache for the server's life): AppTest makes a new
    ScriptCache per run, so every rerun it times would compile dashboard.py and the page again."""
    import streamlit.testing.v1.local_script_runner as runner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test

    shared = ScriptCache()
    saved = app_test.ScriptCache, runner.ScriptCache
    app_test.ScriptCache = runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        app_test.ScriptCache, runner.ScriptCache = saved


def _profiled_reruns(at, changes: list[tuple[str, object]], reruns: int, start: int = 0):
    """Run `reruns` more filter-change reruns with pyinstrument sampling the script thread, continuing the
    cycle of changes at `start` (so they revisit the timed reruns' views, as warm as those were)."""
    import streamlit.testing.v1.local_script_runner as runner
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    original = runner.LocalScriptRunner._run_script_thread

    def profiled(self):
        profiler.start()
        try:
            return original(self)
        finally:
            profiler.stop()

    runner.LocalScriptRunner._run_script_thread = profiled
    try:
        for n in range(start, start + reruns):
            if changes:
                key, value = changes[n % len(changes)]
                at.session_state[key] = value
            at.run()
    finally:
        runner.LocalScriptRunner._run_script_thread = original
    return profiler


def _split(profiler, page: str) -> str:
    """Where the rerun time goes: dashboard.py's own calls, and inside the page script its biggest calls."""
    session = profiler.last_session
    root = profiler.last_session.root_frame() if session else None
    if root is None:
        return ""
    total = sum(f.time for f in _find(root, "dashboard.py", "<module>")) or root.time
    parts: dict[str, float] = {}
    for module in _find(root, "dashboard.py", "<module>"):
        for child in module.children:
            name = "page script" if child.function == "run" else child.function
            parts[name] = parts.get(name, 0.0) + child.time
    inside: dict[str, float] = {}
    for module in _find(root, page, "<module>"):
        for child in module.children:
            inside[child.function] = inside.get(child.function, 0.0) + child.time
    top = sorted(parts.items(), key=lambda kv: -kv[1])[:6]
    top_page = sorted(inside.items(), key=lambda kv: -kv[1])[:6]
    return ("; ".join(f"{k} {v / total:.0%}" for k, v in top) + " — inside the page: "
            + ", ".join(f"{k} {v / total:.0%}" for k, v in top_page))  # fmt: skip


def _find(frame, path_end: str, function: str) -> list:
    """Every frame (outermost first, not nested in one another) running `function` in a file ending `path_end`."""
    if frame.function == function and (frame.file_path or "").endswith(path_end):
        return [frame]
    return [found for child in frame.children for found in _find(child, path_end, function)]


def run(reruns: int = 30, warmup: int = 3, data: str | None = None, bulk: str | None = None,
        profile: bool = True, only: tuple[str, ...] = (), section: str = "server", compile_each_run: bool = False) -> str:
    """Measure every page (or the pages named in `only`, by file stem) against its floor and rewrite the
    `section` section of RESULTS.md. Each script is compiled once, as the server does (`kept_bytecode`), unless
    `compile_each_run` (AppTest's own way)."""
    with contextlib.nullcontext() if compile_each_run else kept_bytecode():
        return _run(reruns, warmup, data, bulk, profile, only, section, compile_each_run)


def _run(reruns: int, warmup: int, data: str | None, bulk: str | None, profile: bool, only: tuple[str, ...],
         section: str, compile_each_run: bool) -> str:  # fmt: skip
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if bulk:
        from bench.scale import SIZES
        from bench.synthetic import synthetic_data_dir

        data = str(synthetic_data_dir(SIZES[bulk], OUT_DIR))
        section = f"{section}-bulk-{bulk}"
    wait_for_quiet()
    started = stamp()
    if data:
        os.environ[DATA_DIR_ENV] = str(Path(data).resolve())
    os.chdir(ROOT)
    pages = [p for p in discover_pages() if not only or Path(p).stem in only]
    rows, sizes, notes, splits = [], [], [], []
    frame_ratios: list[float] = []
    own_ratios: list[float] = []
    verdicts: list[str] = []
    from lib.ui import load

    for page in pages:
        if not (ROOT / page).is_file():
            notes.append(f"- TODO {page}: registered in dashboard.py but the file does not exist yet; not measured.")
            continue
        name = f"server-profile{'-' + bulk if bulk else ''}-{Path(page).stem}.txt"
        result = measure_page(page, reruns, warmup, name if profile else None)
        if "error" in result:
            notes.append(f"- {page}: the page raised `{result['error']}`; not measured.")
            continue
        floor = measure_floor(result["charts"], reruns, warmup)
        frame = measure_app_floor(result["charts"], reruns, warmup)
        if frame.get("median_s") and floor.get("median_s"):
            frame_ratios.append(frame["median_s"] / floor["median_s"])
            own_ratios.append(result["median_s"] / frame["median_s"])
        if page in BARE_PAGES:
            verdicts.append(events_verdict(page, measure_alternating(page, reruns, warmup)))
        page_bytes = [c["bytes"] for c in result["charts"]]
        ratio = result["median_s"] / floor["median_s"] if floor.get("median_s") else None
        rows.append([page, len(page_bytes), ms(result["median_s"]), ms(result["p95_s"]),
                     ms(floor.get("median_s")), ms(floor.get("p95_s")),
                     ms(result["median_s"] - floor["median_s"]) if "median_s" in floor else "—",
                     "—" if ratio is None else f"{ratio:.1f}x {'met' if ratio <= TARGET_RATIO else 'NOT met'}",
                     ms(frame.get("median_s")),
                     f"{result['median_s'] / frame['median_s']:.2f}x" if frame.get("median_s") else "—"])  # fmt: skip
        if result.get("split"):
            splits.append(f"- `{page}` (`bench/out/{name}`): {result['split']}")
        sizes.append([page, f"{sum(page_bytes) / 1000:.0f} kB", ", ".join(f"{b / 1000:.0f} kB" for b in page_bytes)])
        print(f"server {page}: {ms(result['median_s'])} vs floor {ms(floor.get('median_s'))}, "
              f"app frame + floor {ms(frame.get('median_s'))}", flush=True)
    events = len(load().tables.events)
    folder = os.environ.get(DATA_DIR_ENV) or "data/"
    if Path(folder).resolve().is_relative_to(ROOT):  # RESULTS.md is committed: a path in the project, relative
        folder = Path(folder).resolve().relative_to(ROOT).as_posix()
    heading = "## Server: AppTest rerun after a filter change, page vs floor"
    if bulk:
        heading += f" — {bulk} synthetic events in events.parquet beside data/'s YAML"
    if section.split("-bulk-")[0] != "server":
        heading += f" ({section.split('-bulk-')[0]})"
    body = "\n".join([
        heading, "", started, "",
        f"Data: `{folder}` ({events:,} events). {reruns} timed reruns per page after {warmup} warm-up reruns; each "
        "rerun follows one sidebar change (countries, years, event types, cycling back to none). The floor "
        "(`bench/floor_page.py`) renders the same figures, built once and cached, and nothing else. AppTest "
        "runs the script in-process, so times exclude the websocket and the browser. "
        + ("Every rerun compiles the scripts again (AppTest's own way; `streamlit run` compiles each once)."
           if compile_each_run else "Each script is compiled once, as `streamlit run` does (AppTest alone would "
           "compile dashboard.py and the page again on every rerun: `--compile-each-run`)."), "",
        *verdicts,
        "The data folder's version, asked at the start of every rerun of every page (per call, best of 5 repeats):", "",
        version_check_costs(), "",
        table(["page", "charts", "median", "p95", "floor median", "floor p95", "page − floor (median)",
               f"page / floor (median; target ≤ {TARGET_RATIO}x)", "app frame + floor median",
               "page / (app frame + floor)"], rows), "",
        "The last two columns put the floor inside the app's shared frame (dashboard.py with every page "
        "swapped for the floor page, after the same filter changes): what is left is the page's own cost "
        "beyond drawing its figures." + (
            f" The frame alone takes the bare floor's {min(frame_ratios):.1f}–{max(frame_ratios):.1f}x; the pages "
            f"then take {min(own_ratios):.2f}–{max(own_ratios):.2f}x of frame + floor." if frame_ratios else ""), "",
        *(["Why a page costs more than its floor: the floor only hands already-built figures to the element "
           "the page drew them with. A page rerun also runs dashboard.py's shared part (the cached data, the filter "
           "sidebar's four widgets and reset button, the briefing-pack button, the data-problems check) and the "
           "page's own elements (title and \"Showing\" caption, four download buttons under every chart, and "
           "the metrics, tables and choices each page shows). Its figures cost a cache look-up: they are built "
           "once per view and shared (`lib.ui.figure`). The gap is Streamlit elements the floor does not draw, "
           "not figure building.", ""] if any("NOT met" in str(row[-1]) for row in rows) else []),
        *(["Where a page's rerun goes (pyinstrument over further reruns of the same views; shares of the "
           "profiled script time; `page script` is the page file itself, the rest is dashboard.py's shared "
           "sidebar, loading and problems panel):", "", *splits, ""] if splits else []),
        "Figure JSON per page (unfiltered view, from the rendered elements' specs):", "",
        table(["page", "total", "per chart"], sizes), "", *notes,
    ])  # fmt: skip
    write_section(section, body)
    return body


def version_check_costs(extra_files: int = 5000) -> str:
    """What every rerun of every page pays to learn the data folder's version: walking it (one stat per file) against
    the watched check (`lib.model.fingerprint`), on data/ and on a copy of it with `extra_files` more articles."""
    import shutil
    import timeit

    from lib.model.fingerprint import folder_fingerprint, watched_fingerprint
    from lib.paths import data_dir

    def per_call(call: object, number: int) -> float:
        return min(timeit.repeat(call, number=number, repeat=5)) / number  # type: ignore[arg-type]

    rows = []
    with tempfile.TemporaryDirectory(dir=OUT_DIR) as scratch:
        bigger = Path(scratch) / "data"
        shutil.copytree(data_dir(), bigger)
        for n in range(extra_files):
            write_atomic(bigger / "articles" / f"extra-{n}.md", "An added article.\n" * 20)
        for label, folder in (("data/", data_dir()), (f"data/ + {extra_files:,} articles", bigger)):
            files = sum(1 for path in folder.rglob("*") if path.is_file())
            walk = per_call(lambda folder=folder: folder_fingerprint(folder), 20)
            watched_fingerprint(folder)  # the first call walks and sets the watches
            watched = per_call(lambda folder=folder: watched_fingerprint(folder), 2000)
            rows.append([label, f"{files:,}", f"{walk * 1e6:,.0f} us", f"{watched * 1e6:.1f} us"])
    return table(["data folder", "files", "walk (every rerun before round 16)", "watched check (now)"], rows)


def _ms1(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def events_verdict(page: str, runs: dict) -> str:
    """The events target (`EVENTS_TARGET` x the floor) judged as `bench browser` judges (`bench.browser.judge`): met,
    the app's gap (bare Streamlit with the same elements meets it), out of Streamlit's reach, on the line."""
    from bench.browser import judge

    if "error" in runs:
        return f"- `{page}`: not judged: `{runs['error']}`.\n"
    app, empty, same = (runs[name]["median_s"] for name in ("page", "floor", "bare"))
    verdict = judge(app / empty, same / empty, EVENTS_TARGET, None, "x")
    return (f"**`{page}` rerun within {EVENTS_TARGET:.0f}x its server-side floor** (issue 24; the page, the floor and "
            f"bare Streamlit rerun in turn after each change): the app {_ms1(app)} (p95 {_ms1(runs['page']['p95_s'])}) = "
            f"{app / empty:.1f}x the floor ({_ms1(empty)}, an empty script); bare Streamlit sending the same elements "
            f"(`{BARE_PAGES[page]}`: navigation, sidebar widgets with the same options, title, search box, the same "
            f"table, download buttons, captions; nothing worked out per rerun) {_ms1(same)} = {same / empty:.1f}x "
            f"(p95 {_ms1(runs['bare']['p95_s'])}); the app is {app / same:.2f}x bare Streamlit. Verdict: {verdict}.\n")


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench server")
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", help="data folder to point the app at (default: $DASHBOARD_DATA_DIR or data/)")
    parser.add_argument("--bulk", choices=("1k", "10k", "100k", "1m"),
                        help="a copy of data/ plus a synthetic events.parquet of this size")
    parser.add_argument("--no-profile", action="store_true", help="skip the pyinstrument profile of each page")
    parser.add_argument("--pages", default="", help="comma-separated page stems to measure (default: every page)")
    parser.add_argument("--section", default="server", help="RESULTS.md section to write (e.g. server-before)")
    parser.add_argument("--compile-each-run", action="store_true",
                        help="compile the scripts on every rerun, as AppTest does alone (the server compiles once)")
    args = parser.parse_args(argv)
    only = tuple(s.strip() for s in args.pages.split(",") if s.strip())
    print(run(args.reruns, args.warmup, args.data, args.bulk, not args.no_profile, only, args.section,
              args.compile_each_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
