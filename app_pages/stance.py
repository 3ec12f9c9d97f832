"""Actor stance over time: each actor's stance toward a chosen target (or the reverse), and by period."""

import streamlit as st

from lib import ui
from lib.model.briefings import PAGE_CHOICES
from lib.model.filters import escape_markdown
from lib.views import sources
from lib.views.charts import GAP_YEARS

DIRECTIONS = PAGE_CHOICES["stance"]["dir"]  # one list of the choices: briefings validate against it too


@st.fragment
def stance(view: ui.View) -> None:
    """The target and direction options, both charts and the chosen events: changing an option or clicking a
    marker reruns this alone, not the sidebar and the page."""
    loaded = view.loaded
    meta = loaded.meta
    targets = ui.stance_targets()
    left, right = st.columns([1, 2])
    with left:
        target = ui.page_choice("target", "Target", {t: meta.actor(t) for t in targets}, "taliban", widget="select")
    with right:
        direction = ui.page_choice("dir", "Direction", DIRECTIONS, "toward")
    scale = " · ".join(f"{v:+d} {meta.stance_labels[v]}" if v else f"0 {meta.stance_labels[v]}"
                       for v in sorted(meta.stance_labels))  # fmt: skip
    how_to_read = (f"Stance scale: {escape_markdown(scale)}. Each line steps to the stance of the next event and "
                   f"breaks where an actor has no event for more than {GAP_YEARS} years; hollow markers are events "
                   "known only to the month or year. With more than 8 actors, the 8 with most events keep their "
                   "lines and the others' events are grey markers (choose actors in the sidebar to see their lines). "
                   "Click a marker, or choose the event from the list under the chart, to read its source.")  # fmt: skip
    figure = ui.folded_figure("stance", view, target=target, direction=direction)
    points = ui.show_chart(figure, name=f"stance-{direction}-{target}", view=view, key=ui.Keys.stance_chart,
                           on_select=True, fit=True, how_to_read=how_to_read)  # fmt: skip
    chosen = sources.selected_event_ids(points) or ui.event_picker(figure, key=ui.Keys.stance_pick)
    for event_id in chosen[:5]:
        detail = sources.event_detail(event_id, loaded.tables, loaded.dataset, loaded.meta)
        if detail is not None:
            ui.show_event(detail)
    heatmap = ui.figure("stance_heatmap", view, target=target, direction=direction)
    ui.show_chart(heatmap, name=f"stance-by-period-{direction}-{target}", view=view, key="stance_heatmap")


stance(ui.page_start("Actor stance", fitted=True))
