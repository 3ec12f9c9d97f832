"""The briefing pack: a PDF and an offline HTML of a view, from the command line and from code."""

from __future__ import annotations

import html
import io
import re
import subprocess
import sys
from pathlib import Path

import plotly
import pytest
from pypdf import PdfReader

from lib.exports import export, pdf_fonts
from lib.exports import pack as briefing
from lib.model.load import load_dataset
from lib.paths import FONTS_DIR, ROOT
from tests.conftest import make_events, write_data_dir
from tests.test_export import STATIC_OK, STATIC_WHY, browser, external_links, render_offline  # noqa: F401

needs_chrome = pytest.mark.skipif(not STATIC_OK, reason=f"no Chrome/Chromium for kaleido: {STATIC_WHY}")
PYTHON = sys.executable
FILTER_ARGS = ["--country", "KAZ,TJK", "--from", "2010", "--to", "2012"]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "lib.briefing", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), squash(" ".join(page.extract_text() or "" for page in reader.pages))


def compact(text: str) -> str:
    """No whitespace at all: long URLs may wrap anywhere in a PDF line."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def cli_pdf(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("pack") / "briefing.pdf"
    return out, run_cli("--out", str(out), *FILTER_ARGS)


@pytest.fixture(scope="module")
def filtered_view():
    view, notes = briefing.view_for({"country": "KAZ,TJK", "from": "2010", "to": "2012"})
    assert notes == []
    return view


# ---------------------------------------------------------------------------
# command line, PDF


def test_cli_writes_a_pdf_of_the_filtered_view(cli_pdf) -> None:
    out, result = cli_pdf
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert f"Wrote {out}" in result.stdout
    assert "Drawing chart 1 of 3" in result.stderr, "progress is reported as it builds"
    assert list(out.parent.glob(".*.part")) == [], "written atomically, no temporary file left"


def test_cli_pdf_states_the_filters_and_generation_time(cli_pdf) -> None:
    out, _ = cli_pdf
    _, text = pdf_text(out.read_bytes())
    assert "Kazakhstan, Tajikistan · 2010–2012" in text
    assert "Countries: Kazakhstan, Tajikistan" in text and "Years: 2010–2012" in text
    assert "Link parameters: country=KAZ,TJK&from=2010&to=2012" in text
    assert "Generated " in text and " UTC" in text
    assert "Key numbers" in text


def test_cli_pdf_lists_every_included_event_with_its_citations(cli_pdf, filtered_view) -> None:
    out, _ = cli_pdf
    _, text = pdf_text(out.read_bytes())
    events, references, total = briefing.pack_events(filtered_view)
    assert total == len(filtered_view.events) == len(events) > 0
    # a quote or title may run over a page break: read it without the running footer the break puts inside it
    footer = re.escape(f"{briefing.PACK_TITLE} · {filtered_view.subtitle} · generated ") + r"\d{4}-\d\d-\d\d \d\d:\d\d UTC · page \d+/\d+ "
    body = re.sub(footer, "", text)
    for event in filtered_view.events.itertuples():
        assert squash(event.title) in body, event.title
    assert references, "events cite articles"
    ds = filtered_view.loaded.dataset
    cited = set(filtered_view.loaded.tables.sources.query("event_id in @filtered_view.events.id")["article"])
    assert len(references) == len(cited)
    for article_id in cited:
        article, reference = ds.articles[article_id], export.article_reference(article_id, ds)
        number = references.index(reference) + 1
        assert compact(f"[{number}] {reference}") in compact(body), "a reference may run over a page break too"
        assert article.outlet in reference and (article.url or "") in reference
    for event in events:
        for quote, number in event.quotes:
            assert f"“{squash(quote)}” [{number}]" in body


@needs_chrome
def test_cli_pdf_has_the_three_charts_as_images(cli_pdf) -> None:
    out, _ = cli_pdf
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 3
    assert all(image.image.width >= 2 * briefing.PDF_CHART_WIDTH for image in images)


def test_cli_reports_unknown_values_on_stderr_and_still_builds(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    result = run_cli("--out", str(out), "--country", "KAZ,XXX", "--actor", "nobody", "--from", "20x0", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Ignored unknown country “XXX”" in result.stderr
    assert "Ignored unknown actor “nobody”" in result.stderr
    assert "expected a year" in result.stderr
    assert "Kazakhstan" in out.read_text(encoding="utf-8")


def test_cli_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = run_cli("--out", str(tmp_path / "pack.docx"))
    assert result.returncode == 2 and ".pdf or .html" in result.stderr
    assert not (tmp_path / "pack.docx").exists()


def test_the_cli_does_not_need_streamlit() -> None:
    code = "import sys, lib.exports.pack; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([PYTHON, "-c", code], cwd=ROOT, check=False).returncode == 0


# ---------------------------------------------------------------------------
# HTML pack


def test_cli_html_pack_is_self_contained_and_renders_offline(tmp_path: Path, filtered_view, browser) -> None:
    out = tmp_path / "briefing.html"
    result = run_cli("--out", str(out), *FILTER_ARGS, "--quiet")
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert external_links(page) == []
    assert page.count("Plotly.newPlot") == 3
    plotly_js = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").stat().st_size
    assert plotly_js < len(page) < 1.5 * plotly_js + 2_000_000, "plotly.js embedded once (and one base map)"
    for event in filtered_view.events.itertuples():
        assert squash(event.title) in squash(html.unescape(page))
    seen = render_offline(browser, out)
    assert seen["external"] == [] and seen["errors"] == []
    assert seen["plots"] == 3
    assert seen["map_paths"] > 5, "the map draws from the embedded topojson"
    assert "Kazakhstan, Tajikistan · 2010–2012" in str(seen["text"])


# ---------------------------------------------------------------------------
# from code


def test_progress_is_reported_in_order_and_ends_at_one(filtered_view) -> None:
    seen: list[tuple[float, str]] = []
    data = briefing.build_pack(filtered_view, "html", lambda fraction, message: seen.append((fraction, message)))
    assert data.startswith(b"<!DOCTYPE html>")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) >= 4


def test_an_empty_view_still_builds_and_says_so(monkeypatch) -> None:
    view, _ = briefing.view_for({"country": "KAZ", "from": "2003", "to": "2003", "type": "material_conflict"})
    assert view.events.empty
    monkeypatch.setattr(export, "static_export_available", lambda: (False, "no browser in this test"))
    pages, text = pdf_text(briefing.build_pack(view, "pdf"))
    assert "No events match these filters" in text and pages >= 2


def test_without_chrome_the_pdf_explains_and_the_html_still_has_charts(monkeypatch, filtered_view) -> None:
    monkeypatch.setattr(export, "static_export_available", lambda: (False, export.INSTALL_HINT))
    _, text = pdf_text(briefing.build_pack(filtered_view, "pdf"))
    assert "chart not drawn" in text and "apt-get install chromium" in text
    assert briefing.build_pack(filtered_view, "html").count(b"Plotly.newPlot") == 3


UNICODE_TITLE = "Талибан предупреждает Казахстан — “severe consequences” ‘quoted’ …"
UNICODE_QUOTE = "Қазақстан «Талибан» — ‘қатаң’ салдары"


def test_pdf_renders_unicode_quotes_and_cyrillic(tmp_path: Path, monkeypatch) -> None:
    events = make_events()
    events[1]["title"] = UNICODE_TITLE
    events[1]["sources"].append({"article": "mt-2011", "quote": UNICODE_QUOTE})
    root = write_data_dir(tmp_path / "data", events)
    article = root / "articles" / "mt-2011.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + UNICODE_QUOTE + "\n", encoding="utf-8")
    assert not load_dataset(root).problems
    monkeypatch.setattr(export, "static_export_available", lambda: (False, "charts not needed here"))
    view, _ = briefing.view_for({}, root)
    _, text = pdf_text(briefing.build_pack(view, "pdf"))
    assert UNICODE_TITLE in text
    assert f"“{UNICODE_QUOTE}” [1]" in text
    assert "[1] “Taliban Warns Kazakhstan”, The Moscow Times, 2011-05-22. https://example.org/a" in text


def test_hostile_text_is_escaped_in_the_html_pack(tmp_path: Path) -> None:
    events = make_events()
    events[0]["title"] = "<script>alert(1)</script><img src=https://evil.example/x.png>"
    view, _ = briefing.view_for({}, write_data_dir(tmp_path / "data", events))
    page = briefing.build_pack(view, "html").decode("utf-8")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert external_links(page) == []


def test_the_fonts_ship_with_their_licence() -> None:
    for name in pdf_fonts.FONT_FILES.values():
        assert (FONTS_DIR / name).stat().st_size > 100_000
    assert "Bitstream" in (FONTS_DIR / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_events_beyond_the_cap_are_counted_not_silently_dropped(monkeypatch, filtered_view) -> None:
    monkeypatch.setattr(briefing, "MAX_PACK_EVENTS", 2)
    events, _, total = briefing.pack_events(filtered_view)
    assert len(events) == 2 and total == len(filtered_view.events)
    page = briefing.build_pack(filtered_view, "html").decode("utf-8")
    assert f"Events (first 2 of {total})" in page


def test_a_sources_own_date_follows_its_quote_in_the_pdf_and_html_pack(tmp_path: Path, monkeypatch) -> None:
    events = make_events()
    events[0]["sources"][0] |= {"date": "2011-05-17", "date_note": "It says Tuesday; the house's record, Wednesday."}
    root = write_data_dir(tmp_path / "data", events)
    monkeypatch.setattr(export, "static_export_available", lambda: (False, "charts not needed here"))
    view, _ = briefing.view_for({}, root)
    dated = "This source dates it 17 May 2011: It says Tuesday; the house's record, Wednesday."
    _, text = pdf_text(briefing.build_pack(view, "pdf"))
    quote = "“The Kazakh parliament decided May 18 to send troops” [1]"
    assert compact(f"{quote} {dated}") in compact(text)
    assert text.count("This source dates it") == 1, "only the source that dates the event otherwise"
    page = briefing.build_pack(view, "html").decode("utf-8")
    assert f"{html.escape(quote)}</blockquote><p class='muted'>{html.escape(dated)}</p>" in page
    assert page.count("This source dates it") == 1
