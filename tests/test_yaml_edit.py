"""Round-trip YAML edits: the real files survive a load and dump byte for byte; an edit changes only its
record, in the codebook's style, and a value that would read back differently is refused."""

from __future__ import annotations

import pytest
import yaml

from lib.model.load import split_front_matter
from lib.model.yaml_edit import YamlEditError, append_record, article_text, replace_record
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


def test_a_long_text_is_one_folded_line_and_its_whitespace_is_collapsed() -> None:
    quote = "A quote\nacross   two lines " * 10
    new = append_record(EVENTS, "events", {"id": "b", "sources": [{"article": "x", "quote": quote}]})
    assert "        quote: >-\n          A quote across two lines A quote" in new
    assert yaml.safe_load(new)["events"][1]["sources"][0]["quote"] == " ".join(quote.split())


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
