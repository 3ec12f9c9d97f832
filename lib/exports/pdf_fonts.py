"""Fonts for every script the data can hold, in the PDF pack (fpdf2), and a word for what none can draw.

The pack's own font is the shipped DejaVu Sans (Latin, Cyrillic, Greek, Arabic, Hebrew). Characters it
lacks are drawn from fallback fonts found on the machine at run time (Debian: `fonts-noto-cjk` for
Chinese, Japanese and Korean, `fonts-noto-core` for other scripts and symbols; `scripts/setup.sh`
installs them). Only the fallbacks a document needs are loaded. Text is shaped by HarfBuzz (fpdf2's
text shaping, `uharfbuzz`), which also orders mixed-direction text (an Arabic-script name inside an
English sentence) by the Unicode bidi algorithm.

A character no font here can draw (a colour emoji, say) is replaced by a visible marker such as
`⟨U+1F642⟩` (`lib.text.xml_marker`), and `Undrawable` collects where, so the build can warn.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lib.paths import FONTS_DIR
from lib.text import code_point, xml_marker

FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))  # extra: $DASHBOARD_FONT_DIRS (os.pathsep)

# Fallback families in the order they are tried, each as (family, {style: file name}); the first file
# found under the font folders is used. CJK first: the largest set of characters outside DejaVu.
FALLBACKS: tuple[tuple[str, dict[str, str]], ...] = (
    ("NotoSansCJK", {"": "NotoSansCJK-Regular.ttc", "B": "NotoSansCJK-Bold.ttc"}),
    ("NotoSans", {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf", "I": "NotoSans-Italic.ttf"}),
    ("NotoNaskhArabic", {"": "NotoNaskhArabic-Regular.ttf", "B": "NotoNaskhArabic-Bold.ttf"}),
    ("NotoSansHebrew", {"": "NotoSansHebrew-Regular.ttf", "B": "NotoSansHebrew-Bold.ttf"}),
    ("NotoSansSymbols", {"": "NotoSansSymbols-Regular.ttf", "B": "NotoSansSymbols-Bold.ttf"}),
    ("NotoSansSymbols2", {"": "NotoSansSymbols2-Regular.ttf"}),
    ("NotoSansMath", {"": "NotoSansMath-Regular.ttf"}),
)


def font_dirs() -> list[Path]:
    """Where fallback fonts are looked for: $DASHBOARD_FONT_DIRS first, then the system font folders."""
    extra = [Path(p) for p in os.environ.get("DASHBOARD_FONT_DIRS", "").split(os.pathsep) if p]
    return [*extra, *FONT_DIRS]


@functools.cache
def _find(name: str, dirs: tuple[Path, ...]) -> Path | None:
    for folder in dirs:
        if folder.is_dir():
            found = next(iter(sorted(folder.rglob(name))), None)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Font:
    """One font family: its files by style ("" regular, "B" bold, "I" italic)."""

    family: str
    files: dict[str, Path]

    def characters(self) -> frozenset[int]:
        """The code points its regular face draws."""
        return _cmap(str(self.files[""]))


@functools.cache
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True) if path.endswith((".ttc", ".otc")) else TTFont(path, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def primary() -> Font:
    """The pack's own font, shipped in static/fonts/."""
    return Font(FAMILY, {style: FONTS_DIR / name for style, name in FONT_FILES.items()})


def fallbacks() -> list[Font]:
    """The fallback families found on this machine (a family needs at least its regular face)."""
    dirs = tuple(font_dirs())
    found = []
    for family, names in FALLBACKS:
        files = {style: path for style, name in names.items() if (path := _find(name, dirs)) is not None}
        if "" in files:
            found.append(Font(family, files))
    return found


def _needs_glyph(char: str) -> bool:
    """Whether a character is drawn at all: spaces, controls, format characters (ZWNJ, bidi marks) and
    variation selectors are not looked up in fonts."""
    if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return False
    return not (0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF)


def plan(texts: Iterable[str]) -> tuple[list[Font], frozenset[str]]:
    """The fallback fonts these texts need (in fallback order) and the characters no font here draws."""
    wanted = {c for text in texts for c in text if _needs_glyph(c)}
    missing = {c for c in wanted if ord(c) not in primary().characters()}
    needed = []
    for font in fallbacks():
        covered = {c for c in missing if ord(c) in font.characters()}
        if covered:
            needed.append(font)
            missing -= covered
    return needed, frozenset(missing)


@functools.cache
def _drawable(paths: tuple[str, ...]) -> frozenset[int]:
    return frozenset().union(*(_cmap(path) for path in paths))


@dataclass
class Undrawable:
    """The document's fonts so far; adds a fallback when a text needs one, marks characters none can
    draw, and records where they were (for the warning)."""

    pdf: object
    fonts: list[Font]
    places: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def _drawable(self) -> frozenset[int]:
        return _drawable(tuple(str(f.files[""]) for f in self.fonts))

    def missing(self, text: str) -> tuple[str, ...]:
        """The characters of `text` none of the document's fonts draws, in order."""
        drawable = self._drawable()
        return tuple(c for c in text if ord(c) not in drawable and _needs_glyph(c))

    def _add(self, font: Font) -> None:
        for style, path in font.files.items():
            self.pdf.add_font(font.family, style, str(path))  # type: ignore[attr-defined]
        self.fonts.append(font)
        self.pdf.set_fallback_fonts([f.family for f in self.fonts[1:]], exact_match=False)  # type: ignore[attr-defined]

    def mark(self, text: str, where: str | None = None) -> str:
        """`text` ready to draw: fallback fonts it needs added, each character no font has replaced by its
        visible marker (recorded under `where`)."""
        found = self.missing(text)
        if not found:
            return text
        for font in fallbacks():
            if font not in self.fonts and any(ord(c) in font.characters() for c in found):
                self._add(font)
        found = self.missing(text)
        if not found:
            return text
        if where:
            self.places.append((where, found))
        return "".join(xml_marker(c) if c in found else c for c in text)

    def warnings(self) -> list[str]:
        """One line per place: what could not be drawn, and that the document marks it."""
        return [f"{where}: {', '.join(dict.fromkeys(code_point(c) for c in chars))} cannot be drawn in the PDF "
                f"(no font has it); marked as ⟨U+…⟩" for where, chars in self.places]  # fmt: skip


def setup(pdf: object, texts: Iterable[str] = ()) -> Undrawable:
    """Register the pack's font (and the fallbacks `texts` need; `Undrawable.mark` adds others when a
    later text needs them) on an fpdf2 document, turn on text shaping (HarfBuzz, bidi), and return
    the marker for what nothing can draw."""
    from lib.errors import DashboardError

    own = primary()
    for style, path in own.files.items():
        if not path.is_file():
            raise DashboardError("Font missing", f"{path} is missing: the briefing PDF needs the DejaVu fonts "
                                                 "shipped in static/fonts/.")  # fmt: skip
        pdf.add_font(FAMILY, style, str(path))  # type: ignore[attr-defined]
    pdf.set_text_shaping(True)  # type: ignore[attr-defined]
    marker = Undrawable(pdf, [own])
    for font in plan(texts)[0]:
        marker._add(font)
    return marker


__all__ = ["FAMILY", "Font", "Undrawable", "fallbacks", "font_dirs", "plan", "primary", "setup"]
