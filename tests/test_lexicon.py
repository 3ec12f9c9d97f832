"""The drafter's lexicon: valid, CAMEO-consistent, and matched by whole words and phrases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lib.reading.lexicon import check_lexicon, load_lexicon, words_of

ROOT = Path(__file__).resolve().parent.parent


def test_the_lexicon_covers_the_four_quad_classes_with_codebook_stances(lexicon) -> None:
    by_type = {}
    for entry in lexicon.lexicon.verbs:
        by_type.setdefault(entry.event_type, set()).add(entry.stance)
    assert set(by_type) == {"verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"}
    assert by_type["material_conflict"] == {-2} and by_type["verbal_conflict"] == {-1}
    assert min(by_type["verbal_cooperation"]) >= 0 and min(by_type["material_cooperation"]) >= 1


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("The Taliban has warned Kazakhstan", "threaten"),
        ("accused Tajikistan of", "accuse"),
        ("Putin proposed direct talks", "propose"),
        ("pledged allegiance to the late leader", "allegiance"),
        ("fighting in Syria under the command of Jabhat", "fight"),
        ("under the command of Jabhat", "fight-under-command"),
        ("held a series of meetings with", "consult"),
        ("a senior politician visited Astana", "visit"),
        ("suicide car bombers attacked a police station", "assault"),
        ("allowing NATO countries to ship cargo", "transit"),
        ("one of the main sponsors of the Northern Alliance", "aid"),
    ],
)
def test_triggers_are_found_as_whole_words(lexicon, text: str, entry: str) -> None:
    assert entry in [e.id for _, _, e in lexicon.find_triggers(text)]


def test_words_are_not_matched_inside_other_words(lexicon) -> None:
    assert lexicon.find_triggers("the metallurgy of basements") == []
    assert lexicon.find_triggers("for several reasons") == [], "'sever' is not a prefix of 'several'"


def test_possessives_and_curly_apostrophes_are_words_too() -> None:
    assert [w[2] for w in words_of("the movement’s men")] == ["the", "movement", "men"]


def test_back_references_take_up_to_two_words_after_the() -> None:
    compiled, _ = load_lexicon(ROOT / "data")
    text = "representatives of the radical Muslim organisation and the movement"
    assert [(text[s:e], kinds) for s, e, kinds in compiled.find_references(text)] == [
        ("the radical Muslim organisation", ("armed_group",)),
        ("the movement", ("armed_group",)),
    ]


def test_problems_are_located_and_all_reported() -> None:
    document = yaml.safe_load((ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    document["verbs"][0]["cameo"] = "18"  # an assault code on a cooperation entry
    document["verbs"][1]["stance"] = -1  # a negative stance on cooperation
    document["verbs"][2]["words"].append(document["verbs"][3]["words"][0])  # a word listed twice
    lexicon, problems = check_lexicon(document, "data/lexicon.yaml")
    assert lexicon is None
    messages = [str(p) for p in problems]
    first, second, third = (document["verbs"][i]["id"] for i in range(3))
    assert any(f"verb '{first}' field 'cameo'" in m for m in messages), messages
    assert any(f"verb '{second}' field 'stance'" in m for m in messages), messages
    fourth = document["verbs"][3]["id"]
    assert any(f"verb '{fourth}' field 'words[0]'" in m and f"already listed under verb '{third}'" in m for m in messages), messages


def test_a_schema_error_names_the_field() -> None:
    _, problems = check_lexicon({"verbs": [{"id": "x", "cameo": "04", "event_type": "talks", "stance": 1,
                                            "title": "t", "words": ["meet"]}]}, "lexicon.yaml")  # fmt: skip
    assert problems and "verbs[0].event_type" in str(problems[0])


def test_a_folder_without_a_lexicon_uses_the_projects(tmp_path: Path) -> None:
    compiled, problems = load_lexicon(tmp_path)
    assert compiled is not None and problems == []


def test_compiled_lexicon_is_reused_until_the_file_changes(tmp_path: Path) -> None:
    source = (ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8")
    (tmp_path / "lexicon.yaml").write_text(source, encoding="utf-8")
    first, _ = load_lexicon(tmp_path)
    assert load_lexicon(tmp_path)[0] is first
    (tmp_path / "lexicon.yaml").write_text(source.replace("cameo: '05'", "cameo: '18'", 1), encoding="utf-8")
    second, problems = load_lexicon(tmp_path)
    assert second is None and problems


def test_the_validator_reports_lexicon_problems(tmp_path: Path, capsys) -> None:
    from lib.validate import main
    from tests.conftest import write_data_dir

    root = write_data_dir(tmp_path / "data")
    assert main([str(root)]) == 0
    source = (ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8")
    (root / "lexicon.yaml").write_text(source.replace("stance: -2", "stance: 2", 1), encoding="utf-8")
    assert main([str(root)]) == 1
    assert "lexicon.yaml: verb '" in capsys.readouterr().out


# --------------------------------------------------------------------------- overlapping and governing triggers


def _readings(lexicon, text: str) -> list[tuple[str, str]]:
    return [(text[r.start : r.end], r.entry.id) for r in lexicon.read_triggers(text)]


def _tiny_lexicon(words_a: list[str], words_b: list[str]):
    from lib.reading.lexicon import compile_lexicon

    document = {"verbs": [
        {"id": "a", "cameo": "04", "event_type": "verbal_cooperation", "stance": 1, "title": "a", "words": words_a},
        {"id": "b", "cameo": "01", "event_type": "verbal_cooperation", "stance": 1, "title": "b", "words": words_b},
    ]}  # fmt: skip
    lexicon, problems = check_lexicon(document, "lexicon.yaml")
    assert problems == []
    return compile_lexicon(lexicon)


def test_of_overlapping_phrases_the_longer_wins_wherever_it_starts() -> None:
    tiny = _tiny_lexicon(["talks"], ["peace talks"])
    assert _readings(tiny, "they joined peace talks") == [("peace talks", "b")]
    tiny = _tiny_lexicon(["x y"], ["y z w"])
    assert _readings(tiny, "x y z w") == [("y z w", "b")], "a longer match starting later beats a shorter earlier one"


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("Kazakhstan lifted its sanctions on the Taliban", ("lifted", "ease")),
        ("Russia ended its blockade of the pass", ("ended", "ease")),
        ("Tajikistan suspended its ban on Afghan imports", ("suspended", "ease")),
        ("Kazakhstan removed the Taliban from its list of banned organisations", ("removed", "ease")),
        ("Uzbekistan suspended aid to the Taliban", ("suspended", "reduce-relations")),
        ("Turkmenistan halted electricity supplies", ("halted", "reduce-relations")),
        ("Russia proposed direct talks with the Taliban", ("proposed", "propose")),
        ("Tajikistan refused to send troops", ("refused", "reject")),
        ("Dushanbe denied supplying weapons to the rebels", ("denied", "deny")),
        ("Kazakhstan plans to send troops", ("plans to", "intent")),
        ("The Taliban vowed to attack the border posts", ("vowed to", "threaten")),
        ("The foreign ministry condemned the bombing", ("condemned", "accuse")),
        ("Kazakhstan intends to attack the camps", ("intends to", "threaten")),
        ("Uzbekistan eased sanctions on trade", ("eased sanctions", "ease")),
    ],
)
def test_a_trigger_governing_another_is_one_act_read_by_the_governing_word(lexicon, text, reading) -> None:
    assert _readings(lexicon, text) == [reading]


def test_a_governed_reading_says_which_reading_it_replaced(lexicon) -> None:
    (reading,) = lexicon.read_triggers("Kazakhstan lifted its sanctions on the Taliban")
    assert "lifted its sanctions" in reading.note and "'coerce'" in reading.note and "'ease'" in reading.note


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        # weak words govern nothing: the sanction is the act
        ("The ministry announced sanctions on the Taliban", [("announced", "statement"), ("sanctions", "coerce")]),
        # a past form after a noun trigger starts a new act
        ("suicide car bombers attacked a police station", [("bombers", "assault"), ("attacked", "assault")]),
        # a comma, a clause word or a place ends the object
        ("Kazakhstan lifted the ban, and Russia attacked", [("lifted", "ease"), ("attacked", "assault")]),
        ("Russia proposed that the sides meet", [("proposed", "propose"), ("meet", "consult")]),
        ("militants fighting in Syria under the command of the group",
         [("fighting", "fight"), ("under the command of", "fight-under-command")]),
        # a noun governs only through a preposition, not across a verb
        ("The attack drew sharp criticism from Tajikistan", [("attack", "assault"), ("criticism", "accuse")]),
        ("Russia's opposition to the sanctions", [("opposition", "accuse")]),
        # a governor that governs nothing is no act ("ended" alone), unless listed under verbs ("lifted")
        ("The war ended", []),
        ("Uzbekistan lifted restrictions", [("lifted", "ease")]),
    ],
)  # fmt: skip
def test_triggers_not_governed_stay_separate_acts(lexicon, text, readings) -> None:
    assert _readings(lexicon, text) == readings


def test_a_governor_or_modality_naming_an_unknown_verb_entry_is_a_located_problem() -> None:
    document = yaml.safe_load((ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
    document["governing"]["governors"][0]["conflict"] = "easy"
    document["modality"]["refusal"]["cooperation"] = "rejection"
    lexicon, problems = check_lexicon(document, "data/lexicon.yaml")
    messages = [str(p) for p in problems]
    assert lexicon is None
    assert any("field 'conflict'" in m and "'easy'" in m for m in messages), messages
    assert any("refusal.cooperation" in m and "'rejection'" in m for m in messages), messages
