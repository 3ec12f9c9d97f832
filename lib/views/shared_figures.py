"""Figures shared across sessions: copied without ever changing the shared one, so no reader needs a lock.

The dashboard builds each figure once per view and shares it with every session (`lib.ui.cached`); pages read it
(its table, description, config) and st.plotly_chart serialises it (`fig.to_dict()`, a deep copy of its dicts),
all without a lock. That is safe while nothing writes to it. But plotly's own copy, `go.Figure(fig)`, writes to the
figure it copies: for each trace it pops "type" from the shared trace's property dict, builds the new trace, and
puts "type" back (`_plotly_utils.basevalidators.BaseDataValidator.validate_coerce`, plotly 7.1). A session that reads
or serialises the shared figure in that moment sees a trace with no type: `trace.type` raises KeyError 'type', a copy
builds a scatter trace from a map's ("Invalid property ... Scatter: lat"), and a serialised spec sends a trace
plotly.js draws as the default scatter. (Lazy child objects, plotly/plotly.py#3441, are not a risk here: a figure
built by its constructor has every child it holds already built; tests/test_shared_figures.py checks both.)
"""

from __future__ import annotations

import copy

import plotly.graph_objects as go


def copy_figure(fig: go.Figure) -> go.Figure:
    """An independent copy of a shared figure, made without writing to it (unlike `go.Figure(fig)`): safe while any
    number of other threads read, serialise or copy the same figure."""
    # what fig.to_dict() copies (its own property dicts: reading them writes nothing), without its base64 packing of
    # arrays, so the copy holds numpy arrays like the figure; the new figure's construction pops "type" from the copy
    data = copy.deepcopy(fig._data)
    layout = copy.deepcopy(fig._layout)
    frames = copy.deepcopy([frame._props for frame in fig.frames])
    return go.Figure({"data": data, "layout": layout, **({"frames": frames} if frames else {})})
