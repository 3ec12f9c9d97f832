"""Dashboard figures as native, editable PowerPoint charts (python-pptx), built from the figure's own traces.

Bars become a column chart (a bar chart when horizontal), stacked as the figure stacks them; scatter and line
traces (the timeline, the stance chart, an event's spotlight) become an XY scatter chart with dates on the
x axis. Every series holds exactly its trace's points, in order; a step line (`line.shape == "hv"`) gets
a corner point without a marker between two points. Row names and stance levels, which Plotly writes as tick
text, are the data labels of a last, unlisted series along the left edge. Maps and heatmaps cannot be drawn
this way: `can_draw` says no, and the deck places them as pictures.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
import numbers
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # serial day 0 of Excel (and PowerPoint chart) dates
MIN_PT = 14  # no chart text smaller than this on a slide
TEXT_PT = 16  # axis labels, legend and row names
TITLE_PT = 20
LABEL_SERIES = "row names"  # the unlisted last series that carries the y axis's tick text
PADDING_SERIES = "padding"  # the unlisted first series of empty points (for LibreOffice; see _xy_chart)
SIDE_LEGEND_AFTER = 6  # more legend entries than this go in a column on the right
LEGEND_MIN_PT = MIN_PT  # a long legend's text (on the right)
NAME_CHARS = 32  # row names and series names longer than this are clipped with "…" (the full name stays in the data)
LEGEND_KEY_IN = 0.45  # a legend entry's key (line and marker) and the gap after it
AXIS_LABELS_IN = 0.55  # the date axis's labels under the plot area
CHAR_EM = 0.55  # an average character's width, in ems, to estimate how much room text takes
SYMBOLS = {"circle": "CIRCLE", "square": "SQUARE", "diamond": "DIAMOND", "triangle-up": "TRIANGLE",
           "triangle-down": "TRIANGLE", "triangle-left": "TRIANGLE", "triangle-right": "TRIANGLE", "star": "STAR",
           "cross": "PLUS", "x": "X", "pentagon": "DIAMOND", "hexagon": "CIRCLE", "hourglass": "X", "bowtie": "X", "hexagram": "STAR",
           "star-triangle-up": "STAR", "star-triangle-down": "STAR", "star-square": "STAR", "star-diamond": "STAR",
           "diamond-wide": "DIAMOND", "diamond-tall": "DIAMOND", "circle-cross": "PLUS", "square-x": "X",
           "triangle-ne": "TRIANGLE", "triangle-sw": "TRIANGLE", "octagon": "CIRCLE"}  # fmt: skip


def _values(array: Any) -> list:
    """A trace's array (tuple, list or numpy array, or None) as a list."""
    if array is None:
        return []
    if getattr(array, "dtype", None) is not None and array.dtype.kind == "M":  # numpy dates: tolist() gives integers
        import pandas as pd

        return [None if pd.isna(v) else v for v in pd.DatetimeIndex(array).to_pydatetime().tolist()]
    return array.tolist() if hasattr(array, "tolist") else list(array)


def _has_points(trace: Any) -> bool:
    xs = getattr(trace, "x", None)
    return xs is not None and any(v is not None for v in xs)


def kind(fig: go.Figure) -> str | None:
    """"bar", "xy" or None: how the figure can be drawn as a native chart (None: a picture)."""
    types = {t.type for t in fig.data}
    if not types <= {"bar", "scatter"} or not any(_has_points(t) for t in fig.data):
        return None
    if types == {"bar"}:
        return "bar"
    if types == {"scatter"}:
        y_type = fig.layout.yaxis.type
        if y_type not in (None, "-", "linear", "category") or fig.layout.xaxis.type not in (None, "-", "date", "linear"):
            return None
        return "xy"
    return None


def can_draw(fig: go.Figure) -> bool:
    """True when `fig` can be a native chart (bars, or scatter and line traces); False for maps and heatmaps."""
    return kind(fig) is not None


def text(value: object) -> str:
    """Plotly label text as plain text: entities decoded, line breaks as spaces."""
    return html.unescape(str(value or "")).replace("<br>", " ")


def x_number(value: object) -> float | None:
    """A trace's x value as a number: dates as Excel serial days (what a PowerPoint date axis holds)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    import pandas as pd

    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return (stamp.tz_localize(None) if stamp.tzinfo else stamp).to_pydatetime().__sub__(EXCEL_EPOCH).total_seconds() / 86400


def y_positions(fig: go.Figure) -> dict[str, float] | None:
    """For a category y axis, each category's position (0 at the bottom, as Plotly draws it); None for numbers."""
    values = [v for t in fig.data for v in _values(t.y) if v is not None]
    if fig.layout.yaxis.type != "category" and all(isinstance(v, numbers.Real) for v in values):
        return None
    seen = list(dict.fromkeys(str(v) for v in values))
    order = fig.layout.yaxis.categoryorder
    listed = fig.layout.yaxis.categoryarray
    if order == "array" and listed is not None:  # Plotly's order: the array's first category at the bottom
        ranks = {str(c): n for n, c in enumerate(listed)}
        seen.sort(key=lambda c: ranks.get(c, len(ranks)))
    elif order == "category ascending":
        seen.sort()
    elif order == "category descending":
        seen.sort(reverse=True)
    return {c: float(n) for n, c in enumerate(seen)}


def trace_points(fig: go.Figure, trace: Any) -> list[tuple[float | None, float | None]]:
    """A scatter trace's points as (x, y) numbers, gaps (None) kept: the data a native series must hold."""
    positions = y_positions(fig)
    xs, ys = _values(trace.x), _values(trace.y)
    out = []
    for x, y in zip(xs, ys, strict=True):
        if y is not None and positions is not None:
            y = positions[str(y)]
        out.append((x_number(x), None if y is None or (isinstance(y, float) and math.isnan(y)) else float(y)))
    return out


def row_labels(fig: go.Figure) -> list[tuple[float, str]]:
    """The y axis's named ticks (position, text): the tick text, or the categories; none for a plain number axis."""
    axis = fig.layout.yaxis
    if axis.tickvals is not None and axis.ticktext is not None:
        return [(float(v), text(t)) for v, t in zip(axis.tickvals, axis.ticktext, strict=False)]
    positions = y_positions(fig)
    return [(p, text(c)) for c, p in positions.items()] if positions else []


def _colour(value: object, default: str = "777777") -> str:
    if isinstance(value, str) and value.startswith("#"):
        hexa = value.lstrip("#")
        return "".join(c * 2 for c in hexa) if len(hexa) == 3 else hexa[:6]
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        values = _values(value)
        return _colour(values[0], default) if values else default
    return default


def _alpha(element: Any, opacity: float) -> None:
    """Make the solid colours under `element` see-through (python-pptx has no setter for alpha)."""
    from pptx.oxml.ns import qn

    for srgb in element.iter(qn("a:srgbClr")):
        alpha = srgb.makeelement(qn("a:alpha"), {"val": str(int(opacity * 100000))})
        srgb.append(alpha)


def _hide_legend_entries(chart: Any, indexes: Sequence[int]) -> None:
    """Leave series out of the legend (Plotly's `showlegend=False`)."""
    from pptx.oxml.ns import qn

    if not chart.has_legend or not indexes:
        return
    legend = chart.legend._element
    anchor = legend.find(qn("c:legendPos"))
    for idx in sorted(indexes, reverse=True):
        entry = legend.makeelement(qn("c:legendEntry"), {})
        entry.append(entry.makeelement(qn("c:idx"), {"val": str(idx)}))
        entry.append(entry.makeelement(qn("c:delete"), {"val": "1"}))
        if anchor is not None:
            anchor.addnext(entry)
        else:
            legend.insert(0, entry)


def _manual_plot_area(chart: Any, x: float, y: float, w: float, h: float) -> None:
    """Fix the plot area's inner rectangle (shares of the chart), so the row names have room on its left."""
    from pptx.oxml.ns import qn

    _manual_layout(chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea")), x, y, w, h)


def _manual_layout(element: Any, x: float, y: float, w: float, h: float, *, target: bool = True) -> None:
    """Place a plot area or a legend by hand (shares of the chart's width and height)."""
    from pptx.oxml.ns import qn

    old = element.find(qn("c:layout"))
    layout = element.makeelement(qn("c:layout"), {})
    manual = layout.makeelement(qn("c:manualLayout"), {})
    tags = (("layoutTarget", "inner"),) if target else ()
    for tag, val in (*tags, ("xMode", "edge"), ("yMode", "edge"), ("x", x), ("y", y), ("w", w), ("h", h)):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": val if isinstance(val, str) else str(round(val, 3))}))
    layout.append(manual)
    if old is not None:
        old.addprevious(layout)
        element.remove(old)
    elif element.tag == qn("c:plotArea"):
        element.insert(0, layout)
    else:  # a legend: after its position and entries
        anchor = element.findall(qn("c:legendEntry")) or element.findall(qn("c:legendPos"))
        anchor[-1].addnext(layout)


def title_lines(title: str, pt: float, width_in: float) -> int:
    """About how many lines a bold chart title takes in a chart `width_in` wide (generously: LibreOffice wraps
    it inside about 85% of the chart's width)."""
    return math.ceil(len(title) * pt * 0.62 / 72 / max(0.5, 0.85 * width_in - 0.3)) if title else 0


def title_pt(title: str, width_in: float, lines: int = 2) -> int:
    """The title's size: TITLE_PT, or smaller (never under MIN_PT) so it takes at most `lines` lines of a chart
    `width_in` wide (a small chart beside text, e.g. an event's spotlight, keeps its plot)."""
    for pt in range(TITLE_PT, MIN_PT - 1, -1):
        if title_lines(title, pt, width_in) <= lines:
            return pt
    return MIN_PT


def _style_text(chart: Any, title: str, width_in: float | None = None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    chart.font.size = Pt(TEXT_PT)
    chart.font.color.rgb = RGBColor(0x22, 0x22, 0x22)
    chart.has_title = bool(title)
    if title:
        chart.chart_title.text_frame.text = title
        for paragraph in chart.chart_title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(TITLE_PT if width_in is None else title_pt(title, width_in))
                run.font.bold = True


def clip_name(name: str, chars: int = NAME_CHARS) -> str:
    """A row or series name short enough for a slide's chart: clipped at a word with "…" when longer."""
    if len(name) <= chars:
        return name
    cut = name[: chars - 1]
    if name[chars - 1] != " " and " " in cut[chars // 2 :]:  # not mid-word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,(") + "…"


def figure_title(fig: go.Figure) -> str:
    """The figure's title as plain text."""
    return text(fig.layout.title.text)


def add_chart(slide: Any, fig: go.Figure, box: tuple[float, float, float, float], *, title: bool = True) -> Any:
    """Draw `fig` on `slide` as a native chart in `box` (inches: left, top, width, height); the graphic frame.
    `title=False` leaves the figure's title out (a small chart beside text that says what it is)."""
    found = kind(fig)
    if found == "bar":
        return _bar_chart(slide, fig, box, title)
    if found == "xy":
        return _xy_chart(slide, fig, box, title)
    raise ValueError("this figure cannot be a native chart: place it as a picture")


# ---------------------------------------------------------------------------
# bars


def bar_categories(fig: go.Figure) -> list[object]:
    """The bar chart's categories: every bar position of every trace, in order; whole numbers (years) as an
    unbroken run, so a year without events stays a gap as on the dashboard's numeric axis."""
    horizontal = fig.data[0].orientation == "h"
    found = list(dict.fromkeys(v for t in fig.data for v in _values(t.y if horizontal else t.x) if v is not None))
    if found and all(isinstance(v, numbers.Real) and float(v).is_integer() for v in found):
        return list(range(int(min(found)), int(max(found)) + 1))  # type: ignore[arg-type]
    return found


def _bar_chart(slide: Any, fig: go.Figure, box: tuple[float, float, float, float], title: bool = True) -> Any:
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    horizontal = fig.data[0].orientation == "h"
    stacked = fig.layout.barmode in ("stack", "relative")
    categories = bar_categories(fig)
    data = CategoryChartData()
    data.categories = [text(c) for c in categories]
    for trace in fig.data:
        where, value = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        by = {}
        for c, v in zip(_values(where), _values(value), strict=True):
            if c is not None and v is not None:
                by[int(c) if isinstance(c, numbers.Real) and float(c).is_integer() else c] = float(v)
        data.add_series(text(trace.name), [by.get(c) for c in categories])
    chart_type = {(False, True): XL_CHART_TYPE.COLUMN_STACKED, (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
                  (True, True): XL_CHART_TYPE.BAR_STACKED, (True, False): XL_CHART_TYPE.BAR_CLUSTERED}[(horizontal, stacked)]  # fmt: skip
    frame = slide.shapes.add_chart(chart_type, *(Inches(v) for v in box), data)
    chart = frame.chart
    _style_text(chart, figure_title(fig) if title else "")
    chart.has_legend = len(fig.data) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(TEXT_PT)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    chart.value_axis.tick_labels.font.size = Pt(TEXT_PT)
    chart.category_axis.tick_labels.font.size = Pt(TEXT_PT)
    value_title = text(fig.layout.xaxis.title.text if horizontal else fig.layout.yaxis.title.text)
    if value_title:
        chart.value_axis.has_title = True
        chart.value_axis.axis_title.text_frame.text = value_title
        chart.value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(TEXT_PT)
    chart.plots[0].gap_width = 40
    if stacked:
        chart.plots[0].overlap = 100
    for series, trace in zip(chart.series, fig.data, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(_colour(trace.marker.color))
    return frame


# ---------------------------------------------------------------------------
# scatter and lines


def _year_axis(low: float, high: float, first_marker: float | None = None) -> tuple[float, float, float]:
    """Minimum, maximum and step of a date axis that ticks on years (serial days). Ticks are 365.25 days apart
    from 18:00 on 1 January, so each falls on 1 or 2 January whatever the leap years (and reads as its year);
    a span's line may start earlier (its first hours are cut), a marker may not (`first_marker`)."""
    year = (EXCEL_EPOCH + dt.timedelta(days=low)).year
    start = (dt.datetime(year, 1, 1) - EXCEL_EPOCH).days + 0.75
    if first_marker is not None and start > first_marker:  # an event in the first hours of 1 January
        year -= 1
        start = (dt.datetime(year, 1, 1) - EXCEL_EPOCH).days + 0.75
    years = max(math.ceil((high - start) / 365.25), 1)
    step = next(s for s in (1, 2, 5, 10, 20, 50) if years / s <= 10)
    if step > 1 and year % step:  # ticks on round years (2000, 2005, ...)
        year -= year % step
        start = (dt.datetime(year, 1, 1) - EXCEL_EPOCH).days + 0.75
        years = max(math.ceil((high - start) / 365.25), 1)
    return start, start + math.ceil(years / step) * step * 365.25, step * 365.25


def series_points(fig: go.Figure, trace: Any) -> tuple[list[tuple[float | None, float | None]], list[int]]:
    """The points a trace's native series holds, and the indexes of the corners a step line adds (no marker)."""
    points = trace_points(fig, trace)
    if trace.line.shape != "hv" or "lines" not in (trace.mode or ""):
        return points, []
    out: list[tuple[float | None, float | None]] = []
    corners = []
    for n, (x, y) in enumerate(points):
        if n and x is not None and y is not None and points[n - 1][0] is not None and points[n - 1][1] is not None:
            corners.append(len(out))
            out.append((x, points[n - 1][1]))
        out.append((x, y))
    return out, corners


ROW_PT_SPACING = 1.35  # a row of a chart's row names takes this many times its type size


def rows_that_fit(height_in: float) -> int:
    """How many named rows a chart `height_in` inches tall holds with its row names at `TEXT_PT`, one clear of the
    next (the title, the axis and a legend take about 1.6 in)."""
    return max(4, int((height_in - 1.6) * 72 / (TEXT_PT * ROW_PT_SPACING)))


Drawn = list[tuple[Any, list[tuple[float | None, float | None]], list[int]]]


def top_rows(drawn: Drawn, labels: list[tuple[float, str]], room: int) -> tuple[Drawn, list[tuple[float, str]], int]:
    """A chart of more named rows than `room` keeps the rows with the most points (a highlighted point's row, drawn
    larger than the others, always), in their order; points of the other rows are left out. Returns the series'
    points with the kept rows renumbered 0.., the kept rows' labels, and how many rows were left out. Charts
    whose named ticks are not rows one apart (the stance levels fit anyway) are returned as they are."""
    positions = sorted(y for y, _ in labels)
    if len(labels) <= room or any(b - a != 1 for a, b in itertools.pairwise(positions)):
        return drawn, labels, 0
    counts = {y: 0 for y in positions}
    sizes = {id(trace): trace.marker.size for trace, _, _ in drawn if isinstance(trace.marker.size, numbers.Real)}
    largest, smallest = max(sizes.values(), default=0), min(sizes.values(), default=0)
    highlighted = set()
    for trace, points, _ in drawn:
        if "markers" not in (trace.mode or ""):
            continue
        for _, y in points:
            if y is not None and round(y) in counts:
                counts[round(y)] += 1
                if largest > smallest and sizes.get(id(trace)) == largest:
                    highlighted.add(round(y))
    ranked = sorted(counts, key=lambda y: (y not in highlighted, -counts[y], -y))
    kept = sorted(ranked[:room])
    renumber = {row: float(n) for n, row in enumerate(kept)}
    out: Drawn = []
    for trace, points, corners in drawn:
        moved = [(x, None if y is None or round(y) not in renumber else renumber[round(y)] + (y - round(y)))
                 for x, y in points]  # fmt: skip
        out.append((trace, moved, corners))
    names = {round(y): name for y, name in labels}
    return out, [(renumber[row], names[row]) for row in kept], len(labels) - len(kept)


def _xy_chart(slide: Any, fig: go.Figure, box: tuple[float, float, float, float], title: bool = True) -> Any:
    from pptx.chart.data import XyChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import (
        XL_AXIS_CROSSES,
        XL_CHART_TYPE,
        XL_LABEL_POSITION,
        XL_LEGEND_POSITION,
        XL_MARKER_STYLE,
        XL_TICK_LABEL_POSITION,
        XL_TICK_MARK,
    )
    from pptx.util import Inches, Pt

    dates = fig.layout.xaxis.type == "date" or any(
        isinstance(v, str) or hasattr(v, "year") for t in fig.data for v in _values(t.x) if v is not None)
    drawn = [(trace, *series_points(fig, trace)) for trace in fig.data]
    labels = row_labels(fig)
    drawn, labels, left_out = top_rows(drawn, labels, rows_that_fit(box[3]))
    xs = [x for _, pts, _ in drawn for x, y in pts if x is not None and y is not None]
    low, high = (min(xs), max(xs)) if xs else (0.0, 1.0)
    if dates:
        marked = [x for t, pts, _ in drawn if "markers" in (t.mode or "") for x, y in pts if x is not None and y is not None]
        x_min, x_max, x_step = _year_axis(low, high, min(marked) if marked else low)
    else:
        pad = (high - low) * 0.05 or 1.0
        x_min, x_max, x_step = low - pad, high + pad, None
    data = XyChartData()
    # LibreOffice drops every series shorter than a later one unless the first series is the longest: an
    # unlisted first series of empty points, as long as the longest, keeps them all (PowerPoint needs none)
    padding = data.add_series(PADDING_SERIES)
    for _ in range(max([len(pts) for _, pts, _ in drawn] + [len(labels), 1])):
        padding.add_data_point(x_min, None)
    for trace, points, _ in drawn:
        series = data.add_series(clip_name(text(trace.name)) if trace.showlegend is not False else "")
        for x, y in points:
            series.add_data_point(x, y)
    if labels:  # the row names' series: one point per named tick on the left edge, its name as the data label
        series = data.add_series(LABEL_SERIES)
        for y, _ in labels:
            series.add_data_point(x_min, y)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES, *(Inches(v) for v in box), data)
    chart = frame.chart
    kept = f" (the {len(labels)} rows with most events of {len(labels) + left_out})" if left_out else ""
    _style_text(chart, figure_title(fig) + kept if title else "", box[2])
    plot_series = list(chart.plots[0].series)
    plot_series[0].format.line.fill.background()
    plot_series[0].marker.style = XL_MARKER_STYLE.NONE
    hidden = [0]
    for n, ((trace, points, corners), series) in enumerate(zip(drawn, plot_series[1:], strict=False), start=1):
        series.smooth = False
        mode = trace.mode or "lines+markers"
        colour = _colour(trace.line.color if trace.line.color else trace.marker.color)
        if "lines" in mode:
            series.format.line.color.rgb = RGBColor.from_string(colour)
            series.format.line.width = Pt(max(0.75, float(trace.line.width or 2) * 0.75))
            if trace.opacity is not None and trace.opacity < 1:
                _alpha(series.format.line._get_or_add_ln(), float(trace.opacity))
        else:
            series.format.line.fill.background()
        if "markers" in mode:
            _style_marker(series.marker, trace, trace.marker.symbol, RGBColor, XL_MARKER_STYLE, Pt)
            symbols = trace.marker.symbol
            if isinstance(symbols, (list, tuple)) or hasattr(symbols, "tolist"):
                symbols = list(symbols)
                symbol_of = _symbols_by_point(symbols, len(points), corners)
                for idx, symbol in symbol_of.items():
                    _style_marker(series.points[idx].marker, trace, symbol, RGBColor, XL_MARKER_STYLE, Pt)
        else:
            series.marker.style = XL_MARKER_STYLE.NONE
        for idx in corners:  # a step's corner: part of the line, not a data point
            series.points[idx].marker.style = XL_MARKER_STYLE.NONE
        if trace.showlegend is False or not trace.name:
            hidden.append(n)
    if labels:
        series = plot_series[-1]
        series.format.line.fill.background()
        series.marker.style = XL_MARKER_STYLE.NONE
        for idx, (_, name) in enumerate(labels):
            label = series.points[idx].data_label
            label.has_text_frame = True
            label.text_frame.text = clip_name(name)
            label.text_frame._bodyPr.set("wrap", "none")  # one line, as a tick label (LibreOffice wraps otherwise)
            label.position = XL_LABEL_POSITION.LEFT
            label.font.size = Pt(TEXT_PT)
        hidden.append(len(plot_series) - 1)
    x_axis, y_axis = chart.category_axis, chart.value_axis
    x_axis.minimum_scale, x_axis.maximum_scale = x_min, x_max
    if x_step:
        x_axis.major_unit = x_step
    if dates:
        x_axis.tick_labels.number_format = "yyyy"
        x_axis.tick_labels.number_format_is_linked = False
    x_axis.tick_labels.font.size = Pt(TEXT_PT)
    x_axis.has_major_gridlines = True
    x_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE4, 0xE4, 0xE4)
    y_range = fig.layout.yaxis.range
    if labels:  # rows (or levels) one apart: gridlines half-way between them separate the rows
        values = [y for y, _ in labels]
        y_axis.minimum_scale, y_axis.maximum_scale = min(values) - 0.5, max(values) + 0.5
        y_axis.major_unit = 1
    elif y_range is not None:
        y_axis.minimum_scale, y_axis.maximum_scale = float(y_range[0]), float(y_range[1])
    y_axis.crosses = XL_AXIS_CROSSES.MINIMUM  # the x axis along the bottom, not through y = 0
    x_axis.crosses = XL_AXIS_CROSSES.MINIMUM
    y_axis.has_major_gridlines = True
    y_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE4, 0xE4, 0xE4)
    if labels:
        y_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
        y_axis.major_tick_mark = XL_TICK_MARK.NONE
        y_axis.format.line.fill.background()
    else:
        y_axis.tick_labels.font.size = Pt(TEXT_PT)
    entries = [clip_name(text(t.name)) for t, _, _ in drawn if t.showlegend is not False and t.name]
    chart.has_legend = bool(entries)
    side = len(entries) > SIDE_LEGEND_AFTER  # many parties: a column on the right, as the rows of a list
    legend_pt = LEGEND_MIN_PT if side else TEXT_PT
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.RIGHT if side else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(legend_pt)
        _hide_legend_entries(chart, hidden)
    if labels:  # the plot area placed by hand: room on its left for the row names, above for the title
        width, height = box[2], box[3]
        longest = max(len(clip_name(name)) for _, name in labels)
        left = min(0.4, max(0.08, (longest * TEXT_PT * CHAR_EM / 72 + 0.3) / width))
        title_text = figure_title(fig) + kept
        size = title_pt(title_text, width)
        lines = title_lines(title_text, size, width) if chart.has_title else 0
        top = (0.2 + lines * size * 1.5 / 72) / height
        right, legend_lines = 0.02, 0
        if side:
            right = (max(len(e) for e in entries) * legend_pt * CHAR_EM / 72 + 0.7) / width
            _manual_layout(chart.legend._element, 1 - right + 0.01, top, right - 0.02, 1 - top - 0.02, target=False)
        elif entries:
            legend_lines = legend_rows(entries, width * 0.85)
        bottom = (AXIS_LABELS_IN + legend_lines * TEXT_PT * 1.5 / 72) / height
        if legend_lines:  # placed under the axis's labels: left to LibreOffice, its first row sat on them
            top_of_legend = 1 - bottom + (AXIS_LABELS_IN - 0.05) / height
            _manual_layout(chart.legend._element, 0.04, top_of_legend, 0.92, 1 - top_of_legend, target=False)
        _manual_plot_area(chart, round(left, 3), round(top, 3), round(max(0.2, 1 - left - right), 3),
                          round(max(0.3, 1 - top - bottom), 3))  # fmt: skip
    return frame


def legend_rows(entries: Sequence[str], width_in: float, pt: float = TEXT_PT) -> int:
    """How many rows a bottom legend of `entries` takes in `width_in` inches: the more of two layouts, entries
    flowing each as wide as its text, or (as LibreOffice draws it) a grid whose columns are as wide as the
    widest entry."""
    widths = [len(e) * pt * CHAR_EM / 72 + LEGEND_KEY_IN for e in entries]
    if not widths:
        return 0
    flowing = math.ceil(sum(widths) / width_in)
    columns = max(1, int(width_in // max(widths)))
    return max(flowing, math.ceil(len(widths) / columns))


def _symbols_by_point(symbols: list, count: int, corners: list[int]) -> dict[int, str]:
    """Each real point's own symbol, at its index in the series (the corners a step line adds skipped)."""
    out, n = {}, 0
    corner_set = set(corners)
    for idx in range(count):
        if idx in corner_set:
            continue
        if n < len(symbols):
            out[idx] = str(symbols[n])
        n += 1
    return out


def _style_marker(marker: Any, trace: Any, symbol: object, rgb: Any, styles: Any, pt: Any) -> None:
    name = str(symbol if isinstance(symbol, str) else "circle")
    hollow = name.endswith("-open")
    base = name.removesuffix("-open")
    marker.style = getattr(styles, SYMBOLS.get(base, "CIRCLE"))
    size = trace.marker.size
    if size is not None and not isinstance(size, (int, float)):
        size = (_values(size) or [8])[0]
    size = float(size or 8)
    marker.size = max(3, min(40, round(size * 0.75)))
    colour = _colour(trace.marker.color, _colour(trace.line.color))
    edge = _colour(trace.marker.line.color, colour) if trace.marker.line is not None else colour
    if hollow:
        marker.format.fill.background()
        marker.format.line.color.rgb = rgb.from_string(colour)
        marker.format.line.width = pt(2)
    else:
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = rgb.from_string(colour)
        marker.format.line.color.rgb = rgb.from_string(edge)
        marker.format.line.width = pt(1)
