"""Exports: every chart as PNG, SVG, PDF and offline HTML carrying its own context; the events as
CSV and Excel with formula-like cells neutralised; safe file names; a warm, thread-safe kaleido."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lib.exports import export
from lib.model.filters import FilterOptions, Filters
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate, charts
from lib.views.style import ChartMeta
from tests.conftest import make_events, write_data_dir

STATIC_OK, STATIC_WHY = export.static_export_available()
needs_chrome = pytest.mark.skipif(not STATIC_OK, reason=f"no Chrome/Chromium for kaleido: {STATIC_WHY}")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
EXPORTED_ON = "2026-01-31"
CHARTS = ("timeline", "stance-toward-taliban", "stance-heatmap", "map", "events-per-year", "events-by-country")


# ---------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def real():
    """The real data in data/, filtered to Kazakhstan and Tajikistan (a view with every chart populated)."""
    ds = load_dataset()
    tables = build_tables(ds)
    meta = ChartMeta.from_dataset(ds)
    options = FilterOptions.from_dataset(ds, tables)
    filters = Filters.from_query({"country": "KAZ,TJK,AFG"}, options)
    events = filters.apply(tables)
    assert len(events) > 5, "the real data should have events for this view"
    return ds, tables, meta, options, filters, events


def build_chart(name: str, real) -> object:
    _, tables, meta, options, filters, events = real
    subtitle = filters.describe(options)
    summary = aggregate.country_summary(events, tables, target="taliban")
    return {
        "timeline": lambda: charts.timeline(events, meta, subtitle=subtitle),
        "stance-toward-taliban": lambda: charts.stance_over_time(events, meta, target="taliban", subtitle=subtitle),
        "stance-heatmap": lambda: charts.stance_heatmap(events, meta, target="taliban", subtitle=subtitle),
        "map": lambda: charts.region_map(summary, meta, subtitle=subtitle),
        "events-per-year": lambda: charts.counts_by_year_chart(events, meta, subtitle=subtitle),
        "events-by-country": lambda: charts.counts_by_country_chart(summary, meta, subtitle=subtitle),
    }[name]()


def source_line(real) -> str:
    _, tables, meta, _, _, events = real
    return meta.source_line(export.source_articles(events, tables))


@pytest.fixture(scope="session")
def kaleido_server():
    """One warm kaleido browser for the whole test session."""
    if not STATIC_OK:
        pytest.skip(f"no Chrome/Chromium for kaleido: {STATIC_WHY}")
    export.warm_up()
    yield
    export.shutdown()


_PLAYWRIGHT: dict[str, object] = {}  # one Chromium per test process, shared by every module that renders HTML


@pytest.fixture(scope="session")
def browser(request):
    """Headless Debian Chromium through Playwright, for rendering the HTML exports.

    Started once per process and closed at the end of the run, so test_briefing (which imports this
    fixture) and this module share it: Playwright's sync API cannot run twice at once.
    """
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium to render HTML in (CI installs it: apt-get install chromium)")
    if "browser" not in _PLAYWRIGHT:
        from playwright.sync_api import sync_playwright

        manager = sync_playwright()
        playwright = manager.start()
        _PLAYWRIGHT["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def close() -> None:
            _PLAYWRIGHT.pop("browser").close()  # type: ignore[attr-defined]
            playwright.stop()

        request.config.add_cleanup(close)
    return _PLAYWRIGHT["browser"]


# ---------------------------------------------------------------------------
# helpers


class _Attributes(HTMLParser):
    """Collects every src= and href= attribute of real tags (script bodies are not parsed as tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.script_srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.links.append(value)
                if tag == "script" and name == "src":
                    self.script_srcs.append(value)


def external_links(page: str) -> list[str]:
    parser = _Attributes()
    parser.feed(page)
    raw = re.findall(r"""<[a-z][^>]*?\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", _outside_scripts(page),
                     re.I)  # fmt: skip
    return [v for v in parser.links if re.match(r"\s*(https?:)?//", v, re.I)] + raw


def _outside_scripts(page: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I)


def render_offline(browser, path: Path) -> dict[str, object]:
    """Open an HTML file in Chromium; report requests that left file://, plot SVGs and map paths."""
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_selector(".main-svg", timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.main-svg').length > 0 && "
                               "Array.from(document.querySelectorAll('.js-plotly-plot')).every(d => d._fullLayout)",
                               timeout=30_000)  # fmt: skip
        page.wait_for_timeout(300)
        return {
            "external": [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))],
            "main_svg": page.locator(".main-svg").count(),
            "plots": page.locator(".js-plotly-plot").count(),
            "map_paths": page.locator(".geo .choroplethlocation, .geo .countries path, .geo .land path").count(),
            "text": page.locator("body").inner_text(),
            "errors": errors,
        }
    finally:
        page.close()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def svg_text(data: bytes) -> str:
    root = ET.fromstring(data)  # raises if the SVG does not parse
    assert root.tag.endswith("svg")
    return " ".join(" ".join(root.itertext()).split())


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


# ---------------------------------------------------------------------------
# file names and the mode bar


def test_file_name_says_what_the_chart_and_view_are() -> None:
    filters = Filters(countries=("KAZ", "TJK"), year_from=2010, year_to=2012)
    assert export.file_name("stance-toward-taliban", filters, "svg") == "stance-toward-taliban_KAZ-TJK_2010-2012.svg"
    assert export.file_name("Timeline", Filters(), "png") == "timeline_all.png"


def test_file_name_never_carries_unsafe_text() -> None:
    hostile = "../../etc/passwd <script>alert(1)</script> \x00 Қазақстан \\ C:|*?"
    name = export.file_name(hostile, Filters(actors=("../x", "a b")), "p/n g")
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[a-z0-9]+", name), name
    assert ".." not in name.rsplit(".", 1)[0] and "/" not in name
    long = export.file_name("x" * 500, Filters(actors=tuple(f"actor{i}" for i in range(60))), "pdf")
    assert len(long) <= export.MAX_STEM + 4
    assert export.clean_stem("../../a b") == "a-b"


def test_modebar_download_saves_a_slide_sized_png_named_for_the_chart() -> None:
    assert export.modebar_config("timeline_KAZ-TJK") == {
        "toImageButtonOptions": {"format": "png", "filename": "timeline_KAZ-TJK", "scale": 2, "width": 1600,
                                 "height": 900},
        "displaylogo": False,
    }  # fmt: skip


# ---------------------------------------------------------------------------
# context travels with the chart


def test_exported_figure_carries_title_filters_source_and_date(real) -> None:
    fig = build_chart("timeline", real)
    before = fig.to_json()
    framed = export.with_context(fig, source_line=source_line(real), exported_on=EXPORTED_ON)
    assert fig.to_json() == before, "with_context must not change the page's figure"
    assert framed.layout.title.text == fig.layout.title.text
    assert "Kazakhstan" in framed.layout.title.subtitle.text
    footer = [a.text for a in framed.layout.annotations if a.name == "export-footer"]
    assert len(footer) == 1
    assert "Source: events coded from" in footer[0] and f"Exported {EXPORTED_ON}" in footer[0]
    assert framed.layout.margin.b >= export.FOOTER_GAP + 2 * export.FOOTER_LINE


def test_source_line_names_only_the_articles_the_view_draws_on(real) -> None:
    ds, tables, meta, *_ = real
    one = tables.events.iloc[[0]]
    cited = export.source_articles(one, tables)
    assert cited and set(cited) <= set(ds.articles)
    assert len(cited) <= len(export.source_articles(tables.events, tables))


# ---------------------------------------------------------------------------
# each format for each chart


@needs_chrome
@pytest.mark.parametrize("chart", CHARTS)
def test_png_is_slide_sized_at_2x(chart: str, real, kaleido_server) -> None:
    fig = build_chart(chart, real)
    data = export.export_figure(fig, "png", source_line=source_line(real), exported_on=EXPORTED_ON)
    width, height = png_size(data)
    assert width == export.EXPORT_WIDTH * 2
    assert height >= export.EXPORT_HEIGHT * 2 and height == 2 * export.export_height(
        export.with_context(fig, source_line=source_line(real), exported_on=EXPORTED_ON)
    )


@needs_chrome
@pytest.mark.parametrize("chart", CHARTS)
def test_svg_parses_and_shows_title_filters_and_source_footer(chart: str, real, kaleido_server) -> None:
    fig = build_chart(chart, real)
    text = svg_text(export.export_figure(fig, "svg", source_line=source_line(real), exported_on=EXPORTED_ON))
    title = " ".join(fig.layout.title.text.split())
    assert title.replace("&amp;", "&") in text
    assert "Kazakhstan, Tajikistan, Afghanistan" in text
    assert "Source: events coded from" in text
    assert f"Exported {EXPORTED_ON}" in text


@needs_chrome
@pytest.mark.parametrize("chart", CHARTS)
def test_pdf_is_one_page_with_title_and_source(chart: str, real, kaleido_server) -> None:
    fig = build_chart(chart, real)
    pages, text = pdf_text(export.export_figure(fig, "pdf", source_line=source_line(real), exported_on=EXPORTED_ON))
    assert pages == 1
    assert " ".join(fig.layout.title.text.split()) in text
    assert "Source: events coded from" in text and f"Exported {EXPORTED_ON}" in text


@pytest.mark.parametrize("chart", CHARTS)
def test_html_is_standalone_and_renders_offline(chart: str, real, browser, tmp_path: Path) -> None:
    fig = build_chart(chart, real)
    data = export.export_figure(fig, "html", source_line=source_line(real), exported_on=EXPORTED_ON,
                                stem=f"{chart}_test")  # fmt: skip
    page = data.decode("utf-8")
    assert external_links(page) == []
    assert "<script src" not in page.lower() and "cdn.plot.ly/plotly" not in page.lower()
    assert "Plotly.newPlot" in page and len(page) > 3_000_000, "plotly.js should be inlined"
    path = tmp_path / export.file_name(chart, Filters(), "html")
    path.write_bytes(data)
    seen = render_offline(browser, path)
    assert seen["main_svg"] >= 1
    assert seen["external"] == [], seen["external"]
    assert seen["errors"] == []
    assert "Source: events coded from" in str(seen["text"])
    if chart == "map":
        assert seen["map_paths"] > 5, "the map must draw its countries from the embedded topojson"


def test_map_html_embeds_the_base_map_other_charts_do_not(real) -> None:
    map_html = export.figure_html(build_chart("map", real)).decode()
    timeline_html = export.figure_html(build_chart("timeline", real)).decode()
    marker = "Object.assign(window.PlotlyGeoAssets.topojson"
    assert marker in map_html and '"world_50m"' in map_html
    assert marker not in timeline_html
    assert export.topojson_names(build_chart("map", real)) == ["world_50m"]


@needs_chrome
def test_concurrent_exports_from_many_threads_each_get_their_own_chart(real, kaleido_server) -> None:
    figures = {name: build_chart(name, real) for name in ("timeline", "stance-heatmap", "events-per-year", "map")}
    results: dict[str, bytes] = {}
    failures: list[BaseException] = []

    def work(name: str) -> None:
        try:
            results[name] = export.export_figure(figures[name], "svg", source_line="Source: x",
                                                 exported_on=EXPORTED_ON)  # fmt: skip
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(name,)) for name in figures for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not failures and set(results) == set(figures)
    for name, data in results.items():
        assert " ".join(figures[name].layout.title.text.split()) in svg_text(data), name


def test_without_chrome_static_export_explains_how_to_install_one(monkeypatch, real) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chrome")
    ok, why = export.static_export_available()
    assert not ok and "apt-get install chromium" in why

    class Stopped:
        def is_running(self) -> bool:
            return False

    monkeypatch.setattr(export, "_server", lambda: Stopped())
    fig = build_chart("timeline", real)
    with pytest.raises(export.ExportError, match="apt-get install chromium"):
        export.figure_bytes(fig, "png")
    assert export.figure_bytes(fig, "html").startswith(b"<!DOCTYPE html>")


# ---------------------------------------------------------------------------
# data: CSV and Excel

HOSTILE_CELLS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=1+2"]


def hostile_data(tmp_path: Path) -> Path:
    events = make_events()
    events[0]["title"] = "=HYPERLINK(\"http://evil\",\"click\")"
    events[0]["summary"] = "@SUM(1+1) — Қазақстан «Талибан» “quoted” ✓"
    events[1]["title"] = "-1+2 Taliban warn Kazakhstan"
    events[1]["sources"][0]["quote"] = "=cmd|' /C calc'!A0 — Талибан"
    root = write_data_dir(tmp_path / "data", events)
    article = root / "articles" / "mt-2011.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n=cmd|' /C calc'!A0 — Талибан\n", encoding="utf-8")
    return root


def hostile_frame(tmp_path: Path):
    ds = load_dataset(hostile_data(tmp_path))
    assert not ds.problems, ds.problems
    tables = build_tables(ds)
    return export.events_export_frame(tables.events, tables, ds), ds


@pytest.mark.parametrize("cell", HOSTILE_CELLS)
def test_neutralise_prefixes_formula_starts_with_a_single_quote(cell: str) -> None:
    assert export.neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Taliban", "a=b", "", "'already", "1-2", " =x"])
def test_neutralise_leaves_ordinary_text_alone(cell: str) -> None:
    assert export.neutralise(cell) == cell


def test_numbers_stay_numbers() -> None:
    assert export.neutralise(-2) == -2


def test_events_frame_has_one_row_per_event_with_quotes_and_citations(real) -> None:
    ds, tables, meta, _, _, events = real
    frame = export.events_export_frame(events, tables, ds, meta)
    assert len(frame) == len(events)
    assert list(frame.columns) == export.EXPORT_COLUMNS
    for required in ("date", "precision", "title", "summary", "actor", "target", "countries", "event type",
                     "stance", "quotes", "citations"):  # fmt: skip
        assert required in frame.columns
    assert frame["quotes"].str.startswith("[1] “").all()
    assert frame["citations"].str.startswith("[1] ").all()
    first = frame.iloc[0]
    article = ds.articles[tables.sources[tables.sources["event_id"] == first["id"]]["article"].iloc[0]]
    assert article.outlet in first["citations"]
    if article.url:
        assert article.url in first["citations"]


def test_csv_neutralises_formulas_and_round_trips_utf8(tmp_path: Path) -> None:
    frame, _ = hostile_frame(tmp_path)
    data = export.events_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark so Excel reads the encoding"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2
    by_id = {row["id"]: row for row in rows}
    assert by_id["kaz-votes-isaf"]["title"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert by_id["kaz-votes-isaf"]["summary"] == "'@SUM(1+1) — Қазақстан «Талибан» “quoted” ✓"
    assert by_id["taliban-warns-kaz"]["title"] == "'-1+2 Taliban warn Kazakhstan"
    assert by_id["taliban-warns-kaz"]["quotes"].startswith("[1] “=cmd")  # inside the cell, not at its start
    assert by_id["taliban-warns-kaz"]["stance"] == "-1"  # a number, not text
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")) and not re.match(r"-\D", value), value


def test_xlsx_stores_text_never_formulas_and_keeps_unicode(tmp_path: Path) -> None:
    frame, _ = hostile_frame(tmp_path)
    about = export.export_about(Filters(), "All events", "Source: x", EXPORTED_ON)
    book = load_workbook(io.BytesIO(export.events_xlsx(frame, about=about)))
    sheet = book["Events"]
    header = [c.value for c in sheet[1]]
    assert header == export.EXPORT_COLUMNS
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), "no cell may be stored as a formula"
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://evil\",\"click\")" in values
    assert "'@SUM(1+1) — Қазақстан «Талибан» “quoted” ✓" in values
    assert "About" in book.sheetnames and book["About"]["B2"].value == "All events"


def test_xlsx_marks_characters_xml_cannot_hold_and_says_so_on_the_about_sheet(tmp_path: Path) -> None:
    frame, _ = hostile_frame(tmp_path)
    frame.loc[0, "title"] = "Taliban \x1b[31mwarn\x07"
    book = load_workbook(io.BytesIO(export.events_xlsx(frame)))
    assert book["Events"]["D2"].value == "Taliban ⟨U+001B⟩[31mwarn⟨U+0007⟩"
    notes = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    note = notes["Replaced characters"]
    assert "U+001B, U+0007" in note and f"event '{frame.loc[0, 'id']}' title" in note


def test_xlsx_of_clean_text_has_no_replacement_note(tmp_path: Path) -> None:
    frame, _ = hostile_frame(tmp_path)
    about = export.export_about(Filters(), "All events", "Source: x", EXPORTED_ON)
    book = load_workbook(io.BytesIO(export.events_xlsx(frame, about=about)))
    assert "Replaced characters" not in {row[0] for row in book["About"].iter_rows(values_only=True)}


def test_xlsx_of_the_real_view_has_every_event(real) -> None:
    ds, tables, meta, _, _, events = real
    frame = export.events_export_frame(events, tables, ds, meta)
    sheet = load_workbook(io.BytesIO(export.events_xlsx(frame)))["Events"]
    assert sheet.max_row == len(events) + 1
    titles = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {export.neutralise(t) for t in events["title"]} == titles


def test_export_date_is_today_by_default_in_footer_lines() -> None:
    lines = export.footer_lines("Source: a", dt.date(2026, 1, 2))
    assert lines[-1].startswith("Exported 2026-01-02 from the")


# ---------------------------------------------------------------------------
# the Streamlit glue (lib/ui/downloads.py)

GLUE_SCRIPT = """
from lib import ui
from lib.views import charts

view = ui.current_view()
fig = charts.timeline(view.events, view.loaded.meta, subtitle=view.subtitle)
ui.chart_downloads(fig, "timeline_" + view.filters.slug(), view)
ui.data_downloads(view)
ui.briefing_button(view)
"""


def _download_buttons(at) -> dict[str, object]:
    return {el.proto.label: el.proto for el in at.get("download_button")}


def glue_app(tmp_path: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    script = tmp_path / "glue_app.py"
    script.write_text(GLUE_SCRIPT, encoding="utf-8")
    return AppTest.from_file(str(script), default_timeout=300)


def test_chart_and_data_download_buttons_sit_under_the_chart(tmp_path: Path, monkeypatch) -> None:
    at = glue_app(tmp_path, monkeypatch).run()
    assert not at.exception
    buttons = _download_buttons(at)
    assert {"PNG", "SVG", "PDF", "Interactive HTML", "Events as CSV", "Events as Excel"} <= set(buttons)
    assert buttons["Interactive HTML"].help == "Download timeline_all.html"
    assert buttons["Events as CSV"].help.startswith("Download events_all.csv: 2 events")
    assert buttons["Events as Excel"].help.startswith("Download events_all.xlsx")
    assert buttons["PNG"].disabled is (not STATIC_OK)
    assert buttons["Interactive HTML"].disabled is False


def test_without_chrome_static_buttons_are_disabled_and_say_how_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(export, "static_export_available", lambda: (False, export.INSTALL_HINT))
    at = glue_app(tmp_path, monkeypatch).run()
    assert not at.exception
    buttons = _download_buttons(at)
    assert buttons["PNG"].disabled and buttons["SVG"].disabled and buttons["PDF"].disabled
    assert not buttons["Interactive HTML"].disabled
    assert "apt-get install chromium" in buttons["PNG"].help
    assert any("apt-get install chromium" in c.value.replace("\\", "") for c in at.caption)


def test_briefing_button_builds_the_pack_and_offers_pdf_and_html(tmp_path: Path, monkeypatch) -> None:
    at = glue_app(tmp_path, monkeypatch).run()
    assert "Briefing pack (PDF)" not in _download_buttons(at)
    at.button(key="briefing_build").click().run()
    assert not at.exception
    buttons = _download_buttons(at)
    assert buttons["Briefing pack (PDF)"].help == "Download briefing_all.pdf"
    assert buttons["Briefing pack (HTML, works offline)"].help == "Download briefing_all.html"
    assert not at.error


def test_the_glue_builds_chart_files_from_figure_json(real) -> None:
    from lib import ui

    fig = build_chart("stance-heatmap", real)
    data = ui.downloads._chart_file(fig.to_json(), "html", "Source: glue", EXPORTED_ON, "stance-heatmap_all")
    page = data.decode("utf-8")
    assert "Source: glue" in page and '"filename": "stance-heatmap_all"' in page.replace('":"', '": "')


# ---------------------------------------------------------------------------
# the base map cropped to the region for static exports


def _square(x: int, y: int) -> list[list[int]]:
    """One closed arc, delta-encoded, around the quantized point (x, y)."""
    return [[x, y], [10, 0], [0, 10], [-10, 0], [0, -10]]


def test_crop_keeps_features_reaching_the_box_whole_and_renumbers_their_arcs() -> None:
    topology = {
        "type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [_square(-150, 0), _square(50, 40), _square(55, 45), [[60, 40], [5, 5]]],
        "objects": {
            "countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "id": "FAR", "arcs": [[0]]},
                {"type": "Polygon", "id": "NEAR", "arcs": [[1], [~2], [0]]},  # a far hole is dropped
                {"type": "MultiPolygon", "id": "MIX", "arcs": [[[0]], [[2]]]},
                {"type": "Polygon", "id": "EMPTY", "arcs": []},
            ]},
            "rivers": {"type": "GeometryCollection", "geometries": [{"type": "LineString", "arcs": [3]},
                                                                    {"type": "LineString", "arcs": [0]}]},
        },
    }  # fmt: skip
    cropped = export.crop_topojson(topology, (40, 30, 80, 70))
    countries = {g["id"]: g["arcs"] for g in cropped["objects"]["countries"]["geometries"]}
    assert set(countries) == {"NEAR", "MIX", "EMPTY"}
    assert cropped["arcs"] == [topology["arcs"][1], topology["arcs"][2], topology["arcs"][3]]
    assert countries["NEAR"] == [[0], [~1]] and countries["MIX"] == [[[1]]] and countries["EMPTY"] == []
    assert cropped["objects"]["rivers"]["geometries"] == [{"type": "LineString", "arcs": [2]}]


def test_the_shipped_cropped_base_map_is_current() -> None:
    import json

    full = json.loads((export.TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    shipped = json.loads((export.CROPPED_TOPOJSON_DIR / "world_50m.json").read_text(encoding="utf-8"))
    assert shipped == export.crop_topojson(full, export.CROP_BOX), "run scripts/crop_topojson.py"


def test_only_region_maps_use_the_cropped_base_map(real) -> None:
    crop = export.CROPPED_TOPOJSON_DIR.resolve().as_uri() + "/"
    full = export.TOPOJSON_DIR.resolve().as_uri() + "/"
    the_map = build_chart("map", real).to_dict()
    assert export.static_topojson_url(the_map) == crop
    assert export.static_topojson_url(build_chart("timeline", real).to_dict()) == full
    wider = build_chart("map", real)
    wider.update_geos(lonaxis_range=[-20, 96])
    assert export.static_topojson_url(wider.to_dict()) == full


@needs_chrome
def test_a_map_exported_with_the_cropped_base_map_is_pixel_identical(real, kaleido_server, monkeypatch) -> None:
    fig = build_chart("map", real)
    cropped = export.static_image(fig, "png")
    monkeypatch.setattr(export, "static_topojson_url", lambda figure: export.TOPOJSON_DIR.resolve().as_uri() + "/")
    assert export.static_image(fig, "png") == cropped


def test_html_export_names_the_chart_and_describes_it_in_a_figcaption(real) -> None:
    import re

    from lib.views import describe

    fig = build_chart("timeline", real)
    page = export.figure_html(fig).decode()
    figure = re.search(r'<figure role="figure" aria-label="([^"]+)" aria-describedby="([^"]+)"', page)
    assert figure and figure.group(1) == "Timeline of events by actor"
    caption = re.search(rf'<figcaption id="{figure.group(2)}">([^<]+)</figcaption>', page)
    assert caption and html.unescape(caption.group(1)) == describe.describe(fig)


def test_the_events_export_carries_a_sources_own_date_beside_its_quote_number(tmp_path: Path) -> None:
    events = make_events()
    events[0]["sources"][0] |= {"date": "2011-05-17", "date_note": "It says Tuesday; the house's record, Wednesday."}
    ds = load_dataset(write_data_dir(tmp_path / "data", events))
    assert not ds.problems, ds.problems
    tables = build_tables(ds)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        export.events_csv(export.events_export_frame(tables.events, tables, ds)).decode("utf-8-sig"), newline=""))}  # fmt: skip
    assert rows["kaz-votes-isaf"]["source dates"] == "[1] 2011-05-17: It says Tuesday; the house's record, Wednesday."
    assert rows["kaz-votes-isaf"]["quotes"] == "[1] “The Kazakh parliament decided May 18 to send troops”"
    assert rows["taliban-warns-kaz"]["source dates"] == ""
