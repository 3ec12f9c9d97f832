"""Timeline: events on a time axis, one row per actor or country, coloured by event type."""

import streamlit as st

from lib import ui
from lib.model.briefings import PAGE_CHOICES
from lib.views import sources

ROWS = PAGE_CHOICES["timeline"]["rows"]  # one list of the choices: briefings validate against it too
ROWS_SHOWN = "12"  # rows the chart opens on, so it fits a 720 px screen and stays readable; drag for the others
HOW_TO_READ = (
    "Each event type has its own colour and shape (see the legend). Filled marks are events dated to the day; "
    "hollow marks on a bar are events known only to the month or year, drawn over that whole month or year. "
    "Events that would cover one another are set just above or below their row. With many rows the chart opens "
    "on the first ones: drag the row names up or down, or zoom out with the buttons above the chart, to see the "
    "others (the Data and downloads panel lists every event). Click an event, or choose it from the list under the chart, to read its source."
)


@st.fragment
def timeline(view: ui.View) -> None:
    """The rows option, the chart and the chosen events: changing the option or clicking an event reruns this
    alone, not the sidebar and the page."""
    loaded = view.loaded
    rows = ui.page_choice("rows", "One row per", ROWS, "actor")
    figure = ui.figure("timeline", view, rows=rows, rows_shown=ROWS_SHOWN)
    points = ui.show_chart(figure, name="timeline", view=view, key=ui.Keys.timeline_chart, on_select=True, fit=True,
                           how_to_read=HOW_TO_READ)  # fmt: skip
    chosen = sources.selected_event_ids(points) or ui.event_picker(figure, key=ui.Keys.timeline_pick)
    if not chosen:
        st.info("Click an event in the chart, or choose one in the box above, to see its summary, quote and source "
                "article here.")  # fmt: skip
    for event_id in chosen[:5]:
        detail = sources.event_detail(event_id, loaded.tables, loaded.dataset, loaded.meta)
        if detail is not None:
            ui.show_event(detail)


timeline(ui.page_start("Timeline", fitted=True))
