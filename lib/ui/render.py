"""Rendering helpers: a page's opening, errors and data problems, charts, and one event with its sources."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.errors import DashboardError, DataProblem
from lib.filters import FilterOptions, Filters, escape_markdown
from lib.sources import EventDetail
from lib.ui.cached import View, current_view
from lib.ui.downloads import chart_downloads
from lib.ui.keys import Keys
from lib.ui.sidebar import filters_from_state, reset_filters
from lib.wording import count


def show_error(error: DashboardError) -> None:
    """Render the project's one error type: a title and what to do, never a traceback."""
    st.error(f"**{escape_markdown(error.title)}** — {escape_markdown(error.message)}")


def show_problems(problems: list[DataProblem]) -> None:
    """A "data problems" panel listing every rejected entry (file, record, field, reason)."""
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    parts = [count(errors, "entry") + " rejected"] if errors else []
    parts += [count(len(problems) - errors, "warning")] if len(problems) > errors else []
    with st.expander(f"⚠️ Data problems: {', '.join(parts)}", expanded=False):
        st.caption("The dashboard shows the valid events (a warning keeps its entry). Fix these in the data "
                   "folder, or run `python -m lib.validate` for the same list.")  # fmt: skip
        frame = pd.DataFrame(
            [{"file": p.file, "entry": p.record or "", "field": p.field or "", "kind": p.severity,
              "problem": p.message} for p in problems]  # fmt: skip
        )
        st.dataframe(frame, hide_index=True, width="stretch")


def page_start(title: str) -> View:
    """Open a page: its title, the "Showing: …" line, and, when no events match, the empty state
    with a reset (the page stops there). Returns the current view."""
    view = st.session_state.pop(Keys.run_view, None)  # this run's only: a kept view would hold its events
    if not isinstance(view, View) or view.filters != filters_from_state(view.loaded.options):
        view = current_view()
    st.title(title, anchor=False)
    st.caption(f"Showing: {escape_markdown(view.subtitle)}")
    if view.events.empty:
        no_events(view.filters, view.loaded.options)
        st.stop()
    return view


def no_events(filters: Filters, options: FilterOptions) -> None:
    """The friendly empty state: what was asked for, and a one-click reset."""
    st.info(f"No events match these filters: {escape_markdown(filters.describe(options))}.")
    st.button("Reset all filters", on_click=reset_filters, key="reset_empty", type="primary")


def topojson_url() -> str:
    """Where the browser finds the shipped Natural Earth topojson (served by Streamlit's static serving)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/topojson/" if base else "/app/static/topojson/"


def chart_config(name: str, view: View, *, map_: bool = False) -> dict[str, Any]:
    """The plotly.js config for a chart: no logo, image downloads named for the chart and the view,
    and for maps the local base map (no network)."""
    from lib import export

    config: dict[str, Any] = {
        **export.modebar_config(f"{name}_{view.filters.slug()}"),
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    if map_:
        config["topojsonURL"] = topojson_url()
    return config


def show_chart(
    fig: go.Figure, *, name: str, view: View, key: str, on_select: bool = False, map_: bool = False
) -> list[dict[str, Any]]:
    """Render a figure with the project's config and its download buttons; returns the selected points."""
    state = st.plotly_chart(
        fig, key=key, config=chart_config(name, view, map_=map_), theme=None,
        on_select="rerun" if on_select else "ignore", selection_mode="points",
    )  # fmt: skip
    points = list(state.selection.points) if on_select and state is not None else []
    chart_downloads(fig, f"{name}_{view.filters.slug()}", view)
    return points


def show_event(detail: EventDetail, *, article_text: bool = True, expand_article: bool = False) -> None:
    """One event: title, date, actors, summary, each verbatim quote with its citation and, in an
    expander, the article text with the quote highlighted. All data text is escaped."""
    from lib.sources import highlighted_markdown

    st.subheader(escape_markdown(detail.title), anchor=False)
    st.markdown(
        f"**{escape_markdown(detail.date)}** · {escape_markdown(detail.actor)} → {escape_markdown(detail.target)}"
        f" · {escape_markdown(detail.event_type)} · stance {detail.stance:+d} ({escape_markdown(detail.stance_label)})"
    )
    where = detail.countries + (f" — {detail.location}" if detail.location else "")
    st.caption(f"Countries: {escape_markdown(where)}")
    if detail.date_note:
        st.caption(f"Date: {escape_markdown(detail.date_note)}")
    if detail.place:
        note = f" — {detail.place_note}" if detail.place_note else ""
        st.caption(f"Place: {escape_markdown(detail.place + note)}")
    st.markdown(escape_markdown(detail.summary))
    for source in detail.sources:
        with st.container(border=True):
            st.markdown(f"> {escape_markdown(' '.join(source.quote.split()))}")
            byline = " · ".join(escape_markdown(p) for p in (source.outlet, source.author or "", source.published) if p)
            st.markdown(f"*{escape_markdown(source.title)}* — {byline}")
            if source.url:
                st.link_button("Open the original article", source.url)
            if article_text and source.article_text:
                with st.expander(f"Article text, quote highlighted: {escape_markdown(source.title)}",
                                 expanded=expand_article):  # fmt: skip
                    st.markdown(highlighted_markdown(source.article_text, [source.quote]))
