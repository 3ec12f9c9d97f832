"""The synthetic benchmark events are valid bulk events, deterministic, and shaped like the real data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.synthetic import date_bounds, source_dataset, synthetic_data_dir, synthetic_events
from lib.model.bulk import load_bulk_tables, write_events_parquet
from lib.model.load import load_dataset


def test_generated_events_pass_bulk_validation(tmp_path: Path) -> None:
    ds = source_dataset()
    path = write_events_parquet(synthetic_events(3000, seed=1, ds=ds), tmp_path / "events.parquet")
    tables, problems = load_bulk_tables(path, ds)
    assert problems == []
    assert len(tables.events) == 3000
    assert set(tables.events["precision"].astype(str)) == {"day", "month", "year"} or len(ds.events) < 5
    first_day, last_day = date_bounds(ds)
    assert tables.events["year"].between(first_day.astype(object).year, last_day.astype(object).year).all()


def test_generator_is_seeded_and_deterministic() -> None:
    ds = source_dataset()
    pd.testing.assert_frame_equal(synthetic_events(500, seed=7, ds=ds), synthetic_events(500, seed=7, ds=ds))
    assert not synthetic_events(500, seed=7, ds=ds).equals(synthetic_events(500, seed=8, ds=ds))


def test_fixture_fallback_when_data_folder_has_no_events(tmp_path: Path) -> None:
    ds = source_dataset(tmp_path / "empty")
    assert ds.events and ds.data_dir != tmp_path / "empty"
    frame = synthetic_events(200, ds=ds)
    assert set(frame["actor"]) <= set(ds.actors)


def test_synthetic_data_dir_loads_beside_yaml(tmp_path: Path) -> None:
    folder = synthetic_data_dir(100, tmp_path)
    ds = load_dataset(folder)
    tables, problems = load_bulk_tables(folder / "events.parquet", ds)
    assert problems == [] and len(tables.events) == 100
