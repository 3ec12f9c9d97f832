"""Browser timings: cold start and page navigation of the real app in headless Chromium (Playwright).

Starts `streamlit run dashboard.py` on a free localhost port, then measures
- cold start: process start → server healthy → first page with every chart drawn;
- navigation: click a page in the sidebar → every chart of that page drawn (median of rounds);
- figure JSON bytes per page, from the page's elements under AppTest (websocket frames are not summed).

"Drawn" means each `[data-testid="stPlotlyChart"]` has its `.main-svg`, maps have their geo paths,
and the page's first chart title (taken from AppTest) is on screen, so a stale page never counts.

`python -m bench browser [--rounds 5] [--data DIR]`.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.results import OUT_DIR, ms, stamp, table, wait_for_quiet, write_section
from lib.paths import DATA_DIR_ENV, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
TIMEOUT_MS = 180_000

DRAWN_JS = """([count, title]) => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  if (charts.length < count) return false;
  for (const chart of charts) {
    if (!chart.querySelector('.main-svg')) return false;
    if (chart.querySelector('.geo') && chart.querySelectorAll('.geo path').length === 0) return false;
  }
  if (!title) return true;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"] .gtitle')].some(t => t.textContent.includes(title));
}"""


def page_entries(entry: Path = ROOT / "dashboard.py") -> list[dict]:
    """(script, title, url_path) for each st.Page in dashboard.py, in order."""
    text = entry.read_text(encoding="utf-8")
    pages = []
    for call in re.findall(r"st\.Page\((.*?)\)", text, flags=re.S):
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
    """Per page, from AppTest: number of charts, first chart title, and figure JSON bytes."""
    from streamlit.testing.v1 import AppTest

    found = {}
    for n, page in enumerate(pages):
        if not (ROOT / page["script"]).is_file():
            found[page["script"]] = {"count": 0, "title": "", "bytes": [], "error": "page script does not exist yet"}
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        at.run()
        if n:
            at.switch_page(page["script"]).run()
        charts = at.get("plotly_chart")
        titles = []
        for el in charts:
            spec = json.loads(el.proto.spec)
            title = spec.get("layout", {}).get("title", {})
            titles.append(_plain(title.get("text", "") if isinstance(title, dict) else str(title)))
        found[page["script"]] = {"count": len(charts), "title": titles[0][:40] if titles else "",
                                 "bytes": [len(el.proto.spec) for el in charts],
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("streamlit did not become healthy")


def _drawn(page, expect: dict) -> None:
    page.wait_for_function(DRAWN_JS, arg=[expect["count"], expect["title"]], timeout=TIMEOUT_MS, polling=20)


def run(rounds: int = 5, data: str | None = None) -> str:
    """Measure cold start and navigation and rewrite the browser section of RESULTS.md."""
    from playwright.sync_api import sync_playwright

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    wait_for_quiet()
    started = stamp()
    env = dict(os.environ)
    if data:
        env[DATA_DIR_ENV] = os.environ[DATA_DIR_ENV] = str(Path(data).resolve())
    pages = page_entries()
    expect = expected_charts(pages)
    all_pages = pages
    pages = [p for p in pages if not expect[p["script"]]["error"] and expect[p["script"]]["count"]]
    if not pages:
        body = "\n".join(["## Browser: headless Chromium against `streamlit run dashboard.py`", "", started, "",
                          "Not measured: no page rendered charts without error under AppTest.", "",
                          *_page_notes(all_pages, expect)])  # fmt: skip
        write_section("browser", body)
        return body
    port = _free_port()
    log = open(OUT_DIR / "browser-streamlit.log", "w")  # noqa: SIM115 - closed in finally
    nav_times: dict[str, list[float]] = {p["script"]: [] for p in pages}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.route(re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/]).*"), lambda route: route.abort())
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_healthy(port, proc)
            healthy = time.perf_counter() - start
            page.goto(f"http://127.0.0.1:{port}/", timeout=TIMEOUT_MS)
            _drawn(page, expect[pages[0]["script"]])
            cold = time.perf_counter() - start
            page.wait_for_timeout(1500)  # let the app settle (see FIELD-NOTES: a transient toast after start)
            for _ in range(rounds):
                for entry in pages[1:] + pages[:1]:
                    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{entry["url_path"]}"]')
                    if entry is pages[0] and not link.count():
                        link = page.locator('[data-testid="stSidebarNav"] a').first
                    t0 = time.perf_counter()
                    link.first.click()
                    _drawn(page, expect[entry["script"]])
                    nav_times[entry["script"]].append(time.perf_counter() - t0)
            page.screenshot(path=str(OUT_DIR / "browser-last-page.png"))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
            browser.close()
    rows = []
    for entry in pages:
        e = expect[entry["script"]]
        times = nav_times[entry["script"]]
        rows.append([entry["title"], e["count"], ms(statistics.median(times)) if times else "—",
                     ms(max(times)) if times else "—", f"{sum(e['bytes']) / 1000:.0f} kB",
                     ", ".join(f"{b / 1000:.0f} kB" for b in e["bytes"])])  # fmt: skip
    folder = os.environ.get(DATA_DIR_ENV) or "data/"
    body = "\n".join([
        "## Browser: headless Chromium against `streamlit run dashboard.py`", "", started, "",
        f"Data: `{folder}`. Only localhost traffic (other requests aborted). Cold start = streamlit process start → "
        f"first page with every chart drawn: **{ms(cold)}** (server healthy after {ms(healthy)}). Navigation = click "
        f"in the sidebar → every chart of the page drawn, {rounds} rounds over all pages. Figure JSON bytes per "
        "page are the chart specs the page sends (counted with AppTest).", "",
        table(["page", "charts", "navigation median", "navigation max", "figure JSON", "per chart"], rows), "",
        *_page_notes(all_pages, expect),
    ])  # fmt: skip
    write_section("browser", body)
    return body


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench browser")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--data", help="data folder to point the app at (default: $DASHBOARD_DATA_DIR or data/)")
    args = parser.parse_args(argv)
    print(run(args.rounds, args.data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
