"""The presentation page under AppTest: the slide the URL names, navigation (buttons and the key handler's data), clear errors."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.errors import DashboardError
from lib.exports.slides import slide_number
from lib.ui.chart_element import NAME as CHART_ELEMENT
from lib.ui.chart_element import drawn_charts
from tests.conftest import make_events, write_data_dir, write_yaml

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = {
    "title": "Kazakhstan and ISAF",
    "slides": [
        {
            "heading": "The year by country",
            "page": "timeline",
            "query": "country=KAZ&rows=country",
            "notes": "Say this.",
        },
        {"heading": "The warning", "event": "taliban-warns-kaz"},
        {"heading": "Where", "page": "map"},
    ],
}


@pytest.fixture(autouse=True)
def rooms_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own rooms file (they are shared by every process that names the same one)."""
    path = tmp_path / "rooms.sqlite"
    monkeypatch.setenv("DASHBOARD_ROOMS", str(path))
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "kaz.yaml", BRIEFING)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    return root


def present(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("app_pages/present.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def heading(at: AppTest) -> str:
    return at.title[0].value.replace("\\", "")


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def press(at: AppTest, step: int | str, to: int | None = None) -> None:
    """What a key, an on-screen button or the slide list does in the browser (lib.ui.slide_keys answers each as
    a numbered press "from the slide shown"), then the run that follows: the page shows the room's slide."""
    from lib.ui import rooms
    from lib.ui.slide_keys import target_of

    data = keys_data(at)
    target = target_of({"from": data["slide"], "step": step, "to": to}, data["last"])
    assert target is not None, (step, to)
    seq = at.session_state["test_presses"] + 1 if "test_presses" in at.session_state else 1
    at.session_state["test_presses"] = seq
    assert rooms.press(at.query_params["briefing"], at.query_params["room"], "apptest", seq, target)
    at.run()


def keys_data(at: AppTest) -> dict:
    """What the page gives its key handler (lib.ui.slide_keys), which also draws the counter."""
    (handler,) = [e for e in at.get("bidi_component") if e.proto.component_name != CHART_ELEMENT]
    return json.loads(handler.proto.json)


def test_a_slide_shows_its_heading_counter_briefing_title_and_chart(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "1"})
    assert heading(at) == "The year by country"
    # slide 1, the title slide, also says whether the briefing shows unreviewed events (issue 22)
    assert keys_data(at)["title"] == "Kazakhstan and ISAF · Reviewed events only"
    assert keys_data(at)["counter"] == "Slide 1 of 3"
    (chart,) = drawn_charts(at)
    spec = chart.spec
    # the chart's title and filters are a line of the slide above it: the figure keeps its space for the plot
    assert not spec["layout"]["title"].get("text")
    (line,) = [m.value for m in at.markdown if m.value.startswith("Timeline of events by country")]
    assert "Kazakhstan" in line
    assert "Say this." not in markdown(at) and not at.expander, "no notes on the audience's window"
    assert not at.sidebar.multiselect, "no filter sidebar while presenting"
    assert at.query_params["room"], "the window has a room for a presenter's window to join"


def test_the_presenter_view_shows_the_notes_the_next_slide_and_every_slide(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "1", "view": "presenter", "room": "r1"})
    assert "Say this." in markdown(at)
    assert "The warning" in markdown(at), "the next slide's heading"
    assert [b.label for b in at.button if b.key.startswith("presenter_goto_")] == [
        "1. The year by country", "2. The warning", "3. Where"]  # fmt: skip
    press(at, "to", 3)  # a click on "3. Where" in the list
    assert at.query_params["slide"] == "3" and heading(at) == "Where"
    assert "End of the briefing" in markdown(at)


def test_a_window_of_the_same_room_follows_the_other(folder: Path) -> None:
    from lib.ui import rooms

    audience = present({"briefing": "kaz", "slide": "1", "room": "r2"})
    presenter = present({"briefing": "kaz", "slide": "1", "view": "presenter", "room": "r2"})
    press(presenter, 1)
    assert presenter.query_params["slide"] == "2"
    assert rooms.get("kaz", "r2").slide == 2
    audience.run()
    assert audience.query_params["slide"] == "2" and heading(audience) == "The warning"
    other = present({"briefing": "kaz", "slide": "1", "room": "r3"})
    assert other.query_params["slide"] == "1", "another room does not move"


def test_the_key_handler_gets_the_clicker_keys_and_the_buttons_add_none_of_their_own(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "2"})
    data = keys_data(at)
    assert data["slide"] == 2 and data["last"] == 3 and data["ack"] == 0
    for key in ("ArrowRight", "PageDown", "ArrowDown"):
        assert data["steps"][key] == 1, key
    for key in ("ArrowLeft", "PageUp", "ArrowUp"):
        assert data["steps"][key] == -1, key
    assert data["steps"]["Home"] == "first" and data["steps"]["End"] == "last"
    assert {"b", "."} <= set(data["blank_keys"])
    assert not any(b.proto.shortcut for b in at.button), "one key handler only: a shortcut would move twice"


def test_a_press_is_a_step_from_the_slide_shown_when_it_was_pressed() -> None:
    from lib.ui.slide_keys import target_of

    assert target_of({"seq": 1, "from": 4, "step": 1}, 9) == 5
    assert target_of({"seq": 1, "from": 4, "step": -1}, 9) == 3
    assert target_of({"seq": 1, "from": 9, "step": 1}, 9) == 10, "one past the last slide: the end screen"
    assert target_of({"seq": 1, "from": 10, "step": 1}, 9) == 10 and target_of({"from": 1, "step": -1}, 9) == 1
    assert target_of({"from": 4, "step": "first"}, 9) == 1 and target_of({"from": 4, "step": "last"}, 9) == 9
    for bad in (None, [], {"from": "4", "step": 1}, {"from": 4, "step": 2}, {"from": True, "step": 1}, {"step": 1}):
        assert target_of(bad, 9) is None, bad
    # a slide chosen by number (the presenter's list; the address's slide on Back/Forward): 1..9 or the end screen
    assert target_of({"from": 4, "step": "to", "to": 7}, 9) == 7 and target_of({"from": 4, "step": "to", "to": 10}, 9) == 10
    for to in (0, 11, "7", True, None):
        assert target_of({"from": 4, "step": "to", "to": to}, 9) is None, to


def test_every_on_screen_button_is_answered_as_a_press_with_the_step_it_shows() -> None:
    """The buttons have no callback: the key component answers their clicks (lib.ui.slide_keys.BUTTONS, by key)."""
    import importlib

    from lib.ui.slide_keys import BUTTONS

    page = importlib.import_module("lib.ui.present")
    assert {key: step for _, key, _, step in page.NAV} == BUTTONS


def test_next_and_previous_move_one_slide_and_keep_it_in_the_url(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "1"})
    press(at, 1)
    assert at.query_params["slide"] == "2" and heading(at) == "The warning"
    press(at, 1)
    assert at.query_params["slide"] == "3" and heading(at) == "Where"
    assert not button(at, "present_next").disabled and button(at, "present_last").disabled  # next: the end screen
    press(at, "first")
    assert at.query_params["slide"] == "1"
    assert button(at, "present_prev").disabled


def test_after_the_last_slide_comes_the_end_screen_and_back(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "3"})
    press(at, 1)
    assert at.query_params["slide"] == "end" and heading(at) == "End of the briefing"
    assert keys_data(at)["counter"] == "End" and keys_data(at)["slide"] == 4
    assert not drawn_charts(at) and button(at, "present_next").disabled
    press(at, -1)
    assert at.query_params["slide"] == "3" and heading(at) == "Where"


def test_an_event_slide_shows_summary_verbatim_quote_citation_and_its_spotlight(folder: Path) -> None:
    at = present({"briefing": "kaz", "slide": "2"})
    text = markdown(at) + "\n".join(c.value for c in at.caption)
    assert "The Taliban warn of severe consequences" in text
    assert "The Taliban has warned Kazakhstan" in text
    assert "Taliban Warns Kazakhstan" in text and "The Moscow Times" in text
    (chart,) = drawn_charts(at)
    spec = chart.spec
    starred = [t for t in spec["data"] if t.get("name") == "This event"]
    assert starred and starred[0]["customdata"][0][2] == "taliban-warns-kaz"


def test_an_event_without_a_target_reads_no_target_on_its_slide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events = make_events()
    events[1] = {**events[1], "target": None, "stance": 0, "event_type": "verbal_cooperation"}
    root = write_data_dir(tmp_path / "data", events)
    (root / "briefings").mkdir()
    write_yaml(root / "briefings" / "kaz.yaml", BRIEFING)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    text = markdown(present({"briefing": "kaz", "slide": "2"}))
    assert "Taliban (no target)" in text and "→ —" not in text


@pytest.mark.parametrize("slide", ["0", "4", "two", "-1"])
def test_a_bad_slide_number_is_a_clear_message(folder: Path, slide: str) -> None:
    at = present({"briefing": "kaz", "slide": slide})
    assert len(at.error) == 1 and "No such slide" in at.error[0].value
    assert "3 slides" in at.error[0].value
    assert not drawn_charts(at)


def test_an_unknown_briefing_is_a_clear_message_listing_the_briefings(folder: Path) -> None:
    at = present({"briefing": "nope", "slide": "1"})
    assert len(at.error) == 1 and "No such briefing" in at.error[0].value and "kaz" in at.error[0].value


def test_without_a_briefing_the_page_lists_them(folder: Path) -> None:
    at = present({})
    assert heading(at) == "Present a briefing" and not at.error


def test_slide_numbers() -> None:
    assert slide_number(None, 3) == 1 and slide_number("3", 3) == 3
    for bad in ("0", "4", "x", "1.5", " "):
        with pytest.raises(DashboardError):
            slide_number(bad, 3)


def test_every_shipped_slide_presents_on_the_real_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(ROOT / "data"))
    from lib.model.load import load_dataset

    for name, briefing in load_dataset(ROOT / "data").briefings.items():
        at = present({"briefing": name, "slide": "1"})
        for number, slide in enumerate(briefing.slides, start=1):
            assert heading(at) == slide.heading, (name, number)
            assert not at.error and drawn_charts(at) or slide.page == "events"
            if number < len(briefing.slides):
                press(at, 1)
                assert not at.exception


def test_an_event_slide_quotes_the_sources_that_fit_and_counts_the_rest() -> None:
    from lib.exports.slides import quotes_that_fit
    from lib.views.sources import EventDetail, SourceDetail

    def source(n: int, length: int) -> SourceDetail:
        return SourceDetail(n, "x" * length, f"a{n}", "T", "O", None, "2011", None, "c", "")

    def detail(*lengths: int) -> EventDetail:
        return EventDetail("e", "t", "2011", None, "a", "b", "KAZ", None, "type", 1, "l", "s",
                           tuple(source(n, length) for n, length in enumerate(lengths)))  # fmt: skip

    assert [len(s.quote) for s in quotes_that_fit(detail(900, 10))[0]] == [900]  # the first always, even long
    assert quotes_that_fit(detail(900, 10))[1] == 1
    assert quotes_that_fit(detail(200, 200, 200), chars=520)[1] == 1
    assert quotes_that_fit(detail(100, 100), chars=520) == (list(detail(100, 100).sources), 0)


def test_briefing_text_is_shown_literally_never_as_markup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_data_dir(tmp_path / "data")
    (root / "briefings").mkdir()
    hostile = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) $x$"
    write_yaml(root / "briefings" / "h.yaml", {"title": hostile, "slides": [
        {"heading": hostile, "page": "map", "notes": hostile}, {"heading": "Two", "event": "kaz-votes-isaf"}]})  # fmt: skip
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(root))
    at = present({"briefing": "h", "slide": "1"})
    assert keys_data(at)["title"].startswith(hostile + " · "), "drawn as text (textContent) by the key handler"
    texts = [at.title[0].value, *(m.value for m in at.markdown)]
    assert any("\\<script\\>" in t for t in texts)
    for text in texts:
        assert "<script>" not in text and "**bold**" not in text and "](javascript" not in text, text


def test_rooms_count_moves_and_accept_only_their_own_tokens() -> None:
    from lib.ui import rooms

    token = rooms.new_token()
    assert rooms.valid_token(token) and rooms.get("b", token) is None
    assert not any(rooms.valid_token(t) for t in (None, "", "a b", "x" * 33, "<script>", "a/b"))
    first = rooms.join("b", token, 3)
    assert (first.slide, first.version) == (3, 1) and rooms.join("b", token, 7) == first, "joining never moves"
    assert rooms.press("b", token, "w", 1, 4)
    moved = rooms.get("b", token)
    assert (moved.slide, moved.version, moved.started) == (4, 2, first.started)
    assert rooms.press("b", token, "w", 2, 4) and rooms.get("b", token).version == 3, (
        "a move to the same slide is still news to the other windows")
    assert rooms.get("other", token) is None, "a room is one briefing's"


def test_a_room_is_shared_by_every_process_that_shares_its_file(rooms_file: Path) -> None:
    """Replicas behind the proxy: a second device may be on another process; it sees the same room."""
    import subprocess
    import sys

    from lib.ui import rooms

    rooms.join("b", "shared1", 1)
    code = "from lib.ui import rooms; rooms.press('b', 'shared1', 'w', 1, 5); r = rooms.get('b', 'shared1'); print(r.slide, r.version)"
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert other.stdout.split() == ["5", "2"], other.stderr
    assert (rooms.get("b", "shared1").slide, rooms.get("b", "shared1").version) == (5, 2), "this process sees it"
    assert rooms_file.exists()


def test_rooms_fall_back_to_this_process_when_the_file_cannot_be_written(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from lib.ui import rooms

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the rooms folder should be")
    monkeypatch.setenv("DASHBOARD_ROOMS", str(blocker / "rooms.sqlite"))
    first = rooms.join("b", "mem1", 2)
    assert (first.slide, first.version) == (2, 1)
    assert rooms.press("b", "mem1", "w", 1, 3) and rooms.get("b", "mem1").version == 2
    assert rooms.get("b", "mem1").slide == 3


@pytest.mark.parametrize("where", ["file", "memory"])
def test_a_press_moves_the_room_once_and_never_back_to_an_older_press(where: str, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """lib.ui.rooms.press: Streamlit may answer one press in two runs, or an older press's callback after a newer
    one's (the ten-presses browser test caught both under load); the room moves once, and never back."""
    from lib.ui import rooms

    if where == "memory":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the rooms folder should be")
        monkeypatch.setenv("DASHBOARD_ROOMS", str(blocker / "rooms.sqlite"))
    rooms.join("b", "p1", 1)
    assert rooms.state("b", "p1", "w1") == (rooms.get("b", "p1"), 0), "no press applied yet"
    assert rooms.press("b", "p1", "w1", 2, 3)
    assert not rooms.press("b", "p1", "w1", 2, 3), "the same press answered twice moves once"
    assert not rooms.press("b", "p1", "w1", 1, 2), "a press answered after a newer one does not take the room back"
    room, ack = rooms.state("b", "p1", "w1")
    assert (room.slide, room.version, ack) == (3, 2, 2)
    assert rooms.press("b", "p1", "w2", 1, 5), "another window (the presenter's) counts its own presses"
    assert rooms.state("b", "p1", "w2")[0].slide == 5 and rooms.state("b", "p1", "w1")[1] == 2
    assert rooms.press("b", "p1", "w1", 3, 4) and rooms.get("b", "p1").slide == 4
    assert rooms.state("other", "p1", "w1") == (None, 0), "a room is one briefing's"


def test_a_press_names_its_window_and_number_or_is_ignored() -> None:
    from lib.ui.slide_keys import valid_window

    assert valid_window("k3x9a0b1c2") and not any(valid_window(w) for w in (None, "", 7, "a b", "x" * 33, "<i>", "é"))


def test_old_rooms_are_forgotten_beyond_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from lib.ui import rooms

    monkeypatch.setattr(rooms, "MAX_ROOMS", 3)
    for n in range(5):
        rooms.join("b", f"t{n}", 1)
        time.sleep(0.002)
    assert [rooms.get("b", f"t{n}") is not None for n in range(5)] == [False, False, True, True, True]
    assert rooms.press("b", "t4", "w", 1, 2) and rooms.press("b", "t5", "w", 1, 2)
    assert rooms.state("b", "t4", "w")[1] == 1 and rooms.get("b", "t2") is None, "presses go with their rooms"


def test_the_next_slides_figure_is_built_in_the_background_under_the_key_the_page_asks_for(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A first visit to a slide finds its figure cached: the page asks the worker for the next slide's, and the
    worker builds exactly what that slide's run will look up (the same cached object comes back)."""
    import importlib

    from lib.exports import slides

    page = importlib.import_module("lib.ui.present")  # the module (lib.ui.present is also its function)
    asked: list[tuple] = []
    monkeypatch.setattr(page._PREFETCH, "submit", lambda fn, *args: asked.append((fn, args)))
    at = present({"briefing": "kaz", "slide": "1"})
    assert heading(at) == "The year by country"
    assert [args[1] for _, args in asked] == [2], "slide 1 asks for slide 2, nothing else"
    fn, (briefing, number, loaded, version, scale, room, presenter) = asked[0]
    assert page._WANTED[room] == 2 and presenter is False
    built = []
    monkeypatch.setattr(slides, "event_spotlight", lambda *a, real=slides.event_spotlight: built.append(a) or real(*a))
    fn(briefing, number, loaded, version, scale, (room[0], "another-room"))
    assert built == [], "a request no window still wants is skipped"
    fn(briefing, number, loaded, version, scale, room)
    assert len(built) == 1, "the worker drew the event's spotlight"
    content = slides.slide_content(briefing, 2, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
    first = page._spotlight(*version, content.event.id, scale)
    assert len(built) == 1 and page._spotlight(*version, content.event.id, scale) is first, "then only cache hits"
    asked.clear()
    fn(briefing, 4, loaded, version, scale)  # no such slide: the worker says nothing and raises nothing
    press(at, "last")
    assert heading(at) == "Where" and asked == [], "the last slide asks for nothing"


def test_the_browser_keeps_cached_elements_through_seconds_of_room_polling() -> None:
    """Streamlit's browser cache ages an element by one for every script run, the room poll's included; an element
    dropped while a run is about to name it stops the page ("Cached ForwardMsg MISS"). The app's config keeps
    them for at least MIN_CACHE_SECONDS of polling, whatever the poll's interval."""
    import importlib
    import tomllib

    page = importlib.import_module("lib.ui.present")
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["global"]
    assert config["maxCachedMessageAge"] * page.FOLLOW_SECONDS >= page.MIN_CACHE_SECONDS, config


def test_every_move_rings_the_rooms_doorbell_with_its_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A window learns that its room moved from a tiny static file (no script run per look): every move, a key
    press's or a window's, writes the room's new version to it; a folder that cannot be written rings nothing."""
    from lib.ui import rooms

    monkeypatch.setattr(rooms, "BELL_DIR", tmp_path / "rooms")
    bell = tmp_path / "rooms" / rooms.bell_name("b", "bell1")
    rooms.join("b", "bell1", 1)
    assert bell.read_text() == "1", "opening a room rings its first version: its windows know the doorbell works"
    assert rooms.bell_works("b", "bell1") and not rooms.bell_works("b", "other")
    rooms.join("b", "bell1", 3)
    assert bell.read_text() == "1" and rooms.get("b", "bell1").slide == 1, "joining an open room moves nothing"
    assert rooms.press("b", "bell1", "w", 1, 2)
    assert bell.read_text() == str(rooms.get("b", "bell1").version) == "2"
    assert not rooms.press("b", "bell1", "w", 1, 3) and bell.read_text() == "2", "a press applied once rings once"
    assert rooms.press("b", "bell1", "w2", 1, 4) and bell.read_text() == "3", "every window's presses ring"
    served = rooms.bell_name("kazakhstan-isaf", "tokenXYZ")
    assert "kazakhstan" not in served and "tokenXYZ" not in served, "the served path names neither"
    (tmp_path / "file").write_text("")
    monkeypatch.setattr(rooms, "BELL_DIR", tmp_path / "file" / "rooms")
    assert rooms.ring("b", "bell1", 5) is False
    assert rooms.join("b", "bell2", 1).version == 1 and not rooms.bell_works("b", "bell2"), "no doorbell: polling"


def test_a_window_polls_rarely_only_where_its_doorbell_works(folder: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Each poll is a script run that holds up the follow: a window with a working doorbell, the presenter's too (its
    clock is counted in the browser), polls every BELL_FALLBACK_SECONDS; a window without a doorbell every
    FOLLOW_SECONDS."""
    import importlib

    from lib.ui import rooms

    page = importlib.import_module("lib.ui.present")
    assert page.BELL_FALLBACK_SECONDS > page.FOLLOW_SECONDS
    called: list[str] = []
    monkeypatch.setattr(page, "_poll", lambda *args: called.append("often"))
    monkeypatch.setattr(page, "_poll_rarely", lambda *args: called.append("rarely"))
    monkeypatch.setattr(rooms, "BELL_DIR", tmp_path / "rooms")
    rooms.join("kaz", "poll1", 1)
    page._follow("kaz", "poll1")
    page._follow("kaz", "no-bell")
    assert called == ["rarely", "often"]


def test_the_presenters_clock_is_counted_in_the_browser_from_the_rooms_start(folder: Path) -> None:
    from lib.ui import rooms

    presenter = keys_data(present({"briefing": "kaz", "slide": "1", "room": "clock1", "view": "presenter"}))
    assert presenter["clock"] == rooms.get("kaz", "clock1").started
    assert abs(presenter["now"] - time.time()) < 60, "the server's clock, against which the browser counts"
    assert keys_data(present({"briefing": "kaz", "slide": "1", "room": "clock1"}))["clock"] is None, "no clock projected"


class _Session:
    def __init__(self, page: str) -> None:
        self.page_script_hash = page
        self.reruns: list = []

    def request_rerun(self, client: object) -> None:
        self.reruns.append(client)


def test_a_press_wakes_the_other_windows_of_its_room_in_this_process_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of the room served by this process is not left to find the move by its doorbell: the press starts
    its run at once, on the page, query and browser context of its last run; the pressing window itself, a window
    gone, a window now on another page and a window of another room are not run."""
    from types import SimpleNamespace

    from streamlit.proto.ClientState_pb2 import ContextInfo

    from lib.ui import rooms

    sessions = {"presenter": _Session("present"), "audience": _Session("present"), "left": _Session("map"),
                "other-room": _Session("present")}  # fmt: skip
    runtime = SimpleNamespace(get_app_session=sessions.get)
    monkeypatch.setattr(rooms, "Runtime", SimpleNamespace(exists=lambda: True, instance=lambda: runtime))
    running = SimpleNamespace()
    monkeypatch.setattr(rooms, "get_script_run_ctx", lambda: running)
    for session_id, room in (("presenter", "w1"), ("audience", "w1"), ("left", "w1"), ("closed", "w1"),
                             ("other-room", "w2")):  # fmt: skip
        running.__dict__.update(session_id=session_id, query_string=f"briefing=b&slide=1&room={room}",
                                page_script_hash="present", context_info=ContextInfo(url="http://h/present"))  # fmt: skip
        rooms.listen("b", room)
    running.session_id = "presenter"
    assert rooms.press("b", "w1", "win", 1, 2)
    [client] = sessions["audience"].reruns
    assert (client.query_string, client.page_script_hash, client.context_info.url) == (
        "briefing=b&slide=1&room=w1", "present", "http://h/present")  # fmt: skip
    assert sessions["presenter"].reruns == [] and sessions["left"].reruns == [] and sessions["other-room"].reruns == []
    assert not rooms.press("b", "w1", "win", 1, 3) and len(sessions["audience"].reruns) == 1, "no move, no wake-up"
    sessions["left"].page_script_hash = "present"  # back on the page, by a link of its own: it listens again when run
    assert rooms.press("b", "w1", "win", 2, 3) and len(sessions["audience"].reruns) == 2
    assert sessions["left"].reruns == [], "a window that left was forgotten at the first wake-up"


def test_the_key_component_is_given_the_rooms_version_and_its_doorbell(folder: Path) -> None:
    from lib.ui import rooms

    at = present({"briefing": "kaz", "slide": "1", "room": "r9"})
    data = keys_data(at)
    assert data["version"] == rooms.get("kaz", "r9").version
    assert data["bell"] == f"{rooms.BELL_URL}/{rooms.bell_name('kaz', 'r9')}"


def test_streamlits_internals_the_wake_up_uses_are_still_there() -> None:
    """The wake-up (lib.ui.rooms.listen and _wake) calls AppSession.request_rerun, which is no public API: a Streamlit
    upgrade that removes or renames it (or what goes with it) must fail here, not quietly slow every follow to the
    doorbell and the 5 s poll."""
    import streamlit

    from lib.ui import rooms

    missing = rooms.wake_up_missing()
    assert missing is None, (
        f"Streamlit {streamlit.__version__} lacks what the rooms' wake-up uses: {missing}. Windows still follow, by "
        "the doorbell and the poll only; adapt lib/ui/rooms.py (listen, _wake) to the new internals")  # fmt: skip


@pytest.mark.parametrize("change", ["removed", "renamed argument", "no runtime lookup"])
def test_the_wake_up_check_names_what_an_upgrade_took_away(change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession

    from lib.ui import rooms

    if change == "removed":
        monkeypatch.delattr(AppSession, "request_rerun")
        expected = "AppSession.request_rerun is gone"
    elif change == "renamed argument":
        monkeypatch.setattr(AppSession, "request_rerun", lambda self, state: None)
        expected = "no longer takes (self, client_state)"
    else:
        monkeypatch.delattr(Runtime, "get_app_session")
        expected = "Runtime.get_app_session is gone"
    assert expected in (rooms.wake_up_missing() or "")


def test_without_the_wake_up_a_press_still_moves_the_room_and_wakes_nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where an upgrade took AppSession.request_rerun away, a window's run notes nothing and a press moves the room
    and rings its doorbell as before, calling nothing that is gone (the browser test of this fallback, the doorbell
    and the 5 s poll: tests/test_browser_present_fallback.py)."""
    from types import SimpleNamespace

    from streamlit.proto.ClientState_pb2 import ContextInfo
    from streamlit.runtime.app_session import AppSession

    from lib.ui import rooms

    sessions = {"audience": _Session("present")}
    runtime = SimpleNamespace(get_app_session=sessions.get)
    monkeypatch.setattr(rooms, "Runtime", SimpleNamespace(exists=lambda: True, instance=lambda: runtime))
    running = SimpleNamespace(session_id="audience", query_string="briefing=b&slide=1&room=f1",
                              page_script_hash="present", context_info=ContextInfo(url="http://h/present"))  # fmt: skip
    monkeypatch.setattr(rooms, "get_script_run_ctx", lambda: running)
    with monkeypatch.context() as upgraded:
        upgraded.delattr(AppSession, "request_rerun")
        rooms.listen("b", "f1")  # the audience's run: nothing noted
        running.session_id = "presenter"
        rooms.join("b", "f1", 1)
        assert rooms.press("b", "f1", "win", 1, 2) and rooms.get("b", "f1").slide == 2
    assert rooms.wake_up_missing() is None
    assert rooms.press("b", "f1", "win", 2, 3) and sessions["audience"].reruns == [], "the audience never listened"


def test_the_presenters_window_prefetches_the_figure_it_will_draw(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The presenter's window draws the dashboard's figure, not the projected one: its prefetch builds that copy
    (it built a projected figure at the presenter's scale before, which no window drew)."""
    import importlib

    page = importlib.import_module("lib.ui.present")
    asked: list[tuple] = []
    monkeypatch.setattr(page._PREFETCH, "submit", lambda fn, *args: asked.append((fn, args)))
    at = present({"briefing": "kaz", "slide": "2", "view": "presenter", "room": "p7"})
    assert not at.exception
    [(fn, (briefing, number, loaded, version, scale, _room, presenter))] = asked
    assert number == 3 and presenter is True
    projected: list[tuple] = []
    monkeypatch.setattr(page, "_projected", lambda *a: projected.append(a))
    fn(briefing, number, loaded, version, scale, None, presenter)
    content = page.slides.slide_content(briefing, 3, loaded.tables, loaded.dataset, loaded.meta, loaded.options)
    params = tuple(sorted(content.view.figure_params().items()))
    copy = page._presenters_copy(content.view.chart, *version, content.view.filters, params)
    assert projected == [] and page._presenters_copy(content.view.chart, *version, content.view.filters, params) is copy


def test_on_a_large_screen_the_presenters_slide_list_is_open_under_the_buttons(folder: Path) -> None:
    """From LIST_OPEN_SCALE (1920x1080 reports 1.5) the presenter's column has room below its buttons: the slide list
    is shown there, not folded in an expander; on a smaller screen it stays folded."""
    from lib.ui.present import LIST_OPEN_SCALE
    from lib.ui.slide_keys import KEY

    at = present({"briefing": "kaz", "slide": "2", "view": "presenter", "room": "big1"})
    assert [e.label for e in at.expander] == ["Every slide"]
    at.session_state[KEY] = {"scale": LIST_OPEN_SCALE + 0.1}  # what the key component reports at 1920x1080
    at.run()
    assert not at.expander and "Every slide" in [c.value for c in at.caption]
    listed = [b for b in at.button if b.key.startswith("presenter_goto_")]
    assert [b.label for b in listed] == ["1. The year by country", "2. The warning", "3. Where"]
    assert [b.proto.type for b in listed] == ["secondary", "primary", "secondary"], "the slide shown stands out"
