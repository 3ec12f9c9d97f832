"""The signed-in user and their roles (issue 22), found once per run: Streamlit's own OIDC sign-in
(`st.login`, `st.user`) or a user header set by a trusted reverse proxy. Without sign-in configured
(`$DASHBOARD_AUTH` unset) the app is the single-user localhost tool: no user, every page of its mode.

A viewer never gets the Curate page: `curate_allowed` decides both the navigation and the page itself.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from lib.model.filters import code_span, escape_markdown
from lib.paths import curation_mode
from lib.paths import data_dir as resolve_data_dir
from lib.team.roles import Team, auth_mode, load_team

LOG = logging.getLogger("dashboard.team")
USER_HEADER_ENV = "DASHBOARD_USER_HEADER"  # the header the proxy sets (default X-Remote-User)
TRUSTED_PROXIES_ENV = "DASHBOARD_TRUSTED_PROXIES"  # comma-separated addresses; localhost is always trusted
_SIGNED_IN = "team_signed_in_logged"


def _log_to_stderr() -> None:
    """Sign-ins and saves (logger `dashboard.team`) go to the server's stderr with the time and the user."""
    if not LOG.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
        LOG.propagate = False


_log_to_stderr()


def user_markdown(user: str) -> str:
    """A user name for Markdown, shown literally as a code span: escaping alone would still let Streamlit's
    Markdown turn an e-mail address into a mailto link."""
    return code_span(user)


def team() -> Team:
    """The data folder's team.yaml (read each run: a change applies at the next rerun)."""
    return load_team(resolve_data_dir())


def _proxy_user() -> str | None:
    """The user the proxy names in its header, only when the connection comes from the proxy's address
    (Streamlit reports localhost as None; other trusted addresses come from $DASHBOARD_TRUSTED_PROXIES)."""
    trusted = {a.strip() for a in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if a.strip()}
    ip = st.context.ip_address
    if ip is not None and ip not in trusted:
        return None
    value = st.context.headers.get(os.environ.get(USER_HEADER_ENV, "X-Remote-User"))
    return value.strip().lower() if value and value.strip() else None


def _oidc_user() -> str | None:
    if not st.user.is_logged_in:
        return None
    for claim in ("email", "preferred_username", "sub"):
        value = st.user.get(claim)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    return None


def signed_in_user() -> str | None:
    """The signed-in user's name (lower case), or None (no sign-in configured, or nobody signed in)."""
    mode = auth_mode()
    if mode == "proxy":
        return _proxy_user()
    if mode == "oidc":
        return _oidc_user()
    return None


def can(role: str) -> bool:
    """True when this session may act as `role`; without sign-in configured, always (the localhost tool)."""
    if auth_mode() is None:
        return True
    return team().can(signed_in_user(), role)


def curate_allowed() -> bool:
    """The Curate page (and every save) exists for this session: curation mode, and a curator or reviewer."""
    return curation_mode() and (can("curator") or can("reviewer"))


def sign_in_gate() -> None:
    """Run before the navigation: with sign-in configured, stop the run unless a user on the team is signed in."""
    mode = auth_mode()
    if mode is None:
        return
    user = signed_in_user()
    if user is None:
        st.title("Sign in", anchor=False)
        if mode == "oidc":
            st.write("This dashboard is shared by a team: sign in to see it.")
            st.button("Sign in", type="primary", on_click=st.login)
        else:
            st.error("No signed-in user reached the app: open it through the team's address (the proxy), "
                     "not a replica's own port.")  # fmt: skip
        st.stop()
    members = team()
    if members.problems and not members.users:
        st.error("The team file has problems, so nobody can sign in:\n\n"
                 + "\n".join(f"- {escape_markdown(str(p))}" for p in members.problems))  # fmt: skip
        st.stop()
    if not members.can(user, "viewer"):
        LOG.warning("refused sign-in: user=%s is not in team.yaml", user)
        st.error(f"{user_markdown(user)} is not on this dashboard's team (team.yaml). Ask a curator to add you.")
        if mode == "oidc":
            st.button("Sign out", on_click=st.logout)
        st.stop()
    if not st.session_state.get(_SIGNED_IN):
        st.session_state[_SIGNED_IN] = True
        LOG.warning("sign-in: user=%s roles=%s mode=%s", user, ",".join(sorted(members.roles(user))), mode)


def user_badge() -> None:
    """The signed-in user and roles in the sidebar (with Sign out under OIDC)."""
    mode = auth_mode()
    user = signed_in_user()
    if mode is None or user is None:
        return
    with st.sidebar:
        st.caption(f"Signed in as {user_markdown(user)} ({', '.join(sorted(team().roles(user))) or 'no role'})")
        if mode == "oidc":
            st.button("Sign out", on_click=st.logout, key="team_sign_out")
