"""Reading the data folder's files: text as UTF-8 with located problems, YAML with the safe loader, and pydantic's
errors as one located `DataProblem` per field. Shared by the loader, the briefings and the lexicon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from lib.errors import DataProblem
from lib.model.hints import did_you_mean
from lib.text import clip

try:  # the C loader is the same safe loader, several times faster
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]


# Limits on what any YAML file the tool reads may ask of the parser (SECURITY.md lists them). The data the
# project keeps is far inside them: events.yaml is ~40 kB and 5 levels deep, and no file uses aliases.
MAX_FILE_BYTES = 32 * 1024 * 1024
"""A file the tool reads (YAML, an article) is refused above this size, before it is read."""
MAX_YAML_DEPTH = 64
"""Collections nested deeper than this are refused before the loader builds anything."""
MAX_ALIAS_EXPANSION = 1_000_000
"""What aliases may add in all, counted as the nodes plus scalar characters each one repeats."""


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML text refused for a limit (size, nesting, alias expansion), located like a syntax error."""


def _limit(problem: str, mark: Any = None) -> YamlLimitError:
    return YamlLimitError(problem=problem, problem_mark=mark)


def _check_shape(text: str) -> None:
    """Walk the parser's events (libyaml's parser keeps its stacks on the heap and stops at the first
    refusal, so this costs little and cannot recurse) and refuse deep nesting and alias bombs before the
    composer, which recurses, sees the text."""
    depth = 0
    open_: list[list[Any]] = []  # per open collection: [anchor, weight so far]
    anchors: dict[str, int] = {}
    expanded = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        weight = 0
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _limit(f"nested more than {MAX_YAML_DEPTH} levels deep (refused before loading)",
                             event.start_mark)  # fmt: skip
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, weight = open_.pop() if open_ else (None, 0)
            if anchor:
                anchors[anchor] = weight
        elif isinstance(event, yaml.ScalarEvent):
            weight = 1 + len(event.value)
            if event.anchor:
                anchors[event.anchor] = weight
        elif isinstance(event, yaml.AliasEvent):
            weight = anchors.get(event.anchor, 0)
            expanded += weight
            if expanded > MAX_ALIAS_EXPANSION:
                raise _limit(f"aliases would repeat more than {MAX_ALIAS_EXPANSION:,} nodes and characters "
                             f"(an alias bomb?); refused at alias *{clip(event.anchor, 40)}", event.start_mark)  # fmt: skip
        else:
            continue
        if open_:
            open_[-1][1] += weight


def load_yaml(text: str) -> Any:
    """Parse YAML with the safe loader after the limits: size, nesting depth and alias expansion. A text
    over a limit raises `YamlLimitError` (a `yaml.YAMLError`, located when it can be), never builds."""
    if len(text) > MAX_FILE_BYTES:
        raise _limit(f"is {len(text):,} characters, over the limit of {MAX_FILE_BYTES:,}")
    _check_shape(text)
    try:
        return yaml.load(text, Loader=SafeLoader)
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        raise _limit(f"a value cannot be read: {clip(str(exc), 120)}") from exc


def rel_path(root: Path, path: Path) -> str:
    """`path` as the messages name it: relative to the data folder, starting with the folder's own name."""
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def read_text(path: Path, label: str, problems: list[DataProblem]) -> str | None:
    """Read a UTF-8 file; undecodable bytes are reported and replaced so the rest survives."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(DataProblem(label, None, None, f"is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}: "
                                                           "not read"))  # fmt: skip
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(DataProblem(label, None, None, "file is missing"))
        return None
    except OSError as exc:
        problems.append(DataProblem(label, None, None, f"cannot be read: {exc.strerror or exc}"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            DataProblem(
                label,
                None,
                None,
                f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}); "
                "undecodable bytes were replaced with U+FFFD, save the file as UTF-8",
            )
        )
        return raw.decode("utf-8", errors="replace")


def read_yaml(path: Path, label: str, problems: list[DataProblem]) -> tuple[str | None, Any, bool]:
    """Read and parse a data file: its text (None when unreadable), its document, and whether it parsed; a file
    that cannot be read or parsed adds a located problem."""
    text = read_text(path, label, problems)
    if text is None:
        return None, None, False
    try:
        return text, load_yaml(text), True
    except yaml.YAMLError as exc:
        problems.append(DataProblem(label, None, None, yaml_error_text(exc)))
        return text, None, False


def yaml_error_text(exc: yaml.YAMLError) -> str:
    """A YAML error in one line, with its line and column when the parser gives them."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, YamlLimitError):
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        return f"refused{where}: {problem}"
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML cannot hold, e.g. NUL
        return f"cannot be read as YAML: {clip(str(exc).splitlines()[0], 120)}"
    if mark is not None:
        return f"malformed YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"malformed YAML: {problem}"


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def short_value(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: like its repr, clipped to `limit` characters. Built piece by piece
    within the limit, so a value nested thousands deep or megabytes long costs no more than a short one."""
    parts: list[str] = []
    budget = [limit + 2]

    def add(piece: str) -> None:
        parts.append(piece)
        budget[0] -= len(piece)

    def walk(item: Any, depth: int) -> None:
        if budget[0] <= 0:
            return
        if depth > 8:
            add("…")
        elif isinstance(item, str):
            add(repr(item[: budget[0]]))
        elif isinstance(item, dict):
            add("{")
            for n, (key, inner) in enumerate(item.items()):
                if budget[0] <= 0:
                    break
                add(", " if n else "")
                walk(key, depth + 1)
                add(": ")
                walk(inner, depth + 1)
            add("}")
        elif isinstance(item, (list, tuple, set, frozenset)):
            add("[" if isinstance(item, list) else "(")
            for n, inner in enumerate(item):
                if budget[0] <= 0:
                    break
                add(", " if n else "")
                walk(inner, depth + 1)
            add("]" if isinstance(item, list) else ")")
        elif isinstance(item, (bytes, bytearray)):
            add(repr(bytes(item[: budget[0]])))
        else:
            if isinstance(item, int) and not isinstance(item, bool) and item.bit_length() > 128:
                add(f"<an integer of {item.bit_length():,} bits>")
                return
            add(clip(repr(item), budget[0]) if isinstance(item, (int, float, bool, type(None), dt.date)) else
                f"<{type(item).__name__}>")  # fmt: skip
    walk(value, 0)
    return clip("".join(parts), limit)


def validation_problems(
    label: str, record: str, exc: ValidationError, model: type[BaseModel] | None = None
) -> list[DataProblem]:
    """Turn a pydantic ValidationError into one readable problem per failing field (a misspelt field of
    `model` gets the nearest known name)."""
    problems = []
    for error in exc.errors(include_url=False):
        where = _field_path(error["loc"]) or None
        kind = error["type"]
        if kind == "missing":
            message = "is required but missing"
        elif kind == "extra_forbidden":
            hint = did_you_mean(str(error["loc"][-1]), model.model_fields) if model and len(error["loc"]) == 1 else ""
            message = f"is not a known field{hint or ' (misspelt?)'}"
        elif kind == "string_type" and isinstance(error.get("input"), (dt.date, int)):
            # YAML reads an unquoted 2011-05-18 as a date and 2011 as a number
            value = error["input"].isoformat() if isinstance(error["input"], dt.date) else str(error["input"])
            message = f"{value} is not quoted: write it as '{value}' (in quotes), so YAML keeps it as written"
        else:
            message = f"{short_value(error.get('input'))}: {error['msg']}"
        problems.append(DataProblem(label, record, where, message))
    return problems


__all__ = ["MAX_ALIAS_EXPANSION", "MAX_FILE_BYTES", "MAX_YAML_DEPTH", "SafeLoader", "YamlLimitError", "load_yaml", "read_text", "rel_path", "short_value", "validation_problems", "yaml_error_text"]
