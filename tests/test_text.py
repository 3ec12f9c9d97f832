"""Data text on its way out: escaped for terminals, made storable in XML, never dropped without a word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lib.text import XmlReplacements, terminal_safe, xml_marker, xml_safe

ESCAPE_TITLE = "Taliban \x1b[2J\x1b[31mwarn\x1b[0m Kazakhstan\rOK: 0 problems"


def test_terminal_safe_shows_escape_sequences_as_text() -> None:
    shown = terminal_safe(ESCAPE_TITLE)
    assert "\x1b" not in shown and "\r" not in shown
    assert shown == "Taliban \\x1b[2J\\x1b[31mwarn\\x1b[0m Kazakhstan\\rOK: 0 problems"


def test_terminal_safe_escapes_newlines_unless_kept() -> None:
    assert terminal_safe("a\nb\tc") == "a\\nb\\tc"
    assert terminal_safe("a\nb\tc", keep_newlines=True) == "a\nb\\tc"


def test_terminal_safe_escapes_c1_controls_bidi_overrides_and_lone_surrogates() -> None:
    shown = terminal_safe("x\x9b31m \u202eevil\u202c \u2066y\u2069 \ud800")
    assert shown == "x\\x9b31m \\u202eevil\\u202c \\u2066y\\u2069 \\ud800"
    shown.encode("utf-8")  # printable on any UTF-8 terminal


def test_terminal_safe_keeps_every_script_and_joiners() -> None:
    text = "Назарбаев Қазақстан O‘zbekiston Türkmenistan طالبان می‌خواهند שלום 塔利班 🙂"
    assert terminal_safe(text) == text  # ZWNJ in می‌خواهند survives


def test_xml_safe_replaces_what_xml_cannot_hold_with_a_visible_marker() -> None:
    text, replaced = xml_safe("a\x1b[31mb\x00c\ufffe")
    assert text == "a⟨U+001B⟩[31mb⟨U+0000⟩c⟨U+FFFE⟩"
    assert replaced == ("\x1b", "\x00", "\ufffe")


def test_xml_safe_keeps_tabs_newlines_and_every_script() -> None:
    text = "line\tone\r\nline two: Қазақстан طالبان 塔利班 🙂 \x85"
    assert xml_safe(text) == (text, ())


def xml_char(char: str) -> bool:
    """XML 1.0's Char production, written out from the spec."""
    code = ord(char)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


@given(st.text(st.characters(codec=None, exclude_categories=())) | st.text("a\x00\x1b\ud800\ufffe\x85\U0001F642"))
def test_xml_safe_output_is_storable_in_xml_and_marks_every_replaced_character(text: str) -> None:
    from xml.etree import ElementTree

    safe, replaced = xml_safe(text)
    assert safe == "".join(c if xml_char(c) else xml_marker(c) for c in text)
    assert replaced == tuple(c for c in text if not xml_char(c))
    element = ElementTree.Element("t")
    element.text = safe
    ElementTree.fromstring(ElementTree.tostring(element, encoding="unicode"))  # parses: nothing illegal left


def test_replacements_say_where_and_what() -> None:
    fixes = XmlReplacements()
    assert fixes.safe("clean", where="event 'a' title") == "clean"
    assert fixes.safe(3, where="event 'a' stance") == 3
    assert not fixes and fixes.summary() == ""
    assert fixes.safe("bad\x1b[0m\x07", where="event 'b' title") == "bad⟨U+001B⟩[0m⟨U+0007⟩"
    assert fixes and fixes.count() == 2
    summary = fixes.summary()
    assert "2 character(s)" in summary and "U+001B, U+0007" in summary and "event 'b' title" in summary


def test_replacement_summary_names_the_first_places_and_counts_the_rest() -> None:
    fixes = XmlReplacements()
    for i in range(12):
        fixes.safe("\x01", where=f"event 'e{i}' title")
    summary = fixes.summary(limit=10)
    assert "event 'e9' title" in summary and "event 'e10' title" not in summary and "and 2 more" in summary
