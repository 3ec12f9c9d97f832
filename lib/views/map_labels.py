"""The map's country labels placed so they do not collide, for a map drawn at a known size (a slide, a deck
picture, a handout page).

Plotly puts a `locations` label at its country's centroid whatever its neighbours: at 14 pt the labels of
Uzbekistan, Turkmenistan, Tajikistan, Kyrgyzstan and Afghanistan pile up. `declutter` takes the labels in
order of their country's events, puts each at its centroid or, when that box is taken, a little above, below
or beside it, and leaves out the label that fits nowhere (its country keeps its colour and its hover). It
works in the map's own pixels: the base map's centroids (the `ct` of the shipped Natural Earth topojson, the
points plotly.js itself labels) through the natural earth projection, fitted to the view as plotly.js fits it.
"""

from __future__ import annotations

import html
import json
import math
from functools import lru_cache

import plotly.graph_objects as go

from lib.paths import ROOT

TOPOJSON = ROOT / "static" / "topojson" / "world_110m.json"
CHAR_EM = 0.62  # a bold label character's width against its font size (generous: DejaVu Sans Bold)
LINE_EM = 1.25  # a label line's height against its font size
PAD_PX = 2  # clear space kept between two labels
Box = tuple[float, float, float, float]  # left, top, right, bottom, in the map's pixels


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    """Each country's label point (lon, lat) by ISO-3 code: the base map's own centroid."""
    data = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    out = {}
    for geometry in data["objects"]["countries"]["geometries"]:
        point = (geometry.get("properties") or {}).get("ct")
        if geometry.get("id") and point:
            out[str(geometry["id"])] = (float(point[0]), float(point[1]))
    return out


def natural_earth(lon: float, lat: float, centre: float = 0.0) -> tuple[float, float]:
    """The natural earth projection (d3's geoNaturalEarth1, plotly's "natural earth") turned to put `centre`
    longitude in the middle, as plotly.js turns it to the middle of the view; y up, in radians."""
    lam, phi = math.radians(lon - centre), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


class MapFrame:
    """Where a lon/lat point falls, in pixels, on a natural earth map of `lon_range` x `lat_range` fitted (its
    shape kept, centred) into a `width` x `height` box."""

    def __init__(self, lon_range: tuple[float, float], lat_range: tuple[float, float], width: float, height: float):
        self.centre = (lon_range[0] + lon_range[1]) / 2
        edge = [self.project(lon_range[0] + (lon_range[1] - lon_range[0]) * i / 20, lat) for i in range(21)
                for lat in lat_range] + [self.project(lon, lat_range[0] + (lat_range[1] - lat_range[0]) * i / 20)
                                         for i in range(21) for lon in lon_range]  # fmt: skip
        xs, ys = [p[0] for p in edge], [p[1] for p in edge]
        self.scale = min(width / (max(xs) - min(xs)), height / (max(ys) - min(ys)))
        self.x_mid, self.y_mid = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        self.width, self.height = width, height
        left, top = self.pixel(lon_range[0], lat_range[1])
        right, bottom = self.pixel(lon_range[1], lat_range[0])
        self.bounds: Box = (max(0.0, min(left, self.pixel(lon_range[0], lat_range[0])[0])), max(0.0, top),
                            min(width, max(right, self.pixel(lon_range[1], lat_range[1])[0])), min(height, bottom))  # fmt: skip

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """The point projected, turned to the view's middle."""
        return natural_earth(lon, lat, self.centre)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """The point's pixel (x from the left, y from the top)."""
        x, y = self.project(lon, lat)
        return self.width / 2 + (x - self.x_mid) * self.scale, self.height / 2 - (y - self.y_mid) * self.scale

    def degrees_per_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """How many degrees of longitude and latitude one pixel right and one pixel down are, near the point."""
        x0, y0 = self.pixel(lon, lat)
        x1, _ = self.pixel(lon + 1, lat)
        _, y1 = self.pixel(lon, lat - 1)
        return 1 / max(1e-9, x1 - x0), 1 / max(1e-9, y1 - y0)


def label_size(text: str, font_px: float) -> tuple[float, float]:
    """About how wide and tall a label ("Name<br>12") is drawn, in pixels."""
    lines = html.unescape(text).split("<br>")
    return max(len(line) for line in lines) * font_px * CHAR_EM, len(lines) * font_px * LINE_EM


def box_at(x: float, y: float, size: tuple[float, float]) -> Box:
    """A label's box centred on (x, y), as plotly.js draws "middle center" text."""
    return x - size[0] / 2, y - size[1] / 2, x + size[0] / 2, y + size[1] / 2


def overlaps(a: Box, b: Box, pad: float = PAD_PX) -> bool:
    """True when the two boxes come closer than `pad`."""
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def inside(a: Box, bounds: Box) -> bool:
    """True when the box lies within `bounds` (the map's drawn area)."""
    return a[0] >= bounds[0] and a[1] >= bounds[1] and a[2] <= bounds[2] and a[3] <= bounds[3]


OFFSETS = ((0, 0), (0, -0.8), (0, 0.8), (0.65, 0), (-0.65, 0), (0.6, -0.7), (-0.6, -0.7), (0.6, 0.7), (-0.6, 0.7))
# a label's tries, in label widths (x) and heights (y) from its centroid: on it, above, below, right, left, corners


def place(labels: list[tuple[str, str, float]], frame: MapFrame, font_px: float) -> dict[str, tuple[float, float, Box, str]]:
    """Where each label goes: `labels` are (country code, text, rank), the highest rank placed first; returns
    code -> (lon, lat, box, text) for the labels that fit, clear of each other and inside the map. A label that
    fits nowhere on two lines tries one ("Kyrgyzstan 3": less tall, it slips between its neighbours)."""
    points = centroids()
    placed: dict[str, tuple[float, float, Box, str]] = {}
    for code, text, _ in sorted(labels, key=lambda item: -item[2]):
        if code not in points or not text:
            continue
        lon, lat = points[code]
        x, y = frame.pixel(lon, lat)
        per_x, per_y = frame.degrees_per_pixel(lon, lat)
        for shown in dict.fromkeys((text, text.replace("<br>", " "))):
            size = label_size(shown, font_px)
            for dx, dy in OFFSETS:
                box = box_at(x + dx * size[0], y + dy * size[1], size)
                if inside(box, frame.bounds) and not any(overlaps(box, other[2]) for other in placed.values()):
                    placed[code] = (lon + dx * size[0] * per_x, lat - dy * size[1] * per_y, box, shown)
                    break
            if code in placed:
                break
    return placed


def _label_trace(fig: go.Figure) -> int | None:
    for n, trace in enumerate(fig.data):
        if trace.type == "scattergeo" and trace.mode == "text" and trace.locations is not None:
            return n
    return None


def _ranks(fig: go.Figure) -> dict[str, float]:
    """Each country's events (the choropleth's customdata, column 2), to place the busiest labels first."""
    for trace in fig.data:
        if trace.type == "choropleth" and trace.customdata is not None and trace.locations is not None:
            return {str(code): float(row[2]) for code, row in zip(trace.locations, trace.customdata, strict=True)}
    return {}


def map_frame(fig: go.Figure, width: float, height: float) -> MapFrame:
    """The frame of `fig`'s map drawn `width` x `height` pixels: its lon/lat ranges and its plot area's size, the
    figure's margins and the map's domain taken off."""
    geo = fig.layout.geo
    margin = fig.layout.margin
    domain_x = geo.domain.x or (0, 1)
    domain_y = geo.domain.y or (0, 1)
    plot_w = (width - (margin.l or 0) - (margin.r or 0)) * (domain_x[1] - domain_x[0])
    plot_h = (height - (margin.t or 0) - (margin.b or 0)) * (domain_y[1] - domain_y[0])
    return MapFrame(tuple(geo.lonaxis.range), tuple(geo.lataxis.range), plot_w, plot_h)


def declutter(fig: go.Figure, width: float, height: float) -> go.Figure:
    """`fig` (changed in place, and returned) with its country labels placed clear of each other for a map
    drawn `width` x `height` pixels (the figure's, margins and domain taken off): moved a little where their
    centroid's place is taken, left out where they fit nowhere. A figure without such labels is returned as
    it is."""
    n = _label_trace(fig)
    if n is None:
        return fig
    trace = fig.data[n]
    geo = fig.layout.geo
    if geo.lonaxis.range is None or geo.lataxis.range is None or geo.projection.type not in (None, "natural earth"):
        return fig
    frame = map_frame(fig, width, height)
    codes, texts = [str(c) for c in trace.locations], [str(t) for t in (trace.text or [])]
    if len(texts) != len(codes):
        return fig
    ranks = _ranks(fig)
    flags = trace.meta if isinstance(trace.meta, (list, tuple)) else None
    if flags is not None and len(flags) == len(codes):
        # the countries the map is about first: the Central Asian states (flagged by region_map in the trace's
        # `meta`) and any country with as many events as the busiest of them (Afghanistan, mostly); then the rest
        flagged = {c for c, flag in zip(codes, flags, strict=True) if bool(flag)}
        bar = max((ranks.get(c, 0.0) for c in flagged), default=math.inf)
        ranks = {c: ranks.get(c, 0.0) + (1e9 if c in flagged or ranks.get(c, 0.0) >= bar else 0.0) for c in codes}
    font = float(trace.textfont.size or 12)
    placed = place([(c, t, ranks.get(c, 0.0)) for c, t in zip(codes, texts, strict=True)], frame, font)
    keep = [i for i, c in enumerate(codes) if c in placed]

    def pick(values: object) -> object:
        if isinstance(values, (list, tuple)) or hasattr(values, "tolist"):
            items = list(values)  # type: ignore[arg-type]
            return [items[i] for i in keep] if len(items) == len(codes) else items
        return values

    trace.update(locations=None, locationmode=None, meta=pick(trace.meta), lon=[placed[codes[i]][0] for i in keep],
                 lat=[placed[codes[i]][1] for i in keep], text=[placed[codes[i]][3] for i in keep],
                 textfont={"color": pick(trace.textfont.color), "shadow": pick(trace.textfont.shadow)})  # fmt: skip
    return fig


def label_boxes(fig: go.Figure, width: float, height: float) -> list[tuple[str, Box]]:
    """The drawn boxes (text, box) of a figure's lon/lat text labels at `width` x `height`: what a test checks."""
    frame = map_frame(fig, width, height)
    out = []
    for trace in fig.data:
        if trace.type == "scattergeo" and trace.mode == "text" and trace.lon is not None:
            font = float(trace.textfont.size or 12)
            for lon, lat, text in zip(trace.lon, trace.lat, trace.text, strict=True):
                out.append((str(text), box_at(*frame.pixel(lon, lat), label_size(str(text), font))))
    return out
