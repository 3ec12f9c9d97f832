"""Figure builders shaped like Plotly Express: a frame in, a titled `go.Figure` out, no Streamlit.

Each builder takes the already-filtered events and a `ChartMeta`, and sets a title that says what
the chart shows and a subtitle that states the active filters. The same figures feed the pages,
the exports and the briefing pack.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lib.model.schema import display_date
from lib.model.tables import Tables, codes_of, in_view
from lib.views import palette, period_labels
from lib.views.aggregate import (
    Direction,
    country_summary,
    counts_by_year,
    month_numbers,
    quarterly_means,
    stance_events,  # fmt: skip
    stance_matrix,
)
from lib.views.map_points import Layers, fit_view, place_points, point_traces
from lib.views.style import PRECISION_LABELS, ChartMeta, plot_text, register_template

RowKind = Literal["actor", "country"]
MapMetric = Literal["events", "stance"]

MAX_POINTS = 3000  # above this many events, charts aggregate instead of drawing every event
MAX_PARTIES = 12  # stance chart: at most this many lines when aggregating
SPAN_OPACITY = 0.35
CENTRAL_ASIA_VIEW = {"lataxis_range": [22, 57], "lonaxis_range": [32, 96]}
# event counts: the lightest blue is still clearly a colour, so a country with 0 events differs from the sea
COUNT_SCALE = [[0.0, "#E1ECF7"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
OFF_MAP_REGIONS = ("North America", "Europe")  # regions (data/countries.yaml) outside CENTRAL_ASIA_VIEW
HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[5]}<br>"
    "%{customdata[3]} → %{customdata[4]}<extra></extra>"
)
STANCE_HOVER = HOVER.replace("<extra>", "<br>stance %{customdata[6]}<extra>")
DODGE_STEP = 0.1  # stance chart: vertical offset between parties so equal stances do not hide each other
MAX_DODGE = 0.3
GAP_YEARS = 4  # stance chart: a party's line breaks where it has no event for longer than this
COLOUR_PARTIES = 9  # stance chart: parties whose colours stay distinguishable (lib/views/palette.py); then dashes too


def _titled(fig: go.Figure, title: str, subtitle: str, kind: str = "empty") -> go.Figure:
    fig.update_layout(
        template=register_template(),
        meta={"chart": kind},  # what the figure shows, as lib/chart_data and lib/describe read it
        title={"text": plot_text(title), "subtitle": {"text": plot_text(subtitle), "font": {"size": 14, "color": "#555"}}},
    )
    return fig


def empty_figure(title: str, subtitle: str, message: str = "No events match these filters") -> go.Figure:
    """A titled figure with a centred message instead of empty axes."""
    fig = go.Figure()
    fig.add_annotation(text=plot_text(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 16, "color": "#666"})  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _titled(fig, title, subtitle)


def _customdata(events: pd.DataFrame, meta: ChartMeta) -> np.ndarray:
    """Per event: id, title, date as precise as known, actor, target, event type (all escaped)."""
    return np.column_stack(
        [
            events["id"].astype(str).to_numpy(),
            [plot_text(t) for t in events["title"]],
            [display_date(d) for d in events["date"]],
            [plot_text(meta.actor(a)) for a in events["actor"]],
            [plot_text(meta.actor(t)) for t in events["target"]],
            [plot_text(meta.type_labels.get(t, t)) for t in events["event_type"]],
        ]
    ) if len(events) else np.empty((0, 6))  # fmt: skip


def fit_label(label: str, chars: int, lines: int = 2) -> str:
    """Wrap `label` to at most `lines` lines of about `chars` characters, ending in "…" if cut short."""
    words, rows, current = label.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > chars:
            rows.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    rows.append(current)
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1][: max(1, chars - 1)].rstrip() + "…"
    return "<br>".join(plot_text(r) for r in rows)


def add_period_bands(fig: go.Figure, meta: ChartMeta, events: pd.DataFrame,
                     plot_px: float = period_labels.PAGE_PLOT_PX) -> None:
    """Shade the periods from data/periods.yaml that overlap the events, labelled at the top (fitted to a plot
    `plot_px` wide, the chart's narrowest on the pages).

    Labels are wrapped to their band's width (full label and description on hover), so neighbouring
    bands' labels do not run into each other.
    """
    if events.empty:
        return
    low, high = events["start"].min(), events["end"].max()
    shown = [p for p in meta.periods if not (pd.Timestamp(p.end) < low or pd.Timestamp(p.start) > high)]
    if not shown:
        return
    axis_low = min(low, min(pd.Timestamp(p.start) for p in shown))
    axis_high = max(high, max(pd.Timestamp(p.end) for p in shown))
    shades = ("#EDEDED", "#F5F5F5")
    for n, period in enumerate(shown):
        start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
        hover = plot_text(period.label) + (f"<br>{plot_text(period.description)}" if period.description else "")
        fig.add_vrect(x0=start, x1=end, fillcolor=shades[n % 2], line_width=0, layer="below")
        fig.add_annotation(x=start + (end - start) / 2, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=plot_text(period.label), hovertext=hover, align="center",
                           font={"size": period_labels.PAGE_PERIOD_FONT, "color": "#666"})  # fmt: skip
    labels = list(fig.layout.annotations[-len(shown):])  # taken after adding all: adding one renews the others
    # fitted as the slides fit theirs, for the narrowest plot the pages draw: neighbours' labels never overlap
    period_labels.fit_period_labels(fig, labels, axis_low, axis_high, period_labels.PAGE_PERIOD_FONT,
                                    plot_px, period_labels.PAGE_CHAR_SHARE, staggered=True)  # fmt: skip
    fig.update_layout(margin={"t": 130})


def _precision_legend(fig: go.Figure) -> None:
    for symbol, label in (("circle", "exact day"), ("circle-open", "month or year known (span)")):
        fig.add_trace(
            go.Scatter(x=[None], y=[None], mode="markers", name=label, legendgroup="precision",
                       marker={"symbol": symbol, "color": "#555", "size": 10, "line": {"width": 2}},
                       hoverinfo="skip")  # fmt: skip
        )


DENSITY_COLUMNS = ["start", "mid"]  # all the per-month density chart reads


def _row_labels(codes: np.ndarray, values: pd.Index, name: Callable[[str], str]) -> pd.Categorical:
    """Escaped display labels of `values[codes]` (code -1: missing), made once per value that occurs, as a
    categorical with sorted categories (so grouping orders them as it orders strings)."""
    used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(values)))
    labels = [plot_text(name(values[i])) for i in used]
    categories = sorted(set(labels))
    slot = {label: n for n, label in enumerate(categories)}
    lookup = np.full(len(values) + 1, -1, dtype=np.int64)  # the extra last entry maps code -1 to missing
    lookup[used] = [slot[label] for label in labels]
    return pd.Categorical.from_codes(lookup[codes], categories=categories)


def _positions(events: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Where each of `rows` (positions in tables.events, all present in `events`) sits in `events`."""
    index = events.index.to_numpy()
    lookup = np.zeros(int(index.max()) + 1 if len(index) else 0, dtype=np.int64)
    lookup[index] = np.arange(len(index))
    return lookup[rows]


def monthly_counts(placed: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Events per timeline row (index, in `order` reversed) and month (columns, months with any event);
    NaN where a row has none. Counted with integer codes (row label codes x month numbers)."""
    labels = placed["row_label"]
    if not isinstance(labels.dtype, pd.CategoricalDtype):
        labels = labels.astype("category")
    label_codes, names = codes_of(labels)
    month = month_numbers(placed["mid"].to_numpy())
    low, span = int(month.min()), int(month.max() - month.min()) + 1
    counts = np.bincount(label_codes.astype(np.int64) * span + (month - low), minlength=len(names) * span)
    grid = counts.reshape(len(names), span)
    used = np.flatnonzero(grid.sum(axis=0))
    grid = grid[:, used]
    if not grid.all():  # as a pivot gives it: integers when every cell has events, else floats with NaN gaps
        grid = np.where(grid == 0, np.nan, grid.astype(np.float64))
    months = pd.DatetimeIndex((used + low).astype("datetime64[M]").astype("datetime64[us]"), name="month")
    frame = pd.DataFrame(grid, index=pd.Index(np.asarray(names, dtype=object), name="row_label"), columns=months)
    return frame.reindex(order[::-1])


STANCE_SCALE_COLUMNS = ["start", "end", "mid", "stance"]  # what the quarterly stance chart reads


def _stance_chosen(events: pd.DataFrame, target: str, direction: Direction) -> pd.DataFrame:
    """`stance_events`, copying only the columns the quarterly chart reads when there are too many to draw."""
    if len(events) > MAX_POINTS:
        narrow = stance_events(events, target, direction, columns=STANCE_SCALE_COLUMNS)
        if len(narrow) > MAX_POINTS:
            return narrow
    return stance_events(events, target, direction)


def _timeline_rows(events: pd.DataFrame, meta: ChartMeta, rows: RowKind, links: pd.DataFrame | None) -> pd.DataFrame:
    """One row per event and timeline row (an event concerning two countries appears twice), with `row_label`.

    Above `MAX_POINTS` events only the columns the density chart reads are copied.
    """
    columns = DENSITY_COLUMNS if len(events) > MAX_POINTS else list(events.columns)
    if rows == "country":
        if links is None:
            raise ValueError("a country timeline needs the event-country links")
        inside = in_view(events, links["row"])
        placed = events[columns].iloc[_positions(events, links["row"].to_numpy()[inside])]
        codes, countries = codes_of(links["country"])
        return placed.assign(row_label=_row_labels(codes[inside], countries, meta.country))
    codes, actors = codes_of(events["actor"])
    return events[columns].assign(row_label=_row_labels(codes, actors, meta.actor))


LANE_STEP = 0.17  # timeline: vertical offset between events that would hide one another in a row
LANE_OFFSETS = (0.0, LANE_STEP, -LANE_STEP, 2 * LANE_STEP, -2 * LANE_STEP)  # all inside half a row
MARKER_SHARE = 0.015  # timeline: a marker's width as a share of the time axis (12 px of about 800)


def timeline_lanes(placed: pd.DataFrame) -> np.ndarray:
    """Per timeline row entry, the lane (index into LANE_OFFSETS) that keeps it clear of earlier ones in
    its row: an event occupies its span (a single day when exact) widened by a marker's width, and takes
    the first lane whose last occupant ends before it starts. Beyond the last lane, lanes are reused."""
    lanes = np.zeros(len(placed), dtype=np.int64)
    if placed.empty:
        return lanes
    starts = placed["start"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    ends = np.where(placed["precision"].to_numpy() == "day", starts,
                    placed["end"].to_numpy(dtype="datetime64[ns]").astype(np.int64))  # fmt: skip
    pad = max(int((ends.max() - starts.min()) * MARKER_SHARE), 1)
    rows = placed["row_label"].astype(str).to_numpy()
    for row in pd.unique(rows):
        taken: list[int] = []  # per lane, where its last occupant ends
        members = np.flatnonzero(rows == row)
        for i in members[np.argsort(starts[members], kind="stable")]:
            free = next((lane for lane, end in enumerate(taken) if end + pad < starts[i] - pad), None)
            if free is None and len(taken) < len(LANE_OFFSETS):
                free = len(taken)
                taken.append(ends[i])
            elif free is None:
                free = int(np.argmin(taken))  # every lane busy: share the one that frees first
                taken[free] = max(taken[free], ends[i])
            else:
                taken[free] = ends[i]
            lanes[i] = free
    return lanes


def timeline(
    events: pd.DataFrame,
    meta: ChartMeta,
    *,
    rows: RowKind = "actor",
    links: pd.DataFrame | None = None,
    subtitle: str = "All events",
    rows_shown: int = 0,
) -> go.Figure:
    """Events on a time axis, one row per actor (or country), coloured by event type.

    Exact-day events are filled circles; month- and year-precision events are drawn as a span over
    the whole month or year with a hollow marker at its middle, never as a fake exact day.
    `links` (tables.event_countries) is needed when rows="country". With `rows_shown`, a chart of more
    rows opens on its first `rows_shown` (earliest first) at a readable height, the others a drag of the
    row names or a zoom out away (the dashboard's page, which fits the chart to the screen).
    """
    title = f"Timeline of events by {'country' if rows == 'country' else 'actor'}"
    if events.empty:
        return empty_figure(title, subtitle)
    placed = _timeline_rows(events, meta, rows, links)
    order = placed.groupby("row_label", observed=True)["start"].min().sort_values().index.tolist()
    if len(events) > MAX_POINTS:
        return _timeline_density(placed, order, meta, title, subtitle)
    # rows on a numeric axis (top row highest) so events that would overlap can sit in lanes around it
    row_y = {label: len(order) - 1 - n for n, label in enumerate(order)}
    lanes = timeline_lanes(placed)
    placed = placed.assign(y=placed["row_label"].astype(str).map(row_y).to_numpy()
                           + np.asarray(LANE_OFFSETS)[lanes])  # fmt: skip
    fig = go.Figure()
    for event_type, group in placed.groupby("event_type", observed=True, sort=False):
        colour = meta.type_colours.get(event_type, "#777")
        edge = palette.edge(colour)  # outlines and hollow markers keep 3:1 against the background
        symbol = meta.type_symbols.get(event_type, "circle")
        label = plot_text(meta.type_labels.get(event_type, event_type))
        exact = group[group["precision"] == "day"]
        spans = group[group["precision"] != "day"]
        if len(spans):
            xs: list[object] = []
            ys: list[object] = []
            for start, end, y in zip(spans["start"], spans["end"], spans["y"], strict=True):
                xs += [start, end, None]
                ys += [y, y, None]
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 9}, opacity=SPAN_OPACITY,
                                     legendgroup=event_type, showlegend=False, hoverinfo="skip"))  # fmt: skip
            fig.add_trace(
                go.Scatter(x=spans["mid"], y=spans["y"], mode="markers", name=label,
                           legendgroup=event_type, showlegend=False, customdata=_customdata(spans, meta),
                           hovertemplate=HOVER,
                           marker={"symbol": f"{symbol}-open", "size": 12, "color": edge, "line": {"width": 2.5}})
            )  # fmt: skip
        if len(exact):
            fig.add_trace(
                go.Scatter(x=exact["start"], y=exact["y"], mode="markers", name=label, legendgroup=event_type,
                           showlegend=False, customdata=_customdata(exact, meta), hovertemplate=HOVER,
                           marker={"symbol": symbol, "size": 12, "color": colour,
                                   "line": {"width": 1.5, "color": edge}})
            )  # fmt: skip
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, legendgroup=event_type,
                                 marker={"symbol": symbol, "size": 12, "color": colour,
                                         "line": {"width": 1.5, "color": edge}}, hoverinfo="skip"))  # fmt: skip
    _precision_legend(fig)
    add_period_bands(fig, meta, events)
    used_lanes = int(lanes.max()) + 1 if len(lanes) else 1
    fig.update_yaxes(tickmode="array", tickvals=list(row_y.values()), ticktext=list(row_y), title=None,
                     range=[-0.6, len(order) - 0.4], showgrid=True, zeroline=False)  # fmt: skip
    fig.update_xaxes(title=None, type="date")
    row_px = 36 if used_lanes == 1 else 36 + 14 * (used_lanes - 1)  # room for the lanes a row uses
    shown = min(len(order), rows_shown) if rows_shown > 0 else len(order)
    if shown < len(order):
        fig.update_yaxes(range=[len(order) - shown - 0.6, len(order) - 0.4])
        fig.add_annotation(text=f"Rows 1–{shown} of {len(order)}: drag the row names for the others",
                           showarrow=False, x=0, y=1, xref="paper",
                           yref="paper", xanchor="left", yanchor="bottom", yshift=38,
                           font={"size": 13, "color": "#555"})  # fmt: skip
    fig.update_layout(height=max(420, 250 + row_px * shown), hovermode="closest", clickmode="event+select")
    return _titled(fig, title, subtitle, "timeline")


def _timeline_density(placed: pd.DataFrame, order: list[str], meta: ChartMeta, title: str, subtitle: str) -> go.Figure:
    grid = monthly_counts(placed, order)
    fig = go.Figure(
        go.Heatmap(x=grid.columns, y=[plot_text(r) for r in grid.index], z=grid.to_numpy(), colorscale="Blues",
                   colorbar={"title": {"text": "Events per month"}}, hoverongaps=False,
                   hovertemplate="%{y}<br>%{x|%B %Y}: %{z} events<extra></extra>")
    )  # fmt: skip
    fig.update_layout(height=160 + 26 * len(order))
    return _titled(fig, title + " (events per month)", subtitle, "timeline_density")


def stance_ticks(meta: ChartMeta) -> list[str]:
    """Labels of the stance levels, lowest first: "-2 Hostile", …, "0 Neutral", …, "+2 Aligned"."""
    return [f"{v:+d} {plot_text(meta.stance_labels[v])}" if v else f"0 {plot_text(meta.stance_labels[v])}"
            for v in sorted(meta.stance_labels)]  # fmt: skip


def _stance_axis(fig: go.Figure, meta: ChartMeta) -> None:
    levels = sorted(meta.stance_labels)
    fig.update_yaxes(
        tickvals=levels,
        ticktext=stance_ticks(meta),
        range=[min(levels) - 0.5, max(levels) + 0.5],
        zeroline=True,
        zerolinecolor="#999",
        title=None,
    )


def stance_over_time(
    events: pd.DataFrame,
    meta: ChartMeta,
    *,
    target: str = "taliban",
    direction: Direction = "toward",
    subtitle: str = "All events",
) -> go.Figure:
    """Each party's stance toward `target` (or `target`'s stance toward each party) as step lines.

    Markers sit on the events (hollow where only the month or year is known); the y axis is the
    labelled -2..+2 stance scale. Each party's line is nudged up or down by a few hundredths of a
    level (at most ±0.3) so parties with the same stance stay visible; hover shows the true stance.
    A line breaks across more than `GAP_YEARS` without events. Each party has its own marker shape and a
    colour distinguishable from the others' for colour-blind readers too (`lib.views.palette.view_colours`:
    actors in the shared neutral grey get generated colours); beyond `COLOUR_PARTIES`, dashes as well.
    """
    name = meta.actor_ref(target)
    title = f"Stance toward {name} over time" if direction == "toward" else f"Stance of {name} toward others over time"
    chosen = _stance_chosen(events, target, direction)
    if chosen.empty:
        return empty_figure(title, subtitle, f"No events with a stance {'toward' if direction == 'toward' else 'from'} "
                                             f"{name} match these filters")  # fmt: skip
    fig = go.Figure()
    aggregate = len(chosen) > MAX_POINTS
    parties = chosen["party"].value_counts().index.tolist()[: MAX_PARTIES if aggregate else None]
    step = min(DODGE_STEP, 2 * MAX_DODGE / max(len(parties) - 1, 1))
    quarters = quarterly_means(events, target, direction, parties) if aggregate else {}
    colours = palette.view_colours([meta.colour(p) for p in parties], neutral=meta.neutral_colours())
    dashes = party_dashes(colours)
    for n, party in enumerate(parties):
        group = None if aggregate else chosen[chosen["party"] == party].sort_values("mid")
        label = plot_text(meta.actor(party))
        colour = colours[n]
        style = {"shape": "hv", "color": colour, "width": 2.5, "dash": dashes[n]}
        shape = palette.SYMBOLS[n % len(palette.SYMBOLS)]
        if aggregate:
            quarterly = quarters[party]
            fig.add_trace(go.Scatter(x=quarterly.index, y=quarterly.to_numpy(), mode="lines", name=label, line=style,
                                     hovertemplate=f"{label}<br>%{{x|%Y Q%q}}: mean %{{y:+.2f}}<extra></extra>"))  # fmt: skip
            continue
        offset = (n - (len(parties) - 1) / 2) * step
        symbols = np.where(group["precision"].astype(str) == "day", shape, f"{shape}-open")
        stance_text = [f"{int(v):+d} {plot_text(meta.stance_labels.get(int(v), ''))}" for v in group["stance"]]
        customdata = np.column_stack([_customdata(group, meta), stance_text])
        x, y, symbols, customdata = break_long_gaps(group["mid"], group["stance"].astype(float) + offset, symbols, customdata)
        fig.add_trace(
            go.Scatter(x=x, y=y, mode="lines+markers", name=label, line=style, customdata=customdata,
                       hovertemplate=STANCE_HOVER,
                       marker={"symbol": symbols, "size": 11, "color": colour, "line": {"width": 2}})
        )  # fmt: skip
    if not aggregate:
        _precision_legend(fig)
    add_period_bands(fig, meta, chosen, period_labels.STANCE_PLOT_PX)
    _stance_axis(fig, meta)
    fig.update_xaxes(title=None, type="date")
    fig.update_layout(height=680, hovermode="closest", clickmode="event+select")
    return _titled(fig, title + (" (quarterly mean)" if aggregate else ""), subtitle,
                   "stance_quarterly" if aggregate else "stance")


def party_dashes(colours: list[str]) -> list[str]:
    """Each stance line's dash: solid while its colour stays `palette.MIN_DELTA_E` from every solid line's before
    it (and within `COLOUR_PARTIES`), else a dash pattern as well, so solid lines are always told apart by colour."""
    solid: list[str] = []
    out = []
    for n, colour in enumerate(colours):
        if n < COLOUR_PARTIES and all(palette.delta_e(colour, other) >= palette.MIN_DELTA_E for other in solid):
            solid.append(colour)
            out.append("solid")
        else:
            out.append(palette.DASHES[1 + n % (len(palette.DASHES) - 1)])
    return out


def luminance(colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of a `#RRGGBB` colour."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def break_long_gaps(
    x: pd.Series, y: pd.Series, symbols: np.ndarray, customdata: np.ndarray, years: float = GAP_YEARS
) -> tuple[list, list, list, list]:
    """The points of one line, with a gap (None) inserted wherever consecutive dates are more than `years` apart.

    A step line would otherwise carry one stance across a decade with no evidence for it.
    """
    dates = pd.to_datetime(x).tolist()
    out_x: list = []
    out_y: list = []
    out_symbols: list = []
    out_custom: list = []
    blank = [""] * customdata.shape[1]
    for i, (date, value) in enumerate(zip(dates, y.tolist(), strict=True)):
        if i and (date - dates[i - 1]).days > years * 365.25:
            out_x.append(dates[i - 1] + (date - dates[i - 1]) / 2)
            out_y.append(None)
            out_symbols.append("circle")
            out_custom.append(blank)
        out_x.append(date)
        out_y.append(value)
        out_symbols.append(symbols[i])
        out_custom.append(list(customdata[i]))
    return out_x, out_y, out_symbols, out_custom


def stance_heatmap(
    events: pd.DataFrame,
    meta: ChartMeta,
    *,
    target: str = "taliban",
    direction: Direction = "toward",
    subtitle: str = "All events",
) -> go.Figure:
    """Mean stance per party and period (diverging colours, -2 hostile .. +2 aligned), with event counts."""
    name = meta.actor_ref(target)
    title = (f"Mean stance toward {name} by period" if direction == "toward"
             else f"Mean stance of {name} toward others by period")  # fmt: skip
    matrix = stance_matrix(events, meta.periods, target, direction)
    if matrix.empty:
        return empty_figure(title, subtitle)
    period_order = [p.label for p in meta.periods if p.label in set(matrix["period"])]
    period_order += sorted(set(matrix["period"]) - set(period_order))
    means = matrix.pivot(index="party", columns="period", values="mean").reindex(columns=period_order)
    counts = matrix.pivot(index="party", columns="period", values="n").reindex(columns=period_order)
    means = means.loc[means.notna().sum(axis=1).sort_values(ascending=False).index]
    counts = counts.loc[means.index]
    rows = [plot_text(meta.actor(p)) for p in means.index]
    text = [[f"{m:+.1f} (n={int(n)})" if m == m else "" for m, n in zip(mr, nr, strict=True)]
            for mr, nr in zip(means.to_numpy(), counts.fillna(0).to_numpy(), strict=True)]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(x=[fit_label(p, max(12, 480 // len(period_order) // 7), lines=3) for p in period_order], y=rows, z=means.to_numpy(), text=text,
                   texttemplate="%{text}", zmin=-2, zmax=2, zmid=0, colorscale="RdBu", hoverongaps=False,
                   colorbar={"title": {"text": "Mean stance"}, "tickvals": sorted(meta.stance_labels),
                             "ticktext": stance_ticks(meta)},
                   hovertemplate="%{y} · %{x}<br>mean stance %{z:+.2f}<extra></extra>")
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None, side="top", tickangle=0)
    fig.update_layout(height=max(420, 230 + 40 * len(rows)), margin={"t": 170})
    return _titled(fig, title, subtitle, "stance_heatmap")


OFF_MAP_NOTE_CHARS = 80  # the map's note on countries outside it: a line of 12 px text about 540 px wide


def region_map(
    summary: pd.DataFrame,
    meta: ChartMeta,
    *,
    metric: MapMetric = "events",
    target: str = "taliban",
    subtitle: str = "All events",
    points: pd.DataFrame | None = None,
    layers: Layers = "both",
    focus: tuple[str, ...] = (),
) -> go.Figure:
    """Choropleth of the countries the events concern, by event count or mean stance toward `target`,
    with the events drawn at their coded places over it (`points` from `map_points.place_points`).

    `summary` comes from `aggregate.country_summary`. Every Central Asian state is drawn even with
    no events, so the region keeps its shape. `layers` chooses the country areas, the place points
    or both; `focus` (country codes, e.g. the country filter) fits the view to those countries and
    the points. The base map is served locally (see lib/export and the page's `topojsonURL`).
    """
    areas = layers != "points"
    points = points if points is not None and layers != "areas" else None
    drawn = "points" if not areas else "both" if points is not None else "areas"
    if metric == "events":
        title = {"both": "Events by country and place", "areas": "Events by country", "points": "Events by place"}[drawn]
    else:
        title = f"Mean stance toward {meta.actor_ref(target)} by country" + (" and events by place" if points is not None else "")
    frame = summary.set_index("country").reindex(sorted(set(summary["country"]) | set(meta.central_asia)))
    frame = frame.fillna({"events": 0, "stance_events": 0})
    names = [plot_text(meta.country(c)) for c in frame.index]
    if metric == "events":
        z = frame["events"].to_numpy(dtype=float)
        scale = {"colorscale": COUNT_SCALE, "zmin": 0, "zmax": max(1.0, float(np.nanmax(z)) if len(z) else 1.0),
                 "colorbar": {"title": {"text": "Events"}}}  # fmt: skip
        hover = "<b>%{customdata[1]}</b><br>%{customdata[2]} events<extra></extra>"
    else:
        z = frame["mean_stance"].to_numpy(dtype=float)
        levels = sorted(meta.stance_labels)
        scale = {"colorscale": "RdBu", "zmin": -2, "zmax": 2, "zmid": 0,
                 "colorbar": {"title": {"text": "Mean stance"}, "tickvals": levels,
                              "ticktext": stance_ticks(meta)}}  # fmt: skip
        hover = "<b>%{customdata[1]}</b><br>mean stance %{z:+.2f} over %{customdata[3]} events<extra></extra>"
    customdata = np.column_stack(
        [frame.index.to_numpy(), names, frame["events"].astype(int).to_numpy(), frame["stance_events"].astype(int)]
    )
    if points is not None and not points.empty:  # the legend takes the top right, the colour bar the bottom right
        scale["colorbar"].update({"len": 0.5, "y": 0, "yanchor": "bottom"})
    fig = go.Figure()
    if areas:
        fig.add_trace(
            go.Choropleth(locations=frame.index, locationmode="ISO-3", z=z, customdata=customdata, hovertemplate=hover,
                          marker={"line": {"color": "white", "width": 1}, "opacity": 0.7 if points is not None else 1.0},
                          **scale)
        )  # fmt: skip
    if points is not None:
        fig.add_traces(point_traces(points, meta))
        if points.empty:
            fig.add_annotation(text="No event in this view has a coded place: the countries show them all", showarrow=False,
                               x=1, y=0, xref="paper", yref="paper", xanchor="right", yanchor="top",
                               font={"size": 12, "color": "#555"})  # fmt: skip
    dark = map_fill_is_dark(z, metric, scale["zmax"]) & areas
    colours = np.where(dark, "#FFFFFF", "#111111").tolist()
    shadows = np.where(dark, "0 0 3px #000000", "0 0 3px #FFFFFF, 0 0 2px #FFFFFF").tolist()
    fig.add_trace(
        go.Scattergeo(locations=frame.index, locationmode="ISO-3", mode="text", text=map_labels(names, z, metric),
                      hoverinfo="skip", meta=[c in meta.central_asia for c in frame.index],  # labelled first on slides
                      textfont={"size": 12, "color": colours, "shadow": shadows, "weight": 600},
                      # plotly.js keeps unselected labels' own colours (not dimmed) once a selected colour is set
                      selected={"textfont": {"color": "#111111"}},
                      showlegend=False)
    )  # fmt: skip
    fig.update_geos(
        # minscale: no zooming out beyond the view drawn; the browser draws the region from a base map cut down to
        # it (lib.ui.render.topojson_url), which zooming out to the whole world would show cut
        projection_type="natural earth", projection_minscale=1, resolution=50, showcountries=True, countrycolor="#FFFFFF",
        showland=True, landcolor="#E4E4E4", showocean=True, oceancolor="#FFFFFF", showlakes=True, lakecolor="#FFFFFF",
        showframe=False, showcoastlines=True, coastlinecolor="#B0B0B0", coastlinewidth=0.6,
        **(fit_view(focus, points if points is not None else pd.DataFrame(), CENTRAL_ASIA_VIEW) if focus else CENTRAL_ASIA_VIEW),
    )  # fmt: skip
    off_map = [c for c in frame.index if meta.country_regions.get(c) in OFF_MAP_REGIONS and frame.loc[c, "events"] > 0]
    note_lines: list[str] = []
    if off_map:  # on lines that fit the map at 1024x768 (the one line ran past the chart's right edge)
        listed = ", ".join(f"{meta.country(c)} ({int(frame.loc[c, 'events'])})" for c in off_map)
        note_lines = textwrap.wrap(f"Also concerned, outside this map: {listed}", OFF_MAP_NOTE_CHARS)
        fig.add_annotation(text="<br>".join(plot_text(line) for line in note_lines), showarrow=False, x=0, y=0,
                           xref="paper", yref="paper", xanchor="left", yanchor="top", align="left",
                           font={"size": 12, "color": "#555"})  # fmt: skip
    fig.update_layout(height=620, clickmode="event+select",
                      margin={"l": 0, "r": 0, "t": 90, "b": 30 + 16 * max(0, len(note_lines) - 1)})  # fmt: skip
    if points is not None and not points.empty:
        fig.update_layout(height=680, legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"})
    return _titled(fig, title, subtitle, "map")


def map_labels(names: list[str], z: np.ndarray, metric: MapMetric) -> list[str]:
    """Each country's label with its number, so the map reads without colour or hover: "Kazakhstan<br>16",
    "Tajikistan<br>+1.0" (a name alone where a country has no stance)."""
    if metric == "events":
        return [f"{name}<br>{int(v)}" for name, v in zip(names, np.nan_to_num(z), strict=True)]
    return [f"{name}<br>{v:+.1f}" if v == v else name for name, v in zip(names, z, strict=True)]


def map_fill_is_dark(z: np.ndarray, metric: MapMetric, zmax: float) -> np.ndarray:
    """For each country, whether its fill is dark enough that its label must be white to stay readable."""
    values = np.nan_to_num(np.asarray(z, dtype=float), nan=0.0)
    if metric == "events":
        return values / max(zmax, 1e-9) > 0.55
    return np.abs(values) > 1.2  # the ends of RdBu are dark; its middle is near white


def counts_by_year_chart(events: pd.DataFrame, meta: ChartMeta, *, subtitle: str = "All events") -> go.Figure:
    """Stacked bars of events per year by event type (years without events shown as gaps)."""
    title = "Events per year"
    if events.empty:
        return empty_figure(title, subtitle)
    counts = counts_by_year(events)
    fig = go.Figure()
    for event_type, group in counts.groupby("event_type", observed=True, sort=False):
        fig.add_trace(go.Bar(x=group["year"], y=group["events"], name=plot_text(meta.type_labels.get(event_type, event_type)),
                             marker={"color": meta.type_colours.get(event_type, "#777"),
                                     "line": {"color": palette.edge(meta.type_colours.get(event_type, "#777")), "width": 1}},
                             hovertemplate="%{x}: %{y} events<extra>%{fullData.name}</extra>"))  # fmt: skip
    fig.update_layout(barmode="stack", height=400)
    fig.update_xaxes(tickformat="d", title=None, showgrid=False)
    fig.update_yaxes(title="Events")
    return _titled(fig, title, subtitle, "by_year")


BY_COUNTRY_ROOMY = 14  # up to this many bars keep the chart's tick font; more are named at BY_COUNTRY_SMALL_FONT px
BY_COUNTRY_SMALL_FONT = 11


def counts_by_country_chart(summary: pd.DataFrame, meta: ChartMeta, *, subtitle: str = "All events") -> go.Figure:
    """Horizontal bars of events per country (an event concerning two countries counts for both)."""
    title = "Events by country"  # "… concerned" was cut at 1024x768: the caption says how an event counts
    if summary.empty:
        return empty_figure(title, subtitle)
    ordered = summary.sort_values("events")
    names = [plot_text(meta.country(c)) for c in ordered["country"]]
    fig = go.Figure(
        go.Bar(x=ordered["events"], y=names, orientation="h",
               marker_color="#332288", hovertemplate="%{y}: %{x} events<extra></extra>")
    )  # fmt: skip
    fig.update_layout(height=140 + 28 * len(ordered))
    # every bar named: plotly.js names only every other category when the fitted chart squeezes them (26 bars in
    # about 330 px at 1280x720); a smaller font keeps many names apart
    fig.update_yaxes(tickmode="array", tickvals=names, ticktext=names,
                     tickfont={"size": BY_COUNTRY_SMALL_FONT if len(names) > BY_COUNTRY_ROOMY else None})  # fmt: skip
    fig.update_xaxes(title="Events")
    return _titled(fig, title, subtitle, "by_country")


FigureKind = Literal["timeline", "stance", "stance_heatmap", "map", "by_year", "by_country"]


def figure_for(
    kind: FigureKind,
    events: pd.DataFrame,
    tables: Tables,
    meta: ChartMeta,
    *,
    subtitle: str = "All events",
    rows: RowKind = "actor",
    target: str = "taliban",
    direction: Direction = "toward",
    metric: MapMetric = "events",
    layers: Layers = "both",
    focus: str = "",
    rows_shown: int | str = 0,
) -> go.Figure:
    """Build one of the dashboard's figures by name from the filtered events (used by the cached page glue)."""
    if kind == "timeline":
        return timeline(events, meta, rows=rows, links=tables.event_countries, subtitle=subtitle,
                        rows_shown=int(rows_shown or 0))  # fmt: skip
    if kind == "stance":
        return stance_over_time(events, meta, target=target, direction=direction, subtitle=subtitle)
    if kind == "stance_heatmap":
        return stance_heatmap(events, meta, target=target, direction=direction, subtitle=subtitle)
    if kind == "map":
        summary = country_summary(events, tables, target if metric == "stance" else None)
        points = place_points(events, meta) if layers != "areas" else None
        return region_map(summary, meta, metric=metric, target=target, subtitle=subtitle, points=points, layers=layers,
                          focus=tuple(c for c in focus.split(",") if c))  # fmt: skip
    if kind == "by_year":
        return counts_by_year_chart(events, meta, subtitle=subtitle)
    if kind == "by_country":
        return counts_by_country_chart(country_summary(events, tables), meta, subtitle=subtitle)
    raise ValueError(f"unknown figure kind {kind!r}")


__all__ = [
    "PRECISION_LABELS",
    "figure_for",
    "counts_by_country_chart",
    "counts_by_year_chart",
    "empty_figure",
    "region_map",
    "stance_heatmap",
    "stance_over_time",
    "timeline",
]
