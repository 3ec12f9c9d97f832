"""What a reader of a deck, a handout or a projected slide sees (issue 21, round 9's look at every page): an
event's spotlight stays readable however many actors the data has, the map's country labels do not collide
(checked on the SVG plotly.js draws, not only on our model of it), the colour bar and the legend do not
overlap, and a handout page of a view of many articles keeps its chart large (the source list goes to the
Sources pages at the end)."""

from __future__ import annotations

import datetime as dt
import html
import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from lib.exports import deck, export, native_charts, slides
from lib.exports.pack import view_for
from lib.text import WORD_JOINER
from lib.views import charts, map_labels
from lib.views.fold import SLIDE_SERIES, fold_series
from tests.conftest import write_data_dir, write_yaml

STATIC_OK, STATIC_WHY = export.static_export_available()
needs_chrome = pytest.mark.skipif(not STATIC_OK, reason=f"no Chrome/Chromium for kaleido: {STATIC_WHY}")


# ---------------------------------------------------------------------------
# an event's spotlight


def _events(actors: int, per_actor: int = 3, year: int = 2020) -> pd.DataFrame:
    rows = []
    for a in range(actors):
        for k in range(per_actor + (actors - a) % 4):  # unequal counts
            day = pd.Timestamp(f"{year}-01-01") + pd.Timedelta(days=37 * k + a)
            rows.append({"id": f"e{a}-{k}", "year": day.year, "actor": f"actor-{a:02d}", "mid": day, "start": day,
                         "end": day, "date": day.strftime("%Y-%m-%d"), "title": f"Event {a}-{k}", "precision": "day"})  # fmt: skip
    return pd.DataFrame(rows)


META = SimpleNamespace(actor=lambda a: f"Actor {a[-2:]}")


@pytest.mark.parametrize("actors", [1, 3, slides.SPOTLIGHT_ROWS, slides.SPOTLIGHT_ROWS + 1, 24, 60])
def test_a_spotlight_has_at_most_its_rows_and_one_for_the_rest_and_draws_every_event(actors: int) -> None:
    events = _events(actors)
    chosen = events.iloc[-1]  # the actor with the fewest events: its row is kept all the same
    fig = slides.event_spotlight(events, META, chosen["id"])
    rows = list(fig.layout.yaxis.categoryarray)
    drawn = [y for trace in fig.data if trace.showlegend is not False or trace.name for y in trace.y]
    assert len(rows) <= slides.SPOTLIGHT_ROWS + 1, "the chart stays readable beside the event's text"
    assert set(drawn) <= set(rows), "every point sits on a listed row"
    star = fig.data[-1]
    assert star.y[0] == META.actor(chosen["actor"]) and star.y[0] in rows, "the event's own actor keeps its row"
    assert len(fig.data[0].x) + 1 == len(events), "every event of the window is drawn, the others' too"
    named = [r for r in rows if not r.endswith("other actors")]
    if len(named) < events["actor"].nunique():
        assert rows[0] == f"{events['actor'].nunique() - len(named)} other actors", "the rest share the bottom row"
        assert "%{customdata[2]}" in fig.data[0].hovertemplate, "the shared row's hover names each event's actor"
    else:
        assert len(named) == len(rows)


def test_a_spotlights_title_names_only_years_the_data_has() -> None:
    events = pd.concat([_events(3, year=2024), _events(3, year=2026)], ignore_index=True)
    events["id"] = [f"e{k}" for k in range(len(events))]
    last = events[events["year"] == 2026].iloc[0]["id"]
    assert slides.event_spotlight(events, META, last).layout.title.text.startswith("Events 2024–2026;"), \
        "not 2024–2028: the data ends in 2026"
    middle = events[events["year"] == 2024].iloc[0]["id"]
    assert slides.event_spotlight(events, META, middle).layout.title.text.startswith("Events 2024–2026;")
    one_year = _events(3, year=2011)
    assert slides.event_spotlight(one_year, META, one_year.iloc[0]["id"]).layout.title.text.startswith(
        "Events 2011; this one starred"), "a data of one year: not 'Events 2011–2011'"


def test_a_native_spotlight_keeps_the_rows_in_the_figures_order() -> None:
    fig = slides.event_spotlight(_events(24), META, "e5-0")
    positions = native_charts.y_positions(fig)
    order = list(fig.layout.yaxis.categoryarray)
    assert [c for c, _ in sorted(positions.items(), key=lambda kv: kv[1])] == order, "bottom to top, as Plotly draws"


# ---------------------------------------------------------------------------
# the map's labels


def _map_figure(counts: dict[str, int]) -> go.Figure:
    names = {"KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan", "TJK": "Tajikistan", "TKM": "Turkmenistan", "UZB": "Uzbekistan",
             "AFG": "Afghanistan", "PAK": "Pakistan", "IRN": "Iran", "IND": "India", "QAT": "Qatar",
             "ARE": "United Arab Emirates", "AZE": "Azerbaijan", "GEO": "Georgia", "TUR": "Turkey", "SYR": "Syria"}  # fmt: skip
    meta = SimpleNamespace(country=lambda c: names.get(c, c), central_asia=("KAZ", "KGZ", "TJK", "TKM", "UZB"),
                           country_regions={}, actor_ref=lambda a: a, stance_labels={})  # fmt: skip
    summary = pd.DataFrame({"country": list(counts), "events": list(counts.values()),
                            "stance_events": [0] * len(counts), "mean_stance": [np.nan] * len(counts)})  # fmt: skip
    return charts.region_map(summary, meta, subtitle="test")


COUNTRY_SETS = [
    {"KAZ": 29, "KGZ": 20, "TJK": 49, "TKM": 28, "UZB": 60, "AFG": 218, "PAK": 28, "IRN": 16, "IND": 15, "QAT": 3,
     "ARE": 2, "AZE": 3, "TUR": 6},
    {"KAZ": 1, "KGZ": 1, "TJK": 1, "TKM": 1, "UZB": 1, "AFG": 1, "GEO": 1, "AZE": 1, "SYR": 1, "TUR": 1},
    {"KAZ": 0, "KGZ": 500, "TJK": 7, "AFG": 3},
] + [dict(zip(["KAZ", "KGZ", "TJK", "TKM", "UZB", "AFG", "PAK", "IRN", "IND", "QAT", "ARE", "AZE", "GEO", "TUR", "SYR"],
              np.random.default_rng(seed).integers(0, 300, 15).tolist(), strict=True)) for seed in range(3)]  # fmt: skip


def _assert_apart(boxes: list[tuple[str, map_labels.Box]]) -> None:
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not map_labels.overlaps(box_a, box_b, pad=0), f"the labels {a!r} and {b!r} overlap"


@pytest.mark.parametrize("counts", COUNTRY_SETS)
def test_the_map_labels_of_a_deck_picture_and_a_projected_slide_do_not_overlap(counts: dict[str, int]) -> None:
    fig = _map_figure(counts)
    drawn = deck.for_slide(fig, deck.CHART_BOX_IN)
    boxes = map_labels.label_boxes(drawn, drawn.layout.width, drawn.layout.height)
    assert boxes, "some labels are kept"
    _assert_apart(boxes)
    for scale in (0.8, 1.0, 1.5):
        projected, _ = slides.on_slide(slides.for_projection(fig), scale)
        _assert_apart(map_labels.label_boxes(projected, *(v * scale for v in slides.SLIDE_MAP_PX)))


def test_the_busiest_country_and_the_central_asian_states_are_labelled_first() -> None:
    counts = COUNTRY_SETS[0]
    drawn = deck.for_slide(_map_figure(counts), deck.CHART_BOX_IN)
    shown = {text.replace("<br>", " ").rsplit(" ", 1)[0] for text, _ in map_labels.label_boxes(drawn, 987, 400)}
    assert {"Afghanistan", "Uzbekistan", "Tajikistan", "Kazakhstan", "Turkmenistan"} <= shown


def test_two_labels_on_one_spot_are_moved_apart_or_one_left_out() -> None:
    frame = map_labels.MapFrame((32, 96), (22, 57), 600, 300)
    placed = map_labels.place([("TJK", "Tajikistan<br>5", 2), ("KGZ", "Kyrgyzstan<br>4", 1),
                               ("UZB", "Uzbekistan<br>3", 0)], frame, 24)  # fmt: skip
    assert "TJK" in placed, "the busiest first, at its place"
    _assert_apart([(code, box) for code, (_, _, box, _) in placed.items()])
    for _, _, box, _ in placed.values():
        assert map_labels.inside(box, frame.bounds), "inside the map"


SVG_LABEL = re.compile(r'transform="translate\(([\d.]+),([\d.]+)\)"[^>]*font-size: ([\d.]+)px[^>]*>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>')


@needs_chrome
def test_the_labels_plotly_draws_in_a_deck_picture_do_not_overlap() -> None:
    """The drawn SVG: each label's box from where plotly.js put it, its lines and its font size."""
    drawn = deck.for_slide(_map_figure(COUNTRY_SETS[0]), deck.CHART_BOX_IN)
    svg = export.static_image(drawn, "svg", width=drawn.layout.width, height=drawn.layout.height, scale=1).decode()
    names = {t.replace("<br>", " ").split(" ")[0] for t in drawn.data[-1].text}
    boxes = []
    for x, y, size, spans in SVG_LABEL.findall(svg):
        lines = re.findall(r">([^<]*)</tspan>", spans)
        if not lines or lines[0].split(" ")[0] not in names:
            continue
        width, height = map_labels.label_size("<br>".join(lines), float(size))
        top = float(y) - 0.8 * float(size)  # the first line's baseline
        boxes.append((lines[0], (float(x) - width / 2, top, float(x) + width / 2, top + height)))
    assert len(boxes) == len(drawn.data[-1].text), "every kept label is drawn"
    _assert_apart(boxes)


def test_the_colour_bar_and_the_legend_sit_on_either_side_of_a_deck_map() -> None:
    drawn = deck.for_slide(_map_figure(COUNTRY_SETS[0]), deck.CHART_BOX_IN)
    (choropleth,) = [t for t in drawn.data if t.type == "choropleth"]
    assert choropleth.colorbar.x == 0 and choropleth.colorbar.xanchor == "left"
    assert drawn.layout.legend.x == 1 and drawn.layout.legend.xanchor == "right"


# ---------------------------------------------------------------------------
# the handout


MANY = 60  # articles behind one view slide: their citations would fill a handout page


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory: pytest.TempPathFactory):
    root = write_data_dir(tmp_path_factory.mktemp("look") / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "b.yaml", {"title": "Sources", "slides": [
        {"heading": "Per year", "page": "overview", "notes": "Notes under the chart."},
        {"heading": "The warning", "event": "taliban-warns-kaz"}]})  # fmt: skip
    view, _ = view_for({}, root)
    briefing = view.loaded.dataset.briefings["b"]
    parts = deck.deck_parts(briefing, view.loaded, native=False, generated=dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    parts.sources[1] = "Source: events coded from " + "; ".join(f"Outlet {n}, 2011-05-{n % 28 + 1:02d}" for n in range(MANY))
    return briefing, view.loaded, parts


def test_a_handout_page_cuts_a_long_source_list_and_the_sources_pages_list_it_all(many_sources) -> None:
    briefing, loaded, parts = many_sources
    footer = deck.handout_footer_text(parts, 1)
    assert len(footer) < deck.HANDOUT_SOURCE_CHARS + 250, "about three lines, not a page"
    assert "all listed under Sources at the end" in footer
    assert deck.cut_sources(parts) == [1]
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(deck.build_pdf(
        briefing, loaded, parts=parts))).pages]  # fmt: skip
    assert len(pages) == 1 + len(briefing.slides) + 1, "title page, a page per slide, then the Sources page"
    assert pages[-1].startswith("Sources") and "Slide 1: Per year" in pages[-1]
    for n in range(MANY):
        assert f"Outlet {n}, 2011-05-{n % 28 + 1:02d}" in pages[-1]
    assert "Notes under the chart." in pages[1], "the notes stay on their slide's page"


@needs_chrome
def test_a_handout_chart_keeps_most_of_its_page_whatever_the_sources(many_sources) -> None:
    briefing, loaded, parts = many_sources
    reader = PdfReader(io.BytesIO(deck.build_pdf(briefing, loaded, parts=parts)))
    page = reader.pages[1]
    images = list(page.images)
    assert images, "the chart is drawn"
    # the image's placed size: from the page's drawing operators (cm matrix before the Do)
    content = page.get_contents().get_data().decode("latin-1")
    heights = [float(m.group(1)) for m in re.finditer(r"[\d.]+ 0 0 ([\d.]+) [\d.]+ [\d.]+ cm\s*/I", content)]
    assert heights, content[:400]
    assert max(heights) >= 0.45 * float(page.mediabox.height), "the chart takes at least about half the page's height"


# ---------------------------------------------------------------------------
# a line chart of many actors (the stance chart)


def _many_lines(actors: int) -> go.Figure:
    fig = go.Figure()
    for a in range(actors):
        n = 1 + (a * 7) % 11  # unequal counts, not in order
        xs = [pd.Timestamp("2020-01-01") + pd.Timedelta(days=30 * k + a) for k in range(n)]
        fig.add_trace(go.Scatter(x=xs, y=[(k + a) % 5 - 2 for k in range(n)], mode="lines+markers", name=f"Actor {a}",
                                 line={"shape": "hv"}, customdata=[[f"e{a}-{k}"] for k in range(n)],
                                 hovertemplate="%{customdata[0]}"))  # fmt: skip
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="exact day", legendgroup="precision"))
    fig.update_layout(title={"text": "Stance over time"})
    return fig


@pytest.mark.parametrize("actors", [3, SLIDE_SERIES + 1, SLIDE_SERIES + 2, 24])
def test_a_chart_of_many_actors_keeps_the_busiest_lines_and_draws_every_point(actors: int) -> None:
    fig = _many_lines(actors)
    points = {t.name: len(t.x) for t in fig.data if t.legendgroup != "precision"}
    folded = fold_series(go.Figure(fig))
    lines = [t for t in folded.data if "lines" in (t.mode or "")]
    assert len(lines) <= SLIDE_SERIES + 1
    assert sum(len(t.x) for t in folded.data if t.legendgroup != "precision") == sum(points.values()), "every event drawn"
    if len(lines) < actors:
        kept = {t.name for t in lines}
        assert min(points[n] for n in kept) >= max(points[n] for n in points if n not in kept), "the busiest kept"
        (grey,) = [t for t in folded.data if t.name.endswith("other actors")]
        assert grey.name == f"{actors - len(lines)} other actors" and grey.mode == "markers"
        assert len(grey.customdata) == len(grey.x), "each grey point keeps its own hover"
        assert f"{actors - len(lines)} more in grey" in folded.layout.title.text
    projected, _ = slides.on_slide(fig, 1.0)
    entries = [t for t in projected.data if t.showlegend is not False and t.legendgroup != "precision"]
    assert len(entries) <= SLIDE_SERIES + 1 + 1, "the projected slide's legend stays short"


# ---------------------------------------------------------------------------
# rendered by LibreOffice: the title slide's year range and a native chart's legend

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_lo = pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                              reason="LibreOffice and poppler's pdftotext (scripts/setup.sh --dev)")  # fmt: skip
LONG_TITLE = "Kazakhstan and the ISAF decision, 2010–2011"


def _stance_like() -> go.Figure:
    """The stance chart toward Kazakhstan as the kazakhstan briefing's slide 8 has it: two actors, the
    precision key, stance levels as the y axis's tick text, two years on the x axis."""
    fig = go.Figure()
    for name, xs, y in (("United States", ["2010-12-15", "2011-05-18"], 1), ("Taliban", ["2011-05-21"], -1)):
        fig.add_trace(go.Scatter(x=xs, y=[y] * len(xs), mode="lines+markers", name=name, line={"shape": "hv"}))
    for name in ("exact day", "month or year known (span)"):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, legendgroup="precision"))
    fig.update_layout(title={"text": "Stance toward Kazakhstan over time"},
                      yaxis={"tickvals": [-2, -1, 0, 1, 2], "ticktext": ["-2 Hostile", "-1 Opposed", "0 Neutral / mixed",
                                                                        "+1 Engaging", "+2 Aligned"]})  # fmt: skip
    return fig


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word of a PDF page and its box (x0, y0, x1, y1, points from the top left), from poppler's pdftotext."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(html.unescape(w), *map(float, box)) for *box, w in re.findall(pattern, out)]


@pytest.fixture(scope="module")
def rendered_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pptx import Presentation

    folder = tmp_path_factory.mktemp("lo")
    root = write_data_dir(folder / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "b.yaml", {"title": LONG_TITLE, "slides": [
        {"heading": "The warning", "event": "taliban-warns-kaz"}]})  # fmt: skip
    view, _ = view_for({}, root)
    briefing = view.loaded.dataset.briefings["b"]
    data = deck.build_pptx(briefing, view.loaded, generated=dt.datetime(2026, 12, 7, tzinfo=dt.UTC))
    prs = Presentation(io.BytesIO(data))
    native_charts.add_chart(prs.slides.add_slide(prs.slide_layouts[6]), _stance_like(), deck.CHART_BOX_IN)
    source = folder / "deck.pptx"
    prs.save(str(source))
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                          capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0 and (folder / "deck.pdf").is_file(), done.stdout + done.stderr
    return folder / "deck.pdf"


@needs_lo
def test_the_title_slide_keeps_a_year_range_on_one_line(rendered_deck: Path) -> None:
    words = _words(rendered_deck, 1)
    (first,) = [w for w in words if w[0].startswith("2010")]
    assert "2011" in first[0], f"the range is one word on one line, not '2010–' then '2011': {first[0]!r}"
    assert first[0].replace(WORD_JOINER, "") == "2010–2011"


@needs_lo
def test_a_native_charts_legend_sits_below_its_axis_labels(rendered_deck: Path) -> None:
    words = _words(rendered_deck, 3)
    ticks = [w for w in words if w[0] in ("2010", "2011", "2012")]
    legend = [w for w in words if w[0] in ("United", "States", "Taliban", "exact", "day", "month", "(span)")]
    assert ticks and len(legend) == 7, words
    lowest_tick = max(w[4] for w in ticks)
    assert min(w[2] for w in legend) >= lowest_tick, "no legend row on the x axis's labels"
    page_height = 7.5 * 72
    assert max(w[4] for w in legend) <= page_height * (deck.CHART_BOX_IN[1] + deck.CHART_BOX_IN[3]) / 7.5, "inside the box"


def test_legend_rows_counts_the_grid_libreoffice_draws() -> None:
    entries = ["United States", "Taliban", "exact day", "month or year known (span)"]
    assert native_charts.legend_rows(entries, 10.5) == 2, "two columns as wide as the widest entry"
    assert native_charts.legend_rows(["A", "B"], 10.5) == 1
    assert native_charts.legend_rows([], 10.5) == 0


def _many_rows(rows: int) -> go.Figure:
    """A timeline as the dashboard draws it (title, subtitle, a period band, a legend of types and precisions) with
    `rows` actors, one a long name."""
    names = ["Commonwealth of Independent States"] + [f"Actor {n:02d}" for n in range(1, rows)]
    fig = go.Figure()
    for n, kind in enumerate(["Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"]):
        fig.add_trace(go.Scatter(x=[pd.Timestamp("2000-03-01") + pd.Timedelta(days=70 * (n + k)) for k in range(rows)],
                                 y=list(range(rows)), mode="markers", name=kind))  # fmt: skip
    for name in ("exact day", "month or year known (span)"):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, legendgroup="precision"))
    fig.add_vrect(x0=pd.Timestamp("2000-01-01"), x1=pd.Timestamp("2001-12-31"), fillcolor="#EDEDED", line_width=0)
    fig.add_annotation(x=pd.Timestamp("2001-01-01"), y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                       text="2000–01 accommodation", hovertext="2000–01 accommodation with the Taliban")  # fmt: skip
    fig.update_yaxes(tickmode="array", tickvals=list(range(rows)), ticktext=names, autorange="reversed")
    fig.update_xaxes(type="date")
    fig.update_layout(template=charts.register_template(), height=600,
                      title={"text": "Timeline of events by actor", "subtitle": {"text": "2000–2001"}})  # fmt: skip
    return fig


@needs_chrome
def test_a_handout_timeline_of_21_rows_prints_its_row_names_apart_at_9_pt_or_more() -> None:
    """Printed: the picture's layout pixels at HANDOUT_PPI, placed at its box's width (A4 landscape's text width);
    the names' baselines drawn by plotly.js at least a line of their own font apart."""
    drawn = deck.handout_figure(_many_rows(21), deck.CHART_BOX_IN, {"Commonwealth of Independent States": "CIS"})
    svg = export.static_image(drawn, "svg", width=drawn.layout.width, height=drawn.layout.height, scale=1).decode()
    ticks = []
    for tag, name in re.findall(r'<g class="ytick">(<text[^>]*>)([^<]*)</text>', svg):
        shift = re.search(r"translate\(0,\s*([0-9.]+)\)", tag)
        y = float(re.search(r' y="([0-9.]+)"', tag).group(1)) + (float(shift.group(1)) if shift else 0.0)
        ticks.append((y, re.search(r"font-size: ?([0-9.]+)px", tag).group(1), name))
    assert len(ticks) == 21, ticks[:3]
    sizes = {float(size) for _, size, _ in ticks}
    printed_pt = min(sizes) * 72 / deck.HANDOUT_PPI * min(1.0, 273 / 25.4 / deck.CHART_BOX_IN[2])
    assert printed_pt >= 9, (sizes, printed_pt)
    ys = sorted(float(y) for y, _, _ in ticks)
    assert min(b - a for a, b in itertools.pairwise(ys)) >= max(sizes), "each name a line of its own"
    assert "CIS" in {name for _, _, name in ticks}, "a long name shortened as on the slide"


@needs_lo
def test_an_event_slide_of_long_text_stays_above_its_footer(tmp_path: Path) -> None:
    """A long summary and a long first quote (valid data: neither has a length limit) shrink to the event's box;
    the quote is whole and nothing runs into the footer, as LibreOffice lays it out."""
    from tests.conftest import make_events

    events = make_events()
    sentence = "The lower house approved the deployment after a long debate on the costs and the risks of it. "
    events[0]["summary"] = sentence * 11
    write_data_dir(tmp_path / "data", events)
    quote = ("Officials in the capital said again this week that the warning was heard and that the troops would go "
             "as planned, whatever the movement said, and that the decision of the parliament stood. ") * 4
    article = tmp_path / "data" / "articles" / "mt-2011.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + quote.strip() + " The end.\n", encoding="utf-8")
    events[0]["sources"][0]["quote"] = quote.strip()
    write_yaml(tmp_path / "data" / "events.yaml", {"events": events})
    (tmp_path / "data" / "briefings").mkdir()
    write_yaml(tmp_path / "data" / "briefings" / "b.yaml", {"title": "Long", "slides": [
        {"heading": "The vote", "event": "kaz-votes-isaf"}]})  # fmt: skip
    view, _ = view_for({}, tmp_path / "data")
    assert "b" in view.loaded.dataset.briefings, [str(p) for p in view.loaded.dataset.problems]
    briefing = view.loaded.dataset.briefings["b"]
    source = tmp_path / "deck.pptx"
    source.write_bytes(deck.build_pptx(briefing, view.loaded, generated=dt.datetime(2026, 12, 7, tzinfo=dt.UTC)))
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    words = _words(tmp_path / "deck.pdf", 2)
    ends = {"it.": 11, "stood.": 3, "stood.”": 1, "Warns": 1}  # the summary, the quote (closed), its citation
    assert {k: sum(w[0] == k for w in words) for k in ends} == ends, "the summary, the whole quote, its citation"
    box_bottom = 72 * (deck.CHART_BOX_IN[1] + deck.CHART_BOX_IN[3])
    footer_top = min(w[2] for w in words if w[0] == "Source:")
    lowest = max(w[4] for w in words if w[0] in ends)
    assert lowest <= box_bottom + 2 and lowest <= footer_top, f"the event's text ends at {lowest:.0f} pt: in its box"
