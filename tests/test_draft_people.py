"""The drafter's round-5 recall mechanisms, on sentences written for the test (never copied from an article):
named officials and their surnames (lib/reading/people.py), a country after a preposition as a recall
pair, a no-target reading giving way, roles reversed only when unsettled, and general news verbs."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model.load import load_dataset
from lib.reading.draft import Draft, draft_events, read_article_file
from lib.reading.people import officials, surname_mentions, surname_of
from tests.test_draft import EVERY, ROOT, write_article

NOT_NAMES = frozenset({"the", "on", "monday", "president", "minister", "foreign", "in"})


@pytest.fixture(scope="module")
def real() -> object:
    return load_dataset(ROOT / "data")


def drafted(tmp_path: Path, real: object, body: str, published: str = "2023-06-20", off: frozenset[str] = frozenset()) -> list[Draft]:
    """Every reading kept (the mechanism under test proposes it; the budget is tested in test_draft_ranker.py)."""
    return draft_events(read_article_file(write_article(tmp_path / "p.md", body, published)), real, off, ranker=EVERY)


def pairs(drafts: list[Draft]) -> set[tuple[str, str | None]]:
    return {(d.event["actor"], d.event["target"]) for card in drafts for d in card.proposals()}


def test_a_title_before_a_name_reads_the_state_the_title_names() -> None:
    text = "Kyrgyz Foreign Minister Ruslan Kazakbaev met the delegation on Monday."
    (o,) = officials(text, [(0, 6, "KGZ")], [(7, 23)], NOT_NAMES)
    assert (o.name, o.surname, o.actor, o.title) == ("Ruslan Kazakbaev", "Kazakbaev", "KGZ", "Foreign Minister")
    assert o.head == 0  # the phrase starts at the demonym


def test_a_title_of_a_country_and_a_name_after_a_comma_are_read_too() -> None:
    text = "The acting interior minister of Afghanistan (IEA) Mawlavi Sirajuddin Haqqani arrived."
    at, title = text.index("Afghanistan"), text.index("interior minister")
    (o,) = officials(text, [(at, at + 11, "taliban")], [(title, title + 17)], NOT_NAMES)
    assert (o.name, o.actor, o.head) == ("Mawlavi Sirajuddin Haqqani", "taliban", title)
    text = "The envoy met Aibek Tursunov, Deputy Minister of Defence of Kyrgyzstan, in Bishkek."
    at, title = text.index("Kyrgyzstan"), text.index("Minister of")
    (o,) = officials(text, [(at, at + 10, "KGZ")], [(title, title + 8)], NOT_NAMES)
    assert (o.name, o.actor) == ("Aibek Tursunov", "KGZ")


def test_no_official_without_a_name_or_a_state_and_a_known_name_is_left_to_its_party() -> None:
    assert officials("The foreign minister said on Monday.", [], [(4, 20)], NOT_NAMES) == []
    text = "Uzbek President Mirziyoyev spoke."
    assert officials(text, [(0, 5, "UZB"), (16, 26, "UZB")], [(6, 15)], NOT_NAMES) == []  # "Mirziyoyev" is a known alias
    assert surname_of("Kazakbaev’s") == "Kazakbaev"
    assert surname_mentions("Kazakbaev’s aide said Kazakbaev left.", {"Kazakbaev": "KGZ"}, [(0, 11)]) == [(22, 31, "Kazakbaev")]


def test_a_surname_later_in_the_article_acts_for_the_official_s_state(tmp_path: Path, real: object) -> None:
    # A made-up official: a real one may be listed in actors.yaml (its officeholders), and then is no longer read
    # by the people rule.
    body = (
        "Kyrgyz Foreign Minister Ruslan Sydykbaev arrived in Kabul on 2 May 2023.\n\n"
        "On 3 May 2023 Sydykbaev warned the Taliban about the border."
    )
    drafts = drafted(tmp_path, real, body)
    warned = next(c for c in drafts if c.event["sources"][0]["quote"].startswith("On 3 May"))
    assert (warned.event["actor"], warned.event["target"]) == ("KGZ", "taliban")
    assert "Sydykbaev" in warned.notes[2] and "actor" in warned.guessed
    left_out = drafted(tmp_path, real, body, off=frozenset({"people"}))
    assert ("KGZ", "taliban") not in pairs([c for c in left_out if c.event["sources"][0]["quote"].startswith("On 3 May")])


def test_a_country_after_a_preposition_is_a_recall_pair_only(tmp_path: Path, real: object) -> None:
    body = "Uzbekistan voiced concern about Afghanistan on 4 May 2023."
    (card,) = drafted(tmp_path, real, body)
    concern = next(d for d in card.proposals() if (d.event["actor"], d.event["target"]) == ("UZB", "taliban"))
    assert concern.reason.startswith("pair")  # a recall pair, never the clause rules' reading
    assert all(d.event["target"] != "taliban" for d in drafted(tmp_path, real, body, off=frozenset({"preposition-country"})) if d.reason.startswith("clause"))


def test_a_no_target_reading_gives_way_to_the_same_act_with_a_target(tmp_path: Path, real: object) -> None:
    body = "Uzbekistan voiced concern about Afghanistan on 4 May 2023."
    # ranked, not filtered: both readings are candidates, the no-target one flagged as such for the ranker
    assert {("UZB", None), ("UZB", "taliban")} <= pairs(drafted(tmp_path, real, body))
    # two doers of one act keep their own no-target readings: the pair between them is no target
    found = pairs(drafted(tmp_path, real, "Russia and Uzbekistan delivered aid on 6 May 2023."))
    assert {("RUS", None), ("UZB", None)} <= found


@pytest.mark.parametrize(
    ("sentence", "pair", "event_type"),
    [
        ("Tajikistan sealed off its border with Afghanistan on 7 May 2023.", ("TJK", "taliban"), "material_conflict"),
        ("Kazakhstan suggested a new trade route to Turkmenistan on 7 May 2023.", ("KAZ", "TKM"), "verbal_cooperation"),
        ("Kazakh President Kassym Tokmanov spoke to the Turkmen leader on 7 May 2023.", ("KAZ", "TKM"), "verbal_cooperation"),
        ("Uzbekistan voiced concern about the Taliban on 7 May 2023.", ("UZB", "taliban"), "verbal_conflict"),
        ("Taliban forces advanced towards the Tajik border troops on 7 May 2023.", ("taliban", "TJK"), "material_conflict"),
    ],
)
def test_general_news_verbs_are_triggers(tmp_path: Path, real: object, sentence: str, pair: tuple[str, str], event_type: str) -> None:
    drafts = drafted(tmp_path, real, sentence)
    assert any((d.event["actor"], d.event["target"]) == pair and d.event["event_type"] == event_type for c in drafts for d in c.proposals())


def test_bases_in_a_country_are_proposed_with_each_host_both_ways(tmp_path: Path, real: object) -> None:
    # round 12: the `hosts` rule (the host country made the doer) was removed, as it gained nothing ranked
    # (cross-validated, the ranker retrained without it); each host is still a pair of the card, both ways
    body = "Russia has access to military bases in Kyrgyzstan, Tajikistan and Armenia, officials said on 3 May 2023."
    article = read_article_file(write_article(tmp_path / "p.md", body, "2023-06-20"))
    every: list = []
    draft_events(article, real, ranker=EVERY, every=every)
    readings = {(a, t) for _, a, t, _ in every}
    assert {("RUS", "TJK"), ("TJK", "RUS"), ("RUS", "KGZ"), ("KGZ", "RUS")} <= readings
    assert not any("host" in f for _, _, _, f in every)


def test_a_name_set_off_by_a_comma_after_the_title_is_read() -> None:
    text = "Kyrgyzstan’s President, Sadyr Baktybekov, met the envoy."
    (o,) = officials(text, [(0, 10, "KGZ")], [(13, 22)], NOT_NAMES)
    assert (o.name, o.actor) == ("Sadyr Baktybekov", "KGZ")
