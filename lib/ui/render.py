"""Rendering helpers: a page's opening, errors and data problems, charts, and one event with its sources."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from lib.model.filters import FilterOptions, Filters, escape_markdown
from lib.ui.cached import View, current_view, decluttered_figure, figure, filters_from_state
from lib.ui.chart_element import plotly_element
from lib.ui.downloads import chart_downloads
from lib.ui.keys import Keys
from lib.ui.sidebar import reset_filters
from lib.views.sources import EventDetail

# Static CSS, no data text. Charts first: Streamlit leaves 6rem above a page's title and draws the title at
# 2.75rem; a tighter top and a smaller title let a page's main chart start in the top third of a 720 px screen.
# Below 1100 px the main column's sides take 1.5rem, not 5rem: at 1024x768 the charts get about 110 px more width
# (the map had 370 px, the timeline's plot 270 px).
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.75rem;}
[data-testid="stMain"] h1 {font-size: 2rem; padding: 0.25rem 0 0 0;}
@media (max-width: 1100px) {[data-testid="stMainBlockContainer"] {padding-left: 1.5rem; padding-right: 1.5rem;}}
</style>"""
# What a fitted chart leaves of the screen's height: the page's title, "Showing" line and options row above it
# (FIT_TOP), and a margin below it, so the whole chart is on the first screen (tests/test_browser_fit.py).
FIT_TOP = 210
FIT_BELOW = 20
FIT_MIN = 320  # never shorter than this, however small the screen
# The smallest room a fitted map has on the screens the pages are fitted for (1024x720 and larger, measured in
# Chromium): the screen less the sidebar, the main column's padding and the legend and colour bar right of the
# map (plotly.js takes their room from the map), by the fitted height. The page's map labels are placed clear
# of each other for this room; on a larger screen the map grows about its middle and they only move apart.
SMALLEST_SCREEN = (1024, 720)
SIDEBAR_PX, MAIN_PAD_PX, MAP_KEYS_PX = 300, 160, 195


def page_heading(title: str, caption: str | None = None) -> None:
    """Open a page without a filtered view (Briefings, Curate): the same title size and top padding as the
    dashboard pages (`PAGE_CSS`), and a caption under it."""
    st.html(PAGE_CSS)
    st.title(title, anchor=False)
    if caption:
        st.caption(caption)


def page_start(title: str, *, fitted: bool = False) -> View:
    """Open a page: its title (short), the "Showing: …" line, and, when no events match, the empty state
    with a reset (the page stops there). Returns the current view. `fitted`: the page shows a fitted chart,
    whose style element carries the page's CSS too (`fit_css`), so the page sends one style element, not two."""
    view = st.session_state.pop(Keys.run_view, None)  # this run's only: a kept view would hold its events
    if not isinstance(view, View) or view.filters != filters_from_state(view.loaded.options):
        view = current_view()
    if not fitted or view.events.empty:
        st.html(PAGE_CSS)
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


def topojson_url(fig: go.Figure | None = None) -> str:
    """Where the browser finds the shipped Natural Earth topojson (served by Streamlit's static serving): for a
    map whose view lies well inside the region (`export.fits_cropped_base_map`), the base map cut down to the
    region (287 kB instead of 1.1 MB, drawn about 3x faster, the same pixels at the view shown); else the full one.
    plotly.js keeps a base map by name for the page's life, so every map in this app (all inside the region)
    must be able to use whichever of the two it loaded first: both draw the region the same."""
    from lib.exports import export

    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    folder = f"/{base}/app/static/topojson/" if base else "/app/static/topojson/"
    if fig is not None and export.fits_cropped_base_map({"layout": fig.layout.to_plotly_json()}):
        folder += f"{export.CROPPED_TOPOJSON_DIR.name}/"
    return folder


ZOOM_BUTTONS = {"cartesian": ["zoomIn2d", "zoomOut2d", "resetScale2d"], "geo": ["zoomInGeo", "zoomOutGeo", "resetGeo"]}


def chart_config(name: str, view: View, *, map_: bool = False, fig: go.Figure | None = None) -> dict[str, Any]:
    """The plotly.js config for a chart: no logo, and for maps the local base map (no network).

    The mode bar keeps only what serves a reader (each button is a Tab stop): zoom in, out and reset on
    charts with a time axis or a map, nothing on bar charts and grids. The camera button comes back only
    when the server cannot export images (the download buttons under the chart do it otherwise)."""
    from lib.exports import export

    zoomable = map_ or (fig is not None and fig.layout.xaxis.type == "date")
    buttons = list(ZOOM_BUTTONS["geo" if map_ else "cartesian"]) if zoomable else []
    if not export.static_export_available()[0]:
        buttons.append("toImage")
    config: dict[str, Any] = export.modebar_config(f"{name}_{view.filters.slug()}")
    if buttons:
        config["modeBarButtons"] = [buttons]
    else:
        config["displayModeBar"] = False
    if map_:
        config["topojsonURL"] = topojson_url(fig)
    return config


_PARTS: OrderedDict[int, tuple[weakref.ref, tuple[pd.DataFrame, str, str]]] = OrderedDict()
_SENT: OrderedDict[int, tuple[weakref.ref, go.Figure]] = OrderedDict()
_SENT_JSON: OrderedDict[int, tuple[weakref.ref, str]] = OrderedDict()
_PARTS_LOCK = threading.Lock()
MAX_PARTS = 256
T = TypeVar("T")


def _once_per_figure(cache: OrderedDict[int, tuple[weakref.ref, T]], fig: go.Figure, make: Callable[[], T]) -> T:
    """`make()` for `fig`, made once per figure object and kept for the MAX_PARTS figures used last (the cached
    figures are shared and never change, so what is made from them need not be made again)."""
    with _PARTS_LOCK:
        kept = cache.get(id(fig))
        if kept is not None and kept[0]() is fig:
            cache.move_to_end(id(fig))
            return kept[1]
    made = make()
    with _PARTS_LOCK:
        cache[id(fig)] = (weakref.ref(fig), made)
        while len(cache) > MAX_PARTS:
            cache.popitem(last=False)
    return made


def chart_parts(fig: go.Figure) -> tuple[pd.DataFrame, str, str]:
    """The chart's data table, its text alternative and its description, made once per figure object."""
    from lib.views import chart_data, describe

    def make() -> tuple[pd.DataFrame, str, str]:
        table = chart_data.table(fig)
        description = describe.describe(fig, table)  # once: the text alternative repeats it
        return table, describe.alt_text(fig, table, description), description

    return _once_per_figure(_PARTS, fig, make)


def sent_figure(fig: go.Figure) -> go.Figure:
    """What the browser is sent for `fig`: the same drawing with its template written in, plain lists and a
    fixed datarevision (`lib.views.baked`), so Streamlit's second `Plotly.react` of it is not a second draw.
    Every dashboard chart since round 12 (the map's alone before). Made once per figure object, like `chart_parts`."""
    from lib.views import baked

    return _once_per_figure(_SENT, fig, lambda: baked.for_browser(fig))


def sent_json(fig: go.Figure) -> str:
    """`sent_figure(fig)` as the JSON the chart element sends, serialised once per figure object: a rerun draws
    the same cached figures, so it need not serialise them again."""
    return _once_per_figure(_SENT_JSON, fig, lambda: pio.to_json(sent_figure(fig), validate=False))


def fit_css(key: str, fig: go.Figure, *more: tuple[str, go.Figure]) -> str:
    """Static CSS (the key and numbers, no data text) that sizes the chart keyed `key` to the screen: the height
    the page's top (FIT_TOP) and a margin leave, never taller than the figure's own height nor under FIT_MIN;
    with the page's CSS (PAGE_CSS), so a page with a fitted chart sends one style element. The rule is on the
    chart's own element (Streamlit gives a keyed element the class st-key-<key>), so no container is sent for it.
    `more`: further (key, figure) pairs sized by the same style element (a page with two fitted charts side by side
    sends one, then draws each with `show_chart(..., fit=True, fit_style=False)`)."""
    rules = []
    for box_key, figure in ((key, fig), *more):
        natural = int(figure.layout.height or 450)
        box = f".st-key-{box_key}"
        rules.append(f"{box} {{flex: none !important; height: clamp({min(FIT_MIN, natural)}px, "
                     f"calc(100vh - {FIT_TOP + FIT_BELOW}px), {natural}px) !important;}}\n"
                     f"{box} > div, {box} .dashboard-chart {{height: 100% !important;}}")  # fmt: skip
    return PAGE_CSS.removesuffix("</style>") + "\n".join(rules) + "</style>"


def fitted_map_px(fig: go.Figure) -> tuple[float, float]:
    """The smallest width (the legend's room taken off) and height a fitted map figure is drawn at on the
    pages' screens: what its labels are placed for (`page_map`)."""
    natural = int(fig.layout.height or 450)
    height = min(natural, max(min(FIT_MIN, natural), SMALLEST_SCREEN[1] - FIT_TOP - FIT_BELOW))
    return float(SMALLEST_SCREEN[0] - SIDEBAR_PX - MAIN_PAD_PX - MAP_KEYS_PX), float(height)


def page_map(view: View, **params: str) -> go.Figure:
    """The map page's figure, its country labels placed clear of each other for the smallest fitted map
    (`fitted_map_px`): Qatar's and the Emirates' labels overlapped, and Belarus's was cut at the map's edge."""
    return decluttered_figure("map", view, fitted_map_px(figure("map", view, **params)), **params)


def show_chart(
    fig: go.Figure, *, name: str, view: View, key: str, on_select: bool = False, map_: bool = False,
    fit: bool = False, how_to_read: str | None = None, fit_style: bool = True,
) -> list[dict[str, Any]]:
    """Render a figure for every reader: the chart with its text alternative (`alt`: title, view and a
    description), the description as a caption, an optional "How to read this chart" expander
    (`how_to_read`, markdown the caller has escaped; its text sent only when opened, `how_to_read_panel`), then one "Data and downloads" expander with the numbers it
    draws as a table, their CSV and the chart's files, built only when opened (`chart_extras`). With `fit`, the
    chart's box takes the screen's height below the page's top (`fit_css`, which also carries the page's CSS:
    pass `fitted=True` to `page_start`), so the whole chart is on the first screen; `fit_style=False` when the page
    has sent that style already (`fit_css` with several charts). Returns the selected points."""
    _, alt, description = chart_parts(fig)
    if fit and fit_style:
        st.html(fit_css(key, fig))
    points = plotly_element(sent_json(fig), key=key, config=chart_config(name, view, map_=map_, fig=fig), alt=alt,
                            select=on_select, stretch=fit)  # fmt: skip
    st.caption(escape_markdown(description))
    if how_to_read:
        how_to_read_panel(how_to_read, key)
    chart_extras(fig, f"{name}_{view.filters.slug()}", view, key)
    return points


def help_panel_key(key: str) -> str:
    """The session-state key of the "How to read this chart" expander under the chart keyed `key` (True while open)."""
    return f"help_open_{key}"


@st.fragment
def how_to_read_panel(text: str, key: str) -> None:
    """The "How to read this chart" expander under the chart keyed `key`: its text (markdown the caller has escaped) is
    sent only while it is open, and opening or closing it reruns this fragment alone. Closed, a navigation sends the
    browser one element, not a paragraph for its markdown renderer to parse (bench/RESULTS.md, issue 24 round 13)."""
    with st.expander("How to read this chart", icon=":material/help:", key=help_panel_key(key),
                     on_change="rerun") as panel:  # fmt: skip
        if panel.open:
            st.markdown(text)


def data_panel_key(key: str) -> str:
    """The session-state key of the "Data and downloads" expander under the chart keyed `key` (True while open)."""
    return f"data_open_{key}"


@st.fragment
def chart_extras(fig: go.Figure, stem: str, view: View, key: str) -> None:
    """What sits under a chart, closed until asked for: one expander with the chart's numbers (a table and its
    CSV) and its files (PNG, SVG, PDF, interactive HTML). Its contents are built and sent only while it is open,
    and opening or closing it reruns this fragment alone, not the page (closed, it costs the browser one element,
    not a table and six buttons)."""
    import functools

    from lib.exports import export
    from lib.views import chart_data

    with st.expander(f"Data and downloads: {chart_data.title(fig)}", icon=":material/table:", key=data_panel_key(key),
                     on_change="rerun") as panel:  # fmt: skip
        if not panel.open:  # an expander, not a popover: a popover's body is drawn outside the page's landmarks
            return
        table = chart_parts(fig)[0]
        shown = chart_data.display_table(table)
        if shown.empty:
            st.caption("No numbers to show for this view.")
        else:
            st.dataframe(shown, hide_index=True, width="stretch")
            csv = export.clean_stem(f"{stem}_data")
            st.download_button("Table as CSV", data=functools.partial(export.table_csv, table), file_name=f"{csv}.csv",
                               mime="text/csv", key=f"data_{key}", on_click="ignore", icon=":material/download:",
                               help=f"Download {csv}.csv")  # fmt: skip
        chart_downloads(fig, stem, view)


# A select box's options are rebuilt by the browser on every render: about 0.04 ms each, 40-50 ms of the main thread
# for the timeline's 1,195 events on each navigation (bench/RESULTS.md, issue 24 round 14). Above this many, a chooser
# first asks for words and lists the events that match.
PICKER_LIMIT = 300


def matching_events(choices: dict[str, str], key: str, what: str) -> dict[str, str]:
    """The search box in front of a chooser of more than PICKER_LIMIT events (`what`: where they are, e.g. "in the
    chart"): the events whose label ("date — title") holds every word typed, {} before anything is typed."""
    query = st.text_input(f"Or find an event {what} ({len(choices):,} events)", key=Keys.picker_search(key),
                          placeholder="Words of its title or its date, e.g. Termez 2021",
                          help="Press Enter: the events that match are listed in a box under this one.")  # fmt: skip
    words = query.casefold().split()
    if not words:
        return {}
    found = {i: label for i, label in choices.items() if all(w in label.casefold() for w in words)}
    if not found:
        st.caption(f"No event {escape_markdown(what)} matches “{escape_markdown(query.strip())}”.")
    return found


def event_picker(fig: go.Figure, *, key: str, label: str = "Or choose an event in the chart") -> list[str]:
    """A select box of the events the chart draws (the keyboard's way to pick one): [] or [the chosen id]. With more
    than PICKER_LIMIT events, a search box first and a box of the events that match it (`matching_events`)."""
    from lib.views import chart_data

    choices = chart_data.event_choices(chart_parts(fig)[0])
    placeholder = f"{len(choices)} events in this chart"
    if len(choices) > PICKER_LIMIT:
        choices = matching_events(choices, key, "in the chart")
        label, placeholder = "Events in the chart that match", f"{len(choices)} events match"
    if not choices:
        return []
    chosen = st.selectbox(label, list(choices), index=None, key=key, format_func=choices.get,
                          placeholder=placeholder)  # fmt: skip
    return [chosen] if chosen else []


def show_event(detail: EventDetail, *, article_text: bool = True, expand_article: bool = False) -> None:
    """One event: title, date, actors, summary, each verbatim quote with its citation and, in an
    expander, the article text with the quote highlighted. All data text is escaped."""
    from lib.views.sources import highlighted_markdown

    st.header(escape_markdown(detail.title), anchor=False)  # h2: the page title is the only h1 above it
    from lib.ui.builder import add_event_button

    add_event_button(detail.id, detail.title)
    st.markdown(
        f"**{escape_markdown(detail.date)}** · {escape_markdown(detail.parties)}"
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
            if source.dated:
                st.caption(escape_markdown(source.dated))
            byline = " · ".join(escape_markdown(p) for p in (source.outlet, source.author or "", source.published) if p)
            st.markdown(f"*{escape_markdown(source.title)}* — {byline}")
            if source.url:
                st.link_button("Open the original article", source.url)
            if article_text and source.article_text:
                with st.expander(f"Article text, quote highlighted: {escape_markdown(source.title)}",
                                 expanded=expand_article):  # fmt: skip
                    st.markdown(highlighted_markdown(source.article_text, [source.quote]))
