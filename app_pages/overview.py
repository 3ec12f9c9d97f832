"""Overview: counts by year and country, then the date span and key numbers, what the sources cover, the periods, and the articles."""

import streamlit as st

from lib import ui
from lib.model.filters import escape_markdown
from lib.model.schema import display_date
from lib.views import aggregate
from lib.wording import count, year_range

view = ui.page_start("Central Asia & the Taliban", fitted=True)
parts = ui.overview_parts(view)
numbers = parts.numbers
first, last = parts.span
left, right = st.columns([3, 2])  # the charts first: the key numbers follow them
with left:
    ui.show_chart(ui.figure("by_year", view), name="events-per-year", view=view, key="overview_by_year", fit=True)
with right:
    ui.show_chart(ui.figure("by_country", view), name="events-by-country", view=view, key="overview_by_country",
                  fit=True)  # fmt: skip
cols = st.columns(5)
cols[0].metric("Events", numbers["events"])
cols[1].metric("Countries concerned", numbers["countries"])
cols[2].metric("Actors", numbers["actors"])
cols[3].metric("Articles cited", numbers["articles"])
cols[4].metric("Years", year_range(first[:4], last[:4]),
               help=f"From {display_date(first)} to {display_date(last)}, each date as precise as the sources allow.")
st.caption(f"{count(numbers['events'], 'event')} from {escape_markdown(display_date(first))} "
           f"to {escape_markdown(display_date(last))}.")

ui.show_coverage(parts.coverage, view)

st.header("Periods", anchor=False)
st.caption("Named stretches of time from data/periods.yaml; an event belongs to the period its date falls in.")
# A static table (eight or so rows of text): a data grid costs the browser about 40 ms more per navigation
# (bench/RESULTS.md, issue-24-r8), and a real <table> reads the same to a screen reader.
st.table(aggregate.period_table(parts.periods), hide_index=True,
         alt="Named periods: each one's dates, the events shown in it, and what happened.")  # fmt: skip

st.header("Source articles", anchor=False)
st.caption("Every event is coded from a verbatim quote in one of these articles.")
st.dataframe(
    parts.articles,
    hide_index=True,
    width="stretch",
    column_config={
        "title": st.column_config.TextColumn("Article", width="large"),
        "outlet": "Outlet",
        "author": "Author",
        "date": "Published",
        "events": st.column_config.NumberColumn("Events shown"),
        "link": st.column_config.LinkColumn("Link", display_text="open"),
    },
)
