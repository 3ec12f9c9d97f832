"""Building a briefing in the app: "Add this view" on every page, "Add this event" on an event's detail,
the editor (reorder, retitle, annotate, remove), and the downloads (YAML, PPTX, PDF).

The draft lives in the session; it becomes data only as a downloaded file or, in curation mode, saved
into data/briefings/ through lib.model.store (validated with the whole data folder, written atomically).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

import streamlit as st

from lib.errors import DataProblem
from lib.model.briefings import (
    BRIEFINGS_FOLDER,
    PAGE_TITLES,
    Briefing,
    briefing_yaml,
    new_id,
    parse_briefing,
    view_slide,
)
from lib.model.data_folder import event_ids
from lib.model.filters import escape_markdown
from lib.paths import data_dir as resolve_data_dir
from lib.ui.cached import Loaded, View, data_fingerprint, load, load_copy
from lib.ui.keys import Keys
from lib.wording import count


def _uid() -> str:
    """A draft slide's widget-key suffix: its widgets follow it when slides are reordered."""
    return uuid.uuid4().hex[:12]


def draft() -> dict[str, Any]:
    """This session's briefing draft: id, title, subtitle, audience and slides (each with a widget uid)."""
    return st.session_state.setdefault(Keys.briefing_draft, {"id": None, "title": "New briefing", "subtitle": "",
                                                              "audience": "", "slides": []})  # fmt: skip


def _add(slide: dict[str, Any]) -> None:
    current = draft()
    current["slides"].append({**slide, "uid": _uid()})
    st.toast(f"Added to the briefing draft ({count(len(current['slides']), 'slide')}). Edit it on the Briefings page.",
             icon=":material/playlist_add:")  # fmt: skip


def add_view_button(page: str, view: View) -> None:
    """The sidebar's "Add this view to a briefing": the page and its URL query become a slide."""
    page = "overview" if page == "home" else page
    if page not in PAGE_TITLES:
        return
    heading = f"{PAGE_TITLES[page]}: {view.subtitle}"
    params = {k: str(v) for k, v in st.query_params.to_dict().items()}
    slides = len(draft()["slides"])
    st.button("Add this view to a briefing", key="briefing_add_view", icon=":material/add_to_photos:",
              on_click=_add, args=(view_slide(page, params, heading),),
              help=f"Adds this page with its filters as a slide of the briefing draft ({count(slides, 'slide')} so far)")  # fmt: skip
    if slides:
        st.page_link("app_pages/briefings.py", label=f"Edit the draft ({count(slides, 'slide')})", icon=":material/edit_note:")


def add_event_button(event_id: str, title: str) -> None:
    """On an event's detail: "Add this event to a briefing"."""
    st.button("Add this event to a briefing", key=f"briefing_add_event_{event_id}", icon=":material/add_to_photos:",
              on_click=_add, args=({"heading": title[:160], "event": event_id},),
              help="Adds this event (its summary, quote and citation) as a slide of the briefing draft")  # fmt: skip


# ---------------------------------------------------------------------------
# the editor


def _move(index: int, step: int) -> None:
    slides = draft()["slides"]
    target = index + step
    if 0 <= target < len(slides):
        slides[index], slides[target] = slides[target], slides[index]


def _remove(index: int) -> None:
    del draft()["slides"][index]


def _load_into_draft(name: str, briefing: Briefing) -> None:
    data = briefing.model_dump(mode="json", exclude_none=True)
    st.session_state[Keys.briefing_draft] = {
        "id": name, "title": data["title"], "subtitle": data.get("subtitle", ""), "audience": data.get("audience", ""),
        "date": data.get("date"), "slides": [{**s, "uid": _uid()} for s in data["slides"]],
    }  # fmt: skip
    for key in ("title", "subtitle", "audience", "id"):
        st.session_state.pop(f"draft_{key}", None)


def _new_draft() -> None:
    st.session_state.pop(Keys.briefing_draft, None)
    for key in ("title", "subtitle", "audience", "id"):
        st.session_state.pop(f"draft_{key}", None)


def _field(current: dict[str, Any], key: str, label: str, **kwargs: Any) -> None:
    state = f"draft_{key}"
    if state not in st.session_state:
        st.session_state[state] = current.get(key) or ""
    current[key] = st.text_input(label, key=state, **kwargs).strip()


def as_data(current: dict[str, Any]) -> dict[str, Any]:
    """The draft as the briefing file's fields (no widget uids, no empty optional fields)."""
    fields = {k: current.get(k) for k in ("title", "subtitle", "audience", "date") if current.get(k)}
    fields["slides"] = [{k: v for k, v in s.items() if k != "uid" and v not in (None, "")} for s in current["slides"]]
    return fields


def editor(loaded: Loaded) -> None:
    """The Briefings page: start from a briefing or the draft, edit its slides, download or save it."""
    briefings = loaded.dataset.briefings
    current = draft()
    with st.container(horizontal=True, vertical_alignment="bottom"):
        names = list(briefings)
        chosen = st.selectbox("Start from a briefing", names, index=None, placeholder="Choose a saved briefing",
                              format_func=lambda n: briefings[n].title, key="draft_source")  # fmt: skip
        st.button("Edit this briefing", disabled=chosen is None, key="draft_load",
                  on_click=lambda: _load_into_draft(chosen, briefings[chosen]) if chosen else None)  # fmt: skip
        st.button("New briefing", key="draft_new", on_click=_new_draft)
    _field(current, "title", "Title")
    left, right = st.columns(2)
    with left:
        _field(current, "subtitle", "Subtitle (optional)")
    with right:
        _field(current, "audience", "Audience (optional)")
    if not current["slides"]:
        st.info("No slides yet. On any page, use “Add this view to a briefing” in the sidebar; on an event's "
                "detail, “Add this event to a briefing”.")  # fmt: skip
    count = len(current["slides"])
    for index, slide in enumerate(current["slides"]):
        uid = slide["uid"]
        with st.container(border=True):
            what = (f"Event: {slide['event']}" if slide.get("event")
                    else f"View: /{slide.get('page')}" + (f"?{slide['query']}" if slide.get("query") else ""))  # fmt: skip
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"**Slide {index + 1}** · {escape_markdown(what)}")
                st.space("stretch")
                st.button("Up", key=f"draft_up_{uid}", icon=":material/arrow_upward:", on_click=_move, args=(index, -1),
                          disabled=index == 0)  # fmt: skip
                st.button("Down", key=f"draft_down_{uid}", icon=":material/arrow_downward:", on_click=_move,
                          args=(index, 1), disabled=index == count - 1)  # fmt: skip
                st.button("Remove", key=f"draft_remove_{uid}", icon=":material/delete:", on_click=_remove, args=(index,))
            for key, widget, label in (("heading", st.text_input, "Heading"), ("notes", st.text_area, "Speaker notes")):
                state = f"draft_{key}_{uid}"
                if state not in st.session_state:
                    st.session_state[state] = slide.get(key) or ""
                slide[key] = widget(label, key=state).strip()
    _finish(current, loaded)


def _finish(current: dict[str, Any], loaded: Loaded) -> None:
    data = as_data(current)
    text = briefing_yaml(data)
    taken = set(loaded.dataset.briefings) | {p.stem for p in (resolve_data_dir() / BRIEFINGS_FOLDER).glob("*.y*ml")}
    # a new draft never takes a saved briefing's id (its file): only one loaded for editing overwrites its own
    name = current.get("id") or new_id(current.get("title") or "briefing", taken)
    briefing, problems = parse_briefing(text, f"briefings/{name}.yaml", f"briefing '{name}'", loaded.dataset,
                                        event_ids(loaded.tables))  # fmt: skip
    st.header("Save or hand out", anchor=False)  # h2 under the page h1 (headings step by one)
    if problems:
        st.warning("Fix these before downloading:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))
    with st.container(horizontal=True, gap="small"):
        st.download_button("Briefing as YAML", data=text.encode("utf-8"), file_name=f"{name}.yaml",
                           mime="application/yaml", icon=":material/download:", disabled=briefing is None,
                           key="draft_yaml", on_click="ignore",
                           help=f"Save as data/briefings/{name}.yaml to present it and share it")  # fmt: skip
        if briefing is not None:
            deck_downloads(briefing, name, key="draft")
    if briefing is not None:
        save_button(name, text, loaded)
    if current.get("id") in loaded.dataset.briefings:
        present_link(current["id"], "Present the saved version")


def present_link(name: str, label: str) -> None:
    """A link that opens the presentation as a page of its own (full screen: no sidebar from the start)."""
    from urllib.parse import urlencode

    st.link_button(label, f"present?{urlencode({'briefing': name, 'slide': 1})}", icon=":material/slideshow:")


def save_button(name: str, text: str, loaded: Loaded) -> None:
    """In curation mode only, and with sign-in for a curator only: save the draft as data/briefings/<name>.yaml
    through the team's save (lib.team.saving: the folder's lock, lib.model.store's checked save, a commit)."""
    try:
        from lib.model import store
        from lib.paths import curation_mode
    except ImportError:  # the curation store is not part of this build: download only
        return
    from lib.team import saving
    from lib.ui.team import can, signed_in_user

    if not curation_mode() or not can("curator"):  # a viewer or reviewer gets no save action
        return
    folder = resolve_data_dir()
    relpath = f"briefings/{name}.yaml"
    seen_key = f"draft_seen_{name}"
    if seen_key not in st.session_state:
        st.session_state[seen_key] = store.read_state(folder)
    if st.button(f"Save into data/briefings/{name}.yaml", key="draft_save", type="primary", icon=":material/save:"):
        result = saving.save(folder, {relpath: text}, st.session_state[seen_key], user=signed_in_user(),
                             message=f"Save briefing {name}")  # fmt: skip
        problems: list[DataProblem] = result.problems
        if problems:
            st.error("Not saved:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))
        else:
            st.session_state[seen_key] = store.read_state(folder)
            st.success(f"Saved data/briefings/{name}.yaml.")
            present_link(name, "Present it")


# ---------------------------------------------------------------------------
# deck downloads (the editor and the present page)


@st.cache_data(max_entries=16, show_spinner=False)
def _deck_file(folder: str, fingerprint: str, text: str, name: str, fmt: str, day: str) -> bytes:
    from lib.exports import deck

    loaded = load_copy(folder, fingerprint)
    briefing, problems = parse_briefing(text, f"briefings/{name}.yaml", name, loaded.dataset, event_ids(loaded.tables))
    if briefing is None:
        raise ValueError("; ".join(str(p) for p in problems))
    return deck.build(briefing, loaded, fmt)


def deck_downloads(briefing: Briefing, name: str, *, key: str) -> None:
    """PPTX and PDF download buttons for a briefing, each built when clicked."""
    from lib.exports import deck, export

    folder = resolve_data_dir()
    text = briefing_yaml(briefing)
    available, why = export.static_export_available()
    labels = {"pptx": "Slides (PowerPoint)", "pdf": "Handout (PDF)"}
    mime = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pdf": "application/pdf"}
    for fmt in ("pptx", "pdf"):
        file_name = deck.deck_file_name(name, fmt)
        st.download_button(
            labels[fmt], data=functools.partial(_deck_file, str(folder), data_fingerprint(folder), text, name, fmt,
                                                dt.date.today().isoformat()),
            file_name=file_name, mime=mime[fmt], key=f"{key}_deck_{fmt}", on_click="ignore", icon=":material/download:",
            help=f"Download {file_name}" + ("" if available else f" (charts left out: {why})"),
        )  # fmt: skip


__all__ = ["add_event_button", "add_view_button", "deck_downloads", "draft", "editor", "load"]
