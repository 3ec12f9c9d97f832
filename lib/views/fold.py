"""Folding a line chart of many actors: the busiest keep their lines, the others become grey markers."""

from __future__ import annotations

import plotly.graph_objects as go

from lib.views.style import plot_text

SLIDE_SERIES = 8  # a line chart of more actors than this keeps the busiest's lines; the rest are grey markers
FOLDED_COLOUR = "#9A9A9A"


def fold_series(fig: go.Figure, keep: int = SLIDE_SERIES, *, retitle: bool = True) -> go.Figure:
    """`fig` (changed in place, and returned) with at most `keep` line series (one per actor, as the stance chart
    draws them): the ones with the most points keep their line and legend entry; the others' points become one
    series of grey markers ("16 other actors"), each point's hover unchanged, and (with `retitle`) the title says so. A legend of
    24 actors took most of a slide and its lines crossed into a tangle; every event is still drawn."""
    series = [t for t in fig.data if t.type == "scatter" and "lines" in (t.mode or "") and t.showlegend is not False
              and not t.legendgroup and t.x is not None and t.name]  # fmt: skip
    if len(series) <= keep + 1:
        return fig
    ranked = sorted(series, key=lambda t: -len(t.x))  # stable: the figure's own order among equals
    folded = ranked[keep:]
    xs, ys, symbols, data = [], [], [], []
    columns = {len(t.customdata[0]) for t in folded if t.customdata is not None and len(t.customdata)}
    for trace in folded:
        n = len(trace.x)
        xs += list(trace.x)
        ys += list(trace.y)
        symbol = trace.marker.symbol
        each = list(symbol) if isinstance(symbol, (list, tuple)) or hasattr(symbol, "tolist") else [symbol or "circle"] * n
        symbols += ["circle-open" if str(v).endswith("-open") else "circle" for v in each]  # hollow: month or year
        if len(columns) == 1 and trace.customdata is not None:
            data += [list(row) for row in trace.customdata]
    size = folded[0].marker.size if isinstance(folded[0].marker.size, (int, float)) else 8
    merged = go.Scatter(x=xs, y=ys, mode="markers", name=plot_text(f"{len(folded)} other actors"),
                        marker={"color": FOLDED_COLOUR, "size": size, "symbol": symbols},
                        customdata=data if len(data) == len(xs) else None,
                        hovertemplate=folded[0].hovertemplate if len(data) == len(xs) else None)  # fmt: skip
    gone = {id(t) for t in folded}
    at = max(n for n, t in enumerate(fig.data) if id(t) not in gone and t in series) + 1
    traces = [t for t in fig.data if id(t) not in gone]
    fig.data = ()
    fig.add_traces([*traces[:at], merged, *traces[at:]])
    title = fig.layout.title.text
    if title and retitle:
        fig.layout.title.text = f"{title} (the {keep} actors with most events; {len(folded)} more in grey)"
    return fig
