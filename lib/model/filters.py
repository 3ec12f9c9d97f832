"""One filter object, three faces: parsed from the URL, applied to the tables, described in words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from lib.model.dataset import Dataset
from lib.model.tables import Tables
from lib.wording import year_range

QUERY_KEYS = ("country", "from", "to", "actor", "type", "reviewed")
# Page-level choices that also live in the URL (timeline rows, stance target and direction, map metric).
# Pages parse them with `page_choice`; `Filters.from_query` leaves them alone.
PAGE_KEYS = ("rows", "target", "dir", "metric", "layers")
MAX_NOTE_VALUE = 40
_YEAR = re.compile(r"^\d{4}$")
_SAFE_SLUG = re.compile(r"[^A-Za-z0-9_-]+")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(text: str) -> str:
    """Escape Markdown, HTML and LaTeX specials so user or data text renders literally."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """`text` as a Markdown code span, shown literally: inside one, Markdown escapes are not processed (a
    backslash would show), so nothing is escaped; the fence is one backtick longer than any run inside,
    padded with a space when the text starts or ends with a backtick; line breaks become spaces."""
    text = " ".join(text.splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote_value(value: str) -> str:
    value = value if len(value) <= MAX_NOTE_VALUE else value[: MAX_NOTE_VALUE - 1] + "…"
    return f"“{value}”"


def page_choice(
    params: Mapping[str, str | Sequence[str]], key: str, allowed: Mapping[str, str], default: str
) -> tuple[str, str | None]:
    """A page's choice from the URL (`rows=country`): the value and, if the URL held a bad one, a note.

    Missing means `default` without a note; an unknown or repeated value means `default` with a note.
    """
    raw = params.get(key)
    if raw is None:
        return default, None
    value = raw if isinstance(raw, str) else ",".join(str(v) for v in raw)
    value = value.strip()
    if value in allowed:
        return value, None
    label = allowed.get(default, default)
    return default, f"Ignored unknown {key} {_quote_value(value)} in the link; showing {_quote_value(label)}."


@dataclass(frozen=True)
class FilterOptions:
    """What can be chosen: known countries, actors, event types (id -> display name) and the year span."""

    countries: dict[str, str]
    actors: dict[str, str]
    types: dict[str, str]
    years: tuple[int, int]
    review_marks: bool = False  # some event is proposed or returned: "Reviewed events only" is worth offering

    @classmethod
    def from_dataset(cls, ds: Dataset, tables: Tables) -> FilterOptions:
        """Options drawn from the data: only countries and actors that events use, in display order."""
        used_countries = set(tables.event_countries["country"].dropna().unique())
        used_actors = set(tables.events["actor"].dropna().unique()) | set(tables.events["target"].dropna().unique())
        countries = {c.iso3: c.name for c in sorted(ds.countries.values(), key=lambda c: (not c.central_asia, c.name))
                     if c.iso3 in used_countries}  # fmt: skip
        actors = {a.id: a.name for a in sorted(ds.actors.values(), key=lambda a: a.name) if a.id in used_actors}
        types = {t.id: t.label for t in ds.vocab.event_types} if ds.vocab else {}
        if tables.events.empty:  # nothing to span: the periods' years, else this year
            starts = [p.start.year for p in ds.periods] or [dt.date.today().year]
            years = (min(starts), max([p.end.year for p in ds.periods] or starts))
        else:
            years = (int(tables.events["year"].min()), int(tables.events["year"].max()))
        marks = "review" in tables.events and bool(tables.events["review"].notna().any())
        return cls(countries=countries, actors=actors, types=types, years=years, review_marks=marks)


@dataclass(frozen=True)
class Filters:
    """The analyst's current view: countries, an inclusive year range, actors and event types.

    Empty tuples and None mean "no restriction".
    """

    countries: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    reviewed: bool = False  # reviewed events only (`reviewed=1`): none proposed or returned (CODEBOOK 4.2)
    notes: tuple[str, ...] = field(default=(), compare=False)

    # --- URL ---------------------------------------------------------------
    @classmethod
    def from_query(cls, params: Mapping[str, str | Sequence[str]], options: FilterOptions) -> Filters:
        """Parse URL query parameters; unknown or malformed values are dropped and explained in `notes`."""
        notes: list[str] = []

        def values(key: str) -> list[str]:
            raw = params.get(key)
            if raw is None:
                return []
            parts = [raw] if isinstance(raw, str) else [str(v) for v in raw]
            seen: list[str] = []
            for part in parts:
                for item in part.split(","):
                    item = item.strip()
                    if item and item not in seen:
                        seen.append(item)
            return seen

        def known(key: str, label: str, allowed: Mapping[str, str], upper: bool = False) -> tuple[str, ...]:
            chosen = []
            for value in values(key):
                candidate = value.upper() if upper else value
                if candidate in allowed:
                    chosen.append(candidate)
                else:
                    notes.append(f"Ignored unknown {label} {_quote_value(value)} in the link.")
            return tuple(chosen)

        def year(key: str) -> int | None:
            found = values(key)
            if not found:
                return None
            if len(found) > 1 or not _YEAR.match(found[0]):
                notes.append(f"Ignored {key!r} year {_quote_value(','.join(found))}: expected a year such as 2011.")
                return None
            return int(found[0])

        for key in params:
            if key not in QUERY_KEYS and key not in PAGE_KEYS:
                notes.append(f"Ignored unknown link parameter {_quote_value(str(key))}.")
        year_from, year_to = year("from"), year("to")
        reviewed = values("reviewed")
        if reviewed and reviewed != ["1"]:
            notes.append(f"Ignored 'reviewed' {_quote_value(','.join(reviewed))}: use reviewed=1 for reviewed events only.")
        if year_from is not None and year_to is not None and year_from > year_to:
            notes.append(f"Swapped the years: 'from' {year_from} was after 'to' {year_to}.")
            year_from, year_to = year_to, year_from
        return cls(
            countries=known("country", "country", options.countries, upper=True),
            year_from=year_from,
            year_to=year_to,
            actors=known("actor", "actor", options.actors),
            types=known("type", "event type", options.types),
            reviewed=reviewed == ["1"],
            notes=tuple(notes),
        )

    def to_query(self) -> dict[str, str]:
        """The URL query parameters for this view (only the restrictions that are set)."""
        query: dict[str, str] = {}
        if self.countries:
            query["country"] = ",".join(self.countries)
        if self.year_from is not None:
            query["from"] = str(self.year_from)
        if self.year_to is not None:
            query["to"] = str(self.year_to)
        if self.actors:
            query["actor"] = ",".join(self.actors)
        if self.types:
            query["type"] = ",".join(self.types)
        if self.reviewed:
            query["reviewed"] = "1"
        return query

    def with_both_years(self, options: FilterOptions) -> Filters:
        """The same view with a one-ended year range closed at the data's span (`from=2010` becomes
        2010 to the last year now in the data), so a link written from it keeps showing the same years
        after later events arrive. A view without a year restriction stays unrestricted."""
        if self.year_from is None and self.year_to is None:
            return self
        low, high = options.years
        return replace(self, year_from=low if self.year_from is None else self.year_from,
                       year_to=high if self.year_to is None else self.year_to)  # fmt: skip

    def without_notes(self) -> Filters:
        """The same view with its parse notes dropped."""
        return replace(self, notes=())

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not self.to_query()

    # --- data --------------------------------------------------------------
    def mask(self, tables: Tables) -> np.ndarray:
        """A boolean array over `tables.events`: True for events in this view."""
        events = tables.events
        keep = np.ones(len(events), dtype=bool)
        if self.countries:
            links = tables.event_countries
            in_country = np.zeros(len(events), dtype=bool)
            in_country[links["row"].to_numpy()[links["country"].isin(self.countries).to_numpy()]] = True
            keep &= in_country
        if self.year_from is not None:
            keep &= events["year"].to_numpy() >= self.year_from
        if self.year_to is not None:
            keep &= events["year"].to_numpy() <= self.year_to
        if self.actors:
            keep &= (events["actor"].isin(self.actors) | events["target"].isin(self.actors)).to_numpy()
        if self.types:
            keep &= events["event_type"].isin(self.types).to_numpy()
        if self.reviewed and "review" in events:
            keep &= events["review"].isna().to_numpy()
        return keep

    def apply(self, tables: Tables) -> pd.DataFrame:
        """The events in this view, in date order."""
        return tables.events[self.mask(tables)]

    # --- words -------------------------------------------------------------
    def describe(self, options: FilterOptions) -> str:
        """The view in words, for chart subtitles: "Kazakhstan, Tajikistan · 2010–2012 · involving Taliban"."""
        parts = []
        if self.countries:
            parts.append(", ".join(options.countries.get(c, c) for c in self.countries))
        if self.year_from is not None or self.year_to is not None:
            low = self.year_from if self.year_from is not None else options.years[0]
            high = self.year_to if self.year_to is not None else options.years[1]
            parts.append(year_range(low, high))
        if self.actors:
            parts.append("involving " + ", ".join(options.actors.get(a, a) for a in self.actors))
        if self.types:
            parts.append(", ".join(options.types.get(t, t) for t in self.types).capitalize())
        if self.reviewed:
            parts.append("Reviewed events only")
        return " · ".join(parts) if parts else "All events"

    def slug(self) -> str:
        """A file-name-safe fragment for this view: `KAZ-TJK_2010-2012_taliban`, or `all` when unfiltered."""
        parts = []
        if self.countries:
            parts.append("-".join(self.countries))
        if self.year_from is not None and self.year_to is not None:
            parts.append(str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}-{self.year_to}")
        elif self.year_from is not None:
            parts.append(f"from-{self.year_from}")
        elif self.year_to is not None:
            parts.append(f"to-{self.year_to}")
        if self.actors:
            parts.append("-".join(self.actors))
        if self.types:
            parts.append("-".join(self.types))
        if self.reviewed:
            parts.append("reviewed")
        slug = _SAFE_SLUG.sub("-", "_".join(parts)).strip("-_") if parts else "all"
        return slug[:120] or "all"


def filter_lines(filters: Filters, options: FilterOptions) -> list[tuple[str, str]]:
    """Each filter in words ("Countries", "Kazakhstan, Tajikistan"), "all" where nothing is chosen."""
    low, high = options.years
    year_from = filters.year_from if filters.year_from is not None else low
    year_to = filters.year_to if filters.year_to is not None else high
    years = year_range(year_from, year_to) if (filters.year_from, filters.year_to) != (None, None) else f"all ({year_range(low, high)})"
    lines = [
        ("Countries", ", ".join(options.countries.get(c, c) for c in filters.countries) or "all"),
        ("Years", years),
        ("Actors", ", ".join(options.actors.get(a, a) for a in filters.actors) or "all"),
        ("Event types", ", ".join(options.types.get(t, t) for t in filters.types) or "all"),
    ]
    return [*lines, ("Review", "reviewed events only")] if filters.reviewed else lines
