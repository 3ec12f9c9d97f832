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


# --- "Add this view" reads the view when it is clicked (issue 21) -------------------------------------------


def slides_of(at: AppTest) -> list[dict]:
    return [{k: v for k, v in s.items() if k != "uid"} for s in draft(at)["slides"]]


def on_page(page: str, **query: str) -> AppTest:
    """A new session (a page load) whose URL holds `query`, on `page`."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_a_page_option_chosen_in_the_same_run_as_the_click_is_in_the_slide(folder: Path) -> None:
    at = on_page("timeline")
    at.radio(key="page_rows").set_value("country")
    button(at, "briefing_add_view").click()
    at.run()  # one run: the option and the click reach the server together
    assert not at.exception
    assert slides_of(at) == [{"heading": "Timeline: All events", "page": "timeline", "query": "rows=country"}]


def test_the_issues_sequence_rows_then_a_stance_target_then_add(folder: Path) -> None:
    """Rows = Country on the timeline, then a stance target of Kazakhstan, then Add (the old code lost the target)."""
    at = on_page("timeline")
    at.radio(key="page_rows").set_value("country").run()
    button(at, "briefing_add_view").click().run()
    at.switch_page("app_pages/stance.py").run()
    at.selectbox(key="page_target").set_value("KAZ").run()
    button(at, "briefing_add_view").click().run()
    assert not at.exception
    assert [s.get("query") for s in slides_of(at)] == ["rows=country", "target=KAZ"]
    # and the target chosen in the very run of the click, with the direction
    at.selectbox(key="page_target").set_value("nato_isaf")
    at.radio(key="page_dir").set_value("from")
    button(at, "briefing_add_view").click()
    at.run()
    assert slides_of(at)[-1]["query"] == "target=nato_isaf&dir=from"


def test_a_sidebar_filter_changed_in_the_same_run_as_the_click_is_in_the_slide(folder: Path) -> None:
    at = on_page("map")
    at.multiselect(key="filter_countries").select("KAZ")
    at.selectbox(key="page_metric").set_value("stance")
    button(at, "briefing_add_view").click()
    at.run()
    assert slides_of(at) == [{"heading": "Regional map: Kazakhstan", "page": "map", "query": "country=KAZ&metric=stance"}]


def test_the_event_chosen_in_the_chart_follows_the_view_as_its_own_slide(folder: Path) -> None:
    at = on_page("timeline")
    at.selectbox(key="timeline_pick").set_value("taliban-warns-kaz").run()
    button(at, "briefing_add_view").click().run()
    assert slides_of(at) == [{"heading": "Timeline: All events", "page": "timeline"},
                             {"heading": "Taliban warn Kazakhstan", "event": "taliban-warns-kaz"}]  # fmt: skip


def test_add_this_view_comes_first_in_the_sidebar(folder: Path) -> None:
    at = on_page("timeline")
    keys = [getattr(node, "key", None) for node in at.sidebar]
    assert keys.index("briefing_add_view") < keys.index("filter_countries")


# --- the editor: slides in words, reorder by number, no warning when empty -------------------------------------


def test_the_slide_list_shows_each_slide_in_words_not_urls(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": "T", "subtitle": "", "audience": "", "slides": [
        {"heading": "One", "event": "kaz-votes-isaf", "uid": "a"},
        {"heading": "Rows", "page": "timeline", "query": "country=KAZ,AFG&from=2010&to=2011&rows=country", "uid": "t"},
    ]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "Timeline — Kazakhstan, Afghanistan · 2010–2011 · one row per country" in text.replace("\\", "")
    assert "Event — 18 May 2011 · Kazakh parliament votes to send troops to ISAF" in text.replace("\\", "")
    assert "?" not in text and "query" not in text


def test_present_and_the_downloads_come_before_the_slides_so_no_one_scrolls_past_them(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": "T", "subtitle": "", "audience": "", "slides": [
        {"heading": h, "event": "kaz-votes-isaf", "uid": h} for h in "abcd"]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    assert not at.exception
    keys = [getattr(node, "key", None) for node in at.main]
    assert keys.index("draft_yaml") < keys.index("draft_pos_a"), keys
    assert [h.value for h in at.main.header] == ["Present, save or hand out", "Slides"]
    at.text_input(key="draft_heading_d").set_value("").run()  # an edit in this run is judged in this run
    assert "Fix these before presenting or downloading" in at.warning[0].value


def test_a_slide_moves_to_the_position_chosen_by_number(folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.session_state["briefing_draft"] = {"id": None, "title": "T", "subtitle": "", "audience": "", "slides": [
        {"heading": h, "page": "overview", "uid": h} for h in ("a", "b", "c", "d")]}  # fmt: skip
    at.switch_page("app_pages/briefings.py").run()
    at.selectbox(key="draft_pos_d").set_value(1).run()
    assert [s["heading"] for s in draft(at)["slides"]] == ["d", "a", "b", "c"]
    assert [at.selectbox(key=f"draft_pos_{h}").value for h in "dabc"] == [1, 2, 3, 4]
    button(at, "draft_down_d").click().run()  # Up and Down still work
    assert [s["heading"] for s in draft(at)["slides"]] == ["a", "d", "b", "c"]


def test_an_empty_draft_shows_no_warning_and_no_downloads(folder: Path) -> None:
    at = on_page("briefings")
    assert not at.warning, [w.value for w in at.warning]
    assert not [b for b in at.get("download_button")]


# --- the draft in the URL: a reload keeps it; present it unsaved ------------------------------------------------


def test_the_draft_survives_a_reload_through_the_url(folder: Path) -> None:
    at = on_page("timeline", country="KAZ")
    at.radio(key="page_rows").set_value("country").run()
    button(at, "briefing_add_view").click().run()
    packed = at.query_params["draft"]
    packed = packed if isinstance(packed, str) else packed[0]
    assert packed
    reloaded = on_page("briefings", draft=packed)
    assert [{k: v for k, v in s.items() if v} for s in slides_of(reloaded)] == [
        {"heading": "Timeline: Kazakhstan", "page": "timeline", "query": "country=KAZ&rows=country"}]
    assert not reloaded.warning


def _packed(slides: list[dict], title: str = "Draft deck") -> str:
    from lib.model.briefings import draft_param

    return draft_param({"title": title, "slides": slides})


def test_the_draft_is_presented_from_the_url_without_writing_anything(folder: Path) -> None:
    before = sorted(p.name for p in (folder / "briefings").iterdir())
    at = on_page("present", draft=_packed([{"heading": "The vote", "event": "kaz-votes-isaf"},
                                           {"heading": "Everything", "page": "timeline", "query": "rows=country"}]),
                 slide="2")  # fmt: skip
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Everything"
    name = at.query_params["briefing"]
    name = name if isinstance(name, str) else name[0]
    assert name.startswith("draft.")
    assert sorted(p.name for p in (folder / "briefings").iterdir()) == before
    # another window of the same presentation (the presenter view's link carries no draft=) finds it by name
    other = on_page("present", briefing=name, slide="1", view="presenter")
    assert not other.error and other.title[0].value == "The vote"


def test_a_draft_that_does_not_validate_is_refused_with_its_problems(folder: Path) -> None:
    at = on_page("present", draft=_packed([{"heading": "Gone", "event": "no-such-event"}]))
    assert at.error and "no-such-event" in at.error[0].value.replace("\\", "")
    bad = on_page("present", draft="not-a-draft")
    assert bad.error and "could not be read" in bad.error[0].value


def test_the_briefings_page_opens_like_the_dashboard_pages(folder: Path) -> None:
    """Its title sat 50 px lower than every other page's: it did not send the pages' style (title size, top padding)."""
    from lib.ui.render import PAGE_CSS

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/briefings.py").run()
    assert not at.exception
    assert any(h.proto.body == PAGE_CSS for h in at.get("html")), "the page's style element"
    assert at.title[0].value == "Briefings"
