"""The drafter's ranker: a confidence for each reading of a sentence, and the budget of readings kept.

Every reading the drafter can make of a sentence is a candidate (lib/reading/draft.py); the ranker gives
it a confidence from its features (a logistic regression: the intercept plus each feature's value times
its weight, through the logistic function), and the budget keeps, per card, the readings at or above a
threshold, at most `per_card` of them. The weights and the budget are data, `data/draft_ranker.yaml`,
written by `python -m bench draft --train` from the development set's gold (its header says when and from
what); the operating point is chosen on the cross-validated recall-vs-drafts curve (bench/RESULTS.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from lib.errors import DashboardError
from lib.model.read import load_yaml
from lib.paths import DEFAULT_DATA_DIR

RANKER_FILE = "draft_ranker.yaml"


class Scored(Protocol):
    """A reading as the ranker sees it."""

    features: dict[str, float]
    confidence: float
    why: str


@dataclass(frozen=True)
class Ranker:
    """Weights of the features, and the budget: readings kept per card and the confidence they need."""

    intercept: float
    weights: dict[str, float]
    threshold: float
    per_card: int

    def score(self, features: dict[str, float]) -> float:
        """The confidence (0-1) of a reading with these features."""
        z = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def budget(self, readings: list[Scored]) -> list[Scored]:
        """The readings of one card that are kept: most confident first, those at or above the threshold,
        at most `per_card` (stable: equal confidence keeps the order given)."""
        ranked = sorted(readings, key=lambda r: -r.confidence)
        return [r for r in ranked if r.confidence >= self.threshold][: self.per_card]

    def reason(self, reading: Scored, top: int = 3) -> str:
        """Why a reading was drafted: its rule, and the features that weighed most in its confidence."""
        parts = sorted(
            ((self.weights.get(n, 0.0) * v, n) for n, v in reading.features.items() if self.weights.get(n, 0.0) * v),
            key=lambda p: -abs(p[0]),
        )[:top]
        weighed = ", ".join(f"{name} {value:+.1f}" for value, name in parts)
        return f"{reading.why} (weighed most: {weighed or 'nothing'})"


def ranker_path(data_dir: Path | None = None) -> Path:
    """The data folder's ranker file, or the project's own when the folder has none."""
    if data_dir is not None and (Path(data_dir) / RANKER_FILE).is_file():
        return Path(data_dir) / RANKER_FILE
    return DEFAULT_DATA_DIR / RANKER_FILE


_CACHE: dict[Path, tuple[int, Ranker]] = {}


def load_ranker(data_dir: Path | None = None) -> Ranker:
    """Read the ranker file (once per file version). Raises DashboardError naming the file and the field."""
    path = ranker_path(data_dir)
    try:
        mtime = path.stat().st_mtime_ns
        if path in _CACHE and _CACHE[path][0] == mtime:
            return _CACHE[path][1]
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DashboardError("Cannot read the drafter's ranker", f"{path}: {exc}") from exc
    ranker = parse_ranker(data, str(path))
    _CACHE[path] = (mtime, ranker)
    return ranker


def parse_ranker(data: object, label: str) -> Ranker:
    """A Ranker from the file's mapping; DashboardError naming the field on any problem."""
    if not isinstance(data, dict):
        raise DashboardError("Bad ranker file", f"{label}: expected a mapping with intercept, weights and budget")

    def number(value: object, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise DashboardError("Bad ranker file", f"{label}: {field}: expected a number, got {value!r}")
        return float(value)

    weights = data.get("weights")
    budget = data.get("budget")
    if not isinstance(weights, dict) or not weights:
        raise DashboardError("Bad ranker file", f"{label}: weights: expected a mapping of feature: weight")
    if not isinstance(budget, dict):
        raise DashboardError("Bad ranker file", f"{label}: budget: expected a mapping with threshold and per_card")
    per_card = budget.get("per_card")
    if isinstance(per_card, bool) or not isinstance(per_card, int) or per_card < 1:
        raise DashboardError(
            "Bad ranker file", f"{label}: budget.per_card: expected a whole number ≥ 1, got {per_card!r}"
        )
    threshold = number(budget.get("threshold"), "budget.threshold")
    if not 0 <= threshold <= 1:
        raise DashboardError("Bad ranker file", f"{label}: budget.threshold: expected 0 to 1, got {threshold}")
    return Ranker(
        number(data.get("intercept"), "intercept"),
        {str(k): number(v, f"weights.{k}") for k, v in weights.items()},
        threshold,
        per_card,
    )
