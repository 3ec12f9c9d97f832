"""Negation and modality: a negated, hypothetical or conditional act is not drafted, a bare prediction
neither; a plan reported as said and a refusal are re-read as the actor's statement (CODEBOOK.md 2)."""

from __future__ import annotations

import pytest

from lib.reading.modality import qualifiers, qualify


def marks(lexicon, text: str) -> list[tuple[str, str | None]]:
    readings = lexicon.read_triggers(text)
    return [(text[r.start : r.end], q.kind if q else None) for r, q in zip(readings, qualifiers(text, readings, lexicon))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kazakhstan has not recognised the Taliban government.", [("recognised", "negated")]),
        ("Uzbekistan never sent troops to Afghanistan.", [("sent troops", "negated")]),
        ("Russia didn't attend the meeting.", [("attend", "negated")]),  # attending is an act (consult) since round 4
        ("No state has recognised the Taliban.", [("recognised", "negated")]),
        ("Kazakhstan will send troops to Afghanistan.", [("send troops", "future")]),
        ("The first contingent would be going in June.", [("contingent", "future")]),
        ("Russia could send troops.", [("send troops", "hypothetical")]),
        ("Astana acted without Moscow's approval.", [("approval", "negated")]),
        ("Astana would have approved the plan.", [("approved", "hypothetical")]),
        ("Turkmenistan may join the talks.", [("join", "hypothetical")]),
        ("But if Kazakhstan starts sending troops to Afghanistan in 2012, it will matter.",
         [("sending troops", "conditional")]),
        ("Uzbekistan did not say whether it would recognise the Taliban.",
         [("say", "negated"), ("recognise", "conditional")]),
        ("Tajikistan will not recognise the Taliban.", [("recognise", "refusal")]),
        ("The Taliban pledged that they would not attack Uzbekistan.", [("pledged", None), ("attack", "refusal")]),
        # only what the cue governs in its clause
        ("Kazakhstan did not attend, but it sent troops.", [("attend", "negated"), ("sent troops", None)]),
        ("Kazakhstan not only met the Taliban but also signed a deal.", [("met", None), ("signed", None)]),
        # the month and a name are not cues
        ("In May Kazakhstan sent troops.", [("sent troops", None)]),
        ("The envoy Will Smith met them.", [("met", None)]),
    ],
)  # fmt: skip
def test_cues_qualify_the_act_they_govern(lexicon, text: str, expected) -> None:
    assert marks(lexicon, text) == expected


def read(lexicon, text: str) -> list[tuple[str, str]]:
    return [(text[r.start : r.end], r.entry.id) for r in qualify(text, lexicon.read_triggers(text), lexicon)]


def test_negated_hypothetical_and_conditional_acts_and_bare_predictions_are_left_out(lexicon) -> None:
    for text in [
        "Kazakhstan has not recognised the Taliban government.",
        "Russia could send troops.",
        "If Kazakhstan starts sending troops, nothing changes.",
        "Moscow will demand guarantees.",  # the article's own prediction (CODEBOOK.md 2)
    ]:
        assert read(lexicon, text) == [], text


def test_a_plan_reported_as_said_is_the_actors_stated_intention(lexicon) -> None:
    text = "Russia said on Tuesday it would supply wheat to the Taliban."
    readings = qualify(text, lexicon.read_triggers(text), lexicon)
    assert [(text[r.start : r.end], r.entry.id) for r in readings] == [("said", "statement"), ("supply", "intent")]
    note = readings[1].note
    assert "would … supply" in note and "'aid'" in note and "delete" in note
    assert read(lexicon, "The Taliban said they will attack the posts.") == [("said", "statement"), ("attack", "threaten")]


def test_a_negated_plan_is_a_refusal_or_an_assurance(lexicon) -> None:
    assert read(lexicon, "Tajikistan said it would not recognise the Taliban.") == [
        ("said", "statement"),
        ("recognise", "reject"),
    ]
    assert read(lexicon, "The Taliban pledged that they would not attack Uzbekistan.") == [
        ("pledged", "propose"),
        ("attack", "intent"),
    ]


def test_refusals_and_denials_are_acts_of_their_own(lexicon) -> None:
    assert read(lexicon, "Tajikistan refused to send troops.") == [("refused", "reject")]
    assert read(lexicon, "Dushanbe declined to join the talks.") == [("declined to", "reject")]
    assert read(lexicon, "Tajikistan denied supplying weapons.") == [("denied", "deny")]


def test_without_a_modality_section_every_act_stands(lexicon) -> None:
    from lib.reading.lexicon import compile_lexicon

    bare = compile_lexicon(lexicon.lexicon.model_copy(update={"modality": None}))
    text = "Kazakhstan has not recognised the Taliban."
    assert read(bare, text) == [("recognised", "diplomatic-cooperation")]
    assert qualifiers(text, bare.read_triggers(text), bare) == [None]
