"""The data folder as the app loads it: `events.yaml` and, beside it, the optional bulk `events.parquet`
(`lib/bulk.py`), as one `Dataset` and one set of `Tables`, with the briefings checked against the events of
both. The app, the check before a save (`lib/store.py`), the validator and the briefing pack all load the
folder through `load_folder`, so none of them sees a different dataset from the others.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.bulk import tables_with_bulk
from lib.load import Dataset, load_dataset
from lib.tables import Tables, build_tables


def event_ids(tables: Tables) -> pd.Index:
    """Every valid event's id, from events.yaml and events.parquet (an Index: membership is hashed once)."""
    return pd.Index(tables.events["id"])


def load_folder(folder: str | Path | None = None) -> tuple[Dataset, Tables]:
    """Load and validate the data folder (default: `$DASHBOARD_DATA_DIR` or `data/`) with its bulk events.

    Never raises for bad data: every problem, the Parquet file's and the briefings' included, is in the
    dataset's `problems`. A briefing may show any event of either file.
    """
    from lib.briefings import load_briefings

    ds = load_dataset(folder, briefings=False)
    tables = tables_with_bulk(ds, build_tables(ds))
    ds.briefings = load_briefings(ds.data_dir, ds, event_ids(tables))
    return ds, tables
