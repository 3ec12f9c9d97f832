"""A chart as a projected slide draws it (lib.exports.slides.on_slide) and a native chart of many rows
(lib.exports.native_charts.top_rows): fixtures built here, so the facts checked hold whatever the data."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.exports import native_charts, slides
from lib.views import period_labels


def test_a_long_name_takes_a_shorter_slide_name() -> None:
    assert slides.short_name("Kazakhstan") == "Kazakhstan"
    assert slides.short_name("Panorama (Kazakh newspaper)") == "Panorama"
    assert slides.short_name("Collective Security Treaty Organization", ["CSTO", "Collective Security"]) == "CSTO"
    assert slides.short_name("Regional quartet on Afghanistan (Russia, China, Iran, Pakistan)") == (
        "Regional quartet on Afghanistan")  # fmt: skip
    cut = slides.short_name("Participants of the Tashkent Conference on Afghanistan (collectively)")
    assert cut.endswith("…") and len(cut) <= slides.SLIDE_LABEL_CHARS + slides.SLIDE_LABEL_CHARS // 4
    assert "Participants of the Tashkent Conference".startswith(cut[:-1])


def _timeline() -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[pd.Timestamp("2021-03-01"), pd.Timestamp("2024-06-01")], y=[0, 1], mode="markers",
                             name="Verbal cooperation", marker={"size": 12}))  # fmt: skip
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="month or year known (span)",
                             legendgroup="precision"))  # fmt: skip
    # a period band reaching far before the events, labelled over its middle (as the dashboard draws it)
    fig.add_vrect(x0=pd.Timestamp("2010-01-01"), x1=pd.Timestamp("2021-08-15"), fillcolor="#EDEDED", line_width=0)
    fig.add_annotation(x=pd.Timestamp("2015-10-01"), y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                       text="2010–Aug 2021 the long<br>peace process", hovertext="2010–Aug 2021 the long peace process")
    fig.update_yaxes(tickmode="array", tickvals=[0, 1], ticktext=["Collective Security Treaty Organization", "Russia"])
    fig.update_xaxes(type="date")
    fig.update_layout(title={"text": "Timeline of events by actor", "subtitle": {"text": "2021–2024"}})
    return fig


def test_a_time_chart_on_a_slide_spans_its_events_and_keeps_its_period_label_in_view() -> None:
    fig, words = slides.on_slide(_timeline(), 1.5, {"Collective Security Treaty Organization": "CSTO"})
    assert words == "Timeline of events by actor · 2021–2024" and not fig.layout.title.text
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pd.Timestamp("2020-12-01") < low < pd.Timestamp("2021-03-01") and pd.Timestamp("2024-06-01") < high
    label = fig.layout.annotations[0]
    char = (high - low) * slides.SLIDE_PERIOD_FONT * period_labels.PERIOD_CHAR_SHARE / slides.SLIDE_PLOT_PX
    starts = pd.Timestamp(label.x) - char * len(label.text) / 2
    assert low <= starts < pd.Timestamp("2021-08-15"), "the label starts over the part of its band shown"
    assert label.text == "2010–Aug 2021 the long peace process", "whole: the room beside its band is free"
    assert "<br>" not in label.text and label.font.size == round(slides.SLIDE_PERIOD_FONT * 1.5)
    assert list(fig.layout.yaxis.ticktext) == ["CSTO", "Russia"]
    assert fig.data[0].marker.size == 18, "markers grow with the screen"
    assert fig.data[1].name == "month or year (span)" and fig.data[1].legendgroup != "precision"
    assert fig.layout.legend.orientation == "h" and fig.layout.margin.t < 60


def test_period_labels_are_cut_at_a_word_and_drop_the_after_their_dates() -> None:
    assert period_labels.period_label("2012–14 the drawdown", 12) == "2012–14<br>drawdown"
    assert period_labels.period_label("2012–14 the drawdown", 30) == "2012–14 the drawdown", "whole when it fits"
    assert period_labels.period_label("1996–99 the Taliban's advance to the north", 17) == "1996–99 Taliban&#x27;s<br>advance to the…" \
        or period_labels.period_label("1996–99 the Taliban's advance to the north", 17).endswith("advance to the…")
    assert period_labels.period_label("2018–Aug 2021 the peace process", 20, 1) == "2018–Aug 2021 peace…"


def _bands(*spans: tuple[str, str, str]) -> go.Figure:
    fig = go.Figure(go.Scatter(x=[pd.Timestamp("2019-01-01"), pd.Timestamp("2025-12-01")], y=[0, 1], mode="markers"))
    for start, end, label in spans:
        fig.add_vrect(x0=pd.Timestamp(start), x1=pd.Timestamp(end), line_width=0)
        fig.add_annotation(x=pd.Timestamp(start), y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=label, hovertext=label)  # fmt: skip
    fig.update_xaxes(type="date")
    return fig


def test_a_narrow_period_beside_a_wide_one_keeps_its_whole_label_and_crowded_ones_take_two_lines() -> None:
    fig, _ = slides.on_slide(_bands(("2018-02-01", "2021-08-15", "2018–Aug 2021 the peace process"),
                                    ("2021-08-15", "2026-01-01", "Since Aug 2021 the Taliban government")), 0.8)  # fmt: skip
    assert [a.text for a in fig.layout.annotations] == ["2018–Aug 2021 the peace process",
                                                        "Since Aug 2021 the Taliban government"]  # fmt: skip
    xs = [pd.Timestamp(a.x) for a in fig.layout.annotations]
    assert xs[0] < xs[1]
    crowded = _bands(*[(f"{y}-01-01", f"{y + 1}-01-01", f"{y}–{y + 1 - 2000} the long period of year {y}")
                       for y in range(2019, 2025)])  # fmt: skip
    fig, _ = slides.on_slide(crowded, 0.8)
    texts = [a.text for a in fig.layout.annotations if a.visible is not False]
    assert texts and all(t.count("<br>") <= 1 for t in texts) and any("<br>" in t for t in texts), texts
    assert fig.layout.margin.t > slides.on_slide(_bands(("2018-02-01", "2026-01-01", "One"),), 0.8)[0].layout.margin.t
    assert all(t.startswith(f"{y}–") for t, y in zip(texts, range(2019, 2025), strict=False)), "the dates kept"


def test_a_native_chart_of_many_rows_keeps_those_with_most_events() -> None:
    class Trace:
        def __init__(self, mode: str, size: float) -> None:
            self.mode, self.marker = mode, type("M", (), {"size": size})()

    dots, star = Trace("markers", 9), Trace("markers", 20)
    # rows 0..5; row 5 has most points, row 0 holds the starred event and only that
    points = [(1.0, 5.0), (2.0, 5.0), (3.0, 5.2), (1.0, 4.0), (2.0, 4.0), (1.0, 3.0), (1.0, 2.0), (1.0, 1.0)]
    drawn = [(dots, points, []), (star, [(5.0, 0.0)], [])]
    labels = [(float(n), f"row {n}") for n in range(6)]
    kept_drawn, kept, left_out = native_charts.top_rows(drawn, labels, 4)
    assert left_out == 2 and [name for _, name in kept] == ["row 0", "row 3", "row 4", "row 5"]
    assert [y for y, _ in kept] == [0.0, 1.0, 2.0, 3.0]
    moved = kept_drawn[0][1]
    assert moved[0] == (1.0, 3.0) and abs(moved[2][1] - 3.2) < 1e-9 and moved[6] == (1.0, None)
    assert kept_drawn[1][1] == [(5.0, 0.0)]
    assert native_charts.top_rows(drawn, labels, 6) == (drawn, labels, 0)
    assert native_charts.rows_that_fit(5.0) == 11


def _stance_of(actors: int) -> go.Figure:
    """A stance chart of `actors` lines, each its own legend entry, its legend under the plot (as the pages draw it)."""
    fig = go.Figure()
    for n in range(actors):
        fig.add_trace(go.Scatter(x=[pd.Timestamp("2001-01-01"), pd.Timestamp("2015-01-01")], y=[n % 5 - 2, 0],
                                 mode="lines+markers", name=f"Actor number {n} (collectively)",
                                 legendgroup="precision" if n > 1 else None))  # fmt: skip
    for start, end, label in (("2002", "2009", "2002–09 the ISAF years"), ("2010", "2011", "2010–11 Kazakhstan joins ISAF"),
                              ("2012", "2014", "2012–14 the drawdown")):  # fmt: skip
        low, high = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{end}-12-31")
        fig.add_vrect(x0=low, x1=high, fillcolor="#EDEDED", line_width=0)
        fig.add_annotation(x=low + (high - low) / 2, y=1.0, yref="paper", yanchor="bottom", showarrow=False, text=label,
                           hovertext=label)  # fmt: skip
    fig.update_xaxes(type="date")
    fig.update_layout(font={"size": 14}, legend={"orientation": "h", "y": -0.12, "x": 0})
    return fig


def test_the_presenters_preview_lists_a_long_legend_beside_the_plot_and_keeps_a_short_one_below() -> None:
    # twenty entries under a 700 px preview took half its height (round 13's screenshot at 1280x720)
    long = slides.for_presenter(_stance_of(20), {"Actor number 0 (collectively)": "Actor 0"})
    assert long.layout.legend.orientation == "v" and long.layout.legend.x > 1
    assert long.layout.legend.font.size == slides.PRESENTER_LEGEND_FONT
    assert long.data[0].name == "Actor 0", "the slide's short names make the list narrower"
    label = period_labels.period_annotations(long)[1]
    assert label.text.endswith("…") or label.yshift, "a narrow period's label is fitted to the narrower plot"
    short = slides.for_presenter(_stance_of(3))
    assert short.layout.legend.orientation == "h", "a legend of a row or two stays under the plot"
    assert short.layout.legend.font.size == slides.PRESENTER_LEGEND_FONT
    groups = [t.legendgroup for t in short.data]
    assert len(set(groups)) == len(groups), "each entry its own legend group: one flow, not a row per group"
