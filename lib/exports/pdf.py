"""Drawing on an fpdf2 page, shared by the briefing pack and the deck's PDF handout: the document class, its
fonts, paragraphs whose undrawable characters are marked visibly, and chart images."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from lib.exports import pdf_fonts

FONT = pdf_fonts.FAMILY


def pdf_class() -> type:
    """An fpdf2 document class whose pages carry `footer_text` and the page number."""
    from fpdf import FPDF

    class BriefingPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 6, f"{self.footer_text} · page {self.page_no()}/{{nb}}", align="C")

    return BriefingPDF


def pdf_use_fonts(pdf: Any, texts: Sequence[str] = ()) -> None:
    """The pack's fonts on `pdf`: DejaVu, and fallbacks as the texts drawn through `pdf_text` need them."""
    pdf.undrawable = pdf_fonts.setup(pdf, texts)


def pdf_text(pdf: Any, text: str, *, size: float = 10, style: str = "", colour: int = 0, h: float | None = None,
              indent: float = 0, where: str | None = None, width: float | None = None, link: str = "") -> None:  # fmt: skip
    """One paragraph; characters no font can draw are marked visibly (and recorded under `where`). `width`: the
    column's width from the left margin (default: the text width); `link`: the paragraph links there."""
    text = pdf.undrawable.mark(text, where)
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(colour, colour, colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell((width or pdf.epw) - indent, h or size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT",
                   link=link)  # fmt: skip


def pdf_text_height(pdf: Any, text: str, *, size: float = 10, style: str = "", h: float | None = None,
                    indent: float = 0, width: float | None = None) -> float:  # fmt: skip
    """How tall `pdf_text` would draw this paragraph (mm), without drawing it."""
    text = pdf.undrawable.mark(text)
    pdf.set_font(FONT, style, size)
    lines = pdf.multi_cell((width or pdf.epw) - indent, h or size * 0.5, text, align="L", dry_run=True, output="LINES")
    return len(lines) * (h or size * 0.5)


def pdf_chart(pdf: Any, png: bytes) -> None:
    """A chart PNG across the text width, on a new page when it does not fit (shrunk when taller than a page)."""
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # PNG IHDR
    width = pdf.epw
    height = width * height_px / width_px
    room = pdf.h - pdf.b_margin - pdf.get_y()
    if height > room:
        pdf.add_page()
        room = pdf.h - pdf.b_margin - pdf.get_y()
        if height > room:  # a very tall chart: shrink it onto one page
            width, height = width * room / height, room
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width, h=height)
    pdf.ln(4)
