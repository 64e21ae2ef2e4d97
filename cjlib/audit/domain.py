"""Sets of whole numbers an outsider still thinks possible for a hidden count."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

INF = math.inf


@dataclass(frozen=True)
class IntSet:
    """A union of disjoint, sorted, inclusive whole-number ranges; ``hi`` may be infinite."""

    ranges: tuple[tuple[int, float], ...] = ((0, INF),)

    @classmethod
    def between(cls, lo: float, hi: float) -> IntSet:
        """The whole numbers from ``lo`` to ``hi`` (rounded inwards; empty if none)."""
        low = max(0, math.ceil(lo - 1e-9))
        high = hi if hi == INF else math.floor(hi + 1e-9)
        return cls(((low, high),)) if high >= low else cls(())

    @classmethod
    def of(cls, values: Iterable[int]) -> IntSet:
        """Exactly the given whole numbers."""
        out: list[tuple[int, float]] = []
        for v in sorted({int(v) for v in values if v >= 0}):
            if out and out[-1][1] == v - 1:
                out[-1] = (out[-1][0], v)
            else:
                out.append((v, v))
        return cls(tuple(out))

    @classmethod
    def union(cls, sets: Iterable[IntSet]) -> IntSet:
        """Every number in any of ``sets``."""
        spans = sorted(r for s in sets for r in s.ranges)
        out: list[tuple[int, float]] = []
        for lo, hi in spans:
            if out and lo <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return cls(tuple(out))

    def __and__(self, other: IntSet) -> IntSet:
        out = []
        for a_lo, a_hi in self.ranges:
            for b_lo, b_hi in other.ranges:
                lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
                if lo <= hi:
                    out.append((lo, hi))
        return IntSet(tuple(sorted(out)))

    @property
    def empty(self) -> bool:
        """True when no value is left (the evidence contradicts itself)."""
        return not self.ranges

    @property
    def lo(self) -> float:
        """The smallest possible value (infinite when empty)."""
        return self.ranges[0][0] if self.ranges else INF

    @property
    def hi(self) -> float:
        """The largest possible value (infinite when unbounded or empty)."""
        return self.ranges[-1][1] if self.ranges else INF

    @property
    def size(self) -> float:
        """How many values are possible (infinite when unbounded)."""
        return sum(hi - lo + 1 for lo, hi in self.ranges)

    def values(self, limit: int = 100_000) -> list[int]:
        """Every possible value, when there are at most ``limit`` of them."""
        if self.size > limit:
            raise ValueError("too many values to list")
        return [v for lo, hi in self.ranges for v in range(int(lo), int(hi) + 1)]

    def describe(self) -> str:
        """The set in words: "{4}", "{2, 3}", "5 to 9", "0 to 3 or 10 or more"."""
        if self.empty:
            return "no value (the published figures contradict each other)"
        if self.size <= 6:
            return "{" + ", ".join(str(v) for v in self.values()) + "}"
        parts = []
        for lo, hi in self.ranges:
            if hi == INF:
                parts.append(f"{lo} or more")
            elif hi == lo:
                parts.append(str(lo))
            else:
                parts.append(f"{lo} to {int(hi)}")
        return " or ".join(parts)


#: Any count: a whole number of zero or more.
ANY = IntSet()
