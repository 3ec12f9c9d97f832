"""Saving never loses data: a save is refused if a file changed since the page read it, and writes nothing
if the dataset after it would have a problem; a saved YAML edit keeps the file's comments and layout."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from lib.model.load import load_dataset
from lib.model.store import problems_after, read_state, save
from lib.model.yaml_edit import append_record
from tests.conftest import COUNTRIES, make_events, write_data_dir, write_yaml

COMMENTED_EVENTS = """# Events coded from the articles. See CODEBOOK.md.
events:

  # --- 2011
  - id: kaz-votes-isaf
    date: '2011-05-18'
    title: Kazakh parliament votes to send troops to ISAF
    summary: >-
      The lower house approves a deployment.
    actor: KAZ  # the state, not the parliament
    target: nato_isaf
    countries: [KAZ, AFG]
    event_type: material_cooperation
    stance: 2
    sources:
      - article: mt-2011
        quote: >-
          The Kazakh parliament decided May 18 to send troops
"""

NEW_EVENT = {
    "id": "taliban-warns-kaz",
    "date": "2011-05",
    "date_note": "The article of 22 May 2011 reports the statement; the text gives no day.",
    "title": "Taliban warn Kazakhstan",
    "summary": "The Taliban warn of severe consequences.",
    "actor": "taliban",
    "target": "KAZ",
    "countries": ["KAZ"],
    "location": None,
    "event_type": "verbal_conflict",
    "stance": -1,
    "sources": [{"article": "mt-2011", "quote": "The Taliban has warned Kazakhstan"}],
}


def _bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def curating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = write_data_dir(tmp_path / "data", make_events()[:1])
    (root / "events.yaml").write_text(COMMENTED_EVENTS, encoding="utf-8")
    return root


def test_outside_curation_mode_nothing_is_written(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_CURATE")
    before = _bytes(folder)
    (problem,) = save(folder, {"events.yaml": append_record(COMMENTED_EVENTS, "events", NEW_EVENT)}, read_state(folder))
    assert "only in curation mode" in problem.message
    assert _bytes(folder) == before


def test_read_state_fingerprints_every_data_file_but_hidden_and_unfinished_ones(folder: Path) -> None:
    (folder / ".events.yaml.x.part").write_text("half", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    state = read_state(folder)
    assert set(state) == {"actors.yaml", "countries.yaml", "periods.yaml", "vocab.yaml", "events.yaml",
                          "articles/mt-2011.md"}  # fmt: skip
    assert state["events.yaml"] == hashlib.sha256(COMMENTED_EVENTS.encode()).hexdigest()


def test_a_saved_event_is_appended_and_every_comment_and_line_of_the_file_stays(folder: Path) -> None:
    seen = read_state(folder)
    new_text = append_record(COMMENTED_EVENTS, "events", NEW_EVENT)
    assert save(folder, {"events.yaml": new_text}, seen) == []
    saved = (folder / "events.yaml").read_text(encoding="utf-8")
    assert saved.startswith(COMMENTED_EVENTS), "the file up to the new event is byte for byte the same"
    added = saved[len(COMMENTED_EVENTS):]
    assert added.startswith("\n  - id: taliban-warns-kaz\n    date: '2011-05'\n"), "a blank line, then the event"
    assert "    summary: >-\n      The Taliban warn of severe consequences.\n" in added
    assert "    countries: [KAZ]\n    location: null\n" in added
    assert "        quote: >-\n          The Taliban has warned Kazakhstan\n" in added
    ds = load_dataset(folder)
    assert ds.problems == [] and [e.id for e in ds.events] == ["kaz-votes-isaf", "taliban-warns-kaz"]


def test_a_file_changed_on_disk_since_the_page_read_it_is_not_overwritten(folder: Path) -> None:
    seen = read_state(folder)
    editor = COMMENTED_EVENTS.replace("# --- 2011", "# --- 2011 (an editor's note)")
    (folder / "events.yaml").write_text(editor, encoding="utf-8")
    problems = save(folder, {"events.yaml": append_record(COMMENTED_EVENTS, "events", NEW_EVENT)}, seen)
    assert [str(p) for p in problems] == [
        "data/events.yaml: changed on disk after this page read it (another curator or an editor); nothing was "
        "saved. Reload the data and make the change again"]  # fmt: skip
    assert (folder / "events.yaml").read_text(encoding="utf-8") == editor


def test_a_new_file_that_appeared_since_the_page_read_the_folder_is_not_overwritten(folder: Path) -> None:
    seen = read_state(folder)
    other = (folder / "articles" / "mt-2011.md").read_text(encoding="utf-8").replace("id: mt-2011", "id: mt-2012")
    (folder / "articles" / "mt-2012.md").write_text(other, encoding="utf-8")
    before = _bytes(folder)
    (problem,) = save(folder, {"articles/mt-2012.md": other.replace("Taliban", "Taleban")}, seen)
    assert problem.file == "data/articles/mt-2012.md" and "now exists" in problem.message
    assert _bytes(folder) == before


def test_a_save_that_would_leave_a_problem_writes_nothing_and_returns_every_problem(folder: Path) -> None:
    seen = read_state(folder)
    before = _bytes(folder)
    bad = dict(NEW_EVENT, actor="talibn", stance=5, sources=[{"article": "mt-2011", "quote": "The Taliban warned"}])
    article = (folder / "articles" / "mt-2011.md").read_text(encoding="utf-8").replace("id: mt-2011", "id: mt-2013")
    problems = save(folder, {"events.yaml": append_record(COMMENTED_EVENTS, "events", bad),
                             "articles/mt-2013.md": article}, seen)  # fmt: skip
    messages = [str(p) for p in problems]
    assert any("field 'actor': 'talibn' is not an actor in actors.yaml (did you mean 'taliban'?)" in m for m in messages)
    assert any("field 'stance'" in m for m in messages)
    assert any("field 'sources[0].quote'" in m and "does not appear verbatim" in m for m in messages)
    assert any("articles/mt-2013.md: article 'mt-2013': is not cited by any event" in m for m in messages)
    assert _bytes(folder) == before, "nothing written: every file byte-identical, no new file"


def test_warnings_do_not_stop_a_save_but_are_found(folder: Path) -> None:
    later = dict(NEW_EVENT, date="2024-06")
    changes = {"events.yaml": append_record(COMMENTED_EVENTS, "events", later)}
    assert [p.severity for p in problems_after(folder, changes)] == ["warning"]
    assert save(folder, changes, read_state(folder)) == []


@pytest.mark.parametrize("path", ["../outside.yaml", "/etc/passwd", ".hidden.yaml", "articles/../../x.md", "lib.py", ""])
def test_only_yaml_and_markdown_files_inside_the_folder_can_be_written(folder: Path, path: str) -> None:
    before = _bytes(folder)
    (problem,) = save(folder, {path: "x"}, read_state(folder))
    assert "plain path inside the data folder" in problem.message or "not a YAML or Markdown file" in problem.message
    assert _bytes(folder) == before
    assert not (folder.parent / "outside.yaml").exists()


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("", False), ("0", False), ("no", False)])
def test_curation_mode_is_off_unless_the_setting_turns_it_on(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    from lib.paths import curation_mode

    monkeypatch.setenv("DASHBOARD_CURATE", value)
    assert curation_mode() is on


# --- a save with a new place: the event and its place land together, or nothing does ------------------

TERMEZ = {"id": "termez", "name": "Termez", "country": "UZB", "kind": "town", "geonameid": 1215957,
          "lat": 37.22417, "lon": 67.27833}  # fmt: skip


def _placed_save(folder: Path, place: dict) -> dict[str, str]:
    """The files a Curate save of one accepted event placed at a new place would write."""
    from lib.reading.curate import Plan, changes

    write_yaml(folder / "countries.yaml", {"countries": [*COUNTRIES, {"iso3": "UZB", "name": "Uzbekistan",
                                                          "region": "Central Asia", "central_asia": True}]})  # fmt: skip
    event = {**NEW_EVENT, "countries": ["KAZ", "UZB"], "place": place["id"], "place_precision": 1,
             "place_note": "Read from “in Termez”."}  # fmt: skip
    return changes(folder, Plan(events=[event], places=[place]))


def test_a_save_with_a_new_place_writes_the_place_and_the_event(folder: Path) -> None:
    new = _placed_save(folder, TERMEZ)
    assert set(new) == {"events.yaml", "places.yaml"}
    assert save(folder, new, read_state(folder)) == []
    ds = load_dataset(folder)
    assert [p for p in ds.problems if p.is_error] == []
    assert ds.places["termez"].geonameid == 1215957
    assert next(e for e in ds.events if e.id == "taliban-warns-kaz").place == "termez"


def test_a_save_whose_new_place_is_wrong_writes_neither_file(folder: Path) -> None:
    new = _placed_save(folder, {**TERMEZ, "country": "KAZ"})  # Termez's point is not in Kazakhstan
    before, state = _bytes(folder), read_state(folder)
    problems = save(folder, new, state)
    assert any(p.record == "place 'termez'" and "outside KAZ's outline" in p.message for p in problems)
    assert _bytes(folder) == before


def test_a_save_that_fails_while_writing_puts_back_what_it_had_written(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lib.model import files

    new = _placed_save(folder, TERMEZ)
    before = _bytes(folder)
    state = read_state(folder)
    real = files.os.fsync

    def full_disk(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if path.parent == folder.resolve() and path.name.startswith(".events.yaml."):  # staged after places.yaml
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(files.os, "fsync", full_disk)
    problems = save(folder, new, state)
    assert [p.file for p in problems] == [f"{folder.name}/events.yaml"] and "nothing was saved" in problems[0].message
    assert _bytes(folder) == before, "places.yaml, staged first, is not in place and no temporary file is left"