"""bench/server.py's floor draws a page's figures with the element the page drew them with (round 14 moved the
dashboard's charts to the app's chart element; a floor through st.plotly_chart serialised every figure on every
rerun, which the pages no longer do, so page / floor read better than the pages were)."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from bench import server
from lib.ui.chart_element import NAME
from tests.conftest import write_data_dir


def _floor_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, captured: list[dict]) -> AppTest:
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(captured), encoding="utf-8")
    monkeypatch.setenv("BENCH_FLOOR_FIGURES", str(path))
    at = AppTest.from_file(str(server.FLOOR), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_floor_draws_each_figure_with_the_element_that_drew_it(tmp_path: Path, monkeypatch) -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"title": {"text": "Floor"}})
    sent = fig.to_json()
    config = {"displaylogo": False}
    at = _floor_run(tmp_path, monkeypatch, [
        {"spec": json.loads(sent), "config": config, "json": sent, "element": True},
        {"spec": json.loads(sent), "config": config, "json": sent, "element": False},
    ])  # fmt: skip
    (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == NAME]
    data = json.loads(element.proto.json)
    assert data["spec"] == sent and data["config"] == config, "the page's JSON as it was sent, not re-serialised"
    (chart,) = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["layout"]["title"]["text"] == "Floor"


def test_a_pages_charts_are_captured_with_the_element_that_drew_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    at = AppTest.from_file(str(server.ENTRY), default_timeout=60)
    at.run()
    at.switch_page("app_pages/timeline.py").run()
    charts = server.captured_charts(at)
    assert charts and all(c["element"] for c in charts), "the dashboard draws its charts with the chart element"
    assert all(json.loads(c["json"]) == c["spec"] and c["bytes"] == len(c["json"]) for c in charts)
    floor = _floor_run(tmp_path, monkeypatch, charts)
    assert len(floor.get("bidi_component")) == len(charts) and not floor.get("plotly_chart")
