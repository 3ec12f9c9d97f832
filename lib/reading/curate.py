"""The Curate page's logic, without Streamlit: a new article from a form, drafts as proposals a person
accepts, edits or rejects, new actors, each event's problems, and the files a save would write.

Nothing here writes: `changes` returns the new text of each file, for `lib.model.store.save` to check and write.
"""

from __future__ import annotations

import colorsys
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from lib.errors import DataProblem
from lib.model.codebook import article_id, outlet_short_form
from lib.model.dataset import Dataset, normalise_whitespace
from lib.model.hints import quote_departure
from lib.model.load import place_problems, split_front_matter
from lib.model.read import load_yaml, validation_problems, yaml_error_text
from lib.model.schema import NEUTRAL_COLOUR, PLACE_PRECISIONS, Actor, Article, ArticleMeta, Event, Place
from lib.model.yaml_edit import append_record, append_to_record, article_text, replace_record, set_fields
from lib.text import uncarriable

Status = Literal["proposed", "accepted", "rejected"]
FRONT_MATTER_ORDER = ("id", "title", "outlet", "author", "published", "approximate", "published_note", "url",
                      "republished_in", "excerpt")  # fmt: skip
EVENT_ORDER = tuple(Event.model_fields)  # the schema's (and the codebook's) order
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")


@dataclass(frozen=True)
class Reading:
    """One reading of a card's quote (the drafter's proposal or one of its alternatives)."""

    event: dict[str, Any]
    notes: tuple[str, ...] = ()
    guessed: frozenset[str] = frozenset()
    new_place: dict[str, Any] | None = None
    confidence: float | None = None
    reason: str = ""


@dataclass(frozen=True)
class Proposal:
    """One event a person is deciding on: a machine draft (or an event written by hand) and its status.

    A proposal is only ever saved once its status is "accepted", which only a person's click sets.
    """

    event: dict[str, Any]
    status: Status = "proposed"
    notes: tuple[str, ...] = ()
    guessed: frozenset[str] = frozenset()
    drafted: bool = True
    new_place: dict[str, Any] | None = None  # the places.yaml entry the drafter proposes with the event
    confidence: float | None = None  # the drafter's confidence in the reading shown (None: written by hand)
    reason: str = ""  # the rule that drafted the reading shown
    readings: tuple[Reading, ...] = ()  # every reading of the card's quote, best first (empty: only this one)
    chosen: int = 0  # which of `readings` is shown

    @property
    def id(self) -> str:
        return str(self.event.get("id", ""))


@dataclass(frozen=True)
class ArticleDraft:
    """A new article as entered in the form: its front matter and its body text."""

    meta: dict[str, Any]
    body: str

    @property
    def id(self) -> str:
        return str(self.meta.get("id") or "")


def front_matter(**fields: Any) -> dict[str, Any]:
    """The front matter in the codebook's order; empty texts become null, optional fields left out when
    unset (`republished_in`, `excerpt`), the rest always present."""
    meta: dict[str, Any] = {}
    for name in FRONT_MATTER_ORDER:
        value = fields.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        if name in ("republished_in", "excerpt") and not value:
            continue
        meta[name] = bool(value) if name in ("approximate", "excerpt") else value
    return meta


def suggested_id(outlet_short: str, published: str, title: str) -> str:
    """The article id the codebook asks for (`<outlet>-<published>-<headline-slug>`)."""
    return article_id(outlet_short, published.strip(), title)


def outlet_short_forms(ds: Dataset) -> dict[str, str]:
    """Each known outlet's short form, from the ids of its articles."""
    return {a.outlet: outlet_short_form(a.id) for a in sorted(ds.articles.values(), key=lambda a: a.id)}


MAX_ARTICLE_BYTES = 1024 * 1024
"""An article, uploaded or pasted, may be at most 1 MB (as `.streamlit/config.toml`'s maxUploadSize = 1)."""
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_upload(data: bytes) -> tuple[str | None, str | None]:
    """An uploaded file's text, decoded by its byte-order mark (UTF-8, UTF-16 LE or BE) or as UTF-8 without
    one: (text, None), or (None, why it is refused: too large, or not text)."""
    if len(data) > MAX_ARTICLE_BYTES:
        return None, f"the file is {len(data):,} bytes, over the limit of {MAX_ARTICLE_BYTES:,} (1 MB)"
    encoding, start = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, start = name, len(bom)
            break
    try:
        text = data[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        return None, (f"the file is not {encoding.upper().replace('-LE', ' LE').replace('-BE', ' BE')} text "
                      f"(undecodable byte at offset {start + exc.start:,}): save the article as UTF-8 text")  # fmt: skip
    if "\x00" in text:
        return None, "the file holds NUL characters: it is not a text file (UTF-16 without its byte-order mark?)"
    return text, None


def parse_article_file(text: str) -> tuple[dict[str, Any], str, str | None]:
    """An uploaded file: (its front matter if it has any, else {}; its body; a note when the front matter
    could not be read, e.g. malformed or over a YAML limit, so the form is left for a person to fill)."""
    parts = split_front_matter(text)
    if parts is None:
        return {}, text.strip(), None
    try:
        meta = load_yaml(parts[0])
    except yaml.YAMLError as exc:
        return {}, parts[1].strip(), f"the front matter was not used: {yaml_error_text(exc)}"
    if not isinstance(meta, dict):
        return {}, parts[1].strip(), "the front matter was not used: it is not a mapping of fields"
    return meta, parts[1].strip(), None


def article_problems(draft: ArticleDraft, ds: Dataset) -> list[DataProblem]:
    """What is wrong with the article as entered, before drafting or saving."""
    label = f"{ds.data_dir.name}/articles/{draft.id or '<id>'}.md"
    record = f"article '{draft.id}'"
    try:
        ArticleMeta.model_validate(draft.meta)
    except ValidationError as exc:
        return validation_problems(label, record, exc, ArticleMeta)
    problems = []
    if draft.id in ds.articles or (ds.data_dir / "articles" / f"{draft.id}.md").exists():
        problems.append(DataProblem(label, record, "id", "an article with this id is already in the data folder"))
    if not draft.body.strip():
        problems.append(DataProblem(label, record, None, "has no body text: paste or upload the article"))
    size = len(draft.body.encode("utf-8", "surrogatepass"))
    if size > MAX_ARTICLE_BYTES:
        problems.append(DataProblem(label, record, "body", f"the text is {size:,} bytes, over the limit of "
                                    f"{MAX_ARTICLE_BYTES:,} (1 MB) for a pasted or uploaded article: split it "
                                    "or keep the part that matters (an excerpt)"))  # fmt: skip
    elif (wrong := uncarriable(draft.body)) is not None:
        problems.append(DataProblem(label, record, "body", wrong))
    return problems


def as_article(draft: ArticleDraft, ds: Dataset) -> Article:
    """The article as the loader would read it from its file (what the drafter and the quote checks use)."""
    text = article_text(draft.meta, draft.body)
    _, body = split_front_matter(text) or ("", draft.body)
    return Article.model_validate({**draft.meta, "text": body.strip(), "path": f"{ds.data_dir.name}/articles/{draft.id}.md"})


def proposals_from_drafts(drafts: Sequence[Any]) -> list[Proposal]:
    """The drafter's cards (`lib.reading.draft.Draft`) as proposals, every one waiting for a person's decision;
    a card's alternatives become its other readings, a click away."""
    out = []
    for card in drafts:
        readings = tuple(
            Reading(_ordered(dict(d.event)), tuple(d.notes), frozenset(d.guessed), getattr(d, "new_place", None),
                    getattr(d, "confidence", None), getattr(d, "reason", ""))
            for d in (card.proposals() if hasattr(card, "proposals") else [card])
        )  # fmt: skip
        first = readings[0]
        out.append(Proposal(event=first.event, notes=first.notes, guessed=first.guessed, new_place=first.new_place,
                            confidence=first.confidence, reason=first.reason,
                            readings=readings if len(readings) > 1 else ()))  # fmt: skip
    return out


def choose_reading(proposals: Sequence[Proposal], index: int, reading: int) -> list[Proposal]:
    """The proposals with card `index` showing its reading number `reading` (back to proposed: a person
    decides on the reading they see)."""
    out = list(proposals)
    p = out[index]
    r = p.readings[reading]
    out[index] = replace(p, event=dict(r.event), notes=r.notes, guessed=r.guessed, new_place=r.new_place,
                         confidence=r.confidence, reason=r.reason, chosen=reading, status="proposed")  # fmt: skip
    return out


def _ordered(event: Mapping[str, Any]) -> dict[str, Any]:
    known = {k: event[k] for k in EVENT_ORDER if k in event}
    return {**known, **{k: v for k, v in event.items() if k not in known}}


def event_from_form(
    *, id: str, date: str, date_note: str, title: str, summary: str, actor: str, target: str | None,
    countries: Sequence[str], location: str, event_type: str, stance: int, sources: Sequence[Mapping[str, str]],
    kept: Mapping[str, Any] = {}, place: Mapping[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """An events.yaml entry from the edit form's fields (blank optional texts become null). Fields the
    form does not show are taken from `kept`, the event as it was, never dropped. `place`: the form's
    `place`, `place_precision` and `place_note` when it shows them (no place: no precision, no note)."""
    def text(value: str | None) -> str | None:
        return (value or "").strip() or None

    shown = {
        "id": id.strip(), "date": date.strip(), "date_note": text(date_note), "title": title.strip(),
        "summary": summary.strip(), "actor": actor, "target": target or None, "countries": list(countries),
        "location": text(location), "event_type": event_type, "stance": int(stance),
        "sources": [{"article": s["article"], "quote": s["quote"].strip(),
                     **{k: s[k] for k in ("date", "date_note") if s.get(k)}} for s in sources],  # 18.4's date kept
    }  # fmt: skip
    if place is not None:
        chosen = place.get("place") or None
        shown |= {"place": chosen, "place_precision": place.get("place_precision") if chosen else None,
                  "place_note": text(place.get("place_note")) if chosen else None}  # fmt: skip
    return _ordered({**{k: v for k, v in kept.items() if k not in shown}, **shown})


def event_problems(event: Mapping[str, Any], ds: Dataset, extra_articles: Mapping[str, Article] = {},
                   extra_actors: Mapping[str, Any] = {}, extra_places: Sequence[Mapping[str, Any]] = (),
                   extra_countries: Sequence[str] = ()) -> list[DataProblem]:  # fmt: skip
    """What is wrong with one event on its own: the schema, known actors and countries, its place (known
    in places.yaml or `extra_places`, at a precision its kind allows, in one of its countries), and every
    quote verbatim in its article (saying where it departs). The whole dataset is checked again on saving."""
    label, record = f"{ds.data_dir.name}/events.yaml", f"event '{event.get('id')}'"
    problems: list[DataProblem] = []
    try:
        Event.model_validate(dict(event))
    except ValidationError as exc:
        problems.extend(validation_problems(label, record, exc, Event))
    actors = {**ds.actors, **extra_actors}
    for name in ("actor", "target"):
        value = event.get(name)
        if value and value not in actors:
            problems.append(DataProblem(label, record, name, f"{value!r} is not an actor: add it first"))
    for i, code in enumerate(event.get("countries") or []):
        if code not in ds.countries and code not in extra_countries:
            problems.append(DataProblem(label, record, f"countries[{i}]", f"{code!r} is not listed in countries.yaml"))
    places = dict(ds.places)
    for entry in extra_places:
        try:
            places.setdefault(str(entry.get("id")), Place.model_validate(dict(entry)))
        except ValidationError as exc:
            problems.extend(validation_problems(f"{ds.data_dir.name}/places.yaml", f"place '{entry.get('id')}'", exc, Place))
    problems.extend(place_problems(dict(event), places, label, record))
    articles = {**ds.articles, **extra_articles}
    for i, source in enumerate(event.get("sources") or []):
        article = articles.get(source.get("article", ""))
        quote = normalise_whitespace(source.get("quote") or "")
        if article is None:
            problems.append(DataProblem(label, record, f"sources[{i}].article", f"{source.get('article')!r} is not an article"))
        elif quote and quote not in normalise_whitespace(article.text):
            where = quote_departure(quote, normalise_whitespace(article.text))
            problems.append(DataProblem(label, record, f"sources[{i}].quote", f"is not verbatim in the article: {where}"))
    return problems


def unique_event_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `-3`… if an event already has it."""
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def palette(actors_yaml: str) -> list[str]:
    """The actor colours the data allows for main actors: the hex codes listed in actors.yaml's comments, in
    order, without the shared neutral (`NEUTRAL_COLOUR`, which the comments name too)."""
    comments = "\n".join(line.split("#", 1)[1] for line in actors_yaml.splitlines() if line.lstrip().startswith("#"))
    found = (c.upper() for c in _HEX.findall("#" + comments.replace("#", " #")))
    return list(dict.fromkeys(c for c in found if c != NEUTRAL_COLOUR))


def next_colour(colours: Sequence[str], used: Sequence[str]) -> str:
    """A colour no actor uses yet: the first free palette colour, else a generated one (hues around the
    colour wheel at medium lightness), never the neutral and never one in `used`."""
    taken = {c.upper() for c in used} | {NEUTRAL_COLOUR}
    free = [c.upper() for c in colours if c.upper() not in taken]
    if free:
        return free[0]
    for step in range(1, 10_000):
        hue = (step * 0.618033988749895) % 1.0
        light, sat = (0.45, 0.55) if step % 2 else (0.6, 0.45)
        candidate = "#" + "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(hue, light, sat))
        if candidate not in taken:
            return candidate
    raise ValueError("no free colour")  # pragma: no cover - 10,000 actors


def colour_choices(colours: Sequence[str], used: Sequence[str]) -> list[str]:
    """The colours the new-actor form offers: `next_colour` first, the other unused palette colours, and
    the shared neutral last (for a minor actor)."""
    taken = {c.upper() for c in used}
    first = next_colour(colours, used)
    rest = [c.upper() for c in colours if c.upper() not in taken and c.upper() != first]
    return list(dict.fromkeys([first, *rest, NEUTRAL_COLOUR]))


def actor_record(*, id: str, name: str, kind: str, country: str | None, colour: str,
                 aliases: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
    """An actors.yaml entry (with `aliases` only when the schema has them and some are given)."""
    record: dict[str, Any] = {"id": id.strip(), "name": name.strip(), "kind": kind, "country": country or None,
                              "colour": colour}  # fmt: skip
    cleaned = [a.strip() for a in aliases if a.strip()]
    if cleaned and "aliases" in Actor.model_fields:
        record["aliases"] = cleaned
    return record


def actor_problems(record: Mapping[str, Any], ds: Dataset, added: Mapping[str, Any]) -> list[DataProblem]:
    """What is wrong with a new actor: the schema, a taken id, an unknown home country."""
    label, rec = f"{ds.data_dir.name}/actors.yaml", f"actor '{record.get('id')}'"
    try:
        Actor.model_validate(dict(record))
    except ValidationError as exc:
        return validation_problems(label, rec, exc, Actor)
    problems = []
    if record["id"] in ds.actors or record["id"] in added:
        problems.append(DataProblem(label, rec, "id", "an actor with this id already exists"))
    if record.get("country") and record["country"] not in ds.countries:
        problems.append(DataProblem(label, rec, "country", f"{record['country']!r} is not listed in countries.yaml"))
    return problems


@dataclass
class Plan:
    """What a save would write: the new article, the accepted events, new actors, edits of existing events."""

    article: ArticleDraft | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    edits: dict[str, dict[str, Any]] = field(default_factory=dict)  # old event id -> the edited event
    places: list[dict[str, Any]] = field(default_factory=list)  # new places.yaml entries the events use
    countries: list[dict[str, Any]] = field(default_factory=list)  # new countries.yaml entries
    periods: list[dict[str, Any]] = field(default_factory=list)  # new periods.yaml entries
    sources: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (event id, a source added to it)
    dates: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id -> refined date and date_note

    @property
    def empty(self) -> bool:
        return not (self.article or self.events or self.actors or self.edits or self.places or self.countries
                    or self.periods or self.sources or self.dates)  # fmt: skip


def accepted_events(proposals: Sequence[Proposal], article_id: str) -> list[dict[str, Any]]:
    """The accepted proposals' events (all drafted from the new article), citing it by its id as it is now:
    the id may be edited after drafting. Proposed and rejected ones are never included."""
    return [_ordered({**p.event, "sources": [dict(s, article=article_id) for s in p.event.get("sources", [])]})
            for p in proposals if p.status == "accepted"]  # fmt: skip


def without_nulls(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event as saved: its optional fields with no value (`place`, `place_precision`, `place_note`,
    `date_note`, `location`, `target`) left out, as the codebook asks; required fields always kept."""
    required = {name for name, info in Event.model_fields.items() if info.is_required()}
    return {k: v for k, v in event.items() if v is not None or k in required}


def changes(folder: Path, plan: Plan) -> dict[str, str]:
    """The new text of every file the plan touches (relative path -> text), each built from the file as it
    is now with round-trip edits (comments and layout kept)."""
    out: dict[str, str] = {}
    if plan.article is not None:
        out[f"articles/{plan.article.id}.md"] = article_text(plan.article.meta, plan.article.body)
    for name, key, records in (("countries.yaml", "countries", plan.countries), ("periods.yaml", "periods", plan.periods)):
        if records:
            text = (folder / name).read_text(encoding="utf-8")
            for record in records:
                text = append_record(text, key, record, "iso3" if key == "countries" else "id")
            out[name] = text
    if plan.places:
        path = folder / "places.yaml"
        text = path.read_text(encoding="utf-8") if path.is_file() else "# Places events happen at: CODEBOOK.md 4.1.\nplaces: []\n"
        for place in plan.places:
            text = append_record(text, "places", place)
        out["places.yaml"] = text
    if plan.actors:
        text = (folder / "actors.yaml").read_text(encoding="utf-8")
        for actor in plan.actors:
            text = append_record(text, "actors", actor)
        out["actors.yaml"] = text
    if plan.events or plan.edits or plan.sources or plan.dates:
        text = (folder / "events.yaml").read_text(encoding="utf-8")
        for old_id, event in plan.edits.items():
            text = replace_record(text, "events", without_nulls(event), old_id=old_id)
        for event_id, fields in plan.dates.items():
            text = set_fields(text, "events", event_id, fields)
        for event_id, source in plan.sources:
            text = append_to_record(text, "events", event_id, "sources", source)
        for event in plan.events:
            text = append_record(text, "events", without_nulls(event))
        out["events.yaml"] = text
    return out


def new_places(proposals: Sequence[Proposal], ds: Dataset) -> list[dict[str, Any]]:
    """The places.yaml entries to add with the accepted proposals: each proposed new place an accepted event
    still uses (a curator who chose another place, or none, adds nothing), once."""
    out: dict[str, dict[str, Any]] = {}
    for p in proposals:
        record = p.new_place
        if p.status == "accepted" and record and p.event.get("place") == record.get("id") and record["id"] not in ds.places:
            out.setdefault(record["id"], dict(record))
    return list(out.values())


def place_choices(ds: Dataset, countries: Sequence[str], new_place: Mapping[str, Any] | None = None,
                  added: Sequence[Mapping[str, Any]] = ()) -> dict[str, str]:  # fmt: skip
    """The places an event can be given, key -> label: every known place and every place added on the page
    (`added`), those in the event's countries first, and the drafter's proposed new place. A place outside
    the event's countries is offered too: the check on accepting says to add its country to the event."""
    records = [{"id": p.id, "name": p.name, "kind": p.kind, "country": p.country} for p in ds.places.values()]
    records += [dict(a) for a in added if a.get("id") not in ds.places]
    if new_place and new_place.get("id") not in ds.places:
        records.append({**new_place, "new": True})
    inside = set(countries)
    ordered = sorted(records, key=lambda r: (r.get("country") not in inside, str(r.get("country")), str(r.get("name")).lower()))
    choices: dict[str, str] = {}
    for r in ordered:
        new = "; new" if r.get("new") or r.get("id") not in ds.places else ""
        choices.setdefault(str(r["id"]), f"{r.get('name')} ({r.get('kind')}, {r.get('country')}{new})")
    return choices


def precision_label(precision: int) -> str:
    """"2: near a place (within about 25 km)"."""
    return f"{precision}: {PLACE_PRECISIONS[precision]}"


def place_summary(event: Mapping[str, Any], ds: Dataset, new_place: Mapping[str, Any] | None = None) -> str:
    """One line on an event's place for the Curate card: which place, its kind and country, the precision,
    and whether saving the event adds it to places.yaml."""
    key = event.get("place")
    if not key:
        return "Place: none (placed by its countries only)"
    precision = event.get("place_precision")
    level = f"precision {precision}: {PLACE_PRECISIONS[precision]}" if precision in PLACE_PRECISIONS else "no precision"
    if key in ds.places:
        place = ds.places[key]
        return f"Place: {place.name} ({place.kind}, {place.country}), {level}"
    if new_place and new_place.get("id") == key:
        where = f"GeoNames {new_place['geonameid']}" if new_place.get("geonameid") else f"admin1 of {', '.join(new_place.get('admin1_of') or [])}"
        return (f"Place: {new_place.get('name')} ({new_place.get('kind')}, {new_place.get('country')}), {level}. New: added to "
                f"places.yaml when this event is saved ({where}, {new_place.get('lat')}, {new_place.get('lon')})")  # fmt: skip
    return f"Place: {key} (not in places.yaml), {level}"


def raw_events(folder: Path) -> dict[str, dict[str, Any]]:
    """events.yaml's entries as written (also those the loader rejected), by id, to open one for fixing."""
    try:
        document = load_yaml((folder / "events.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    items = document.get("events") if isinstance(document, dict) else None
    return {str(e["id"]): e for e in items or [] if isinstance(e, dict) and e.get("id")}


def problems_by_event(problems: Sequence[DataProblem]) -> dict[str, list[DataProblem]]:
    """The dataset's problems grouped by the event they name ("event 'x'"), others under ""."""
    grouped: dict[str, list[DataProblem]] = defaultdict(list)
    for p in problems:
        match = re.fullmatch(r"event '(.+)'", p.record or "")
        grouped[match.group(1) if match and p.file.endswith("events.yaml") else ""].append(p)
    return dict(grouped)


def with_status(proposals: Sequence[Proposal], index: int, status: Status,
                event: Mapping[str, Any] | None = None) -> list[Proposal]:  # fmt: skip
    """The proposals with one decided (accepted, rejected, or back to proposed), its event replaced if given."""
    out = list(proposals)
    out[index] = replace(out[index], status=status, event=dict(event) if event is not None else out[index].event)
    return out
