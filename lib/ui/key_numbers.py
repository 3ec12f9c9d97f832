"""The overview's key numbers (events, countries, actors, articles, years) and the date span under them, as one element.

Five `st.metric`s in a row, their container and the caption under them were seven elements, each rendered by React
on every navigation to the overview; one `st.html` of a description list draws the same row (the labels small above
the numbers large, each as wide as its text) and reads better to a screen reader, which hears each label with its
number (bench/RESULTS.md, issue 24 round 15)."""

from __future__ import annotations

from html import escape

import streamlit as st

# Static CSS, no data text: the look of Streamlit's metric row (label 0.875rem above a 2.25rem value, 2rem between
# numbers, wrapping on a narrow screen) and of a caption under it (0.875rem at 60% opacity, 1rem below the row).
KEY_NUMBERS_CSS = """<style>
.key-numbers dl {display: flex; flex-wrap: wrap; column-gap: 2rem; row-gap: 1rem; margin: 0; padding: 0;}
.key-numbers dl > div {flex: 1 1 fit-content; min-width: fit-content;}
.key-numbers dt {font-size: 0.875rem; font-weight: 400; line-height: 1.6; height: 1.5rem;}
.key-numbers dd {margin: 0; font-size: 2.25rem; line-height: normal; padding-bottom: 0.25rem; white-space: nowrap;}
.key-numbers p {font-size: 0.875rem; line-height: 1.6; margin: 1rem 0 0 0; opacity: 0.6;}
</style>"""


def key_numbers_html(numbers: list[tuple[str, str]], caption: str) -> str:
    """The key numbers as a description list (each label a `dt`, its number the `dd`) and `caption` under them, all
    text escaped."""
    items = "".join(f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in numbers)
    return f'{KEY_NUMBERS_CSS}<div class="key-numbers"><dl>{items}</dl><p>{escape(caption)}</p></div>'


def show_key_numbers(numbers: list[tuple[str, str]], caption: str) -> None:
    """Draw the key numbers and their caption as one element (`key_numbers_html`)."""
    st.html(key_numbers_html(numbers, caption))
