"""A page section's heading, its caption and a static body (a table or a list of escaped text) as one element.

`st.header`, `st.caption` and the body's `st.markdown` were three elements, each rendered by React on every navigation,
and the body went through the browser's markdown parser; one `st.html` draws the same heading (an h2 without an
anchor link, like `st.header(anchor=False)`), caption and table or list (bench/RESULTS.md, issue 24 round 15)."""

from __future__ import annotations

from html import escape

import streamlit as st

# Static CSS, no data text: the look of st.header (h2 2.25rem, weight 600), of st.caption under it (0.875rem at 60%
# opacity, 1rem below it), of a markdown table (collapsed 1px borders in the light theme's border colour, cells
# padded 6px 12px, header cells bold and left-aligned) and of a markdown list (items 1.15em in, bold at weight 600,
# links in the theme's link blue), measured in Chromium against Streamlit 1.67's own elements.
SECTION_CSS = """<style>
.page-section h2 {font-size: 2.25rem; font-weight: 600; line-height: 1.2; letter-spacing: -0.005em; margin: 0;
  padding: 1rem 0; scroll-margin-top: 3.75rem;}
.page-section > p {margin: 0 0 1rem 0;}
.page-section > p.caption {font-size: 0.875rem; line-height: 1.6; opacity: 0.6;}
.page-section table {border-collapse: collapse; margin: 0;}
.page-section th, .page-section td {padding: 6px 12px; border: 1px solid rgb(232, 229, 226); text-align: left;}
.page-section th {font-weight: 700;}
.page-section ul, .page-section ol {margin: 0; padding: 0;}
.page-section li {margin: 0.2em 0 0.2em 1.15em; padding: 0 0 0 0.3em;}
.page-section li:last-child {margin-bottom: 0;}  /* as in markdown, where the list's own margin takes it in */
.page-section strong {font-weight: 600;}
.page-section a, .page-section a:visited {color: rgb(36, 79, 180);}
</style>"""


def section_html(title: str, caption: str | None, body: str) -> str:
    """The section as HTML: `title` as an h2 and `caption` (if any) under it, both escaped, then `body`, HTML whose
    every text is already escaped (e.g. `lib.views.aggregate.html_table`)."""
    under = f'<p class="caption">{escape(caption)}</p>' if caption else ""
    return f'{SECTION_CSS}<section class="page-section"><h2>{escape(title)}</h2>{under}{body}</section>'


def show_section(title: str, caption: str | None, body: str) -> None:
    """Draw a section's heading, caption and body as one element (`section_html`)."""
    st.html(section_html(title, caption, body))
