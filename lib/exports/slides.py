"""A briefing's slides made concrete for presenting and handing out: which slide a URL asks for, each
slide's figure (the page's main chart, or one event highlighted among its neighbours), its filters in
words and its sources. No Streamlit: the present page, the PPTX deck and the PDF use the same parts.
"""

from __future__ import annotations

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
from lib.views import charts
from lib.views.sources import EventDetail, event_detail
from lib.views.style import ChartMeta, plot_text, register_template

SPOTLIGHT_YEARS = 2  # an event slide's small timeline shows the events this many years either side
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
        words = f"{detail.date} · {detail.actor} → {detail.target} · {detail.event_type}"
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
    """A copy of `fig` with text sized for a room and the height left to the container."""
    out = go.Figure(fig)
    out.update_layout(font={"size": font}, title={"font": {"size": font + 6}}, height=None, autosize=True,
                      hoverlabel={"font": {"size": font}})  # fmt: skip
    subtitle = out.layout.title.subtitle
    if subtitle is not None and subtitle.text:
        out.update_layout(title={"subtitle": {"font": {"size": font - 1}}})
    return out


def event_spotlight(events: pd.DataFrame, meta: ChartMeta, event_id: str, *, years: int = SPOTLIGHT_YEARS) -> go.Figure:
    """One event highlighted on a small timeline of the events around it (one row per actor).

    `events` is the events table (lib.model.tables); the chart shows those within `years` of the event, the
    event itself large and labelled, the others as small grey dots (hover: title and date).
    """
    match = events[events["id"] == event_id]
    if match.empty:
        return charts.empty_figure("Event not found", event_id, f"No event {event_id!r} in the data")
    event = match.iloc[0]
    year = int(event["year"])
    near = events[(events["year"] >= year - years) & (events["year"] <= year + years)]
    others = near[near["id"] != event_id]
    fig = go.Figure()
    labels = [plot_text(meta.actor(a)) for a in others["actor"]]
    fig.add_trace(go.Scatter(
        x=others["mid"], y=labels, mode="markers", name="Other events", marker={"size": 9, "color": "#BBBBBB"},
        customdata=np.column_stack([[plot_text(t) for t in others["title"]], [display_date(d) for d in others["date"]]])
        if len(others) else None,
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
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
    fig.update_layout(template=register_template(), showlegend=False, height=360,
                      margin={"l": 10, "r": 20, "t": 60, "b": 40},
                      title={"text": plot_text(f"Events {year - years}–{year + years}; this one starred")})
    fig.update_yaxes(categoryorder="category descending", title=None)
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
