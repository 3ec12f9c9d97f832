"""Scale benchmark: load, filter, aggregate and build every page's figures at 1k..1M synthetic events.

Each size runs in its own subprocess so that its peak memory (ru_maxrss) is its own.
`python -m bench scale [--sizes 1k,10k] [--repeats 3] [--profile 1m]`.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.results import OUT_DIR, ms, stamp, table, wait_for_quiet, write_section
from lib.model.files import write_atomic

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TARGET_INTERACTION_S = 0.300
TARGET_MEMORY_MB = 1500
TARGET_JSON_BYTES = 2_000_000
SEED = 0


def _filters():
    from lib.model.filters import Filters

    return {
        "all events": Filters(),
        "country KAZ": Filters(countries=("KAZ",)),
        "years 2010-2011": Filters(year_from=2010, year_to=2011),
        "actor taliban": Filters(actors=("taliban",)),
        "type verbal_conflict": Filters(types=("verbal_conflict",)),
        "combined": Filters(countries=("KAZ", "AFG"), year_from=2009, year_to=2012,
                            types=("verbal_cooperation", "material_cooperation")),
    }  # fmt: skip


# Events page searches (app_pages/events.py): names in other spellings, an alias, words from the text, a
# hyphenated name, a short word matched as plain text, and a word found nowhere.
SEARCHES = ("Nazarbayev", "Taleban", "Tokaev", "Astana", "troops ISAF", "al-Qaeda", "us", "zzzz")


def parquet_path(n: int, seed: int = SEED) -> Path:
    """Where the synthetic file of `n` events lives (bench/out, git-ignored)."""
    return OUT_DIR / f"events-{n}-s{seed}.parquet"


def _timed(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        result = None  # never hold two results at once: peak memory stays one copy's
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _current_rss_mb() -> float:
    """The resident memory now (Linux /proc), to tell what one structure holds after a higher peak."""
    import os

    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def generate(n: int) -> dict:
    """Write the synthetic file for `n` events if missing; returns how long that took."""
    path = parquet_path(n)
    if path.is_file():
        return {"n": n, "generated_s": None}
    from bench.synthetic import source_dataset, write_synthetic

    start = time.perf_counter()
    write_synthetic(n, path, SEED, source_dataset())
    return {"n": n, "generated_s": time.perf_counter() - start, "bytes": path.stat().st_size}


def measure(n: int, repeats: int) -> dict:
    """Every measurement for one size (run inside the per-size subprocess)."""
    from bench.pages import View, aggregations, available_pages
    from bench.synthetic import source_dataset
    from lib.model.bulk import load_bulk_tables
    from lib.model.filters import FilterOptions
    from lib.views.style import ChartMeta

    ds = source_dataset()
    rss_start = _rss_mb()
    path = parquet_path(n)
    load_s, (tables, problems) = _timed(lambda: load_bulk_tables(path, ds), repeats)
    meta = ChartMeta.from_dataset(ds)
    options = FilterOptions.from_dataset(ds, tables)
    rss_loaded = _rss_mb()
    pages, missing = available_pages()
    result: dict = {"n": n, "events": len(tables.events), "problems": len(problems), "load_s": load_s,
                    "file_bytes": path.stat().st_size, "rss_start_mb": rss_start, "rss_loaded_mb": rss_loaded,
                    "missing": missing, "filters": {}}  # fmt: skip
    for label, filters in _filters().items():
        filter_s, events = _timed(lambda f=filters: f.apply(tables), repeats)
        view = View(events, tables, meta, filters.describe(options))
        aggregate_s, _ = _timed(lambda v=view: aggregations(v), repeats)
        row: dict = {"matched": len(events), "filter_s": filter_s, "aggregate_s": aggregate_s, "pages": {}}
        for page, build in pages.items():
            build_s, figures = _timed(lambda b=build, v=view: b(v), repeats)
            json_s, texts = _timed(lambda fs=figures: [f.to_json() for f in fs], 1)
            row["pages"][page] = {"build_s": build_s, "json_s": json_s, "json_bytes": [len(t) for t in texts]}
        result["filters"][label] = row
    result["search"] = measure_search(ds, tables, meta, repeats)
    result["rss_peak_mb"] = _rss_mb()
    result["save_check_s"] = measure_save_check(n)  # a second copy of the data while the first is held
    result["rss_peak_save_mb"] = _rss_mb()
    return result


def measure_search(ds, tables, meta, repeats: int) -> dict:  # type: ignore[no-untyped-def]
    """The events page's search over every event, as the app runs it (lib.ui.cached.search_events): the
    index built once per data version (timed apart), then each query of `SEARCHES`, and with it the listed
    rows' table (what a search rerun computes besides drawing)."""
    from lib.model.names import NameIndex
    from lib.views import sources
    from lib.views.search import SearchIndex, found, search_mask

    rss_before = _current_rss_mb()
    index_s, index = _timed(lambda: SearchIndex.build(tables, meta, NameIndex(ds.actors, ds.countries)), 1)
    result: dict = {"index_s": index_s, "index_rss_mb": _current_rss_mb() - rss_before, "queries": {}}
    events = tables.events
    for query in SEARCHES:
        search_s, hits = _timed(lambda q=query: found(events, search_mask(events, index, q), sources.TABLE_ROW_LIMIT),
                                repeats)  # fmt: skip
        table_s, _ = _timed(lambda h=hits: sources.events_table(sources.first_rows(h.first, total=h.count)[0], meta),
                            repeats)  # fmt: skip
        result["queries"][query] = {"search_s": search_s, "table_s": table_s, "matched": hits.count}
    return result


def measure_save_check(n: int) -> float:
    """The check before a curation save (`lib.model.store.problems_after`): the whole folder, Parquet included,
    loaded as it would be after the save (here events.yaml rewritten unchanged), once."""
    from bench.synthetic import synthetic_data_dir
    from lib.model.store import problems_after

    folder = synthetic_data_dir(n, OUT_DIR, SEED)
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    seconds, _ = _timed(lambda: problems_after(folder, {"events.yaml": text}), 1)
    return seconds


def profile(n: int) -> str:
    """A pyinstrument profile of each of the six filter changes with every page's figures rebuilt."""
    from pyinstrument import Profiler

    from bench.pages import View, available_pages
    from bench.synthetic import source_dataset
    from lib.model.bulk import load_bulk_tables
    from lib.views.style import ChartMeta

    ds = source_dataset()
    tables, _ = load_bulk_tables(parquet_path(n), ds)
    meta = ChartMeta.from_dataset(ds)
    pages, _ = available_pages()
    profiler = Profiler(interval=0.001)
    profiler.start()
    for filters in _filters().values():
        events = filters.apply(tables)
        for build in pages.values():
            for fig in build(View(events, tables, meta, "profile")):
                fig.to_json()
    profiler.stop()
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    write_atomic(OUT_DIR / f"profile-{n}.txt", text)
    return text


def _subprocess(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-m", "bench.scale", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.scale {' '.join(args)} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(results: list[dict], started: str | None = None) -> str:
    """The RESULTS.md section for a list of per-size results."""
    title = "## Scale: parquet → Tables → filter → aggregate → figures"
    lines = [title, "", started or stamp(), ""]
    lines.append(
        "Synthetic events (`bench/synthetic.py`, seed 0) in `events.parquet`, loaded with `lib.model.bulk.load_bulk_tables`. "
        "Each size ran in its own process; memory is that process's peak RSS (ru_maxrss, includes Python, pandas, "
        "plotly). Times are medians of the repeats. \"Interaction\" = `Filters.apply` + building every figure of a "
        "page (aggregations included) for the worst of six filter settings; `to_json` (what Streamlit serialises "
        "each rerun) is listed apart. Pages build what app_pages/*.py build with their default choices "
        "(bench/pages.py); \"(country rows)\" and \"(stance)\" are the same pages with their other choice."
    )
    lines.append("")
    headers = ["events", "file", "load", "filter (median / worst)", "aggregations (worst)", "peak RSS"]
    rows = []
    for r in results:
        f = r["filters"].values()
        rows.append([f"{r['n']:,}", f"{r['file_bytes'] / 1e6:.1f} MB", ms(r["load_s"]),
                     f"{ms(statistics.median(x['filter_s'] for x in f))} / {ms(max(x['filter_s'] for x in f))}",
                     ms(max(x["aggregate_s"] for x in f)), f"{r['rss_peak_mb']:.0f} MB"])  # fmt: skip
    lines += [table(headers, rows), ""]
    if all("save_check_s" in r for r in results):
        lines += ["Check before a curation save (`lib.model.store.problems_after`: the folder as it would be after the "
                  "save, events.yaml and events.parquet, loaded once): "
                  + ", ".join(f"{r['n']:,} events {ms(r['save_check_s'])} (peak RSS {r['rss_peak_save_mb']:.0f} MB)"
                              for r in results) + ". The peak is the process's with the data already loaded, as in "
                  "the app, where a save loads the folder a second time.", ""]
    pages = list(dict.fromkeys(p for r in results for x in r["filters"].values() for p in x["pages"]))
    if pages:
        headers = ["events", *[f"{p}: filter+build / to_json / max JSON" for p in pages],
                   "all pages (default choices): filter+build"]  # fmt: skip
        rows = []
        for r in results:
            cells, total = [], 0.0
            for p in pages:
                worst = max(x["filter_s"] + x["pages"][p]["build_s"] for x in r["filters"].values())
                json_s = max(x["pages"][p]["json_s"] for x in r["filters"].values())
                size = max(max(x["pages"][p]["json_bytes"], default=0) for x in r["filters"].values())
                cells.append(f"{ms(worst)} / {ms(json_s)} / {size / 1000:.0f} kB")
            total = max(x["filter_s"] + sum(v["build_s"] for k, v in x["pages"].items() if "(" not in k)
                        for x in r["filters"].values())  # fmt: skip
            rows.append([f"{r['n']:,}", *cells, ms(total)])
        lines += [table(headers, rows), ""]
    searched = [r for r in results if r.get("search")]
    if searched:
        queries = list(searched[-1]["search"]["queries"])
        lines += [("Events page search over every event, as the app runs it (`lib.ui.cached.search_events`): "
                   "`lib.views.search.search_mask` with the index (`SearchIndex.build`) made once per data version and "
                   "cached, then the count and the first rows (`lib.views.search.found`); \"+ table\" adds the listed "
                   "rows' table, `events_table(first_rows(...))`. Search / search + table, and the events found; the "
                   "index's build time and the resident memory it holds."), ""]
        headers = ["events", "index build (memory held)", *[f"“{q}”" for q in queries]]
        rows = []
        for r in searched:
            cells = [f"{ms(r['search'].get('index_s'))} ({r['search'].get('index_rss_mb', 0):+.0f} MB)"]
            for q in queries:
                x = r["search"]["queries"][q]
                cells.append(f"{ms(x['search_s'])} / {ms(x['search_s'] + x['table_s'])} ({x['matched']:,})")
            rows.append([f"{r['n']:,}", *cells])
        lines += [table(headers, rows), ""]
    missing = results[-1]["missing"] if results else {}
    for page, builders in missing.items():
        lines.append(f"- TODO {page} page: builder(s) {', '.join(builders)} not in lib/views/charts.py yet; not measured.")
    if results:
        big = results[-1]
        worst_json = max((s for x in big["filters"].values() for p in x["pages"].values() for s in p["json_bytes"]),
                         default=0)  # fmt: skip
        worst_page, per_page = max(((x["filter_s"] + p["build_s"], name) for x in big["filters"].values()
                                    for name, p in x["pages"].items()), default=(0.0, "—"))[::-1]  # fmt: skip
        with_json = max((x["filter_s"] + p["build_s"] + p["json_s"] for x in big["filters"].values()
                         for p in x["pages"].values()), default=0.0)  # fmt: skip
        all_pages = max(x["filter_s"] + sum(p["build_s"] for k, p in x["pages"].items() if "(" not in k)
                        for x in big["filters"].values())  # fmt: skip

        def verdict(value: float, target: float) -> str:
            return f"{value / target:.2f}x the target — {'met' if value < target else 'NOT met'}"

        search_target = []
        if big.get("search"):
            slowest, query = max((x["search_s"] + x["table_s"], q) for q, x in big["search"]["queries"].items())
            search_target.append(f"- a search rerun (search + the listed rows' table) < 300 ms: worst query "
                                 f"(“{query}”) {ms(slowest)}, {verdict(slowest, TARGET_INTERACTION_S)}")
        lines += ["", f"Targets at {big['n']:,} events:",
                  f"- filter change + one page's figures < 300 ms: worst page ({worst_page}) {ms(per_page)}, "
                  f"{verdict(per_page, TARGET_INTERACTION_S)} (with `to_json` too: {ms(with_json)})",
                  f"- filter change + every page's figures (reported, the app rebuilds one page per change): "
                  f"{ms(all_pages)}, {verdict(all_pages, TARGET_INTERACTION_S)}",
                  *search_target,
                  f"- memory < 1.5 GB: {big['rss_peak_mb']:.0f} MB peak RSS, "
                  f"{verdict(big['rss_peak_mb'], TARGET_MEMORY_MB)}",
                  f"- no figure above 2 MB JSON: largest {worst_json / 1000:.0f} kB, "
                  f"{verdict(worst_json, TARGET_JSON_BYTES)}"]  # fmt: skip
    return "\n".join(lines)


def run(sizes: list[str] | None = None, repeats: int | None = None, profile_size: str | None = "largest") -> str:
    """Run the scale benchmark for the given sizes and rewrite its RESULTS.md section.

    `profile_size` "largest" (the default) profiles one rebuild at the largest size run; None skips it.
    """
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sizes = sizes or list(SIZES)
    if profile_size == "largest":
        profile_size = max(sizes, key=lambda name: SIZES[name])
    for name in sizes:  # generate first, so timing never overlaps generating
        _subprocess(["--generate", str(SIZES[name])])
    wait_for_quiet()
    started = stamp()
    results = []
    for name in sizes:
        n = SIZES[name]
        wait_for_quiet()
        count = repeats or (3 if n >= 1_000_000 else 5)
        results.append(_subprocess(["--worker", str(n), "--repeats", str(count)]))
        print(f"scale {name}: load {ms(results[-1]['load_s'])}, peak {results[-1]['rss_peak_mb']:.0f} MB", flush=True)
    write_atomic(OUT_DIR / "scale.json", json.dumps(results, indent=1))
    body = report(results, started)
    if profile_size:
        n = SIZES[profile_size]
        wait_for_quiet()
        proc = subprocess.run([sys.executable, "-m", "bench.scale", "--profile-worker", str(n)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        body += (f"\n\nProfile (pyinstrument) of every page's figures rebuilt once for each of the six filters at "
                 f"{n:,} events: `bench/out/profile-{n}.txt`.\n")
        print(proc.stdout)
    write_section("scale", body)
    return body


def main(argv: list[str] | None = None) -> int:
    """CLI: the public options, plus the internal per-size worker modes."""
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--sizes", help="comma-separated from 1k,10k,100k,1m (default all)")
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--profile", default="largest", help="profile the rebuilds at this size (default: the largest run)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile")
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        print(json.dumps(generate(args.generate)))
    elif args.worker:
        print(json.dumps(measure(args.worker, args.repeats or 3)))
    elif args.profile_worker:
        print(profile(args.profile_worker))
    else:
        print(run(args.sizes.split(",") if args.sizes else None, args.repeats, None if args.no_profile else args.profile))
    return 0


if __name__ == "__main__":
    sys.exit(main())
