"""Country outlines from the base map the app ships (static/topojson/world_50m.json, Natural Earth 1:50m
in plotly's topojson format): is a point inside a country, and what box a set of countries spans.

The outlines are the ones the map draws, so a point that passes is drawn inside its country.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from lib.paths import TOPOJSON_DIR

OUTLINES = TOPOJSON_DIR / "world_50m.json"
# 1:50m outlines are generalised: a border town can fall a few km outside its simplified border
BORDER_TOLERANCE = 0.05  # degrees, about 5 km


@lru_cache(maxsize=2)
def outlines(path: Path = OUTLINES) -> dict[str, list[np.ndarray]]:
    """Every country's rings (arrays of lon, lat), keyed by ISO-3, decoded from the topojson arcs."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    scale, shift = np.asarray(topo["transform"]["scale"]), np.asarray(topo["transform"]["translate"])
    arcs = [np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + shift for arc in topo["arcs"]]

    def ring(indexes: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
        return np.concatenate([parts[0]] + [p[1:] for p in parts[1:]])

    shapes: dict[str, list[np.ndarray]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if not isinstance(code, str) or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes.setdefault(code, []).extend(ring(r) for polygon in polygons for r in polygon)
    return shapes


def _inside(rings: list[np.ndarray], lon: float, lat: float) -> bool:
    """Even-odd ray casting over all rings (holes included)."""
    crossings = 0
    for points in rings:
        x0, y0 = points[:-1, 0], points[:-1, 1]
        x1, y1 = points[1:, 0], points[1:, 1]
        spans = (y0 > lat) != (y1 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        crossings += int(np.count_nonzero(spans & (lon < x_cross)))
    return crossings % 2 == 1


def _distance(rings: list[np.ndarray], lon: float, lat: float) -> float:
    """Shortest distance in degrees from the point to any edge of the rings."""
    best = np.inf
    point = np.array([lon, lat])
    for points in rings:
        a, b = points[:-1], points[1:]
        ab = b - a
        length = np.einsum("ij,ij->i", ab, ab)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.nan_to_num(np.einsum("ij,ij->i", point - a, ab) / length), 0, 1)
        nearest = a + ab * t[:, None]
        best = min(best, float(np.sqrt(((nearest - point) ** 2).sum(axis=1)).min()))
    return best


def known(iso3: str) -> bool:
    """Whether the base map has an outline for this country."""
    return iso3 in outlines()


def contains(iso3: str, lat: float, lon: float, tolerance: float = BORDER_TOLERANCE) -> bool:
    """Whether (lat, lon) lies inside the country's outline, or within `tolerance` degrees of it."""
    rings = outlines().get(iso3)
    if not rings:
        return False
    return _inside(rings, lon, lat) or _distance(rings, lon, lat) <= tolerance


def countries_at(lat: float, lon: float) -> list[str]:
    """The countries whose outline holds the point (for messages: "it lies in Iran")."""
    return [code for code, rings in outlines().items() if _inside(rings, lon, lat)]


def bounds(codes: Iterable[str]) -> tuple[float, float, float, float] | None:
    """(lon_min, lat_min, lon_max, lat_max) around the given countries' outlines (None if none is known)."""
    rings = [r for code in codes for r in outlines().get(code, [])]
    if not rings:
        return None
    points = np.concatenate(rings)
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))
