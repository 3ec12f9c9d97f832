"""`bench.nav_trace`'s reading of a Chrome trace: the renderer main thread found by name, its CPU time from the
top-level tasks' thread time, and self time by kind with nested events subtracted."""

from __future__ import annotations

from bench.nav_trace import modules, summarise

MAIN, OTHER = (1, 10), (1, 11)


def _meta(pid_tid: tuple[int, int], name: str) -> dict:
    return {"ph": "M", "name": "thread_name", "pid": pid_tid[0], "tid": pid_tid[1], "args": {"name": name}}


def _span(pid_tid: tuple[int, int], name: str, ts: int, dur: int, tdur: int = 0, url: str = "") -> dict:
    return {"ph": "X", "name": name, "pid": pid_tid[0], "tid": pid_tid[1], "ts": ts, "dur": dur, "tdur": tdur,
            "args": {"data": {"url": url}} if url else {}}  # fmt: skip


def test_self_time_by_kind_subtracts_nested_events_and_cpu_sums_top_level_thread_time() -> None:
    events = [
        _meta(MAIN, "CrRendererMain"), _meta(OTHER, "Compositor"),
        _span(MAIN, "RunTask", 0, 10_000, tdur=6_000),
        _span(MAIN, "FunctionCall", 1_000, 6_000, url="http://h/static/js/react-dom.abc.js"),
        _span(MAIN, "Layout", 2_000, 2_000),
        _span(MAIN, "RunTask", 20_000, 3_000, tdur=2_500),
        _span(MAIN, "UpdateLayoutTree", 20_500, 1_000),
        _span(OTHER, "RunTask", 0, 50_000, tdur=50_000),  # another thread: not counted
    ]  # fmt: skip
    found = summarise(events)
    assert found["cpu"] == 8.5 and found["busy"] == 13.0
    assert found["script:react-dom"] == 4.0 and found["layout"] == 2.0 and found["style"] == 1.0
    assert found["task (other)"] == 4.0 + 2.0


def test_no_renderer_main_thread_gives_nothing() -> None:
    assert summarise([_meta(OTHER, "Compositor"), _span(OTHER, "RunTask", 0, 1_000)]) == {}


def test_profile_self_time_by_chunk_leaves_out_idle() -> None:
    profile = {"nodes": [{"id": 1, "callFrame": {"url": "http://h/static/js/PlotlyChart.x1.js", "functionName": "f"}},
                         {"id": 2, "callFrame": {"url": "", "functionName": "(idle)"}}],
               "samples": [1, 1, 2, 1], "timeDeltas": [0, 1_000, 2_000, 3_000]}  # fmt: skip
    assert modules(profile) == {"PlotlyChart": 3.0}  # a sample lasts until the next one; the last has no length
