"""Who may do what: the roles of `team.yaml` in the data folder, and whether sign-in is configured.

    # team.yaml: user -> roles (viewer, curator, reviewer)
    users:
      alice@example.org: [curator]
      bob: [curator, reviewer]
      carol: [viewer]
    everyone: viewer     # optional: the role of a signed-in user not listed (absent: no access)

Sign-in is configured when `$DASHBOARD_AUTH` is `oidc` (Streamlit's own `st.login`) or `proxy` (a reverse proxy
authenticates and passes the user in a header). Unset or empty: the single-user localhost tool, no roles.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from lib.errors import DataProblem
from lib.model.read import load_yaml, read_text, yaml_error_text

AUTH_ENV = "DASHBOARD_AUTH"
AUTH_MODES = ("oidc", "proxy")
ROLES = ("viewer", "curator", "reviewer")
TEAM_FILE = "team.yaml"


def auth_mode() -> str | None:
    """"oidc" or "proxy" when sign-in is configured, None for the single-user localhost tool.

    Any other value is refused (ValueError): a typo must not silently turn sign-in off."""
    value = os.environ.get(AUTH_ENV, "").strip().lower()
    if not value:
        return None
    if value not in AUTH_MODES:
        raise ValueError(f"${AUTH_ENV} is {value!r}: expected 'oidc', 'proxy' or nothing (no sign-in)")
    return value


@dataclass(frozen=True)
class Team:
    """The roles of each user; `everyone` is the roles of a signed-in user who is not listed."""

    users: dict[str, frozenset[str]] = field(default_factory=dict)
    everyone: frozenset[str] = frozenset()
    problems: tuple[DataProblem, ...] = ()

    def roles(self, user: str | None) -> frozenset[str]:
        """The roles of `user` (none for no user, or a user not listed when `everyone` is not set)."""
        if not user:
            return frozenset()
        return self.users.get(user.strip().lower(), self.everyone)

    def can(self, user: str | None, role: str) -> bool:
        """True when `user` holds `role`. A curator or reviewer can also view."""
        held = self.roles(user)
        return role in held or (role == "viewer" and bool(held))


def _roles(value: object, file: str, record: str, problems: list[DataProblem]) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        problems.append(DataProblem(file, record, "roles", f"must be a role or a list of roles ({', '.join(ROLES)})"))
        return frozenset()
    good = set()
    for item in items:
        if item in ROLES:
            good.add(item)
        else:
            problems.append(DataProblem(file, record, "roles", f"{item!r} is not a role: use {', '.join(ROLES)}"))
    return frozenset(good)


def parse_team(text: str, file: str = TEAM_FILE) -> Team:
    """The team in `text` (YAML), every problem located (file, user, field). A user with a bad entry gets no
    roles: a mistake never grants more than the file says."""
    problems: list[DataProblem] = []
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:  # malformed, or over a limit (size, nesting, aliases): one located line
        return Team(problems=(DataProblem(file, None, None, yaml_error_text(exc)),))
    if not isinstance(raw, dict):
        return Team(problems=(DataProblem(file, None, None, "must be a mapping with 'users' (user -> roles)"),))
    for key in raw:
        if key not in ("users", "everyone"):
            problems.append(DataProblem(file, None, str(key), "unknown key: only 'users' and 'everyone'"))
    users: dict[str, frozenset[str]] = {}
    entries = raw.get("users")
    if not isinstance(entries, dict):
        problems.append(DataProblem(file, None, "users", "must be a mapping of user -> roles"))
        entries = {}
    for name, roles in entries.items():
        if not isinstance(name, str) or not name.strip() or any(c.isspace() or c in ",:<>\"" for c in name.strip()):
            problems.append(DataProblem(file, f"user {name!r}", None, "a user name is one word (a login or an e-mail)"))
            continue
        key = name.strip().lower()
        if key in users:
            problems.append(DataProblem(file, f"user {name!r}", None, "is listed twice"))
            continue
        users[key] = _roles(roles, file, f"user {name!r}", problems)
    everyone: frozenset[str] = frozenset()
    if raw.get("everyone") is not None:
        everyone = _roles(raw["everyone"], file, None, problems)  # type: ignore[arg-type]
        if everyone - {"viewer"}:
            problems.append(DataProblem(file, None, "everyone", "may only be 'viewer': name curators and reviewers"))
            everyone = frozenset({"viewer"}) & everyone
    return Team(users=users, everyone=everyone, problems=tuple(problems))


def load_team(folder: str | os.PathLike[str]) -> Team:
    """The team of the data folder (`team.yaml`); a missing file is a problem (nobody may sign in)."""
    path = Path(folder) / TEAM_FILE
    label = f"{Path(folder).name}/{TEAM_FILE}"
    if not path.is_file():
        return Team(problems=(DataProblem(label, None, None, "is missing: with sign-in configured it lists who may "
                                          "view, curate and review (see README 'Running it for a team')"),))  # fmt: skip
    problems: list[DataProblem] = []
    text = read_text(path, label, problems)  # a file over the size limit is not read at all
    if text is None:
        return Team(problems=tuple(problems))
    team = parse_team(text, label)
    return replace(team, problems=(*problems, *team.problems)) if problems else team
