"""What each dashboard page builds for one view, as plain functions: used by the scale and export benchmarks.

These mirror app_pages/*.py: the same `lib.views.charts.figure_for` kinds with each page's default choices,
plus the aggregations the page computes itself. A page's other choice (country rows, stance map)
is listed as its own entry. Builders missing from lib/charts are reported as missing, never faked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from lib.model.tables import Tables
from lib.views import aggregate
from lib.views.style import ChartMeta

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
    from lib.views import charts

    return charts


def _fig(v: View, kind: str, **params: str) -> object:
    return _charts().figure_for(kind, v.events, v.tables, v.meta, subtitle=v.subtitle, **params)


def _overview(v: View) -> list[object]:
    aggregate.key_numbers(v.events, v.tables)
    for extra in ("date_span",):  # what app_pages/overview.py computes besides its charts
        if hasattr(aggregate, extra):
            getattr(aggregate, extra)(v.events)
    if hasattr(aggregate, "period_counts"):
        aggregate.period_counts(v.events, v.meta.periods)
    return [_fig(v, "by_year"), _fig(v, "by_country")]


def _timeline(v: View) -> list[object]:
    return [_fig(v, "timeline", rows="actor")]


def _timeline_country(v: View) -> list[object]:
    return [_fig(v, "timeline", rows="country")]


def _stance(v: View) -> list[object]:
    return [_fig(v, "stance", target=STANCE_TARGET), _fig(v, "stance_heatmap", target=STANCE_TARGET)]


def _map(v: View) -> list[object]:
    return [_fig(v, "map", metric="events")]


def _map_places(v: View) -> list[object]:
    return [_fig(v, "map", metric="events", layers="points")]


def _map_stance(v: View) -> list[object]:
    return [_fig(v, "map", metric="stance", target=STANCE_TARGET)]


# page -> (what it builds for one view, as app_pages/*.py do with their default choices; builders it needs)
PAGES: dict[str, tuple[Figure, tuple[str, ...]]] = {
    "overview": (_overview, ("figure_for",)),
    "timeline": (_timeline, ("figure_for",)),
    "timeline (country rows)": (_timeline_country, ("figure_for",)),
    "stance": (_stance, ("figure_for",)),
    "map": (_map, ("figure_for",)),
    "map (stance)": (_map_stance, ("figure_for",)),
    "map (places only)": (_map_places, ("figure_for",)),
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
