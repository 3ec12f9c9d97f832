"""Property-based tests: random and mutated input gives data or a clear problem, never an exception."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.model.filters import QUERY_KEYS, FilterOptions, Filters
from lib.model.load import load_dataset
from tests.conftest import make_events, write_data_dir

FIELDS = ["id", "date", "date_note", "title", "summary", "actor", "target", "countries", "location",
          "event_type", "stance", "sources"]  # fmt: skip
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
OPTIONS = FilterOptions(
    countries={"KAZ": "Kazakhstan", "TJK": "Tajikistan", "AFG": "Afghanistan"},
    actors={"taliban": "Taliban", "KAZ": "Kazakhstan"},
    types={"verbal_conflict": "Verbal conflict", "material_conflict": "Material conflict"},
    years=(2000, 2017),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _folder() -> Path:
    return write_data_dir(Path(tempfile.mkdtemp(prefix="prop-")) / "data")


@FUZZ
@given(mutations=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(FIELDS), ANY_VALUE), min_size=1, max_size=4))
def test_mutated_events_load_or_report_problems(mutations: list[tuple[int, str, object]]) -> None:
    events = make_events()
    for index, field, value in mutations:
        events[index][field] = copy.deepcopy(value)
    folder = _folder()
    (folder / "events.yaml").write_text(yaml.safe_dump({"events": events}, allow_unicode=True), encoding="utf-8")
    ds = load_dataset(folder)
    assert len(ds.events) + len({m[0] for m in mutations}) >= 2 or ds.problems
    for problem in ds.problems:
        assert str(problem).startswith("data/")


@FUZZ
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_arbitrary_bytes_as_events_file_never_raise(raw: bytes) -> None:
    folder = _folder()
    (folder / "events.yaml").write_bytes(raw)
    ds = load_dataset(folder)
    assert all(str(p) for p in ds.problems)


@FUZZ
@given(raw=st.text(max_size=300))
def test_arbitrary_article_text_never_raises(raw: str) -> None:
    folder = _folder()
    (folder / "articles" / "mt-2011.md").write_text(raw, encoding="utf-8")
    ds = load_dataset(folder)
    assert ds.problems  # the article is broken or the quotes no longer match


@settings(max_examples=300, deadline=None)
@given(
    params=st.dictionaries(
        st.sampled_from(QUERY_KEYS) | st.text(max_size=10),
        st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=3),
        max_size=6,
    )
)
def test_filter_parser_returns_only_known_values(params: dict) -> None:
    filters = Filters.from_query(params, OPTIONS)
    assert set(filters.countries) <= set(OPTIONS.countries)
    assert set(filters.actors) <= set(OPTIONS.actors)
    assert set(filters.types) <= set(OPTIONS.types)
    for year in (filters.year_from, filters.year_to):
        assert year is None or 0 <= year <= 9999
    if filters.year_from is not None and filters.year_to is not None:
        assert filters.year_from <= filters.year_to
    assert set(filters.to_query()) <= set(QUERY_KEYS)
    assert Filters.from_query(filters.to_query(), OPTIONS) == filters
    assert all(len(note) < 200 for note in filters.notes)
    import re

    assert re.fullmatch(r"[A-Za-z0-9_-]+", filters.slug())
