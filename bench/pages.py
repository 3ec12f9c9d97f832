"""What each dashboard page builds, as plain functions of a view: used by the scale benchmark.

These mirror the pages' figure builders (lib/charts.py) with their aggregations; builders that do
not exist yet in lib/charts are skipped and reported as missing, never faked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lib import aggregate
from lib.style import ChartMeta
from lib.tables import Tables

STANCE_TARGET = "taliban"


@dataclass(frozen=True)
class View:
    """A filtered view: everything a page's figures are built from."""

    events: pd.DataFrame
    tables: Tables
    meta: ChartMeta
    subtitle: str


Figure = Callable[[View], object]


def _charts():
    from lib import charts

    return charts


def _overview(v: View) -> list[object]:
    c = _charts()
    aggregate.key_numbers(v.events, v.tables)
    summary = aggregate.country_summary(v.events, v.tables)
    return [c.counts_by_year_chart(v.events, v.meta, subtitle=v.subtitle),
            c.counts_by_country_chart(summary, v.meta, subtitle=v.subtitle)]  # fmt: skip


def _timeline(v: View) -> list[object]:
    c = _charts()
    return [c.timeline(v.events, v.meta, rows="actor", subtitle=v.subtitle),
            c.timeline(v.events, v.meta, rows="country", links=v.tables.event_countries, subtitle=v.subtitle)]  # fmt: skip


def _stance(v: View) -> list[object]:
    c = _charts()
    return [c.stance_over_time(v.events, v.meta, target=STANCE_TARGET, subtitle=v.subtitle),
            c.stance_heatmap(v.events, v.meta, target=STANCE_TARGET, subtitle=v.subtitle)]  # fmt: skip


def _map(v: View) -> list[object]:
    c = _charts()
    summary = aggregate.country_summary(v.events, v.tables, target=STANCE_TARGET)
    return [c.region_map(summary, v.meta, metric="events", subtitle=v.subtitle),
            c.region_map(summary, v.meta, metric="stance", target=STANCE_TARGET, subtitle=v.subtitle)]  # fmt: skip


PAGES: dict[str, tuple[Figure, tuple[str, ...]]] = {
    "overview": (_overview, ("counts_by_year_chart", "counts_by_country_chart")),
    "timeline": (_timeline, ("timeline",)),
    "stance": (_stance, ("stance_over_time", "stance_heatmap")),
    "map": (_map, ("region_map",)),
}


def available_pages() -> tuple[dict[str, Figure], dict[str, list[str]]]:
    """The pages whose builders exist in lib/charts, and for the rest the builders still missing."""
    try:
        c = _charts()
    except ImportError:
        return {}, {name: list(needs) for name, (_, needs) in PAGES.items()}
    ready, missing = {}, {}
    for name, (build, needs) in PAGES.items():
        absent = [n for n in needs if not hasattr(c, n)]
        if absent:
            missing[name] = absent
        else:
            ready[name] = build
    return ready, missing


def aggregations(v: View) -> None:
    """The aggregations the pages run, without building figures."""
    aggregate.counts_by_year(v.events)
    aggregate.country_summary(v.events, v.tables, target=STANCE_TARGET)
    aggregate.stance_matrix(v.events, v.meta.periods, STANCE_TARGET)
    aggregate.key_numbers(v.events, v.tables)
