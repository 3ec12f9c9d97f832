"""`python -m lib.curate` (lib/reading/batch.py): curation logs applied in one checked, atomic save, with
located errors; periods and colours added through the same path. All on fixture folders."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml

from lib.model import store
from lib.reading.batch import apply_logs, check_logs, main, plan_logs, read_log, save_periods, set_colour
from tests.conftest import write_data_dir

BODY = "ASTANA — Kazakhstan said on Monday that the Taliban had been removed from its list of banned groups.\n"
FRONT = {"id": "tw-2023-12-29-kaz-delists", "title": "Kazakhstan Delists the Taliban", "outlet": "Test Wire",
         "author": None, "published": "2023-12-29", "url": None}  # fmt: skip
EVENT = {"id": "kaz-delists-taliban-2023", "date": "2023-12-25", "date_note": "\"On Monday\" before the article's date.",
         "title": "Kazakhstan removes the Taliban from its list of banned groups",
         "summary": "Kazakhstan removed the Taliban from its list of banned groups.", "actor": "KAZ", "target": "taliban",
         "countries": ["KAZ", "AFG"], "location": None, "event_type": "material_cooperation", "stance": 1,
         "sources": [{"article": FRONT["id"], "quote": "Kazakhstan said on Monday that the Taliban had been removed"}]}  # fmt: skip
CHN_ACTOR = {"id": "CHN", "name": "China", "kind": "state", "country": "CHN", "colour": "#DDDDDD", "aliases": ["Xi Jinping"]}
CHN = {"iso3": "CHN", "name": "China", "region": "East Asia", "central_asia": False, "capital": "Beijing"}
PERIOD = {"id": "taliban-government-2021", "label": "2021– the Taliban government", "start": "2021-08-15", "end": "2026-12-31"}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    root = write_data_dir(tmp_path / "data")
    (root / "periods.yaml").write_text(yaml.safe_dump({"periods": [
        {"id": "isaf-2011", "label": "Kazakhstan and ISAF", "start": "2010-01-01", "end": "2011-12-31"}, PERIOD]}))
    return root


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    """A staging folder: articles/ and curation/ side by side, as the curators leave them."""
    (tmp_path / "stage" / "articles").mkdir(parents=True)
    (tmp_path / "stage" / "curation").mkdir()
    text = "---\n" + yaml.safe_dump(FRONT, sort_keys=False) + "---\n" + BODY
    (tmp_path / "stage" / "articles" / f"{FRONT['id']}.md").write_bytes(text.encode("utf-8").replace(b"\n", b"\r\n", 1))
    return tmp_path / "stage"


def _log(staged: Path, name: str = "a.yaml", **changes: object) -> Path:
    log = {"article": FRONT["id"], "curator": "test", "minutes": 3,
           "proposals": [{"draft_id": "d1", "actor": "KAZ", "target": "taliban", "quote_start": 9, "fate": "edited",
                          "event": EVENT["id"], "edited": ["date"]},
                         {"draft_id": "d2", "actor": "KAZ", "target": None, "quote_start": 40, "fate": "rejected",
                          "why": "no act"}],
           "added": [], "new_actors": [CHN_ACTOR], "new_countries": [CHN], "new_places": [], "events": [EVENT], **changes}  # fmt: skip
    path = staged / "curation" / name
    path.write_text(yaml.safe_dump(log, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_log_is_applied_in_one_save_article_byte_for_byte_and_no_nulls(folder: Path, staged: Path) -> None:
    batch = apply_logs([_log(staged)], folder, staged / "articles")
    assert batch.problems == []
    assert batch.added == {"articles": [FRONT["id"]], "countries": ["CHN"], "actors": ["CHN"], "events": [EVENT["id"]]}
    assert (folder / "articles" / f"{FRONT['id']}.md").read_bytes() == (staged / "articles" / f"{FRONT['id']}.md").read_bytes()
    saved = yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8"))["events"][-1]
    assert saved["id"] == EVENT["id"] and "location" not in saved and None not in saved.values()
    assert yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))["actors"][-1]["id"] == "CHN"
    again = apply_logs([_log(staged)], folder, staged / "articles")
    assert again.problems == [] and again.changes == {}, "applied twice: everything is there with the same definition"


def test_a_different_definition_of_a_known_id_is_a_located_error_and_nothing_is_written(folder: Path, staged: Path) -> None:
    before = store.read_state(folder)
    first = _log(staged)
    second = _log(staged, "b.yaml", new_actors=[{**CHN_ACTOR, "name": "PRC"}], events=[], proposals=[])
    batch = apply_logs([first, second], folder, staged / "articles")
    assert [(p.file, p.record) for p in batch.problems] == [(str(second), "actor 'CHN'")]
    assert str(first) in batch.problems[0].message
    assert store.read_state(folder) == before


def test_a_bad_log_says_where(folder: Path, staged: Path) -> None:
    path = _log(staged, proposals=[{"draft_id": "d1", "fate": "maybe"}, {"draft_id": "d2", "fate": "rejected"}],
                added=["nowhere"])  # fmt: skip
    _, problems = read_log(path)
    assert [(p.record, p.field) for p in problems] == [("proposal 1 ('d1')", "fate"), ("proposal 2 ('d2')", "why"),
                                                       (None, "added")]  # fmt: skip
    missing = plan_logs([_log(staged, article="no-such-article")], folder, staged / "articles")
    assert any(p.field == "article" and "no article file" in p.message for p in missing.problems)


def test_an_invalid_event_stops_the_whole_save(folder: Path, staged: Path) -> None:
    before = store.read_state(folder)
    bad = {**EVENT, "sources": [{"article": FRONT["id"], "quote": "words the article does not hold"}]}
    batch = apply_logs([_log(staged, events=[bad])], folder, staged / "articles")
    assert batch.problems and any("verbatim" in p.message or "quote" in str(p) for p in batch.problems)
    assert store.read_state(folder) == before


def edit_after_planning(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next apply find events.yaml changed on disk between reading it and saving."""
    import lib.reading.batch as batch_module

    real_plan = batch_module.plan_logs

    def plan_then_edit(*args: object):
        planned = real_plan(*args)
        events = folder / "events.yaml"
        events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        return planned

    monkeypatch.setattr(batch_module, "plan_logs", plan_then_edit)


def test_a_file_changed_after_it_was_read_is_refused(folder: Path, staged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_after_planning(folder, monkeypatch)
    batch = apply_logs([_log(staged)], folder, staged / "articles")
    assert any("changed on disk" in p.message for p in batch.problems)


def test_the_command_line_applies_copies_the_log_and_defaults_to_the_sibling_articles_folder(
        folder: Path, staged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    log = _log(staged)
    assert main(["--data", str(folder), "apply", str(log), "--curation-dir", str(tmp_path / "bench")]) == 0
    assert (tmp_path / "bench" / "a.yaml").read_bytes() == log.read_bytes()
    assert "1 articles" in capsys.readouterr().out


def test_periods_and_colours_are_added_through_the_checked_save(folder: Path) -> None:
    problems = save_periods([{"id": "drawdown", "label": "Drawdown", "start": "2011-06-01", "end": "2014-12-31"}], folder)
    assert problems and "overlaps period 'isaf-2011'" in problems[0].message
    assert save_periods([{"id": "drawdown", "label": "Drawdown", "start": "2012-01-01", "end": "2014-12-31"}], folder) == []
    periods = yaml.safe_load((folder / "periods.yaml").read_text(encoding="utf-8"))["periods"]
    assert periods[-1] == {"id": "drawdown", "label": "Drawdown", "start": "2012-01-01", "end": "2014-12-31"}
    colour, problems = set_colour("nato_isaf", None, folder)
    assert problems == [] and colour not in {"#CC6677", "#332288", "#DDDDDD"}
    _, problems = set_colour("KAZ", "#CC6677", folder)
    assert problems and "already the colour of actor 'taliban'" in problems[0].message


def test_draft_writes_a_log_skeleton(folder: Path, staged: Path, tmp_path: Path) -> None:
    out = tmp_path / "log.yaml"
    article = staged / "articles" / f"{FRONT['id']}.md"
    assert main(["--data", str(folder), "draft", str(article), "--log", str(out)]) == 0
    log = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert log["article"] == FRONT["id"] and log["events"] == []
    assert all(p["fate"] is None and isinstance(p["quote_start"], int) for p in log["proposals"])
    assert len(log["proposals"]) == len(log["drafts"])
    assert main(["--data", str(folder), "draft", str(article), "--log", str(out)]) == 1, "never overwrites"


def test_a_proposal_may_name_an_event_another_log_of_the_batch_defines(folder: Path, staged: Path) -> None:
    """An occurrence two articles report is coded once, citing both: the second log's proposal names it."""
    first = _log(staged)
    second = _log(staged, "b.yaml", new_actors=[], new_countries=[], events=[],
                  proposals=[{"draft_id": "d9", "fate": "edited", "event": EVENT["id"], "edited": ["sources"]}])  # fmt: skip
    assert read_log(second)[1][0].field == "event", "alone, the log does not define it"
    assert plan_logs([first, second], folder, staged / "articles").problems == []
    third = _log(staged, "c.yaml", new_actors=[], new_countries=[], events=[], proposals=[], added=["nowhere"])
    problems = plan_logs([first, third], folder, staged / "articles").problems
    assert [(p.file, p.field) for p in problems] == [(str(third), "added")]


def test_several_actors_get_distinct_unused_colours_in_one_save(folder: Path) -> None:
    from lib.reading.batch import set_colours

    given, problems = set_colours(["KAZ", "nato_isaf"], None, folder)
    assert problems == [] and len(set(given.values())) == 2
    actors = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))["actors"]
    assert len({a["colour"] for a in actors}) == len(actors)
    assert set_colours(["KAZ", "nato_isaf"], "#123456", folder)[1][0].field == "colour"


# ---------------------------------------------------------------------------
# sources_added: a log's article as another source of an event already coded (CODEBOOK.md 8)

SECOND = {"id": "tw-2024-01-02-kaz-delisting-reaction", "title": "Reactions to Kazakhstan's Delisting", "outlet": "Test Wire",
          "author": None, "published": "2024-01-02", "url": None}  # fmt: skip
SECOND_BODY = ("ALMATY — Last week Kazakhstan struck the Taliban off its list of banned organisations, a move\n"
               "analysts called overdue.\n")  # fmt: skip
SECOND_QUOTE = "Last week Kazakhstan struck the Taliban off its list of banned organisations"


def _second(staged: Path, name: str = "b.yaml", **changes: object) -> Path:
    (staged / "articles" / f"{SECOND['id']}.md").write_text(
        "---\n" + yaml.safe_dump(SECOND, sort_keys=False) + "---\n" + SECOND_BODY, encoding="utf-8")
    log = {"article": SECOND["id"], "curator": "test", "minutes": 2,
           "proposals": [{"draft_id": "d1", "actor": "KAZ", "target": "taliban", "quote_start": 9, "fate": "accepted",
                          "event": EVENT["id"]}],
           "sources_added": [{"event": EVENT["id"], "quote": SECOND_QUOTE}], **changes}  # fmt: skip
    path = staged / "curation" / name
    path.write_text(yaml.safe_dump(log, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _event(folder: Path, event_id: str) -> dict:
    return next(e for e in yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8"))["events"] if e["id"] == event_id)


def test_a_log_adds_its_article_as_a_source_of_an_existing_event_in_place_and_idempotently(folder: Path, staged: Path) -> None:
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    before = (folder / "events.yaml").read_text(encoding="utf-8")
    batch = apply_logs([_second(staged)], folder, staged / "articles")
    assert batch.problems == []
    assert batch.added == {"articles": [SECOND["id"]], "sources": [f"{EVENT['id']} <- {SECOND['id']}"]}
    assert _event(folder, EVENT["id"])["sources"] == [*EVENT["sources"], {"article": SECOND["id"], "quote": SECOND_QUOTE}]
    after = (folder / "events.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    edits = [op for op in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes() if op[0] != "equal"]
    assert [(op[0], op[2] - op[1], op[4] - op[3]) for op in edits] == [("insert", 0, 3)], "three lines added, nothing else"
    assert SECOND["id"] in new_lines[edits[0][3]] and SECOND_QUOTE in new_lines[edits[0][3] + 2]
    again = apply_logs([_second(staged)], folder, staged / "articles")
    assert again.problems == [] and again.changes == {}
    assert again.skipped["sources"] == [f"{EVENT['id']} <- {SECOND['id']}"]
    both = apply_logs([_log(staged), _second(staged)], folder, staged / "articles")
    assert both.problems == [] and both.changes == {}, "the first log's event, with a source added since, is still 'the same'"


def test_a_source_added_to_an_event_new_in_the_same_batch_is_saved_with_it(folder: Path, staged: Path) -> None:
    batch = apply_logs([_log(staged), _second(staged)], folder, staged / "articles")
    assert batch.problems == []
    assert [s["article"] for s in _event(folder, EVENT["id"])["sources"]] == [FRONT["id"], SECOND["id"]]
    assert apply_logs([_log(staged), _second(staged)], folder, staged / "articles").changes == {}


@pytest.mark.parametrize(("entry", "field", "words"), [
    ({"event": "no-such-event", "quote": SECOND_QUOTE}, "event", "is not an event of the data folder or the batch"),
    ({"event": EVENT["id"], "quote": "Kazakhstan banned nobody"}, "quote", "is not verbatim in the article"),
    ({"event": EVENT["id"]}, "quote", "verbatim"),
    ({"quote": SECOND_QUOTE}, "event", "names an existing event"),
    ({"event": EVENT["id"], "quote": SECOND_QUOTE, "place": "almaty"}, None, "unknown field"),
    ({"event": EVENT["id"], "quote": SECOND_QUOTE, "date": "2024", "date_note": "Last week."}, "date",
     "is not inside the event's date '2023-12-25'"),
    ({"event": EVENT["id"], "quote": SECOND_QUOTE, "date": "2023-12-32", "date_note": "x"}, "date", "not a real calendar day"),
    ({"event": EVENT["id"], "quote": SECOND_QUOTE, "date_note": "Last week."}, "date_note", "comes with the 'date'"),
])  # fmt: skip
def test_a_bad_source_entry_is_a_located_error_and_nothing_is_written(
        folder: Path, staged: Path, entry: dict, field: str | None, words: str) -> None:  # fmt: skip
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    before = store.read_state(folder)
    log = _second(staged, sources_added=[entry], proposals=[])
    batch = apply_logs([log], folder, staged / "articles")
    assert [(p.file, p.record.split(" ")[0], p.field) for p in batch.problems] == [(str(log), "sources_added[0]", field)]
    assert words in batch.problems[0].message
    assert store.read_state(folder) == before


MONTH = {**EVENT, "date": "2023-12", "date_note": "The article of 29 December says only that it was this month."}
REFINED = {"event": EVENT["id"], "quote": SECOND_QUOTE, "date": "2023-12-25",
           "date_note": "The second report's \"last week\" with the first's \"on Monday\": Monday 25 December."}  # fmt: skip


def test_a_source_may_refine_the_events_date_within_its_precision_in_place_and_idempotently(
        folder: Path, staged: Path) -> None:  # fmt: skip
    assert apply_logs([_log(staged, events=[MONTH])], folder, staged / "articles").problems == []
    before = (folder / "events.yaml").read_text(encoding="utf-8")
    batch = apply_logs([_second(staged, sources_added=[REFINED])], folder, staged / "articles")
    assert batch.problems == []
    assert batch.added["dates"] == [f"{EVENT['id']} 2023-12 -> 2023-12-25"]
    saved = _event(folder, EVENT["id"])
    assert (saved["date"], saved["date_note"]) == (REFINED["date"], REFINED["date_note"])
    assert [s["article"] for s in saved["sources"]] == [FRONT["id"], SECOND["id"]]
    old_lines, new_lines = before.splitlines(), (folder / "events.yaml").read_text(encoding="utf-8").splitlines()
    edits = [op for op in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes() if op[0] != "equal"]
    assert [(op[0], op[2] - op[1], op[4] - op[3]) for op in edits] == [("replace", 1, 1), ("replace", 1, 1),
                                                                  ("insert", 0, 3)], (
        "the date line and the note's line replaced, the source's three lines added, nothing else")
    again = apply_logs([_second(staged, sources_added=[REFINED])], folder, staged / "articles")
    assert again.problems == [] and again.changes == {}
    both = apply_logs([_log(staged, events=[MONTH]), _second(staged, sources_added=[REFINED])], folder, staged / "articles")
    assert both.problems == [] and both.changes == {}, "the first log's event, its date refined since, is still 'the same'"


def test_a_refined_date_of_an_event_new_in_the_batch_is_saved_with_it(folder: Path, staged: Path) -> None:
    batch = apply_logs([_log(staged, events=[MONTH]), _second(staged, sources_added=[REFINED])], folder, staged / "articles")
    assert batch.problems == []
    assert _event(folder, EVENT["id"])["date"] == "2023-12-25"


@pytest.mark.parametrize(("event", "entry", "field", "words"), [
    (MONTH, {**REFINED, "date_note": " "}, "date_note", "a refined date needs a 'date_note'"),
    ({**MONTH, "date": "2024"}, {**REFINED, "date": "2024-05"}, "date", "after the article's publication (2024-01-02)"),
    (MONTH, {**REFINED, "date": "2023-11-30"}, "date", "only refine the date within its precision"),
])  # fmt: skip
def test_a_refinement_outside_the_old_window_or_without_a_note_is_a_located_error(
        folder: Path, staged: Path, event: dict, entry: dict, field: str, words: str) -> None:  # fmt: skip
    _assert_refused_where_it_is(folder, staged, [event], entry, field, words)


DISAGREES = {"event": EVENT["id"], "quote": SECOND_QUOTE, "source_date": "2023-12-20",
             "source_date_note": "\"Last week\" before Tuesday 2 January 2024 is 25-31 December; taken as the 20th by "
                                 "this text's own count, against the first report's \"on Monday\", 25 December."}  # fmt: skip


def test_a_source_that_dates_the_act_otherwise_records_its_date_on_the_source(folder: Path, staged: Path) -> None:
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    batch = apply_logs([_second(staged, sources_added=[DISAGREES])], folder, staged / "articles")
    assert batch.problems == []
    saved = _event(folder, EVENT["id"])
    assert (saved["date"], saved["date_note"]) == (EVENT["date"], EVENT["date_note"]), "the event's date is kept"
    assert saved["sources"][-1] == {"article": SECOND["id"], "quote": SECOND_QUOTE, "date": "2023-12-20",
                                    "date_note": DISAGREES["source_date_note"]}  # fmt: skip
    assert "date: '2023-12-20'" in (folder / "events.yaml").read_text(encoding="utf-8"), "a date as a quoted string"
    again = apply_logs([_second(staged, sources_added=[DISAGREES])], folder, staged / "articles")
    assert again.problems == [] and again.changes == {}


@pytest.mark.parametrize(("entry", "field", "words"), [
    ({**DISAGREES, "source_date": "2023-12"}, "source_date", "agrees with the event's date '2023-12-25'"),
    ({**DISAGREES, "source_date_note": " "}, "source_date_note", "needs a 'source_date_note'"),
    ({k: v for k, v in DISAGREES.items() if k != "source_date"}, "source_date_note", "comes with the 'source_date'"),
    ({**DISAGREES, "source_date": "2024-01-05"}, "source_date", "after the article's publication (2024-01-02)"),
    ({**DISAGREES, "source_date": 2023}, "source_date", "write the date as a quoted string"),
])  # fmt: skip
def test_a_source_date_that_agrees_lacks_its_note_or_postdates_the_article_is_a_located_error(
        folder: Path, staged: Path, entry: dict, field: str, words: str) -> None:  # fmt: skip
    _assert_refused_where_it_is(folder, staged, [EVENT], entry, field, words)


def test_an_article_already_citing_the_event_with_another_quote_is_refused(folder: Path, staged: Path) -> None:
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    log = _second(staged, sources_added=[{"event": EVENT["id"], "quote": SECOND_QUOTE},
                                         {"event": EVENT["id"], "quote": "a move analysts called overdue"}])  # fmt: skip
    batch = plan_logs([log], folder, staged / "articles")
    assert [(p.record, p.field) for p in batch.problems] == [(f"sources_added[1] (event '{EVENT['id']}')", "event")]
    assert "already a source of this event" in batch.problems[0].message
    own = _log(staged, "c.yaml", sources_added=[{"event": EVENT["id"], "quote": "Kazakhstan said on Monday"}], events=[])
    assert "already a source" in plan_logs([own], folder, staged / "articles").problems[0].message


def test_adding_a_source_refuses_an_events_file_changed_after_it_was_read(
        folder: Path, staged: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    edit_after_planning(folder, monkeypatch)
    batch = apply_logs([_second(staged)], folder, staged / "articles")
    assert any("changed on disk" in p.message for p in batch.problems)
    assert len(_event(folder, EVENT["id"])["sources"]) == 1


# ---------------------------------------------------------------------------
# possible duplicates listed, and merged by a person's command

def _coded_twice(folder: Path, staged: Path) -> str:
    """EVENT, and the second article's report of it coded again as another event (a duplicate)."""
    twin = {**EVENT, "id": "kazakhstan-delists-taliban-2023-12", "date": "2023-12",
            "sources": [{"article": SECOND["id"], "quote": SECOND_QUOTE}]}  # fmt: skip
    logs = [_log(staged), _second(staged, sources_added=[], events=[twin], proposals=[])]
    assert apply_logs(logs, folder, staged / "articles").problems == []
    return twin["id"]


def test_duplicates_lists_same_dyad_and_type_within_the_window_not_shared_articles(folder: Path, staged: Path) -> None:
    from lib.model.load import load_dataset
    from lib.reading.duplicates import candidates

    twin = _coded_twice(folder, staged)
    found = candidates(load_dataset(folder))
    assert [(c.first.id, c.second.id, c.days_apart) for c in found] == [(twin, EVENT["id"], 0)]
    assert candidates(load_dataset(folder), days=-1) == [], "overlapping dates are 0 days apart, never negative"


def test_duplicates_leaves_out_far_dates_other_types_and_events_of_one_article(tmp_path: Path) -> None:
    from lib.model.load import load_dataset
    from lib.reading.duplicates import candidates

    root = write_data_dir(tmp_path / "data")
    ds = load_dataset(root)
    base = ds.events[0]

    def like(i: str, date: str, article: str, **kw: object):
        src = base.sources[0].model_copy(update={"article": article})
        return base.model_copy(update={"id": i, "date": date, "sources": [src], **kw})

    events = [like("a", "2020-01-01", "x"), like("b", "2020-01-31", "y"), like("c", "2020-03-15", "z"),
              like("d", "2020-01-02", "x"), like("e", "2020-01-05", "w", event_type="material_conflict")]  # fmt: skip
    import dataclasses

    found = candidates(dataclasses.replace(ds, events=events))
    assert [(c.first.id, c.second.id, c.days_apart) for c in found] == [("a", "b", 30), ("d", "b", 29)]


def test_merge_moves_the_sources_removes_the_duplicate_and_refuses_other_dyads(
        folder: Path, staged: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    twin = _coded_twice(folder, staged)
    before = store.read_state(folder)
    assert main(["--data", str(folder), "merge", twin, "--into", "no-such-event"]) == 1
    assert "no such event" in capsys.readouterr().err and store.read_state(folder) == before
    assert main(["--data", str(folder), "duplicates"]) == 0
    assert twin in capsys.readouterr().out
    assert main(["--data", str(folder), "merge", twin, "--into", EVENT["id"]]) == 0
    events = yaml.safe_load((folder / "events.yaml").read_text(encoding="utf-8"))["events"]
    assert twin not in [e["id"] for e in events]
    assert [s["article"] for s in _event(folder, EVENT["id"])["sources"]] == [FRONT["id"], SECOND["id"]]
    other = next(e["id"] for e in events if e["id"] != EVENT["id"])
    assert main(["--data", str(folder), "merge", other, "--into", EVENT["id"]]) == 1
    assert "not the same occurrence" in capsys.readouterr().err


def test_the_skeleton_points_a_re_report_to_the_event_it_may_be(folder: Path, tmp_path: Path) -> None:
    from lib.reading.batch import log_skeleton

    # the fixture folder holds 'taliban-warns-kaz' (taliban -> KAZ, verbal conflict, 2011-05)
    meta = {"id": "tw-2011-06-02-taliban-warning", "title": "Taliban Warning", "outlet": "Test Wire", "author": None,
            "published": "2011-06-02", "approximate": True, "url": None}  # fmt: skip
    path = tmp_path / f"{meta['id']}.md"
    path.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n"
                    "The Taliban warned Kazakhstan against sending troops, officials said.\n", encoding="utf-8")  # fmt: skip
    text = log_skeleton(path, folder)
    log = yaml.safe_load(text)
    (warning,) = [p for p in log["proposals"] if (p["actor"], p["target"]) == ("taliban", "KAZ")]
    assert warning["same_occurrence"] == ["taliban-warns-kaz"]
    assert log["sources_added"] == [] and "`sources_added`" in "".join(line for line in text.splitlines() if line.startswith("#"))
    assert all("same_occurrence" not in p for p in log["proposals"] if p is not warning)


def test_a_proposal_accepted_into_an_existing_event_must_add_the_source(folder: Path, staged: Path) -> None:
    assert apply_logs([_log(staged)], folder, staged / "articles").problems == []
    log = _second(staged, sources_added=[])
    batch = plan_logs([log], folder, staged / "articles")
    assert [(p.file, p.record, p.field) for p in batch.problems] == [(str(log), "proposal 1 ('d1')", "event")]
    assert "sources_added" in batch.problems[0].message


def test_an_event_merged_away_is_not_coded_again_when_its_old_log_is_applied(folder: Path, staged: Path) -> None:
    twin = _coded_twice(folder, staged)
    assert main(["--data", str(folder), "merge", twin, "--into", EVENT["id"]]) == 0
    old_log = _second(staged, "b.yaml", sources_added=[], proposals=[],
                      events=[{**EVENT, "id": twin, "date": "2023-12", "sources": [{"article": SECOND["id"], "quote": SECOND_QUOTE}]}])  # fmt: skip
    batch = plan_logs([old_log], folder, staged / "articles")
    assert [(p.record, p.field) for p in batch.problems] == [(f"event '{twin}'", "sources")]
    assert EVENT["id"] in batch.problems[0].message


def test_merge_is_refused_while_a_briefing_names_the_duplicate(folder: Path, staged: Path) -> None:
    from lib.reading.batch import merge_events

    twin = _coded_twice(folder, staged)
    (folder / "briefings").mkdir(exist_ok=True)
    (folder / "briefings" / "delisting.yaml").write_text(yaml.safe_dump(
        {"title": "Delisting", "slides": [{"heading": "The decision", "event": twin}]}), encoding="utf-8")
    before = store.read_state(folder)
    _, problems = merge_events(twin, EVENT["id"], folder)
    assert problems and all(p.file.endswith("delisting.yaml") and twin in p.message for p in problems), problems
    assert store.read_state(folder) == before


def _assert_refused_where_it_is(
        folder: Path, staged: Path, events: list[dict], entry: dict, field: str, words: str) -> None:  # fmt: skip
    """A second article's `sources_added` entry is refused, located at the entry and field, and nothing is written."""
    assert apply_logs([_log(staged, events=events)], folder, staged / "articles").problems == []
    before = store.read_state(folder)
    log = _second(staged, sources_added=[entry], proposals=[])
    batch = apply_logs([log], folder, staged / "articles")
    assert [(p.file, p.record, p.field) for p in batch.problems] == [(str(log), f"sources_added[0] (event '{EVENT['id']}')", field)]
    assert words in batch.problems[0].message
    assert store.read_state(folder) == before


def test_check_runs_the_saves_whole_folder_check_and_writes_nothing(
        folder: Path, staged: Path, capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    """`apply --check` refuses what `apply` would refuse: an article id over the schema's length passes planning
    but not the folder's check, and only the real save used to say so."""
    before = store.read_state(folder)
    long_id = "a" * 121
    article = staged / "articles" / f"{FRONT['id']}.md"
    text = article.read_text(encoding="utf-8").replace(f"id: {FRONT['id']}", f"id: {long_id}", 1)
    (staged / "articles" / f"{long_id}.md").write_text(text, encoding="utf-8")
    event = {**EVENT, "sources": [{**s, "article": long_id} for s in EVENT["sources"]]}
    log = _log(staged, article=long_id, events=[event])
    assert plan_logs([log], folder, staged / "articles").problems == []  # planning alone does not see it
    assert check_logs([log], folder, staged / "articles").problems
    assert main(["--data", str(folder), "apply", str(log), "--check"]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert store.read_state(folder) == before
