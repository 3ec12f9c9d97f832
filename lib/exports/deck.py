"""A briefing handed out: a 16:9 PowerPoint deck (python-pptx) and a PDF (the briefing pack's fpdf2 machinery).

One page per briefing slide, each with its heading, the briefing's title and the slide number, the
filters in words, the chart (a native, editable PowerPoint chart for events per year; a crisp image
drawn by the warm kaleido browser otherwise), the source articles and the export date in a footer,
and for an event its summary, verbatim quotes and full citations. Speaker notes go to the notes
pane (PPTX) or under the slide (PDF).

    python -m lib.briefing --briefing kazakhstan-isaf-2010-2011 --out deck.pptx
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from lib.exports import export, slides
from lib.exports.slides import SlideContent
from lib.model.briefings import Briefing
from lib.text import XmlReplacements, clip
from lib.views import aggregate

Progress = Callable[[float, str], None]

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.5
CORE_PROPERTY_LIMIT = 255  # python-pptx refuses a longer title or comment in the file's properties
CHART_BOX_IN = (MARGIN_IN, 1.75, SLIDE_W_IN - 2 * MARGIN_IN, 4.95)  # left, top, width, height
CHART_PX = (1240, 500)  # layout pixels of a slide's chart image (the box's shape), drawn at 2x
SPOTLIGHT_PX = (700, 500)
IMAGE_SCALE = 2
CHART_FONT = 17  # chart text on a slide, as on the present page
MAX_TABLE_ROWS = 12
NATIVE_CHARTS = ("by_year",)  # charts drawn as editable PowerPoint charts
@dataclass
class DeckParts:
    """What both formats draw for a briefing: each slide's content and images, and the export stamp."""

    briefing: Briefing
    contents: list[SlideContent]
    images: dict[int, bytes]  # slide number -> PNG (chart, or an event's spotlight)
    figures: dict[int, go.Figure]
    stamp: str
    sources: dict[int, str]  # slide number -> source line
    why_no_images: str | None
    review: str = ""  # the title slide's word on review: reviewed events only, or how many are not
    replaced: XmlReplacements = field(default_factory=XmlReplacements)  # text XML cannot hold, marked


def deck_parts(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
               progress: Progress | None = None, native: tuple[str, ...] = NATIVE_CHARTS) -> DeckParts:  # fmt: skip
    """Resolve every slide and draw its image (charts drawn natively in the PPTX are not drawn)."""
    report = progress or (lambda _f, _m: None)
    stamp = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    available, why = export.static_export_available()
    count = len(briefing.slides)
    contents, images, figures, sources = [], {}, {}, {}
    for number in range(1, count + 1):
        report(0.05 + 0.75 * (number - 1) / count, f"Drawing slide {number} of {count}")
        content = slides.slide_content(briefing, number, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
        contents.append(content)
        sources[number] = loaded.meta.source_line(content.articles)
        if content.view is not None:
            fig = slides.view_figure(content.view, loaded.tables, loaded.meta, loaded.options)
            if fig is None:
                continue
            figures[number] = fig
            if content.view.chart in native or not available:
                continue
            fig = slides.for_projection(fig, font=CHART_FONT).update_layout(height=CHART_PX[1])
            images[number] = export.static_image(fig, "png", width=CHART_PX[0], height=CHART_PX[1], scale=IMAGE_SCALE)
        elif content.event is not None:
            fig = slides.event_spotlight(loaded.tables.events, loaded.meta, content.event.id)
            figures[number] = fig
            fig = slides.for_projection(fig, font=CHART_FONT).update_layout(height=SPOTLIGHT_PX[1])
            if available:
                images[number] = export.static_image(fig, "png", width=SPOTLIGHT_PX[0], height=SPOTLIGHT_PX[1],
                                                     scale=IMAGE_SCALE)  # fmt: skip
    review = slides.review_words(briefing, loaded.tables, loaded.options)
    return DeckParts(briefing, contents, images, figures, stamp, sources, None if available else why, review)


def footer_text(parts: DeckParts, number: int) -> str:
    """A slide's footer: its sources, the export date and the dashboard link."""
    content = parts.contents[number - 1]
    link = f" · In the dashboard: /{content.view.permalink()}" if content.view is not None else ""
    return f"{parts.sources[number]} · Exported {parts.stamp} from the {export.APP_NAME}{link}"


def title_line(parts: DeckParts, number: int, where: str) -> str:
    """A slide's top line: the briefing's title and the slide number; the title slide (the first) also says
    whether the briefing includes events a reviewer has not accepted."""
    line = f"{parts.briefing.title} · {where}"
    return f"{line} · {parts.review}" if number == 1 and parts.review else line


def subtitle_text(content: SlideContent, loaded: Any) -> str:
    """The line under the heading: the view's filters in words, or the event's date and parties."""
    if content.view is not None:
        return slides.filter_words(content.view.filters, loaded.options)
    return content.filters_text


# ---------------------------------------------------------------------------
# PPTX


def _text_box(slide: Any, box: tuple[float, float, float, float], paragraphs: list[tuple[str, dict]],
              replaced: XmlReplacements, where: str) -> Any:  # fmt: skip
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for n, (text, style) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = replaced.safe(text, where=where)
        run.font.size = Pt(style.get("size", 16))
        run.font.bold = style.get("bold", False)
        run.font.italic = style.get("italic", False)
        run.font.color.rgb = RGBColor.from_string(style.get("colour", "222222"))
        if style.get("space"):
            paragraph.space_before = Pt(style["space"])
    return shape


def _native_by_year(slide: Any, events: Any, meta: Any, box: tuple[float, float, float, float], title: str) -> Any:
    """Events per year, stacked by event type, as an editable PowerPoint column chart (same data and colours)."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    counts = aggregate.counts_by_year(events)
    data = CategoryChartData()
    if counts.empty:
        years: list[int] = []
    else:
        low, high = int(counts["year"].min()), int(counts["year"].max())
        years = list(range(low, high + 1))  # years without events stay as gaps, as on the page
    data.categories = [str(y) for y in years]
    types = [t for t in meta.type_labels if t in set(counts["event_type"].astype(str))]
    for event_type in types:
        rows = counts[counts["event_type"].astype(str) == event_type]
        by_year = dict(zip(rows["year"].astype(int), rows["events"].astype(int), strict=True))
        data.add_series(meta.type_labels[event_type], [by_year.get(y, 0) for y in years])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, *(Inches(v) for v in box), data)
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(13)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.tick_labels.font.size = Pt(13)
    chart.category_axis.tick_labels.font.size = Pt(13)
    chart.plots[0].gap_width = 40
    for series, event_type in zip(chart.series, types, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(meta.type_colours.get(event_type, "#777777").lstrip("#"))
    return frame


def _events_table(slide: Any, events: Any, meta: Any, box: tuple[float, float, float, float],
                  replaced: XmlReplacements, where: str) -> None:  # fmt: skip
    """A list page's slide: the first events as a native table (date, title, actor → target)."""
    from pptx.util import Inches, Pt

    from lib.views import sources

    table_rows = sources.events_table(events.iloc[:MAX_TABLE_ROWS], meta)
    shape = slide.shapes.add_table(len(table_rows) + 1, 3, *(Inches(v) for v in box))
    table = shape.table
    widths = (1.8, 6.8, box[2] - 8.6)
    for n, width in enumerate(widths):
        table.columns[n].width = Inches(width)
    for col, label in enumerate(("Date", "Event", "Actor → target")):
        table.cell(0, col).text = label
    for row, (_, event) in enumerate(table_rows.iterrows(), start=1):
        for col, name in enumerate(("date", "title", "actors")):
            table.cell(row, col).text = replaced.safe(str(event[name]), where=f"{where} table")
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def build_pptx(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
               progress: Progress | None = None, parts: DeckParts | None = None) -> bytes:  # fmt: skip
    """The briefing as a 16:9 PowerPoint deck, one slide per briefing slide, notes in the notes pane."""
    from pptx import Presentation
    from pptx.util import Inches

    report = progress or (lambda _f, _m: None)
    parts = parts or deck_parts(briefing, loaded, generated=generated, progress=progress)
    replaced = parts.replaced
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    title = replaced.safe(briefing.title, where="briefing title")
    deck.core_properties.title = clip(title, CORE_PROPERTY_LIMIT)
    clipped_title = len(title) > CORE_PROPERTY_LIMIT
    deck.core_properties.author = export.APP_NAME
    blank = deck.slide_layouts[6]
    grey, width = {"size": 12, "colour": "666666"}, SLIDE_W_IN - 2 * MARGIN_IN
    count = len(parts.contents)
    report(0.85, "Writing the slides")
    for content in parts.contents:
        number = content.number
        slide = deck.slides.add_slide(blank)
        _text_box(slide, (MARGIN_IN, 0.2, width, 0.35), [(title_line(parts, number, f"{number}/{count}"), grey)], replaced,
                  f"slide {number} title line")  # fmt: skip
        _text_box(slide, (MARGIN_IN, 0.5, width, 0.8), [(content.slide.heading, {"size": 30, "bold": True})], replaced,
                  f"slide {number} heading")  # fmt: skip
        _text_box(slide, (MARGIN_IN, 1.25, width, 0.45), [(subtitle_text(content, loaded), {"size": 14, "colour": "555555"})],
                  replaced, f"slide {number} filters")  # fmt: skip
        if content.view is not None:
            _view_body(slide, content, parts, loaded, replaced)
        elif content.event is not None:
            _event_body(slide, content, parts, replaced)
        _text_box(slide, (MARGIN_IN, 6.8, width, 0.55), [(footer_text(parts, number), {"size": 10, "colour": "666666"})],
                  replaced, f"slide {number} footer")  # fmt: skip
        notes = [f"Full title: {title}"] if clipped_title and number == parts.contents[0].number else []
        if content.slide.notes:
            notes.append(replaced.safe(content.slide.notes, where=f"slide {number} notes"))
        if notes:
            slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)
    if replaced:  # the file says what was marked, as the XLSX export's About sheet does
        deck.core_properties.comments = clip(replaced.summary(), CORE_PROPERTY_LIMIT)
    out = io.BytesIO()
    deck.save(out)
    report(1.0, "Done")
    return out.getvalue()


def _view_body(slide: Any, content: SlideContent, parts: DeckParts, loaded: Any, replaced: XmlReplacements) -> None:
    from pptx.util import Inches

    view = content.view
    assert view is not None
    number = content.number
    events = view.filters.apply(loaded.tables)
    if view.chart is None:
        _events_table(slide, events, loaded.meta, CHART_BOX_IN, replaced, f"slide {number}")
    elif view.chart in NATIVE_CHARTS and number not in parts.images:
        fig = parts.figures[number]
        _native_by_year(slide, events, loaded.meta, CHART_BOX_IN, fig.layout.title.text or "Events per year")
    elif number in parts.images:
        left, top, width, height = CHART_BOX_IN
        slide.shapes.add_picture(io.BytesIO(parts.images[number]), Inches(left), Inches(top), Inches(width), Inches(height))
    else:
        _text_box(slide, CHART_BOX_IN, [(f"Chart not drawn: {parts.why_no_images}", {"size": 16, "colour": "666666"})],
                  replaced, f"slide {number} chart note")  # fmt: skip


def _event_body(slide: Any, content: SlideContent, parts: DeckParts, replaced: XmlReplacements) -> None:
    from pptx.util import Inches

    detail = content.event
    assert detail is not None
    paragraphs: list[tuple[str, dict]] = [(detail.summary, {"size": 17})]
    shown, more = slides.quotes_that_fit(detail)
    for source in shown:
        quote = " ".join(source.quote.split())
        size = 16 if len(quote) <= slides.QUOTE_CHARS * 0.6 else 14
        paragraphs.append((f"“{quote}”", {"size": size, "italic": True, "space": 10}))
        paragraphs.append((source.citation + (f" {source.url}" if source.url else ""), {"size": 11, "colour": "555555"}))
    if more:
        paragraphs.append((f"{more} more source{'s' if more > 1 else ''} quoted in the dashboard and the PDF handout.",
                           {"size": 11, "colour": "555555", "space": 6}))  # fmt: skip
    left, top, _, height = CHART_BOX_IN
    _text_box(slide, (left, top, 7.1, height), paragraphs, replaced, f"slide {content.number} event")
    if content.number in parts.images:
        w = SLIDE_W_IN - MARGIN_IN - (left + 7.3)
        slide.shapes.add_picture(io.BytesIO(parts.images[content.number]), Inches(left + 7.3), Inches(top + 0.2),
                                 Inches(w), Inches(w * SPOTLIGHT_PX[1] / SPOTLIGHT_PX[0]))  # fmt: skip


# ---------------------------------------------------------------------------
# PDF


def build_pdf(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
              progress: Progress | None = None, parts: DeckParts | None = None) -> bytes:  # fmt: skip
    """The briefing as a landscape A4 PDF handout: one page per slide, speaker notes under it."""
    from lib.exports.pdf import pdf_chart, pdf_class, pdf_text, pdf_use_fonts

    report = progress or (lambda _f, _m: None)
    parts = parts or deck_parts(briefing, loaded, generated=generated, progress=progress, native=())
    pdf = pdf_class()(orientation="L", unit="mm", format="A4")
    pdf_use_fonts(pdf)
    pdf.footer_text = f"{briefing.title} · exported {parts.stamp}"
    pdf.set_title(briefing.title)
    pdf.set_author(export.APP_NAME)
    pdf.set_creator(export.APP_NAME)
    pdf.set_auto_page_break(auto=True, margin=14)
    count = len(parts.contents)
    report(0.85, "Writing the pages")
    for content in parts.contents:
        number = content.number
        pdf.add_page()
        pdf_text(pdf, title_line(parts, number, f"slide {number} of {count}"), size=9, colour=110, h=4.5)
        pdf_text(pdf, content.slide.heading, size=20, style="B", h=9)
        pdf_text(pdf, subtitle_text(content, loaded), size=10, colour=80, h=5)
        pdf.ln(2)
        if content.event is not None:
            detail = content.event
            pdf_text(pdf, detail.summary, size=11.5, h=5.6)
            for source in detail.sources:
                pdf.ln(1.5)
                pdf_text(pdf, f"“{' '.join(source.quote.split())}”", size=11, style="I", colour=40, h=5.2, indent=5)
                pdf_text(pdf, source.citation + (f" {source.url}" if source.url else ""), size=8.5, colour=90, h=4.2,
                          indent=5)  # fmt: skip
            if number in parts.images:
                pdf.ln(2)
                _pdf_image(pdf, parts.images[number], width=150)
        elif number in parts.images:
            pdf_chart(pdf, parts.images[number])
        elif content.view is not None and content.view.chart is None:
            from lib.views import sources

            events = content.view.filters.apply(loaded.tables)
            for _, row in sources.events_table(events.iloc[:MAX_TABLE_ROWS], loaded.meta).iterrows():
                pdf_text(pdf, f"{row['date']} — {row['title']} ({row['actors']})", size=10.5, h=5.2)
        else:
            pdf_text(pdf, f"Chart not drawn. {parts.why_no_images or ''}", size=10, colour=90, h=5)
        pdf_text(pdf, footer_text(parts, number), size=8, colour=110, h=4)
        if content.slide.notes:
            pdf.ln(2)
            pdf_text(pdf, "Speaker notes", size=10, style="B", h=5)
            pdf_text(pdf, content.slide.notes, size=10, colour=40, h=4.8)
    report(1.0, "Done")
    return bytes(pdf.output())


def _pdf_image(pdf: Any, png: bytes, *, width: float) -> None:
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # PNG IHDR
    height = width * height_px / width_px
    room = pdf.h - pdf.b_margin - pdf.get_y() - 10
    if height > room:
        width, height = width * room / height, room
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width, h=height)
    pdf.ln(2)


def deck_file_name(name: str, fmt: str) -> str:
    """`briefing-<id>.pptx`."""
    return f"briefing-{export.clean_stem(name)}.{fmt}"


def build(briefing: Briefing, loaded: Any, fmt: str, *, generated: dt.datetime | None = None,
          progress: Progress | None = None, parts: DeckParts | None = None) -> bytes:  # fmt: skip
    """The briefing as `pptx` or `pdf` bytes (`parts`: already drawn by `deck_parts`)."""
    if fmt == "pptx":
        return build_pptx(briefing, loaded, generated=generated, progress=progress, parts=parts)
    if fmt == "pdf":
        return build_pdf(briefing, loaded, generated=generated, progress=progress, parts=parts)
    raise ValueError(f"unknown deck format {fmt!r}: use 'pptx' or 'pdf'")
