"""Proposed speed-ups for lib/aggregate.py, lib/charts.py and lib/tables.py, as patches for measuring only.

These are NOT the shipped code. `python -m bench scale --proposed` applies them inside the benchmark
process (monkeypatching) so their effect can be measured against the same data, and `check()` shows
that every figure's JSON is unchanged by them. The owners of those modules decide whether to adopt
them; the final report gives them as diffs.

What they change, and why (profiles at 1M events, see bench/RESULTS.md):
- `key_numbers` matched sources to the events in view with `Series.isin` on 1M string ids, which
  pandas 3 turns into a Python list (≈6 s). Proposed: a `row` column in `tables.sources` (as
  `event_countries` has) and a boolean mask over event rows; parties from the categoricals' uniques.
- `countries_of` (and the country timeline) used `links["row"].isin(events.index)` (a hash of 1M
  ints); a boolean mask over event rows is an index lookup.
- `_timeline_rows` built a Python list of 1-1.5M escaped labels and copied every column of the
  events for each country link. Proposed: map the categorical's categories once, copy only the
  columns the chart reads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib import aggregate, charts
from lib.style import ChartMeta, plot_text
from lib.tables import Tables

TIMELINE_COLUMNS = ["id", "date", "title", "start", "end", "mid", "precision", "event_type", "actor", "target"]
DENSITY_COLUMNS = ["start", "mid"]


def add_source_rows(tables: Tables) -> Tables:
    """Proposed for build_tables / load_bulk_tables: `sources.row`, each source's position in `events`."""
    if "row" not in tables.sources.columns:
        rows = pd.Index(tables.events["id"]).get_indexer(tables.sources["event_id"])
        tables.sources["row"] = rows.astype("int64")
    return tables


def in_view(events: pd.DataFrame, rows: pd.Series) -> np.ndarray:
    """For each entry of `rows` (positions in tables.events), whether that event is in `events`."""
    if not len(rows):
        return np.zeros(0, dtype=bool)
    mask = np.zeros(int(rows.max()) + 1, dtype=bool)
    mask[events.index.to_numpy()[events.index.to_numpy() <= rows.max()]] = True
    return mask[rows.to_numpy()]


def countries_of(events: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """The (event_id, country, row) links of the given (filtered) events."""
    links = tables.event_countries
    return links[in_view(events, links["row"])]


def key_numbers(events: pd.DataFrame, tables: Tables) -> dict[str, object]:
    """Headline figures for the overview and the briefing pack."""
    if events.empty:
        return {"events": 0, "countries": 0, "actors": 0, "articles": 0, "first": None, "last": None}
    parties = {str(a) for a in events["actor"].dropna().unique()} | {str(t) for t in events["target"].dropna().unique()}
    sources = tables.sources
    chosen = sources[in_view(events, sources["row"])] if "row" in sources.columns else sources[
        sources["event_id"].isin(events["id"])]  # fmt: skip
    return {
        "events": int(len(events)),
        "countries": int(countries_of(events, tables)["country"].nunique()),
        "actors": len(parties),
        "articles": int(chosen["article"].nunique()),
        "first": events.loc[events["start"].idxmin(), "date"],
        "last": events.loc[events["start"].idxmax(), "date"],
        "by_type": {str(k): int(v) for k, v in events["event_type"].value_counts().items() if v},
    }


def _labels(codes: pd.Series, name) -> pd.Categorical:
    """Display labels as a categorical with sorted categories (groupby then orders them as it orders strings)."""
    codes = codes.astype("category")
    mapping = {c: plot_text(name(c)) for c in codes.cat.categories}
    labels = codes.map(mapping)
    return pd.Categorical(labels, categories=sorted(set(mapping.values())))


def timeline_rows(events: pd.DataFrame, meta: ChartMeta, rows: str, links: pd.DataFrame | None) -> pd.DataFrame:
    """As lib.charts._timeline_rows: only the columns the chart reads, labels mapped per category."""
    columns = DENSITY_COLUMNS if len(events) > charts.MAX_POINTS else TIMELINE_COLUMNS
    if rows == "country":
        if links is None:
            raise ValueError("a country timeline needs the event-country links")
        chosen = links[in_view(events, links["row"])]
        placed = events.loc[chosen["row"].to_numpy(), columns]
        return placed.assign(row_label=_labels(chosen["country"], meta.country))
    return events[columns].assign(row_label=_labels(events["actor"], meta.actor))


def apply() -> None:
    """Monkeypatch the proposals into lib (benchmark processes only)."""
    aggregate.countries_of = countries_of
    aggregate.key_numbers = key_numbers
    charts._timeline_rows = timeline_rows


def check(tables: Tables, meta: ChartMeta) -> list[str]:
    """Pages whose figures differ (as JSON) with and without the proposals, for a few filters."""
    import importlib

    from bench.pages import View, available_pages
    from lib.filters import Filters

    views = [Filters(), Filters(countries=("KAZ",)), Filters(actors=("taliban",)), Filters(year_from=2010, year_to=2011)]
    importlib.reload(aggregate)
    importlib.reload(charts)
    pages, _ = available_pages()

    def figures() -> list[tuple[str, str]]:
        out = []
        for f in views:
            events = f.apply(tables)
            view = View(events, tables, meta, f.describe.__name__)
            out += [(page, fig.to_json()) for page, build in pages.items() for fig in build(view)]
        return out

    before = figures()
    add_source_rows(tables)
    apply()
    after = figures()
    return sorted({page for (page, a), (_, b) in zip(before, after, strict=True) if a != b})
