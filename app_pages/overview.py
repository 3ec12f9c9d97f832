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
by_year, by_country = ui.figure("by_year", view), ui.figure("by_country", view)
# One style element sizes both charts (and carries the page's CSS): one element and one style recalculation less.
st.html(ui.fit_css("overview_by_year", by_year, ("overview_by_country", by_country)))
left, right = st.columns([3, 2])  # the charts first: the key numbers follow them
with left:
    ui.show_chart(by_year, name="events-per-year", view=view, key="overview_by_year", fit=True, fit_style=False)
with right:
    ui.show_chart(by_country, name="events-by-country", view=view, key="overview_by_country", fit=True,
                  fit_style=False)  # fmt: skip
# One row of the key numbers: a horizontal container is one element where five columns were six (issue 24 round 13);
# each number takes the width its text needs, so the years' range is no longer cut short ("1996…").
with st.container(horizontal=True, gap="medium"):
    st.metric("Events", numbers["events"], width="stretch")
    st.metric("Countries concerned", numbers["countries"], width="stretch")
    st.metric("Actors", numbers["actors"], width="stretch")
    st.metric("Articles cited", numbers["articles"], width="stretch")
    st.metric("Years", year_range(first[:4], last[:4]), width="stretch",
              help=f"From {display_date(first)} to {display_date(last)}, each date as precise as the sources allow.")
st.caption(f"{count(numbers['events'], 'event')} from {escape_markdown(display_date(first))} "
           f"to {escape_markdown(display_date(last))}.")

ui.show_coverage(parts.coverage, view)

st.header("Periods", anchor=False)
st.caption("Named stretches of time from data/periods.yaml; an event belongs to the period its date falls in.")
# One markdown table (a real <table> with header cells): neither the data grid's nor st.table's Arrow code (1.5 MB /
# 0.9 MB of frontend JavaScript on a cold link) is needed on the overview's first sight (bench/RESULTS.md, issue 24).
st.markdown(aggregate.markdown_table(aggregate.period_table(parts.periods), right=("Events shown",),
                                    nowrap=("From", "To")))  # fmt: skip

ui.show_articles(parts.articles)  # the most-cited as a list; every article in a grid only when asked for
