"""Curation mode stays on this machine unless sign-in is configured: scripts/start.sh refuses to start it on
an address beyond localhost, and the app, reading Streamlit's server.address, shows why and serves no page."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from lib.paths import curation_exposure, is_local_address
from lib.ui.chart_element import drawn_charts
from tests.conftest import key_numbers, write_data_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("address,local", [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True),
                                           ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False),
                                           ("192.168.1.5", False), ("", False), (None, False), ("example.org", False)])  # fmt: skip
def test_local_addresses(address: str | None, local: bool) -> None:
    assert is_local_address(address) is local


def test_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    monkeypatch.delenv("DASHBOARD_CURATE", raising=False)
    assert curation_exposure("0.0.0.0") is None  # not curating: viewers only
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    assert curation_exposure("127.0.0.1") is None
    why = curation_exposure("0.0.0.0")
    assert why and "0.0.0.0" in why and "DASHBOARD_AUTH=oidc" in why and "sign-in is not configured" in why
    assert "every interface" in (curation_exposure("") or "")
    for value, allowed in (("oidc", True), ("PROXY", True), ("yes", False), ("", False)):
        monkeypatch.setenv("DASHBOARD_AUTH", value)
        assert (curation_exposure("0.0.0.0") is None) is allowed


def _start(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """scripts/start.sh as shipped, except that where it would set up and start the server it exits 0."""
    script = (ROOT / "scripts" / "start.sh").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh --browser\n" in script
    (tmp_path / "scripts").mkdir(exist_ok=True)
    copy = tmp_path / "scripts" / "start.sh"
    copy.write_text(script.replace("bash scripts/setup.sh --browser\n", "exit 0\n"), encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k not in {"DASHBOARD_AUTH", "DASHBOARD_CURATE", "STREAMLIT_SERVER_ADDRESS"}}
    return subprocess.run(["bash", str(copy), *args], env={**clean, **env}, capture_output=True, text=True,
                          timeout=30, check=False)  # fmt: skip


@pytest.mark.parametrize("args", [("--server.address", "0.0.0.0"), ("--server.address=192.168.1.5",),
                                  ("--server.address", "::"), ("--server.address=",)])  # fmt: skip
def test_start_refuses_curation_beyond_localhost_without_sign_in(tmp_path: Path, args: tuple[str, ...]) -> None:
    run = _start(tmp_path, "--curate", *args)
    assert run.returncode == 2
    assert "Curation mode refused" in run.stderr and "DASHBOARD_AUTH" in run.stderr


def test_start_refuses_an_address_from_the_environment_too(tmp_path: Path) -> None:
    run = _start(tmp_path, "--curate", STREAMLIT_SERVER_ADDRESS="0.0.0.0")
    assert run.returncode == 2 and "'0.0.0.0'" in run.stderr


@pytest.mark.parametrize("args,env", [
    (("--curate",), {}),
    (("--curate", "--server.address", "127.0.0.1"), {}),
    (("--curate", "--server.address=localhost"), {}),
    (("--curate", "--server.address", "0.0.0.0"), {"DASHBOARD_AUTH": "proxy"}),
    (("--server.address", "0.0.0.0"), {}),  # viewers only: no write path
])  # fmt: skip
def test_start_allows_localhost_sign_in_or_no_curation(tmp_path: Path, args: tuple[str, ...], env: dict[str, str]) -> None:
    run = _start(tmp_path, *args, **env)
    assert run.returncode == 0, run.stderr


@pytest.fixture
def exposed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield monkeypatch
    config.set_option("server.address", before)


def test_the_app_in_curation_mode_on_every_interface_says_why_and_serves_nothing(exposed) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1 and "Curation mode refused" in at.error[0].value and "0.0.0.0" in at.error[0].value
    assert not key_numbers(at) and not drawn_charts(at), "no page is drawn"


def test_the_app_with_sign_in_configured_serves_curation(exposed) -> None:
    from lib.ui import team as ui_team

    exposed.setenv("DASHBOARD_AUTH", "oidc")
    (Path(os.environ["DASHBOARD_DATA_DIR"]) / "team.yaml").write_text("users:\n  cora: [curator]\n", encoding="utf-8")
    exposed.setattr(ui_team, "_oidc_user", lambda: "cora")  # a curator signed in through the identity provider
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception and not at.error
    at.switch_page("app_pages/curate.py").run()
    assert not at.exception and not at.error
