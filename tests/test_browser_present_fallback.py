"""Presenting on a Streamlit without the wake-up's internals: the windows of a room still follow each other.

lib.ui.rooms wakes the other windows of a room with AppSession.request_rerun, which is no public API. This server
runs with that name hidden from everything but Streamlit's own modules (a `sitecustomize` module on its PYTHONPATH),
as an upgrade that renamed it would leave things: Streamlit works, the app finds no request_rerun. The audience
window must follow the presenter by the room's doorbell and, with the doorbell blocked too, by the room's poll every
BELL_FALLBACK_SECONDS (lib.ui.present).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lib.model.load import load_dataset
from lib.ui.present import BELL_FALLBACK_SECONDS
from tests.conftest import REAL_DATA
from tests.test_browser import CHROMIUM, Browser, serve_dashboard, settle

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)")
VIEWPORT = {"width": 1280, "height": 720}
NAME = "kazakhstan-isaf-2010-2011"
COUNTER = "p.slide-counter"
# Streamlit calls request_rerun itself for every rerun: only callers outside its own modules lose it.
UPGRADE = """import sys

from streamlit.runtime.app_session import AppSession

_REAL = AppSession.request_rerun


class _Renamed:
    def __get__(self, obj, cls=None):
        if not sys._getframe(1).f_globals.get("__name__", "").startswith("streamlit"):
            raise AttributeError("request_rerun")
        return _REAL if obj is None else _REAL.__get__(obj, cls)


AppSession.request_rerun = _Renamed()
"""


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upgrade") / "streamlit.log"


@pytest.fixture(scope="module")
def server(log: Path) -> Iterator[str]:
    (log.parent / "sitecustomize.py").write_text(UPGRADE, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(log.parent), os.environ.get("PYTHONPATH", "")) if p)
    yield from serve_dashboard(REAL_DATA, {"PYTHONPATH": path}, log, startup=120)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


def counter_at(page: Any, number: int, count: int, timeout: float) -> None:
    page.wait_for_function("t => { const e = document.querySelector('p.slide-counter');"
                           " return e && e.innerText.endsWith(t); }", arg=f"Slide {number} of {count}",
                           timeout=timeout * 1000, polling=100)  # fmt: skip


def follow(br: Any, server: str, room: str, *, doorbell: bool) -> list[float]:
    """Seconds from each of two presenter's presses to the audience window's counter showing the slide."""
    count = len(load_dataset(REAL_DATA).briefings[NAME].slides)
    audience_context, presenter_context = br.new_context(viewport=VIEWPORT), br.new_context(viewport=VIEWPORT)
    if not doorbell:  # the doorbell's reads fail, as where static serving is off behind a proxy
        audience_context.route("**/app/static/rooms/**", lambda route: route.abort())
    audience, presenter = audience_context.new_page(), presenter_context.new_page()
    try:
        for page, view in ((audience, ""), (presenter, "&view=presenter")):
            page.goto(f"{server}/present?briefing={NAME}&slide=1&room={room}{view}", timeout=180000)
            page.wait_for_selector(COUNTER, timeout=180000)
            settle(page)
        took = []
        for number in (2, 3):
            settle(audience)
            start = time.monotonic()
            presenter.keyboard.press("ArrowRight")
            counter_at(audience, number, count, timeout=BELL_FALLBACK_SECONDS + 20)
            took.append(time.monotonic() - start)
        return took
    finally:
        audience_context.close()
        presenter_context.close()


def test_without_request_rerun_the_server_says_so_once_and_the_doorbell_brings_the_move(
        server: str, browser: Browser, log: Path) -> None:  # fmt: skip
    took = browser.run(lambda br: follow(br, server, "fallback1", doorbell=True), timeout=600)
    assert "no wake-up" in log.read_text(errors="replace"), "the server log says the wake-up is off"
    # the doorbell is read every 100 ms: well under the 5 s poll, even on a loaded machine
    assert max(took) < BELL_FALLBACK_SECONDS, f"seconds from the presenter's press to the audience's slide: {took}"


def test_without_request_rerun_or_the_doorbell_the_rooms_poll_brings_the_move(server: str, browser: Browser) -> None:
    took = browser.run(lambda br: follow(br, server, "fallback2", doorbell=False), timeout=600)
    # only the poll is left: every BELL_FALLBACK_SECONDS, and a run of the page after it (slow under load)
    assert max(took) < BELL_FALLBACK_SECONDS + 20, f"seconds from the presenter's press to the audience's slide: {took}"
