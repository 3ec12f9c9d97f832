"""Partial dates keep exactly the precision the text gives."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.model.schema import display_date, parse_partial_date


@pytest.mark.parametrize(
    ("value", "first", "last", "precision"),
    [
        ("2011-05-21", dt.date(2011, 5, 21), dt.date(2011, 5, 21), "day"),
        ("2010-09", dt.date(2010, 9, 1), dt.date(2010, 9, 30), "month"),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29), "month"),
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31), "year"),
    ],
)
def test_partial_date_spans_the_whole_period_it_names(value: str, first: dt.date, last: dt.date, precision: str) -> None:
    assert parse_partial_date(value) == (first, last, precision)


@pytest.mark.parametrize("value", ["2011-02-29", "2011-00", "2011-5", "11-05-2011", "", "2011-05-18T10:00"])
def test_impossible_or_malformed_dates_are_rejected(value: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(value)


@pytest.mark.parametrize(
    ("value", "shown"), [("2011-05-18", "18 May 2011"), ("2010-09", "September 2010"), ("2017", "2017")]
)
def test_display_date_is_no_more_precise_than_known(value: str, shown: str) -> None:
    assert display_date(value) == shown
