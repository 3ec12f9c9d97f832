"""Streamlit glue, the only module in lib/ that imports streamlit: cached loaders, the shared
filter sidebar kept in the URL, and helpers that render lib's results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import copy
import dataclasses
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
import time
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import charts
from lib.errors import DashboardError, DataProblem
from lib.filters import PAGE_KEYS, FilterOptions, Filters, escape_markdown, page_choice as parse_page_choice
from lib.sources import EventDetail
from lib.load import Dataset, load_dataset
from lib.paths import data_dir as resolve_data_dir
from lib.style import ChartMeta
from lib.tables import Tables


class Keys:
    """Every st.session_state key the app uses, in one place."""

    countries = "filter_countries"
    years = "filter_years"
    actors = "filter_actors"
    types = "filter_types"
    url_applied = "filters_from_url_applied"
    url_notes = "filters_url_notes"
    selected_country = "map_selected_country"
    page_notes = "page_choice_notes"
    event_search = "events_search"
    event_pick = "events_pick"
    event_table = "events_table"
    map_chart = "map_chart"
    timeline_chart = "timeline_chart"
    stance_chart = "stance_chart"
    run_view = "view_of_this_run"

    @staticmethod
    def page_choice(key: str) -> str:
        """The widget key of a page choice kept in the URL (`rows`, `target`, `dir`, `metric`)."""
        return f"page_{key}"

    @staticmethod
    def page_choice_kept(key: str) -> str:
        """Where a page choice survives while its page is not shown (Streamlit drops unrendered widgets)."""
        return f"page_{key}_kept"


@dataclass(frozen=True)
class Loaded:
    """The loaded data with everything derived from it once."""

    dataset: Dataset
    tables: Tables
    meta: ChartMeta
    options: FilterOptions


def _fingerprint(folder: Path) -> str:
    """A digest of the data files' names, sizes and mtimes: editing data/ invalidates the cache. A short
    string, so the several cache look-ups of each rerun hash it cheaply."""
    if not folder.is_dir():
        return ""
    stats = []
    for path in folder.rglob("*"):
        try:
            info = path.stat()  # one stat per entry
        except OSError:  # e.g. a broken symlink: not a data file
            continue
        if stat.S_ISREG(info.st_mode):
            stats.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return hashlib.sha256(repr(sorted(stats)).encode("utf-8")).hexdigest()


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def _load_shared(folder: str, fingerprint: str) -> Loaded:
    """The data folder loaded once per version, shared by every session: events.yaml plus, when the
    folder holds one, the bulk `events.parquet` (its problems join the dataset's)."""
    from lib.bulk import tables_with_bulk
    from lib.tables import build_tables

    ds = load_dataset(folder)
    tables = tables_with_bulk(ds, build_tables(ds))
    return Loaded(ds, tables, ChartMeta.from_dataset(ds), FilterOptions.from_dataset(ds, tables))


def _own_copy(shared: Loaded) -> Loaded:
    """A session's own `Loaded`: the small parts copied, the tables as shallow copies. pandas'
    copy-on-write makes a change through one copy invisible in every other, without copying a
    million rows per rerun (as pickling them through st.cache_data did)."""
    t, ds = shared.tables, shared.dataset
    tables = Tables(t.events.copy(deep=False), t.event_countries.copy(deep=False), t.sources.copy(deep=False))
    # the records themselves are frozen pydantic models: copying their containers is enough
    own = dataclasses.replace(ds, articles=dict(ds.articles), actors=dict(ds.actors), countries=dict(ds.countries),
                              periods=list(ds.periods), events=list(ds.events), problems=list(ds.problems))  # fmt: skip
    return Loaded(own, tables, copy.deepcopy(shared.meta), copy.deepcopy(shared.options))


def _load_cached(folder: str, fingerprint: str) -> Loaded:
    """The loaded data folder (cached across sessions), as this caller's own copy."""
    return _own_copy(_load_shared(folder, fingerprint))


@st.cache_resource(show_spinner=False)
def warm_exports() -> bool:
    """Start the export browser (kaleido) in the background once per server process, so the first
    chart download does not wait for a browser to start. Returns whether one could be started."""
    import threading

    from lib import export

    available, _ = export.static_export_available()
    if available:
        threading.Thread(target=export.warm_up, name="kaleido-warm-up", daemon=True).start()
    return available


DOWNLOAD_GRACE_SECONDS = 120.0


@st.cache_resource(show_spinner=False)
def keep_downloads() -> bool:
    """Let a downloadable file outlive other sessions' reruns for `DOWNLOAD_GRACE_SECONDS`.

    Streamlit 1.67 keeps a download button's file (made on click for a callable, or at the rerun
    for bytes) only while some session's current run references it, and every finished script run
    of any session sweeps the rest: marked on the first sweep, deleted on the second. With several
    analysts on one server, two sweeps can land between the file being made and the browser
    fetching it, and the browser reports the download as cancelled (seen in bench/load_test.py).
    Here a downloadable file's metadata is stamped when it is made (under the manager's lock) and
    is not marked for deletion before it is that old. Returns whether the patch applies; on a
    Streamlit whose internals differ it does nothing.
    """
    from streamlit.runtime.media_file_manager import MediaFileKind, MediaFileMetadata

    if getattr(MediaFileMetadata, "_keeps_downloads", False):
        return True
    original_init, original_mark = MediaFileMetadata.__init__, getattr(MediaFileMetadata, "mark_for_delete", None)
    if original_mark is None or not hasattr(MediaFileMetadata, "kind"):
        return False

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._made_at = time.monotonic()

    def mark_for_delete(self: Any) -> None:
        young = time.monotonic() - getattr(self, "_made_at", float("-inf")) < DOWNLOAD_GRACE_SECONDS
        if self.kind == MediaFileKind.DOWNLOADABLE and young:
            return
        original_mark(self)

    MediaFileMetadata.__init__ = __init__  # type: ignore[method-assign]
    MediaFileMetadata.mark_for_delete = mark_for_delete  # type: ignore[method-assign]
    MediaFileMetadata._keeps_downloads = True  # type: ignore[attr-defined]
    return True


def load() -> Loaded:
    """The data folder ($DASHBOARD_DATA_DIR or data/), loaded and validated once per change."""
    folder = resolve_data_dir()
    return _load_cached(str(folder), _fingerprint(folder))


# ---------------------------------------------------------------------------
# filters


def _state_from_filters(filters: Filters, options: FilterOptions) -> None:
    low, high = options.years
    year_from = low if filters.year_from is None else min(max(filters.year_from, low), high)
    year_to = high if filters.year_to is None else max(min(filters.year_to, high), low)
    st.session_state[Keys.countries] = list(filters.countries)
    st.session_state[Keys.years] = (year_from, year_to)
    st.session_state[Keys.actors] = list(filters.actors)
    st.session_state[Keys.types] = list(filters.types)


def _filters_from_state(options: FilterOptions) -> Filters:
    low, high = options.years
    year_from, year_to = st.session_state.get(Keys.years, (low, high))
    return Filters(
        countries=tuple(st.session_state.get(Keys.countries, ())),
        year_from=None if year_from == low else int(year_from),
        year_to=None if year_to == high else int(year_to),
        actors=tuple(st.session_state.get(Keys.actors, ())),
        types=tuple(st.session_state.get(Keys.types, ())),
    )


def reset_filters() -> None:
    """Clear every filter (used as a button callback)."""
    options = load().options
    _state_from_filters(Filters(), options)
    st.session_state.pop(Keys.selected_country, None)


def sidebar_filters(loaded: Loaded, keep: Iterable[str] = ()) -> Filters:
    """Draw the shared filter sidebar and keep the URL in step with it.

    On a session's first run the URL's query parameters set the filters (a permalink reproduces
    the view); afterwards the widgets are the truth and the URL follows them. Page choices named in
    `keep` (the current page's own, e.g. `rows`) stay in the URL; other pages' choices are dropped.
    """
    options = loaded.options
    if not st.session_state.get(Keys.url_applied):
        parsed = Filters.from_query(st.query_params.to_dict(), options)
        notes = list(parsed.notes)
        low, high = options.years
        for key, year in (("from", parsed.year_from), ("to", parsed.year_to)):
            if year is not None and not low <= year <= high:
                notes.append(f"The '{key}' year {year} is outside the data ({low}–{high}); used the nearest year.")
        _state_from_filters(parsed, options)
        st.session_state[Keys.url_notes] = notes
        st.session_state[Keys.url_applied] = True
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Countries", list(options.countries), key=Keys.countries,
                       format_func=lambda c: options.countries.get(c, c), placeholder="All countries")  # fmt: skip
        low, high = options.years
        if low < high:
            st.slider("Years", min_value=low, max_value=high, key=Keys.years, step=1)
        st.multiselect("Actors (either side)", list(options.actors), key=Keys.actors,
                       format_func=lambda a: options.actors.get(a, a), placeholder="All actors")  # fmt: skip
        st.multiselect("Event types", list(options.types), key=Keys.types,
                       format_func=lambda t: options.types.get(t, t), placeholder="All event types")  # fmt: skip
        filters = _filters_from_state(options)
        st.button("Reset filters", on_click=reset_filters, disabled=filters.is_empty, use_container_width=False)
        for note in st.session_state.get(Keys.url_notes, []):
            st.caption(f"⚠️ {escape_markdown(note)}")
    query = filters.to_query()
    current = st.query_params.to_dict()
    query.update({k: current[k] for k in keep if k in PAGE_KEYS and k in current})
    if current != query:
        st.query_params.from_dict(query)
    return filters


# ---------------------------------------------------------------------------
# rendering helpers


def show_error(error: DashboardError) -> None:
    """Render the project's one error type: a title and what to do, never a traceback."""
    st.error(f"**{escape_markdown(error.title)}** — {escape_markdown(error.message)}")


def show_problems(problems: list[DataProblem]) -> None:
    """A "data problems" panel listing every rejected entry (file, record, field, reason)."""
    if not problems:
        return
    with st.expander(f"⚠️ Data problems: {len(problems)} entries were rejected or need attention", expanded=False):
        st.caption("The dashboard shows the valid events. Fix these in the data folder, or run "
                   "`python -m lib.validate` for the same list.")  # fmt: skip
        frame = pd.DataFrame(
            [{"file": p.file, "entry": p.record or "", "field": p.field or "", "problem": p.message} for p in problems]
        )
        st.dataframe(frame, hide_index=True, width="stretch")


def page_start(title: str) -> View:
    """Open a page: its title, the "Showing: …" line, and, when no events match, the empty state
    with a reset (the page stops there). Returns the current view."""
    view = st.session_state.pop(Keys.run_view, None)  # this run's only: a kept view would hold its events
    if not isinstance(view, View) or view.filters != _filters_from_state(view.loaded.options):
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


@dataclass(frozen=True)
class View:
    """What a page needs: the loaded data, the active filters, the filtered events and the subtitle."""

    loaded: Loaded
    filters: Filters
    events: pd.DataFrame
    subtitle: str


@st.cache_resource(max_entries=64, show_spinner=False)
def _mask(folder: str, fingerprint: str, filters: Filters) -> np.ndarray:
    """Which events a view keeps (read-only; one byte per event, so cheap to keep many)."""
    mask = filters.mask(_load_shared(folder, fingerprint).tables)
    mask.flags.writeable = False
    return mask


def _filtered(folder: str, fingerprint: str, filters: Filters) -> pd.DataFrame:
    """The events of a view: a fresh frame per call (selecting rows costs less than unpickling them)."""
    return _load_shared(folder, fingerprint).tables.events[_mask(folder, fingerprint, filters)]


def share_view(view: View) -> None:
    """Hand the view dashboard.py worked out to this run's page (page_start), so the events are
    filtered once per rerun; a page whose filters differ works out its own."""
    st.session_state[Keys.run_view] = view


def current_view() -> View:
    """The view the sidebar describes (drawn once by dashboard.py), for pages to render."""
    loaded = load()
    filters = _filters_from_state(loaded.options)
    folder = resolve_data_dir()
    events = _filtered(str(folder), _fingerprint(folder), filters)
    return View(loaded, filters, events, filters.describe(loaded.options))


# ---------------------------------------------------------------------------
# page choices kept in the URL


def page_choice(
    key: str, label: str, options: Mapping[str, str], default: str, *, widget: str = "radio", help: str | None = None
) -> str:
    """A page-level control whose value also lives in the URL (`?rows=country`).

    The first time the page is shown in a session its value comes from the URL (a bad value is
    ignored with a visible note); afterwards the widget is the truth and the URL follows it.
    """
    state_key, kept_key = Keys.page_choice(key), Keys.page_choice_kept(key)
    notes: dict[str, str] = st.session_state.setdefault(Keys.page_notes, {})
    if default not in options and options:
        default = next(iter(options))
    if st.session_state.get(state_key) not in options:
        kept = st.session_state.get(kept_key)
        if kept in options and key not in st.query_params:
            value = kept
        else:
            value, note = parse_page_choice(st.query_params.to_dict(), key, options, default)
            if note:
                notes[key] = note
        st.session_state[state_key] = value

    def remember() -> None:
        st.session_state[kept_key] = st.session_state[state_key]
        notes.pop(key, None)

    labels = list(options)
    if widget == "radio":
        value = st.radio(label, labels, key=state_key, format_func=lambda v: options.get(v, v), horizontal=True,
                         on_change=remember, help=help)  # fmt: skip
    else:
        value = st.selectbox(label, labels, key=state_key, format_func=lambda v: options.get(v, v),
                             on_change=remember, help=help)  # fmt: skip
    st.session_state[kept_key] = value
    if key in notes:
        st.caption(f"⚠️ {escape_markdown(notes[key])}")
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    return str(value)


# ---------------------------------------------------------------------------
# charts


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


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(
    kind: str, folder: str, fingerprint: str, filters: Filters,
    params: tuple[tuple[str, str], ...],
) -> go.Figure:  # fmt: skip
    """Built once per (data, view, choices) and shared by every session, so never modified after this:
    st.plotly_chart and the download buttons only read it (they serialise a copy)."""
    loaded = _load_shared(folder, fingerprint)
    events = _filtered(folder, fingerprint, filters)
    return charts.figure_for(kind, events, loaded.tables, loaded.meta,  # type: ignore[arg-type]
                             subtitle=filters.describe(loaded.options), **dict(params))  # fmt: skip


def figure(kind: str, view: View, **params: str) -> go.Figure:
    """A dashboard figure for the current view, built once per (data, filters, page choices).

    The figure is shared with other sessions: draw it, never change it (copy with go.Figure(fig) first)."""
    folder = resolve_data_dir()
    return _figure(kind, str(folder), _fingerprint(folder), view.filters, tuple(sorted(params.items())))


@dataclass(frozen=True)
class OverviewParts:
    """What the overview shows besides its charts, for one view."""

    numbers: dict[str, object]
    span: tuple[str, str]
    periods: pd.DataFrame
    articles: pd.DataFrame


@st.cache_resource(max_entries=64, show_spinner=False)
def _overview_parts(folder: str, fingerprint: str, filters: Filters) -> OverviewParts:
    from lib import aggregate, sources

    loaded = _load_shared(folder, fingerprint)
    events = _filtered(folder, fingerprint, filters)
    return OverviewParts(aggregate.key_numbers(events, loaded.tables), aggregate.date_span(events) or ("", ""),
                         aggregate.period_counts(events, loaded.meta.periods),
                         sources.articles_table(loaded.dataset, loaded.tables, events))  # fmt: skip


def overview_parts(view: View) -> OverviewParts:
    """The overview's key numbers, date span, periods and articles for the view, computed once per
    (data, filters) like the figures; the tables are this caller's own copies."""
    folder = resolve_data_dir()
    shared = _overview_parts(str(folder), _fingerprint(folder), view.filters)
    return dataclasses.replace(shared, numbers=dict(shared.numbers), periods=shared.periods.copy(),
                               articles=shared.articles.copy())  # fmt: skip


@st.cache_resource(max_entries=2, show_spinner=False)
def _stance_targets(folder: str, fingerprint: str) -> tuple[str, ...]:
    from lib import aggregate

    return tuple(aggregate.stance_targets(_load_shared(folder, fingerprint).tables.events))


def stance_targets() -> list[str]:
    """Actors with any stance between two actors in the data (not only the view), most involved first."""
    folder = resolve_data_dir()
    return list(_stance_targets(str(folder), _fingerprint(folder)))


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


# ---------------------------------------------------------------------------
# events and sources


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


# --- exports
# Download buttons for charts, data and the briefing pack. The work happens in lib/export.py and
# lib/briefing.py; files are built only when a button is clicked (Streamlit runs the callable in a
# worker thread) and cached by figure JSON and format.


class ExportKeys:
    """st.session_state keys of the export helpers."""

    briefing = "briefing_pack"


@st.cache_data(max_entries=256, show_spinner=False)
def _chart_file(fig_json: str, fmt: str, source_line: str, exported_on: str, stem: str) -> bytes:
    import plotly.io as pio

    from lib import export

    return export.export_figure(pio.from_json(fig_json), fmt, source_line=source_line, exported_on=exported_on,
                                stem=stem)  # fmt: skip


def _chart_file_later(fig: go.Figure, fmt: str, source_line: str, exported_on: str, stem: str) -> bytes:
    """Called on click (in Streamlit's worker thread): the figure is serialised only then."""
    return _chart_file(fig.to_json(), fmt, source_line, exported_on, stem)


def _export_date() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def chart_downloads(fig: go.Figure, stem: str, view: View, *, key: str | None = None) -> None:
    """A compact row of download buttons under a chart: PNG (2x, slide-sized), SVG, PDF and an
    offline interactive HTML, each carrying the chart's title, filters, source line and export date.

    Without Chrome/Chromium on the server the static buttons are disabled and say how to install one.
    """
    import functools

    from lib import export

    stem = export.clean_stem(stem)
    source_line = view.loaded.meta.source_line(export.source_articles(view.events, view.loaded.tables))
    available, why = export.static_export_available()
    labels = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "html": "Interactive HTML"}
    with st.container(horizontal=True, gap="small"):
        for fmt in export.FORMATS:
            usable = available or fmt not in export.STATIC_FORMATS
            st.download_button(
                labels[fmt], data=functools.partial(_chart_file_later, fig, fmt, source_line, _export_date(), stem),
                file_name=f"{stem}.{fmt}", mime=export.MIME_TYPES[fmt], key=f"export_{key or stem}_{fmt}",
                on_click="ignore", icon=":material/download:", disabled=not usable,
                help=f"Download {stem}.{fmt}" if usable else why,
            )  # fmt: skip
    if not available:
        st.caption(escape_markdown(why))


@st.cache_data(max_entries=32, show_spinner=False)
def _events_file(folder: str, fingerprint: str, filters: Filters, fmt: str,
                 exported_on: str) -> bytes:  # fmt: skip
    from lib import export

    loaded = _load_cached(folder, fingerprint)
    events = _filtered(folder, fingerprint, filters)
    frame = export.events_export_frame(events, loaded.tables, loaded.dataset, loaded.meta)
    if fmt == "csv":
        return export.events_csv(frame)
    source_line = loaded.meta.source_line(export.source_articles(events, loaded.tables))
    about = export.export_about(filters, filters.describe(loaded.options), source_line, exported_on)
    return export.events_xlsx(frame, about=about)


def data_downloads(view: View, *, key: str = "events") -> None:
    """CSV (UTF-8 with BOM) and Excel downloads of the filtered events with quotes and citations."""
    import functools

    from lib import export

    folder = resolve_data_dir()
    fingerprint = _fingerprint(folder)
    filters = view.filters.without_notes()
    with st.container(horizontal=True, gap="small"):
        for fmt, label in (("csv", "Events as CSV"), ("xlsx", "Events as Excel")):
            name = export.file_name("events", filters, fmt)
            st.download_button(
                label, data=functools.partial(_events_file, str(folder), fingerprint, filters, fmt, _export_date()),
                file_name=name, mime=export.MIME_TYPES[fmt], key=f"export_{key}_{fmt}", on_click="ignore",
                icon=":material/table_view:", disabled=view.events.empty,
                help=f"Download {name}: {len(view.events)} events with their quotes and article citations",
            )  # fmt: skip


def briefing_button(view: View, *, key: str = "briefing") -> None:
    """One button that builds the briefing pack of the current view (PDF and offline HTML), with
    progress, then offers both for download. A pack built for other filters is not offered."""
    from lib import briefing, export

    filters = view.filters.without_notes()
    stored = st.session_state.get(ExportKeys.briefing)
    if st.button("Build briefing pack", key=f"{key}_build", icon=":material/picture_as_pdf:",
                 help="A PDF and an offline HTML of this view: filters, key numbers, the timeline, the stance "
                      "toward the Taliban, the map, and every event with its quotes and sources."):  # fmt: skip
        with st.status("Building the briefing pack…", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")
            available, why = export.static_export_available()
            if not available:
                st.caption(escape_markdown(f"The PDF will have no chart images. {why}"))

            def report(share: float, offset: float) -> briefing.Progress:
                return lambda fraction, message: bar.progress(min(1.0, offset + share * fraction), text=message)

            try:
                pdf = briefing.build_pack(view, "pdf", report(0.8, 0.0))
                page = briefing.build_pack(view, "html", report(0.2, 0.8))
            except DashboardError as error:
                status.update(label="The briefing pack could not be built", state="error")
                show_error(error)
                return
            status.update(label="Briefing pack ready", state="complete", expanded=False)
        stored = {"filters": filters, "pdf": pdf, "html": page}
        st.session_state[ExportKeys.briefing] = stored
    if stored and stored["filters"] == filters:
        with st.container(horizontal=True, gap="small"):
            for fmt, label in (("pdf", "Briefing pack (PDF)"), ("html", "Briefing pack (HTML, works offline)")):
                name = briefing.pack_file_name(filters, fmt)
                st.download_button(label, data=stored[fmt], file_name=name, mime=export.MIME_TYPES[fmt],
                                   key=f"{key}_{fmt}", on_click="ignore", icon=":material/download:",
                                   help=f"Download {name}")  # fmt: skip
