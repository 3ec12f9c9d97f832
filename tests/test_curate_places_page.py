"""The Curate page and places (AppTest, curation mode): a draft shows the place the drafter proposes; accepting
it adds a new place to places.yaml in the same validated save as the event; the curator can clear the place
or choose a known place of the event's countries instead, and then places.yaml is not touched."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import write_keep_all_ranker, write_yaml
from tests.test_curate_page import enter_article, open_curate, statuses, stored_hashes, submit

BODY = "Taliban fighters attacked border guards near Khorog in Tajikistan on Monday, officials said."
KHUJAND = {"id": "khujand", "name": "Khujand", "country": "TJK", "kind": "town", "geonameid": 1514879,
           "lat": 40.28256, "lon": 69.62216}  # fmt: skip


@pytest.fixture
def curating(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    return folder


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from tests.conftest import write_data_dir

    root = write_data_dir(tmp_path / "data")
    write_yaml(root / "places.yaml", {"places": [KHUJAND]})
    write_keep_all_ranker(root)  # these tests are about the draft's place, not about the ranker's threshold
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    return root


def _attack_card(at) -> int:
    """The index of the draft of the attack near Khorog."""
    quotes = [m.value for m in at.markdown if m.value.startswith("> ")]
    return next(i for i, q in enumerate(quotes) if "Khorog" in q)


def _texts(at) -> list[str]:
    return [m.value.replace("\\", "") for m in [*at.markdown, *at.caption]]


def test_a_drafts_proposed_new_place_is_shown_and_saved_with_the_event(curating: Path) -> None:
    at = open_curate()
    enter_article(at, body=BODY, title="Taliban Attack Near Khorog")
    texts = _texts(at)
    assert any(t.startswith("Place: Khorog (town, TJK), precision 2") and "New: added to places.yaml" in t for t in texts)
    assert any("Read from “near Khorog”" in t for t in texts), "the place note says how the place was found"
    index = _attack_card(at)
    at.button(key=f"curate_accept_{index}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert statuses(at)[index] == "**Accepted**"
    assert any("1 new place added to `places.yaml` (Khorog)" in m.value.replace("\\", "") for m in at.markdown)
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    assert any("and 1 new place" in s.value for s in at.success)
    places = yaml.safe_load((curating / "places.yaml").read_text(encoding="utf-8"))["places"]
    assert [p["id"] for p in places] == ["khujand", "khorog"] and places[1]["geonameid"] == 1221328
    saved = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"][-1]
    assert (saved["place"], saved["place_precision"]) == ("khorog", 2)


@pytest.mark.parametrize(("choice", "expected"), [("", (None, None)), ("khujand", ("khujand", 1))])
def test_the_curator_clears_the_place_or_chooses_a_known_one_and_places_yaml_is_untouched(
    curating: Path, choice: str, expected: tuple
) -> None:
    at = open_curate()
    enter_article(at, body=BODY, title="Taliban Attack Near Khorog")
    index = _attack_card(at)
    at.button(key=f"curate_edit_{index}").click().run()
    form = f"curate_form_{index}"
    place = at.selectbox(key=f"{form}_place")
    assert set(place.options) >= {"Khujand (town, TJK)", "Khorog (town, TJK; new)"}, "known places of TJK and the new one"
    place.set_value(choice)
    at.selectbox(key=f"{form}_place_precision").set_value(1)
    places_before = (curating / "places.yaml").read_bytes()
    submit(at, "Accept with these changes")
    assert not at.error, [e.value for e in at.error]
    assert not any("new place" in m.value for m in at.markdown), [m.value for m in at.markdown if "new place" in m.value]
    submit(at, "Save to the data folder")
    assert not at.error, [e.value for e in at.error]
    saved = yaml.safe_load((curating / "events.yaml").read_text(encoding="utf-8"))["events"][-1]
    assert (saved.get("place"), saved.get("place_precision")) == expected
    assert (curating / "places.yaml").read_bytes() == places_before


def test_a_precision_that_does_not_fit_the_place_is_not_accepted(curating: Path) -> None:
    at = open_curate()
    enter_article(at, body=BODY, title="Taliban Attack Near Khorog")
    index = _attack_card(at)
    at.button(key=f"curate_edit_{index}").click().run()
    at.selectbox(key=f"curate_form_{index}_place_precision").set_value(4)
    before = stored_hashes(curating)
    submit(at, "Accept with these changes")
    assert any("4 (province) does not fit 'Khorog', a town" in e.value.replace("\\", "") for e in at.error)
    assert statuses(at)[index] == "**Proposed: not saved unless accepted**" and stored_hashes(curating) == before
