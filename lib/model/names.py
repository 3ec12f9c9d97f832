"""Names of actors and countries: normalised and folded for matching, found in text by name or alias.

One rule for every comparison of names (the drafter, the events search, the sidebar filters):
`normalise` (case, diacritics, apostrophes, dashes) then `fold` (light transliteration folding, so
"Taleban" meets "Taliban", "Nazarbayev" meets "Nazarbaev", "Kazakh" meets "Kazak", "Qazaqstan" meets
"Kazakstan"). Matching is by whole words; an unknown name is never guessed onto a known actor.

Where the names come from: an actor's `name` and `aliases`; a country's `name`, `aliases`, `demonyms`
and `capital`. A state actor (kind `state` whose id is its country's code) also answers to every name
of its country, so "Kazakh", "Kazakstan" and "Astana" all find `KAZ`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from lib.errors import DataProblem
from lib.model.schema import Actor, Country

NameKind = Literal["name", "alias", "demonym", "capital"]

_APOSTROPHES = dict.fromkeys(map(ord, "’‘`´ʼʻ′"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
# Letters that romanisations write with two ("Dušanbe" / "Dushanbe"), before other diacritics go.
_DIGRAPHS = {ord(k): v for k, v in {"š": "sh", "ş": "sh", "ž": "zh", "č": "ch", "Š": "Sh", "Ş": "Sh", "Ž": "Zh", "Č": "Ch"}.items()}
# A word: letters or digits, with apostrophes inside ("O'zbekiston", "Russia's").
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Transliteration folds, applied in order to a normalised word. Each pairs spellings that English
# texts use for the same Central Asian, Afghan, Russian or Arabic name.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"'"), ""),  # O'zbekiston / Ozbekiston
    (re.compile(r"dzh|dj|zh"), "j"),  # Tadzhik / Tadjik / Tajik
    (re.compile(r"kh|q|ck|x"), "k"),  # Kazakh / Kazak, Qazaqstan / Kazakstan, Xujand (Uzbek Latin) / Khujand
    (re.compile(r"gh"), "g"),  # Kirghiz / Kirgiz
    (re.compile(r"(?<=[aeiou])h"), "k"),  # Rahmon / Rakhmon, Muhamedov / Mukhamedov (after kh -> k)
    (re.compile(r"ph"), "f"),
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), ""),  # Nazarbayev / Nazarbaev, Tokayev / Tokaev
    (re.compile(r"(?<=.)y"), "i"),  # Berdymukhamedov / Berdimuhamedov
    (re.compile(r"e"), "i"),  # Taleban / Taliban
    (re.compile(r"(.)\1+"), r"\1"),  # Berdimuhammedov / Berdimuhamedov
)


def normalise(text: str) -> str:
    """Casefold, strip diacritics (š, ž, č as sh, zh, ch), and write every apostrophe as ' and every dash
    as -."""
    text = unicodedata.normalize("NFC", text).translate(_DIGRAPHS)
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).translate(_DASHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", text).casefold()


def _strip_possessive(word: str) -> str:
    return word[:-2] if len(word) > 2 and word.endswith("'s") else word


def fold(word: str) -> str:
    """One normalised word reduced to its matching form (see `_FOLDS`)."""
    word = _strip_possessive(word)
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def name_key(name: str) -> tuple[str, ...]:
    """The folded words of a name: "al-Qaeda" and "Al Qaeda" give the same key."""
    return tuple(fold(w) for w in _WORD.findall(normalise(name)))


def same_name(a: str, b: str) -> bool:
    """Whether two spellings are the same name under the matching rules."""
    return bool(name_key(a)) and name_key(a) == name_key(b)


@dataclass(frozen=True)
class NameEntry:
    """One name a record answers to."""

    text: str
    kind: NameKind
    actor: str | None
    country: str | None
    actor_alias: bool = False  # listed in an actor's `aliases` (leaders, offices, other names)


@dataclass(frozen=True)
class Mention:
    """A known name found in a text: character offsets, the words as written, and what it names."""

    start: int
    end: int
    text: str
    actor: str | None
    country: str | None
    kind: NameKind
    name: str  # the name or alias it matched, as listed in the data


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    key: str


def _tokens(text: str) -> list[_Token]:
    """Words of `text` with their offsets, measured on the original string (normalising keeps offsets:
    it is applied word by word)."""
    out = []
    for match in _WORD.finditer(text.translate(_APOSTROPHES)):
        word = match.group()
        end = match.end()
        if word.endswith("'s") and len(word) > 2:
            end -= 2
        out.append(_Token(match.start(), end, text[match.start() : end], fold(normalise(word))))
    return out


def _case_fits(listed: str, written: str) -> bool:
    """A capitalised name matches only capitalised words ("Iran", not "iran"); an all-capitals
    abbreviation only capitals ("US", not "us")."""
    letters = [c for c in listed if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return all(c.isupper() for c in written if c.isalpha())
    if listed[:1].isupper():
        return written[:1].isupper()
    return True


def record_names(actors: Mapping[str, Actor], countries: Mapping[str, Country]) -> list[NameEntry]:
    """Every name each actor and country answers to (state actors inherit their country's names)."""
    entries: list[NameEntry] = []
    for country in countries.values():
        state = country.iso3 if country.iso3 in actors and actors[country.iso3].kind == "state" else None
        entries.append(NameEntry(country.name, "name", state, country.iso3))
        entries += [NameEntry(a, "alias", state, country.iso3) for a in country.aliases]
        entries += [NameEntry(d, "demonym", state, country.iso3) for d in country.demonyms]
        if country.capital:
            entries.append(NameEntry(country.capital, "capital", state, country.iso3))
    for actor in actors.values():
        home = actor.country
        if actor.kind == "state" and actor.id in countries:
            # its country's names are listed above; its own display name may differ
            if not same_name(actor.name, countries[actor.id].name):
                entries.append(NameEntry(actor.name, "name", actor.id, actor.id))
            entries += [NameEntry(a, "alias", actor.id, actor.id, True) for a in actor.aliases]
            continue
        entries.append(NameEntry(actor.name, "name", actor.id, home if actor.kind == "state" else None))
        entries += [NameEntry(a, "alias", actor.id, home if actor.kind == "state" else None, True) for a in actor.aliases]
    return entries


class NameIndex:
    """Every known name, ready to find in text and to answer free-text queries."""

    def __init__(self, actors: Mapping[str, Actor], countries: Mapping[str, Country]) -> None:
        self.actors = dict(actors)
        self.countries = dict(countries)
        self.entries = record_names(actors, countries)
        self._by_key: dict[tuple[str, ...], list[NameEntry]] = {}
        for entry in self.entries:
            key = name_key(entry.text)
            if key:
                self._by_key.setdefault(key, []).append(entry)
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in self._by_key:
            self._by_first.setdefault(key[0], []).append(key)
        for keys in self._by_first.values():
            keys.sort(key=len, reverse=True)

    def _resolve(self, entries: list[NameEntry], written: str) -> NameEntry | None:
        """The one record a name stands for, or None when it is ambiguous (never guess)."""
        fitting = [e for e in entries if _case_fits(e.text, written)]
        actors = {e.actor for e in fitting if e.actor}
        countries = {e.country for e in fitting if e.country}
        if not fitting or len(actors) > 1 or len(countries) > 1:
            return None
        best = next((e for e in fitting if e.actor), fitting[0])
        return NameEntry(best.text, best.kind, next(iter(actors), None), next(iter(countries), None))

    def find(self, text: str) -> list[Mention]:
        """Known names in `text`, left to right, longest match first, whole words only."""
        tokens = _tokens(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            found = None
            for key in self._by_first.get(tokens[i].key, ()):
                n = len(key)
                if tuple(t.key for t in tokens[i : i + n]) != key:
                    continue
                written = text[tokens[i].start : tokens[i + n - 1].end]
                entry = self._resolve(self._by_key[key], written)
                if entry is not None:
                    found = (n, entry, written)
                    break
            if found is None:
                i += 1
                continue
            n, entry, written = found
            mentions.append(
                Mention(tokens[i].start, tokens[i + n - 1].end, written, entry.actor, entry.country, entry.kind, entry.text)
            )
            i += n
        return mentions

    def match_query(self, query: str, actor_aliases: bool = True) -> tuple[set[str], set[str]]:
        """Actor ids and country codes a search query names: a name it contains ("Nazarbayev" →
        ({"KAZ"}, {"KAZ"}), "the Taleban" → taliban), or a one-word name it begins with at least four
        letters and most of the word ("Nazarb" → KAZ). Without `actor_aliases`, only names, demonyms,
        capitals and countries' aliases count, not the leaders and offices listed on actors."""
        key = name_key(query)
        if not key:
            return set(), set()
        actors: set[str] = set()
        countries: set[str] = set()
        for listed, entries in self._by_key.items():
            n = len(listed)
            inside = any(key[i : i + n] == listed for i in range(len(key) - n + 1))
            partial = (
                n == 1
                and len(key) == 1
                and len(key[0]) >= 4
                and listed[0].startswith(key[0])
                and len(key[0]) >= 0.6 * len(listed[0])
            )
            if inside or partial:
                counted = [e for e in entries if actor_aliases or not e.actor_alias]
                actors |= {e.actor for e in counted if e.actor}
                countries |= {e.country for e in counted if e.country}
        return actors, countries

    def labels(self, actor: str | None = None, country: str | None = None) -> list[str]:
        """Every name listed for one actor or country (its own name first), for display and search."""
        names = [e.text for e in self.entries if (actor and e.actor == actor) or (country and e.country == country)]
        return list(dict.fromkeys(names))


def name_problems(
    actors: Mapping[str, Actor], countries: Mapping[str, Country], actors_file: str, countries_file: str
) -> list[DataProblem]:
    """Names that would make matching ambiguous: one name (after normalising and folding) given to two
    actors, or to two countries. Each problem names the file, the record and the field."""
    problems: list[DataProblem] = []

    def check(records: Iterable[tuple[str, str, list[tuple[str, str]]]], label: str, kind: str) -> None:
        seen: dict[tuple[str, ...], tuple[str, str]] = {}
        for record_id, _, names in records:
            own: set[tuple[str, ...]] = set()
            for field, text in names:
                key = name_key(text)
                if not key or key in own:
                    continue
                own.add(key)
                if key in seen and seen[key][0] != record_id:
                    other, other_text = seen[key]
                    problems.append(
                        DataProblem(
                            label,
                            f"{kind} '{record_id}'",
                            field,
                            f"{text!r} is also a name of {kind} '{other}' ({other_text!r}): "
                            "a name must belong to one record, or text using it cannot be matched",
                        )
                    )
                else:
                    seen.setdefault(key, (record_id, text))

    def actor_names(actor: Actor) -> list[tuple[str, str]]:
        names = [("name", actor.name)] + [(f"aliases[{i}]", a) for i, a in enumerate(actor.aliases)]
        if actor.kind == "state" and actor.id in countries:
            country = countries[actor.id]
            names += [("country's names", n) for n in (country.name, *country.aliases, *country.demonyms)]
            names += [("country's capital", country.capital)] if country.capital else []
        return names

    def country_names(country: Country) -> list[tuple[str, str]]:
        names = [("name", country.name)] + [(f"aliases[{i}]", a) for i, a in enumerate(country.aliases)]
        names += [(f"demonyms[{i}]", d) for i, d in enumerate(country.demonyms)]
        return names + ([("capital", country.capital)] if country.capital else [])

    check(((a.id, a.name, actor_names(a)) for a in actors.values()), actors_file, "actor")
    check(((c.iso3, c.name, country_names(c)) for c in countries.values()), countries_file, "country")
    return problems


_CAPITALISED = re.compile(r"\b[A-Z][\w'’]*(?:[ -](?:(?:al|el|ul|bin|ibn|of|de|the|wal|and)[ -])?[A-Z][\w'’]*)*")


def unknown_names(text: str, mentions: Iterable[Mention], common: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """Runs of capitalised words that are not a known name, not at the start of the text alone and not
    in `common` (titles, months, words capitalised for other reasons): left for the analyst."""
    known = [(m.start, m.end) for m in mentions]
    skip = {normalise(w) for w in common}
    out = []
    for match in _CAPITALISED.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in known):
            continue
        words = [w for w in re.split(r"[ -]", match.group()) if normalise(w.rstrip("'’s")) not in skip]
        if not words:
            continue
        if start == 0 and len(match.group().split()) == 1:
            continue
        if match.group().isupper() and len(match.group()) <= 3:
            continue
        out.append((start, end, match.group()))
    return out


# ---------------------------------------------------------------------------
# search: any spelling of a word, in lower-case text, as one regular expression (no look-arounds or
# back-references, so pyarrow's RE2 engine runs it over a whole column)

_ACCENTED = {
    "a": "aàáâäãåāă", "e": "eèéêëēėęě", "i": "iìíîïīı", "o": "oòóôöõøō", "u": "uùúûüūů", "y": "yýÿ",
    "c": "cçč", "s": "sšşś", "z": "zžźż", "g": "gğ", "n": "nñń", "l": "lł", "r": "rř", "d": "dď", "t": "tť",
}  # fmt: skip
_SAME_VOWELS = "".join(dict.fromkeys(_ACCENTED["e"] + _ACCENTED["i"] + _ACCENTED["y"]))
_GROUPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"dzh|dj|zh|j"), "(?:dzh|dj|zh|j)"),
    (re.compile(r"kh|ck|q|k|x|(?<=[aeiou])h"), f"(?:k+h?|ck|q|h|x|[{_ACCENTED['c']}]k)"),
    (re.compile(r"sh"), "(?:sh|[šş])"),
    (re.compile(r"ch"), "(?:ch|č)"),
    (re.compile(r"gh|g"), f"[{_ACCENTED['g']}]+h?"),
    (re.compile(r"ph|f"), "(?:ph|f+)"),
    (re.compile(r"[eiy]+"), f"[{_SAME_VOWELS}]+"),
    (re.compile(r"[ -]"), r"[\s\-‐‑–—]?"),
)
_APOSTROPHE = "['’ʼ]?"


def spelling_pattern(word: str) -> str:
    """A regular expression that finds `word` in lower-case text however it is spelt: with or without
    diacritics and apostrophes, and in the transliteration variants `fold` unifies ("nazarbayev" finds
    "nazarbaev", "taleban" finds "taliban", "kazakh" finds "kazak")."""
    text = normalise(word).replace("'", "")
    parts: list[str] = []
    i = 0
    while i < len(text):
        for pattern, replacement in _GROUPS:
            match = pattern.match(text, i)
            if match and match.end() > i:
                parts.append(replacement)
                i = match.end()
                break
        else:
            ch = text[i]
            run = 1
            while i + run < len(text) and text[i + run] == ch:
                run += 1
            # a doubled letter may be written single ("Muhammad" / "Muhamad"), a single one doubled
            times = "+" if run <= 2 else f"{{{run - 1},}}"
            parts.append(f"[{re.escape(_ACCENTED.get(ch, ch))}]{times}" if ch.isalnum() else re.escape(ch) * run)
            i += run
    return _APOSTROPHE.join(parts)
