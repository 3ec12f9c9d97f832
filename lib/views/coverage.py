"""What the table covers: articles per year of publication beside events per year, and the years with no
article, so that a gap in the sources is never read as a quiet year (issue 19)."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from lib.views import palette
from lib.views.style import plot_text, register_template
from lib.wording import count

ARTICLE_COLOUR = "#332288"
EVENT_COLOUR = "#DDCC77"
GAP_COLOUR = "#EEEEEE"
TITLE = "What the sources cover"


def coverage(article_dates: Iterable[str], event_dates: Iterable[str]) -> pd.DataFrame:
    """One row per year from the first to the last year of any article or event: `year`, `articles`
    (published that year), `events` (dated that year) and `gap` (no article that year)."""
    articles = Counter(int(str(d)[:4]) for d in article_dates if str(d)[:4].isdigit())
    events = Counter(int(str(d)[:4]) for d in event_dates if str(d)[:4].isdigit())
    years = set(articles) | set(events)
    if not years:
        return pd.DataFrame({"year": [], "articles": [], "events": [], "gap": []}).astype(
            {"year": int, "articles": int, "events": int, "gap": bool})
    span = range(min(years), max(years) + 1)
    return pd.DataFrame({"year": list(span), "articles": [articles.get(y, 0) for y in span],
                         "events": [events.get(y, 0) for y in span], "gap": [articles.get(y, 0) == 0 for y in span]})  # fmt: skip


def gap_runs(table: pd.DataFrame) -> list[tuple[int, int]]:
    """The runs of consecutive years with no article, as (first, last) years."""
    runs: list[tuple[int, int]] = []
    for year in table.loc[table["gap"], "year"]:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], int(year))
        else:
            runs.append((int(year), int(year)))
    return runs


def _run(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def coverage_sentence(table: pd.DataFrame) -> str:
    """The coverage in words: how many articles over which years, and the years with none."""
    if table.empty:
        return "No articles yet."
    first, last = int(table["year"].iloc[0]), int(table["year"].iloc[-1])
    text = f"{count(int(table['articles'].sum()), 'article')} published in {_run(first, last)}."
    runs = gap_runs(table)
    if runs:
        years = int(table["gap"].sum())
        text += (f" No article from {', '.join(_run(a, b) for a, b in runs)} ({count(years, 'year')}): "
                 "a gap in the sources, not a quiet year.")  # fmt: skip
    else:
        text += " Every year has at least one article."
    return text


SUBTITLE_CHARS = 64  # the subtitle's longest line: about 470 px of 13 px text, whole in the chart at 1024x768


def coverage_figure(table: pd.DataFrame) -> go.Figure:
    """Bars of articles per year of publication and of events per year, with the years no article
    covers shaded and labelled 'no article'."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=table["year"], y=table["articles"], name="Articles published",
                         marker={"color": ARTICLE_COLOUR, "line": {"color": palette.edge(ARTICLE_COLOUR), "width": 1}},
                         hovertemplate="%{x}: %{y} articles<extra></extra>"))  # fmt: skip
    fig.add_trace(go.Bar(x=table["year"], y=table["events"], name="Events dated",
                         marker={"color": EVENT_COLOUR, "line": {"color": palette.edge(EVENT_COLOUR), "width": 1},
                                 "pattern": {"shape": "/"}},
                         hovertemplate="%{x}: %{y} events<extra></extra>"))  # fmt: skip
    for first, last in gap_runs(table):
        fig.add_vrect(x0=first - 0.5, x1=last + 0.5, fillcolor=GAP_COLOUR, line_width=0, layer="below",
                      annotation_text="no article" if last - first >= 1 else "none", annotation_position="top",
                      annotation_font={"size": 11, "color": "#555"})  # fmt: skip
    # the sentence on lines short enough for the chart at 1024x768 (plotly.js does not wrap a subtitle)
    lines = textwrap.wrap("Sources: " + coverage_sentence(table), SUBTITLE_CHARS)
    fig.update_layout(template=register_template(), barmode="group", height=360 + 18 * (len(lines) - 1),
                      meta={"chart": "coverage"}, margin={"t": 90 + 18 * (len(lines) - 1)},
                      title={"text": plot_text(TITLE),
                             "subtitle": {"text": "<br>".join(plot_text(line) for line in lines),
                                          "font": {"size": 13, "color": "#555"}}},
                      legend={"orientation": "h", "y": -0.15})  # fmt: skip
    fig.update_xaxes(tickformat="d", title=None, showgrid=False, dtick=2)
    fig.update_yaxes(title="Count")
    return fig
