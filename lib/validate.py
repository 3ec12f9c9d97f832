"""Check a data folder: `python -m lib.validate [DATA_DIR]` prints every problem and exits 1, or exits 0.

Checks the YAML files and the articles and, when the folder holds one, the bulk `events.parquet`
(`lib/bulk.py`), reporting its problems in the same format.
"""

from __future__ import annotations

import argparse
import sys

from lib.bulk import BULK_FILENAME, bulk_path, tables_with_bulk
from lib.load import load_dataset
from lib.tables import build_tables


def main(argv: list[str] | None = None) -> int:
    """Validate the data folder and report; the exit code is 0 when it is clean, else 1."""
    parser = argparse.ArgumentParser(prog="python -m lib.validate", description=__doc__)
    parser.add_argument("data_dir", nargs="?", help="data folder (default: $DASHBOARD_DATA_DIR or data/)")
    args = parser.parse_args(argv)
    ds = load_dataset(args.data_dir)
    events = f"{len(ds.events)} valid events"
    if bulk_path(ds).is_file():
        from_bulk = len(tables_with_bulk(ds, build_tables(ds)).events) - len(ds.events)
        events = f"{len(ds.events) + from_bulk} valid events ({from_bulk} from {BULK_FILENAME})"
    for problem in ds.problems:
        print(problem)
    summary = f"{events}, {len(ds.articles)} articles, {len(ds.actors)} actors, {len(ds.countries)} countries in {ds.data_dir}"
    if ds.problems:
        print(f"{len(ds.problems)} problem(s); {summary}", file=sys.stderr)
        return 1
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
