"""Run charts: a frozen baseline median, rephased after a sustained shift, and four rules.

The rules are those of Perla, Provost and Murray (2011), "The run chart: a simple
analytical tool for learning from variation in healthcare processes", BMJ Quality
& Safety 20:46-51 (the rules taught by the Institute for Healthcare Improvement and
the Scottish improvement programmes):

1. **Shift**: six or more consecutive points all above or all below the median;
   points on the median neither add to nor break a shift.
2. **Trend**: five or more consecutive points all going up or all going down; like
   values neither make nor break a trend.
3. **Runs**: too few or too many runs for the number of useful observations (points
   not on the median), by the table of Swed and Eisenhart (1943) that Perla et al.
   reproduce; applied from 10 useful observations.
4. **Astronomical point**: a value blatantly different from the rest. Perla et al.
   leave this to judgement; cjlib flags a point outside the median plus or minus
   2.66 average moving ranges of its phase (the natural process limits of an
   individuals chart, Wheeler), for the team to confirm.

The median is that of the first ``baseline_points`` points (12 by default) and is
frozen: later points do not move it. When a shift lasts ``sustained`` points or more
(9 by default: a cjlib choice, longer than the six that signal), the process has
changed: a new phase starts at the shift's first point, with its own frozen median
from up to ``baseline_points`` of its points.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cjlib.improve.rules import Stretch, count_runs, one_side_runs, runs_limits, trends

SHIFT_POINTS = 6
TREND_POINTS = 5
BASELINE_POINTS = 12
SUSTAINED_POINTS = 9
MIN_RUNS_POINTS = 10
#: 3 / d2 with d2 = 1.128 for moving ranges of two points (Wheeler's 2.66).
MR_FACTOR = 2.66


@dataclass(frozen=True)
class Signal:
    """A non-random pattern: which rule, where, and which way.

    ``start`` and ``end`` are positions in the series (inclusive); ``direction`` is
    ``"up"``/``"down"`` for shifts, trends and astronomical points, and
    ``"too few"``/``"too many"`` for runs.
    """

    rule: str  # "shift", "trend", "runs", "astronomical", "outside limits", "2 of 3"
    start: int
    end: int
    direction: str
    phase: int = 0
    detail: str = ""


@dataclass
class RunChart:
    """A run chart's centre line by phase and the signals found."""

    values: np.ndarray
    centre: np.ndarray  # the frozen median of each point's phase
    phase_starts: list[int]
    medians: list[float]
    signals: list[Signal] = field(default_factory=list)

    @property
    def phase(self) -> np.ndarray:
        """The phase number (0, 1, ...) of every point."""
        out = np.zeros(len(self.values), dtype=int)
        for n, start in enumerate(self.phase_starts):
            out[start:] = n
        return out


def _median(values: np.ndarray) -> float:
    kept = values[~np.isnan(values)]
    return float(np.median(kept)) if len(kept) else float("nan")


def phase_medians(
    values: np.ndarray,
    *,
    baseline_points: int = BASELINE_POINTS,
    sustained: int = SUSTAINED_POINTS,
) -> tuple[list[int], list[float], list[Stretch]]:
    """Return where each phase starts, its frozen median and the shift that began it.

    A phase's median is that of its first ``baseline_points`` points. A shift of
    ``sustained`` or more points that starts after that baseline begins a new phase
    at its first point; the shift (measured against the old median) is returned for
    each phase after the first.
    """
    values = np.asarray(values, dtype=float)
    starts, medians = [0], [_median(values[:baseline_points])]
    triggers: list[Stretch] = []
    while True:
        start, median = starts[-1], medians[-1]
        centre = np.full(len(values), median)
        centre[:start] = np.nan
        later = [
            s
            for s in one_side_runs(values, centre, sustained)
            if s.start >= start + baseline_points
        ]
        if not later:
            return starts, medians, triggers
        triggers.append(later[0])
        starts.append(later[0].start)
        medians.append(_median(values[later[0].start : later[0].start + baseline_points]))


def analyse_run_chart(
    values: np.ndarray | list[float],
    *,
    baseline_points: int = BASELINE_POINTS,
    sustained: int = SUSTAINED_POINTS,
    rephase: bool = True,
) -> RunChart:
    """Find the median(s) and every run-chart signal of a series.

    Parameters
    ----------
    values : array-like
        The measure, in time order (missing values allowed; they are skipped).
    baseline_points : int
        Points whose median is frozen as the centre line (12: a year of months).
    sustained : int
        Length of a shift that starts a new phase with its own median.
    rephase : bool
        False keeps the baseline median throughout.

    Returns
    -------
    RunChart
        Centre line and signals, each signal tied to its phase.
    """
    values = np.asarray(values, dtype=float)
    if rephase:
        starts, medians, triggers = phase_medians(
            values, baseline_points=baseline_points, sustained=sustained
        )
    else:
        starts, medians, triggers = [0], [_median(values[:baseline_points])], []
    chart = RunChart(values, np.zeros(len(values)), starts, medians)
    for n, start in enumerate(starts):
        chart.centre[start:] = medians[n]
    bounds = [*starts, len(values)]
    signals = [
        Signal(
            "shift", t.start, t.end, t.direction, n, f"{t.points} points; a new median from here"
        )
        for n, t in enumerate(triggers)
    ]
    for n in range(len(starts)):
        lo, hi = bounds[n], bounds[n + 1]
        part, centre = values[lo:hi], chart.centre[lo:hi]
        for s in one_side_runs(part, centre, SHIFT_POINTS):
            signals.append(
                Signal("shift", lo + s.start, lo + s.end, s.direction, n, f"{s.points} points")
            )
        runs, useful = count_runs(part, centre)
        if useful >= MIN_RUNS_POINTS:
            fewest, most = runs_limits(useful)
            if runs < fewest or runs > most:
                signals.append(
                    Signal(
                        "runs",
                        lo,
                        hi - 1,
                        "too few" if runs < fewest else "too many",
                        n,
                        f"{runs} runs in {useful} useful observations; "
                        f"{fewest} to {most} expected by chance",
                    )
                )
        signals += _astronomical(part, medians[n], lo, n)
    for s in trends(values, TREND_POINTS):
        signals.append(
            Signal(
                "trend",
                s.start,
                s.end,
                s.direction,
                int(chart.phase[s.start]),
                f"{s.points} points",
            )
        )
    chart.signals = sorted(signals, key=lambda s: (s.start, s.rule))
    return chart


def _astronomical(part: np.ndarray, median: float, offset: int, phase: int) -> list[Signal]:
    kept = part[~np.isnan(part)]
    if len(kept) < 3:
        return []
    mr_bar = float(np.mean(np.abs(np.diff(kept))))
    if mr_bar == 0:
        return []
    upper, lower = median + MR_FACTOR * mr_bar, median - MR_FACTOR * mr_bar
    out = []
    for i, v in enumerate(part):
        if v > upper or v < lower:
            out.append(
                Signal(
                    "astronomical",
                    offset + i,
                    offset + i,
                    "up" if v > upper else "down",
                    phase,
                    f"outside {lower:.4g} to {upper:.4g}",
                )
            )
    return out
