"""Export timings: PNG/SVG/PDF per figure after the first with a warm kaleido, and the whole briefing pack.

Two layers are timed:
- raw: `plotly.io.to_image` on the pages' real figures after `kaleido.start_sync_server()` (the floor
  any exporter pays), with the offline topojson set as in FIELD-NOTES;
- the project's `lib.exports.export.figure_bytes` / `export_figure` and `lib.exports.pack.build_pack` (PDF and
  HTML); a missing module or function is reported as TODO, never timed as something else.

`python -m bench export [--repeats 5]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable

from bench.results import ms, stamp, table, wait_for_quiet, write_section
from lib.paths import TOPOJSON_DIR

FORMATS = ("png", "svg", "pdf")
PACK_FORMATS = ("pdf", "html")
TARGET_CHART_S = 0.5  # per chart export once kaleido is warm
TARGET_PACK_S = 5.0  # the whole briefing pack


def _figures() -> dict[str, object]:
    """Every page's figures for the unfiltered real data, named page/index."""
    from bench.pages import View, available_pages
    from lib.model.filters import Filters
    from lib.model.load import load_dataset
    from lib.model.tables import build_tables
    from lib.views.style import ChartMeta

    ds = load_dataset()
    tables = build_tables(ds)
    view = View(Filters().apply(tables), tables, ChartMeta.from_dataset(ds), "All events")
    pages, _ = available_pages()
    return {f"{page}/{n}": fig for page, build in pages.items() for n, fig in enumerate(build(view))}


def _time_each(figures: dict[str, object], export: Callable[[object, str], bytes], repeats: int) -> dict[str, dict]:
    """Per format: first call, then median and max of the following calls over every figure."""
    out = {}
    for fmt in FORMATS:
        first_fig = next(iter(figures.values()))
        start = time.perf_counter()
        export(first_fig, fmt)
        first = time.perf_counter() - start
        times, sizes, per_figure = [], [], {}
        for _ in range(repeats):
            for name, fig in figures.items():
                start = time.perf_counter()
                data = export(fig, fmt)
                times.append(time.perf_counter() - start)
                per_figure.setdefault(name, []).append(times[-1])
                sizes.append(len(data) if data else 0)
        slowest = max(per_figure, key=lambda name: statistics.median(per_figure[name]))
        out[fmt] = {"first": first, "median": statistics.median(times), "max": max(times), "n": len(times),
                    "bytes": statistics.median(sizes), "slowest": slowest,
                    "slowest_median": statistics.median(per_figure[slowest])}  # fmt: skip
    return out


def _project_exports(figures: dict[str, object], repeats: int, rows: list[list[object]], notes: list[str],
                     measured: dict[str, dict]) -> None:
    """Time lib.exports.export.figure_bytes and export_figure (with the title/filters/source footer) per format."""
    try:
        from lib.exports import export
    except ImportError as exc:
        notes.append(f"- TODO project exporter: `lib.exports.export` cannot be imported ({exc}); not measured.")
        return
    if not hasattr(export, "figure_bytes"):
        notes.append("- TODO project exporter: `lib.exports.export.figure_bytes` not found; adapt `bench/export.py`.")
        return
    start = time.perf_counter()
    if hasattr(export, "warm_up"):
        export.warm_up()
    notes.append(f"- `lib.exports.export.warm_up()` (its own warm kaleido): {ms(time.perf_counter() - start)}.")
    for label, call in (
        ("`lib.exports.export.figure_bytes`", lambda fig, fmt: export.figure_bytes(fig, fmt)),
        ("`lib.exports.export.export_figure` (with footer)",
         lambda fig, fmt: export.export_figure(fig, fmt, source_line="Source: benchmark", exported_on="2026-01-01")),
    ):  # fmt: skip
        if label.startswith("`lib.exports.export.export_figure") and not hasattr(export, "export_figure"):
            continue
        for fmt, r in _time_each(figures, call, repeats).items():
            measured[f"{label} {fmt}"] = r
            rows.append([label, fmt.upper(), ms(r["first"]), ms(r["median"]), ms(r["max"]), f"{r['bytes'] / 1000:.0f} kB"])


def _briefing(repeats: int, lines: list[str], notes: list[str], measured: dict[str, dict]) -> None:
    """Time lib.exports.pack.build_pack for the unfiltered real data, per pack format."""
    try:
        from lib.exports import pack as briefing
    except ImportError as exc:
        notes.append(f"- TODO briefing pack: `lib.exports.pack` cannot be imported ({exc}); not measured.")
        return
    if not (hasattr(briefing, "view_for") and hasattr(briefing, "build_pack")):
        notes.append("- TODO briefing pack: `lib.exports.pack.view_for`/`build_pack` not found; adapt `bench/export.py`.")
        return
    start = time.perf_counter()
    view, _ = briefing.view_for({})
    load = time.perf_counter() - start
    rows = []
    for fmt in PACK_FORMATS:
        times, size = [], 0
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            size = len(briefing.build_pack(view, fmt))
            times.append(time.perf_counter() - start)
        measured[f"pack {fmt}"] = {"first": times[0], "median": statistics.median(times[1:] or times), "max": max(times)}
        rows.append([fmt.upper(), ms(times[0]), ms(statistics.median(times[1:] or times)), f"{size / 1000:.0f} kB"])
    lines += ["", f"Briefing pack (`lib.exports.pack.build_pack`, unfiltered real data, {len(view.events)} events; "
              f"loading the view took {ms(load)}):", "",
              table(["format", "first build", "later builds (median)", "size"], rows)]  # fmt: skip


def _targets(measured: dict[str, dict]) -> list[str]:
    """The export targets against what the dashboard's own download buttons call (export_figure)."""
    lines = ["Targets (what the download buttons run: `lib.exports.export.export_figure`):"]
    for fmt in FORMATS:
        r = measured.get(f"`lib.exports.export.export_figure` (with footer) {fmt}")
        if r:
            ratio = r["median"] / TARGET_CHART_S
            lines.append(f"- {fmt.upper()} per chart once warm < 0.5 s: median {ms(r['median'])} ({ratio:.2f}x the "
                         f"target; slowest chart {r['slowest']} median {ms(r['slowest_median'])}, single worst call "
                         f"{ms(r['max'])}) — {'met' if r['median'] < TARGET_CHART_S else 'NOT met'}")  # fmt: skip
    for fmt in PACK_FORMATS:
        r = measured.get(f"pack {fmt}")
        if r:
            lines.append(f"- briefing pack ({fmt.upper()}) < 5 s: first {ms(r['first'])} ({r['first'] / TARGET_PACK_S:.2f}x), "
                         f"later median {ms(r['median'])} ({r['median'] / TARGET_PACK_S:.2f}x) — "
                         f"{'met' if max(r['first'], r['median']) < TARGET_PACK_S else 'NOT met'}")  # fmt: skip
    return lines


def run(repeats: int = 3) -> str:
    """Time raw and project exports and rewrite the export section of RESULTS.md."""
    import kaleido
    import plotly.io as pio

    wait_for_quiet()
    started = stamp()
    warnings.filterwarnings("ignore", message=".*kopts.*")
    pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"
    figures = _figures()
    start = time.perf_counter()
    kaleido.start_sync_server(silence_warnings=True)
    server_start = time.perf_counter() - start
    lines = ["## Export: PNG / SVG / PDF with a warm kaleido, and the briefing pack", "", started, "",
             f"`kaleido.start_sync_server()` once: {ms(server_start)}. {len(figures)} figures (every page's, real "
             f"data, unfiltered), {repeats} rounds. \"first\" is the first call of a format; \"after first\" is the "
             "median of every later call.", ""]  # fmt: skip
    notes: list[str] = []
    rows: list[list[object]] = []
    try:
        raw = _time_each(figures, lambda fig, fmt: pio.to_image(fig, format=fmt), repeats)
        rows += [["raw `plotly.io.to_image`", fmt.upper(), ms(r["first"]), ms(r["median"]), ms(r["max"]),
                  f"{r['bytes'] / 1000:.0f} kB"] for fmt, r in raw.items()]  # fmt: skip
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    measured: dict[str, dict] = {}
    _project_exports(figures, repeats, rows, notes, measured)
    lines += [table(["exporter", "format", "first", "after first (median)", "max", "size"], rows)]
    _briefing(repeats, lines, notes, measured)
    lines += ["", *notes, "", *_targets(measured)]
    body = "\n".join(lines)
    write_section("export", body)
    return body


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench export")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(run(args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
