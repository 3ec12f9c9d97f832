"""Who speaks for a country's state on a given date (CODEBOOK.md 17.1).

"Kabul said" or "the Afghan authorities" in a text of 2000 or of 2023 mean the Taliban; in 2011 they
mean the Islamic Republic's government. A country's `governments:` list in countries.yaml says who held
its capital when. Without such a list the state actor speaks for the country (else its only government
actor), at any date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from lib.errors import DataProblem
from lib.model.schema import Actor, Country, Government, display_date, parse_partial_date


@dataclass(frozen=True)
class Speaker:
    """The actor a country's capital or government stands for over some days, and why (None: nobody
    for certain, `why` says what to check)."""

    actor: str | None
    why: str


def _span(government: Government) -> tuple[dt.date, dt.date]:
    first = parse_partial_date(government.since)[0] if government.since else dt.date.min
    last = parse_partial_date(government.until)[1] if government.until else dt.date.max
    return first, last


def _term(government: Government) -> str:
    since = f"since {display_date(government.since)}" if government.since else ""
    until = f"until {display_date(government.until)}" if government.until else ""
    return " ".join(w for w in (since, until) if w) or "at every date"


def speaker(
    country: Country, actors: Mapping[str, Actor], when: tuple[dt.date, dt.date] | None = None
) -> Speaker:
    """Who speaks for `country` on every day from `when[0]` to `when[1]` (any date when None)."""
    if country.governments:
        if when is None:
            return Speaker(None, f"who governed {country.name} depends on the date")
        holding = [g for g in country.governments if _span(g)[0] <= when[0] and when[1] <= _span(g)[1]]
        if holding:
            g = holding[0]
            name = actors[g.actor].name if g.actor in actors else g.actor
            return Speaker(g.actor, f"{name}, which held {country.capital or country.name} {_term(g)} (countries.yaml)")
        touching = [g for g in country.governments if _span(g)[0] <= when[1] and when[0] <= _span(g)[1]]
        if touching:
            return Speaker(None, f"the government of {country.name} changed within the dates this may mean")
        return Speaker(None, f"countries.yaml lists no government of {country.name} for these dates")
    state = actors.get(country.iso3)
    if state is not None and state.kind == "state":
        return Speaker(state.id, state.name)
    governments = [a for a in actors.values() if a.kind == "government" and a.country == country.iso3]
    if len(governments) == 1:
        return Speaker(governments[0].id, governments[0].name)
    return Speaker(None, f"no one actor speaks for {country.name}")


def government_problems(
    countries: Mapping[str, Country], actors: Mapping[str, Actor], countries_file: str
) -> list[DataProblem]:
    """Each country's governments name known actors and do not overlap in time."""
    problems = []
    for country in countries.values():
        record = f"country '{country.iso3}'"
        for i, g in enumerate(country.governments):
            if actors and g.actor not in actors:
                problems.append(DataProblem(countries_file, record, f"governments[{i}].actor", f"{g.actor!r} is not listed in actors.yaml"))
        spans = sorted((_span(g), i) for i, g in enumerate(country.governments))
        for (a, i), (b, j) in zip(spans, spans[1:]):
            if b[0] <= a[1]:
                problems.append(
                    DataProblem(
                        countries_file,
                        record,
                        f"governments[{j}]",
                        f"overlaps governments[{i}] ({_term(country.governments[i])}): one government at a time",
                    )
                )
    return problems
