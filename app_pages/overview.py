"""Overview: counts by year and country, then the date span and key numbers, what the sources cover, the periods, and the articles."""

import streamlit as st

from lib import ui
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
# The key numbers and their date span as one element, where five metrics, their row and a caption were seven.
ui.show_key_numbers(
    [("Events", str(numbers["events"])), ("Countries concerned", str(numbers["countries"])),
     ("Actors", str(numbers["actors"])), ("Articles cited", str(numbers["articles"])),
     ("Years", year_range(first[:4], last[:4]))],
    f"{count(numbers['events'], 'event')} from {display_date(first)} to {display_date(last)}, each date as precise "
    "as the sources allow.",
)  # fmt: skip

ui.show_coverage(parts.coverage, view)

# The heading, its caption and the table as one element (a real <table> with header cells, escaped): neither the data
# grid's nor st.table's Arrow code is needed on the overview's first sight, nor the markdown parser (bench/RESULTS.md).
ui.show_section("Periods", "Named stretches of time from data/periods.yaml; an event belongs to the period its date "
                "falls in.", aggregate.html_table(aggregate.period_table(parts.periods),
                                                  right=("Events shown",), nowrap=("From", "To")))  # fmt: skip

ui.show_articles(parts.articles)  # the most-cited as a list; every article in a grid only when asked for
