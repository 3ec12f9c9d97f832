"""The load test's protocol sessions (bench/protocol.py) against a real server: they open permalinks,
change filters through widget states, switch pages and fetch downloads, and see their own view."""

from __future__ import annotations

import concurrent.futures
import re

import pytest

from bench import load_test
from bench.protocol import Run, check_view
from lib.model.filters import Filters


def test_protocol_sessions_run_every_kind_of_step_without_errors(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--driver", "protocol", "--sessions", "2", "--seconds", "12", "--ramp", "1", "--think", "0.2",
            "--max-steps", "12", "--no-write"]  # fmt: skip
    # in a thread of its own: an earlier test's Playwright may hold an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        status = pool.submit(load_test.main, argv).result(timeout=300)
    report = capsys.readouterr().out
    assert status == 0, report
    steps = re.search(r"\((\d+) filter changes, (\d+) page switches, (\d+) exports", report)
    assert steps and all(int(n) > 0 for n in steps.groups()), report
    assert "| Errors | 0 |" in report


class _Client:
    base = "http://127.0.0.1:8501"
    query = "country=KAZ&from=2001&to=2004"


def test_a_caption_of_another_view_is_an_error() -> None:
    from streamlit.proto.Element_pb2 import Element

    options, _ = load_test.load_options()
    code = next(iter(options.countries))
    session = load_test.Session(0, [code], (2001, 2004), load_test.PageLink("timeline", "Timeline", False, False, None))
    expected = session.filters(options)
    run = Run(finished=0)
    caption = Element()
    caption.markdown.body = "Showing: All events"
    run.elements[(0,)] = caption
    client = _Client()
    client.query = "&".join(f"{k}={v}" for k, v in expected.to_query().items())
    check_view(session, run, client, expected, options, "open", True)
    assert any("is not 'Showing:" in e for e in session.errors), session.errors
    session.errors.clear()
    caption.markdown.body = f"Showing: {expected.describe(options)}"
    run.elements[(0,)] = caption
    check_view(session, run, client, Filters(countries=(code,), year_from=2001, year_to=2004), options, "open", True)
    assert session.errors == []
