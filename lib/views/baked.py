"""A figure as the browser should receive it: its template written into it, its arrays plain lists, and a
fixed `layout.datarevision`, so Streamlit's second `Plotly.react` of the same figure costs no second draw.

Why (measured in Chromium, issue 24 round 11): Streamlit 1.67's chart element draws a figure, then applies its
theme in an effect, a JSON copy of the whole figure, and hands the copy to `Plotly.react`. plotly.js redraws in
full (calc and plot) when the copy's `layout.template` is not the very object it drew before (the template is
compared by identity), when a data array is a base64 typed array (`{"dtype", "bdata"}`, decoded anew each time),
or when a plain array is a new object and no `datarevision` says the data is unchanged. With no template, plain
lists and a fixed `datarevision`, the copy is seen as unchanged and only the modebar and hover are redone.

The template's values are written where plotly.js would use them: under the figure's own values, in the layout
and in each trace (the k-th trace of a type takes the type's k-th style, cycling), each subplot of a kind taking
that kind's style (`xaxis` for `xaxis2`, `geo` for every geo subplot), `annotationdefaults` under each annotation.
"""

from __future__ import annotations

import base64
import math
import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

DATA_REVISION = "fixed"  # any fixed value: it tells plotly.js that equal-looking arrays hold the same data
SUBPLOT_KINDS = ("xaxis", "yaxis", "geo", "coloraxis", "polar", "scene", "ternary", "mapbox", "map", "smith")
CARTESIAN = {"bar", "scatter", "heatmap", "histogram", "box", "violin", "contour", "scattergl", "candlestick", "ohlc"}
GEO = {"scattergeo", "choropleth"}


def merged(defaults: Any, values: Any) -> Any:
    """`values` over `defaults`: nested objects merged key by key, anything else the figure's own value."""
    if not isinstance(defaults, dict) or not isinstance(values, dict):
        return values
    out = dict(defaults)
    for key, value in values.items():
        out[key] = merged(out.get(key), value)
    return out


def typed_array(value: dict) -> list:
    """A plotly.py base64 typed array (`{"dtype", "bdata"[, "shape"]}`) as a plain (nested) list, NaN as None."""
    array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
    if shape := value.get("shape"):
        array = array.reshape([int(dim) for dim in (shape if isinstance(shape, list) else str(shape).split(","))])
    if array.dtype.kind == "f":
        return np.where(np.isnan(array), None, array.astype(object)).tolist()
    return array.tolist()


def plain(value: Any) -> Any:
    """The value with every numpy array, typed array and numpy scalar as plain Python lists and numbers."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        if isinstance(value.get("bdata"), str) and "dtype" in value:
            return typed_array(value)
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _subplots_used(data: list[dict]) -> set[str]:
    """The layout keys of the subplots the traces draw on (`xaxis`, `yaxis2`, `geo`, `coloraxis`, ...)."""
    used = set()
    for trace in data:
        kind = trace.get("type", "scatter")
        if kind in CARTESIAN:
            used.add("xaxis" + str(trace.get("xaxis", "x"))[1:])
            used.add("yaxis" + str(trace.get("yaxis", "y"))[1:])
        if kind in GEO:
            used.add(str(trace.get("geo", "geo")))
        for holder in (trace, trace.get("marker") or {}):
            if isinstance(holder, dict) and holder.get("coloraxis"):
                used.add(str(holder["coloraxis"]))
    return used


def baked_layout(layout: dict, template: dict, data: list[dict]) -> dict:
    """The layout with the template's layout values under its own."""
    out = dict(layout)
    used = _subplots_used(data)
    for key, default in template.items():
        if key.endswith("defaults"):  # annotationdefaults, shapedefaults, ...: under each item of the list
            items = key.removesuffix("defaults") + "s"
            if isinstance(out.get(items), list):
                out[items] = [merged(default, item) for item in out[items]]
            continue
        if key in SUBPLOT_KINDS:
            names = {name for name in out if re.fullmatch(rf"{key}\d*", name)}
            names |= {name for name in used if re.fullmatch(rf"{key}\d*", name)}
            for name in names:
                own = out.get(name, {})
                out[name] = merged(default, own)
                if key in ("xaxis", "yaxis"):
                    out[name] = _line_as_drawn(out[name], own, default)
            continue
        out[key] = merged(default, out[key]) if key in out else default
    return out


def _line_as_drawn(axis: dict, own: Any, default: Any) -> dict:
    """A cartesian axis with `showline` as plotly.js decided it before the bake. plotly.js shows an axis line by
    default only when the figure's own axis (not its template) sets `linecolor` or `linewidth`; a template's
    `linecolor` written in would turn the line on (a 1 px line that moved the plot area, issue 24 round 12)."""
    own = own if isinstance(own, dict) else {}
    default = default if isinstance(default, dict) else {}
    if "showline" in axis or "showline" in default:
        return axis
    return {**axis, "showline": bool(own.get("linecolor") or own.get("linewidth"))}


def baked_data(data: list[dict], template: dict) -> list[dict]:
    """Each trace with its type's template style under its own (the k-th trace of a type takes style k, cycling)."""
    counts: dict[str, int] = {}
    out = []
    for trace in data:
        kind = trace.get("type", "scatter")
        styles = template.get(kind) or []
        n = counts.get(kind, 0)
        counts[kind] = n + 1
        out.append(_without_unused_colorbars(merged(styles[n % len(styles)], trace), trace) if styles else dict(trace))
    return out


COLOUR_SCALED = ("colorscale", "showscale", "coloraxis")


def _without_unused_colorbars(baked: dict, own: dict) -> dict:
    """plotly.js uses a template's `colorbar` only where the trace (or its marker or line) has a colour scale; a
    colorbar written into a container draws one. So one that came from the template alone goes where no scale is."""
    for name in (None, "marker", "line"):
        container = baked if name is None else baked.get(name)
        mine = own if name is None else own.get(name)
        if not isinstance(container, dict) or "colorbar" not in container:
            continue
        mine = mine if isinstance(mine, dict) else {}
        if "colorbar" not in mine and not any(key in mine for key in COLOUR_SCALED):
            container = {key: value for key, value in container.items() if key != "colorbar"}
            if name is None:
                baked = container
            else:
                baked = {**baked, name: container}
    return baked


def for_browser(fig: go.Figure) -> go.Figure:
    """A new figure that draws as `fig` does, with no template, plain lists and a fixed `datarevision` (see the
    module's docstring). `fig` is not changed."""
    spec = plain(fig.to_plotly_json())
    layout = dict(spec.get("layout") or {})
    template = layout.pop("template", None) or {}
    data = baked_data(list(spec.get("data") or []), template.get("data") or {})
    layout = baked_layout(layout, template.get("layout") or {}, data)
    layout.setdefault("datarevision", DATA_REVISION)
    out = go.Figure(data=data, layout=layout, skip_invalid=False)
    out.layout.template = None  # plotly.py would put its default template back in
    return out
