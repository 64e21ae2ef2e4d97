"""Shewhart control (SPC) charts: p, u, c and XmR limits at three sigma, and their rules.

Which chart (Provost and Murray 2011, *The Health Care Data Guide*, chapter 5;
Montgomery 2013, *Introduction to Statistical Quality Control*, 7th ed., chapters 6-7):

- **p chart**, for shares (a count out of a denominator):
  centre p̄ = Σx / Σn, limits p̄ ± 3 √(p̄ (1 - p̄) / n_i), kept within 0 and 1;
- **u chart**, for rates (events per unit of exposure):
  centre ū = Σx / Σn, limits ū ± 3 √(ū / n_i), the lower kept at 0 or above;
- **c chart**, for counts with a constant area of opportunity:
  centre c̄ = mean count, limits c̄ ± 3 √c̄, the lower kept at 0 or above;
- **XmR (individuals) chart**, for measurements: centre x̄, limits x̄ ± 2.66 MR̄,
  where MR̄ is the mean moving range of successive points (2.66 = 3 / d2, d2 = 1.128).

Special-cause rules (Provost and Murray 2011, the rules the IHI and NHS Scotland teach):

1. a point outside the control limits;
2. a shift: eight or more consecutive points on one side of the centre line;
3. a trend: six consecutive points all going up or all going down;
4. two out of three consecutive points beyond two sigma, on the same side.

Limits need at least :data:`MIN_SPC_POINTS` points (20; Provost and Murray and
Montgomery recommend 20 to 25): with fewer, show a run chart instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cjlib.improve.rules import one_side_runs, trends
from cjlib.improve.runchart import MR_FACTOR, Signal

MIN_SPC_POINTS = 20
SPC_SHIFT_POINTS = 8
SPC_TREND_POINTS = 6
D2 = 1.128
#: The right chart for each kind of measure.
CHART_FOR_KIND = {"proportion": "p", "rate": "u", "count": "c", "measurement": "xmr"}


@dataclass
class ControlChart:
    """Centre line, sigma and limits for every point, and the special causes found."""

    kind: str  # "p", "u", "c" or "xmr"
    values: np.ndarray  # what is plotted: shares, rates, counts or measurements
    centre: np.ndarray
    sigma: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    phase_starts: list[int]
    signals: list[Signal] = field(default_factory=list)


def _limits(
    kind: str, numerators: np.ndarray, denominators: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (values, centre, sigma, lower, upper) for one phase."""
    x = np.asarray(numerators, dtype=float)
    ok = ~np.isnan(x)
    if kind in ("p", "u"):
        if denominators is None:
            raise ValueError(f"a {kind} chart needs denominators")
        n = np.asarray(denominators, dtype=float)
        if np.any(n[ok] <= 0):
            raise ValueError(f"a {kind} chart needs denominators greater than zero")
        if kind == "p" and np.any(x[ok] > n[ok]):
            raise ValueError("a p chart needs numerators no greater than their denominators")
        values = x / n
        ok &= ~np.isnan(n)
        bar = x[ok].sum() / n[ok].sum()
        sigma = np.sqrt(bar * (1 - bar) / n) if kind == "p" else np.sqrt(bar / n)
    elif kind == "c":
        values = x
        bar = x[ok].mean()
        sigma = np.full(len(x), np.sqrt(bar))
    elif kind == "xmr":
        values = x
        bar = x[ok].mean()
        mr_bar = np.mean(np.abs(np.diff(x[ok])))
        sigma = np.full(len(x), mr_bar / D2)
        centre = np.full(len(x), bar)
        return values, centre, sigma, centre - MR_FACTOR * mr_bar, centre + MR_FACTOR * mr_bar
    else:
        raise ValueError(f"unknown chart {kind!r}: expected p, u, c or xmr")
    centre = np.full(len(x), bar)
    lower = np.maximum(centre - 3 * sigma, 0)
    upper = centre + 3 * sigma
    if kind == "p":
        upper = np.minimum(upper, 1)
    return values, centre, sigma, lower, upper


def control_chart(
    kind: str,
    numerators: np.ndarray | list[float],
    denominators: np.ndarray | list[float] | None = None,
    *,
    phase_starts: list[int] | None = None,
) -> ControlChart:
    """Compute a control chart's limits, phase by phase, and find special causes.

    Parameters
    ----------
    kind : {"p", "u", "c", "xmr"}
        The chart: see the module docstring.
    numerators : array-like
        Counts (p, u, c) or measurements (xmr), in time order.
    denominators : array-like, optional
        Denominators for p and u charts.
    phase_starts : list of int, optional
        Where each phase starts (default: one phase); each phase has its own limits.

    Raises
    ------
    ValueError
        For an unknown chart, missing or non-positive denominators, or a phase with
        fewer than :data:`MIN_SPC_POINTS` points.
    """
    x = np.asarray(numerators, dtype=float)
    n = None if denominators is None else np.asarray(denominators, dtype=float)
    starts = phase_starts or [0]
    bounds = [*starts, len(x)]
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        if np.count_nonzero(~np.isnan(x[lo:hi])) < MIN_SPC_POINTS:
            raise ValueError(
                f"control limits need at least {MIN_SPC_POINTS} points in each phase; "
                f"points {lo + 1} to {hi} have {np.count_nonzero(~np.isnan(x[lo:hi]))}"
            )
        parts.append(_limits(kind, x[lo:hi], None if n is None else n[lo:hi]))
    values, centre, sigma, lower, upper = (np.concatenate(p) for p in zip(*parts, strict=True))
    chart = ControlChart(kind, values, centre, sigma, lower, upper, list(starts))
    chart.signals = special_causes(chart)
    return chart


def special_causes(chart: ControlChart) -> list[Signal]:
    """Return the special causes on a control chart (rules 1 to 4 of the module docstring)."""
    v = chart.values
    phase = np.zeros(len(v), dtype=int)
    for k, start in enumerate(chart.phase_starts):
        phase[start:] = k
    found: list[Signal] = []
    for i in np.flatnonzero((v > chart.upper) | (v < chart.lower)):
        direction = "up" if v[i] > chart.upper[i] else "down"
        found.append(Signal("outside limits", int(i), int(i), direction, int(phase[i])))
    bounds = [*chart.phase_starts, len(v)]
    for k, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        for s in one_side_runs(v[lo:hi], chart.centre[lo:hi], SPC_SHIFT_POINTS):
            found.append(
                Signal("shift", lo + s.start, lo + s.end, s.direction, k, f"{s.points} points")
            )
        found += _two_of_three(v[lo:hi], chart.centre[lo:hi], chart.sigma[lo:hi], lo, k)
    for s in trends(v, SPC_TREND_POINTS):
        found.append(
            Signal("trend", s.start, s.end, s.direction, int(phase[s.start]), f"{s.points} points")
        )
    return sorted(found, key=lambda s: (s.start, s.rule))


def _two_of_three(
    v: np.ndarray, centre: np.ndarray, sigma: np.ndarray, offset: int, phase: int
) -> list[Signal]:
    """Two of three consecutive points beyond two sigma on the same side (one signal each)."""
    high = v > centre + 2 * sigma
    low = v < centre - 2 * sigma
    out: list[Signal] = []
    last_end = -1
    for i in range(len(v) - 2):
        for flags, direction in ((high, "up"), (low, "down")):
            window = flags[i : i + 3]
            if window.sum() >= 2 and flags[i] and i > last_end:
                end = i + int(np.flatnonzero(window)[1])
                out.append(Signal("2 of 3", offset + i, offset + end, direction, phase))
                last_end = end
    return out
