"""The shared filters and the page choices kept in the URL: parsed, applied, described, round-tripped."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model.filters import FilterOptions, Filters, page_choice
from lib.model.load import load_dataset
from lib.model.tables import build_tables

OPTIONS = FilterOptions(
    countries={"KAZ": "Kazakhstan", "TJK": "Tajikistan", "AFG": "Afghanistan"},
    actors={"taliban": "Taliban", "KAZ": "Kazakhstan"},
    types={"verbal_conflict": "Verbal conflict", "material_cooperation": "Material cooperation"},
    years=(2000, 2017),
)


def test_the_issue_permalink_parses_into_every_filter() -> None:
    params = {"country": "KAZ,TJK", "from": "2010", "to": "2012", "actor": "taliban", "type": "verbal_conflict"}
    filters = Filters.from_query(params, OPTIONS)
    assert filters == Filters(("KAZ", "TJK"), 2010, 2012, ("taliban",), ("verbal_conflict",))
    assert filters.notes == ()
    assert filters.to_query() == params


def test_lowercase_country_codes_are_accepted() -> None:
    assert Filters.from_query({"country": "kaz"}, OPTIONS).countries == ("KAZ",)


def test_unknown_values_are_dropped_with_a_note_naming_them() -> None:
    filters = Filters.from_query({"country": "KAZ,XXX", "from": "20x0", "colour": "red"}, OPTIONS)
    assert filters.countries == ("KAZ",) and filters.year_from is None
    assert any("XXX" in n for n in filters.notes)
    assert any("20x0" in n for n in filters.notes)
    assert any("colour" in n for n in filters.notes)


def test_page_choice_keys_are_not_reported_as_unknown() -> None:
    filters = Filters.from_query({"rows": "country", "target": "KAZ", "dir": "from", "metric": "stance"}, OPTIONS)
    assert filters.notes == () and filters.is_empty


def test_swapped_years_are_put_in_order_with_a_note() -> None:
    filters = Filters.from_query({"from": "2012", "to": "2010"}, OPTIONS)
    assert (filters.year_from, filters.year_to) == (2010, 2012)
    assert any("Swapped" in n for n in filters.notes)


def test_an_old_one_ended_link_is_read_and_closed_at_the_data_span_so_later_events_cannot_widen_it() -> None:
    old_link = Filters.from_query({"from": "2010"}, OPTIONS)
    assert (old_link.year_from, old_link.year_to) == (2010, None)
    closed = old_link.with_both_years(OPTIONS)
    assert closed.to_query() == {"from": "2010", "to": "2017"}
    grown = FilterOptions(OPTIONS.countries, OPTIONS.actors, OPTIONS.types, years=(2000, 2024))
    assert Filters.from_query(closed.to_query(), grown).describe(grown) == "2010–2017"
    assert Filters(year_to=2005).with_both_years(OPTIONS).to_query() == {"from": "2000", "to": "2005"}
    assert Filters(countries=("KAZ",)).with_both_years(OPTIONS).to_query() == {"country": "KAZ"}


def test_a_single_year_is_said_once() -> None:
    assert Filters(year_from=2011, year_to=2011).describe(OPTIONS) == "2011"


def test_options_from_a_folder_without_events_span_its_periods(tmp_path: Path) -> None:
    from tests.conftest import write_data_dir

    ds = load_dataset(write_data_dir(tmp_path / "data", events=[]))
    assert FilterOptions.from_dataset(ds, build_tables(ds)).years == (2010, 2011)


def test_describe_states_the_view_in_words() -> None:
    filters = Filters(("KAZ", "TJK"), 2010, 2012, ("taliban",), ("verbal_conflict",))
    assert filters.describe(OPTIONS) == "Kazakhstan, Tajikistan · 2010–2012 · involving Taliban · Verbal conflict"
    assert Filters().describe(OPTIONS) == "All events"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("actor", None)),
        ({"rows": "country"}, ("country", None)),
        ({"rows": " country "}, ("country", None)),
    ],
)
def test_page_choice_reads_a_known_value_or_the_default(params: dict, expected: tuple) -> None:
    assert page_choice(params, "rows", {"actor": "Actor", "country": "Country"}, "actor") == expected


def test_page_choice_ignores_an_unknown_value_with_a_note() -> None:
    value, note = page_choice({"rows": "<b>x</b>"}, "rows", {"actor": "Actor", "country": "Country"}, "actor")
    assert value == "actor"
    assert note is not None and "<b>x</b>" in note and "Actor" in note


def test_filters_apply_to_countries_years_actors_and_types(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    assert len(Filters().apply(tables)) == 2
    assert Filters(countries=("AFG",)).apply(tables)["id"].tolist() == ["kaz-votes-isaf"]
    assert Filters(actors=("taliban",)).apply(tables)["id"].tolist() == ["taliban-warns-kaz"]
    assert Filters(types=("material_cooperation",)).apply(tables)["id"].tolist() == ["kaz-votes-isaf"]
    assert Filters(year_from=2012).apply(tables).empty
    assert len(Filters(year_from=2011, year_to=2011).apply(tables)) == 2


def test_actor_filter_matches_either_side(data_dir: Path) -> None:
    tables = build_tables(load_dataset(data_dir))
    assert sorted(Filters(actors=("KAZ",)).apply(tables)["id"]) == ["kaz-votes-isaf", "taliban-warns-kaz"]
