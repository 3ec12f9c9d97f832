"""Columnar bulk events: `data/events.parquet`, validated column-wise and turned into `Tables`.

The bulk file is optional. When it sits in the data folder its events are loaded in addition to
`events.yaml`; it exists for large event tables (up to millions of rows) that would be slow to
write, read and validate as YAML.

Format (one row per event, one source per row):

    id              string, required, unique (also across events.yaml), slug like YAML ids
    date            string, required: YYYY, YYYY-MM or YYYY-MM-DD (same rules as events.yaml)
    title           string, required, 1-200 characters after stripping
    summary         string, required, non-empty
    date_note       string, optional (null or empty means none)
    actor           string, required: an actor id from actors.yaml
    target          string, optional: an actor id from actors.yaml
    countries       list<string> (preferred; what `write_events_parquet` writes), or a string of
                    ';'-joined codes such as "KAZ;AFG". At least one; each listed in countries.yaml
    location        string, optional
    place           string, optional: a place id in places.yaml, in one of the row's countries
    place_precision integer 1-5, required with a place and allowed by its kind (CODEBOOK.md 4.1)
    place_note      string, optional
    event_type      string, required: one of the four CAMEO QuadClass types
    stance          integer -2..2 (an integer column; a float column is accepted when every value
                    is a whole number)
    source_article  string, required: an article id in articles/
    source_quote    string, required: appears verbatim (whitespace-normalised) in that article

An event with several sources belongs in events.yaml. Text that repeats across events (summary,
date_note, location; sources' article and quote) is read dictionary-encoded and comes back as
pandas categoricals rather than strings: same values, a fraction of the memory at 1M rows (actor,
target and event_type are categoricals on both paths). Text values are stripped like the YAML
loader strips them. Validation is vectorised; each problem becomes a `DataProblem` worded like the
YAML loader's, at most `MAX_PROBLEMS_PER_FIELD` per field plus one "… and N more" line. Rows with
any problem are dropped; valid rows are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lib.errors import DataProblem
from lib.model.dataset import Dataset, normalise_whitespace
from lib.model.files import atomic_path
from lib.model.schema import EVENT_TYPES, PLACE_KINDS, parse_partial_date
from lib.model.tables import EVENT_COLUMNS, Tables, event_rows, finish_events_frame, sorted_categorical
from lib.text import UNCARRIABLE_UTF8, clip, uncarriable

BULK_FILENAME = "events.parquet"
MAX_PROBLEMS_PER_FIELD = 20
MAX_TITLE = 200
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
MAX_SLUG = 120

REQUIRED = ("id", "date", "title", "summary", "actor", "countries", "event_type", "stance",
            "source_article", "source_quote")  # fmt: skip
OPTIONAL = ("date_note", "target", "location", "place", "place_note")
BULK_COLUMNS = ("id", "date", "title", "summary", "date_note", "actor", "target", "countries", "location",
                "event_type", "stance", "source_article", "source_quote", "place", "place_precision",
                "place_note")  # fmt: skip
_INTEGER_COLUMNS = ("stance", "place_precision")
_STRING_COLUMNS = tuple(c for c in BULK_COLUMNS if c != "countries" and c not in _INTEGER_COLUMNS)
# Text read dictionary-encoded and kept as pandas categoricals: values repeat across events, and
# 1M events' summaries and quotes as plain strings would cost hundreds of MB each.
DICTIONARY_COLUMNS = ("summary", "date_note", "actor", "target", "location", "event_type", "source_article",
                      "source_quote", "place", "place_note")  # fmt: skip

PARQUET_SCHEMA = pa.schema(
    [(name, pa.list_(pa.string()) if name == "countries" else pa.int8() if name in _INTEGER_COLUMNS else pa.string())
     for name in BULK_COLUMNS]
)  # fmt: skip


# ---------------------------------------------------------------------------
# writing


def _records_frame(records: Iterable[Any]) -> pd.DataFrame:
    """Rows from bulk-shaped dicts, or event-shaped dicts/`Event` models (with a `sources` list)."""
    rows = []
    for record in records:
        item = record.model_dump() if hasattr(record, "model_dump") else dict(record)
        if "sources" in item:
            sources = item.pop("sources") or []
            if len(sources) != 1:
                raise ValueError(f"event {item.get('id')!r} has {len(sources)} sources; a bulk row holds exactly one")
            item["source_article"] = sources[0]["article"]
            item["source_quote"] = sources[0]["quote"]
        rows.append(item)
    return pd.DataFrame(rows, columns=list(BULK_COLUMNS))


def _countries_array(values: pd.Series) -> pa.Array:
    lists = [
        None if v is None or (isinstance(v, float) and v != v)
        else [c.strip() for c in v.split(";") if c.strip()] if isinstance(v, str)
        else [str(c) for c in v]
        for v in values
    ]  # fmt: skip
    return pa.array(lists, type=pa.list_(pa.string()))


def write_events_parquet(frame_or_records: pd.DataFrame | Iterable[Any], path: str | Path) -> Path:
    """Write events to a bulk Parquet file in the documented format and return its path.

    Accepts a DataFrame with the bulk columns (countries as lists or ';'-joined strings), bulk-shaped
    dicts, or event-shaped dicts / `Event` models with exactly one source each.
    """
    frame = frame_or_records if isinstance(frame_or_records, pd.DataFrame) else _records_frame(frame_or_records)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"missing bulk columns: {', '.join(missing)}")
    arrays = []
    for name in BULK_COLUMNS:
        if name not in frame.columns:
            arrays.append(pa.nulls(len(frame), type=PARQUET_SCHEMA.field(name).type))
        elif name == "countries":
            column = frame[name]
            if column.dtype == object and len(column) and not isinstance(column.dropna().iloc[0], str):
                arrays.append(_countries_array(column))
            else:  # ';'-joined strings: split in Arrow, no Python loop
                joined = pa.Array.from_pandas(column, type=pa.string())
                arrays.append(pc.split_pattern(pc.utf8_trim_whitespace(joined), ";"))
        elif name == "stance":
            arrays.append(pa.array(frame[name].to_numpy(), type=pa.int8()))
        elif name == "place_precision":
            values = pd.to_numeric(frame[name], errors="coerce")
            arrays.append(pa.array(values.to_numpy(dtype=float, na_value=np.nan), type=pa.float64(),
                                   from_pandas=True).cast(pa.int8()))
        else:
            arrays.append(pa.Array.from_pandas(frame[name], type=pa.string()))
    table = pa.Table.from_arrays(arrays, schema=PARQUET_SCHEMA)
    path = Path(path)
    with atomic_path(path) as tmp:  # a half-written Parquet file is never left at `path`
        pq.write_table(table, tmp, compression="zstd")
    return path


# ---------------------------------------------------------------------------
# problems


class _Problems:
    """Collects row problems per field, capped at `MAX_PROBLEMS_PER_FIELD` each, and the rows to drop."""

    def __init__(self, label: str, ids: pd.Series, n_rows: int) -> None:
        self.label = label
        self.ids = ids
        self.bad = np.zeros(n_rows, dtype=bool)
        self.column_level: list[DataProblem] = []
        self.by_field: dict[str, list[DataProblem]] = {}
        self.extra: dict[str, int] = {}

    def record(self, row: int) -> str:
        value = self.ids.iat[row]
        return f"event '{value}'" if isinstance(value, str) and value else f"event #{row + 1}"

    def add(self, field: str, rows: np.ndarray, message: Any) -> None:
        """Report `rows` (positions) for `field`; `message(row)` words each reported one."""
        rows = np.asarray(rows)
        if not len(rows):
            return
        self.bad[rows] = True
        found = self.by_field.setdefault(field, [])
        room = max(0, MAX_PROBLEMS_PER_FIELD - len(found))
        for row in rows[:room]:
            found.append(DataProblem(self.label, self.record(int(row)), field, message(int(row))))
        if len(rows) > room:
            self.extra[field] = self.extra.get(field, 0) + len(rows) - room

    def column(self, field: str | None, message: str) -> None:
        self.column_level.append(DataProblem(self.label, None, field, message))

    def all(self) -> list[DataProblem]:
        out = list(self.column_level)
        for field, found in self.by_field.items():
            out.extend(found)
            if self.extra.get(field):
                out.append(DataProblem(self.label, None, field, f"… and {self.extra[field]} more rows with this problem"))
        return out


def _short(value: Any, limit: int = 60) -> str:
    return clip(repr(value), limit)


# ---------------------------------------------------------------------------
# reading and validating


def _label(ds: Dataset, path: Path) -> str:
    try:  # the file itself may be a link (the check before a save links unchanged files): name it, not its target
        return str(Path(ds.data_dir.name) / (path.parent.resolve() / path.name).relative_to(ds.data_dir.resolve()))
    except ValueError:
        return str(path)


def _dictionary_text(column: pa.ChunkedArray, optional: bool) -> pa.DictionaryArray:
    """A dictionary-encoded text column with its distinct values stripped (and re-unified after stripping)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.unify_dictionaries().combine_chunks() if column.num_chunks else pa.array([], column.type)
    values = column.dictionary
    if not pa.types.is_string(values.type):
        values = pc.cast(values, pa.string())
    values = pc.utf8_trim_whitespace(values)
    if optional:
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    encoded = pc.dictionary_encode(values)
    return pa.DictionaryArray.from_arrays(pc.take(encoded.indices, column.indices), encoded.dictionary)


def _string_frame(table: pa.Table, n_rows: int) -> pd.DataFrame:
    """The text columns in pandas, stripped; empty optional text becomes missing.

    Columns read dictionary-encoded (`DICTIONARY_COLUMNS`) become categoricals, the rest strings.
    """
    columns: dict[str, pd.Series] = {}
    for name in _STRING_COLUMNS:
        if name not in table.column_names:
            columns[name] = pd.Series(pa.nulls(n_rows, type=pa.string()).to_pandas(), dtype="str")
            continue
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            columns[name] = pd.Series(_dictionary_text(column, name in OPTIONAL).to_pandas())
            continue
        if not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        array = pc.utf8_trim_whitespace(column)
        if name in OPTIONAL:
            array = pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)
        columns[name] = pd.Series(array.to_pandas(), dtype="str")
    return pd.DataFrame(columns)


def _read(path: Path) -> pa.Table:
    """Read the file, asking Arrow for dictionary-encoded text where the file stores text (far less memory)."""
    schema = pq.read_schema(path)
    text = [f.name for f in schema if f.name in DICTIONARY_COLUMNS
            and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]  # fmt: skip
    return pq.read_table(path, read_dictionary=text)


def _read_checked(path: Path, ds: Dataset) -> _Checked | list[DataProblem]:
    """The file read and checked, or the problems that stop it being read at all."""
    label = _label(ds, path)
    try:
        holder = [_read(path)]
    except FileNotFoundError:
        return [DataProblem(label, None, None, "file is missing")]
    except (OSError, pa.ArrowException) as exc:
        return [DataProblem(label, None, None, f"cannot be read as Parquet: {exc}")]
    return _check(holder, ds, label)


def load_bulk_tables(path: str | Path, ds: Dataset) -> tuple[Tables, list[DataProblem]]:
    """Read and validate a bulk events file against `ds` (actors, countries, articles, YAML event ids).

    Returns the valid rows as `Tables` with the same columns as `lib.model.tables.build_tables`, and every
    problem found. Never raises for bad data.
    """
    checked = _read_checked(Path(path), ds)
    if isinstance(checked, list):
        return empty_tables(), checked
    return _build(checked, ds), checked.problems.all()


def check_bulk(path: str | Path, ds: Dataset) -> BulkCheck:
    """Every problem `load_bulk_tables` finds, the valid rows' ids and the articles they cite, without
    building the tables (the check before a save: a second copy of a million events is not needed)."""
    checked = _read_checked(Path(path), ds)
    if isinstance(checked, list):
        return BulkCheck(pd.Index([], dtype=object), set(), checked)
    keep = ~checked.problems.bad
    ids = checked.frame["id"][keep]
    cited = set(checked.frame["source_article"][keep].dropna().unique())
    return BulkCheck(pd.Index(ids.to_numpy()), cited, checked.problems.all())


def validate_bulk_table(table: pa.Table, ds: Dataset, label: str = BULK_FILENAME) -> tuple[Tables, list[DataProblem]]:
    """Validate an Arrow table in the bulk format (see the module docstring) and build `Tables`."""
    checked = _check([table], ds, label)
    if isinstance(checked, list):
        return empty_tables(), checked
    return _build(checked, ds), checked.problems.all()


@dataclass(frozen=True)
class BulkCheck:
    """What `check_bulk` finds: the ids of the rows kept, the articles they cite, every problem."""

    ids: pd.Index
    cited: set[str]
    problems: list[DataProblem]


@dataclass
class _Checked:
    """A bulk table after the checks: the text columns, what the checks parsed, and the problems."""

    frame: pd.DataFrame
    problems: _Problems
    start: np.ndarray
    end: np.ndarray
    precision: np.ndarray
    stance: np.ndarray
    link_rows: np.ndarray
    link_codes: pa.Array
    joined: pd.Series
    place_precision: np.ndarray


def _check(holder: list[pa.Table], ds: Dataset, label: str) -> _Checked | list[DataProblem]:
    """Run every check on the table taken out of `holder` (so it is freed once converted); the problems
    alone when a required column is missing."""
    table = holder.pop()
    n = table.num_rows
    missing = [c for c in REQUIRED if c not in table.column_names]
    unknown = [c for c in table.column_names if c not in BULK_COLUMNS]
    head: list[DataProblem] = [DataProblem(label, None, c, "is a required column but missing") for c in missing]
    head += [DataProblem(label, None, c, "is not a known column (misspelt?); ignored") for c in unknown]
    if missing:
        return head
    frame = _string_frame(table, n)
    stance_column, countries_column = table.column("stance"), table.column("countries")
    place_precision_column = table.column("place_precision") if "place_precision" in table.column_names else None
    del table  # the Arrow copy of the text is no longer needed
    problems = _Problems(label, frame["id"], n)
    problems.column_level.extend(head)

    _check_required_text(frame, problems)
    _check_characters(frame, problems)
    _check_ids(frame, ds, problems)
    start, end, precision = _check_dates(frame, problems)
    _check_refs(frame, ds, problems)
    stance = _check_stance(stance_column, problems)
    link_rows, link_codes, joined = _check_countries(countries_column, ds, problems)
    del stance_column, countries_column
    _check_quotes(frame, ds, problems)
    place_precision = _check_places(frame, place_precision_column, link_rows, link_codes, ds, problems)
    return _Checked(frame, problems, start, end, precision, stance, link_rows, link_codes, joined, place_precision)


def _build(checked: _Checked, ds: Dataset) -> Tables:
    """The valid rows of a checked table as `Tables`."""
    frame, problems, n = checked.frame, checked.problems, len(checked.frame)
    start, end, precision, stance = checked.start, checked.end, checked.precision, checked.stance
    link_rows, link_codes, joined = checked.link_rows, checked.link_codes, checked.joined
    place_precision = checked.place_precision
    keep = ~problems.bad
    raw = frame.drop(columns=["source_article", "source_quote"]).assign(
        precision=precision, start=start, end=end, stance=stance, countries=joined, place_precision=place_precision
    )
    raw = raw[keep].reset_index(drop=True)
    for name in raw.columns:
        if isinstance(raw[name].dtype, pd.CategoricalDtype):
            raw[name] = raw[name].cat.remove_unused_categories()
    names = {actor_id: actor.name for actor_id, actor in ds.actors.items()}
    events = finish_events_frame(raw, names)

    kept_rows = np.flatnonzero(keep)
    # where each kept input row landed in the date-ordered events (Arrow hashing, no Python objects)
    ids = pa.array(frame["id"].array)
    position = np.full(n, -1, dtype=np.int64)
    kept_ids = ids if len(kept_rows) == n else ids.take(pa.array(kept_rows))
    position[kept_rows] = pc.index_in(kept_ids, value_set=pa.array(events["id"].array)).to_numpy()
    link_keep = keep[link_rows]
    event_countries = pd.DataFrame(
        {
            "event_id": frame["id"].take(link_rows[link_keep]).reset_index(drop=True),
            "country": sorted_categorical(pc.dictionary_encode(link_codes.filter(pa.array(link_keep))).to_pandas()),
            "row": position[link_rows[link_keep]],
        }
    )
    def kept(name: str) -> pd.Series:
        column = frame[name].reset_index(drop=True)
        column = column if len(kept_rows) == n else column.take(kept_rows).reset_index(drop=True)
        return column.cat.remove_unused_categories() if isinstance(column.dtype, pd.CategoricalDtype) else column

    sources = pd.DataFrame(
        {"event_id": kept("id"), "n": np.ones(len(kept_rows), dtype="int64"),
         "article": kept("source_article"), "quote": kept("source_quote"), "row": position[kept_rows]}
    )  # fmt: skip
    return Tables(events=events, event_countries=event_countries, sources=sources)


def empty_tables() -> Tables:
    """Tables with the usual columns and no rows."""
    raw = pd.DataFrame({c: pd.Series([], dtype=object) for c in EVENT_COLUMNS})
    raw["start"] = pd.Series([], dtype="datetime64[s]")
    raw["end"] = pd.Series([], dtype="datetime64[s]")
    raw["stance"] = pd.Series([], dtype="int8")
    events = finish_events_frame(raw, {})
    return Tables(
        events=events,
        event_countries=pd.DataFrame({"event_id": pd.Series([], dtype="str"),
                                      "country": pd.Series([], dtype="str").astype("category"),
                                      "row": pd.Series([], dtype="int64")}),  # fmt: skip
        sources=pd.DataFrame({"event_id": pd.Series([], dtype="str"), "n": pd.Series([], dtype="int64"),
                              "article": pd.Series([], dtype="str"), "quote": pd.Series([], dtype="str"),
                              "row": pd.Series([], dtype="int64")}),  # fmt: skip
    )


# ---------------------------------------------------------------------------
# the checks (each reports rows and marks them bad)


def _check_required_text(frame: pd.DataFrame, problems: _Problems) -> None:
    for name in ("id", "date", "title", "summary", "actor", "event_type", "source_article", "source_quote"):
        column = frame[name]
        empty = np.flatnonzero((column.isna() | (column == "")).to_numpy())
        problems.add(name, empty, lambda row: "is required but missing or empty")
    too_long = np.flatnonzero((frame["title"].str.len() > MAX_TITLE).fillna(False).to_numpy())
    problems.add("title", too_long, lambda row: f"is {len(frame['title'].iat[row])} characters; at most {MAX_TITLE}")


def _check_characters(frame: pd.DataFrame, problems: _Problems) -> None:
    """The one rule for characters (lib.text.uncarriable) on every text column, as for events.yaml."""
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            hit = pd.Series(column.cat.categories).astype("str").str.contains(UNCARRIABLE_UTF8, regex=True)
            bad_codes = np.flatnonzero(hit.fillna(False).to_numpy(dtype=bool))
            rows = np.flatnonzero(np.isin(column.cat.codes.to_numpy(), bad_codes)) if len(bad_codes) else bad_codes
        else:
            rows = np.flatnonzero(column.str.contains(UNCARRIABLE_UTF8, regex=True).fillna(False).to_numpy(dtype=bool))
        problems.add(name, rows, lambda row, column=column: uncarriable(str(column.iat[row])) or "")


def _check_ids(frame: pd.DataFrame, ds: Dataset, problems: _Problems) -> None:
    ids = frame["id"]
    present = ids.notna() & (ids != "")
    bad_slug = present & ~(ids.str.fullmatch(SLUG_PATTERN).fillna(False) & (ids.str.len() <= MAX_SLUG))
    problems.add("id", np.flatnonzero(bad_slug.to_numpy()),
                 lambda row: f"{_short(ids.iat[row])}: must be letters, digits, '-' or '_' (at most {MAX_SLUG})")  # fmt: skip
    duplicate = present & ids.duplicated(keep="first")
    problems.add("id", np.flatnonzero(duplicate.to_numpy()),
                 lambda row: f"duplicate id {ids.iat[row]!r} (row #{row + 1} skipped)")  # fmt: skip
    yaml_ids = {event.id for event in ds.events}
    if yaml_ids:
        clash = present & ids.isin(yaml_ids)
        problems.add("id", np.flatnonzero(clash.to_numpy()),
                     lambda row: f"duplicate id {ids.iat[row]!r}: already an event in events.yaml (row skipped)")  # fmt: skip


def _check_dates(frame: pd.DataFrame, problems: _Problems) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct date string once with the schema's own parser; spread the results by code."""
    codes, uniques = pd.factorize(frame["date"], use_na_sentinel=True)
    n_unique = len(uniques)
    starts = np.full(n_unique + 1, np.datetime64("NaT"), dtype="datetime64[s]")
    ends = starts.copy()
    precisions = np.full(n_unique + 1, None, dtype=object)
    errors: dict[int, str] = {}
    for i, value in enumerate(uniques):
        try:
            start, end, precision = parse_partial_date(str(value))
        except ValueError as exc:
            errors[i] = str(exc)
            continue
        starts[i], ends[i], precisions[i] = np.datetime64(start, "s"), np.datetime64(end, "s"), precision
    codes = np.where(codes < 0, n_unique, codes)  # missing dates were reported as required
    if errors:
        bad_codes = np.fromiter(errors, dtype=np.int64)
        rows = np.flatnonzero(np.isin(codes, bad_codes))
        problems.add("date", rows, lambda row: errors[int(codes[row])])
    return starts[codes], ends[codes], precisions[codes]


def _check_refs(frame: pd.DataFrame, ds: Dataset, problems: _Problems) -> None:
    for name in ("actor", "target"):
        column = frame[name]
        unknown = column.notna() & (column != "") & ~column.isin(list(ds.actors))
        problems.add(name, np.flatnonzero(unknown.to_numpy()),
                     lambda row, c=column: f"{c.iat[row]!r} is not an actor in actors.yaml")  # fmt: skip
    types = frame["event_type"]
    bad_type = types.notna() & (types != "") & ~types.isin(list(EVENT_TYPES))
    allowed = ", ".join(repr(t) for t in EVENT_TYPES)
    problems.add("event_type", np.flatnonzero(bad_type.to_numpy()),
                 lambda row: f"{_short(types.iat[row])}: must be one of {allowed}")  # fmt: skip
    articles = frame["source_article"]
    unknown_article = articles.notna() & (articles != "") & ~articles.isin(list(ds.articles))
    problems.add("source_article", np.flatnonzero(unknown_article.to_numpy()),
                 lambda row: f"{articles.iat[row]!r} is not an article in articles/")  # fmt: skip


def _check_stance(column: pa.ChunkedArray, problems: _Problems) -> np.ndarray:
    """Integer stance -2..2 as int8 (0 where invalid; those rows are dropped)."""
    kind = column.type
    n = len(column)
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        problems.column("stance", f"has type {kind}; expected integers -2..2")
        problems.bad[:] = True
        return np.zeros(n, dtype=np.int8)
    values = column.to_numpy(zero_copy_only=False).astype("float64")  # nulls become NaN
    missing = np.isnan(values)
    problems.add("stance", np.flatnonzero(missing), lambda row: "is required but missing")
    with np.errstate(invalid="ignore"):
        bad = ~missing & ((values != np.round(values)) | (values < -2) | (values > 2))
    problems.add("stance", np.flatnonzero(bad), lambda row: f"{_short(values[row])}: must be a whole number from -2 to 2")
    return np.where(missing | bad, 0, values).astype(np.int8)


def _check_countries(
    column: pa.ChunkedArray, ds: Dataset, problems: _Problems
) -> tuple[np.ndarray, pa.Array, pd.Series]:
    """(row of each link, code of each link, ', '-joined codes per row); reports empty lists and unknown codes."""
    n = len(column)
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        column = pc.split_pattern(column, ";")
    elif not (pa.types.is_list(column.type) or pa.types.is_large_list(column.type)):
        problems.column("countries", f"has type {column.type}; expected list<string> or ';'-joined string")
        problems.bad[:] = True
        return np.zeros(0, dtype=np.int64), pa.array([], pa.string()), pd.Series([None] * n, dtype="str")
    flat = pc.utf8_trim_whitespace(pc.cast(pc.list_flatten(column), pa.string()))
    parents = pc.list_parent_indices(column).to_numpy().astype(np.int64)
    nonempty = pc.fill_null(pc.not_equal(flat, ""), False).to_numpy(zero_copy_only=False)
    flat = pc.filter(flat, pa.array(nonempty))
    parents = parents[nonempty]
    counts = np.bincount(parents, minlength=n)
    problems.add("countries", np.flatnonzero(counts == 0), lambda row: "needs at least one country code")
    known = pc.is_in(flat, value_set=pa.array(list(ds.countries), type=pa.string())).to_numpy(zero_copy_only=False)
    unknown = np.flatnonzero(~known)
    if len(unknown):
        bad_codes = flat.take(pa.array(unknown)).to_numpy(zero_copy_only=False)
        first_bad = pd.Series(bad_codes).groupby(parents[unknown]).first()
        problems.add("countries", first_bad.index.to_numpy(),
                     lambda row: f"{first_bad[row]!r} is not listed in countries.yaml")  # fmt: skip
    offsets = np.concatenate([[0], np.cumsum(counts)])
    rebuilt = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), flat)
    joined = pd.Series(pc.binary_join(rebuilt, ", ").to_pandas(), dtype="str")
    return parents, flat, joined


def _check_places(
    frame: pd.DataFrame, column: pa.ChunkedArray | None, link_rows: np.ndarray, link_codes: pa.Array, ds: Dataset,
    problems: _Problems,
) -> np.ndarray:  # fmt: skip
    """Place precisions as float (NaN: none); reports unknown places, a precision missing, out of range or not
    allowed by the place's kind (or set without a place), and a place outside the row's countries. Each
    distinct place is looked up once."""
    n = len(frame)
    if column is None:
        precision = np.full(n, np.nan)
    elif pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        precision = column.to_numpy(zero_copy_only=False).astype("float64")
    else:
        problems.column("place_precision", f"has type {column.type}; expected integers 1-5")
        problems.bad[:] = True
        return np.full(n, np.nan)
    places = frame["place"]
    has_place = places.notna().to_numpy()
    has_precision = ~np.isnan(precision)
    problems.add("place_precision", np.flatnonzero(has_precision & ~has_place),
                 lambda row: "is set but 'place' is not: give the place or leave both out")  # fmt: skip
    if not has_place.any():
        return precision
    codes, uniques = pd.factorize(places, use_na_sentinel=True)
    known = np.array([u in ds.places for u in uniques] + [True])
    problems.add("place", np.flatnonzero(~known[codes]),
                 lambda row: f"{places.iat[row]!r} is not a place in places.yaml")  # fmt: skip
    problems.add("place_precision", np.flatnonzero(has_place & ~has_precision),
                 lambda row: "is required with a place")  # fmt: skip
    allowed = np.zeros((len(uniques) + 1, 6), dtype=bool)  # per place code, which precisions 0-5 its kind allows
    for i, place_id in enumerate(uniques):
        if place_id in ds.places:
            allowed[i, list(PLACE_KINDS[ds.places[place_id].kind])] = True
    whole = np.where(has_precision, precision, 0)
    in_range = has_precision & (whole == np.round(whole)) & (whole >= 1) & (whole <= 5)
    problems.add("place_precision", np.flatnonzero(has_precision & ~in_range),
                 lambda row: f"{_short(precision[row])}: must be a whole number from 1 to 5")  # fmt: skip
    kinds_ok = allowed[codes, np.where(in_range, whole, 0).astype(np.int64)]
    misfit = np.flatnonzero(has_place & in_range & known[codes] & ~kinds_ok)
    problems.add("place_precision", misfit,
                 lambda row: f"{int(precision[row])} does not fit {places.iat[row]!r}, a "
                 f"{ds.places[places.iat[row]].kind}")  # fmt: skip
    # the place's country must be one of the row's countries: match (row, country) pairs as integer keys
    country_index = {code: i for i, code in enumerate(sorted(ds.countries))}
    place_country = np.array([country_index.get(ds.places[u].country, -1) if u in ds.places else -1 for u in uniques]
                             + [-1])  # fmt: skip
    encoded = pc.dictionary_encode(link_codes)
    lookup = np.array([country_index.get(c, -1) for c in encoded.dictionary.to_pylist()] + [-1], dtype=np.int64)
    link_country = lookup[pc.fill_null(encoded.indices, len(lookup) - 1).to_numpy(zero_copy_only=False)]
    width = len(country_index) + 1
    pairs = link_rows.astype(np.int64) * width + link_country
    rows = np.flatnonzero(has_place & known[codes])
    outside = rows[~np.isin(rows * width + place_country[codes[rows]], pairs)]
    problems.add("place", outside,
                 lambda row: f"{places.iat[row]!r} lies in {ds.places[places.iat[row]].country}, which is not one of "
                 "the row's countries")  # fmt: skip
    return np.where(in_range, whole, np.nan)


def _check_quotes(frame: pd.DataFrame, ds: Dataset, problems: _Problems) -> None:
    """Each distinct (article, quote) pair is checked once, exactly as the YAML loader checks quotes."""
    pairs = frame[["source_article", "source_quote"]]
    usable = pairs["source_article"].isin(list(ds.articles)) & pairs["source_quote"].notna() & (pairs["source_quote"] != "")
    if not usable.any():
        return
    article_codes, articles = pd.factorize(pairs["source_article"][usable])
    quote_codes, quotes = pd.factorize(pairs["source_quote"][usable])
    pair_keys, codes = np.unique(article_codes.astype(np.int64) * len(quotes) + quote_codes, return_inverse=True)
    texts = {aid: normalise_whitespace(article.text) for aid, article in ds.articles.items()}
    found = np.fromiter(
        (normalise_whitespace(quotes[k % len(quotes)]) in texts[articles[k // len(quotes)]] for k in pair_keys),
        dtype=bool,
        count=len(pair_keys),
    )
    if found.all():
        return
    rows = np.flatnonzero(usable.to_numpy())[~found[codes]]
    problems.add(
        "source_quote",
        rows,
        lambda row: f"{_short(frame['source_quote'].iat[row])} does not appear verbatim in article "
        f"{frame['source_article'].iat[row]!r}",
    )


# ---------------------------------------------------------------------------
# wiring beside events.yaml


def bulk_path(ds: Dataset) -> Path:
    """Where the optional bulk file of a data folder lives."""
    return ds.data_dir / BULK_FILENAME


def combine_tables(first: Tables, second: Tables, actor_names: Mapping[str, str]) -> Tables:
    """One `Tables` holding the events of both (ids must not overlap), in date order with rows renumbered."""
    if second.events.empty:
        return first
    if first.events.empty:
        return second
    raw_columns = ["id", "date", "precision", "start", "end", "title", "summary", "date_note", "actor", "target",
                   "countries", "location", "event_type", "stance", "place", "place_precision", "place_note"]  # fmt: skip
    raw = pd.concat(
        [t.events[raw_columns].astype({c: object for c in ("precision", "actor", "target", "event_type", "place")})
         for t in (first, second)],
        ignore_index=True,
    )  # fmt: skip
    for name in ("summary", "date_note", "location", "place_note"):
        if isinstance(second.events[name].dtype, pd.CategoricalDtype):
            raw[name] = raw[name].astype("category")
    events = finish_events_frame(raw, dict(actor_names))
    links = pd.concat([first.event_countries, second.event_countries], ignore_index=True)
    links["country"] = sorted_categorical(links["country"].astype("str"))
    links["row"] = event_rows(events, links["event_id"])
    sources = pd.concat([first.sources, second.sources], ignore_index=True)
    sources["row"] = event_rows(events, sources["event_id"])
    for name in ("article", "quote"):
        if isinstance(second.sources[name].dtype, pd.CategoricalDtype):
            sources[name] = sources[name].astype("category")
    return Tables(events=events, event_countries=links, sources=sources)


def tables_with_bulk(ds: Dataset, base: Tables) -> Tables:
    """`base` (from events.yaml) plus the valid events of `data/events.parquet` when that file exists.

    Bulk problems are appended to `ds.problems`; "article is not cited by any event" problems are
    withdrawn for articles that bulk events cite.
    """
    path = bulk_path(ds)
    if not path.is_file():
        return base
    bulk, found = load_bulk_tables(path, ds)
    add_bulk_problems(ds, found, set(bulk.sources["article"].unique()))
    names = {actor_id: actor.name for actor_id, actor in ds.actors.items()}
    return combine_tables(base, bulk, names)


def add_bulk_problems(ds: Dataset, found: list[DataProblem], cited: set[str]) -> None:
    """Append the bulk file's problems to `ds.problems` (once, if called twice) and withdraw "is not cited
    by any event" for the articles its valid rows cite."""
    known = set(ds.problems)
    ds.problems.extend(p for p in found if p not in known)
    ds.problems[:] = [
        p for p in ds.problems
        if not (p.message == "is not cited by any event" and p.record and p.record[len("article '"):-1] in cited)
    ]  # fmt: skip
