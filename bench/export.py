"""Export timings: PNG/SVG/PDF per figure after the first with a warm kaleido, and the whole briefing pack.

Two layers are timed:
- raw: `plotly.io.to_image` on the pages' real figures after `kaleido.start_sync_server()` (the floor
  any exporter pays), with the offline topojson set as in FIELD-NOTES;
- the project's `lib/export.py` / `lib/briefing.py`, through the adapters below once those modules
  exist (a missing module or function is reported as TODO, never timed as something else).

`python -m bench export [--repeats 5]`.
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import time
import warnings
from collections.abc import Callable

from bench.results import ms, stamp, table, write_section
from lib.paths import TOPOJSON_DIR

FORMATS = ("png", "svg", "pdf")
# Names the adapters look for, in order. Adjust here if lib/export or lib/briefing name them differently.
FIGURE_EXPORTERS = ("figure_bytes", "figure_to_bytes", "export_figure", "to_image", "image_bytes", "render_figure")
BRIEFING_BUILDERS = ("build_briefing", "briefing_pack", "build_pack", "make_briefing", "briefing_pdf", "build")


def _figures() -> dict[str, object]:
    """Every page's figures for the unfiltered real data, named page/index."""
    from bench.pages import View, available_pages
    from lib.filters import Filters
    from lib.load import load_dataset
    from lib.style import ChartMeta
    from lib.tables import build_tables

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
        times, sizes = [], []
        for _ in range(repeats):
            for fig in figures.values():
                start = time.perf_counter()
                data = export(fig, fmt)
                times.append(time.perf_counter() - start)
                sizes.append(len(data) if data else 0)
        out[fmt] = {"first": first, "median": statistics.median(times), "max": max(times),
                    "n": len(times), "bytes": statistics.median(sizes)}  # fmt: skip
    return out


def _find(module_name: str, names: tuple[str, ...]) -> tuple[Callable | None, str]:
    try:
        module = __import__(module_name, fromlist=["_"])
    except ImportError as exc:
        return None, f"`{module_name}` cannot be imported yet ({exc.__class__.__name__}: {exc})"
    for name in names:
        if callable(getattr(module, name, None)):
            return getattr(module, name), f"`{module_name}.{name}`"
    public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
              and getattr(v, "__module__", "") == module_name]  # fmt: skip
    return None, f"`{module_name}` has none of {', '.join(names)}; its functions: {', '.join(public) or 'none'}"


def run(repeats: int = 3) -> str:
    """Time raw and project exports and rewrite the export section of RESULTS.md."""
    import kaleido
    import plotly.io as pio

    started = stamp()
    warnings.filterwarnings("ignore", message=".*kopts.*")
    pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"
    figures = _figures()
    start = time.perf_counter()
    kaleido.start_sync_server()
    server_start = time.perf_counter() - start
    lines = ["## Export: PNG / SVG / PDF with a warm kaleido, and the briefing pack", "", started, "",
             f"`kaleido.start_sync_server()` once: {ms(server_start)}. {len(figures)} figures (every page, real "
             f"data, unfiltered), {repeats} rounds; \"after first\" = median of the calls after the first.", ""]  # fmt: skip
    try:
        raw = _time_each(figures, lambda fig, fmt: pio.to_image(fig, format=fmt), repeats)
        rows = [["raw `plotly.io.to_image`", fmt.upper(), ms(r["first"]), ms(r["median"]), ms(r["max"]),
                 f"{r['bytes'] / 1000:.0f} kB"] for fmt, r in raw.items()]  # fmt: skip
        exporter, found = _find("lib.export", FIGURE_EXPORTERS)
        notes = []
        if exporter is None:
            notes.append(f"- TODO project exporter: {found}; not measured.")
        else:
            params = list(inspect.signature(exporter).parameters)
            call = (lambda fig, fmt: exporter(fig, fmt)) if len(params) >= 2 else None
            if call is None:
                notes.append(f"- TODO {found} takes ({', '.join(params)}); adapt `bench/export.py`.")
            else:
                project = _time_each(figures, call, repeats)
                rows += [[found, fmt.upper(), ms(r["first"]), ms(r["median"]), ms(r["max"]),
                          f"{r['bytes'] / 1000:.0f} kB"] for fmt, r in project.items()]  # fmt: skip
        lines += [table(["exporter", "format", "first", "after first (median)", "max", "size"], rows), ""]
        briefing, found = _find("lib.briefing", BRIEFING_BUILDERS)
        if briefing is None:
            notes.append(f"- TODO briefing pack: {found}; not measured.")
        else:
            try:
                times = []
                for _ in range(max(1, repeats)):
                    start = time.perf_counter()
                    briefing()
                    times.append(time.perf_counter() - start)
                lines.append(f"Briefing pack ({found}, no arguments): first {ms(times[0])}, "
                             f"median {ms(statistics.median(times))} over {len(times)} builds.")  # fmt: skip
            except TypeError as exc:
                notes.append(f"- TODO {found} needs arguments ({exc}); adapt `bench/export.py`.")
        lines += ["", *notes]
    finally:
        kaleido.stop_sync_server()
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
