"""Possible duplicates among the curated events (CODEBOOK.md 8: one occurrence is one event, citing every
article that reports it): pairs with the same actor, target and event type whose dates lie within a few
weeks of each other (an event's days end at the latest when its first article was published). A list for a person to judge, never merged by itself; pairs a curator judged distinct
(`distinct_events.yaml`, `lib.model.distinct`) are not listed again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lib.model.dataset import Dataset
from lib.model.schema import Event, parse_partial_date

WINDOW_DAYS = 30


@dataclass(frozen=True)
class Candidate:
    """Two events that may report one occurrence, and the days between their dates (0: they overlap, as a
    year-dated event overlaps every day of its year)."""

    first: Event
    second: Event
    days_apart: int

    def line(self) -> str:
        """One line for the terminal: both ids, dates and articles, the dyad and type."""
        def one(e: Event) -> str:
            return f"{e.id} ({e.date}; {', '.join(s.article for s in e.sources)})"

        e = self.first
        return (f"{e.actor} -> {e.target or '-'} {e.event_type}, {self.days_apart} days apart: "
                f"{one(self.first)} | {one(self.second)}")  # fmt: skip


def span(event: Event, ds: Dataset) -> tuple[dt.date, dt.date]:
    """The days `event` may have happened on: its date's span, ended at the latest by the publication of the
    first article reporting it (nothing is reported before it happens; an ongoing act is dated at publication,
    CODEBOOK.md 3.4). An article of approximate date does not end it, nor one dated before the event's start."""
    first, last, _ = parse_partial_date(event.date)
    for source in event.sources:
        article = ds.articles.get(source.article)
        if article is None or article.approximate:
            continue
        published = parse_partial_date(article.published)[1]
        if first <= published < last:
            last = published
    return first, last


def candidates(ds: Dataset, days: int = WINDOW_DAYS, *, reviewed: bool = False) -> list[Candidate]:
    """Pairs of events with the same actor, target and event type whose date spans are at most `days` apart
    and which share no article (an article reporting two such acts coded them apart on purpose), by date.
    Pairs listed in `ds.distinct` (reviewed as distinct) are left out unless `reviewed`."""
    distinct = set() if reviewed else {p.key for p in ds.distinct}
    spans = {e.id: span(e, ds) for e in ds.events}
    groups: dict[tuple[str, str | None, str], list[Event]] = {}
    for e in ds.events:
        groups.setdefault((e.actor, e.target, e.event_type), []).append(e)
    found = []
    for events in groups.values():
        events = sorted(events, key=lambda e: (spans[e.id], e.id))
        for i, a in enumerate(events):
            a_first, a_last = spans[a.id]
            articles = {s.article for s in a.sources}
            for b in events[i + 1 :]:
                b_first, b_last = spans[b.id]
                gap = max((b_first - a_last).days, (a_first - b_last).days, 0)
                if gap > days and b_first > a_last:
                    break  # sorted by start: later ones are further still
                if gap <= days and not articles & {s.article for s in b.sources} and frozenset((a.id, b.id)) not in distinct:
                    found.append(Candidate(a, b, gap))
    return sorted(found, key=lambda c: (spans[c.first.id], c.first.id, c.second.id))
