"""Synthetic events in the bulk format, drawn from the real data's distributions, for scale benchmarks.

Each synthetic event copies a real event chosen at random (its actor/target pair, countries, event
type, location, place and its precision, and source quote, so joint distributions and quote validity
carry over), gets a date near that event's date (Gaussian jitter of about half a year, kept inside the
real span, so years cluster like the real ones), a precision drawn from the real day/month/year mix, and a stance that
is the real one moved by one step in a fifth of cases. Titles are unique; summaries are shared.

Everything is vectorised with numpy and seeded: the same (n, seed, data) gives the same frame.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from lib.model.bulk import BULK_COLUMNS, write_events_parquet
from lib.model.dataset import Dataset
from lib.model.files import write_atomic
from lib.model.load import load_dataset
from lib.model.schema import parse_partial_date
from lib.paths import DEFAULT_DATA_DIR

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
JITTER_DAYS = 180
STANCE_SHIFT_SHARE = 0.2


def source_dataset(data_dir: str | Path | None = None) -> Dataset:
    """The dataset to imitate: `data_dir` (default data/), or the test fixture if it has no events.yaml events."""
    folder = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    if (folder / "events.yaml").is_file():
        ds = load_dataset(folder)
        if ds.events:
            return ds
    from tests.conftest import write_data_dir  # the small valid fixture folder

    return load_dataset(write_data_dir(Path(tempfile.mkdtemp(prefix="synthetic-data-")) / "data"))


def _templates(ds: Dataset) -> pd.DataFrame:
    rows = []
    for event in ds.events:
        start, end, _ = parse_partial_date(event.date)
        mid = np.datetime64(start) + (np.datetime64(end) - np.datetime64(start)) // 2
        rows.append(
            {
                "title": event.title,
                "summary": event.summary,
                "actor": event.actor,
                "target": event.target,
                "countries": ";".join(event.countries),
                "location": event.location,
                "place": event.place,
                "place_precision": event.place_precision,
                "place_note": event.place_note,
                "event_type": event.event_type,
                "stance": event.stance,
                "source_article": event.sources[0].article,
                "source_quote": event.sources[0].quote,
                "mid": mid,
            }
        )
    return pd.DataFrame(rows)


def date_bounds(ds: Dataset) -> tuple[np.datetime64, np.datetime64]:
    """The first and last day the imitated events cover (synthetic dates stay inside them)."""
    spans = [parse_partial_date(e.date) for e in ds.events]
    return np.datetime64(min(s[0] for s in spans), "D"), np.datetime64(max(s[1] for s in spans), "D")


def _precision_mix(ds: Dataset) -> tuple[list[str], np.ndarray]:
    counts = pd.Series([parse_partial_date(e.date)[2] for e in ds.events]).value_counts()
    return list(counts.index), (counts / counts.sum()).to_numpy()


def synthetic_events(n: int, seed: int = 0, ds: Dataset | None = None) -> pd.DataFrame:
    """`n` synthetic events as a DataFrame with the bulk columns (countries ';'-joined)."""
    ds = ds or source_dataset()
    templates = _templates(ds)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(templates), size=n)
    chosen = templates.iloc[pick].reset_index(drop=True)

    jitter = np.rint(rng.normal(0, JITTER_DAYS, size=n)).astype("int64").astype("timedelta64[D]")
    first_day, last_day = date_bounds(ds)
    days = np.clip(chosen["mid"].to_numpy().astype("datetime64[D]") + jitter, first_day, last_day)
    names, shares = _precision_mix(ds)
    precision = np.asarray(names)[rng.choice(len(names), size=n, p=shares)]
    date = np.where(
        precision == "day",
        np.datetime_as_string(days, unit="D"),
        np.where(precision == "month", np.datetime_as_string(days.astype("datetime64[M]"), unit="M"),
                 np.datetime_as_string(days.astype("datetime64[Y]"), unit="Y")),
    )  # fmt: skip

    shift = np.where(rng.random(n) < STANCE_SHIFT_SHARE, rng.choice([-1, 1], size=n), 0)
    stance = np.clip(chosen["stance"].to_numpy() + shift, -2, 2).astype("int8")
    numbers = pd.Series(np.arange(n)).astype("str").str.zfill(7)
    ids = "syn-" + numbers
    frame = pd.DataFrame(
        {
            "id": ids,
            "date": pd.Series(date, dtype="str"),
            "title": chosen["title"].astype("str") + " · #" + numbers,
            "summary": chosen["summary"],
            "date_note": None,
            "actor": chosen["actor"],
            "target": chosen["target"],
            "countries": chosen["countries"],
            "location": chosen["location"],
            "event_type": chosen["event_type"],
            "stance": stance,
            "source_article": chosen["source_article"],
            "source_quote": chosen["source_quote"],
            "place": chosen["place"],
            "place_precision": chosen["place_precision"],
            "place_note": chosen["place_note"],
        }
    )
    return frame[list(BULK_COLUMNS)]


def write_synthetic(n: int, path: str | Path, seed: int = 0, ds: Dataset | None = None) -> Path:
    """Generate `n` events and write them as a bulk Parquet file."""
    return write_events_parquet(synthetic_events(n, seed, ds), path)


def synthetic_data_dir(n: int, root: str | Path, seed: int = 0, source: str | Path | None = None) -> Path:
    """A data folder under `root`: the real (or fixture) YAML files plus `events.parquet` with `n` events.

    Reuses an existing folder whose parquet was written for the same n and seed.
    """
    import shutil

    ds = source_dataset(source)
    folder = Path(root) / f"data-{n}-s{seed}"
    stamp = folder / ".synthetic"
    if stamp.is_file() and stamp.read_text() == f"{n} {seed} {ds.data_dir}":
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ds.data_dir, folder, ignore=shutil.ignore_patterns("events.parquet"))
    write_synthetic(n, folder / "events.parquet", seed, ds)
    write_atomic(stamp, f"{n} {seed} {ds.data_dir}")
    return folder
