"""Briefings: prepared sequences of slides, each a dashboard view (a page and its URL query) or one event.

A briefing is `data/briefings/<id>.yaml`:

    title: Kazakhstan and the ISAF decision, 2010–2011
    subtitle: How a token deployment drew a Taliban warning        # optional
    audience: Regional desk                                        # optional
    date: 2026-12-05                                               # optional
    slides:
      - heading: Kazakhstan's events, 2010–2011
        page: timeline
        query: "country=KAZ&from=2010&to=2011&rows=country"      # or a mapping {country: KAZ, ...}
        notes: What the briefer says on this slide.               # optional
      - heading: The Taliban's warning
        event: taliban-warns-kazakhstan-over-isaf

The query is spelt exactly as the dashboard's permalinks (`lib.model.filters`: the shared filters plus the
page's own choices). Unknown pages, events, filter values and choices are located data problems, like
every other problem in the data folder.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import zlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import parse_qsl, urlencode

import yaml
from pydantic import Field, StringConstraints, ValidationError, model_validator

from lib.errors import DataProblem
from lib.model.filters import PAGE_KEYS, QUERY_KEYS, FilterOptions, Filters
from lib.model.hints import did_you_mean
from lib.model.read import load_yaml, read_text, rel_path, validation_problems, yaml_error_text
from lib.model.schema import Slug, Strict, Text

if TYPE_CHECKING:
    from lib.model.dataset import Dataset

BRIEFINGS_FOLDER = "briefings"
ACTOR = "actor"  # a page choice whose values are the actors in actors.yaml

# Each page's own URL choices: allowed value -> label (ACTOR: any actor id). The pages read their labels here.
PAGE_CHOICES: dict[str, dict[str, dict[str, str] | str]] = {
    "overview": {},
    "timeline": {"rows": {"actor": "Actor", "country": "Country"}},
    "stance": {"target": ACTOR, "dir": {"toward": "Others toward the target", "from": "The target toward others"}},
    "map": {"metric": {"events": "Number of events", "stance": "Mean stance toward a target"}, "target": ACTOR,
            "layers": {"both": "Countries and places", "areas": "Countries only", "points": "Places only"}},
    "events": {},
}
PAGE_ALIASES = {"home": "overview"}  # the default page's url path
PAGE_TITLES = {"overview": "Overview", "timeline": "Timeline", "stance": "Actor stance", "map": "Regional map",
               "events": "Events and sources"}  # fmt: skip
# The defaults the pages use when the URL does not say (lib.ui.page_choice's `default`).
CHOICE_DEFAULTS = {"rows": "actor", "target": "taliban", "dir": "toward", "metric": "events", "layers": "both"}
# The chart a view slide shows: the page's main figure (lib.views.charts.figure_for kind); None: a list of events.
MAIN_CHART = {"overview": "by_year", "timeline": "timeline", "stance": "stance", "map": "map", "events": None}

Heading = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
QueryValue = str | int | list[str | int]


class Slide(Strict):
    """One slide: a view (`page` and `query`) or an `event`, with a heading and optional speaker notes."""

    heading: Heading
    page: str | None = None
    query: str | dict[str, QueryValue] | None = None
    event: Slug | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Slide:
        if (self.page is None) == (self.event is None):
            raise ValueError("a slide is either a view ('page', optionally 'query') or an 'event', exactly one")
        if self.event is not None and self.query is not None:
            raise ValueError("an event slide has no 'query' (the query belongs to a 'page' slide)")
        return self

    @property
    def kind(self) -> str:
        """"view" or "event"."""
        return "event" if self.event is not None else "view"

    def params(self) -> dict[str, str]:
        """The query as URL parameters (repeated or listed values joined by commas, as the permalinks do)."""
        return query_params(self.query)


class Briefing(Strict):
    """A prepared briefing: a title and an ordered list of slides."""

    title: Text
    subtitle: Text | None = None
    audience: Text | None = None
    date: dt.date | None = None
    slides: Annotated[list[Slide], Field(min_length=1)]


# ---------------------------------------------------------------------------
# queries and views


def query_params(query: str | Mapping[str, Any] | None) -> dict[str, str]:
    """`"country=KAZ&from=2010"` or `{country: [KAZ, TJK]}` as `{"country": "KAZ,TJK", ...}`."""
    if query is None:
        return {}
    pairs: list[tuple[str, str]]
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    else:
        pairs = []
        for key, value in query.items():
            values = value if isinstance(value, list) else [value]
            pairs += [(str(key), str(v)) for v in values]
    params: dict[str, str] = {}
    for key, value in pairs:
        params[key] = f"{params[key]},{value}" if key in params else value
    return params


def page_of(name: str) -> str | None:
    """The page a slide names (`home` is the overview), or None when there is no such page."""
    name = PAGE_ALIASES.get(name, name)
    return name if name in PAGE_CHOICES else None


def choice_values(page: str, key: str, actors: Mapping[str, str]) -> dict[str, str]:
    """The values a page's choice takes (value -> label)."""
    allowed = PAGE_CHOICES[page][key]
    return dict(actors) if allowed == ACTOR else dict(allowed)  # type: ignore[arg-type]


def options_of(ds: Dataset) -> FilterOptions:
    """Every value a briefing may filter on: all countries, actors and event types in the data folder."""
    return FilterOptions(
        countries={c.iso3: c.name for c in ds.countries.values()},
        actors={a.id: a.name for a in ds.actors.values()},
        types={t.id: t.label for t in ds.vocab.event_types} if ds.vocab else {},
        years=(1900, 2100),
    )


def _as_problem(note: str) -> str:
    """A parse note of `Filters.from_query` worded for a data file."""
    text = note.removeprefix("Ignored ").removesuffix(" in the link.")
    return text[0].lower() + text[1:] if text else note


def query_problems(page: str, params: Mapping[str, str], options: FilterOptions) -> list[tuple[str, str]]:
    """What is wrong with a view's query for `page`: (parameter, message) pairs; empty when it is clean."""
    found: list[tuple[str, str]] = []
    for key, value in params.items():
        if key in QUERY_KEYS:
            notes = Filters.from_query({key: value}, options).notes
            found += [(key, _as_problem(n)) for n in notes]
        elif key in PAGE_CHOICES[page]:
            allowed = choice_values(page, key, options.actors)
            if value not in allowed:
                listed = ", ".join(list(allowed)[:12]) + (", …" if len(allowed) > 12 else "")
                found.append((key, f"{value!r} is not a choice of the {page} page (one of: {listed})"))
        elif key in PAGE_KEYS:
            found.append((key, f"{key!r} is not an option of the {page} page"))
        else:
            known = ", ".join((*QUERY_KEYS, *PAGE_CHOICES[page]))
            found.append((key, f"unknown parameter {key!r} (known here: {known})"))
    low, high = params.get("from"), params.get("to")
    if low and high and low.isdigit() and high.isdigit() and int(low) > int(high):
        found.append(("from", f"'from' {low} is after 'to' {high}"))
    return found


@dataclass(frozen=True)
class SlideView:
    """A view slide made concrete: the page, its filters, its choices (defaults filled in) and its permalink."""

    page: str
    filters: Filters
    choices: dict[str, str] = field(default_factory=dict)

    @property
    def chart(self) -> str | None:
        """The figure kind the slide shows (lib.views.charts.figure_for), or None for a list of events."""
        return MAIN_CHART[self.page]

    def figure_params(self) -> dict[str, str]:
        """Keyword arguments of lib.views.charts.figure_for for this view's choices."""
        names = {"rows": "rows", "target": "target", "dir": "direction", "metric": "metric", "layers": "layers"}
        return {names[k]: v for k, v in self.choices.items()}

    def query(self) -> dict[str, str]:
        """The URL query of the view: the filters, then the choices that differ from the page's default."""
        query = self.filters.to_query()
        query.update({k: v for k, v in self.choices.items() if v != CHOICE_DEFAULTS.get(k)})
        return query

    def permalink(self) -> str:
        """The view's path in the dashboard, e.g. `timeline?country=KAZ&rows=country`."""
        query = urlencode(self.query(), safe=",")
        return f"{self.page}?{query}" if query else self.page


def slide_view(slide: Slide, options: FilterOptions) -> SlideView:
    """The view a (validated) view slide shows; values the options do not know are left out."""
    return query_view(page_of(slide.page or "") or "overview", slide.params(), options)


def query_view(page: str, params: Mapping[str, str], options: FilterOptions) -> SlideView:
    """The view a known page shows for these URL parameters; values the options do not know are left out."""
    filters = Filters.from_query({k: v for k, v in params.items() if k in QUERY_KEYS}, options).without_notes()
    choices = {}
    for key in PAGE_CHOICES[page]:
        allowed = choice_values(page, key, options.actors)
        value = params.get(key, CHOICE_DEFAULTS[key])
        choices[key] = value if value in allowed else CHOICE_DEFAULTS[key]
    return SlideView(page, filters, choices)


def view_slide(page: str, params: Mapping[str, str], heading: str, notes: str | None = None) -> dict[str, Any]:
    """A view slide as the YAML spells it, from a page's url path and its current URL query."""
    page = PAGE_ALIASES.get(page, page)
    keep = {k: v for k, v in params.items() if k in QUERY_KEYS or k in PAGE_CHOICES.get(page, {})}
    slide: dict[str, Any] = {"heading": heading, "page": page}
    if keep:
        slide["query"] = urlencode(keep, safe=",")
    if notes:
        slide["notes"] = notes
    return slide


def choices_in_words(page: str, choices: Mapping[str, str], options: FilterOptions) -> list[str]:
    """A view's page choices in words: ["one row per country"], ["stance toward Kazakhstan"], …"""
    actor = options.actors.get
    words: list[str] = []
    if page == "timeline":
        words.append(f"one row per {choices.get('rows', CHOICE_DEFAULTS['rows'])}")
    elif page == "stance":
        target = choices.get("target", CHOICE_DEFAULTS["target"])
        name = actor(target, target)
        words.append(f"{name} toward others" if choices.get("dir") == "from" else f"stance toward {name}")
    elif page == "map":
        if choices.get("metric") == "stance":
            target = choices.get("target", CHOICE_DEFAULTS["target"])
            words.append(f"mean stance toward {actor(target, target)}")
        else:
            words.append("number of events")
        layers = choices.get("layers", CHOICE_DEFAULTS["layers"])
        if layers != "both":
            words.append(str(PAGE_CHOICES["map"]["layers"][layers]).lower())  # type: ignore[index]
    return words


def view_in_words(page: str, params: Mapping[str, str], options: FilterOptions) -> str:
    """A view slide in words, for the editor's list: "Timeline — Kazakhstan · 2021–2024 · one row per country"."""
    known = page_of(page)
    if known is None:
        return f"{page} (not a page)"
    view = query_view(known, params, options)
    parts = [view.filters.describe(options), *choices_in_words(known, view.choices, options)]
    return f"{PAGE_TITLES[known]} — " + " · ".join(parts)


# ---------------------------------------------------------------------------
# a draft kept in the URL

DRAFT_FIELDS = ("id", "title", "subtitle", "audience", "date")
SLIDE_FIELDS = ("heading", "page", "query", "event", "notes")
MAX_DRAFT_PARAM = 48_000  # characters of `?draft=`: well under the server's 64 KiB request-line limit
MAX_DRAFT_BYTES = 400_000  # what a draft may unpack to (a bomb stops here)


def draft_param(draft: Mapping[str, Any]) -> str:
    """A briefing draft (title, subtitle, audience, date, id and slides) packed for the URL: compact JSON,
    deflated, URL-safe base64. `draft_from_param` reads it back."""
    data: dict[str, Any] = {k: draft[k] for k in DRAFT_FIELDS if draft.get(k)}
    data["slides"] = [{k: s[k] for k in SLIDE_FIELDS if s.get(k) not in (None, "")} for s in draft.get("slides", [])]
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")


def draft_from_param(text: str) -> dict[str, Any] | None:
    """The draft a `draft_param` holds (fields of the wrong type dropped), or None when it is not one."""
    if not text or len(text) > MAX_DRAFT_PARAM:
        return None
    try:
        packed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        inflate = zlib.decompressobj()
        raw = inflate.decompress(packed, MAX_DRAFT_BYTES)
        if inflate.unconsumed_tail or not inflate.eof:
            return None
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("slides", []), list):
        return None
    draft: dict[str, Any] = {k: data[k] for k in DRAFT_FIELDS if isinstance(data.get(k), str)}
    if "id" in draft and not _ID.match(draft["id"]):
        del draft["id"]
    draft["slides"] = [
        {k: s[k] for k in SLIDE_FIELDS if isinstance(s.get(k), str)} for s in data.get("slides", []) if isinstance(s, dict)
    ]
    return draft


# ---------------------------------------------------------------------------
# loading and validation


def _check_references(
    item: Mapping[str, Any], ds: Dataset, options: FilterOptions, event_ids: Collection[str]
) -> list[tuple[str, str]]:
    """Problems of one briefing's raw slides against the data: (field path, message) pairs."""
    found: list[tuple[str, str]] = []
    slides = item.get("slides")
    for n, slide in enumerate(slides if isinstance(slides, list) else []):
        if not isinstance(slide, dict):
            continue
        where = f"slides[{n}]"
        page = slide.get("page")
        if isinstance(page, str):
            known = page_of(page)
            if known is None:
                found.append((f"{where}.page", f"{page!r} is not a page (one of: {', '.join(PAGE_CHOICES)})"))
            else:
                query = slide.get("query")
                if isinstance(query, (str, dict)):
                    for key, message in query_problems(known, query_params(query), options):
                        found.append((f"{where}.query.{key}", message))
        event = slide.get("event")
        if isinstance(event, str) and event not in event_ids:
            hint = did_you_mean(event, event_ids)
            found.append((f"{where}.event", f"{event!r} is not an event in events.yaml or events.parquet{hint}"))
    return found


def validate_briefing(
    item: Any, label: str, record: str, ds: Dataset, event_ids: Collection[str] | None = None
) -> tuple[Briefing | None, list[DataProblem]]:
    """Validate one briefing's parsed YAML against the schema and the data folder; collect every problem.

    `event_ids`: the events a slide may show (`lib.model.data_folder.event_ids`: events.yaml's and events.parquet's);
    by default the dataset's events.yaml events only."""
    if not isinstance(item, dict):
        return None, [DataProblem(label, record, None, "expected a mapping with 'title' and 'slides'")]
    problems: list[DataProblem] = []
    briefing = None
    try:
        briefing = Briefing.model_validate(item)
    except ValidationError as exc:
        problems += validation_problems(label, record, exc)
    known = {e.id for e in ds.events} if event_ids is None else event_ids
    problems += [DataProblem(label, record, where, message)
                 for where, message in _check_references(item, ds, options_of(ds), known)]  # fmt: skip
    data_years = [int(e.date[:4]) for e in ds.events]
    span = (min(data_years), max(data_years)) if data_years else None
    problems += [DataProblem(label, record, where, message, "warning")
                 for where, message in [*title_year_problems(item, span), *notes_problems(item)]]  # fmt: skip
    return (None if any(p.severity == "error" for p in problems) else briefing), problems


# An instruction to the screen's user ("Click a country to list its events"): wrong on paper and in the room.
_INTERACTION = re.compile(r"\b(?:(?:double-|right-)?click(?:s|ing)?|hover(?:s|ing)? over|mouse over|tap (?:on|a|an|the))\b"
                          r"|(?:^|[.!?]\s+)(?:Hover|Tap|Drag|Scroll|Zoom)\b", re.IGNORECASE)


def notes_problems(item: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Warnings for speaker notes that tell the reader to click or hover: notes are printed in the handout and
    read out in the room, where nothing can be clicked; the pages say how to use their charts."""
    slides = item.get("slides")
    found = []
    for n, slide in enumerate(slides if isinstance(slides, list) else []):
        notes = slide.get("notes") if isinstance(slide, dict) else None
        hit = _INTERACTION.search(notes) if isinstance(notes, str) else None
        if hit:
            message = (f"{hit.group(0).strip(' .!?')!r}: the notes are printed and read out in the room, where nothing "
                       "can be clicked; the page says how to use its chart, so leave the instruction out of the notes")
            found.append((f"slides[{n}].notes", message))
    return found


_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-\u2010-\u2015]\s*((?:19|20)?\d\d)(?!\d)")


def title_years(title: str) -> tuple[int, int] | None:
    """The year range a title names ("…, 2010–2011", "2010-11"), or None when it names none (or a backward one)."""
    found = _YEAR_RANGE.search(title)
    if found is None:
        return None
    start, end = found.group(1), found.group(2)
    first, last = int(start), int(start[:2] + end if len(end) == 2 else end)
    return (first, last) if first <= last else None


def title_year_problems(item: Mapping[str, Any], span: tuple[int, int] | None) -> list[tuple[str, str]]:
    """Warnings for the view slides that show years outside the range the briefing's title names: a view without
    `from`/`to` shows every year of the data (`span`, the events' first and last year), so only a view whose
    years, as drawn, reach outside the title's range is named. None when the title names no range."""
    title = item.get("title")
    wanted = title_years(title) if isinstance(title, str) else None
    slides = item.get("slides")
    if wanted is None or span is None or not isinstance(slides, list):
        return []
    found = []
    for n, slide in enumerate(slides):
        if not isinstance(slide, dict) or not isinstance(slide.get("page"), str) or page_of(slide["page"]) is None:
            continue
        params = query_params(slide.get("query")) if isinstance(slide.get("query"), (str, dict)) else {}
        try:
            shown = (int(params.get("from", span[0])), int(params.get("to", span[1])))
        except ValueError:  # a bad year is already an error of its own
            continue
        if shown[0] < wanted[0] or shown[1] > wanted[1]:
            message = (f"the title names {wanted[0]}–{wanted[1]} but this view shows {shown[0]}–{shown[1]}: add "
                       f"from={max(wanted[0], span[0])}&to={min(wanted[1], span[1])}")
            found.append((f"slides[{n}].query", message))
    return found


def parse_briefing(
    text: str, label: str, record: str, ds: Dataset, event_ids: Collection[str] | None = None
) -> tuple[Briefing | None, list[DataProblem]]:
    """Parse and validate a briefing's YAML text (a file, or a draft from the editor); `event_ids` as for
    `validate_briefing`."""
    try:
        item = load_yaml(text)
    except yaml.YAMLError as exc:
        return None, [DataProblem(label, record, None, yaml_error_text(exc))]
    return validate_briefing(item, label, record, ds, event_ids)


_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def load_briefings(root: Path, ds: Dataset, event_ids: Collection[str] | None = None) -> dict[str, Briefing]:
    """Every valid `briefings/<id>.yaml` in the data folder (none when the folder is absent); problems
    are added to `ds.problems`. Needs the events loaded (slides may cite them); `event_ids` as for
    `validate_briefing`."""
    folder = root / BRIEFINGS_FOLDER
    briefings: dict[str, Briefing] = {}
    if not folder.is_dir():
        return briefings
    for path in sorted(folder.glob("*.y*ml")):
        if path.suffix not in (".yaml", ".yml"):
            continue
        label = rel_path(root, path)
        record = f"briefing '{path.stem}'"
        if not _ID.match(path.stem):
            ds.problems.append(DataProblem(label, record, None, "the file name is the briefing's id: use letters, "
                                                                "digits, '-' and '_' only"))  # fmt: skip
            continue
        text = read_text(path, label, ds.problems)
        if text is None:
            continue
        briefing, problems = parse_briefing(text, label, record, ds, event_ids)
        ds.problems.extend(problems)
        if briefing is not None:
            briefings[path.stem] = briefing
    return briefings


def briefing_yaml(briefing: Briefing | Mapping[str, Any]) -> str:
    """A briefing as the YAML file a person edits: fields in schema order, long text folded."""
    data = briefing.model_dump(mode="json", exclude_none=True) if isinstance(briefing, Briefing) else dict(briefing)
    order = ["title", "subtitle", "audience", "date", "slides"]
    slide_order = ["heading", "page", "query", "event", "notes"]
    ordered = {k: data[k] for k in order if data.get(k) not in (None, "")}
    ordered["slides"] = [{k: s[k] for k in slide_order if s.get(k) not in (None, "", {})} for s in data.get("slides", [])]

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = ">" if len(value) > 80 and "\n" not in value.strip() else ("|" if "\n" in value.strip() else None)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(ordered, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


def new_id(title: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A file-name-safe id from a title, not one of `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "briefing"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
