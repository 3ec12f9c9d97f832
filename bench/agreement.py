"""`python -m bench agreement A_DIR B_DIR [--articles DIR] [--write]`: two coders' agreement on the same articles.

Coder A's and coder B's curation logs (docs/curation-log.md) are compared for the articles both coded, the
way ACLED and UCDP report double coding:

- which events exist: an event of A and one of B are the same event when they have the same actor and
  target and their quotes overlap in the article's text (matched one to one, largest overlap first).
  Reported as matched events, events only A or only B coded, and the share of each coder's events the
  other found; positive agreement (2 × matched / (A + B)) is the usual summary when "no event" cannot be
  counted;
- for matched events: event type, stance sign (−, 0, +) and date, the date compared at its precision
  (the same date string) and at the coarser precision of the two (2021-10-07 and 2021-10 agree there).
  Each as a share of matched events, with Cohen's kappa (chance-corrected) for the two categorical ones.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.results import table, write_section
from lib.model.dataset import normalise_whitespace
from lib.model.load import split_front_matter
from lib.paths import DEFAULT_DATA_DIR


def cohen_kappa(a: list[object], b: list[object]) -> float | None:
    """Cohen's kappa of two raters' labels for the same items; None when undefined (no items, or chance
    agreement is 1: both used one and the same label throughout)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def _sign(stance: object) -> int:
    value = int(stance or 0)
    return (value > 0) - (value < 0)


def _coarse(a: str, b: str) -> bool:
    """Two dates agree at the coarser precision of the two ('2021-10-07' and '2021-10' do)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _span(text: str, quote: str) -> tuple[int, int] | None:
    quote = normalise_whitespace(quote or "")
    at = text.find(quote) if quote else -1
    return None if at < 0 else (at, at + len(quote))


@dataclass
class Pair:
    """One article's comparison: matched (A event, B event) pairs and the events only one coder has."""

    article: str
    matched: list[tuple[dict[str, Any], dict[str, Any]]]
    only_a: list[dict[str, Any]]
    only_b: list[dict[str, Any]]


def match(article: str, text: str, a_events: list[dict[str, Any]], b_events: list[dict[str, Any]]) -> Pair:
    """Match A's and B's events of one article: same actor and target, overlapping quotes, one to one,
    largest overlap first."""
    text = normalise_whitespace(text)

    def spans(event: dict[str, Any]) -> list[tuple[int, int]]:
        return [s for src in event.get("sources") or [] if src.get("article") == article
                for s in [_span(text, str(src.get("quote") or ""))] if s]  # fmt: skip

    candidates = []
    for i, ea in enumerate(a_events):
        for j, eb in enumerate(b_events):
            if (ea.get("actor"), ea.get("target") or None) != (eb.get("actor"), eb.get("target") or None):
                continue
            overlap = max((min(x1, y1) - max(x0, y0) for x0, x1 in spans(ea) for y0, y1 in spans(eb)), default=0)
            if overlap > 0:
                candidates.append((overlap, i, j))
    used_a, used_b, matched = set(), set(), []
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((a_events[i], b_events[j]))
    return Pair(article, matched, [e for i, e in enumerate(a_events) if i not in used_a],
                [e for j, e in enumerate(b_events) if j not in used_b])  # fmt: skip


def _logs(folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(folder.glob("*.yaml")):
        log = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(log, dict) and log.get("article"):
            out[str(log["article"])] = log
    return out


def compare(a_dir: Path, b_dir: Path, articles: Path) -> list[Pair]:
    """Every article both folders hold a log for, compared."""
    a_logs, b_logs = _logs(a_dir), _logs(b_dir)
    pairs = []
    for article in sorted(set(a_logs) & set(b_logs)):
        raw = (articles / f"{article}.md").read_text(encoding="utf-8")
        parts = split_front_matter(raw)
        body = parts[1] if parts else raw
        pairs.append(match(article, body, a_logs[article].get("events") or [], b_logs[article].get("events") or []))
    return pairs


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "—"


def _kappa(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def report(pairs: list[Pair], a_name: str, b_name: str) -> str:
    """The Markdown section: per-article event counts, then agreement on the matched events."""
    rows = []
    for p in pairs:
        a, b, m = len(p.matched) + len(p.only_a), len(p.matched) + len(p.only_b), len(p.matched)
        rows.append([p.article, a, b, m, len(p.only_a), len(p.only_b), _pct(2 * m, a + b)])
    m = sum(len(p.matched) for p in pairs)
    a = m + sum(len(p.only_a) for p in pairs)
    b = m + sum(len(p.only_b) for p in pairs)
    rows.append([f"**Total ({len(pairs)} articles)**", a, b, m, a - m, b - m, _pct(2 * m, a + b)])
    matched = [pair for p in pairs for pair in p.matched]
    types = ([str(x.get("event_type")) for x, _ in matched], [str(y.get("event_type")) for _, y in matched])
    signs = ([_sign(x.get("stance")) for x, _ in matched], [_sign(y.get("stance")) for _, y in matched])
    same_type = sum(x == y for x, y in zip(*types, strict=True))
    same_sign = sum(x == y for x, y in zip(*signs, strict=True))
    exact = sum(str(x.get("date")) == str(y.get("date")) for x, y in matched)
    coarse = sum(_coarse(str(x.get("date")), str(y.get("date"))) for x, y in matched)
    attributes = [
        ["Event type (4 CAMEO quad classes)", f"{same_type}/{len(matched)}", _pct(same_type, len(matched)), _kappa(cohen_kappa(*types))],
        ["Stance sign (−, 0, +)", f"{same_sign}/{len(matched)}", _pct(same_sign, len(matched)), _kappa(cohen_kappa(*signs))],
        ["Date, same date and precision", f"{exact}/{len(matched)}", _pct(exact, len(matched)), "—"],
        ["Date, at the coarser precision of the two", f"{coarse}/{len(matched)}", _pct(coarse, len(matched)), "—"],
    ]  # fmt: skip
    lines = [
        "## Double coding: agreement of two coders (`python -m bench agreement`)", "",
        f"Coder A: `{a_name}`; coder B: `{b_name}` (worked from the codebook alone). Two events are the same when "
        "they have the same actor and target and their quotes overlap in the article (one to one). Positive "
        "agreement = 2 × matched / (A's events + B's events).", "",
        table(["Article", "A's events", "B's events", "Matched", "Only A", "Only B", "Positive agreement"], rows), "",
        f"A's events that B also coded: {_pct(m, a)}; B's events that A also coded: {_pct(m, b)}.", "",
        table(["On the matched events", "Agree", "Share", "Cohen's kappa"], attributes), "",
        "Kappa is left out (—) where it is undefined or not meaningful (dates have no fixed set of categories).",
    ]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the agreement report; with --write also put it in bench/RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench agreement", description=__doc__.splitlines()[0])
    parser.add_argument("a_dir", help="coder A's curation logs (e.g. bench/curation)")
    parser.add_argument("b_dir", help="coder B's curation logs for some of the same articles")
    parser.add_argument("--articles", default=str(DEFAULT_DATA_DIR / "articles"), help="the article files (default: data/articles)")
    parser.add_argument("--write", action="store_true", help="rewrite the 'agreement' section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    try:
        pairs = compare(Path(args.a_dir), Path(args.b_dir), Path(args.articles))
    except (OSError, yaml.YAMLError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if not pairs:
        print(f"no article has a log in both {args.a_dir} and {args.b_dir}", file=sys.stderr)
        return 1
    text = report(pairs, args.a_dir, args.b_dir)
    print(text)
    if args.write:
        write_section("agreement", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
