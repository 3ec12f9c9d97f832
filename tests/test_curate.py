"""lib/curate.py: turning the Curate page's forms into data."""

from __future__ import annotations

from lib.curate import event_from_form
from lib.schema import Event


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
