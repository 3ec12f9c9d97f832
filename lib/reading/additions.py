"""Reference records a curator adds while coding an article: a country not yet in countries.yaml, a place
in any country found through the offline gazetteer, a period. Used by the Curate page and by
`python -m lib.curate`; nothing here writes (`lib.reading.curate.changes` builds the files' new text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from lib.errors import DataProblem
from lib.model import shapes
from lib.model.dataset import Dataset
from lib.model.read import validation_problems
from lib.model.schema import Country, Period, Place
from lib.reading import gazetteer

REGIONS = ("Central Asia", "South Asia", "Eurasia", "Middle East", "East Asia", "North America", "Europe", "Caucasus")
CENTRAL_ASIA = frozenset({"KAZ", "KGZ", "TJK", "TKM", "UZB"})


def iso_name(iso3: str) -> str | None:
    """The ISO 3166-1 short name of an alpha-3 code (pycountry), or None when the code is not one."""
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3.strip().upper()) if len(iso3.strip()) == 3 else None
    return found.name if found else None


def iso_countries() -> dict[str, str]:
    """Every ISO 3166-1 country, alpha-3 code -> short name, by name."""
    import pycountry

    return dict(sorted(((c.alpha_3, c.name) for c in pycountry.countries), key=lambda kv: kv[1]))


def country_record(*, iso3: str, name: str = "", region: str, aliases: Sequence[str] = (),
                   demonyms: Sequence[str] = (), capital: str | None = None) -> dict[str, Any]:  # fmt: skip
    """A countries.yaml entry; the name defaults to the ISO short name, `central_asia` follows the code."""
    code = iso3.strip().upper()
    record: dict[str, Any] = {"iso3": code, "name": name.strip() or iso_name(code) or "", "region": region.strip(),
                              "central_asia": code in CENTRAL_ASIA}  # fmt: skip
    for key, values in (("aliases", aliases), ("demonyms", demonyms)):
        cleaned = [v.strip() for v in values if v.strip()]
        if cleaned:
            record[key] = cleaned
    if capital and capital.strip():
        record["capital"] = capital.strip()
    return record


def has_outline(iso3: str) -> bool:
    """Whether the shipped base map (static/topojson) has the country's outline."""
    return shapes.known(iso3)


def country_problems(record: Mapping[str, Any], ds: Dataset, added: Iterable[str] = ()) -> list[DataProblem]:
    """What is wrong with a new country: the schema, a code that is not ISO 3166-1 alpha-3 (pycountry), a
    country already listed, and (a warning) no outline on the shipped base map to draw it."""
    label, rec = f"{ds.data_dir.name}/countries.yaml", f"country '{record.get('iso3')}'"
    try:
        Country.model_validate(dict(record))
    except ValidationError as exc:
        return validation_problems(label, rec, exc, Country)
    problems = []
    code = str(record["iso3"])
    if iso_name(code) is None:
        problems.append(DataProblem(label, rec, "iso3", f"{code!r} is not an ISO 3166-1 alpha-3 country code"))
    if code in ds.countries or code in set(added):
        problems.append(DataProblem(label, rec, "iso3", "this country is already in countries.yaml"))
    if not problems and not has_outline(code):
        problems.append(DataProblem(label, rec, None, "the shipped base map has no outline for it: its events are "
                                    "listed but not drawn on the map", "warning"))  # fmt: skip
    return problems


def place_candidates(name: str, country: str | None = None) -> list[gazetteer.GazetteerPlace]:
    """GeoNames places called `name`, largest first: in `country` when given, else in any country, so a
    capital of a country outside the table is found in its own country."""
    return gazetteer.find(name, country) if country else gazetteer.find_anywhere(name)


def place_record(hit: gazetteer.GazetteerPlace, place_id: str | None = None) -> dict[str, Any]:
    """The places.yaml entry (a town) for a GeoNames place, its coordinates the gazetteer's."""
    resolved = gazetteer.resolve("town", hit.country, geonameid=hit.geonameid)
    return {"id": place_id or gazetteer.slug(hit.name), "name": hit.name, "country": hit.country, "kind": "town",
            "geonameid": hit.geonameid, "lat": resolved.lat, "lon": resolved.lon}  # fmt: skip


def place_problems(record: Mapping[str, Any], ds: Dataset, countries: Iterable[str] = (),
                   added: Iterable[str] = ()) -> list[DataProblem]:  # fmt: skip
    """What is wrong with a new place: the schema, a taken id, a country in neither countries.yaml nor
    `countries` (those being added), coordinates that are not the gazetteer's."""
    label, rec = f"{ds.data_dir.name}/places.yaml", f"place '{record.get('id')}'"
    try:
        place = Place.model_validate(dict(record))
    except ValidationError as exc:
        return validation_problems(label, rec, exc, Place)
    problems = []
    if place.id in ds.places or place.id in set(added):
        problems.append(DataProblem(label, rec, "id", "a place with this id is already in places.yaml"))
    if place.country not in ds.countries and place.country not in set(countries):
        problems.append(DataProblem(label, rec, "country", f"{place.country!r} is not in countries.yaml: add the "
                                    "country first"))  # fmt: skip
    problems.extend(gazetteer.check_places([place], label))
    return problems


def period_record(*, id: str, label: str, start: str, end: str, description: str = "") -> dict[str, Any]:
    """A periods.yaml entry (dates as ISO strings, quoted in the file)."""
    record: dict[str, Any] = {"id": id.strip(), "label": label.strip(), "start": start.strip(), "end": end.strip()}
    if description.strip():
        record["description"] = " ".join(description.split())
    return record


def period_problems(record: Mapping[str, Any], periods: Sequence[Any], label: str = "data/periods.yaml") -> list[DataProblem]:
    """What is wrong with a new period: the schema, start after end, a taken id, an overlap with a period
    already listed (`periods`: Period records or periods.yaml entries)."""
    rec = f"period '{record.get('id')}'"
    try:
        period = Period.model_validate({**record, "start": _date(record.get("start")), "end": _date(record.get("end"))})
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            return validation_problems(label, rec, exc, Period)
        return [DataProblem(label, rec, None, f"dates must be YYYY-MM-DD: {exc}")]
    if period.start > period.end:
        return [DataProblem(label, rec, "end", f"ends ({period.end}) before it starts ({period.start})")]
    problems = []
    for other in periods:
        other_id, start, end = (_get(other, "id"), _date(_get(other, "start")), _date(_get(other, "end")))
        if other_id == period.id:
            problems.append(DataProblem(label, rec, "id", "a period with this id already exists"))
        elif period.start <= end and start <= period.end:
            problems.append(DataProblem(label, rec, "start", f"overlaps period '{other_id}' ({start} to {end}): "
                                        "periods must not overlap"))  # fmt: skip
    return problems


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
