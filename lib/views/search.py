"""The events search at any size: each text field's distinct values matched once, events found by code.

`SearchIndex.build` prepares, once per version of the data, every field the search reads (title, summary,
actor and target names, country codes and names, location, quotes) as its distinct lower-cased values
(Arrow strings) and, per event or per source, the code of the value it holds. A query word is matched
against the distinct values only (RE2 through Arrow, the engine and the rules of
`lib.model.names.spelling_pattern`), and the events are found by looking their codes up in the result: a
million events sharing a few thousand summaries cost a few thousand matches and an array look-up.

A field whose values are mostly distinct (titles) is also split into words: a pattern that cannot match
whitespace is matched against the distinct words and finds the values holding a word it matches, which
is exactly the values it matches. A pattern that may match whitespace (a hyphenated word such as
"al-Qaeda" allows "al Qaeda") is matched against the values themselves.

Names: with a `NameIndex`, a query word (or the whole query) that names an actor or country also finds
that actor's or country's events, by their actor, target and country codes (see `search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.model.names import NameIndex, normalise, spelling_pattern
from lib.model.tables import Tables, event_rows
from lib.views.style import ChartMeta

# A field with more distinct values than this is also indexed by its words (matching a word list is cheaper).
WORDS_ABOVE = 5_000
# A query word with a letter and at most this many letters and digits matches whole words only ("CIS").
SHORT_WORD = 3
_LETTER = r"\pL"
_WHOLE_WORD = r"(?:^|[^\pL\pN])(?:{})(?:[^\pL\pN]|$)"  # RE2: not preceded or followed by a letter or digit


def is_short(word: str) -> bool:
    """Whether a query word is short enough to match whole words only: it holds a letter and at most
    `SHORT_WORD` letters and digits ("CIS", "US", "UN"; not "2001", not "Kabul")."""
    return any(c.isalpha() for c in word) and sum(c.isalnum() for c in word) <= SHORT_WORD


def _lower(values: pd.Index | pd.Series | list[str]) -> pa.Array:
    """Texts as lower-cased Arrow strings (Arrow's `utf8_lower`, as pandas' `str.lower` on its str dtype)."""
    data = values if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
    array = pa.array(data, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):  # a column made by concatenating tables (YAML and Parquet events)
        array = array.combine_chunks()
    return pc.utf8_lower(array.cast(pa.large_string()))


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Per entry the code of its value (-1: missing) and the distinct values; a categorical's own codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int32), pd.Index(column.cat.categories.astype(str))
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return codes.astype(np.int32), pd.Index(np.asarray(uniques, dtype=object))


def _found(hit: pa.Array) -> np.ndarray:
    """An Arrow boolean result as a numpy mask (missing: False)."""
    return np.asarray(pc.fill_null(hit, False).to_numpy(zero_copy_only=False), dtype=bool)


def _found_counts(counts: pa.Array) -> np.ndarray:
    """An Arrow integer result as numpy (missing: 0)."""
    return np.asarray(pc.fill_null(counts, 0).to_numpy(zero_copy_only=False), dtype=np.int64)


@dataclass(frozen=True)
class _Words:
    """The words of a field's distinct values: each distinct word once, and which value each occurrence is in."""

    vocabulary: pa.Array
    lettered: np.ndarray  # positions in `vocabulary` of the words holding a letter
    codes: np.ndarray  # per word occurrence: its position in `vocabulary`
    owners: np.ndarray  # per word occurrence: the value it is in

    @classmethod
    def of(cls, values: pa.Array) -> _Words:
        """Split each value at whitespace (Unicode), as Arrow does."""
        lists = pc.utf8_split_whitespace(values)
        lengths = _found_counts(pc.list_value_length(lists))
        encoded = pc.dictionary_encode(lists.flatten())
        owners = np.repeat(np.arange(len(values), dtype=np.int32), lengths)
        vocabulary = encoded.dictionary
        lettered = np.flatnonzero(_found(pc.match_substring_regex(vocabulary, _LETTER)))
        return cls(vocabulary, lettered, np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int32),
                   owners)  # fmt: skip

    def values_with(self, pattern: str, plain: bool, letter: bool, size: int) -> np.ndarray:
        """Which of `size` values hold a word in which `pattern` matches; `letter`: a match needs a letter."""
        if letter:
            candidates = self.vocabulary.take(pa.array(self.lettered))
            positions = self.lettered[_match(candidates, pattern, plain)]
        else:
            positions = np.flatnonzero(_match(self.vocabulary, pattern, plain))
        word_hit = np.zeros(len(self.vocabulary), dtype=bool)
        word_hit[positions] = True
        hit = np.zeros(size, dtype=bool)
        hit[self.owners[word_hit[self.codes]]] = True
        return hit


def _lookup(hit: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """`hit[code]` per code; False for code -1 (missing)."""
    return np.concatenate((np.asarray(hit, dtype=bool), [False]))[codes]  # code -1 takes the added False


def _match(values: pa.Array, pattern: str, plain: bool) -> np.ndarray:
    """Which values contain `pattern` (a plain substring, or an RE2 regular expression)."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    hit = pc.match_substring(values, pattern) if plain else pc.match_substring_regex(values, pattern)
    return _found(hit)


@dataclass(frozen=True)
class _Field:
    """One searchable text field: distinct lower-cased values and, per entry, the code of the one it holds."""

    values: pa.Array
    codes: np.ndarray  # per entry, -1: missing
    rows: np.ndarray | None  # per entry, the event row it belongs to (None: entry i is event row i)
    words: _Words | None

    @classmethod
    def of(cls, codes: np.ndarray, values: pa.Array, rows: np.ndarray | None = None) -> _Field:
        words = _Words.of(values) if len(values) > WORDS_ABOVE else None
        return cls(values, codes, rows, words)

    def events(self, pattern: str, plain: bool, spans_space: bool, letter: bool, n_events: int) -> np.ndarray:
        """A mask over all events: True where this field contains `pattern`."""
        if self.words is not None and not spans_space:
            hit = self.words.values_with(pattern, plain, letter, len(self.values))
        else:
            hit = _match(self.values, pattern, plain)
        per_entry = _lookup(hit, self.codes)
        if self.rows is None:
            return per_entry
        mask = np.zeros(n_events, dtype=bool)
        mask[self.rows[per_entry]] = True
        return mask


def _country_names(codes: str, meta: ChartMeta) -> str:
    return ", ".join(meta.country(c.strip()) for c in codes.split(",") if c.strip())


@dataclass(frozen=True)
class SearchIndex:
    """Everything the search reads, over every event of `tables.events` (views are positions in it)."""

    n_events: int
    fields: tuple[_Field, ...]
    actor_codes: np.ndarray  # per event, a position in `actor_ids` (-1: none)
    target_codes: np.ndarray
    actor_ids: pd.Index
    target_ids: pd.Index
    countries_codes: np.ndarray
    countries_values: pa.Array  # each distinct `countries` value as written ("KAZ, AFG")
    names: NameIndex | None

    @classmethod
    def build(cls, tables: Tables, meta: ChartMeta, names: NameIndex | None = None) -> SearchIndex:
        """Index the events' text fields, actors and countries (one pass; seconds at a million events)."""
        events = tables.events
        n = len(events)
        fields = []
        # titles are nearly all distinct: kept one per event, not hashed into distinct values
        fields.append(_Field.of(np.arange(n, dtype=np.int32), _lower(events["title"])))
        for name in ("summary", "actor_name", "target_name", "location"):
            codes, values = _codes(events[name])
            fields.append(_Field.of(codes, _lower(values)))
        countries_codes, countries = _codes(events["countries"])
        fields.append(_Field.of(countries_codes, _lower(countries)))
        fields.append(_Field.of(countries_codes, _lower([_country_names(str(c), meta) for c in countries])))
        sources = tables.sources
        rows = sources["row"].to_numpy() if "row" in sources.columns else event_rows(events, sources["event_id"])
        quote_codes, quotes = _codes(sources["quote"])
        known = rows >= 0
        fields.append(_Field.of(quote_codes[known], _lower(quotes), rows[known].astype(np.int64)))
        actor_codes, actor_ids = _codes(events["actor"])
        target_codes, target_ids = _codes(events["target"])
        return cls(n, tuple(fields), actor_codes, target_codes, actor_ids, target_ids, countries_codes,
                   pa.array(np.asarray(countries, dtype=object), type=pa.large_string()), names)  # fmt: skip

    def contains(self, word: str) -> np.ndarray:
        """A mask over all events: True where some field contains the lower-cased `word`, spelt any way
        (`spelling_pattern`) when it has at least three letters, else as written. A short word (`is_short`:
        "cis", "us", "un") matches whole words only, not inside words ("criticise", "forces")."""
        plain = sum(c.isalpha() for c in word) < 3
        pattern = word if plain else spelling_pattern(word)
        if is_short(word):
            pattern, plain = _WHOLE_WORD.format(re.escape(word) if plain else pattern), False
        text = word if plain else normalise(word)
        # Only whitespace (as Arrow splits words) or a hyphen in the word makes a pattern that may match
        # whitespace (`spelling_pattern`); normalising may turn a character into a space ("¨").
        spans_space = "-" in text or pc.utf8_split_whitespace(pa.array([text]))[0].as_py() != [text]
        # A Latin letter of the word becomes a class of Latin letters a match must contain: words without a
        # letter (numbers) cannot match.
        letter = not plain and any("a" <= c <= "z" for c in text)
        found = np.zeros(self.n_events, dtype=bool)
        for field in self.fields:
            found |= field.events(pattern, plain, spans_space, letter, self.n_events)
        return found

    def named(self, text: str, actor_aliases: bool = False) -> np.ndarray:
        """A mask over all events: True for the events of the actors and countries `text` names."""
        if self.names is None:
            return np.zeros(self.n_events, dtype=bool)
        actors, countries = self.names.match_query(text, actor_aliases)
        hit = _lookup(self.actor_ids.isin(list(actors)), self.actor_codes)
        hit |= _lookup(self.target_ids.isin(list(actors)), self.target_codes)
        if countries:
            pattern = r"\b(?:" + "|".join(sorted(countries)) + r")\b"
            hit |= _lookup(_match(self.countries_values, pattern, plain=False), self.countries_codes)
        return hit


def search_mask(events: pd.DataFrame, index: SearchIndex, query: str) -> np.ndarray:
    """Which of `events` (a view of the indexed `tables.events`, its index their positions) `search` keeps."""
    words = [w for w in query.lower().split() if w]
    if not words or events.empty:
        return np.ones(len(events), dtype=bool)
    rows = events.index.to_numpy()
    keep = np.ones(len(events), dtype=bool)
    for word in words:
        found = index.contains(word)[rows]
        keep &= found | index.named(word, actor_aliases=not found.any())[rows]
    if len(words) > 1:
        keep |= index.named(query)[rows]
    return keep


@dataclass(frozen=True)
class Found:
    """What a search found in a view: how many events, and the first of them in the view's order."""

    count: int
    first: pd.DataFrame


def found(events: pd.DataFrame, mask: np.ndarray, limit: int) -> Found:
    """The events `mask` keeps, counted, and the first `limit` of them: a page lists a few rows, and
    selecting hundreds of thousands of found rows only to count them costs more than the search."""
    positions = np.flatnonzero(mask)
    return Found(len(positions), events.iloc[positions[:limit]])


def search(events: pd.DataFrame, index: SearchIndex, query: str) -> pd.DataFrame:
    """The events (a view of the indexed `tables.events`, its index their positions) whose title, summary,
    actors, countries, location or quotes contain `query`.

    Several words must all occur (in any field). Case, diacritics, apostrophes and transliteration do
    not matter ("nazarbayev" finds "Nazarbaev", "taleban" finds "Taliban"; `lib.model.names.spelling_pattern`).
    With names in the index, a word (or the whole query) that is a name, demonym or capital of an actor or
    country, or another name of a country, also finds that actor's or country's events ("Astana" finds
    Kazakhstan's). A leader or office listed as an actor's alias ("Tokayev") finds the events whose text
    names it, and the actor's events only when no text does. An empty query keeps every event.
    """
    if not query.split() or events.empty:
        return events
    return events[search_mask(events, index, query)]
