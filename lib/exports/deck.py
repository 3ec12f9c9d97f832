"""A briefing handed out: a 16:9 PowerPoint deck (python-pptx) and a PDF handout (the briefing pack's fpdf2 machinery).

The deck opens with a title slide (the briefing's title, subtitle, audience and date, and its word on review),
then one slide per briefing slide. Each has its heading in the layout's title placeholder (what the outline
view and screen readers read), the briefing's title and the slide number, the filters in words, the chart,
and a footer with the source articles, the export date and a hyperlink back to the dashboard view. Charts
python-pptx can draw (bars, lines, scatter: `lib/exports/native_charts.py`) are native and editable, with the
dashboard figure's own data; maps and heatmaps are pictures drawn by the warm kaleido browser at the size they
take on the slide, their smallest text at least 14 pt there. An event slide has its summary, verbatim quotes
and full citations. Speaker notes go to the notes pane. The PDF handout has a title page, then each slide
with its notes on one landscape page, then (when an event's page had no room for all its quotes at a readable
size) More quotes pages with the rest, and (when a page had to cut its source list) Sources pages listing
every article of those slides.

    python -m lib.briefing --briefing kazakhstan-isaf-2010-2011 --out deck.pptx
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from lib.exports import export, native_charts, slides
from lib.exports.slides import SlideContent
from lib.model.briefings import Briefing
from lib.text import XmlReplacements, clip, unbroken_ranges
from lib.views import map_labels
from lib.views.fold import fold_series

Progress = Callable[[float, str], None]
Box = tuple[float, float, float, float]  # inches: left, top, width, height

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.5
CORE_PROPERTY_LIMIT = 255  # python-pptx refuses a longer title or comment in the file's properties
CONTENT_W_IN = SLIDE_W_IN - 2 * MARGIN_IN
CHART_BOX_IN: Box = (MARGIN_IN, 1.7, CONTENT_W_IN, 5.0)
EVENT_TEXT_W_IN = 7.1
SPOTLIGHT_BOX_IN: Box = (MARGIN_IN + 7.3, 1.7, CONTENT_W_IN - 7.3, 5.0)
MIN_CHART_PT = native_charts.MIN_PT  # no chart text smaller than this on a slide, native or picture
PICTURE_PPI = 80  # a picture's layout pixels per inch of the slide: its fonts are sized for this
HANDOUT_PPI, HANDOUT_FONT_PX = 110, 16  # the PDF handout's pictures: printed text about 9-10 pt, as the pack's
IMAGE_SCALE = 2.5  # device pixels per layout pixel: 200 dots per inch on the slide
MAX_TABLE_ROWS = 10
EVENT_TEXT_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)  # an event slide's text shrinks in these steps until its box holds it
SLIDE_SOURCE_CHARS = 170  # a slide footer's source line, cut at an article beyond this (the handout has it whole)
HANDOUT_SOURCE_CHARS = 400  # a handout page's source line (about three lines), the whole list on the Sources pages
HANDOUT_LISTS = "the PDF handout lists them all"
SOURCES_PAGE_LISTS = "all listed under Sources at the end"
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = "Title Slide", "Title Only"  # the default template's layouts


@dataclass
class DeckParts:
    """What both formats draw for a briefing: each slide's content and images, and the export stamp."""

    briefing: Briefing
    contents: list[SlideContent]
    images: dict[int, bytes]  # slide number -> PNG (chart, or an event's spotlight), drawn at its box's size
    figures: dict[int, go.Figure]  # slide number -> the dashboard's figure
    stamp: str
    sources: dict[int, str]  # slide number -> source line
    why_no_images: str | None
    review: str = ""  # the title slide's word on review: reviewed events only, or how many are not
    replaced: XmlReplacements = field(default_factory=XmlReplacements)  # text XML cannot hold, marked
    drawn: dict[int, go.Figure] = field(default_factory=dict)  # slide number -> the figure as drawn in its image
    base_url: str = ""  # where the dashboard is served; "" leaves the links relative ("/timeline?...")


def picture_font_px(ppi: float = PICTURE_PPI, points: float = MIN_CHART_PT) -> int:
    """The smallest font, in a picture's layout pixels, that is `points` tall once placed at `ppi`."""
    return math.ceil(points * ppi / 72)


def _font_nodes(node: Any, key: str = "") -> Iterator[dict]:
    """Every font setting Plotly draws in a figure dict (hover labels and the template aside)."""
    if isinstance(node, dict):
        if key.endswith("font") and isinstance(node.get("size"), (int, float)):
            yield node
        for name, value in node.items():
            if name not in ("template", "hoverlabel"):
                yield from _font_nodes(value, name)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _font_nodes(value, key)


def for_slide(fig: go.Figure, box: Box, *, ppi: float = PICTURE_PPI, font_px: int | None = None) -> go.Figure:
    """A copy of `fig` to draw as a picture filling `box`: sized in layout pixels at `ppi`, and every text at
    least `picture_font_px` (so at least MIN_CHART_PT once placed), the title a little larger."""
    floor = font_px or picture_font_px(ppi)
    out = slides.for_projection(fig, font=floor).to_dict()
    for font in _font_nodes(out):
        font["size"] = max(floor, font["size"])
    drawn = go.Figure(out)
    drawn.update_layout(width=round(box[2] * ppi), height=round(box[3] * ppi), autosize=False)
    if export.has_geo(drawn):  # the slide has its own heading: the map takes the height the page gave its margins
        drawn.update_layout(margin={"t": 4 * floor + 10, "b": 2 * floor, "l": 0, "r": 0})
        _keys_beside_map(drawn)
        map_labels.declutter(drawn, drawn.layout.width, drawn.layout.height)
    return drawn


def _keys_beside_map(fig: go.Figure) -> None:
    """A wide box's map is as tall as the box and leaves room on both sides: the legend goes in the right-hand
    room, the colour bar in the left-hand one (stacked on the right at 14 pt they overlapped), both inside the
    figure so they take nothing from the map."""
    fig.update_layout(legend={"x": 1, "xanchor": "right", "y": 1, "yanchor": "top", "orientation": "v"})
    for trace in fig.data:
        if trace.type == "choropleth":
            trace.colorbar.update(x=0, xanchor="left", y=0.5, yanchor="middle", len=0.8)


def handout_figure(fig: go.Figure, box: Box, names: dict[str, str] | None = None) -> go.Figure:
    """A view chart as the PDF handout prints it: as the projected slide draws it (`slides.on_slide`: no title of its
    own under the page's heading, long row names shortened, the legend in one flow under the axis), so a chart of
    many rows keeps them apart at HANDOUT_FONT_PX (about 9 pt printed; a 21-row timeline's names overlapped under
    its title and a legend of three rows). A map keeps the layout `for_slide` gives it."""
    if not export.has_geo(fig):
        fig = slides.on_slide(slides.for_projection(fig, font=HANDOUT_FONT_PX), HANDOUT_FONT_PX / slides.SLIDE_PERIOD_FONT,
                              names)[0]  # fmt: skip
    return for_slide(fig, box, ppi=HANDOUT_PPI, font_px=HANDOUT_FONT_PX)


def _picture(fig: go.Figure, box: Box, *, handout: bool = False, names: dict[str, str] | None = None,
             ) -> tuple[bytes, go.Figure]:  # fmt: skip
    drawn = handout_figure(fig, box, names) if handout else for_slide(fig, box)
    png = export.static_image(drawn, "png", width=drawn.layout.width, height=drawn.layout.height, scale=IMAGE_SCALE)
    return png, drawn


def deck_parts(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
               progress: Progress | None = None, native: bool = True, base_url: str = "") -> DeckParts:  # fmt: skip
    """Resolve every slide and draw its pictures (`native`: for the PPTX, whose native charts need none and whose
    pictures carry 14 pt text; else for the PDF handout, every chart a picture sized for print). `base_url`: the
    dashboard's address for the links."""
    report = progress or (lambda _f, _m: None)
    stamp = (generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    available, why = export.static_export_available()
    count = len(briefing.slides)
    contents, images, figures, sources, drawn = [], {}, {}, {}, {}
    names = slides.short_names(loaded.dataset)
    for number in range(1, count + 1):
        report(0.05 + 0.75 * (number - 1) / count, f"Drawing slide {number} of {count}")
        content = slides.slide_content(briefing, number, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
        contents.append(content)
        sources[number] = loaded.meta.source_line(content.articles)
        if content.view is not None:
            fig = slides.view_figure(content.view, loaded.tables, loaded.meta, loaded.options)
            fig = fold_series(go.Figure(fig)) if fig is not None else None  # a legend of 24 actors ate the chart
            box = CHART_BOX_IN
        elif content.event is not None:
            fig = slides.event_spotlight(loaded.tables.events, loaded.meta, content.event.id)
            box = SPOTLIGHT_BOX_IN
        else:
            fig = None
        if fig is None:
            continue
        if native and native_charts.can_draw(fig):  # long names shortened as on the projected slide
            figures[number] = slides.renamed(go.Figure(fig), names)
            continue
        figures[number] = fig
        if not available:
            continue
        # the handout's view charts in finer print; the spotlight, beside text, keeps the slide's size of text
        images[number], drawn[number] = _picture(fig, box, handout=not native and box == CHART_BOX_IN, names=names)
    review = slides.review_words(briefing, loaded.tables, loaded.options)
    return DeckParts(briefing, contents, images, figures, stamp, sources, None if available else why, review,
                     drawn=drawn, base_url=base_url)  # fmt: skip


def view_link(parts: DeckParts, content: SlideContent) -> str | None:
    """The dashboard address of a view slide: `base_url` + its permalink (relative, `/timeline?...`, without one)."""
    if content.view is None:
        return None
    return f"{parts.base_url.rstrip('/')}/{content.view.permalink()}"


def _footer_lead(parts: DeckParts, number: int, chars: int | None = None, listed: str = HANDOUT_LISTS) -> str:
    return f"{short_sources(parts.sources[number], chars, listed)} · Exported {parts.stamp} from the {export.APP_NAME}"


def handout_footer_text(parts: DeckParts, number: int) -> str:
    """A handout page's footer: its sources cut to about three lines (a view of many articles would otherwise
    fill the page and shrink the chart to a thumbnail; the Sources pages at the end list them), the export date
    and the dashboard link."""
    link = view_link(parts, parts.contents[number - 1])
    lead = _footer_lead(parts, number, HANDOUT_SOURCE_CHARS, SOURCES_PAGE_LISTS)
    return f"{lead}{f' · In the dashboard: {link}' if link else ''}"


def cut_sources(parts: DeckParts, chars: int = HANDOUT_SOURCE_CHARS) -> list[int]:
    """The slides whose source line a handout page cuts (their whole lines go on the Sources pages)."""
    return [n for n in sorted(parts.sources) if short_sources(parts.sources[n], chars) != parts.sources[n]]


def short_sources(line: str, chars: int | None = SLIDE_SOURCE_CHARS, listed: str = HANDOUT_LISTS) -> str:
    """The source line cut to about `chars` at an article ("; and 12 more articles (the PDF handout lists them
    all)", `listed` saying where the rest are), so a slide's footer keeps to two lines; the whole line when it
    fits or `chars` is None."""
    if chars is None or len(line) <= chars:
        return line
    head, _, rest = line.partition(" from ")
    cited = rest.split("; ")
    kept = []
    for citation in cited:
        if kept and len(head) + 6 + len("; ".join([*kept, citation])) > chars:
            break
        kept.append(citation)
    more = len(cited) - len(kept)
    return f"{head} from {'; '.join(kept)}; and {more} more article{'s' if more != 1 else ''} ({listed})"


def title_line(parts: DeckParts, number: int, where: str) -> str:
    """A slide's top line: the briefing's title and where the slide is ("3/9")."""
    return f"{parts.briefing.title} · {where}"


def subtitle_text(content: SlideContent, loaded: Any) -> str:
    """The line under the heading: the view's filters in words, or the event's date and parties."""
    if content.view is not None:
        return slides.filter_words(content.view.filters, loaded.options)
    return content.filters_text


def title_page_lines(briefing: Briefing, parts: DeckParts) -> list[tuple[str, str]]:
    """The title slide's lines under the title, as (kind, text): subtitle, audience and date when the briefing
    has them, then its word on review and the export stamp."""
    lines = []
    if briefing.subtitle:
        lines.append(("subtitle", briefing.subtitle))
    if briefing.audience:
        lines.append(("audience", f"For {briefing.audience}"))
    if briefing.date:
        lines.append(("date", f"{briefing.date.day} {briefing.date:%B %Y}"))
    if parts.review:
        lines.append(("review", parts.review))
    count = len(parts.contents)
    lines.append(("stamp", f"{count} slide{'s' if count != 1 else ''} · exported {parts.stamp} from the {export.APP_NAME}"))
    return lines


# ---------------------------------------------------------------------------
# PPTX


def _text_box(slide: Any, box: Box, paragraphs: list[tuple[str, dict]], replaced: XmlReplacements, where: str) -> Any:
    from pptx.util import Inches

    shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for n, (text, style) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        _run(paragraph, replaced.safe(text, where=where), style)
        if style.get("space"):
            from pptx.util import Pt

            paragraph.space_before = Pt(style["space"])
    return shape


def _run(paragraph: Any, text: str, style: dict) -> Any:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(style.get("size", 16))
    run.font.bold = style.get("bold", False)
    run.font.italic = style.get("italic", False)
    run.font.color.rgb = RGBColor.from_string(style.get("colour", "222222"))
    return run


def _place(shape: Any, box: Box) -> None:
    from pptx.util import Inches

    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def _fill_placeholder(shape: Any, text: str, box: Box, style: dict) -> None:
    """Put `text` in a layout placeholder (title, subtitle) at `box`, left-aligned, in `style`."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

    _place(shape, box)
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = style.get("anchor", MSO_ANCHOR.MIDDLE)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    _run(paragraph, text, style)


def _layout(deck: Any, name: str) -> Any:
    for layout in deck.slide_layouts:
        if layout.name == name:
            return layout
    raise LookupError(f"the default PowerPoint template has no {name!r} layout")


def _title_slide(deck: Any, briefing: Briefing, parts: DeckParts, title: str) -> Any:
    """The first slide: the title in the title placeholder, the subtitle in the subtitle placeholder (removed when
    the briefing has none), audience, date, review and export stamp under them."""
    from pptx.enum.text import MSO_ANCHOR

    replaced = parts.replaced
    slide = deck.slides.add_slide(_layout(deck, LAYOUT_TITLE))
    size = 40 if len(title) <= 60 else 32 if len(title) <= 120 else 24
    # a year range stays on one line ("2010–" / "2011" broke at the dash in LibreOffice)
    _fill_placeholder(slide.shapes.title, unbroken_ranges(title), (0.9, 1.2, SLIDE_W_IN - 1.8, 2.3),
                      {"size": size, "bold": True, "anchor": MSO_ANCHOR.BOTTOM})  # fmt: skip
    lines = title_page_lines(briefing, parts)
    subtitle = next((text for kind, text in lines if kind == "subtitle"), None)
    (placeholder,) = [p for p in slide.placeholders if p.placeholder_format.idx == 1]
    if subtitle:
        _fill_placeholder(placeholder, replaced.safe(subtitle, where="briefing subtitle"), (0.9, 3.6, SLIDE_W_IN - 1.8, 0.9),
                          {"size": 24, "colour": "444444", "anchor": MSO_ANCHOR.TOP})  # fmt: skip
    else:  # no empty "Click to add subtitle" box
        placeholder._element.getparent().remove(placeholder._element)
    styles = {"audience": {"size": 20, "colour": "333333"}, "date": {"size": 20, "colour": "333333"},
              "review": {"size": 16, "colour": "555555", "space": 14}, "stamp": {"size": 12, "colour": "666666", "space": 6}}  # fmt: skip
    rest = [(text, styles[kind]) for kind, text in lines if kind != "subtitle"]
    _text_box(slide, (0.9, 4.6, SLIDE_W_IN - 1.8, 2.4), rest, replaced, "title slide")
    return slide


def _events_table(slide: Any, events: Any, meta: Any, box: Box, replaced: XmlReplacements, where: str) -> None:
    """A list page's slide: the first events as a native table (date, title, actor → target)."""
    from pptx.util import Inches, Pt

    from lib.views import sources

    table_rows = sources.events_table(events.iloc[:MAX_TABLE_ROWS], meta)
    shape = slide.shapes.add_table(len(table_rows) + 1, 3, *(Inches(v) for v in box[:3]), Inches(0.4 * (len(table_rows) + 1)))
    table = shape.table
    widths = (1.9, 6.7, box[2] - 8.6)
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
                    run.font.size = Pt(14)


def _footer(slide: Any, parts: DeckParts, content: SlideContent) -> None:
    """Sources and export date, and the dashboard link as a real hyperlink."""
    from pptx.util import Inches, Pt

    replaced, number = parts.replaced, content.number
    shape = slide.shapes.add_textbox(Inches(MARGIN_IN), Inches(6.8), Inches(CONTENT_W_IN), Inches(0.55))
    shape.text_frame.word_wrap = True
    paragraph = shape.text_frame.paragraphs[0]
    grey = {"size": 10, "colour": "666666"}
    _run(paragraph, replaced.safe(_footer_lead(parts, number, SLIDE_SOURCE_CHARS), where=f"slide {number} footer"), grey)
    link = view_link(parts, content)
    if link:
        _run(paragraph, " · In the dashboard: ", grey)
        run = _run(paragraph, link, {"size": 10, "colour": "1F4E99"})
        run.hyperlink.address = link
        run.font.underline = True
    paragraph.runs[0].font.size = Pt(10)


def build_pptx(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
               progress: Progress | None = None, parts: DeckParts | None = None, base_url: str = "") -> bytes:  # fmt: skip
    """The briefing as a 16:9 PowerPoint deck: a title slide, then one slide per briefing slide, notes in the
    notes pane."""
    from pptx import Presentation
    from pptx.util import Inches

    report = progress or (lambda _f, _m: None)
    parts = parts or deck_parts(briefing, loaded, generated=generated, progress=progress, base_url=base_url)
    replaced = parts.replaced
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    title = replaced.safe(briefing.title, where="briefing title")
    deck.core_properties.title = clip(title, CORE_PROPERTY_LIMIT)
    deck.core_properties.author = export.APP_NAME
    if briefing.subtitle:
        deck.core_properties.subject = clip(replaced.safe(briefing.subtitle, where="briefing subtitle"), CORE_PROPERTY_LIMIT)
    first = _title_slide(deck, briefing, parts, title)
    if len(title) > CORE_PROPERTY_LIMIT:  # the file's title is clipped: the notes keep it whole (issue 23)
        first.notes_slide.notes_text_frame.text = f"Full title: {title}"
    layout = _layout(deck, LAYOUT_TITLE_ONLY)
    grey = {"size": 12, "colour": "666666"}
    count = len(parts.contents)
    report(0.85, "Writing the slides")
    for content in parts.contents:
        number = content.number
        slide = deck.slides.add_slide(layout)
        _text_box(slide, (MARGIN_IN, 0.12, CONTENT_W_IN, 0.35), [(title_line(parts, number, f"{number}/{count}"), grey)],
                  replaced, f"slide {number} title line")  # fmt: skip
        heading = unbroken_ranges(str(replaced.safe(content.slide.heading, where=f"slide {number} heading")))
        _fill_placeholder(slide.shapes.title, heading,
                          (MARGIN_IN, 0.45, CONTENT_W_IN, 0.8), {"size": 30, "bold": True})  # fmt: skip
        _text_box(slide, (MARGIN_IN, 1.2, CONTENT_W_IN, 0.45), [(subtitle_text(content, loaded), {"size": 14, "colour": "555555"})],
                  replaced, f"slide {number} filters")  # fmt: skip
        if content.view is not None:
            _view_body(slide, content, parts, loaded, replaced)
        elif content.event is not None:
            _event_body(slide, content, parts, replaced)
        _footer(slide, parts, content)
        if content.slide.notes:
            slide.notes_slide.notes_text_frame.text = replaced.safe(content.slide.notes, where=f"slide {number} notes")
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
    fig = parts.figures.get(number)
    if view.chart is None:
        _events_table(slide, view.filters.apply(loaded.tables), loaded.meta, CHART_BOX_IN, replaced, f"slide {number}")
    elif number in parts.images:
        left, top, width, height = CHART_BOX_IN
        slide.shapes.add_picture(io.BytesIO(parts.images[number]), Inches(left), Inches(top), Inches(width), Inches(height))
    elif fig is not None and native_charts.can_draw(fig):
        native_charts.add_chart(slide, fig, CHART_BOX_IN)
    else:
        _text_box(slide, CHART_BOX_IN, [(f"Chart not drawn: {parts.why_no_images}", {"size": 16, "colour": "666666"})],
                  replaced, f"slide {number} chart note")  # fmt: skip


def _text_height(paragraphs: list[tuple[str, dict]], width: float) -> float:
    """About how tall (inches) the paragraphs set in a text box `width` inches wide are."""
    total = 0.1
    for text, style in paragraphs:
        size = style.get("size", 16)
        per_line = max(1, int((width - 0.2) * 72 / (size * 0.5)))  # an average character is about half an em
        total += math.ceil(len(text) / per_line) * size * 1.2 / 72 + style.get("space", 0) / 72
    return total


def _event_text(detail: Any, scale: float) -> list[tuple[str, dict]]:
    """An event slide's text at `scale`: the summary, the quotes while the box holds them (the first always, whole),
    each with its citation and a source's own date, and how many more sources there are."""
    def pt(size: float) -> float:
        return round(size * scale * 2) / 2

    paragraphs: list[tuple[str, dict]] = [(detail.summary, {"size": pt(17)})]
    shown, more = slides.quotes_that_fit(detail)
    room = CHART_BOX_IN[3] - 0.35 - _text_height(paragraphs, EVENT_TEXT_W_IN)  # 0.35: the "more sources" line
    for n, source in enumerate(shown):
        quote = " ".join(source.quote.split())
        size = 16 if len(quote) <= slides.QUOTE_CHARS * 0.6 else 14
        pair = [(f"“{quote}”", {"size": pt(size), "italic": True, "space": 10 * scale}),
                (source.citation + (f" {source.url}" if source.url else ""), {"size": pt(11), "colour": "555555"}),
                *([(source.dated, {"size": pt(11), "colour": "555555"})] if source.dated else [])]  # CODEBOOK 18.4; fmt: skip
        needed = _text_height(pair, EVENT_TEXT_W_IN)
        if n and needed > room:  # the first quote always; the next while the box holds them
            more += len(shown) - n
            break
        room -= needed
        paragraphs += pair
    if more:
        paragraphs.append((f"{more} more source{'s' if more > 1 else ''} quoted in the dashboard and the PDF handout.",
                           {"size": pt(11), "colour": "555555", "space": 6 * scale}))  # fmt: skip
    return paragraphs


def _event_body(slide: Any, content: SlideContent, parts: DeckParts, replaced: XmlReplacements) -> None:
    from pptx.util import Inches

    detail = content.event
    assert detail is not None
    for scale in EVENT_TEXT_SCALES:  # a long summary or first quote (no length limit) shrinks to the box
        paragraphs = _event_text(detail, scale)
        if _text_height(paragraphs, EVENT_TEXT_W_IN) <= CHART_BOX_IN[3]:
            break
    left, top, _, height = CHART_BOX_IN
    _text_box(slide, (left, top, EVENT_TEXT_W_IN, height), paragraphs, replaced, f"slide {content.number} event")
    number = content.number
    fig = parts.figures.get(number)
    if number in parts.images:
        left, top, width, height = SPOTLIGHT_BOX_IN
        slide.shapes.add_picture(io.BytesIO(parts.images[number]), Inches(left), Inches(top), Inches(width), Inches(height))
    elif fig is not None and native_charts.can_draw(fig):
        native_charts.add_chart(slide, fig, SPOTLIGHT_BOX_IN)  # titled, as a briefer would


# ---------------------------------------------------------------------------
# PDF


PDF_MARGIN_MM = 12
PDF_BOTTOM_MM = 14  # the page footer's band
TEXT_SCALES = (1.0, 0.92, 0.84, 0.76, 0.68, 0.6)  # a slide's text shrinks in these steps until its page holds it
READABLE_SCALE = 0.84  # an event page's quotes go no smaller (quote 9.2 pt, citation 7.1 pt): the rest go to More quotes


def build_pdf(briefing: Briefing, loaded: Any, *, generated: dt.datetime | None = None,
              progress: Progress | None = None, parts: DeckParts | None = None, base_url: str = "") -> bytes:  # fmt: skip
    """The briefing as a landscape A4 PDF handout: a title page, then each slide and its speaker notes on one
    page (the chart and the text sized to leave room for the notes), then the More quotes and Sources pages, if any."""
    from lib.exports.pdf import pdf_class, pdf_use_fonts

    report = progress or (lambda _f, _m: None)
    parts = parts or deck_parts(briefing, loaded, generated=generated, progress=progress, native=False, base_url=base_url)
    pdf = pdf_class()(orientation="L", unit="mm", format="A4")
    pdf_use_fonts(pdf)
    pdf.footer_text = f"{briefing.title} · exported {parts.stamp}"
    pdf.set_title(briefing.title)
    if briefing.subtitle:
        pdf.set_subject(briefing.subtitle)
    pdf.set_author(export.APP_NAME)
    pdf.set_creator(export.APP_NAME)
    pdf.set_margins(PDF_MARGIN_MM, 10, PDF_MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=PDF_BOTTOM_MM)
    report(0.85, "Writing the pages")
    _pdf_title_page(pdf, briefing, parts)
    quoted = {content.number: _pdf_slide_page(pdf, parts, content, loaded) for content in parts.contents}
    _pdf_quotes_pages(pdf, parts, {n: shown for n, shown in quoted.items() if shown is not None})
    _pdf_sources_pages(pdf, parts)
    report(1.0, "Done")
    return bytes(pdf.output())


def _pdf_title_page(pdf: Any, briefing: Briefing, parts: DeckParts) -> None:
    from lib.exports.pdf import pdf_text

    pdf.add_page()
    pdf.ln(28)
    pdf_text(pdf, "Briefing", size=12, colour=90, h=6)
    pdf_text(pdf, briefing.title, size=26, style="B", h=12, where="briefing title")
    styles = {"subtitle": {"size": 16, "colour": 60, "h": 8}, "audience": {"size": 13, "colour": 30, "h": 6.5},
              "date": {"size": 13, "colour": 30, "h": 6.5}, "review": {"size": 11, "colour": 80, "h": 5.5},
              "stamp": {"size": 9, "colour": 100, "h": 4.5}}  # fmt: skip
    for kind, text in title_page_lines(briefing, parts):
        pdf.ln(3 if kind in ("review", "stamp") else 1.5)
        pdf_text(pdf, text, **styles[kind], where=f"briefing {kind}")  # type: ignore[arg-type]
    pdf.ln(8)
    pdf_text(pdf, "Slides", size=12, style="B", h=6)
    for content in parts.contents:
        pdf_text(pdf, f"{content.number}. {content.slide.heading}", size=10.5, h=5.4, indent=3)


def _source_paragraphs(source: Any, scale: float = 1.0) -> list[tuple[str, dict]]:
    """One quote as a handout prints it: the verbatim quote, its citation under it, then the date this source
    gives where it disagrees with the event's (CODEBOOK 18.4)."""
    small = {"size": 8.5 * scale, "colour": 90, "h": 4.2 * scale, "indent": 4}
    return [(f"“{' '.join(source.quote.split())}”",
             {"size": 11 * scale, "style": "I", "colour": 40, "h": 5.2 * scale, "indent": 4, "space": 1.5}),
            (source.citation + (f" {source.url}" if source.url else ""), small),
            *([(source.dated, small)] if source.dated else [])]  # fmt: skip


def _pdf_quotes_pages(pdf: Any, parts: DeckParts, quoted: dict[int, int]) -> None:
    """The quotes an event's page left out (it keeps its text readable), slide by slide, after the slides, so
    the handout holds every quote (none left out: no page). `quoted`: slide number -> quotes its page shows."""
    from lib.exports.pdf import pdf_text

    left = {}
    for number, shown in quoted.items():
        event = parts.contents[number - 1].event
        if event is not None and len(event.sources) > shown:
            left[number] = event.sources[shown:]
    if not left:
        return
    pdf.add_page()
    pdf_text(pdf, "More quotes", size=16, style="B", h=8)
    pdf_text(pdf, "The quotes an event's page had no room for, slide by slide.", size=9, colour=90, h=4.5)
    for number, sources in left.items():
        pdf.ln(3)
        heading = parts.contents[number - 1].slide.heading
        pdf_text(pdf, f"Slide {number}: {heading}", size=10.5, style="B", h=5.4, where=f"slide {number} heading")
        _draw(pdf, [p for source in sources for p in _source_paragraphs(source)], pdf.epw, f"slide {number} quotes")


def _pdf_sources_pages(pdf: Any, parts: DeckParts) -> None:
    """The whole source lines of the slides whose pages cut them, after the slides (none: no page)."""
    from lib.exports.pdf import pdf_text

    cut = cut_sources(parts)
    if not cut:
        return
    pdf.add_page()
    pdf_text(pdf, "Sources", size=16, style="B", h=8)
    pdf_text(pdf, "Every article each slide draws on, where its page lists only the first.", size=9, colour=90, h=4.5)
    for number in cut:
        pdf.ln(3)
        heading = parts.contents[number - 1].slide.heading
        pdf_text(pdf, f"Slide {number}: {heading}", size=10.5, style="B", h=5.4, where=f"slide {number} heading")
        pdf_text(pdf, parts.sources[number], size=8.5, colour=40, h=4.2, where=f"slide {number} sources")


def _fit_image(png: bytes, width: float, height: float) -> tuple[float, float]:
    """The size (mm) of a PNG shrunk to fit `width` x `height`, its shape kept."""
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # PNG IHDR
    ratio = min(width / width_px, height / height_px)
    return width_px * ratio, height_px * ratio


def _event_paragraphs(content: SlideContent, scale: float, quoted: int | None = None) -> list[tuple[str, dict]]:
    detail = content.event
    assert detail is not None
    shown = detail.sources[:quoted]
    out: list[tuple[str, dict]] = [(detail.summary, {"size": 11.5 * scale, "h": 5.6 * scale})]
    for source in shown:
        out += _source_paragraphs(source, scale)
    if more := len(detail.sources) - len(shown):
        line = (f"{more} more quote{'s' if more > 1 else ''} of this event under More quotes at the end of this "
                "handout; the dashboard's Events page quotes every one.")
        out.append((line, {"size": 8.5 * scale, "colour": 90, "h": 4.2 * scale, "indent": 4, "space": 1.5}))
    return out


def _event_fitted(pdf: Any, content: SlideContent, width: float, room: float) -> tuple[list[tuple[str, dict]], int]:
    """An event's summary and quotes at the largest text scale that fits `room`, and how many quotes it shows:
    every quote if a readable scale (down to READABLE_SCALE) holds them, else the most quotes that fit readably
    (always the first) and a line saying how many more there are (printed under More quotes). Only a first quote
    too long for the room at a readable scale is set smaller."""
    assert content.event is not None
    readable = [s for s in TEXT_SCALES if s >= READABLE_SCALE]
    for quoted in range(len(content.event.sources), 0, -1):
        for scale in readable if quoted > 1 else TEXT_SCALES:
            paragraphs = _event_paragraphs(content, scale, quoted)
            if _height(pdf, paragraphs, width) <= room:
                return paragraphs, quoted
    return _event_paragraphs(content, TEXT_SCALES[-1], 1), 1


def _table_paragraphs(content: SlideContent, loaded: Any, scale: float) -> list[tuple[str, dict]]:
    from lib.views import sources

    assert content.view is not None
    events = content.view.filters.apply(loaded.tables)
    rows = sources.events_table(events.iloc[:MAX_TABLE_ROWS], loaded.meta)
    out = [(f"{row['date']} — {row['title']} ({row['actors']})", {"size": 10.5 * scale, "h": 5.2 * scale})
           for _, row in rows.iterrows()]  # fmt: skip
    if len(events) > len(rows):
        out.append((f"The first {len(rows)} of {len(events)} events; the dashboard lists them all.",
                    {"size": 9 * scale, "colour": 90, "h": 4.6 * scale, "space": 1.5}))  # fmt: skip
    return out


def _height(pdf: Any, paragraphs: list[tuple[str, dict]], width: float) -> float:
    from lib.exports.pdf import pdf_text_height

    return sum(style.get("space", 0) + pdf_text_height(pdf, text, size=style["size"], style=style.get("style", ""),
                                                        h=style["h"], indent=style.get("indent", 0), width=width)
               for text, style in paragraphs)  # fmt: skip


def _draw(pdf: Any, paragraphs: list[tuple[str, dict]], width: float, where: str) -> None:
    from lib.exports.pdf import pdf_text

    for text, style in paragraphs:
        if style.get("space"):
            pdf.ln(style["space"])
        pdf_text(pdf, text, size=style["size"], style=style.get("style", ""), colour=style.get("colour", 0),
                 h=style["h"], indent=style.get("indent", 0), width=width, where=where)  # fmt: skip


def _fitted(pdf: Any, make: Callable[[float], list[tuple[str, dict]]], width: float, room: float) -> list[tuple[str, dict]]:
    """The paragraphs at the largest of TEXT_SCALES whose height fits `room` (the smallest when none does)."""
    for scale in TEXT_SCALES:
        paragraphs = make(scale)
        if _height(pdf, paragraphs, width) <= room:
            return paragraphs
    return paragraphs


def _pdf_slide_page(pdf: Any, parts: DeckParts, content: SlideContent, loaded: Any) -> int | None:
    """One slide on one page: top line, heading, filters, the body fitted to the room the notes leave. Returns
    how many of an event's quotes the page shows (None for a view)."""
    number, count = content.number, len(parts.contents)
    pdf.add_page()
    header = [(title_line(parts, number, f"slide {number} of {count}"), {"size": 9, "colour": 110, "h": 4.5}),
              (content.slide.heading, {"size": 20, "style": "B", "h": 9}),
              (subtitle_text(content, loaded), {"size": 10, "colour": 80, "h": 5})]  # fmt: skip
    _draw(pdf, header, pdf.epw, f"slide {number} heading")
    pdf.ln(2)
    link = view_link(parts, content) if parts.base_url else ""
    footer = [(handout_footer_text(parts, number), {"size": 8, "colour": 110, "h": 4, "space": 2})]
    notes_text = content.slide.notes or ""

    def notes_at(scale: float) -> list[tuple[str, dict]]:
        return [("Speaker notes", {"size": 10, "style": "B", "h": 5, "space": 3}),
                (notes_text, {"size": 10 * scale, "colour": 40, "h": 4.8 * scale})] if notes_text else []  # fmt: skip

    bottom = pdf.h - PDF_BOTTOM_MM - 1
    notes = _fitted(pdf, notes_at, pdf.epw, (bottom - pdf.get_y()) / 2)
    room = bottom - pdf.get_y() - _height(pdf, footer, pdf.epw) - _height(pdf, notes, pdf.epw) - 2
    top = pdf.get_y()
    quoted = None
    if content.event is not None:
        column = pdf.epw * 0.58
        paragraphs, quoted = _event_fitted(pdf, content, column, room)
        _draw(pdf, paragraphs, column, f"slide {number} event")
        end = pdf.get_y()
        if number in parts.images:
            w, h = _fit_image(parts.images[number], pdf.epw - column - 6, room)
            pdf.image(io.BytesIO(parts.images[number]), x=pdf.l_margin + column + 6, y=top, w=w, h=h)
            end = max(end, top + h)
        pdf.set_y(end)
    elif number in parts.images:
        w, h = _fit_image(parts.images[number], pdf.epw, room)
        pdf.image(io.BytesIO(parts.images[number]), x=pdf.l_margin + (pdf.epw - w) / 2, y=top, w=w, h=h)
        pdf.set_y(top + h)
    elif content.view is not None and content.view.chart is None:
        _draw(pdf, _fitted(pdf, lambda s: _table_paragraphs(content, loaded, s), pdf.epw, room), pdf.epw,
              f"slide {number} table")  # fmt: skip
    else:
        _draw(pdf, [(f"Chart not drawn. {parts.why_no_images or ''}", {"size": 10, "colour": 90, "h": 5})], pdf.epw,
              f"slide {number} chart note")  # fmt: skip
    from lib.exports.pdf import pdf_text

    text, style = footer[0]
    pdf.ln(style["space"])
    pdf_text(pdf, text, size=style["size"], colour=style["colour"], h=style["h"], link=link, where=f"slide {number} footer")
    if notes:
        pdf.ln(2)
        pdf.set_draw_color(180, 180, 180)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        _draw(pdf, notes, pdf.epw, f"slide {number} notes")
    return quoted


def deck_file_name(name: str, fmt: str) -> str:
    """`briefing-<id>.pptx`."""
    return f"briefing-{export.clean_stem(name)}.{fmt}"


def build(briefing: Briefing, loaded: Any, fmt: str, *, generated: dt.datetime | None = None,
          progress: Progress | None = None, parts: DeckParts | None = None, base_url: str = "") -> bytes:  # fmt: skip
    """The briefing as `pptx` or `pdf` bytes (`parts`: already drawn by `deck_parts`; `base_url`: the dashboard's
    address for the links, relative without one)."""
    if fmt == "pptx":
        return build_pptx(briefing, loaded, generated=generated, progress=progress, parts=parts, base_url=base_url)
    if fmt == "pdf":
        return build_pdf(briefing, loaded, generated=generated, progress=progress, parts=parts, base_url=base_url)
    raise ValueError(f"unknown deck format {fmt!r}: use 'pptx' or 'pdf'")
