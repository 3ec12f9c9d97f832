"""bench.cold_trace's reading of a Chrome trace: the busiest renderer main thread, split at its largest module
evaluation."""

from __future__ import annotations

import pytest

from bench.cold_trace import split


def _thread(pid: int, tid: int, name: str) -> dict:
    return {"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}}


def _task(pid: int, ts: int, dur: int, tdur: int, name: str = "RunTask", url: str | None = None) -> dict:
    event = {"name": name, "ph": "X", "pid": pid, "tid": 1, "ts": ts, "dur": dur, "tdur": tdur}
    if url:
        event["args"] = {"data": {"url": url}}
    return event


def test_the_busiest_main_thread_is_split_at_its_largest_module_evaluation() -> None:
    events = [
        _thread(1, 1, "CrRendererMain"), _thread(2, 1, "CrRendererMain"), _thread(2, 7, "ThreadPoolForegroundWorker"),
        _task(1, 0, 5_000, 4_000),  # the renderer the navigation left: little work
        _task(2, 0, 100_000, 30_000), _task(2, 0, 90_000, 0, "v8.evaluateModule"),  # Streamlit's start
        _task(2, 200_000, 900_000, 800_000), _task(2, 201_000, 899_000, 0, "v8.evaluateModule"),  # plotly.js
        _task(2, 1_200_000, 50_000, 40_000),  # the draw
        {**_task(2, 150_000, 300_000, 0, "v8.parseOnBackground", "http://x/static/js/PlotlyChart.abc.js"), "tid": 7},
    ]  # fmt: skip
    parts = split(events)
    assert (parts["before_wall"], parts["before_cpu"]) == (100, 30)
    assert (parts["evaluation_wall"], parts["evaluation_cpu"]) == (900, 800)
    assert (parts["after_wall"], parts["after_cpu"]) == (50, 40)
    assert parts["parse PlotlyChart.abc.js"] == 300


def test_a_trace_without_a_module_evaluation_is_an_error() -> None:
    with pytest.raises(ValueError, match="module evaluation"):
        split([_thread(1, 1, "CrRendererMain"), _task(1, 0, 10, 5)])
