"""A briefing's slides made concrete for presenting and handing out: which slide a URL asks for, each
slide's figure (the page's main chart, or one event highlighted among its neighbours), its filters in
words and its sources. No Streamlit: the present page, the PPTX deck and the PDF use the same parts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.errors import DashboardError
from lib.exports import export
from lib.model.briefings import PAGE_TITLES, Briefing, Slide, SlideView, slide_view
from lib.model.filters import FilterOptions, Filters
from lib.model.schema import display_date
from lib.model.tables import Tables
from lib.views import charts, map_labels, period_labels
from lib.views.fold import fold_series
from lib.views.shared_figures import copy_figure
from lib.views.sources import EventDetail, event_detail
from lib.views.style import ChartMeta, plot_text, register_template
from lib.wording import year_range

SPOTLIGHT_YEARS = 2  # an event slide's small timeline shows the events this many years either side
SPOTLIGHT_ROWS = 8  # ... with a row for each of this many actors (the event's own first), the rest in one row
PROJECTION_FONT = 17  # chart text size on a slide (the dashboard's is 14)
SPOTLIGHT_COLOUR = "#CC3311"
QUOTE_CHARS = 520  # an event slide shows its quotes while they fit in about this many characters


_SLIDE_NUMBER = re.compile(r"[0-9]{1,9}")


def slide_number(raw: object, count: int) -> int:
    """The 1-based slide a URL's `slide=` asks for (missing: the first); DashboardError when there is none."""
    if raw is None or raw == "":
        return 1
    text = str(raw).strip()
    # ASCII digits only: str.isdigit() passes '²' and '٣', which int() then refuses or reads; a few digits
    # only, so int() never meets 5,000 nines (Python refuses over 4,300 digits).
    if not _SLIDE_NUMBER.fullmatch(text) or not 1 <= int(text) <= count:
        shown = text if len(text) <= 20 else text[:19] + "…"
        raise DashboardError("No such slide", f"“{shown}” is not a slide of this briefing: it has {count} "
                                              f"slide{'s' if count != 1 else ''}, numbered 1 to {count}.")  # fmt: skip
    return int(text)


def unknown_briefing(name: str, known: list[str]) -> DashboardError:
    """The error for a `briefing=` that names no briefing in the data folder."""
    shown = name if len(name) <= 40 else name[:39] + "…"
    listed = ", ".join(known) if known else "none yet (add one under data/briefings/)"
    return DashboardError("No such briefing", f"“{shown}” is not a briefing in the data folder. Briefings: {listed}.")


@dataclass(frozen=True)
class SlideContent:
    """What one slide shows, independent of where it is shown."""

    number: int
    count: int
    slide: Slide
    view: SlideView | None  # a view slide's page, filters and choices
    event: EventDetail | None  # an event slide's event
    filters_text: str  # the filters in words ("Kazakhstan · 2010–2011"), or the event's date and parties
    articles: list[str]  # ids of the articles the slide draws on


def slide_content(briefing: Briefing, number: int, tables: Tables, dataset: object, meta: ChartMeta,
                  options: FilterOptions) -> SlideContent:  # fmt: skip
    """Slide `number` (1-based) of `briefing`, resolved against the loaded data."""
    slide = briefing.slides[number - 1]
    count = len(briefing.slides)
    if slide.event is not None:
        detail = event_detail(slide.event, tables, dataset, meta)  # type: ignore[arg-type]
        if detail is None:
            raise DashboardError("Event missing", f"The event {slide.event!r} is not in the loaded data.")
        words = f"{detail.date} · {detail.parties} · {detail.event_type}"
        return SlideContent(number, count, slide, None, detail, words, [s.article_id for s in detail.sources])
    view = slide_view(slide, options)
    events = view.filters.apply(tables)
    words = f"{PAGE_TITLES[view.page]} · {view.filters.describe(options)}"
    return SlideContent(number, count, slide, view, None, words, export.source_articles(events, tables))


def view_figure(view: SlideView, tables: Tables, meta: ChartMeta, options: FilterOptions) -> go.Figure | None:
    """A view slide's chart (the page's main figure for its filters and choices), or None for a list page."""
    if view.chart is None:
        return None
    events = view.filters.apply(tables)
    return charts.figure_for(view.chart, events, tables, meta, subtitle=view.filters.describe(options),  # type: ignore[arg-type]
                             **view.figure_params())  # fmt: skip


def for_projection(fig: go.Figure, *, font: int = PROJECTION_FONT) -> go.Figure:
    """A copy of `fig` with text sized for a room and the height left to the container (`fig` may be a figure
    shared by every session: copied without writing to it)."""
    out = copy_figure(fig)
    out.update_layout(font={"size": font}, title={"font": {"size": font + 6}}, height=None, autosize=True,
                      hoverlabel={"font": {"size": font}})  # fmt: skip
    subtitle = out.layout.title.subtitle
    if subtitle is not None and subtitle.text:
        out.update_layout(title={"subtitle": {"font": {"size": font - 1}}})
    return out


def spotlight_rows(actors: pd.Series, own: str, rows: int = SPOTLIGHT_ROWS) -> tuple[list[str], list[str]]:
    """The actors an event's spotlight gives a row of their own (the event's actor, then those with the most
    events, ties by id; at most `rows`), and the rest, drawn together in one row."""
    counts = actors.value_counts()
    counts = counts[counts > 0]  # a categorical column counts every category, with or without events
    ranked = sorted(counts.index, key=lambda a: (a != own, -counts[a], str(a)))
    if own not in counts.index:
        ranked.insert(0, own)
    if len(ranked) <= rows + 1:  # one row for a single other actor would save nothing
        return ranked, []
    return ranked[:rows], ranked[rows:]


def event_spotlight(events: pd.DataFrame, meta: ChartMeta, event_id: str, *, years: int = SPOTLIGHT_YEARS,
                    rows: int = SPOTLIGHT_ROWS) -> go.Figure:  # fmt: skip
    """One event highlighted on a small timeline of the events around it (one row per actor).

    `events` is the events table (lib.model.tables); the chart shows those within `years` of the event, the
    event itself large and labelled, the others as small grey dots (hover: title and date). The `rows` actors
    with the most events there (the event's own always) have a row each; the rest share one row at the bottom
    ("14 other actors"), so the chart stays readable beside the event's text however many actors the data has.
    """
    match = events[events["id"] == event_id]
    if match.empty:
        return charts.empty_figure("Event not found", event_id, f"No event {event_id!r} in the data")
    event = match.iloc[0]
    year = int(event["year"])
    near = events[(events["year"] >= year - years) & (events["year"] <= year + years)]
    others = near[near["id"] != event_id]
    kept, rest = spotlight_rows(near["actor"], event["actor"], rows)
    other_row = plot_text(f"{len(rest)} other actors") if rest else ""
    fig = go.Figure()
    labels = [plot_text(meta.actor(a)) if a in kept else other_row for a in others["actor"]]
    fig.add_trace(go.Scatter(
        x=others["mid"], y=labels, mode="markers", name="Other events", marker={"size": 9, "color": "#BBBBBB"},
        customdata=np.column_stack([[plot_text(t) for t in others["title"]], [display_date(d) for d in others["date"]],
                                    [plot_text(meta.actor(a)) for a in others["actor"]]])
        if len(others) else None,
        hovertemplate="%{customdata[0]}<br>%{customdata[2]} · %{customdata[1]}<extra></extra>",
    ))  # fmt: skip
    if event["precision"] != "day":  # a month or year: draw the span it covers
        fig.add_trace(go.Scatter(x=[event["start"], event["end"]], y=[plot_text(meta.actor(event["actor"]))] * 2,
                                 mode="lines", line={"color": SPOTLIGHT_COLOUR, "width": 8}, opacity=0.35,
                                 hoverinfo="skip", showlegend=False))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=[event["mid"]], y=[plot_text(meta.actor(event["actor"]))], mode="markers", name="This event",
        marker={"size": 20, "color": SPOTLIGHT_COLOUR, "symbol": "star", "line": {"width": 1, "color": "white"}},
        customdata=[[plot_text(event["title"]), display_date(event["date"]), event_id]],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
    ))  # fmt: skip
    first, last = max(year - years, int(events["year"].min())), min(year + years, int(events["year"].max()))
    title = f"Events {year_range(first, last)}; this one starred"  # the years the data has; the others' row says it is one
    fig.update_layout(template=register_template(), showlegend=False, height=360,
                      margin={"l": 10, "r": 20, "t": 60, "b": 40}, title={"text": plot_text(title)})
    # actors A to Z from the top, the others' row at the bottom
    order = sorted({plot_text(meta.actor(a)) for a in kept}, reverse=True)
    fig.update_yaxes(categoryorder="array", categoryarray=([other_row] if rest else []) + order, title=None)
    fig.update_xaxes(title=None)
    return fig


def quotes_that_fit(detail: EventDetail, chars: int = QUOTE_CHARS) -> tuple[list, int]:
    """The sources an event slide quotes (the first always, the next while the quotes fit in `chars`),
    and how many more there are (shown as "N more sources" with a pointer to the dashboard)."""
    shown, room = [], chars
    for source in detail.sources:
        length = len(" ".join(source.quote.split()))
        if shown and length > room:
            break
        shown.append(source)
        room -= length
    return shown, len(detail.sources) - len(shown)


def filter_words(filters: Filters, options: FilterOptions) -> str:
    """The filters in words for a slide's subtitle line: "Countries: Kazakhstan · Years: 2010–2011 · …"."""
    from lib.model.filters import filter_lines

    return " · ".join(f"{label}: {value}" for label, value in filter_lines(filters, options))


def citation_line(detail: EventDetail) -> list[str]:
    """Each source of an event as a full citation: author, “title”, outlet, date, URL."""
    lines = []
    for source in detail.sources:
        line = source.citation
        if source.url:
            line += f" {source.url}"
        lines.append(line)
    return lines


def unreviewed_events(briefing: Briefing, tables: Tables, options: FilterOptions) -> list[str]:
    """The ids of the events the briefing shows (its event slides and every event of its view slides) that a
    reviewer has not accepted yet (`review: proposed` or `returned`, CODEBOOK 4.2)."""
    events = tables.events
    if "review" not in events or not events["review"].notna().any():
        return []
    pending = events["review"].notna().to_numpy()
    found: set[str] = set()
    for slide in briefing.slides:
        if slide.event is not None:
            found.update(events["id"][pending & (events["id"] == slide.event).to_numpy()])
        else:
            found.update(events["id"][pending & slide_view(slide, options).filters.mask(tables)])
    return sorted(found)


def review_words(briefing: Briefing, tables: Tables, options: FilterOptions) -> str:
    """What the title slide says about review: "Reviewed events only" or "Includes 2 unreviewed events"."""
    pending = unreviewed_events(briefing, tables, options)
    if not pending:
        return "Reviewed events only"
    return f"Includes {len(pending)} unreviewed event{'' if len(pending) == 1 else 's'} (not yet accepted by a reviewer)"


SLIDE_LABEL_CHARS = 26  # a row or legend name on a slide longer than this is shortened (`short_names`)
_ACRONYM = re.compile(r"[A-Z][A-Z0-9-]{1,7}")


def short_name(name: str, aliases: tuple[str, ...] | list[str] = (), chars: int = SLIDE_LABEL_CHARS) -> str:
    """A long actor name as a slide's row or legend shows it: without a closing parenthesis ("Panorama (Kazakh
    newspaper)" → "Panorama"), then, still longer than `chars`, its acronym among `aliases` ("CSTO"); a name that
    stays long (beyond a quarter more) is cut at a word with "…" (the full name is in the hover and the dashboard)."""
    if len(name) <= chars:
        return name
    bare = re.sub(r"\s*\([^()]*\)\s*$", "", name).strip() or name
    if len(bare) <= chars:
        return bare
    acronyms = [a for a in aliases if _ACRONYM.fullmatch(a)]
    if acronyms:
        return min(acronyms, key=len)
    longest = chars + chars // 4  # no acronym: a few more characters rather than a cut
    if len(bare) <= longest:
        return bare
    cut = bare[: longest - 1].rsplit(" ", 1)[0] if " " in bare[: longest - 1] else bare[: longest - 1]
    return cut.rstrip(" ,;:–-") + "…"


def short_names(dataset: object, chars: int = SLIDE_LABEL_CHARS) -> dict[str, str]:
    """Slide names of the actors whose names are long, keyed by the name as charts draw it (escaped)."""
    names = {}
    for actor in getattr(dataset, "actors", {}).values():
        if len(actor.name) > chars:
            names[plot_text(actor.name)] = plot_text(short_name(actor.name, tuple(actor.aliases), chars))
    return names


# Chart text on a projected slide at the design screen (1280x720); drawn `scale` times larger or smaller.
SLIDE_PERIOD_FONT = 14  # a time chart's period labels (the dashboard's: 11)
SLIDE_MAP_LABEL_FONT = 14  # the map's country labels (the dashboard's: 12)
LEGEND_SHARE = 0.75  # legend text against the axes' (a long legend takes fewer rows)
SLIDE_PLOT_PX = 1050  # the plot's width on the design screen, to which period labels are fitted
SLIDE_LEGEND_NAMES = {"month or year known (span)": "month or year (span)"}  # shorter on a slide (one legend row)
SLIDE_MAP_PX = (1020, 520)  # at least the room a map has on the design screen, its legend aside


def _x_extent(fig: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last date the figure's traces draw (None when they draw none)."""
    values = [v for trace in fig.data if trace.type == "scatter" and trace.x is not None for v in trace.x
              if v is not None]  # fmt: skip
    if not values:
        return None
    dates = pd.to_datetime(pd.Series(values), errors="coerce").dropna()
    return (dates.min(), dates.max()) if len(dates) else None


def _fit_periods(fig: go.Figure, periods: list, scale: float) -> int:
    """Clip a time chart's axis to its events (the dashboard's axis also spans the whole of every period they
    touch: years of empty axis on a slide) and label each period over the part of its band still shown, as the
    pages do (`period_labels.fit_period_labels`), for the design screen's plot. Returns the lines the tallest
    label takes (0: no labels)."""
    extent = _x_extent(fig)
    if extent is None or len([s for s in fig.layout.shapes if s.type == "rect" and s.xref == "x"]) != len(periods):
        return max((str(a.text).count("<br>") + 1 for a in periods), default=0)
    low, high = extent
    pad = max((high - low) * 0.03, pd.Timedelta(days=20))
    low, high = low - pad, high + pad
    fig.update_xaxes(range=[low, high], autorange=False)
    return period_labels.fit_period_labels(fig, periods, low, high, SLIDE_PERIOD_FONT, SLIDE_PLOT_PX)


def renamed(fig: go.Figure, names: dict[str, str]) -> go.Figure:
    """`fig` (changed in place, and returned) with the row, category and legend names in `names` replaced (the
    slide names of `short_names`)."""
    for axis in (fig.layout.yaxis, fig.layout.xaxis):
        if axis.ticktext:
            axis.ticktext = [names.get(t, t) for t in axis.ticktext]
        if axis.categoryarray is not None:
            axis.categoryarray = [names.get(c, c) if isinstance(c, str) else c for c in axis.categoryarray]
    for trace in fig.data:
        if trace.name in names:
            trace.name = names[trace.name]
        if trace.type == "scatter" and trace.y is not None and any(isinstance(v, str) and v in names for v in trace.y):
            trace.y = [names.get(v, v) if isinstance(v, str) else v for v in trace.y]
    return fig


def on_slide(fig: go.Figure, scale: float = 1.0, names: dict[str, str] | None = None) -> tuple[go.Figure, str]:
    """The figure as a projected slide draws it, and its title in words for the line above it.

    The slide's heading and that line say what the chart is, so the figure drops its own title and keeps
    margins only for what its axes (they grow their margins to fit their labels), period labels and legend
    need: the plot area, not only its box, fills most of the slide. A time chart's axis spans its events only;
    long row and legend names take their slide names (`names`, from `short_names`); the legend flows in rows
    under the axis. Text and markers the figure sizes itself (period and map labels, the legend, markers) are
    drawn `scale` times the design screen's (1280x720)."""
    out = fold_series(go.Figure(fig))
    title = out.layout.title
    words = " · ".join(html.unescape(t) for t in (title.text, title.subtitle.text if title.subtitle else None) if t)
    periods = period_labels.period_annotations(out)
    is_map = any(trace.type in ("choropleth", "scattergeo") for trace in out.data)
    font = out.layout.font.size or PROJECTION_FONT
    lines = _fit_periods(out, periods, scale) if periods and out.layout.xaxis.type == "date" else len(periods) and 1
    top = 6 + (lines * SLIDE_PERIOD_FONT * 1.3 + 6) * scale if lines else 6
    margin = {"l": 4, "r": 4, "t": round(top), "b": round((28 if is_map else 4) * scale)}
    out.update_layout(title={"text": "", "subtitle": {"text": ""}}, margin=margin,
                      legend={"font": {"size": round(font * LEGEND_SHARE)}})  # fmt: skip
    if not is_map:  # right under the axis (the template's legend sits well below it), one flow of entries
        # plotly lays a horizontal legend of several rows out in columns as wide as its widest entry, but sizes
        # each legend group to its own entries: every entry its own group (an event type's traces stay one)
        out.update_layout(legend={"orientation": "h", "y": -0.06, "yanchor": "top", "x": 0, "xanchor": "left",
                                  "traceorder": "grouped", "tracegroupgap": 0})  # fmt: skip
        for n, trace in enumerate(out.data):
            if not trace.legendgroup or trace.legendgroup == "precision":
                trace.legendgroup = f"slide-entry-{n}"
            trace.name = SLIDE_LEGEND_NAMES.get(trace.name, trace.name)
    for annotation in out.layout.annotations:
        annotation.font.size = round(SLIDE_PERIOD_FONT * scale if annotation in periods else (annotation.font.size or 12) * scale)
    renamed(out, names or {})
    for trace in out.data:
        if trace.type == "scattergeo" and trace.mode == "text":  # the map's country labels
            trace.textfont.size = round(SLIDE_MAP_LABEL_FONT * scale)
        elif trace.type == "scatter" and not is_map:  # markers and span bars grow with the screen
            if isinstance(trace.marker.size, (int, float)):
                trace.marker.size = round(trace.marker.size * scale, 1)
            if "lines" in (trace.mode or "") and isinstance(trace.line.width, (int, float)):
                trace.line.width = round(trace.line.width * scale, 1)
    if is_map:  # placed clear of each other for the smallest map a slide gives (the legend beside it)
        map_labels.declutter(out, SLIDE_MAP_PX[0] * scale, SLIDE_MAP_PX[1] * scale)
    return out, words


PRESENTER_LEGEND_ROWS = 2  # a presenter's preview lists a legend beside its plot when it would take more rows below
PRESENTER_PANE_PX = 700  # about the width the presenter's preview has at 1280x720 (three fifths of the window)
PRESENTER_LEGEND_FONT = 11
PRESENTER_PLOT_PX = 320  # the plot's width left beside such a legend in the narrowest preview (1024x768)


def for_presenter(fig: go.Figure, names: dict[str, str] | None = None) -> go.Figure:
    """`fig` (a copy of the dashboard's figure, changed in place and returned) for the presenter's preview, a
    narrower box than the dashboard gives it: a legend of many entries is listed beside the plot in smaller type,
    with the slide's short names (`short_names`); a shorter one stays under it, smaller, in one flow. Below the plot,
    the twenty actors of a stance chart took half the preview's height and left the plot a strip (round 13)."""
    if fig.layout.showlegend is False or any(t.type in ("scattergeo", "choropleth") for t in fig.data):
        return fig  # a map lists its legend beside it already
    shown = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if not shown:
        return fig
    font = fig.layout.font.size or 14
    width = sum(len(n) * font * 0.55 + 40 for n in shown)  # an entry: its text and its key
    if width <= PRESENTER_LEGEND_ROWS * PRESENTER_PANE_PX:  # under the plot in smaller type, one flow of entries
        # (plotly gives a legend group rows of its own: the precision key's two entries took two more rows)
        fig.update_layout(legend={"font": {"size": PRESENTER_LEGEND_FONT}, "traceorder": "grouped", "tracegroupgap": 0})
        for n, trace in enumerate(fig.data):
            if not trace.legendgroup or trace.legendgroup == "precision":
                trace.legendgroup = f"presenter-entry-{n}"
        return fig
    if names:
        renamed(fig, names)
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                              "font": {"size": PRESENTER_LEGEND_FONT}, "tracegroupgap": 2})  # fmt: skip
    periods = period_labels.period_annotations(fig)
    extent = _x_extent(fig)
    bands = [s for s in fig.layout.shapes if s.type == "rect" and s.xref == "x"]
    if periods and extent is not None and len(bands) == len(periods):  # the labels fitted again to the narrower plot
        low = min([extent[0], *(pd.Timestamp(b.x0) for b in bands)])
        high = max([extent[1], *(pd.Timestamp(b.x1) for b in bands)])
        period_labels.fit_period_labels(fig, periods, low, high, period_labels.PAGE_PERIOD_FONT, PRESENTER_PLOT_PX,
                                        period_labels.PAGE_CHAR_SHARE, staggered=True)  # fmt: skip
    return fig
