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


def test_a_sources_own_date_and_note_survive_an_edit_of_its_quote() -> None:
    dated = {"article": "a1", "quote": " An edited quote. ", "date": "2011-04", "date_note": "This text says April."}
    event = event_from_form(id="e1", date="2011-05", date_note="", title="T", summary="S.", actor="KAZ", target=None,
                            countries=["KAZ"], location="", event_type="verbal_cooperation", stance=1,
                            sources=[dated, {"article": "a2", "quote": "Q"}], kept={})  # fmt: skip
    assert event["sources"] == [{"article": "a1", "quote": "An edited quote.", "date": "2011-04",
                                 "date_note": "This text says April."}, {"article": "a2", "quote": "Q"}]  # fmt: skip


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


# --- issue 19: colours, null fields, code spans, reference additions ---------------------------------

ACTORS_YAML = """# minor actors share the neutral #DDDDDD. The palette:
#   #CC6677 #332288 #DDCC77
actors:
  - id: a
    colour: '#CC6677'
"""


def test_the_palette_leaves_out_the_neutral_a_comment_names_and_the_proposal_is_unused() -> None:
    from lib.reading.curate import colour_choices, next_colour, palette

    assert palette(ACTORS_YAML) == ["#CC6677", "#332288", "#DDCC77"], "the neutral is not a main colour"
    assert next_colour(palette(ACTORS_YAML), ["#cc6677"]) == "#332288"
    used = ["#CC6677", "#332288", "#DDCC77", "#DDDDDD"]
    beyond = next_colour(palette(ACTORS_YAML), used)
    assert beyond.upper() not in used and beyond != "#DDDDDD", "the palette used up: a generated, unused colour"
    assert next_colour([], [beyond, *used]) not in {beyond, *used}
    assert colour_choices(palette(ACTORS_YAML), ["#CC6677"]) == ["#332288", "#DDCC77", "#DDDDDD"]


def test_two_actors_sharing_a_colour_are_refused_unless_both_are_the_neutral(tmp_path) -> None:
    from lib.model.load import load_dataset
    from tests.conftest import ACTORS, write_data_dir

    grey = [{**a, "colour": "#DDDDDD"} for a in ACTORS]
    assert not [p for p in load_dataset(write_data_dir(tmp_path / "grey", actors=grey)).problems if p.field == "colour"]
    shared = [ACTORS[0], {**ACTORS[1], "colour": ACTORS[0]["colour"].lower()}, ACTORS[2]]
    problems = [p for p in load_dataset(write_data_dir(tmp_path / "shared", actors=shared)).problems if p.field == "colour"]
    assert len(problems) == 1 and problems[0].is_error and problems[0].record == "actor 'KAZ'"
    assert "actor 'taliban'" in problems[0].message


def test_a_save_refuses_two_actors_sharing_a_colour(tmp_path, monkeypatch) -> None:
    from lib.model import store
    from lib.reading.curate import Plan, actor_record, changes
    from tests.conftest import write_data_dir

    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    folder = write_data_dir(tmp_path / "data")
    plan = Plan(actors=[actor_record(id="CHN", name="China", kind="state", country=None, colour="#CC6677")])
    problems = store.save(folder, changes(folder, plan), store.read_state(folder))
    assert problems and "already the colour of actor 'taliban'" in problems[0].message


def test_a_saved_event_carries_no_null_optional_field(tmp_path) -> None:
    import yaml

    from lib.reading.curate import Plan, changes, without_nulls
    from tests.conftest import write_data_dir

    event = _form(place="khujand", place_precision=1)
    event = event_from_form(id="e9", date="2011", date_note="", title="T", summary="S.", actor="KAZ", target=None,
                            countries=["KAZ"], location="", event_type="verbal_cooperation", stance=0,
                            sources=[{"article": "mt-2011", "quote": "Q"}], kept=event, place={"place": ""})  # fmt: skip
    assert event["place"] is None and event["target"] is None, "the form's own record still has every key"
    folder = write_data_dir(tmp_path / "data")
    text = changes(folder, Plan(events=[event]))["events.yaml"]
    saved = yaml.safe_load(text)["events"][-1]
    assert saved["id"] == "e9" and None not in saved.values()
    assert not {"place", "place_precision", "place_note", "target", "date_note", "location"} & set(saved)
    assert without_nulls({"id": "x", "date": None}) == {"id": "x", "date": None}, "required fields are kept"


def test_a_code_span_shows_a_file_name_without_backslashes() -> None:
    from lib.model.filters import code_span

    assert code_span("articles/outlet-2000-a_b.md") == "`articles/outlet-2000-a_b.md`"
    assert code_span("a`b") == "``a`b``" and code_span("`x") == "`` `x ``"


def test_a_country_is_checked_with_pycountry_and_the_base_map(data_dir) -> None:
    from lib.model.load import load_dataset
    from lib.reading.additions import country_problems, country_record, has_outline

    ds = load_dataset(data_dir)
    china = country_record(iso3="chn", region="East Asia", capital="Beijing")
    assert china == {"iso3": "CHN", "name": "China", "region": "East Asia", "central_asia": False, "capital": "Beijing"}
    assert country_problems(china, ds) == [] and has_outline("CHN")
    assert "not an ISO 3166-1" in country_problems(country_record(iso3="XQZ", name="X", region="Europe"), ds)[0].message
    assert "already" in country_problems(country_record(iso3="KAZ", region="Central Asia"), ds)[0].message
    assert country_problems(china, ds, ["CHN"])[0].field == "iso3"


def test_a_place_in_any_country_comes_from_the_gazetteer(data_dir) -> None:
    from lib.model.load import load_dataset
    from lib.reading.additions import place_candidates, place_problems, place_record

    ds = load_dataset(data_dir)
    beijing = place_record(place_candidates("Beijing")[0])
    assert (beijing["id"], beijing["country"], beijing["geonameid"]) == ("beijing", "CHN", 1816670)
    assert "add the country first" in place_problems(beijing, ds)[0].message
    assert place_problems(beijing, ds, countries=["CHN"]) == []
    assert place_problems({**beijing, "lat": 10.0}, ds, countries=["CHN"])[0].is_error


def test_a_period_must_not_overlap_nor_end_before_it_starts() -> None:
    from lib.reading.additions import period_problems, period_record

    existing = [{"id": "p1", "start": "2010-01-01", "end": "2011-12-31"}]
    ok = period_record(id="p2", label="P2", start="2012-01-01", end="2014-12-31", description=" A  b ")
    assert ok["description"] == "A b" and period_problems(ok, existing) == []
    assert "overlaps period 'p1'" in period_problems({**ok, "start": "2011-12-31"}, existing)[0].message
    assert "before it starts" in period_problems({**ok, "end": "2011-01-01"}, existing)[0].message
    assert period_problems({**ok, "id": "p1"}, existing)[0].field == "id"
    assert "YYYY-MM-DD" in period_problems({**ok, "start": "2012"}, existing)[0].message
