"""Streamlit glue, the only module in lib/ that imports streamlit: cached loaders, the shared
filter sidebar kept in the URL, and helpers that render lib's results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.errors import DashboardError, DataProblem
from lib.filters import FilterOptions, Filters, escape_markdown
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


@dataclass(frozen=True)
class Loaded:
    """The loaded data with everything derived from it once."""

    dataset: Dataset
    tables: Tables
    meta: ChartMeta
    options: FilterOptions


def _fingerprint(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the data files: editing data/ invalidates the cache."""
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@st.cache_data(show_spinner="Loading events…", max_entries=4)
def _load_cached(folder: str, fingerprint: tuple[tuple[str, int, int], ...]) -> Loaded:
    from lib.tables import build_tables

    ds = load_dataset(folder)
    tables = build_tables(ds)
    return Loaded(ds, tables, ChartMeta.from_dataset(ds), FilterOptions.from_dataset(ds, tables))


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


def sidebar_filters(loaded: Loaded) -> Filters:
    """Draw the shared filter sidebar and keep the URL in step with it.

    On a session's first run the URL's query parameters set the filters (a permalink reproduces
    the view); afterwards the widgets are the truth and the URL follows them.
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
    if st.query_params.to_dict() != query:
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


@st.cache_data(max_entries=64, show_spinner=False)
def _filtered(folder: str, fingerprint: tuple[tuple[str, int, int], ...], filters: Filters) -> pd.DataFrame:
    return filters.apply(_load_cached(folder, fingerprint).tables)


def current_view() -> View:
    """The view the sidebar describes (drawn once by dashboard.py), for pages to render."""
    loaded = load()
    filters = _filters_from_state(loaded.options)
    folder = resolve_data_dir()
    events = _filtered(str(folder), _fingerprint(folder), filters)
    return View(loaded, filters, events, filters.describe(loaded.options))
