"""Dates in article text, resolved from fixed publication dates to the precision the words allow."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.model.schema import parse_partial_date
from lib.reading.dates import find_dates, publication_window, undated

# (sentence, published, approximate, expression, date): the codebook's table (CODEBOOK.md 3.1, 3.3) and more
CASES = [
    ("The statement, distributed to media on Saturday, appeared to nod", "2011-05-22", False, "on Saturday", "2011-05-21"),
    ("yesterday's doings in the lower house", "2011-05-19", False, "yesterday", "2011-05-18"),
    ("The Kazakh parliament decided May 18 to become", "2011-05-22", False, "May 18", "2011-05-18"),
    ("a convoy killed 28 troops last September, shortly after", "2011-05-22", False, "last September", "2010-09"),
    ("Last year both sides suffered record casualties.", "2011-05-22", False, "Last year", "2010"),
    ("Clinton hinted about it in December.", "2011-05", True, "in December", "2010-12"),
    ("an early presidential election in April that", "2011-05", True, "in April", "2011-04"),
    ("attacks in the first months of 2017.", "2017", True, "the first months of 2017", "2017"),
    ("took place in Islamabad last week.", "2000-11", True, "last week", "2000"),
    ("came earlier this month following a meeting", "2000-11", True, "earlier this month", "2000"),
    ("In mid-November 2016, Zamir Kabulov told", "2017", True, "mid-November 2016", "2016-11"),
    ("in Moscow on March 28, 2017, Putin proposed", "2017", True, "March 28, 2017", "2017-03-28"),
    ("The envoy flew into Dushanbe this afternoon after talks.", "2011-05-19", False, "this afternoon", "2011-05-19"),
    ("Ministers will meet again this evening, an aide said.", "2011-05-19", False, "this evening", "2011-05-19"),
    ("In August 2015, al-Zawahiri pledged", "2017", True, "August 2015", "2015-08"),
    ("since the 2001 overthrow of the Taliban", "2011-05-22", False, "2001", "2001"),
    ("Talks were held on 5 March 2023 in Tashkent.", "2024-06-12", False, "5 March 2023", "2023-03-05"),
    ("The railway deal was signed 2023-03-05.", "2024-06-12", False, "2023-03-05", "2023-03-05"),
    ("They met two months ago.", "2024-06-12", False, "two months ago", "2024-04"),
    ("They met three days ago.", "2024-06-12", False, "three days ago", "2024-06-09"),
    ("Officials met last Tuesday.", "2024-06-12", False, "last Tuesday", "2024-06-11"),
    ("Officials met on Wednesday.", "2024-06-12", False, "on Wednesday", "2024-06-12"),
    ("Officials met last Wednesday.", "2024-06-12", False, "last Wednesday", "2024-06-05"),
    ("Earlier this year the envoy visited Kabul.", "2024-06-12", False, "Earlier this year", "2024"),
    ("The embassy reopened last month.", "2024-06-12", False, "last month", "2024-05"),
    ("The embassy reopened last month.", "2024-06", False, "last month", "2024-05"),
    ("Drills took place in summer 2022.", "2024-06-12", False, "summer 2022", "2022"),
    ("A hostage was freed during a March visit to Kabul.", "2025-09-13", False, "a March", "2025-03"),
    ("Tashkent condemned the December attack on the post.", "2011-05-22", False, "the December", "2010-12"),
    ("The visit took place last week.", "2024-06-12", False, "last week", "2024-06"),
    ("The visit took place last week.", "2024-06-05", False, "last week", "2024"),  # 27 May - 2 June: two months
    # AP style abbreviates months before a day or a year
    ("Kazakhstan removed the Taliban from its list on Dec. 29.", "2024-01-10", False, "Dec. 29", "2023-12-29"),
    ("Tokayev met Muttaqi on Jan. 8.", "2024-01-10", False, "Jan. 8", "2024-01-08"),
    ("The Taliban entered Kabul on Aug 15, 2021.", "2024-01-10", False, "Aug 15, 2021", "2021-08-15"),
    ("Trade rose in Sept. 2023.", "2024-01-10", False, "Sept. 2023", "2023-09"),
    ("The railway deal was signed 29 Dec 2023.", "2024-01-10", False, "29 Dec 2023", "2023-12-29"),
    # the weekend before the article (Wednesday 10 January 2024: 6-7 January)
    ("The talks took place over the weekend.", "2024-01-10", False, "over the weekend", "2024-01"),
    ("The talks took place last weekend.", "2024-01-07", False, "last weekend", "2023-12"),  # on a Sunday: the one before
]


@pytest.mark.parametrize(("sentence", "published", "approximate", "expression", "expected"), CASES)
def test_dates_resolve_to_the_precision_the_text_allows(
    sentence: str, published: str, approximate: bool, expression: str, expected: str
) -> None:
    found = {f.text: f for f in find_dates(sentence, published, approximate)}
    assert expression in found, list(found)
    assert found[expression].value == expected
    assert found[expression].precision == parse_partial_date(expected)[2]
    assert found[expression].note


def test_the_note_says_how_and_marks_an_approximate_article() -> None:
    (f,) = find_dates("took place in Islamabad last week.", "2000-11", approximate=True)
    assert "last week" in f.note and "about November 2000" in f.note and "approximate" in f.note
    (g,) = find_dates("on Saturday", "2011-05-22")
    assert "22 May 2011" in g.note and "approximate" not in g.note
    (h,) = find_dates("In June 2016, the Taliban said", "2017", approximate=True)
    assert h.note.startswith("Stated in the text")


@pytest.mark.parametrize(
    "sentence",
    [
        "up to 150,000 foreign troops",
        "received 95.5 percent of the vote",
        "as the war drags into its 10th year",
        "Seventy percent of its 16.4 million people",
        "Putin may decide to march on",
        "In the last five years, the authorities held talks",
        "May God protect them",
        "the 2000 troops",
    ],
)
def test_numbers_and_ordinary_words_are_not_dates(sentence: str) -> None:
    assert find_dates(sentence, "2011-05-22") == []


def test_no_date_when_the_possible_days_cross_a_year() -> None:
    (f,) = find_dates("It happened yesterday.", "2024", approximate=False)
    assert f.value is None and "year boundary" in f.note


def test_an_approximate_article_widens_by_one_unit_each_side() -> None:
    assert [d.isoformat() for d in publication_window("2000-11", True)] == ["2000-10-01", "2000-12-31"]
    assert [d.isoformat() for d in publication_window("2000-11", False)] == ["2000-11-01", "2000-11-30"]
    assert [d.isoformat() for d in publication_window("2011-05-22", True)] == ["2011-05-21", "2011-05-23"]


def test_undated_acts_take_the_articles_month_or_year() -> None:
    assert undated("2011-05-22", False)[:2] == ("2011-05", "month")
    assert undated("2000-11", True)[:2] == ("2000", "year")
    assert "about November 2000" in undated("2000-11", True)[2]


@given(st.text(max_size=120), st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2090, 12, 31)), st.booleans())
def test_any_text_gives_valid_dates_no_finer_than_possible(text: str, day, approximate: bool) -> None:
    for f in find_dates(text, day.isoformat(), approximate):
        assert text[f.start : f.end] == f.text
        if f.value is not None:
            parse_partial_date(f.value)


@pytest.mark.parametrize("text", ["Jan Kubis, the UN envoy, said", "Decision 5 was taken", "Marshal Dostum met"])
def test_an_abbreviated_month_needs_a_day_or_a_year(text: str) -> None:
    assert find_dates(text, "2024-01-10") == []


# (sentence, published, approximate, expression): a bound or a plan, never the date of an act reported
DEADLINES = [
    ("Iran is lending Tajikistan money to finish the tunnel by 2009.", "2006-03-14", False, "by 2009"),
    ("The pipeline accord was extended up to March 2004 at a meeting in Ashgabat.", "2003-05-20", False, "March 2004"),
    ("The minister said new lines would be built by the end of 2015.", "2014-09-02", False, "the end of 2015"),
    ("Moscow will send more helicopters through 2022.", "2019-01-11", False, "2022"),
    ("Bishkek promised that the base would close in 2016.", "2015-07", True, "in 2016"),
    ("The survey is to be finished by next April, the agency said.", "2010-11-30", False, "next April"),
    ("Trade is expected to double next year.", "2018-04-04", False, "next year"),
]


@pytest.mark.parametrize(("sentence", "published", "approximate", "expression"), DEADLINES)
def test_a_bound_or_a_plan_is_marked_as_no_date_of_an_act(sentence: str, published: str, approximate: bool, expression: str) -> None:
    (found,) = [f for f in find_dates(sentence, published, approximate) if f.text == expression]
    assert found.deadline and "deadline" in found.note


@pytest.mark.parametrize(
    ("sentence", "published", "expression"),
    [
        ("The two ministers met in Dushanbe in March 2004.", "2004-05-20", "March 2004"),
        ("Officials will meet again on October 25, an aide said.", "2020-10-19", "October 25"),  # a scheduled day
        ("The Taliban seized Kabul in 1996.", "2001-10-02", "in 1996"),
        ("The pact signed last year runs until 2030.", "2024-02-02", "last year"),
    ],
)
def test_a_date_of_the_past_or_a_scheduled_day_is_no_deadline(sentence: str, published: str, expression: str) -> None:
    (found,) = [f for f in find_dates(sentence, published) if f.text == expression]
    assert not found.deadline


def test_the_past_year_is_the_span_up_to_the_article_not_last_year() -> None:
    """CODEBOOK.md 3.4: a span stated relative to publication is coded at the article's date."""
    (span,) = find_dates("Envoys have met three times over the past year.", "2018-03-25")
    assert span.value is None, "March 2017 to March 2018: no single year holds"
    (week,) = find_dates("Prices rose in the past week.", "2018-12-25")
    assert week.value == "2018-12"
    (last,) = find_dates("Prices rose last year.", "2018-12-25")
    assert last.value == "2017"
