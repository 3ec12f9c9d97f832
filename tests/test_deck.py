"""A briefing handed out: the PPTX deck (content, notes, a native chart), the PDF handout, the command line,
and the deck opened by a real client (LibreOffice Impress, headless)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from lib.exports import deck, export
from lib.exports.pack import view_for
from lib.paths import ROOT
from tests.conftest import write_data_dir, write_yaml

STATIC_OK, STATIC_WHY = export.static_export_available()
needs_chrome = pytest.mark.skipif(not STATIC_OK, reason=f"no Chrome/Chromium for kaleido: {STATIC_WHY}")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
WHEN = dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.UTC)
BRIEFING = {
    "title": "Kazakhstan and ISAF",
    "slides": [
        {"heading": "Per year", "page": "overview", "notes": "Two events, one year."},
        {"heading": "By country", "page": "timeline", "query": "rows=country&country=KAZ"},
        {"heading": "The warning", "event": "taliban-warns-kaz", "notes": "Bell in the notes."},
        {"heading": "The list", "page": "events", "query": "actor=taliban"},
    ],
}


def squash(text: str) -> str:
    return " ".join(text.split())


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return squash(" ".join(parts))


@pytest.fixture(scope="module")
def fixture_deck(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object, object, object]:
    root = write_data_dir(tmp_path_factory.mktemp("deck") / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "kaz.yaml", BRIEFING)
    view, _ = view_for({}, root)
    briefing = view.loaded.dataset.briefings["kaz"]
    parts = deck.deck_parts(briefing, view.loaded, generated=WHEN)
    return deck.build_pptx(briefing, view.loaded, parts=parts), parts, briefing, view.loaded


def test_the_deck_is_16_9_with_one_slide_per_briefing_slide_and_their_headings(fixture_deck) -> None:
    data, _, briefing, _ = fixture_deck
    prs = Presentation(io.BytesIO(data))
    assert abs(Emu(prs.slide_width).inches / Emu(prs.slide_height).inches - 16 / 9) < 0.01
    assert len(prs.slides) == len(briefing.slides)
    for n, (slide, spec) in enumerate(zip(prs.slides, briefing.slides, strict=True), start=1):
        text = slide_text(slide)
        assert spec.heading in text
        assert f"Kazakhstan and ISAF · {n}/4" in text
        assert "Exported 2026-12-05 14:00 UTC" in text and "The Moscow Times, 2011-05-22" in text


def test_events_per_year_is_a_native_editable_chart_with_the_same_counts(fixture_deck) -> None:
    prs = Presentation(io.BytesIO(fixture_deck[0]))
    charts = [s for s in prs.slides[0].shapes if s.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert list(chart.plots[0].categories) == ["2011"]
    assert {s.name: list(s.values) for s in chart.series} == {"Material cooperation": [1.0], "Verbal conflict": [1.0]}


@needs_chrome
def test_other_charts_are_crisp_images(fixture_deck) -> None:
    prs = Presentation(io.BytesIO(fixture_deck[0]))
    pictures = [s for s in prs.slides[1].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0].image.size[0] >= 2400, "drawn at 2x for projection"


def test_filters_in_words_and_the_dashboard_link_are_on_a_view_slide(fixture_deck) -> None:
    text = slide_text(Presentation(io.BytesIO(fixture_deck[0])).slides[1])
    assert "Countries: Kazakhstan" in text and "Years: all" in text
    assert "/timeline?country=KAZ&rows=country" in text


def test_an_event_slide_has_the_summary_verbatim_quote_and_full_citation(fixture_deck) -> None:
    text = slide_text(Presentation(io.BytesIO(fixture_deck[0])).slides[2])
    assert "The Taliban warn of severe consequences." in text
    assert "“The Taliban has warned Kazakhstan”" in text
    assert "“Taliban Warns Kazakhstan”, The Moscow Times, 2011-05-22. https://example.org/a" in text


def test_a_list_page_is_a_native_table_of_its_events(fixture_deck) -> None:
    slide = Presentation(io.BytesIO(fixture_deck[0])).slides[3]
    (table,) = [s.table for s in slide.shapes if s.has_table]
    assert [c.text for c in table.rows[0].cells] == ["Date", "Event", "Actor → target"]
    assert table.rows[1].cells[1].text == "Taliban warn Kazakhstan"


def test_speaker_notes_are_in_the_notes_pane_and_control_characters_are_replaced_visibly(fixture_deck) -> None:
    data, parts, _, _ = fixture_deck
    prs = Presentation(io.BytesIO(data))
    assert prs.slides[0].notes_slide.notes_text_frame.text == "Two events, one year."
    assert prs.slides[2].notes_slide.notes_text_frame.text == "Bell in the notes."
    assert not prs.slides[1].has_notes_slide or prs.slides[1].notes_slide.notes_text_frame.text == ""
    # The validator refuses a BEL in a briefing (lib.text.uncarriable); a briefing built in code that
    # skips validation still gets a deck, with the character marked and the file saying so.
    _, _, briefing, loaded = fixture_deck
    event_slide = briefing.slides[2].model_copy(update={"notes": "Bell\x07 in the notes."})
    bad = briefing.model_copy(update={"slides": [event_slide]})
    bad_parts = deck.deck_parts(bad, loaded, generated=WHEN)
    prs = Presentation(io.BytesIO(deck.build_pptx(bad, loaded, parts=bad_parts)))
    assert prs.slides[0].notes_slide.notes_text_frame.text == "Bell⟨U+0007⟩ in the notes."
    assert [(r.where, r.chars) for r in bad_parts.replaced.items] == [("slide 1 notes", ("\x07",))]
    assert "slide 1 notes" in prs.core_properties.comments, "the file says what was replaced"


def test_the_pdf_handout_has_a_page_per_slide_with_quotes_and_notes(fixture_deck) -> None:
    _, parts, briefing, loaded = fixture_deck
    pdf = PdfReader(io.BytesIO(deck.build_pdf(briefing, loaded, parts=parts)))
    text = squash(" ".join(page.extract_text() for page in pdf.pages))
    assert len(pdf.pages) >= len(briefing.slides)
    for spec in briefing.slides:
        assert spec.heading in text
    assert "The Taliban has warned Kazakhstan" in text and "Two events, one year." in text


@needs_chrome
def test_the_command_line_writes_a_deck_of_a_shipped_briefing(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    name, briefing = next(iter(load_dataset(ROOT / "data").briefings.items()))
    out = tmp_path / "deck.pptx"
    done = subprocess.run([sys.executable, "-m", "lib.briefing", "--briefing", name, "--out", str(out), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    prs = Presentation(str(out))
    assert len(prs.slides) == len(briefing.slides)
    assert all(spec.heading in slide_text(s) for s, spec in zip(prs.slides, briefing.slides, strict=True))
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in prs.slides), "shipped slides have notes"


def test_the_command_line_names_an_unknown_briefing(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "lib.briefing", "--briefing", "nope", "--out", str(tmp_path / "d.pptx")],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)  # fmt: skip
    assert done.returncode == 1 and "no valid briefing 'nope'" in done.stderr
    assert not (tmp_path / "d.pptx").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/setup.sh --dev installs "
                                            "Debian's libreoffice-impress; CI has it")  # fmt: skip
def test_libreoffice_impress_opens_and_converts_the_deck(fixture_deck, tmp_path: Path) -> None:
    data, _, briefing, _ = fixture_deck
    source = tmp_path / "deck.pptx"
    source.write_bytes(data)
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with another soffice
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, check=False, timeout=180)  # fmt: skip
    converted = tmp_path / "deck.pdf"
    assert done.returncode == 0 and converted.is_file(), done.stdout + done.stderr
    pdf = PdfReader(str(converted))
    assert len(pdf.pages) == len(briefing.slides)
    text = squash(" ".join(page.extract_text() for page in pdf.pages))
    for spec in briefing.slides:
        assert spec.heading in text
    assert "The Taliban has warned Kazakhstan" in text
