"""The drafter's place proposals (lib/reading/place_guess.py, CODEBOOK 4.1) on fixed sentences about places outside the
five articles: the place a sentence gives, at the precision its words allow and no finer; never a capital
standing for its government, a place in another country, or a name the gazetteer does not know."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.model import shapes
from lib.model.load import load_dataset
from lib.model.names import NameIndex
from lib.model.schema import Country, Place
from lib.reading import gazetteer, place_guess
from lib.reading.draft import draft_events, read_article_file
from lib.reading.place_guess import PlaceGuess, guess_place
from tests.conftest import ACTORS, COUNTRIES, REAL_DATA, write_data_dir, write_keep_all_ranker, write_yaml
from tests.test_draft import write_article

MORE_COUNTRIES = [
    {"iso3": "UZB", "name": "Uzbekistan", "region": "Central Asia", "central_asia": True, "demonyms": ["Uzbek"],
     "capital": "Tashkent"},
    {"iso3": "KGZ", "name": "Kyrgyzstan", "region": "Central Asia", "central_asia": True, "demonyms": ["Kyrgyz"],
     "capital": "Bishkek"},
]  # fmt: skip
CAPITALS = {"KAZ": "Astana", "AFG": "Kabul", "TJK": "Dushanbe"}
COUNTRY_RECORDS = [{**c, "capital": CAPITALS[c["iso3"]]} for c in COUNTRIES] + MORE_COUNTRIES
PLACES = [
    {"id": "astana", "name": "Astana", "country": "KAZ", "kind": "town", "geonameid": 1526273, "lat": 51.1801,
     "lon": 71.44598},
    {"id": "kunduz-province", "name": "Kunduz province", "country": "AFG", "kind": "province", "admin1_of": ["Kunduz"],
     "lat": 36.9046, "lon": 68.9803},
    {"id": "eastern-tajikistan", "name": "eastern Tajikistan", "country": "TJK", "kind": "region",
     "admin1_of": ["Rasht", "Khorugh"], "lat": 38.5131, "lon": 70.1544},
]  # fmt: skip


@pytest.fixture(scope="module")
def places() -> dict[str, Place]:
    return {p["id"]: Place.model_validate(p) for p in PLACES}


@pytest.fixture(scope="module")
def names() -> NameIndex:
    from lib.model.schema import Actor

    return NameIndex({a["id"]: Actor.model_validate(a) for a in ACTORS},
                     {c["iso3"]: Country.model_validate(c) for c in COUNTRY_RECORDS})  # fmt: skip


def guess(sentence: str, countries: list[str], places: dict[str, Place], names: NameIndex, **kw: object) -> PlaceGuess:
    return guess_place(sentence, countries, places, [c["iso3"] for c in COUNTRY_RECORDS], names=names, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "countries", "place", "precision", "geonameid"),
    [
        ("Uzbek and Taliban officials signed a trade deal in Termez on Tuesday.", ["UZB", "AFG"], "termez", 1, 1215957),
        ("The Taliban seized the northern city of Mazar-i-Sharif in August.", ["AFG"], "mazar-i-sharif", 1, 1133616),
        ("Taliban fighters attacked a police post near Kunduz on Monday.", ["AFG"], "kunduz", 2, 1135689),
        ("An attack 10 km from Kunduz killed five soldiers.", ["AFG"], "kunduz", 2, 1135689),
        ("Tajik border guards came under fire outside Khorog.", ["TJK"], "khorog", 2, 1221328),
        ("Kyrgyz police arrested three men in Osh.", ["KGZ"], "osh", 1, 1527534),
        ("The Taliban fought government troops in Imam Sahib district.", ["AFG"], "imam-sahib", 2, 1142545),
    ],
)  # fmt: skip
def test_a_town_the_sentence_names_is_proposed_as_a_new_place_from_the_gazetteer(
    places, names, sentence: str, countries: list[str], place: str, precision: int, geonameid: int
) -> None:
    found = guess(sentence, countries, places, names)
    assert (found.place, found.precision) == (place, precision)
    record = found.new_place
    assert record is not None and record["id"] == place and record["geonameid"] == geonameid
    new = Place.model_validate(record)
    where = gazetteer.resolve("town", new.country, geonameid=new.geonameid)  # the validator's own check
    assert (new.lat, new.lon) == (where.lat, where.lon) and new.country in countries
    assert shapes.contains(new.country, new.lat, new.lon)
    assert found.note and f"precision {precision}" in found.note and str(geonameid) in (found.source or "")


def test_a_known_place_is_proposed_by_its_key_under_any_of_its_names(places, names) -> None:
    by_id = guess("Talks were held in Nur-Sultan on Monday.", ["KAZ", "AFG"], places, names)
    assert (by_id.place, by_id.precision, by_id.new_place) == ("astana", 1, None)
    province = guess("Clashes broke out in Kunduz province, the governor said.", ["AFG"], places, names)
    assert (province.place, province.precision, province.new_place) == ("kunduz-province", 4, None)
    region = guess("The army fought insurgents in eastern Tajikistan.", ["TJK"], places, names)
    assert (region.place, region.precision) == ("eastern-tajikistan", 5)


def test_a_province_the_gazetteer_can_place_is_proposed_as_a_new_province(places, names) -> None:
    found = guess("Fighting spread in Balkh province last week.", ["AFG"], places, names)
    assert (found.place, found.precision) == ("balkh-province", 4)
    record = found.new_place
    assert record is not None and record["kind"] == "province" and record["admin1_of"] == ["Balkh"]
    where = gazetteer.resolve("province", "AFG", admin1_of=["Balkh"])
    assert (record["lat"], record["lon"]) == (where.lat, where.lon)


@pytest.mark.parametrize(
    "sentence",
    ["Astana says it will not send troops to Afghanistan.",  # the capital speaks for the government
     "In Kabul's view, the agreement is fair.",
     "A delegation from Kabul arrived for talks, officials said.",  # where it came from, not where it happened
     "Taliban fighters attacked a checkpoint in northern Afghanistan.",  # a region of a country: no point
     "The Taliban warned Kazakhstan on Monday."],
)  # fmt: skip
def test_no_place_when_the_sentence_gives_none(places, names, sentence: str) -> None:
    found = guess(sentence, ["KAZ", "AFG"], places, names)
    assert found.place is None and found.new_place is None


def test_a_town_in_another_country_than_the_events_is_not_proposed_and_the_note_says_where_it_is(places, names) -> None:
    found = guess("The Taliban shelled positions near Termez, Afghan officials said.", ["AFG"], places, names)
    assert found.place is None
    assert any("Termez" in n and "UZB" in n and "not in the event's countries (AFG)" in n for n in found.notes)


def test_a_place_the_gazetteer_does_not_know_is_not_proposed(places, names) -> None:
    found = guess("Trucks were stopped at Hairatan on the border.", ["AFG", "UZB"], places, names)
    assert found.place is None
    assert any("no GeoNames place of 500+ people called 'Hairatan'" in n for n in found.notes)


@pytest.mark.parametrize(
    ("sentence", "why"),
    [("An attack 40 km north of Kunduz killed five.", "farther than 'near'"),
     ("Fighting raged in Kunduz and Takhar provinces.", "several provinces"),
     ("Militants were seen in the Ferghana Valley in May.", "not a town or province")],
)  # fmt: skip
def test_an_area_no_town_stands_for_is_not_made_a_point(places, names, sentence: str, why: str) -> None:
    found = guess(sentence, ["AFG", "UZB", "KGZ"], places, names)
    assert found.place is None and any(why in n for n in found.notes)


def test_the_place_nearest_the_act_is_chosen_and_the_others_are_named(places, names) -> None:
    sentence = "In Kunduz, Taliban fighters attacked a police post near Imam Sahib."
    start = sentence.index("attacked")
    found = guess(sentence, ["AFG"], places, names, trigger=(start, start + len("attacked")))
    assert (found.place, found.precision) == ("imam-sahib", 2)
    assert any("“In Kunduz”" in n and "not chosen" in n for n in found.notes)
    hosted = guess(sentence, ["AFG"], places, names, location="Kunduz")  # the drafter's place wins
    assert hosted.place == "kunduz"


def test_a_drafted_event_carries_the_proposal_as_a_guess_and_validates_with_the_new_place(tmp_path: Path) -> None:
    folder = write_data_dir(tmp_path / "data")
    write_yaml(folder / "countries.yaml", {"countries": COUNTRY_RECORDS})
    write_yaml(folder / "places.yaml", {"places": PLACES})
    write_keep_all_ranker(folder)  # about the draft's place, not about the ranker's threshold
    ds = load_dataset(folder)
    assert ds.problems == []
    body = ("KABUL — The Taliban warned Tajikistan on Monday over the border.\n\n"
            "Taliban fighters attacked Kyrgyz border guards near Batken in May 2021.")  # fmt: skip
    article = read_article_file(write_article(tmp_path / "outside-2021.md", body, published="2021-06-09"))
    drafts = {d.event["sources"][0]["quote"][:12]: d for d in draft_events(article, ds)}
    warned = drafts["The Taliban "]
    assert warned.event["place"] is None and warned.new_place is None, "a dateline is not the event's place"
    attack = drafts["Taliban figh"]
    assert (attack.event["place"], attack.event["place_precision"]) == ("batken", 2)
    assert {"place", "place_precision", "place_note"} <= attack.guessed
    assert attack.event["location"] == "Batken" and "near Batken" in attack.event["place_note"]
    assert attack.new_place is not None and attack.new_place["country"] == "KGZ"
    assert not any("unknown actor" in n and "Batken" in n for n in attack.notes), "a place is not an unknown actor"
    write_yaml(folder / "places.yaml", {"places": [*PLACES, attack.new_place]})
    write_yaml(folder / "events.yaml", {"events": [{**attack.event, "sources": [{"article": "mt-2011",
                                                   "quote": "The Taliban has warned Kazakhstan"}]}]})  # fmt: skip
    assert [str(p) for p in load_dataset(folder).problems if p.is_error] == []


def test_warming_indexes_everything_a_first_draft_looks_up() -> None:
    """scripts/start.sh --curate warms this in the background, so the first "Draft events" does not read
    the gazetteer files (seconds cold)."""
    countries = list(load_dataset(REAL_DATA).countries)
    place_guess.warm(countries)
    before = (place_guess._rows.cache_info().misses, place_guess._tier.cache_info().misses)
    place_guess.lookup("Termez", "UZB", countries)
    place_guess.lookup("Nowhereabad", "AFG", countries)  # falls through every file
    place_guess.lookup("Termez", "TJK", countries, place_guess.ELSEWHERE_CUTOFFS)
    assert (place_guess._rows.cache_info().misses, place_guess._tier.cache_info().misses) == before
