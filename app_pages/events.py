"""Events and sources: the filtered events, searchable; each opens its summary, quotes, citation and article."""

import streamlit as st

from lib import ui
from lib.model.filters import escape_markdown
from lib.views import sources
from lib.wording import count


@st.fragment
def events(view: ui.View) -> None:
    """The search, the table, the chosen event and its sources: a search, a click in the table or a choice in the
    box reruns this alone, not the sidebar and the page (a restored version reruns the whole app: history.py)."""
    loaded = view.loaded
    meta = loaded.meta
    search, counted = st.columns([3, 2], vertical_alignment="bottom")  # one row above the table
    query = search.text_input("Search the events", key=ui.Keys.event_search,
                              placeholder="Words or names in titles, summaries, actors, places, quotes, e.g. troops ISAF")  # fmt: skip
    listing = ui.event_listing(view, query, limit=sources.TABLE_ROW_LIMIT)
    left_out = listing.left_out
    ids = list(listing.ids)
    few = len(ids) <= ui.PICKER_LIMIT  # few enough for a box to choose from (ui.PICKER_LIMIT)
    counted.caption(f"{listing.count:,} of {count(len(view.events), 'event', thousands=True)}" + (f" contain “{escape_markdown(query.strip())}”" if query.strip() else "")
                    + (f" (the table lists the first {len(ids):,})" if left_out else "")
                    + (". Click a row, or choose an event below, to read its sources." if few
                       else ". Click a row to read an event's sources."))  # fmt: skip

    def open_row() -> None:
        """Clicking a table row opens that event below (the table's selection drives the picker)."""
        rows = st.session_state[ui.Keys.event_table].selection.rows
        if rows and rows[0] < len(ids):
            st.session_state[ui.Keys.event_pick] = ids[rows[0]]

    st.dataframe(
        listing.shown,
        key=ui.Keys.event_table,
        on_select=open_row,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config=ui.EVENT_TABLE_COLUMNS,
    )
    if left_out:  # below the table, so the table stays in the first screen however many events there are
        st.caption(escape_markdown(left_out))
    ui.data_downloads(view)
    if st.session_state.get(ui.Keys.event_pick) not in ids:
        st.session_state[ui.Keys.event_pick] = None
    titles = listing.labels
    if few:
        picked = st.selectbox("Event", ids, key=ui.Keys.event_pick, format_func=lambda i: titles.get(i, i),
                              placeholder="Choose an event, or click a row in the table")  # fmt: skip
    else:  # a box of a thousand events costs every run of this page 40 ms of the browser (ui.PICKER_LIMIT)
        # kept as plain state: a widget key read in a run that draws no widget is dropped after it
        picked = st.session_state[ui.Keys.event_pick] = st.session_state.get(ui.Keys.event_pick)
        st.caption(f"Search to narrow the table: a box to choose the event from comes once it lists "
                   f"{ui.PICKER_LIMIT} events or fewer.")  # fmt: skip
    if picked:
        detail = sources.event_detail(picked, loaded.tables, loaded.dataset, meta)
        if detail is not None:
            ui.show_event(detail, expand_article=True)
            ui.event_history(picked)


events(ui.page_start("Events and sources"))
