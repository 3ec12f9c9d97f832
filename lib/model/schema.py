"""Pydantic (v2) schema for articles, actors, countries, periods, vocabularies and events."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from lib.text import uncarriable

EVENT_TYPES = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
# Plotly marker shapes a category may take (filled; "-open" is added for month/year precision: every one has
# a hollow "-open" form in plotly.js).
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "pentagon", "hexagon", "star",
                  "hourglass", "bowtie", "triangle-left", "triangle-right", "cross", "x", "hexagram",
                  "star-triangle-up", "star-square", "star-diamond", "diamond-wide", "diamond-tall", "circle-cross",
                  "square-x", "triangle-ne", "triangle-sw", "star-triangle-down", "octagon")  # fmt: skip
ACTOR_KINDS = ("state", "armed_group", "alliance", "government", "organisation", "person")
PRECISIONS = ("day", "month", "year")
# Where an event happened, how precisely (modelled on UCDP GED's where_prec; see data/CODEBOOK.md section 4.1)
PLACE_PRECISIONS = {1: "exact place", 2: "near a place (within about 25 km)", 3: "district",
                    4: "province", 5: "region of a country"}  # fmt: skip
PLACE_KINDS = {"town": (1, 2), "province": (4,), "region": (5,)}  # the precisions each kind of place allows
MIN_YEAR, MAX_YEAR = 1900, 2100
REVIEW_STATES = ("proposed", "returned")  # an event without `review` is reviewed (CODEBOOK 4.2)

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[dt.date, dt.date, str]:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into (first day, last day, precision).

    Raises ValueError naming the rule that the value breaks.
    """
    match = _DATE_RE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match.group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{value!r} has year {year}, outside {MIN_YEAR}-{MAX_YEAR}")
    if match.group(2) is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has month {month}, which does not exist")
    last_day = calendar.monthrange(year, month)[1]
    if match.group(3) is None:
        return dt.date(year, month, 1), dt.date(year, month, last_day), "month"
    day = int(match.group(3))
    if not 1 <= day <= last_day:
        raise ValueError(f"{value!r} is not a real calendar day ({year}-{month:02d} has {last_day} days)")
    day_date = dt.date(year, month, day)
    return day_date, day_date, "day"


def display_date(value: str) -> str:
    """A partial date as a reader says it, no more precise than known: "18 May 2011", "May 2011", "2011"."""
    start, _, precision = parse_partial_date(value)
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    return f"{start.day} {calendar.month_name[start.month]} {start.year}"


def _check_partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


def _check_iso3(value: str) -> str:
    import pycountry

    if pycountry.countries.get(alpha_3=value) is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 country code")
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PartialDate = Annotated[str, AfterValidator(_check_partial_date)]
ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_check_iso3)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
# The one colour actors may share: minor actors' neutral grey (documented in actors.yaml; views give such
# actors a generated colour when they are shown).
NEUTRAL_COLOUR = "#DDDDDD"
Stance = Annotated[int, Field(strict=True, ge=-2, le=2)]


def _carriable(value: object) -> object:
    """The one rule for characters (lib.text.uncarriable) on a field's text, in lists and mappings too."""
    texts = ([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
             if isinstance(value, (list, tuple)) else
             [v for pair in value.items() for v in pair if isinstance(v, str)] if isinstance(value, dict) else [])  # fmt: skip
    for text in texts:
        problem = uncarriable(text)
        if problem:
            raise ValueError(problem)
    return value


class Strict(BaseModel):
    """Base for every record: a misspelt key is an error, not silently ignored; no text field holds a
    character that no export can carry (lib.text.uncarriable)."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_uncarriable_characters(cls, value: object) -> object:
        return _carriable(value)


# A bracketed remark on a title's origin ("… (descriptive title; no headline in retrieved text)"): CODEBOOK 18.3.
TITLE_REMARK = re.compile(r"\([^()]*\b(?:descriptive title|no headline|title from|from the URL)\b[^()]*\)", re.IGNORECASE)


class ArticleMeta(Strict):
    """An article's YAML front matter."""

    id: Slug
    title: Text
    outlet: Text
    author: Text | None = None
    published: PartialDate
    approximate: bool = False
    published_note: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    republished_in: Text | None = None  # where the text was found, when `outlet` first published it
    excerpt: bool = False  # the body is part of the article only; "[…]" marks each cut

    @field_validator("title")
    @classmethod
    def _title_alone(cls, value: str) -> str:
        if TITLE_REMARK.search(value):
            raise ValueError("holds a remark on where the title comes from: the title alone goes in `title`, "
                             "its origin in `published_note` (CODEBOOK 18.3)")  # fmt: skip
        return value


class Article(ArticleMeta):
    """An article: its front matter plus the verbatim body text."""

    text: str
    path: str

    def citation(self) -> str:
        """A one-line citation: author, title, outlet, date (approximate dates marked)."""
        when = f"c. {self.published}" if self.approximate else self.published
        parts = [p for p in (self.author, f"“{self.title}”", self.outlet, when) if p]
        also = f" Republished in {self.republished_in}." if self.republished_in else ""
        return ", ".join(parts) + "." + (" Excerpt." if self.excerpt else "") + also


    def short_citation(self) -> str:
        """Outlet and date, for chart footers: "The Moscow Times, 2011-05-22"."""
        return f"{self.outlet}, {'c. ' if self.approximate else ''}{self.published}"


class Actor(Strict):
    """A state, armed group, alliance or other party that acts in events."""

    id: Slug
    name: Text
    kind: Literal[ACTOR_KINDS]  # type: ignore[valid-type]
    country: ISO3 | None = None
    colour: Colour
    # Other names the text may use (spellings, leaders, capitals used for the government); see lib/model/names.py.
    aliases: tuple[Text, ...] = ()


class Government(Strict):
    """Who spoke for a country's state over a stretch of time (CODEBOOK.md 17.1): its capital and
    "the Afghan government" mean this actor between `since` and `until` (both days included; a month or
    year counts from its first day and up to its last; either end may be open)."""

    actor: Slug
    since: PartialDate | None = None
    until: PartialDate | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Government:
        if self.since and self.until and parse_partial_date(self.since)[0] > parse_partial_date(self.until)[1]:
            raise ValueError(f"since {self.since} is after until {self.until}")
        return self


class Country(Strict):
    """A country the map and filters know about."""

    iso3: ISO3
    name: Text
    region: Text
    central_asia: bool = False
    # Other names (spelling variants), adjectives for its people and state, and the capital (also used
    # for the government: "Astana said"). A state actor answers to its country's names too; see lib/model/names.py.
    aliases: tuple[Text, ...] = ()
    demonyms: tuple[Text, ...] = ()
    capital: Text | None = None
    # Who its capital and "the <demonym> government" stand for, when that changed (lib/model/governments.py).
    governments: tuple[Government, ...] = ()


class Period(Strict):
    """A named stretch of time the events fall into (drawn as bands behind charts)."""

    id: Slug
    label: Text
    start: dt.date
    end: dt.date
    description: Text | None = None


class EventTypeInfo(Strict):
    """Label, colour and marker shape of one CAMEO QuadClass event type."""

    id: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    label: Text
    colour: Colour
    # the timeline's marker shape, so the type is never carried by colour alone (WCAG 1.4.1)
    symbol: Literal[MARKER_SYMBOLS] | None = None  # type: ignore[valid-type]
    description: Text | None = None


class StanceLevel(Strict):
    """Label of one level of the -2..+2 stance scale."""

    value: Stance
    label: Text
    description: Text | None = None


class PlacePrecisionLevel(Strict):
    """Label of one level of the place-precision scale."""

    value: Annotated[int, Field(strict=True, ge=1, le=5)]
    label: Text
    description: Text | None = None


class Vocab(Strict):
    """Controlled vocabularies: event types, stance levels and place precisions."""

    event_types: list[EventTypeInfo]
    stance_levels: list[StanceLevel]
    place_precisions: list[PlacePrecisionLevel] = []


class Place(Strict):
    """A named place events happen at (data/places.yaml), its coordinates traceable to the gazetteer
    (lib/reading/gazetteer.py): a town by its GeoNames id, a province or region by towns in its admin1 regions."""

    id: Slug
    name: Text
    country: ISO3
    kind: Literal[tuple(PLACE_KINDS)]  # type: ignore[valid-type]
    geonameid: Annotated[int, Field(strict=True, gt=0)] | None = None
    admin1_of: list[Text] = []
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    note: Text | None = None


class Source(Strict):
    """A verbatim quote from an article that states the event; `date` and `date_note` record the date this
    source gives when it disagrees with the event's (CODEBOOK.md 18.4), and why the event's date was kept."""

    article: Slug
    quote: Text
    date: PartialDate | None = None
    date_note: Text | None = Field(default=None, validate_default=True)

    @field_validator("date_note")
    @classmethod
    def _with_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("date") is not None:
            raise ValueError("is required with a source's `date`: say how this source dates the act and why the "
                             "event's date was kept (CODEBOOK.md 18.4)")  # fmt: skip
        if value is not None and "date" in info.data and info.data["date"] is None:  # absent: `date` failed
            raise ValueError("belongs with a source's `date` (the date this source gives, where it disagrees with "
                             "the event's): give the date or put the note in the event's date_note")  # fmt: skip
        return value


class Event(Strict):
    """One dated event, coded from one or more articles."""

    id: Slug
    date: PartialDate
    date_note: Text | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    summary: Text
    actor: Slug
    target: Slug | None = None
    countries: Annotated[list[ISO3], Field(min_length=1)]
    location: Text | None = None
    place: Slug | None = None
    place_precision: Annotated[int, Field(strict=True, ge=1, le=5)] | None = None
    place_note: Text | None = None
    event_type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    stance: Stance
    sources: Annotated[list[Source], Field(min_length=1)]
    # Review (CODEBOOK 4.2): absent = reviewed; "proposed" = saved by a curator, waiting for a reviewer;
    # "returned" = sent back by a reviewer with `review_note`. `proposed_by` is the curator who saved it.
    review: Literal[REVIEW_STATES] | None = None  # type: ignore[valid-type]
    review_note: Text | None = Field(default=None, validate_default=True)
    proposed_by: Text | None = None

    @field_validator("review_note", "proposed_by")
    @classmethod
    def _under_review(cls, value: str | None, info: ValidationInfo) -> str | None:
        review = info.data.get("review")
        if value is not None and review is None:
            raise ValueError("belongs only to an event under review (review: proposed or returned); "
                             "a reviewed event has no review fields")  # fmt: skip
        if info.field_name == "review_note" and value is None and review == "returned":
            raise ValueError("is required when review is 'returned': say what the curator should change")
        return value
