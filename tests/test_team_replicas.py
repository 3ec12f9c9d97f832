"""A team on one server, for real (issue 22): scripts/serve.sh starts Debian's nginx (auth_basic, sticky
cookie, websockets) in front of two Streamlit replicas sharing one data folder that is a git repository.
In Chromium: a viewer is refused the Curate page; two curators on different replicas fix the same event at
once: one save lands, the other is refused with its reason and nothing is lost (saved after a reload);
`git log` shows both authors; a reviewer accepts the event on one replica and the reviewed-only view of
the other replica then includes it; the save limit (2 per user here) counts a user's saves on both replicas
together: a third save is refused on the replica that has seen only one of them.

Skips with a reason when nginx or Chromium is missing (scripts/setup.sh --dev installs both)."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_events, write_data_dir

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
USERS = {"alice": "curator", "dora": "curator", "bob": "reviewer", "carol": "viewer", "erin": "curator"}

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/setup.sh --dev installs it)"),
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh --browser)"),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to write the htpasswd file"),
]


def _free_ports(n: int) -> int:
    """A port p with p..p+n free (the proxy, then the replicas)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n > 65535:
            continue
        try:
            for p in range(base, base + n + 1):
                with socket.socket() as t:
                    t.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
    pytest.skip("no run of free ports")


def _get(url: str, user: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url)
    request.add_header("Authorization", "Basic " + base64.b64encode(f"{user}:pw-{user}".encode()).decode())
    if cookie:
        request.add_header("Cookie", f"replica={cookie}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("team")
    events = make_events()
    events[1] = {**events[1], "date": "2009-05",  # outside every period: a warning the Curate page offers to fix
                 "sources": [{"article": "mt-2011", "quote": "The Taliban has warned Kazakhstan"}]}  # fmt: skip
    data = write_data_dir(tmp / "data", events)
    (data / "team.yaml").write_text("users:\n" + "".join(f"  {u}: [{r}]\n" for u, r in USERS.items()), encoding="utf-8")
    _git(data, "init", "-q")
    _git(data, "add", "-A")
    _git(data, "-c", "user.name=setup", "-c", "user.email=setup@x", "commit", "-qm", "Start")
    htpasswd = tmp / "htpasswd"
    lines = [f"{u}:" + subprocess.run(["openssl", "passwd", "-apr1", f"pw-{u}"], capture_output=True, text=True,
                                      check=True).stdout.strip() for u in USERS]  # fmt: skip
    htpasswd.write_text("\n".join(lines) + "\n")
    port = _free_ports(2)
    # at most 2 saves an hour per user, counted across both replicas (the last test reaches it)
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "DASHBOARD_SECRET_FILE": str(tmp / "secret"),
           "DASHBOARD_SAVE_LIMIT": "2", "DASHBOARD_SAVE_WINDOW": "3600"}  # fmt: skip
    log = open(tmp / "serve.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(["bash", "scripts/serve.sh", "--port", str(port), "--htpasswd", str(htpasswd),
                             "--run-dir", str(tmp / "run")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            replicas = set()
            try:
                for i in range(2):
                    status, headers = _get(f"{base}/_stcore/health", "carol", cookie=f"probe{i}")
                    if status == 200:
                        replicas.add(headers.get("X-Replica"))
            except OSError:
                pass
            if "serve.sh: http://" in (tmp / "serve.log").read_text() and replicas:
                break
            if proc.poll() is not None:
                pytest.fail("serve.sh stopped:\n" + (tmp / "serve.log").read_text()[-3000:])
            time.sleep(0.5)
        cookies: dict[str, str] = {}  # replica address -> a sticky cookie value that reaches it
        for i in range(64):
            status, headers = _get(f"{base}/_stcore/health", "carol", cookie=f"c{i}")
            cookies.setdefault(headers.get("X-Replica", ""), f"c{i}")
        sticky = [cookies[a] for a in sorted(cookies) if a]
        assert len(sticky) >= 2, cookies
        yield {"base": base, "data": data, "sticky": sticky, "log": tmp / "serve.log"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_the_proxy_authenticates_and_the_app_trusts_only_its_header(team: dict) -> None:
    base = team["base"]
    request = urllib.request.Request(f"{base}/")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    status, headers = _get(f"{base}/", "carol")
    assert status == 200 and "replica=" in headers.get("Set-Cookie", "")
    status, _ = _get(f"{base}/", "mallory")  # no such user in the htpasswd file
    assert status == 401


def test_the_proxy_compresses_streamlits_code_and_keeps_its_caching(team: dict) -> None:
    """Streamlit sends its JavaScript uncompressed (the Plotly chunk alone is 4.7 MB); nginx gzips it for a
    browser that asks, and passes Streamlit's one-year immutable caching of its hashed bundles on."""
    import re

    base, auth = team["base"], "Basic " + base64.b64encode(b"carol:pw-carol").decode()

    def fetch(path: str, encoding: str) -> tuple[dict[str, str], bytes]:  # header names in lower case
        request = urllib.request.Request(f"{base}/{path}", headers={"Authorization": auth, "Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=30) as response:
            return {name.lower(): value for name, value in response.headers.items()}, response.read()

    _, page = fetch("", "identity")
    script = re.search(rb'src="\.?/?(static/js/index\.[^"]+\.js)"', page)
    assert script, page[:500]
    plain_headers, plain = fetch(script.group(1).decode(), "identity")
    gzip_headers, packed = fetch(script.group(1).decode(), "gzip")
    assert "content-encoding" not in plain_headers and gzip_headers.get("content-encoding") == "gzip"
    assert len(packed) < len(plain) / 2
    assert "immutable" in gzip_headers.get("cache-control", "")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Chromium driven from its own worker thread (tests.test_browser.Browser): Playwright's sync API refuses
    to start where an earlier test left an asyncio loop running."""
    from tests.test_browser import Browser

    b = Browser()
    yield b
    b.close()


def _page(browser, team: dict, user: str, replica: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(http_credentials={"username": user, "password": f"pw-{user}"},
                                  viewport={"width": 1280, "height": 900})  # fmt: skip
    context.add_cookies([{"name": "replica", "value": team["sticky"][replica], "url": team["base"]}])
    page = context.new_page()
    page.set_default_timeout(90_000)  # generous: CI machines can be loaded (a run at load 27 took 66 s for a chart page)
    return page


def _open(page, url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.get_by_text(text).first.wait_for()


def test_a_viewer_is_refused_the_curate_page(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    browser.run(lambda br: _viewer_refused(br, team), timeout=600)


def _viewer_refused(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    page = _page(browser, team, "carol", 0)
    _open(page, team["base"] + "/curate", "Signed in as")
    page.wait_for_timeout(1500)
    body = page.locator("body").inner_text()
    assert "Signed in as carol (viewer)" in body
    assert "Draft events" not in body and "Save" not in body.replace("Saved", "")
    assert "Curate" not in page.locator('[data-testid="stSidebarNav"]').inner_text()
    page.context.close()


def _fix_form(page, team: dict, title: str) -> None:  # type: ignore[no-untyped-def]
    _open(page, team["base"] + "/curate", "Add an article")
    page.get_by_role("tab", name="Problems (1)").click()
    page.get_by_role("button", name="Fix this event").click()
    field = page.get_by_label("Title", exact=True)
    field.wait_for()
    field.fill(title)


def test_two_curators_one_lands_one_refused_then_review(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    browser.run(lambda br: _two_curators_then_review(br, team), timeout=900)


def _two_curators_then_review(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    data = team["data"]
    alice, dora = _page(browser, team, "alice", 0), _page(browser, team, "dora", 1)
    _fix_form(alice, team, "Taliban warn Kazakhstan (alice)")
    _fix_form(dora, team, "Taliban warn Kazakhstan (dora)")  # both read the folder before either saves
    alice.get_by_role("button", name="Save the fixed event").click()
    alice.get_by_text("Saved the fixed event taliban-warns-kaz").wait_for()
    dora.get_by_role("button", name="Save the fixed event").click()
    dora.get_by_text("changed on disk after this page read it").first.wait_for()
    text = (data / "events.yaml").read_text(encoding="utf-8")
    assert "(alice)" in text and "(dora)" not in text  # the first save stands; the stale one wrote nothing
    assert "Taliban warn Kazakhstan (dora)" == dora.get_by_label("Title", exact=True).input_value()  # not lost
    dora.screenshot(path=str(team["log"].parent / "refused.png"))
    dora.get_by_role("button", name="Reload the data folder").click()
    dora.get_by_role("button", name="Save the fixed event").click()
    dora.get_by_text("Saved the fixed event taliban-warns-kaz").wait_for()
    assert "(dora)" in (data / "events.yaml").read_text(encoding="utf-8")
    authors = _git(data, "log", "--format=%an|%s").splitlines()
    assert authors[:2] == ["dora|Edit event taliban-warns-kaz", "alice|Edit event taliban-warns-kaz"]

    viewer = _page(browser, team, "carol", 1)  # the other replica's reviewed-only view: not there yet
    _open(viewer, team["base"] + "/events?reviewed=1", "of 1 event")
    bob = _page(browser, team, "bob", 0)
    _open(bob, team["base"] + "/curate", "Review (1)")
    bob.get_by_role("tab", name="Review (1)").click()
    bob.get_by_role("button", name="Accept").click()
    bob.get_by_text("Accepted event taliban").wait_for()
    assert _git(data, "log", "-1", "--format=%an|%s").strip() == "bob|Accept event taliban-warns-kaz"
    viewer.reload()  # a save on one replica appears on the other at its next run
    viewer.get_by_text("2 of 2 events").first.wait_for()
    for page in (alice, dora, viewer, bob):
        page.context.close()


def test_the_save_limit_counts_a_users_saves_on_every_replica(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    browser.run(lambda br: _limit_across_replicas(br, team), timeout=900)


def _limit_across_replicas(browser, team: dict) -> None:  # type: ignore[no-untyped-def]
    data = team["data"]
    pages = [_page(browser, team, "erin", 0), _page(browser, team, "erin", 1)]
    for replica, n in ((0, 1), (1, 2)):  # one save on each replica: the limit (2) is reached
        _fix_form(pages[replica], team, f"Taliban warn Kazakhstan (erin {n})")
        pages[replica].get_by_role("button", name="Save the fixed event").click()
        pages[replica].get_by_text("Saved the fixed event taliban-warns-kaz").wait_for()
    _fix_form(pages[1], team, "Taliban warn Kazakhstan (erin 3)")  # replica 1 has seen only one of erin's saves
    pages[1].get_by_role("button", name="Save the fixed event").click()
    pages[1].get_by_text("too many saves: at most 2 in 3600 seconds per user, counted across every replica").wait_for()
    text = (data / "events.yaml").read_text(encoding="utf-8")
    assert "(erin 2)" in text and "(erin 3)" not in text  # nothing was saved
    assert _git(data, "log", "-1", "--format=%an").strip() == "erin"
    logs = "".join(p.read_text() for p in sorted((team["log"].parent / "run").glob("replica-*.log")))
    assert "save refused (rate limit): user=erin" in logs
    for page in pages:
        page.context.close()
