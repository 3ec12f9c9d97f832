"""Colour is never the only carrier, and marks stand out: a colour-blind simulation of each chart's categories.

Every chart's category colours are simulated for deuteranopia and protanopia (Machado et al. 2009, full
severity) and must stay `palette.MIN_DELTA_E` (CIEDE2000) apart, as they must for normal vision; every
mark's edge (outline, hollow marker, line) has 3:1 contrast against the white background (WCAG 1.4.11).
"""

from __future__ import annotations

import itertools

import pytest
from coloraide import Color

from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate, charts, palette
from lib.views.style import ChartMeta


@pytest.fixture(scope="module")
def real() -> tuple:
    ds = load_dataset()
    tables = build_tables(ds)
    return tables, ChartMeta.from_dataset(ds)


def test_the_simulation_merges_what_deuteranopes_cannot_tell_apart() -> None:
    red, green = "#D62728", "#2CA02C"
    normal = Color(red).delta_e(Color(green), method="2000")
    assert normal > 40 and palette.delta_e(red, green) < palette.MIN_DELTA_E  # the test can fail
    assert palette.contrast("#767676") == pytest.approx(4.54, abs=0.01)


def test_edge_keeps_colours_that_stand_out_and_darkens_the_rest_to_three_to_one() -> None:
    assert palette.edge("#0072B2") == "#0072B2"
    orange = palette.edge("#E69F00")
    assert palette.contrast("#E69F00") < 3 <= palette.contrast(orange) < 3.3
    hues = [Color(c).convert("oklch")["hue"] for c in (orange, "#E69F00")]
    assert abs(hues[0] - hues[1]) < 5


def test_event_type_colours_stay_apart_for_colour_blind_readers_and_shapes_differ(real: tuple) -> None:
    _, meta = real
    colours = list(meta.type_colours.values())
    for a, b in itertools.combinations(colours, 2):
        assert palette.delta_e(a, b) >= palette.MIN_DELTA_E, (a, b, palette.delta_e(a, b))
    assert len(set(meta.type_symbols.values())) == len(meta.type_symbols)


def test_every_timeline_and_bar_mark_has_an_edge_with_three_to_one_contrast(real: tuple) -> None:
    tables, meta = real
    for fig in (charts.timeline(tables.events, meta), charts.counts_by_year_chart(tables.events, meta)):
        for trace in fig.data:
            if trace.type == "bar":
                assert palette.contrast(trace.marker.line.color) >= palette.MIN_CONTRAST, trace.name
            elif trace.type == "scatter" and trace.mode == "markers" and trace.legendgroup != "precision":
                symbol = str(trace.marker.symbol)
                edge = trace.marker.color if symbol.endswith("-open") else trace.marker.line.color
                assert palette.contrast(edge) >= palette.MIN_CONTRAST, (trace.name, symbol, edge)


def test_every_stance_chart_of_the_data_has_distinguishable_visible_lines(real: tuple) -> None:
    tables, meta = real
    for target in aggregate.stance_targets(tables.events):
        for direction in ("toward", "from"):
            fig = charts.stance_over_time(tables.events, meta, target=target, direction=direction)
            lines = [t for t in fig.data if t.type == "scatter" and t.legendgroup != "precision"]
            colours = [t.line.color for t in lines]
            assert all(palette.contrast(c) >= palette.MIN_CONTRAST for c in colours), (target, direction)
            solid = [t.line.color for t in lines if t.line.dash == "solid"]
            assert palette.min_pairwise_delta_e(solid) >= palette.MIN_DELTA_E, (target, direction, colours)


def test_actors_beyond_the_palette_get_generated_distinguishable_colours() -> None:
    wanted = ["#CC6677", "#DDDDDD", "#DDDDDD", "#DDDDDD", "#DDDDDD", "#BBBBBB", "#DDDDDD", "#DDDDDD", None]
    colours = palette.view_colours(wanted, neutral=["#DDDDDD", "#BBBBBB"])
    assert colours[0] == "#CC6677" and len(set(colours)) == len(wanted)
    assert all(palette.contrast(c) >= palette.MIN_CONTRAST for c in colours)
    assert palette.min_pairwise_delta_e(colours) >= palette.MIN_DELTA_E


def test_an_actor_whose_colour_is_too_close_to_an_earlier_ones_gets_another() -> None:
    colours = palette.view_colours(["#117733", "#127834"])
    assert colours[0] == "#117733" and palette.delta_e(*colours) >= palette.MIN_DELTA_E


def test_map_labels_carry_the_numbers(real: tuple) -> None:
    tables, meta = real
    fig = charts.region_map(aggregate.country_summary(tables.events, tables), meta)
    labels = fig.data[1].text
    counts = dict(zip(fig.data[0].locations, fig.data[0].z, strict=True))
    assert all(label.endswith(f"<br>{int(counts[code])}") for code, label in zip(fig.data[1].locations, labels,
                                                                                  strict=True))  # fmt: skip
