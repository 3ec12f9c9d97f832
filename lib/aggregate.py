"""Aggregations over a filtered events frame: counts, periods, stance series and matrices."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from lib.schema import Period
from lib.tables import Tables, in_view

Direction = Literal["toward", "from"]
OTHER_PERIOD = "Other years"


def countries_of(events: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """The (event_id, country, row) links of the given (filtered) events."""
    links = tables.event_countries
    return links[in_view(events, links["row"])]


def sources_of(events: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """The sources (event_id, n, article, quote, row) of the given (filtered) events."""
    sources = tables.sources
    if "row" not in sources.columns:  # Tables built by hand without source rows
        return sources[sources["event_id"].isin(events["id"])]
    return sources[in_view(events, sources["row"])]


def counts_by_year(events: pd.DataFrame) -> pd.DataFrame:
    """Events per year and event type: columns year, event_type, events."""
    grouped = events.groupby(["year", "event_type"], observed=True).size().rename("events").reset_index()
    return grouped.sort_values(["year", "event_type"]).reset_index(drop=True)


def country_summary(events: pd.DataFrame, tables: Tables, target: str | None = None) -> pd.DataFrame:
    """Per country the events concern: number of events and the mean stance toward `target`.

    Columns: country, events, stance_events (events whose target is `target`), mean_stance (NaN if none).
    """
    links = countries_of(events, tables)
    counts = links.groupby("country").size().rename("events")
    if target is not None:
        toward = links[links["row"].isin(events.index[events["target"] == target])]
        stance = tables.events["stance"].to_numpy()[toward["row"].to_numpy()]
        stats = pd.DataFrame({"country": toward["country"].to_numpy(), "stance": stance}).groupby("country")["stance"]
        frame = pd.concat([counts, stats.size().rename("stance_events"), stats.mean().rename("mean_stance")], axis=1)
    else:
        frame = counts.to_frame().assign(stance_events=0, mean_stance=np.nan)
    frame = frame.fillna({"events": 0, "stance_events": 0}).astype({"events": int, "stance_events": int})
    return frame.rename_axis("country").reset_index().sort_values(["events", "country"], ascending=[False, True])


def period_labels(events: pd.DataFrame, periods: tuple[Period, ...] | list[Period]) -> pd.Series:
    """The label of the period each event falls into (by its midpoint), or "Other years"."""
    labels = pd.Series(OTHER_PERIOD, index=events.index, dtype=object)
    for period in periods:
        inside = (events["mid"] >= pd.Timestamp(period.start)) & (events["mid"] <= pd.Timestamp(period.end))
        labels[inside & (labels == OTHER_PERIOD)] = period.label
    return labels


def stance_events(events: pd.DataFrame, target: str, direction: Direction = "toward") -> pd.DataFrame:
    """The events that show a stance involving `target`, with a `party` column for the other side.

    "toward": each actor's stance toward `target` (party = actor);
    "from": `target`'s stance toward each counterpart (party = the event's target).
    """
    if direction == "toward":
        chosen = events[(events["target"] == target) & (events["actor"] != target)]
        party = chosen["actor"]
    else:
        chosen = events[(events["actor"] == target) & events["target"].notna()]
        party = chosen["target"]
    return chosen.assign(party=party.astype(str).to_numpy())


def stance_matrix(
    events: pd.DataFrame, periods: tuple[Period, ...] | list[Period], target: str, direction: Direction = "toward"
) -> pd.DataFrame:
    """Mean stance per party (rows) and period (columns), with counts: columns party, period, mean, n."""
    chosen = stance_events(events, target, direction)
    if chosen.empty:
        return pd.DataFrame(columns=["party", "period", "mean", "n"])
    chosen = chosen.assign(period=period_labels(chosen, periods))
    grouped = chosen.groupby(["party", "period"], observed=True)["stance"].agg(["mean", "size"])
    return grouped.rename(columns={"size": "n"}).reset_index()


def key_numbers(events: pd.DataFrame, tables: Tables) -> dict[str, object]:
    """Headline figures for the overview and the briefing pack."""
    if events.empty:
        return {"events": 0, "countries": 0, "actors": 0, "articles": 0, "first": None, "last": None}
    parties = {str(a) for a in events["actor"].dropna().unique()} | {str(t) for t in events["target"].dropna().unique()}
    sources = sources_of(events, tables)
    return {
        "events": int(len(events)),
        "countries": int(countries_of(events, tables)["country"].nunique()),
        "actors": len(parties),
        "articles": int(sources["article"].nunique()),
        "first": events.loc[events["start"].idxmin(), "date"],
        "last": events.loc[events["start"].idxmax(), "date"],
        "by_type": {str(k): int(v) for k, v in events["event_type"].value_counts().items() if v},
    }


def date_span(events: pd.DataFrame) -> tuple[str, str] | None:
    """The first and last event dates as written in the data (as precise as known), or None if no events."""
    if events.empty:
        return None
    return str(events.loc[events["start"].idxmin(), "date"]), str(events.loc[events["end"].idxmax(), "date"])


def period_counts(events: pd.DataFrame, periods: tuple[Period, ...] | list[Period]) -> pd.DataFrame:
    """Each period with how many of the events fall into it (by midpoint), plus "Other years" if any.

    Columns: period, start, end, events, description; periods in date order, empty ones kept.
    """
    labels = period_labels(events, periods).value_counts()
    rows = [
        {"period": p.label, "start": p.start, "end": p.end, "events": int(labels.get(p.label, 0)),
         "description": p.description or ""}
        for p in sorted(periods, key=lambda p: p.start)
    ]  # fmt: skip
    if labels.get(OTHER_PERIOD, 0):
        rows.append({"period": OTHER_PERIOD, "start": None, "end": None, "events": int(labels[OTHER_PERIOD]),
                     "description": "Events outside every named period."})  # fmt: skip
    return pd.DataFrame(rows, columns=["period", "start", "end", "events", "description"])


def stance_targets(events: pd.DataFrame) -> list[str]:
    """Actors on either side of at least one stance between two actors, most involved first (then by id)."""
    actor, target = events["actor"].astype(object), events["target"].astype(object)
    paired = target.notna() & (actor != target)
    counts = pd.concat([actor[paired], target[paired]]).astype(str).value_counts()
    return sorted(counts.index, key=lambda a: (-counts[a], a))
