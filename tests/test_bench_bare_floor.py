"""The bare-Streamlit floor of `bench browser` draws exactly the pages and figures it is given, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from bench.browser import BARE_ENV, bare_script, write_bare_pages

BARE = Path(__file__).resolve().parents[1] / "bench" / "bare_floor.py"


def _spec(title: str, n: int) -> str:
    fig = go.Figure(go.Bar(x=list(range(n)), y=list(range(n))), layout={"title": {"text": title}, "height": 400})
    return pio.to_json(fig, validate=False)


def _pages(tmp_path: Path) -> Path:
    pages = [{"script": "app_pages/a.py", "title": "First", "url_path": "home", "default": True},
             {"script": "app_pages/b.py", "title": "Second", "url_path": "second"}]  # fmt: skip
    expect = {"app_pages/a.py": {"heading": "The first page", "specs": [[_spec("One", 3), '{"displaylogo": false}', ""],
                                                                        [_spec("Two", 4), "{}", "streamlit"]]},
              "app_pages/b.py": {"heading": "The second page", "specs": []}}  # fmt: skip
    sizes = {"app_pages/a.py": [[600, 300], [0, 0]]}
    return write_bare_pages(pages, expect, sizes, tmp_path / "pages.json")


def test_bare_pages_keep_the_specs_configs_themes_and_drawn_sizes(tmp_path: Path) -> None:
    written = json.loads(_pages(tmp_path).read_text(encoding="utf-8"))
    assert [p["url_path"] for p in written] == ["home", "second"] and written[0]["default"] and not written[1]["default"]
    first = written[0]["charts"]
    assert [c["theme"] for c in first] == ["", "streamlit"]
    assert first[0]["size"] == [600, 300] and first[1]["size"] is None  # a chart not drawn (0 px) keeps its own size
    assert json.loads(first[0]["spec"])["layout"]["title"]["text"] == "One"


def test_the_bare_floor_draws_each_page_title_and_its_figures_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(BARE_ENV, str(_pages(tmp_path)))
    at = AppTest.from_file(bare_script(tmp_path / "bare"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The first page"]
    charts = at.get("plotly_chart")
    assert [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in charts] == ["One", "Two"]
    assert [c.proto.theme for c in charts] == ["", "streamlit"]
    assert json.loads(charts[0].proto.config) == {"displaylogo": False}
    assert not at.markdown and not at.expander and not at.dataframe  # nothing but the title and the charts
    assert (tmp_path / "bare" / "static").is_dir()  # the maps' base map is served beside the script
