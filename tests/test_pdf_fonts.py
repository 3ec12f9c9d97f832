"""Every script the data can hold comes out of the PDF pack's text layer; what no font draws is marked and warned."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from lib.exports import export, pdf_fonts
from lib.exports import pack as briefing
from lib.model.load import load_dataset
from tests.conftest import make_events, write_data_dir

CJK = "塔利班警告哈萨克斯坦"  # Chinese: the Taliban warn Kazakhstan
TITLES = {
    "russian": "Талибан предупреждает Казахстан",
    "kazakh": "Талибан Қазақстанға ескерту жасады",
    "tajik": "Толибон ба Қазоқистон ҳушдор дод",
    "uzbek_latin": "Tolibon Qozog‘istonni ogohlantirdi",
    "turkmen_latin": "Talyban Gazagystany duýduryş berdi",
    "dari": "طالبان به قزاقستان هشدار دادند",
    "pashto": "طالبانو قزاقستان ته خبرداری ورکړ",
    "hebrew": "הטליבאן מזהירים את קזחסטן",
    "cjk": CJK,
}


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages)


def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str, summary: str = "The lower house approves.",
         warnings: list[str] | None = None) -> str:  # fmt: skip
    events = make_events()
    events[0]["title"] = title
    events[0]["summary"] = summary
    root = write_data_dir(tmp_path / "data", events)
    assert not [p for p in load_dataset(root).problems if p.is_error]
    monkeypatch.setattr(export, "static_export_available", lambda: (False, "charts not needed here"))
    view, _ = briefing.view_for({}, root)
    return pdf_text(briefing.build_pack(view, "pdf", warn=(warnings if warnings is not None else []).append))


needs_cjk_font = pytest.mark.skipif(not any(f.family == "NotoSansCJK" for f in pdf_fonts.fallbacks()),
                                    reason="fonts-noto-cjk is not installed (scripts/setup.sh installs it)")  # fmt: skip


@pytest.mark.parametrize("script", [s for s in TITLES if s != "cjk"])
def test_each_script_comes_out_of_the_text_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    warnings: list[str] = []
    text = pack(tmp_path, monkeypatch, TITLES[script], warnings=warnings)
    assert TITLES[script] in text, text[:600]
    assert warnings == []


@needs_cjk_font
def test_a_chinese_title_comes_out_of_the_text_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    text = pack(tmp_path, monkeypatch, CJK, warnings=warnings)
    assert CJK in text and warnings == []


def test_a_right_to_left_name_inside_an_english_sentence_keeps_its_place(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    title = "Talks with طالبان in Astana"
    text = pack(tmp_path, monkeypatch, title)
    # In the drawn (visual) order the English words stay either side of the name and the name's letters
    # read right to left; the text layer keeps the words in logical order around it.
    assert "Talks with" in text and "in Astana" in text
    start, end = text.index("Talks with"), text.index("in Astana")
    assert start < end and end - start < 40
    between = text[start + len("Talks with"):end].strip()
    assert set(between) <= set("طالبان ") | {"\u200f", "\u200e"} and "ط" in between


def test_a_colour_emoji_is_marked_in_the_pdf_and_warned_naming_the_event_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    text = pack(tmp_path, monkeypatch, "Taliban warn Kazakhstan 🙂", summary="Severe 🔥 consequences.", warnings=warnings)
    assert "Taliban warn Kazakhstan ⟨U+1F642⟩" in text and "Severe ⟨U+1F525⟩ consequences." in text
    assert any("event 'kaz-votes-isaf' title" in w and "U+1F642" in w for w in warnings), warnings
    assert any("event 'kaz-votes-isaf' summary" in w and "U+1F525" in w for w in warnings), warnings


def test_the_cli_prints_the_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    events = make_events()
    events[0]["title"] = "Taliban 🙂"
    root = write_data_dir(tmp_path / "data", events)
    out = tmp_path / "pack.pdf"
    done = subprocess.run([sys.executable, "-m", "lib.briefing", "--data", str(root), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=300, check=False,
                          cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "warning: event 'kaz-votes-isaf' title: U+1F642 cannot be drawn" in done.stderr


def test_plan_loads_only_the_fallbacks_a_text_needs() -> None:
    needed, missing = pdf_fonts.plan(["Kazakhstan Қазақстан طالبان"])
    assert needed == [] and missing == frozenset()
    _, missing = pdf_fonts.plan(["🙂"])
    assert missing == frozenset("🙂")


def test_format_characters_need_no_glyph() -> None:
    _, missing = pdf_fonts.plan(["می\u200cخواهند \u200f\ufe0f"])
    assert missing == frozenset()
