"""Every page under AppTest, on a small fixture and on the real data, unfiltered and filtered:
no exception, and what it shows (counts, chart traces, captions, widget values, the URL)."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lib.model.load import load_dataset
from lib.ui.chart_element import drawn_charts
from lib.wording import year_range
from tests.conftest import REAL_DATA, key_numbers, make_events, write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["timeline", "stance", "map", "events"]


def open_page(page: str, query: dict[str, str] | None = None, page_query: dict[str, str] | None = None) -> AppTest:
    """Open the app, apply a permalink's filters, then go to `page` (with its own URL choices)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        for key, value in (page_query or {}).items():
            at.query_params[key] = value
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def numbers(value: list | dict) -> list[float]:
    """A numeric array from a figure's JSON (plotly sends large arrays as base64 typed arrays)."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def charts_of(at: AppTest) -> list[dict]:
    return [chart.spec for chart in drawn_charts(at)]


def page_tables(at: AppTest) -> list:
    """The page's own tables, leaving out each chart's "Data and downloads" table."""
    chart_tables = [d for e in at.expander if e.label.startswith("Data and downloads:") for d in e.dataframe]
    return [d for d in at.dataframe if all(d is not c for c in chart_tables)]


def html_rows(text: str) -> list[dict[str, str]]:
    """The rows of the first HTML <table> in `text` (header cells, then rows) as dicts by header, text unescaped."""
    from html.parser import HTMLParser

    rows: list[list[str]] = []

    class Cells(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "tr":
                rows.append([])
            elif tag in ("td", "th"):
                rows[-1].append("")

        def handle_data(self, data: str) -> None:
            if rows and rows[-1]:
                rows[-1][-1] += data

    Cells().feed(text[text.index("<table>"):text.index("</table>")])
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def title_of(spec: dict) -> str:
    return spec["layout"]["title"]["text"]


def subtitle_of(spec: dict) -> str:
    return spec["layout"]["title"]["subtitle"]["text"]


def event_ids(spec: dict) -> set[str]:
    return {row[0] for trace in spec["data"] if trace.get("customdata") for row in trace["customdata"]}


COVERAGE = "What the sources cover"


def shown(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Showing:"))


@pytest.fixture
def fixture_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(REAL_DATA))
    return REAL_DATA


# --- every page, real data ----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["overview", *PAGES])
def test_every_page_runs_on_the_real_data_unfiltered(real_data: Path, page: str) -> None:
    at = open_page(page)
    assert shown(at) == "Showing: All events"
    assert at.title and not any("No events match" in i.value for i in at.info)
    assert len(drawn_charts(at)) == {"overview": 3, "timeline": 1, "stance": 2, "map": 1, "events": 0}[page]


@pytest.mark.parametrize("page", ["overview", *PAGES])
def test_every_page_runs_on_the_real_data_filtered(real_data: Path, page: str) -> None:
    at = open_page(page, {"country": "KAZ,TJK", "from": "2010", "to": "2012"})
    assert shown(at) == "Showing: Kazakhstan, Tajikistan · 2010–2012"
    for spec in charts_of(at):
        if title_of(spec) != COVERAGE:  # the sources' coverage is the whole table's, whatever the filters
            assert subtitle_of(spec) == "Kazakhstan, Tajikistan · 2010–2012"
    assert dict(at.query_params) == {"country": "KAZ,TJK", "from": "2010", "to": "2012"}


def test_a_one_ended_year_link_is_still_read_and_is_written_back_with_both_ends(real_data: Path) -> None:
    last = max(int(e.date[:4]) for e in load_dataset(real_data).events)
    at = open_page("overview", {"country": "KAZ", "from": "2010"})
    assert shown(at) == f"Showing: Kazakhstan · {year_range(2010, last)}"
    assert dict(at.query_params) == {"country": "KAZ", "from": "2010", "to": str(last)}, "later events cannot widen it"


def test_overview_shows_counts_periods_and_articles(real_data: Path) -> None:
    ds = load_dataset(real_data)
    years = sorted(int(e.date[:4]) for e in ds.events)
    at = open_chart_panels(open_page("overview"))
    metrics = key_numbers(at)
    assert metrics["Events"] == str(len(ds.events)) and metrics["Articles cited"] == str(len(ds.articles))
    assert metrics["Years"] == year_range(years[0], years[-1])
    assert [title_of(s) for s in charts_of(at)] == ["Events per year", "Events by country", COVERAGE]
    assert not page_tables(at), "no data grid on the overview's first sight"
    most_cited = next(h.value for h in at.html if "<h2>Source articles</h2>" in h.value)  # heading and list: one
    assert "<p>Every event is coded from a verbatim quote" in most_cited and "<ol><li>" in most_cited
    (panel,) = (e for e in at.expander if e.label == f"All {len(ds.articles)} source articles, sortable")
    at.session_state[panel.key] = True  # opened as a reader would: the grid of every article is built then
    at.run()
    (articles,) = (d.value for d in page_tables(at) if "outlet" in d.value.columns)
    (periods,) = (html_rows(h.value) for h in at.html if "<h2>Periods</h2>" in h.value)  # heading, caption, table: one
    covered = next(d.value for d in at.dataframe if "No article" in d.value.columns)
    assert covered["Articles"].sum() == len(ds.articles) and covered["Events"].sum() == len(ds.events)
    assert list(covered["No article"]) == [n == 0 for n in covered["Articles"]]
    assert sum(int(row["Events shown"]) for row in periods) == len(ds.events)
    assert [row["Period"] for row in periods] == [p.label for p in sorted(ds.periods, key=lambda p: p.start)], \
        "none outside"
    assert len(articles) == len(ds.articles) and {"outlet", "author", "date"} <= set(articles.columns)


def test_timeline_by_actor_draws_every_filtered_event(real_data: Path) -> None:
    at = open_page("timeline", {"country": "TJK"})
    (spec,) = charts_of(at)
    assert title_of(spec) == "Timeline of events by actor"
    assert len(event_ids(spec)) == int(key_numbers(open_page("overview", {"country": "TJK"}))["Events"])
    assert at.radio(key="page_rows").value == "actor"


def test_timeline_rows_by_country_from_the_link(real_data: Path) -> None:
    at = open_page("timeline", page_query={"rows": "country"})
    assert at.radio(key="page_rows").value == "country"
    assert title_of(charts_of(at)[0]) == "Timeline of events by country"
    assert at.query_params["rows"] == "country"


def test_choosing_rows_by_country_goes_into_the_url_and_back(real_data: Path) -> None:
    at = open_page("timeline")
    at.radio(key="page_rows").set_value("country").run()
    assert at.query_params["rows"] == "country"
    at.radio(key="page_rows").set_value("actor").run()
    assert "rows" not in at.query_params


def test_a_bad_page_choice_in_the_link_is_ignored_with_a_note(real_data: Path) -> None:
    at = open_page("timeline", page_query={"rows": "sideways"})
    assert at.radio(key="page_rows").value == "actor"
    assert any("sideways" in c.value for c in at.caption)


def test_stance_page_defaults_to_the_taliban_and_draws_both_charts(real_data: Path) -> None:
    at = open_page("stance")
    assert at.selectbox(key="page_target").value == "taliban"
    line, heat = charts_of(at)
    assert title_of(line) == "Stance toward the Taliban over time"
    assert {"Russia", "Kazakhstan", "Uzbekistan"} <= {t.get("name") for t in line["data"]}
    assert title_of(heat) == "Mean stance toward the Taliban by period"
    assert "Russia" in heat["data"][0]["y"]


def test_the_stance_page_keeps_eight_actors_lines_and_draws_the_others_grey(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A legend of 30 actors took the chart's room at 1280x720: with more than 8 actors, the busiest 8 keep their
    lines and legend entries, the others' events are one grey series, every event still drawn."""
    from tests.conftest import ACTORS

    extra = [{"id": f"group{i}", "name": f"Group {i}", "kind": "organisation", "country": None, "colour": "#DDDDDD"}
             for i in range(11)]  # fmt: skip
    folder = write_data_dir(tmp_path / "data", actors=ACTORS + extra)
    events = make_events()
    for i in range(11):
        for day in range(1, 2 + (i < 8)):  # the first eight groups act twice, the last three once
            events.append({**events[1], "id": f"group{i}-speaks-{day}", "actor": f"group{i}", "target": "taliban",
                           "date": f"2011-05-{day + i:02d}", "title": f"Group {i} speaks", "stance": 1,
                           "event_type": "verbal_cooperation"})  # fmt: skip
    write_yaml(folder / "events.yaml", {"events": events})
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    line, _ = charts_of(open_page("stance"))
    lines = [t for t in line["data"] if "lines" in t.get("mode", "") and t.get("showlegend") is not False]
    assert {t["name"] for t in lines} == {f"Group {i}" for i in range(8)}
    (grey,) = [t for t in line["data"] if t.get("name", "").endswith("other actors")]
    assert grey["name"] == "3 other actors" and len(grey["x"]) == 3
    assert title_of(line) == "Stance toward the Taliban over time", "the page's title stays short"


def test_stance_page_reverse_direction_for_another_target_from_the_link(real_data: Path) -> None:
    at = open_page("stance", page_query={"target": "RUS", "dir": "from"})
    assert at.selectbox(key="page_target").value == "RUS"
    assert at.radio(key="page_dir").value == "from"
    assert title_of(charts_of(at)[0]) == "Stance of Russia toward others over time"
    assert at.query_params["target"] == "RUS" and at.query_params["dir"] == "from"


def test_choosing_a_stance_target_and_direction_redraws_both_charts_and_goes_into_the_url(real_data: Path) -> None:
    """The options live in the page's fragment (issue 24): changing one redraws its charts and writes the URL."""
    at = open_page("stance")
    at.selectbox(key="page_target").set_value("RUS").run()
    assert [title_of(s) for s in charts_of(at)] == ["Stance toward Russia over time", "Mean stance toward Russia by period"]
    assert at.query_params["target"] == "RUS" and "dir" not in at.query_params
    at.radio(key="page_dir").set_value("from").run()
    assert title_of(charts_of(at)[0]) == "Stance of Russia toward others over time"
    assert at.query_params["target"] == "RUS" and at.query_params["dir"] == "from"
    at.switch_page("app_pages/timeline.py").run()
    at.switch_page("app_pages/stance.py").run()
    assert at.selectbox(key="page_target").value == "RUS", "the option survives a visit to another page"
    assert at.query_params["dir"] == "from"


def test_choosing_the_map_metric_and_layers_redraws_the_map_and_goes_into_the_url(real_data: Path) -> None:
    at = open_page("map")
    at.selectbox(key="page_metric").set_value("stance").run()
    assert title_of(charts_of(at)[0]) == "Mean stance toward the Taliban by country and events by place"
    assert at.query_params["metric"] == "stance"
    at.selectbox(key="page_layers").set_value("areas").run()
    assert title_of(charts_of(at)[0]) == "Mean stance toward the Taliban by country"
    assert at.query_params["layers"] == "areas" and at.query_params["metric"] == "stance"


def test_map_page_counts_events_per_country_with_the_local_base_map(real_data: Path) -> None:
    at = open_page("map", {"country": "TJK,KAZ", "from": "2010"})
    (chart,) = drawn_charts(at)
    choropleth = chart.spec["data"][0]
    assert choropleth["type"] == "choropleth"
    counts = dict(zip(choropleth["locations"], numbers(choropleth["z"]), strict=True))
    assert counts["KAZ"] > 0 and counts["TJK"] > 0 and {"UZB", "KGZ", "TKM"} <= set(counts)
    # a view inside the region draws from the base map cut down to it (lib.exports.export.fits_cropped_base_map)
    assert chart.config["topojsonURL"] == "/app/static/topojson/central-asia/"
    assert not page_tables(at), "no data grid on the map: the latest events as a list, all of them on the Events page"
    events = int(key_numbers(open_page("overview", {"country": "TJK,KAZ", "from": "2010"}))["Events"])
    latest = next(h.value for h in at.html if "<h2>Events</h2>" in h.value)  # heading, caption and list: one element
    assert f"<p>The latest 8 of {events} events, newest first:</p>" in latest and latest.count("<li><strong>") == 8
    (link,) = at.get("page_link")
    assert link.proto.page == "events" and link.proto.label.startswith(f"All {events} events of this view")


def test_map_page_by_mean_stance_toward_a_target(real_data: Path) -> None:
    at = open_page("map", page_query={"metric": "stance", "target": "taliban"})
    assert at.selectbox(key="page_metric").value == "stance"
    spec = charts_of(at)[0]
    assert title_of(spec) == "Mean stance toward the Taliban by country and events by place"
    assert spec["data"][0]["zmid"] == 0


def test_events_page_lists_searches_and_opens_an_event(real_data: Path) -> None:
    total = len(load_dataset(real_data).events)
    at = open_page("events")
    from lib.views.sources import TABLE_ROW_LIMIT

    assert len(page_tables(at)[0].value) == min(total, TABLE_ROW_LIMIT), "every event, up to the table's limit"
    at.text_input(key="events_search").input("troops").run()
    found = page_tables(at)[0].value
    assert 0 < len(found) < total
    assert any("troops" in c.value for c in at.caption)


# --- behaviour on the small fixture ----------------------------------------------------------------


def test_fixture_overview_counts(fixture_data: Path) -> None:
    at = open_page("overview")
    assert key_numbers(at)["Events"] == "2"


def test_the_overview_names_the_years_no_article_covers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: a gap in the sources is never read as a quiet year. Fixture: articles of 2008 and 2011,
    events dated 2008 and 2011, so 2009 and 2010 have no article."""
    folder = write_data_dir(tmp_path / "data")
    old = folder / "articles" / "mt-2011.md"
    (folder / "articles" / "ot-2008.md").write_text(old.read_text(encoding="utf-8").replace("mt-2011", "ot-2008")
                                                    .replace("2011-05-22", "2008-03-01"), encoding="utf-8")  # fmt: skip
    events = make_events()
    events[0] = {**events[0], "date": "2008-02", "sources": [{**events[0]["sources"][0], "article": "ot-2008"}]}
    write_yaml(folder / "events.yaml", {"events": events})
    write_yaml(folder / "periods.yaml", {"periods": [{"id": "p", "label": "P", "start": "2008-01-01", "end": "2011-12-31"}]})
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    at = open_chart_panels(open_page("overview"))
    spec = next(s for s in charts_of(at) if title_of(s) == COVERAGE)
    assert "No article from 2009–2010 (2 years): a gap in the sources, not a quiet year" in subtitle_of(spec).replace("<br>", " ")
    assert any("2009–2010" in c.value for c in at.caption)
    covered = next(d.value for d in at.dataframe if "No article" in d.value.columns)
    assert list(covered["Year"]) == [2008, 2009, 2010, 2011] and list(covered["Articles"]) == [1, 0, 0, 1]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == [2008.5], "one shaded run of gap years"


def test_fixture_events_page_shows_quote_citation_and_highlighted_article(fixture_data: Path) -> None:
    at = open_page("events")
    at.selectbox(key="events_pick").set_value("taliban-warns-kaz").run()
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("> The Taliban has warned Kazakhstan") for t in texts)
    assert any("The Moscow Times" in t and "22 May 2011" in t for t in texts)
    assert any(":orange-background[**The Taliban has warned Kazakhstan**]" in t for t in texts)
    assert any("Taliban warn Kazakhstan" in s.value for s in at.header)


def test_an_event_without_a_target_says_so_not_an_arrow_to_a_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = make_events()
    events[1] = {**events[1], "target": None, "stance": 0, "event_type": "verbal_cooperation"}
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "d", events)))
    at = open_page("events")
    at.selectbox(key="events_pick").set_value("taliban-warns-kaz").run()
    texts = [m.value for m in at.markdown]
    assert any("Taliban \\(no target\\)" in t for t in texts), texts
    assert not any("→ —" in t for t in texts)


def test_events_beyond_the_tables_rows_are_said_below_the_table_not_above_it(
        fixture_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from lib.views import sources

    monkeypatch.setattr(sources, "TABLE_ROW_LIMIT", 1)  # the real limit is 1,000; the fixture has a few events
    at = open_page("events")
    assert not at.info, "no box above the table: it would push the table out of the first screen"
    assert len(page_tables(at)[0].value) == 1
    counted = next(c.value for c in at.caption if "Click a row" in c.value)
    assert "(the table lists the first 1)" in counted
    assert any(c.value.startswith("The table lists the first 1 of") for c in at.caption), "the note, under the table"


def test_fixture_timeline_and_stance_show_the_events(fixture_data: Path) -> None:
    at = open_page("timeline")
    assert event_ids(charts_of(at)[0]) == {"kaz-votes-isaf", "taliban-warns-kaz"}
    at = open_page("stance", page_query={"target": "KAZ"})
    line = charts_of(at)[0]
    assert event_ids(line) == {"taliban-warns-kaz"}


def test_a_filter_set_on_one_page_stays_on_the_others(fixture_data: Path) -> None:
    at = open_page("overview")
    at.multiselect(key="filter_countries").select("AFG").run()
    assert key_numbers(at)["Events"] == "1"
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
        assert shown(at) == "Showing: Afghanistan"
        assert at.query_params["country"] == "AFG"


def test_no_matching_events_shows_a_friendly_state_with_a_reset(fixture_data: Path) -> None:
    for page in ["overview", *PAGES]:
        at = open_page(page, {"type": "material_conflict"})
        assert any("No events match" in i.value for i in at.info)
        assert not drawn_charts(at)
        at.button(key="reset_empty").click().run()
        assert not at.exception and not any("No events match" in i.value for i in at.info)
        assert "type" not in at.query_params


def test_the_page_is_sent_before_the_sidebars_widgets_and_after_them_when_empty(
    fixture_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold link's browser asks for an element kind's code when the element arrives: the charts go first, so
    Streamlit's Plotly code is not queued behind the widgets' (bench/RESULTS.md, issue 24 round 10). An empty view
    stops at its reset, so there the filters come first and stay usable."""
    import streamlit

    sent: list[str] = []
    for name in ("_bidi_component", "multiselect"):  # the app's chart element is a components-v2 element
        original = getattr(streamlit, name)
        monkeypatch.setattr(streamlit, name, lambda *a, _f=original, _n=name, **k: (sent.append(_n), _f(*a, **k))[1])
    chart = "_bidi_component"
    for page in ["overview", "timeline", "stance", "map"]:  # the events page draws no chart
        sent.clear()
        open_page(page)
        assert chart in sent and sent.index(chart) < sent.index("multiselect"), page
        sent.clear()
        at = open_page(page, {"type": "material_conflict"})
        assert chart not in sent and at.multiselect(key="filter_countries").value == [], page


def test_unknown_link_values_are_ignored_with_a_visible_note(fixture_data: Path) -> None:
    at = open_page("map", {"country": "KAZ,ATL", "from": "twenty"})
    notes = " ".join(c.value for c in at.caption)
    assert "ATL" in notes and "twenty" in notes
    assert shown(at) == "Showing: Kazakhstan"


def test_a_dataset_with_one_event_still_draws_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "d", make_events()[:1])))
    for page in ["overview", *PAGES]:
        open_page(page)


def test_events_page_offers_the_filtered_events_as_csv_and_excel(real_data: Path) -> None:
    at = open_page("events", {"country": "KAZ", "from": "2010", "to": "2012"})
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Events as CSV" in labels and "Events as Excel" in labels


def test_every_page_offers_the_briefing_pack_in_the_sidebar(real_data: Path) -> None:
    for page in ["overview", *PAGES]:
        at = open_page(page, {"country": "TJK"})
        assert any(b.label == "Build briefing pack" for b in at.sidebar.button), page


def test_mode_bar_download_saves_a_slide_sized_png_named_for_the_view(real_data: Path) -> None:
    at = open_page("timeline", {"country": "KAZ", "from": "2010", "to": "2012"})
    config = drawn_charts(at)[0].config
    options = config["toImageButtonOptions"]
    assert options["filename"].endswith("KAZ_2010-2012") and options["scale"] >= 2
    assert options["width"] >= 1200 and options["height"] >= 600


def open_chart_panels(at: AppTest) -> AppTest:
    """Open every chart's "Data and downloads" expander, as a reader would (its table and buttons are built only when open)."""
    closed = [e for e in at.expander if e.label.startswith("Data and downloads:")]
    assert closed and all(not e.dataframe and not e.download_button for e in closed), "closed panels are built"
    assert not at.get("download_button") or all(b.proto.label.startswith("Events as") for b in at.get("download_button"))
    for panel in closed:
        at.session_state[panel.key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_every_chart_is_named_described_and_has_its_numbers_and_a_trimmed_mode_bar(real_data: Path) -> None:
    for page, query in (("overview", None), ("timeline", None), ("stance", None), ("map", None)):
        at = open_chart_panels(open_page(page, query))
        charts = drawn_charts(at)
        data = [e for e in at.expander if e.label.startswith("Data and downloads:")]
        assert charts and len(data) == len(charts), page
        labels = [b.proto.label for b in at.get("download_button")]
        assert labels.count("PNG") == labels.count("Table as CSV") == len(charts), (page, labels)
        for chart, panel in zip(charts, data, strict=True):
            title = chart.spec["layout"]["title"]["text"]
            assert chart.alt.startswith(title) and len(chart.alt) > len(title) + 20, (page, chart.alt)
            assert panel.label == f"Data and downloads: {title}" and len(panel.dataframe[0].value) > 0
            config = chart.config
            buttons = [b for group in config.get("modeBarButtons", []) for b in group]
            assert config.get("displayModeBar") is False or set(buttons) <= {
                "zoomIn2d", "zoomOut2d", "resetScale2d", "zoomInGeo", "zoomOutGeo", "resetGeo", "toImage"}, config


def test_a_years_slider_state_that_lost_its_range_comes_back_as_the_whole_span(real_data: Path) -> None:
    """Streamlit can drop a widget's state; the slider then comes back with one handle (an int) and a run failed
    unpacking it ("cannot unpack non-iterable int", once in `bench browser`, issue 24 round 5). A state that is
    not a (from, to) pair now means the whole span, and the slider is a range again."""
    from lib.ui.keys import Keys

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state[Keys.url_applied] = True  # not a first run: the URL does not set the filters
    at.session_state[Keys.years] = 1996  # one handle, as Streamlit's slider holds it with no value given
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    slider = at.slider(key=Keys.years)
    assert slider.value == (slider.min, slider.max)
    assert "from" not in at.query_params and "to" not in at.query_params


def test_a_chart_with_more_events_than_one_box_holds_asks_for_words_first(
    fixture_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ui.PICKER_LIMIT events the timeline's chooser is a search box, then a box of the events that match
    (issue 24 round 14): nothing listed before a word is typed, only the matching event after, its sources once chosen."""
    from lib.ui import render

    monkeypatch.setattr(render, "PICKER_LIMIT", 1)  # the fixture's chart draws two events
    at = open_page("timeline")
    find = at.text_input(key="timeline_pick_find")
    assert find.label == "Or find an event in the chart (2 events)"
    assert not [s for s in at.selectbox if s.key == "timeline_pick"]
    find.set_value("warn").run()
    pick = at.selectbox(key="timeline_pick")
    assert pick.label == "Events in the chart that match" and pick.options == ["May 2011 — Taliban warn Kazakhstan"]
    pick.set_value("taliban-warns-kaz").run()
    assert any("Taliban warn Kazakhstan" in s.value for s in at.header)
    at.text_input(key="timeline_pick_find").set_value("nothing like it").run()
    assert any("No event in the chart matches “nothing like it”" in c.value for c in at.caption)
    assert not [s for s in at.selectbox if s.key == "timeline_pick"]


def test_the_events_page_opens_a_clicked_row_without_a_box_of_more_events_than_it_holds(
    fixture_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ui.PICKER_LIMIT listed events the events page draws no chooser box but says how to open an event, and a
    row chosen in the table (the table's callback sets the chosen event) still opens its sources."""
    from lib import ui

    monkeypatch.setattr(ui, "PICKER_LIMIT", 1)
    at = open_page("events")
    assert not [s for s in at.selectbox if s.key == "events_pick"]
    assert any("a box to choose the event from comes once it lists 1 events or fewer" in c.value for c in at.caption)
    at.session_state["events_pick"] = "taliban-warns-kaz"
    at.run()
    assert any("Taliban warn Kazakhstan" in s.value for s in at.header)
    at.run()  # a later run (e.g. "Add this event") keeps the event open: no box drawn, so no widget to drop it
    assert any("Taliban warn Kazakhstan" in s.value for s in at.header)
