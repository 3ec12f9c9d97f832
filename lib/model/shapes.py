"""Country outlines from the base map the app ships (static/topojson/world_50m.json, Natural Earth 1:50m
in plotly's topojson format): is a point inside a country, and what box a set of countries spans.

The outlines are the ones the map draws, so a point that passes is drawn inside its country.

Decoding the topojson (parsing 1.1 MB of JSON, then every arc) took most of the time a fresh server spent
loading data/ (for the check that each place lies in its country). The decoded rings are therefore kept in
`lib.paths.cache_dir()` as an .npz named by the SHA-256 of the topojson: derived data, rebuilt whenever the
map file changes (or the cache is missing, unreadable or not writable: then decoded in memory as before).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from lib.paths import TOPOJSON_DIR, cache_dir

OUTLINES = TOPOJSON_DIR / "world_50m.json"
# 1:50m outlines are generalised: a border town can fall a few km outside its simplified border
BORDER_TOLERANCE = 0.05  # degrees, about 5 km
CACHE_FORMAT = 1  # bump when the decoding or the .npz layout changes: older cache files are then ignored


@dataclass(frozen=True)
class Outlines:
    """Every country's rings, flat: country i owns rings `country_rings[i]:country_rings[i+1]`, ring j is
    `points[ring_points[j]:ring_points[j+1]]` (lon, lat)."""

    codes: dict[str, int]
    country_rings: np.ndarray
    ring_points: np.ndarray
    points: np.ndarray

    def rings(self, iso3: str) -> list[np.ndarray]:
        """The country's rings as read-only views ([] for a country the map lacks)."""
        i = self.codes.get(iso3)
        if i is None:
            return []
        starts = self.ring_points[self.country_rings[i]:self.country_rings[i + 1] + 1]
        return [self.points[a:b] for a, b in itertools.pairwise(starts)]


def decode(text: str) -> Outlines:
    """Decode a topojson's countries from its delta-encoded, shared arcs (the slow path)."""
    topo = json.loads(text)
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
    rings = [r for own in shapes.values() for r in own]
    country_rings = np.cumsum([0] + [len(own) for own in shapes.values()])
    ring_points = np.cumsum([0] + [len(r) for r in rings])
    points = np.concatenate(rings) if rings else np.zeros((0, 2))
    return _frozen({code: i for i, code in enumerate(shapes)}, country_rings, ring_points, points)


def _frozen(codes: dict[str, int], country_rings: np.ndarray, ring_points: np.ndarray, points: np.ndarray) -> Outlines:
    for array in (country_rings, ring_points, points):
        array.flags.writeable = False
    return Outlines(codes, country_rings, ring_points, points)


def cache_file(path: Path, digest: str) -> Path:
    """The cache file of the topojson `path` whose content has SHA-256 `digest`."""
    return cache_dir() / f"outlines-{path.stem}-{digest[:32]}-v{CACHE_FORMAT}.npz"


def _read_cache(cached: Path) -> Outlines | None:
    try:
        with np.load(cached, allow_pickle=False) as saved:
            codes = [str(c) for c in saved["codes"]]
            outlines = _frozen({c: i for i, c in enumerate(codes)}, saved["country_rings"], saved["ring_points"],
                               saved["points"])  # fmt: skip
    except (OSError, ValueError, KeyError, EOFError):  # missing, truncated or not ours: decode again
        return None
    ok = (len(outlines.country_rings) == len(codes) + 1 and outlines.points.ndim == 2
          and int(outlines.country_rings[-1]) == len(outlines.ring_points) - 1
          and int(outlines.ring_points[-1]) == len(outlines.points))  # fmt: skip
    return outlines if ok else None


def _write_cache(cached: Path, outlines: Outlines) -> None:
    from lib.model.files import write_atomic

    buffer = io.BytesIO()
    np.savez(buffer, codes=np.asarray(list(outlines.codes), dtype=str), country_rings=outlines.country_rings,
             ring_points=outlines.ring_points, points=outlines.points)  # fmt: skip
    try:
        write_atomic(cached, buffer.getvalue())
    except OSError:  # a read-only checkout: keep the decoded outlines in memory only
        pass


@lru_cache(maxsize=2)
def load_outlines(path: Path = OUTLINES) -> Outlines:
    """The map's outlines, once per process: from the cache file of this exact topojson, else decoded (and cached)."""
    raw = Path(path).read_bytes()
    cached = cache_file(Path(path), hashlib.sha256(raw).hexdigest())
    outlines = _read_cache(cached)
    if outlines is None:
        outlines = decode(raw.decode("utf-8"))
        _write_cache(cached, outlines)
    return outlines


def rings(iso3: str, path: Path = OUTLINES) -> list[np.ndarray]:
    """One country's rings (read-only arrays of lon, lat); [] for a country the map lacks."""
    return load_outlines(path).rings(iso3)


def outlines(path: Path = OUTLINES) -> dict[str, list[np.ndarray]]:
    """Every country's rings (read-only arrays of lon, lat), keyed by ISO-3."""
    found = load_outlines(path)
    return {code: found.rings(code) for code in found.codes}


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
    """Whether the base map has an outline for this country ."""
    return iso3 in load_outlines().codes


def contains(iso3: str, lat: float, lon: float, tolerance: float = BORDER_TOLERANCE) -> bool:
    """Whether (lat, lon) lies inside the country's outline, or within `tolerance` degrees of it."""
    own = rings(iso3)
    if not own:
        return False
    return _inside(own, lon, lat) or _distance(own, lon, lat) <= tolerance


def countries_at(lat: float, lon: float) -> list[str]:
    """The countries whose outline holds the point (for messages: "it lies in Iran")."""
    return [code for code, own in outlines().items() if _inside(own, lon, lat)]


def bounds(codes: Iterable[str]) -> tuple[float, float, float, float] | None:
    """(lon_min, lat_min, lon_max, lat_max) around the given countries' outlines (None if none is known)."""
    found = [r for code in codes for r in rings(code)]
    if not found:
        return None
    points = np.concatenate(found)
    return (float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max()))
