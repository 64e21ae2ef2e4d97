"""Pattern rules shared by run charts and SPC charts: runs on one side, trends, runs counts.

The rules follow Perla, Provost and Murray (2011), "The run chart: a simple
analytical tool for learning from variation in healthcare processes", BMJ Quality
& Safety 20:46-51, as taught by the Institute for Healthcare Improvement:

- points that fall on the centre line neither add to nor break a run on one side;
- when two or more successive points have the same value, only one is counted:
  like values neither make nor break a trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import comb

import numpy as np


@dataclass(frozen=True)
class Stretch:
    """Consecutive points that make a pattern: first and last position, and direction."""

    start: int
    end: int
    direction: str  # "up" or "down"
    points: int  # points counted (points on the centre line or repeats left out)


def sides(values: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Return +1 above the centre line, -1 below, 0 on it (or missing)."""
    values = np.asarray(values, dtype=float)
    side = np.sign(values - np.asarray(centre, dtype=float))
    return np.where(np.isnan(side), 0, side).astype(int)


def one_side_runs(values: np.ndarray, centre: np.ndarray, length: int) -> list[Stretch]:
    """Return every stretch of ``length`` or more points on one side of the centre line.

    Points on the centre line are skipped: they neither add to nor break the stretch
    (Perla et al. 2011, rule 1). The stretch runs from its first to its last counted
    point.
    """
    side = sides(values, centre)
    found: list[Stretch] = []
    current, first, last, count = 0, -1, -1, 0
    for i, s in enumerate(side):
        if s == 0:
            continue
        if s == current:
            last, count = i, count + 1
            continue
        if count >= length:
            found.append(Stretch(first, last, "up" if current > 0 else "down", count))
        current, first, last, count = s, i, i, 1
    if count >= length:
        found.append(Stretch(first, last, "up" if current > 0 else "down", count))
    return found


def trends(values: np.ndarray, length: int, *, ties_break: bool = False) -> list[Stretch]:
    """Return every stretch of ``length`` or more points all going up or all going down.

    When two or more successive points have the same value only one is counted:
    like values neither make nor break a trend (Perla et al. 2011, rule 2). With
    ``ties_break=True`` a repeated value ends the trend instead (a stricter reading
    some teams use). Missing values are skipped.
    """
    values = np.asarray(values, dtype=float)
    kept = [i for i in range(len(values)) if not np.isnan(values[i])]
    found: list[Stretch] = []
    direction, first, last, count = 0, -1, -1, 0
    previous = None
    for i in kept:
        if previous is None:
            first, last, count, previous = i, i, 1, i
            continue
        step = np.sign(values[i] - values[previous])
        if step == 0:
            if ties_break:
                if count >= length:
                    found.append(Stretch(first, last, "up" if direction > 0 else "down", count))
                direction, first, last, count = 0, i, i, 1
            previous = i
            continue
        if step == direction:
            last, count = i, count + 1
        else:
            if count >= length:
                found.append(Stretch(first, last, "up" if direction > 0 else "down", count))
            direction, first, last, count = int(step), previous, i, 2
        previous = i
    if count >= length and direction != 0:
        found.append(Stretch(first, last, "up" if direction > 0 else "down", count))
    return found


def count_runs(values: np.ndarray, centre: np.ndarray) -> tuple[int, int]:
    """Return the number of runs and of useful observations (points not on the centre line).

    A run is one or more consecutive points on the same side of the median; points
    on the median are left out (Perla et al. 2011).
    """
    side = sides(values, centre)
    useful = side[side != 0]
    if len(useful) == 0:
        return 0, 0
    return int(1 + np.count_nonzero(useful[1:] != useful[:-1])), int(len(useful))


@lru_cache(maxsize=128)
def runs_limits(useful: int, alpha: float = 0.05) -> tuple[int, int]:
    """Return the fewest and most runs expected by chance among ``useful`` observations.

    Fewer runs than the first, or more than the second, is a signal. Perla et al.
    (2011) print a table of these limits taken from Swed and Eisenhart (1943); cjlib
    computes them from the same source, the exact distribution of the number of runs
    with the useful observations split evenly above and below the median, with at most
    ``alpha / 2`` in each tail. (The printed table is the same at most sizes; where
    it was rounded differently it may differ by one run.)

    Parameters
    ----------
    useful : int
        Points not on the median; the table starts at 10.
    alpha : float
        Two-sided significance level (5% in the published table).
    """
    if useful < 2:
        raise ValueError(f"the runs rule needs at least 2 useful observations, not {useful}")
    n1 = useful // 2
    n2 = useful - n1
    probs = runs_distribution(n1, n2)
    cumulative = np.cumsum(probs)
    runs = np.arange(len(probs))
    lower = int(runs[cumulative <= alpha / 2].max(initial=1)) + 1
    upper_tail = np.cumsum(probs[::-1])[::-1]  # P(R >= r)
    upper = int(runs[upper_tail <= alpha / 2].min(initial=len(probs))) - 1
    return lower, upper


def runs_distribution(n1: int, n2: int) -> np.ndarray:
    """Return P(R = r) for r = 0 .. n1 + n2 runs of n1 and n2 points (Swed and Eisenhart 1943)."""
    total = comb(n1 + n2, n1)
    probs = np.zeros(n1 + n2 + 1)
    for r in range(2, n1 + n2 + 1):
        if r % 2 == 0:
            k = r // 2
            ways = 2 * comb(n1 - 1, k - 1) * comb(n2 - 1, k - 1)
        else:
            k = (r - 1) // 2
            ways = comb(n1 - 1, k) * comb(n2 - 1, k - 1) + comb(n1 - 1, k - 1) * comb(n2 - 1, k)
        probs[r] = ways / total
    return probs
