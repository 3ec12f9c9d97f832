"""A short description in words of what a chart shows for the current view: its text alternative.

Built from the chart's own table (`lib/views/chart_data.py`), so it says what is drawn: for events per year
the span, the peak year and its count and the trend; for the other charts the like. Used as the chart's
accessible description in the page (the chart element's `alt`, lib/ui/chart_element.py), as its caption, and in the HTML exports.
No Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.views import chart_data
from lib.wording import count, year_range

MAX_NAMED = 3  # how many leading countries, parties or rows a description names


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def trend(values: list[float] | np.ndarray) -> str:
    """"rising", "falling" or "no clear trend": the sign of a least-squares slope over the values, counted
    only when the fitted change over the whole span is at least a quarter of the mean."""
    y = np.asarray(values, dtype=float)
    if len(y) < 3 or y.mean() == 0:
        return "no clear trend"
    slope = np.polyfit(np.arange(len(y)), y, 1)[0]
    change = slope * (len(y) - 1)
    if abs(change) < 0.25 * y.mean():
        return "no clear trend"
    return "rising" if change > 0 else "falling"


def _by_year(table: pd.DataFrame) -> str:
    years = table["Year"].astype(int)
    totals = table["All events"].astype(int)
    full = pd.Series(0, index=range(int(years.min()), int(years.max()) + 1))
    full[years.to_numpy()] = totals.to_numpy()
    peak_year = int(full.idxmax())
    types = [c for c in table.columns if c not in ("Year", "All events")]
    by_type = table[types].sum().sort_values(ascending=False)
    empty = int((full == 0).sum())
    parts = [
        f"{count(int(totals.sum()), 'event')} in {year_range(str(years.min()), str(years.max()))}",
        f"most in {peak_year} ({count(int(full.max()), 'event')})",
        f"trend over the years: {trend(full.to_numpy())}",
    ]
    if empty:
        parts.append(f"{count(empty, 'year')} without events")
    text = "; ".join(parts) + "."
    if len(by_type) > 1:
        text += " By type: " + ", ".join(f"{name} {int(n)}" for name, n in by_type.items() if n) + "."
    return text[0].upper() + text[1:]


def _by_country(table: pd.DataFrame) -> str:
    top = [f"{c} ({n})" for c, n in zip(table["Country"][:MAX_NAMED], table["Events"][:MAX_NAMED], strict=True)]
    return (f"{count(len(table), 'country')} concerned. Most events concern {_listing(top)}. "
            "An event concerning two countries counts for both.")  # fmt: skip


def _span(dates: pd.Series) -> str:
    return dates.iloc[0] if dates.iloc[0] == dates.iloc[-1] else f"{dates.iloc[0]} to {dates.iloc[-1]}"


def _timeline(table: pd.DataFrame) -> str:
    row = "Country" if "Country" in table.columns else "Actor"
    rows = table[row].value_counts()
    types = table.drop_duplicates("id")["Event type"].value_counts()
    top = [f"{name} ({n})" for name, n in rows.head(MAX_NAMED).items()]
    return (
        f"{count(table['id'].nunique(), 'event')} from {_span(table['Date'])}, in {count(len(rows), 'row')} "
        f"(one per {row.lower()}). Most events: {_listing(top)}. By type: "
        + ", ".join(f"{name} {n}" for name, n in types.items()) + "."
    )


def _timeline_density(table: pd.DataFrame) -> str:
    rows = table.groupby("Row")["Events"].sum().sort_values(ascending=False)
    busiest = table.sort_values("Events", ascending=False).iloc[0]
    return (f"{count(int(table['Events'].sum()), 'event')} counted per month in {count(len(rows), 'row')}. "
            f"Most events: {_listing([f'{r} ({n})' for r, n in rows.head(MAX_NAMED).items()])}. "
            f"Busiest month: {busiest['Row']}, {busiest['Month']} ({busiest['Events']}).")  # fmt: skip


def _stance(table: pd.DataFrame) -> str:
    parties = table["Party"].value_counts()
    lines = []
    for party in parties.index[:MAX_NAMED]:
        rows = table[table["Party"] == party]
        first, last = rows.iloc[0], rows.iloc[-1]
        if len(rows) == 1:
            lines.append(f"{party}: {first['Stance']} ({first['Date']})")
        else:
            lines.append(f"{party}: {first['Stance']} ({first['Date']}) to {last['Stance']} ({last['Date']})")
    more = f"; {count(len(parties) - MAX_NAMED, 'more actor')}" if len(parties) > MAX_NAMED else ""
    return (f"{count(len(table), 'event')} with a stance, {count(len(parties), 'actor')}, from "
            f"{_span(table['Date'])}. " + "; ".join(lines) + more + ".")  # fmt: skip


def _stance_quarterly(table: pd.DataFrame) -> str:
    means = table.groupby("Party")["Mean stance"].mean().sort_values()
    return (f"Quarterly mean stance of {count(len(means), 'actor')} from {table['Quarter'].min()} to "
            f"{table['Quarter'].max()}. Lowest on average: {means.index[0]} ({means.iloc[0]:+.1f}); highest: "
            f"{means.index[-1]} ({means.iloc[-1]:+.1f}).")  # fmt: skip


def _stance_heatmap(table: pd.DataFrame) -> str:
    low = table.sort_values(["Mean stance", "Events"], ascending=[True, False]).iloc[0]
    high = table.sort_values(["Mean stance", "Events"], ascending=[False, False]).iloc[0]
    return (f"Mean stance of {count(table['Party'].nunique(), 'actor')} in "
            f"{count(table['Period'].nunique(), 'period')}. Lowest: {low['Party']} in {low['Period']} "
            f"({low['Mean stance']:+.1f}, {count(int(low['Events'] or 0), 'event')}); highest: {high['Party']} in "
            f"{high['Period']} ({high['Mean stance']:+.1f}, {count(int(high['Events'] or 0), 'event')}).")  # fmt: skip


def _map(table: pd.DataFrame) -> str:
    if "Place" in table.columns:
        if table.empty:
            return "No event in this view has a coded place."
        top = [f"{p} ({n})" for p, n in zip(table["Place"][:MAX_NAMED], table["Events"][:MAX_NAMED], strict=True)]
        return (f"{count(int(table['Events'].sum()), 'event')} at {count(len(table), 'marker')} on the map. "
                f"Most events: {_listing(top)}.")
    if "Mean stance" in table.columns:
        rated = table.dropna(subset=["Mean stance"])
        if rated.empty:
            return "No country has an event with a stance toward the target in this view."
        low, high = rated.iloc[0], rated.iloc[-1]
        return (f"{count(len(rated), 'country')} with events that have a stance. Lowest mean: {low['Country']} "
                f"({low['Mean stance']:+.1f} over {count(int(low['Events with a stance']), 'event')}); highest: "
                f"{high['Country']} ({high['Mean stance']:+.1f} over "
                f"{count(int(high['Events with a stance']), 'event')}).")  # fmt: skip
    concerned = table[table["Events"] > 0]
    none = table[table["Events"] == 0]["Country"].tolist()
    top = [f"{c} ({n})" for c, n in zip(concerned["Country"][:MAX_NAMED], concerned["Events"][:MAX_NAMED], strict=True)]
    text = f"{count(len(concerned), 'country')} concerned. Most events: {_listing(top)}."
    if none:
        text += f" No events: {_listing(none)}."
    return text


_WRITERS = {
    "by_year": _by_year,
    "by_country": _by_country,
    "timeline": _timeline,
    "timeline_density": _timeline_density,
    "stance": _stance,
    "stance_quarterly": _stance_quarterly,
    "stance_heatmap": _stance_heatmap,
    "map": _map,
}


def describe(fig: go.Figure, table: pd.DataFrame | None = None) -> str:
    """What `fig` shows, in a sentence or three (pass its `chart_data.table` if already made)."""
    frame = chart_data.table(fig) if table is None else table
    writer = _WRITERS.get(chart_data.kind(fig))
    if writer is None or frame.empty:
        shown = [chart_data.label(a.text) for a in fig.layout.annotations if a.text]
        return shown[0] + "." if shown else "Nothing to show for this view."
    return writer(frame)


def alt_text(fig: go.Figure, table: pd.DataFrame | None = None, description: str | None = None) -> str:
    """The chart's text alternative: its title, the view, and the description (`describe`, unless the caller
    has it already)."""
    view = chart_data.subtitle(fig)
    text = describe(fig, table) if description is None else description
    return f"{chart_data.title(fig)} ({view}). {text}" if view else f"{chart_data.title(fig)}. {text}"


__all__ = ["alt_text", "describe", "trend"]
