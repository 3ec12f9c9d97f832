"""Hints that make a validator message say what to fix: where a quote departs from its article, and the
known id nearest to a misspelt one."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

CONTEXT = 24  # characters of the article shown around the point where a quote departs from it
CUTOFF = 0.65  # difflib similarity for "did you mean": 'AFX' finds 'AFG' (0.67), 'martians' finds nothing
MIN_PREFIX = 8  # a shorter matching start says nothing about where the quote was copied from


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """" (did you mean 'x'?)" when a known id is close to `value` (a typo, a case slip), else ""."""
    choices = [k for k in known if isinstance(k, str)]
    by_case = {k.casefold(): k for k in choices}
    if value.casefold() in by_case:
        return f" (did you mean {by_case[value.casefold()]!r}?)"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=CUTOFF)
    if not close:
        close = [by_case[m] for m in difflib.get_close_matches(value.casefold(), list(by_case), n=1, cutoff=CUTOFF)]
    return f" (did you mean {close[0]!r}?)" if close else ""


def describe_char(char: str) -> str:
    """A character by what it looks like and by name: `'’' RIGHT SINGLE QUOTATION MARK (U+2019)`."""
    name = unicodedata.name(char, "UNNAMED CHARACTER")
    shown = repr(char) if char.isprintable() and not char.isspace() else "a space" if char == " " else "a control character"
    return f"{shown} {name} (U+{ord(char):04X})"


def _longest_prefix(quote: str, text: str) -> int:
    """The length of the longest start of `quote` that occurs in `text` (a start that occurs makes every
    shorter start occur too, so a binary search finds it)."""
    low, high = 0, len(quote)
    while low < high:
        mid = (low + high + 1) // 2
        if quote[:mid] in text:
            low = mid
        else:
            high = mid - 1
    return low


def quote_departure(quote: str, text: str) -> str:
    """Where a quote that is not in `text` departs from it, in words, for the validator's message.

    Both are taken as already whitespace-normalised. Says at which character of the quote the longest
    matching start ends and names the differing characters ("a straight vs a curly apostrophe").
    """
    if quote.casefold() in text.casefold():
        return "it appears in the article only with different capitals: copy the capitals as printed"
    k = _longest_prefix(quote, text)
    if k < MIN_PREFIX:
        k_end = _longest_prefix(quote[::-1], text[::-1])
        if k_end >= MIN_PREFIX:
            return (f"its beginning is not in the article; only its last {k_end} characters "
                    f"(…{quote[-k_end:][:CONTEXT]!r}) are")  # fmt: skip
        return "no passage of the article starts like it: check it was copied from this article"
    at = text.find(quote[:k])
    after = at + k
    if after >= len(text):
        return f"the article ends after its first {k} characters; the rest ({quote[k:][:CONTEXT]!r}…) is not in it"
    ours, theirs = quote[k], text[after]
    context = text[max(0, after - CONTEXT) : after + CONTEXT]
    what = "a straight vs a curly apostrophe" if {ours, theirs} <= {"'", "’", "‘"} else (
        "straight vs curly quotation marks" if {ours, theirs} <= {'"', "“", "”"} else (
            "a hyphen vs a dash" if {ours, theirs} <= {"-", "–", "—", "‐", "‑"} else "different characters"))  # fmt: skip
    return (f"it departs from the article at character {k + 1} of the quote, {what}: the quote has "
            f"{describe_char(ours)} where the article has {describe_char(theirs)} (article: …{context!r}…)")  # fmt: skip
