"""An event's history on the Events page (issue 22): each commit that changed it (who, when, which fields),
and for a curator in curation mode a button to restore an earlier version through the same checked save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from lib.model import store
from lib.model.filters import escape_markdown
from lib.paths import curation_mode
from lib.paths import data_dir as resolve_data_dir
from lib.reading.curate import Plan
from lib.team import history
from lib.ui.curate import save_plan
from lib.ui.team import can, user_markdown

_SEEN = "history_seen_state"
_MESSAGE = "history_message"
_SAVED = "history_saved"  # a restore changed the data: the whole app reruns, not only the Events page's fragment


def _when(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso


def _restore(event_id: str, version: dict[str, Any], short: str) -> None:
    problems = save_plan(Plan(edits={event_id: version}), st.session_state.get(_SEEN, {}), verb=f"Restore (to {short})")
    st.session_state[_MESSAGE] = (problems, event_id, short)
    st.session_state[_SAVED] = not problems


def event_history(event_id: str) -> None:
    """The history of event `event_id` (only when asked for: it reads git), or a note that history is off."""
    if st.session_state.pop(_SAVED, False):  # the data changed: the sidebar, view and counts must follow it
        st.rerun(scope="app")
    message = st.session_state.pop(_MESSAGE, None)
    if message and message[1] == event_id:
        problems, _, short = message
        if problems:
            st.error("Not restored, nothing was saved:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))
        else:
            st.success(f"Restored the version of {escape_markdown(short)}.")
    if not st.toggle("Show this event's history", key=f"history_{event_id}"):
        return
    folder = resolve_data_dir()
    if not history.history_on(folder):
        st.caption(history.HISTORY_OFF)
        return
    changes = history.event_history(folder, event_id)
    if not changes:
        st.caption("No recorded change of this event in the data folder's history.")
        return
    restore = curation_mode() and can("curator")
    if restore:
        st.session_state[_SEEN] = store.read_state(folder)
    for i, change in enumerate(changes):
        what = "added" if change.fields == ("added",) else "changed " + ", ".join(change.fields)
        line = f"{user_markdown(change.author)}, {_when(change.when)}: {escape_markdown(what)} · {escape_markdown(change.subject)} (`{change.commit[:7]}`)"
        left, right = st.columns([5, 1])
        left.markdown(line)
        if restore and i > 0:
            short = f"{change.commit[:7]}, {_when(change.when)}"
            right.button("Restore", key=f"history_restore_{event_id}_{change.commit[:10]}", on_click=_restore,
                         args=(event_id, change.event, short), help="Save this version again (checked like any save)")  # fmt: skip
