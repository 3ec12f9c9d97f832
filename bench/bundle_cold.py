"""Cold permalinks through Streamlit's Plotly element against the app's partial-plotly.js element (issue 24 round 14).

`python -m bench.bundle_cold [--loads 5] [--pages timeline,map] [--section bundle-cold]` takes the named app pages'
figures (specs and configs, from AppTest, as `bench browser` does), serves them twice from bench/bare_floor.py on
two `streamlit run` servers: (a) through `st.plotly_chart`, (b) through `lib.ui.chart_element.plotly_element` (the
shipped partial plotly.js in a components-v2 element), nothing else on either page. Then, alternating (a) and (b)
load by load so both see the same machine load, opens each page's URL in a new browser context (empty cache)
against the warm servers and times navigation start → every chart drawn (its `.main-svg`, a map's base-map paths)
at its box's size, and the script finished with two frames painted after it, in the browser's clock, with when the
element's code (Streamlit's components-v2 chunk) and the chart code were asked for and had arrived. With `--traces N`, N further
loads per page and variant run under Chrome's tracer (`trace_parts`): the chart code's request and arrival, its
compile off the main thread, its evaluation on it, and what is left to every chart drawn. With `--baseline DIR`,
the whole app of another checkout against this one's instead (issue 24 round 15). Writes its section of
bench/RESULTS.md and the raw figures to bench/out/<section>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
from pathlib import Path

from bench.browser import (
    BARE_ENV,
    CHROMIUM,
    CHROMIUM_ARGS,
    INIT_JS,
    LOCAL,
    TIMEOUT_MS,
    bare_script,
    expected_charts,
    page_entries,
    serve,
    write_bare_pages,
)
from bench.cold_trace import CATEGORIES, main_thread
from bench.load_test import wait_healthy
from bench.results import OUT_DIR, ms, stamp, table, write_section
from lib.model.files import write_atomic

ELEMENT_ENV = "BENCH_BARE_ELEMENT"
VARIANTS = {"plotly_chart": "(a) `st.plotly_chart` (Streamlit's 4.7 MB Plotly chunk)",
            "bundle": "(b) components-v2 element + partial plotly.js (1.4 MB)"}  # fmt: skip

DONE_JS = """([count, heading]) => {
  if (heading && ![...document.querySelectorAll('h1')].some(h => h.textContent.includes(heading))) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < count) return false;
  for (const plot of plots) {
    const svg = plot.querySelector('.main-svg');
    if (!svg) return false;
    if (plot.querySelector('.geo') && plot.querySelectorAll('.geo path').length === 0) return false;
    // drawn at its box's size: a chart drawn before the page's style element sized its box is drawn again
    if (Math.abs(svg.getBoundingClientRect().height - plot.getBoundingClientRect().height) > 2) return false;
  }
  if (!window.__drawnAt) window.__drawnAt = performance.now();
  return window.__finishedAt > 0 && window.__idleAt > window.__finishedAt;
}"""

CHART_CODE = re.compile(r"PlotlyChart|plotly-charts")  # Streamlit's Plotly chunk, the app's partial plotly.js
PARTS_JS = """() => {
  const res = performance.getEntriesByType('resource');
  const code = res.filter(r => /PlotlyChart|plotly-charts/.test(r.name));
  const element = res.filter(r => /BidiComponent/.test(r.name));
  const nav = performance.getEntriesByType('navigation')[0];
  return {element_asked: element.length ? Math.min(...element.map(r => r.startTime)) : null,
          element_loaded: element.length ? Math.max(...element.map(r => r.responseEnd)) : null,
          asked: code.length ? Math.min(...code.map(r => r.startTime)) : null,
          loaded: code.length ? Math.max(...code.map(r => r.responseEnd)) : null,
          code_bytes: code.reduce((s, r) => s + (r.decodedBodySize || 0), 0),
          bytes: res.reduce((s, r) => s + (r.transferSize || 0), nav ? nav.transferSize || 0 : 0),
          first_message: window.__frames.length ? window.__frames[0][0] : null,
          finished: window.__finishedAt, drawn: window.__drawnAt, idle: window.__idleAt};
}"""



def load_average() -> str:
    """The 1, 5 and 15 minute load averages now."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def trace_parts(events: list[dict]) -> dict[str, float | None]:
    """From a Chrome trace of one cold load (ms from the document's request): when the chart code was asked for
    and had arrived, its compile off the main thread (`parse`, summed), when the main thread compiled it and how
    long its evaluation took (its module's top level: plotly.js initialising), and when that ended."""
    start = next((e["ts"] for e in events if e.get("name") == "ResourceSendRequest"
                  and (e.get("args", {}).get("data") or {}).get("resourceType", "Document") == "Document"), None)  # fmt: skip
    if start is None:
        raise ValueError("the trace has no document request")
    thread = main_thread(events)
    out: dict[str, float | None] = {"asked": None, "loaded": None, "parse": 0.0, "compiled": None, "evaluation": None,
                                    "evaluated": None}  # fmt: skip
    request = None
    for e in sorted(events, key=lambda e: e.get("ts", 0)):
        data = (e.get("args") or {}).get("data") or {}
        url = str(data.get("url") or "")
        if e.get("name") == "ResourceSendRequest" and CHART_CODE.search(url) and request is None:
            request, out["asked"] = data.get("requestId"), (e["ts"] - start) / 1000
        elif e.get("name") == "ResourceFinish" and request is not None and data.get("requestId") == request:
            out["loaded"] = (e["ts"] - start) / 1000
        elif e.get("name") == "v8.parseOnBackground" and CHART_CODE.search(url):
            out["parse"] = (out["parse"] or 0.0) + e.get("dur", 0) / 1000
        elif (e.get("name") == "v8.compileModule" and CHART_CODE.search(url) and (e["pid"], e["tid"]) == thread
              and out["compiled"] is None):  # fmt: skip
            out["compiled"] = (e["ts"] - start) / 1000
        elif (e.get("name") == "v8.evaluateModule" and out["compiled"] is not None and out["evaluation"] is None
              and (e["pid"], e["tid"]) == thread and (e["ts"] - start) / 1000 >= out["compiled"]):  # fmt: skip
            out["evaluation"] = e.get("dur", 0) / 1000
            out["evaluated"] = (e["ts"] + e.get("dur", 0) - start) / 1000
    return out


def cold_load(browser, port: int, path: str, count: int, heading: str, shot: Path | None = None,
              trace: bool = False) -> dict:  # fmt: skip
    """A new context (empty cache) opening the page: times in seconds from navigation start; with `trace`, under
    Chrome's tracer, with `trace_parts` (as `trace_*`, seconds)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: None if LOCAL.match(r.url) else outside.append(r.url))
        page.add_init_script(INIT_JS)
        if trace:
            browser.start_tracing(page=page, categories=CATEGORIES)
        page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(DONE_JS, arg=[count, heading], timeout=TIMEOUT_MS, polling="raf")
        traced = {}
        if trace:
            raw = json.loads(browser.stop_tracing())
            found = trace_parts(raw["traceEvents"] if isinstance(raw, dict) else raw)
            traced = {f"trace_{k}": (v / 1000 if v is not None else None) for k, v in found.items()}
        parts = page.evaluate(PARTS_JS)
        if shot:
            page.screenshot(path=str(shot))
        if outside:
            raise RuntimeError(f"the page asked for other hosts: {outside[:3]}")
        sizes = {k: parts.pop(k) for k in ("code_bytes", "bytes")}
        out = {k: (v / 1000 if v is not None else None) for k, v in parts.items()}
        out["total"] = max(out["drawn"], out["idle"])
        return {**out, **sizes, **traced}
    finally:
        context.close()


def run(loads: int, page_names: list[str], section: str, baseline: Path | None = None, traces: int = 0) -> str:
    """Serve both variants, alternate cold loads, write the section; returns its text. With `baseline` (a checkout of
    the app before the change), the whole app twice instead: that checkout's `dashboard.py` against this one's."""
    variants = dict(VARIANTS) if baseline is None else {
        "before": f"the app at `{baseline}`", "after": "this checkout"}
    from playwright.sync_api import sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    started, load_start = stamp(), load_average()
    entries = page_entries()
    pages = [p for p in entries if p["url_path"] in page_names]
    link = {p["url_path"]: "" if p is entries[0] else p["url_path"] for p in pages}  # the default page is at "/"
    expect = expected_charts(entries[:1] + pages)  # AppTest opens the first page as the default one, then switches
    env = dict(os.environ)
    env[BARE_ENV] = str(write_bare_pages(pages, expect, {}, OUT_DIR / f"{section}-pages.json"))
    procs, ports, logs = {}, {}, {}
    times: dict[str, dict[str, list[dict]]] = {v: {p["url_path"]: [] for p in pages} for v in variants}
    traced: dict[str, dict[str, list[dict]]] = {v: {p["url_path"]: [] for p in pages} for v in variants}
    try:
        for variant in variants:
            logs[variant] = open(OUT_DIR / f"{section}-{variant}-streamlit.log", "w")  # noqa: SIM115
            if baseline is None:
                procs[variant], ports[variant] = serve(Path.cwd(), {**env, ELEMENT_ENV: variant}, logs[variant],
                                                       bare_script(OUT_DIR / f"{section}-{variant}"))  # fmt: skip
            else:
                procs[variant], ports[variant] = serve(baseline if variant == "before" else Path.cwd(),
                                                       dict(os.environ), logs[variant])  # fmt: skip
            wait_healthy(ports[variant], procs[variant], 180)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for entry in pages:  # warm the servers: each page's first run and its figures' cache
                    for variant in variants:
                        cold_load(browser, ports[variant], link[entry["url_path"]], expect[entry["script"]]["count"],
                                  expect[entry["script"]]["heading"],
                                  OUT_DIR / f"{section}-{variant}-{entry['url_path']}.png")  # fmt: skip
                for n in range(loads + traces):  # the traced loads last: the tracer slows a load down
                    for entry in pages:
                        order = list(variants) if n % 2 == 0 else list(reversed(variants))
                        for variant in order:
                            got = cold_load(browser, ports[variant], link[entry["url_path"]],
                                            expect[entry["script"]]["count"], expect[entry["script"]]["heading"],
                                            trace=n >= loads)  # fmt: skip
                            (traced if n >= loads else times)[variant][entry["url_path"]].append(got)
            finally:
                browser.close()
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=30)
        for log in logs.values():
            log.close()
    load_end = load_average()
    write_atomic(OUT_DIR / f"{section}.json", json.dumps({"started": started, "uptime_start": load_start,
                                                          "uptime_end": load_end, "times": times, "traced": traced},
                                                         indent=1))  # fmt: skip
    return report(times, pages, expect, loads, started, load_start, load_end, variants, baseline, traced)


def _med(items: list[dict], key: str) -> float | None:
    values = [i[key] for i in items if i.get(key) is not None]
    return statistics.median(values) if values else None


def report(times, pages, expect, loads, started, load_start, load_end, variants, baseline, traced=None) -> str:
    """The section's Markdown: the timed loads' medians per page and variant, then the traced loads' parts."""
    rows, trace_rows = [], []
    for entry in pages:
        for variant, label in variants.items():
            got = times[variant][entry["url_path"]]
            totals = sorted(g["total"] for g in got)
            rows.append([entry["title"], expect[entry["script"]]["count"], label, ms(_med(got, "total")),
                         f"{ms(totals[0])}–{ms(totals[-1])}", ms(_med(got, "first_message")),
                         ms(_med(got, "element_loaded")), ms(_med(got, "asked")), ms(_med(got, "loaded")),
                         ms(_med(got, "drawn")), ms(_med(got, "idle")),
                         f"{_med(got, 'code_bytes') / 1e6:.2f} MB", f"{_med(got, 'bytes') / 1e6:.2f} MB"])  # fmt: skip
            shown = (traced or {}).get(variant, {}).get(entry["url_path"]) or []
            if shown:
                after = [{"gap": g["drawn"] - g["trace_evaluated"]} for g in shown
                         if g.get("trace_evaluated") is not None]  # fmt: skip
                trace_rows.append([entry["title"], label, len(shown), ms(_med(shown, "first_message")),
                                   ms(_med(shown, "trace_asked")), ms(_med(shown, "trace_loaded")),
                                   ms(_med(shown, "trace_parse")), ms(_med(shown, "trace_compiled")),
                                   ms(_med(shown, "trace_evaluation")), ms(_med(shown, "trace_evaluated")),
                                   ms(_med(shown, "drawn")), ms(_med(after, "gap"))])  # fmt: skip
    how = (("Two bare pages per app page, served by bench/bare_floor.py on two `streamlit run` servers, each only the "
            "page's title and its figures (specs and configs from AppTest of the app), drawn (a) by `st.plotly_chart`, "
            "(b) by `lib.ui.chart_element.plotly_element`.") if baseline is None else
           (f"The whole app twice, `streamlit run dashboard.py` from `{baseline}` (before) and from this checkout "
            "(after), on the same data folder."))  # fmt: skip
    lines = [
        f"## Cold permalinks (`python -m bench.bundle_cold{' --baseline ' + str(baseline) if baseline else ''}`)",
        "", started, "", f"Load average (1 / 5 / 15 min): {load_start} at the start, {load_end} at the end.", "",
        how + (" A cold load is a new browser context (empty cache) at 1280×720 opening the URL against the warm "
               "server; time from navigation start to every chart drawn (`.main-svg`, a map's base-map paths) at its "
               "box's height (a chart drawn before the page's style sized its box counts once drawn again) and the "
               f"script finished with two frames painted after it. {loads} loads per page and variant after one "
               "warm-up each, the two alternated load by load (the order swapped every round). Only localhost "
               "traffic. Medians, in ms from navigation start; \"element code\" is Streamlit's components-v2 chunk "
               "(`BidiComponent`), \"chart code\" the chart's plotly.js."), "",
        table(["page", "charts", "variant", "cold median", "range", "first message", "element code loaded",
               "chart code asked", "chart code loaded", "charts drawn", "idle", "chart code (body)", "all fetched"],
              rows),
    ]
    if trace_rows:
        lines += ["", ("Under Chrome's tracer (further loads, the same alternation; the tracer slows a load, so read "
                       "the parts' order and sizes, not the totals): the chart code asked for and arrived, its "
                       "compile off the main thread, the main thread's compile of it (when it can run), its "
                       "evaluation (plotly.js initialising) and its end, then every chart drawn and the time from "
                       "evaluation's end to drawn (the chart element's mount and the draws)."), "",
                  table(["page", "variant", "traced loads", "first message", "asked", "loaded",
                         "compile off the main thread", "compiled", "evaluation", "evaluated", "charts drawn",
                         "evaluated → drawn"], trace_rows)]  # fmt: skip
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.bundle_cold")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--pages", default="timeline,map")
    parser.add_argument("--section", default="bundle-cold")
    parser.add_argument("--no-write", action="store_true", help="print the section, leave RESULTS.md alone")
    parser.add_argument("--baseline", type=Path, help="a checkout of the app before: time the two whole apps instead")
    parser.add_argument("--traces", type=int, default=0, help="further loads per page and variant under the tracer")
    args = parser.parse_args(argv)
    text = run(args.loads, args.pages.split(","), args.section, args.baseline, args.traces)
    print(text)
    if not args.no_write:
        write_section(args.section, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
