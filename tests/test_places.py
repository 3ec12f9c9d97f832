"""Where events happened: data/places.yaml and the events' place fields, as the loader and
`python -m lib.validate` check them (every problem located by file, record and field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model.load import load_dataset
from lib.validate import main as validate_main
from tests.conftest import make_events, write_data_dir, write_yaml

KABUL = {"id": "kabul", "name": "Kabul", "country": "AFG", "kind": "town", "geonameid": 1138958,
         "lat": 34.52813, "lon": 69.17233}  # fmt: skip
KUNDUZ = {"id": "kunduz-province", "name": "Kunduz province", "country": "AFG", "kind": "province",
          "admin1_of": ["Kunduz"], "lat": 36.9046, "lon": 68.9803}  # fmt: skip
ASTANA = {"id": "astana", "name": "Astana", "country": "KAZ", "kind": "town", "geonameid": 1526273,
          "lat": 51.1801, "lon": 71.44598}  # fmt: skip


def placed_folder(root: Path, places: list[dict] | None = None, **event_fields) -> Path:
    """The fixture folder with places.yaml and the first event placed (by default in Astana, exactly)."""
    events = make_events()
    events[0].update({"place": "astana", "place_precision": 1} | event_fields)
    folder = write_data_dir(root, events)
    write_yaml(folder / "places.yaml", {"places": [KABUL, KUNDUZ, ASTANA] if places is None else places})
    return folder


def problems(folder: Path) -> list[tuple[str | None, str | None, str]]:
    return [(p.record, p.field, p.message) for p in load_dataset(folder).problems]


def test_a_placed_event_loads_with_its_place_and_precision(tmp_path: Path) -> None:
    ds = load_dataset(placed_folder(tmp_path / "data"))
    assert ds.problems == []
    assert set(ds.places) == {"kabul", "kunduz-province", "astana"}
    event = next(e for e in ds.events if e.id == "kaz-votes-isaf")
    assert (event.place, event.place_precision) == ("astana", 1)


def test_a_place_outside_its_country_is_a_located_error(tmp_path: Path) -> None:
    wrong = KABUL | {"country": "TJK"}  # Kabul's coordinates, said to be in Tajikistan
    folder = placed_folder(tmp_path / "data", [wrong, ASTANA])
    ((record, field, message),) = problems(folder)
    assert (record, field) == ("place 'kabul'", "lat")
    assert "outside TJK's outline" in message and "it lies in AFG" in message
    assert "kabul" not in load_dataset(folder).places


def test_an_event_placed_outside_its_own_countries_is_a_located_error(tmp_path: Path) -> None:
    folder = placed_folder(tmp_path / "data", place="kabul")  # the event concerns KAZ and AFG: fine
    assert problems(folder) == []
    events = make_events()
    events[1].update({"place": "kabul", "place_precision": 1})  # this one concerns KAZ only
    write_yaml(folder / "events.yaml", {"events": events})
    ((record, field, message),) = problems(folder)
    assert (record, field) == ("event 'taliban-warns-kaz'", "place")
    assert "lies in AFG, which is not one of the event's countries (KAZ)" in message


def test_an_unknown_place_is_a_located_error(tmp_path: Path) -> None:
    folder = placed_folder(tmp_path / "data", place="atlantis")
    ((record, field, message),) = problems(folder)
    assert (record, field) == ("event 'kaz-votes-isaf'", "place")
    assert "'atlantis' is not a place in places.yaml" in message and "python -m lib.gazetteer lookup" in message


@pytest.mark.parametrize(
    ("place", "precision", "expected"),
    [("astana", 4, "4 (province) does not fit 'Astana', a town: use 1 (exact place) or 2"),
     ("kunduz-province", 1, "1 (exact place) does not fit 'Kunduz province', a province: use 4 (province)"),
     ("astana", 5, "5 (region of a country) does not fit 'Astana', a town")],
)  # fmt: skip
def test_the_precision_must_fit_the_kind_of_place(tmp_path: Path, place: str, precision: int, expected: str) -> None:
    folder = placed_folder(tmp_path / "data", place=place, place_precision=precision)
    ((record, field, message),) = problems(folder)
    assert (record, field) == ("event 'kaz-votes-isaf'", "place_precision") and expected in message


def test_a_near_place_is_allowed_for_a_town(tmp_path: Path) -> None:
    assert problems(placed_folder(tmp_path / "data", place_precision=2)) == []


def test_place_and_precision_come_together(tmp_path: Path) -> None:
    without_precision = placed_folder(tmp_path / "a", place_precision=None)
    assert [(r, f) for r, f, _ in problems(without_precision)] == [("event 'kaz-votes-isaf'", "place_precision")]
    without_place = placed_folder(tmp_path / "b", place=None)
    ((record, field, message),) = problems(without_place)
    assert field == "place_precision" and "'place' is not" in message


def test_a_precision_off_the_scale_is_a_schema_error(tmp_path: Path) -> None:
    ((record, field, message),) = problems(placed_folder(tmp_path / "data", place_precision=7))
    assert (record, field) == ("event 'kaz-votes-isaf'", "place_precision") and "7" in message


def test_a_town_needs_its_gazetteer_id_and_a_province_its_admin1_town(tmp_path: Path) -> None:
    no_id = {k: v for k, v in KABUL.items() if k != "geonameid"}
    no_admin = {k: v for k, v in KUNDUZ.items() if k != "admin1_of"}
    folder = placed_folder(tmp_path / "data", [no_id, no_admin, ASTANA])
    found = {(r, f) for r, f, _ in problems(folder)}
    assert found == {("place 'kabul'", "geonameid"), ("place 'kunduz-province'", "admin1_of")}


def test_a_misspelt_place_field_or_unknown_kind_is_an_error(tmp_path: Path) -> None:
    folder = placed_folder(tmp_path / "data", [KABUL | {"lattitude": 1}, ASTANA | {"kind": "village"}])
    found = {(r, f) for r, f, _ in problems(folder)}
    assert ("place 'kabul'", "lattitude") in found and ("place 'astana'", "kind") in found


def test_validate_checks_coordinates_against_the_gazetteer(tmp_path: Path, capsys) -> None:
    folder = placed_folder(tmp_path / "data", [KABUL | {"lat": 34.9}, KUNDUZ, ASTANA])
    assert validate_main([str(folder)]) == 1
    out = capsys.readouterr().out
    assert "data/places.yaml: place 'kabul' field 'lat': 34.9, 69.17233 differs from the gazetteer's" in out
    assert validate_main([str(placed_folder(tmp_path / "ok"))]) == 0


def test_a_folder_without_places_yaml_has_no_places_and_no_problem(data_dir: Path) -> None:
    ds = load_dataset(data_dir)
    assert ds.places == {} and ds.problems == []


def test_every_placed_event_in_the_real_data_lies_in_one_of_its_countries_at_a_fitting_precision() -> None:
    from lib.model import shapes
    from lib.model.schema import PLACE_KINDS

    ds = load_dataset()
    placed = [e for e in ds.events if e.place]
    assert placed and ds.problems == []
    for event in placed:
        place = ds.places[event.place]
        assert event.place_precision in PLACE_KINDS[place.kind], event.id
        assert any(shapes.contains(c, place.lat, place.lon) for c in event.countries), event.id
    # areas are never coded as exact points
    assert all(e.place_precision >= 4 for e in placed if ds.places[e.place].kind != "town")
