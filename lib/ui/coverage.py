"""The overview's coverage section: articles and events per year, the years with no article named in words."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.model.filters import escape_markdown
from lib.ui.cached import View
from lib.ui.chart_element import plotly_element
from lib.ui.render import chart_extras, sent_json
from lib.views import coverage


@st.cache_resource(max_entries=8, show_spinner=False)
def coverage_figure(table: pd.DataFrame) -> go.Figure:
    """The coverage chart of `table`, built once per table's content and shared (never modified after this), so
    its description and numbers are made once too (`lib.ui.render.chart_parts` keeps them per figure)."""
    return coverage.coverage_figure(table)


def show_coverage(table: pd.DataFrame, view: View) -> None:
    """The coverage chart (its sentence as the text alternative and caption), with its downloads and its
    numbers under it like every chart (built only when opened)."""
    sentence = coverage.coverage_sentence(table)
    st.header("What the sources cover", anchor=False)
    if table.empty:
        st.info(sentence)
        return
    fig = coverage_figure(table)
    plotly_element(sent_json(fig), key="overview_coverage", alt=f"What the sources cover. {sentence}",
                   config={"displaylogo": False})  # fmt: skip
    st.caption(escape_markdown(sentence) + " The whole table, whatever the filters.")
    chart_extras(fig, "what-the-sources-cover", view, "overview_coverage")
