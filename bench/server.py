"""Server time per interaction: each page's rerun after a filter change vs a floor page, with AppTest.

For every page registered in dashboard.py (st.navigation), the harness switches to the page, warms
up, then changes a sidebar filter and reruns many times, timing `AppTest.run()`. The floor page
(bench/floor_page.py) renders the same figures, already built, and nothing else: the difference is
what the page itself costs. Figure JSON bytes per page come from the rendered elements' specs.

`python -m bench server [--reruns 30] [--warmup 3] [--data DIR] [--bulk 100k]`.

`--bulk SIZE` points the app at a copy of data/ plus a synthetic events.parquet of that size and
SIMULATES the proposed wiring of lib.bulk (wraps lib.tables.build_tables in this process with
`lib.bulk.tables_with_bulk`), so the pages can be timed at scale before the lead wires it in.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.results import OUT_DIR, ms, stamp, table, write_section
from lib.paths import DATA_DIR_ENV, ROOT

ENTRY = ROOT / "dashboard.py"
FLOOR = Path(__file__).resolve().parent / "floor_page.py"
TIMEOUT_S = 300


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


def _charts(at) -> list[dict]:
    return [{"spec": json.loads(el.proto.spec), "config": json.loads(el.proto.config or "{}"),
             "bytes": len(el.proto.spec)} for el in at.get("plotly_chart")]  # fmt: skip


def measure_page(page: str, reruns: int, warmup: int) -> dict:
    """Median/p95 rerun time after filter changes on `page`, and its figures."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT_S)
    at.run()
    if page != discover_pages()[0]:
        at.switch_page(page).run()
    if at.exception:
        return {"page": page, "error": str(at.exception[0].message)[:300]}
    changes = _changes()
    times = []
    for n in range(warmup + reruns):
        if changes:
            key, value = changes[n % len(changes)]
            at.session_state[key] = value
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            return {"page": page, "error": str(at.exception[0].message)[:300]}
        if n >= warmup:
            times.append(elapsed)
    # final state = unfiltered (the cycle returns to it): capture what the page drew
    charts = _charts(at)
    return {"page": page, "median_s": statistics.median(times), "p95_s": _p95(times), "reruns": len(times),
            "changes": [k for k, _ in changes], "charts": charts}  # fmt: skip


def measure_floor(charts: list[dict], reruns: int, warmup: int) -> dict:
    """Median/p95 rerun time of the floor page drawing the same (already built) figures."""
    from streamlit.testing.v1 import AppTest

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, dir=OUT_DIR) as handle:
        json.dump([{"spec": c["spec"], "config": c["config"]} for c in charts], handle)
    os.environ["BENCH_FLOOR_FIGURES"] = handle.name
    try:
        at = AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT_S)
        times = []
        for n in range(warmup + reruns):
            start = time.perf_counter()
            at.run()
            if n >= warmup:
                times.append(time.perf_counter() - start)
        if at.exception:
            return {"error": str(at.exception[0].message)[:300]}
        return {"median_s": statistics.median(times), "p95_s": _p95(times), "charts": len(at.get("plotly_chart"))}
    finally:
        Path(handle.name).unlink(missing_ok=True)


def simulate_bulk_wiring() -> None:
    """In this process only: build_tables also loads data/events.parquet (the proposed wiring)."""
    import inspect

    import lib.tables
    import lib.ui
    from lib.bulk import tables_with_bulk

    original = lib.tables.build_tables
    if getattr(original, "_bench_bulk", False) or any(
        "tables_with_bulk" in inspect.getsource(module) for module in (lib.tables, lib.ui)
    ):
        return  # already wired for real

    def build_tables(ds):  # noqa: ANN001, ANN202
        return tables_with_bulk(ds, original(ds))

    build_tables._bench_bulk = True  # type: ignore[attr-defined]
    lib.tables.build_tables = build_tables


def run(reruns: int = 30, warmup: int = 3, data: str | None = None, bulk: str | None = None) -> str:
    """Measure every page against its floor and rewrite the server section of RESULTS.md."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started = stamp()
    section = "server"
    if bulk:
        from bench.scale import SIZES
        from bench.synthetic import synthetic_data_dir

        data = str(synthetic_data_dir(SIZES[bulk], OUT_DIR))
        simulate_bulk_wiring()
        section = f"server-bulk-{bulk}"
    if data:
        os.environ[DATA_DIR_ENV] = str(Path(data).resolve())
    os.chdir(ROOT)
    pages = discover_pages()
    rows, sizes, notes = [], [], []
    from lib.ui import load

    for page in pages:
        if not (ROOT / page).is_file():
            notes.append(f"- TODO {page}: registered in dashboard.py but the file does not exist yet; not measured.")
            continue
        result = measure_page(page, reruns, warmup)
        if "error" in result:
            notes.append(f"- {page}: the page raised `{result['error']}`; not measured.")
            continue
        floor = measure_floor(result["charts"], reruns, warmup)
        page_bytes = [c["bytes"] for c in result["charts"]]
        rows.append([page, len(page_bytes), ms(result["median_s"]), ms(result["p95_s"]),
                     ms(floor.get("median_s")), ms(floor.get("p95_s")),
                     ms(result["median_s"] - floor["median_s"]) if "median_s" in floor else "—"])  # fmt: skip
        sizes.append([page, f"{sum(page_bytes) / 1000:.0f} kB", ", ".join(f"{b / 1000:.0f} kB" for b in page_bytes)])
        print(f"server {page}: {ms(result['median_s'])} vs floor {ms(floor.get('median_s'))}", flush=True)
    events = len(load().tables.events)
    folder = os.environ.get(DATA_DIR_ENV) or "data/"
    heading = "## Server: AppTest rerun after a filter change, page vs floor"
    if bulk:
        heading += f" — {bulk} synthetic events, bulk wiring SIMULATED (lib.bulk.tables_with_bulk around build_tables)"
    body = "\n".join([
        heading, "", started, "",
        f"Data: `{folder}` ({events:,} events). {reruns} timed reruns per page after {warmup} warm-up reruns; each "
        "rerun follows one sidebar change (countries, years, event types, cycling back to none). The floor "
        "(`bench/floor_page.py`) renders the same figures, built once and cached, and nothing else. AppTest "
        "runs the script in-process, so times exclude the websocket and the browser.", "",
        table(["page", "charts", "median", "p95", "floor median", "floor p95", "page − floor (median)"], rows), "",
        "Figure JSON per page (unfiltered view, from the rendered elements' specs):", "",
        table(["page", "total", "per chart"], sizes), "", *notes,
    ])  # fmt: skip
    write_section(section, body)
    return body


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench server")
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--data", help="data folder to point the app at (default: $DASHBOARD_DATA_DIR or data/)")
    parser.add_argument("--bulk", choices=("1k", "10k", "100k", "1m"),
                        help="synthetic events.parquet of this size, with the bulk wiring simulated")
    args = parser.parse_args(argv)
    print(run(args.reruns, args.warmup, args.data, args.bulk))
    return 0


if __name__ == "__main__":
    sys.exit(main())
