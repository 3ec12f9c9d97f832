"""Pairs of events a curator reviewed and judged distinct acts (`distinct_events.yaml`, CODEBOOK.md 8): the
duplicates command (`python -m lib.curate duplicates`) no longer lists them. The file is optional; each pair
names two events of `events.yaml`, a one-line reason and the curator."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError, field_validator

from lib.errors import DataProblem
from lib.model.read import read_yaml, rel_path, short_value, validation_problems
from lib.model.schema import Slug, Strict, Text

DISTINCT_FILE = "distinct_events.yaml"


class DistinctPair(Strict):
    """Two events reviewed as distinct acts that only look alike, why, and who judged it."""

    events: tuple[Slug, Slug]
    reason: Text
    curator: Text

    @field_validator("events")
    @classmethod
    def _two_events(cls, value: tuple[str, str]) -> tuple[str, str]:
        if value[0] == value[1]:
            raise ValueError(f"names '{value[0]}' twice: a pair is two different events")
        return value

    @property
    def key(self) -> frozenset[str]:
        """The pair's two ids, in either order."""
        return frozenset(self.events)


def _label(pair: object, position: int) -> str:
    events = pair.get("events") if isinstance(pair, dict) else None
    if isinstance(events, list) and len(events) == 2 and all(isinstance(e, str) for e in events):
        return f"pair #{position} ({events[0]} / {events[1]})"
    return f"pair #{position}"


def load_distinct(root: Path, event_ids: Iterable[str], problems: list[DataProblem]) -> list[DistinctPair]:
    """The valid pairs of `root/distinct_events.yaml` (none when the file is absent); every problem (a bad
    entry, an id that is not an event of `event_ids`, a pair listed twice) is appended to `problems`,
    located by file, pair and field, and its pair left out."""
    path = root / DISTINCT_FILE
    if not path.is_file():
        return []
    label = rel_path(root, path)
    _, document, parsed = read_yaml(path, label, problems)
    if not parsed:
        return []
    if not isinstance(document, dict) or not isinstance(document.get("pairs", []), list | None) or set(document) - {"pairs"}:
        problems.append(DataProblem(label, None, None, "expected a mapping with one 'pairs:' list at the top"))
        return []
    known = set(event_ids)
    pairs: list[DistinctPair] = []
    seen: dict[frozenset[str], int] = {}
    for position, item in enumerate(document.get("pairs") or [], start=1):
        record = _label(item, position)
        if not isinstance(item, dict):
            problems.append(DataProblem(label, record, None, f"expected a mapping (events, reason, curator), got {short_value(item)}"))
            continue
        events = item.get("events")
        if not isinstance(events, list) or len(events) != 2:
            problems.append(DataProblem(label, record, "events", f"expected two event ids, [one, other], got {short_value(events)}"))
            continue
        try:
            pair = DistinctPair.model_validate(item)
        except ValidationError as exc:
            problems.extend(validation_problems(label, record, exc, DistinctPair))
            continue
        missing = [e for e in pair.events if e not in known]
        for event_id in missing:
            problems.append(DataProblem(label, record, "events", f"'{event_id}' is not an event of events.yaml (merged "
                                        "into the other, removed or misspelt?): remove the pair or correct the id"))  # fmt: skip
        if pair.key in seen:
            problems.append(DataProblem(label, record, "events", f"the pair is listed already (pair #{seen[pair.key]}): "
                                        "list each pair once"))  # fmt: skip
        if missing or pair.key in seen:
            continue
        seen[pair.key] = position
        pairs.append(pair)
    return pairs
