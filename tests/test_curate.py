"""lib/reading/curate.py: turning the Curate page's forms into data."""

from __future__ import annotations

from lib.model.schema import Event
from lib.reading.curate import event_from_form


def _form(**kept: object) -> dict:
    return event_from_form(
        id="e1", date="2011-05", date_note="", title="A title", summary="A summary.", actor="KAZ", target=None,
        countries=["KAZ"], location="", event_type="verbal_cooperation", stance=1,
        sources=[{"article": "a1", "quote": " A quote. "}], kept=kept,
    )


def test_fields_the_form_does_not_show_are_kept_from_the_event_being_edited() -> None:
    event = _form(id="old", title="Old title", place="khujand", place_precision=1, place_note="The article says so.")
    assert (event["place"], event["place_precision"], event["place_note"]) == ("khujand", 1, "The article says so.")
    assert event["id"] == "e1" and event["title"] == "A title", "what the form shows wins"


def test_an_edited_event_is_in_the_schema_order_with_blank_texts_as_null() -> None:
    event = _form(place="khujand", place_precision=1)
    assert [k for k in Event.model_fields if k in event] == list(event)
    assert event["date_note"] is None and event["location"] is None
    assert event["sources"][0]["quote"] == "A quote."


# --- places: the form's choice, the drafter's proposed new place -------------------------------------

TERMEZ = {"id": "termez", "name": "Termez", "country": "UZB", "kind": "town", "geonameid": 1215957,
          "lat": 37.22417, "lon": 67.27833}  # fmt: skip


def test_the_form_sets_the_place_and_a_cleared_place_takes_its_precision_and_note_with_it() -> None:
    kept = {"place": "khujand", "place_precision": 1, "place_note": "Second city."}
    chosen = event_from_form(id="e1", date="2011", date_note="", title="T", summary="S.", actor="KAZ", target=None,
                             countries=["KAZ"], location="", event_type="verbal_cooperation", stance=1,
                             sources=[{"article": "a1", "quote": "Q"}], kept=kept,
                             place={"place": "astana", "place_precision": 2, "place_note": " Near Astana. "})  # fmt: skip
    assert (chosen["place"], chosen["place_precision"], chosen["place_note"]) == ("astana", 2, "Near Astana.")
    cleared = event_from_form(id="e1", date="2011", date_note="", title="T", summary="S.", actor="KAZ", target=None,
                              countries=["KAZ"], location="", event_type="verbal_cooperation", stance=1,
                              sources=[{"article": "a1", "quote": "Q"}], kept=kept,
                              place={"place": None, "place_precision": 1, "place_note": "Second city."})  # fmt: skip
    assert (cleared["place"], cleared["place_precision"], cleared["place_note"]) == (None, None, None)


def test_only_accepted_events_that_still_use_a_proposed_new_place_add_it_once(data_dir) -> None:
    from lib.model.load import load_dataset
    from lib.reading.curate import Proposal, new_places

    ds = load_dataset(data_dir)
    at_termez = {"id": "x", "place": "termez", "place_precision": 1}
    proposals = [
        Proposal(at_termez, "accepted", new_place=TERMEZ),
        Proposal({**at_termez, "id": "y"}, "accepted", new_place=TERMEZ),  # the same place, proposed twice
        Proposal({**at_termez, "id": "z", "place": None}, "accepted", new_place=TERMEZ),  # the curator cleared it
        Proposal({**at_termez, "id": "w"}, "rejected", new_place={**TERMEZ, "id": "termez-2"}),
        Proposal({**at_termez, "id": "v"}, "proposed", new_place={**TERMEZ, "id": "termez-3"}),
    ]
    assert new_places(proposals, ds) == [TERMEZ]


def test_an_events_place_is_checked_against_the_known_and_the_proposed_new_places(data_dir) -> None:
    from lib.model.load import load_dataset
    from lib.reading.curate import event_problems, place_choices
    from tests.conftest import make_events

    ds = load_dataset(data_dir)
    event = {**make_events()[0], "place": "termez", "place_precision": 1}
    assert [p.field for p in event_problems(event, ds)] == ["place"], "not in places.yaml and not proposed"
    in_uzbekistan = event_problems(event, ds, extra_places=[TERMEZ])
    assert [p.field for p in in_uzbekistan] == ["place"] and "not one of the event's countries" in in_uzbekistan[0].message
    assert event_problems({**event, "countries": ["UZB"]}, ds, extra_places=[TERMEZ])[0].field == "countries[0]"
    assert {p.field for p in event_problems({**event, "place_precision": 4}, ds, extra_places=[TERMEZ])} == {"place", "place_precision"}
    assert place_choices(ds, ["KAZ"], TERMEZ) == {"termez": "Termez (town, UZB; new)"}
