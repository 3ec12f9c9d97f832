"""The events search at scale (lib/views/search.py) finds exactly what a straightforward search finds: every event's
fields read one by one in Python, each query word tried on each field. Fixture events in events.yaml and
in events.parquet (categorical columns, one source per row), leaders and spellings listed as aliases, and
texts with diacritics and other transliterations."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.model.bulk import tables_with_bulk, write_events_parquet
from lib.model.dataset import Dataset
from lib.model.load import load_dataset
from lib.model.names import NameIndex, spelling_pattern
from lib.model.tables import Tables, build_tables
from lib.views import search as search_module
from lib.views.search import SearchIndex, search
from lib.views.style import ChartMeta
from tests.conftest import ACTORS, COUNTRIES, REAL_DATA, write_data_dir

ARTICLE = (
    "ALMATY — President Nursultan Nazarbaev said on Monday that Kazakhstan would not send troops. "
    "Prime minister Kassym-Jomart Tokaev met the Taleban envoy in Dušanbe. "
    "The Tāliban said al-Qaeda had no place in the talks. "
    "An al Qaeda cell was found near Kunduz, officials in Astana said."
)
ALIASED_ACTORS = [
    {**ACTORS[0], "aliases": ["Taleban", "Islamic Emirate"]},
    {**ACTORS[1], "aliases": ["Nazarbaev", "Nazarbayev", "Tokaev", "Tokayev", "Akorda"]},
    ACTORS[2],
    {"id": "TJK", "name": "Tajikistan", "kind": "state", "country": "TJK", "colour": "#88CCEE"},
]
COUNTRY_NAMES = [
    {**COUNTRIES[0], "demonyms": ["Kazakh"], "capital": "Astana", "aliases": ["Qazaqstan"]},
    {**COUNTRIES[1], "demonyms": ["Afghan"], "capital": "Kabul"},
    {**COUNTRIES[2], "demonyms": ["Tajik"], "capital": "Dushanbe"},
]


def _event(n: int, title: str, actor: str, target: str | None, countries: list[str], quote: str, **more: object) -> dict:
    return {"id": f"e-{n}", "date": f"2011-05-{n + 1:02d}", "title": title, "summary": more.pop("summary", "A summary."),
            "actor": actor, "target": target, "countries": countries, "event_type": "verbal_conflict", "stance": -1,
            "sources": [{"article": "mt-2011", "quote": quote}], **more}  # fmt: skip


YAML_EVENTS = [
    _event(0, "Nazarbaev rules out troops", "KAZ", None, ["KAZ"], "Nazarbaev said on Monday", location="Almaty"),
    _event(1, "Tokaev meets the Taleban", "KAZ", "taliban", ["KAZ", "TJK"], "Tokaev met the Taleban envoy in Dušanbe",
           summary="Talks in Dušanbe."),
    _event(2, "Tāliban on al-Qaeda", "taliban", None, ["AFG"], "The Tāliban said al-Qaeda had no place in the talks"),
]  # fmt: skip
PARQUET_EVENTS = [
    _event(10, "A cell in Kunduz", "nato_isaf", "taliban", ["AFG"], "An al Qaeda cell was found near Kunduz",
           location="Kunduz"),
    _event(11, "Astana's officials speak", "KAZ", "nato_isaf", ["KAZ"], "officials in Astana said",
           summary="Officials in Astana comment."),
    _event(12, "Kazakhstan would not send troops", "KAZ", None, ["KAZ", "AFG"], "Kazakhstan would not send troops"),
    _event(13, "Prime minister Kassym-Jomart Tokaev", "TJK", "KAZ", ["TJK"], "Prime minister Kassym-Jomart Tokaev"),
]  # fmt: skip
QUERIES = [
    "Nazarbayev", "nazarbaev", "NAZARBAEV", "Tokayev", "tokaev", "Taliban", "taleban", "Tāliban", "Talibán",
    "al-Qaeda", "al qaeda", "alqaeda", "Qaeda", "Astana", "Kazakh", "kazak", "Qazaqstan", "Kazakhstan troops",
    "Dushanbe", "Dušanbe", "Tajik", "Akorda", "Islamic Emirate", "Kunduz", "kaz", "afg", "us", "in", "a", "zzzz",
    "Kassym-Jomart", "kassym jomart", "astana's", "Tokaev Taleban", "troops Nazarbayev", "the-talks", "11",
    "cis", "CIS", "un", "sco", "al",
]  # fmt: skip


def reference(ds: Dataset, event_ids: list[str], index: NameIndex, query: str) -> set[str]:
    """The search spelt out: per event, per field, per word, in Python (`re` and `str.lower`)."""
    events = {e.id: e for e in ds.events}

    def fields(event_id: str) -> list[str]:
        e = events[event_id]
        names = [ds.actors[a].name for a in (e.actor, e.target) if a]
        countries = [", ".join(e.countries), ", ".join(ds.countries[c].name for c in e.countries)]
        return [e.title, e.summary, *names, *countries, e.location or "", *(s.quote for s in e.sources)]

    def contains(event_id: str, word: str) -> bool:
        core = re.escape(word) if sum(c.isalpha() for c in word) < 3 else spelling_pattern(word)
        if any(c.isalpha() for c in word) and sum(c.isalnum() for c in word) <= 3:  # short: whole words only
            return any(re.search(rf"(?<![^\W_])(?:{core})(?![^\W_])", f.lower()) for f in fields(event_id))
        if sum(c.isalpha() for c in word) < 3:
            return any(word in f.lower() for f in fields(event_id))
        return any(re.search(core, f.lower()) for f in fields(event_id))

    def named(event_id: str, text: str, actor_aliases: bool = False) -> bool:
        actors, countries = index.match_query(text, actor_aliases)
        e = events[event_id]
        return e.actor in actors or e.target in actors or bool(set(e.countries) & countries)

    words = query.lower().split()
    if not words:
        return set(event_ids)
    keep = set(event_ids)
    for word in words:
        found = {i for i in event_ids if contains(i, word)}
        keep &= found | {i for i in event_ids if named(i, word, actor_aliases=not found)}
    if len(words) > 1:
        keep |= {i for i in event_ids if named(i, query)}
    return keep


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Dataset, Tables, ChartMeta, NameIndex]:
    """Events in YAML and in Parquet; `everything` is the same folder with all events in YAML (for the reference)."""
    root = tmp_path_factory.mktemp("search")
    body = {"article_body": ARTICLE, "actors": ALIASED_ACTORS}
    folder = write_data_dir(root / "data", YAML_EVENTS, **body)
    (folder / "countries.yaml").write_text(_countries_yaml(), encoding="utf-8")
    write_events_parquet(PARQUET_EVENTS, folder / "events.parquet")
    ds = load_dataset(folder)
    tables = tables_with_bulk(ds, build_tables(ds))
    assert not [p for p in ds.problems if p.is_error], ds.problems
    assert len(tables.events) == len(YAML_EVENTS) + len(PARQUET_EVENTS)
    assert isinstance(tables.events["summary"].dtype, pd.CategoricalDtype), "parquet path taken"
    everything = write_data_dir(root / "all-yaml", YAML_EVENTS + PARQUET_EVENTS, **body)
    (everything / "countries.yaml").write_text(_countries_yaml(), encoding="utf-8")
    reference_ds = load_dataset(everything)
    return ds, reference_ds, tables, ChartMeta.from_dataset(ds), NameIndex(ds.actors, ds.countries)


def _countries_yaml() -> str:
    import yaml

    return yaml.safe_dump({"countries": COUNTRY_NAMES}, allow_unicode=True, sort_keys=False)


@pytest.fixture(params=["values", "words"])
def words_above(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a field is matched: its distinct values, or (for fields with many values) its words."""
    if request.param == "words":
        monkeypatch.setattr(search_module, "WORDS_ABOVE", 0)
    return request.param


@pytest.mark.parametrize("query", QUERIES)
def test_the_fast_search_finds_what_the_reference_finds(fixture_data, words_above: str, query: str) -> None:
    _, reference_ds, tables, meta, index = fixture_data
    fast = set(search(tables.events, SearchIndex.build(tables, meta, index), query)["id"])
    assert fast == reference(reference_ds, list(tables.events["id"]), index, query)


def test_names_and_spellings_find_the_events_that_use_another_spelling(fixture_data, words_above: str) -> None:
    _, _, tables, meta, index = fixture_data
    built = SearchIndex.build(tables, meta, index)

    def found(query: str) -> set[str]:
        return set(search(tables.events, built, query)["id"])

    assert {"e-0"} <= found("Nazarbayev"), "Nazarbaev's text, found by the other spelling"
    assert found("Tokayev") == found("Tokaev") == {"e-1", "e-13"}, "a leader: the events naming him, not all Kazakhstan's"
    assert {"e-1", "e-2", "e-10"} <= found("Taleban") == found("Taliban"), "Tāliban, Taleban and the actor's events"
    assert found("Dushanbe") >= {"e-1"}, "Dušanbe without its diacritic"
    assert found("al-Qaeda") == found("al qaeda") == {"e-2", "e-10"}, "with or without the hyphen, across words"
    assert found("Astana") >= {"e-11", "e-0", "e-12"}, "the capital stands for Kazakhstan's events"
    assert found("zzzz") == set()


def test_a_view_keeps_only_its_own_events_and_an_empty_query_keeps_all(fixture_data) -> None:
    _, reference_ds, tables, meta, index = fixture_data
    built = SearchIndex.build(tables, meta, index)
    view = tables.events[tables.events["id"].isin(["e-0", "e-2", "e-11"])]
    assert set(search(view, built, "Nazarbayev")["id"]) == {"e-0"}, "the event naming him"
    # where no event of the view names him, the actor he is listed on stands in: Kazakhstan's events
    assert set(search(view[view["id"] != "e-0"], built, "Nazarbayev")["id"]) == {"e-11"}
    assert search(view, built, "  ").equals(view)
    assert set(search(view, built, "Taleban")["id"]) == reference(reference_ds, list(view["id"]), index, "Taleban")


_WORDS = sorted({w for text in [ARTICLE, *(e["title"] for e in YAML_EVENTS + PARQUET_EVENTS)] for w in text.split()})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(alphabet="aeiouykhzqtlnsšāé-' ¨\u200b1", min_size=1, max_size=8),
                min_size=1, max_size=3))  # fmt: skip
def test_any_query_of_the_articles_words_and_letter_soup_agrees_with_the_reference(fixture_data, words: list[str]) -> None:
    _, reference_ds, tables, meta, index = fixture_data
    query = " ".join(words)
    for above in (search_module.WORDS_ABOVE, 0):
        original, search_module.WORDS_ABOVE = search_module.WORDS_ABOVE, above
        try:
            fast = set(search(tables.events, SearchIndex.build(tables, meta, index), query)["id"])
        finally:
            search_module.WORDS_ABOVE = original
        assert fast == reference(reference_ds, list(tables.events["id"]), index, query), (query, above)


def test_on_the_real_data_it_agrees_with_the_reference() -> None:
    ds = load_dataset(REAL_DATA)
    tables = tables_with_bulk(ds, build_tables(ds))
    if len(tables.events) != len(ds.events):
        pytest.skip("the real folder holds events.parquet: the reference reads events.yaml only")
    index = NameIndex(ds.actors, ds.countries)
    built = SearchIndex.build(tables, ChartMeta.from_dataset(ds), index)
    ids = list(tables.events["id"])
    for query in QUERIES:
        assert set(search(tables.events, built, query)["id"]) == reference(ds, ids, index, query), query
    assert np.any([bool(reference(ds, ids, index, q)) for q in QUERIES]), "the queries find something"


def test_the_events_page_searches_parquet_and_yaml_events_by_any_spelling(
    fixture_data, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from lib.ui.keys import Keys

    ds, *_ = fixture_data
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(ds.data_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/events.py").run()
    at.text_input(key=Keys.event_search).input("al-Qaeda").run()
    assert not at.exception
    assert any(c.value.startswith("2 of 7 events contain “al\\-Qaeda”") for c in at.caption), [c.value for c in at.caption]
    titles = set(at.dataframe[0].value["title"])
    assert titles == {"Tāliban on al-Qaeda", "A cell in Kunduz"}, "one from events.yaml, one from events.parquet"


def test_a_page_gets_the_count_and_only_the_first_rows_it_lists(fixture_data) -> None:
    from lib.views.search import found, search_mask
    from lib.views.sources import first_rows

    _, _, tables, meta, index = fixture_data
    events = tables.events
    mask = search_mask(events, SearchIndex.build(tables, meta, index), "Kazakhstan")
    result = found(events, mask, limit=2)
    assert result.count == int(mask.sum()) > 2
    assert list(result.first["id"]) == list(events[mask]["id"][:2]), "the first found, in the view's order"
    listed, note = first_rows(result.first, limit=2, total=result.count)
    assert len(listed) == 2 and f"the first 2 of {result.count} events" in note


def test_a_short_term_matches_whole_words_only(tmp_path: Path) -> None:
    """Issue 19: "CIS" found "criticise", "forces" and "decisive"; a term of up to three letters matches whole words."""
    article = ("Russia criticised the forces in a decisive tone. The CIS summit in Dushanbe, and the (CIS) "
               "council, met. The US-led coalition left.")
    events = [
        _event(0, "Russia criticises the forces", "KAZ", None, ["KAZ"], "Russia criticised the forces in a decisive tone"),
        _event(1, "A CIS summit", "KAZ", None, ["KAZ"], "The CIS summit in Dushanbe"),
        _event(2, "A council", "KAZ", None, ["KAZ"], "council, met", summary="The (CIS) council met."),
        _event(3, "The coalition leaves", "KAZ", None, ["KAZ"], "The US-led coalition left"),
    ]  # fmt: skip
    folder = write_data_dir(tmp_path / "data", events, article_body=article)
    ds = load_dataset(folder)
    tables = build_tables(ds)
    for above in (search_module.WORDS_ABOVE, 0):
        original, search_module.WORDS_ABOVE = search_module.WORDS_ABOVE, above
        try:
            built = SearchIndex.build(tables, ChartMeta.from_dataset(ds), None)
            assert set(search(tables.events, built, "CIS")["id"]) == {"e-1", "e-2"}, above
            assert set(search(tables.events, built, "us")["id"]) == {"e-3"}, "US-led, not 'Russia'"
            assert set(search(tables.events, built, "criticis")["id"]) == {"e-0"}, "longer terms still match inside words"
        finally:
            search_module.WORDS_ABOVE = original
