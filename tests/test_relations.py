"""Dates placed relative to other acts (CODEBOOK.md 3.2): across "after"/"before", "the same day" and
the like, and undated reactions. Fixed sentences, fixed publication dates."""

from __future__ import annotations

import pytest

from lib.model.schema import parse_partial_date
from lib.reading.dates import find_dates
from lib.reading.relations import Dated, across, anaphoric, reaction, relation_clause


def _across(sentence: str, trigger_word: str, published: str, approximate: bool = False, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = sentence.index(trigger_word, start + 1)
    (found,) = [f for f in find_dates(sentence, published, approximate) if f.value]
    return across(sentence, (start, start + len(trigger_word)), found, published, approximate)


@pytest.mark.parametrize(
    ("sentence", "trigger", "nth", "published", "expected"),
    [
        # the codebook's example: the bombing is "shortly" before September, so August or September
        ("A convoy was attacked last September, shortly after bombers attacked a police station.", "attacked", 1, "2011-05-22", "2010"),
        ("The Taliban warned Kazakhstan two days after the vote on May 18.", "warned", 0, "2011-05-22", "2011-05-20"),
        ("Border guards were reinforced on 12 June 2022, the day after fighters crossed the river.", "crossed", 0, "2022-07-01", "2022-06-11"),
        ("Talks opened in Tashkent a week after the railway deal was signed on 5 March 2023.", "opened", 0, "2023-04-01", "2023-03"),
        # "a year after": no finer than the year, whatever the other date's precision
        ("The envoy visited Tashkent on 16 August 2022, a year after the Taliban seized Kabul.", "seized", 0, "2022-09-01", "2021"),
        ("Trade resumed two months after the border closed on 3 March 2023.", "resumed", 0, "2023-09-01", "2023-05"),
        ("Kabul protested three weeks before the summit of 30 October 2022.", "protested", 0, "2022-11-30", "2022-10"),
        # "after" with no word of how long: from the other act up to the article's date
        ("After the lower house voted on May 18, the Taliban warned Kazakhstan.", "warned", 0, "2011-05-22", "2011-05"),
        ("After the lower house voted on May 18, the Taliban warned Kazakhstan.", "warned", 0, "2011-08-02", "2011"),
    ],
)
def test_an_act_across_after_or_before_takes_the_other_date_at_the_precision_the_relation_allows(
    sentence: str, trigger: str, nth: int, published: str, expected: str
) -> None:
    found = _across(sentence, trigger, published, nth=nth)
    assert found is not None
    assert (found.value, found.precision) == (expected, parse_partial_date(expected)[2])
    assert found.relative and "places this act" in found.note


def test_the_act_on_the_same_side_as_the_date_keeps_it() -> None:
    sentence = "A convoy was attacked last September, shortly after bombers attacked a police station."
    assert _across(sentence, "attacked", "2011-05-22", nth=0) is None


def test_before_with_no_length_gives_only_the_year_and_asks_for_a_check() -> None:
    found = _across("Militants seized the post in 2015, after they had attacked it twice.", "attacked", "2016-01-10")
    assert found is not None and (found.value, found.precision) == ("2015", "year")
    assert "check" in found.note


def test_a_relation_across_a_year_boundary_is_coded_to_the_year_and_flagged() -> None:
    found = _across("Troops deployed in January 2011, shortly after the border was attacked.", "attacked", "2011-05-22")
    assert found is not None and found.value == "2011" and "check" in found.note


@pytest.mark.parametrize("sentence", ["The district, named after the general who died in 2001, voted.", "After all, the vote on May 18 was close."])
def test_after_that_is_not_about_time_is_no_relation(sentence: str) -> None:
    word = "voted" if "voted" in sentence else "close"
    assert _across(sentence, word, "2011-05-22") is None


def test_a_trigger_in_an_after_clause_is_in_another_act_than_the_main_clause() -> None:
    sentence = "A convoy was attacked last September, shortly after bombers attacked a police station."
    second = sentence.index("attacked", sentence.index("attacked") + 1)
    assert relation_clause(sentence, second) is not None
    assert relation_clause(sentence, sentence.index("attacked")) is None


def test_the_commas_of_a_date_do_not_end_an_after_clause() -> None:
    sentence = "NATO is ending a war launched after the September 11, 2001, attacks on U.S. cities, he said."
    clause = relation_clause(sentence, sentence.index("attacks"))
    assert clause is not None and sentence[clause[0] : clause[1]] == "after the September 11, 2001, attacks on U.S. cities"
    assert _across(sentence, "attacks", "2013-06-20") is None, "the attacks and their date are on the same side"


# --------------------------------------------------------------------------- anaphora


def _earlier(text: str, published: str, approximate: bool = False, paragraph: int = 0, offset: int = 0) -> list[Dated]:
    return [Dated(offset + f.start, f, text, paragraph) for f in find_dates(text, published, approximate)]


def test_the_same_day_takes_the_day_of_the_act_the_sentence_names() -> None:
    earlier = _earlier("After the lower house approved deployment on May 18, the Taliban warned.", "2011-05", True)
    earlier += _earlier("Elections were held on 3 April, in a vote on a Sunday.", "2011-05", True, offset=200)
    found = anaphoric("The lower house vote came the same day Grossman arrived in Kazakhstan.", earlier)
    assert found is not None and (found.value, found.precision) == ("2011-05-18", "day")
    assert "the same day" in found.note and "May 18" in found.note


def test_without_a_shared_word_the_latest_date_is_the_anchor_and_limits_the_precision() -> None:
    earlier = _earlier("Ministers met on 3 April 2023.", "2023-08-20")
    found = anaphoric("The next day, Tashkent reopened the bridge.", earlier)
    assert found is not None and found.value == "2023-04-04"
    # "two days later" than something in July: 3 July to 2 August, so only the year
    earlier += _earlier("In July, Kazakhstan said it would keep supplying wheat.", "2023-08-20", offset=100)
    found = anaphoric("The Taliban thanked Kazakhstan two days later.", earlier)
    assert found is not None and (found.value, found.precision) == ("2023", "year")
    # the next day after a date known only to the year could be in the next year: no date from it
    assert anaphoric("The next day, Tashkent reopened the bridge.", _earlier("Trade grew in 2022.", "2023-08-20")) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Later that month the border reopened.", "2023-04"),
        ("The following month the border reopened.", "2023-05"),
        ("Later that year the border reopened.", "2023"),
        ("A year later the border reopened.", "2024"),
        ("Three days later the border reopened.", "2023-04-06"),
        ("Later the same week the border reopened.", "2023-04"),
    ],
)
def test_anaphora_keeps_the_precision_of_its_words(sentence: str, expected: str) -> None:
    found = anaphoric(sentence, _earlier("Ministers met on 3 April 2023.", "2023-06-01"))
    assert found is not None and found.value == expected


def test_the_same_day_without_any_earlier_day_is_not_dated() -> None:
    assert anaphoric("The vote came the same day.", []) is None
    assert anaphoric("Kazakhstan sent four officers.", _earlier("On May 18 it voted.", "2011-05-22")) is None


# --------------------------------------------------------------------------- reactions


def test_an_undated_reaction_is_coded_to_the_year_of_the_act_it_answers() -> None:
    earlier = _earlier("In mid-November 2016, Kabulov told a news agency that Moscow talks to the Taliban.", "2017", True)
    found = reaction("The statement by Putin's envoy elicited a sharply negative reaction from Kabul.", earlier, paragraph=1)
    assert found is not None and (found.value, found.precision) == ("2016", "year")
    assert "3.2" in found.note and "mid-November 2016" in found.note


def test_a_reaction_needs_both_a_reaction_word_and_a_back_reference_near_enough() -> None:
    earlier = _earlier("On 3 April 2023 Uzbekistan closed the bridge.", "2023-06-01")
    assert reaction("The decision drew protests from traders.", earlier, paragraph=1) is not None
    assert reaction("Traders protested loudly.", earlier, paragraph=1) is None  # no back-reference
    assert reaction("The decision was final.", earlier, paragraph=1) is None  # no reaction word
    assert reaction("The decision drew protests from traders.", earlier, paragraph=3) is None  # too far back
