"""lib.views.baked: the figure the browser is sent draws as the original does (the template written in where
plotly.js would use it), with no template, no base64 typed arrays and a fixed datarevision, so Streamlit's second
Plotly.react of it is no second draw (issue 24 round 11; the map pixel-identical at 1280x720 and 1024x768)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from lib.views import baked
from tests.test_pages import REAL_DATA, charts_of, open_page

TEMPLATE = go.layout.Template({
    "layout": {"font": {"size": 14, "color": "#222"}, "hovermode": "closest", "geo": {"bgcolor": "white"},
               "xaxis": {"gridcolor": "#EEE"}, "annotationdefaults": {"arrowhead": 0}},
    "data": {"scattergeo": [{"marker": {"colorbar": {"ticks": ""}, "opacity": 0.5}}],
             "choropleth": [{"colorbar": {"ticks": ""}}],
             "bar": [{"marker": {"line": {"width": 0.5}}}, {"marker": {"line": {"width": 2}}}]},
})  # fmt: skip


def _sent(fig: go.Figure) -> dict:
    return json.loads(baked.for_browser(fig).to_json())


def test_the_browser_figure_has_no_template_no_typed_arrays_and_a_fixed_datarevision() -> None:
    fig = go.Figure(go.Scattergeo(lat=np.array([34.5, np.nan]), lon=np.array([69.2, 70.0]), marker_size=np.array([3, 4])),
                    layout={"template": TEMPLATE})  # fmt: skip
    assert "bdata" in fig.to_json()  # plotly.py sends numpy arrays as base64 typed arrays
    spec = _sent(fig)
    assert "template" not in spec["layout"] and "bdata" not in json.dumps(spec)
    assert spec["data"][0]["lat"] == [34.5, None] and spec["data"][0]["marker"]["size"] == [3, 4]
    assert spec["layout"]["datarevision"] == baked.DATA_REVISION
    assert json.loads(fig.to_json())["layout"]["template"]  # the original is not changed


def test_template_values_go_under_the_figures_own() -> None:
    fig = go.Figure(layout={"template": TEMPLATE, "font": {"size": 18}, "geo": {"showland": True},
                            "annotations": [{"text": "Kabul", "showarrow": False}]})  # fmt: skip
    fig.add_trace(go.Choropleth(locations=["AFG"], z=[3], colorscale="Blues"))
    fig.add_trace(go.Scattergeo(lat=[1], lon=[2], marker={"opacity": 0.9}))
    layout = _sent(fig)["layout"]
    assert layout["font"] == {"size": 18, "color": "#222"}  # the figure's size, the template's colour
    assert layout["geo"] == {"bgcolor": "white", "showland": True}
    assert layout["hovermode"] == "closest"
    assert layout["annotations"][0]["arrowhead"] == 0 and layout["annotations"][0]["text"] == "Kabul"
    assert "xaxis" not in layout  # no cartesian trace: the template's axis style is not a subplot of its own


def test_trace_styles_cycle_by_type_and_colorbars_only_where_a_scale_is() -> None:
    fig = go.Figure(layout={"template": TEMPLATE})
    fig.add_trace(go.Choropleth(locations=["AFG"], z=[3], colorscale="Blues"))
    fig.add_trace(go.Scattergeo(lat=[1], lon=[2]))
    fig.add_trace(go.Bar(x=[1], y=[2]))
    fig.add_trace(go.Bar(x=[1], y=[2], marker={"line": {"width": 0}}))
    fig.add_trace(go.Bar(x=[1], y=[2]))
    choropleth, scattergeo, bar1, bar2, bar3 = _sent(fig)["data"]
    assert choropleth["colorbar"] == {"ticks": ""}  # it has a colour scale: plotly.js uses the template's colorbar
    assert "colorbar" not in scattergeo["marker"] and scattergeo["marker"]["opacity"] == 0.5  # a colorbar would draw one
    assert [b["marker"]["line"]["width"] for b in (bar1, bar2, bar3)] == [0.5, 0, 0.5]  # 2nd style, then cycling
    assert _sent(fig)["layout"]["xaxis"] == {"gridcolor": "#EEE", "showline": False}  # the template's style


def test_an_axis_line_is_shown_as_plotly_js_decides_it_before_the_bake() -> None:
    """plotly.js turns an axis line on by default only for a `linecolor` or `linewidth` of the figure's own, not
    its template's: written in, the template's `linecolor` drew a line and moved the plot area a pixel."""
    lined = go.layout.Template({"layout": {"xaxis": {"linecolor": "#EBF0F8"}, "yaxis": {"linecolor": "#EBF0F8",
                                                                                       "showline": True}}})  # fmt: skip
    fig = go.Figure(go.Bar(x=[1], y=[2]), layout={"template": lined})
    layout = _sent(fig)["layout"]
    assert layout["xaxis"]["showline"] is False and layout["xaxis"]["linecolor"] == "#EBF0F8"
    assert layout["yaxis"]["showline"] is True  # the template says so: plotly.js takes it
    own = _sent(go.Figure(go.Bar(x=[1], y=[2]), layout={"template": lined, "xaxis": {"linewidth": 2}}))["layout"]
    assert own["xaxis"]["showline"] is True  # the figure's own linewidth turns it on


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(REAL_DATA))
    return REAL_DATA


@pytest.mark.parametrize("page", ["map", "overview", "stance", "timeline"])
def test_every_chart_page_sends_the_browser_figure(real_data: Path, page: str) -> None:
    specs = charts_of(open_page(page))
    assert specs
    for spec in specs:
        assert "template" not in spec["layout"] and "bdata" not in json.dumps(spec)
        assert spec["layout"]["datarevision"] == baked.DATA_REVISION
        assert spec["layout"]["font"]["family"]  # the project's template, written in
