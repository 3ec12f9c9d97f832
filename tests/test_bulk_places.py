"""Places in the Parquet bulk format: the same checks as events.yaml, column-wise."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.model import bulk
from lib.model.load import load_dataset
from lib.model.tables import build_tables
from tests.conftest import make_events
from tests.test_places import placed_folder


def _rows(**first) -> list[dict]:
    events = make_events()
    events[0].update(first)
    return events


def _load(tmp_path: Path, rows: list[dict]):
    ds = load_dataset(placed_folder(tmp_path / "data"))
    path = bulk.write_events_parquet([{**e, "id": f"bulk-{e['id']}"} for e in rows], tmp_path / "events.parquet")
    return bulk.load_bulk_tables(path, ds)


def test_placed_rows_load_with_the_same_columns_as_the_yaml_path(tmp_path: Path) -> None:
    tables, problems = _load(tmp_path, _rows(place="astana", place_precision=2, place_note="Outside the city."))
    assert problems == []
    row = tables.events.set_index("id").loc["bulk-kaz-votes-isaf"]
    assert (row["place"], int(row["place_precision"]), row["place_note"]) == ("astana", 2, "Outside the city.")
    assert pd.isna(tables.events.set_index("id").loc["bulk-taliban-warns-kaz", "place_precision"])
    yaml_tables = build_tables(load_dataset(placed_folder(tmp_path / "yaml")))
    assert list(tables.events.columns) == list(yaml_tables.events.columns)
    assert str(tables.events["place_precision"].dtype) == str(yaml_tables.events["place_precision"].dtype) == "Int8"


def test_bad_place_rows_are_reported_by_field_and_dropped(tmp_path: Path) -> None:
    rows = [
        *_rows(place="atlantis", place_precision=1),
        {**make_events()[0], "id": "wrong-kind", "place": "kunduz-province", "place_precision": 1},
        {**make_events()[0], "id": "no-precision", "place": "astana"},
        {**make_events()[0], "id": "no-place", "place_precision": 1},
        {**make_events()[1], "id": "elsewhere", "place": "kabul", "place_precision": 1},  # countries: KAZ only
    ]
    tables, problems = _load(tmp_path, rows)
    found = {(p.record, p.field): p.message for p in problems}
    assert "is not a place in places.yaml" in found[("event 'bulk-kaz-votes-isaf'", "place")]
    assert "does not fit 'kunduz-province', a province" in found[("event 'bulk-wrong-kind'", "place_precision")]
    assert "required with a place" in found[("event 'bulk-no-precision'", "place_precision")]
    assert "'place' is not" in found[("event 'bulk-no-place'", "place_precision")]
    assert "lies in AFG, which is not one of the row's countries" in found[("event 'bulk-elsewhere'", "place")]
    assert list(tables.events["id"]) == ["bulk-taliban-warns-kaz"]
