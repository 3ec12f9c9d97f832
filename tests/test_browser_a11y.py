"""Accessibility in the browser: axe-core on every page of the app's navigation, and every chart named.

axe-core (npm, pinned in tests/axe/package-lock.json, installed by `scripts/setup.sh --dev`) is injected
by Playwright into each page once Streamlit has settled, and run with the WCAG 2.0/2.1/2.2 A and AA rules
plus axe's best practices (heading order, one h1, landmarks). The pages are found from the app itself:
every link in the sidebar navigation (so pages added later are covered), plus a slide of the first
briefing when there is one, and, on a second server in curation mode, the pages only that mode has.

Streamlit's own chrome and ours are told apart by `STREAMLIT_OWN`, a list of (rule, CSS selector
fragment) pairs whose violations are Streamlit's to fix, each with its reason. With Streamlit 1.67 and
the theme in .streamlit/config.toml it holds one entry (the file uploader's drop zone): every other
violation fails the test, wherever it is.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REAL_DATA
from tests.test_browser import CHROMIUM, Browser, serve_dashboard, settle

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = [(1600, 1000), (1280, 720)]
# (axe rule id, selector fragment): violations inside Streamlit's own chrome that we cannot fix from the
# app. Keep it minimal, and give each entry its reason.
STREAMLIT_OWN: list[tuple[str, str]] = [
    # st.file_uploader's drop zone (Curate page): Streamlit renders react-dropzone's root as
    # <section role="presentation" aria-label=...>; the label is Streamlit's, the role react-dropzone's.
    ("presentation-role-conflict", 'data-testid="stFileUploaderDropzone"'),
]

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)"),
    pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run scripts/setup.sh --dev"),
]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The app as everyone sees it, and in curation mode on a copy of the data (nothing is saved)."""
    copy = tmp_path_factory.mktemp("a11y") / "data"
    shutil.copytree(REAL_DATA, copy)
    normal = serve_dashboard(REAL_DATA, {}, "streamlit-a11y.log")
    curate = serve_dashboard(copy, {"DASHBOARD_CURATE": "1"}, "streamlit-a11y-curate.log")
    bases = {"normal": next(normal), "curate": next(curate)}
    try:
        yield bases
    finally:
        for server in (normal, curate):
            server.close()


@pytest.fixture(scope="module")
def browser(servers: dict[str, str]) -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


def _open(br: Any, url: str, size: tuple[int, int]) -> tuple[Any, Any]:
    context = br.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"]', timeout=60000)
    page.wait_for_timeout(1500)
    settle(page)
    charts = page.locator(".js-plotly-plot").count()
    if charts:
        page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                               timeout=60000)  # fmt: skip
        page.wait_for_timeout(500)
    return context, page


def _nav_paths(br: Any, base: str) -> list[str]:
    context, page = _open(br, base + "/", VIEWPORTS[0])
    try:  # a fresh server's first run (imports, data) can outlast _open's settling: wait for the navigation
        page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=180000)
        hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a', "links => links.map(a => a.href)")
    finally:
        context.close()
    return list(dict.fromkeys(h.removeprefix(base) or "/" for h in hrefs))


def _slide_paths() -> list[str]:
    """The first slide of the first briefing, and its first event slide (quote, citation, spotlight chart)."""
    import yaml

    briefings = sorted((REAL_DATA / "briefings").glob("*.yaml")) if (REAL_DATA / "briefings").is_dir() else []
    if not briefings:
        return []
    slides = yaml.safe_load(briefings[0].read_text(encoding="utf-8")).get("slides") or []
    events = [n for n, slide in enumerate(slides, start=1) if isinstance(slide, dict) and slide.get("event")]
    return [f"/present?briefing={briefings[0].stem}&slide={n}" for n in dict.fromkeys([1, *events[:1]])]


def _axe(page: Any) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           AXE_TAGS)  # fmt: skip
    found = []
    for violation in result["violations"]:
        nodes = [n for n in violation["nodes"]
                 if not any(rule == violation["id"] and fragment in " ".join(map(str, n["target"])) + n.get("html", "")
                            for rule, fragment in STREAMLIT_OWN)]  # fmt: skip
        if nodes:
            found.append({"rule": violation["id"], "impact": violation["impact"], "help": violation["help"],
                          "where": [(n["target"], n["failureSummary"]) for n in nodes[:3]]})  # fmt: skip
    return found


def _charts(page: Any) -> list[dict]:
    """Per drawn chart: the accessible name its figure container carries."""
    return page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
        const figure = plot.closest('[role="figure"]');
        return {label: figure ? figure.getAttribute('aria-label') : null,
                title: (plot.querySelector('.gtitle') || {}).textContent || ''};
    })""")


def _check_pages(browser: Browser, base: str, paths: list[str]) -> dict[str, Any]:
    def run(br: Any) -> dict[str, Any]:
        report: dict[str, Any] = {}
        for path in paths:
            for size in VIEWPORTS:
                context, page = _open(br, base + path, size)
                try:
                    report[f"{path} at {size[0]}x{size[1]}"] = {
                        "violations": _axe(page), "charts": _charts(page), "title": page.title(),
                        "h1": page.locator("h1").count(),
                    }  # fmt: skip
                finally:
                    context.close()
        return report

    return browser.run(run, timeout=900)  # about 24 page visits: minutes on a loaded machine


def test_every_page_has_no_axe_violations_and_every_chart_is_named(servers: dict[str, str], browser: Browser) -> None:
    pages = browser.run(lambda br: _nav_paths(br, servers["normal"]))
    assert len(pages) >= 5, pages
    report = _check_pages(browser, servers["normal"], pages + _slide_paths())
    failures = {page: seen["violations"] for page, seen in report.items() if seen["violations"]}
    assert not failures, failures
    titles = {seen["title"] for page, seen in report.items() if page.split(" at ")[0] in pages}
    assert len(titles) == len(pages), f"each page its own browser title: {titles}"
    for page, seen in report.items():
        for chart in seen["charts"]:
            assert chart["label"], f"{page}: a chart without an accessible name ({chart['title']})"
            assert chart["label"].startswith(chart["title"]) and len(chart["label"]) > len(chart["title"]) + 20, \
                f"{page}: the chart's name should be its title followed by a description: {chart['label']!r}"


def test_a_charts_data_and_downloads_panel_opens_by_keyboard_with_no_axe_violations(
    servers: dict[str, str], browser: Browser
) -> None:
    """The one panel under a chart is built only when opened: Enter on "Data and downloads" shows the table (focus
    stays on the panel), the table's CSV and the chart's four file buttons, and axe finds nothing with it open."""

    def run(br: Any) -> dict[str, Any]:
        context, page = _open(br, servers["normal"] + "/timeline", VIEWPORTS[1])
        try:
            closed = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').count()
            closed_buttons = page.locator('[data-testid="stExpander"] [data-testid="stDownloadButton"]').count()
            data = page.locator('[data-testid="stExpander"] summary', has_text="Data and downloads:").first
            data.focus()
            page.keyboard.press("Enter")
            page.wait_for_selector('[data-testid="stExpander"] [data-testid="stDataFrame"]', timeout=60000)
            page.wait_for_selector('[data-testid="stExpander"] [data-testid="stDownloadButton"]', timeout=60000)
            focus_after_data = page.evaluate("document.activeElement.textContent")
            page.wait_for_timeout(500)
            settle(page)
            buttons = page.locator('[data-testid="stExpander"] [data-testid="stDownloadButton"]').all_inner_texts()
            return {"closed": closed, "closed_buttons": closed_buttons, "focus": focus_after_data, "buttons": buttons,
                    "violations": _axe(page)}  # fmt: skip
        finally:
            context.close()

    seen = browser.run(run)
    assert seen["closed"] == 0 and seen["closed_buttons"] == 0, "a closed panel holds no table and no buttons"
    assert seen["focus"].startswith("table") or "Data and downloads:" in seen["focus"], seen["focus"]
    labels = [b.split()[-1] for b in seen["buttons"]]
    assert {"PNG", "SVG", "PDF", "HTML", "CSV"} <= set(labels) and len(labels) == 5, seen
    assert not seen["violations"], seen["violations"]


def test_pages_only_curation_mode_has_are_checked_too(servers: dict[str, str], browser: Browser) -> None:
    normal = set(browser.run(lambda br: _nav_paths(br, servers["normal"])))
    extra = [p for p in browser.run(lambda br: _nav_paths(br, servers["curate"])) if p not in normal]
    if not extra:
        pytest.skip("curation mode adds no page in this version")
    report = _check_pages(browser, servers["curate"], extra)
    failures = {page: seen["violations"] for page, seen in report.items() if seen["violations"]}
    assert not failures, failures


def test_the_curate_page_with_drafts_shown_has_no_axe_violations(servers: dict[str, str], browser: Browser) -> None:
    """The Curate page's busiest state: an article pasted, its drafts beside the highlighted text."""
    body = ("Uzbekistan hosted a Taliban delegation in Termez on 3 June 2023. Kazakhstan welcomed the talks the "
            "same day.\n\nThe meeting drew sharp criticism from Tajikistan.")  # fmt: skip

    def run(br: Any) -> dict[str, Any]:
        report: dict[str, Any] = {}
        for size in VIEWPORTS:
            context, page = _open(br, servers["curate"] + "/curate", size)
            try:
                page.get_by_label("Article text", exact=False).fill(body)
                page.get_by_label("Title (the headline as published)").fill("Termez talks")
                page.get_by_label("Outlet (full name)").fill("Test Wire")
                page.get_by_label("Published (YYYY-MM-DD", exact=False).fill("2023-06-12")
                page.get_by_role("button", name="Draft events").click()
                page.get_by_role("heading", name="Drafts from", exact=False).wait_for(timeout=60000)
                page.wait_for_timeout(1000)
                settle(page)
                report[f"{size[0]}x{size[1]}"] = {"violations": _axe(page), "h1": page.locator("h1").count()}
            finally:
                context.close()
        return report

    report = browser.run(run)
    failures = {size: seen["violations"] for size, seen in report.items() if seen["violations"]}
    assert not failures, failures
    assert all(seen["h1"] == 1 for seen in report.values())
