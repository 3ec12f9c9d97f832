"""Inputs checked at the edge: odd slide numbers, a 5 MB paste, UTF-16 and binary uploads, and characters no
export can carry (NUL, ESC, BEL, U+FFFE) refused with a located error by the validator and on Curate."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.errors import DashboardError
from lib.exports.slides import slide_number
from lib.reading import curate
from lib.text import uncarriable
from tests.conftest import ACTORS, make_events, write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = {"title": "Two slides", "slides": [{"heading": "One", "page": "overview"}, {"heading": "Two", "page": "map"}]}


# --- slide numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["²", "٣", "１", "9" * 5000, "+1", "1.0", "0x1", "3", "0", "-1", "1\x00"])
def test_odd_slide_numbers_are_a_clear_message_never_a_value_error(raw: str) -> None:
    with pytest.raises(DashboardError) as caught:
        slide_number(raw, 2)
    assert "not a slide of this briefing" in caught.value.message
    assert len(caught.value.message) < 200


def test_plain_slide_numbers_still_work() -> None:
    assert slide_number(None, 2) == 1 and slide_number("", 2) == 1
    assert slide_number("2", 2) == 2 and slide_number(" 1 ", 2) == 1 and slide_number("01", 2) == 1


@pytest.mark.parametrize("raw", ["²", "9" * 5000])
def test_the_present_page_shows_a_note_for_an_odd_slide_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "two.yaml", BRIEFING)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.query_params["briefing"] = "two"
    at.query_params["slide"] = raw
    at.switch_page("app_pages/present.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1 and "No such slide" in at.error[0].value


# --- the one rule for characters -------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x0b", "\x7f", "\x9b", "\ufffe", "\uffff", "\ufdd0",
                                  "\U0001fffe", "\U0010ffff", "\ud800"])  # fmt: skip
def test_characters_no_export_can_carry_are_named(char: str) -> None:
    problem = uncarriable(f"Tali{char}ban")
    assert problem is not None and f"U+{ord(char):04X}" in problem and "at character 5" in problem


@pytest.mark.parametrize("text", ["tab\there", "line\nbreak", "crlf\r\n", "Ташкент", "طالبان", "ZW\u200dJ",
                                  "emoji 🇰🇿", "NEL\x85", "bom\ufeff", "\ufffd"])  # fmt: skip
def test_ordinary_text_in_any_script_is_allowed(text: str) -> None:
    assert uncarriable(text) is None


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\ufffe"])
def test_the_validator_refuses_an_actor_name_no_export_can_carry(tmp_path: Path, char: str) -> None:
    actors = [dict(a) for a in ACTORS]
    actors[0]["name"] = f"Kazakh{char}stan"
    events = make_events()
    events[1]["sources"][0]["quote"] = events[1]["sources"][0]["quote"]  # unchanged: one bad field only
    folder = write_data_dir(tmp_path / "data", events, actors=actors)
    run = subprocess.run([sys.executable, "-m", "lib.validate", str(folder)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=False)  # fmt: skip
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert char not in run.stdout
    line = next(line for line in run.stdout.splitlines() if "actors.yaml" in line and "field 'name'" in line)
    assert f"U+{ord(char):04X}" in line and "no export can carry it" in line


def test_a_nul_in_a_quote_is_an_event_problem_before_any_save(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    ds = load_dataset(write_data_dir(tmp_path / "data"))
    event = dict(make_events()[0])
    event["sources"] = [{"article": "mt-2011", "quote": "Taliban\x00 warns"}]
    problems = curate.event_problems(event, ds)
    assert any(p.field == "sources[0].quote" and "U+0000" in p.message for p in problems), [str(p) for p in problems]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\ufffe"])
def test_the_curate_page_refuses_a_pasted_article_holding_a_character_no_export_can_carry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, char: str) -> None:  # fmt: skip
    from tests.test_curate_page import enter_article, open_curate

    folder = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = open_curate()
    enter_article(at, body=f"ASTANA — Kazakhstan’s foreign ministry said on Monday{char} that the Taliban had gone.")
    errors = [e.value.replace("\\", "") for e in at.error]  # as shown: Markdown escapes gone
    assert any("Fix the article first" in e and f"U+{ord(char):04X}" in e and "field 'body'" in e for e in errors), errors
    assert char not in " ".join(errors)  # named, never shown raw
    assert not any(c.value.startswith("Status: ") for c in at.caption), "nothing was drafted"


@pytest.mark.parametrize(("field", "char"), [("quote", "\x00"), ("title", "\x07"), ("summary", "\x1b"),
                                             ("quote", "\uffff")])  # fmt: skip
def test_the_curate_page_refuses_an_event_holding_a_character_no_export_can_carry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, char: str) -> None:  # fmt: skip
    from tests.test_curate_page import add_by_hand, enter_article, fill_event, open_curate, statuses, submit

    folder = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    at = open_curate()
    enter_article(at)
    form = add_by_hand(at)
    quote = "Kazakhstan’s foreign ministry said on Monday"
    values = {"quote": quote[:12] + char + quote[12:]} if field == "quote" else {}
    fields = {field: f"Kazakhstan delists{char} the Taliban"} if field != "quote" else {}
    fill_event(at, form, values.get("quote", quote), id="hostile-event", **fields)
    submit(at, "Accept with these changes")
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert f"U+{ord(char):04X}" in errors and char not in errors, errors
    assert statuses(at)[-1] == "**Proposed: not saved unless accepted**"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before  # nothing written


# --- pasted and uploaded articles -------------------------------------------------------------------


def _draft(body: str) -> curate.ArticleDraft:
    meta = curate.front_matter(id="tw-2011-x", title="T", outlet="Test Wire", outlet_short="tw", published="2011-06-08",
                               author=None, approximate=False, published_note=None, url=None, republished_in=None,
                               excerpt=False, body=body)  # fmt: skip
    return curate.ArticleDraft(meta=meta, body=body)


def test_a_5_mb_paste_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    from lib.model.load import load_dataset

    ds = load_dataset(write_data_dir(tmp_path / "data"))
    problems = curate.article_problems(_draft("The Taliban said. " * 300_000), ds)
    assert [p.field for p in problems] == ["body"]
    assert "over the limit of 1,048,576 (1 MB)" in problems[0].message
    assert curate.article_problems(_draft("x" * (curate.MAX_ARTICLE_BYTES - 10)), ds) == []
    nul = curate.article_problems(_draft("The Taliban\x00 said."), ds)
    assert [p.field for p in nul] == ["body"] and "U+0000" in nul[0].message


def test_the_curate_page_refuses_a_5_mb_paste_before_drafting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_curate_page import enter_article, open_curate

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "data")))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = open_curate()
    enter_article(at, body="The Taliban warned Kazakhstan on Sunday. " * 130_000)
    assert any("Fix the article first" in e.value and "1 MB" in e.value for e in at.error), [e.value for e in at.error]
    assert not any(c.value.startswith("Status: ") for c in at.caption), "nothing was drafted"


TEXT = "---\ntitle: Ташкент\n---\nThe Taliban warned Kazakhstan.\n"


@pytest.mark.parametrize("encoding,bom", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-8", b"")])  # fmt: skip
def test_uploads_are_decoded_by_their_byte_order_mark(encoding: str, bom: bytes) -> None:
    text, refused = curate.decode_upload(bom + TEXT.encode(encoding))
    assert refused is None and text == TEXT
    meta, body, note = curate.parse_article_file(text)
    assert meta == {"title": "Ташкент"} and body == "The Taliban warned Kazakhstan." and note is None


@pytest.mark.parametrize("data,why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not UTF-8 text"),
    (b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n" + b"\x00" * 10, "not UTF-8 text"),
    (TEXT.encode("utf-16-le"), "NUL characters"),  # UTF-16 without its mark
    (b"a" * (1024 * 1024 + 1), "over the limit of 1,048,576"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "not UTF-16 LE text"),  # a lone surrogate
])  # fmt: skip
def test_binary_or_oversized_uploads_are_refused_as_not_text(data: bytes, why: str) -> None:
    text, refused = curate.decode_upload(data)
    assert text is None and refused and why in refused


@pytest.mark.parametrize("field,value", [("title", "Kazakh\x1bstan votes"), ("summary", "A bell\x07."),
                                         ("summary", "Astana\ufffe"), ("actor", "kaz\x00")])  # fmt: skip
def test_the_bulk_file_follows_the_same_character_rule(tmp_path: Path, field: str, value: str) -> None:
    from lib.model import bulk
    from lib.model.load import load_dataset
    from tests.test_bulk import bulk_rows

    ds = load_dataset(write_data_dir(tmp_path / "d", events=[]))
    frame = bulk_rows()
    frame.at[0, field] = value
    tables, problems = bulk.load_bulk_tables(bulk.write_events_parquet(frame, tmp_path / "events.parquet"), ds)
    mine = [p for p in problems if p.field == field and "no export can carry it" in p.message]
    assert len(mine) == 1 and any(f"U+{ord(c):04X}" in mine[0].message for c in value if uncarriable(c))
    assert list(tables.events["id"]) == ["taliban-warns-kaz"]


# --- exports of data the validator passed -----------------------------------------------------------


def test_a_300_character_briefing_title_makes_a_deck_with_the_full_title_in_the_notes(tmp_path: Path) -> None:
    from pptx import Presentation

    from lib.exports import deck
    from lib.exports.pack import view_for

    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    title = "Kazakhstan and ISAF " + "and the long road " * 16 + "end"
    assert len(title) > 300
    write_yaml(root / "briefings" / "long.yaml", {"title": title, "slides": [
        {"heading": "The warning", "event": "taliban-warns-kaz", "notes": "Say this."}]})  # fmt: skip
    view, _ = view_for({}, root)
    assert "long" in view.loaded.dataset.briefings, [str(p) for p in view.loaded.dataset.problems]
    briefing = view.loaded.dataset.briefings["long"]
    prs = Presentation(__import__("io").BytesIO(deck.build_pptx(briefing, view.loaded)))
    assert len(prs.core_properties.title) == 255 and prs.core_properties.title.endswith("…")
    assert prs.slides[0].notes_slide.notes_text_frame.text == f"Full title: {title}", "the title slide's notes"
    assert prs.slides[1].notes_slide.notes_text_frame.text == "Say this."


def test_chart_text_is_cleaned_before_plotly_draws_it() -> None:
    import numpy as np
    import plotly.graph_objects as go

    from lib.exports.export import chart_safe

    fig = go.Figure(go.Bar(x=["Tali\x1bban", "NATO\x07"], y=[1, 2], customdata=np.array([["a\x00"], ["b"]], dtype=object),
                           hovertext=["x\ufffe", "y"]), layout={"title": {"text": "Bell\x07"}})  # fmt: skip
    cleaned = chart_safe(fig.to_dict())
    flat = str(cleaned)
    for char in ("\x1b", "\x07", "\x00", "\ufffe"):
        assert char not in flat
    assert list(cleaned["data"][0]["x"]) == ["Tali⟨U+001B⟩ban", "NATO⟨U+0007⟩"]
    assert cleaned["data"][0]["customdata"][0][0] == "a⟨U+0000⟩"
    assert list(cleaned["data"][0]["y"]) == [1, 2]
    assert cleaned["layout"]["title"]["text"] == "Bell⟨U+0007⟩"


STATIC_OK = __import__("lib.exports.export", fromlist=["x"]).static_export_available()[0]


@pytest.mark.skipif(not STATIC_OK, reason="no Chrome/Chromium for kaleido")
def test_kaleido_draws_a_chart_whose_labels_hold_esc_bel_nul_and_ufffe() -> None:
    import plotly.graph_objects as go

    from lib.exports.export import static_image

    fig = go.Figure(go.Bar(x=["Tali\x1bban", "NATO\x07", "nul\x00", "nc\ufffe"], y=[1, 2, 3, 4]),
                    layout={"title": {"text": "Actors \x1b[31m\x07"}})  # fmt: skip
    png = static_image(fig, "png", width=400, height=300, scale=1)
    assert png.startswith(b"\x89PNG")


# --- code spans --------------------------------------------------------------------------------------


def test_code_spans_show_text_literally_without_backslashes() -> None:
    from lib.model.filters import code_span

    assert code_span("d-cur/") == "`d-cur/`"
    assert code_span("a_b*c[d]") == "`a_b*c[d]`"
    assert code_span("x`y") == "``x`y``"
    assert code_span("`edge") == "`` `edge ``"
    assert code_span("two\nlines") == "`two lines`"


def test_the_curate_caption_names_the_folder_without_markdown_escapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_curate_page import open_curate

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(write_data_dir(tmp_path / "d-cur_1")))
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = open_curate()
    caption = next(c.value for c in at.caption if c.value.startswith("Curation mode"))
    assert "`d-cur_1/`" in caption and "\\" not in caption


ODD_BUT_VALID = ("Tab\there, NEL\x85, BOM\ufeff, U+FFFD \ufffd, ZW\u200dJ, RTL\u200f طالبان, LS\u2028, "
                 "emoji 🇰🇿, Ташкент, CJK 阿富汗")  # fmt: skip


@pytest.mark.skipif(not STATIC_OK, reason="no Chrome/Chromium for kaleido")
def test_every_export_carries_odd_text_the_validator_passes(tmp_path: Path) -> None:
    """The other side of the one character rule: text it lets in (tab, NEL, BOM, U+FFFD, joiners, direction
    marks, line separator, emoji, any script) never makes an export fail: the PPTX deck, the PDF handout, the
    PDF pack (charts drawn by kaleido), the XLSX and the CSV."""
    import io

    from pptx import Presentation
    from pypdf import PdfReader

    from lib.exports import deck, export, pack

    events = make_events()
    events[0] = {**events[0], "title": "Vote: " + ODD_BUT_VALID, "summary": ODD_BUT_VALID}
    root = write_data_dir(tmp_path / "data", events)
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "odd.yaml", {"title": ODD_BUT_VALID, "slides": [
        {"heading": ODD_BUT_VALID, "event": events[0]["id"], "notes": ODD_BUT_VALID},
        {"heading": "Chart", "page": "overview", "notes": ODD_BUT_VALID}]})  # fmt: skip
    run = subprocess.run([sys.executable, "-m", "lib.validate", str(root)], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    view, _ = view_for_folder(root)
    briefing = view.loaded.dataset.briefings["odd"]
    pptx = Presentation(io.BytesIO(deck.build(briefing, view.loaded, "pptx")))
    texts = " ".join(shape.text_frame.text for slide in pptx.slides for shape in slide.shapes if shape.has_text_frame)
    assert "طالبان" in texts and "Ташкент" in texts
    handout = PdfReader(io.BytesIO(deck.build(briefing, view.loaded, "pdf")))
    assert len(handout.pages) >= 2
    packed = pack.build_pack(view, "pdf")
    assert packed.startswith(b"%PDF") and len(PdfReader(io.BytesIO(packed)).pages) >= 1
    frame = export.events_export_frame(view.events, view.loaded.tables, view.loaded.dataset)
    assert export.events_xlsx(frame).startswith(b"PK")
    assert "Ташкент" in export.events_csv(frame).decode("utf-8-sig")


def view_for_folder(root: Path):  # type: ignore[no-untyped-def]
    from lib.exports.pack import view_for

    return view_for({}, root)
