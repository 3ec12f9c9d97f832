"""Start loading Streamlit's Plotly chunk as soon as a session's first message arrives, not when its first chart does.

Streamlit's frontend loads the code for each element kind only when an element of that kind arrives; the Plotly
one (`static/js/PlotlyChart.<hash>.js`, about 4.7 MB) is by far the largest, and a permalink opened cold waited
for it to be fetched, compiled and run after the script had already sent its first chart. This module sends one
small inline script, first in every run, that imports the same chunk from the app's own server (the URL is taken
from the page's own main script, so it follows `server.baseUrlPath`): the browser's module map then holds it when
the chart arrives. Nothing is fetched from any other host, and nothing is drawn: the element is hidden by CSS.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

# The element's own marker: the CSS below hides its (empty) box, so the page's layout does not move.
MARKER = "data-dashboard-preload"


@functools.cache
def plotly_chunk() -> str | None:
    """The file name of Streamlit's Plotly chunk in this installation (`PlotlyChart.<hash>.js`), or None."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    names = sorted(p.name for p in folder.glob("PlotlyChart.*.js"))
    return names[0] if len(names) == 1 else None


@functools.cache
def preload_html(chunk: str) -> str:
    """The hidden element: CSS hiding its box, and a script importing `chunk` beside the page's main script, once
    per browser page (a guard on `window`), never failing the page (a failed import is left to the chart)."""
    return (
        f"<style>[data-testid=\"stElementContainer\"]:has(script[{MARKER}]) {{display: none;}}</style>"
        f"<script {MARKER}>(() => {{"
        "if (window.__dashboardPreload) return; window.__dashboardPreload = true;"
        "const main = document.querySelector('script[type=\"module\"][src*=\"static/js/index.\"]');"
        f"if (main) import(new URL({json.dumps(chunk)}, main.src).href).catch(() => {{}});"
        "})();</script>"
    )


def preload_charts() -> None:
    """Send the Plotly chunk's preload (hidden; the same small element every run, so the page's elements keep their
    places). Does nothing if this Streamlit has no single Plotly chunk."""
    chunk = plotly_chunk()
    if chunk is not None:
        st.html(preload_html(chunk), unsafe_allow_javascript=True)
