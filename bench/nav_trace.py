"""Where a navigation's browser time goes: Chrome performance traces of one sidebar navigation per page, the app
against the bare-Streamlit floor, and any other checkouts (variants of the app) navigated alternately.

`python -m bench.nav_trace [--rounds 8] [--pages overview,stance,map] [--variant NAME=DIR ...] [--out FILE]`

For each app (this checkout, the bare floor of bench/bare_floor.py, each `--variant`), served by its own
`streamlit run`, every round navigates events page → chart page in the sidebar (the timing of `bench browser`:
click → every chart drawn, the script finished and two frames painted), alternating apps page by page so all see
the same load. One further navigation per app and page runs under Chrome's tracer (`Tracing.start`,
devtools.timeline and V8 categories): the renderer main thread's self time by kind (script per frontend chunk,
style, layout, paint, garbage collection, parsing) and the messages sent by element kind. Prints JSON; the
summary goes into bench/RESULTS.md by hand (issue 24, round 8).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench import browser as bb
from bench.load_test import wait_healthy
from bench.results import OUT_DIR
from lib.model.files import write_atomic
from lib.paths import ROOT

TRACE_CATEGORIES = (
    "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,v8,blink,blink.user_timing,"
    "loading,disabled-by-default-v8.gc"
)

# Trace event names grouped into what the browser was doing (self time: nested events are subtracted).
KINDS = {
    "UpdateLayoutTree": "style", "RecalculateStyles": "style", "ParseAuthorStyleSheet": "style",
    "Layout": "layout", "PrePaint": "paint", "Paint": "paint", "Layerize": "paint", "UpdateLayer": "paint",
    "Commit": "paint", "PaintImage": "paint", "RasterTask": "paint",
    "MinorGC": "gc", "MajorGC": "gc", "V8.GC_SCAVENGER": "gc", "V8.GC_MARK_COMPACTOR": "gc", "BlinkGC.AtomicPhase": "gc",
    "ParseHTML": "parse", "v8.compile": "compile", "V8.CompileCode": "compile", "v8.parseOnBackground": "compile",
    "HitTest": "layout",
}  # fmt: skip


def _chunk(url: str) -> str:
    name = url.rsplit("/", 1)[-1].split("?")[0]
    return name.split(".")[0] or name or "(inline)"


def summarise(events: list[dict]) -> dict:
    """Self time (ms) per kind on the renderer main thread (the one named CrRendererMain with the most events),
    script split by the frontend chunk that started it (a FunctionCall's or EvaluateScript's URL)."""
    mains = {(e["pid"], e["tid"]) for e in events if e.get("ph") == "M" and e.get("name") == "thread_name"
             and e.get("args", {}).get("name") == "CrRendererMain"}  # fmt: skip
    counts = Counter((e["pid"], e["tid"]) for e in events if (e["pid"], e["tid"]) in mains)
    if not counts:
        return {}
    main = counts.most_common(1)[0][0]
    spans = []
    for e in events:
        if (e["pid"], e["tid"]) != main or e.get("ph") != "X" or "dur" not in e:
            continue
        spans.append(
            (e["ts"], e["ts"] + e["dur"], e["name"], e.get("args", {}).get("data", {}) or {}, e.get("tdur", 0))
        )
    spans.sort(key=lambda s: (s[0], -s[1]))
    totals: Counter = Counter()
    stack: list[list] = []  # [end, label, child time]

    def label(name: str, data: dict, parent: str | None) -> str:
        if name in ("FunctionCall", "EvaluateScript", "v8.run", "TimerFire", "FireAnimationFrame", "EventDispatch"):
            url = data.get("url") or ""
            if url:
                return f"script:{_chunk(url)}"
            return parent if parent and parent.startswith("script:") else "script:(other)"
        if name in KINDS:
            return KINDS[name]
        if name in ("RunMicrotasks", "v8.callFunction", "V8.Execute", "v8.runMicrotasks"):
            return parent if parent and parent.startswith("script:") else "script:(microtask)"
        if name == "RunTask":
            return "task (other)"
        return parent or "other"

    def close(upto: float) -> None:
        while stack and stack[-1][0] <= upto:
            end, lab, child, start = stack.pop()
            totals[lab] += (end - start - child) / 1000
            if stack:
                stack[-1][2] += end - start

    busy = cpu = 0.0
    for start, end, name, data, tdur in spans:
        close(start)
        if not stack:
            busy += (end - start) / 1000
            cpu += tdur / 1000
        parent = stack[-1][1] if stack else None
        stack.append([end, label(name, data, parent), 0, start])
    close(float("inf"))
    return {"cpu": round(cpu, 1), "busy": round(busy, 1), **{k: round(v, 1) for k, v in totals.most_common()}}


def traced(page, cdp, entry: dict, expect: dict, profile: bool = True) -> tuple[dict, dict, dict]:
    """One navigation under Chrome's tracer: (the navigation's figures from bench.browser.navigate, the trace's
    main-thread self time by kind, JavaScript self time by chunk from the sampling profiler)."""
    chunks: list[dict] = []
    done = {"v": False}
    collect = lambda msg: chunks.extend(msg["value"])
    complete = lambda _msg: done.update(v=True)
    cdp.on("Tracing.dataCollected", collect)
    cdp.on("Tracing.tracingComplete", complete)
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    if profile:
        cdp.send("Profiler.start")
    nav = bb.navigate(page, cdp, entry, expect)
    found = {}
    if profile:
        found = modules(cdp.send("Profiler.stop")["profile"])
        cdp.send("Profiler.disable")
    cdp.send("Tracing.end")
    deadline = time.monotonic() + 60
    while not done["v"] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    cdp.remove_listener("Tracing.dataCollected", collect)
    cdp.remove_listener("Tracing.tracingComplete", complete)
    return nav, summarise(chunks), found


def modules(profile: dict) -> dict[str, float]:
    """JavaScript self time (ms) per frontend chunk from a CPU profile (as bench.browser.profiled)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    totals: Counter = Counter()
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    for i, sample in enumerate(samples):
        totals[bb._module(nodes[sample])] += (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000
    totals.pop("(idle)", None)
    return {k: round(v, 1) for k, v in totals.most_common(12)}


def _events_entry(pages: list[dict]) -> dict:
    return next(p for p in pages if p["url_path"] == "events")


CHUNKS_JS = """() => performance.getEntriesByType('resource').filter(r => /\\.(js|css)(\\?|$)/.test(r.name))
  .map(r => [r.name.split('/').pop().split('.')[0], Math.round(r.decodedBodySize / 1000), Math.round(r.startTime),
             Math.round(r.responseEnd)])"""


def cold_chunks(browser, port: int, entry: dict, expect: dict) -> dict:
    """A cold permalink (new browser context, empty cache): when every chart was drawn and the script finished, and
    which frontend chunks it fetched ([name, kB decoded, asked at ms, loaded at ms])."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.add_init_script(bb.INIT_JS)
        path = "" if entry.get("default") else entry["url_path"]
        page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit", timeout=bb.TIMEOUT_MS)
        page.wait_for_function(bb.DONE_JS, arg=[expect["count"], expect["title"], expect["heading"], 0],
                               timeout=bb.TIMEOUT_MS, polling="raf")  # fmt: skip
        drawn, idle, first = page.evaluate("() => [window.__drawnAt, window.__idleAt, (window.__frames[0] || [0])[0]]")
        return {"total": round(max(drawn, idle)), "drawn": round(drawn), "first_message": round(first),
                "chunks": page.evaluate(CHUNKS_JS)}  # fmt: skip
    finally:
        context.close()


def run(rounds: int, wanted: list[str], variants: dict[str, Path], bare: bool = True, cold: int = 0) -> dict:
    """Serve every app, navigate alternately, trace once per app and page; the raw figures."""
    from playwright.sync_api import sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    pages = bb.page_entries()
    pages[0]["default"] = True
    expect = bb.expected_charts(pages)
    start_page = _events_entry(pages)
    chosen = [p for p in pages if p["url_path"] in wanted or p["title"] in wanted or
              (p.get("default") and "overview" in wanted)]  # fmt: skip
    apps = {"app": ROOT, **variants}
    procs, tabs, logs, ports = {}, {}, {}, {}
    out: dict = {"uptime_start": bb._uptime(), "pages": [p["url_path"] for p in chosen], "apps": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS)
        try:
            sizes: dict = {}
            for name, cwd in apps.items():
                logs[name] = open(OUT_DIR / f"nav-trace-{name}.log", "w")  # noqa: SIM115
                procs[name], port = bb.serve(cwd, env, logs[name])
                ports[name] = port
                wait_healthy(port, procs[name], 120)
                page, cdp = bb._app_page(browser.new_context(viewport={"width": 1400, "height": 1000}))
                page.goto(f"http://127.0.0.1:{port}/events", timeout=bb.TIMEOUT_MS)
                page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=bb.TIMEOUT_MS)
                page.wait_for_timeout(1500)
                tabs[name] = (page, cdp)
                for entry in chosen + [start_page]:  # warm-up: every chunk loaded, every figure cached
                    bb.navigate(page, cdp, entry, expect[entry["script"]])
                    if name == "app":
                        sizes.setdefault(entry["script"], page.evaluate(bb.SIZES_JS))
            if bare:
                env[bb.BARE_ENV] = str(bb.write_bare_pages(pages, expect, sizes, OUT_DIR / "nav-trace-bare-pages.json"))
                logs["bare"] = open(OUT_DIR / "nav-trace-bare.log", "w")  # noqa: SIM115
                procs["bare"], port = bb.serve(
                    ROOT, env, logs["bare"], script=bb.bare_script(OUT_DIR / "nav-trace-bare")
                )
                ports["bare"] = port
                wait_healthy(port, procs["bare"], 120)
                page, cdp = bb._app_page(browser.new_context(viewport={"width": 1400, "height": 1000}))
                page.goto(f"http://127.0.0.1:{port}/events", timeout=bb.TIMEOUT_MS)
                page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=bb.TIMEOUT_MS)
                page.wait_for_timeout(1500)
                tabs["bare"] = (page, cdp)
                for entry in chosen + [start_page]:
                    bb.navigate(page, cdp, entry, expect[entry["script"]])
            results = {name: {p["url_path"]: {"navs": [], "trace": None, "js": None} for p in chosen} for name in tabs}
            for _ in range(rounds):
                for entry in chosen:
                    for name, (page, cdp) in tabs.items():
                        page.bring_to_front()
                        bb.SERVER["pid"] = procs[name].pid
                        bb.navigate(page, cdp, start_page, expect[start_page["script"]])
                        nav, summary, _ = traced(page, cdp, entry, expect[entry["script"]], profile=False)
                        results[name][entry["url_path"]]["navs"].append(
                            {k: nav[k] for k in ("nav", "drawn", "finished", "frames", "bytes", "kinds", "kind_bytes")}
                            | {"tasks": nav["cpu"]["TaskDuration"], "main_cpu": summary.get("cpu", 0) / 1000,
                               "summary": summary})  # fmt: skip
            for entry in chosen:
                for name, (page, cdp) in tabs.items():
                    page.bring_to_front()
                    bb.navigate(page, cdp, start_page, expect[start_page["script"]])
                    _, summary, js = traced(page, cdp, entry, expect[entry["script"]])
                    results[name][entry["url_path"]]["trace"] = summary
                    results[name][entry["url_path"]]["js"] = js
            for _ in range(cold):
                for entry in chosen:
                    for name in tabs:
                        results[name][entry["url_path"]].setdefault("colds", []).append(
                            cold_chunks(browser, ports[name], entry, expect[entry["script"]]))  # fmt: skip
        finally:
            for proc in procs.values():
                bb._stop(proc)
            for log in logs.values():
                log.close()
            browser.close()
    out["uptime_end"] = bb._uptime()
    for name, per_page in results.items():
        out["apps"][name] = {}
        for path, found in per_page.items():
            navs = found["navs"]
            out["apps"][name][path] = {
                "nav_ms": round(1000 * statistics.median(n["nav"] for n in navs)),
                "tasks_ms": round(1000 * statistics.median(n["tasks"] for n in navs)),
                "main_cpu_ms": round(1000 * statistics.median(n["main_cpu"] for n in navs)),
                "main_cpu_all": [round(1000 * n["main_cpu"]) for n in navs],
                "kinds_cpu": {k: round(statistics.median(n["summary"].get(k, 0) for n in navs), 1)
                              for k in {k for n in navs for k in n["summary"]}},
                "drawn_ms": round(1000 * statistics.median(n["drawn"] for n in navs)),
                "messages": navs[-1]["frames"], "kB": round(navs[-1]["bytes"] / 1000, 1),
                "kinds": {k: [navs[-1]["kinds"][k], round(navs[-1]["kind_bytes"][k] / 1000, 1)] for k in navs[-1]["kinds"]},
                "navs_ms": [round(1000 * n["nav"]) for n in navs],
                "trace": found["trace"], "js": found["js"], "colds": found.get("colds", []),
            }  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.nav_trace")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--pages", default="overview,stance,map")
    parser.add_argument(
        "--variant", action="append", default=[], help="NAME=DIR: another checkout, navigated alternately"
    )
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--cold", type=int, default=0, help="cold permalinks per app and page (chunks fetched)")
    parser.add_argument("--out", default=str(OUT_DIR / "nav-trace.json"))
    args = parser.parse_args(argv)
    variants = {v.split("=", 1)[0]: Path(v.split("=", 1)[1]).resolve() for v in args.variant}
    out = run(args.rounds, args.pages.split(","), variants, bare=not args.no_bare, cold=args.cold)
    write_atomic(args.out, json.dumps(out, indent=1))
    for name, per_page in out["apps"].items():
        for path, found in per_page.items():
            trace = ", ".join(f"{k} {v:.0f}" for k, v in list((found["trace"] or {}).items())[:10])
            js = ", ".join(f"{k} {v:.0f}" for k, v in list((found["js"] or {}).items())[:8])
            print(
                f"{name:10} {path:10} nav {found['nav_ms']:5} ms tasks {found['tasks_ms']:5} ms main CPU {found['main_cpu_ms']:5} {found['main_cpu_all']} drawn {found['drawn_ms']:5} "
                f"msgs {found['messages']:3} {found['kB']:6} kB\n    trace: {trace}\n    js: {js}"
            )
    print(out["uptime_start"], "→", out["uptime_end"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
