"""Streamlit's own OIDC sign-in for real (issue 22, `DASHBOARD_AUTH=oidc`): `streamlit run dashboard.py` with an
`[auth]` section pointing at a local OpenID provider started by the test (oidc-provider-mock, a Flask app on a
thread, pinned in requirements-dev.txt). In Chromium: nobody signed in sees only "Sign in"; Sign in goes to the
provider and back (authorization code flow with nonce, RS256 ID token checked by Authlib); the user (the `email`
claim) gets the curator role of team.yaml, fixes an event on the Curate page, and the commit and the Events page
history name them; Sign out ends it (through the provider's end-session page). No request leaves localhost: the provider's own page links a CDN stylesheet,
which the browser is refused (offline, as everything here).

Skips with a reason when Chromium or oidc-provider-mock is missing (scripts/setup.sh --dev installs both)."""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import make_events, write_data_dir
from tests.test_browser import free_port, serve_dashboard

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
oidc_mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed (requirements-dev.txt)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh --browser)")

ALICE = "alice@example.org"


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID provider on localhost: alice (sub alice-sub, email alice@example.org) is one click away."""
    users = [oidc_mock.User(sub="alice-sub", claims={"email": "Alice@Example.org", "name": "Alice"})]
    # plain http is allowed on loopback (Authlib: RFC 8252 7.3), so no insecure-transport switch is needed
    with oidc_mock.run_server_in_thread(port=free_port(), require_nonce=True, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """`streamlit run dashboard.py` with sign-in by OIDC, curation on, a data folder that is a git repository."""
    tmp = tmp_path_factory.mktemp("oidc")
    events = make_events()
    events[1] = {**events[1], "date": "2009-05",  # outside every period: a warning the Curate page offers to fix
                 "sources": [{"article": "mt-2011", "quote": "The Taliban has warned Kazakhstan"}]}  # fmt: skip
    data = write_data_dir(tmp / "data", events)
    (data / "team.yaml").write_text(f"users:\n  {ALICE}: [curator]\n  carol@example.org: [viewer]\n", encoding="utf-8")
    _git(data, "init", "-q")
    _git(data, "add", "-A")
    _git(data, "-c", "user.name=setup", "-c", "user.email=setup@x", "commit", "-qm", "Start")
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "briefing-dashboard"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    env = {"DASHBOARD_AUTH": "oidc", "DASHBOARD_CURATE": "1"}
    log = tmp / "streamlit.log"
    for base in serve_dashboard(data, env, log, ("--secrets.files", str(secrets_file)), startup=90):
        # the redirect_uri names localhost: the browser must use the same host for the session cookie
        yield {"base": base.replace("127.0.0.1", "localhost"), "data": data, "log": log, "tmp": tmp}


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from tests.test_browser import Browser

    b = Browser()
    yield b
    b.close()


def test_sign_in_with_oidc_curate_and_see_the_author(browser, app: dict, provider: str) -> None:  # type: ignore[no-untyped-def]
    outside: list[tuple[str, str]] = []
    seen = browser.run(lambda br: _sign_in_save_and_read_history(br, app, outside), timeout=900)
    assert "Sign in" in seen["before"] and "Add an article" not in seen["before"]
    assert seen["provider_host"] == urlsplit(provider).netloc  # Sign in went to the provider
    assert f"Signed in as {ALICE} (curator)" in seen["signed_in"]
    assert seen["mailto"] == 0  # the address is shown as text, not turned into a mailto link
    assert _git(app["data"], "log", "-1", "--format=%an <%ae>|%s").strip() == (
        f"{ALICE} <{ALICE}>|Edit event taliban-warns-kaz")
    line = next(line for line in seen["history"].splitlines() if line.startswith(f"{ALICE}, "))
    assert "changed" in line and "title" in line and "Edit event taliban-warns-kaz" in line, line
    assert "Sign in" in seen["after_sign_out"] and "Signed in as" not in seen["after_sign_out"]
    log = app["log"].read_text(encoding="utf-8")
    assert f"sign-in: user={ALICE} roles=curator mode=oidc" in log and f"saved: user={ALICE}" in log
    # the only requests beyond localhost were the provider page's CDN stylesheet, refused
    assert outside and all(frame.startswith(provider) for _, frame in outside), outside


def _sign_in_save_and_read_history(br, app: dict, outside: list) -> dict:  # type: ignore[no-untyped-def]
    context = br.new_context(viewport={"width": 1280, "height": 900})

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(route.request.url).hostname
        if host in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            outside.append((route.request.url, route.request.frame.url))
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(90_000)
    seen: dict = {}
    try:
        page.goto(app["base"] + "/curate")
        page.get_by_role("button", name="Sign in").wait_for()
        page.wait_for_timeout(1000)
        seen["before"] = page.locator("body").inner_text()
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="alice-sub").wait_for()  # the provider's page: one click for alice
        seen["provider_host"] = urlsplit(page.url).netloc
        page.screenshot(path=str(app["tmp"] / "provider.png"))
        page.get_by_role("button", name="alice-sub").click()
        page.get_by_text("Signed in as").first.wait_for()
        seen["signed_in"] = page.locator('[data-testid="stSidebar"]').inner_text()

        page.goto(app["base"] + "/curate")
        page.get_by_role("tab", name="Problems (1)").click()
        page.get_by_role("button", name="Fix this event").click()
        field = page.get_by_label("Title", exact=True)
        field.wait_for()
        field.fill("Taliban warn Kazakhstan (signed in)")
        page.get_by_role("button", name="Save the fixed event").click()
        page.get_by_text("Saved the fixed event taliban-warns-kaz").wait_for()
        page.screenshot(path=str(app["tmp"] / "saved.png"))

        page.goto(app["base"] + "/events")
        page.get_by_label("Search the events").fill("signed in")
        page.get_by_label("Search the events").press("Enter")
        page.locator('[data-testid="stSelectbox"]').last.click()
        page.locator('[role="option"]', has_text="Taliban warn Kazakhstan (signed in)").first.click()
        page.get_by_text("Show this event's history").click()
        page.get_by_text(re.compile(re.escape(ALICE) + r", \d{4}-\d\d-\d\d")).first.wait_for()
        seen["history"] = page.locator('[data-testid="stMain"]').inner_text()
        seen["mailto"] = page.locator('a[href^="mailto:"]').count()
        page.screenshot(path=str(app["tmp"] / "history.png"), full_page=True)

        page.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()  # the provider's end-session page, then back
        page.get_by_role("button", name="Sign in").wait_for()
        seen["after_sign_out"] = page.locator("body").inner_text()
        return seen
    finally:
        context.close()
