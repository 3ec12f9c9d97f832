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


def rel_path(root: Path, path: Path) -> str:
    """`path` as the messages name it: relative to the data folder, starting with the folder's own name."""
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def read_text(path: Path, label: str, problems: list[DataProblem]) -> str | None:
    """Read a UTF-8 file; undecodable bytes are reported and replaced so the rest survives."""
    try:
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


def yaml_error_text(exc: yaml.YAMLError) -> str:
    """A YAML error in one line, with its line and column when the parser gives them."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"malformed YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"malformed YAML: {problem}"


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def short_value(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: its repr, clipped to `limit` characters."""
    return clip(repr(value), limit)


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


__all__ = ["SafeLoader", "read_text", "rel_path", "short_value", "validation_problems", "yaml_error_text"]
