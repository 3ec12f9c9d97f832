"""Cached loaders: the data folder, a view's events, figures and the overview's parts, each built once per
(data version, view) and shared across sessions (the data with st.cache_resource, the rest with `shared_cache`).
Every cached function is a thin wrapper over a Streamlit-free function in lib."""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from lib.model.dataset import Dataset
from lib.model.filters import FilterOptions, Filters
from lib.model.fingerprint import watched_fingerprint
from lib.model.names import NameIndex
from lib.model.tables import Tables
from lib.paths import DATA_DIR_ENV
from lib.paths import data_dir as resolve_data_dir
from lib.ui.keys import Keys
from lib.views import charts
from lib.views.search import Found, SearchIndex, found, search_mask
from lib.views.style import ChartMeta

T = TypeVar("T")
# A view's filters in a Streamlit cache key (`st.cache_data` for downloads): their repr (every field, each a string,
# number, bool or tuple of them), not Streamlit's hash of a dataclass, which copies it field by field (asdict): 6
# against 110 us per look-up (bench/RESULTS.md, issue 24 round 16).
FILTERS_HASH = {Filters: repr}


def shared_cache(maxsize: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """As `st.cache_resource` for work keyed by hashable arguments (a view's filters, page choices), shared by every
    session, the `maxsize` keys used last kept: `functools.lru_cache`. Its look-up is a dict access; Streamlit's
    hashed every argument and cost about 0.25 ms in a rerun, several times per rerun of every page (bench/RESULTS.md,
    issue 24 round 17). Two sessions asking for the same new key at once may both build it; both get a correct
    result. Not for functions that draw (Streamlit replays those) or need a spinner (`load_shared`)."""
    return functools.lru_cache(maxsize=maxsize)


@dataclass(frozen=True)
class Loaded:
    """The loaded data with everything derived from it once."""

    dataset: Dataset
    tables: Tables
    meta: ChartMeta
    options: FilterOptions


def data_fingerprint(folder: Path) -> str:
    """The data folder's version: a digest of its files' names, sizes and mtimes, so editing data/ invalidates the
    caches. Asked on every rerun; the folder is walked again only when it may have changed
    (`lib.model.fingerprint.watched_fingerprint`: inotify on Linux, else a walk every time)."""
    return watched_fingerprint(folder)


@st.cache_resource(show_spinner="Loading events…", max_entries=2)
def load_shared(folder: str, fingerprint: str) -> Loaded:
    """The data folder loaded once per version, shared by every session: events.yaml plus, when the
    folder holds one, the bulk `events.parquet` (its problems join the dataset's; `lib.model.data_folder`)."""
    from lib.model.data_folder import load_folder
    from lib.ui.server import long_lived_load

    with long_lived_load():  # kept out of the garbage collector's passes: it lives as long as its version is shown
        ds, tables = load_folder(folder)
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


def load_copy(folder: str, fingerprint: str) -> Loaded:
    """The loaded data folder (cached across sessions), as this caller's own copy."""
    return _own_copy(load_shared(folder, fingerprint))


@dataclass(frozen=True, eq=False)
class RunData:
    """What `load()` found for this session: the folder (and the `$DASHBOARD_DATA_DIR` it came from), its
    fingerprint, and the session's own copy of that version of the shared data."""

    folder: str
    setting: str | None
    fingerprint: str
    loaded: Loaded


def load() -> Loaded:
    """The data folder ($DASHBOARD_DATA_DIR or data/), loaded and validated once per change, as this caller's
    own copy. dashboard.py calls it first in every run: the folder is looked at once there, and the rest of
    the run (`data_version`, `run_loaded`) uses what it found. The copy is made once per session and version
    of the data, not per rerun (the shared data never changes, and no page changes its copy): a rerun on the
    version this session already holds makes no cache look-up at all."""
    folder = resolve_data_dir()
    fingerprint = data_fingerprint(folder)
    setting = os.environ.get(DATA_DIR_ENV)
    kept = st.session_state.get(Keys.run_data)
    if isinstance(kept, RunData) and (kept.folder, kept.fingerprint) == (str(folder), fingerprint):
        if kept.setting != setting:
            st.session_state[Keys.run_data] = dataclasses.replace(kept, setting=setting)
        return kept.loaded
    loaded = _own_copy(load_shared(str(folder), fingerprint))
    st.session_state[Keys.run_data] = RunData(str(folder), setting, fingerprint, loaded)
    return loaded


def _kept_run_data() -> RunData | None:
    """This session's `RunData` if the data folder setting has not changed since (no path resolved: it is
    asked several times per rerun)."""
    kept = st.session_state.get(Keys.run_data)
    if isinstance(kept, RunData) and kept.setting == os.environ.get(DATA_DIR_ENV):
        return kept
    return None


def data_version() -> tuple[str, str]:
    """The data folder and its fingerprint as this run's `load()` found them (a fragment's rerun keeps its
    page's data); looked up afresh when nothing was loaded yet. Saves stat-ing every data file once per
    figure, table and look-up of a rerun."""
    kept = _kept_run_data()
    if kept is not None:
        return kept.folder, kept.fingerprint
    folder = resolve_data_dir()
    return str(folder), data_fingerprint(folder)


def run_loaded() -> Loaded:
    """This run's own copy of the loaded data (made by `load()` at the top of the run), else a new one."""
    kept = _kept_run_data()
    return kept.loaded if kept is not None else load()


@dataclass(frozen=True)
class View:
    """What a page needs: the loaded data, the active filters, the filtered events and the subtitle."""

    loaded: Loaded
    filters: Filters
    events: pd.DataFrame
    subtitle: str


@shared_cache(maxsize=64)
def _mask(folder: str, fingerprint: str, filters: Filters) -> np.ndarray:
    """Which events a view keeps (read-only; one byte per event, so cheap to keep many)."""
    mask = filters.mask(load_shared(folder, fingerprint).tables)
    mask.flags.writeable = False
    return mask


VIEWS_KEPT = 4  # the views whose rows are kept: for every session (`_view_events`), and by each (`session_rows`)


@shared_cache(maxsize=VIEWS_KEPT)
def _view_events(folder: str, fingerprint: str, filters: Filters) -> pd.DataFrame:
    """A view's rows, selected once per (data, view) for the few views used last (a page change, a fragment's
    rerun and the page's own look-ups repeat the view; at a million events each selection is a copy of the rows,
    so only four are kept). The whole table when the view keeps every event (no copy at all)."""
    events = load_shared(folder, fingerprint).tables.events
    mask = _mask(folder, fingerprint, filters)
    return events if mask.all() else events[mask]


def filtered_events(folder: str, fingerprint: str, filters: Filters) -> pd.DataFrame:
    """The events of a view, as this caller's own frame: a shallow copy of the view's rows (`_view_events`), which
    pandas' copy-on-write keeps apart from every other copy, so selecting the rows is not paid per call."""
    return _view_events(folder, fingerprint, filters).copy(deep=False)


def year_span_state(options: FilterOptions) -> tuple[int, int]:
    """The years slider's (from, to) as session state holds it, or the whole span when it holds no pair: Streamlit
    drops a widget's state after a run that did not draw it, and the slider then comes back with one handle
    (an int), which once broke a benchmark run's navigation (bench/RESULTS.md, issue 24 round 5)."""
    low, high = options.years
    years = st.session_state.get(Keys.years)
    if isinstance(years, (tuple, list)) and len(years) == 2:
        return int(years[0]), int(years[1])
    return low, high


def filters_from_state(options: FilterOptions) -> Filters:
    """The filters the sidebar widgets hold now (the URL's on a session's first run)."""
    low, high = options.years
    year_from, year_to = year_span_state(options)
    whole_span = (year_from, year_to) == (low, high)  # else both ends go into the URL: it must not widen later
    return Filters(
        countries=tuple(st.session_state.get(Keys.countries, ())),
        year_from=None if whole_span else int(year_from),
        year_to=None if whole_span else int(year_to),
        actors=tuple(st.session_state.get(Keys.actors, ())),
        types=tuple(st.session_state.get(Keys.types, ())),
        reviewed=bool(st.session_state.get(Keys.reviewed, False)),
    )


def share_view(view: View) -> None:
    """Hand the view dashboard.py worked out to this run's page (page_start), so the events are
    filtered once per rerun; a page whose filters differ works out its own."""
    st.session_state[Keys.run_view] = view


def session_rows(folder: str, fingerprint: str, filters: Filters) -> pd.DataFrame:
    """This session's own copy of a view's rows (`filtered_events`), kept for the few views of this version of the
    data it showed last: a rerun on one of them (a page change, a filter set back) makes no copy, which took 0.1 to
    0.4 ms of a rerun (bench/RESULTS.md, issue 24 round 17). Another version's copies are dropped at once, so an
    idle session does not hold old data."""
    kept = st.session_state.get(Keys.view_rows)
    if not isinstance(kept, dict) or any(key[:2] != (folder, fingerprint) for key in kept):
        kept = st.session_state[Keys.view_rows] = {}
    key = (folder, fingerprint, filters)
    events = kept.pop(key, None)
    if events is None:
        events = filtered_events(folder, fingerprint, filters)
    kept[key] = events  # the last used last
    while len(kept) > VIEWS_KEPT:
        del kept[next(iter(kept))]
    return events


def current_view() -> View:
    """The view the sidebar describes (drawn once by dashboard.py), for pages to render."""
    loaded = run_loaded()
    filters = filters_from_state(loaded.options)
    events = session_rows(*data_version(), filters)
    return View(loaded, filters, events, filters.describe(loaded.options))


@st.cache_resource(max_entries=2, show_spinner="Indexing the events for search…")
def _search_index(folder: str, fingerprint: str) -> SearchIndex:
    loaded = load_shared(folder, fingerprint)
    return SearchIndex.build(loaded.tables, loaded.meta, NameIndex(loaded.dataset.actors, loaded.dataset.countries))


@shared_cache(maxsize=64)
def _search_mask(folder: str, fingerprint: str, filters: Filters, query: str) -> np.ndarray:
    """Which of a view's events a query finds (read-only; reruns with the same query, such as opening an
    event, cost nothing)."""
    mask = search_mask(filtered_events(folder, fingerprint, filters), _search_index(folder, fingerprint), query)
    mask.flags.writeable = False
    return mask


def search_events(view: View, query: str, limit: int) -> Found:
    """How many of the view's events `query` finds (`lib.views.search.search`) and the first `limit` of them: the
    index is built once per version of the data and shared by every session, so a search at a million
    events matches distinct values, not rows."""
    if not query.split() or view.events.empty:
        return Found(len(view.events), view.events.head(limit))
    return found(view.events, _search_mask(*data_version(), view.filters, query.strip()), limit)


@dataclass(frozen=True)
class EventListing:
    """What the events page lists for a view and a search: how many events were found, the note when some are
    left out, each listed event's label, the listed events' ids in the table's order, and the table to draw (the
    first of them, without ids, as Arrow). Every part is immutable, so one listing is shared by every session."""

    count: int
    left_out: str
    labels: Mapping[str, str]
    ids: tuple[str, ...]
    shown: pa.Table


@shared_cache(maxsize=64)
def _event_listing(folder: str, fingerprint: str, filters: Filters, query: str, limit: int) -> EventListing:
    from lib.views import sources

    events = filtered_events(folder, fingerprint, filters)
    if query.split() and not events.empty:
        hits = found(events, _search_mask(folder, fingerprint, filters, query), limit)
    else:
        hits = Found(len(events), events.head(limit))
    listed, left_out = sources.first_rows(hits.first, limit, total=hits.count)
    table = sources.events_table(listed, load_shared(folder, fingerprint).meta)
    labels = dict(zip(table["id"], (f"{d} — {t}" for d, t in zip(table["date"], table["title"], strict=True)),
                      strict=True))  # fmt: skip
    # the page's st.dataframe gets Arrow: converting the frame took most of a rerun's time in st.dataframe
    shown = pa.Table.from_pandas(table.drop(columns="id"), preserve_index=False)
    return EventListing(hits.count, left_out, MappingProxyType(labels), tuple(table["id"]), shown)


def event_listing(view: View, query: str, limit: int) -> EventListing:
    """The events page's table for the view and the search `query` (`search_events`, then the first `limit`
    rows as a reader's table), made once per (data, view, query) and shared as it is (it is immutable): a rerun that
    changes neither, such as opening an event, costs a look-up."""
    return _event_listing(*data_version(), view.filters, query.strip(), limit)


@shared_cache(maxsize=128)
def cached_figure(
    kind: str, folder: str, fingerprint: str, filters: Filters,
    params: tuple[tuple[str, str], ...],
) -> go.Figure:  # fmt: skip
    """Built once per (data, view, choices) and shared by every session, so never modified after this:
    the chart element and the download buttons only read it (they serialise a copy)."""
    loaded = load_shared(folder, fingerprint)
    events = filtered_events(folder, fingerprint, filters)
    return charts.figure_for(kind, events, loaded.tables, loaded.meta,  # type: ignore[arg-type]
                             subtitle=filters.describe(loaded.options), **dict(params))  # fmt: skip


@shared_cache(maxsize=64)
def _decluttered_figure(
    kind: str, folder: str, fingerprint: str, filters: Filters, params: tuple[tuple[str, str], ...],
    size: tuple[float, float],
) -> go.Figure:  # fmt: skip
    """A copy of the shared figure with its map labels placed clear of each other for a map `size` pixels."""
    from lib.views import map_labels
    from lib.views.shared_figures import copy_figure

    fig = copy_figure(cached_figure(kind, folder, fingerprint, filters, params))
    return map_labels.declutter(fig, *size)


def decluttered_figure(kind: str, view: View, size: tuple[float, float], **params: str) -> go.Figure:
    """`figure`, its country labels placed clear of each other for a map drawn `size` (width, height) pixels,
    legend aside: at any larger size they stay clear. Shared as `figure` is: never change it."""
    return _decluttered_figure(kind, *data_version(), view.filters, tuple(sorted(params.items())), size)


@shared_cache(maxsize=64)
def _folded_figure(
    kind: str, folder: str, fingerprint: str, filters: Filters, params: tuple[tuple[str, str], ...],
) -> go.Figure:  # fmt: skip
    from lib.views.fold import fold_series
    from lib.views.shared_figures import copy_figure

    return fold_series(copy_figure(cached_figure(kind, folder, fingerprint, filters, params)), retitle=False)


def folded_figure(kind: str, view: View, **params: str) -> go.Figure:
    """`figure` with at most 8 actors' lines (the busiest); the others' events are grey markers with their hover,
    so a legend of 30 actors does not take the chart's room. Shared as `figure` is: never change it."""
    return _folded_figure(kind, *data_version(), view.filters, tuple(sorted(params.items())))


def figure(kind: str, view: View, **params: str) -> go.Figure:
    """A dashboard figure for the current view, built once per (data, filters, page choices).

    The figure is shared with other sessions: draw it, never change it (copy with go.Figure(fig) first)."""
    return cached_figure(kind, *data_version(), view.filters, tuple(sorted(params.items())))


@dataclass(frozen=True)
class OverviewParts:
    """What the overview shows besides its charts, for one view."""

    numbers: dict[str, object]
    span: tuple[str, str]
    periods: pd.DataFrame
    articles: pd.DataFrame
    coverage: pd.DataFrame  # the whole table's articles and events per year, gaps marked (not the view's)


@shared_cache(maxsize=64)
def _overview_parts(folder: str, fingerprint: str, filters: Filters) -> OverviewParts:
    from lib.views import aggregate, coverage, sources

    loaded = load_shared(folder, fingerprint)
    events = filtered_events(folder, fingerprint, filters)
    covered = coverage.coverage([a.published for a in loaded.dataset.articles.values()], loaded.tables.events["date"])
    return OverviewParts(aggregate.key_numbers(events, loaded.tables), aggregate.date_span(events) or ("", ""),
                         aggregate.period_counts(events, loaded.meta.periods),
                         sources.articles_table(loaded.dataset, loaded.tables, events), covered)  # fmt: skip


def overview_parts(view: View) -> OverviewParts:
    """The overview's key numbers, date span, periods and articles for the view, computed once per
    (data, filters) like the figures; the tables are this caller's own copies."""
    shared = _overview_parts(*data_version(), view.filters)
    return dataclasses.replace(shared, numbers=dict(shared.numbers), periods=shared.periods.copy(),
                               articles=shared.articles.copy(), coverage=shared.coverage.copy())  # fmt: skip


@shared_cache(maxsize=2)
def _stance_targets(folder: str, fingerprint: str) -> tuple[str, ...]:
    from lib.views import aggregate

    return tuple(aggregate.stance_targets(load_shared(folder, fingerprint).tables.events))


def stance_targets() -> list[str]:
    """Actors with any stance between two actors in the data (not only the view), most involved first."""
    return list(_stance_targets(*data_version()))
