"""Regional map: the countries the events concern, by event count or mean stance toward a target."""

import streamlit as st

from lib import sources, ui
from lib.briefings import PAGE_CHOICES
from lib.filters import escape_markdown

METRICS = PAGE_CHOICES["map"]["metric"]  # one list of the choices: briefings validate against it too

view = ui.page_start("Regional map")
loaded = view.loaded
meta = loaded.meta
left, right = st.columns([2, 1])
with left:
    metric = ui.page_choice("metric", "Colour countries by", METRICS, "events")
target = "taliban"
if metric == "stance":
    with right:
        targets = ui.stance_targets()
        target = ui.page_choice("target", "Target", {t: meta.actor(t) for t in targets}, "taliban", widget="select")
figure = ui.figure("map", view, metric=metric, target=target)
points = ui.show_chart(figure, name=f"map-{metric}" + (f"-{target}" if metric == "stance" else ""), view=view,
                       key=ui.Keys.map_chart, on_select=True, map_=True)  # fmt: skip

clicked = sources.selected_countries(points)
shown = sources.events_in_countries(view.events, loaded.tables, clicked)
if clicked:
    names = ", ".join(meta.country(c) for c in clicked)
    st.header(f"Events concerning {escape_markdown(names)}", anchor=False)
    st.caption("Click the country again, or double-click the map, to list every event.")
else:
    st.header("Events", anchor=False)
    st.caption("Click a country to list only the events that concern it.")
listed, left_out = sources.first_rows(shown)
if left_out:
    st.info(left_out)
st.dataframe(sources.events_table(listed, meta).drop(columns="id"), hide_index=True, width="stretch")
