"""A briefing handed out: the PPTX deck (title slide, title placeholders, native charts with the figures' data,
pictures and chart text readable where placed, hyperlinks, notes), the PDF handout (a slide and its notes on one
page), the command line, and the deck opened by a real client (LibreOffice Impress, headless)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Emu
from pypdf import PdfReader

from lib.exports import deck, export
from lib.exports.pack import view_for
from lib.paths import ROOT
from lib.text import WORD_JOINER
from tests.conftest import make_events, write_data_dir, write_yaml

STATIC_OK, STATIC_WHY = export.static_export_available()
needs_chrome = pytest.mark.skipif(not STATIC_OK, reason=f"no Chrome/Chromium for kaleido: {STATIC_WHY}")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
WHEN = dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.UTC)
BRIEFING = {
    "title": "Kazakhstan and ISAF",
    "subtitle": "A token deployment and a warning",
    "audience": "the Central Asia desk",
    "date": "2026-12-04",
    "slides": [
        {"heading": "Per year", "page": "overview", "notes": "Two events, one year."},
        {"heading": "By country", "page": "timeline", "query": "rows=country&country=KAZ"},
        {"heading": "The warning", "event": "taliban-warns-kaz", "notes": "Bell in the notes."},
        {"heading": "The list", "page": "events", "query": "actor=taliban"},
        {"heading": "Toward Kazakhstan", "page": "stance", "query": "target=KAZ", "notes": "One hostile step."},
        {"heading": "Where", "page": "map"},
    ],
}
NATIVE_TYPES = {"bar", "scatter"}  # Plotly trace types python-pptx charts can draw (column/bar, XY scatter)
EXCEL_DAY0 = pd.Timestamp("1899-12-30")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def squash(text: str) -> str:
    return " ".join(text.split())


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return squash(" ".join(parts))


def drawable_natively(fig) -> bool:
    """The test's own rule: every trace a bar or a scatter, and some trace has a point."""
    types = {t.type for t in fig.data}
    return bool(types) and types <= NATIVE_TYPES and any(
        v is not None for t in fig.data for v in (list(t.x) if t.x is not None else []))  # fmt: skip


def excel_day(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return (pd.Timestamp(value) - EXCEL_DAY0) / pd.Timedelta(days=1)


def normal(points: list) -> list:
    """(x, y) pairs rounded, a point without y a gap whatever its x."""
    return [(None, None) if y is None or x is None else (round(x, 6), round(y, 6)) for x, y in points]


def series_xml(chart) -> list[dict]:
    """Each series of a chart as written in the file: name, x and y values by index (None: no point), categories,
    and the indexes of points drawn without a marker."""
    out = []
    for ser in chart._chartSpace.iter(f"{C}ser"):
        def values(tag: str, ser=ser, numbers: bool = True):
            node = ser.find(tag)
            if node is None:
                return None
            count = int(node.find(f".//{C}ptCount").get("val"))
            found = [None] * count
            for pt in node.iter(f"{C}pt"):
                text = pt.find(f"{C}v").text
                found[int(pt.get("idx"))] = float(text) if numbers else text
            return found

        name = ser.find(f"{C}tx")
        no_marker = {int(d.find(f"{C}idx").get("val")) for d in ser.iter(f"{C}dPt")
                     if d.find(f"{C}marker/{C}symbol") is not None and d.find(f"{C}marker/{C}symbol").get("val") == "none"}  # fmt: skip
        labels = {int(d.find(f"{C}idx").get("val")): squash("".join(t.text or "" for t in d.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}t"))) for d in ser.iter(f"{C}dLbl")}  # fmt: skip
        out.append({"name": "".join(v.text or "" for v in name.iter(f"{C}v")) if name is not None else "", "x": values(f"{C}xVal"),
                    "y": values(f"{C}yVal"), "cat": values(f"{C}cat", numbers=False), "val": values(f"{C}val"),
                    "no_marker": no_marker, "labels": labels})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def fixture_deck(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object, object, object]:
    root = write_data_dir(tmp_path_factory.mktemp("deck") / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "kaz.yaml", BRIEFING)
    view, _ = view_for({}, root)
    assert "kaz" in view.loaded.dataset.briefings, [str(p) for p in view.loaded.dataset.problems]
    briefing = view.loaded.dataset.briefings["kaz"]
    parts = deck.deck_parts(briefing, view.loaded, generated=WHEN)
    return deck.build_pptx(briefing, view.loaded, parts=parts), parts, briefing, view.loaded


def content_slides(data: bytes) -> list:
    return list(Presentation(io.BytesIO(data)).slides)[1:]


def test_the_deck_is_16_9_with_a_title_slide_then_one_slide_per_briefing_slide(fixture_deck) -> None:
    data, _, briefing, _ = fixture_deck
    prs = Presentation(io.BytesIO(data))
    assert abs(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches - 16 / 9) < 0.01
    assert len(prs.slides) == 1 + len(briefing.slides)
    count = len(briefing.slides)
    for n, (slide, spec) in enumerate(zip(content_slides(data), briefing.slides, strict=True), start=1):
        text = slide_text(slide)
        assert spec.heading in text
        assert f"Kazakhstan and ISAF · {n}/{count}" in text
        assert "Exported 2026-12-05 14:00 UTC" in text and "The Moscow Times, 2011-05-22" in text


def test_the_title_slide_has_title_subtitle_audience_and_date(fixture_deck) -> None:
    data, _, briefing, _ = fixture_deck
    first = Presentation(io.BytesIO(data)).slides[0]
    assert first.shapes.title.text == "Kazakhstan and ISAF"
    (subtitle,) = [p for p in first.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE]
    assert subtitle.text == "A token deployment and a warning"
    text = slide_text(first)
    assert "For the Central Asia desk" in text and "4 December 2026" in text
    assert "Reviewed events only" in text and f"{len(briefing.slides)} slides" in text


def test_a_title_slide_without_subtitle_audience_or_date_leaves_them_out(fixture_deck) -> None:
    _, _, briefing, loaded = fixture_deck
    bare = briefing.model_copy(update={"subtitle": None, "audience": None, "date": None})
    first = Presentation(io.BytesIO(deck.build_pptx(bare, loaded, generated=WHEN))).slides[0]
    assert [p.placeholder_format.type for p in first.placeholders] == [PP_PLACEHOLDER.CENTER_TITLE], "no empty placeholder"
    text = slide_text(first)
    assert "For " not in text and "December" not in text and "None" not in text
    assert text.startswith("Kazakhstan and ISAF") and "exported 2026-12-05 14:00 UTC" in text


def test_every_slide_has_a_title_placeholder_holding_its_heading(fixture_deck) -> None:
    data, _, briefing, _ = fixture_deck
    prs = Presentation(io.BytesIO(data))
    headings = [briefing.title] + [s.heading for s in briefing.slides]
    for slide, heading in zip(prs.slides, headings, strict=True):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert title.text == heading


def test_charts_python_pptx_can_draw_are_native_and_the_others_pictures(fixture_deck) -> None:
    data, parts, _, _ = fixture_deck
    kinds = {}
    for number, slide in enumerate(content_slides(data), start=1):
        fig = parts.figures.get(number)
        charts = [s for s in slide.shapes if s.has_chart]
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        if fig is None:
            assert charts == [] and pictures == []
            continue
        kinds[number] = drawable_natively(fig)
        if drawable_natively(fig):
            assert len(charts) == 1 and pictures == [], f"slide {number}: a native chart"
        elif STATIC_OK:
            assert charts == [] and len(pictures) == 1, f"slide {number}: a picture"
    # the fixture covers each kind: bars (overview), lines and markers (timeline, stance, spotlight), a map
    assert kinds == {1: True, 2: True, 3: True, 5: True, 6: False}


def native_charts_checked(data: bytes, parts) -> int:
    """Assert each native chart of a deck holds its dashboard figure's data; how many there were."""
    checked = 0
    for number, slide in enumerate(content_slides(data), start=1):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        if not charts:
            continue
        fig, written = parts.figures[number], series_xml(charts[0])
        if {t.type for t in fig.data} == {"bar"}:
            assert [s["name"] for s in written] == [html.unescape(t.name) for t in fig.data]
            for series, trace in zip(written, fig.data, strict=True):
                pairs = {str(c): v for c, v in zip(series["cat"], series["val"], strict=True) if v is not None}
                assert pairs == {str(int(x)): float(y) for x, y in zip(trace.x, trace.y, strict=True)}
            checked += 1
            continue
        axis = fig.layout.yaxis
        rows = None
        if axis.categoryorder == "category descending":  # the spotlight: actors as categories, A at the top
            names = sorted({str(y) for t in fig.data for y in (t.y if t.y is not None else []) if y is not None}, reverse=True)
            rows = {name: float(n) for n, name in enumerate(names)}
        elif axis.categoryorder == "array":  # the spotlight: its rows listed bottom to top (the others' row first)
            rows = {str(name): float(n) for n, name in enumerate(axis.categoryarray)}
        assert len(written) == len(fig.data) + 2, "an empty first series (for LibreOffice), one per trace, the row names"
        assert all(y is None for y in written[0]["y"]), "the first series draws nothing"
        # the figure's rows (position, name) and the rows the chart names (a chart of many rows keeps those with the
        # most events, renumbered from 0 in their order; native_charts.top_rows)
        shown = [str(t) for t in axis.ticktext] if axis.ticktext is not None else sorted(rows, key=rows.get)
        full = [squash(html.unescape(s).replace("<br>", " ")) for s in shown]
        positions = [float(v) for v in axis.tickvals] if axis.ticktext is not None else [rows[n] for n in shown]
        names = written[-1]["labels"]
        written_names = [names[i] for i in sorted(names)]
        renumber = {}
        for short, new_y in zip(written_names, written[-1]["y"], strict=True):  # a long name is clipped with "…"
            found = [p for p, name in zip(positions, full, strict=True)
                     if short == name or (short.endswith("…") and name.startswith(short[:-1]) and len(short) <= 32)]  # fmt: skip
            assert len(found) == 1, f"slide {number}: {short!r} names one row of the figure"
            renumber[round(found[0])] = new_y
        assert written_names and len(renumber) == len(written_names)

        def moved(y: object) -> float | None:
            if y is None:
                return None
            at = rows[str(y)] if rows else float(y)
            return renumber[round(at)] + (at - round(at)) if round(at) in renumber else None

        if len(renumber) < len(full):  # rows left out: the ones with fewer events, and the title says so
            assert len(renumber) >= 4
            events = {round(p): 0 for p in positions}
            for trace in fig.data:
                if "markers" in (trace.mode or ""):
                    for y in trace.y if trace.y is not None else []:
                        if y is not None:
                            events[round(rows[str(y)] if rows else float(y))] += 1
            kept = [events[row] for row in renumber]
            left = [count for row, count in events.items() if row not in renumber]
            highlighted = [t for t in fig.data if t.name == "This event"]
            assert min(kept) >= max(left) or highlighted, f"slide {number}: the rows with most events are kept"
            if charts[0].has_title:
                title = charts[0].chart_title.text_frame.text
                assert f"(the {len(renumber)} rows with most events of {len(full)})" in title, title
        for series, trace in zip(written[1:-1], fig.data, strict=True):
            xs = list(trace.x) if trace.x is not None else []
            ys = list(trace.y) if trace.y is not None else []
            expected = [(excel_day(x), moved(y)) for x, y in zip(xs, ys, strict=True)]
            got = [xy for n, xy in enumerate(zip(series["x"], series["y"], strict=True)) if n not in series["no_marker"]]
            assert normal(got) == normal(expected), f"slide {number}: {trace.name}"
        checked += 1
    return checked


def test_every_native_chart_has_its_figures_title_the_event_spotlight_too(fixture_deck) -> None:
    """A briefer titles every chart, the small one beside an event's text too; a long title takes a smaller size
    (never under 14 pt), not the plot's room."""
    from lib.exports import native_charts

    data, parts, _, _ = fixture_deck
    titled = []
    for number, slide in enumerate(content_slides(data), start=1):
        for chart in [s.chart for s in slide.shapes if s.has_chart]:
            assert chart.has_title, f"slide {number}: a chart without a title"
            words = chart.chart_title.text_frame.text
            assert words.startswith(native_charts.figure_title(parts.figures[number])), (number, words)
            sizes = [r.font.size.pt for p in chart.chart_title.text_frame.paragraphs for r in p.runs]
            assert sizes and min(sizes) >= native_charts.MIN_PT, (number, sizes)
            titled.append(parts.contents[number - 1].event is not None)
    assert True in titled and False in titled, "the fixture has an event's spotlight and a view's chart"


def test_native_charts_hold_the_dashboard_figures_data(fixture_deck) -> None:
    data, parts, _, _ = fixture_deck
    assert native_charts_checked(data, parts) == 4


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "data" / "briefings").glob("*.yaml")))
def test_the_shipped_briefings_native_charts_hold_their_figures_data(name: str, shipped, monkeypatch) -> None:
    if name not in shipped.dataset.briefings:
        pytest.skip(f"{name} is not a valid briefing in this data")
    monkeypatch.setattr(export, "static_export_available", lambda: (False, "pictures are not needed here"))
    briefing = shipped.dataset.briefings[name]
    parts = deck.deck_parts(briefing, shipped)
    data = deck.build_pptx(briefing, shipped, parts=parts)
    drawable = [n for n, fig in parts.figures.items() if drawable_natively(fig)]
    assert native_charts_checked(data, parts) == len(drawable)


def test_native_chart_text_is_at_least_14_points(fixture_deck) -> None:
    data = fixture_deck[0]
    seen = 0
    for slide in content_slides(data):
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            space = shape.chart._chartSpace
            default = space.find(f"{C}txPr")
            assert default is not None, "the chart sets its own default text size"
            sizes = [int(node.get("sz")) for node in space.iter() if node.get("sz") is not None
                     and node.tag.split("}")[1] in ("defRPr", "rPr", "endParaRPr")]  # fmt: skip
            assert sizes and min(sizes) >= 1400, sizes
            seen += 1
    assert seen == 4


def figure_fonts(fig) -> list[float]:
    """Every font size the drawn figure uses (the template's default where the figure sets none)."""
    found = []

    def walk(node, key=""):
        if isinstance(node, dict):
            if key.endswith("font") and isinstance(node.get("size"), (int, float)):
                found.append(node["size"])
            for name, value in node.items():
                if name not in ("template", "hoverlabel"):
                    walk(value, name)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    spec = fig.to_dict()
    walk(spec)
    layout_font = spec["layout"].get("font", {}).get("size")
    found.append(layout_font if layout_font else fig.layout.template.layout.font.size)
    return found


@needs_chrome
def test_pictures_are_drawn_at_their_size_on_the_slide_with_text_of_14_points(fixture_deck) -> None:
    data, parts, _, _ = fixture_deck
    seen = 0
    for number, slide in enumerate(content_slides(data), start=1):
        for shape in slide.shapes:
            if shape.shape_type != MSO_SHAPE_TYPE.PICTURE:
                continue
            drawn = parts.drawn[number]
            width_in, height_in = Emu(shape.width).inches, Emu(shape.height).inches
            pixels = shape.image.size
            assert abs(pixels[0] / pixels[1] - width_in / height_in) < 0.01, "drawn in the shape of its place"
            assert pixels[0] / width_in >= 150, "at least 150 dots per inch where placed"
            assert pixels[0] / drawn.layout.width == pytest.approx(deck.IMAGE_SCALE, rel=0.01)
            points = min(figure_fonts(drawn)) * width_in * 72 / drawn.layout.width
            assert points >= 14, f"slide {number}: smallest chart text {points:.1f} pt where placed"
            seen += 1
    assert seen == 1, "the map"


def test_view_slides_link_back_to_the_dashboard_view(fixture_deck) -> None:
    data, parts, briefing, loaded = fixture_deck

    def links(deck_bytes: bytes) -> dict[int, list[str]]:
        found = {}
        for number, slide in enumerate(content_slides(deck_bytes), start=1):
            found[number] = [r.hyperlink.address for s in slide.shapes if s.has_text_frame
                             for p in s.text_frame.paragraphs for r in p.runs if r.hyperlink.address]  # fmt: skip
        return found

    relative = links(data)
    assert relative[2] == ["/timeline?country=KAZ&rows=country"]
    for number, content in enumerate(parts.contents, start=1):
        assert bool(relative[number]) == (content.view is not None)
    text = slide_text(content_slides(data)[1])
    assert "/timeline?country=KAZ&rows=country" in text and "Countries: Kazakhstan" in text and "Years: all" in text
    based = links(deck.build_pptx(briefing, loaded, generated=WHEN, base_url="https://briefing.example.org/"))
    assert based[2] == ["https://briefing.example.org/timeline?country=KAZ&rows=country"]


def test_an_event_slide_has_the_summary_verbatim_quote_and_full_citation(fixture_deck) -> None:
    text = slide_text(content_slides(fixture_deck[0])[2])
    assert "The Taliban warn of severe consequences." in text
    assert "“The Taliban has warned Kazakhstan”" in text
    assert "“Taliban Warns Kazakhstan”, The Moscow Times, 2011-05-22. https://example.org/a" in text


def test_a_list_page_is_a_native_table_of_its_events(fixture_deck) -> None:
    slide = content_slides(fixture_deck[0])[3]
    (table,) = [s.table for s in slide.shapes if s.has_table]
    assert [c.text for c in table.rows[0].cells] == ["Date", "Event", "Actor → target"]
    assert table.rows[1].cells[1].text == "Taliban warn Kazakhstan"


def test_speaker_notes_are_in_the_notes_pane_and_control_characters_are_replaced_visibly(fixture_deck) -> None:
    data = fixture_deck[0]
    slides = content_slides(data)
    assert slides[0].notes_slide.notes_text_frame.text == "Two events, one year."
    assert slides[2].notes_slide.notes_text_frame.text == "Bell in the notes."
    assert not slides[1].has_notes_slide or slides[1].notes_slide.notes_text_frame.text == ""
    # The validator refuses a BEL in a briefing (lib.text.uncarriable); a briefing built in code that
    # skips validation still gets a deck, with the character marked and the file saying so.
    _, _, briefing, loaded = fixture_deck
    event_slide = briefing.slides[2].model_copy(update={"notes": "Bell\x07 in the notes."})
    bad = briefing.model_copy(update={"slides": [event_slide]})
    bad_parts = deck.deck_parts(bad, loaded, generated=WHEN)
    prs = Presentation(io.BytesIO(deck.build_pptx(bad, loaded, parts=bad_parts)))
    assert prs.slides[1].notes_slide.notes_text_frame.text == "Bell⟨U+0007⟩ in the notes."
    assert [(r.where, r.chars) for r in bad_parts.replaced.items] == [("slide 1 notes", ("\x07",))]
    assert "slide 1 notes" in prs.core_properties.comments, "the file says what was replaced"


def handout_pages(data: bytes) -> list[str]:
    return [squash(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def smallest_type(data: bytes, page: int) -> float:
    """The smallest font size (pt) set on a page of a PDF (fpdf2 sets each with `/F<n> <size> Tf`)."""
    stream = PdfReader(io.BytesIO(data)).pages[page].get_contents().get_data().decode("latin-1")
    return min(float(size) for size in re.findall(r"/F\w+ ([\d.]+) Tf", stream))


def test_the_pdf_handout_has_a_title_page_then_each_slide_with_its_notes_on_one_page(fixture_deck) -> None:
    _, _, briefing, loaded = fixture_deck
    pages = handout_pages(deck.build_pdf(briefing, loaded, generated=WHEN))
    assert len(pages) == 1 + len(briefing.slides)
    assert "Kazakhstan and ISAF" in pages[0] and "A token deployment and a warning" in pages[0]
    assert "For the Central Asia desk" in pages[0] and "4 December 2026" in pages[0]
    for page, spec in zip(pages[1:], briefing.slides, strict=True):
        assert spec.heading in page
        if spec.notes:
            assert squash(spec.notes) in page, f"the notes of “{spec.heading}” on its page"
    assert "The Taliban has warned Kazakhstan" in pages[3]


def test_an_event_with_more_quotes_than_its_handout_page_holds_keeps_readable_type_and_prints_the_rest(
        tmp_path: Path) -> None:
    root = write_data_dir(tmp_path / "data")
    quote = ("Officials in the capital said again this week that the warning was heard and that the troops would go as "
             "planned, whatever the movement said, and that the decision of the parliament stood. ") * 3
    for i in range(14):
        front = {"id": f"wire-2011-{i:02d}", "title": f"Report {i}", "outlet": "A Wire", "author": None,
                 "published": "2011-05-22", "url": None}  # fmt: skip
        (root / "articles" / f"wire-2011-{i:02d}.md").write_text(
            "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + quote + "\n", encoding="utf-8")
    events = make_events()
    events[1]["sources"] += [{"article": f"wire-2011-{i:02d}", "quote": quote.strip()} for i in range(14)]
    write_yaml(root / "events.yaml", {"events": events})
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "one.yaml", {"title": "One event", "slides": [
        {"heading": "The warning", "event": events[1]["id"], "notes": "Fifteen sources."}]})  # fmt: skip
    view, _ = view_for({}, root)
    briefing = view.loaded.dataset.briefings["one"]
    parts = deck.deck_parts(briefing, view.loaded, generated=WHEN, native=False)
    data = deck.build_pdf(briefing, view.loaded, parts=parts)
    pages = handout_pages(data)
    assert "The Taliban has warned Kazakhstan" in pages[1] and "Fifteen sources." in pages[1], "the event on one page"
    shown = pages[1].count("“Report ")  # the wire's quotes on the event's page, by their citations
    assert shown < 14 and f"{14 - shown} more quotes of this event under More quotes" in pages[1]
    assert smallest_type(data, 1) >= 7, "an event's page keeps its quotes and citations readable in print"
    rest = " ".join(pages[2:])
    assert rest.startswith("More quotes") and "Slide 1: The warning" in rest
    assert rest.count("“Report ") == 14 - shown, "every other quote, with its citation, is in the handout"
    assert rest.count("the decision of the parliament stood") == 3 * (14 - shown)


@needs_chrome
@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "data" / "briefings").glob("*.yaml")))
def test_each_shipped_briefings_handout_has_a_page_per_slide_with_its_notes(name: str, shipped) -> None:
    loaded = shipped
    if name not in loaded.dataset.briefings:
        pytest.skip(f"{name} is not a valid briefing in this data")
    briefing = loaded.dataset.briefings[name]
    parts = deck.deck_parts(briefing, loaded, native=False)
    data = deck.build_pdf(briefing, loaded, parts=parts)
    pages = handout_pages(data)
    after = pages[1 + len(briefing.slides):]
    starts = [i for i, p in enumerate(after) if p.startswith(("More quotes", "Sources"))]
    assert not after or starts[:1] == [0], "after the slides, the More quotes and the Sources pages"
    sources = [i for i in starts if after[i].startswith("Sources")]
    assert bool(sources) == bool(deck.cut_sources(parts)), "Sources pages only when a page cut its source list"
    assert starts == sorted(starts, key=lambda i: after[i].startswith("Sources")), "More quotes before Sources"
    for number, (page, spec) in enumerate(zip(pages[1:1 + len(briefing.slides)], briefing.slides, strict=True), 1):
        assert squash(spec.heading) in page
        if spec.notes:
            assert squash(spec.notes)[-60:] in page, f"{name}: the notes of “{spec.heading}” end on its page"
        event = parts.contents[number - 1].event
        if event is not None and len(event.summary) + len(event.sources[0].quote) < 1500:  # else set smaller to fit
            assert smallest_type(data, number) >= 7, f"{name}: the quotes of “{spec.heading}” readable in print"


@pytest.fixture(scope="module")
def shipped():
    view, _ = view_for({})
    return view.loaded


@needs_chrome
def test_the_command_line_writes_a_deck_of_a_shipped_briefing(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    name, briefing = next(iter(load_dataset(ROOT / "data").briefings.items()))
    out = tmp_path / "deck.pptx"
    done = subprocess.run([sys.executable, "-m", "lib.briefing", "--briefing", name, "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    prs = Presentation(str(out))
    assert len(prs.slides) == 1 + len(briefing.slides)
    slides = list(prs.slides)[1:]
    # a year range is joined by zero-width word joiners, so it never breaks at its dash
    assert all(s.shapes.title.text.replace(WORD_JOINER, "") == spec.heading
               for s, spec in zip(slides, briefing.slides, strict=True))  # fmt: skip
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in slides), "shipped slides have notes"
    assert any(s.has_chart for slide in slides for s in slide.shapes), "native charts"


def test_the_command_line_names_an_unknown_briefing(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "lib.briefing", "--briefing", "nope", "--out", str(tmp_path / "d.pptx")],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 1 and "no valid briefing 'nope'" in done.stderr
    assert not (tmp_path / "d.pptx").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/setup.sh --dev installs "
                                            "Debian's libreoffice-impress; CI has it")  # fmt: skip
def test_libreoffice_impress_opens_and_converts_the_deck(fixture_deck, tmp_path: Path) -> None:
    data, _, briefing, _ = fixture_deck
    source = tmp_path / "deck.pptx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with another soffice
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, check=False, timeout=180)  # fmt: skip
    converted = tmp_path / "deck.pdf"
    assert done.returncode == 0 and converted.is_file(), done.stdout + done.stderr
    pdf = PdfReader(str(converted))
    assert len(pdf.pages) == 1 + len(briefing.slides)
    text = squash(" ".join(page.extract_text() for page in pdf.pages))
    for spec in briefing.slides:
        assert spec.heading in text
    assert "The Taliban has warned Kazakhstan" in text


def two_event_briefing(tmp_path: Path, events: list[dict]):
    """A data folder of `events` with a briefing "vote" of two event slides (the fixture's two events); its view."""
    root = write_data_dir(tmp_path / "data", events)
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "vote.yaml", {"title": "The vote", "slides": [
        {"heading": "The vote", "event": "kaz-votes-isaf"}, {"heading": "The warning", "event": "taliban-warns-kaz"}]})  # fmt: skip
    view, _ = view_for({}, root)
    return view, view.loaded.dataset.briefings["vote"]


def test_an_event_slide_and_its_handout_page_say_where_a_source_dates_the_event_otherwise(tmp_path: Path) -> None:
    events = make_events()
    events[0]["sources"][0] |= {"date": "2011-05-17", "date_note": "It says Tuesday; the house's record, Wednesday."}
    view, briefing = two_event_briefing(tmp_path, events)
    parts = deck.deck_parts(briefing, view.loaded, generated=WHEN)
    dated = "This source dates it 17 May 2011: It says Tuesday; the house's record, Wednesday."
    vote, warning = (slide_text(s) for s in content_slides(deck.build_pptx(briefing, view.loaded, parts=parts)))
    assert "“The Kazakh parliament decided May 18 to send troops”" in vote and dated in vote
    assert "This source dates it" not in warning
    _, vote_page, warning_page = handout_pages(deck.build_pdf(briefing, view.loaded, parts=parts))
    assert dated in vote_page and "This source dates it" not in warning_page
    quote, cited = "send troops”", "The Moscow Times, 2011-05-22"
    for text in (vote, vote_page):  # the citation follows its quote; the source's own date comes after it
        assert text.index(quote) < text.index(cited) < text.index(dated), text


def test_an_event_without_a_target_reads_no_target_not_an_arrow_to_a_dash(tmp_path: Path) -> None:
    events = make_events()
    del events[0]["target"]  # coded without a target (CODEBOOK: the text names none)
    view, briefing = two_event_briefing(tmp_path, events)
    parts = deck.deck_parts(briefing, view.loaded, generated=WHEN, native=False)
    vote, warning = (slide_text(s) for s in content_slides(deck.build_pptx(briefing, view.loaded, parts=parts)))
    assert "18 May 2011 · Kazakhstan (no target) · Material cooperation" in vote and "→ —" not in vote
    assert "Taliban → Kazakhstan" in warning
    _, vote_page, _ = handout_pages(deck.build_pdf(briefing, view.loaded, parts=parts))
    assert "Kazakhstan (no target)" in vote_page and "→ —" not in vote_page
