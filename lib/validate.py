"""Check a data folder: `python -m lib.validate [DATA_DIR]` prints every problem and exits 1, or exits 0.

Errors (records left out) make it exit 1; warnings (codebook rules the data can live with, such as an event
outside every period) are printed too, marked `warning:`, and make it exit 1 only with `--strict`.

Checks the YAML files (the drafter's `lexicon.yaml` and the team's `team.yaml` too) and the articles, that every place's coordinates are
the offline gazetteer's (`lib/reading/gazetteer.py`; the dashboard skips this slower check) and, when the folder holds one,
the bulk `events.parquet`
(`lib/model/bulk.py`), reporting its problems in the same format.
"""

from __future__ import annotations

import argparse
import sys

from lib.model.bulk import BULK_FILENAME, bulk_path
from lib.model.data_folder import load_folder
from lib.reading.gazetteer import check_places
from lib.reading.lexicon import LEXICON_FILE, load_lexicon
from lib.team.roles import TEAM_FILE, load_team
from lib.text import terminal_safe
from lib.wording import count


def main(argv: list[str] | None = None) -> int:
    """Validate the data folder and report; the exit code is 0 when it is clean, else 1."""
    parser = argparse.ArgumentParser(prog="python -m lib.validate", description=__doc__)
    parser.add_argument("data_dir", nargs="?", help="data folder (default: $DASHBOARD_DATA_DIR or data/)")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    args = parser.parse_args(argv)
    ds, tables = load_folder(args.data_dir)
    if (ds.data_dir / LEXICON_FILE).is_file():  # the drafter's word lists (lib/reading/lexicon.py)
        ds.problems.extend(load_lexicon(ds.data_dir)[1])
    if (ds.data_dir / TEAM_FILE).is_file():  # who may view, curate and review (with sign-in configured)
        ds.problems.extend(load_team(ds.data_dir).problems)
    ds.problems.extend(check_places(ds.places.values(), f"{ds.data_dir.name}/places.yaml"))
    events = count(len(ds.events), "valid event")
    if bulk_path(ds).is_file():
        from_bulk = len(tables.events) - len(ds.events)
        events = f"{count(len(ds.events) + from_bulk, 'valid event')} ({from_bulk} from {BULK_FILENAME})"
    for problem in ds.problems:
        print(terminal_safe(problem), flush=True)  # article text must not drive the terminal
    summary = (f"{events}, {count(len(ds.articles), 'article')}, {count(len(ds.actors), 'actor')}, "
               f"{count(len(ds.countries), 'country')}"
               + (f", {count(len(ds.briefings), 'briefing')}" if ds.briefings else "")
               + f" in {terminal_safe(ds.data_dir)}")  # fmt: skip
    errors = sum(p.is_error for p in ds.problems)
    warnings = len(ds.problems) - errors
    if errors or (warnings and args.strict):
        print(f"{count(errors, 'error')}, {count(warnings, 'warning')}; {summary}", file=sys.stderr)
        return 1
    print(f"OK: {summary}" + (f" ({count(warnings, 'warning')}: see above)" if warnings else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
