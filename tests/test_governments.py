"""Who speaks for a country at a date: "Kabul" and "the Afghan government" before and after August 2021."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.model.governments import government_problems, speaker
from lib.model.schema import Actor, Country, parse_partial_date

ACTORS = {
    "taliban": Actor(id="taliban", name="Taliban", kind="armed_group", country="AFG", colour="#CC6677"),
    "afghan_government": Actor(id="afghan_government", name="Afghan government", kind="government", country="AFG", colour="#999933"),
    "KAZ": Actor(id="KAZ", name="Kazakhstan", kind="state", country="KAZ", colour="#117733"),
}  # fmt: skip
AFG = Country(
    iso3="AFG", name="Afghanistan", region="South Asia", capital="Kabul",
    governments=[
        {"actor": "taliban", "since": "1996-09-27", "until": "2001-11-12"},
        {"actor": "afghan_government", "since": "2001-12-22", "until": "2021-08-14"},
        {"actor": "taliban", "since": "2021-08-15"},
    ],
)  # fmt: skip
KAZ = Country(iso3="KAZ", name="Kazakhstan", region="Central Asia", capital="Astana")


def _days(value: str) -> tuple[dt.date, dt.date]:
    first, last, _ = parse_partial_date(value)
    return first, last


@pytest.mark.parametrize(
    ("when", "expected"),
    [("2000-11", "taliban"), ("2011-05-22", "afghan_government"), ("2021-08-14", "afghan_government"),
     ("2021-08-15", "taliban"), ("2024", "taliban")],
)  # fmt: skip
def test_the_capital_speaks_for_whoever_held_it_then(when: str, expected: str) -> None:
    found = speaker(AFG, ACTORS, _days(when))
    assert found.actor == expected and "Kabul" in found.why


@pytest.mark.parametrize(("when", "why"), [("2021", "changed"), ("2021-08", "changed"), ("2001-12-01", "no government"), ("1990", "no government")])
def test_dates_across_a_change_or_in_a_gap_name_nobody(when: str, why: str) -> None:
    found = speaker(AFG, ACTORS, _days(when))
    assert found.actor is None and why in found.why
    assert speaker(AFG, ACTORS, None).actor is None


def test_a_country_without_a_list_is_spoken_for_by_its_state_at_any_date() -> None:
    assert speaker(KAZ, ACTORS, _days("1999")).actor == "KAZ"
    assert speaker(KAZ, ACTORS).actor == "KAZ"


def test_governments_must_name_known_actors_one_at_a_time() -> None:
    bad = Country(
        iso3="AFG", name="Afghanistan", region="South Asia",
        governments=[{"actor": "taliban", "since": "1996"}, {"actor": "talibn", "since": "2001", "until": "2021"}],
    )  # fmt: skip
    problems = government_problems({"AFG": bad}, ACTORS, "countries.yaml")
    fields = {p.field: p.message for p in problems}
    assert "not listed in actors.yaml" in fields["governments[1].actor"]
    assert "overlaps governments[0]" in fields["governments[1]"]
    assert all(p.file == "countries.yaml" and p.record == "country 'AFG'" for p in problems)
    assert government_problems({"AFG": AFG, "KAZ": KAZ}, ACTORS, "countries.yaml") == []
