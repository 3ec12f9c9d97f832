"""Event points for the regional map: the events aggregated per place, drawn at the precision coded.

One marker per (place, place precision, event type), sized by how many events it stands for, so
the browser gets at most places x types markers however many events there are. Exact places are
filled dots, places known only to within about 25 km hollow rings, provinces and regions large
translucent discs (an area, never a false exact point). Markers sharing a place are drawn largest
first and nested, so each stays visible. Each marker's customdata starts with the id of its
earliest event (what `lib.views.sources.selected_event_ids` reads), then its place, event type and precision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.model.schema import display_date
from lib.model.tables import codes_of
from lib.views.style import ChartMeta, plot_text

Layers = Literal["both", "areas", "points"]
LAYERS: tuple[Layers, ...] = ("both", "areas", "points")

POINT_COLUMNS = ["place", "precision", "event_type", "events", "lat", "lon", "name", "first_id", "examples"]
EXAMPLES = 3  # event titles listed in a marker's hover
# per precision: marker symbol, smallest size (px), fill opacity; drawn in this order (areas under points)
STYLES = {
    5: ("circle", 44, 0.3),
    4: ("circle", 30, 0.38),
    3: ("circle", 22, 0.4),
    2: ("circle-open", 13, 1.0),
    1: ("circle", 11, 0.95),
}
LEGEND_SIZES = {1: 10, 2: 10, 3: 13, 4: 14, 5: 18}  # px: the legend's samples, areas larger than points
GROWTH = 16  # px added to the size of the marker with the most events in the view
RING_GAP = 8  # px: a marker nested in a larger one at the same place is at least this much smaller
MIN_SIZE = 6
UNSELECTED_OPACITY = 0.6  # markers not selected while something else on the map is (plotly's default: 0.2)
HOVER = ("<b>%{customdata[4]}</b> · %{customdata[5]}<br>%{customdata[6]} · %{customdata[7]}<br>"
         "%{customdata[8]}<extra></extra>")  # fmt: skip


def place_points(events: pd.DataFrame, meta: ChartMeta) -> pd.DataFrame:
    """Per (place, precision, event type) in `events`: the number of events, the place's coordinates and
    name, the earliest event's id and up to `EXAMPLES` of the earliest events as "date: title" lines.

    Counted on integer codes; events without a place (known only by their countries) are left out.
    """
    if events.empty or "place" not in events.columns:
        return pd.DataFrame(columns=POINT_COLUMNS)
    place_codes, places = codes_of(events["place"])
    precision = events["place_precision"].to_numpy(dtype=float, na_value=np.nan)
    type_codes, types = codes_of(events["event_type"])
    known = np.array([str(p) in meta.places for p in places] + [False])
    rows = np.flatnonzero(known[place_codes] & ~np.isnan(precision) & (type_codes >= 0))
    if not len(rows):
        return pd.DataFrame(columns=POINT_COLUMNS)
    level = precision[rows].astype(np.int64)
    keys = (place_codes[rows].astype(np.int64) * 8 + level) * max(len(types), 1) + type_codes[rows]
    counts = np.bincount(keys)
    unique = np.flatnonzero(counts)
    counts = counts[unique]
    shown = _first_rows(keys, unique, np.minimum(counts, EXAMPLES))  # per group, positions in `rows`
    first = np.array([s[0] for s in shown])
    picked = rows[np.concatenate(shown)]  # only these events' ids, titles and dates are read
    texts = dict(zip(picked, zip(events["title"].iloc[picked], events["date"].iloc[picked], strict=True), strict=True))
    examples = []
    for group, count in zip(shown, counts, strict=True):
        lines = [f"{display_date(str(texts[r][1]))}: {plot_text(texts[r][0])}" for r in rows[group]]
        if count > EXAMPLES:
            lines.append(f"… and {count - EXAMPLES:,} more")
        examples.append("<br>".join(lines))
    ids = events["id"].iloc[rows[first]].astype(str).to_numpy()
    group_place = np.asarray(places, dtype=object)[place_codes[rows[first]]].astype(str)
    info = [meta.places[p] for p in group_place]
    return pd.DataFrame(
        {
            "place": group_place,
            "precision": level[first],
            "event_type": np.asarray(types, dtype=object)[type_codes[rows[first]]].astype(str),
            "events": counts.astype(np.int64),
            "lat": [i.lat for i in info],
            "lon": [i.lon for i in info],
            "name": [i.name for i in info],
            "first_id": ids,
            "examples": examples,
        },
        columns=POINT_COLUMNS,
    )


def _first_rows(keys: np.ndarray, groups: np.ndarray, wanted: np.ndarray) -> list[np.ndarray]:
    """For each group key, the positions of its first `wanted` occurrences in `keys`: scanned in growing
    chunks from the start, so a million keys are not sorted to find a few dozen groups' first rows."""
    found: list[list[int]] = [[] for _ in groups]
    start, size = 0, 4096
    while start < len(keys) and any(len(f) < w for f, w in zip(found, wanted, strict=True)):
        chunk = keys[start : start + size]
        for i, group in enumerate(groups):
            if len(found[i]) < wanted[i]:
                found[i].extend((np.flatnonzero(chunk == group)[: wanted[i] - len(found[i])] + start).tolist())
        start += size
        size *= 8
    return [np.asarray(f, dtype=np.int64) for f in found]


def marker_sizes(points: pd.DataFrame) -> np.ndarray:
    """Size (px) per marker: its precision's smallest size plus up to `GROWTH` by the square root of its share
    of the largest count, then nested: at one place each smaller marker is `RING_GAP` inside the one before."""
    if points.empty:
        return np.zeros(0)
    base = points["precision"].map(lambda p: STYLES.get(int(p), STYLES[1])[1]).to_numpy(dtype=float)
    share = np.sqrt(points["events"].to_numpy(dtype=float) / max(float(points["events"].max()), 1.0))
    sizes = base + GROWTH * share
    for _, group in points.groupby(["place", "precision"], sort=False).groups.items():
        positions = np.asarray([points.index.get_loc(i) for i in group])
        ranked = positions[np.argsort(-points["events"].to_numpy()[positions], kind="stable")]
        for previous, current in zip(ranked[:-1], ranked[1:], strict=True):
            sizes[current] = max(MIN_SIZE, min(sizes[current], sizes[previous] - RING_GAP))
    return sizes


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def point_traces(points: pd.DataFrame, meta: ChartMeta) -> list[go.Scattergeo]:
    """The markers, one trace per precision (areas first, exact points last), each point coloured by event type,
    plus legend entries for the event types and the precision styles."""
    traces: list[go.Scattergeo] = []
    if points.empty:
        return traces
    points = points.assign(size=marker_sizes(points)).sort_values("size", ascending=False, kind="stable")
    for level, (symbol, _, alpha) in STYLES.items():
        group = points[points["precision"] == level]
        if group.empty:
            continue
        colours = [meta.type_colours.get(t, "#777777") for t in group["event_type"]]
        label = plot_text(meta.place_precision_labels.get(level, str(level)))
        filled = symbol == "circle"
        customdata = np.column_stack([
            group["first_id"], group["place"], group["event_type"], group["precision"].astype(str),
            [plot_text(n) for n in group["name"]], [label] * len(group),
            [f"{n:,} event" + ("s" if n != 1 else "") for n in group["events"]],
            [plot_text(meta.type_labels.get(t, t)) for t in group["event_type"]], group["examples"],
        ])  # fmt: skip
        marker = {
            "symbol": symbol,
            "size": group["size"].to_numpy(),
            "color": [_rgba(c, alpha) for c in colours] if filled else colours,
            "line": {"color": "#FFFFFF" if level == 1 else colours, "width": {1: 1.5, 2: 3}.get(level, 2.5)},
            "sizemode": "diameter",
        }
        traces.append(
            go.Scattergeo(lat=group["lat"], lon=group["lon"], mode="markers", marker=marker, customdata=customdata,
                          hovertemplate=HOVER, name=label, showlegend=False, legendgroup="precision",
                          # a country clicked on the map must not fade the events to near-invisible
                          unselected={"marker": {"opacity": UNSELECTED_OPACITY}})
        )  # fmt: skip
    for event_type in (t for t in meta.type_colours if t in set(points["event_type"])):
        traces.append(go.Scattergeo(lat=[None], lon=[None], mode="markers", hoverinfo="skip", legendgroup="types",
                                    name=plot_text(meta.type_labels.get(event_type, event_type)),
                                    marker={"symbol": "square", "size": 12, "color": meta.type_colours[event_type]}))  # fmt: skip
    for level in sorted(set(points["precision"].astype(int))):
        symbol, _, alpha = STYLES.get(level, STYLES[1])
        marker = {"symbol": symbol, "size": LEGEND_SIZES.get(level, 10),
                  "color": _rgba("#555555", alpha) if symbol == "circle" else "#555555",
                  "line": {"color": "#555555", "width": 2 if level == 2 else 1.5}}  # fmt: skip
        traces.append(go.Scattergeo(lat=[None], lon=[None], mode="markers", marker=marker, hoverinfo="skip",
                                    name=plot_text(meta.place_precision_labels.get(level, str(level))),
                                    legendgroup="precision"))  # fmt: skip
    return traces


def selected_markers(points: Iterable[dict]) -> list[tuple[str, str, int]]:
    """(place, event type, precision) of each place marker selected on the map, in order, without repeats."""
    found: list[tuple[str, str, int]] = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and len(data) >= 4 and all(isinstance(v, str) for v in data[1:4]):
            try:
                key = (data[1], data[2], int(data[3]))
            except ValueError:
                continue
            if key not in found:
                found.append(key)
    return found


def chosen_event_ids(events: pd.DataFrame, markers: Sequence[tuple[str, str, int]], picked: str | None) -> list[str]:
    """The events to show under the map: those at the selected markers, else the one chosen in the list."""
    if markers:
        return events_at(events, markers)["id"].astype(str).tolist()
    return [picked] if picked else []


def events_at(events: pd.DataFrame, markers: Sequence[tuple[str, str, int]]) -> pd.DataFrame:
    """The events a set of markers stand for (all events when none is selected), in date order."""
    if not markers or events.empty:
        return events if not markers else events.iloc[:0]
    place_codes, places = codes_of(events["place"])
    type_codes, types = codes_of(events["event_type"])
    level = events["place_precision"].to_numpy(dtype=float, na_value=np.nan)
    keep = np.zeros(len(events), dtype=bool)
    for p, t, lvl in markers:
        if p in places and t in types:
            keep |= (place_codes == places.get_loc(p)) & (type_codes == types.get_loc(t)) & (level == lvl)
    return events[keep]


PICK_LIMIT = 500  # events offered in the map's event chooser (the earliest, when more are placed)


@dataclass(frozen=True)
class EventOptions:
    """The events a reader can choose from the keyboard: id -> "place · date · title", and a note if capped."""

    choices: dict[str, str]
    note: str


def placed_event_options(events: pd.DataFrame, meta: ChartMeta, limit: int = PICK_LIMIT) -> EventOptions:
    """The events drawn on the map (those with a known place), earliest first, at most `limit`."""
    if events.empty or "place" not in events.columns:
        return EventOptions({}, "")
    placed = np.flatnonzero(events["place"].isin(list(meta.places)).to_numpy())
    shown = events.iloc[placed[:limit]]
    choices = {str(i): f"{meta.places[str(p)].name} · {display_date(str(d))} · {t}"
               for i, p, d, t in zip(shown["id"], shown["place"], shown["date"], shown["title"], strict=True)}  # fmt: skip
    note = f"The first {limit:,} of {len(placed):,} placed events (earliest first): narrow the filters to reach others." \
        if len(placed) > limit else ""  # fmt: skip
    return EventOptions(choices, note)


def fit_view(codes: Iterable[str], points: pd.DataFrame, limits: dict[str, list[float]],
             *, pad: float = 0.12, min_span: float = 14.0) -> dict[str, list[float]]:  # fmt: skip
    """Geo axis ranges around the given countries' outlines and the points, kept inside `limits` (the
    regional view), padded, and at least `min_span` degrees across so one small country is not a blur."""
    from lib.model import shapes

    box = shapes.bounds(codes)
    lons = [] if box is None else [box[0], box[2]]
    lats = [] if box is None else [box[1], box[3]]
    if not points.empty:
        lons += [float(points["lon"].min()), float(points["lon"].max())]
        lats += [float(points["lat"].min()), float(points["lat"].max())]
    if not lons:
        return dict(limits)
    out: dict[str, list[float]] = {}
    for axis, values in (("lonaxis_range", lons), ("lataxis_range", lats)):
        low_limit, high_limit = limits[axis]
        low, high = max(min(values), low_limit), min(max(values), high_limit)
        if low >= high:  # the countries lie outside the regional view
            return dict(limits)
        margin = (high - low) * pad
        low, high = low - margin, high + margin
        if high - low < min_span:
            middle = (low + high) / 2
            low, high = middle - min_span / 2, middle + min_span / 2
        out[axis] = [round(max(low, low_limit), 2), round(min(high, high_limit), 2)]
    return out
