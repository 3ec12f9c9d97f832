"""The one domain error type and the data-problem record the loader collects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One problem in the data folder, worded like a compiler message."""

    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f" field '{self.field}'"
        return f"{where}: {self.message}"


class DashboardError(Exception):
    """An error to show a user: a short title and a message saying what to fix."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(f"{title}: {message}")
        self.title = title
        self.message = message
