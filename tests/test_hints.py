"""Validator messages that help: where a quote departs from its article, and "did you mean" for near-miss ids."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.model.hints import describe_char, did_you_mean, quote_departure
from lib.model.load import load_dataset
from tests.conftest import make_events, write_data_dir

ARTICLE = "The minister said: “We won’t send troops.” It was May 18 — and Kazakhstan’s parliament agreed."


def test_a_straight_apostrophe_where_the_article_has_a_curly_one_is_named_with_its_position() -> None:
    quote = "The minister said: “We won't send troops.”"
    message = quote_departure(quote, ARTICLE)
    where = quote.index("'") + 1
    assert f"at character {where} of the quote" in message
    assert "a straight vs a curly apostrophe" in message
    assert "APOSTROPHE (U+0027)" in message and "RIGHT SINGLE QUOTATION MARK (U+2019)" in message


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ('The minister said: "We', "straight vs curly quotation marks"),
        ("It was May 18 - and", "a hyphen vs a dash"),
        ("It was May 19 — and", "at character 13 of the quote, different characters"),
        ("the minister said: “We won’t", "only with different capitals"),
        ("Nobody said anything like this at all", "no passage of the article starts like it"),
        ("Ministers agreed. It was May 18 — and", "only its last"),
        ("Kazakhstan’s parliament agreed. Then the", "the article ends after"),
    ],
)
def test_each_kind_of_departure_is_said_in_words(quote: str, expected: str) -> None:
    assert expected in quote_departure(quote, ARTICLE)


def test_characters_are_described_by_sight_and_name() -> None:
    assert describe_char("—") == "'—' EM DASH (U+2014)"
    assert describe_char(" ") == "a space SPACE (U+0020)"


def test_did_you_mean_offers_the_nearest_known_id_or_nothing() -> None:
    known = ["taliban", "KAZ", "nato_isaf", "katibat_imam_bukhari"]
    assert did_you_mean("talibann", known) == " (did you mean 'taliban'?)"
    assert did_you_mean("kaz", known) == " (did you mean 'KAZ'?)"
    assert did_you_mean("katibat_imam_bukari", known) == " (did you mean 'katibat_imam_bukhari'?)"
    assert did_you_mean("martians", known) == ""


def test_the_validator_says_where_a_quote_departs_and_suggests_near_miss_ids(tmp_path: Path) -> None:
    events = make_events()
    events[0]["sources"][0]["quote"] = "The Kazakh parliament decided May 18 to send troop's"
    events[0]["actor"] = "kazz"
    events[0]["countries"] = ["KAZ", "AFX"]
    events[1]["sources"][0]["article"] = "mt-2012"
    events[1]["date_notes"] = "typo in a field name"
    folder = write_data_dir(tmp_path / "data", events)
    messages = [str(p) for p in load_dataset(folder).problems]
    assert any("sources[0].quote" in m and "at character 51 of the quote" in m and "APOSTROPHE (U+0027)" in m
               for m in messages), messages  # fmt: skip
    assert any("field 'actor': 'kazz' is not an actor in actors.yaml (did you mean 'KAZ'?)" in m for m in messages)
    assert any("'AFX' is not listed in countries.yaml (did you mean 'AFG'?)" in m for m in messages)
    assert any("'mt-2012' is not an article in articles/ (did you mean 'mt-2011'?)" in m for m in messages)
    assert any("field 'date_notes': is not a known field (did you mean 'date_note'?)" in m for m in messages)


def test_countries_yaml_records_are_called_countries_in_messages(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    countries = yaml.safe_load((folder / "countries.yaml").read_text())
    countries["countries"][0]["region"] = ""
    (folder / "countries.yaml").write_text(yaml.safe_dump(countries), encoding="utf-8")
    messages = [str(p) for p in load_dataset(folder).problems]
    assert any("countries.yaml: country 'KAZ' field 'region'" in m for m in messages), messages
    assert not any("countrie " in m for m in messages)
