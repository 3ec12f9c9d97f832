"""The numbers a chart draws, as a table: the "Data" view under every chart and its CSV download.

Read from the figure itself (the builders in `lib/views/charts.py` tag each figure with `layout.meta.chart`),
so the table holds exactly what is drawn, for the same view, with the chart's own labels. No Streamlit.
"""

from __future__ import annotations

import base64
import html
import re
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

_TAGS = re.compile(r"<[^>]+>")
_COUNT = re.compile(r"\(n=(\d+)\)")


def label(text: object) -> str:
    """A chart label as plain text: line breaks joined, HTML entities undone (`plot_text` in reverse)."""
    if text is None:
        return ""
    return " ".join(html.unescape(_TAGS.sub(" ", str(text).replace("<br>", " "))).split())


def kind(fig: go.Figure) -> str:
    """What the figure shows ("by_year", "timeline", "stance", "map", ...; "empty" when nothing)."""
    meta = fig.layout.meta
    return str(meta.get("chart", "empty")) if isinstance(meta, dict) else "empty"


def title(fig: go.Figure) -> str:
    """The chart's title as plain text."""
    return label(fig.layout.title.text)


def subtitle(fig: go.Figure) -> str:
    """The chart's subtitle (the view it shows) as plain text."""
    sub = fig.layout.title.subtitle
    return label(sub.text if sub is not None else "")


def values(data: Any) -> np.ndarray:
    """A trace's array as numpy, also when it came back from JSON as plotly's typed array
    (`{"dtype": "f8", "bdata": <base64>, "shape": "3, 4"}`)."""
    if isinstance(data, dict) and "bdata" in data:
        raw = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        shape = data.get("shape")
        return raw.reshape([int(n) for n in str(shape).split(",")]) if shape else raw
    return np.asarray(data if data is not None else [], dtype=object)


def _traces(fig: go.Figure, kind_: str) -> list[Any]:
    return [t for t in fig.data if t.type == kind_]


def _by_year(fig: go.Figure) -> pd.DataFrame:
    parts = [pd.Series(values(t.y).astype(int), index=values(t.x).astype(int), name=label(t.name))
             for t in _traces(fig, "bar")]  # fmt: skip
    table = pd.concat(parts, axis=1).sort_index().fillna(0).astype(int)
    table.insert(0, "Year", table.index)
    table["All events"] = table[[p.name for p in parts]].sum(axis=1)
    return table.reset_index(drop=True)


def _by_country(fig: go.Figure) -> pd.DataFrame:
    (bar,) = _traces(fig, "bar")
    table = pd.DataFrame({"Country": [label(y) for y in bar.y], "Events": values(bar.x).astype(int)})
    return table.sort_values(["Events", "Country"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _coverage(fig: go.Figure) -> pd.DataFrame:
    """Articles published and events dated per year, and whether the year has no article (lib.views.coverage)."""
    articles, events = _traces(fig, "bar")
    table = pd.DataFrame({"Year": values(articles.x).astype(int), "Articles": values(articles.y).astype(int),
                          "Events": values(events.y).astype(int)})  # fmt: skip
    table["No article"] = table["Articles"] == 0
    return table


def _row_names(fig: go.Figure) -> dict[int, str]:
    axis = fig.layout.yaxis
    return {int(v): label(t) for v, t in zip(values(axis.tickvals), values(axis.ticktext), strict=False)}


def _event_points(fig: go.Figure) -> list[tuple[Any, Any, list[Any]]]:
    """(x, y, customdata row) of every drawn event marker (legend-only and gap points left out)."""
    points = []
    for trace in _traces(fig, "scatter"):
        if trace.customdata is None or "markers" not in (trace.mode or ""):
            continue
        for x, y, row in zip(values(trace.x), values(trace.y), trace.customdata, strict=True):
            if y is not None and row[0] != "":
                points.append((x, y, list(row)))
    return points


def _timeline(fig: go.Figure) -> pd.DataFrame:
    rows = _row_names(fig)
    by = "Country" if title(fig).endswith("by country") else "Actor"
    records = [
        {"id": str(row[0]), "Date": label(row[2]), "_sort": pd.Timestamp(x), "Row": rows.get(round(float(y)), ""),
         "Event": label(row[1]), "Event type": label(row[5]), "Actor": label(row[3]), "Target": label(row[4])}
        for x, y, row in _event_points(fig)
    ]  # fmt: skip
    columns = ["id", "Date", "Row", "Event", "Event type", "Actor", "Target"]
    table = pd.DataFrame(records, columns=[*columns, "_sort"])
    table = table.sort_values(["_sort", "Row", "id"], kind="stable").drop(columns="_sort")
    table = table.rename(columns={"Row": by}) if by == "Country" else table.drop(columns="Row")
    return table.reset_index(drop=True)


def _grid(fig: go.Figure, row_name: str, column_name: str, value_name: str) -> pd.DataFrame:
    (heat,) = _traces(fig, "heatmap")
    z = values(heat.z).astype(float)
    records = [
        (label(r), c, z[i, j]) for i, r in enumerate(heat.y) for j, c in enumerate(heat.x) if not np.isnan(z[i, j])
    ]
    return pd.DataFrame(records, columns=[row_name, column_name, value_name])


def _timeline_density(fig: go.Figure) -> pd.DataFrame:
    table = _grid(fig, "Row", "Month", "Events")
    table["Month"] = [pd.Timestamp(m).strftime("%B %Y") for m in table["Month"]]
    table["Events"] = table["Events"].astype(int)
    return table


def _stance(fig: go.Figure) -> pd.DataFrame:
    records = []
    for trace in _traces(fig, "scatter"):
        if trace.customdata is None:
            continue
        for y, row in zip(values(trace.y), trace.customdata, strict=True):
            if y is None or row[0] == "":
                continue
            records.append({"id": str(row[0]), "Party": label(trace.name), "Date": label(row[2]),
                            "_sort": pd.Timestamp(_as_date(row[2])), "Stance": label(row[6]), "Event": label(row[1]),
                            "Event type": label(row[5])})  # fmt: skip
    table = pd.DataFrame(records, columns=["id", "Party", "Date", "_sort", "Stance", "Event", "Event type"])
    return table.sort_values(["_sort", "Party", "id"], kind="stable").drop(columns="_sort").reset_index(drop=True)


def _as_date(shown: str) -> str:
    """A date as `display_date` writes it ("18 May 2011", "May 2011", "2011") back to something sortable."""
    for fmt in ("%d %B %Y", "%B %Y", "%Y"):
        try:
            return pd.to_datetime(shown, format=fmt).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            continue
    return "1970-01-01"


def _stance_quarterly(fig: go.Figure) -> pd.DataFrame:
    records = [
        {"Party": label(t.name), "Quarter": f"{pd.Timestamp(x).year} Q{pd.Timestamp(x).quarter}", "Mean stance": round(float(y), 2)}
        for t in _traces(fig, "scatter") for x, y in zip(values(t.x), values(t.y), strict=True) if y is not None and not np.isnan(float(y))
    ]  # fmt: skip
    return pd.DataFrame(records, columns=["Party", "Quarter", "Mean stance"])


def _stance_heatmap(fig: go.Figure) -> pd.DataFrame:
    (heat,) = _traces(fig, "heatmap")
    z = values(heat.z).astype(float)
    records = []
    for i, party in enumerate(heat.y):
        for j, period in enumerate(heat.x):
            if np.isnan(z[i, j]):
                continue
            found = _COUNT.search(str(heat.text[i][j]))
            records.append({"Party": label(party), "Period": label(period), "Mean stance": round(float(z[i, j]), 2),
                            "Events": int(found.group(1)) if found else None})  # fmt: skip
    return pd.DataFrame(records, columns=["Party", "Period", "Mean stance", "Events"])


def _map_places(fig: go.Figure) -> pd.DataFrame:
    """The places drawn (the "places only" layer): one row per marker, as its hover says it."""
    records = [
        {"Place": label(row[4]), "Precision": label(row[5]), "Event type": label(row[7]),
         "Events": int(str(row[6]).split()[0].replace(",", ""))}
        for t in _traces(fig, "scattergeo") if t.customdata is not None for row in values(t.customdata)
    ]  # fmt: skip
    table = pd.DataFrame(records, columns=["Place", "Precision", "Event type", "Events"])
    return table.sort_values(["Events", "Place"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _map(fig: go.Figure) -> pd.DataFrame:
    if not _traces(fig, "choropleth"):
        return _map_places(fig)
    (shapes,) = _traces(fig, "choropleth")
    custom = values(shapes.customdata)
    table = pd.DataFrame({"Country": [label(n) for n in custom[:, 1]], "Events": custom[:, 2].astype(int)})
    if "stance" in title(fig).lower():
        z = values(shapes.z).astype(float)
        table["Mean stance"] = [None if np.isnan(v) else round(float(v), 2) for v in z]
        table["Events with a stance"] = custom[:, 3].astype(int)
        return table.sort_values(["Mean stance", "Country"], na_position="last", kind="stable").reset_index(drop=True)
    return table.sort_values(["Events", "Country"], ascending=[False, True], kind="stable").reset_index(drop=True)


_READERS = {
    "by_year": _by_year,
    "by_country": _by_country,
    "coverage": _coverage,
    "timeline": _timeline,
    "timeline_density": _timeline_density,
    "stance": _stance,
    "stance_quarterly": _stance_quarterly,
    "stance_heatmap": _stance_heatmap,
    "map": _map,
}


def table(fig: go.Figure) -> pd.DataFrame:
    """The numbers `fig` draws, one row per bar, point, cell or country, with the chart's labels.

    Event tables keep the event `id` as their first column (for choosing an event); `display_table`
    leaves it out. An empty chart gives an empty table.
    """
    reader = _READERS.get(kind(fig))
    if reader is None:
        return pd.DataFrame()
    return reader(fig)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it (no internal ids)."""
    return frame.drop(columns=["id"], errors="ignore")


def event_choices(frame: pd.DataFrame) -> dict[str, str]:
    """Event id -> "date — title" for every event in a chart's table, in the table's order (for a picker)."""
    if "id" not in frame.columns or frame.empty:
        return {}
    seen: dict[str, str] = {}
    for event_id, date, event in zip(frame["id"], frame["Date"], frame["Event"], strict=True):
        seen.setdefault(str(event_id), f"{date} — {event}")
    return seen


__all__ = ["display_table", "event_choices", "kind", "label", "subtitle", "table", "title"]
