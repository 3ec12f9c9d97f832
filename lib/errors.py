"""The one domain error type and the data-problem record the loader collects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class DataProblem:
    """One problem in the data folder, worded like a compiler message.

    An error leaves its record out (or stops a save); a warning keeps the record and is shown until fixed
    (a codebook rule the data breaks without being wrong, such as an event outside every period).
    """

    file: str
    record: str | None
    field: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f" field '{self.field}'"
        return f"{where}: {'warning: ' if self.severity == 'warning' else ''}{self.message}"

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.severity == "error"


class DashboardError(Exception):
    """An error to show a user: a short title and a message saying what to fix."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message
