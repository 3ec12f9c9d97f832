"""Drafter benchmark: the drafter and a naive baseline, on the development, held-out and seed articles.

`python -m bench draft [--data DIR] [--gold DIR] [--heldout-gold DIR] [--articles DIR] [--split FILE]
[--repeats 3] [--no-write] [--only SET ...] [--train] [--rule-gains [RULE ...]] [--no-rule-table]`.

The split (bench/draft_split.yaml): rules may be written from the development articles only. The held-out
articles were coded blind (without the drafter) by curators who never read it, and nobody writing rules sees
them; their aggregate figures are the ones that count, and their misses are never printed. Gold events of
the development articles are the `events:` of their curation logs (`--gold DIR`, default bench/curation/,
one `<article id>.yaml` per article, format of issue 19); those of the held-out articles are in
`--heldout-gold DIR` (default bench/heldout/, same format, `proposals:` empty). Their article files are
read from `--articles DIR` (default data/articles/). The seed articles are in the data folder and their gold
is data/events.yaml. An article with no curation log yet is left out and counted as such; an empty
`heldout:` gives a table that says there are none yet.

A coded event is *found* when a proposal (a card or any of its alternatives) has a quote overlapping the
coded quote in the article and the same actor and target in that order. Its *date is right* when a
found proposal's date, cut to the coded precision, equals the coded date and is not coarser. Drafts per
coded event counts every proposal, alternatives included; precision is the share of proposals that
match a coded event. Time: the median of `--repeats` warm runs per article (after one warm-up).

On the development set the drafter is also run cross-validated (`bench/draft_train.py`: each article drafted
with ranker weights trained on the other folds, folds grouped by article): the honest estimate on unseen
text, beside the in-sample figure of the committed weights; with the candidates' ceiling before the budget
and the cross-validated recall-vs-drafts curve the budget is chosen from; the drafts per coded event of each
fold, each set of articles as it was coded (the former held-out sets, `coded_batches`) and the opening excerpts,
all of which the budget must keep at or under 3 (round 12); and the ranked readings' recall at any cost, with
the events they find at the baseline's number of drafts (an honest comparison at equal cost). `--train`
retrains data/draft_ranker.yaml.

The baseline is the naive drafter of issue 20: every ordered pair of known names (actors, and
countries by any name, demonym or capital, through `lib.model.names`) in one sentence, dated to the
publication month. Both run in the same process on the same data.

The drafter knows the actors and countries of the data folder plus the `new_actors`/`new_countries` of
every curation log read (the reference data the curators added, which the integrator merges into
data/): an event between actors the drafter cannot name could not be found by any rule.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from bench import draft_train
from bench.results import stamp, table, wait_for_quiet, write_section
from lib.model.dataset import Dataset
from lib.model.load import load_dataset
from lib.model.names import NameIndex
from lib.model.schema import Actor, Article, Country, parse_partial_date
from lib.reading.draft import RULES, draft_events, read_article_file, sentences_of
from lib.reading.ranker import Ranker, load_ranker
from lib.views.sources import quote_span

ROOT = Path(__file__).resolve().parent.parent
SPLIT = Path(__file__).resolve().parent / "draft_split.yaml"
GOLD = Path(__file__).resolve().parent / "curation"
HELDOUT_GOLD = Path(__file__).resolve().parent / "heldout"
ARTICLES = ROOT / "data" / "articles"

TARGET_FOUND = 0.80
TARGET_DATE = 0.75
TARGET_DRAFTS_PER_EVENT = 3.0
TARGET_SECONDS = 1.0
SETS = ("development", "heldout", "seed")
HELDOUT_TITLE = "Held-out set (round 14, coded blind)"


@dataclass(frozen=True)
class Proposal:
    """One proposed (actor, target, date) for a quote; `card` numbers the card it belongs to."""

    span: tuple[int, int]
    actor: str | None
    target: str | None
    date: str
    card: int


@dataclass(frozen=True)
class Coded:
    """One coded event's source in an article (the gold)."""

    id: str
    span: tuple[int, int]
    actor: str
    target: str | None
    date: str


@dataclass
class Score:
    """One drafter's figures over a set of articles."""

    articles: int = 0
    coded: int = 0
    found: int = 0
    dated: int = 0
    cards: int = 0
    proposals: int = 0
    matching: int = 0
    times: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Sum another article's figures into this one."""
        for name in ("articles", "coded", "found", "dated", "cards", "proposals", "matching"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.times += other.times
        self.misses += other.misses


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def date_right(drafted: str, coded: str) -> bool:
    """Whether a drafted date is the coded one at the coded precision ('2023-03-15' is right for a coded
    '2023-03'; '2023' is not right for a coded '2023-03-15')."""
    if not drafted or len(drafted) < len(coded):
        return False
    try:
        parse_partial_date(drafted)
    except ValueError:
        return False
    return drafted[: len(coded)] == coded


def score(article_id: str, gold: list[Coded], proposals: list[Proposal], seconds: list[float]) -> Score:
    """Compare one article's proposals with its coded events."""
    out = Score(articles=1, coded=len(gold), cards=len({p.card for p in proposals}), proposals=len(proposals), times=seconds)
    good: set[int] = set()
    for event in gold:
        same = [
            i for i, p in enumerate(proposals)
            if _overlaps(p.span, event.span) and (p.actor, p.target) == (event.actor, event.target)
        ]  # fmt: skip
        if not same:
            near = sorted({f"{p.actor}→{p.target}" for p in proposals if _overlaps(p.span, event.span)})
            out.misses.append(f"{article_id}: {event.id}: {event.actor}→{event.target} not proposed (passage: {', '.join(near) or 'none'})")
            continue
        out.found += 1
        good.update(same)
        if any(date_right(proposals[i].date, event.date) for i in same):
            out.dated += 1
        else:
            out.misses.append(f"{article_id}: {event.id}: date {sorted({proposals[i].date for i in same})} vs {event.date}")
    out.matching = len(good)
    return out


# ---------------------------------------------------------------------------
# the drafters


def drafter_proposals(article: Article, ds: Dataset, off: frozenset[str] = frozenset(), ranker: Ranker | None = None) -> list[Proposal]:
    """The drafter's cards and their alternatives, as proposals (`off`: rules left out; `ranker`: another
    ranker than the data folder's)."""
    out = []
    for n, card in enumerate(draft_events(article, ds, off, ranker)):
        for d in card.proposals():
            out.append(Proposal(d.quote_span, d.event["actor"], d.event["target"], d.event["date"], n))
    return out


def baseline_proposals(article: Article, ds: Dataset, index: NameIndex | None = None) -> list[Proposal]:
    """The naive baseline: every ordered pair of known names in a sentence, dated to the publication month."""
    index = index or NameIndex(ds.actors, ds.countries)
    month = article.published[:7]
    out: list[Proposal] = []
    for n, (start, end) in enumerate(sentences_of(article.text)):
        names: list[str] = []
        for m in index.find(article.text[start:end]):
            actor = m.actor or (m.country if m.country in ds.actors else None)
            if actor is None and m.country in ds.countries:
                actor = next((a.id for a in ds.actors.values() if a.country == m.country and a.kind in ("state", "government")), None)
            if actor and actor not in names:
                names.append(actor)
        out += [Proposal((start, end), a, b, month, n) for a in names for b in names if a != b]
    return out


Drafter = Callable[[Article, Dataset], list[Proposal]]


# ---------------------------------------------------------------------------
# the data


def with_curated_names(ds: Dataset, logs: list[dict]) -> Dataset:
    """The data folder's actors and countries plus the logs' `new_actors` and `new_countries` (invalid ones
    are skipped: the curation check reports them)."""
    actors, countries = dict(ds.actors), dict(ds.countries)
    for log in logs:
        for record in log.get("new_countries") or []:
            try:
                c = Country.model_validate(record)
            except ValidationError as exc:  # the curator's to fix (check_curation.py reports it)
                print(f"bench draft: {log.get('article')}: new country skipped: {exc.errors()[0]['msg']}")
                continue
            countries.setdefault(c.iso3, c)
        for record in log.get("new_actors") or []:
            try:
                a = Actor.model_validate(record)
            except ValidationError as exc:
                print(f"bench draft: {log.get('article')}: new actor skipped: {exc.errors()[0]['msg']}")
                continue
            actors.setdefault(a.id, a)
    return dataclasses.replace(ds, actors=actors, countries=countries)


def without_article(ds: Dataset, article_id: str | frozenset[str]) -> Dataset:
    """The dataset as it was before the article (or each of a set of articles) was coded: its quotes removed
    from every event, and events it alone cited left out (the drafter compares drafts with existing events:
    it must not see the answers)."""
    hidden = frozenset({article_id}) if isinstance(article_id, str) else article_id
    events = []
    for event in ds.events:
        sources = [s for s in event.sources if s.article not in hidden]
        if sources:
            events.append(event if len(sources) == len(event.sources) else event.model_copy(update={"sources": sources}))
    return dataclasses.replace(ds, events=events)


def _coded(article: Article, events: list[tuple[str, str, str | None, str, list[tuple[str, str]]]]) -> list[Coded]:
    out = []
    for event_id, actor, target, date, sources in events:
        for source_article, quote in sources:
            if source_article == article.id and (span := quote_span(article.text, quote)) is not None:
                out.append(Coded(event_id, span, actor, target, date))
    return out


def seed_set(ds: Dataset, ids: list[str], hidden: frozenset[str] = frozenset()) -> list[tuple[Article, list[Coded], Dataset]]:
    """The seed articles with their gold from events.yaml, each with the data as before it was coded
    (`hidden`: other articles whose events the drafter must not see)."""
    out = []
    for article_id in ids:
        if article_id not in ds.articles:
            continue
        article = ds.articles[article_id]
        events = [(e.id, e.actor, e.target, e.date, [(s.article, s.quote) for s in e.sources]) for e in ds.events]
        out.append((article, _coded(article, events), without_article(ds, hidden | {article_id})))
    return out


def logged_set(
    ds: Dataset, ids: list[str], logs: dict[str, dict], articles: Path, hidden: frozenset[str] = frozenset()
) -> list[tuple[Article, list[Coded], Dataset]]:
    """The articles with a curation log, with its `events` as the gold (`hidden`: articles whose events the
    drafter must not see either, e.g. every held-out article once merged into data/)."""
    out = []
    for article_id in ids:
        if article_id not in logs or not (articles / f"{article_id}.md").is_file():
            continue
        article = read_article_file(articles / f"{article_id}.md")
        events = [
            (
                str(e.get("id")), e.get("actor"), e.get("target"), str(e.get("date") or ""),
                [(s.get("article"), s.get("quote") or "") for s in e.get("sources") or [] if isinstance(s, dict)],
            )
            for e in logs[article_id].get("events") or [] if isinstance(e, dict)
        ]  # fmt: skip
        # once the logs are merged into data/events.yaml, the drafter must not see this article's events
        out.append((article, _coded(article, events), without_article(ds, hidden | {article_id})))
    return out


def read_logs(gold: Path, ids: list[str]) -> dict[str, dict]:
    """The curation logs of `ids` found in `gold` (unreadable ones are skipped and named)."""
    logs = {}
    for article_id in ids:
        path = gold / f"{article_id}.yaml"
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            print(f"bench draft: skipping {path}: {exc}")
            continue
        if isinstance(data, dict):
            logs[article_id] = data
    return logs


# ---------------------------------------------------------------------------
# running


def run_set(
    items: list[tuple[Article, list[Coded], Dataset]], drafters: dict[str, Drafter], repeats: int
) -> dict[str, Score]:
    """Each drafter on each article: one warm-up, `repeats` timed runs, the last one scored."""
    totals = {name: Score() for name in drafters}
    for article, gold, ds in items:
        for name, drafter in drafters.items():
            drafter(article, ds)
            times = []
            proposals: list[Proposal] = []
            for _ in range(max(1, repeats)):
                start = time.perf_counter()
                proposals = drafter(article, ds)
                times.append(time.perf_counter() - start)
            totals[name].add(score(article.id, gold, proposals, [statistics.median(times)]))
    return totals


def ablation(items: list[tuple[Article, list[Coded], Dataset]]) -> str:
    """Each rule's gain on the development set: the drafter with all rules, then with each one left out
    (one run per article, untimed). A rule whose removal loses nothing (found, dates, and no more drafts) gains nothing."""
    def total(off: frozenset[str]) -> Score:
        out = Score()
        for article, gold, ds in items:
            out.add(score(article.id, gold, drafter_proposals(article, ds, off), []))
        return out

    full = total(frozenset())
    headers = ["Rule left out", "What it does", "Found", "Dates right", "Drafts", "Gain of the rule (found / dates / drafts saved)"]
    rows: list[list[object]] = [["(none: all rules)", "", full.found, full.dated, full.proposals, ""]]
    for name, what in RULES.items():
        s = total(frozenset({name}))
        rows.append([
            name, what, s.found, s.dated, s.proposals,
            f"{full.found - s.found:+d} / {full.dated - s.dated:+d} / {s.proposals - full.proposals:+d}",
        ])  # fmt: skip
    return table(headers, rows)


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "—"


def set_table(totals: dict[str, Score], of: int) -> str:
    """One set's table: a row per drafter."""
    headers = [
        "Drafter", "Articles (with gold)", "Coded events", "Found (pair in order, overlapping quote)",
        "Dates right at coded precision (of found)", "Cards", "Drafts (alternatives counted)",
        "Drafts per coded event", "Precision (drafts matching)", "Time per article warm (median / max)",
    ]  # fmt: skip
    rows = []
    for name, s in totals.items():
        rows.append([
            name, f"{s.articles} of {of}", s.coded, _pct(s.found, s.coded), _pct(s.dated, s.found), s.cards, s.proposals,
            f"{s.proposals / s.coded:.1f}" if s.coded else "—", _pct(s.matching, s.proposals),
            f"{statistics.median(s.times) * 1000:.0f} / {max(s.times) * 1000:.0f} ms" if s.times else "—",
        ])  # fmt: skip
    return table(headers, rows)


def verdict(s: Score) -> list[str]:
    """The issue-20 targets, met or not."""
    def flag(ok: bool) -> str:
        return "met" if ok else "NOT met"

    return [
        f"found {_pct(s.found, s.coded)} (target ≥ {TARGET_FOUND:.0%}): {flag(s.found >= TARGET_FOUND * s.coded)}",
        f"drafts per coded event {s.proposals / max(s.coded, 1):.1f} (target ≤ {TARGET_DRAFTS_PER_EVENT:.0f}): "
        + flag(s.proposals <= TARGET_DRAFTS_PER_EVENT * s.coded),
        f"dates right {_pct(s.dated, s.found)} (target ≥ {TARGET_DATE:.0%}): {flag(s.dated >= TARGET_DATE * s.found)}",
        f"slowest article warm {max(s.times, default=0) * 1000:.0f} ms (target < {TARGET_SECONDS:.0f} s): "
        + flag(max(s.times, default=0) < TARGET_SECONDS),
    ]


def read_split(split_file: Path) -> dict[str, list[str]]:
    """The split's sets of article ids (a missing or empty section is an empty list)."""
    data = yaml.safe_load(split_file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"bench draft: {split_file}: expected sections development/heldout/seed, got {type(data).__name__}")
    out = {}
    for name in ("development", "heldout", "seed"):
        ids = data.get(name) or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise SystemExit(f"bench draft: {split_file}: section {name!r} must be a list of article ids")
        out[name] = ids
    return out


_BATCH_START = re.compile(r"^\s+#\s*round[ -]?(\w+) held-out set", re.IGNORECASE)


def coded_batches(split_file: Path) -> dict[str, list[str]]:
    """The development articles in the sets they were coded in: the first ones (round 3's) and each former
    held-out set (about 30 articles by one team of curators), as the split's comments mark them ("# round-11
    held-out set: ..."), by name. The budget must keep to the allowance on each, as on a new held-out set."""
    out: dict[str, list[str]] = {"round 3 (development and test)": []}
    name, section = next(iter(out)), None
    for line in split_file.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\w", line):
            section = line.split(":", 1)[0]
        elif section == "development" and (start := _BATCH_START.match(line)):
            name = f"round {start.group(1)} held-out set"
            out.setdefault(name, [])
        elif section == "development" and (item := re.match(r"^\s+-\s+(\S+)", line)):
            out[name].append(item.group(1))
    return {k: v for k, v in out.items() if v}


def _sets(
    data: str | None, gold: Path, articles: Path, split_file: Path, only: tuple[str, ...], heldout_gold: Path = HELDOUT_GOLD
) -> tuple[Dataset, dict]:
    """The data (with the logs' new names) and the chosen sets: {title: (items, articles in the split)}."""
    split = read_split(split_file)
    base = load_dataset(data)
    # a held-out set, once read, joins development: its logs stay in the held-out folder
    logs = {**read_logs(heldout_gold, split["development"]), **read_logs(gold, split["development"])}
    held = read_logs(heldout_gold, split["heldout"])
    ds = with_curated_names(base, [*logs.values(), *held.values()])
    hidden = frozenset(split["heldout"])
    sets = {}
    if "development" in only:
        sets["Development set"] = (logged_set(ds, split["development"], logs, articles, hidden), len(split["development"]))
    if "heldout" in only:
        sets[HELDOUT_TITLE] = (logged_set(ds, split["heldout"], held, articles, hidden), len(split["heldout"]))
    if "seed" in only:
        sets["Seed set"] = (seed_set(ds, split["seed"], hidden), len(split["seed"]))
    return ds, sets


WHO_READ = (
    "Who read what: the development set (the 22 round-3 development articles and the 11 round-3 test articles, "
    "moved into development in round 5 because their figures and misses had been read in rounds 3 and 4; the 17 "
    "articles of the round-5a held-out set, the 18 of round 5b (since round 6), the 32 of round 6 (since round 7)"
    ", the 33 of round 7 (since round 8), the 36 of round 8 (since round 9), the 31 of round 9 (since round 10), the 30 of round 10 (since round 11), the 30 of round 11 (since round 12), the 30 of round 12 (since round 13) and the 28 of round 13 (since round 14), each read once and then moved in) is read in full by the engineers "
    "who write the drafter's rules, misses included. The seed articles are the ones the first rules were written "
    "from. The held-out set (round 14) was coded blind by more curators who never ran or read the drafter, after "
    "round 13's set had joined development; no one writing rules has seen those articles or their gold; only this "
    "table's aggregate figures are printed (never their misses), by the integrator's run after the drafter was "
    "frozen. Its figures are the ones that count."
)


def run(
    data: str | None, gold: Path, articles: Path, split_file: Path, repeats: int, only: tuple[str, ...] = SETS,
    heldout_gold: Path = HELDOUT_GOLD, rule_table: bool = True,
) -> str:
    """The chosen sets (all three by default), both drafters, one process; the RESULTS.md section as text
    (`rule_table`: with the development set's in-sample table of each rule left out, a drafting run per rule)."""
    ds, sets = _sets(data, gold, articles, split_file, only, heldout_gold)
    index = NameIndex(ds.actors, ds.countries)
    drafters: dict[str, Drafter] = {
        "drafter (lib.reading.draft)": drafter_proposals,
        "baseline (every ordered pair, publication month)": lambda a, d: baseline_proposals(a, d, index),
    }
    lines = [
        "## Drafter (`python -m bench draft`)",
        "",
        stamp(),
        "",
        (
            f"Gold: curation logs in `{_rel(gold)}` (development), `{_rel(heldout_gold)}` (held-out, coded blind), "
            f"data/events.yaml (seeds); articles from `{_rel(articles)}`; split `{_rel(split_file)}`. A coded event "
            "is found when a proposal (a card or one of its alternatives) has an overlapping quote and the same actor "
            "and target in that order; drafts per coded event count every alternative. Dates right: the found "
            f"proposal's date cut to the coded precision is the coded date. Times: median of {repeats} warm runs per "
            "article. The drafter knows the data folder's names plus the curation logs' new actors and countries."
        ),
        "",
        WHO_READ,
    ]
    summary: list[str] = []
    body: list[str] = []
    for title, (items, of) in sets.items():
        if title == HELDOUT_TITLE and not items:
            body += ["", f"### {title}", "", (
                f"No held-out article with a coded log yet ({of} listed under `heldout:` in the split, "
                f"{len(items)} with gold in `{_rel(heldout_gold)}`): the integrator's run after the merge fills "
                "this table; until then no figure here counts."
            )]  # fmt: skip
            summary += [f"- {HELDOUT_TITLE}: none yet; the figures that count are filled in by the integrator's run."]
            continue
        extra: list[str] = []
        chosen = drafters
        ranked: Callable[[int], int] | None = None
        if title == "Development set" and items:
            chosen, extra, ranked = _cross_validated(items, drafters, load_ranker(ds.data_dir), coded_batches(split_file))
        totals = run_set(items, chosen, repeats)
        drafter = totals["drafter (lib.reading.draft)"]
        base = totals["baseline (every ordered pair, publication month)"]
        if ranked is not None and base.coded:
            extra = [at_equal_cost(ranked, base), "", *extra]
        body += ["", f"### {title}", "", set_table(totals, of), "", *extra]
        body += [f"- drafter: {v}" for v in verdict(drafter)]
        body += [f"- {beats(drafter, base)}"]
        if CROSS_VALIDATED in totals:  # the honest estimate on development: what counts before the held-out run
            body += [f"- {CROSS_VALIDATED}: {v}" for v in verdict(totals[CROSS_VALIDATED])]
            body += [f"- {CROSS_VALIDATED}: {beats(totals[CROSS_VALIDATED], base)}"]
        if title == HELDOUT_TITLE:
            summary += [f"- {HELDOUT_TITLE}, the figures that count: drafter {v}" for v in verdict(drafter)]
            summary += [f"- {HELDOUT_TITLE}: {beats(drafter, base)}"]
        if title == "Development set" and rule_table:
            body += [
                "",
                ("Each rule's gain on the development set (the rules were kept or removed by this table; "
                 "it is never computed on the held-out set):"),
                "",
                ablation(items),
            ]  # fmt: skip
        if title != HELDOUT_TITLE and drafter.misses:  # the held-out set's misses are never printed: nobody reads them
            body += ["", f"<details><summary>{title}: coded events not proposed, or with another date</summary>", ""]
            body += [f"- {m}" for m in drafter.misses] + ["", "</details>"]
    if summary:
        lines += ["", "### Summary", "", *summary]
    return "\n".join(lines + body)


CROSS_VALIDATED = f"drafter, cross-validated ({draft_train.FOLDS} folds by article)"


def _cross_validated(
    items: list[tuple[Article, list[Coded], Dataset]], drafters: dict[str, Drafter], committed: Ranker,
    batches: dict[str, list[str]] | None = None,
) -> tuple[dict[str, Drafter], list[str], Callable[[int], int] | None]:
    """The development set's honest estimate: each article drafted with weights trained on the other folds
    (the committed budget), the candidates' ceiling before the budget, the cross-validated curve, the drafts
    per coded event of each fold, former held-out set and the excerpts; and the events the ranked readings find
    at a given number of drafts (for the comparison with the baseline at its cost)."""
    if len(items) < 2:
        return drafters, ["No cross-validated figures: cross-validation needs at least two development articles.", ""], None
    rows = draft_train.rows_of(items)
    coded = sum(len(g) for _, g, _ in items)
    scores, by_article = draft_train.cross_validated(rows)
    fold = {a: dataclasses.replace(r, threshold=committed.threshold, per_card=committed.per_card) for a, r in by_article.items()}
    chosen = dict(drafters)
    chosen[CROSS_VALIDATED] = lambda a, d: drafter_proposals(a, d, ranker=fold[a.id])
    ceiling = len(set().union(*(r.events for r in rows)))
    points = {(t, k): (f, n) for t, k, f, n in draft_train.curve(rows, scores, coded)}
    ks = [k for k in draft_train.PER_CARD if k in (1, 2, 3, 4, 6, 8)]
    lines = [
        (
            f"Candidates before the budget (every reading, nothing filtered): {_pct(ceiling, coded)} of the coded events "
            f"are among them (the ceiling), in {len(rows)} readings ({len(rows) / max(coded, 1):.1f} per coded event)."
        ),
        "",
        (
            f"Cross-validated recall vs drafts ({draft_train.FOLDS} folds by article; each cell: found / drafts per coded "
            f"event; **bold**: the committed budget, threshold {committed.threshold}, {committed.per_card} per card, chosen "
            f"as the most found at ≤ {draft_train.MAX_DRAFTS_PER_EVENT} drafts per coded event in every fold (the margin for unseen text) by `python -m bench draft --train`):"
        ),
        "",
    ]
    rows_out = []
    for t in draft_train.THRESHOLDS:
        cells = []
        for k in ks:
            f, n = points[(t, k)]
            cell = f"{100 * f / coded:.0f}% / {n / coded:.1f}"
            cells.append(f"**{cell}**" if (t, k) == (committed.threshold, committed.per_card) else cell)
        rows_out.append([t, *cells])
    lines += [table(["Confidence ≥", *[f"{k} per card" for k in ks]], rows_out), ""]
    lines += [by_group(items, rows, scores, committed, batches), ""]
    curve_at = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]
    lines += [
        (
            "The drafter's ranked readings at any cost (cross-validated confidences, the most confident first over all "
            "articles: a threshold alone, no cap per card): coded events found at each number of drafts per coded event."
        ),
        "",
        table(["Drafts per coded event", *[f"{x:g}" for x in curve_at]],
              [["Found", *[_pct(draft_train.ranked_recall(rows, scores, round(x * coded)), coded) for x in curve_at]]]),
        "",
        losses(items, rows, scores, committed),
        "",
    ]  # fmt: skip
    return chosen, lines, lambda n: draft_train.ranked_recall(rows, scores, n)


def by_group(
    items: list[tuple[Article, list[Coded], Dataset]], rows: list, scores: list[float], committed: Ranker,
    batches: dict[str, list[str]] | None,
) -> str:
    """Development only: drafts per coded event at the committed budget (cross-validated scores) in each
    cross-validation fold, each former held-out set as it was coded and the opening excerpts: the budget must
    keep to the allowance on every one, as on a new held-out set."""
    coded = {a.id: len(g) for a, g, _ in items}
    chosen = draft_train.kept(rows, scores, committed.threshold, committed.per_card)
    ids = {a.id for a, _, _ in items}
    groups = [(f"fold {n + 1}", f) for n, f in enumerate(draft_train.folds(rows))]
    groups += [(name, set(b) & ids) for name, b in (batches or {}).items()]
    groups += [("opening excerpts (excerpt: true)", {a.id for a, _, _ in items if a.excerpt})]
    groups = [(name, g) for name, g in groups if g]
    ratios = draft_train.drafts_per_event(rows, chosen, coded, [g for _, g in groups])
    out = [
        [name, len(g), sum(coded.get(a, 0) for a in g), f"{r:.2f}", "yes" if r <= draft_train.MAX_DRAFTS_PER_EVENT else "NO"]
        for (name, g), r in zip(groups, ratios, strict=True)
    ]  # fmt: skip
    return (
        "Drafts per coded event at the committed budget (cross-validated scores) on each fold, each set of articles as "
        "it was coded (the former held-out sets, in the split's order) and the opening excerpts:\n\n"
        + table(["Articles", "Count", "Coded events", "Drafts per coded event", f"≤ {draft_train.MAX_DRAFTS_PER_EVENT:g}"], out)
    )


def at_equal_cost(ranked: Callable[[int], int], base: Score) -> str:
    """The drafter's ranked readings (cross-validated) at the baseline's cost, beside the baseline."""
    found = ranked(base.proposals)
    return (
        f"At equal cost: at the baseline's {base.proposals / base.coded:.1f} drafts per coded event the drafter's ranked "
        f"readings (cross-validated) find {_pct(found, base.coded)}, the baseline {_pct(base.found, base.coded)}: "
        f"ranking {'beats' if found > base.found else 'does NOT beat'} every-pair at equal cost."
    )


def losses(items: list[tuple[Article, list[Coded], Dataset]], rows: list, scores: list[float], committed: Ranker) -> str:
    """Development only: where the committed budget (cross-validated scores) loses the coded events the
    candidates hold, by the sentence's number of parties, the coded pair's rank among its sentence's
    readings, joint acts of 3+ parties, events with no target and quotes over several sentences."""
    keep = set(draft_train.kept(rows, scores, committed.threshold, committed.per_card))
    cards: dict[tuple[str, tuple[int, int]], list[int]] = {}
    for i, r in enumerate(rows):
        cards.setdefault((r.article, r.span), []).append(i)
    counts: dict[tuple[str, str], list[int]] = {}
    for article, gold, _ in items:
        spans = sentences_of(article.text)
        for g in gold:
            match = [i for i, r in enumerate(rows) if r.article == article.id and g.id in r.events]
            if not match:
                continue
            best = max(match, key=lambda i: scores[i])
            members = cards[(rows[best].article, rows[best].span)]
            parties = len({rows[j].actor for j in members} | {rows[j].target for j in members if rows[j].target})
            rank = sorted(members, key=lambda j: -scores[j]).index(best) + 1
            others = [h for h in gold if h is not g and _overlaps(h.span, g.span) and (h.target == g.target or h.actor == g.actor)]
            joint = {g.actor, g.target, *(x for h in others for x in (h.actor, h.target))} - {None}
            found = any(i in keep for i in match)
            for key in (
                ("parties in the sentence", str(parties) if parties < 5 else "5 or more"),
                ("coded pair's rank in its sentence", str(rank) if rank < 5 else "5 or more"),
                ("joint act", "of 3 or more parties" if len(joint) >= 3 and others else "no"),
                ("target", "none" if g.target is None else "named"),
                ("quote", "over several sentences" if sum(_overlaps(sp, g.span) for sp in spans) > 1 else "one sentence"),
            ):
                counts.setdefault(key, [0, 0])[0 if found else 1] += 1
    header = (
        "Where the budget loses coded events the candidates hold (development, cross-validated scores, the committed "
        "budget; each event counted under each heading):"
    )
    return header + "\n\n" + table(
        ["Heading", "Kind", "Found", "Lost by the budget"], [[k, v, f, lost] for (k, v), (f, lost) in sorted(counts.items())]
    )


def beats(drafter: Score, base: Score) -> str:
    """Whether the drafter beats the naive baseline of the same run on recall and on dates right."""
    def rate(n: int, d: int) -> float:
        return n / d if d else 0.0

    recall = rate(drafter.found, drafter.coded) > rate(base.found, base.coded)
    dates = rate(drafter.dated, drafter.found) > rate(base.dated, base.found)
    return (
        f"beats the baseline on recall ({_pct(drafter.found, drafter.coded)} vs {_pct(base.found, base.coded)}): "
        f"{'yes' if recall else 'NO'}; on dates right ({_pct(drafter.dated, drafter.found)} vs "
        f"{_pct(base.dated, base.found)}): {'yes' if dates else 'NO'}"
    )


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the section and (unless --no-write) write it into RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench draft", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: data/)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of curation logs <article id>.yaml (default: bench/curation/)")
    parser.add_argument(
        "--heldout-gold", type=Path, default=HELDOUT_GOLD,
        help="folder of the held-out articles' logs <article id>.yaml, coded blind (default: bench/heldout/)",
    )  # fmt: skip
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="folder of the development and held-out article files (default: data/articles/)")
    parser.add_argument("--split", type=Path, default=SPLIT, help="the split (default: bench/draft_split.yaml)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--only", choices=SETS, nargs="+", action="extend",
        help="run only these sets (implies --no-write): develop with `--only development`",
    )  # fmt: skip
    parser.add_argument(
        "--explain", action="store_true",
        help="development set only: each coded event missed, with its sentences and the proposals on them, "
        "and how many proposals of each reason matched a coded event (implies --no-write)",
    )  # fmt: skip
    parser.add_argument(
        "--train", action="store_true",
        help="train the ranker on the development set, choose its budget on the cross-validated curve and write "
        "data/draft_ranker.yaml (or the --data folder's)",
    )  # fmt: skip
    parser.add_argument(
        "--rule-gains", nargs="*", metavar="RULE",
        help="development set only: each rule's gain on cross-validated ranked recall (the ranker retrained without "
        "it, fold by fold); all rules when none is named; slow: a drafting run per rule (implies --no-write)",
    )  # fmt: skip
    parser.add_argument(
        "--no-rule-table", action="store_true",
        help="leave out the development set's in-sample table of each rule left out (a drafting run per rule; "
        "`--rule-gains` measures the rules cross-validated); implies --no-write",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.rule_gains is not None:
        ds, sets = _sets(args.data, args.gold, args.articles, args.split, ("development",), args.heldout_gold)
        unknown = set(args.rule_gains) - set(RULES)
        if unknown:
            parser.error(f"no such drafting rule: {', '.join(sorted(unknown))} (known: {', '.join(RULES)})")
        print(draft_train.rule_gains(
            sets["Development set"][0], args.rule_gains or list(RULES), load_ranker(ds.data_dir), list(coded_batches(args.split).values())
        ))  # fmt: skip
        return 0
    if args.train:
        ds, sets = _sets(args.data, args.gold, args.articles, args.split, ("development",), args.heldout_gold)
        print(draft_train.train(sets["Development set"][0], ds.data_dir, list(coded_batches(args.split).values())))
        return 0
    if args.explain:
        _, sets = _sets(args.data, args.gold, args.articles, args.split, ("development",), args.heldout_gold)
        print(explain(sets["Development set"][0]))
        return 0
    wait_for_quiet()
    body = run(
        args.data, args.gold, args.articles, args.split, args.repeats, tuple(args.only or SETS), args.heldout_gold,
        not args.no_rule_table,
    )  # fmt: skip
    print(body)
    if not args.no_write and not args.only and not args.no_rule_table:
        write_section("draft", body)
    return 0


def _reason_kind(reason: str) -> str:
    """The rule part of a proposal's reason ("pair", "roles reversed", "clause rules"...)."""
    kind = re.split(r"[:(]", reason, maxsplit=1)[0].strip()
    if "no trigger word" in reason:
        kind += " (no trigger word)"
    if "read as" in reason and kind == "pair":
        kind += " (member of a group)"
    return kind


def explain(items: list[tuple[Article, list[Coded], Dataset]]) -> str:
    """Development only: the misses with their sentences and proposals, and each reason's hit rate."""
    lines: list[str] = []
    kinds: dict[str, list[int]] = {}
    for article, gold, ds in items:
        cards = draft_events(article, ds)
        proposals = [(n, d) for n, c in enumerate(cards) for d in c.proposals()]
        matched: set[int] = set()
        spans = sentences_of(article.text)
        for event in gold:
            same = [
                i for i, (_, d) in enumerate(proposals)
                if _overlaps(d.quote_span, event.span) and (d.event["actor"], d.event["target"]) == (event.actor, event.target)
            ]  # fmt: skip
            matched.update(same)
            dated = any(date_right(proposals[i][1].event["date"], event.date) for i in same)
            if same and dated:
                continue
            lines.append(f"\n## {article.id} ({article.published}): {event.id}: {event.actor}→{event.target} {event.date}"
                         + ("" if same else " NOT PROPOSED") + ("" if dated or not same else " WRONG DATE"))
            for note in dict.fromkeys(f"{proposals[i][1].event['date']}: {proposals[i][1].event['date_note']}" for i in same):
                lines.append(f"  D: {note}")  # a wrong date: how each matching draft's date was worked out
            for s, e in spans:
                if _overlaps((s, e), event.span):
                    lines.append(f"  S: {' '.join(article.text[s:e].split())}")
                    for _, d in proposals:
                        if d.quote_span == (s, e):
                            lines.append(f"     - {d.event['actor']}→{d.event['target']} {d.event['date']} "
                                         f"{d.confidence:.2f} {d.reason[:150]}")
        for i, (n, d) in enumerate(proposals):
            kinds.setdefault(_reason_kind(d.reason), [0, 0])[0] += 1
            kinds[_reason_kind(d.reason)][1] += i in matched
            position = cards[n].proposals().index(d)
            kinds.setdefault(f"(position {position + 1} in its card)", [0, 0])[0] += 1
            kinds[f"(position {position + 1} in its card)"][1] += i in matched
            bucket = f"(confidence {int(d.confidence * 10) / 10:.1f}-)"
            kinds.setdefault(bucket, [0, 0])[0] += 1
            kinds[bucket][1] += i in matched
    lines += ["", "reason | proposals | matching a coded event"]
    lines += [f"{k} | {n} | {m}" for k, (n, m) in sorted(kinds.items(), key=lambda kv: -kv[1][0])]
    return "\n".join(lines)
