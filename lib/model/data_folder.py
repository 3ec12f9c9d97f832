"""The data folder as the app loads it: `events.yaml` and, beside it, the optional bulk `events.parquet`
(`lib/model/bulk.py`), as one `Dataset` and one set of `Tables`, with the briefings checked against the events of
both. The app, the validator and the briefing pack load the folder through `load_folder`, and the check
before a save (`lib/model/store.py`) through `check_folder`, which finds the same problems without building the
tables, so none of them judges a different dataset from the others.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.model.bulk import add_bulk_problems, bulk_path, check_bulk, tables_with_bulk
from lib.model.dataset import Dataset
from lib.model.load import load_dataset
from lib.model.tables import Tables, build_tables


def event_ids(tables: Tables) -> pd.Index:
    """Every valid event's id, from events.yaml and events.parquet (an Index: membership is hashed once)."""
    return pd.Index(tables.events["id"])


def load_folder(folder: str | Path | None = None) -> tuple[Dataset, Tables]:
    """Load and validate the data folder (default: `$DASHBOARD_DATA_DIR` or `data/`) with its bulk events.

    Never raises for bad data: every problem, the Parquet file's and the briefings' included, is in the
    dataset's `problems`. A briefing may show any event of either file.
    """
    from lib.model.briefings import load_briefings

    ds = load_dataset(folder, briefings=False)
    tables = tables_with_bulk(ds, build_tables(ds))
    ds.briefings = load_briefings(ds.data_dir, ds, event_ids(tables))
    return ds, tables


def check_folder(folder: str | Path | None = None) -> Dataset:
    """The data folder loaded as `load_folder` loads it, with the same problems, without the tables: the bulk
    file is checked, not combined with events.yaml (a save at a million events need not hold two copies)."""
    from lib.model.briefings import load_briefings

    ds = load_dataset(folder, briefings=False)
    ids = pd.Index([e.id for e in ds.events], dtype=object)
    if bulk_path(ds).is_file():
        bulk = check_bulk(bulk_path(ds), ds)
        add_bulk_problems(ds, bulk.problems, bulk.cited)
        ids = ids.append(bulk.ids)
    ds.briefings = load_briefings(ds.data_dir, ds, ids)
    return ds
