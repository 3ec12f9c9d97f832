"""The drafter's candidates, ranker and budget (issue 20: recall first, ranked not filtered), on sentences
written for the test; and the committed ranker file and its training."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from bench.draft import baseline_proposals
from bench.draft_train import (
    MAX_DRAFTS_PER_EVENT,
    THRESHOLDS,
    Row,
    check_groups,
    curve,
    drafts_per_event,
    fit,
    folds,
    kept,
    operating_point,
    ranked_recall,
    worst_fold,
)
from lib.errors import DashboardError
from lib.model.load import load_dataset
from lib.reading.draft import draft_events, known_feature, read_article_file
from lib.reading.ranker import RANKER_FILE, Ranker, load_ranker, parse_ranker
from tests.test_draft import EVERY, ROOT, write_article


@pytest.fixture(scope="module")
def real() -> object:
    return load_dataset(ROOT / "data")


BODY = (
    "Kazakh and Uzbek officials met the Taliban in Tashkent on 3 May 2023.\n\n"
    "Tajikistan has not recognised the Taliban government, and Russia may send troops to the border.\n\n"
    "Turkmenistan, Iran and Afghanistan were named in the report.\n\n"
    "The weather in Termez was fine."
)


def _every(tmp_path: Path, real: object, body: str = BODY) -> tuple[object, list]:
    article = read_article_file(write_article(tmp_path / "r.md", body, "2023-06-20"))
    every: list = []
    draft_events(article, real, ranker=EVERY, every=every)
    return article, every


def test_every_pair_the_baseline_proposes_is_a_candidate_before_the_budget(tmp_path: Path, real: object) -> None:
    article, every = _every(tmp_path, real)
    candidates = {(span, a, t) for span, a, t, _ in every}
    naive = {(p.span, p.actor, p.target) for p in baseline_proposals(article, real)}
    assert naive and naive <= candidates
    # a negated act and a hypothesis are candidates too (ranked, not filtered), with the flag the ranker weighs
    negated = [f for span, a, t, f in every if (a, t) == ("TJK", "taliban")]
    assert negated and any(f.get("modal") == 1.0 for f in negated)
    # and a party with an act word has a no-target reading
    assert any(t is None and a == "RUS" for _, a, t, _ in every)
    # a sentence naming parties but no act word still pairs them, with a flag saying so
    listed = [
        f for span, a, t, f in every if article.text[span[0] : span[1]].startswith("Turkmenistan") and t is not None
    ]
    assert listed and all(f.get("no-trigger") == 1.0 for f in listed)


def test_every_feature_the_drafter_produces_is_a_known_name(tmp_path: Path, real: object) -> None:
    _, every = _every(tmp_path, real)
    names = {n for *_, f in every for n in f}
    assert names and all(known_feature(n) for n in names), sorted(n for n in names if not known_feature(n))
    assert (
        not known_feature("no-such-feature")
        and not known_feature("rule:no-such-rule")
        and not known_feature("modal&prior")
    )


def test_the_committed_weights_name_only_features_the_drafter_produces() -> None:
    data = yaml.safe_load((ROOT / "data" / RANKER_FILE).read_text(encoding="utf-8"))
    assert data["weights"] and all(known_feature(n) for n in data["weights"]), [
        n for n in data["weights"] if not known_feature(n)
    ]
    text = (ROOT / "data" / RANKER_FILE).read_text(encoding="utf-8")
    assert "python -m bench draft --train" in text.splitlines()[0] and "development set" in text  # how it was made
    ranker = load_ranker(ROOT / "data")
    assert 0 <= ranker.threshold <= 1 and ranker.per_card >= 1


class _R:
    def __init__(self, confidence: float, why: str = "pair", features: dict | None = None) -> None:
        self.confidence, self.why, self.features = confidence, why, features or {}


def test_the_budget_keeps_the_most_confident_readings_of_a_card_above_the_threshold() -> None:
    ranker = Ranker(0.0, {"a": 1.0}, 0.3, 2)
    readings = [_R(0.2), _R(0.9), _R(0.5), _R(0.4)]
    assert [r.confidence for r in ranker.budget(readings)] == [0.9, 0.5]
    assert ranker.budget([_R(0.1), _R(0.29)]) == []  # a card with no reading at the threshold is no card
    assert ranker.score({}) == 0.5 and ranker.score({"a": 2.0}) > ranker.score({"a": 1.0}) > 0.5


def test_the_reason_names_the_rule_and_the_features_that_weighed_most() -> None:
    ranker = Ranker(0.0, {"modal": -2.0, "lead": 0.1, "settled": 1.0, "has-date": 0.5}, 0.0, 3)
    reason = ranker.reason(
        _R(0.4, "clause rules: “signed”", {"modal": 1.0, "lead": 1.0, "settled": 1.0, "has-date": 1.0})
    )
    assert reason.startswith("clause rules: “signed”") and "modal -2.0" in reason and "settled +1.0" in reason
    assert "lead" not in reason  # only the three that weighed most


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "expected a mapping"),
        ({"intercept": 0, "weights": {}, "budget": {"threshold": 0.1, "per_card": 2}}, "weights"),
        ({"intercept": "x", "weights": {"a": 1}, "budget": {"threshold": 0.1, "per_card": 2}}, "intercept"),
        ({"intercept": 0, "weights": {"a": "heavy"}, "budget": {"threshold": 0.1, "per_card": 2}}, "weights.a"),
        ({"intercept": 0, "weights": {"a": 1}, "budget": {"threshold": 2, "per_card": 2}}, "budget.threshold"),
        ({"intercept": 0, "weights": {"a": 1}, "budget": {"threshold": 0.1, "per_card": 0}}, "budget.per_card"),
    ],
)
def test_a_bad_ranker_file_is_refused_naming_the_file_and_field(data: object, field: str) -> None:
    with pytest.raises(DashboardError) as caught:
        parse_ranker(data, "data/draft_ranker.yaml")
    assert "data/draft_ranker.yaml" in str(caught.value) and field in str(caught.value)


def _rows() -> list[Row]:
    rows = []
    for n in range(12):
        for k in range(4):
            good = k == n % 3
            rows.append(
                Row(
                    f"a{n % 6}",
                    (n * 10, n * 10 + 9),
                    f"x{k}",
                    "y",
                    {"in-order": float(good), "distance": k / 3},
                    frozenset({f"e{n}"} if good else set()),
                )
            )
    return rows


def test_training_is_deterministic_and_learns_what_marks_a_coded_event() -> None:
    rows = _rows()
    first, second = fit(rows), fit(list(rows))
    assert first == second and first[1]["in-order"] > 0
    assert folds(rows) == folds(rows) and all(len(f) >= 1 for f in folds(rows))
    assert (
        set().union(*folds(rows)) == {f"a{i}" for i in range(6)} and sum(len(f) for f in folds(rows)) == 6
    )  # each article once


def test_the_budget_of_the_benchmark_keeps_per_card_the_best_at_the_threshold() -> None:
    rows = _rows()[:4]  # one card
    assert kept(rows, [0.1, 0.9, 0.5, 0.05], 0.1, 2) == [1, 2]
    assert kept(rows, [0.1, 0.9, 0.5, 0.05], 0.95, 2) == []


def test_the_operating_point_keeps_every_fold_under_the_drafts_target() -> None:
    # round 8: the mean over the development set hid folds over 3 drafts per coded event (round 7's held-out
    # set came out at 3.02 where development said 2.7); the budget is chosen so that the worst fold stays under
    rows = _rows()
    scores = [0.9 if r.events else 0.5 for r in rows]
    coded = {f"a{i}": 2 for i in range(6)}
    worst = worst_fold(rows, scores, coded)
    assert worst[(0.5, 1)] == 1.0 and worst[(0.4, 4)] == 4.0  # 4 drafts per card, 2 cards per article, 2 coded
    points = curve(rows, scores, 12)
    chosen = operating_point(points, 12, worst)
    assert worst[chosen[:2]] <= MAX_DRAFTS_PER_EVENT and chosen[2] == 12
    lopsided = {**coded, "a0": 1}  # one article coded sparsely: its fold decides
    assert worst_fold(rows, scores, lopsided)[(0.5, 1)] > 1.0


def test_the_budget_can_stop_between_the_round_10_thresholds_to_spend_the_allowance() -> None:
    # round 11: with thresholds 0.06 and 0.08 only, no budget fell between 2.70 and about 3.1 drafts per coded
    # event on development; a reading scored 0.065 must be kept by some budget that drops the ones at 0.062
    rows = _rows()[:4]  # one card
    scores = [0.062, 0.9, 0.065, 0.062]
    budgets = {tuple(kept(rows, scores, t, 4)) for t in THRESHOLDS}
    assert (1, 2) in budgets
    assert all(b - a <= 0.005 + 1e-9 for a, b in itertools.pairwise(THRESHOLDS) if 0.04 <= a < 0.07)


def test_the_budget_keeps_every_set_as_it_was_coded_under_the_drafts_target_not_only_the_folds() -> None:
    # round 12: round 11's held-out set (articles like the others, coded with fewer events each) came out at 3.9
    # drafts per coded event where every cross-validation fold of development said at most 2.99
    sparse = {"b0", "b1", "b10", "b11", "b12"}  # a team that coded one event of these articles where others coded two
    rows = [
        Row(f"b{n}", (0, 9), f"x{k}", "y", {}, frozenset({f"e{n}-{k}"} if k == 0 or (k == 3 and f"b{n}" not in sparse) else set()))
        for n in range(20)
        for k in range(4)
    ]  # twenty articles, one card each: the first and (but in the sparse set) the fourth reading are coded events
    scores = [{"x0": 0.9, "x1": 0.5, "x2": 0.48, "x3": 0.45}[r.actor] for r in rows]
    coded = {f"b{n}": 1 if f"b{n}" in sparse else 2 for n in range(20)}
    assert all(len(f & sparse) <= 1 for f in folds(rows))  # the folds mix them with the others
    plain, strict = worst_fold(rows, scores, coded), worst_fold(rows, scores, coded, groups=[sparse])
    assert plain[(0.4, 4)] == 16 / 7 and strict[(0.4, 4)] == 4.0  # 4 drafts for the one event of each sparse article
    assert all(strict[b] >= plain[b] for b in plain)  # a set to hold on can only make the worst case worse
    points = curve(rows, scores, 35)
    assert operating_point(points, 35, plain)[1:3] == (4, 35)  # the folds allow 4 per card: every event found
    assert operating_point(points, 35, strict)[1:3] == (1, 20)  # on the sparse set 4 per card is 4 drafts per event
    assert drafts_per_event(rows, kept(rows, scores, 0.4, 2), coded, [sparse, {"b2"}]) == [2.0, 1.0]
    assert worst_fold(rows, scores, coded, groups=[{"no-such-article"}]) == plain  # nothing coded there: no check


def test_the_sets_to_hold_on_are_the_coded_sets_and_the_excerpts_of_the_articles_given(tmp_path: Path) -> None:
    body = "Kazakhstan sent wheat to the Taliban on Monday."
    whole = read_article_file(write_article(tmp_path / "w.md", body, "2023-06-20"))
    cut = whole.model_copy(update={"id": "cut", "excerpt": True})
    items = [(whole, [], None), (cut, [], None)]
    assert check_groups(items, [[whole.id, "not-in-items"], ["gone"]]) == [{whole.id}, {"cut"}]
    assert check_groups(items[:1]) == []  # no excerpt among them, no batches given


def test_ranked_recall_counts_the_events_of_the_most_confident_readings_over_all_articles() -> None:
    rows = _rows()[:8]  # articles a0 and a1, one card each, one coded reading per card (x0 and x1)
    scores = [0.2, 0.1, 0.3, 0.4, 0.1, 0.9, 0.8, 0.7]
    assert ranked_recall(rows, scores, 1) == 1 and rows[5].events == frozenset({"e1"})  # the best reading is coded
    assert ranked_recall(rows, scores, 3) == 1  # then two readings of a1 that are not
    assert ranked_recall(rows, scores, 5) == 1 and ranked_recall(rows, scores, 6) == 2  # a0's x0 at 0.2 is 6th
    assert ranked_recall(rows, scores, 0) == 0
