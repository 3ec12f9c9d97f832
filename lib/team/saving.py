"""The team's save: a per-user rate limit, then the folder's lock (every process sharing the folder), then the
one checked, atomic save of `lib.model.store` (refused on stale data), then a git commit authored by the user.
Every save and refusal is logged with the user."""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lib.errors import DataProblem
from lib.model import store
from lib.team import history
from lib.team.lock import LockTimeout, folder_lock

LOG = logging.getLogger("dashboard.team")
LIMIT_ENV = "DASHBOARD_SAVE_LIMIT"  # saves per user per minute (default 20; 0 = no limit)
_RECENT: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
_RECENT_LOCK = threading.Lock()


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: `problems` ([] when saved), the commit (None: history off or not saved), and a
    note for the curator (history off, or the commit failed after the files were saved)."""

    problems: list[DataProblem] = field(default_factory=list)
    commit: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _limit() -> int:
    try:
        return max(0, int(os.environ.get(LIMIT_ENV, "20")))
    except ValueError:
        return 20


def _rate_limited(user: str | None) -> bool:
    """True when `user` already saved the allowed number of times in the last minute (this process)."""
    limit = _limit()
    if not limit:
        return False
    now = time.monotonic()
    with _RECENT_LOCK:
        recent = _RECENT[user or ""]
        while recent and now - recent[0] > 60:
            recent.popleft()
        if len(recent) >= limit:
            return True
        recent.append(now)
        return False


def save(folder: str | os.PathLike[str], changes: Mapping[str, str], seen: Mapping[str, str], *,
         user: str | None, message: str, wait: float = 30.0) -> Saved:  # fmt: skip
    """Save `changes` as `lib.model.store.save` does, one process at a time, and commit them as `user`."""
    root = Path(folder).resolve()
    subject = message.splitlines()[0] if message else ""
    if _rate_limited(user):
        LOG.warning("save refused (rate limit): user=%s %s", user, subject)
        return Saved([DataProblem(root.name, None, None, f"too many saves: at most {_limit()} a minute per user; "
                                  "nothing was saved. Wait a minute and save again")])  # fmt: skip
    try:
        with folder_lock(root, wait=wait):
            problems = store.save(root, changes, seen)
            if problems:
                LOG.warning("save refused: user=%s %s: %s", user, subject, "; ".join(str(p) for p in problems[:3]))
                return Saved(problems)
            try:
                sha = history.commit(root, sorted(changes), message, user)
            except RuntimeError as exc:
                LOG.error("saved without a commit: user=%s %s: %s", user, subject, exc)
                return Saved(note=f"Saved, but not recorded in the history: {exc}")
    except LockTimeout as exc:
        LOG.warning("save refused (lock): user=%s %s", user, subject)
        return Saved([DataProblem(root.name, None, None, f"{exc}; nothing was saved. Save again in a moment")])
    LOG.info("saved: user=%s commit=%s %s", user, sha[:10] if sha else "-", subject)
    return Saved(commit=sha, note=None if sha else history.HISTORY_OFF)
