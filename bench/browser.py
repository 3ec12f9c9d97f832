"""Browser timings: cold start, page navigation and cold permalinks of the real app in headless Chromium
(Playwright), against plotly.js's own draw time.

Starts `streamlit run dashboard.py` on a free localhost port, then measures
- cold start: process start → server healthy → first page with every chart drawn;
- navigation: click a page in the sidebar → every chart drawn and the script finished, in the browser's clock,
  with its breakdown: first websocket message, script_finished, charts drawn, idle; the browser's main-thread
  CPU (Chrome Performance metrics); the messages sent by element kind (ForwardMsg decoded); and, in two further
  profiled rounds, JavaScript self time per frontend module (Streamlit loads one module per element kind);
- the plotly.js floor: `Plotly.newPlot` of the page's own specs and configs (from AppTest) at the page's chart
  sizes in an already loaded page: the time no dashboard drawing those figures can beat;
- cold permalink: a fresh browser context (empty cache) opening each page's URL, against the warm server;
- the bare-Streamlit floor: a minimal `st.navigation` app drawing only each page's title and figures at the app's
  sizes (bench/bare_floor.py, its own server), navigated and opened cold the same way, alternating with the app:
  bare over plotly.js is Streamlit's share of a page's time, app over bare the app's;
- the events page's search rerun: a search typed and Enter, then the box cleared (browser clock, server CPU, messages).

"Drawn" means each `[data-testid="stPlotlyChart"]` has its `.main-svg`, maps have their geo paths,
the page's first chart title and page title (taken from AppTest) are on screen, so a stale page never counts.

`python -m bench browser [--rounds 5] [--data DIR] [--section browser] [--label TEXT]`.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.load_test import free_port, wait_healthy, with_charts
from bench.results import OUT_DIR, ms, stamp, table, wait_for_quiet, write_section
from lib.model.files import write_atomic
from lib.paths import DATA_DIR_ENV, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 180_000
# the app's own server; a blob: URL of that origin too (the chart element's code, Streamlit's components v2)
LOCAL = re.compile(r"^(?:blob:)?https?://(127\.0\.0\.1|localhost)[:/]")

DRAWN_JS = with_charts("""([count, title]) => {
  const charts = [...document.querySelectorAll('CHARTS')];
  if (charts.length < count) return false;
  for (const chart of charts) {
    const svg = chart.querySelector('.main-svg');
    if (!svg) return false;
    if (chart.querySelector('.geo') && chart.querySelectorAll('.geo path').length === 0) return false;
    // drawn at its box's size (as bench.bundle_cold checks): a chart drawn before its box was sized is drawn again,
    // and the reader sees the page done only then
    const plot = svg.closest('.js-plotly-plot');
    if (plot && Math.abs(svg.getBoundingClientRect().height - plot.getBoundingClientRect().height) > 2) return false;
  }
  if (!title) return true;
  return [...document.querySelectorAll(':is(CHARTS) .gtitle')].some(t => t.textContent.includes(title));
}""")

INIT_JS = r"""(() => {
  // Every websocket message with its arrival time (before Streamlit handles it), and whether it is
  // Streamlit's script_finished (ForwardMsg field 6, read from the top-level protobuf fields).
  window.__frames = [];
  window.__finishedAt = 0;
  window.__idleAt = 0;
  const finished = (buf) => {
    const u = new Uint8Array(buf);
    let i = 0;
    const varint = () => { let v = 0, s = 0, b; do { b = u[i++]; v += (b & 127) * 2 ** s; s += 7; } while (b & 128 && i < u.length); return v; };
    while (i < u.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (field === 6) return true;
      if (wire === 0) varint(); else if (wire === 2) { const n = varint(); i += n; }
      else if (wire === 1) i += 8; else if (wire === 5) i += 4; else return false;
    }
    return false;
  };
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const now = performance.now();
        window.__frames.push([now, event.data]);
        if (event.data instanceof ArrayBuffer && finished(event.data)) {
          window.__finishedAt = now;
          window.__idleAt = 0;
          requestAnimationFrame(() => requestAnimationFrame(() => { window.__idleAt = performance.now(); }));
        }
      });
    }
  };
})();"""

FRAMES_JS = r"""(since) => {
  const out = [];
  const b64 = (buf) => { const u = new Uint8Array(buf); let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000)); return btoa(s); };
  for (const [t, data] of window.__frames) if (t >= since) out.push([t, data instanceof ArrayBuffer ? b64(data) : null, data instanceof ArrayBuffer ? data.byteLength : String(data).length]);
  return out;
}"""


def page_entries(entry: Path = ROOT / "dashboard.py") -> list[dict]:
    """(script, title, url_path) for each st.Page in dashboard.py, in order."""
    text = entry.read_text(encoding="utf-8")
    pages = []
    for call in re.findall(r"st\.Page\((.*?)\)", text, flags=re.DOTALL):
        script = re.search(r"[\"']([^\"']+\.py)[\"']", call)
        title = re.search(r"title\s*=\s*[\"']([^\"']+)[\"']", call)
        url = re.search(r"url_path\s*=\s*[\"']([^\"']*)[\"']", call)
        if script and "hidden" not in call and script.group(1) not in {p["script"] for p in pages}:
            stem = Path(script.group(1)).stem
            pages.append({"script": script.group(1), "title": title.group(1) if title else stem.replace("_", " ").title(),
                          "url_path": url.group(1) if url else stem})  # fmt: skip
    return pages


def _error(at) -> str | None:
    if not at.exception:
        return None
    first = at.exception[0]
    trace = [line for line in (first.stack_trace or []) if line.strip()]
    return f"`{(trace[-1] if trace else first.message).strip()[:160]}`"


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text or ""))


def expected_charts(pages: list[dict]) -> dict[str, dict]:
    """Per page, from AppTest: number of charts, first chart title, the page title, figure JSON bytes, and
    each chart's spec and config (what the plotly.js floor draws)."""
    from streamlit.testing.v1 import AppTest

    from lib.ui.chart_element import drawn_charts

    found = {}
    for n, page in enumerate(pages):
        if not (ROOT / page["script"]).is_file():
            found[page["script"]] = {"count": 0, "title": "", "heading": "", "bytes": [], "specs": [],
                                     "error": "page script does not exist yet"}  # fmt: skip
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        if n:
            at.switch_page(page["script"]).run()
        charts = drawn_charts(at)
        titles = []
        for el in charts:
            spec = el.spec
            title = spec.get("layout", {}).get("title", {})
            titles.append(_plain(title.get("text", "") if isinstance(title, dict) else str(title)))
        heading = at.title[0].value if len(at.title) else ""
        found[page["script"]] = {"count": len(charts), "title": titles[0][:40] if titles else "",
                                 "heading": _plain(heading)[:40], "bytes": [len(el.raw_spec) for el in charts],
                                 "specs": [[el.raw_spec, json.dumps(el.config), None] for el in charts],
                                 "error": _error(at)}  # fmt: skip
    return found


def _page_notes(pages: list[dict], expect: dict[str, dict]) -> list[str]:
    notes = []
    for entry in pages:
        found = expect[entry["script"]]
        if found["error"] == "page script does not exist yet":
            notes.append(f"- TODO {entry['script']}: registered in dashboard.py but the file does not exist yet; not measured.")
        elif found["error"]:
            notes.append(f"- {entry['script']}: not measured, the page raised an exception under AppTest: {found['error']}")
        elif not found["count"]:
            notes.append(f"- {entry['script']}: draws no charts; navigation not timed.")
    return notes


DONE_JS = """([count, title, heading, t0]) => {
  if (heading && ![...document.querySelectorAll('h1')].some(h => h.textContent.includes(heading))) return false;
  if (!(%s)([count, title])) return false;
  if (!window.__drawnAt) window.__drawnAt = performance.now();
  return window.__finishedAt > t0 && window.__idleAt > window.__finishedAt;
}""".replace("%s", DRAWN_JS)

CLICK_JS = """(path) => {
  window.__frames = []; window.__drawnAt = 0; window.__finishedAt = 0; window.__idleAt = 0;
  const links = [...document.querySelectorAll('[data-testid="stSidebarNav"] a')];
  const link = links.find(l => new URL(l.href).pathname.endsWith('/' + path)) || links[0];
  const t0 = performance.now();
  link.click();
  return t0;
}"""

SIZES_JS = with_charts("""() => [...document.querySelectorAll('CHARTS')].map(e => {
  const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })""")

FLOOR_JS = """async ([items, sizes]) => {
  const root = document.getElementById('root');
  root.innerHTML = '';
  const divs = items.map((_, i) => {
    const d = document.createElement('div');
    d.style.width = (sizes[i] || [700, 450])[0] + 'px'; d.style.height = (sizes[i] || [700, 450])[1] + 'px';
    root.appendChild(d); return d; });
  await new Promise(r => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  await Promise.all(items.map(([spec, config], i) => {
    const s = JSON.parse(spec); return Plotly.newPlot(divs[i], s.data, s.layout, JSON.parse(config)); }));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const t = performance.now() - t0;
  for (const d of divs) Plotly.purge(d);
  return t;
}"""

PLOTLY_JS = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"
METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def _drawn(page, expect: dict) -> None:
    page.wait_for_function(DRAWN_JS, arg=[expect["count"], expect["title"]], timeout=TIMEOUT_MS, polling=20)


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] in METRICS}


def _kind(raw: bytes) -> str:
    """What one websocket message carries: the element type of a delta, else the message type."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg.FromString(raw)
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta":
        delta = msg.delta.WhichOneof("type")
        return msg.delta.new_element.WhichOneof("type") if delta == "new_element" else str(delta)
    return "cached element (ref_hash)" if kind == "ref_hash" else kind


def server_cpu(pid: int | None) -> float:
    """CPU seconds the server process has used so far, every thread (from /proc/<pid>/task/*/schedstat)."""
    if pid is None:
        return 0.0
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9


SERVER: dict[str, int | None] = {"pid": None}


def navigate(page, cdp, entry: dict, expect: dict) -> dict:
    """Click a page in the sidebar; times in the browser's clock from the click: the first message back, the
    script's end (script_finished), every chart drawn, idle (two frames painted after the end)."""

    before, server_before = _metrics(cdp), server_cpu(SERVER["pid"])
    t0 = page.evaluate(CLICK_JS, entry["url_path"])
    page.wait_for_function(DONE_JS, arg=[expect["count"], expect["title"], expect["heading"], t0],
                           timeout=TIMEOUT_MS, polling="raf")  # fmt: skip
    drawn, finished, idle = page.evaluate("() => [window.__drawnAt, window.__finishedAt, window.__idleAt]")
    after, server_after = _metrics(cdp), server_cpu(SERVER["pid"])
    end = max(drawn, idle)
    frames = [f for f in page.evaluate(FRAMES_JS, t0) if f[0] <= end]
    kinds, sizes = frames_by_kind(frames)
    return {"nav": (end - t0) / 1000, "first": ((frames[0][0] - t0) / 1000) if frames else None,
            "finished": (finished - t0) / 1000, "drawn": (drawn - t0) / 1000, "idle": (idle - t0) / 1000,
            "frames": len(frames), "bytes": sum(f[2] for f in frames), "kinds": dict(kinds), "kind_bytes": dict(sizes),
            "cpu": {k: after.get(k, 0) - before.get(k, 0) for k in METRICS},
            "server_cpu": server_after - server_before}  # fmt: skip


def frames_by_kind(frames: list) -> tuple[dict, dict]:
    """Websocket frames ([time, base64 data or None, size]) counted and sized by Streamlit element kind."""
    import base64
    from collections import Counter

    kinds: Counter = Counter()
    sizes: Counter = Counter()
    for _, data, size in frames:
        kind = _kind(base64.b64decode(data)) if data is not None else "text"
        kinds[kind] += 1
        sizes[kind] += size
    return kinds, sizes


SEARCH_QUERY = "troops"  # the events page's own example search


def search_rerun(page, query: str) -> dict:
    """On the events page: type `query` into its search box and press Enter; the time until the script's end and two
    painted frames (browser clock), the server's CPU, and what was sent. A search the page scopes to itself (a
    fragment) skips the shared frame: data, sidebar, briefing button."""
    box = page.get_by_label("Search the events")
    box.fill(query)
    server_before = server_cpu(SERVER["pid"])
    t0 = page.evaluate(RERUN_JS)
    box.press("Enter")
    page.wait_for_function("(t0) => window.__finishedAt > t0 && window.__idleAt > window.__finishedAt", arg=t0,
                           timeout=TIMEOUT_MS, polling="raf")  # fmt: skip
    finished, idle = page.evaluate("() => [window.__finishedAt, window.__idleAt]")
    frames = page.evaluate(FRAMES_JS, t0)
    return {"total": (idle - t0) / 1000, "finished": (finished - t0) / 1000, "frames": len(frames),
            "bytes": sum(f[2] for f in frames), "server_cpu": server_cpu(SERVER["pid"]) - server_before}  # fmt: skip


RERUN_JS = """() => { window.__frames = []; window.__finishedAt = 0; window.__idleAt = 0; return performance.now(); }"""


def same_page_rerun(page, expect: dict) -> dict | None:
    """Rerun the page shown without changing anything (Streamlit's "r" key): what it sends, by kind."""

    page.locator("h1").first.click()  # focus out of any input, where "r" would be typed
    t0 = page.evaluate(RERUN_JS)
    page.keyboard.press("r")
    try:
        page.wait_for_function(DONE_JS, arg=[expect["count"], expect["title"], expect["heading"], t0], timeout=30_000,
                               polling="raf")  # fmt: skip
    except Exception:  # noqa: BLE001 - reported as not measured
        return None
    frames = page.evaluate(FRAMES_JS, t0)
    kinds, sizes = frames_by_kind(frames)
    return {"frames": len(frames), "bytes": sum(f[2] for f in frames), "kinds": dict(kinds), "kind_bytes": dict(sizes)}


def _module(node: dict) -> str:
    url = node["callFrame"].get("url") or ""
    if not url:
        return node["callFrame"].get("functionName") or "(anonymous)"
    name = url.rsplit("/", 1)[-1].split("?")[0]
    return name.split(".")[0] or name


def profiled(page, cdp, entry: dict, expect: dict) -> dict[str, float]:
    """One navigation under the CPU sampling profiler: JavaScript self time per module (Streamlit's
    frontend is split by element: PlotlyChart, DataFrame, DownloadButton, …; `index` is React and the rest)."""
    from collections import Counter

    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 250})
    cdp.send("Profiler.start")
    navigate(page, cdp, entry, expect)
    profile = cdp.send("Profiler.stop")["profile"]
    cdp.send("Profiler.disable")
    nodes = {n["id"]: n for n in profile["nodes"]}
    totals: Counter = Counter()
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    for i, sample in enumerate(samples):
        duration = deltas[i + 1] if i + 1 < len(deltas) else 0
        totals[_module(nodes[sample])] += duration / 1e6
    totals.pop("(idle)", None)
    return dict(totals)


FLOOR_WARMUP = 3  # draws per page before the timed ones: a fresh page's first draws run plotly.js's code cold (JIT)


FORCE_GC = {"on": False}  # --gc: a full collection before every timed navigation and floor draw


def collect_garbage(cdp) -> None:
    """With --gc, a full garbage collection in the tab now, before every timed navigation and floor draw alike. Off by
    default: a forced full collection also drops V8's compiled code, so the draw after it ran 10-20% more CPU
    (floor: overview 131 -> 145 ms, stance 168 -> 201, timeline 237 -> 271; issue 24 round 12)."""
    if FORCE_GC["on"]:
        cdp.send("HeapProfiler.collectGarbage")


def open_floor(browser, port: int):
    """A tab of its own (own context) with plotly.js loaded at the app's origin (the maps' base map is served there):
    where the plotly.js floor is drawn; (page, CDP session)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    floor = context.new_page()
    floor.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort())
    floor.goto(f"http://127.0.0.1:{port}/_stcore/health")
    floor.set_content("<html><body style='margin:0'><div id='root'></div></body></html>")
    floor.add_script_tag(path=str(PLOTLY_JS))
    cdp = context.new_cdp_session(floor)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    return floor, cdp


def floor_draw(floor_page, cdp, items: list, sizes: list) -> dict:
    """plotly.js alone drawing the page's figures (same specs, configs and sizes) in an already loaded page (after a
    garbage collection with --gc): wall time (JSON parse to two painted frames) and the tab's main-thread CPU (seconds)."""
    floor_page.bring_to_front()
    collect_garbage(cdp)
    before = _metrics(cdp)
    wall = floor_page.evaluate(FLOOR_JS, [items, sizes]) / 1000
    return {"wall": wall, "cpu": _metrics(cdp).get("TaskDuration", 0) - before.get("TaskDuration", 0)}


COLD_PARTS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const end = (re) => { const found = res.filter(r => re.test(r.name)); return found.length ? Math.max(...found.map(r => r.responseEnd)) : null; };
  const first = window.__frames.length ? window.__frames[0][0] : null;
  const plotly = res.filter(r => /PlotlyChart/.test(r.name));
  const bytes = res.reduce((sum, r) => sum + (r.transferSize || 0), nav ? nav.transferSize || 0 : 0);
  return {html: nav ? nav.responseEnd : null, app_js: end(/\\/index\\.[^/]*\\.js/), plotly_js: end(/PlotlyChart/),
          plotly_requested: plotly.length ? Math.min(...plotly.map(r => r.startTime)) : null,
          scripts: end(/\\.js(\\?|$)/), first_message: first, finished: window.__finishedAt || null,
          bytes: bytes, plotly_bytes: plotly.reduce((sum, r) => sum + (r.transferSize || 0), 0),
          plotly_body: plotly.reduce((sum, r) => sum + (r.decodedBodySize || 0), 0)};
}"""


def _open_link(context, port: int, entry: dict, expect: dict) -> dict:
    """A new tab of `context` opening the page's URL: navigation start → every chart drawn and the script
    finished, with its parts (seconds) and the bytes it fetched."""
    page = context.new_page()
    outside: list[str] = []  # no page.route here: Playwright turns the HTTP cache off for a routed page
    page.on("request", lambda r: None if LOCAL.match(r.url) else outside.append(r.url))
    try:
        page.add_init_script(INIT_JS)
        path = "" if entry.get("default") else entry["url_path"]
        page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(DONE_JS, arg=[expect["count"], expect["title"], expect["heading"], 0],
                               timeout=TIMEOUT_MS, polling="raf")  # fmt: skip
        drawn, idle = page.evaluate("() => [window.__drawnAt, window.__idleAt]")
        parts = page.evaluate(COLD_PARTS_JS)
        sizes = {k: parts.pop(k) for k in ("bytes", "plotly_bytes", "plotly_body")}
        if outside:
            raise RuntimeError(f"the app asked for other hosts: {outside[:3]}")
        return {"total": max(drawn, idle) / 1000, "drawn": drawn / 1000, "idle": idle / 1000, **sizes,
                **{k: (v / 1000 if v is not None else None) for k, v in parts.items()}}  # fmt: skip
    finally:
        page.close()


def cold_permalink(browser, port: int, entry: dict, expect: dict, *, again: bool = True) -> dict:
    """A new browser context (empty cache) opening the page's URL (warm server), then the same link again in a
    new tab of that context: a returning reader, whose browser holds Streamlit's bundles in its HTTP cache
    (they are served `immutable, max-age` a year) and fetches only the HTML and the session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        cold = _open_link(context, port, entry, expect)
        if not again:
            return cold
        returning = _open_link(context, port, entry, expect)
        return {**cold, **{f"again_{k}": v for k, v in returning.items()}}
    finally:
        context.close()


SERVER_PARTS_SCRIPT = """
import json, time
marks = [("start", time.perf_counter())]
import streamlit
marks.append(("import streamlit", time.perf_counter()))
import pandas, pyarrow
marks.append(("import pandas, pyarrow", time.perf_counter()))
import plotly.graph_objects
marks.append(("import plotly.graph_objects", time.perf_counter()))
import lib.ui
marks.append(("import lib.ui (the app's modules)", time.perf_counter()))
from lib.paths import data_dir
from lib.model.data_folder import load_folder
dataset, tables = load_folder(data_dir())
marks.append(("load and validate the data folder", time.perf_counter()))
from lib.model.filters import FilterOptions
from lib.views.style import ChartMeta
meta, options = ChartMeta.from_dataset(dataset), FilterOptions.from_dataset(dataset, tables)
marks.append(("chart meta and filter options", time.perf_counter()))
from lib.views import charts
figures = [charts.figure_for(kind, tables.events, tables, meta) for kind in ("by_year", "by_country")]
marks.append(("the overview's two figures", time.perf_counter()))
import plotly.io
for figure in figures:
    plotly.io.to_json(figure, validate=False)
marks.append(("their JSON", time.perf_counter()))
print(json.dumps([[name, b - a] for (_, a), (name, b) in zip(marks, marks[1:])]))
"""


FIRST_RUN_SCRIPT = """
import json, time
import streamlit
from streamlit.testing.v1 import AppTest
start = time.perf_counter()
at = AppTest.from_file("dashboard.py", default_timeout=300).run()
assert not at.exception, at.exception
print(json.dumps([["first run of dashboard.py (AppTest, streamlit imported): every import, the data, the page", time.perf_counter() - start]]))
"""


def server_parts(env: dict, repeats: int = 3, cwd: Path = ROOT) -> list[tuple[str, float]]:
    """What a fresh server's first run waits for, step by step, each in a new Python process (median of
    `repeats`): imports, the data folder, the first page's figures. The gazetteer is not among them: only
    curation mode loads it, in the background (lib.ui.warm_drafter)."""
    runs = []
    for _ in range(repeats):
        steps = []
        for script in (SERVER_PARTS_SCRIPT, FIRST_RUN_SCRIPT):
            out = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True,
                                 text=True, check=True).stdout  # fmt: skip
            steps += json.loads(out.strip().splitlines()[-1])
        runs.append(steps)
    return [(name, statistics.median(run[i][1] for run in runs)) for i, (name, _) in enumerate(runs[0])]


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime unavailable"


def serve(cwd: Path, env: dict, log, script: str = "dashboard.py") -> tuple[subprocess.Popen, int]:
    """`streamlit run script` from `cwd` on a free localhost port, file watcher off, output to `log`: the process
    and its port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],  # the code as it was at the start, whatever is edited during the run
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc, port


BARE_ENV = "BENCH_BARE_FLOOR"


def write_bare_pages(pages: list[dict], expect: dict, sizes: dict, path: Path) -> Path:
    """What bench/bare_floor.py serves: each page's URL path, title, heading and charts (spec, config, theme and
    the size the app drew it at), in the app's order."""
    out = []
    for entry in pages:
        found = expect[entry["script"]]
        drawn = sizes.get(entry["script"], [])
        charts = [{"spec": item[0], "config": item[1], "theme": item[2] if len(item) > 2 else "streamlit",
                   "size": drawn[n] if n < len(drawn) and all(drawn[n]) else None}
                  for n, item in enumerate(found["specs"])]  # fmt: skip
        out.append({"url_path": entry["url_path"], "title": entry["title"], "heading": found["heading"],
                    "default": bool(entry.get("default")), "charts": charts})  # fmt: skip
    write_atomic(path, json.dumps(out))
    return path


def bare_script(folder: Path) -> str:
    """bench/bare_floor.py copied into `folder` beside a link to the app's static/ folder: Streamlit serves
    /app/static/ from the script's own folder, and the maps' base map (topojsonURL) is there."""
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "bare_floor.py", Path(__file__).with_name("bare_floor.py").read_bytes())
    link = folder / "static"
    if not link.exists():
        link.symlink_to(ROOT / "static", target_is_directory=True)
    return str(folder / "bare_floor.py")


def _app_page(context):
    page = context.new_page()
    page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort())
    page.add_init_script(INIT_JS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})  # task durations as the main thread's CPU time
    return page, cdp


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(rounds: int = 5, data: str | None = None, section: str = "browser", label: str = "",
        baseline: str | None = None, cold_rounds: int | None = None) -> str:
    """Measure cold start, navigation (with its breakdown) against the plotly.js floor, and cold
    permalinks; rewrite the `section` section of RESULTS.md (raw figures in bench/out/<section>.json).

    `baseline`: another checkout of the app (e.g. `git worktree add /tmp/base <commit>`), served at the same
    time on its own port; its navigations and cold permalinks alternate with this app's, round by round,
    so both see the same machine load (a busy machine's load swings more than the difference measured)."""
    from playwright.sync_api import sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wait_for_quiet()
    started, load_start = stamp(), _uptime()
    begun = time.perf_counter()

    def phase(name: str) -> None:  # progress on the terminal: how long the run has taken so far
        print(f"bench browser: {time.perf_counter() - begun:5.0f} s, {name}", file=sys.stderr, flush=True)

    phase("page figures from AppTest, then the apps' cold starts")
    env = dict(os.environ)
    if data:
        env[DATA_DIR_ENV] = os.environ[DATA_DIR_ENV] = str(Path(data).resolve())
    pages = page_entries()
    if pages:
        pages[0]["default"] = True
    expect = expected_charts(pages)
    all_pages = pages
    pages = [p for p in pages if not expect[p["script"]]["error"] and (expect[p["script"]]["count"]
                                                                      or expect[p["script"]]["heading"])]  # fmt: skip
    pages = [p for p in pages if p["url_path"] not in ("briefings", "present", "curate")] or pages
    apps = {"app": ROOT, **({"baseline": Path(baseline).resolve()} if baseline else {})}
    logs = {name: open(OUT_DIR / f"{section}-{name}-streamlit.log", "w") for name in (*apps, "bare")}  # noqa: SIM115
    runs = {name: {"navs": {p["script"]: [] for p in pages}, "colds": {p["script"]: [] for p in pages}}
            for name in (*apps, "bare")}  # fmt: skip
    profiles: dict[str, list[dict]] = {p["script"]: [] for p in pages}
    floors: dict[str, list[float]] = {}  # per page, one plotly.js draw per timed round (wall seconds)
    floor_cpu: dict[str, list[float]] = {}  # the same draws' main-thread CPU
    warmups: dict[str, list[dict]] = {}
    sizes: dict[str, list] = {}
    reruns: dict[str, dict | None] = {}
    procs: dict[str, subprocess.Popen] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tabs, ports = {}, {}
        try:
            for name, cwd in apps.items():  # one after the other: each cold start alone
                page, cdp = _app_page(context if name == "app" else browser.new_context(viewport={"width": 1400, "height": 1000}))
                start = time.perf_counter()
                procs[name], ports[name] = serve(cwd, env, logs[name])
                wait_healthy(ports[name], procs[name], 120)
                runs[name]["healthy"] = time.perf_counter() - start
                page.goto(f"http://127.0.0.1:{ports[name]}/", timeout=TIMEOUT_MS)
                _drawn(page, expect[pages[0]["script"]])
                runs[name]["cold"] = time.perf_counter() - start
                page.wait_for_timeout(1500)  # let the app settle (see FIELD-NOTES: a transient toast after start)
                tabs[name] = (page, cdp)
            phase("warm-up round")
            for name, (page, cdp) in tabs.items():  # warm-up round: every page's code and chunks loaded once
                page.bring_to_front()
                SERVER["pid"] = procs[name].pid
                for entry in pages[1:] + pages[:1]:
                    navigate(page, cdp, entry, expect[entry["script"]])
                    sizes.setdefault(entry["script"], page.evaluate(SIZES_JS))
            phase("bare-Streamlit floor start")
            # the bare-Streamlit floor: the same figures at the app's sizes, nothing else (bench/bare_floor.py)
            env[BARE_ENV] = str(write_bare_pages(pages, expect, sizes, OUT_DIR / f"{section}-bare-pages.json"))
            page, cdp = _app_page(browser.new_context(viewport={"width": 1400, "height": 1000}))
            start = time.perf_counter()
            procs["bare"], ports["bare"] = serve(ROOT, env, logs["bare"], script=bare_script(OUT_DIR / f"{section}-bare"))
            wait_healthy(ports["bare"], procs["bare"], 120)
            page.goto(f"http://127.0.0.1:{ports['bare']}/", timeout=TIMEOUT_MS)
            _drawn(page, expect[pages[0]["script"]])
            runs["bare"]["cold"] = time.perf_counter() - start
            tabs["bare"] = (page, cdp)
            SERVER["pid"] = procs["bare"].pid
            for entry in pages[1:] + pages[:1]:
                navigate(page, cdp, entry, expect[entry["script"]])
            phase("plotly.js floor warm-up")
            # the plotly.js floor, drawn in the same rounds as the navigations (below), so load and the browser's
            # state hit both alike; first FLOOR_WARMUP draws per page, kept apart: a fresh tab's plotly.js runs cold
            floor, floor_cdp = open_floor(browser, ports["app"])
            chart_pages = [e for e in pages if expect[e["script"]]["specs"]]
            for entry in chart_pages:
                warmups[entry["script"]] = [floor_draw(floor, floor_cdp, expect[entry["script"]]["specs"],
                                                       sizes.get(entry["script"], [])) for _ in range(FLOOR_WARMUP)]  # fmt: skip
            phase("timed rounds: navigations and plotly.js floors interleaved")
            for _ in range(rounds):
                for entry in pages[1:] + pages[:1]:
                    for name, (page, cdp) in tabs.items():
                        page.bring_to_front()
                        SERVER["pid"] = procs[name].pid
                        collect_garbage(cdp)
                        runs[name]["navs"][entry["script"]].append(navigate(page, cdp, entry, expect[entry["script"]]))
                        if entry["url_path"] == "events" and name != "bare":  # a search, then clearing it
                            runs[name].setdefault("searches", []).extend(
                                [search_rerun(page, SEARCH_QUERY), search_rerun(page, "")])
                    if expect[entry["script"]]["specs"]:
                        drawn = floor_draw(floor, floor_cdp, expect[entry["script"]]["specs"], sizes.get(entry["script"], []))
                        floors.setdefault(entry["script"], []).append(drawn["wall"])
                        floor_cpu.setdefault(entry["script"], []).append(drawn["cpu"])
            floor.context.close()
            page, cdp = tabs["app"]
            page.bring_to_front()
            SERVER["pid"] = procs["app"].pid
            phase("profiled navigations and same-page reruns")
            for _ in range(2):
                for entry in pages[1:] + pages[:1]:
                    profiles[entry["script"]].append(profiled(page, cdp, entry, expect[entry["script"]]))
            for entry in pages:
                navigate(page, cdp, entry, expect[entry["script"]])
                reruns[entry["script"]] = same_page_rerun(page, expect[entry["script"]])
            page.screenshot(path=str(OUT_DIR / f"{section}-last-page.png"))
            phase("cold permalinks")
            for n in range(rounds if cold_rounds is None else cold_rounds):  # the returning reader's visit (no target, the slowest part) in the first round only
                for entry in pages:
                    for name in (*apps, "bare"):
                        runs[name]["colds"][entry["script"]].append(cold_permalink(
                            browser, ports[name], entry, expect[entry["script"]], again=name != "bare" and n == 0))
        finally:
            for proc in procs.values():
                _stop(proc)
            for log in logs.values():
                log.close()
            browser.close()
    phase("server-side cold-start steps")
    parts = server_parts(env)
    load_end = _uptime()
    app = runs["app"]
    raw = {"server_parts": parts, "reruns": reruns, "started": started, "uptime_start": load_start,
           "uptime_end": load_end, "cold": app["cold"], "healthy": app["healthy"], "navs": app["navs"],
           "profiles": profiles, "floors": floors, "floor_cpu": floor_cpu, "floor_warmup": warmups, "colds": app["colds"], "sizes": sizes, "bare": runs["bare"],
           "searches": app.get("searches", []),
           **({"baseline": {"path": baseline, **runs["baseline"]}} if baseline else {})}  # fmt: skip
    write_atomic(OUT_DIR / f"{section}.json", json.dumps(raw, indent=1))
    measured = {p["script"] for p in pages}
    notes = [n for n in _page_notes(all_pages, expect) if not any(s in n for s in measured)]
    body = report(raw, pages, expect, rounds, section, label) + "\n" + "\n".join(notes)
    write_section(section, body)
    phase("done")
    if raw.get("bare"):  # the verdict last on the terminal too, where a long section would hide it
        print(verdict_text(raw, pages), file=sys.stderr)
    return body


def paired(raw: dict, pages: list[dict]) -> str:
    """The baseline beside this app, from the same run (alternating navigations and cold permalinks)."""
    base = raw["baseline"]
    rows = []
    for entry in pages:
        script = entry["script"]
        floor = _median(raw["floors"].get(script, []))
        target = TARGETS.get(entry["url_path"], DEFAULT_TARGET)
        row = [entry["title"], ms(floor)]
        for run in (base, raw):
            nav = _median([n["nav"] for n in run["navs"][script]])
            last = run["navs"][script][-1]
            per_round = _median(paired_ratios(run["navs"][script], raw["floors"].get(script, [])))
            cpu = _median(cpu_ratios(run["navs"][script], raw.get("floor_cpu", {}).get(script, [])))
            row += [ms(nav), f"{per_round:.1f}x" if per_round else "—", f"{last['frames']} / {last['bytes'] / 1000:.0f} kB",
                    ms(_median([n["cpu"]["TaskDuration"] for n in run["navs"][script]])) + (f" ({cpu:.2f}x)" if cpu else ""),
                    ms(_median([c["total"] for c in run["colds"][script]]))]  # fmt: skip
        rows.append([*row, f"≤ {target:g}x"])
    return "\n".join([
        (f"Paired with the baseline `{base['path']}` in the same run: each navigation and cold permalink of one "
        f"app is followed by the same on the other, so both saw the same load. Cold start: baseline "
        f"{ms(base['cold'])}, this app {ms(raw['cold'])} (each started alone)."), "",
        table(["page", "plotly.js floor", "baseline: navigation", "baseline: / floor", "baseline: messages / bytes",
               "baseline: main-thread CPU (/ floor's)", "baseline: cold permalink", "now: navigation", "now: / floor",
               "now: messages / bytes", "now: main-thread CPU (/ floor's)", "now: cold permalink", "target"], rows), "",
    ])  # fmt: skip


def paired_ratios(navs: list[dict], floors: list[float]) -> list[float]:
    """Each round's navigation over the plotly.js floor drawn in the same round (the two interleaved, so the same
    load hits both); with unpaired figures (an older run's), each navigation over the floors' median."""
    if not navs or not floors:
        return []
    if len(navs) == len(floors):
        return [n["nav"] / f for n, f in zip(navs, floors, strict=True) if f]
    floor = statistics.median(floors)
    return [n["nav"] / floor for n in navs]


def min_median_p95(values: list) -> tuple[float, float, float] | None:
    """min, median and p95 (nearest rank: with fewer than 20 values, the largest) of the values given; None if none."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return values[0], statistics.median(values), values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)]


def spread(values: list) -> str:
    """min / median / p95 of seconds, as ms."""
    three = min_median_p95(values)
    return " / ".join(f"{v * 1000:.0f}" for v in three) if three else "—"


def ratio_spread(values: list) -> str:
    """min / median / p95 of ratios."""
    three = min_median_p95(values)
    return " / ".join(f"{v:.2f}" for v in three) + "x" if three else "—"


def cpu_ratios(navs: list[dict], cpus: list[float]) -> list[float]:
    """Each round's navigation main-thread CPU (tasks) over the floor draw's of the same round."""
    if not navs or len(navs) != len(cpus):
        return []
    return [n["cpu"]["TaskDuration"] / c for n, c in zip(navs, cpus, strict=True) if c]


def spread_table(raw: dict, pages: list[dict]) -> str:
    """Per page, the spread over the timed rounds of the floor, the navigations and the paired ratios, in wall time
    and in the browser main thread's CPU; and the floor's warm-up draws (a fresh tab's plotly.js runs cold)."""
    bare, rows, warm = raw.get("bare") or {}, [], []
    for entry in pages:
        script = entry["script"]
        floors = raw["floors"].get(script) or []
        if not floors:
            continue
        navs, bare_navs, cpus = raw["navs"][script], (bare.get("navs") or {}).get(script, []), raw.get("floor_cpu", {}).get(script, [])
        rows.append([entry["title"], spread(floors), spread([n["nav"] for n in navs]),
                     spread([n["nav"] for n in bare_navs]), ratio_spread(paired_ratios(navs, floors)),
                     ratio_spread(paired_ratios(bare_navs, floors)), spread(cpus),
                     spread([n["cpu"]["TaskDuration"] for n in navs]), ratio_spread(cpu_ratios(navs, cpus)),
                     ratio_spread(cpu_ratios(bare_navs, cpus))])  # fmt: skip
        drawn = (raw.get("floor_warmup") or {}).get(script) or []
        if drawn:
            warm.append(f"{entry['title']} " + ", ".join(f"{d['wall'] * 1000:.0f}" for d in drawn)
                        + " ms (CPU " + ", ".join(f"{d['cpu'] * 1000:.0f}" for d in drawn) + " ms)")  # fmt: skip
    return "\n".join([
        ("**Spread over the timed rounds** (min / median / p95; with fewer than 20 rounds p95 is the largest). Each "
         "round navigates the app, then the bare floor, then draws the page's figures with plotly.js alone in its own "
         "tab, so load hits the three alike; a ratio is each round's time over "
         "the floor of the same round. Wall time is what the targets are set in; the browser main thread's CPU "
         "(Chrome's task durations in thread time) is what a busy machine inflates least: its ratio is the check on "
         "the wall-time ratio."), "",
        table(["page", "plotly.js floor", "app: navigation", "bare: navigation", "app / floor (per round)",
               "bare / floor (per round)", "floor: main-thread CPU", "app: main-thread CPU", "app / floor CPU",
               "bare / floor CPU"], rows), "",
        ("The floor's warm-up draws, before the timed rounds (wall; main-thread CPU), in a fresh tab: "
         + "; ".join(warm) + ". A floor measured without them, or with fewer rounds, comes out higher.") if warm else "",
        "",
    ])  # fmt: skip


COLD_TARGET = 1.5  # seconds, median
LINE = 0.1  # a bare figure within 10% of the target, or rounds on both sides of it: "on the line"


def judge(app: float | None, bare: float | None, target: float, spread: tuple[float, float] | None, unit: str) -> str:
    """One target on one page: met or not by the app, and, when not, whose gap it is: the app's (the bare-Streamlit
    floor meets the target) or the framework's (the bare floor alone misses it). `spread` is the bare floor's
    lowest and highest round; when they lie on both sides of the target, or its median is within 10% of it, the
    verdict says so: one run cannot settle it."""

    def fmt(value: float) -> str:
        return f"{value:.1f}x" if unit == "x" else ms(value)

    if app is None:
        return "— (not measured)"
    if bare is None:
        return ("met" if app <= target else "NOT met") + " (no bare-Streamlit figure)"
    on_line = (spread is not None and spread[0] <= target < spread[1]) or abs(bare - target) <= LINE * target
    line = (f"; **on the line**: bare rounds {fmt(spread[0])}–{fmt(spread[1])}, a quiet re-run decides"
            if on_line and spread else "; **on the line**: a quiet re-run decides" if on_line else "")
    if app <= target:
        return f"met (app {fmt(app)}; bare {fmt(bare)}{line})"
    if bare <= target:
        return f"NOT met: **the app's gap** (bare Streamlit meets it at {fmt(bare)}, app {fmt(app)}{line})"
    return f"NOT met: **out of Streamlit's reach here** (bare Streamlit alone {fmt(bare)} > {fmt(target)}{line})"


def verdicts(raw: dict, pages: list[dict]) -> list[list[str]]:
    """Per target and page, the app's figure, the bare-Streamlit floor's, and the verdict (`judge`): navigation
    against the plotly.js floor measured in the same run, and the cold permalink's median."""
    bare, rows = raw.get("bare") or {}, []
    for entry in pages:
        script = entry["script"]
        floor = _median(raw["floors"].get(script, []))
        if not floor:
            continue
        target = TARGETS.get(entry["url_path"], DEFAULT_TARGET)
        app = _median([n["nav"] for n in raw["navs"][script]])
        app_ratio = _median(paired_ratios(raw["navs"][script], raw["floors"][script]))
        rounds = paired_ratios((bare.get("navs") or {}).get(script, []), raw["floors"][script])
        nav_bare = _median(rounds)
        bare_ms = _median([n["nav"] for n in (bare.get("navs") or {}).get(script, [])])
        rows.append([f"navigation ≤ {target:g}x its plotly.js floor", entry["title"], ms(floor),
                     f"{ms(app)} ({app_ratio:.1f}x)" if app else "—",
                     f"{ms(bare_ms)} ({nav_bare:.1f}x)" if nav_bare else "—",
                     judge(app_ratio if app else None, nav_bare, target,
                           (min(rounds), max(rounds)) if rounds else None, "x")])  # fmt: skip
    for entry in pages:
        script = entry["script"]
        app = _median([c["total"] for c in raw["colds"][script]])
        colds = (bare.get("colds") or {}).get(script, [])
        cold_bare = _median([c["total"] for c in colds])
        parts = ""
        if colds:
            found = {k: _median([c.get(k) for c in colds]) for k in ("app_js", "first_message", "plotly_js")}
            parts = "; bare's parts: Streamlit's main script " + ms(found["app_js"]) + ", first message " + ms(
                found["first_message"]) + (f", Plotly chunk loaded {ms(found['plotly_js'])}" if found["plotly_js"] else "")
        rows.append([f"cold permalink < {ms(COLD_TARGET)} (median)", entry["title"], "—", ms(app), ms(cold_bare),
                     judge(app, cold_bare, COLD_TARGET,
                           (min(c["total"] for c in colds), max(c["total"] for c in colds)) if colds else None, "s")
                     + parts])  # fmt: skip
    return rows


def verdict_text(raw: dict, pages: list[dict]) -> str:
    """The verdict table, with what it does not cover (the events rerun and 1M events are `bench server`'s)."""
    return "\n".join([
        ("**Verdict, per target and page** (this run): whether the app meets the target and, when it does not, "
         "whether the bare-Streamlit floor (`bench/bare_floor.py`: the same pages, titles and figures, nothing "
         "else, measured alternately in the same run) meets it: if the bare floor meets it, the gap is **the "
         "app's**; if the bare floor alone misses it, the target is **out of Streamlit's reach** in this set-up "
         "(Streamlit 1.67 served by `streamlit run`, headless Chromium on this machine). \"On the line\": the bare "
         f"floor's median is within {LINE:.0%} of the target, or its rounds lie on both sides of it."), "",
        table(["target", "page", "plotly.js floor", "app", "bare Streamlit", "verdict"], verdicts(raw, pages)), "",
        ("Not judged here: the events page's rerun within 3x its server-side floor and \"no page slower at 1M "
         "events\" are `python -m bench server` (sections `server`, `server-bulk-1m`)."), "",
    ])  # fmt: skip


def bare_table(raw: dict, pages: list[dict]) -> str:
    """plotly.js floor / bare-Streamlit floor / the app, per page, for navigation and the cold permalink: which part
    of the gap is Streamlit's (bare over plotly.js) and which is the app's (app over bare)."""
    bare, rows = raw["bare"], []
    for entry in pages:
        script = entry["script"]
        floor = _median(raw["floors"].get(script, []))
        nav_bare = _median([n["nav"] for n in bare["navs"][script]])
        nav_app = _median([n["nav"] for n in raw["navs"][script]])
        cold_bare = _median([c["total"] for c in bare["colds"][script]])
        cold_app = _median([c["total"] for c in raw["colds"][script]])
        last = bare["navs"][script][-1] if bare["navs"][script] else None

        def ratio(a, b):
            return f"{a / b:.1f}x" if a and b else "—"

        per_round = [_median(paired_ratios(navs[script], raw["floors"].get(script, []))) for navs in (bare["navs"], raw["navs"])]
        rows.append([entry["title"], ms(floor), ms(nav_bare), ms(nav_app),
                     *(f"{r:.1f}x" if r else "—" for r in per_round),
                     ratio(nav_app, nav_bare), f"{last['frames']} / {last['bytes'] / 1000:.0f} kB" if last else "—",
                     ms(_median([n["cpu"]["TaskDuration"] for n in bare["navs"][script]])),
                     ms(cold_bare), ms(cold_app)])  # fmt: skip
    return "\n".join([
        ("**Framework and app, separated.** The bare-Streamlit floor (`bench/bare_floor.py`) is a minimal "
        "`st.navigation` app with the same pages at the same URL paths, each only its title and `st.plotly_chart` "
        "of the same figures (specs, configs and theme taken from the page, at the sizes the app drew them), served "
        "by its own `streamlit run` in the same run, navigated and opened cold the same way, alternating with the "
        f"app. Cold start of the bare floor: {ms(bare.get('cold'))}. Bare over plotly.js is Streamlit's part of the "
        "gap; app over bare is the app's."), "",
        table(["page", "plotly.js floor", "bare Streamlit: navigation", "app: navigation", "bare / plotly.js",
               "app / plotly.js", "app / bare", "bare: messages / bytes", "bare: browser tasks",
               "bare: cold permalink", "app: cold permalink"], rows), "",
    ])  # fmt: skip


def search_table(raw: dict) -> str:
    """The events page's search rerun (a search typed and Enter, then the box cleared), this app and the baseline."""
    rows = []
    for name, run in (("baseline", raw.get("baseline")), ("this app", raw)):
        found = (run or {}).get("searches") or []
        if not found:
            continue
        rows.append([name, len(found), ms(_median([f["total"] for f in found])), ms(_median([f["finished"] for f in found])),
                     ms(_median([f["server_cpu"] for f in found])), f"{_median([f['frames'] for f in found]):.0f}",
                     f"{_median([f['bytes'] for f in found]) / 1000:.1f} kB"])  # fmt: skip
    return "\n".join([
        (f"**The events page's search rerun** (type “{SEARCH_QUERY}” in its search box and press Enter, then clear it; "
         "Enter → the script's end and two painted frames, browser clock; the server process's CPU over all threads; "
         "medians):"), "",
        table(["app", "reruns", "search → idle", "search → script finished", "server CPU", "messages", "bytes"], rows), "",
    ])  # fmt: skip


COLD_PARTS = ("html", "app_js", "first_message", "finished", "plotly_requested", "plotly_js", "drawn", "idle")
TARGETS = {"map": 2.0}
DEFAULT_TARGET = 2.5


def report(raw: dict, pages: list[dict], expect: dict, rounds: int, section: str, label: str) -> str:
    """The RESULTS.md section: targets, the breakdown of a navigation, what is sent, and where the JS time goes."""
    folder = os.environ.get(DATA_DIR_ENV) or "data/"
    summary, breakdown, sent, js, cold_rows, rerun_rows = [], [], [], [], [], []
    for entry in pages:
        script = entry["script"]
        navs = raw["navs"][script]
        nav = _median([n["nav"] for n in navs])
        floor = _median(raw["floors"].get(script, []))
        target = TARGETS.get(entry["url_path"], DEFAULT_TARGET)
        ratio = _median(paired_ratios(navs, raw["floors"].get(script, [])))
        verdict = "—" if ratio is None else f"{ratio:.1f}x (≤ {target:g}x {'met' if ratio <= target else 'NOT met'})"
        cold = _median([c["total"] for c in raw["colds"][script]])
        summary.append([entry["title"], expect[script]["count"], ms(nav), ms(max(n["nav"] for n in navs)),
                        ms(floor), verdict, ms(cold) + (" (< 1.5 s met)" if cold and cold < 1.5 else " (NOT met)")])  # fmt: skip
        cpu = {k: _median([n["cpu"][k] for n in navs]) for k in METRICS}
        breakdown.append([entry["title"], ms(_median([n["first"] for n in navs])),
                          ms(_median([n["finished"] for n in navs])), ms(_median([n["drawn"] for n in navs])),
                          ms(_median([n["idle"] for n in navs])), ms(_median([n.get("server_cpu") for n in navs])),
                          ms(cpu["TaskDuration"]), ms(cpu["ScriptDuration"]),
                          ms(cpu["LayoutDuration"]), ms(cpu["RecalcStyleDuration"])])  # fmt: skip
        last = navs[-1]
        kinds = sorted(last["kinds"], key=lambda k: -last["kind_bytes"][k])
        sent.append([entry["title"], last["frames"], f"{last['bytes'] / 1000:.1f} kB",
                     "; ".join(f"{k} {last['kinds'][k]} ({last['kind_bytes'][k] / 1000:.1f} kB)" for k in kinds)])  # fmt: skip
        again = raw.get("reruns", {}).get(script)
        if again:
            order = sorted(again["kinds"], key=lambda k: -again["kind_bytes"][k])
            rerun_rows.append([entry["title"], again["frames"], f"{again['bytes'] / 1000:.1f} kB",
                               "; ".join(f"{k} {again['kinds'][k]} ({again['kind_bytes'][k] / 1000:.1f} kB)" for k in order)])  # fmt: skip
        else:
            rerun_rows.append([entry["title"], "—", "—", "not measured"])
        colds = raw["colds"][script]
        kb = [f"{_median([c.get(k) for c in colds]) / 1000:,.0f} kB" if _median([c.get(k) for c in colds]) is not None
              else "—" for k in ("bytes", "plotly_body", "again_bytes")]
        cold_rows.append([entry["title"], *(ms(_median([c.get(k) for c in colds])) for k in COLD_PARTS), *kb,
                          ms(_median([c.get("again_total") for c in colds]))])  # fmt: skip
        totals: dict[str, float] = {}
        for prof in raw["profiles"][script]:
            for module, seconds in prof.items():
                totals[module] = totals.get(module, 0) + seconds / max(1, len(raw["profiles"][script]))
        top = sorted(totals.items(), key=lambda kv: -kv[1])[:7]
        js.append([entry["title"], ms(sum(totals.values())), "; ".join(f"{m} {ms(s)}" for m, s in top)])
    title = "## Browser: headless Chromium against `streamlit run dashboard.py`" + (f" — {label}" if label else "")
    return "\n".join([
        title, "", raw["started"], "",
        *([verdict_text(raw, pages)] if raw.get("bare") else []),
        *([spread_table(raw, pages)] if raw.get("floor_cpu") else []),
        (f"`uptime` at start: `{raw['uptime_start']}`; at end: `{raw['uptime_end']}`. **A busy machine**: 2 cores "
        "shared with other engineers' work, so every figure is a median of repeats and still noisy; ratios taken "
        "in the same run matter more than absolute times."), "",
        (f"Data: `{folder}`. Only localhost traffic (other requests aborted). Cold start = streamlit process start → "
        f"first page with every chart drawn: **{ms(raw['cold'])}** (server healthy after {ms(raw['healthy'])}). "
        f"Navigation = click in the sidebar → every chart of the page drawn and the script finished, with two frames "
        f"painted after it (browser clock), {rounds} rounds over all pages after a warm-up round. plotly.js floor = "
        "`Plotly.newPlot` of the same specs and configs (taken from the page) at the same sizes, in an already loaded "
        f"tab of the same browser, JSON parse to two painted frames, one draw per page in each timed round right after "
        f"that page's navigations{', a forced garbage collection before each' if FORCE_GC['on'] else ''} "
        f"({rounds} rounds after {FLOOR_WARMUP} warm-up draws); "
        "ratios are per round (each navigation over the floor of its round), medians. Cold "
        "permalink = a new browser context (empty cache) opening the page's URL → every chart drawn and the script "
        f"finished, against the warm server ({len(next(iter(raw['colds'].values()), []))} each)."), "",
        table(["page", "charts", "navigation median", "navigation max", "plotly.js floor", "navigation / floor",
               "cold permalink median"], summary), "",
        ("What a fresh server's first run waits for, step by step in a new Python process (median of 3; "
        "`bench.browser.server_parts`): " + "; ".join(f"{name} {ms(seconds)}" for name, seconds in raw["server_parts"])
        + "."), "",
        *([bare_table(raw, pages)] if raw.get("bare") else []),
        *([search_table(raw)] if raw.get("searches") else []),
        *([paired(raw, pages)] if raw.get("baseline") else []),
        ("Where a navigation's time goes (medians, ms from the click in the browser's clock): the first websocket "
        "message back (request + server start of the script), the script_finished message (server script and "
        "streaming), every chart drawn, idle; then the CPU the server process used (every thread, from "
        "/proc/<pid>/task/*/schedstat) and the browser's main-thread CPU during the navigation "
        "(Chrome `Performance.getMetrics` in thread time, i.e. CPU: all tasks, of which JavaScript, layout and style)."), "",
        table(["page", "first message", "script finished", "charts drawn", "idle", "server CPU", "browser tasks", "JavaScript",
               "layout", "style"], breakdown), "",
        ("Where a cold permalink's time goes (medians, from navigation start in the browser's clock): the HTML, "
        "Streamlit's main script, the first websocket message, the script's end, the moment the browser asks for "
        "Streamlit's Plotly chunk (only once a chart element has arrived) and has it, every chart drawn, idle; "
        "then what the cold visit fetched (all bytes; the Plotly chunk's size), and the same link opened again in a "
        "new tab of the same browser, in the first round only (a returning reader: Streamlit serves its hashed bundles `public, immutable, "
        "max-age` one year and uncompressed, so the second visit fetches only the HTML and the session):"), "",
        table(["page", "HTML", "main script", "first message", "script finished", "Plotly chunk asked",
               "Plotly chunk loaded", "charts drawn", "idle", "fetched", "Plotly chunk", "returning: fetched",
               "returning: total"], cold_rows), "",
        "What one navigation sends (the last round; websocket messages by element kind, with bytes):", "",
        table(["page", "messages", "bytes", "by kind"], sent), "",
        ("What a rerun of the page shown sends when nothing changed (Streamlit's \"r\" key; a `cached element` is "
        "a reference to a message the browser already holds, sent instead of the element):"), "",
        table(["page", "messages", "bytes", "by kind"], rerun_rows), "",
        ("JavaScript self time per frontend module (Chrome's sampling profiler, 2 further navigations per page, "
        "mean; Streamlit loads one module per element kind, `index` is React and the shared frontend; "
        "`(program)` is the browser's native work: layout, paint, parsing):"), "",
        table(["page", "sampled total", "top modules"], js), "",
    ])  # fmt: skip


def compare(before: str, after: str, section: str = "browser-compare") -> str:
    """A before/after table from two runs' raw figures (bench/out/<before>.json, <after>.json), each run with
    its own plotly.js floor and load; written as the `section` section of RESULTS.md."""
    runs = {name: json.loads((OUT_DIR / f"{name}.json").read_text(encoding="utf-8")) for name in (before, after)}
    pages = [e for e in page_entries() if e["script"] in runs[after]["navs"] and e["script"] in runs[before]["navs"]]
    rows = []
    for entry in pages:
        script, row = entry["script"], [entry["title"]]
        for name in (before, after):
            raw = runs[name]
            nav = _median([n["nav"] for n in raw["navs"][script]])
            floor = _median(raw["floors"].get(script, []))
            row += [ms(nav), f"{nav / floor:.1f}x" if nav and floor else "—",
                    f"{raw['navs'][script][-1]['frames']} / {raw['navs'][script][-1]['bytes'] / 1000:.0f} kB",
                    ms(_median([c["total"] for c in raw["colds"][script]]))]  # fmt: skip
        target = TARGETS.get(entry["url_path"], DEFAULT_TARGET)
        rows.append([*row, f"≤ {target:g}x"])
    loads = "; ".join(f"{name}: `{runs[name]['uptime_start']}` → `{runs[name]['uptime_end']}`" for name in (before, after))
    body = "\n".join([
        "## Browser before/after (issue 24): navigation against its plotly.js floor, messages, cold permalinks", "",
        (f"From `bench/out/{before}.json` and `bench/out/{after}.json` (`python -m bench browser --compare {before} "
        f"{after}`); each run measured its own plotly.js floor on the same machine. Load: {loads}. **Busy machine**: "
        "other engineers' tests and servers shared the 2 cores, so absolute times are several times a quiet "
        "machine's; the ratios to the floor of the same run are the fairer comparison."), "",
        table(["page", "before: navigation", "before: / floor", "before: messages / bytes", "before: cold permalink",
               "after: navigation", "after: / floor", "after: messages / bytes", "after: cold permalink", "target"],
              rows),
    ])  # fmt: skip
    write_section(section, body)
    return body


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench browser")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", help="data folder to point the app at (default: $DASHBOARD_DATA_DIR or data/)")
    parser.add_argument("--section", default="browser", help="RESULTS.md section to write (e.g. browser-before)")
    parser.add_argument("--label", default="", help="a label for the section's heading")
    parser.add_argument("--baseline", help="another checkout of the app, measured alternately in the same run")
    parser.add_argument("--gc", action="store_true", help="force a full garbage collection before every timed "
                        "navigation and floor draw (off: it also drops compiled code, 10-20%% more CPU after it)")
    parser.add_argument("--cold-rounds", type=int, help="rounds of cold permalinks (default: --rounds; the slowest part)")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"),
                        help="write a before/after table from two earlier runs' sections (bench/out/<name>.json)")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(*args.compare))
        return 0
    FORCE_GC["on"] = args.gc
    print(run(args.rounds, args.data, args.section, args.label, args.baseline, args.cold_rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
