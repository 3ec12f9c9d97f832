"""Small words agree with their numbers."""

from __future__ import annotations

from lib.wording import count, plural, year_range


def test_one_of_a_thing_is_singular_and_any_other_number_plural() -> None:
    assert count(1, "article") == "1 article"
    assert count(0, "article") == "0 articles"
    assert count(2, "country") == "2 countries" and count(1, "country") == "1 country"
    assert count(1, "entry") == "1 entry" and count(3, "entry") == "3 entries"
    assert count(1200, "event", thousands=True) == "1,200 events"
    assert plural("valid event", 2) == "valid events"


def test_a_span_of_one_year_is_said_once() -> None:
    assert year_range(2024, 2024) == "2024"
    assert year_range("2024", 2024) == "2024"
    assert year_range(2010, 2017) == "2010–2017"
