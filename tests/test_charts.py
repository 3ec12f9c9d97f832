"""Figure builders: the right traces, points, labels and hover text for known inputs."""

from __future__ import annotations

import dataclasses
import itertools
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate, charts
from lib.views.style import ChartMeta


@pytest.fixture
def fixture(data_dir: Path):
    ds = load_dataset(data_dir)
    return ds, build_tables(ds), ChartMeta.from_dataset(ds)


DISTINCT_UP_TO = 8  # lib/views/palette.py: beyond about eight categories no colour set keeps MIN_DELTA_E

def points(fig, **match):
    """Traces with data points (skipping legend-only and span-line traces) matching trace attributes."""
    found = []
    for trace in fig.data:
        if trace.customdata is None:
            continue
        if all(getattr(trace, k) == v for k, v in match.items()):
            found.append(trace)
    return found


def test_exact_day_event_is_a_filled_marker_on_its_day(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.timeline(tables.events, meta)
    filled = [t for t in points(fig) if not str(t.marker.symbol).endswith("-open")]
    assert filled[0].marker.symbol == meta.type_symbols["material_cooperation"] == "square"
    assert len(filled) == 1 and list(filled[0].customdata[:, 0]) == ["kaz-votes-isaf"]
    assert pd.Timestamp(filled[0].x[0]) == pd.Timestamp("2011-05-18")
    assert filled[0].marker.color == meta.type_colours["material_cooperation"]


def test_month_precision_event_is_drawn_as_a_span_with_a_hollow_marker(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.timeline(tables.events, meta)
    hollow = [t for t in points(fig) if str(t.marker.symbol).endswith("-open")]
    assert hollow[0].marker.symbol == "diamond-open"  # verbal conflict's shape, hollow: only the month is known
    assert len(hollow) == 1 and list(hollow[0].customdata[:, 0]) == ["taliban-warns-kaz"]
    spans = [t for t in fig.data if t.mode == "lines"]
    assert len(spans) == 1
    xs = [pd.Timestamp(x) for x in spans[0].x if x is not None]
    assert xs == [pd.Timestamp("2011-05-01"), pd.Timestamp("2011-05-31")]


def test_timeline_hover_shows_title_date_as_known_and_actors(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.timeline(tables.events, meta)
    hollow = [t for t in points(fig) if str(t.marker.symbol).endswith("-open")][0]
    row = list(hollow.customdata[0])
    assert row[1:5] == ["Taliban warn Kazakhstan", "May 2011", "Taliban", "Kazakhstan"]
    assert "%{customdata[1]}" in hollow.hovertemplate and "%{customdata[2]}" in hollow.hovertemplate


def _placed(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Timeline row entries from (row label, start, end, precision)."""
    frame = pd.DataFrame(rows, columns=["row_label", "start", "end", "precision"])
    return frame.assign(start=pd.to_datetime(frame["start"]), end=pd.to_datetime(frame["end"]))


def test_timeline_lanes_keep_events_that_would_overlap_apart_and_others_on_the_row() -> None:
    placed = _placed([
        ("Kazakhstan", "2011-05-18", "2011-05-18", "day"),
        ("Kazakhstan", "2011-05-18", "2011-05-18", "day"),   # same day: next lane
        ("Kazakhstan", "2011-05-01", "2011-05-31", "month"),  # a month covering both: a third lane
        ("Kazakhstan", "2000-01-01", "2000-12-31", "year"),   # years away: back on the row
        ("Taliban", "2011-05-18", "2011-05-18", "day"),       # another row: its own lanes
    ])  # fmt: skip
    lanes = charts.timeline_lanes(placed)
    assert lanes[3] == 0 and lanes[4] == 0
    assert len({lanes[0], lanes[1], lanes[2]}) == 3
    assert charts.timeline_lanes(placed.iloc[:0]).tolist() == []


def test_timeline_draws_same_day_events_in_a_row_at_distinct_heights_near_the_row(fixture) -> None:
    _, tables, meta = fixture
    twin = tables.events.iloc[[0]].assign(id="twin-event", title="A second event that day")
    events = pd.concat([tables.events, twin], ignore_index=True)
    fig = charts.timeline(events, meta)
    rows = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals, strict=True))
    spots = {}
    for trace in points(fig):
        for y, data in zip(trace.y, trace.customdata, strict=True):
            spots[data[0]] = y
    first = tables.events["id"].iloc[0]
    assert spots[first] != spots["twin-event"]
    row = rows[meta.actor(tables.events["actor"].iloc[0])]
    assert abs(spots[first] - row) < 0.5 and abs(spots["twin-event"] - row) < 0.5


def test_timeline_legend_names_event_types_and_date_precision(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.timeline(tables.events, meta)
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    assert {"Material cooperation", "Verbal conflict", "exact day", "month or year known (span)"} <= legend


def test_timeline_rows_by_actor_or_by_country(fixture) -> None:
    _, tables, meta = fixture
    by_actor = charts.timeline(tables.events, meta, rows="actor")
    assert set(by_actor.layout.yaxis.ticktext) == {"Kazakhstan", "Taliban"}
    by_country = charts.timeline(tables.events, meta, rows="country", links=tables.event_countries)
    assert set(by_country.layout.yaxis.ticktext) == {"Kazakhstan", "Afghanistan"}
    assert by_country.layout.title.text == "Timeline of events by country"


def test_period_bands_are_shaded_and_labelled(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.timeline(tables.events, meta)
    assert len(fig.layout.shapes) == 1
    labels = [a for a in fig.layout.annotations if a.hovertext]
    assert labels and "Kazakhstan and ISAF" in labels[0].hovertext


def test_long_period_labels_are_wrapped_and_cut_to_fit() -> None:
    label = charts.fit_label("2015–17 Russia's engagement and Central Asian jihadists", 16)
    lines = label.split("<br>")
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= 16 for line in lines)
    assert charts.fit_label("Short", 16) == "Short"


def test_stance_chart_has_a_line_per_actor_on_the_labelled_scale(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.stance_over_time(tables.events, meta, target="KAZ")
    lines = points(fig)
    assert [t.name for t in lines] == ["Taliban"]
    assert lines[0].line.shape == "hv" and lines[0].line.color == meta.colour("taliban")
    assert round(lines[0].y[0]) == -1
    assert list(fig.layout.yaxis.ticktext) == ["-2 Hostile", "-1 Opposed", "0 Neutral", "+1 Engaging", "+2 Aligned"]
    assert fig.layout.title.text == "Stance toward Kazakhstan over time"
    assert "stance %{customdata[6]}" in lines[0].hovertemplate and lines[0].customdata[0][6] == "-1 Opposed"


def test_stance_chart_reverse_direction_shows_the_target_toward_others(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.stance_over_time(tables.events, meta, target="KAZ", direction="from")
    assert [t.name for t in points(fig)] == ["NATO / ISAF"]
    assert fig.layout.title.text == "Stance of Kazakhstan toward others over time"


def test_equal_stances_of_different_actors_stay_apart_but_near_their_level() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.stance_over_time(tables.events, meta, target="taliban")
    ys = {t.name: t.y[0] for t in points(fig)}
    assert ys["Kazakhstan"] != ys["Uzbekistan"]
    assert all(abs(y - round(y)) <= charts.MAX_DODGE + 1e-9 for y in ys.values())


def test_stance_line_breaks_across_long_gaps_instead_of_carrying_a_stance_for_years() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.stance_over_time(tables.events, meta, target="taliban")
    breaks = 0
    for line in points(fig):
        xs, ys = [pd.Timestamp(x) for x in line.x], list(line.y)
        for i in range(1, len(xs)):
            apart = (xs[i] - xs[i - 1]).days if None not in (ys[i], ys[i - 1]) else None
            assert apart is None or apart <= charts.GAP_YEARS * 365.25, (line.name, xs[i - 1], xs[i])
        for i in (i for i, y in enumerate(ys) if y is None):
            breaks += 1
            assert (xs[i + 1] - xs[i - 1]).days > charts.GAP_YEARS * 365.25, (line.name, xs[i])
        assert len(line.marker.symbol) == len(line.x) == len(line.customdata)
    assert breaks, "the real data has parties with years between their stances (Russia toward the Taliban)"


def test_stance_parties_get_distinct_visible_colours_and_shapes_even_when_they_share_the_neutral_grey() -> None:
    from lib.views import palette

    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.stance_over_time(tables.events, meta, target="taliban")
    lines = points(fig)
    names = {a: meta.actor(a) for a in meta.actor_names}
    grey = [t for t in lines if meta.colour(next(a for a, n in names.items() if n == t.name)).upper()
            in meta.neutral_colours()]  # fmt: skip
    colours = [t.line.color for t in lines]
    assert len(set(colours)) == len(colours)
    assert all(palette.contrast(c) >= palette.MIN_CONTRAST for c in colours)
    if len(colours) <= DISTINCT_UP_TO:  # beyond, no colour set keeps MIN_DELTA_E: shapes carry the identity too
        assert palette.min_pairwise_delta_e(colours) >= palette.MIN_DELTA_E
    assert grey == [] or all(t.line.color.upper() not in meta.neutral_colours() for t in grey), "grey actors recoloured"
    shapes = [{s.removesuffix("-open") for s, y in zip(t.marker.symbol, t.y, strict=True) if y is not None}
              for t in lines]  # fmt: skip
    assert all(len(own) == 1 for own in shapes), "one shape per party (hollow where only the month/year is known)"
    shapes = [own.pop() for own in shapes]
    assert len(set(shapes)) == min(len(shapes), len(palette.SYMBOLS))  # distinct while the shapes last


def test_stance_chart_without_matching_events_says_so(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.stance_over_time(tables.events, meta, target="nato_isaf", direction="from")
    assert not fig.data
    assert "No events with a stance from the NATO / ISAF" in fig.layout.annotations[0].text


def test_stance_heatmap_shows_mean_and_count_per_actor_and_period(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.stance_heatmap(tables.events, meta, target="KAZ")
    heat = fig.data[0]
    assert list(heat.y) == ["Taliban"] and list(heat.x) == ["Kazakhstan and ISAF"]
    assert heat.text[0][0] == "-1.0 (n=1)"


def test_region_map_draws_every_central_asian_state_with_names(fixture) -> None:
    _, tables, meta = fixture
    summary = aggregate.country_summary(tables.events, tables)
    fig = charts.region_map(summary, meta)
    choropleth, names = fig.data
    assert set(choropleth.locations) == {"KAZ", "TJK", "AFG"}
    counts = dict(zip(choropleth.locations, choropleth.z, strict=True))
    assert counts == {"AFG": 1, "KAZ": 2, "TJK": 0}
    assert set(names.text) == {"Kazakhstan<br>2", "Tajikistan<br>0", "Afghanistan<br>1"}  # readable without colour
    assert fig.layout.title.text == "Events by country"


def test_region_map_by_mean_stance_uses_the_diverging_scale(fixture) -> None:
    _, tables, meta = fixture
    summary = aggregate.country_summary(tables.events, tables, target="KAZ")
    fig = charts.region_map(summary, meta, metric="stance", target="KAZ")
    choropleth = fig.data[0]
    assert (choropleth.zmin, choropleth.zmax, choropleth.zmid) == (-2, 2, 0)
    assert dict(zip(choropleth.locations, choropleth.z, strict=True))["KAZ"] == -1
    assert fig.layout.title.text == "Mean stance toward Kazakhstan by country"


def test_region_map_labels_are_white_on_dark_fills_and_dark_on_light_ones() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.region_map(aggregate.country_summary(tables.events, tables), meta)
    shapes, labels = fig.data
    colours = dict(zip(labels.locations, labels.textfont.color, strict=True))
    counts = dict(zip(shapes.locations, shapes.z, strict=True))
    busiest, quietest = max(counts, key=counts.get), min(counts, key=counts.get)
    assert colours[busiest] == "#FFFFFF" and colours[quietest] == "#111111"
    assert list(charts.map_fill_is_dark([-2, -0.5, 0, 1.5, float("nan")], "stance", 2)) == [True, False, False, True, False]


def test_region_map_names_countries_outside_the_map() -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.region_map(aggregate.country_summary(tables.events, tables), meta)
    notes = [a.text for a in fig.layout.annotations if "outside this map" in a.text]
    assert notes and "United States" in notes[0]
    lines = notes[0].split("<br>")
    assert all(len(line) <= charts.OFF_MAP_NOTE_CHARS for line in lines), "on lines that fit the map at 1024x768"
    assert fig.layout.margin.b >= 30 + 16 * (len(lines) - 1)


def test_counts_by_year_stacks_event_types(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.counts_by_year_chart(tables.events, meta)
    assert {t.name: list(t.y) for t in fig.data} == {"Material cooperation": [1], "Verbal conflict": [1]}
    assert fig.layout.barmode == "stack"


def test_empty_input_gives_a_titled_message_not_empty_axes(fixture) -> None:
    _, tables, meta = fixture
    none = tables.events.iloc[0:0]
    for fig in (charts.timeline(none, meta), charts.counts_by_year_chart(none, meta)):
        assert not fig.data and "No events match" in fig.layout.annotations[0].text


def test_subtitle_states_the_filters(fixture) -> None:
    _, tables, meta = fixture
    fig = charts.figure_for("timeline", tables.events, tables, meta, subtitle="Kazakhstan · 2011")
    assert json.loads(fig.to_json())["layout"]["title"]["subtitle"]["text"] == "Kazakhstan · 2011"


@pytest.mark.parametrize("kind", ["timeline", "stance", "stance_heatmap", "map", "by_year", "by_country"])
def test_figure_for_builds_every_kind_on_the_real_data(kind: str) -> None:
    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    fig = charts.figure_for(kind, tables.events, tables, meta)
    assert fig.data and fig.layout.title.text


def test_timeline_rows_place_events_once_per_country_with_escaped_labels(fixture) -> None:
    _, tables, meta = fixture
    by_country = charts._timeline_rows(tables.events, meta, "country", tables.event_countries)
    assert len(by_country) == len(tables.event_countries)
    links = tables.event_countries
    assert sorted(zip(by_country["id"], by_country["row_label"].astype(str), strict=True)) == sorted(
        zip(links["event_id"], [meta.country(c) for c in links["country"]], strict=True))  # fmt: skip
    hostile = dataclasses.replace(meta, actor_names={**meta.actor_names, "taliban": "<b>Taliban</b>"})
    by_actor = charts._timeline_rows(tables.events[tables.events["actor"] == "taliban"], hostile, "actor", None)
    assert set(by_actor["row_label"].astype(str)) == {"&lt;b&gt;Taliban&lt;/b&gt;"}
    assert list(by_actor.index) == list(tables.events.index[tables.events["actor"] == "taliban"])


def test_timeline_rows_for_the_density_chart_copy_only_what_it_reads(fixture, monkeypatch) -> None:
    _, tables, meta = fixture
    monkeypatch.setattr(charts, "MAX_POINTS", 1)
    placed = charts._timeline_rows(tables.events, meta, "country", tables.event_countries)
    assert list(placed.columns) == [*charts.DENSITY_COLUMNS, "row_label"]
    with pytest.raises(ValueError, match="links"):
        charts._timeline_rows(tables.events, meta, "country", None)


def test_monthly_counts_match_a_pivot_of_the_rows(fixture) -> None:
    from bench.synthetic import source_dataset, synthetic_events
    from lib.model.bulk import load_bulk_tables, write_events_parquet

    ds = load_dataset()
    folder = Path(tempfile.mkdtemp(prefix="charts-"))
    tables, _ = load_bulk_tables(write_events_parquet(synthetic_events(4000, seed=5, ds=source_dataset()),
                                                      folder / "events.parquet"), ds)  # fmt: skip
    meta = ChartMeta.from_dataset(ds)
    for events in (tables.events, tables.events[tables.events["year"] == 2010]):
        for rows in ("actor", "country"):
            placed = charts._timeline_rows(events, meta, rows, tables.event_countries)
            order = placed.groupby("row_label", observed=True)["start"].min().sort_values().index.tolist()
            months = placed["mid"].dt.to_period("M").dt.to_timestamp()
            counts = placed.assign(month=months).groupby(["row_label", "month"], observed=True).size().rename("n")
            expected = counts.reset_index().pivot(index="row_label", columns="month", values="n").reindex(order[::-1])
            got = charts.monthly_counts(placed, order)
            pd.testing.assert_frame_equal(got, expected, check_names=False, check_index_type=False,
                                          check_column_type=False)  # fmt: skip
    fig = charts.timeline(tables.events, meta, rows="country", links=tables.event_countries)
    assert fig.data[0].type == "heatmap" and "(events per month)" in fig.layout.title.text


def test_stance_chart_at_scale_draws_quarterly_means_of_the_top_parties() -> None:
    from bench.synthetic import source_dataset, synthetic_events
    from lib.model.bulk import load_bulk_tables, write_events_parquet

    ds = load_dataset()
    folder = Path(tempfile.mkdtemp(prefix="charts-"))
    tables, _ = load_bulk_tables(write_events_parquet(synthetic_events(20000, seed=6, ds=source_dataset()),
                                                      folder / "events.parquet"), ds)  # fmt: skip
    meta = ChartMeta.from_dataset(ds)
    chosen = aggregate.stance_events(tables.events, "taliban", "toward")
    assert len(chosen) > charts.MAX_POINTS  # the aggregated path
    fig = charts.stance_over_time(tables.events, meta, target="taliban")
    assert fig.layout.title.text.endswith("(quarterly mean)")
    top = chosen["party"].value_counts().index[: charts.MAX_PARTIES]
    assert [t.name for t in fig.data] == [meta.actor(p) for p in top]
    first = chosen[chosen["party"] == top[0]].set_index("mid")["stance"].resample("QS").mean().dropna()
    assert list(fig.data[0].y) == pytest.approx(first.tolist())
    assert len(fig.to_json()) < 2_000_000


def test_row_labels_map_each_code_once_and_keep_missing(fixture) -> None:
    _, _, meta = fixture
    values = pd.Index(["taliban", "KAZ", "unused"])
    labels = charts._row_labels(np.array([1, 0, -1, 1]), values, meta.actor)
    assert list(labels.categories) == sorted([meta.actor("KAZ"), meta.actor("taliban")])
    assert [None if pd.isna(x) else x for x in labels] == [meta.actor("KAZ"), meta.actor("taliban"), None,
                                                          meta.actor("KAZ")]  # fmt: skip



def test_the_project_template_styles_every_trace_type_the_charts_draw() -> None:
    """The template keeps plotly_white's styles only for lib.views.style.TEMPLATE_TRACE_TYPES: a chart that
    starts drawing another type must add it there, or it would lose its styling."""
    from lib.paths import data_dir
    from lib.views.style import TEMPLATE_TRACE_TYPES

    ds = load_dataset(data_dir())
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    drawn = set()
    for kind, options in [("timeline", {}), ("timeline", {"rows": "country"}), ("stance", {}),
                          ("stance", {"direction": "from"}), ("stance_heatmap", {}), ("map", {}),
                          ("map", {"metric": "stance"}), ("by_year", {}), ("by_country", {})]:  # fmt: skip
        fig = charts.figure_for(kind, tables.events, tables, meta, **options)
        drawn |= {trace.type for trace in fig.data}
        assert set(fig.layout.template.data.to_plotly_json()) == set(TEMPLATE_TRACE_TYPES)
    assert drawn == set(TEMPLATE_TRACE_TYPES)


def test_a_timeline_of_more_rows_than_shown_opens_on_its_first_rows_and_says_so(fixture) -> None:
    """The timeline page fits its chart to the screen (issue 21): rows_shown opens it on the earliest rows, at a
    height for those rows; every event is still in the figure, a drag of the row names away."""
    _, tables, meta = fixture
    whole = charts.timeline(tables.events, meta)
    rows = len(whole.layout.yaxis.tickvals)
    notes = lambda fig: [a.text for a in fig.layout.annotations if a.text.startswith("Rows")]
    assert rows == 2 and not notes(whole)
    window = charts.timeline(tables.events, meta, rows_shown=1)
    assert list(window.layout.yaxis.range) == [rows - 1 - 0.6, rows - 0.4]
    assert notes(window) == ["Rows 1–1 of 2: drag the row names for the others"]
    assert {r[0] for t in points(window) for r in t.customdata} == {r[0] for t in points(whole) for r in t.customdata}
    assert not notes(charts.timeline(tables.events, meta, rows_shown=5))


def _labelled_bands(period_spans: list[tuple[str, str, str]]):
    """A figure with the period bands of `period_spans` (label, start, end) over events spanning all of them."""
    import plotly.graph_objects as go

    from lib.model.schema import Period

    periods = tuple(Period(id=f"p{n}", label=label, start=start, end=end)
                    for n, (label, start, end) in enumerate(period_spans))  # fmt: skip
    meta = ChartMeta({}, {}, {}, {}, (), {}, {}, {}, periods, {})
    events = pd.DataFrame({"start": [pd.Timestamp(period_spans[0][1])], "end": [pd.Timestamp(period_spans[-1][2])]})
    fig = go.Figure()
    charts.add_period_bands(fig, meta, events)
    return fig


def test_period_labels_on_a_page_chart_never_overlap_at_the_narrowest_plot() -> None:
    from lib.views import period_labels

    fig = _labelled_bands([
        ("1996–99 the Taliban's advance to the north", "1996-01-01", "1999-12-31"),
        ("2000–01 accommodation with the Taliban and its overthrow", "2000-01-01", "2001-12-31"),
        ("2002–09 the ISAF years", "2002-01-01", "2009-12-31"),
        ("2010–11 Kazakhstan joins ISAF", "2010-01-01", "2011-12-31"),
        ("2012–14 the drawdown", "2012-01-01", "2014-12-31"),
        ("2015–17 Russia's engagement and Central Asian jihadists", "2015-01-01", "2017-12-31"),
        ("2018–Aug 2021 the peace process", "2018-01-01", "2021-08-14"),
        ("Since Aug 2021 the Taliban government", "2021-08-15", "2026-12-31"),
    ])  # fmt: skip
    low, high = pd.Timestamp("1996-01-01"), pd.Timestamp("2026-12-31")
    px = period_labels.PAGE_PLOT_PX
    char = period_labels.PAGE_PERIOD_FONT * period_labels.PAGE_CHAR_SHARE
    boxes = []
    for a in period_labels.period_annotations(fig):
        if a.visible is False:
            continue
        centre = (pd.Timestamp(a.x) - low) / (high - low) * px
        width = max(len(row) for row in a.text.replace("&#x27;", "'").split("<br>")) * char
        boxes.append((a.yshift or 0, centre - width / 2, centre + width / 2, a.text))
        assert a.text.count("<br>") <= 1, a.text
        assert a.hovertext.startswith(a.text.split("<br>")[0].split("…")[0].split()[0]), "the whole label on hover"
    assert len(boxes) >= 5, boxes
    assert {shift for shift, *_ in boxes} == {0, round(period_labels.PAGE_PERIOD_FONT * period_labels.LINE_SHARE)}, \
        "every other label a line higher: each has the room up to the next on its line"
    for tier in {shift for shift, *_ in boxes}:
        row = sorted(box[1:] for box in boxes if box[0] == tier)
        assert row[0][0] >= -0.01 and row[-1][1] <= px + 0.01, row
        for left, right in itertools.pairwise(row):
            assert left[1] <= right[0] + 0.01, (left, right)
    assert any(text == "2002–09 ISAF years" for *_, text in boxes), "a label whole where its line has room"


def test_every_bar_of_the_by_country_chart_is_named_however_many() -> None:
    from lib.views.style import ChartMeta as Meta

    codes = [f"C{n:02d}" for n in range(26)]
    meta = Meta({}, {}, {}, {c: f"Country {c}" for c in codes}, (), {}, {}, {}, (), {})
    summary = pd.DataFrame({"country": codes, "events": range(1, 27)})
    fig = charts.counts_by_country_chart(summary, meta)
    assert fig.layout.yaxis.tickmode == "array", "plotly.js skips every other name on an automatic axis"
    assert list(fig.layout.yaxis.ticktext) == [f"Country {c}" for c in codes]
    assert fig.layout.yaxis.tickfont.size == charts.BY_COUNTRY_SMALL_FONT


def test_the_coverage_subtitle_is_on_lines_short_enough_for_a_small_screen() -> None:
    from lib.views import chart_data, coverage

    articles = [f"{y}-06-01" for y in range(1996, 2027) if y not in (2003, 2007, 2008)]
    fig = coverage.coverage_figure(coverage.coverage(articles, ["2010-05-01"]))
    lines = fig.layout.title.subtitle.text.split("<br>")
    assert len(lines) > 1 and all(len(line) <= coverage.SUBTITLE_CHARS for line in lines), lines
    assert chart_data.subtitle(fig).startswith("Sources: 28 articles published in 1996–2026. No article from 2003,")
