"""Short lists where a page needs no data grid on first sight: the overview's most-cited articles and the map's
latest events, each as one element, with the full, sortable table a click away. A data grid costs a cold
link about 1.9 MB of frontend code and a navigation 40-50 ms of the browser's main thread (bench/RESULTS.md,
issue 24, rounds 8 and 9); the Events page and the closed panels load it only when a reader asks for it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from lib.ui.cached import View
from lib.ui.sections import show_section
from lib.views import sources
from lib.wording import count

ARTICLE_COLUMNS: dict[str, Any] = {
    "title": st.column_config.TextColumn("Article", width="large"),
    "outlet": "Outlet",
    "author": "Author",
    "date": "Published",
    "events": st.column_config.NumberColumn("Events shown"),
    "link": st.column_config.LinkColumn("Link", display_text="open"),
}

# The Events and sources page's table of events (lib.views.sources.events_table), as its data grid shows it.
EVENT_TABLE_COLUMNS: dict[str, Any] = {
    "date": st.column_config.TextColumn("Date", width=110),
    "title": st.column_config.TextColumn("Title", width="large"),
    "actors": st.column_config.TextColumn("Actor → target", width="medium"),
    "countries": st.column_config.TextColumn("Countries", width="medium"),
    "type": st.column_config.TextColumn("Type", width="small"),
    "stance": st.column_config.TextColumn("Stance", width="small"),
}


@st.fragment
def table_on_demand(label: str, key: str, frame: pd.DataFrame, column_config: dict[str, Any] | None = None) -> None:
    """A closed expander whose sortable data grid is built and sent only while it is open; opening or closing it
    reruns this fragment alone, not the page."""
    with st.expander(label, icon=":material/table:", key=key, on_change="rerun") as panel:
        if panel.open:
            st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)


def show_articles(articles: pd.DataFrame) -> None:
    """The overview's source articles: a heading and the ones the view's events cite most as a numbered list (one
    element), then every article in a sortable table on demand."""
    top = sources.most_cited_articles(articles)
    cited = int((articles["events"] > 0).sum())
    if top.empty:
        body = (f"<p>Every event is coded from a verbatim quote in an article; no article of the "
                f"{count(len(articles), 'article')} is cited by the events shown.</p>")  # fmt: skip
    else:
        lead = (f"the {count(len(top), 'article')} cited most" if len(top) < cited
                else "the one article they cite" if cited == 1
                else f"the {count(cited, 'article')} they cite, most-cited first")  # fmt: skip
        body = (f"<p>Every event is coded from a verbatim quote in an article. Of the events shown, {lead}:</p>"
                + sources.articles_html(top))  # fmt: skip
    show_section("Source articles", None, body)
    table_on_demand(f"All {count(len(articles), 'source article')}, sortable", "overview_articles", articles,
                    ARTICLE_COLUMNS)  # fmt: skip


def show_latest_events(events: pd.DataFrame, view: View, *, title: str, caption: str,
                       limit: int = sources.LIST_LIMIT) -> None:
    """A section headed `title` with `caption` under it, then the latest of `events` as a short list, newest first, all
    one element (`lib.ui.sections`), and a link to the Events and sources page, which lists every event of the view
    (the same filters) in a searchable, sortable table."""
    shown = min(limit, len(events))
    if not shown:
        body = "<p>No events here.</p>"
    else:
        lead = (f"The latest {shown:,} of {count(len(events), 'event', thousands=True)}, newest first:"
                if len(events) > shown else "Newest first:")  # fmt: skip
        body = f"<p>{lead}</p>" + sources.latest_events_html(events, view.loaded.meta, limit)
    show_section(title, caption, body)
    every = f"All {count(len(view.events), 'event', thousands=True)}" if len(view.events) > 1 else "The one event"
    st.page_link("app_pages/events.py", icon=":material/article:",
                 label=f"{every} of this view, searchable: Events and sources")  # fmt: skip
