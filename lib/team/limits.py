"""The per-user save limit, shared by every process that shares the data folder (the replicas behind the proxy
of `scripts/serve.sh`, or pods on one shared volume): each save attempt is a row in a small SQLite file in the
data folder, `.save-limits.sqlite` (hidden: not data, left out of the folder's fingerprint and of its git
history). SQLite's own file locking serialises the replicas; a count and its new row are one transaction, so two
replicas cannot both let the last allowed save through. Only attempts younger than the window are kept."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

LIMIT_ENV = "DASHBOARD_SAVE_LIMIT"  # save attempts per user per window (default 20; 0 = no limit)
WINDOW_ENV = "DASHBOARD_SAVE_WINDOW"  # the window in seconds (default 60)
STORE_NAME = ".save-limits.sqlite"
DEFAULT_LIMIT, DEFAULT_WINDOW = 20, 60.0


class LimitStoreError(RuntimeError):
    """The shared store of save attempts could not be read or written (a read-only folder, a lock held too long)."""


def save_limit() -> tuple[int, float]:
    """(attempts allowed per user, window in seconds) from the environment; a bad value gives the default."""
    try:
        limit = max(0, int(os.environ.get(LIMIT_ENV, str(DEFAULT_LIMIT))))
    except ValueError:
        limit = DEFAULT_LIMIT
    try:
        window = float(os.environ.get(WINDOW_ENV, str(DEFAULT_WINDOW)))
    except ValueError:
        window = DEFAULT_WINDOW
    return limit, window if window > 0 else DEFAULT_WINDOW


def _window_words(window: float) -> str:
    return "a minute" if window == 60 else f"in {window:g} seconds"


def _take(path: Path, user: str, limit: int, window: float, now: float) -> bool:
    con = sqlite3.connect(path, timeout=10, isolation_level=None)  # autocommit: transactions spelled out
    try:
        con.execute("CREATE TABLE IF NOT EXISTS attempts (user TEXT NOT NULL, at REAL NOT NULL)")
        con.execute("BEGIN IMMEDIATE")  # the write lock first: the count and the new row are one step
        try:
            con.execute("DELETE FROM attempts WHERE at <= ?", (now - window,))
            (count,) = con.execute("SELECT count(*) FROM attempts WHERE user = ?", (user,)).fetchone()
            allowed = count < limit
            if allowed:
                con.execute("INSERT INTO attempts (user, at) VALUES (?, ?)", (user, now))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return allowed
    finally:
        con.close()


def take(folder: str | os.PathLike[str], user: str | None, *, now: float | None = None) -> str | None:
    """Count one save attempt by `user` in `folder`'s shared store. Returns None when it is allowed, else why
    not (the limit reached across every process). Raises LimitStoreError when the store cannot be used."""
    limit, window = save_limit()
    if not limit:
        return None
    path = Path(folder) / STORE_NAME
    stamp = time.time() if now is None else now
    try:
        try:
            allowed = _take(path, user or "", limit, window, stamp)
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError:  # a damaged file: it only counts recent attempts, so start it afresh
            path.unlink(missing_ok=True)
            allowed = _take(path, user or "", limit, window, stamp)
    except sqlite3.Error as exc:
        raise LimitStoreError(f"the save limit's store {path.name} could not be used: {exc}") from exc
    if allowed:
        return None
    return (f"too many saves: at most {limit} {_window_words(window)} per user, counted across every replica; "
            f"nothing was saved. Wait {_window_words(window).replace('in ', '')} and save again")  # fmt: skip
