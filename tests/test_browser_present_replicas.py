"""Issue 21, the presenter view with several replicas: a second device may land on another server process (the
proxy's sticky sessions keep each browser on one replica, not each room). Two servers share one rooms file, as
`scripts/serve.sh`'s replicas share the project's `.cache/`: the audience on one, the presenter on the other, and
each follows the other's moves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lib.model.load import load_dataset
from tests.conftest import REAL_DATA
from tests.test_browser import CHROMIUM, Browser, serve_dashboard

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs Debian's chromium)")
VIEWPORT = {"width": 1280, "height": 720}
DRAWN = """([heading, selector]) => {
  const h = document.querySelector('.st-key-present_heading h1');
  return !!h && h.innerText.trim() === heading && !!document.querySelector(selector);
}"""
COUNTER = "t => { const e = document.querySelector('p.slide-counter'); return !!e && e.innerText.endsWith(t); }"


@pytest.fixture(scope="module")
def rooms_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rooms") / "rooms.sqlite"


@pytest.fixture(scope="module")
def replicas(rooms_file: Path) -> Iterator[tuple[str, str]]:
    env = {"DASHBOARD_ROOMS": str(rooms_file)}
    first = serve_dashboard(REAL_DATA, env, "streamlit-browser-replica-1.log")
    second = serve_dashboard(REAL_DATA, env, "streamlit-browser-replica-2.log")
    urls = (next(first), next(second))
    try:
        yield urls
    finally:
        for server in (first, second):
            server.close()


def test_the_audience_on_one_replica_follows_the_presenter_on_another(replicas: tuple[str, str],
                                                                       rooms_file: Path) -> None:  # fmt: skip
    name, briefing = next(iter(load_dataset(REAL_DATA).briefings.items()))
    slides = briefing.slides
    count = len(slides)
    assert count >= 3

    def drawn(number: int) -> list[str]:
        kind = "spotlight" if slides[number - 1].event else "chart"
        return [slides[number - 1].heading, f".st-key-present_{kind}_{number} .main-svg"]

    def check(br: Any) -> list[str]:
        contexts = [br.new_context(viewport=VIEWPORT) for _ in range(2)]
        audience, presenter = (context.new_page() for context in contexts)
        seen = []
        try:
            audience.goto(f"{replicas[0]}/present?briefing={name}&slide=1&room=replicas1")
            presenter.goto(f"{replicas[1]}/present?briefing={name}&slide=1&view=presenter&room=replicas1")
            for page in (audience, presenter):
                page.wait_for_function(COUNTER, arg=f"Slide 1 of {count}", timeout=90000)
            presenter.wait_for_timeout(800)
            for number in (2, 3):
                presenter.keyboard.press("ArrowRight")
                audience.wait_for_function(DRAWN, arg=drawn(number), timeout=30000)
                seen.append(f"audience {number}")
                presenter.wait_for_timeout(600)
            audience.keyboard.press("Home")  # a move in the audience's window, on the other replica
            presenter.wait_for_function(COUNTER, arg=f"Slide 1 of {count}", timeout=30000)
            seen.append("presenter 1")
        finally:
            for context in contexts:
                context.close()
        return seen

    browser = Browser()
    try:
        assert browser.run(check) == ["audience 2", "audience 3", "presenter 1"]
    finally:
        browser.close()
    assert rooms_file.exists(), "the room lives in the shared file, not in either process"
