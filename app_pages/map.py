"""Regional map: the countries the events concern, by event count or mean stance toward a target, and
the events at the places where they happened, at the precision the sources give."""

import streamlit as st

from lib import ui
from lib.model.briefings import PAGE_CHOICES
from lib.views import map_points, sources

METRICS = PAGE_CHOICES["map"]["metric"]  # one list of the choices: briefings validate against it too
LAYERS = PAGE_CHOICES["map"]["layers"]
HOW_TO_READ = (
    "Each event sits where its sources place it, coloured by type: a filled dot is a named town, a ring is within "
    "about 25 km of one, a large pale disc is a province or wider region (an area, not a point). Larger markers "
    "stand for more events. Events known only by country are in the country colours. Click a marker, or choose an "
    "event below, to read its source; click a country to list only the events that concern it."
)


@st.fragment
def regional_map(view: ui.View) -> None:
    """The map's options, the map, the chosen events and the latest events listed: changing an option or clicking the map
    reruns this alone, not the sidebar and the page."""
    loaded = view.loaded
    meta = loaded.meta
    left, middle, right = st.columns(3)  # select boxes: the three options stay on one row at any width
    with left:
        metric = ui.page_choice("metric", "Colour countries by", METRICS, "events", widget="select")
    with middle:
        layers = ui.page_choice("layers", "Show", LAYERS, "both", widget="select")
    target = "taliban"
    if metric == "stance":
        with right:
            targets = ui.stance_targets()
            target = ui.page_choice("target", "Target", {t: meta.actor(t) for t in targets}, "taliban",
                                    widget="select")  # fmt: skip
    figure = ui.page_map(view, metric=metric, target=target, layers=layers, focus=",".join(view.filters.countries))
    name = f"map-{metric}" + (f"-{target}" if metric == "stance" else "") + ("" if layers == "both" else f"-{layers}")
    selection = ui.show_chart(figure, name=name, view=view, key=ui.Keys.map_chart, on_select=True, map_=True,
                              fit=True, how_to_read=HOW_TO_READ if layers != "areas" else None)  # fmt: skip

    markers = map_points.selected_markers(selection)
    options = map_points.placed_event_options(view.events, meta)
    if layers != "areas" and options.choices:
        picked = st.selectbox("Event on the map", list(options.choices), index=None, key=ui.Keys.map_event_pick,
                              format_func=options.choices.get, placeholder="Choose an event placed on the map…",
                              help=options.note or None)  # fmt: skip
        chosen = map_points.chosen_event_ids(view.events, markers, picked)
        if len(chosen) > 1:
            st.caption(f"{len(chosen):,} events at the chosen marker(s), earliest first; the first "
                       f"{min(len(chosen), 5)} are shown.")  # fmt: skip
        for event_id in chosen[:5]:
            detail = sources.event_detail(event_id, loaded.tables, loaded.dataset, meta)
            if detail is not None:
                ui.show_event(detail)

    clicked = sources.selected_countries(selection)
    shown = sources.events_in_countries(view.events, loaded.tables, clicked)
    if clicked:
        title = f"Events concerning {', '.join(meta.country(c) for c in clicked)}"
        caption = "Click the country again, or double-click the map, to list every event."
    else:
        title = "Events"
        caption = ("Click a country to list only the events that concern it." if layers != "points" else
                   "Every event in the view, placed on the map or not.")  # fmt: skip
    # the heading, its caption and a short list, one element: the Events page has them all in a grid (no grid here)
    ui.show_latest_events(shown, view, title=title, caption=caption)

regional_map(ui.page_start("Regional map", fitted=True))
