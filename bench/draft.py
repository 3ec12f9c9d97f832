"""Drafter benchmark: draft each article of the data folder and compare with its curated events.

`python -m bench draft [--data DIR] [--repeats 5] [--no-write]`. For every curated event and every
article it cites (a "curated source"), a draft *matches* when its quote overlaps the curated quote in
the article and it has the same actor and target (in that order). Reported per article and overall:

- recall: share of curated sources with a matching draft (target ≥ 80%);
- date: share of those whose matching draft has the curated date at the curated precision (≥ 90%);
- drafts per curated source (≤ 4);
- precision: share of drafts that match some curated source (the rest have no curated match);
- also, for reading the misses: recall when the pair may be reversed, and recall of the passage alone;
- the median time to draft the article (target < 1 s).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from dataclasses import dataclass

from bench.results import stamp, table, wait_for_quiet, write_section
from lib.model.dataset import Dataset
from lib.model.load import load_dataset
from lib.reading.draft import Draft, draft_events
from lib.views.sources import quote_span

TARGET_RECALL = 0.80
TARGET_DATE = 0.90
TARGET_DRAFTS_PER_EVENT = 4.0
TARGET_SECONDS = 1.0


@dataclass
class ArticleScore:
    """One article's comparison."""

    article: str
    curated: int
    drafts: int
    matched: int
    dated: int
    reversed_ok: int
    passage_ok: int
    drafts_matching: int
    seconds: float
    misses: list[str]
    placed: int = 0  # matched with the curated place and precision (no place on both counts)
    misplaced: int = 0  # matched, proposing a place other than the curated one (or one the curator left out)
    cold_seconds: float = 0.0  # the first draft of the article in this process (caches and gazetteer cold)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_article(ds: Dataset, article_id: str, drafts: list[Draft], seconds: float) -> ArticleScore:
    """Compare the drafts of one article with the curated events citing it."""
    article = ds.articles[article_id]
    curated = []
    for event in ds.events:
        for source in event.sources:
            if source.article == article_id:
                span = quote_span(article.text, source.quote)
                if span is not None:
                    curated.append((event, span))
    matched = dated = reversed_ok = passage_ok = placed = misplaced = 0
    misses = []
    good_drafts: set[int] = set()
    for event, span in curated:
        near = [i for i, d in enumerate(drafts) if _overlaps(d.quote_span, span)]
        same = [i for i in near if (drafts[i].event["actor"], drafts[i].event["target"]) == (event.actor, event.target)]
        either = [
            i for i in near if {drafts[i].event["actor"], drafts[i].event["target"]} == {event.actor, event.target}
        ]
        passage_ok += bool(near)
        reversed_ok += bool(either)
        if same:
            matched += 1
            good_drafts.update(same)
            where = {(drafts[i].event.get("place"), drafts[i].event.get("place_precision")) for i in same}
            if (event.place, event.place_precision) in where:
                placed += 1
            elif any(p is not None for p, _ in where):
                misplaced += 1
                misses.append(f"{event.id}: place {sorted(str(p) for p, _ in where)} vs {event.place}")
            if any(drafts[i].event["date"] == event.date for i in same):
                dated += 1
            else:
                misses.append(f"{event.id}: date {[drafts[i].event['date'] for i in same]} vs {event.date}")
        else:
            pairs = sorted({f"{drafts[i].event['actor']}→{drafts[i].event['target']}" for i in near})
            misses.append(f"{event.id}: {event.actor}→{event.target} not drafted (passage drafts: {', '.join(pairs) or 'none'})")
    return ArticleScore(
        article_id, len(curated), len(drafts), matched, dated, reversed_ok, passage_ok, len(good_drafts), seconds,
        misses, placed, misplaced,
    )


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "—"


def without_article(ds: Dataset, article_id: str) -> Dataset:
    """The dataset as it was before the article was coded: its quotes removed from every event, and
    events it alone cited left out (the drafter compares drafts with existing events: it must not see
    the answers)."""
    events = []
    for event in ds.events:
        sources = [s for s in event.sources if s.article != article_id]
        if sources:
            events.append(event if len(sources) == len(event.sources) else event.model_copy(update={"sources": sources}))
    return dataclasses.replace(ds, events=events)


def run(data_dir: str | None, repeats: int) -> tuple[list[ArticleScore], str]:
    """Draft every article `repeats` times (median time) and score the last drafts."""
    ds = load_dataset(data_dir)
    scores = []
    for article_id, article in sorted(ds.articles.items()):
        before = without_article(ds, article_id)
        start = time.perf_counter()
        draft_events(article, before)  # warm caches (lexicon, dateparser, gazetteer) before timing
        cold = time.perf_counter() - start
        times = []
        drafts: list[Draft] = []
        for _ in range(repeats):
            start = time.perf_counter()
            drafts = draft_events(article, before)
            times.append(time.perf_counter() - start)
        scores.append(dataclasses.replace(score_article(ds, article_id, drafts, statistics.median(times)), cold_seconds=cold))
    total = ArticleScore(
        "all articles",
        sum(s.curated for s in scores),
        sum(s.drafts for s in scores),
        sum(s.matched for s in scores),
        sum(s.dated for s in scores),
        sum(s.reversed_ok for s in scores),
        sum(s.passage_ok for s in scores),
        sum(s.drafts_matching for s in scores),
        max(s.seconds for s in scores),
        [],
        sum(s.placed for s in scores),
        sum(s.misplaced for s in scores),
        max(s.cold_seconds for s in scores),
    )
    rows = [
        [
            s.article,
            s.curated,
            s.drafts,
            _pct(s.matched, s.curated),
            _pct(s.dated, s.matched),
            _pct(s.placed, s.matched),
            str(s.misplaced),
            f"{s.drafts / s.curated:.1f}" if s.curated else "—",
            _pct(s.drafts_matching, s.drafts),
            _pct(s.reversed_ok, s.curated),
            _pct(s.passage_ok, s.curated),
            f"{s.seconds * 1000:.0f} ms" + (" (max)" if s is total else ""),
            f"{s.cold_seconds * 1000:.0f} ms" + (" (max)" if s is total else ""),
        ]
        for s in [*scores, total]
    ]
    headers = [
        "Article", "Curated sources", "Drafts", "Recall (passage + actor→target)", "Date exact", "Place exact",
        "Wrong place", "Drafts per curated", "Precision (drafts matching)", "Recall, pair either way",
        "Passage drafted", "Time", "First draft (cold)",
    ]  # fmt: skip
    verdict = [
        f"recall {_pct(total.matched, total.curated)} (target ≥ {TARGET_RECALL:.0%}): "
        + ("met" if total.matched >= TARGET_RECALL * total.curated else "NOT met"),
        f"dates {_pct(total.dated, total.matched)} (target ≥ {TARGET_DATE:.0%}): "
        + ("met" if total.dated >= TARGET_DATE * total.matched else "NOT met"),
        f"drafts per curated source {total.drafts / max(total.curated, 1):.1f} (target ≤ {TARGET_DRAFTS_PER_EVENT:.0f}): "
        + ("met" if total.drafts <= TARGET_DRAFTS_PER_EVENT * total.curated else "NOT met"),
        f"slowest article {total.seconds * 1000:.0f} ms (target < {TARGET_SECONDS:.0f} s): "
        + ("met" if total.seconds < TARGET_SECONDS else "NOT met"),
    ]
    misses = [f"- {m}" for s in scores for m in s.misses]
    body = "\n".join(
        [
            "## Drafter (`python -m bench draft`)",
            "",
            stamp(),
            "",
            "Each curated event is compared, per article it cites, with the drafts of that article: a draft "
            "matches when its quote overlaps the curated quote and it has the same actor and target in the "
            "same order. Each article is drafted against the data as it was before that article was coded "
            "(its quotes, and events only it cites, removed), so comparing drafts with existing events cannot "
            "copy the answer. Precision is the share of drafts that match a curated event; the rest are "
            "proposals the analyst rejects (or events the curators left out). Times are medians of "
            f"{repeats} runs after one warm-up; the warm-up itself is the first-draft column (in one process, "
            "so the first article also pays for loading the lexicon, dateparser and the gazetteer). Place "
            "exact: the matching draft proposes the curated place and precision (no place on both counts); "
            "wrong place: it proposes another place, or one the curators left out.",
            "",
            table(headers, rows),
            "",
            *[f"- {v}" for v in verdict],
            "",
            "<details><summary>Curated events without a matching draft, or with another date or place</summary>",
            "",
            *misses,
            "",
            "</details>",
        ]
    )
    return scores, body


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the section and (unless --no-write) write it into RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench draft", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: data/)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    wait_for_quiet()
    _, body = run(args.data, args.repeats)
    print(body)
    if not args.no_write:
        write_section("draft", body)
    return 0
