"""The Curate page's Streamlit glue (curation mode only): the article form, the drafts beside the article
text, the event and actor forms, each event's problems, and saving through `lib.model.store`.

All article and data text is shown escaped (Markdown specials) or as plain text: it is data, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from lib.errors import DashboardError, DataProblem
from lib.model import store
from lib.model.dataset import Dataset
from lib.model.filters import code_span, escape_markdown
from lib.model.read import yaml_error_text
from lib.model.schema import ACTOR_KINDS, PLACE_KINDS, PLACE_PRECISIONS, display_date
from lib.model.yaml_edit import YamlEditError
from lib.paths import data_dir as resolve_data_dir
from lib.reading import curate
from lib.team import history, review, saving
from lib.team.roles import auth_mode
from lib.ui import curate_reference as reference
from lib.ui.cached import load
from lib.ui.keys import CurateKeys as K
from lib.ui.render import page_heading
from lib.ui.team import can, curate_allowed, signed_in_user, user_markdown
from lib.views.sources import highlighted_markdown
from lib.wording import count

CURATE_PATH = "curate"
ARTICLE_FIELDS = ("title", "outlet", "outlet_short", "author", "published", "approximate", "published_note", "url",
                  "republished_in", "excerpt", "id", "body")  # fmt: skip
PRECISIONS = [p for p in PLACE_PRECISIONS if any(p in allowed for allowed in PLACE_KINDS.values())]  # 3 is not in use
STATUS_LABEL = {"proposed": "Proposed: not saved unless accepted", "accepted": "Accepted", "rejected": "Rejected"}


def curate_pages() -> list[Any]:
    """The Curate page for st.navigation: only in curation mode, otherwise no page (and no write path)."""
    if not curate_allowed():  # not in curation mode, or a viewer: no page, no path to one
        return []
    return [st.Page("app_pages/curate.py", title="Curate", icon=":material/edit_note:", url_path=CURATE_PATH)]


def _folder() -> Path:
    return resolve_data_dir()


def _seen() -> dict[str, str]:
    """The data folder's state when this page read it (a save refuses files changed since)."""
    if K.seen not in st.session_state:
        st.session_state[K.seen] = store.read_state(_folder())
    return st.session_state[K.seen]


def _problem_list(problems: list[DataProblem]) -> None:
    st.error("Nothing was saved:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))


# ---------------------------------------------------------------------------
# the article


def _fill_from_upload() -> None:
    """An uploaded .md/.txt file fills the form: its front matter (if it has one) and its body."""
    upload = st.session_state.get(K.upload)
    if upload is None:
        return
    text, refused = curate.decode_upload(upload.getvalue())
    if text is None:
        st.session_state[K.upload_note] = f"{upload.name}: not used: {refused}."
        return
    meta, body, note = curate.parse_article_file(text)
    st.session_state[K.upload_note] = f"{upload.name}: {note}." if note else None
    st.session_state[K.field("body")] = body
    for name in ("title", "outlet", "author", "published_note", "url", "republished_in", "id"):
        if isinstance(meta.get(name), str):
            st.session_state[K.field(name)] = meta[name]
    if meta.get("published") is not None:
        st.session_state[K.field("published")] = str(meta["published"])
    for name in ("approximate", "excerpt"):
        if isinstance(meta.get(name), bool):
            st.session_state[K.field(name)] = meta[name]


def _article_form(ds: Dataset) -> None:
    shorts = curate.outlet_short_forms(ds)
    st.file_uploader("Upload the article (.md with front matter, or plain .txt)", type=["md", "txt"],
                     key=K.upload, on_change=_fill_from_upload)  # fmt: skip
    if st.session_state.get(K.upload_note):
        st.warning(escape_markdown(st.session_state[K.upload_note]))
    with st.form(K.article_form):
        st.text_area("Article text (paste the body: the article exactly as published, page chrome removed)",
                     key=K.field("body"), height=220)  # fmt: skip
        left, right = st.columns(2)
        left.text_input("Title (the headline as published)", key=K.field("title"))
        right.text_input("Author(s)", key=K.field("author"), placeholder="blank when no writer is named")
        left.text_input("Outlet (full name)", key=K.field("outlet"),
                        placeholder=", ".join(sorted(shorts)[:3]))  # fmt: skip
        right.text_input("Outlet short form for the id", key=K.field("outlet_short"),
                         help="Known: " + ", ".join(f"{s} = {o}" for o, s in sorted(shorts.items())))  # fmt: skip
        left.text_input("Published (YYYY-MM-DD, YYYY-MM or YYYY, as precise as known)", key=K.field("published"))
        right.text_input("URL (only one the source itself gives)", key=K.field("url"))
        left.checkbox("The date is inferred (approximate)", key=K.field("approximate"))
        right.text_input("How the date was worked out (when approximate)", key=K.field("published_note"))
        left.text_input("Republished in (when another outlet first published it)", key=K.field("republished_in"))
        right.checkbox("The body is an excerpt ([…] marks each cut)", key=K.field("excerpt"))
        st.text_input("Article id (blank: derived as <outlet>-<published>-<headline>)", key=K.field("id"))
        submitted = st.form_submit_button("Draft events", type="primary")
    if submitted:
        _draft(ds, shorts)


def _entered_article(ds: Dataset, shorts: Mapping[str, str]) -> curate.ArticleDraft:
    value = {name: st.session_state.get(K.field(name)) for name in ARTICLE_FIELDS}
    outlet = (value["outlet"] or "").strip()
    short = (value["outlet_short"] or "").strip() or shorts.get(outlet, "")
    wanted = (value["id"] or "").strip() or curate.suggested_id(short or outlet, value["published"] or "", value["title"] or "")
    meta = curate.front_matter(**{**value, "id": wanted})
    return curate.ArticleDraft(meta=meta, body=(value["body"] or "").strip())


def _draft(ds: Dataset, shorts: Mapping[str, str]) -> None:
    article = _entered_article(ds, shorts)
    problems = curate.article_problems(article, ds)
    if problems:
        st.error("Fix the article first:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))
        return
    try:
        from lib.reading.draft import draft_events
    except ImportError:
        st.warning("The drafter (lib/reading/draft.py) is not installed: add the events by hand below.")
        drafts = []
    else:
        try:
            drafts = draft_events(curate.as_article(article, ds), ds)
        except DashboardError as error:
            st.error(f"**{escape_markdown(error.title)}** — {escape_markdown(error.message)}")
            drafts = []
    st.session_state[K.article] = article
    st.session_state[K.proposals] = curate.proposals_from_drafts(drafts)
    st.session_state[K.editing] = None
    _seen()


# ---------------------------------------------------------------------------
# one event's form (a draft to edit, an event by hand, an existing event to fix)


def _event_form(event: Mapping[str, Any], ds: Dataset, *, form_key: str, submit: str,
                articles: Mapping[str, Any], new_place: Mapping[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    """The event's fields in a form; returns the edited event when submitted (else None)."""
    actors = {**{a.id: a.name for a in ds.actors.values()}, **{a["id"]: a["name"] for a in _new_actors()}}
    types = {t.id: t.label for t in ds.vocab.event_types} if ds.vocab else {}
    countries = {**{c.iso3: c.name for c in ds.countries.values()}, **{c["iso3"]: c["name"] for c in reference.new_countries()}}
    actor_ids = sorted(actors, key=lambda a: actors[a].lower())
    with st.form(form_key):
        left, right = st.columns(2)
        def key(name: str) -> str:
            return f"{form_key}_{name}"

        event_id = left.text_input("Event id", value=str(event.get("id") or ""), key=key("id"))
        date = right.text_input("Date (YYYY-MM-DD, YYYY-MM or YYYY)", value=str(event.get("date") or ""), key=key("date"))
        date_note = st.text_input("How the date was worked out", value=str(event.get("date_note") or ""), key=key("date_note"))
        title = st.text_input("Title", value=str(event.get("title") or ""), key=key("title"))
        summary = st.text_area("Summary", value=str(event.get("summary") or ""), height=80, key=key("summary"))
        actor_now, target_now = event.get("actor"), event.get("target")
        actor = left.selectbox("Actor", actor_ids, index=actor_ids.index(actor_now) if actor_now in actor_ids else None,
                               format_func=lambda a: f"{actors[a]} ({a})", placeholder="Choose the actor", key=key("actor"))  # fmt: skip
        target = right.selectbox("Target (optional)", actor_ids,
                                 index=actor_ids.index(target_now) if target_now in actor_ids else None,
                                 format_func=lambda a: f"{actors[a]} ({a})", placeholder="No target", key=key("target"))  # fmt: skip
        chosen = [c for c in event.get("countries") or [] if c in countries]
        picked = left.multiselect("Countries concerned", list(countries), default=chosen,
                                  format_func=lambda c: f"{countries[c]} ({c})", key=key("countries"))  # fmt: skip
        location = right.text_input("Location (as the text names it)", value=str(event.get("location") or ""),
                                    key=key("location"))  # fmt: skip
        places = curate.place_choices(ds, event.get("countries") or [], new_place, reference.new_places())
        place_now = event.get("place")
        if place_now and place_now not in places:
            places[place_now] = f"{place_now} (not in places.yaml)"
        places = {"": "No place: the countries only", **places}
        place_ids = list(places)
        place = left.selectbox("Place (the event's countries first)", place_ids,
                               index=place_ids.index(place_now) if place_now in place_ids else 0,
                               format_func=lambda p: places[p],
                               help="CODEBOOK 4.1: as precise as the text allows. The places of the countries the "
                                    "event had when this form opened come first; add a missing one below the drafts "
                                    "(any country, from the gazetteer).", key=key("place"))  # fmt: skip
        precision_now = event.get("place_precision")
        place_precision = right.selectbox("Place precision", PRECISIONS, format_func=curate.precision_label,
                                          index=PRECISIONS.index(precision_now) if precision_now in PRECISIONS else None,
                                          placeholder="Choose with a place", key=key("place_precision"))  # fmt: skip
        place_note = st.text_input("How the place was worked out (needed when the quote does not name it outright)",
                                   value=str(event.get("place_note") or ""), key=key("place_note"))  # fmt: skip
        type_ids = list(types)
        event_type = left.selectbox("Event type", type_ids, format_func=lambda t: types[t],
                                    index=type_ids.index(event["event_type"]) if event.get("event_type") in type_ids else None,
                                    key=key("event_type"))  # fmt: skip
        stance_now = event.get("stance")
        stance = right.select_slider("Stance", options=[-2, -1, 0, 1, 2],
                                     value=stance_now if stance_now in (-2, -1, 0, 1, 2) else 0, key=key("stance"))  # fmt: skip
        sources = []
        for i, source in enumerate(event.get("sources") or [{"article": "", "quote": ""}]):
            article = articles.get(source.get("article"))
            where = f"{article.outlet}, {article.published}" if article else str(source.get("article"))
            st.caption(f"Quote {i + 1}, from {escape_markdown(where)}: copy it verbatim from the article text")
            quote = st.text_area(f"Quote {i + 1}", value=str(source.get("quote") or ""), height=90,
                                 label_visibility="collapsed", key=key(f"quote_{i}"))  # fmt: skip
            sources.append({**source, "article": str(source.get("article") or ""), "quote": quote})
        done = st.form_submit_button(submit, type="primary")
    if not done:
        return None
    return curate.event_from_form(id=event_id, date=date, date_note=date_note, title=title, summary=summary,
                                  actor=actor or "", target=target, countries=picked, location=location,
                                  event_type=event_type or "", stance=stance, sources=sources, kept=event,
                                  place={"place": place, "place_precision": place_precision,
                                         "place_note": place_note})  # fmt: skip


# ---------------------------------------------------------------------------
# drafts beside the article


def _new_actors() -> list[dict[str, Any]]:
    return st.session_state.setdefault(K.new_actors, [])


def _set(index: int, status: curate.Status, event: Mapping[str, Any] | None = None) -> None:
    st.session_state[K.proposals] = curate.with_status(st.session_state[K.proposals], index, status, event)


def _accept(index: int, ds: Dataset, article: Any) -> None:
    proposal = st.session_state[K.proposals][index]
    problems = curate.event_problems(proposal.event, ds, {article.id: article}, {a["id"]: a for a in _new_actors()},
                                     _proposed_places(proposal), _new_country_codes())  # fmt: skip
    if problems:
        st.session_state[K.notice] = (index, [str(p) for p in problems])
        st.session_state[K.editing] = index
        return
    st.session_state[K.notice] = None
    _set(index, "accepted")


def _proposed_places(proposal: curate.Proposal) -> list[dict[str, Any]]:
    return ([proposal.new_place] if proposal.new_place else []) + reference.new_places()


def _new_country_codes() -> list[str]:
    return [c["iso3"] for c in reference.new_countries()]


def _reading_label(reading: curate.Reading, actors: Mapping[str, str], types: Mapping[str, str]) -> str:
    event = reading.event
    parties = actors.get(event.get("actor"), str(event.get("actor") or "?"))
    parties += " → " + actors.get(event["target"], str(event["target"])) if event.get("target") else " (no target)"
    kind = types.get(str(event.get("event_type")), str(event.get("event_type") or "no type"))
    confidence = f"{reading.confidence:.2f}" if reading.confidence is not None else "—"
    return f"{parties} · {kind} · {event.get('date')} · confidence {confidence}"


def _choose(index: int, key: str) -> None:
    chosen = st.session_state[key]
    st.session_state[K.proposals] = curate.choose_reading(st.session_state[K.proposals], index, chosen)
    if st.session_state.get(K.editing) == index:
        st.session_state[K.editing] = None  # the form showed the other reading


def _readings(index: int, proposal: curate.Proposal, actors: Mapping[str, str], types: Mapping[str, str]) -> None:
    """The card's other readings of the same quote (reversed roles, another event type or date), one click away."""
    labels = [_reading_label(r, actors, types) for r in proposal.readings]
    key = K.button("reading", f"{index}_{proposal.readings[0].event.get('id')}")  # a new article's card starts afresh
    st.selectbox(
        f"Reading shown ({len(labels)} for this quote; pick another to show it here)",
        options=list(range(len(labels))),
        index=proposal.chosen,
        format_func=lambda k: f"{k + 1}. {labels[k]}",
        key=key,
        on_change=_choose,
        args=(index, key),
    )


def _proposal_card(index: int, proposal: curate.Proposal, ds: Dataset, article: Any) -> None:
    event = proposal.event
    actors = {**{a.id: a.name for a in ds.actors.values()}, **{a["id"]: a["name"] for a in _new_actors()}}
    with st.container(border=True):
        st.markdown(f"**{index + 1}. {escape_markdown(str(event.get('title') or '(untitled)'))}**")
        try:
            when = display_date(str(event.get("date")))
        except ValueError:
            when = str(event.get("date"))
        parties = actors.get(event.get("actor"), str(event.get("actor") or "?"))
        if event.get("target"):
            parties += " → " + actors.get(event["target"], str(event["target"]))
        types = {t.id: t.label for t in ds.vocab.event_types} if ds.vocab else {}
        kind = types.get(str(event.get("event_type")), str(event.get("event_type") or "no type"))
        st.markdown(escape_markdown(f"{when} · {parties} · {kind} · stance {event.get('stance')}"))
        if proposal.confidence is not None:
            st.caption(escape_markdown(f"Confidence {proposal.confidence:.2f} · drafted because: {proposal.reason or 'no reason given'}"))
        if proposal.readings:
            _readings(index, proposal, actors, types)
        st.markdown(escape_markdown(curate.place_summary(event, ds, proposal.new_place)))
        for source in event.get("sources") or []:
            st.markdown("> " + escape_markdown(" ".join(str(source.get("quote") or "").split())))
        if event.get("place_note"):
            st.caption(escape_markdown(f"Place note: {event['place_note']}"))
        date_line = f"Date: {event['date_note']}" if event.get("date_note") else None
        if date_line:
            st.caption(escape_markdown(date_line))
        if proposal.guessed:
            st.caption("Guessed by the drafter, check: " + escape_markdown(", ".join(sorted(proposal.guessed))))
        for note in proposal.notes:
            if note != date_line:  # the drafter's own note on the date is the line shown above
                st.caption(escape_markdown(note))
        notice = st.session_state.get(K.notice)
        if notice and notice[0] == index:
            st.error("Fix before accepting:\n\n" + "\n".join(f"- {escape_markdown(m)}" for m in notice[1]))
        st.caption(f"Status: **{STATUS_LABEL[proposal.status]}**")
        cols = st.columns(3)
        if proposal.status != "accepted":
            cols[0].button("Accept", key=K.button("accept", index), on_click=_accept, args=(index, ds, article),
                           type="primary")  # fmt: skip
        else:
            cols[0].button("Undo accept", key=K.button("undo", index), on_click=_set, args=(index, "proposed"))
        cols[1].button("Edit", key=K.button("edit", index), on_click=st.session_state.__setitem__, args=(K.editing, index))
        if proposal.status != "rejected":
            cols[2].button("Reject", key=K.button("reject", index), on_click=_set, args=(index, "rejected"))
        else:
            cols[2].button("Restore", key=K.button("restore", index), on_click=_set, args=(index, "proposed"))
    if st.session_state.get(K.editing) == index:
        edited = _event_form(event, ds, form_key=K.button("form", index), submit="Accept with these changes",
                             articles={**ds.articles, article.id: article}, new_place=proposal.new_place)  # fmt: skip
        if edited is not None:
            problems = curate.event_problems(edited, ds, {article.id: article}, {a["id"]: a for a in _new_actors()},
                                             _proposed_places(proposal), _new_country_codes())  # fmt: skip
            taken = {e.id for e in ds.events} | {p.id for i, p in enumerate(st.session_state[K.proposals]) if i != index}
            if edited["id"] in taken:
                problems.append(DataProblem("events.yaml", f"event '{edited['id']}'", "id", "another event has this id"))
            if problems:
                st.error("Not accepted yet:\n\n" + "\n".join(f"- {escape_markdown(str(p))}" for p in problems))
            else:
                _set(index, "accepted", edited)
                st.session_state[K.editing] = None
                st.session_state[K.notice] = None
                st.rerun()


def _add_by_hand(article: Any) -> None:
    taken = {p.id for p in st.session_state[K.proposals]}
    event = {"id": curate.unique_event_id(f"{article.id}-event", taken), "date": article.published,
             "sources": [{"article": article.id, "quote": ""}]}  # fmt: skip
    st.session_state[K.proposals] = [*st.session_state[K.proposals], curate.Proposal(event=event, drafted=False)]
    st.session_state[K.editing] = len(st.session_state[K.proposals]) - 1


def _actor_form(ds: Dataset) -> None:
    actors_yaml = (_folder() / "actors.yaml").read_text(encoding="utf-8")
    used = [a.colour for a in ds.actors.values()] + [a["colour"] for a in _new_actors()]
    colours = curate.colour_choices(curate.palette(actors_yaml), used)
    suggested = colours[0]
    countries = {c.iso3: c.name for c in ds.countries.values()}
    with st.expander("Add a missing actor"), st.form(K.actor_form):
        left, right = st.columns(2)
        actor_id = left.text_input("Id (states: ISO-3 code; others: lower_case_slug)")
        name = right.text_input("Name")
        kind = left.selectbox("Kind", ACTOR_KINDS)
        country = right.selectbox("Home country", list(countries), index=None, placeholder="None (transnational)",
                                  format_func=lambda c: f"{countries[c]} ({c})")  # fmt: skip
        aliases = st.text_input("Aliases, comma-separated (other spellings, transliterations)")
        colour = st.selectbox("Colour (unused ones from the palette in actors.yaml, then the shared neutral for a minor actor)",
                              colours, index=colours.index(suggested))  # fmt: skip
        if st.form_submit_button("Add actor"):
            record = curate.actor_record(id=actor_id, name=name, kind=kind, country=country, colour=colour,
                                         aliases=aliases.split(","))  # fmt: skip
            problems = curate.actor_problems(record, ds, {a["id"]: a for a in _new_actors()})
            if problems:
                st.error("\n".join(f"- {escape_markdown(str(p))}" for p in problems))
            else:
                st.session_state[K.new_actors] = [*_new_actors(), record]
                st.success(f"Added {escape_markdown(record['name'])}: it is saved with the events.")


# ---------------------------------------------------------------------------
# saving


def _message(plan: curate.Plan, verb: str) -> str:
    """The history's commit message for the plan: what changed and from which article."""
    return history.describe(article=plan.article.id if plan.article else None, added=[e["id"] for e in plan.events],
                            edited=list(plan.edits), actors=[a["id"] for a in plan.actors],
                            places=[p["id"] for p in plan.places], verb=verb)  # fmt: skip


def save_plan(plan: curate.Plan, seen: Mapping[str, str], verb: str = "Edit") -> list[DataProblem] | None:
    """Save `plan` against the folder state `seen` (from a page other than this one: a restore)."""
    st.session_state[K.seen] = dict(seen)
    return _save(plan, verb)


def _save(plan: curate.Plan, verb: str = "Edit", *, proposal: bool = True) -> list[DataProblem] | None:
    """Save the plan (lib.team.saving: rate limit, the folder's lock, the checked atomic save, a git commit by
    the signed-in user); None when saved, else the problems (nothing written). With sign-in configured, the
    events a curator saves are proposals until reviewed (`proposal`; False for a reviewer's decision)."""
    folder = _folder()
    if proposal and auth_mode() is not None:
        plan = review.proposed_plan(plan, signed_in_user())
    try:
        new_texts = curate.changes(folder, plan)
    except (YamlEditError, OSError) as exc:
        return [DataProblem(folder.name, None, None, f"cannot prepare the save: {exc}")]
    except yaml.YAMLError as exc:  # e.g. a character YAML cannot hold: the checks before should have said
        return [DataProblem(folder.name, None, None, f"cannot prepare the save: {yaml_error_text(exc)}")]
    result = saving.save(folder, new_texts, _seen(), user=signed_in_user(), message=_message(plan, verb))
    if result.problems:
        return result.problems
    st.session_state[K.seen] = store.read_state(folder)
    st.session_state[K.history_note] = result.note
    return None


def _after_save(message: str) -> None:
    for key in (K.article, K.proposals, K.editing, K.notice, K.fixing, K.review_fixing, K.save_problems):
        st.session_state.pop(key, None)
    st.session_state[K.new_actors] = []
    st.session_state[K.new_countries] = []
    st.session_state[K.new_places] = []
    st.session_state[K.message] = message
    st.rerun()


def _reload() -> None:
    st.session_state[K.seen] = store.read_state(_folder())
    st.session_state.pop(K.save_problems, None)


def _show_save_problems() -> None:
    problems = st.session_state.get(K.save_problems)
    if not problems:
        return
    _problem_list(problems)
    if any("after this page read" in p.message or "now exists" in p.message for p in problems):
        st.button("Reload the data folder (keeps your accepted events; then save again)", on_click=_reload,
                  key=K.reload)  # fmt: skip


def _save_panel(article: Any, ds: Dataset) -> None:
    proposals = st.session_state[K.proposals]
    accepted = curate.accepted_events(proposals, article.id)
    waiting = sum(p.status == "proposed" for p in proposals)
    st.header("Save", anchor=False)
    parts = [f"{code_span(f'articles/{article.id}.md')} (new)", f"{count(len(accepted), 'event')} added to `events.yaml`"]
    if _new_actors():
        parts.append(f"{count(len(_new_actors()), 'actor')} added to `actors.yaml`")
    places = curate.new_places(proposals, ds)
    places += [p for p in reference.new_places() if p["id"] not in {q["id"] for q in places}]
    if reference.new_countries():
        parts.append(f"{count(len(reference.new_countries()), 'country')} added to `countries.yaml`")
    if places:
        parts.append(f"{count(len(places), 'new place')} added to `places.yaml` "
                     f"({escape_markdown(', '.join(p['name'] for p in places))})")  # fmt: skip
    st.markdown("Will write " + ", ".join(parts) + ". Proposals not accepted are not saved"
                + (f" ({count(waiting, 'proposal')} still waiting)." if waiting else "."))  # fmt: skip
    if st.button("Save to the data folder", type="primary", disabled=not accepted, key=K.save):
        plan = curate.Plan(article=st.session_state[K.article], events=accepted, actors=list(_new_actors()), places=places,
                           countries=list(reference.new_countries()))  # fmt: skip
        problems = _save(plan)
        if problems is None:
            _after_save(f"Saved {article.id} with {count(len(accepted), 'event')}"
                        + (f" and {count(len(places), 'new place')}." if places else "."))  # fmt: skip
        st.session_state[K.save_problems] = problems
    _show_save_problems()


# ---------------------------------------------------------------------------
# problems, each with a way to fix it


def _fix_panel(ds: Dataset) -> None:
    grouped = curate.problems_by_event(ds.problems)
    if not grouped:
        st.success("The data folder has no problems.")
        return
    raw = curate.raw_events(_folder())
    for event_id, problems in sorted(grouped.items()):
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(f'Event {event_id}' if event_id else 'Other records')}**")
            for p in problems:
                st.markdown(f"- {escape_markdown(str(p))}")
            if event_id and event_id in raw:
                st.button("Fix this event", key=K.button("fix", event_id), on_click=st.session_state.__setitem__,
                          args=(K.fixing, event_id))  # fmt: skip
            elif not event_id:
                st.caption("Fix these in the files named (a text editor), then reload the page.")
    fixing = st.session_state.get(K.fixing)
    if fixing and fixing in raw:
        st.header(f"Fix event {escape_markdown(fixing)}", anchor=False)
        edited = _event_form(raw[fixing], ds, form_key=K.fix_form, submit="Save the fixed event", articles=ds.articles)
        if edited is not None:
            problems = curate.event_problems(edited, ds, {}, {a["id"]: a for a in _new_actors()}, reference.new_places(),
                                             _new_country_codes())  # fmt: skip
            if problems:
                _problem_list(problems)
                return
            result = _save(curate.Plan(edits={fixing: edited}, actors=list(_new_actors()), places=list(reference.new_places()),
                                       countries=list(reference.new_countries())))  # fmt: skip
            if result is None:
                _after_save(f"Saved the fixed event {edited['id']}.")
            st.session_state[K.save_problems] = result
        _show_save_problems()


# ---------------------------------------------------------------------------
# review (with sign-in configured): a reviewer accepts or returns the events curators proposed


def _decide(event_id: str, event: dict[str, Any], verb: str) -> None:
    result = _save(curate.Plan(edits={event_id: event}), verb, proposal=False)
    if result is None:
        st.session_state[K.message] = f"{verb}ed event {event_id}." if verb == "Return" else f"Accepted event {event_id}."
        st.session_state.pop(K.save_problems, None)
    else:
        st.session_state[K.save_problems] = result


def _return(event_id: str, event: dict[str, Any]) -> None:
    note = str(st.session_state.get(K.button("review_note", event_id)) or "")
    if note.strip():
        _decide(event_id, review.returned(event, note), "Return")


def _review_card(event_id: str, event: dict[str, Any], ds: Dataset, reviewer: bool, curator: bool) -> None:
    user = signed_in_user()
    with st.container(border=True):
        state = "Returned" if event.get("review") == "returned" else "Proposed"
        st.markdown(f"**{escape_markdown(str(event.get('title') or event_id))}** · `{escape_markdown(event_id)}`")
        by = user_markdown(str(event["proposed_by"])) if event.get("proposed_by") else "a curator"
        st.caption(f"{state} by {by} · " + escape_markdown(f"{event.get('date')} · {event.get('actor')} → "
                                                            f"{event.get('target') or '-'} · stance {event.get('stance')}"))  # fmt: skip
        for source in event.get("sources") or []:
            st.markdown("> " + escape_markdown(" ".join(str(source.get("quote") or "").split())))
        if event.get("review_note"):
            st.warning("Reviewer's note: " + escape_markdown(str(event["review_note"])))
        if reviewer:
            why = review.why_not_review(event, user)
            if why:
                st.caption(f"You cannot review it: {escape_markdown(why)}.")
            else:
                left, right = st.columns([1, 3])
                left.button("Accept", key=K.button("review_accept", event_id), type="primary", on_click=_decide,
                            args=(event_id, review.accepted(event), "Accept"))  # fmt: skip
                note = right.text_input("Comment (what to change)", key=K.button("review_note", event_id))
                right.button("Return with this comment", key=K.button("review_return", event_id), disabled=not note.strip(),
                             on_click=_return, args=(event_id, event))  # fmt: skip
        if curator and event.get("review") == "returned":
            st.button("Fix and propose again", key=K.button("review_fix", event_id), on_click=st.session_state.__setitem__,
                      args=(K.review_fixing, event_id))  # fmt: skip


def _review_panel(waiting: dict[str, dict[str, Any]], ds: Dataset) -> None:
    reviewer, curator = can("reviewer"), can("curator")
    problems = st.session_state.get(K.save_problems)
    if problems:
        _problem_list(problems)
        st.button("Reload the data folder", on_click=_reload, key=K.button("reload", "review"))
    if not waiting:
        st.success("No event is waiting for review.")
    st.caption("An event a curator saves is proposed until a reviewer who did not propose it accepts it, or "
               "returns it with a comment. Pages, exports and briefings can show reviewed events only (reviewed=1).")  # fmt: skip
    for event_id, event in sorted(waiting.items()):
        _review_card(event_id, event, ds, reviewer, curator)
    fixing = st.session_state.get(K.review_fixing)
    if curator and fixing in waiting and waiting[fixing].get("review") == "returned":
        st.header(f"Fix event {escape_markdown(fixing)}", anchor=False)
        edited = _event_form(waiting[fixing], ds, form_key=K.review_form, submit="Save and propose again",
                             articles=ds.articles)  # fmt: skip
        if edited is not None:
            result = _save(curate.Plan(edits={fixing: edited}))
            if result is None:
                _after_save(f"Saved the fixed event {edited['id']}: proposed again.")
            st.session_state[K.save_problems] = result


# ---------------------------------------------------------------------------


def curate_page() -> None:
    """The whole Curate page (the page script only calls this)."""
    if not curate_allowed():  # not reachable through navigation; a direct run still writes nothing
        st.error("The Curate page exists only in curation mode (scripts/start.sh --curate)."
                 + (" With sign-in, only curators and reviewers have it." if auth_mode() else ""))
        st.stop()
    ds = load().dataset
    _seen()
    page_heading("Curate", f"Curation mode: saves write to the data folder {code_span(_folder().name + '/')} after "
                 "checking the whole dataset. A drafted event is a proposal until you accept it.")  # fmt: skip
    message = st.session_state.pop(K.message, None)
    if message:
        st.success(escape_markdown(message))
        note = st.session_state.pop(K.history_note, None)
        if note:
            st.info(note)
        st.page_link("app_pages/events.py", label="See the events", icon=":material/article:")
    problem_count = sum(len(v) for v in curate.problems_by_event(ds.problems).values())
    waiting = review.pending(curate.raw_events(_folder())) if auth_mode() is not None else {}
    names = ["Add an article", f"Problems ({problem_count})"] + ([f"Review ({len(waiting)})"] if auth_mode() else [])
    add, fix, *check = st.tabs(names)
    if check:
        with check[0]:
            _review_panel(waiting, ds)
    if not can("curator"):  # a reviewer who is not a curator only reviews
        with add:
            st.info("Adding and fixing events is for curators: your role is to review them (the Review tab).")
        return
    with add:
        _article_form(ds)
        article_draft = st.session_state.get(K.article)
        if article_draft is not None:
            article = curate.as_article(article_draft, ds)
            proposals = st.session_state[K.proposals]
            st.header(f"Drafts from {escape_markdown(article.id)}", anchor=False)
            text_col, drafts_col = st.columns([5, 6])
            with text_col, st.container(height=720):
                quotes = [s["quote"] for p in proposals if p.status != "rejected" for s in p.event.get("sources", [])]
                st.markdown(highlighted_markdown(article.text, quotes))
            with drafts_col:
                if not proposals:
                    st.info("No drafts: add the events by hand.")
                for index, proposal in enumerate(proposals):
                    _proposal_card(index, proposal, ds, article)
                st.button("Add an event by hand", on_click=_add_by_hand, args=(article,), key=K.add_event)
            _actor_form(ds)
            reference.country_form(ds)
            reference.place_form(ds)
            _save_panel(article, ds)
    with fix:
        reference.period_form(ds, lambda periods: _save(curate.Plan(periods=periods)))
        _fix_panel(ds)

