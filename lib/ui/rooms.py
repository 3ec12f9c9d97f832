"""Windows presenting together: a plain shared state in the server process, keyed by briefing and room token.

The presenter's window and the audience's (on the same machine or another device) carry the same
`room=<token>` in their URL. A window that moves writes the room's slide with a new version; every window
of the room polls it and follows any version newer than the last it saw. Nothing leaves the server.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

MAX_ROOMS = 256


@dataclass(frozen=True)
class Room:
    """Where a room is: its slide, a version that grows with every move, when it started and last moved."""

    slide: int
    version: int
    started: float
    moved: float


_rooms: dict[tuple[str, str], Room] = {}
_lock = threading.Lock()


def new_token() -> str:
    """A fresh, unguessable room token for the URL."""
    return secrets.token_urlsafe(6)


def valid_token(token: str | None) -> bool:
    """True for a token this module could have made (URL-safe, short); anything else is ignored."""
    return bool(token) and len(token or "") <= 32 and all(c.isalnum() or c in "-_" for c in token or "")


def get(briefing: str, token: str) -> Room | None:
    """The room, or None when no window has opened it yet."""
    with _lock:
        return _rooms.get((briefing, token))


def join(briefing: str, token: str, slide: int) -> Room:
    """Open the room at `slide` if it is new; return it as it is."""
    with _lock:
        room = _rooms.get((briefing, token))
        if room is None:
            now = time.time()
            room = _rooms[(briefing, token)] = Room(slide, 1, now, now)
            _forget_oldest()
        return room


def move(briefing: str, token: str, slide: int) -> Room:
    """Move the room to `slide` (a new version even when it is already there, so every window follows)."""
    with _lock:
        room = _rooms.get((briefing, token))
        now = time.time()
        if room is None:
            room = Room(slide, 1, now, now)
        else:
            room = Room(slide, room.version + 1, room.started, now)
        _rooms[(briefing, token)] = room
        _forget_oldest()
        return room


def restart_clock(briefing: str, token: str) -> None:
    """Set the room's elapsed time back to zero."""
    with _lock:
        room = _rooms.get((briefing, token))
        if room is not None:
            _rooms[(briefing, token)] = Room(room.slide, room.version, time.time(), room.moved)


def _forget_oldest() -> None:
    while len(_rooms) > MAX_ROOMS:
        oldest = min(_rooms, key=lambda k: _rooms[k].moved)
        del _rooms[oldest]
