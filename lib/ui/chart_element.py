"""The chart element: a figure drawn in the browser by the shipped partial plotly.js, not Streamlit's Plotly chunk.

Streamlit's `st.plotly_chart` loads a 4.7 MB chunk holding all of plotly.js, whose evaluation alone takes about
0.9 s of the browser's main thread on a cold link (bench/RESULTS.md, issue 24 rounds 13-14). This element is a
components-v2 element (no iframe) whose small script (`static/plotly/chart_element.js`, sent inline) imports
`static/plotly/plotly-charts.min.js` (1.4 MB: plotly.js's core with bar, heatmap, choropleth and scattergeo,
built by scripts/build_plotly_bundle.sh) from the app's own static serving, once per page."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from lib.paths import PLOTLY_DIR

BUNDLE = PLOTLY_DIR / "plotly-charts.min.js"
ELEMENT_JS = PLOTLY_DIR / "chart_element.js"
NAME = "dashboard_chart"


@functools.cache
def _component():
    return st.components.v2.component(NAME, js=ELEMENT_JS.read_text(encoding="utf-8"), isolate_styles=False)


@functools.cache
def _bundle_version() -> str:
    return hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]


def bundle_url() -> str:
    """Where the browser finds the partial plotly.js (under `server.baseUrlPath`), named by its content so a browser
    never keeps an old copy after an upgrade."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}/app/static/" if base else "/app/static/"
    return f"{prefix}{PLOTLY_DIR.name}/{BUNDLE.name}?v={_bundle_version()}"


def plotly_element(fig: go.Figure | str, *, key: str, config: dict[str, Any] | None = None, alt: str = "",
                   select: bool = False, stretch: bool = False) -> list[dict[str, Any]]:
    """Draw `fig` (a figure or its JSON) with the partial plotly.js: `alt` is the chart's accessible name
    (role="figure"), `config` plotly.js's config, `stretch` fills the element's height (the page sizes it), and with
    `select` a click or a box/lasso selection reruns the script and is returned as Streamlit's `selection.points`."""
    spec = fig if isinstance(fig, str) else pio.to_json(fig, validate=False)
    data = {"spec": spec, "config": config or {}, "alt": alt, "select": select, "stretch": stretch,
            "bundle": bundle_url()}  # fmt: skip
    callbacks = {"on_selection_change": lambda: None} if select else {}
    result = _component()(key=key, data=data, height="stretch" if stretch else "content", **callbacks)
    selection = getattr(result, "selection", None) if select else None
    return list((selection or {}).get("points") or [])


@dataclass(frozen=True)
class DrawnChart:
    """One chart as a script run sent it, read back from AppTest (tests and benchmarks): its figure, plotly.js config,
    accessible name and key, whichever element drew it."""

    spec: dict[str, Any]
    config: dict[str, Any]
    alt: str
    key: str | None
    raw_spec: str


def drawn_charts(at: Any) -> list[DrawnChart]:
    """Every chart an AppTest run drew: the app's chart element's, then any `st.plotly_chart`'s (the present mode's)."""
    found = []
    for element in at.get("bidi_component"):
        if element.proto.component_name != NAME:
            continue
        data = json.loads(element.proto.json)
        found.append(DrawnChart(json.loads(data["spec"]), data["config"], data["alt"], element.key, data["spec"]))
    for element in at.get("plotly_chart"):
        found.append(DrawnChart(json.loads(element.proto.spec), json.loads(element.proto.config or "{}"),
                                element.proto.alt, element.key, element.proto.spec))  # fmt: skip
    return found
