"""The loaded data folder as one object (`Dataset`), and how quotes are compared (`normalise_whitespace`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.errors import DataProblem
from lib.model.distinct import DistinctPair
from lib.model.schema import Actor, Article, Country, Event, Period, Place, Vocab

_WHITESPACE = re.compile(r"\s+")


@dataclass
class Dataset:
    """Everything in a data folder that passed validation, plus every problem found."""

    data_dir: Path
    articles: dict[str, Article] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    periods: list[Period] = field(default_factory=list)
    vocab: Vocab | None = None
    events: list[Event] = field(default_factory=list)
    problems: list[DataProblem] = field(default_factory=list)
    briefings: dict[str, Any] = field(default_factory=dict)  # id -> lib.model.briefings.Briefing
    places: dict[str, Place] = field(default_factory=dict)
    distinct: list[DistinctPair] = field(default_factory=list)  # pairs reviewed as distinct (distinct_events.yaml)


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends (how quotes are matched)."""
    return _WHITESPACE.sub(" ", text).strip()
