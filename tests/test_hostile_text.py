"""Hostile text stays text: HTML, scripts, markdown links and LaTeX in data or the URL render literally."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib.model.filters import FilterOptions, Filters, escape_markdown
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from lib.views import aggregate, charts
from lib.views.style import ChartMeta
from tests.conftest import make_events, write_data_dir

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) $\\frac{1}{0}$"


def hostile_folder(tmp_path: Path) -> Path:
    events = make_events()
    events[0]["title"] = HOSTILE
    events[0]["summary"] = HOSTILE
    return write_data_dir(tmp_path / "data", events)


def test_chart_hover_and_titles_escape_html_and_latex(tmp_path: Path) -> None:
    ds = load_dataset(hostile_folder(tmp_path))
    tables = build_tables(ds)
    meta = ChartMeta.from_dataset(ds)
    figures = [
        charts.timeline(tables.events, meta, subtitle=HOSTILE),
        charts.stance_over_time(tables.events, meta, target="nato_isaf", subtitle=HOSTILE),
        charts.region_map(aggregate.country_summary(tables.events, tables), meta, subtitle=HOSTILE),
    ]
    for fig in figures:
        payload = fig.to_json()
        assert "<script" not in payload and "<img" not in payload
        assert "$\\\\frac" not in payload  # a leading $ would start MathJax
    hover_titles = [row[1] for trace in figures[0].data if trace.customdata is not None for row in trace.customdata]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hover_titles[0] or any("&lt;script&gt;" in t for t in hover_titles)
    assert "&lt;script&gt;" in json.loads(figures[1].to_json())["layout"]["title"]["subtitle"]["text"]


def test_escape_markdown_neutralises_links_html_and_math() -> None:
    escaped = escape_markdown(HOSTILE)
    assert "](" not in escaped and "\\<script\\>" in escaped and "\\$" in escaped


def test_hostile_query_values_are_dropped_and_quoted_in_short_notes() -> None:
    options = FilterOptions(countries={"KAZ": "Kazakhstan"}, actors={}, types={}, years=(2000, 2017))
    filters = Filters.from_query({"country": HOSTILE, "../../etc/passwd": "1", "from": "<b>"}, options)
    assert filters.countries == () and filters.year_from is None
    assert any("../../etc/passwd" in note for note in filters.notes)
    assert all(len(note) < 120 for note in filters.notes)
    assert filters.slug() == "all"


def test_validator_prints_control_characters_from_the_data_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from lib.validate import main as validate_main

    events = make_events()
    events[0]["actor"] = "kaz\x1b[2J\x1b[31m"
    events[1]["id"] = "bad id\r\x1b]0;owned\x07"
    folder = write_data_dir(tmp_path / "data", events)
    assert validate_main([str(folder)]) == 1
    out = capsys.readouterr()
    printed = out.out + out.err
    assert "\x1b" not in printed and "\r" not in printed and "\x07" not in printed
    assert "kaz\\x1b[2J\\x1b[31m" in printed
