"""The offline gazetteer: names are always looked up inside one country, and places.yaml entries are
checked against it (coordinates are looked up, never typed by hand)."""

from __future__ import annotations

import pytest

from lib.model.schema import Place
from lib.reading import gazetteer


def test_a_name_is_found_only_in_the_country_asked_for() -> None:
    (osh,) = gazetteer.find("Osh", "KGZ")[:1]
    assert osh.country == "KGZ" and 40 < osh.lat < 41 and 72 < osh.lon < 73
    assert all(p.country == "FRA" for p in gazetteer.find("Osh", "FRA"))
    iranian = gazetteer.find("Rasht", "IRN")[0]
    tajik = gazetteer.find("Rasht", "TJK")[0]
    assert iranian.geonameid != tajik.geonameid and tajik.country == "TJK" and iranian.lon < 50 < tajik.lon


def test_lookups_ignore_case_and_accents_and_use_alternate_names() -> None:
    assert gazetteer.find("shibirghan", "AFG")[0].name == "Shibirghān"
    assert gazetteer.find("Sheberghan", "AFG")[0].name == "Shibirghān"
    assert gazetteer.find("Nur-Sultan", "KAZ")[0].name == "Astana"


def test_small_towns_are_found_below_the_default_cut_off() -> None:
    rasht = gazetteer.find("Gharm", "TJK")
    assert rasht and rasht[0].population < 15000


def test_an_unknown_country_code_is_an_error_and_an_unknown_name_finds_nothing() -> None:
    with pytest.raises(ValueError, match="XYZ"):
        gazetteer.find("Kabul", "XYZ")
    assert gazetteer.find("Atlantis", "AFG") == []


def test_a_town_resolves_to_its_geonames_point_and_must_be_in_its_country() -> None:
    kabul = gazetteer.find("Kabul", "AFG")[0]
    found = gazetteer.resolve("town", "AFG", geonameid=kabul.geonameid)
    assert (found.lat, found.lon) == (kabul.lat, kabul.lon) and str(kabul.geonameid) in found.source
    with pytest.raises(ValueError, match="not TJK"):
        gazetteer.resolve("town", "TJK", geonameid=kabul.geonameid)
    with pytest.raises(ValueError, match="GeoNames id"):
        gazetteer.resolve("town", "AFG")


def test_a_province_resolves_to_the_centroid_of_its_admin1_places_near_its_capital() -> None:
    found = gazetteer.resolve("province", "AFG", admin1_of=["Maymana"])
    maymana = gazetteer.find("Maymana", "AFG")[0]
    assert abs(found.lat - maymana.lat) < 1.0 and abs(found.lon - maymana.lon) < 1.0
    assert "centroid" in found.source and "admin1" in found.source
    with pytest.raises(ValueError, match="Atlantis"):
        gazetteer.resolve("province", "AFG", admin1_of=["Atlantis"])


def test_a_region_spanning_two_provinces_lies_between_them() -> None:
    faryab = gazetteer.resolve("province", "AFG", admin1_of=["Maymana"])
    jowzjan = gazetteer.resolve("province", "AFG", admin1_of=["Sheberghan"])
    both = gazetteer.resolve("region", "AFG", admin1_of=["Maymana", "Sheberghan"])
    assert min(faryab.lon, jowzjan.lon) < both.lon < max(faryab.lon, jowzjan.lon)


def _place(**fields) -> Place:
    base = {"id": "x", "name": "X", "country": "AFG", "kind": "town", "lat": 0.0, "lon": 0.0}
    return Place.model_validate(base | fields)


def test_check_places_flags_coordinates_that_are_not_the_gazetteers() -> None:
    kabul = gazetteer.find("Kabul", "AFG")[0]
    good = _place(id="kabul", geonameid=kabul.geonameid, lat=round(kabul.lat, 3), lon=round(kabul.lon, 3))
    typed = _place(id="typed", geonameid=kabul.geonameid, lat=34.9, lon=69.17)
    missing = _place(id="ghost", geonameid=999999999, lat=34.5, lon=69.2)
    problems = gazetteer.check_places([good, typed, missing], "data/places.yaml")
    assert [(p.record, p.field) for p in problems] == [("place 'typed'", "lat"), ("place 'ghost'", "geonameid")]
    assert "differs from the gazetteer" in problems[0].message and str(problems[0]).startswith("data/places.yaml: place")


def test_the_lookup_command_prints_an_entry_to_paste(capsys) -> None:
    assert gazetteer.main(["lookup", "Taloqan", "--country", "AFG"]) == 0
    out = capsys.readouterr().out
    assert "id: taloqan" in out and "kind: town" in out and "geonameid:" in out and "lat: 36." in out
    assert gazetteer.main(["lookup", "Taloqan", "--country", "KAZ"]) == 1


def test_every_place_in_the_real_data_matches_the_gazetteer() -> None:
    from lib.model.load import load_dataset

    ds = load_dataset()
    assert ds.places, "data/places.yaml has places"
    assert gazetteer.check_places(ds.places.values()) == []
