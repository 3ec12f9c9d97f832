"""Round-trip YAML edits: the real files survive a load and dump byte for byte; an edit changes only its
record, in the codebook's style, and a value that would read back differently is refused. A quote is written
exactly as given (double spaces, tabs, line breaks, end spaces), and an event whose quote YAML folds or spaces
oddly can still be edited."""

from __future__ import annotations

import difflib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.model.load import split_front_matter
from lib.model.yaml_edit import (
    YamlEditError,
    append_record,
    append_to_record,
    article_text,
    remove_record,
    replace_record,
    set_fields,
)
from tests.conftest import REAL_DATA

EVENTS = """events:
  # first
  - id: a
    title: First  # keep me
    summary: >-
      One line.
    countries: [KAZ]
"""


@pytest.mark.parametrize(("name", "key"), [("events.yaml", "events"), ("actors.yaml", "actors"),
                                           ("countries.yaml", "countries"), ("periods.yaml", "periods")])  # fmt: skip
def test_replacing_a_real_record_with_itself_leaves_the_file_byte_identical(name: str, key: str) -> None:
    text = (REAL_DATA / name).read_text(encoding="utf-8")
    first = yaml.safe_load(text)[key][0]
    id_field = "iso3" if key == "countries" else "id"
    assert replace_record(text, key, first, id_field) == text


def test_editing_a_record_changes_only_its_changed_values_and_keeps_its_comments() -> None:
    new = replace_record(EVENTS, "events", {"id": "a", "title": "First, revised", "summary": "One line.",
                                             "countries": ["KAZ", "AFG"], "location": None})  # fmt: skip
    assert new == EVENTS.replace("First  #", "First, revised #").replace("[KAZ]", "[KAZ, AFG]") + "    location: null\n"


def test_a_dropped_field_is_removed_and_an_id_can_change() -> None:
    new = replace_record(EVENTS, "events", {"id": "b", "title": "First", "summary": "One line."}, old_id="a")
    assert yaml.safe_load(new) == {"events": [{"id": "b", "title": "First", "summary": "One line."}]}
    assert "# first" in new


def test_appending_follows_the_files_separation_and_refuses_a_duplicate_id() -> None:
    assert append_record(EVENTS, "events", {"id": "b", "title": "x"}).endswith("[KAZ]\n  - id: b\n    title: x\n")
    with pytest.raises(YamlEditError, match="already in the list"):
        append_record(EVENTS, "events", {"id": "a", "title": "x"})


@pytest.mark.parametrize("text", ["Colon: here and # hash", "'quoted' and \"double\"", "- starts like a list",
                                  "yes", "null", "2011-05-18", "<script>alert(1)</script>", "tab\there"])  # fmt: skip
def test_awkward_texts_read_back_exactly(text: str) -> None:
    new = append_record(EVENTS, "events", {"id": "b", "title": text, "summary": text + " more", "date": text})
    (_, added) = yaml.safe_load(new)["events"]
    assert added["title"] == text and added["date"] == text
    assert added["summary"] == " ".join((text + " more").split())


def test_a_long_summary_is_one_folded_line_and_its_whitespace_is_collapsed() -> None:
    summary = "A summary\nacross   two lines " * 10
    new = append_record(EVENTS, "events", {"id": "b", "summary": summary})
    assert "    summary: >-\n      A summary across two lines A summary" in new
    assert yaml.safe_load(new)["events"][1]["summary"] == " ".join(summary.split())


def test_a_long_quote_is_kept_exactly_its_line_breaks_and_spaces_too() -> None:
    quote = "A quote\nacross   two lines " * 10
    new = append_record(EVENTS, "events", {"id": "b", "sources": [{"article": "x", "quote": quote}]})
    assert yaml.safe_load(new)["events"][1]["sources"][0]["quote"] == quote


def test_a_file_without_the_list_is_refused_with_a_reason() -> None:
    with pytest.raises(YamlEditError, match="'events:' list"):
        append_record("actors: []\n", "events", {"id": "b"})
    with pytest.raises(YamlEditError, match="not valid YAML"):
        append_record("events: [\n", "events", {"id": "b"})


def test_an_article_file_has_front_matter_then_the_body_exactly() -> None:
    body = "KABUL — “Quoted” text: <b>not markup</b>\r\n\r\n---\r\nSecond paragraph.\n\n"
    meta = {"id": "x-2024-title", "title": "Title: with colon", "outlet": "X", "author": None,
            "published": "2024-06-05", "approximate": False, "published_note": None, "url": None}  # fmt: skip
    text = article_text(meta, body)
    front, rest = split_front_matter(text)
    assert yaml.safe_load(front) == meta
    assert "published: '2024-06-05'\n" in front and "author: null\n" in front
    assert rest == "KABUL — “Quoted” text: <b>not markup</b>\n\n---\nSecond paragraph.\n"


# --- quotes are verbatim (a quote is copied from its article: its spaces, tabs and line breaks stay) ---------

WITH_QUOTE = """events:
  - id: a
    title: First
    sources:
      - article: x
        quote: 'two  spaces'
"""
FOLDED_QUOTE = """events:
  - id: a
    title: First
    sources:
      - article: x
        quote: >-
          a quote the curator wrapped
          over two  lines of the file
"""
AWKWARD_QUOTES = ["two  spaces", "a tab\there", "trailing space ", " leading space", "line\nbreak",
                  "paragraph\n\nbreak", "windows\r\nline", "no\u00a0break space", "three   spaces   twice",
                  "“curly” — dash:  colon # hash", "'quoted'  and  \"double\"", "- starts like a list  item",
                  "ends with a backslash \\", "x " * 3000 + " double  at the end"]  # fmt: skip


def _quote_of(text: str, index: int = 0) -> str:
    return yaml.safe_load(text)["events"][index]["sources"][0]["quote"]


def test_an_edit_of_an_event_whose_quote_has_double_spaces_is_not_refused() -> None:
    record = yaml.safe_load(WITH_QUOTE)["events"][0]
    new = replace_record(WITH_QUOTE, "events", {**record, "title": "First, revised"})
    assert new == WITH_QUOTE.replace("First", "First, revised")  # the quote's line is untouched


def test_a_quote_folded_over_lines_of_the_file_is_left_as_it_is() -> None:
    record = yaml.safe_load(FOLDED_QUOTE)["events"][0]
    assert record["sources"][0]["quote"] == "a quote the curator wrapped over two  lines of the file"
    new = replace_record(FOLDED_QUOTE, "events", {**record, "title": "First, revised"})
    assert new == FOLDED_QUOTE.replace("First", "First, revised")


@pytest.mark.parametrize("quote", AWKWARD_QUOTES)
def test_a_new_or_changed_quote_is_written_exactly(quote: str) -> None:
    added = append_record(EVENTS, "events", {"id": "b", "sources": [{"article": "x", "quote": quote}]})
    assert _quote_of(added, 1) == quote
    for text in (WITH_QUOTE, FOLDED_QUOTE):
        record = yaml.safe_load(text)["events"][0]
        changed = replace_record(text, "events", {**record, "sources": [{"article": "x", "quote": quote}]})
        assert _quote_of(changed) == quote
        assert replace_record(changed, "events", yaml.safe_load(changed)["events"][0]) == changed  # stable


def test_a_plain_quote_is_one_folded_line_still() -> None:
    new = append_record(EVENTS, "events", {"id": "b", "sources": [{"article": "x", "quote": "We  will not wait."}]})
    assert "        quote: >-\n          We  will not wait.\n" in new


def test_summaries_are_still_made_one_line() -> None:
    new = append_record(EVENTS, "events", {"id": "b", "summary": "Two  spaces\nand a line."})
    assert yaml.safe_load(new)["events"][1]["summary"] == "Two spaces and a line."


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_quote_reads_back_exactly(quote: str) -> None:
    """Any text the character rule lets in reads back exactly; anything else is refused, never changed."""
    from lib.text import uncarriable

    try:
        added = append_record(EVENTS, "events", {"id": "b", "sources": [{"article": "x", "quote": quote}]})
    except YamlEditError:
        assert uncarriable(quote) is not None, repr(quote)
        return
    assert _quote_of(added, 1) == quote


def test_a_save_through_the_store_keeps_the_quote_and_the_article_body_verbatim(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lib.model import store
    from lib.model.load import load_dataset
    from tests.conftest import make_events, write_data_dir

    monkeypatch.setenv("DASHBOARD_CURATE", "1")
    body = "KABUL —  The Taliban  warned\tKazakhstan on Sunday.\n\nSecond  paragraph,  kept.  "
    folder = write_data_dir(tmp_path / "data")
    meta = {"id": "tw-2011-06-08-warned", "title": "Warned", "outlet": "Test Wire", "author": None,
            "published": "2011-06-08", "approximate": False, "published_note": None, "url": None}  # fmt: skip
    quote = "The Taliban  warned\tKazakhstan"
    event = {**make_events()[0], "id": "tw-new", "sources": [{"article": meta["id"], "quote": quote}]}
    events = append_record((folder / "events.yaml").read_text(encoding="utf-8"), "events", event)
    changes = {f"articles/{meta['id']}.md": article_text(meta, body), "events.yaml": events}
    assert store.save(folder, changes, store.read_state(folder)) == []
    ds = load_dataset(folder)
    saved = next(e for e in ds.events if e.id == "tw-new")
    assert saved.sources[0].quote == quote
    assert ds.articles[meta["id"]].text.strip() == body.strip()
    on_disk = (folder / "articles" / f"{meta['id']}.md").read_text(encoding="utf-8")
    assert on_disk.endswith("---\n" + body + "\n")


SOURCED = """events:
  - id: a
    sources:
      - article: one
        quote: >-
          First words.

  - id: b
    sources:
      - article: two
        quote: "Two  spaces."

  - id: c
    sources:
      - article: three
        quote: >-
          Last.
"""


@pytest.mark.parametrize("quote", ["Plain words.", "  odd\tspacing", "a \"quoted\" word: yes"])
@pytest.mark.parametrize("event_id", ["a", "b", "c"])
def test_a_source_is_appended_in_place_and_the_blank_line_stays_after_the_item(event_id: str, quote: str) -> None:
    new = append_to_record(SOURCED, "events", event_id, "sources", {"article": "new", "quote": quote})
    records = {e["id"]: e for e in yaml.safe_load(new)["events"]}
    assert records[event_id]["sources"][-1] == {"article": "new", "quote": quote}
    assert {k: v for k, v in records.items() if k != event_id} == {
        k: v for k, v in ((e["id"], e) for e in yaml.safe_load(SOURCED)["events"]) if k != event_id}  # fmt: skip
    old_lines, new_lines = SOURCED.splitlines(), new.splitlines()
    edits = [op for op in difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes() if op[0] != "equal"]
    assert [op[0] for op in edits] == ["insert"], "lines added, none changed or moved"
    assert new_lines[edits[0][3]].strip() == "- article: new"
    assert new.count("\n\n") == SOURCED.count("\n\n"), "items stay one blank line apart"


def test_a_source_cannot_be_added_to_a_missing_event_or_a_field_that_is_no_list() -> None:
    with pytest.raises(YamlEditError, match="no entry"):
        append_to_record(SOURCED, "events", "zz", "sources", {"article": "x", "quote": "y"})
    with pytest.raises(YamlEditError, match="no 'countries:' list"):
        append_to_record(SOURCED, "events", "a", "countries", "KAZ")


@pytest.mark.parametrize("event_id", ["a", "b", "c"])
def test_removing_a_record_leaves_the_others_as_they_were(event_id: str) -> None:
    new = remove_record(SOURCED, "events", event_id)
    kept = [e for e in yaml.safe_load(SOURCED)["events"] if e["id"] != event_id]
    assert yaml.safe_load(new)["events"] == kept
    assert all(line in SOURCED.splitlines() for line in new.splitlines())
    with pytest.raises(YamlEditError, match="no entry"):
        remove_record(new, "events", event_id)


DATED = """events:
  - id: a
    date: '2014-06'
    title: First  # keep me
    countries: [KAZ]
"""


def test_setting_fields_changes_only_them_and_puts_a_missing_one_after_the_others_given() -> None:
    new = set_fields(DATED, "events", "a", {"date": "2014-06-08", "date_note": "Sunday's attack, in a report of 11 June."})
    assert new.splitlines() == ["events:", "  - id: a", "    date: '2014-06-08'", "    date_note: >-",
                                "      Sunday's attack, in a report of 11 June.", "    title: First  # keep me",
                                "    countries: [KAZ]"]  # fmt: skip
    assert set_fields(new, "events", "a", {"date": "2014-06-08"}) == new
    with pytest.raises(YamlEditError, match="no entry"):
        set_fields(DATED, "events", "b", {"date": "2014"})
