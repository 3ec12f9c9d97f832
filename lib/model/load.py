"""Read a data folder into validated records, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from lib.errors import DataProblem
from lib.model.briefings import load_briefings
from lib.model.codebook import codebook_problems
from lib.model.dataset import Dataset, normalise_whitespace
from lib.model.distinct import load_distinct
from lib.model.files import recover
from lib.model.governments import government_problems
from lib.model.hints import did_you_mean, quote_departure
from lib.model.names import name_problems
from lib.model.read import load_yaml, read_text, read_yaml, rel_path, short_value, validation_problems, yaml_error_text
from lib.model.schema import (
    NEUTRAL_COLOUR,
    PLACE_KINDS,
    PLACE_PRECISIONS,
    Actor,
    Article,
    ArticleMeta,
    Country,
    Event,
    Period,
    Place,
    Vocab,
)
from lib.paths import data_dir as resolve_data_dir

Model = TypeVar("Model", bound=BaseModel)

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


def load_dataset(folder: str | Path | None = None, *, briefings: bool = True) -> Dataset:
    """Load and validate the data folder's YAML files and articles (default: `$DASHBOARD_DATA_DIR` or `data/`).

    Never raises for bad data: invalid records are left out and described in `problems`. The bulk
    `events.parquet` is not read here: `lib.model.data_folder.load_folder` loads the whole folder as the app does
    (and, with `briefings=False` here, checks the briefings against the events of both files).
    """
    root = resolve_data_dir(folder)
    ds = Dataset(data_dir=root)
    if not root.is_dir():
        ds.problems.append(DataProblem(str(root), None, None, "data folder does not exist"))
        return ds
    try:  # an interrupted save is finished (or its staged files removed) before anything is read
        ds.problems += [DataProblem(root.name, None, None, note, "warning") for note in recover(root)]
    except OSError as exc:
        ds.problems.append(DataProblem(root.name, None, None, f"an interrupted save could not be completed "
                                       f"({exc.strerror or exc}): the folder may hold part of it"))  # fmt: skip
    ds.actors = _load_records(root, "actors.yaml", "actors", Actor, "id", ds.problems, "actor")
    ds.countries = _load_records(root, "countries.yaml", "countries", Country, "iso3", ds.problems, "country")
    ds.periods = list(_load_records(root, "periods.yaml", "periods", Period, "id", ds.problems, "period").values())
    ds.vocab = _load_vocab(root, ds.problems)
    ds.articles = _load_articles(root, ds.problems)
    _check_actor_countries(ds)
    ds.problems.extend(colour_problems(ds.actors, rel_path(root, root / "actors.yaml")))
    ds.problems.extend(name_problems(ds.actors, ds.countries, rel_path(root, root / "actors.yaml"), rel_path(root, root / "countries.yaml")))
    ds.problems.extend(government_problems(ds.countries, ds.actors, rel_path(root, root / "countries.yaml")))
    ds.places = _load_places(root, ds)
    ds.events = _load_events(root, ds)
    _check_articles_used(ds)
    rules = codebook_problems(ds)
    rejected = {p.record for p in rules if p.is_error}
    ds.events = [e for e in ds.events if f"event '{e.id}'" not in rejected]
    ds.problems.extend(rules)
    ds.distinct = load_distinct(root, (e.id for e in ds.events), ds.problems)
    if briefings:
        ds.briefings = load_briefings(root, ds)
    return ds


# ---------------------------------------------------------------------------
# files


def _load_list(root: Path, filename: str, key: str, problems: list[DataProblem]) -> list[tuple[str, Any]]:
    """The items of the list under `key`, each with a label for messages.

    If the file as a whole is malformed YAML, each list item is parsed on its own so that
    one broken entry does not take the others with it.
    """
    path = root / filename
    label = rel_path(root, path)
    text, document, parsed = read_yaml(path, label, problems)
    if not parsed:
        return [] if text is None else _salvage_list(text, key, label, problems)
    if document is None:
        problems.append(DataProblem(label, None, None, f"file is empty: expected a '{key}:' list"))
        return []
    if not isinstance(document, dict) or key not in document:
        problems.append(DataProblem(label, None, None, f"expected a mapping with a '{key}:' list at the top"))
        return []
    items = document[key]
    if items is None:
        problems.append(DataProblem(label, None, key, "the list is empty"))
        return []
    if not isinstance(items, list):
        problems.append(DataProblem(label, None, key, f"expected a list, got {type(items).__name__}"))
        return []
    return [(label, item) for item in items]


_ITEM_START = re.compile(r"^(\s*)- ")


def _salvage_list(text: str, key: str, label: str, problems: list[DataProblem]) -> list[tuple[str, Any]]:
    lines = text.splitlines(keepends=True)
    try:
        key_line = next(i for i, line in enumerate(lines) if line.rstrip() == f"{key}:")
    except StopIteration:
        return []
    starts: list[int] = []
    indent: str | None = None
    for i in range(key_line + 1, len(lines)):
        match = _ITEM_START.match(lines[i])
        if match and (indent is None or match.group(1) == indent):
            indent = match.group(1) if indent is None else indent
            starts.append(i)
    items: list[tuple[str, Any]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        chunk = "".join(lines[start:end])
        try:
            parsed = load_yaml(chunk)
        except yaml.YAMLError as exc:
            problems.append(
                DataProblem(label, f"entry starting at line {start + 1}", None, f"skipped: {yaml_error_text(exc)}")
            )
            continue
        if isinstance(parsed, list) and len(parsed) == 1:
            items.append((label, parsed[0]))
    return items


# ---------------------------------------------------------------------------
# records


def _record_label(kind: str, item: Any, key: str, position: int) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str) and item[key]:
        return f"{kind} '{item[key]}'"
    return f"{kind} #{position}"


def _validate_items(
    items: list[tuple[str, Any]],
    model: type[Model],
    key: str,
    kind: str,
    problems: list[DataProblem],
    check: Callable[[dict[str, Any], str, str], list[DataProblem]] | None = None,
) -> dict[str, Model]:
    """Validate each item on its own; `check` adds cross-reference problems from the raw fields,
    so an entry with a schema error still has its references reported too."""
    valid: dict[str, Model] = {}
    for position, (label, item) in enumerate(items, start=1):
        record = _record_label(kind, item, key, position)
        if not isinstance(item, dict):
            problems.append(DataProblem(label, record, None, f"expected a mapping of fields, got {short_value(item)}"))
            continue
        found: list[DataProblem] = []
        obj = None
        try:
            obj = model.model_validate(item)
        except ValidationError as exc:
            found.extend(validation_problems(label, record, exc, model))
        if check:
            found.extend(check(item, label, record))
        if obj is not None and getattr(obj, key) in valid:
            found.append(DataProblem(label, record, key, f"duplicate id {getattr(obj, key)!r} (entry #{position} skipped)"))
        if found or obj is None:
            problems.extend(found)
            continue
        valid[getattr(obj, key)] = obj
    return valid


def _load_records(
    root: Path, filename: str, key: str, model: type[Model], id_field: str, problems: list[DataProblem], kind: str
) -> dict[str, Model]:
    items = _load_list(root, filename, key, problems)
    return _validate_items(items, model, id_field, kind, problems)


def _load_vocab(root: Path, problems: list[DataProblem]) -> Vocab | None:
    path = root / "vocab.yaml"
    label = rel_path(root, path)
    text = read_text(path, label, problems)
    if text is None:
        return None
    try:
        document = load_yaml(text)
        return Vocab.model_validate(document)
    except yaml.YAMLError as exc:
        problems.append(DataProblem(label, None, None, yaml_error_text(exc)))
    except ValidationError as exc:
        problems.extend(validation_problems(label, "vocabulary", exc))
    return None


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split a Markdown file into (front matter YAML, body), or None if it has no front matter."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return None
    return match.group(1), text.lstrip("\ufeff")[match.end() :]


def _load_articles(root: Path, problems: list[DataProblem]) -> dict[str, Article]:
    folder = root / "articles"
    articles: dict[str, Article] = {}
    if not folder.is_dir():
        problems.append(DataProblem(rel_path(root, folder), None, None, "folder is missing: no articles to cite"))
        return articles
    for path in sorted(folder.glob("*.md")):
        label = rel_path(root, path)
        text = read_text(path, label, problems)
        if text is None:
            continue
        parts = split_front_matter(text)
        if parts is None:
            problems.append(DataProblem(label, None, None, "has no YAML front matter between '---' lines"))
            continue
        try:
            meta = load_yaml(parts[0])
        except yaml.YAMLError as exc:
            problems.append(DataProblem(label, "front matter", None, yaml_error_text(exc)))
            continue
        if not isinstance(meta, dict):
            problems.append(DataProblem(label, "front matter", None, "expected a mapping of fields"))
            continue
        record = _record_label("article", meta, "id", 1)
        try:
            ArticleMeta.model_validate(meta)
            article = Article.model_validate({**meta, "text": parts[1].strip(), "path": label})
        except ValidationError as exc:
            problems.extend(validation_problems(label, record, exc, ArticleMeta))
            continue
        if article.id != path.stem:
            problems.append(DataProblem(label, record, "id", f"must match the file name {path.stem!r}"))
            continue
        if article.id in articles:
            problems.append(DataProblem(label, record, "id", f"duplicate article id {article.id!r}"))
            continue
        if not article.text:
            problems.append(DataProblem(label, record, None, "has no body text to quote from"))
            continue
        articles[article.id] = article
    return articles


def _check_actor_countries(ds: Dataset) -> None:
    for actor in list(ds.actors.values()):
        if actor.country and ds.countries and actor.country not in ds.countries:
            ds.problems.append(
                DataProblem(
                    rel_path(ds.data_dir, ds.data_dir / "actors.yaml"),
                    f"actor '{actor.id}'",
                    "country",
                    f"{actor.country!r} is not listed in countries.yaml{did_you_mean(actor.country, ds.countries)}",
                )
            )


def colour_problems(actors: dict[str, Actor], label: str) -> list[DataProblem]:
    """An error for each actor whose colour an earlier actor already has, unless both have the shared
    neutral (`NEUTRAL_COLOUR`): a main actor's colour is its own on every chart."""
    first: dict[str, str] = {}
    problems = []
    for actor in actors.values():
        colour = actor.colour.upper()
        if colour == NEUTRAL_COLOUR:
            continue
        if colour in first:
            problems.append(DataProblem(label, f"actor '{actor.id}'", "colour",
                                        f"{actor.colour!r} is already the colour of actor '{first[colour]}': give each "
                                        f"main actor its own colour (only the neutral {NEUTRAL_COLOUR} may be shared)"))
        else:
            first[colour] = actor.id
    return problems


PLACES_FILE = "places.yaml"


def _load_places(root: Path, ds: Dataset) -> dict[str, Place]:
    """data/places.yaml (optional): each place's country is known and its point lies inside that country."""
    if not (root / PLACES_FILE).is_file():
        return {}
    from lib.model import shapes

    def check(item: dict[str, Any], label: str, record: str) -> list[DataProblem]:
        found: list[DataProblem] = []
        country, kind = item.get("country"), item.get("kind")
        if isinstance(country, str) and ds.countries and re.fullmatch(r"[A-Z]{3}", country) and country not in ds.countries:
            found.append(DataProblem(label, record, "country", f"{country!r} is not listed in countries.yaml"))
        if kind == "town" and item.get("geonameid") is None:
            found.append(DataProblem(label, record, "geonameid", "is required for a town (its GeoNames id): "
                                     f"python -m lib.gazetteer lookup NAME --country {country}"))  # fmt: skip
        if kind in ("province", "region") and not item.get("admin1_of"):
            found.append(DataProblem(label, record, "admin1_of", f"is required for a {kind}: a town in each "
                                     "first-order region it covers"))  # fmt: skip
        lat, lon = item.get("lat"), item.get("lon")
        if isinstance(country, str) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
            if shapes.known(country) and not shapes.contains(country, float(lat), float(lon)):
                elsewhere = shapes.countries_at(float(lat), float(lon))
                where = f"it lies in {', '.join(elsewhere)}" if elsewhere else "it lies in no country"
                found.append(DataProblem(label, record, "lat", f"{lat}, {lon} is outside {country}'s outline ({where})"))
        return found

    items = _load_list(root, PLACES_FILE, "places", ds.problems)
    return _validate_items(items, Place, "id", "place", ds.problems, check)


def place_problems(item: dict[str, Any], places: dict[str, Place], label: str, record: str) -> list[DataProblem]:
    """An event's place: known in places.yaml, given with a precision its kind allows, in one of the event's countries."""
    found: list[DataProblem] = []
    place_id, precision = item.get("place"), item.get("place_precision")
    if place_id is None:
        if precision is not None:
            found.append(DataProblem(label, record, "place_precision", "is set but 'place' is not: give the place or "
                                     "leave both out (an event without a place is placed by its countries only)"))  # fmt: skip
        return found
    if not isinstance(place_id, str):
        return found  # the schema reports the type
    place = places.get(place_id)
    if place is None:
        hint = did_you_mean(place_id, places)
        found.append(DataProblem(label, record, "place", f"{place_id!r} is not a place in {PLACES_FILE}{hint}: add it "
                                 "there (python -m lib.gazetteer lookup NAME --country ISO3 prints the entry)"))  # fmt: skip
        return found
    allowed = PLACE_KINDS[place.kind]
    if precision is None:
        found.append(DataProblem(label, record, "place_precision", f"is required with a place: {place.name!r} is a "
                                 f"{place.kind}, so {' or '.join(str(a) for a in allowed)}"))  # fmt: skip
    elif isinstance(precision, int) and precision in PLACE_PRECISIONS and precision not in allowed:
        choices = " or ".join(f"{a} ({PLACE_PRECISIONS[a]})" for a in allowed)
        found.append(DataProblem(label, record, "place_precision", f"{precision} ({PLACE_PRECISIONS[precision]}) does not "
                                 f"fit {place.name!r}, a {place.kind}: use {choices}"))  # fmt: skip
    countries = item.get("countries")
    if isinstance(countries, list) and countries and place.country not in countries:
        found.append(DataProblem(label, record, "place", f"{place.name!r} lies in {place.country}, which is not one of "
                                 f"the event's countries ({', '.join(str(c) for c in countries)})"))  # fmt: skip
    return found


def _load_events(root: Path, ds: Dataset) -> list[Event]:
    items = _load_list(root, "events.yaml", "events", ds.problems)
    normalised_texts = {aid: normalise_whitespace(a.text) for aid, a in ds.articles.items()}

    def check(item: dict[str, Any], label: str, record: str) -> list[DataProblem]:
        found: list[DataProblem] = []
        for name in ("actor", "target"):
            value = item.get(name)
            if isinstance(value, str) and value not in ds.actors:
                found.append(DataProblem(label, record, name,
                                         f"{value!r} is not an actor in actors.yaml{did_you_mean(value, ds.actors)}"))  # fmt: skip
        countries = item.get("countries")
        for i, code in enumerate(countries if isinstance(countries, list) else []):
            if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{3}", code) and code not in ds.countries:
                found.append(DataProblem(label, record, f"countries[{i}]",
                                         f"{code!r} is not listed in countries.yaml{did_you_mean(code, ds.countries)}"))  # fmt: skip
        sources = item.get("sources")
        for i, source in enumerate(sources if isinstance(sources, list) else []):
            if not isinstance(source, dict) or not isinstance(source.get("article"), str):
                continue
            text = normalised_texts.get(source["article"])
            quote = source.get("quote")
            if text is None:
                hint = did_you_mean(source["article"], ds.articles)
                found.append(DataProblem(label, record, f"sources[{i}].article",
                                         f"{source['article']!r} is not an article in articles/{hint}"))  # fmt: skip
            elif isinstance(quote, str) and quote.strip() and normalise_whitespace(quote) not in text:
                where = quote_departure(normalise_whitespace(quote), text)
                found.append(DataProblem(label, record, f"sources[{i}].quote",
                                         f"{short_value(quote)} does not appear verbatim in article {source['article']!r}: {where}"))  # fmt: skip
        found.extend(place_problems(item, ds.places, label, record))
        return found

    return list(_validate_items(items, Event, "id", "event", ds.problems, check).values())


def _check_articles_used(ds: Dataset) -> None:
    cited = {source.article for event in ds.events for source in event.sources}
    for article in ds.articles.values():
        if article.id not in cited:
            ds.problems.append(
                DataProblem(article.path, f"article '{article.id}'", None, "is not cited by any event")
            )
