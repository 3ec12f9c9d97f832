"""bench.bundle_cold's reading of a cold load: the chart code's parts in a Chrome trace, and the section's tables."""

from __future__ import annotations

import pytest

from bench.bundle_cold import report, trace_parts

BUNDLE = "http://127.0.0.1:1/app/static/plotly/plotly-charts.min.js?v=abc"


def _thread(pid: int, tid: int, name: str) -> dict:
    return {"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}}


def _event(name: str, ts: int, dur: int = 0, pid: int = 2, tid: int = 1, **data: object) -> dict:
    return {"name": name, "ph": "X", "pid": pid, "tid": tid, "ts": ts, "dur": dur, "tdur": dur, "args": {"data": data}}


def cold_trace() -> list[dict]:
    """A cold load in microseconds from 1,000,000: the document, Streamlit's start, the bundle asked at +1.2 s and
    arrived at +1.4 s, compiled off the main thread for 150 ms, evaluated for 90 ms from +1.45 s."""
    t0 = 1_000_000
    return [
        _thread(2, 1, "CrRendererMain"), _thread(2, 9, "ThreadPoolForegroundWorker"), _thread(1, 1, "CrRendererMain"),
        _event("RunTask", t0, 1_000, pid=1),  # the renderer the navigation left
        _event("ResourceSendRequest", t0, requestId="1", url="http://127.0.0.1:1/timeline", resourceType="Document"),
        _event("RunTask", t0 + 500_000, 300_000),
        _event("v8.evaluateModule", t0 + 510_000, 250_000),  # Streamlit's own start: not the chart code
        _event("ResourceSendRequest", t0 + 1_100_000, requestId="7", url="http://127.0.0.1:1/static/js/B.js",
               resourceType="Script"),
        _event("ResourceSendRequest", t0 + 1_200_000, requestId="8", url=BUNDLE, resourceType="Script"),
        _event("ResourceFinish", t0 + 1_300_000, requestId="7"),
        _event("v8.parseOnBackground", t0 + 1_250_000, 150_000, tid=9, url=BUNDLE),
        _event("ResourceFinish", t0 + 1_400_000, requestId="8"),
        _event("RunTask", t0 + 1_440_000, 400_000),
        _event("v8.compileModule", t0 + 1_445_000, 1_000, url=BUNDLE),
        _event("v8.evaluateModule", t0 + 1_450_000, 90_000),
        _event("v8.evaluateModule", t0 + 1_700_000, 30_000),  # a later module: not the chart code's
    ]  # fmt: skip


def test_the_chart_codes_request_compile_and_evaluation_are_read_from_the_trace() -> None:
    parts = trace_parts(cold_trace())
    assert (parts["asked"], parts["loaded"]) == (1200, 1400)
    assert parts["parse"] == 150
    assert parts["compiled"] == 1445
    assert (parts["evaluation"], parts["evaluated"]) == (90, 1540)


def test_a_load_that_never_asked_for_chart_code_has_no_parts() -> None:
    events = [e for e in cold_trace() if "plotly" not in str(e.get("args"))]
    parts = trace_parts(events)
    assert parts["asked"] is None and parts["compiled"] is None and parts["evaluation"] is None


def test_a_trace_without_the_document_request_is_an_error() -> None:
    with pytest.raises(ValueError, match="document request"):
        trace_parts([e for e in cold_trace() if e["name"] != "ResourceSendRequest"])


def _load(total: float, drawn: float, **more: float) -> dict:
    return {"total": total, "drawn": drawn, "idle": 1.0, "first_message": 0.9, "element_loaded": 1.05, "asked": 1.1,
            "loaded": 1.2, "code_bytes": 1_440_000, "bytes": 3_700_000, **more}  # fmt: skip


def test_the_section_gives_each_variants_median_and_range_and_the_traced_parts() -> None:
    pages = [{"url_path": "timeline", "title": "Timeline", "script": "app_pages/timeline.py"}]
    expect = {"app_pages/timeline.py": {"count": 1, "heading": "Timeline"}}
    variants = {"before": "main", "after": "this branch"}
    times = {"before": {"timeline": [_load(2.2, 2.2), _load(2.4, 2.4), _load(2.0, 2.0)]},
             "after": {"timeline": [_load(1.6, 1.6), _load(1.4, 1.4), _load(1.5, 1.5)]}}  # fmt: skip
    traced = {"before": {"timeline": []},
              "after": {"timeline": [_load(2.0, 2.0, trace_asked=1.2, trace_loaded=1.3, trace_parse=0.15,
                                           trace_compiled=1.31, trace_evaluation=0.09, trace_evaluated=1.4)]}}  # fmt: skip
    text = report(times, pages, expect, 3, "_Run_", "1.0", "2.0", variants, "/work/main", traced)
    rows = [line for line in text.splitlines() if line.startswith("| Timeline")]
    assert rows[0].startswith("| Timeline | 1 | main | 2200 ms | 2000 ms–2400 ms | 900 ms | 1050 ms | 1100 ms")
    assert rows[1].startswith("| Timeline | 1 | this branch | 1500 ms | 1400 ms–1600 ms |")
    assert "1.44 MB" in rows[1] and "3.70 MB" in rows[1]
    assert rows[2] == ("| Timeline | this branch | 1 | 900 ms | 1200 ms | 1300 ms | 150 ms | 1310 ms | 90 ms | 1400 ms"
                       " | 2000 ms | 600 ms |")
    assert len(rows) == 3, "no traced row for a variant without traced loads"
    assert "1.0 at the start, 2.0 at the end" in text and "--baseline /work/main" in text


def test_without_traced_loads_the_section_has_no_trace_table() -> None:
    pages = [{"url_path": "map", "title": "Regional map", "script": "app_pages/map.py"}]
    expect = {"app_pages/map.py": {"count": 1, "heading": "Regional map"}}
    times = {"a": {"map": [_load(1.8, 1.8)]}}
    text = report(times, pages, expect, 1, "_Run_", "0.5", "0.6", {"a": "(a)"}, None)
    assert "tracer" not in text and text.count("| Regional map") == 1
