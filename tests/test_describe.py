"""Every chart has a name and a description in words of what it shows for the current view."""

from __future__ import annotations

import pytest

from lib.views import chart_data, charts, describe
from tests.test_chart_data import figure, view  # noqa: F401 - the fixture

KINDS = [("by_year", {}), ("by_country", {}), ("timeline", {}), ("timeline", {"rows": "country"}),
         ("stance", {"target": "taliban"}), ("stance", {"target": "taliban", "direction": "from"}),
         ("stance_heatmap", {"target": "taliban"}), ("map", {}), ("map", {"metric": "stance"})]  # fmt: skip


@pytest.mark.parametrize(("kind", "params"), KINDS)
def test_every_chart_has_a_name_and_a_description(view: tuple, kind: str, params: dict) -> None:  # noqa: F811
    fig = figure(view, kind, **params)
    name, text = chart_data.title(fig), describe.describe(fig)
    assert name and "<" not in name and "&" not in name
    assert len(text) > 20 and text.endswith(".")
    assert describe.alt_text(fig).startswith(name)


def test_events_per_year_gives_the_span_the_peak_and_the_trend(view: tuple) -> None:  # noqa: F811
    text = describe.describe(figure(view, "by_year"))
    assert text.startswith("5 events in 2010–2011; most in 2011 (4 events)")
    assert "By type: Verbal conflict 2" in text


def test_trend_reads_the_direction_and_ignores_noise() -> None:
    assert describe.trend([1, 2, 3, 5, 8]) == "rising"
    assert describe.trend([9, 7, 4, 2, 1]) == "falling"
    assert describe.trend([5, 6, 5, 5, 6, 5]) == "no clear trend"
    assert describe.trend([3]) == "no clear trend"


def test_by_country_names_the_leaders_with_their_counts(view: tuple) -> None:  # noqa: F811
    text = describe.describe(figure(view, "by_country"))
    assert text.startswith("3 countries concerned. Most events concern Kazakhstan (4), Afghanistan (2) and Tajikistan (1).")


def test_timeline_gives_count_span_rows_and_types(view: tuple) -> None:  # noqa: F811
    text = describe.describe(figure(view, "timeline"))
    assert text.startswith("5 events from 1 March 2010 to 2011, in 3 rows (one per actor). Most events: Kazakhstan (3)")


def test_stance_says_where_each_party_starts_and_ends(view: tuple) -> None:  # noqa: F811
    text = describe.describe(figure(view, "stance", target="taliban"))
    assert "Kazakhstan: +1 Engaging (1 March 2010) to -1 Opposed (2 June 2011)" in text
    assert "NATO / ISAF: -2 Hostile (2011)" in text


def test_map_names_the_countries_without_events(view: tuple) -> None:  # noqa: F811
    tables, meta = view
    only_afg = tables.events[tables.events["id"] == "d"]
    text = describe.describe(charts.figure_for("map", only_afg, tables, meta))
    assert text == "1 country concerned. Most events: Afghanistan (1). No events: Kazakhstan and Tajikistan."


def test_an_empty_view_says_so(view: tuple) -> None:  # noqa: F811
    tables, meta = view
    assert describe.describe(charts.figure_for("by_year", tables.events.iloc[:0], tables, meta)) == \
        "No events match these filters."


def test_descriptions_of_the_real_data_name_what_the_tables_hold() -> None:
    from lib.model.load import load_dataset
    from lib.model.tables import build_tables
    from lib.views.style import ChartMeta

    ds = load_dataset()
    tables, meta = build_tables(ds), ChartMeta.from_dataset(ds)
    for kind, params in KINDS:
        fig = charts.figure_for(kind, tables.events, tables, meta, **params)
        text = describe.describe(fig)
        assert text and "nan" not in text.lower().split(), (kind, text)
