"""Aggregations over a filtered events frame: counts, periods, stance series and matrices."""

from __future__ import annotations

import html
from typing import Literal

import numpy as np
import pandas as pd

from lib.model.schema import Period
from lib.model.tables import Tables, codes_of, in_view

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
    types = events["event_type"]
    if events.empty or not isinstance(types.dtype, pd.CategoricalDtype) or types.isna().any():
        grouped = events.groupby(["year", "event_type"], observed=True).size().rename("events").reset_index()
        return grouped.sort_values(["year", "event_type"]).reset_index(drop=True)
    years = events["year"].to_numpy()
    low, n_types = int(years.min()), len(types.cat.categories)
    counts = np.bincount((years - low).astype(np.int64) * n_types + types.cat.codes.to_numpy(),
                         minlength=(int(years.max()) - low + 1) * n_types)  # fmt: skip
    present = np.flatnonzero(counts)  # ordered by year, then by event type (category order)
    return pd.DataFrame(
        {
            "year": (present // n_types + low).astype(years.dtype),
            "event_type": pd.Categorical.from_codes(present % n_types, dtype=types.dtype),
            "events": counts[present].astype(np.int64),
        }
    )


def country_summary(events: pd.DataFrame, tables: Tables, target: str | None = None) -> pd.DataFrame:
    """Per country the events concern: number of events and the mean stance toward `target`.

    Columns: country, events, stance_events (events whose target is `target`), mean_stance (NaN if none).
    Counted over the country codes of the event-country links (no per-row strings).
    """
    links = tables.event_countries
    rows = links["row"].to_numpy()
    inside = in_view(events, rows)
    codes, names = codes_of(links["country"])
    inside &= codes >= 0
    counts = np.bincount(codes[inside], minlength=len(names))
    stance_n = np.zeros(len(names), dtype=np.int64)
    mean = np.full(len(names), np.nan)
    if target is not None:
        is_target = (tables.events["target"] == target).to_numpy(dtype=bool, na_value=False)
        toward = inside & is_target[rows]
        stance = tables.events["stance"].to_numpy()[rows[toward]].astype(np.float64)
        stance_n = np.bincount(codes[toward], minlength=len(names))
        total = np.bincount(codes[toward], weights=stance, minlength=len(names))
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(stance_n > 0, total / np.maximum(stance_n, 1), np.nan)
    present = np.flatnonzero(counts)
    frame = pd.DataFrame(
        {"country": np.asarray(names, dtype=object)[present].astype(str), "events": counts[present].astype(int),
         "stance_events": stance_n[present].astype(int), "mean_stance": mean[present]}
    )  # fmt: skip
    frame = frame.sort_values("country").reset_index(drop=True)
    return frame.sort_values(["events", "country"], ascending=[False, True])


def month_numbers(values: np.ndarray | pd.Series) -> np.ndarray:
    """Months since January 1970 of datetime64 values (int64), through a per-day lookup table: the
    calendar sum is done once per day in the span, not once per value."""
    values = np.asarray(values)
    if not len(values) or np.isnat(values).any():
        return values.astype("datetime64[M]").astype(np.int64)
    days = values.astype("datetime64[D]").astype(np.int64)  # floor division, no calendar work
    low = int(days.min())
    table = np.arange(low, int(days.max()) + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[days - low]


def period_codes(events: pd.DataFrame, periods: tuple[Period, ...] | list[Period]) -> np.ndarray:
    """For each event, the position in `periods` of the first period its midpoint falls into, or -1."""
    mid = events["mid"].to_numpy()
    codes = np.full(len(mid), -1, dtype=np.int64)
    for n, period in enumerate(periods):
        start, end = np.datetime64(pd.Timestamp(period.start)), np.datetime64(pd.Timestamp(period.end))
        codes[(codes == -1) & (mid >= start) & (mid <= end)] = n
    return codes


def period_labels(events: pd.DataFrame, periods: tuple[Period, ...] | list[Period]) -> pd.Series:
    """The label of the period each event falls into (by its midpoint), or "Other years"."""
    labels = np.array([p.label for p in periods] + [OTHER_PERIOD], dtype=object)
    return pd.Series(labels[period_codes(events, periods)], index=events.index, dtype=object)


def _stance_selection(events: pd.DataFrame, target: str, direction: Direction) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(which events show a stance involving `target`, the code of the other party of each, the parties' ids)."""
    if direction == "toward":
        mask = (events["target"] == target) & (events["actor"] != target)
        party = events["actor"]
    else:
        mask = (events["actor"] == target) & events["target"].notna()
        party = events["target"]
    mask = mask.to_numpy(dtype=bool, na_value=False)
    codes, names = codes_of(party)
    return mask, codes[mask], np.asarray(names.astype(str), dtype=object)


def stance_events(
    events: pd.DataFrame, target: str, direction: Direction = "toward", columns: list[str] | None = None
) -> pd.DataFrame:
    """The events that show a stance involving `target`, with a `party` column for the other side.

    "toward": each actor's stance toward `target` (party = actor);
    "from": `target`'s stance toward each counterpart (party = the event's target).
    `columns` limits the event columns copied (all by default).
    """
    mask, codes, names = _stance_selection(events, target, direction)
    chosen = events.loc[mask, columns] if columns is not None else events[mask]
    return chosen.assign(party=names[codes] if len(codes) else np.array([], dtype=object))


def stance_matrix(
    events: pd.DataFrame, periods: tuple[Period, ...] | list[Period], target: str, direction: Direction = "toward"
) -> pd.DataFrame:
    """Mean stance per party (rows) and period (columns), with counts: columns party, period, mean, n.

    Rows in party, then period order (as text); counted with integer codes, not per-row strings.
    """
    mask, party_codes, parties = _stance_selection(events, target, direction)
    if not mask.any():
        return pd.DataFrame(columns=["party", "period", "mean", "n"])
    chosen = events.loc[mask, ["mid", "stance"]]
    labels = list(dict.fromkeys([p.label for p in periods] + [OTHER_PERIOD]))  # periods sharing a label merge
    label_of = np.array([labels.index(p.label) for p in periods] + [labels.index(OTHER_PERIOD)], dtype=np.int64)
    period = label_of[period_codes(chosen, periods)]
    key = party_codes.astype(np.int64) * len(labels) + period
    size = len(parties) * len(labels)
    n = np.bincount(key, minlength=size)
    total = np.bincount(key, weights=chosen["stance"].to_numpy().astype(np.float64), minlength=size)
    present = np.flatnonzero(n)
    frame = pd.DataFrame(
        {"party": parties[present // len(labels)], "period": np.array(labels, dtype=object)[present % len(labels)],
         "mean": total[present] / n[present], "n": n[present].astype(np.int64)}
    )  # fmt: skip
    return frame.sort_values(["party", "period"]).reset_index(drop=True)


def quarterly_means(
    events: pd.DataFrame, target: str, direction: Direction, parties: list[str]
) -> dict[str, pd.Series]:
    """Each of `parties`' mean stance (toward or from `target`) per calendar quarter, by event midpoint,
    quarters without events left out: what `resample("QS").mean().dropna()` gives, for all parties in
    one pass over integer codes."""
    mask, codes, names = _stance_selection(events, target, direction)
    wanted = np.full(len(names) + 1, -1, dtype=np.int64)  # party code -> position in `parties` (-1: not drawn)
    for n, party in enumerate(parties):
        wanted[np.flatnonzero(names == party)] = n
    slot = wanted[codes]
    keep = slot >= 0
    mid = events["mid"].to_numpy()[mask][keep]
    quarter = month_numbers(mid) // 3
    unit = np.datetime_data(events["mid"].dtype)[0]
    if not len(quarter):
        return {p: pd.Series([], dtype=np.float64, name="stance") for p in parties}
    low, span = int(quarter.min()), int(quarter.max() - quarter.min()) + 1
    key = slot[keep] * span + (quarter - low)
    size = len(parties) * span
    n = np.bincount(key, minlength=size).reshape(len(parties), span)
    stance = events["stance"].to_numpy()[mask][keep].astype(np.float64)
    total = np.bincount(key, weights=stance, minlength=size).reshape(len(parties), span)
    out = {}
    for i, party in enumerate(parties):
        used = np.flatnonzero(n[i])
        starts = ((used + low) * 3).astype("datetime64[M]").astype(f"datetime64[{unit}]")
        out[party] = pd.Series(total[i, used] / n[i, used], index=pd.DatetimeIndex(starts, name="mid"), name="stance")
    return out


def _present_count(values: pd.Series, keep: np.ndarray) -> int:
    """How many distinct non-missing values `values` has where `keep` is True."""
    codes, names = codes_of(values)
    chosen = codes[keep]
    return int(np.count_nonzero(np.bincount(chosen[chosen >= 0], minlength=len(names))))


def key_numbers(events: pd.DataFrame, tables: Tables) -> dict[str, object]:
    """Headline figures for the overview and the briefing pack."""
    if events.empty:
        return {"events": 0, "countries": 0, "actors": 0, "articles": 0, "first": None, "last": None}
    parties = {str(a) for a in events["actor"].dropna().unique()} | {str(t) for t in events["target"].dropna().unique()}
    links, sources = tables.event_countries, tables.sources
    if "row" in sources.columns:
        articles = _present_count(sources["article"], in_view(events, sources["row"]))
    else:
        articles = int(sources_of(events, tables)["article"].nunique())
    return {
        "events": int(len(events)),
        "countries": _present_count(links["country"], in_view(events, links["row"])),
        "actors": len(parties),
        "articles": articles,
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
    per_period = np.bincount(period_codes(events, periods) + 1, minlength=len(periods) + 1)  # [0] is "other"
    labels: dict[str, int] = {OTHER_PERIOD: int(per_period[0])}
    for n, period in enumerate(periods):
        labels[period.label] = labels.get(period.label, 0) + int(per_period[n + 1])
    rows = [
        {"period": p.label, "start": p.start, "end": p.end, "events": int(labels.get(p.label, 0)),
         "description": p.description or ""}
        for p in sorted(periods, key=lambda p: p.start)
    ]  # fmt: skip
    if labels.get(OTHER_PERIOD, 0):
        rows.append({"period": OTHER_PERIOD, "start": None, "end": None, "events": int(labels[OTHER_PERIOD]),
                     "description": "Events outside every named period."})  # fmt: skip
    return pd.DataFrame(rows, columns=["period", "start", "end", "events", "description"])


PERIOD_COLUMNS = {"period": "Period", "start": "From", "end": "To", "events": "Events shown",
                  "description": "What happened"}  # fmt: skip


def period_table(counts: pd.DataFrame) -> pd.DataFrame:
    """`period_counts` as a reader's static table: headed columns, dates as "1 Jan 1996" (the data grid's format
    before; "—" for none), text as written (`html_table` escapes it for HTML)."""
    def day(value: object) -> str:
        if value is None or pd.isna(value):
            return "—"
        when = pd.Timestamp(value)
        return f"{when.day} {when:%b %Y}"

    return counts.assign(start=counts["start"].map(day), end=counts["end"].map(day)).rename(columns=PERIOD_COLUMNS)


def html_table(table: pd.DataFrame, *, right: tuple[str, ...] = (), nowrap: tuple[str, ...] = ()) -> str:
    """`table` (plain text cells) as an HTML <table> with header cells, every cell escaped: the columns named in `right`
    aligned right (numbers), those in `nowrap` kept on one line (no-break spaces: a date), a cell's line breaks as
    spaces. One element with a real <table>, without the browser's markdown parser or the data grid's Arrow code
    (bench/RESULTS.md, issue 24 rounds 9 and 15)."""
    def cell(value: object, column: str, tag: str) -> str:
        text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else " ".join(str(value).split())
        text = html.escape(text)
        if column in nowrap:
            text = text.replace(" ", "\u00a0")
        align = ' style="text-align: right;"' if column in right else ""
        return f"<{tag}{align}>{text}</{tag}>"

    columns = [str(c) for c in table.columns]
    head = "".join(cell(c, c, "th") for c in columns)
    rows = "".join("<tr>" + "".join(cell(v, c, "td") for v, c in zip(row, columns, strict=True)) + "</tr>"
                   for row in table.itertuples(index=False))  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def stance_targets(events: pd.DataFrame) -> list[str]:
    """Actors on either side of at least one stance between two actors, most involved first (then by id)."""
    actor_codes, actors = codes_of(events["actor"])
    target_codes, targets = codes_of(events["target"])
    names = pd.Index(actors.astype(str)).union(pd.Index(targets.astype(str)))
    actor = np.concatenate([names.get_indexer(actors.astype(str)), [-1]])[actor_codes]  # code -1 (missing) stays -1
    target = np.concatenate([names.get_indexer(targets.astype(str)), [-1]])[target_codes]
    paired = (target >= 0) & (actor >= 0) & (actor != target)
    counts = np.bincount(actor[paired], minlength=len(names)) + np.bincount(target[paired], minlength=len(names))
    present = np.flatnonzero(counts)
    return sorted((str(names[i]) for i in present), key=lambda a: (-counts[names.get_loc(a)], a))
