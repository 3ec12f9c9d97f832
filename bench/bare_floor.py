"""The bare-Streamlit floor for `bench browser`: a minimal `st.navigation` app whose pages only draw the app's figures.

`bench/browser.py` takes each page's figures (specs, configs and themes, from AppTest) and the sizes the app draws
them at, and writes them to the JSON file named by `$BENCH_BARE_FLOOR`. This script builds the figures once (cached)
and serves one page per app page, at the same URL paths and in the same order, each with the page's title (an h1)
and its charts through `st.plotly_chart`, nothing else: no sidebar filters, captions, panels or tables. Navigated
and opened cold like the app, it is what Streamlit itself costs to show those figures; the gap above it is the app's.
With `$BENCH_BARE_ELEMENT=bundle` the same pages draw through the app's partial-plotly.js element instead
(`lib.ui.chart_element.plotly_element`): bench/bundle_cold.py times the two against each other.
"""

import json
import os

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def _pages(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        pages = json.load(handle)
    for page in pages:
        page["figures"] = [go.Figure(json.loads(chart["spec"])) for chart in page["charts"]]
    return pages


def _page(page: dict):
    def draw() -> None:
        st.title(page["heading"] or page["title"], anchor=False)
        for n, (chart, figure) in enumerate(zip(page["charts"], page["figures"], strict=True)):
            width, height = chart.get("size") or ("stretch", "content")
            if os.environ.get("BENCH_BARE_ELEMENT") == "bundle":
                from lib.ui.chart_element import plotly_element

                plotly_element(chart["spec"], key=f"bare-{page['url_path']}-{n}", config=json.loads(chart["config"]))
                continue
            st.plotly_chart(figure, config=json.loads(chart["config"]), theme=chart["theme"] or None,
                            width=width, height=height, key=f"bare-{page['url_path']}-{n}")  # fmt: skip

    return draw


st.set_page_config(page_title="bare-Streamlit floor", layout="wide")
st.navigation([st.Page(_page(page), title=page["title"], url_path=page["url_path"], default=bool(page.get("default")))
               for page in _pages(os.environ["BENCH_BARE_FLOOR"])]).run()  # fmt: skip
