"""Small words that depend on a number: "1 article", "2 articles", "2024" rather than "2024–2024"."""

from __future__ import annotations

_IRREGULAR = {"country": "countries", "quote": "quotes", "entry": "entries", "summary": "summaries",
              "is": "are", "was": "were", "this": "these"}  # fmt: skip


def plural(word: str, n: int) -> str:
    """`word` in the form that goes with `n`: plural("country", 2) == "countries"."""
    if n == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


def count(n: int, word: str, *, thousands: bool = False) -> str:
    """A number and its noun: count(1, "article") == "1 article", count(3, "country") == "3 countries"."""
    return f"{n:,} {plural(word, n)}" if thousands else f"{n} {plural(word, n)}"


def year_range(low: int | str, high: int | str) -> str:
    """A span of years, one year said once: year_range(2010, 2017) == "2010–2017", (2024, 2024) == "2024"."""
    return str(low) if str(low) == str(high) else f"{low}–{high}"
