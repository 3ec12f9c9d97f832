"""The team's save: a per-user rate limit shared by every replica (`lib.team.limits`), then the folder's lock
(every process sharing the folder), then a commit of any change no save recorded (a save killed before its commit,
an edit by hand: `history.record_unrecorded`), then the one checked, atomic save of `lib.model.store` (refused on
stale data), then a git commit authored by the user. Every save and refusal is logged with the user."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lib.errors import DataProblem
from lib.model import files, store
from lib.team import history, limits
from lib.team.lock import LockTimeout, folder_lock

LOG = logging.getLogger("dashboard.team")


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


def save(folder: str | os.PathLike[str], changes: Mapping[str, str], seen: Mapping[str, str], *,
         user: str | None, message: str, wait: float = 30.0) -> Saved:  # fmt: skip
    """Save `changes` as `lib.model.store.save` does, one process at a time, and commit them as `user`."""
    root = Path(folder).resolve()
    subject = message.splitlines()[0] if message else ""
    try:
        refused = limits.take(root, user)
    except limits.LimitStoreError as exc:
        LOG.error("save refused (limit store): user=%s %s: %s", user, subject, exc)
        return Saved([DataProblem(root.name, None, None, f"{exc}; nothing was saved")])
    if refused:
        LOG.warning("save refused (rate limit): user=%s %s", user, subject)
        return Saved([DataProblem(root.name, None, None, refused)])
    try:
        with folder_lock(root, wait=wait):
            files.recover(root)  # an interrupted save's renames finished first: then what is on disk is recorded
            try:
                history.record_unrecorded(root)
            except RuntimeError as exc:  # the save itself goes on: it is checked and atomic without git
                LOG.error("could not record earlier unrecorded changes: %s", exc)
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
