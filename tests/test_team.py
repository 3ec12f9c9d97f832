"""Team roles (issue 22): team.yaml is validated with located errors; with sign-in configured a viewer never
gets the Curate page (not in the navigation, not by its URL, not by running its script), a curator does;
the signed-in user comes from OIDC (st.user) or from the proxy's header only when the proxy connects."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from lib.team.roles import auth_mode, load_team, parse_team
from lib.ui import team as ui_team
from tests.conftest import write_data_dir

ROOT = Path(__file__).resolve().parent.parent
TEAM = "users:\n  Alice@Example.org: [curator]\n  bob: [curator, reviewer]\n  carol: viewer\n"

def test_parse_team_roles() -> None:
    team = parse_team(TEAM)
    assert not team.problems
    assert team.roles("alice@example.org") == {"curator"}  # names are case-insensitive
    assert team.can("bob", "reviewer") and team.can("bob", "viewer")
    assert team.can("carol", "viewer") and not team.can("carol", "curator")
    assert not team.can("mallory", "viewer") and not team.can(None, "viewer")
    assert parse_team(TEAM + "everyone: viewer\n").can("mallory", "viewer")

@pytest.mark.parametrize(("text", "where"), [
    ("users:\n  dan: [admin]\n", "team.yaml: user 'dan' field 'roles': 'admin' is not a role"),
    ("users:\n  dan: []\n", "team.yaml: user 'dan' field 'roles': must be a role or a list"),
    ("users:\n  dan smith: [viewer]\n", "team.yaml: user 'dan smith': a user name is one word"),
    ("users:\n  dan: [viewer]\n  DAN: [curator]\n", "team.yaml: user 'DAN': is listed twice"),
    ("users: [dan]\n", "team.yaml field 'users': must be a mapping"),
    ("users: {}\nadmins: [dan]\n", "team.yaml field 'admins': unknown key"),
    ("users: {}\neveryone: curator\n", "team.yaml field 'everyone': may only be 'viewer'"),
    ("users: {dan: [viewer\n", "team.yaml: malformed YAML at line "),
])  # fmt: skip
def test_team_problems_are_located(text: str, where: str) -> None:
    team = parse_team(text)
    assert any(str(p).startswith(where) for p in team.problems), [str(p) for p in team.problems]
    assert not team.can("dan", "curator")  # a bad entry never grants a role

def test_missing_team_file(tmp_path: Path) -> None:
    team = load_team(tmp_path)
    assert "team.yaml: is missing" in str(team.problems[0]) and not team.users

def test_auth_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    assert auth_mode() is None
    monkeypatch.setenv("DASHBOARD_AUTH", "")
    assert auth_mode() is None
    for mode in ("oidc", "proxy", " Proxy "):
        monkeypatch.setenv("DASHBOARD_AUTH", mode)
        assert auth_mode() == mode.strip().lower()
    monkeypatch.setenv("DASHBOARD_AUTH", "basic")
    with pytest.raises(ValueError, match="DASHBOARD_AUTH"):
        auth_mode()

def _fake_st(monkeypatch: pytest.MonkeyPatch, ip: str | None, headers: dict[str, str]) -> None:
    context = SimpleNamespace(ip_address=ip, headers=headers)
    monkeypatch.setattr(ui_team, "st", SimpleNamespace(context=context))

def test_proxy_header_trusted_only_from_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_AUTH", "proxy")
    _fake_st(monkeypatch, None, {"X-Remote-User": "Bob"})  # localhost: Streamlit reports no address
    assert ui_team.signed_in_user() == "bob"
    _fake_st(monkeypatch, "10.0.0.9", {"X-Remote-User": "bob"})  # anyone else sending the header
    assert ui_team.signed_in_user() is None
    monkeypatch.setenv("DASHBOARD_TRUSTED_PROXIES", "10.0.0.9, 10.0.0.10")
    assert ui_team.signed_in_user() == "bob"
    _fake_st(monkeypatch, None, {})
    assert ui_team.signed_in_user() is None
    monkeypatch.setenv("DASHBOARD_USER_HEADER", "X-Forwarded-User")
    _fake_st(monkeypatch, None, {"X-Forwarded-User": "carol", "X-Remote-User": "bob"})
    assert ui_team.signed_in_user() == "carol"

class _User(dict):
    @property
    def is_logged_in(self) -> bool:
        return bool(self)

def test_oidc_user_from_st_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_AUTH", "oidc")
    monkeypatch.setattr(ui_team, "st", SimpleNamespace(user=_User()))
    assert ui_team.signed_in_user() is None
    monkeypatch.setattr(ui_team, "st", SimpleNamespace(user=_User(email="Alice@Example.org", sub="x1")))
    assert ui_team.signed_in_user() == "alice@example.org"
    monkeypatch.setattr(ui_team, "st", SimpleNamespace(user=_User(sub="x1")))
    assert ui_team.signed_in_user() == "x1"

@pytest.fixture
def team_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_data_dir(tmp_path / "data")
    (root / "team.yaml").write_text(TEAM, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    monkeypatch.setenv("DASHBOARD_AUTH", "oidc")
    return root

def _as(monkeypatch: pytest.MonkeyPatch, user: str | None) -> None:
    """st.user mocked inside the AppTest run: the signed-in user's OIDC claims."""
    monkeypatch.setattr(ui_team, "_oidc_user", lambda: user)

def _run(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at

def _texts(at: AppTest) -> str:
    return " ".join([t.value for t in at.title] + [str(m.value) for m in at.markdown] + [str(e.value) for e in at.error]
                    + [b.label for b in at.button])  # fmt: skip

def test_nobody_signed_in_sees_only_sign_in(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, None)
    at = _run()
    assert [t.value for t in at.title] == ["Sign in"] and [b.label for b in at.button] == ["Sign in"]

def test_stranger_is_refused(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "mallory")
    at = _run()
    assert "`mallory` is not on this dashboard's team" in _texts(at)

def test_viewer_never_gets_the_curate_page(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "carol")
    at = _run()
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:  # the navigation has none
        at.switch_page("app_pages/curate.py")
    assert "curate.py" not in str(refused.value).split("Known pages:")[1]
    assert "Curate" not in [t.value for t in at.title] and "Save to the data folder" not in _texts(at)
    assert "Signed in as `carol` (viewer)" in " ".join(str(c.value) for c in at.caption)
    direct = AppTest.from_file(str(ROOT / "app_pages" / "curate.py"), default_timeout=60).run()  # the script itself
    assert "only curators and reviewers have it" in " ".join(str(e.value) for e in direct.error)
    assert not direct.text_area and not direct.button

def test_curator_gets_the_curate_page(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _as(monkeypatch, "alice@example.org")
    at = _run("app_pages/curate.py")
    assert "Curate" in [t.value for t in at.title]

def test_without_sign_in_the_localhost_tool_is_unchanged(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_AUTH")
    at = _run("app_pages/curate.py")
    assert "Curate" in [t.value for t in at.title]


def test_a_briefing_is_saved_by_a_curator_only(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    (team_folder / "briefings").mkdir(exist_ok=True)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=s", "-c", "user.email=s@x", "commit", "-qm", "Start"]):
        subprocess.run(["git", "-C", str(team_folder), *args], check=True, capture_output=True)

    def editing() -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
        at.session_state["briefing_draft"] = {"id": None, "title": "The vote", "subtitle": "", "audience": "",
                                              "slides": [{"heading": "One", "event": "kaz-votes-isaf", "uid": "a"}]}  # fmt: skip
        at.switch_page("app_pages/briefings.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    _as(monkeypatch, "carol")
    assert not [b for b in editing().button if b.key == "draft_save"]  # a viewer: no save action
    _as(monkeypatch, "alice@example.org")
    at = editing()
    next(b for b in at.button if b.key == "draft_save").click().run()
    assert (team_folder / "briefings" / "the-vote.yaml").is_file()
    log = subprocess.run(["git", "-C", str(team_folder), "log", "-1", "--format=%an|%s"], capture_output=True, text=True, check=True).stdout
    assert log.strip() == "alice@example.org|Save briefing the-vote"


def test_a_hostile_team_file_lets_nobody_in_and_says_why(team_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_hostile_yaml import billion_laughs, flow_nest

    _as(monkeypatch, "alice@example.org")
    for text in (billion_laughs().replace("title:", "users:"), f"users: {flow_nest(100_000)}\n",
                 "users: {alice@example.org: [curator]}\n" + "#" * (33 * 1024 * 1024)):  # fmt: skip
        (team_folder / "team.yaml").write_text(text, encoding="utf-8")
        at = _run()
        errors = " ".join(str(e.value) for e in at.error).replace("\\", "")  # as shown: Markdown escapes gone
        assert "nobody can sign in" in errors and "team.yaml" in errors, errors
        assert "refused at line" in errors or "not read" in errors, errors
        assert "Curate" not in [t.value for t in at.title]
