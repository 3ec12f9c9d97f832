"""Taking charts and data out of the dashboard: chart files that carry their own context, the events
as CSV and Excel, and safe file names. No Streamlit here; `lib/ui/downloads.py` adds the buttons.

Static formats (PNG, SVG, PDF) go through kaleido and a system Chrome/Chromium. One kaleido browser
is kept warm per process (started lazily on the first static export, guarded by a lock, since
Streamlit serves sessions from threads), so after the first export each costs a fraction of a
second. The interactive HTML needs no browser on the server: plotly.js and, for maps, the base-map
topojson are embedded, so the file works offline.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import itertools
import json
import os
import re
import shutil
import textwrap
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from lib.errors import DashboardError
from lib.model.dataset import Dataset
from lib.model.filters import Filters
from lib.model.tables import Tables
from lib.paths import TOPOJSON_DIR
from lib.text import XmlReplacements, marked_uncarriable, terminal_safe
from lib.views.aggregate import sources_of
from lib.views.sources import source_dates
from lib.views.style import ChartMeta, plot_text

STATIC_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
FORMATS: tuple[str, ...] = (*STATIC_FORMATS, "html")
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

APP_NAME = "Central Asia, Afghanistan & the Taliban briefing dashboard"
EXPORT_WIDTH = 1600  # a 16:9 slide at 2x: 3200 x 1800 pixels
EXPORT_HEIGHT = 900
EXPORT_SCALE = 2
FOOTER_GAP = 90  # pixels between the plot area and the footer, room for tick labels and axis titles
FOOTER_LINE = 18
FOOTER_WRAP = 170  # characters per footer line at 12 px on a 1600 px figure
MAX_STEM = 120
INSTALL_HINT = (
    "PNG, SVG and PDF are drawn by a Chrome or Chromium browser on the server, and none was found. "
    "Install one (Debian/Ubuntu: `apt-get install chromium`) or point BROWSER_PATH at it, then restart. "
    "The interactive HTML download and the camera button on the chart work without it."
)

_FIGURE_IDS = itertools.count(1)  # unique figcaption ids within one process
_UNSAFE_NAME = re.compile(r"[^a-z0-9-]+")
_UNSAFE_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


class ExportError(DashboardError):
    """A chart or table could not be exported; the message says what to do."""


# ---------------------------------------------------------------------------
# file names


def file_stem(chart: str, filters: Filters) -> str:
    """`stance-toward-taliban_KAZ-TJK_2010-2012`: the chart's name and the view, safe in any file system.

    Only ASCII letters, digits, `-` and `_` survive; the result is at most 120 characters.
    """
    name = _UNSAFE_NAME.sub("-", chart.lower()).strip("-") or "chart"
    view = _UNSAFE_SLUG.sub("-", filters.slug()).strip("-_") or "all"
    stem = f"{name[:60]}_{view}"
    return stem[:MAX_STEM].rstrip("-_")


def file_name(chart: str, filters: Filters, ext: str) -> str:
    """The download name for `chart` in this view with extension `ext` (`…_KAZ-TJK_2010-2012.svg`)."""
    clean_ext = _UNSAFE_NAME.sub("", ext.lower().lstrip(".")) or "bin"
    return f"{file_stem(chart, filters)}.{clean_ext[:8]}"


def clean_stem(stem: str) -> str:
    """Any proposed file stem reduced to ASCII letters, digits, `-` and `_` (at most 120 characters)."""
    return _UNSAFE_SLUG.sub("-", stem).strip("-_")[:MAX_STEM].rstrip("-_") or "chart"


def modebar_config(stem: str) -> dict[str, Any]:
    """Plotly config so the mode-bar camera saves a slide-sized PNG named for the chart and view."""
    safe = clean_stem(stem)
    return {
        "toImageButtonOptions": {
            "format": "png",
            "filename": safe,
            "scale": EXPORT_SCALE,
            "width": EXPORT_WIDTH,
            "height": EXPORT_HEIGHT,
        },
        "displaylogo": False,
    }


# ---------------------------------------------------------------------------
# charts with their own context


def source_articles(events: pd.DataFrame, tables: Tables) -> list[str]:
    """Ids of the articles the given events cite (what a chart drawn from them draws on)."""
    if events.empty:
        return []
    return sorted({str(a) for a in sources_of(events, tables)["article"].unique()})


def _as_text(when: dt.date | dt.datetime | str) -> str:
    if isinstance(when, dt.datetime):
        return when.strftime("%Y-%m-%d %H:%M")
    if isinstance(when, dt.date):
        return when.isoformat()
    return str(when)


def footer_lines(source_line: str, exported_on: dt.date | dt.datetime | str) -> list[str]:
    """The footer text, wrapped: the source line, then the export date and where it came from."""
    lines = textwrap.wrap(source_line, FOOTER_WRAP, break_long_words=True) or [""]
    return [*lines, f"Exported {_as_text(exported_on)} from the {APP_NAME}."]


def export_height(fig: go.Figure) -> int:
    """The height a figure is exported at: a 16:9 slide, or taller if the chart needs it."""
    return max(EXPORT_HEIGHT, int(fig.layout.height or 0))


def with_context(
    fig: go.Figure,
    *,
    source_line: str,
    exported_on: dt.date | dt.datetime | str,
) -> go.Figure:
    """A copy of `fig` that carries its own context: its title and filter subtitle, and a footer
    with the source line and the export date, with room reserved below the plot for the footer.

    The legend moves to the right so the footer's place below the plot does not depend on it.
    """
    out = go.Figure(fig)
    lines = footer_lines(source_line, exported_on)
    footer_px = FOOTER_GAP + FOOTER_LINE * len(lines) + 14
    margin = out.layout.margin
    bottom = max(int(margin.b or 0), footer_px)
    layout_height = int(out.layout.height or 0) or 500
    out.update_layout(
        margin={"b": bottom},
        height=layout_height + max(0, bottom - int(margin.b or 0)),
    )
    if any(getattr(trace, "showlegend", None) is not False for trace in out.data):
        out.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top",
                                  "xref": "paper", "yref": "paper"})  # fmt: skip
    out.add_annotation(
        text="<br>".join(plot_text(line) for line in lines),
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-FOOTER_GAP,
        align="left", showarrow=False, font={"size": 12, "color": "#555555"}, name="export-footer",
    )  # fmt: skip
    if out.layout.title.text is None:
        out.update_layout(title={"text": "Chart"})
    return out


def has_geo(fig: go.Figure) -> bool:
    """True when the figure draws a map (plotly.js then needs base-map topojson)."""
    return any(trace.type in GEO_TRACES for trace in fig.data)


GEO_TRACES = frozenset({"choropleth", "scattergeo"})


def topojson_names(fig: go.Figure) -> list[str]:
    """The base maps plotly.js will look up for the figure's geo subplots (`world_50m`, ...)."""
    if not has_geo(fig):
        return []
    names = []
    full = fig.to_plotly_json()["layout"]
    geo_keys = [k for k in full if re.fullmatch(r"geo\d*", k)] or ["geo"]
    for key in geo_keys:
        geo = full.get(key) or {}
        scope = str(geo.get("scope") or "world").replace(" ", "-")
        resolution = int(geo.get("resolution") or 110)
        names.append(f"{scope}_{resolution}m")
    return sorted(set(names))


def geo_assets_script(names: Iterable[str]) -> str:
    """A <script> that hands plotly.js the base maps it would otherwise fetch from a CDN.

    plotly.js keeps an existing `window.PlotlyGeoAssets` and looks topojson up there by name
    before fetching (src/plots/geo/geo.js), so a page with this script draws maps offline.
    """
    assets: dict[str, Any] = {}
    for name in names:
        path = TOPOJSON_DIR / f"{name}.json"
        if path.is_file():
            assets[name] = json.loads(path.read_text(encoding="utf-8"))
    if not assets:
        return ""
    payload = json.dumps({"topojson": assets}, separators=(",", ":")).replace("<", "\\u003c")
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"Object.assign(window.PlotlyGeoAssets.topojson, ({payload}).topojson);</script>"
    )


OFFLINE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; worker-src blob:"
)


def html_document(title: str, body: str, head_extra: str = "") -> str:
    """A complete HTML page whose Content-Security-Policy lets nothing load from outside the file."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{OFFLINE_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n{head_extra}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def figure_div(fig: go.Figure, *, include_plotlyjs: bool, stem: str = "chart") -> str:
    """The figure as an HTML fragment (plotly.js inlined when asked; never from a CDN), inside a
    `<figure>` named by the chart's title and described by a `<figcaption>` saying what it shows."""
    from lib.views import chart_data, describe

    config = {**modebar_config(stem), "responsive": True}
    plot = fig.to_html(
        include_plotlyjs=include_plotlyjs, full_html=False, config=config, include_mathjax=False,
        default_width="100%", default_height=f"{int(fig.layout.height or EXPORT_HEIGHT)}px",
    )  # fmt: skip
    table = chart_data.table(fig)
    caption_id = f"desc-{clean_stem(stem)}-{next(_FIGURE_IDS)}"
    name = html.escape(chart_data.title(fig) or "Chart")
    return (f'<figure role="figure" aria-label="{name}" aria-describedby="{caption_id}" style="margin:0">\n{plot}\n'
            f'<figcaption id="{caption_id}">{html.escape(describe.describe(fig, table))}</figcaption>\n</figure>')  # fmt: skip


def figure_html(fig: go.Figure, stem: str = "chart") -> bytes:
    """A standalone interactive HTML file that works offline: plotly.js and any base map embedded."""
    title = html.unescape(fig.layout.title.text or "Chart")
    body = geo_assets_script(topojson_names(fig)) + "\n" + figure_div(fig, include_plotlyjs=True, stem=stem)
    return html_document(title, body).encode("utf-8")


# --- a base map cropped to the region, for static exports ------------------

CROPPED_TOPOJSON_DIR = TOPOJSON_DIR / "central-asia"
CROP_BOX = (20.0, 10.0, 110.0, 70.0)  # lon0, lat0, lon1, lat1: every feature reaching into it is kept
CROP_MARGIN = 12.0  # degrees: a map view must lie this far inside CROP_BOX to use the cropped base map


def crop_topojson(topology: dict[str, Any], box: tuple[float, float, float, float]) -> dict[str, Any]:
    """A plotly.js base map (topojson) with only the features that reach into `box`, whole.

    Polygons keep their outer ring and the holes that reach into the box; lines and polygons wholly
    outside are dropped with the arcs only they used, and the kept arcs are renumbered. A map whose
    view lies well inside `box` draws exactly as with the full base map, with far less to parse and
    project: kaleido's Chromium reads the whole file for every static export of a map.
    """
    import numpy as np

    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    bounds = []
    for arc in topology["arcs"]:
        points = np.cumsum(np.asarray(arc, dtype=np.int64).reshape(-1, 2), axis=0)
        lon, lat = points[:, 0] * sx + tx, points[:, 1] * sy + ty
        bounds.append((lon.min(), lat.min(), lon.max(), lat.max()) if len(points) else (0.0, 0.0, 0.0, 0.0))
    arc_bounds = np.asarray(bounds, dtype=np.float64).reshape(-1, 4)
    lon0, lat0, lon1, lat1 = box

    def reaches(rings: list[list[int]]) -> bool:
        ids = [i if i >= 0 else ~i for ring in rings for i in ring]
        if not ids:
            return True  # nothing to place: keep as it is
        b = arc_bounds[ids]
        return bool(b[:, 0].min() <= lon1 and b[:, 2].max() >= lon0 and b[:, 1].min() <= lat1 and b[:, 3].max() >= lat0)

    def polygon(rings: list[list[int]]) -> list[list[int]] | None:
        if not rings:
            return rings
        return [rings[0], *(r for r in rings[1:] if reaches([r]))] if reaches(rings[:1]) else None

    objects: dict[str, Any] = {}
    for name, obj in topology["objects"].items():
        kept = []
        for geometry in obj.get("geometries", []):
            kind, arcs = geometry.get("type"), geometry.get("arcs")
            if kind == "LineString":
                keep = reaches([arcs])
            elif kind == "MultiLineString":
                arcs = [line for line in arcs if reaches([line])]
                keep = bool(arcs)
            elif kind == "Polygon":
                arcs = polygon(arcs)
                keep = arcs is not None
            elif kind == "MultiPolygon":
                arcs = [p for p in (polygon(rings) for rings in arcs) if p is not None]
                keep = bool(arcs)
            else:
                keep = True
            if keep:
                kept.append({**geometry, "arcs": arcs} if "arcs" in geometry else dict(geometry))
        objects[name] = {**obj, "geometries": kept}

    def arc_ids(value: Any) -> Iterable[int]:
        if isinstance(value, int):
            yield value if value >= 0 else ~value
        elif isinstance(value, list):
            for item in value:
                yield from arc_ids(item)

    used = sorted({i for obj in objects.values() for g in obj["geometries"] for i in arc_ids(g.get("arcs", []))})
    new_id = {old: new for new, old in enumerate(used)}

    def renumber(value: Any) -> Any:
        if isinstance(value, int):
            return new_id[value] if value >= 0 else ~new_id[~value]
        return [renumber(item) for item in value]

    for obj in objects.values():
        for geometry in obj["geometries"]:
            if "arcs" in geometry:
                geometry["arcs"] = renumber(geometry["arcs"])
    return {**topology, "objects": objects, "arcs": [topology["arcs"][i] for i in used]}


def static_topojson_url(figure: dict[str, Any]) -> str:
    """Where kaleido finds the base maps for `figure` (a figure dict): the cropped folder when every map
    in it is a world map at 50 m whose view lies inside `CROP_BOX` with `CROP_MARGIN` to spare, else
    the full base maps."""
    return (CROPPED_TOPOJSON_DIR if fits_cropped_base_map(figure) else TOPOJSON_DIR).resolve().as_uri() + "/"


def fits_cropped_base_map(figure: dict[str, Any]) -> bool:
    """True when every map in `figure` (a figure dict, or one with only its "layout") is a world map at 50 m whose
    view lies inside `CROP_BOX` with `CROP_MARGIN` to spare, and the cropped base map is shipped: such a map draws
    the same from `CROPPED_TOPOJSON_DIR` as from the full base map."""
    layout = figure.get("layout") or {}
    geos = [v for k, v in layout.items() if re.fullmatch(r"geo\d*", k)]
    inner = (CROP_BOX[0] + CROP_MARGIN, CROP_BOX[1] + CROP_MARGIN, CROP_BOX[2] - CROP_MARGIN, CROP_BOX[3] - CROP_MARGIN)

    def inside(geo: dict[str, Any]) -> bool:
        lon = (geo.get("lonaxis") or {}).get("range")
        lat = (geo.get("lataxis") or {}).get("range")
        return (str(geo.get("scope") or "world") == "world" and int(geo.get("resolution") or 110) == 50
                and bool(lon) and bool(lat) and inner[0] <= min(lon) and max(lon) <= inner[2]
                and inner[1] <= min(lat) and max(lat) <= inner[3])  # fmt: skip

    return bool(geos) and all(inside(g or {}) for g in geos) and (CROPPED_TOPOJSON_DIR / "world_50m.json").is_file()


# --- kaleido, one warm browser per process ----------------------------------

_KALEIDO_LOCK = threading.RLock()


def _browser_path() -> str | None:
    """The Chrome/Chromium kaleido would use (BROWSER_PATH first), if it exists and is executable."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    found = _found_browser(int(time.monotonic() // BROWSER_SEARCH_SECONDS), os.environ.get("PATH", ""))
    return found if found and os.path.isfile(found) and os.access(found, os.X_OK) else None


BROWSER_SEARCH_SECONDS = 60  # every chart's download row asks; search the disk at most once a minute


@functools.lru_cache(maxsize=1)
def _found_browser(_minute: int, _path: str) -> str | None:
    """Where a Chrome/Chromium is installed (the search, cached per minute and PATH)."""
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - best effort, fall back to PATH
        found = None
    return found or next(
        (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "chrome")) if p), None
    )


def static_export_available() -> tuple[bool, str]:
    """Whether PNG/SVG/PDF export can run here, and a sentence saying why (or how to fix it)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False, "PNG, SVG and PDF need the `kaleido` package: `pip install kaleido`. " + INSTALL_HINT
    path = _browser_path()
    if path is None:
        return False, INSTALL_HINT
    return True, f"Static export draws charts with {path}."


def _server():  # noqa: ANN202 - kaleido's private singleton
    import kaleido

    return kaleido._global_server  # noqa: SLF001


def _ensure_server() -> None:
    """Start the process-wide kaleido browser once (call with _KALEIDO_LOCK held)."""
    import kaleido

    server = _server()
    if server.is_running():
        thread = getattr(server, "_thread", None)
        if thread is not None and thread.is_alive():
            return
        server.close(silence_warnings=True) if thread is None else _forget_server(server)
    ok, why = static_export_available()
    if not ok:
        raise ExportError("Static export unavailable", why)
    pio.defaults.topojson = TOPOJSON_DIR.resolve().as_uri() + "/"
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)


def _forget_server(server: Any) -> None:
    """Drop a server whose thread died (its browser crashed or never started) so a new one can start."""
    for attr in ("_thread", "_task_queue", "_return_queue"):
        if hasattr(server, attr):
            delattr(server, attr)
    server._initialized = False  # noqa: SLF001


def warm_up() -> None:
    """Start the warm kaleido browser now rather than on the first export (no-op if already running)."""
    with _KALEIDO_LOCK:
        _ensure_server()


def shutdown() -> None:
    """Stop the process-wide kaleido browser (it restarts on the next static export)."""
    with _KALEIDO_LOCK:
        _server().close(silence_warnings=True)


def chart_safe(value: Any) -> Any:
    """A figure dict with every string's characters no export can carry (ESC, BEL, NUL, U+FFFE: plotly.js
    fails on them in kaleido) shown as markers (`⟨U+001B⟩`), in arrays of text too; numbers untouched."""
    if isinstance(value, str):
        return marked_uncarriable(value)
    if isinstance(value, dict):
        return {key: chart_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [chart_safe(item) for item in value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        flat = [chart_safe(item.decode("utf-8", "replace") if isinstance(item, bytes) else item) for item in value.ravel().tolist()]
        cleaned = np.empty(len(flat), dtype=object)
        cleaned[:] = flat
        return cleaned.reshape(value.shape)
    return value


def static_image(fig: go.Figure, fmt: str, *, width: int | None = None, height: int | None = None,
                 scale: float = EXPORT_SCALE) -> bytes:  # fmt: skip
    """PNG, SVG or PDF bytes of `fig` from the warm kaleido browser (one export at a time per process)."""
    if fmt not in STATIC_FORMATS:
        raise ValueError(f"not a static format: {fmt!r}")
    import kaleido

    opts = {"format": fmt, "width": width or EXPORT_WIDTH, "height": height or export_height(fig), "scale": scale}
    figure = chart_safe(fig.to_dict())
    with _KALEIDO_LOCK:
        _ensure_server()
        try:
            return kaleido.calc_fig_sync(figure, opts=opts, topojson=static_topojson_url(figure))
        except Exception as error:  # noqa: BLE001 - kaleido/choreographer raise many types
            raise ExportError("Export failed", f"The {fmt.upper()} could not be drawn ({error}). "
                                                "Try again, or download the HTML.") from error  # fmt: skip


def figure_bytes(fig: go.Figure, fmt: str, *, stem: str = "chart") -> bytes:
    """The figure as `fmt` (png, svg, pdf at 1600x900 or taller, PNG at 2x; html standalone offline)."""
    if fmt == "html":
        return figure_html(fig, stem)
    return static_image(fig, fmt)


def export_figure(fig: go.Figure, fmt: str, *, source_line: str, exported_on: dt.date | dt.datetime | str,
                  stem: str = "chart") -> bytes:  # fmt: skip
    """`figure_bytes` of the figure with its context (title, filters, source and export date)."""
    return figure_bytes(with_context(fig, source_line=source_line, exported_on=exported_on), fmt, stem=stem)


# ---------------------------------------------------------------------------
# data

EXPORT_COLUMNS = [
    "id", "date", "precision", "title", "summary", "actor", "target", "countries", "location",
    "place", "place precision", "latitude", "longitude",
    "event type", "stance", "stance label", "quotes", "source dates", "citations",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading single quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def article_reference(article_id: str, dataset: Dataset) -> str:
    """A full citation for one article: author, “title”, outlet, date, and URL if known."""
    article = dataset.articles.get(article_id)
    if article is None:
        return article_id
    return article.citation() + (f" {article.url}" if article.url else "")


def _place_columns(event: Any, meta: ChartMeta) -> dict[str, object]:
    """The event's coded place, its precision in words and its coordinates (empty when it has none)."""
    place = getattr(event, "place", None)
    info = meta.places.get(place) if isinstance(place, str) else None
    if info is None:
        return {"place": "", "place precision": "", "latitude": None, "longitude": None}
    precision = int(event.place_precision)
    return {"place": info.name, "place precision": f"{precision} {meta.place_precision_labels.get(precision, '')}".strip(),
            "latitude": info.lat, "longitude": info.lon}  # fmt: skip


def events_export_frame(events: pd.DataFrame, tables: Tables, dataset: Dataset,
                        meta: ChartMeta | None = None) -> pd.DataFrame:  # fmt: skip
    """One row per event, readable columns, with its verbatim quotes and numbered article citations;
    `source dates` gives, by quote number, the date a source gives where it disagrees with the event's
    (CODEBOOK 18.4: `[2] 2021-08-16: <why the event's date was kept>`)."""
    meta = meta or ChartMeta.from_dataset(dataset)
    own_dates = source_dates(dataset)
    sources = sources_of(events, tables) if len(events) else tables.sources.iloc[:0]
    by_event: dict[str, list[tuple[int, str, str]]] = {}
    for event_id, n, article, quote in zip(sources["event_id"], sources["n"], sources["article"], sources["quote"],
                                           strict=True):  # fmt: skip
        by_event.setdefault(str(event_id), []).append((int(n), str(article), str(quote)))
    rows = []
    for event in events.itertuples(index=False):
        cited = sorted(by_event.get(str(event.id), []))
        dated = [(n, own_dates[(str(event.id), n)]) for n, _, _ in cited if (str(event.id), n) in own_dates]
        rows.append(
            {
                "id": event.id,
                "date": event.date,
                "precision": str(event.precision),
                "title": event.title,
                "summary": event.summary,
                "actor": meta.actor(event.actor),
                "target": "" if pd.isna(event.target) else meta.actor(event.target),
                "countries": ", ".join(meta.country(c.strip()) for c in str(event.countries).split(",") if c.strip()),
                "location": "" if pd.isna(event.location) else event.location,
                **_place_columns(event, meta),
                "event type": meta.type_labels.get(str(event.event_type), str(event.event_type)),
                "stance": int(event.stance),
                "stance label": meta.stance_labels.get(int(event.stance), ""),
                "quotes": "\n".join(f"[{n}] “{quote}”" for n, _, quote in cited),
                "source dates": "\n".join(f"[{n}] {date}: {note}" for n, (date, note) in dated),
                "citations": "\n".join(f"[{n}] {article_reference(article, dataset)}" for n, article, _ in cited),
            }
        )
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def events_csv(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark (Excel opens it right), formula-like cells neutralised."""
    buffer = io.StringIO()
    _neutralised(frame).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_csv(frame: pd.DataFrame) -> bytes:
    """A chart's reader's table (`lib.views.chart_data.table`) as CSV, like the events export."""
    from lib.views.chart_data import display_table

    return events_csv(display_table(frame))


def events_xlsx(frame: pd.DataFrame, *, about: Mapping[str, str] | None = None) -> bytes:
    """The frame as an Excel workbook: an "Events" sheet (wrapped text, frozen header, no formulas)
    and, if given, an "About" sheet of key/value lines (filters, export date, source).

    XLSX is XML and cannot hold most control characters: each is replaced by a visible `⟨U+001B⟩`
    marker (`lib.text.xml_safe`) and the About sheet (created if need be) says where."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    fixes = XmlReplacements()

    def clean(value: object, where: str) -> object:
        if value is None or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, str):
            return fixes.safe(value, where=where)
        if hasattr(value, "item"):  # numpy scalars
            return value.item()
        return value

    def put(ws: Any, row: int, column: int, value: object, where: str) -> Any:
        cell = ws.cell(row=row, column=column, value=clean(value, where))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text is text: never a formula, whatever it starts with
        return cell

    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    data = _neutralised(frame)
    bold = Font(bold=True)
    for c, name in enumerate(data.columns, start=1):
        put(sheet, 1, c, name, f"Events header {c}").font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    names = [str(name) for name in frame.columns]
    ids = frame["id"].astype(str).tolist() if "id" in frame.columns else None
    for r, row in enumerate(data.itertuples(index=False), start=2):
        record = f"event '{terminal_safe(ids[r - 2])}'" if ids else f"Events row {r}"
        for c, value in enumerate(row, start=1):
            put(sheet, r, c, value, f"{record} {names[c - 1]}").alignment = wrap
    widths = {"id": 24, "date": 11, "precision": 9, "title": 40, "summary": 60, "quotes": 70, "source dates": 40, "citations": 70,
              "countries": 24, "location": 18, "event type": 20, "stance": 7, "stance label": 12}  # fmt: skip
    for c, name in enumerate(frame.columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = widths.get(str(name), 18)
    sheet.freeze_panes = "A2"
    if len(data):
        sheet.auto_filter.ref = sheet.dimensions
    lines = dict(about or {})
    if about or fixes:
        info = book.create_sheet("About")
        for r, (key, value) in enumerate(lines.items(), start=1):
            put(info, r, 1, neutralise(key), f"About {key}").font = bold
            put(info, r, 2, neutralise(value), f"About {key}").alignment = wrap
        if fixes:
            r = len(lines) + 1
            put(info, r, 1, "Replaced characters", "About").font = bold
            put(info, r, 2, fixes.summary(), "About").alignment = wrap
        info.column_dimensions["A"].width = 18
        info.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_about(filters: Filters, description: str, source_line: str,
                 exported_on: dt.date | dt.datetime | str) -> dict[str, str]:  # fmt: skip
    """The "About" lines for a data export: what view it is, when, and from where."""
    query = "&".join(f"{k}={v}" for k, v in filters.to_query().items())
    return {
        "Dataset": APP_NAME,
        "Filters": description,
        "Link parameters": query or "(none: all events)",
        "Exported": _as_text(exported_on),
        "Source": source_line,
        "Dates": "As precise as the sources allow: see the precision column (day, month or year).",
    }


__all__ = [
    "FORMATS",
    "MIME_TYPES",
    "STATIC_FORMATS",
    "ExportError",
    "clean_stem",
    "events_csv",
    "events_export_frame",
    "events_xlsx",
    "export_figure",
    "figure_bytes",
    "file_name",
    "file_stem",
    "modebar_config",
    "neutralise",
    "static_export_available",
    "table_csv",
    "with_context",
]
