"""The presentation page's glue: one slide full-screen, keyboard and on-screen navigation, the way back.

`/present?briefing=<id>&slide=<n>`: the URL names the slide (each slide is a permalink); moving to
another slide is a rerun that rewrites `slide=`, never a page load. Logic lives in lib/exports/slides.py.
Charts are drawn by the app's chart element (lib/ui/chart_element.py, the partial plotly.js the dashboard pages use),
not st.plotly_chart: per press, less of both windows' main thread (bench/RESULTS.md, present-follow, round 15); the
presenter's preview is a still plot (plotly.js `staticPlot`), the projected slide keeps hover and selection.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st

from lib.errors import DashboardError
from lib.exports import slides
from lib.model.briefings import PAGE_TITLES, Briefing
from lib.model.filters import PAGE_KEYS, Filters, escape_markdown
from lib.ui import rooms
from lib.ui.cached import Loaded, View, cached_figure, data_version, filtered_events, load_shared, shared_cache
from lib.ui.chart_element import plotly_element
from lib.ui.keys import Keys
from lib.ui.messages import show_error
from lib.ui.render import chart_config, chart_parts, sent_json
from lib.ui.slide_keys import screen_scale, slide_keys, window
from lib.views.shared_figures import copy_figure
from lib.wording import count

PRESENT_PATH = "present"
END = "end"  # slide=end: the screen after the last slide
# An event slide's spotlight chart text at the design screen (1280x720), in its narrower column; drawn
# `screen_scale()` times larger or smaller (the other chart text: lib.exports.slides.on_slide).
SPOTLIGHT_FONT = 15
# From this screen scale (about 1800x1000) the presenter's column has room below its buttons: the slide list is shown
# open there, and the next slide's heading and the notes take larger type (lib.ui.slide_keys fits the notes).
LIST_OPEN_SCALE = 1.4
# How often a window looks whether another window of its room moved by a script run: the room-polling fragment, one
# indexed read of the rooms file, which reruns the page only when the room's version changed. The quick ways are the
# wake-up (a press starts the run of every window of the room this process serves: lib.ui.rooms.listen) and the
# room's doorbell (lib.ui.rooms.ring, read by the key component every lib.ui.slide_keys.BELL_MS without a script
# run). Where the doorbell works, a window polls only every BELL_FALLBACK_SECONDS, as a fallback: each poll is a
# script run, and the doorbell's read waits while one is in progress and its follow queues behind it (the largest
# wait in round 9's breakdown of a follow, bench/RESULTS.md); the presenter's clock is drawn in the browser (round
# 11; it was a poll every second). A window whose doorbell cannot be written or served polls every FOLLOW_SECONDS.
# Every poll is a
# script run to Streamlit's message cache, which dropped cached elements after two runs unused: under load a window
# could drop an element a run was about to reuse ("Cached ForwardMsg MISS", the page stopped, round 8), so
# .streamlit/config.toml keeps them `global.maxCachedMessageAge` runs, at least MIN_CACHE_SECONDS of polling.
FOLLOW_SECONDS = 1.0
BELL_FALLBACK_SECONDS = 5.0
MIN_CACHE_SECONDS = 10
# The next slide's figure is built while the presenter talks (one background worker for the whole server), so a
# first visit to a slide finds it cached: restyling a figure for the room takes 0.2-0.5 s, a cached one nothing.
_PREFETCH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slide-prefetch")
_WANTED: dict[tuple[str, str], int] = {}  # the slide each room's window asked for last: older requests are skipped
PREFETCH_DELAY_S = 0.25  # quick presses in a row ask for many slides; only the last one still wanted is built
_LOG = logging.getLogger(__name__)
# (label, key, key named in the help, step): step is +1/-1 for next/previous, "first"/"last" to jump. The keys
# themselves are lib.ui.slide_keys' (listening from the first moment); the buttons are for the mouse.
NAV = (
    ("First", "present_first", "Home", "first"),
    ("Previous", "present_prev", "Left", -1),
    ("Next", "present_next", "Right", 1),
    ("Last", "present_last", "End", "last"),
)
ICONS = {"First": ":material/first_page:", "Previous": ":material/chevron_left:", "Next": ":material/chevron_right:",
         "Last": ":material/last_page:"}  # fmt: skip
# Static CSS, no data text: the bar on one line (a long briefing title ends in "…"); hide Streamlit's header and footer chrome and the sidebar (reached by a link
# inside the app, the first run still draws the navigation, and the browser keeps the emptied sidebar
# open even once it is hidden), tighten the page, enlarge type,
# let the chart container take the height the heading and the bar leave.
CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none;}
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 0.6rem 1.6rem 0.2rem 1.6rem; max-width: 100%;}
[data-testid="stMain"]:has(.st-key-present_bar):not(:has(.st-key-presenter_now)) {overflow: hidden;}
.st-key-present_bar p {font-size: clamp(0.85rem, 0.5rem + 0.9vh, 1.35rem); margin: 0;}
.st-key-present_bar button, .st-key-present_bar [data-testid^="stBaseLinkButton"] {min-height: 0; padding: 0.2rem 0.6rem;}
.st-key-present_caption {position: relative; z-index: 1;}
@media (max-width: 1100px) {.st-key-present_bar button [data-testid="stMarkdownContainer"] {display: none;}}
.st-key-present_heading h1 {font-size: clamp(1.4rem, 0.4rem + 4vh, 4rem); line-height: 1.15; padding: 0.1rem 0 0 0;}
[data-testid="stMain"]:not(:has(.st-key-presenter_now)) .st-key-present_heading {margin-bottom: -0.35rem;}
[data-testid="stMain"]:not(:has(.st-key-presenter_now)) .st-key-present_caption {margin-bottom: -0.4rem;}
.st-key-present_caption p, .st-key-present_spot_caption p {font-size: clamp(0.8rem, 0.2rem + 1.9vh, 1.9rem); color: #444; margin: 0;}
.st-key-present_chart, .st-key-present_spot {flex: none !important; height: calc(100vh - 150px) !important;}
.st-key-present_chart > div, .st-key-present_chart .dashboard-chart,
.st-key-present_spot > div, .st-key-present_spot .dashboard-chart {height: 100% !important;}
.st-key-present_event {font-size: 1.35rem;}
.st-key-present_event * {font-size: inherit !important;}
.st-key-present_event p, .st-key-present_event li {line-height: 1.4; margin-bottom: 0.35em;}
.st-key-present_event blockquote p {font-size: 1.12em !important; font-style: italic;}
.st-key-present_event [data-testid="stCaptionContainer"] p {font-size: 0.78em !important;}
.st-key-present_event blockquote {margin: 0.2em 0 0.3em 0; padding-top: 0; padding-bottom: 0;}
.st-key-present_end {margin-top: 22vh;}
.st-key-present_end * {text-align: center; justify-content: center;}
.st-key-present_end h1 {font-size: clamp(2rem, 7vh, 5rem);}
.st-key-present_end p {font-size: clamp(1.1rem, 3vh, 2.2rem);}
.slide-counter, .slide-clock {font-size: clamp(0.85rem, 0.5rem + 0.9vh, 1.35rem); margin: 0; white-space: nowrap;}
.st-key-present_bar {flex-wrap: nowrap !important;}
[data-testid="stMain"]:not(:has(.st-key-presenter_now)) .st-key-present_bar {margin-bottom: -0.4rem;}
.st-key-present_bar > div {flex-shrink: 0;}
.st-key-present_bar > .st-key-present_keys_handler {flex-shrink: 1; min-width: 0; overflow: hidden;}
p.slide-counter {display: flex; white-space: nowrap; min-width: 0;}
p.slide-counter strong {overflow: hidden; text-overflow: ellipsis; min-width: 0; margin-right: 0.3em;}
.st-key-presenter_now .st-key-present_heading h1 {font-size: 1.6rem;}
.st-key-presenter_notes {overflow-y: auto; min-height: 0; flex-shrink: 0;}
.st-key-presenter_notes p {font-size: var(--notes-size, 1.35rem); line-height: 1.5;}
.st-key-presenter_side [data-testid="stExpanderDetails"], .st-key-presenter_list {max-height: 30vh; overflow-y: auto;}
.st-key-presenter_list {flex-wrap: nowrap; min-height: 0; flex-shrink: 0; max-height: 42vh;}
.st-key-presenter_side [data-testid="stExpanderDetails"] button, .st-key-presenter_list button {min-height: 0; padding: 0.15rem 0.5rem;}
.st-key-presenter_next p {font-size: clamp(0.9rem, 0.2rem + 1.8vh, 1.7rem); line-height: 1.35;}
.st-key-presenter_now .st-key-present_event p, .st-key-presenter_now .st-key-present_event li {font-size: 1rem;}
.st-key-presenter_now .st-key-present_event blockquote p {font-size: 1.1rem;}
</style>
"""


def presenting() -> bool:
    """True when the browser asks for the presentation page (so dashboard.py hides the navigation)."""
    url = getattr(st.context, "url", None) or ""
    return url.rstrip("/").endswith(f"/{PRESENT_PATH}")


def _press(name: str, token: str) -> Callable[[str, int, int], bool]:
    """What a key press does (lib.ui.slide_keys calls it before the run, in whatever run carries the press: a full
    run or the room-polling fragment's): move the room for press `seq` of `window`, once and never back to an older
    press's slide (lib.ui.rooms.press). Under load Streamlit runs the callbacks of one window's presses in more than
    one script thread at once, and they reach the rooms file in any order (press 4 applied, then press 3): when
    each simply set the slide, press 3 took the window back, and a press marked answered before its move was lost
    if its callback was cut off. The window sends again a press the room has not applied once the app is idle.
    No Streamlit call here: nothing in the callback that a newer message could interrupt."""
    return lambda window_id, seq, target: rooms.press(name, token, window_id, seq, target)


def _seen() -> dict[tuple[str, str], int]:
    """The room versions this window has shown, by (briefing, token)."""
    return st.session_state.setdefault(Keys.room_seen, {})


def _room_slide(name: str, token: str, count: int) -> tuple[int | None, int]:
    """The room's slide, which the window shows once the room exists (None before: the URL's `slide=` opens it),
    and the last key press of this window the room applied, read together.

    The room, not `slide=`, is the truth within a session: a full run can come with a query the browser sent
    before it heard of the last move (a press answered in a polling run, its own message sent a moment later),
    and that stale `slide=` must not take the window back."""
    room, ack = rooms.state(name, token, window())
    if room is None:
        return None, ack
    _seen()[(name, token)] = room.version
    return min(max(room.slide, 1), count + 1), ack  # count + 1: the end screen


def _bell(name: str, token: str) -> tuple[int, str]:
    """The room's version this window shows and the address of the room's doorbell, for the key component."""
    return _seen().get((name, token), 0), f"{rooms.BELL_URL}/{rooms.bell_name(name, token)}"


def _follow(name: str, token: str) -> None:
    """Poll the room: a fragment run every FOLLOW_SECONDS, or every BELL_FALLBACK_SECONDS where the doorbell works
    (the presenter's clock is drawn by the key component in the browser: no run per second for it)."""
    if rooms.bell_works(name, token):
        _poll_rarely(name, token)
    else:
        _poll(name, token)


@st.fragment(run_every=FOLLOW_SECONDS)
def _poll(name: str, token: str) -> None:
    """Rerun the page when another window moved the room."""
    _look(name, token)


@st.fragment(run_every=BELL_FALLBACK_SECONDS)
def _poll_rarely(name: str, token: str) -> None:
    """`_poll` where the wake-up and the doorbell bring a move at once: only in case both are missed."""
    _look(name, token)


def _look(name: str, token: str) -> None:
    room = rooms.get(name, token)
    if room is not None and room.version > _seen().get((name, token), 0):
        st.rerun(scope="app")


def _forget_dashboard_view() -> None:
    """Let the dashboard page reached from here take its view from the link's URL, not from an earlier visit."""
    st.session_state.pop(Keys.url_applied, None)
    for key in PAGE_KEYS:
        st.session_state.pop(Keys.page_choice_kept(key), None)


def _choose(loaded: Loaded) -> None:
    """No briefing named: list the briefings with a link to present each."""
    st.title("Present a briefing", anchor=False)
    briefings = loaded.dataset.briefings
    if not briefings:
        st.info("There are no briefings yet. Build one on the Briefings page, or add data/briefings/<id>.yaml.")
        return
    for name, briefing in briefings.items():
        st.page_link(f"app_pages/{PRESENT_PATH}.py", label=f"{briefing.title} ({len(briefing.slides)} slides)",
                     query_params={"briefing": name, "slide": "1"}, icon=":material/slideshow:")  # fmt: skip


def _navigation(number: int, count: int) -> None:
    """The on-screen buttons. A click is answered in the browser by lib.ui.slide_keys as a numbered press, like a
    key (its listener takes the click before Streamlit does), so the buttons have no callback of their own."""
    targets = {"first": 1, "last": count}
    for label, key, named, step in NAV:
        target = targets[step] if isinstance(step, str) else number + step
        st.button(label, key=key, icon=ICONS[label],
                  disabled=not 1 <= target <= count + (step == 1) or target == number,
                  help=f"{label} slide ({named})")  # fmt: skip


def _content(briefing: Briefing, number: int, loaded: Loaded) -> slides.SlideContent:
    """Slide `number` of `briefing`, resolved once per data version, not in every run of every window (a briefing's
    name names its content within one version of the data: a saved one is a data file, a draft's name its digest)."""
    name = next((key for key, known in loaded.dataset.briefings.items() if known is briefing), None)
    if name is None:
        return slides.slide_content(briefing, number, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
    return _resolved(*data_version(), name, number, briefing, loaded)


@st.cache_resource(max_entries=256, show_spinner=False)
def _resolved(folder: str, fingerprint: str, name: str, number: int, _briefing: Briefing,
              _loaded: Loaded) -> slides.SlideContent:  # fmt: skip
    return slides.slide_content(_briefing, number, _loaded.tables, _loaded.dataset, _loaded.meta, _loaded.options)


@shared_cache(maxsize=64)
def _spotlight(folder: str, fingerprint: str, event_id: str, scale: float) -> tuple[go.Figure, str]:
    loaded = load_shared(folder, fingerprint)
    fig = slides.event_spotlight(loaded.tables.events, loaded.meta, event_id)
    return _on_slide(slides.for_projection(fig, font=round(SPOTLIGHT_FONT * scale)), scale, folder, fingerprint)


def _on_slide(fig: go.Figure, scale: float, folder: str, fingerprint: str) -> tuple[go.Figure, str]:
    """The figure as a slide draws it at `scale` (lib.exports.slides.on_slide), with the data's slide names."""
    return slides.on_slide(fig, scale, _slide_names(folder, fingerprint))


@shared_cache(maxsize=4)
def _slide_names(folder: str, fingerprint: str) -> dict[str, str]:
    return slides.short_names(load_shared(folder, fingerprint).dataset)


@shared_cache(maxsize=64)
def _projected(kind: str, folder: str, fingerprint: str, filters: Filters,
               params: tuple[tuple[str, str], ...], scale: float) -> tuple[go.Figure, str]:  # fmt: skip
    """The dashboard's cached figure restyled for the room once per (data, view, choices, screen scale), and its
    title in words."""
    figure = cached_figure(kind, folder, fingerprint, filters, params)
    projected = slides.for_projection(figure, font=round(slides.PROJECTION_FONT * scale))  # copies it safely
    return _on_slide(projected, scale, folder, fingerprint)


@shared_cache(maxsize=64)
def _presenters_copy(kind: str, folder: str, fingerprint: str, filters: Filters,
                     params: tuple[tuple[str, str], ...]) -> go.Figure:  # fmt: skip
    """The dashboard's figure for the presenter's window, copied once, not on every run (`copy_figure`: safe while
    other sessions read the shared figure), a long legend beside the plot (`slides.for_presenter`)."""
    figure = copy_figure(cached_figure(kind, folder, fingerprint, filters, params))
    return slides.for_presenter(figure, _slide_names(folder, fingerprint))


def _show_view(content: slides.SlideContent, loaded: Loaded, *, projected: bool = True) -> None:
    view = content.view
    assert view is not None
    folder, fingerprint = data_version()  # as this run's load() found them: no second look at every data file
    events = filtered_events(folder, fingerprint, view.filters)
    page_view = View(loaded, view.filters, events, view.filters.describe(loaded.options))
    if view.chart is None:
        from lib.views import sources

        listed, left_out = sources.first_rows(events, limit=12)
        st.dataframe(sources.events_table(listed, loaded.meta).drop(columns="id"), hide_index=True, width="stretch")
        if left_out:
            st.caption(escape_markdown(left_out))
        return
    params = tuple(sorted(view.figure_params().items()))
    if projected:
        fig, words = _projected(view.chart, folder, fingerprint, view.filters, params, screen_scale())
        with st.container(key="present_caption"):
            st.markdown(escape_markdown(words))
    else:  # the presenter's window: the dashboard's own figure (legible at this size), copied once per view
        fig = _presenters_copy(view.chart, folder, fingerprint, view.filters, params)
    config = chart_config(view.chart, page_view, map_=view.chart == "map")
    if not projected:  # the presenter's preview: a picture of the slide, drawn without hover, zoom or selection
        config = {**config, "staticPlot": True}
    with st.container(key="present_chart"):  # the app's chart element: each new chart drawn once (module docstring)
        points = plotly_element(sent_json(fig), key=f"present_chart_{content.number}", select=projected,
                                stretch=True, config=config, alt=chart_parts(fig)[1])  # fmt: skip
    from lib.views import sources

    for event_id in sources.selected_event_ids(points)[:1]:
        detail = sources.event_detail(event_id, loaded.tables, loaded.dataset, loaded.meta)
        if detail is not None:
            with st.container(border=True):
                st.markdown(f"**{escape_markdown(detail.title)}** · {escape_markdown(detail.date)}")
                for source in detail.sources[:1]:
                    st.markdown(f"> {escape_markdown(' '.join(source.quote.split()))}")
                    st.caption(escape_markdown(source.citation))


def _show_event(content: slides.SlideContent, loaded: Loaded, *, projected: bool = True) -> None:
    detail = content.event
    assert detail is not None
    left, right = st.columns([5, 4], gap="medium")  # the spotlight wide enough for its row names and a plot
    with left, st.container(key="present_event"):
        st.markdown(f"**{escape_markdown(detail.date)}** · {escape_markdown(detail.parties)} · "
                    f"{escape_markdown(detail.event_type)}")  # fmt: skip
        st.markdown(escape_markdown(detail.summary))
        shown, more = slides.quotes_that_fit(detail)
        for source in shown:
            st.markdown(f"> “{escape_markdown(' '.join(source.quote.split()))}”")
            st.caption(escape_markdown(source.citation))
            if source.url:  # not inside the caption: a link in its faded text falls below 4.5:1
                st.markdown(escape_markdown(source.url))
        if more:
            st.caption(f"{count(more, 'more source')} quoted in the dashboard: Open in Events and sources.")
    with right:
        fig, words = _spotlight(*data_version(), detail.id, screen_scale())
        with st.container(key="present_spot_caption"):
            st.markdown(escape_markdown(words))
    with right, st.container(key="present_spot"):
        plotly_element(sent_json(fig), key=f"present_spotlight_{content.number}", stretch=True,
                       config={"displaylogo": False, "staticPlot": not projected}, alt=chart_parts(fig)[1])  # fmt: skip


def _warm(briefing: Briefing, number: int, loaded: Loaded, version: tuple[str, str], scale: float,
          room: tuple[str, str] | None = None, presenter: bool = False) -> None:  # fmt: skip
    """Build slide `number`'s figure as the window will draw it (projected, or the presenter's copy) into the caches
    (in the background worker; never raises), unless the window of `room` has asked for another slide since."""
    if room is not None:
        time.sleep(PREFETCH_DELAY_S)
        if _WANTED.get(room) != number:
            return
    try:
        content = slides.slide_content(briefing, number, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
        if content.view is not None and content.view.chart is not None:
            params = tuple(sorted(content.view.figure_params().items()))
            if presenter:  # the presenter's window draws the dashboard's figure, not the projected one
                _presenters_copy(content.view.chart, *version, content.view.filters, params)
            else:
                _projected(content.view.chart, *version, content.view.filters, params, scale)
        elif content.event is not None:
            _spotlight(*version, content.event.id, scale)
    except Exception:  # noqa: BLE001 -- a background prefetch must never raise; a slide that cannot be drawn says so itself when it is shown
        _LOG.debug("prefetching slide %s failed", number, exc_info=True)


def _prefetch_next(briefing: Briefing, number: int, loaded: Loaded, room: tuple[str, str], *,
                   presenter: bool = False) -> None:  # fmt: skip
    """Ask the background worker for the next slide's figure as this window will draw it, at its scale (the
    presenter's window built the projected figure at its own scale before, which no window drew)."""
    if number < len(briefing.slides):
        _WANTED[room] = number + 1
        while len(_WANTED) > rooms.MAX_ROOMS:
            del _WANTED[next(iter(_WANTED))]
        _PREFETCH.submit(_warm, briefing, number + 1, loaded, data_version(), screen_scale(), room, presenter)


def _leave_link(content: slides.SlideContent) -> None:
    if content.view is not None:
        page, query, label = content.view.page, content.view.query(), f"Open in {PAGE_TITLES[content.view.page]}"
    else:
        page, query, label = "events", {}, "Open in Events and sources"
        st.session_state[Keys.event_pick] = content.slide.event
    script = "overview" if page == "overview" else page
    st.page_link(f"app_pages/{script}.py", label=label, query_params=query or None, icon=":material/open_in_new:",
                 help="Leave the presentation: the same view in the dashboard, with its filters and sidebar")  # fmt: skip


def _audience_bar_links(name: str, token: str, number: int) -> None:
    query = urlencode({"briefing": name, "slide": number, "view": "presenter", "room": token})
    st.link_button("Presenter view", f"?{query}", icon=":material/co_present:",
                   help="Open the presenter's window (notes, next slide, time): this window follows it")  # fmt: skip


def _next_in_words(briefing: Briefing, number: int, loaded: Loaded) -> str:
    if number >= len(briefing.slides):
        return "End of the briefing"
    following = _content(briefing, number + 1, loaded)
    where = PAGE_TITLES[following.view.page] if following.view is not None else "Event"
    shows = f"{where}: {following.filters_text}"
    return f"**{escape_markdown(following.slide.heading)}**  \n{escape_markdown(shows)}"


def _slide_list(briefing: Briefing, number: int) -> None:
    for index, slide in enumerate(briefing.slides, start=1):
        # a click is a numbered press "to slide index", answered in the browser (lib.ui.slide_keys)
        st.button(f"{index}. {slide.heading}", key=f"presenter_goto_{index}",
                  type="primary" if index == number else "secondary", width="stretch")  # fmt: skip


def _presenter(briefing: Briefing, name: str, token: str, content: slides.SlideContent, loaded: Loaded) -> None:
    """The presenter's window: the slide as projected (smaller), the next one, notes, time and every slide (in a
    folded list; open under the buttons on a large screen, LIST_OPEN_SCALE, where the column has the room)."""
    number = content.number
    now, side = st.columns([3, 2], gap="medium")
    with now, st.container(key="presenter_now"):
        with st.container(key="present_heading"):
            st.title(escape_markdown(content.slide.heading), anchor=False)
        if content.view is not None:
            _show_view(content, loaded, projected=False)  # the dashboard's own figure: legible at this size
        else:
            _show_event(content, loaded, projected=False)
    with side, st.container(key="presenter_side"):  # fitted to the screen by lib.ui.slide_keys
        st.caption("Next")
        with st.container(key="presenter_next"):
            st.markdown(_next_in_words(briefing, number, loaded))
        st.caption("Speaker notes")
        with st.container(key="presenter_notes"):
            st.markdown(escape_markdown(content.slide.notes) if content.slide.notes else "*No notes for this slide.*")
        list_open = screen_scale() >= LIST_OPEN_SCALE
        if not list_open:
            with st.expander("Every slide", expanded=False):
                _slide_list(briefing, number)
        query = urlencode({"briefing": name, "slide": number, "room": token})
        with st.container(horizontal=True, gap="small"):
            st.link_button("Audience window", f"?{query}", icon=":material/cast:",
                           help="Open the window to project: it follows this one, without the notes")  # fmt: skip
            st.button("Restart the clock", key="presenter_clock", on_click=rooms.restart_clock, args=(name, token),
                      icon=":material/timer:")  # fmt: skip
        from lib.ui.builder import deck_downloads

        with st.container(horizontal=True, gap="small"):
            deck_downloads(briefing, name, key="present")
        if list_open:
            st.caption("Every slide")
            with st.container(key="presenter_list", gap="small"):
                _slide_list(briefing, number)


def _end_screen(briefing: Briefing, name: str, token: str, presenter: bool, ack: int) -> None:
    """After the last slide: the briefing's title and the way back, nothing else."""
    count = len(briefing.slides)
    room = rooms.join(name, token, count + 1)
    rooms.listen(name, token)
    _seen().setdefault((name, token), room.version)
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="small"):
        slide_keys(briefing.title, "End", count + 1, count, ack, _press(name, token), *_bell(name, token),
                   clock=room.started if presenter else None)  # fmt: skip
        _follow(name, token)
        st.space("stretch")
        _navigation(count + 1, count)
    with st.container(key="present_end"):
        st.title("End of the briefing", anchor=False)
        st.markdown(f"**{escape_markdown(briefing.title)}**")
        if briefing.subtitle:
            st.markdown(escape_markdown(briefing.subtitle))
        st.caption("Escape or ← goes back to the last slide; Home to the first.")


def present(loaded: Loaded) -> None:
    """The presentation page: the slide the URL names, or a clear message (never a traceback)."""
    st.html(CSS)
    _forget_dashboard_view()
    name = st.query_params.get("briefing")
    if not name:
        _choose(loaded)
        return
    token = st.query_params.get("room")
    if not rooms.valid_token(token):
        token = rooms.new_token()
        st.query_params["room"] = token
    assert token is not None
    if name not in loaded.dataset.briefings:
        show_error(slides.unknown_briefing(name, list(loaded.dataset.briefings)))
        _choose(loaded)
        return
    _slide(loaded, name, token, st.query_params.get("view") == "presenter")


def _slide(loaded: Loaded, name: str, token: str, presenter: bool) -> None:
    """Everything that depends on the slide: the bar (counter and keys), the heading, the chart or event, the
    presenter's notes. Not a fragment: drawn as one (round 9), a slide with fewer quotes than the one before kept
    the older slide's extra quote on screen (tests/test_browser_present_keys.py, every shipped slide fits), and it
    showed no gain in the follow time (bench/RESULTS.md, present-follow)."""
    briefing = loaded.dataset.briefings[name]
    try:
        followed, ack = _room_slide(name, token, len(briefing.slides))
        if followed is not None:
            st.query_params["slide"] = END if followed > len(briefing.slides) else str(followed)
        if st.query_params.get("slide") == END:
            _end_screen(briefing, name, token, presenter, ack)
            return
        number = slides.slide_number(st.query_params.get("slide"), len(briefing.slides))
        content = _content(briefing, number, loaded)
    except DashboardError as error:
        show_error(error)
        st.page_link(f"app_pages/{PRESENT_PATH}.py", label="Go to the first slide",
                     query_params={"briefing": name, "slide": "1"})  # fmt: skip
        return
    if st.query_params.get("slide") != str(number):
        st.query_params["slide"] = str(number)
    room = rooms.join(name, token, number)
    rooms.listen(name, token)
    _seen().setdefault((name, token), room.version)
    count = content.count
    with st.container(key="present_bar", horizontal=True, vertical_alignment="center", gap="small"):
        # the title slide says, beside the briefing's title, whether it shows unreviewed events (issue 22); drawn by the
        # key component itself, as one element (a separate element here made a press at first sight race in tests)
        review = f" · {slides.review_words(briefing, loaded.tables, loaded.options)}" if number == 1 else ""
        slide_keys(briefing.title + review, f"Slide {number} of {count}", number, count, ack, _press(name, token),
                   *_bell(name, token), clock=room.started if presenter else None)  # fmt: skip
        _follow(name, token)
        st.space("stretch")
        _navigation(number, count)
        if not presenter:
            _audience_bar_links(name, token, number)
        _leave_link(content)
    if presenter:
        _presenter(briefing, name, token, content, loaded)
        _prefetch_next(briefing, number, loaded, (name, token), presenter=True)
        return
    with st.container(key="present_heading"):
        st.title(escape_markdown(content.slide.heading), anchor=False)
    if content.view is not None:
        _show_view(content, loaded)
    else:
        _show_event(content, loaded)
    _prefetch_next(briefing, number, loaded, (name, token))
