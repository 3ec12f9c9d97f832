"""Windows presenting together: a plain shared state on the server, keyed by briefing and room token.

The presenter's window and the audience's (on the same machine or another device) carry the same
`room=<token>` in their URL. A window that moves writes the room's slide with a new version (`press`); every
window of the room follows any version newer than the last it saw. Nothing leaves the server.

A key press moves the room through `press`, which is keyed by the window that pressed and the press's number
in that window: one transaction moves the room and records the number, and refuses a number it has already
recorded or passed. So a press answered twice (Streamlit may deliver one trigger in two runs) moves once, and a
press answered late (its callback cut off, or held up behind a newer press's) never takes the room back.

The rooms are rows of one small SQLite file, `rooms.sqlite` in the cache folder (`$DASHBOARD_ROOMS` names
another), so every process that shares it shares the rooms: the replicas behind `scripts/serve.sh`'s proxy
(sticky sessions put a second device on any replica), or pods given one shared file. A room is a few
numbers, never data. When the file cannot be written (a read-only install), rooms live in this process only,
as they did before: every window on one replica still follows.

A window hears of a move three ways, fastest first: a window of the room served by this process is woken at once
by the press that moved it (`listen`: the server starts that window's run, as Streamlit's own run-on-save does,
with no message from its browser); a window on another replica reads the room's doorbell file (`ring`); and every
window polls the room now and then (lib.ui.present), in case both were missed.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from lib.model.files import write_atomic
from lib.paths import STATIC_DIR, cache_dir

MAX_ROOMS = 256
# The doorbell: after every move, the room's version in a tiny file the app's own server serves as a static file
# (`server.enableStaticServing`: static/rooms/<digest>.txt at app/static/rooms/...), which a window's key component
# reads every BELL_MS: a look costs one small HTTP request, not a script run, and a change reruns the window at once.
BELL_DIR = STATIC_DIR / "rooms"
BELL_URL = "app/static/rooms"
ROOMS_ENV = "DASHBOARD_ROOMS"  # the rooms file shared by the replicas (default: <cache folder>/rooms.sqlite)
_LOG = logging.getLogger(__name__)

# The wake-up (`listen`, `_wake`) uses Streamlit internals, no public API: AppSession.request_rerun (what Streamlit's
# own run-on-save calls), the session's page, the run context and the ClientState message. If an upgrade moves or
# renames any of them, the app still imports and runs, the wake-up is off (logged once as a warning), windows follow
# by the doorbell and the room's poll (lib.ui.present), and tests/test_present.py's
# test_streamlits_internals_the_wake_up_uses_are_still_there fails, naming what is gone.
try:
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext, get_script_run_ctx
except ImportError as _error:  # an upgrade moved one of them
    ClientState = Runtime = AppSession = ScriptRunContext = get_script_run_ctx = None  # type: ignore[assignment,misc]
    _IMPORT_ERROR: str | None = str(_error)
else:
    _IMPORT_ERROR = None
_INTERNALS = (AppSession, Runtime, ClientState, ScriptRunContext)  # as imported (tests replace the module's names)
_warned: list[str] = []


def wake_up_missing() -> str | None:
    """What of the Streamlit internals the wake-up needs is gone or changed, in words; None when all are there."""
    if _IMPORT_ERROR is not None:
        return f"cannot import them: {_IMPORT_ERROR}"
    session, runtime, client, context = _INTERNALS
    problems = []
    request = getattr(session, "request_rerun", None)
    if not callable(request):
        problems.append("AppSession.request_rerun is gone")
    elif list(inspect.signature(request).parameters) != ["self", "client_state"]:
        problems.append(f"AppSession.request_rerun{inspect.signature(request)} no longer takes (self, client_state)")
    if not isinstance(getattr(session, "page_script_hash", None), property):
        problems.append("AppSession.page_script_hash is gone")
    problems += [f"Runtime.{name} is gone" for name in ("exists", "instance", "get_app_session")
                 if not callable(getattr(runtime, name, None))]  # fmt: skip
    fields = set(getattr(getattr(client, "DESCRIPTOR", None), "fields_by_name", {}))
    problems += [f"ClientState.{name} is gone" for name in ("query_string", "page_script_hash", "context_info")
                 if name not in fields]  # fmt: skip
    known = set(getattr(context, "__dataclass_fields__", {})) | {
        name for name, value in vars(context).items() if isinstance(value, property)}  # fmt: skip
    problems += [f"ScriptRunContext.{name} is gone" for name in ("session_id", "query_string", "page_script_hash",
                                                                 "context_info") if name not in known]  # fmt: skip
    return "; ".join(problems) or None


def _wake_up_works() -> bool:
    """False (and a warning, once per process and problem) where Streamlit lacks what the wake-up needs."""
    missing = wake_up_missing()
    if missing is not None and missing not in _warned:
        _warned.append(missing)
        _LOG.warning("presenting: no wake-up, windows follow a room by its doorbell and poll only (Streamlit %s: %s)",
                     st.__version__, missing)  # fmt: skip
    return missing is None


@dataclass(frozen=True)
class Room:
    """Where a room is: its slide, a version that grows with every move, when it started and last moved."""

    slide: int
    version: int
    started: float
    moved: float


_memory: dict[tuple[str, str], Room] = {}  # the fallback when the shared file cannot be used
_memory_presses: dict[tuple[str, str, str], int] = {}  # (briefing, token, window): the last press applied
_lock = threading.Lock()
_local = threading.local()  # one connection per thread (sqlite3 connections are not shared between threads)
_broken: set[str] = set()  # rooms files that failed: this process keeps its rooms in memory instead
# The windows of each room this process serves, by Streamlit session id: the page and query of their last run and
# the browser's context (st.context.url names the page), which a wake-up run is given (`listen`, `_wake`).
_listening: dict[tuple[str, str], dict[str, ClientState]] = {}


def store_path() -> Path:
    """The rooms file: `$DASHBOARD_ROOMS`, else `rooms.sqlite` in the cache folder."""
    return Path(os.environ.get(ROOMS_ENV) or cache_dir() / "rooms.sqlite").expanduser()


def _connection() -> sqlite3.Connection | None:
    path = str(store_path())
    if path in _broken:
        return None
    cons: dict[str, sqlite3.Connection] = getattr(_local, "cons", None) or {}
    _local.cons = cons
    if path in cons:
        return cons[path]
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=5, isolation_level=None)  # autocommit: transactions spelled out
        con.execute("PRAGMA journal_mode=WAL")  # readers (every window's poll) never wait for a move
        con.execute("PRAGMA synchronous=OFF")  # a room is a few numbers for one talk: no disk flush per move
        con.execute("CREATE TABLE IF NOT EXISTS rooms (briefing TEXT, token TEXT, slide INTEGER, version INTEGER,"
                    " started REAL, moved REAL, PRIMARY KEY (briefing, token))")  # fmt: skip
        con.execute("CREATE TABLE IF NOT EXISTS presses (briefing TEXT, token TEXT, window TEXT, seq INTEGER,"
                    " PRIMARY KEY (briefing, token, window))")  # fmt: skip
    except (OSError, sqlite3.Error) as exc:
        _broken.add(path)
        _LOG.warning("rooms file %s cannot be used (%s): rooms are kept in this process only", path, exc)
        return None
    cons[path] = con
    return con


def _shared(work):  # type: ignore[no-untyped-def]
    """Run `work(connection)` on the shared file, or return None (the caller uses memory) when it fails."""
    con = _connection()
    if con is None:
        return None
    try:
        return work(con)
    except sqlite3.Error as exc:
        _broken.add(str(store_path()))
        _LOG.warning("rooms file %s failed (%s): rooms are kept in this process only", store_path(), exc)
        return None


def _row(con: sqlite3.Connection, briefing: str, token: str) -> Room | None:
    row = con.execute("SELECT slide, version, started, moved FROM rooms WHERE briefing = ? AND token = ?",
                      (briefing, token)).fetchone()  # fmt: skip
    return Room(*row) if row else None


def new_token() -> str:
    """A fresh, unguessable room token for the URL."""
    return secrets.token_urlsafe(6)


def valid_token(token: str | None) -> bool:
    """True for a token this module could have made (URL-safe, short); anything else is ignored."""
    return bool(token) and len(token or "") <= 32 and all(c.isalnum() or c in "-_" for c in token or "")


def get(briefing: str, token: str) -> Room | None:
    """The room, or None when no window has opened it yet (every window's poll: one indexed read)."""
    found = _shared(lambda con: (_row(con, briefing, token),))
    if found is not None:
        return found[0]
    with _lock:
        return _memory.get((briefing, token))


def state(briefing: str, token: str, window: str | None) -> tuple[Room | None, int]:
    """The room and the last press of `window` it applied (0 for none), read together (one statement: a press
    applied between two reads cannot pair a new number with an old slide)."""
    found = _shared(lambda con: con.execute(
        "SELECT slide, version, started, moved, (SELECT seq FROM presses WHERE briefing = ? AND token = ? AND window = ?)"
        " FROM rooms WHERE briefing = ? AND token = ?", (briefing, token, window or "", briefing, token)).fetchone() or ())  # fmt: skip
    if found is not None:
        return (Room(*found[:4]), found[4] or 0) if found else (None, 0)
    with _lock:
        return _memory.get((briefing, token)), _memory_presses.get((briefing, token, window or ""), 0)


def press(briefing: str, token: str, window: str, seq: int, slide: int) -> bool:
    """Move the room to `slide` for press number `seq` of `window`, unless that window's press `seq` or a later one
    was applied already; True when it moved. The check, the move and the record are one transaction."""
    now = time.time()

    def shared(con: sqlite3.Connection) -> bool:
        con.execute("BEGIN IMMEDIATE")
        try:
            row = con.execute("SELECT seq FROM presses WHERE briefing = ? AND token = ? AND window = ?",
                              (briefing, token, window)).fetchone()  # fmt: skip
            if row is not None and row[0] >= seq:
                con.execute("COMMIT")
                return False
            con.execute("INSERT OR REPLACE INTO presses VALUES (?, ?, ?, ?)", (briefing, token, window, seq))
            _move(con, briefing, token, slide, now)
            _forget_old(con)
            room = _row(con, briefing, token)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        assert room is not None
        _wake(briefing, token)
        ring(briefing, token, room.version)
        return True

    moved = _shared(shared)
    if moved is not None:
        return moved
    with _lock:
        if _memory_presses.get((briefing, token, window), 0) >= seq:
            return False
        _memory_presses[(briefing, token, window)] = seq
        room = _move_in_memory(briefing, token, slide, now)
    _wake(briefing, token)
    ring(briefing, token, room.version)
    return True


def listen(briefing: str, token: str) -> None:
    """Let a move of the room in this process wake this window at once (call it in every run of a window of the
    room): its session is noted with the page, query and browser context of this run, which the wake-up run gets.
    Nothing when Streamlit lacks what the wake-up needs (`wake_up_missing`)."""
    if not _wake_up_works():
        return
    ctx = get_script_run_ctx()
    if ctx is None:  # not in a Streamlit run (a bare script or a test): nothing to wake
        return
    client = ClientState(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash)
    if ctx.context_info is not None:
        client.context_info.CopyFrom(ctx.context_info)
    with _lock:
        windows = _listening.setdefault((briefing, token), {})
        windows[ctx.session_id] = client
        while len(_listening) > MAX_ROOMS:
            del _listening[next(iter(_listening))]


def _wake(briefing: str, token: str) -> int:
    """Start a run in every other window of the room this process serves (the press's own window runs anyway);
    the number woken. A window that has closed, or whose last run was on another page, is forgotten. A failure
    is logged and left to the doorbell and the poll.

    Streamlit has no public call for this: AppSession.request_rerun is what its own file watcher calls, from the
    watcher's thread, to rerun a session on save; here it is given the window's last page, query and context.
    Where it is gone (`wake_up_missing`), nothing is woken: the doorbell and the poll bring the move."""
    if not _wake_up_works() or not Runtime.exists():
        return 0
    ctx = get_script_run_ctx()
    me = ctx.session_id if ctx is not None else None
    with _lock:
        windows = dict(_listening.get((briefing, token), {}))
    woken = 0
    for session_id, client in windows.items():
        if session_id == me:
            continue
        try:
            session = Runtime.instance().get_app_session(session_id)
            if session is None or session.page_script_hash not in ("", client.page_script_hash):
                with _lock:
                    _listening.get((briefing, token), {}).pop(session_id, None)
                continue
            session.request_rerun(client)
            woken += 1
        except Exception as exc:  # noqa: BLE001 -- the doorbell and the poll still bring the move
            _LOG.debug("waking a window of a room failed: %s", exc)
    return woken


def bell_name(briefing: str, token: str) -> str:
    """The doorbell file's name for a room: a digest (the briefing and token never appear in a served path)."""
    return hashlib.sha256(f"{briefing}\0{token}".encode()).hexdigest()[:32] + ".txt"


def bell_path(briefing: str, token: str) -> Path:
    """The room's doorbell file (under the static folder the app serves)."""
    return BELL_DIR / bell_name(briefing, token)


def ring(briefing: str, token: str, version: int) -> bool:
    """Write the room's version to its doorbell file (atomically); False when it cannot be written (a read-only
    install: windows then see moves by their slower poll alone)."""
    try:
        write_atomic(bell_path(briefing, token), str(version))
    except OSError as exc:
        _LOG.debug("doorbell for a room cannot be written: %s", exc)
        return False
    return True


def bell_works(briefing: str, token: str) -> bool:
    """True when the room's doorbell file is there and the app serves its static folder (a window then hears of a
    move without polling); else the room is followed by polling alone."""
    return bool(st.get_option("server.enableStaticServing")) and bell_path(briefing, token).is_file()


def _move(con: sqlite3.Connection, briefing: str, token: str, slide: int, now: float) -> None:
    con.execute("INSERT INTO rooms VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (briefing, token) DO UPDATE SET"
                " slide = excluded.slide, version = version + 1, moved = excluded.moved",
                (briefing, token, slide, now, now))  # fmt: skip


def _forget_old(con: sqlite3.Connection) -> None:
    gone = con.execute("DELETE FROM rooms WHERE moved < (SELECT moved FROM rooms ORDER BY moved DESC LIMIT 1 OFFSET ?)",
                       (MAX_ROOMS - 1,)).rowcount  # fmt: skip
    if gone:
        con.execute("DELETE FROM presses WHERE NOT EXISTS (SELECT 1 FROM rooms r WHERE r.briefing = presses.briefing"
                    " AND r.token = presses.token)")  # fmt: skip


def _move_in_memory(briefing: str, token: str, slide: int, now: float) -> Room:
    """`_move` for the rooms kept in this process (the caller holds `_lock`)."""
    old = _memory.get((briefing, token))
    room = Room(slide, old.version + 1, old.started, now) if old else Room(slide, 1, now, now)
    _memory[(briefing, token)] = room
    _forget_old_in_memory()
    return room


def _forget_old_in_memory() -> None:
    while len(_memory) > MAX_ROOMS:
        del _memory[min(_memory, key=lambda k: _memory[k].moved)]
    for key in [k for k in _memory_presses if k[:2] not in _memory]:
        del _memory_presses[key]


def join(briefing: str, token: str, slide: int) -> Room:
    """Open the room at `slide` if it is new; return it as it is (a window moves it by `press`)."""
    now = time.time()

    def shared(con: sqlite3.Connection) -> Room:
        found = _row(con, briefing, token)  # the common case, every run of every window: a read, no write lock
        if found is not None:
            return found
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("INSERT OR IGNORE INTO rooms VALUES (?, ?, ?, 1, ?, ?)", (briefing, token, slide, now, now))
            _forget_old(con)
            room = _row(con, briefing, token)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        assert room is not None
        return room

    room = _shared(shared)
    if room is None:
        with _lock:
            old = _memory.get((briefing, token))
            room = old if old is not None else _move_in_memory(briefing, token, slide, now)
    if not bell_path(briefing, token).is_file():  # a new room: its doorbell rings from the start
        ring(briefing, token, room.version)
    return room


def restart_clock(briefing: str, token: str) -> None:
    """Set the room's elapsed time back to zero."""
    now = time.time()
    done = _shared(lambda con: con.execute("UPDATE rooms SET started = ? WHERE briefing = ? AND token = ?",
                                           (now, briefing, token)))  # fmt: skip
    if done is None:
        with _lock:
            room = _memory.get((briefing, token))
            if room is not None:
                _memory[(briefing, token)] = Room(room.slide, room.version, now, room.moved)
