"""What a check finds: one problem with its file, row and column, and a file's report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a data file: where it is and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """Return ``file:row:column: message`` (row and column left out when unknown)."""
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.message}"


@dataclass
class ValidationReport:
    """The problems found in one file, and what the file holds."""

    file: str
    rows: int = 0
    measures: int = 0
    areas: int = 0
    periods: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """Return a one-line summary, e.g. ``data.csv: 2,304 rows, ...: no problems``."""
        counts = ", ".join(
            _plural(n, word)
            for n, word in (
                (self.rows, "row"),
                (self.measures, "measure"),
                (self.areas, "area"),
                (self.periods, "period"),
            )
        )
        n = len(self.problems)
        return f"{self.file}: {counts}: {_plural(n, 'problem') if n else 'no problems'}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
