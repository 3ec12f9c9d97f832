"""Where a cold chart link's main-thread time goes: a Chrome trace of one page opened in a new browser context.

`python -m bench.cold_trace URL [--charts N] [--out trace.json]` opens URL in a fresh context (empty cache) under
Chrome's tracer, waits until N Plotly charts are drawn and Streamlit's script has finished, and prints the renderer
main thread's wall and CPU time before the largest module evaluation (Streamlit's start), that evaluation (on a chart
page, Streamlit's Plotly chunk: plotly.js initialising) and after it (the draws), with the background parse time per
script. Run it against the app and against a bare Streamlit page to separate the two (bench/RESULTS.md, issue 24
round 13).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS
from lib.model.files import write_atomic

CATEGORIES = ["devtools.timeline", "v8", "v8.execute", "disabled-by-default-devtools.timeline", "loading"]
DONE_JS = """n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n &&
  document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"""


def main_thread(events: list[dict]) -> tuple[int, int]:
    """The renderer main thread (pid, tid) with the most task time: a navigation moves the page to a new renderer."""
    names = {(e["pid"], e["tid"]): e.get("args", {}).get("name") for e in events if e.get("name") == "thread_name"}
    busy: collections.Counter = collections.Counter()
    for e in events:
        if e.get("name") == "RunTask" and names.get((e["pid"], e["tid"])) == "CrRendererMain":
            busy[(e["pid"], e["tid"])] += e.get("dur", 0)
    if not busy:
        raise ValueError("the trace has no renderer main thread tasks")
    return busy.most_common(1)[0][0]


def split(events: list[dict]) -> dict[str, float]:
    """Main-thread wall and CPU (ms) before, during and after the largest module evaluation, and the background
    parse time (ms) per script file name."""
    thread = main_thread(events)
    tasks = [e for e in events if (e["pid"], e["tid"]) == thread and e.get("name") == "RunTask" and e.get("ph") == "X"]
    evaluations = [e for e in events if (e["pid"], e["tid"]) == thread and e.get("name") == "v8.evaluateModule"]
    if not evaluations:
        raise ValueError("the trace has no module evaluation on the main thread")
    largest = max(evaluations, key=lambda e: e["dur"])
    task = next(t for t in tasks if t["ts"] <= largest["ts"] <= t["ts"] + t["dur"])
    before = [t for t in tasks if t["ts"] < task["ts"]]
    after = [t for t in tasks if t["ts"] > task["ts"]]

    def total(items: list[dict], key: str) -> float:
        return sum(t.get(key, 0) for t in items) / 1000

    out = {"before_wall": total(before, "dur"), "before_cpu": total(before, "tdur"),
           "evaluation_wall": task["dur"] / 1000, "evaluation_cpu": task.get("tdur", 0) / 1000,
           "after_wall": total(after, "dur"), "after_cpu": total(after, "tdur")}  # fmt: skip
    for e in events:
        if e.get("name") == "v8.parseOnBackground" and e.get("ph") == "X":
            url = (e.get("args", {}).get("data") or {}).get("url", "")
            key = "parse " + url.rsplit("/", 1)[-1]
            out[key] = out.get(key, 0) + e["dur"] / 1000
    return out


def trace(url: str, charts: int, out: Path | None = None) -> dict[str, float]:
    """Open `url` cold under the tracer; its split (see `split`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            browser.start_tracing(page=page, categories=CATEGORIES)
            page.goto(url, wait_until="commit")
            page.wait_for_function(DONE_JS, arg=charts, timeout=180000, polling="raf")
            raw = browser.stop_tracing()
        finally:
            browser.close()
    if out:
        write_atomic(out, raw)
    data = json.loads(raw)
    return split(data["traceEvents"] if isinstance(data, dict) else data)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.cold_trace")
    parser.add_argument("url")
    parser.add_argument("--charts", type=int, default=1, help="Plotly charts the page draws (0: none)")
    parser.add_argument("--out", type=Path, help="keep the raw trace (JSON) here")
    args = parser.parse_args(argv)
    parts = trace(args.url, args.charts, args.out)
    for name, value in sorted(parts.items(), key=lambda kv: kv[0].startswith("parse ")):
        if not name.startswith("parse ") or value >= 20:
            print(f"{name}: {value:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
