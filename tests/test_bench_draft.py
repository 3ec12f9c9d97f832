"""The drafter benchmark's scoring and its naive baseline (bench/draft.py), on sentences written for the test."""

from __future__ import annotations

from pathlib import Path

from bench.draft import (
    Coded,
    Proposal,
    Score,
    at_equal_cost,
    baseline_proposals,
    by_group,
    coded_batches,
    date_right,
    read_split,
    run,
    score,
    without_article,
)
from lib.model.load import load_dataset
from lib.reading.draft import read_article_file
from tests.test_draft import ROOT, write_article


def test_a_date_is_right_at_the_coded_precision_and_never_coarser() -> None:
    assert date_right("2023-03-15", "2023-03") and date_right("2023-03", "2023-03") and date_right("2023-03-15", "2023")
    assert not date_right("2023", "2023-03-15") and not date_right("2023-04", "2023-03") and not date_right("", "2023")


def test_the_baseline_proposes_every_ordered_pair_of_known_names_dated_to_the_publication_month(tmp_path: Path) -> None:
    ds = load_dataset(ROOT / "data")
    body = "Kazakh and Uzbek officials met the Taliban in Tashkent.\n\nThe weather was fine."
    article = read_article_file(write_article(tmp_path / "b.md", body, "2023-06-20"))
    proposals = baseline_proposals(article, ds)
    assert {(p.actor, p.target) for p in proposals} == {
        (a, b) for a in ("KAZ", "UZB", "taliban") for b in ("KAZ", "UZB", "taliban") if a != b
    }
    assert {p.date for p in proposals} == {"2023-06"} and {p.card for p in proposals} == {0}


def test_an_event_is_found_by_any_alternative_with_the_pair_in_order_and_an_overlapping_quote() -> None:
    gold = [Coded("e1", (10, 40), "KAZ", "taliban", "2023-03"), Coded("e2", (50, 80), "UZB", None, "2023")]
    proposals = [
        Proposal((0, 45), "taliban", "KAZ", "2023-03-02", 0),  # reversed: no match
        Proposal((0, 45), "KAZ", "taliban", "2023-03-02", 0),  # an alternative of the same card: found, date right
        Proposal((45, 49), "UZB", None, "2023", 1),  # no overlap
    ]
    s = score("a", gold, proposals, [0.01])
    assert (s.coded, s.found, s.dated, s.cards, s.proposals, s.matching) == (2, 1, 1, 2, 3, 1)
    assert len(s.misses) == 1 and "e2" in s.misses[0]


FIXTURE = Path(__file__).resolve().parent / "bench_draft"


def _run(split: str) -> str:
    return run(
        str(ROOT / "data"), FIXTURE / "curation", FIXTURE / "articles", FIXTURE / split, repeats=1,
        heldout_gold=FIXTURE / "heldout",
    )  # fmt: skip


def test_an_empty_held_out_set_gives_a_table_that_says_there_are_none_yet() -> None:
    assert read_split(FIXTURE / "split-empty.yaml")["heldout"] == []
    out = _run("split-empty.yaml")
    assert "### Held-out set (round 14, coded blind)" in out and "No held-out article with a coded log yet" in out
    assert "Held-out set (round 14, coded blind): none yet" in out  # the summary says so too
    assert "### Development set" in out and "Who read what" in out


def test_the_held_out_set_is_scored_from_its_own_logs_and_its_misses_are_never_printed() -> None:
    out = _run("split-heldout.yaml")
    held = out.split("### Held-out set (round 14, coded blind)", 1)[1].split("###", 1)[0]
    assert "| drafter (lib.reading.draft) | 1 of 1 | 1 |" in held and "| baseline (every ordered pair" in held
    assert "the figures that count: drafter found" in out and "beats the baseline on recall" in held
    assert "fixture-taliban-warn-uzbekistan-dam-2022" not in out  # a held-out event is never named
    assert "fixture-dev-2023-05-10-wheat" not in held


def test_a_held_out_article_is_drafted_without_any_held_out_article_s_events() -> None:
    ds = load_dataset(ROOT / "data")
    some = next(s.article for e in ds.events for s in e.sources)
    hidden = without_article(ds, frozenset({some, "no-such-article"}))
    assert all(s.article != some for e in hidden.events for s in e.sources) and len(hidden.events) < len(ds.events)


def test_each_rule_s_gain_is_measured_on_cross_validated_ranked_recall_with_the_rule_left_out(tmp_path: Path) -> None:
    from bench.draft_train import rows_of, rule_gains
    from lib.reading.ranker import Ranker

    ds = load_dataset(ROOT / "data")
    bodies = {
        "a": ("Kazakhstan sent wheat to the Taliban on Monday.", ("KAZ", "taliban")),
        "b": ("Officials said Uzbekistan signed a rail deal with the Taliban on Friday.", ("UZB", "taliban")),
        "c": ("The Taliban thanked Turkmenistan for the power line on Sunday.", ("taliban", "TKM")),
    }
    items = []
    for name, (body, (actor, target)) in bodies.items():
        article = read_article_file(write_article(tmp_path / f"{name}.md", body, "2023-06-20"))
        span = (article.text.index(body), article.text.index(body) + len(body))
        items.append((article, [Coded(f"e-{name}", span, actor, target, "2023-06")], ds))
    every = rows_of(items)
    assert {e for r in every for e in r.events} == {"e-a", "e-b", "e-c"}  # all three among the candidates
    table = rule_gains(items, ["bare-country"], Ranker(0.0, {}, 0.0, 3)).splitlines()
    assert table[0].startswith("| Rule left out | Ceiling |") and len(table) == 4
    assert table[2].startswith("| (none: all rules) | 3 |") and table[3].startswith("| bare-country |")
    # a bare country acting is read through `bare-country`: without it the reading is still a pair of known names
    assert len(rows_of(items, frozenset({"bare-country"}))) <= len(every)


def test_the_development_articles_are_grouped_in_the_sets_they_were_coded_in(tmp_path: Path) -> None:
    split = tmp_path / "split.yaml"
    split.write_text(
        "# the split\ndevelopment:\n  - first-a\n  - first-b\n"
        "  # round 5a held-out set (2 articles coded blind by curator-c), read once\n  # then moved here\n"
        "  - five-a\n  - five-b\n"
        "  # round-11 held-out set: 1 article coded blind by curator-v, read once\n  - eleven-a\n"
        "seed:\n  - seed-a\n# Held-out set, round 13\nheldout:\n  - blind-a\n",
        encoding="utf-8",
    )
    assert coded_batches(split) == {
        "round 3 (development and test)": ["first-a", "first-b"],
        "round 5a held-out set": ["five-a", "five-b"],
        "round 11 held-out set": ["eleven-a"],
    }  # seeds and the blind held-out set are never among them
    assert [len(b) for b in coded_batches(ROOT / "bench" / "draft_split.yaml").values()][-1] == 28  # round 13's


def test_the_drafter_is_set_beside_the_baseline_at_the_baseline_s_cost() -> None:
    base = Score(coded=10, found=6, proposals=80)
    assert "at the baseline's 8.0 drafts per coded event" in at_equal_cost(lambda n: 7 if n == 80 else 0, base)
    assert "find 70% (7/10), the baseline 60% (6/10): ranking beats" in at_equal_cost(lambda n: 7, base)
    assert "ranking does NOT beat" in at_equal_cost(lambda n: 6, base)


def test_the_drafts_per_coded_event_are_shown_for_each_fold_each_coded_set_and_the_excerpts() -> None:
    from types import SimpleNamespace

    from bench.draft_train import Row
    from lib.reading.ranker import Ranker

    ids = [f"c{n}" for n in range(10)]
    items = [(SimpleNamespace(id=a, excerpt=a in ("c0", "c1")), [None] * (1 if a == "c9" else 2), None) for a in ids]
    rows = [Row(a, (0, 9), f"x{k}", "y", {}, frozenset()) for a in ids for k in range(3)]
    scores = [0.9, 0.5, 0.1] * 10  # two readings of each card at or above 0.5
    out = by_group(items, rows, scores, Ranker(0.0, {}, 0.5, 3), {"round 3 (development and test)": ids[:8], "round 11 held-out set": ["c8", "c9"]})
    lines = out.splitlines()
    assert sum(line.startswith("| fold ") for line in lines) == 5
    assert "| round 3 (development and test) | 8 | 16 | 1.00 | yes |" in lines
    assert "| round 11 held-out set | 2 | 3 | 1.33 | yes |" in lines  # 4 drafts for 3 coded events
    assert "| opening excerpts (excerpt: true) | 2 | 4 | 1.00 | yes |" in lines
    four = [Row(a, (0, 9), f"x{k}", "y", {}, frozenset()) for a in ids for k in range(4)]
    tight = by_group(items, four, [0.9] * 40, Ranker(0.0, {}, 0.5, 4), {"round 11 held-out set": ["c9"]})
    assert "| round 11 held-out set | 1 | 1 | 4.00 | NO |" in tight.splitlines()  # over the allowance: said so
