"""The bare-Streamlit floor of the events page for `bench server`: the same elements, nothing worked out per rerun.

The app's events page, rerun after a sidebar change, sends the navigation, the sidebar's widgets (with the same
options and keys), the page's title and caption, the search box, the table (the same Arrow table), its captions and
the two download buttons. This script sends the same elements with every value computed once and kept (the data,
the options, the table of each view): no data check, no filtering, no caching look-ups, no URL, no styles, no
briefing draft. The app's events page at 3x an empty script is only reachable if this is well below it.
"""

import streamlit as st

from lib.model.filters import Filters
from lib.ui.cached import Loaded, load_copy
from lib.ui.keys import Keys
from lib.ui.lists import EVENT_TABLE_COLUMNS
from lib.views import sources

PAGES = ("overview", "timeline", "stance", "map", "events", "briefings", "present")


@st.cache_resource
def _loaded() -> Loaded:
    from lib.paths import data_dir
    from lib.ui.cached import data_fingerprint

    folder = data_dir()
    return load_copy(str(folder), data_fingerprint(folder))


@st.cache_resource
def _tables() -> dict:
    """Each view's listing, made the first time the view is shown (the benchmark's warm-up shows every one)."""
    return {}


def _listing(state: tuple) -> tuple:
    tables = _tables()
    if state not in tables:
        import pyarrow as pa

        loaded = _loaded()
        countries, years, actors, types = state
        low, high = loaded.options.years
        whole = tuple(years) == (low, high)
        filters = Filters(countries=countries, actors=actors, types=types,
                          year_from=None if whole else years[0], year_to=None if whole else years[1])  # fmt: skip
        events = loaded.tables.events[filters.mask(loaded.tables)]
        listed, left_out = sources.first_rows(events.head(sources.TABLE_ROW_LIMIT), sources.TABLE_ROW_LIMIT,
                                              total=len(events))  # fmt: skip
        table = sources.events_table(listed, loaded.meta)
        tables[state] = (len(events), left_out, pa.Table.from_pandas(table.drop(columns="id"), preserve_index=False))
    return tables[state]


def events_page() -> None:
    """The events page's elements."""
    loaded = _loaded()
    options = loaded.options
    with st.sidebar:
        st.button("Add this view to a briefing", key="briefing_add_view", icon=":material/add_to_photos:",
                  width="stretch", help="Adds this page as a slide")  # fmt: skip
        st.header("Filters")
        st.text_input("Find an actor or country by any name", key=Keys.name_search, placeholder="e.g. Taleban")
        st.multiselect("Countries", list(options.countries), key=Keys.countries,
                       format_func=lambda c: options.countries.get(c, c), placeholder="All countries")  # fmt: skip
        low, high = options.years
        if low < high:  # as the app: no slider over a single year
            st.session_state.setdefault(Keys.years, (low, high))  # a range, as the app keeps (year_span_state)
            st.slider("Years", min_value=low, max_value=high, key=Keys.years, step=1)
        st.multiselect("Actors (either side)", list(options.actors), key=Keys.actors,
                       format_func=lambda a: options.actors.get(a, a), placeholder="All actors")  # fmt: skip
        st.multiselect("Event types", list(options.types), key=Keys.types,
                       format_func=lambda t: options.types.get(t, t), placeholder="All event types")  # fmt: skip
        st.button("Reset filters", key=Keys.reset_filters)
        st.subheader("Briefing pack", anchor=False, divider="gray")
        st.button("Build briefing pack", key="briefing_build", icon=":material/picture_as_pdf:")
    state = (tuple(st.session_state.get(Keys.countries, ())), tuple(st.session_state.get(Keys.years, options.years)),
             tuple(st.session_state.get(Keys.actors, ())), tuple(st.session_state.get(Keys.types, ())))  # fmt: skip
    found, left_out, shown = _listing(state)
    st.title("Events and sources", anchor=False)
    st.caption("Showing: the view")
    search, counted = st.columns([3, 2], vertical_alignment="bottom")
    search.text_input("Search the events", key=Keys.event_search, placeholder="Words or names")
    counted.caption(f"{found:,} events")
    st.dataframe(shown, key=Keys.event_table, on_select="rerun", selection_mode="single-row", hide_index=True,
                 width="stretch", column_config=EVENT_TABLE_COLUMNS)  # fmt: skip
    if left_out:
        st.caption(left_out)
    with st.container(horizontal=True, gap="small"):
        for fmt, label in (("csv", "Events as CSV"), ("xlsx", "Events as Excel")):
            st.download_button(label, data=b"", file_name=f"events.{fmt}", key=f"export_events_{fmt}",
                               on_click="ignore", icon=":material/table_view:")  # fmt: skip
    st.caption("Search to narrow the table.")


def _other() -> None:
    st.title("Another page", anchor=False)


st.set_page_config(page_title="bare-Streamlit events floor", layout="wide")
st.navigation([st.Page(events_page if name == "events" else _other, title=name.title(), url_path=name,
                       default=name == "events") for name in PAGES]).run()  # fmt: skip
