"""The grammatical roles link-grammar gives a sentence (lib/reading/syntax.py), and the drafter's syntactic
features, on sentences written for the test. The parser's tests skip where it is not installed
(scripts/setup.sh installs it); the reading of links and the fallback run everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.model.load import load_dataset
from lib.reading import syntax
from lib.reading.draft import draft_events, known_feature, read_article_file
from tests.test_draft import EVERY, ROOT, write_article

parser = pytest.mark.skipif(
    not syntax.available(), reason="link-grammar is not installed (scripts/setup.sh installs it)"
)


def _roles(sentence: str) -> set[tuple[str, str, str]]:
    reading = syntax.roles(sentence)
    assert reading is not None, f"no parse of {sentence!r}"
    return {(sentence[r.head[0] : r.head[1]], r.role, sentence[r.filler[0] : r.filler[1]]) for r in reading.roles}


@parser
def test_active_verb_subject_and_object() -> None:
    roles = _roles("The Taliban shelled a Tajik border post.")
    assert ("shelled", "subject", "The Taliban") in roles
    assert ("shelled", "object", "a Tajik border post") in roles


@parser
def test_passive_subject_and_agent() -> None:
    roles = _roles("Kyrgyzstan was criticised by Uzbekistan for closing the road.")
    assert ("criticised", "patient", "Kyrgyzstan") in roles
    assert ("criticised", "agent", "Uzbekistan") in roles
    assert not any(r == "subject" and h == "criticised" for h, r, _ in roles)


@parser
def test_prepositional_objects_and_auxiliaries() -> None:
    roles = _roles("Turkmenistan has agreed to hold talks with the Taliban.")
    # the subject reaches the verb through "has agreed to"
    assert ("hold", "subject", "Turkmenistan") in roles
    assert ("hold", "prep:with", "the Taliban") in roles


@parser
def test_coordination_gives_each_conjunct_its_role() -> None:
    roles = _roles("The militants attacked and burned the checkpoint.")
    assert {("attacked", "subject", "The militants"), ("burned", "subject", "The militants")} <= roles
    assert {("attacked", "object", "the checkpoint"), ("burned", "object", "the checkpoint")} <= roles
    reading = syntax.roles("Iran met envoys from Kazakhstan and Kyrgyzstan.")
    assert reading is not None
    s = "Iran met envoys from Kazakhstan and Kyrgyzstan."
    pairs = {(s[a[0] : a[1]], s[b[0] : b[1]]) for a, b in reading.coordinated}
    assert ("Kazakhstan", "Kyrgyzstan") in pairs


@parser
def test_features_of_a_reading_and_its_reverse() -> None:
    s = "The Taliban shelled a Tajik border post."
    act, taliban, tajik = (12, 19), (0, 11), (22, 27)
    assert s[act[0] : act[1]] == "shelled" and s[tajik[0] : tajik[1]] == "Tajik"
    right = syntax.features(s, act, taliban, tajik)
    assert right.get("syntax-actor-subject") and right.get("syntax-target-object") and right.get("syntax-linked")
    assert "syntax-reversed" not in right
    wrong = syntax.features(s, act, tajik, taliban)
    assert wrong.get("syntax-reversed") and wrong.get("syntax-linked-reversed")
    assert "syntax-actor-subject" not in wrong
    # an act noun: its roles are those of the verb whose object it is
    s = "Kazakhstan maintains contacts with the Taliban."
    noun = s.index("contacts"), s.index("contacts") + len("contacts")
    f = syntax.features(s, noun, (0, 10), (s.index("the Taliban"), len(s) - 1))
    assert f.get("syntax-actor-subject") and f.get("syntax-linked")


@parser
def test_spans_are_characters_of_the_sentence_with_curly_quotes() -> None:
    s = "“Our border guards repelled the attackers,” the Tajik minister said."
    roles = _roles(s)
    assert ("repelled", "subject", "Our border guards") in roles
    assert ("said", "subject", "the Tajik minister") in roles


def test_too_long_or_empty_sentences_are_not_parsed() -> None:
    long = "Kazakhstan sent aid " + "and more aid " * syntax.MAX_WORDS + "to Kabul."
    assert syntax.roles(long) is None and syntax.roles("  ") is None
    assert syntax.features(long, (11, 15), (0, 10), None) == {}


@pytest.fixture
def no_parser(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    syntax.roles.cache_clear()
    monkeypatch.setattr(syntax, "_parser", lambda: None)
    yield
    syntax.roles.cache_clear()


def test_without_the_parser_nothing_is_read_and_the_drafter_still_drafts(no_parser: None, tmp_path: Path) -> None:
    s = "The Taliban shelled a Tajik border post."
    assert not syntax.available() and syntax.roles(s) is None and syntax.features(s, (12, 19), (0, 11), (22, 27)) == {}
    article = read_article_file(write_article(tmp_path / "a.md", s, "2023-06-20"))
    every: list = []
    draft_events(article, load_dataset(ROOT / "data"), ranker=EVERY, every=every)
    assert every and not any(name in syntax.FEATURES for *_, f in every for name in f)


def test_links_are_read_into_roles_without_the_parser() -> None:
    # link-grammar's links of "Russia and China warned Kabul" as it gives them (SJ: the conjuncts of "and")
    words = ["LEFT-WALL", "Russia.l", "and.j-n", "China.l", "warned.v-d", "Kabul.l", "."]
    spans = [(0, 0), (0, 6), (7, 10), (11, 16), (17, 23), (24, 29), (29, 30)]
    links = [(0, "Wd", 2), (1, "SJlp", 2), (2, "SJr", 3), (2, "Sp", 4), (4, "Os", 5), (0, "Xp", 6)]
    reading = syntax.links_to_roles(words, spans, links)
    assert set(reading.roles) >= {
        syntax.Role((17, 23), "subject", (0, 6)),
        syntax.Role((17, 23), "subject", (11, 16)),
        syntax.Role((17, 23), "object", (24, 29)),
    }
    assert ((0, 6), (11, 16)) in reading.coordinated


@parser
def test_the_drafter_weighs_the_syntactic_features(tmp_path: Path) -> None:
    body = "The Taliban shelled a Tajik border post on 3 May 2023."
    article = read_article_file(write_article(tmp_path / "s.md", body, "2023-06-20"))
    every: list = []
    draft_events(article, load_dataset(ROOT / "data"), ranker=EVERY, every=every)
    by_pair = {(a, t): f for _, a, t, f in every}
    forward = by_pair[("taliban", "TJK")]
    assert forward.get("syntax-actor-subject") and forward.get("syntax-linked") and forward.get("syntax-parsed")
    assert by_pair[("TJK", "taliban")].get("syntax-reversed")
    assert all(known_feature(n) for n in syntax.FEATURES)
