"""The drafter's learned lexical evidence (round 9): the words of a reading as features, crossed with its
direction, on sentences written for the test; and the training's vocabulary (words of enough articles only)."""

from __future__ import annotations

from bench.draft_train import MIN_ARTICLES, Row, fit, lexical_vocabulary, lexicon_pruned
from lib.reading.draft import Candidate, Party, known_feature, lexical_features


def _party(sentence: str, text: str, actor: str) -> Party:
    start = sentence.index(text)
    return Party(start, start + len(text), text, actor, f"“{text}”")


def _candidate(sentence: str, actor: str, target: str | None, act: str) -> Candidate:
    start = sentence.index(act)
    a = _party(sentence, actor, actor)
    b = _party(sentence, target, target) if target else None
    return Candidate(a, b, (start, start + len(act), None), (), [])  # the entry is not read


def test_the_words_are_crossed_with_the_direction_of_the_reading() -> None:
    s = "Bactria sternly warned Sogdiana about the border posts."
    forward = lexical_features(s, _candidate(s, "Bactria", "Sogdiana", "warned"), True)
    backward = lexical_features(s, _candidate(s, "Sogdiana", "Bactria", "warned"), True)
    assert {"lex:act=warned|a>t", "lex:between=sternly|a>t", "lex:between=warned|a>t"} <= set(forward)
    assert {"lex:act=warned|t>a", "lex:between=sternly|t>a"} <= set(backward)
    assert not any(k.endswith("|a>t") for k in backward)
    # a reading with no target: the act word only, marked so
    alone = lexical_features(s, _candidate(s, "Bactria", None, "warned"), True)
    assert "lex:act=warned|a" in alone and not any(k.startswith("lex:between=") for k in alone)
    # no act word in the sentence: no act feature
    assert not any(k.startswith("lex:act=") for k in lexical_features(s, _candidate(s, "Bactria", "Sogdiana", "warned"), False))


def test_words_are_normalised_and_a_long_gap_keeps_its_ends() -> None:
    s = "Bactria’s envoys, after many long and tiring rounds of quiet talks in three capitals, met Sogdiana."
    f = lexical_features(s, _candidate(s, "Bactria", "Sogdiana", "met"), True)
    words = {k.split("=")[1].split("|")[0] for k in f if k.startswith("lex:between=")}
    assert words == {"'s", "envoy", "capital", "met"}  # the first two words and the last two
    assert "lex:far|a>t" in f
    assert "lex:before=^|a>t" in f  # the first party opens the sentence


def test_every_lexical_name_is_a_known_feature_and_others_are_not() -> None:
    s = "On Monday the Khan of Bactria accused Sogdiana of shelling the river port."
    f = lexical_features(s, _candidate(s, "Bactria", "Sogdiana", "accused"), True)
    assert f and all(known_feature(k) for k in f), [k for k in f if not known_feature(k)]
    assert not known_feature("lex:act=Warned|a>t") and not known_feature("lex:between=x|sideways")
    assert not known_feature("lex:whatever=x|a>t")


def _row(article: str, features: dict[str, float], coded: bool) -> Row:
    return Row(article, (0, 1), "A", "B", features, frozenset({"e"}) if coded else frozenset())


def test_the_vocabulary_keeps_words_of_enough_articles_only() -> None:
    rows = [_row(f"a{i}", {"lex:act=warned|a>t": 1.0, "actor-first": 1.0}, True) for i in range(MIN_ARTICLES)]
    rows += [_row("a0", {"lex:act=rare|a>t": 1.0}, False)] * 5  # one article, many readings
    vocabulary = lexical_vocabulary(rows)
    assert vocabulary == {"lex:act=warned|a>t"}
    assert lexicon_pruned({"lex:act=rare|a>t": 1.0, "actor-first": 1.0}, vocabulary) == {"actor-first": 1.0}
    _, weights = fit(rows + [_row(f"b{i}", {"actor-first": 1.0}, False) for i in range(6)])
    assert "lex:act=rare|a>t" not in weights and weights.get("lex:act=warned|a>t", 0) > 0
