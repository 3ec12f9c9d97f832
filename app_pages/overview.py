"""Overview: date span, counts by year and country, the periods, and the articles."""

import streamlit as st

from lib import aggregate, charts, ui

view = ui.current_view()
loaded = view.loaded
st.title("Central Asia, Afghanistan and the Taliban, 2000–2017")
st.caption(f"Showing: {view.subtitle}")
if view.events.empty:
    ui.no_events(view.filters, loaded.options)
    st.stop()
numbers = aggregate.key_numbers(view.events, loaded.tables)
cols = st.columns(4)
cols[0].metric("Events", numbers["events"])
cols[1].metric("Countries concerned", numbers["countries"])
cols[2].metric("Actors", numbers["actors"])
cols[3].metric("Articles cited", numbers["articles"])
st.plotly_chart(charts.counts_by_year_chart(view.events, loaded.meta, subtitle=view.subtitle))
summary = aggregate.country_summary(view.events, loaded.tables)
st.plotly_chart(charts.counts_by_country_chart(summary, loaded.meta, subtitle=view.subtitle))
