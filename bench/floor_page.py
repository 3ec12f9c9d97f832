"""The floor: a Streamlit script that only renders already-built figures, nothing else.

`bench/server.py` captures a real page's figures (specs and configs) into the JSON file named by
`$BENCH_FLOOR_FIGURES`; this script builds them once (cached) and then, on every rerun, just
hands them to the element the page drew them with, which is the least any page drawing those figures must pay:
the app's chart element gets the figure's JSON as the page sent it (serialised once, as `lib.ui.render.sent_json`
does), `st.plotly_chart` (present mode) the figure.
"""

import json
import os

import plotly.graph_objects as go
import streamlit as st

from lib.ui.chart_element import plotly_element


@st.cache_resource
def _figures(path: str) -> list[tuple[go.Figure, dict, str | None]]:
    """Each captured figure, its config, and its JSON if the app's chart element drew it (else None)."""
    with open(path, encoding="utf-8") as handle:
        captured = json.load(handle)
    return [(go.Figure(item["spec"]), item["config"], item["json"] if item.get("element") else None)
            for item in captured]  # fmt: skip


for n, (figure, config, sent) in enumerate(_figures(os.environ["BENCH_FLOOR_FIGURES"])):
    if sent is not None:
        plotly_element(sent, key=f"floor-{n}", config=config)
    else:
        st.plotly_chart(figure, config=config, key=f"floor-{n}")
