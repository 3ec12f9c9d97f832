"""The drafter's ceiling: how many coded events any pairing of the parties found could propose.

`python -m bench draft-ceiling [--data DIR] [--gold DIR] [--articles DIR] [--split FILE] [--list] [--no-write]`.

A coded event of the development set is *reachable* when its actor and its target (or, for an event with
no target, its actor alone) are both among the parties found in the sentences its quote overlaps. A
drafter that proposes every pair of the parties it finds (and each party alone) can find at most the
reachable events: this is the ceiling the party finders set. It is printed for

- the baseline's known names: every actor named in the sentence, and a country by any name, demonym or
  capital read as its state or government actor (as `bench draft`'s baseline does);
- the drafter's party finders (`lib.reading.draft.article_parties`), with all rules, then with each
  party rule left out (its gain).

`--list` prints every unreachable event with its sentences and the parties found in them (development
only: the held-out set is never read here). Same data, split and gold as `python -m bench draft`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.draft import (
    ARTICLES,
    GOLD,
    HELDOUT_GOLD,
    SPLIT,
    Coded,
    logged_set,
    read_logs,
    read_split,
    with_curated_names,
)
from bench.results import stamp, table, write_section
from lib.model.dataset import Dataset
from lib.model.load import load_dataset
from lib.model.names import NameIndex
from lib.model.schema import Article
from lib.reading.draft import RULES, article_parties, name_index, sentences_of

# the rules that find parties (the others read acts, dates and pairs): their gain is measured here
PARTY_RULES = (
    "compounds", "bare-country", "references", "people", "preposition-country", "titles", "unnamed-armed",
    "groups", "pronouns", "two-sides", "agent-compounds", "institution-names", "alias-surnames", "opposition",
    "participants", "demonym-acts", "pronoun-kinds",
)  # fmt: skip

Finder = Callable[[Article, Dataset], list[tuple[tuple[int, int], set[str]]]]


@dataclass
class Ceiling:
    """One party finder's reach over a set of articles."""

    coded: int = 0
    reachable: int = 0
    parties: int = 0  # parties found, summed over the sentences (a measure of how loose the finder is)
    sentences: int = 0
    unreachable: list[str] | None = None


def baseline_names(article: Article, ds: Dataset, index: NameIndex) -> list[tuple[tuple[int, int], set[str]]]:
    """The baseline's known names per sentence: actors, and countries read as their state or government."""
    out = []
    for start, end in sentences_of(article.text):
        names: set[str] = set()
        for m in index.find(article.text[start:end]):
            actor = m.actor or (m.country if m.country in ds.actors else None)
            if actor is None and m.country in ds.countries:
                actor = next((a.id for a in ds.actors.values() if a.country == m.country and a.kind in ("state", "government")), None)
            if actor:
                names.add(actor)
        out.append(((start, end), names))
    return out


def drafter_parties(off: frozenset[str] = frozenset()) -> Finder:
    """The drafter's party finders (with the rules `off` left out), per sentence."""
    def find(article: Article, ds: Dataset) -> list[tuple[tuple[int, int], set[str]]]:
        return [(span, {p.actor for p in analysis.parties}) for span, analysis in article_parties(article, ds, off)]

    return find


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def reach(items: list[tuple[Article, list[Coded], Dataset]], finder: Finder, listing: bool = False) -> Ceiling:
    """How many coded events have both parties among those found in the sentences their quote overlaps."""
    out = Ceiling(unreachable=[] if listing else None)
    for article, gold, ds in items:
        found = finder(article, ds)
        out.sentences += len(found)
        out.parties += sum(len(names) for _, names in found)
        for event in gold:
            hit = [(span, names) for span, names in found if _overlaps(span, event.span)]
            names = set().union(*(n for _, n in hit)) if hit else set()
            needed = {event.actor} | ({event.target} if event.target else set())
            out.coded += 1
            if needed <= names:
                out.reachable += 1
            elif out.unreachable is not None:
                missing = ", ".join(sorted(needed - names))
                lines = [f"{article.id} ({article.published}): {event.id}: {event.actor}→{event.target}: missing {missing}"]
                for span, n in hit:
                    lines.append(f"    S: {' '.join(article.text[span[0] : span[1]].split())}")
                    lines.append(f"       parties: {', '.join(sorted(n)) or 'none'}")
                out.unreachable.append("\n".join(lines))
    return out


def development(data: str | None, gold: Path, articles: Path, split_file: Path, heldout_gold: Path = HELDOUT_GOLD):
    """The development set's articles with their gold and data (as `bench draft` reads them)."""
    split = read_split(split_file)
    base = load_dataset(data)
    logs = {**read_logs(heldout_gold, split["development"]), **read_logs(gold, split["development"])}
    held = read_logs(heldout_gold, split["heldout"])
    ds = with_curated_names(base, [*logs.values(), *held.values()])
    return logged_set(ds, split["development"], logs, articles, frozenset(split["heldout"]))


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}% ({n}/{d})" if d else "—"


def run(items: list[tuple[Article, list[Coded], Dataset]], rules: bool = True) -> tuple[str, Ceiling]:
    """The RESULTS.md section as text, and the drafter's ceiling with its unreachable events listed."""
    index = name_index(items[0][2]) if items else None
    base = reach(items, lambda a, d: baseline_names(a, d, index))  # type: ignore[arg-type]
    full = reach(items, drafter_parties(), listing=True)
    headers = ["Party finder", "Coded events", "Reachable (actor and target among the quote's parties)", "Parties per sentence"]
    rows: list[list[object]] = [
        ["baseline: known names", base.coded, _pct(base.reachable, base.coded), f"{base.parties / max(base.sentences, 1):.2f}"],
        ["drafter: all party rules", full.coded, _pct(full.reachable, full.coded), f"{full.parties / max(full.sentences, 1):.2f}"],
    ]
    if rules:
        for name in PARTY_RULES:
            if name not in RULES:
                continue
            s = reach(items, drafter_parties(frozenset({name})))
            rows.append([f"drafter without `{name}`", s.coded, f"{_pct(s.reachable, s.coded)} (rule gains {full.reachable - s.reachable:+d})",
                         f"{s.parties / max(s.sentences, 1):.2f}"])  # fmt: skip
    body = [
        "## Drafter's ceiling (`python -m bench draft-ceiling`)",
        "",
        stamp(),
        "",
        (
            "Development set only (the held-out set is never read here). A coded event is reachable when its actor "
            "and its target (or its actor alone, for an event with no target) are among the parties found in the "
            "sentences its quote overlaps: a drafter proposing every pair of the parties it finds can find at most "
            "these. Each row without a rule measures that party rule's gain."
        ),
        "",
        table(headers, rows),
    ]
    return "\n".join(body), full


def main(argv: list[str] | None = None) -> int:
    """Print the ceiling (and with --list the unreachable events); write the section unless --no-write."""
    parser = argparse.ArgumentParser(prog="python -m bench draft-ceiling", description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data folder (default: data/)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="folder of curation logs (default: bench/curation/)")
    parser.add_argument("--heldout-gold", type=Path, default=HELDOUT_GOLD, help="folder of the read held-out logs (default: bench/heldout/)")
    parser.add_argument("--articles", type=Path, default=ARTICLES, help="folder of the article files (default: data/articles/)")
    parser.add_argument("--split", type=Path, default=SPLIT, help="the split (default: bench/draft_split.yaml)")
    parser.add_argument("--list", action="store_true", help="list the unreachable events with their sentences' parties (implies --no-write)")
    parser.add_argument("--no-rules", action="store_true", help="skip the per-rule rows (faster; implies --no-write)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    items = development(args.data, args.gold, args.articles, args.split, args.heldout_gold)
    body, full = run(items, rules=not args.no_rules)
    print(body)
    if args.list:
        print("\nUnreachable events (development):\n")
        print("\n".join(full.unreachable or []))
    if not (args.no_write or args.list or args.no_rules):
        write_section("draft-ceiling", body)
    return 0
