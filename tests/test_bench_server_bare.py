"""bench server's events verdict: bare Streamlit sending the events page's elements (bench/bare_events_page.py) stays
the page's match, the verdict reads as `bench browser`'s does, and each script is compiled once as the server does."""

from __future__ import annotations

import builtins
import contextlib
from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench import server
from lib.paths import ROOT
from tests.conftest import write_data_dir


def _widgets(at: AppTest) -> Counter:
    kinds = ("button", "text_input", "multiselect", "slider", "download_button", "checkbox")
    return Counter((kind, element.label) for kind in kinds for element in at.get(kind))


def test_the_bare_page_sends_the_events_pages_widgets_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    app.switch_page("app_pages/events.py").run()
    bare = AppTest.from_file(str(ROOT / server.BARE_PAGES["app_pages/events.py"]), default_timeout=60)
    bare.run()
    assert not app.exception and not bare.exception
    assert _widgets(bare) == _widgets(app)
    (shown,) = app.dataframe
    (same,) = bare.dataframe
    assert same.value.equals(shown.value)  # the same rows and columns


def _runs(page: float, floor: float, bare: float) -> dict:
    return {"page": {"median_s": page, "p95_s": page}, "floor": {"median_s": floor, "p95_s": floor},
            "bare": {"median_s": bare, "p95_s": bare}}  # fmt: skip


@pytest.mark.parametrize(
    ("page", "bare", "verdict"),
    [
        (0.0058, 0.0040, "Verdict: met"),
        (0.0080, 0.0040, "the app's gap"),
        (0.0080, 0.0065, "out of Streamlit's reach"),
        (0.0080, 0.0058, "on the line"),
    ],
)
def test_the_events_verdict(page: float, bare: float, verdict: str) -> None:
    text = server.events_verdict("app_pages/events.py", _runs(page, 0.002, bare))
    assert verdict in text
    assert f"{page / 0.002:.1f}x the floor" in text


def test_each_script_is_compiled_once_as_the_server_does(monkeypatch: pytest.MonkeyPatch) -> None:
    script = str(ROOT / "bench" / "floor_page.py")
    compiled: list[str] = []
    real = builtins.compile

    def counting(source, filename, *args, **kwargs):  # type: ignore[no-untyped-def]
        if filename == script:
            compiled.append(filename)
        return real(source, filename, *args, **kwargs)

    monkeypatch.setenv("BENCH_FLOOR_FIGURES", str(ROOT / "bench" / "out" / "no-such-file.json"))
    monkeypatch.setattr(builtins, "compile", counting)
    for kept in (True, False):
        compiled.clear()
        with server.kept_bytecode() if kept else contextlib.nullcontext():
            at = AppTest.from_file(script, default_timeout=60)
            at.run()
            at.run()
        assert len(compiled) == (1 if kept else 2)

