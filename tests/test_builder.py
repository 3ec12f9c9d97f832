"""Building a briefing in the app: add views and events, edit them, and get the YAML a person would save."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from lib.model.briefings import parse_briefing
from lib.model.load import load_dataset
from tests.conftest import write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "kaz.yaml", {"title": "Saved one", "slides": [{"heading": "All", "page": "map"}]})
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    return root


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def draft(at: AppTest) -> dict:
    return at.session_state["briefing_draft"]


def test_a_view_and_an_event_added_on_the_pages_become_slides(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["country"] = "KAZ"
    at.run()
    at.query_params["rows"] = "country"
    at.switch_page("app_pages/timeline.py").run()
    button(at, "briefing_add_view").click().run()
    assert not at.exception
    at.switch_page("app_pages/events.py").run()
    at.selectbox(key="events_pick").set_value("taliban-warns-kaz").run()
    button(at, "briefing_add_event_taliban-warns-kaz").click().run()
    slides = [{k: v for k, v in s.items() if k != "uid"} for s in draft(at)["slides"]]
    assert slides == [
        {"heading": "Timeline: Kazakhstan", "page": "timeline", "query": "country=KAZ&rows=country"},
        {"heading": "Taliban warn Kazakhstan", "event": "taliban-warns-kaz"},
    ]


def test_the_editor_reorders_retitles_annotates_removes_and_the_yaml_validates(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": "New briefing", "subtitle": "", "audience": "", "slides": [
        {"heading": "One", "page": "overview", "uid": "a"},
        {"heading": "Two", "event": "kaz-votes-isaf", "uid": "b"},
        {"heading": "Three", "page": "map", "query": "metric=stance", "uid": "c"},
    ]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    assert not at.exception
    at.text_input(key="draft_title").set_value("The vote").run()
    button(at, "draft_up_b").click().run()
    at.text_input(key="draft_heading_a").set_value("Everything").run()
    at.text_area(key="draft_notes_b").set_value("Say when it happened.").run()
    button(at, "draft_remove_c").click().run()
    assert not at.exception
    data = draft(at)
    assert data["title"] == "The vote"
    assert [(s["heading"], s.get("notes")) for s in data["slides"]] == [("Two", "Say when it happened."), ("Everything", "")]
    assert not at.warning, [w.value for w in at.warning]
    from lib.model.briefings import briefing_yaml
    from lib.ui.builder import as_data

    text = briefing_yaml(as_data(data))
    briefing, problems = parse_briefing(text, "x", "x", load_dataset(folder))
    assert problems == [] and [s.heading for s in briefing.slides] == ["Two", "Everything"]
    assert yaml.safe_load(text)["slides"][0] == {"heading": "Two", "event": "kaz-votes-isaf", "notes": "Say when it happened."}


def test_an_empty_heading_is_a_problem_shown_before_download(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": "T", "subtitle": "", "audience": "",
                                          "slides": [{"heading": "One", "page": "overview", "uid": "a"}]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    at.text_input(key="draft_heading_a").set_value(" ").run()
    assert at.warning and "slides[0].heading" in at.warning[0].value.replace("\\", "")


def test_a_saved_briefing_can_be_loaded_into_the_editor(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/briefings.py").run()
    at.selectbox(key="draft_source").set_value("kaz").run()
    button(at, "draft_load").click().run()
    assert at.text_input(key="draft_title").value == "Saved one"
    assert [s["heading"] for s in draft(at)["slides"]] == ["All"]
    assert draft(at)["id"] == "kaz"


def editing(folder: Path, title: str = "The vote") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": title, "subtitle": "", "audience": "",
                                          "slides": [{"heading": "One", "event": "kaz-votes-isaf", "uid": "a"}]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    assert not at.exception
    return at


def test_outside_curation_mode_there_is_no_save_and_nothing_is_written(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_CURATE", raising=False)
    at = editing(folder)
    assert not [b for b in at.button if b.key == "draft_save"]
    assert sorted(p.name for p in (folder / "briefings").iterdir()) == ["kaz.yaml"]


def test_in_curation_mode_the_draft_is_saved_validated_into_the_briefings_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = editing(folder)
    button(at, "draft_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = folder / "briefings" / "the-vote.yaml"
    assert saved.is_file()
    ds = load_dataset(folder)
    assert [s.heading for s in ds.briefings["the-vote"].slides] == ["One"] and ds.problems == []


def test_in_curation_mode_a_file_created_meanwhile_is_not_overwritten(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = editing(folder)
    other = {"title": "Someone else's", "slides": [{"heading": "Theirs", "page": "map"}]}
    write_yaml(folder / "briefings" / "the-vote.yaml", other)
    button(at, "draft_save").click().run()
    assert yaml.safe_load((folder / "briefings" / "the-vote.yaml").read_text(encoding="utf-8")) == other
    assert yaml.safe_load((folder / "briefings" / "the-vote-2.yaml").read_text(encoding="utf-8"))["title"] == "The vote"


def test_in_curation_mode_a_briefing_changed_on_disk_while_edited_is_not_overwritten(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/briefings.py").run()
    at.selectbox(key="draft_source").set_value("kaz").run()
    button(at, "draft_load").click().run()
    theirs = {"title": "Changed by an editor", "slides": [{"heading": "Theirs", "page": "map"}]}
    write_yaml(folder / "briefings" / "kaz.yaml", theirs)
    at.text_input(key="draft_title").set_value("Mine").run()
    button(at, "draft_save").click().run()
    assert at.error and "kaz.yaml" in at.error[0].value.replace("\\", "") and "nothing was saved" in at.error[0].value
    assert yaml.safe_load((folder / "briefings" / "kaz.yaml").read_text(encoding="utf-8")) == theirs


def test_a_new_draft_never_takes_the_file_of_a_saved_briefing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    at = editing(folder, title="Kaz")
    button(at, "draft_save").click().run()
    assert (folder / "briefings" / "kaz-2.yaml").is_file()
    assert yaml.safe_load((folder / "briefings" / "kaz.yaml").read_text(encoding="utf-8"))["title"] == "Saved one"
