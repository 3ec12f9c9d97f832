"""The briefing draft: this session's, kept in the URL (`?draft=…`) so a reload keeps it, and presented
straight from that URL without being saved anywhere.

The draft is the session's; the URL is its copy. On a session's first run a `draft=` in the URL becomes
the draft (a reload, or the editor's link opened in a new tab); afterwards every change is written back to
the URL. Presenting: the present page reads `?draft=`, validates it against the data folder and shows it
as the briefing `draft.<digest>` (a name no file can have); other windows of the same presentation (the
presenter view, the audience window) find it by that name in a small in-process table.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import uuid
from collections import OrderedDict
from typing import Any, NoReturn

import streamlit as st

from lib.errors import DashboardError
from lib.model.briefings import briefing_yaml, draft_from_param, draft_param, parse_briefing
from lib.model.data_folder import event_ids
from lib.ui.cached import Loaded
from lib.ui.keys import Keys

PARAM = "draft"  # the URL parameter that carries the draft
NEW_TITLE = "New briefing"
DRAFT_PREFIX = "draft."  # the present page's name for a draft: a '.' is never in a briefing file's id
MAX_PRESENTED = 64  # drafts kept for the present page's other windows (the oldest forgotten first)

_presented: OrderedDict[str, str] = OrderedDict()  # name -> the draft's YAML
_lock = threading.Lock()


def new_uid() -> str:
    """A draft slide's widget-key suffix: its widgets follow it when slides are reordered."""
    return uuid.uuid4().hex[:12]


def empty_draft() -> dict[str, Any]:
    """A fresh draft: no slides, the default title."""
    return {"id": None, "title": NEW_TITLE, "subtitle": "", "audience": "", "slides": []}


def _from_url() -> dict[str, Any] | None:
    text = st.query_params.get(PARAM)
    if not text:
        return None
    data = draft_from_param(text)
    if data is None:
        st.session_state[Keys.draft_url_note] = "The briefing draft in this address could not be read; it was left out."
        return None
    draft = {**empty_draft(), **{k: v for k, v in data.items() if k != "slides"}}
    draft["slides"] = [{**s, "uid": new_uid()} for s in data["slides"]]
    return draft


def draft() -> dict[str, Any]:
    """This session's briefing draft: id, title, subtitle, audience and slides (each with a widget uid).
    The session's first look takes it from the URL's `draft=` when there is one."""
    if Keys.briefing_draft not in st.session_state:
        st.session_state[Keys.briefing_draft] = _from_url() or empty_draft()
    return st.session_state[Keys.briefing_draft]


def is_empty(current: dict[str, Any]) -> bool:
    """True for a draft with nothing in it yet (no slides, default title, no subtitle or audience)."""
    return not current["slides"] and current.get("title") in ("", NEW_TITLE) and not any(
        current.get(k) for k in ("subtitle", "audience", "id")
    )


def keep_in_url() -> None:
    """Write the draft into the URL (`?draft=`), or take it out when the draft is empty; the URL then
    survives a reload. Called after every change (the sidebar on each page, the editor at its end)."""
    current = draft()
    wanted = None if is_empty(current) else draft_param(current)
    if wanted is None:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != wanted:
        st.query_params[PARAM] = wanted


def _remember(text: str) -> str:
    name = DRAFT_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    with _lock:
        _presented[name] = text
        _presented.move_to_end(name)
        while len(_presented) > MAX_PRESENTED:
            _presented.popitem(last=False)
    return name


def _recalled(name: str) -> str | None:
    with _lock:
        return _presented.get(name)


def as_data(current: dict[str, Any]) -> dict[str, Any]:
    """The draft as the briefing file's fields (no widget uids, no id, no empty optional fields)."""
    fields = {k: current.get(k) for k in ("title", "subtitle", "audience", "date") if current.get(k)}
    fields["slides"] = [{k: v for k, v in s.items() if k != "uid" and v not in (None, "")} for s in current["slides"]]
    return fields


def with_url_draft(loaded: Loaded) -> Loaded:
    """For the present page: `?draft=…` (or `briefing=draft.<digest>` in another window of the same
    presentation) becomes a briefing of this run's data, named in `briefing=`; nothing is written anywhere.
    A draft that does not validate stops the page with its problems listed."""
    draft()  # this window's session adopts the URL's draft (a dashboard page opened from here keeps it)
    text: str | None = None
    packed = st.query_params.get(PARAM)
    if packed:
        data = draft_from_param(packed)
        if data is None:
            raise_problem("The briefing draft in this address could not be read.")
        text = briefing_yaml({k: v for k, v in data.items() if k != "id"})
    else:
        name = st.query_params.get("briefing") or ""
        if name.startswith(DRAFT_PREFIX):
            text = _recalled(name)
    if text is None:
        return loaded
    briefing, problems = parse_briefing(text, "the briefing draft", "briefing draft", loaded.dataset,
                                        event_ids(loaded.tables))  # fmt: skip
    if briefing is None:
        raise_problem("The briefing draft cannot be presented yet: " + "; ".join(str(p) for p in problems))
    name = _remember(text)
    if st.query_params.get("briefing") != name:
        st.query_params["briefing"] = name
    dataset = dataclasses.replace(loaded.dataset, briefings={**loaded.dataset.briefings, name: briefing})
    return dataclasses.replace(loaded, dataset=dataset)


def raise_problem(message: str) -> NoReturn:
    """Show why the draft cannot be presented, a way back to the editor, and stop the page."""
    from lib.ui.messages import show_error

    show_error(DashboardError("Briefing draft", message))
    st.page_link("app_pages/briefings.py", label="Back to the briefing editor", icon=":material/edit_note:")
    st.stop()


__all__ = ["PARAM", "as_data", "draft", "empty_draft", "is_empty", "keep_in_url", "new_uid", "with_url_draft"]
