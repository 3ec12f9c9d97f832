"""Load test: many concurrent browser sessions against the real server, on this machine only.

    .venv/bin/python -m bench.load_test [--sessions 20] [--seconds 90] [--ramp 10] [--think 2]

Starts `streamlit run dashboard.py` on a free 127.0.0.1 port, waits for /_stcore/health, then drives
N headless Chromium contexts (one browser) at once. Each session opens its own permalink (its own
countries and years, on its own page), then loops, for a bounded time and number of steps, through
filter changes made in the sidebar (year slider by keyboard, countries multiselect), page switches
by the sidebar links, and a download through controls a person can see (a collapsed "Data" expander is
opened before its "Table as CSV"). After every step it checks isolation: its URL query, and on the pages
that draw them its "Showing: …" caption and every chart subtitle, describe its own filters, and nothing else.
The Briefings page has the sidebar but no "Showing:" line: there the URL, the heading and the drawn charts
are what it waits for. The Present page is left out of the rotation: it hides the sidebar the steps use.

The browsers run at a lower priority (nice, `--browser-nice`) than the server and, with `--split-cores`,
on other cores than the server (the server pinned to CPU 0, the browsers to the rest); their CPU time is
reported beside the server's, with the machine's load average at the start and the end.

Measured: the time from a filter change to the app being idle with every chart drawn
(`stApp[data-test-script-state=notRunning]`, each stPlotlyChart has its `.main-svg`, and the caption
shows the new filters, so an old page never counts), the server's memory (VmRSS of the server and
its children sampled twice a second; VmHWM for the peak), and errors. Any request to a host other
than 127.0.0.1/localhost is blocked and counted as an error. The summary is printed and written
atomically to bench/load_results.md with the machine and date. Exit status 1 if anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from lib.model.files import write_atomic
from lib.model.filters import QUERY_KEYS, FilterOptions, Filters
from lib.model.tables import Tables
from lib.paths import ROOT, data_dir

RESULTS = ROOT / "bench" / "load_results.md"
LOG_DIR = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
NON_LOCAL_URL = re.compile(r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$))", re.I)

# Every chart on a page, whichever element drew it: the app's chart element (lib/ui/chart_element.py draws into a
# .dashboard-chart) or Streamlit's st.plotly_chart (present mode). The benches' and tests' page scripts name the charts
# through this one selector (`with_charts`).
CHART_SELECTOR = '[data-testid="stPlotlyChart"], .dashboard-chart'


def with_charts(js: str) -> str:
    """`js` with each `CHARTS` in it written as CHART_SELECTOR (inside a quoted string or an `:is(...)`)."""
    if "CHARTS" not in js:
        raise ValueError("no CHARTS placeholder in this script")
    return js.replace("CHARTS", CHART_SELECTOR)


# Browser errors that are plotly.js's, not the app's, each with what was found. Counted and listed, not
# failures: reproduced on an idle machine by delaying /app/static/topojson/ by 3 s and leaving the map page
# before it arrives (geo's update then runs on the purged chart); the map draws correctly on the next visit.
KNOWN_UPSTREAM_ERRORS = {
    "Cannot read properties of undefined (reading '_scrollZoom')":
        "plotly.js geo: the map was left (page switch) before its base map arrived, and plotly.js finished "
        "drawing on the removed chart (same stack: reflex-dev/reflex#6003); nothing visible, the next map draws",
}
OPEN_TIMEOUT_MS = 120_000  # first load of 20 sessions at once on 2 cores
STEP_TIMEOUT_MS = 60_000
SETUP_SECONDS = 240  # server start, first loads and teardown, on top of --seconds

# Settled: the script is idle, every chart is drawn and its subtitle (if any) states the expected
# filters (so an old figure never counts), the caption shows them, and the page's own heading is up.
SETTLED_JS = with_charts("""([described, heading, filtered, query, names]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  // the URL holds the expected filters, and only them (every page with the sidebar keeps them there)
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(query.expected)) if (params.get(key) !== value) return false;
  for (const key of query.keys) if (params.has(key) && !(key in query.expected)) return false;
  // a widget or chart whose code-split JavaScript has not arrived yet shows a skeleton placeholder
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('CHARTS')];
  if (!charts.every(c => c.querySelector('.main-svg'))) return false;
  const subtitles = [...document.querySelectorAll(':is(CHARTS) .gtitle-subtitle')];
  // a chart of the whole source set (the coverage chart) states no view; one that states a view states this one
  const statesView = t => t.includes(' · ') || names.some(n => t.includes(n));
  if (filtered && !subtitles.every(s => !statesView(s.textContent) || s.textContent.includes(described))) return false;
  if (heading !== null && ![...document.querySelectorAll('[data-testid="stMain"] h1')]
      .some(h => h.innerText.trim() === heading)) return false;
  const captions = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(e => e.innerText.trim());
  if (filtered && !captions.some(c => c === 'Showing: ' + described)) return false;
  // the view as settled, read in the same task (a later read could catch the next rerun half drawn)
  return {captions, subtitles: subtitles.map(s => s.textContent.trim()),
          exceptions: document.querySelectorAll('[data-testid="stException"]').length};
}""")
# What an unsettled page shows, for the timeout message.
UNSETTLED_JS = with_charts("""() => ({
  script: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  charts: document.querySelectorAll('CHARTS').length,
  drawn: document.querySelectorAll(':is(CHARTS) .main-svg').length,
  captions: [...document.querySelectorAll('[data-testid="stCaptionContainer"]')].map(e => e.innerText.trim()).slice(0, 3),
})""")


# ---------------------------------------------------------------------------
# the app under test


@dataclass(frozen=True)
class PageLink:
    url_path: str
    title: str
    default: bool
    hidden: bool
    heading: str | None  # the page's st.title, to know the new page is up after a switch
    filtered: bool = True  # the page opens with ui.page_start: a "Showing: …" caption and chart subtitles


NO_SIDEBAR = {"present", "curate"}  # pages drawn without the sidebar the steps use


def page_heading(script: Path) -> str | None:
    """The first `st.title("…")` or `ui.page_start("…")` of a page script, if it is a plain string."""
    import ast

    try:
        tree = ast.parse(script.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("title", "page_start") and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                return node.args[0].value
    return None


def dashboard_pages(entry: Path = ROOT / "dashboard.py") -> list[PageLink]:
    """The st.Page entries of dashboard.py (url path, title, default, hidden)."""
    import ast

    pages = []
    for node in ast.walk(ast.parse(entry.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args):
            continue
        kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
        script = node.args[0].value if isinstance(node.args[0], ast.Constant) else ""
        source = (ROOT / script).read_text(encoding="utf-8") if script and (ROOT / script).is_file() else ""
        pages.append(PageLink(kw.get("url_path", Path(script).stem), kw.get("title", Path(script).stem),
                              bool(kw.get("default", False)), kw.get("visibility") == "hidden",
                              page_heading(ROOT / script), "page_start(" in source))  # fmt: skip
    return pages


def load_options() -> tuple[FilterOptions, Tables]:
    from lib.model.load import load_dataset
    from lib.model.tables import build_tables

    ds = load_dataset(data_dir())
    tables = build_tables(ds)
    return FilterOptions.from_dataset(ds, tables), tables


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path, cpus: set[int] | None = None) -> tuple[subprocess.Popen, object]:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - the server's output stream, closed in stop_server
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]  # fmt: skip
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=pin)  # fmt: skip  # noqa: PLW1509 - only sets the CPU affinity
    return proc, log


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 90) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the server was not healthy after {timeout:.0f} s")


def start_team(replicas: int, port: int, log_path: Path) -> tuple[subprocess.Popen, object, Path]:
    """`scripts/serve.sh`: nginx on `port` in front of `replicas` Streamlit processes (issue 22), on a copy of the
    data folder with one viewer, `load`; returns the process, its log and the run folder (nginx's access log)."""
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="load-team-"))
    data = tmp / "data"
    shutil.copytree(data_dir(), data, ignore=shutil.ignore_patterns(".*"))
    write_atomic(data / "team.yaml", "users:\n  load: [viewer]\n")
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "load-test"], capture_output=True, text=True, check=True)
    write_atomic(tmp / "htpasswd", f"load:{hashed.stdout.strip()}\n")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - closed in stop_server
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SECRET_FILE": str(tmp / "secret")}
    cmd = ["bash", "scripts/serve.sh", "--replicas", str(replicas), "--port", str(port), "--htpasswd",
           str(tmp / "htpasswd"), "--run-dir", str(tmp / "run")]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc, log, tmp / "run"


def wait_team(port: int, replicas: int, proc: subprocess.Popen, timeout: float = 180) -> float:
    """Seconds until every replica is healthy and nginx answers."""
    start = time.monotonic()
    for n in range(1, replicas + 1):
        wait_healthy(port + n, proc, timeout=max(1.0, timeout - (time.monotonic() - start)))
    while time.monotonic() - start < timeout:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
        except urllib.error.HTTPError as exc:
            if exc.code == 401:  # nginx is up and asks for a password
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"nginx did not answer after {timeout:.0f} s")


def replica_spread(run_dir: Path) -> str:
    """How the sessions' websockets spread over the replicas, from nginx's access log."""
    counts: dict[str, int] = {}
    log = run_dir / "access.log"
    for line in log.read_text(errors="replace").splitlines() if log.is_file() else []:
        if "/_stcore/stream" in line:
            upstream = line.rsplit(" ", 1)[-1]
            counts[upstream] = counts.get(upstream, 0) + 1
    return ", ".join(f"{addr}: {n}" for addr, n in sorted(counts.items())) or "not recorded"


def stop_server(proc: subprocess.Popen, log: object) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL after 10 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        log.close()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# memory


def _status(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount = line.split(":", 1)
                values[key] = int(amount.split()[0])  # kB
    except (OSError, ValueError):
        pass
    return values


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (kaleido's Chromium, if an export started one)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        queue.extend(children.get(current, []))
    return tree


def _cpu_ticks(pid: int) -> int:
    """User + system CPU ticks a process has used so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


class MemorySampler(threading.Thread):
    """Samples the RSS of the server and its children every `interval` seconds, and the CPU time of
    the server, of its children (kaleido's Chromium) and of the load driver (Playwright, its Chromium)."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.cpu_ticks: dict[int, tuple[str, int]] = {}  # pid -> (group, latest ticks)
        self.samples: list[tuple[float, int, int]] = []  # (seconds, server kB, tree kB)
        self.hwm_kb = 0
        self.tree_hwm_kb = 0
        self._halt = threading.Event()
        self._start = time.monotonic()

    def sample(self) -> None:
        tree = process_tree(self.pid)
        statuses = {p: _status(p) for p in tree}
        server = statuses.get(self.pid, {})
        if not server:
            return
        self.hwm_kb = max(self.hwm_kb, server.get("VmHWM", 0))
        self.tree_hwm_kb = max(self.tree_hwm_kb, sum(s.get("VmHWM", 0) for s in statuses.values()))
        total = sum(s.get("VmRSS", 0) for s in statuses.values())
        self.samples.append((time.monotonic() - self._start, server.get("VmRSS", 0), total))
        in_server = set(tree)
        for pid in process_tree(os.getpid()):
            if pid == os.getpid():
                continue
            group = "server" if pid == self.pid else "server children" if pid in in_server else "load driver"
            ticks = _cpu_ticks(pid)
            if ticks:
                self.cpu_ticks[pid] = (group, ticks)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds per group over the run (the last sample of each process)."""
        per_tick = os.sysconf("SC_CLK_TCK")
        totals: dict[str, float] = {"server": 0.0, "server children": 0.0, "load driver": 0.0}
        for group, ticks in self.cpu_ticks.values():
            totals[group] += ticks / per_tick
        return totals

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self._halt.set()
        self.join(timeout=5)


# ---------------------------------------------------------------------------
# one browser session


@dataclass
class Session:
    n: int
    countries: list[str]
    years: tuple[int, int]
    page: PageLink
    steps: int = 0
    filter_changes: list[float] = field(default_factory=list)
    page_switches: list[float] = field(default_factory=list)
    exports: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)
    blocked: list[str] = field(default_factory=list)
    upstream: list[str] = field(default_factory=list)  # KNOWN_UPSTREAM_ERRORS seen
    open_seconds: float | None = None
    exports_skipped: int = 0
    exports_expanded: int = 0  # exports whose button sat in a collapsed expander, opened first
    slider_moves: int = 0

    def filters(self, options: FilterOptions) -> Filters:
        low, high = options.years
        year_from, year_to = self.years
        whole_span = (year_from, year_to) == (low, high)  # as the sidebar writes it: both ends, or neither
        return Filters(countries=tuple(self.countries), year_from=None if whole_span else year_from,
                       year_to=None if whole_span else year_to)  # fmt: skip

    def permalink(self, base: str, options: FilterOptions) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.filters(options).to_query().items())
        path = "" if self.page.default else self.page.url_path
        return f"{base}/{path}?{query}"


def rotation(pages: list[PageLink]) -> list[PageLink]:
    """The pages the sessions move through: those in the sidebar's navigation that keep the sidebar."""
    return [p for p in pages if not p.hidden and p.url_path not in NO_SIDEBAR]


def plan_sessions(count: int, options: FilterOptions, tables: Tables, pages: list[PageLink]) -> list[Session]:
    """Distinct permalinks: each session its own countries and years (a view with events, so it has
    charts and downloads), starting on its own page."""
    visible = rotation(pages)
    low, high = options.years
    candidates = []
    for code in options.countries:
        years = sorted(Filters(countries=(code,)).apply(tables)["year"].unique())
        for span in (4, 6, 8):
            for start in range(low + 1, high - span):
                view = Filters(countries=(code,), year_from=start, year_to=start + span)
                if len(view.apply(tables)) >= 2 and years:
                    candidates.append(([code], (start, start + span)))
                    break
    if not candidates:
        candidates = [([], (low + 1, high - 1))]
    sessions, seen = [], set()
    for n in range(count):
        countries, (year_from, year_to) = candidates[n % len(candidates)]
        shift = n // len(candidates)  # more sessions than candidates: widen the years to keep links distinct
        year_from, year_to = max(low + 1, year_from - shift), min(high - 1, year_to + shift)
        while (tuple(countries), year_from, year_to) in seen and year_to < high - 1:
            year_to += 1
        seen.add((tuple(countries), year_from, year_to))
        sessions.append(Session(n, list(countries), (year_from, year_to), visible[n % len(visible)]))
    return sessions


def next_page(session: Session, visible: list[PageLink]) -> PageLink:
    """The page a session's next page switch goes to (odd sessions skip one)."""
    if session.page not in visible:
        return visible[0]
    return visible[(visible.index(session.page) + 1 + session.n % 2) % len(visible)]


def check_view(session: Session, view: dict, page_url: str, expected: Filters, options: FilterOptions,
                what: str, filtered: bool = True) -> None:  # fmt: skip
    """The session sees its own filters, and only them, in the URL, the caption and chart subtitles (the
    last two on pages that draw them)."""
    described = expected.describe(options)
    query = {k: ",".join(v) for k, v in parse_qs(urlparse(page_url).query).items() if k in QUERY_KEYS}
    if query != expected.to_query():
        session.errors.append(f"{what}: URL query {query} is not the session's own {expected.to_query()}")
    if not filtered:
        if view["exceptions"]:
            session.errors.append(f"{what}: {view['exceptions']} exception box(es) on the page")
        return
    showing = [c for c in view["captions"] if c.startswith("Showing:")]
    if not showing:
        session.errors.append(f"{what}: no 'Showing: …' caption")
    elif any(c != f"Showing: {described}" for c in showing):
        session.errors.append(f"{what}: caption {showing[0]!r} is not 'Showing: {described}'")
    names = [*options.countries.values(), *options.actors.values()]
    for subtitle in view["subtitles"]:
        if (" · " in subtitle or any(n in subtitle for n in names)) and described not in subtitle:
            session.errors.append(f"{what}: chart subtitle {subtitle!r} does not state {described!r}")
            break
    if view["exceptions"]:
        session.errors.append(f"{what}: {view['exceptions']} exception box(es) on the page")


async def _settle(page, expected: Filters, options: FilterOptions, target: PageLink,  # noqa: ANN001
                  timeout_ms: int = STEP_TIMEOUT_MS) -> dict:  # fmt: skip
    """Wait until the page is `target` with the URL holding `expected`, every chart drawn and (on a
    filtered page) `expected` described in its caption and subtitles; returns the view as it was then.
    On a timeout, the error says what the page showed instead."""
    described = expected.describe(options)
    query = {"expected": expected.to_query(), "keys": list(QUERY_KEYS)}
    try:
        names = [*options.countries.values(), *options.actors.values()]
        handle = await page.wait_for_function(SETTLED_JS, arg=[described, target.heading, target.filtered, query, names],
                                              timeout=timeout_ms, polling=50)  # fmt: skip
    except Exception as exc:
        try:
            seen = await page.evaluate(UNSETTLED_JS)
        except Exception:  # noqa: BLE001 - the page is gone; report the timeout alone
            raise exc from None
        raise TimeoutError(f"not settled on {described!r} after {timeout_ms / 1000:.0f} s; page showed {seen}") from None
    return await handle.json_value()


async def run_session(browser, session: Session, base: str, options: FilterOptions, pages: list[PageLink],  # noqa: ANN001
                      seconds: float, max_steps: int, delay: float = 0.0, think: float = 0.0,
                      credentials: dict[str, str] | None = None) -> None:  # fmt: skip
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                        http_credentials=credentials)  # fmt: skip

    async def block(route) -> None:  # noqa: ANN001
        session.blocked.append(route.request.url[:120])
        await route.abort()

    await context.route(NON_LOCAL_URL, block)
    context.on("request", lambda request: session.hosts.add(urlparse(request.url).hostname or request.url[:40]))
    page = await context.new_page()
    page.on("websocket", lambda ws: session.hosts.add(urlparse(ws.url).hostname or ws.url[:40]))
    def page_error(exc: Exception) -> None:
        message = str(exc)[:200]
        if message in KNOWN_UPSTREAM_ERRORS:
            session.upstream.append(message)
        else:
            session.errors.append(f"browser JS error: {message}")

    page.on("pageerror", page_error)
    visible = rotation(pages)
    await asyncio.sleep(delay)
    try:
        expected = session.filters(options)
        start = time.perf_counter()
        await page.goto(session.permalink(base, options), timeout=OPEN_TIMEOUT_MS)
        view = await _settle(page, expected, options, session.page, OPEN_TIMEOUT_MS)
        session.open_seconds = time.perf_counter() - start
        check_view(session, view, page.url, expected, options, "open", session.page.filtered)
        deadline = time.monotonic() + seconds  # each session loops for `seconds` once it is open
        kinds = ["slider-low", "page", "slider-high", "export", "country", "page"]
        pause = random.Random(session.n)
        while session.steps < max_steps and time.monotonic() < deadline:
            if think > 0:  # a reader looks at the result before the next click
                await asyncio.sleep(pause.uniform(0.5 * think, 1.5 * think))
            kind = kinds[session.steps % len(kinds)]
            session.steps += 1
            try:
                if kind.startswith("slider"):
                    await _slider_step(page, session, options, high_thumb=kind == "slider-high")
                elif kind == "country":
                    await _country_step(page, session, options)
                elif kind == "page":
                    await _page_step(page, session, options, visible)
                else:
                    await _export_step(page, session, options, visible)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, the session goes on
                session.errors.append(f"step {session.steps} ({kind}): {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                await _snapshot(page, f"load-fail-s{session.n}-step{session.steps}")
                if "Target" in str(exc) and "closed" in str(exc):
                    break
    except Exception as exc:  # noqa: BLE001
        session.errors.append(f"open: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    finally:
        await context.close()


async def _snapshot(page, name: str) -> None:  # noqa: ANN001
    """A screenshot of a session's page where a step failed, in bench/out/, to see what it showed."""
    try:
        await page.screenshot(path=str(LOG_DIR / f"{name}.png"), timeout=10000)
    except Exception:  # noqa: BLE001 - diagnostics only; a page that cannot be captured is already an error
        pass


async def _slider_step(page, session: Session, options: FilterOptions, *, high_thumb: bool) -> None:  # noqa: ANN001
    """Move one thumb of the sidebar year slider by one year with the keyboard: out by a year, then
    back, so the view stays about the session's own (and keeps its events)."""
    low, high = options.years
    year_from, year_to = session.years
    session.slider_moves += 1
    widen = session.slider_moves % 4 in (1, 2)
    if high_thumb:
        key = "ArrowRight" if (widen and year_to < high) or year_to <= year_from + 1 else "ArrowLeft"
        year_to += 1 if key == "ArrowRight" else -1
    else:
        key = "ArrowLeft" if (widen and year_from > low) or year_from >= year_to - 1 else "ArrowRight"
        year_from += -1 if key == "ArrowLeft" else 1
    session.years = (year_from, year_to)
    expected = session.filters(options)
    thumb = page.locator('section[data-testid="stSidebar"] [data-testid="stSlider"] input[type=range]').nth(
        1 if high_thumb else 0
    )
    await thumb.focus(timeout=STEP_TIMEOUT_MS)
    start = time.perf_counter()
    await page.keyboard.press(key)
    view = await _settle(page, expected, options, session.page)
    session.filter_changes.append(time.perf_counter() - start)
    check_view(session, view, page.url, expected, options, f"step {session.steps} slider", session.page.filtered)


async def _country_step(page, session: Session, options: FilterOptions) -> None:  # noqa: ANN001
    """Add one more country through the Countries multiselect (type its name, Enter)."""
    remaining = [c for c in options.countries if c not in session.countries]
    if len(session.countries) >= 4 or not remaining:
        return await _slider_step(page, session, options, high_thumb=False)
    code = remaining[(session.n + session.steps) % len(remaining)]
    session.countries.append(code)
    expected = session.filters(options)
    box = page.locator('section[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.locator("input")
    await box.click(timeout=STEP_TIMEOUT_MS)
    await box.fill(options.countries[code])
    option = page.locator('[role="option"]', has_text=options.countries[code]).first
    await option.wait_for(timeout=STEP_TIMEOUT_MS)
    start = time.perf_counter()
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    view = await _settle(page, expected, options, session.page)
    session.filter_changes.append(time.perf_counter() - start)
    check_view(session, view, page.url, expected, options, f"step {session.steps} country", session.page.filtered)
    return None


async def _page_step(page, session: Session, options: FilterOptions, visible: list[PageLink]) -> None:  # noqa: ANN001
    target = next_page(session, visible)
    expected = session.filters(options)
    link = page.locator('[data-testid="stSidebarNavLink"]', has_text=target.title).first
    start = time.perf_counter()
    await link.click(timeout=STEP_TIMEOUT_MS)
    if not target.default:
        await page.wait_for_url(re.compile(rf"/{re.escape(target.url_path)}(\?|$)"), timeout=STEP_TIMEOUT_MS)
    view = await _settle(page, expected, options, target)
    session.page_switches.append(time.perf_counter() - start)
    session.page = target
    errors = len(session.errors)
    check_view(session, view, page.url, expected, options, f"step {session.steps} page", target.filtered)
    if len(session.errors) > errors:
        await _snapshot(page, f"load-fail-s{session.n}-step{session.steps}")


async def _export_step(page, session: Session, options: FilterOptions, visible: list[PageLink],  # noqa: ANN001
                       hops: int = 0) -> None:  # fmt: skip
    """Download a file of this view (the events CSV if the page offers it, else a chart as SVG, PNG or
    HTML); the file must not be empty and must be named for this session's view."""
    buttons = page.locator('[data-testid="stDownloadButton"] button:not([disabled])')
    ranked = []
    for i in range(await buttons.count()):
        candidate = buttons.nth(i)
        text = await candidate.inner_text()
        rank = next((n for n, label in enumerate(("CSV", "SVG", "PNG", "HTML")) if label in text), 4)
        ranked.append((not await candidate.is_visible(), rank, i, candidate))
    # every other export (odd sessions first) takes a chart's "Table as CSV", in a collapsed "Data" expander
    in_expander = (session.n + len(session.exports)) % 2 == 1 and any(hidden for hidden, *_ in ranked)
    button = min(ranked, key=lambda r: (r[0] is not in_expander, *r[1:3]))[3] if ranked else None
    if button is not None and not await button.is_visible():
        # as a person would: open the first collapsed "Data" expander holding a download, then click its button
        session.exports_expanded += 1
        holder = page.locator('[data-testid="stExpander"]').filter(
            has=page.locator('[data-testid="stDownloadButton"]')).first  # fmt: skip
        if await holder.locator("details").first.get_attribute("open") is None:  # a second click would close it
            await holder.locator("summary").first.click(timeout=STEP_TIMEOUT_MS)
        button = holder.locator('[data-testid="stDownloadButton"] button:not([disabled])').first
        await button.wait_for(state="visible", timeout=STEP_TIMEOUT_MS)
    if button is None:
        session.exports_skipped += 1  # this page offers none: try the next page that does
        if hops < len(visible) - 1:
            await _page_step(page, session, options, visible)
            return await _export_step(page, session, options, visible, hops + 1)
        return None
    expected = session.filters(options)
    start = time.perf_counter()
    async with page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
        await button.click(timeout=STEP_TIMEOUT_MS)
    download = await info.value
    path = await download.path()
    session.exports.append(time.perf_counter() - start)
    size = Path(path).stat().st_size if path else 0
    name = download.suggested_filename
    if size == 0:
        session.errors.append(f"step {session.steps} export: {name} is empty")
    if expected.slug() not in name:
        session.errors.append(f"step {session.steps} export: file {name!r} is not named for the view {expected.slug()!r}")
    await download.delete()
    return None


# ---------------------------------------------------------------------------
# the run


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def server_cpus(split: bool) -> set[int] | None:
    """With --split-cores on a machine of 2+ CPUs: the server's CPU (0); else None (anywhere)."""
    return {0} if split and (os.cpu_count() or 1) >= 2 else None


def browser_cpus(split: bool) -> set[int] | None:
    """With --split-cores: the CPUs left for the browsers (all but 0); else None (anywhere)."""
    return set(range(1, os.cpu_count() or 1)) if server_cpus(split) else None


def set_apart(root_pid: int, nice: int, cpus: set[int] | None, *, skip_self: bool = False) -> int:
    """Lower the priority (nice) and set the CPUs of `root_pid`'s process tree (the Playwright driver and its
    Chromium, whose later children inherit both); returns how many processes were changed."""
    changed = 0
    for pid in process_tree(root_pid):
        if skip_self and pid == os.getpid():
            continue
        try:
            if nice:
                os.setpriority(os.PRIO_PROCESS, pid, max(os.getpriority(os.PRIO_PROCESS, pid), nice))
            if cpus:
                os.sched_setaffinity(pid, cpus)
            changed += 1
        except (OSError, PermissionError):
            continue
    return changed


def machine() -> str:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))  # fmt: skip
    except (OSError, StopIteration):
        pass
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        ram = "unknown RAM"
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    import streamlit

    return (f"nproc {os.cpu_count()}, {ram}, {model}; Python {platform.python_version()}, "
            f"Streamlit {streamlit.__version__}, {chromium or 'Chromium'}, {platform.system()} {platform.release()}")  # fmt: skip


async def drive(args: argparse.Namespace, base: str, options: FilterOptions, sessions: list[Session],
                pages: list[PageLink]) -> list[Session]:  # fmt: skip
    """Run `sessions` (planned by the caller, so a run stopped by its time cap still reports what they did)."""
    ramp = args.ramp / max(1, len(sessions) - 1) if len(sessions) > 1 else 0.0
    if args.driver == "protocol":
        from bench import protocol

        set_apart(os.getpid(), args.browser_nice, browser_cpus(args.split_cores))
        await asyncio.gather(*(protocol.run_session(s, base, options, pages, args.seconds, args.max_steps,
                                                    delay=s.n * ramp, think=args.think, credentials=args.credentials)
                               for s in sessions))  # fmt: skip
        return sessions
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        set_apart(os.getpid(), args.browser_nice, browser_cpus(args.split_cores), skip_self=True)
        try:
            await asyncio.gather(*(run_session(browser, s, base, options, pages, args.seconds, args.max_steps,
                                               delay=s.n * ramp, think=args.think, credentials=args.credentials)
                                   for s in sessions))  # fmt: skip
        finally:
            await browser.close()
    return sessions


def describe_run(args: argparse.Namespace) -> str:
    """The run's command line and what its sessions did, in words."""
    command = (f"`python -m bench.load_test --driver {args.driver} --sessions {args.sessions} --seconds {args.seconds} "
               f"--ramp {args.ramp:g} --think {args.think:g}{' --split-cores' if args.split_cores else ''}"
               f"{f' --replicas {args.replicas}' if args.replicas else ''}`")  # fmt: skip
    timing = (f"{args.sessions} sessions at once (opened over {args.ramp:g} s, then each looping for {args.seconds} s, "
              f"pausing {0.5 * args.think:g}–{1.5 * args.think:g} s before each step as a reader would; `--think 0` "
              "steps without pause)")  # fmt: skip
    if args.driver == "protocol":
        return (f"{command}: {timing}, each a websocket client speaking Streamlit's protocol as the browser does "
                "(bench/protocol.py: a rerun request with the URL's query, the page and the widget that changed), "
                "timed from the request to the server's `script_finished`; nothing is rendered, so these are the "
                "server's times (script, serialisation, websocket) under load. Each session opens its own permalink, "
                "then changes the sidebar's years and countries (the widgets' states, as a drag or a pick sends them), "
                "switches pages and fetches a download the page offers (a CSV first), checking after every step that "
                "the URL the app writes, the \"Showing: …\" caption and every chart subtitle state its own filters "
                "and nothing else, and that no exception box was sent.")  # fmt: skip
    return (f"{command}: one headless Chromium, {timing}, against `streamlit run dashboard.py` on 127.0.0.1, each "
            "from its own permalink through sidebar filter changes (year slider by keyboard, countries multiselect), "
            "page switches and downloads through visible controls (a CSV first, else a chart's SVG/PNG/HTML; a "
            "collapsed \"Data\" expander is opened before its \"Table as CSV\"), checking after every step that its "
            "URL, and on the pages that draw them its caption and chart subtitles, show only its own filters (the "
            "Briefings page: the URL, its heading and drawn charts; the Present page is not in the rotation, it hides "
            "the sidebar).")  # fmt: skip


def summarise(args: argparse.Namespace, sessions: list[Session], sampler: MemorySampler, health_s: float,
              wall_s: float, fatal: str | None) -> tuple[str, bool]:  # fmt: skip
    errors = [f"session {s.n}: {e}" for s in sessions for e in s.errors]
    upstream = [m for s in sessions for m in s.upstream]
    foreign = sorted({h for s in sessions for h in s.hosts} - LOCAL_HOSTS)
    blocked = [u for s in sessions for u in s.blocked]
    if foreign:
        errors.append(f"requests to hosts other than localhost: {', '.join(foreign)}")
    if fatal:
        errors.append(fatal)
    changes = [t for s in sessions for t in s.filter_changes]
    switches = [t for s in sessions for t in s.page_switches]
    exports = [t for s in sessions for t in s.exports]
    opens = [s.open_seconds for s in sessions if s.open_seconds is not None]
    peak_tree_mb = max((t for _, _, t in sampler.samples), default=0) / 1024
    if peak_tree_mb > args.max_rss_mb:
        errors.append(f"server memory {peak_tree_mb:.0f} MB exceeded the bound of {args.max_rss_mb} MB")
    samples = sampler.samples
    first_rss = samples[0][2] / 1024 if samples else 0
    half = [t for when, _, t in samples if when >= samples[-1][0] / 2] if samples else []
    growth = (max(half) - min(half)) / 1024 if half else 0

    cpu = sampler.cpu_seconds()
    if args.driver == "protocol":
        cpu["load driver"] += getattr(args, "own_cpu", 0.0)

    def sec(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f} s"

    if not exports:
        errors.append("no export was made: no page offered a download button")
    protocol = args.driver == "protocol"
    done = "script finished" if protocol else "charts drawn"
    driver = "the protocol sessions' Python process" if protocol else "Playwright and its Chromium"
    ok = not errors and bool(changes)
    lines = [
        "# Load test",
        "",
        f"_Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on: {machine()}._",
        "",
        describe_run(args),
        "",
        f"**Result: {'PASS' if ok else 'FAIL'}**",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Sessions (concurrent) | {len(sessions)} ({sum(1 for s in sessions if s.open_seconds is not None)} opened) |",
        f"| Steps | {sum(s.steps for s in sessions)} ({len(changes)} filter changes, {len(switches)} page switches, {len(exports)} exports; "
        f"{sum(s.exports_skipped for s in sessions)} times an export step found no download and moved on; "
        f"{sum(s.exports_expanded for s in sessions)} exports opened a collapsed expander first) |",
        f"| Errors | {len(errors)} |",
        f"| Known plotly.js errors (listed below, not failures) | {len(upstream)} in {len({s.n for s in sessions if s.upstream})} sessions |",
        f"| Requests to other hosts | {len(foreign)} hosts, {len(blocked)} blocked requests |",
        f"| Filter change → {done}, p50 / p95 / max | {sec(percentile(changes, 50))} / {sec(percentile(changes, 95))} / {sec(max(changes, default=None))} |",
        f"| Page switch → {done}, p50 / p95 | {sec(percentile(switches, 50))} / {sec(percentile(switches, 95))} |",
        f"| Export click → file received, p50 / p95 | {sec(percentile(exports, 50))} / {sec(percentile(exports, 95))} |",
        f"| First load of a permalink, p50 / max | {sec(percentile(opens, 50))} / {sec(max(opens, default=None))} |",
        f"| Server process RSS: start / peak sampled / end | {(samples[0][1] / 1024 if samples else 0):.0f} / "
        f"{max((s for _, s, _ in samples), default=0) / 1024:.0f} / {(samples[-1][1] / 1024 if samples else 0):.0f} MB |",
        f"| Server + children RSS (kaleido's Chromium; shared pages counted per process): start / peak / end | "
        f"{first_rss:.0f} / {peak_tree_mb:.0f} / {(samples[-1][2] / 1024 if samples else 0):.0f} MB |",
        f"| Server peak RSS (VmHWM, server process) | {sampler.hwm_kb / 1024:.0f} MB |",
        f"| Server + children RSS range over the second half of the run | {growth:.0f} MB |",
        f"| Server healthy after / total wall time | {health_s:.1f} s / {wall_s:.0f} s |",
        f"| CPU time: server / its children (kaleido's Chromium) / load driver ({driver}) | "
        f"{cpu['server']:.0f} / {cpu['server children']:.0f} / {cpu['load driver']:.0f} s "
        f"(of {wall_s * (os.cpu_count() or 1):.0f} core-seconds) |",
        f"| Load driver set apart | nice {args.browser_nice}; "
        f"{'server on CPU 0, load driver on CPUs ' + ','.join(map(str, sorted(browser_cpus(True) or []))) if server_cpus(args.split_cores) else 'no CPU pinning (server and load driver share every core)'} |",
        f"| Machine load average (1 min) at start / end | {args.load_avg[0][0]:.1f} / {args.load_avg[1][0]:.1f} "
        f"on {os.cpu_count()} CPUs (other engineers' jobs share this machine) |",
    ]
    if errors:
        lines += ["", "Errors (first 30):", ""] + [f"- {e}" for e in errors[:30]]
    if upstream:
        lines += ["", "Known plotly.js errors:", ""] + [
            f"- {upstream.count(m)} × `{m}`: {KNOWN_UPSTREAM_ERRORS[m]}" for m in dict.fromkeys(upstream)]
    return "\n".join(lines) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=90, help="how long the sessions loop (after opening)")
    parser.add_argument("--max-steps", type=int, default=60, help="at most this many steps per session")
    parser.add_argument("--ramp", type=float, default=10.0, help="open the sessions spread over this many seconds")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean pause before each step, seconds (uniform 0.5x-1.5x); 0 clicks without pause")
    parser.add_argument("--max-rss-mb", type=int, default=4096, help="fail if the server's RSS goes above this")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the report here (default bench/load_results.md, or load_results_replicas.md)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/load_results.md alone")
    parser.add_argument("--browser-nice", type=int, default=10, help="nice value for the browsers (0: as the server)")
    parser.add_argument("--split-cores", action="store_true",
                        help="pin the server to CPU 0 and the browsers to the other CPUs (2+ CPUs)")
    parser.add_argument("--driver", choices=("browser", "protocol"), default="browser",
                        help="browser: headless Chromium contexts; protocol: Streamlit's websocket protocol without "
                             "rendering (bench/protocol.py), so the figures are the server's")  # fmt: skip
    parser.add_argument("--replicas", type=int, default=0,
                        help="serve through scripts/serve.sh: nginx in front of this many replicas (issue 22); "
                             "results go to bench/load_results_replicas.md")  # fmt: skip
    args = parser.parse_args(argv)
    args.credentials = {"username": "load", "password": "load-test"} if args.replicas else None
    if not 1 <= args.sessions <= 100 or not 1 <= args.seconds <= 1800 or not 0 <= args.ramp <= 120:
        parser.error("--sessions must be 1-100, --seconds 1-1800 and --ramp 0-120")

    options, tables = load_options()
    pages = dashboard_pages()
    port = free_port()
    wall_start = time.monotonic()
    load_before = os.getloadavg()
    run_dir = None
    if args.replicas:
        proc, log, run_dir = start_team(args.replicas, port, LOG_DIR / "load-test-serve.log")
    else:
        proc, log = start_server(port, LOG_DIR / "load-test-server.log", server_cpus(args.split_cores))
    sampler = MemorySampler(proc.pid)
    sessions = plan_sessions(args.sessions, options, tables, pages)
    fatal = None
    health_s = 0.0
    try:
        health_s = wait_team(port, args.replicas, proc) if args.replicas else wait_healthy(port, proc)
        sampler.start()
        own = os.times()
        sessions = asyncio.run(asyncio.wait_for(drive(args, f"http://127.0.0.1:{port}", options, sessions, pages),
                                                timeout=args.seconds + args.ramp + SETUP_SECONDS))  # fmt: skip
        spent = os.times()
        args.own_cpu = (spent.user + spent.system) - (own.user + own.system)  # the protocol sessions run in-process
    except (TimeoutError, asyncio.TimeoutError):
        fatal = f"the run did not finish within its cap of {args.seconds + args.ramp + SETUP_SECONDS:.0f} s"
    except RuntimeError as exc:
        fatal = str(exc)
    finally:
        if sampler.is_alive():
            sampler.stop()
        stop_server(proc, log)
    args.load_avg = (load_before, os.getloadavg())
    report, ok = summarise(args, sessions, sampler, health_s, time.monotonic() - wall_start, fatal)
    results = RESULTS
    if run_dir is not None:
        results = RESULTS.with_name("load_results_replicas.md")
        report += (f"\nServed by `scripts/serve.sh --replicas {args.replicas}`: nginx (auth_basic, sticky cookie) in "
                   f"front of {args.replicas} Streamlit replicas; \"server\" above is serve.sh, the replicas and nginx are "
                   f"its children. Websocket sessions per replica: {replica_spread(run_dir)}.\n")  # fmt: skip
    if args.out is not None:
        results = args.out if args.out.is_absolute() else Path.cwd() / args.out
    print(report)
    if not args.no_write:
        write_atomic(results, report)
        print(f"written to {results.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
