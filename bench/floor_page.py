"""The floor: a Streamlit script that only renders already-built figures, nothing else.

`bench/server.py` captures a real page's figures (specs and configs) into the JSON file named by
`$BENCH_FLOOR_FIGURES`; this script builds them once (cached) and then, on every rerun, just
hands them to `st.plotly_chart`, which is the least any page drawing those figures must pay.
"""

import json
import os

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def _figures(path: str) -> list[tuple[go.Figure, dict]]:
    with open(path, encoding="utf-8") as handle:
        captured = json.load(handle)
    return [(go.Figure(item["spec"]), item["config"]) for item in captured]


for n, (figure, config) in enumerate(_figures(os.environ["BENCH_FLOOR_FIGURES"])):
    st.plotly_chart(figure, config=config, key=f"floor-{n}")
