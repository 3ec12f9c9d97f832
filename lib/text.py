"""Data text on its way out: shown safely on a terminal, and made storable in XML-based files.

Article text is data, and data can hold anything. Two places cannot take everything:

- a terminal obeys control characters: an ESC sequence in a title printed by the validator could
  recolour, move the cursor or rewrite the curator's screen; `terminal_safe` shows such characters as
  visible escapes (`\\x1b`, `\\n`, `\\u202e`) instead;
- XML 1.0 (XLSX, PPTX, DOCX) cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF at
  all; `xml_safe` replaces each with a visible marker such as `⟨U+001B⟩` and says what it replaced, and
  `XmlReplacements` collects those reports across a whole export so the file can say so.

Nothing is dropped silently: every replaced character stays visible as its code point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# C0 and C1 controls and DEL, lone surrogates, line/paragraph separators, and the bidi embeddings,
# overrides and isolates (they reorder the rest of a printed line: "Trojan Source").
# Zero-width joiner/non-joiner stay: Persian and Pashto spelling needs them.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TERMINAL_UNSAFE_KEEP_NEWLINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# Everything outside XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The one rule for text in the data (CODEBOOK "Characters"; SECURITY.md): a text field may hold any character
# a YAML file can carry as text and every export can draw, i.e. anything but the C0 controls other than tab,
# line feed and carriage return, DEL, the C1 controls other than NEL (U+0085), lone surrogates and the 66
# Unicode noncharacters (U+FDD0-U+FDEF, and U+FFFE/U+FFFF in every plane). YAML escapes such as "\x1b" are
# how they get in; XML (XLSX, PPTX) and plotly/kaleido cannot carry them.
_NONCHARACTERS_ABOVE_BMP = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
UNCARRIABLE_UTF8 = f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufdd0-\ufdef\ufffe\uffff{_NONCHARACTERS_ABOVE_BMP}]"
"""The same rule as a regular expression for text that is valid UTF-8 (Arrow's strings cannot hold surrogates)."""
_UNCARRIABLE = re.compile(UNCARRIABLE_UTF8[:-1] + "\ud800-\udfff]")


def uncarriable(text: str) -> str | None:
    """What is wrong with `text` under the one rule for characters in the data, or None: the first character
    no export can carry, its code point and its position (`U+001B (a control character) at character 7`)."""
    match = _UNCARRIABLE.search(text)
    if match is None:
        return None
    char = match.group()
    code = ord(char)
    kind = ("a surrogate" if 0xD800 <= code <= 0xDFFF else
            "a noncharacter" if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE else "a control character")  # fmt: skip
    more = len(_UNCARRIABLE.findall(text)) - 1
    also = f" (and {more} more)" if more else ""
    return f"holds {code_point(char)} ({kind}) at character {match.start() + 1}{also}: no export can carry it; remove it"


def marked_uncarriable(text: str) -> str:
    """`text` with each character `uncarriable` names replaced by its visible marker (`⟨U+001B⟩`): for text
    that reaches an export by a way the validator does not guard (a chart's own labels, a file name)."""
    return _UNCARRIABLE.sub(lambda match: xml_marker(match.group()), text) if _UNCARRIABLE.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: object, *, keep_newlines: bool = False) -> str:
    """`text` as a string with every control character shown as an escape (`\\x1b`, `\\n`, `\\u202e`).

    Printable text in any script (Cyrillic, Arabic, CJK, emoji) is kept as is. With `keep_newlines`,
    line feeds pass through (for messages that are several lines on purpose).
    """
    pattern = _TERMINAL_UNSAFE_KEEP_NEWLINES if keep_newlines else _TERMINAL_UNSAFE
    return pattern.sub(_escape, str(text))


def code_point(char: str) -> str:
    """`U+001B`: a character's code point as people write it."""
    return f"U+{ord(char):04X}"


def xml_marker(char: str) -> str:
    """The visible stand-in for a character XML cannot hold: `⟨U+001B⟩`."""
    return f"⟨{code_point(char)}⟩"


def xml_safe(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` with each character XML 1.0 cannot hold replaced by its marker, and those characters in order.

    >>> xml_safe("a\\x1b[31mb")
    ('a⟨U+001B⟩[31mb', ('\\x1b',))
    """
    found: list[str] = []

    def mark(match: re.Match[str]) -> str:
        found.append(match.group())
        return xml_marker(match.group())

    return _XML_ILLEGAL.sub(mark, text), tuple(found)


@dataclass(frozen=True)
class Replacement:
    """Characters replaced in one place of an export (`where`, e.g. "event 'kz-1' title")."""

    where: str
    chars: tuple[str, ...]

    def __str__(self) -> str:
        codes = ", ".join(dict.fromkeys(code_point(c) for c in self.chars))
        return f"{self.where}: {len(self.chars)} character(s) XML cannot hold ({codes}) shown as ⟨U+…⟩"


@dataclass
class XmlReplacements:
    """Collects what `xml_safe` replaced across one export, so the file (or its builder) can say so.

        fixes = XmlReplacements()
        cell.value = fixes.safe(title, where=f"event '{event_id}' title")
        if fixes: about["Replaced characters"] = fixes.summary()
    """

    items: list[Replacement] = field(default_factory=list)

    def safe(self, value: object, *, where: str) -> object:
        """`value` made XML-safe if it is text (anything else passes through), recording any replacement."""
        if not isinstance(value, str):
            return value
        text, chars = xml_safe(value)
        if chars:
            self.items.append(Replacement(where, chars))
        return text

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def count(self) -> int:
        """How many characters were replaced in all."""
        return sum(len(item.chars) for item in self.items)

    def summary(self, limit: int = 10) -> str:
        """One paragraph for an export's notes: how many, the marker used, and where (first `limit` places)."""
        if not self.items:
            return ""
        places = "; ".join(item.where for item in self.items[:limit])
        more = f"; and {len(self.items) - limit} more" if len(self.items) > limit else ""
        codes = ", ".join(dict.fromkeys(code_point(c) for item in self.items for c in item.chars))
        return (
            f"{self.count()} character(s) this file format cannot hold ({codes}) are shown as ⟨U+…⟩ markers "
            f"in: {places}{more}."
        )


__all__ = ["Replacement", "XmlReplacements", "code_point", "UNCARRIABLE_UTF8", "marked_uncarriable", "terminal_safe", "uncarriable", "xml_marker", "xml_safe"]


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


WORD_JOINER = "\u2060"  # zero width, and no line break on either side (Unicode's WJ)
_NUMBER_RANGE = re.compile(r"(?<=\d)\s*([\u2010-\u2015-])\s*(?=\d)")


def unbroken_ranges(text: str) -> str:
    """`text` with each number range ("2010–2011", "pp. 4-7") joined by word joiners around its dash, so a line
    never breaks at the dash: "2010–" at a line's end and "2011" on the next read as two things."""
    return _NUMBER_RANGE.sub(lambda m: f"{WORD_JOINER}{m.group(1)}{WORD_JOINER}", text)
