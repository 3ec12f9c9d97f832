"""`python -m bench curation [--dir bench/curation] [--write]`: the curation logs summarised, one row per article.

Per article: the drafter's proposals, how many were accepted as is, edited (and which fields, counted over
all edited proposals), rejected, the events added by hand, and the curator's minutes; totals last. With
`--write` the table replaces the "curation" section of bench/RESULTS.md. Log format: docs/curation-log.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bench.results import table, write_section

CURATION_DIR = Path(__file__).resolve().parent / "curation"
HEADERS = ["Article", "Proposals", "Accepted as is", "Edited", "Rejected", "Added by hand", "Events", "Minutes"]


def read_logs(folder: Path) -> list[dict[str, Any]]:
    """Every curation log in `folder` (sorted by file name); a file that is not a log is an error naming it."""
    logs = []
    for path in sorted(folder.glob("*.yaml")):
        log = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(log, dict) or "article" not in log:
            raise ValueError(f"{path}: not a curation log (no 'article')")
        logs.append(log)
    return logs


def summary(logs: list[dict[str, Any]]) -> tuple[list[list[object]], Counter[str]]:
    """The table's rows (totals last) and the edited fields counted over every edited proposal."""
    rows: list[list[object]] = []
    fields: Counter[str] = Counter()
    totals = [0] * 7
    for log in logs:
        proposals = log.get("proposals") or []
        fates = Counter(str(p.get("fate")) for p in proposals)
        for p in proposals:
            if p.get("fate") == "edited":
                fields.update(str(f) for f in p.get("edited") or [])
        minutes = log.get("minutes") or 0
        row = [len(proposals), fates["accepted"], fates["edited"], fates["rejected"], len(log.get("added") or []),
               len(log.get("events") or []), minutes]  # fmt: skip
        totals = [t + int(v) for t, v in zip(totals, row, strict=True)]
        rows.append([str(log["article"]), *row])
    rows.append([f"**Total ({len(logs)} articles)**", *totals])
    return rows, fields


def report(logs: list[dict[str, Any]]) -> str:
    """The Markdown section: the table, the edited fields, and what the shares mean."""
    rows, fields = summary(logs)
    total = rows[-1]
    proposals, accepted, edited, rejected, added, events, minutes = total[1:]
    share = (lambda n: f"{100 * n / proposals:.0f}%") if proposals else (lambda n: "—")
    lines = [
        "## Curation logs (`python -m bench curation`)", "",
        f"{len(logs)} articles curated from the drafter's proposals (logs in bench/curation/, format in "
        "docs/curation-log.md). Accepted as is: the draft saved apart from its id; edited: saved with the fields "
        "listed changed; rejected: not an event by the codebook; added by hand: an event no draft led to.", "",
        table(HEADERS, rows), "",
        f"Of {proposals} proposals: {accepted} accepted as is ({share(accepted)}), {edited} edited ({share(edited)}), "
        f"{rejected} rejected ({share(rejected)}); {added} events added by hand; {events} events saved in "
        f"{minutes} curator-minutes ({minutes / max(len(logs), 1):.1f} per article; minutes as each curator recorded "
        "them in the log).", "",
        "Fields changed in edited proposals: "
        + (", ".join(f"{name} {n}" for name, n in fields.most_common()) or "none") + ".",
    ]  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the summary; with --write also put it in bench/RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench curation", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(CURATION_DIR), help="folder of curation logs (default: bench/curation)")
    parser.add_argument("--write", action="store_true", help="rewrite the 'curation' section of bench/RESULTS.md")
    args = parser.parse_args(argv)
    try:
        logs = read_logs(Path(args.dir))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(exc, file=sys.stderr)
        return 1
    text = report(logs)
    print(text)
    if args.write:
        write_section("curation", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
