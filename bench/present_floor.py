"""The floor for a slide change: a bare Streamlit page that switches the same slide figures on a key press.

`bench/present.py` builds every slide's figure as the present page draws it at 1280x720 and writes them (with
the headings), by briefing, to the JSON file named by `$BENCH_PRESENT_FLOOR`; this script builds them once
(cached) and on every rerun draws the counter, the heading and one figure of `?briefing=`, moving on ArrowRight / ArrowLeft with Streamlit's
own button shortcuts: the least any page showing those slides on a key press must pay.
"""

import json
import os

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def _slides(path: str) -> dict[str, list[tuple[str, str, go.Figure]]]:
    with open(path, encoding="utf-8") as handle:
        captured = json.load(handle)
    return {name: [(item["heading"], item["kind"], go.Figure(item["spec"])) for item in items]
            for name, items in captured.items()}  # fmt: skip


def _step(by: int, count: int) -> None:
    st.session_state["slide"] = min(count, max(1, st.session_state.get("slide", 1) + by))


slides = _slides(os.environ["BENCH_PRESENT_FLOOR"])[st.query_params["briefing"]]
number = st.session_state.setdefault("slide", 1)
with st.container(horizontal=True):
    st.markdown(f'<p class="slide-counter">Slide {number} of {len(slides)}</p>', unsafe_allow_html=True)
    st.button("Previous", shortcut="ArrowLeft", on_click=_step, args=(-1, len(slides)))
    st.button("Next", shortcut="ArrowRight", on_click=_step, args=(1, len(slides)))
heading, kind, figure = slides[number - 1]
with st.container(key="present_heading"):
    st.title(heading, anchor=False)
with st.container(key=f"present_{kind}_{number}"):
    st.plotly_chart(figure, theme=None, height=520, key=f"floor_{number}")
