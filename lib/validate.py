"""Check a data folder: `python -m lib.validate [DATA_DIR]` prints every problem and exits 1, or exits 0."""

from __future__ import annotations

import argparse
import sys

from lib.load import load_dataset


def main(argv: list[str] | None = None) -> int:
    """Validate the data folder and report; the exit code is 0 when it is clean, else 1."""
    parser = argparse.ArgumentParser(prog="python -m lib.validate", description=__doc__)
    parser.add_argument("data_dir", nargs="?", help="data folder (default: $DASHBOARD_DATA_DIR or data/)")
    args = parser.parse_args(argv)
    ds = load_dataset(args.data_dir)
    for problem in ds.problems:
        print(problem)
    summary = (
        f"{len(ds.events)} valid events, {len(ds.articles)} articles, {len(ds.actors)} actors, "
        f"{len(ds.countries)} countries in {ds.data_dir}"
    )
    if ds.problems:
        print(f"{len(ds.problems)} problem(s); {summary}", file=sys.stderr)
        return 1
    print(f"OK: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
