"""Building a briefing in the app: "Add this view" on every page, "Add this event" on an event's detail,
the editor (reorder, retitle, annotate, remove, present), and the downloads (YAML, PPTX, PDF).

"Add this view" reads the view when it is clicked, in its callback: the sidebar's filters and the page's
options from their widgets' state, and the chart's selection, so an option changed a moment before the
click (even in the same rerun, or inside a fragment) is in the slide. The draft lives in the session and
in the URL (lib.ui.drafts); it becomes data only as a downloaded file or, in curation mode, saved into
data/briefings/ through lib.model.store (validated with the whole data folder, written atomically).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from lib.errors import DataProblem
from lib.model.briefings import (
    BRIEFINGS_FOLDER,
    CHOICE_DEFAULTS,
    PAGE_CHOICES,
    PAGE_TITLES,
    Briefing,
    briefing_yaml,
    choice_values,
    draft_param,
    new_id,
    parse_briefing,
    query_params,
    view_in_words,
    view_slide,
)
from lib.model.data_folder import event_ids
from lib.model.filters import escape_markdown
from lib.paths import data_dir as resolve_data_dir
from lib.ui.cached import (
    Loaded,
    data_fingerprint,
    data_version,
    filtered_events,
    filters_from_state,
    load,
    load_copy,
    run_loaded,
)
from lib.ui.drafts import PARAM, as_data, draft, empty_draft, is_empty, keep_in_url, new_uid
from lib.ui.keys import Keys
from lib.wording import count

SELECTION_LIMIT = 5  # the pages show the details of at most five chosen events
# Where each page keeps its chart's selection and its event chooser (the page scripts' keys).
SELECTION_KEYS = {"timeline": (Keys.timeline_chart, Keys.timeline_pick), "stance": (Keys.stance_chart, Keys.stance_pick),
                  "map": (Keys.map_chart, Keys.map_event_pick), "events": (None, Keys.event_pick)}  # fmt: skip


def _add(slides: list[dict[str, Any]], what: str) -> None:
    current = draft()
    current["slides"].extend({**slide, "uid": new_uid()} for slide in slides)
    st.toast(f"Added {what} to the briefing draft ({count(len(current['slides']), 'slide')}). Edit it on the "
             "Briefings page.", icon=":material/playlist_add:")  # fmt: skip


def _points(key: str | None) -> list[dict[str, Any]]:
    state = st.session_state.get(key) if key else None
    try:
        return list(state["selection"]["points"]) if state is not None else []
    except (KeyError, TypeError):
        return []


def page_choices_now(page: str) -> dict[str, str]:
    """The page's own options as its widgets hold them now (else as the URL has them, else the defaults);
    the map's target only when the map is coloured by stance (the page shows it then only)."""
    actors = run_loaded().options.actors
    url = st.query_params.to_dict()
    choices: dict[str, str] = {}
    for key in PAGE_CHOICES[page]:
        allowed = choice_values(page, key, actors)
        state = st.session_state.get(Keys.page_choice(key))
        choices[key] = state if state in allowed else url[key] if url.get(key) in allowed else CHOICE_DEFAULTS[key]
    if page == "map" and choices.get("metric") != "stance":
        choices.pop("target", None)
    return choices


def selected_now(page: str, events: Any) -> dict[str, str]:
    """The events chosen on the page now (id -> title): clicked in its chart, else picked in its chooser (those
    the page shows under the chart, at most five), each one of the view's events."""
    from lib.views import map_points, sources

    chart, pick = SELECTION_KEYS.get(page, (None, None))
    if pick is None:
        return {}
    points = _points(chart)
    picked = st.session_state.get(pick)
    if page == "map":
        if page_choices_now("map").get("layers") == "areas":  # the page lists no placed events then
            return {}
        ids = map_points.chosen_event_ids(events, map_points.selected_markers(points), picked)
    else:
        ids = sources.selected_event_ids(points) or ([picked] if isinstance(picked, str) and picked else [])
    rows = events.loc[events["id"].isin(ids[:SELECTION_LIMIT]), ["id", "title"]]
    titles = dict(zip(rows["id"].astype(str), rows["title"].astype(str), strict=True))
    return {i: titles[i] for i in ids if i in titles}  # in the page's order


def view_now(page: str) -> list[dict[str, Any]]:
    """The slides "Add this view" makes, read when it is clicked: the view (the sidebar's filters and the
    page's options from their widgets) and one event slide per event chosen in its chart."""
    loaded = run_loaded()
    filters = filters_from_state(loaded.options)
    params = {**filters.to_query(), **{k: v for k, v in page_choices_now(page).items() if v != CHOICE_DEFAULTS[k]}}
    slides = [view_slide(page, params, f"{PAGE_TITLES[page]}: {filters.describe(loaded.options)}")]
    chosen = selected_now(page, filtered_events(*data_version(), filters))
    slides += [{"heading": title[:160], "event": event_id} for event_id, title in chosen.items()]
    return slides


def _add_view(page: str) -> None:
    slides = view_now(page)
    chosen = len(slides) - 1
    _add(slides, "this view" + (f" and the {count(chosen, 'event')} chosen in it" if chosen else ""))


def add_view_button(page: str) -> None:
    """The sidebar's "Add this view to a briefing" (at its top, in reach at 720 px): the page, its filters, its
    options and its chart's selection, as they are when it is clicked, become slides. Keeps the draft in the URL."""
    keep_in_url()
    page = "overview" if page == "home" else page
    slides = len(draft()["slides"])
    if page in PAGE_TITLES:
        st.button("Add this view to a briefing", key="briefing_add_view", icon=":material/add_to_photos:",
                  on_click=_add_view, args=(page,), width="stretch",
                  help="Adds this page with its filters and options as a slide of the briefing draft (and an event "
                       f"slide for each event chosen in its chart); {count(slides, 'slide')} so far")  # fmt: skip
    if slides and page != "briefings":
        st.page_link("app_pages/briefings.py", label=f"Edit the briefing draft ({count(slides, 'slide')})",
                     icon=":material/edit_note:")  # fmt: skip


_EVENT_ADDED = "briefing_event_added"  # the Events page is a fragment: the sidebar's count and the URL's draft must follow


def _add_event(slides: list[dict[str, Any]], what: str) -> None:
    _add(slides, what)
    st.session_state[_EVENT_ADDED] = True


def add_event_button(event_id: str, title: str) -> None:
    """On an event's detail: "Add this event to a briefing". The page around it may be a fragment, so an added
    event reruns the whole app (the sidebar shows the draft's new size and keeps it in the URL)."""
    if st.session_state.pop(_EVENT_ADDED, False):
        st.rerun(scope="app")
    st.button("Add this event to a briefing", key=f"briefing_add_event_{event_id}", icon=":material/add_to_photos:",
              on_click=_add_event, args=([{"heading": title[:160], "event": event_id}], "this event"),
              help="Adds this event (its summary, quote and citation) as a slide of the briefing draft")  # fmt: skip


# ---------------------------------------------------------------------------
# the editor


def _index_of(uid: str) -> int | None:
    return next((i for i, s in enumerate(draft()["slides"]) if s["uid"] == uid), None)


def _move_to(uid: str, position: int) -> None:
    """Move the slide `uid` to `position` (1-based), the others keeping their order."""
    slides = draft()["slides"]
    index = _index_of(uid)
    if index is None:
        return
    slide = slides.pop(index)
    slides.insert(min(max(position, 1), len(slides) + 1) - 1, slide)


def _move(uid: str, step: int) -> None:
    index = _index_of(uid)
    if index is not None:
        _move_to(uid, index + 1 + step)


def _moved_by_number(uid: str) -> None:
    _move_to(uid, int(st.session_state[f"draft_pos_{uid}"]))


def _remove(uid: str) -> None:
    index = _index_of(uid)
    if index is not None:
        del draft()["slides"][index]


def _forget_fields() -> None:
    for key in ("title", "subtitle", "audience", "id"):
        st.session_state.pop(f"draft_{key}", None)


def _load_into_draft(name: str, briefing: Briefing) -> None:
    data = briefing.model_dump(mode="json", exclude_none=True)
    slides = [{**s, **({"query": urlencode(query_params(s["query"]), safe=",")} if isinstance(s.get("query"), dict) else {}),
               "uid": new_uid()} for s in data["slides"]]  # fmt: skip
    st.session_state[Keys.briefing_draft] = {
        "id": name, "title": data["title"], "subtitle": data.get("subtitle", ""), "audience": data.get("audience", ""),
        "date": data.get("date"), "slides": slides,
    }  # fmt: skip
    _forget_fields()


def _new_draft() -> None:
    st.session_state[Keys.briefing_draft] = empty_draft()
    _forget_fields()


def _field(current: dict[str, Any], key: str, label: str, **kwargs: Any) -> None:
    state = f"draft_{key}"
    if state not in st.session_state:
        st.session_state[state] = current.get(key) or ""
    current[key] = st.text_input(label, key=state, **kwargs).strip()


def slide_in_words(slide: dict[str, Any], loaded: Loaded) -> str:
    """What a draft slide shows, in words: "Timeline — Kazakhstan · 2021–2024 · one row per country", or
    "Event — 21 May 2011 · Taliban warn Kazakhstan"."""
    if slide.get("event"):
        events = loaded.tables.events
        row = events.loc[events["id"] == slide["event"], ["date", "title"]]
        if row.empty:
            return f"Event — {slide['event']} (not in the data)"
        from lib.model.schema import display_date

        return f"Event — {display_date(str(row['date'].iloc[0]))} · {row['title'].iloc[0]}"
    return view_in_words(slide.get("page") or "", query_params(slide.get("query")), loaded.options)


def _slide_card(slide: dict[str, Any], index: int, total: int, loaded: Loaded) -> None:
    uid = slide["uid"]
    with st.container(border=True, key=f"draft_slide_{uid}"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.markdown(f"**{index + 1}.** {escape_markdown(slide_in_words(slide, loaded))}")
            st.space("stretch")
            position = f"draft_pos_{uid}"
            st.session_state[position] = index + 1  # the number follows the slide when others move
            st.selectbox("Position", list(range(1, total + 1)), key=position, on_change=_moved_by_number, args=(uid,),
                         format_func=lambda n: f"Position {n}", label_visibility="collapsed", width=130,
                         disabled=total < 2, help="Move this slide to another position")  # fmt: skip
            st.button("Up", key=f"draft_up_{uid}", icon=":material/arrow_upward:", on_click=_move, args=(uid, -1),
                      disabled=index == 0, help="Move up one place")  # fmt: skip
            st.button("Down", key=f"draft_down_{uid}", icon=":material/arrow_downward:", on_click=_move, args=(uid, 1),
                      disabled=index == total - 1, help="Move down one place")  # fmt: skip
            st.button("Remove", key=f"draft_remove_{uid}", icon=":material/delete:", on_click=_remove, args=(uid,))
        left, right = st.columns([2, 3])
        for column, key, widget, label in ((left, "heading", st.text_input, "Heading"),
                                           (right, "notes", st.text_area, "Speaker notes")):  # fmt: skip
            state = f"draft_{key}_{uid}"
            if state not in st.session_state:
                st.session_state[state] = slide.get(key) or ""
            with column:
                extra = {"height": 68} if widget is st.text_area else {}
                slide[key] = widget(label, key=state, **extra).strip()


def editor(loaded: Loaded) -> None:
    """The Briefings page: start from a briefing or the draft, edit its slides, present, download or save it."""
    briefings = loaded.dataset.briefings
    current = draft()
    note = st.session_state.pop(Keys.draft_url_note, None)
    if note:
        st.warning(note)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        names = list(briefings)
        chosen = st.selectbox("Start from a briefing", names, index=None, placeholder="Choose a saved briefing",
                              format_func=lambda n: briefings[n].title, key="draft_source")  # fmt: skip
        st.button("Edit this briefing", disabled=chosen is None, key="draft_load",
                  on_click=lambda: _load_into_draft(chosen, briefings[chosen]) if chosen else None)  # fmt: skip
        st.button("New briefing", key="draft_new", on_click=_new_draft, disabled=is_empty(current))
    _field(current, "title", "Title")
    left, right = st.columns(2)
    with left:
        _field(current, "subtitle", "Subtitle (optional)")
    with right:
        _field(current, "audience", "Audience (optional)")
    actions = st.container()  # Present and the downloads above the slides, in reach without scrolling past them
    if not current["slides"]:
        st.info("No slides yet. On any page, use “Add this view to a briefing” at the top of the sidebar; on an "
                "event's detail, “Add this event to a briefing”. Present and the downloads come once the draft has "
                "a slide.")  # fmt: skip
    else:
        st.header("Slides", anchor=False)
    for index, slide in enumerate(current["slides"]):
        _slide_card(slide, index, len(current["slides"]), loaded)
    keep_in_url()
    with actions:  # drawn after the slides' fields have updated the draft in this run
        _finish(current, loaded)


def _finish(current: dict[str, Any], loaded: Loaded) -> None:
    data = as_data(current)
    text = briefing_yaml(data)
    taken = set(loaded.dataset.briefings) | {p.stem for p in (resolve_data_dir() / BRIEFINGS_FOLDER).glob("*.y*ml")}
    # a new draft never takes a saved briefing's id (its file): only one loaded for editing overwrites its own
    name = current.get("id") or new_id(current.get("title") or "briefing", taken)
    briefing, problems = parse_briefing(text, f"briefings/{name}.yaml", f"briefing '{name}'", loaded.dataset,
                                        event_ids(loaded.tables))  # fmt: skip
    if not current["slides"]:  # the editor says how to add one; Present and the downloads come with it
        return
    st.header("Present, save or hand out", anchor=False)  # h2 under the page h1 (headings step by one)
    errors = [p for p in problems if p.is_error]
    if errors:
        st.warning("Fix these before presenting or downloading:\n\n"
                   + "\n".join(f"- {escape_markdown(str(p))}" for p in errors))  # fmt: skip
    if len(errors) < len(problems):  # warnings: the draft still presents and downloads
        st.info("Worth a look before the room sees it:\n\n"
                + "\n".join(f"- {escape_markdown(str(p))}" for p in problems if not p.is_error))  # fmt: skip
    with st.container(horizontal=True, gap="small"):
        st.link_button("Present", f"present?{urlencode({PARAM: draft_param(current), 'slide': 1})}",
                       icon=":material/slideshow:", type="primary", disabled=briefing is None,
                       help="Opens the draft full-screen in a new tab, as it is now (nothing is saved)")  # fmt: skip
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


__all__ = ["add_event_button", "add_view_button", "as_data", "deck_downloads", "draft", "editor", "load", "view_now"]
