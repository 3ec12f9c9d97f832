"""The shared filter sidebar and the page choices, both kept in the URL (a permalink reproduces the view)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from lib.model.filters import PAGE_KEYS, FilterOptions, Filters, escape_markdown
from lib.model.filters import page_choice as parse_page_choice
from lib.ui.cached import Loaded, filters_from_state, load, year_span_state
from lib.ui.drafts import PARAM as DRAFT_PARAM
from lib.ui.keys import Keys
from lib.ui.names import find_by_name
from lib.wording import year_range


def _state_from_filters(filters: Filters, options: FilterOptions) -> None:
    low, high = options.years
    year_from = low if filters.year_from is None else min(max(filters.year_from, low), high)
    year_to = high if filters.year_to is None else max(min(filters.year_to, high), low)
    st.session_state[Keys.countries] = list(filters.countries)
    st.session_state[Keys.years] = (year_from, year_to)
    st.session_state[Keys.actors] = list(filters.actors)
    st.session_state[Keys.types] = list(filters.types)
    st.session_state[Keys.reviewed] = filters.reviewed


def reset_filters() -> None:
    """Clear every filter (used as a button callback)."""
    options = load().options
    _state_from_filters(Filters(), options)
    st.session_state.pop(Keys.selected_country, None)


def apply_url_filters(options: FilterOptions) -> None:
    """On a session's first run, let the URL's query parameters set the filters' state (a permalink reproduces
    the view), noting what could not be used; later runs leave the state to the widgets. `sidebar_filters` calls
    it too, so the page can be drawn before the sidebar's widgets (dashboard.py)."""
    if st.session_state.get(Keys.url_applied):
        return
    parsed = Filters.from_query({k: v for k, v in st.query_params.to_dict().items() if k != DRAFT_PARAM}, options)
    notes = list(parsed.notes)
    low, high = options.years
    for key, year in (("from", parsed.year_from), ("to", parsed.year_to)):
        if year is not None and not low <= year <= high:
            notes.append(f"The '{key}' year {year} is outside the data ({year_range(low, high)}); used the nearest year.")
    _state_from_filters(parsed, options)
    st.session_state[Keys.url_notes] = notes
    st.session_state[Keys.url_applied] = True


def sidebar_filters(loaded: Loaded, keep: Iterable[str] = ()) -> Filters:
    """Draw the shared filter sidebar and keep the URL in step with it.

    On a session's first run the URL's query parameters set the filters (a permalink reproduces
    the view); afterwards the widgets are the truth and the URL follows them. Page choices named in
    `keep` (the current page's own, e.g. `rows`) stay in the URL; other pages' choices are dropped.
    """
    options = loaded.options
    apply_url_filters(options)
    with st.sidebar:
        st.header("Filters")
        find_by_name(loaded)
        st.multiselect("Countries", list(options.countries), key=Keys.countries,
                       format_func=lambda c: options.countries.get(c, c), placeholder="All countries")  # fmt: skip
        low, high = options.years
        if low < high:
            span = year_span_state(options)
            if st.session_state.get(Keys.years) != span:  # lost or one-ended: a range again
                st.session_state[Keys.years] = span
            st.slider("Years", min_value=low, max_value=high, key=Keys.years, step=1)
        st.multiselect("Actors (either side)", list(options.actors), key=Keys.actors,
                       format_func=lambda a: options.actors.get(a, a), placeholder="All actors")  # fmt: skip
        st.multiselect("Event types", list(options.types), key=Keys.types,
                       format_func=lambda t: options.types.get(t, t), placeholder="All event types")  # fmt: skip
        if st.session_state.get(Keys.reviewed) or options.review_marks:
            st.checkbox("Reviewed events only", key=Keys.reviewed,
                        help="Leave out events a reviewer has not accepted yet (proposed or returned)")  # fmt: skip
        filters = filters_from_state(options)
        st.button("Reset filters", key=Keys.reset_filters, on_click=reset_filters, disabled=filters.is_empty)
        notes = st.session_state.get(Keys.url_notes, [])
        if notes:  # one element for every note, not one each
            st.caption("  \n".join(f"⚠️ {escape_markdown(note)}" for note in notes))
    query = filters.to_query()
    current = st.query_params.to_dict()
    query.update({k: current[k] for k in keep if k in PAGE_KEYS and k in current})
    if DRAFT_PARAM in current:  # the briefing draft rides along in the URL (lib.ui.drafts)
        query[DRAFT_PARAM] = current[DRAFT_PARAM]
    if current != query:
        st.query_params.from_dict(query)
    return filters


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
