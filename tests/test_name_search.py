"""Search that knows the names: the events search and the sidebar find actors and countries by any alias
and by diacritic-free or differently transliterated spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.model.load import load_dataset
from lib.model.names import NameIndex
from lib.model.tables import build_tables
from lib.ui.keys import Keys
from lib.views import sources
from lib.views.style import ChartMeta

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real():
    ds = load_dataset(ROOT / "data")
    tables = build_tables(ds)
    return ds, tables, ChartMeta.from_dataset(ds), NameIndex(ds.actors, ds.countries)


def search(real, query: str, names: bool = True) -> set[str]:
    ds, tables, meta, index = real
    return set(sources.search_events(tables.events, tables, meta, query, index if names else None)["id"])


def text_mentions(real, word: str) -> set[str]:
    ds = real[0]
    return {e.id for e in ds.events if word in (e.title + e.summary + " ".join(s.quote for s in e.sources))}


def test_another_transliteration_finds_the_same_events(real) -> None:
    nazarbaev = text_mentions(real, "Nazarbaev")
    assert nazarbaev
    assert nazarbaev <= search(real, "Nazarbayev", names=False), "the spelling alone finds the text"
    assert nazarbaev <= search(real, "nazarbayev")
    assert search(real, "Tokayev", names=False) == text_mentions(real, "Tokaev")


def test_an_alias_finds_the_actors_events(real) -> None:
    ds = real[0]
    taliban = {e.id for e in ds.events if "taliban" in (e.actor, e.target)}
    assert taliban <= search(real, "Taleban")
    # another name listed on an actor finds the events that use it, and the actor's when none does
    assert search(real, "Islamic Emirate") == text_mentions(real, "Islamic Emirate") != set()
    russia = {e.id for e in ds.events if "RUS" in (e.actor, e.target)}
    assert not text_mentions(real, "Kremlin") and russia <= search(real, "Kremlin")
    assert search(real, "Tokayev") == text_mentions(real, "Tokaev"), "a leader's name: his events, not all his state's"
    kazakhstan = {e.id for e in ds.events if "KAZ" in (e.actor, e.target) or "KAZ" in e.countries}
    assert kazakhstan <= search(real, "Astana")  # the capital stands for the government
    assert kazakhstan <= search(real, "Qazaqstan")


def test_diacritics_and_apostrophes_do_not_matter(real) -> None:
    assert search(real, "Tāliban", names=False) == search(real, "taliban", names=False)
    assert search(real, "al qaeda", names=False) == search(real, "al-Qaeda", names=False)


def test_words_must_all_match_and_unknown_words_find_nothing(real) -> None:
    assert search(real, "Taleban Islamabad") <= search(real, "Taleban")
    assert search(real, "zzzzzz") == set()


def test_the_sidebar_adds_an_actor_found_by_any_name() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    box = at.sidebar.text_input(key=Keys.name_search)
    box.input("Taleban").run()
    assert not at.exception
    assert at.session_state[Keys.actors] == ["taliban"]
    assert "actor=taliban" in "&".join(f"{k}={v}" for k, v in at.query_params.items()) or at.query_params.get("actor") in ("taliban", ["taliban"])
    assert any("Taliban" in c.value for c in at.sidebar.caption)
    at.sidebar.text_input(key=Keys.name_search).input("Afghan").run()
    assert at.session_state[Keys.countries] == ["AFG"], "a name of no actor adds the country"
    at.sidebar.text_input(key=Keys.name_search).input("Atlantis").run()
    assert any("not a name of any actor or country" in c.value for c in at.sidebar.caption)
    assert at.session_state[Keys.actors] == ["taliban"]
