"""Tidy pandas tables built from a validated dataset: one row per event, plus long tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.model.dataset import Dataset
from lib.model.schema import EVENT_TYPES, PRECISIONS, parse_partial_date

EVENT_COLUMNS = [
    "id", "date", "precision", "start", "end", "mid", "year", "title", "summary", "date_note",
    "actor", "actor_name", "target", "target_name", "countries", "location", "event_type", "stance",
    "place", "place_precision", "place_note", "review",
]  # fmt: skip


@dataclass(frozen=True)
class Tables:
    """The dataset as DataFrames.

    events: one row per event (dates parsed, `precision` is day/month/year, `start`/`end` span
    the whole period a month- or year-precision date covers, `mid` is its middle).
    event_countries: long table (event_id, country, row), one row per country an event concerns;
    `row` is the event's position in `events`, for fast filtering; `country` is a categorical
    with sorted categories (aggregations count its codes).
    sources: long table (event_id, n, article, quote, row), one row per source; `row` is again the
    event's position in `events`.
    """

    events: pd.DataFrame
    event_countries: pd.DataFrame
    sources: pd.DataFrame


def finish_events_frame(frame: pd.DataFrame, actor_names: dict[str, str]) -> pd.DataFrame:
    """Add derived columns (span, year, names) and compact dtypes to a frame of raw event columns.

    Expects `start`, `end` and `precision` already set; shared by the YAML and the bulk loaders.
    """
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["mid"] = frame["start"] + (frame["end"] - frame["start"]) / 2
    frame["year"] = frame["start"].dt.year.astype("int16")
    frame["precision"] = pd.Categorical(frame["precision"], categories=list(PRECISIONS))
    frame["event_type"] = pd.Categorical(frame["event_type"], categories=list(EVENT_TYPES))
    frame["stance"] = frame["stance"].astype("int8")
    # where the event happened (data/places.yaml id) and how precisely (1-5; missing: countries only)
    frame["place"] = (frame["place"] if "place" in frame else pd.Series(None, index=frame.index, dtype=object)).astype("category")
    frame["place_precision"] = pd.to_numeric(
        frame["place_precision"] if "place_precision" in frame else pd.Series(np.nan, index=frame.index)
    ).astype("Int8")
    # review state (CODEBOOK 4.2): missing = reviewed; "proposed" or "returned" otherwise
    review = frame["review"] if "review" in frame else pd.Series(None, index=frame.index, dtype=object)
    frame["review"] = pd.Categorical(review, categories=["proposed", "returned"])
    for column in ("actor", "target"):
        codes = frame[column].astype("category")
        frame[column] = codes
        frame[f"{column}_name"] = codes.cat.rename_categories(
            [actor_names.get(c, c) for c in codes.cat.categories]
        ).astype("category")
    return frame.reindex(columns=EVENT_COLUMNS).sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def event_rows(events: pd.DataFrame, event_ids: pd.Series) -> np.ndarray:
    """The position in `events` of each id in `event_ids` (int64; -1 for an id not in `events`)."""
    return pd.Index(events["id"]).get_indexer(event_ids).astype("int64")


def in_view(events: pd.DataFrame, rows: pd.Series | np.ndarray) -> np.ndarray:
    """For each entry of `rows` (positions in `tables.events`), whether that event is in `events`.

    `events` is a filtered view of `tables.events` (its index holds those positions, as
    `Filters.apply` leaves it). A boolean mask over event positions: no hashing of ids.
    """
    rows = np.asarray(rows)
    if not len(rows):
        return np.zeros(0, dtype=bool)
    index = events.index.to_numpy()
    size = int(max(rows.max(), index.max() if len(index) else 0)) + 1
    mask = np.zeros(size, dtype=bool)
    mask[index] = True
    return mask[rows]


def sorted_categorical(values: pd.Series | pd.Categorical) -> pd.Series:
    """`values` as a categorical whose categories are sorted (grouping by it then orders like strings)."""
    series = pd.Series(values)
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype("category")  # categories come out sorted
    categories = series.cat.categories
    return series if categories.is_monotonic_increasing else series.cat.reorder_categories(categories.sort_values())


def codes_of(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values they index, for a categorical or any column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, uniques = pd.factorize(values, sort=True)
    return codes, pd.Index(uniques)


def build_tables(ds: Dataset) -> Tables:
    """Build the events, event-country and source tables from a loaded dataset."""
    rows = []
    country_rows = []
    source_rows = []
    for event in ds.events:
        start, end, precision = parse_partial_date(event.date)
        rows.append(
            {
                "id": event.id,
                "date": event.date,
                "precision": precision,
                "start": start,
                "end": end,
                "title": event.title,
                "summary": event.summary,
                "date_note": event.date_note,
                "actor": event.actor,
                "target": event.target,
                "countries": ", ".join(event.countries),
                "location": event.location,
                "event_type": event.event_type,
                "stance": event.stance,
                "place": event.place,
                "place_precision": event.place_precision,
                "place_note": event.place_note,
                "review": event.review,
            }
        )
        country_rows.extend({"event_id": event.id, "country": code} for code in event.countries)
        source_rows.extend(
            {"event_id": event.id, "n": n, "article": s.article, "quote": s.quote}
            for n, s in enumerate(event.sources, start=1)
        )
    columns = ["id", "date", "precision", "start", "end", "title", "summary", "date_note", "actor",
               "target", "countries", "location", "event_type", "stance", "place", "place_precision",
               "place_note", "review"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    names = {actor_id: actor.name for actor_id, actor in ds.actors.items()}
    events = finish_events_frame(frame, names)
    event_countries = pd.DataFrame(country_rows, columns=["event_id", "country"])
    event_countries["country"] = sorted_categorical(event_countries["country"].astype("str"))
    event_countries["row"] = event_rows(events, event_countries["event_id"])
    sources = pd.DataFrame(source_rows, columns=["event_id", "n", "article", "quote"])
    sources["row"] = event_rows(events, sources["event_id"])
    return Tables(events=events, event_countries=event_countries, sources=sources)
