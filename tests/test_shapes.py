"""Country outlines decoded from the shipped base map: points inside countries, and boxes around them."""

from __future__ import annotations

from lib.model import shapes


def test_a_city_lies_in_its_own_country_and_no_other() -> None:
    assert shapes.contains("AFG", 34.53, 69.17)  # Kabul
    assert not shapes.contains("TJK", 34.53, 69.17)
    assert shapes.countries_at(34.53, 69.17) == ["AFG"]


def test_a_point_at_sea_lies_in_no_country() -> None:
    assert shapes.countries_at(43.0, 34.0) == []  # the Black Sea
    assert not shapes.contains("KAZ", 43.0, 34.0)


def test_a_border_town_just_outside_the_generalised_outline_still_counts() -> None:
    # Termez sits on the Amu Darya, the Uzbek-Afghan border the 1:50m outline simplifies
    assert shapes.contains("UZB", 37.22, 67.28)
    assert not shapes.contains("KAZ", 37.22, 67.28)


def test_bounds_span_the_countries_asked_for() -> None:
    lon0, lat0, lon1, lat1 = shapes.bounds(["TJK"])
    assert 67 < lon0 < 68.5 and 75 < lon1 < 75.5 and 36.5 < lat0 < 37 and 40.5 < lat1 < 41.5
    assert shapes.bounds(["XYZ"]) is None
    assert shapes.known("KAZ") and not shapes.known("XYZ")
