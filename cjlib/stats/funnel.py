"""Funnel plot control limits around a target value, after Spiegelhalter (2005)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import binom, poisson

from cjlib.stats._checks import (
    check_confidence,
    check_positive,
    check_scalar,
    check_whole,
    prepare_inputs,
    wrap_output,
)

#: The kinds of indicator a funnel can be drawn for.
KINDS = ("proportion", "rate")
#: The two control limits drawn on every funnel plot: about 2 and 3 standard deviations.
FUNNEL_CONFIDENCES = (0.95, 0.998)

Result = np.ndarray | pd.Series | np.float64


def _interpolated_quantile(distribution, p: float) -> np.ndarray:
    """Spiegelhalter's interpolated ``p`` quantile of a discrete distribution.

    ``r`` is the smallest count with ``F(r) >= p``; the limit is ``r - a`` with
    ``a = (F(r) - p) / (F(r) - F(r - 1))``, which turns the step function of exact
    quantiles into a smooth line.
    """
    r = distribution.ppf(p)
    at, below = distribution.cdf(r), distribution.cdf(r - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return r - (at - p) / (at - below)


def _check_kind(kind: object) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))} (found {kind!r})")
    return str(kind)


def _check_target(kind: str, target: object) -> float:
    value = check_scalar(target, "target")
    if value < 0 or (kind == "proportion" and value > 1):
        allowed = "between 0 and 1" if kind == "proportion" else "zero or more"
        raise ValueError(f"target for a {kind} must be {allowed} (found {value:g})")
    return value


def funnel_limits(
    kind: str,
    target: float,
    denominators: ArrayLike | pd.Series,
    confidence: float = 0.95,
    *,
    per: float = 10_000,
) -> tuple[Result, Result]:
    """Control limits around a target value for each denominator, for a funnel plot.

    The limits come from the exact sampling distribution of the numerator when the
    area's true value equals the target, with Spiegelhalter's interpolation between
    the integer quantiles so the funnel is a smooth line:

    - proportions: Binomial(``n``, ``target``) for a denominator of ``n`` people;
    - rates: Poisson(``target * population / per``), the exact Poisson limits.

    For the ``p`` quantile, ``r`` is the smallest count with ``F(r) >= p`` and the
    control limit is ``(r - a) / n`` with ``a = (F(r) - p) / (F(r) - F(r - 1))``
    (Spiegelhalter 2005, appendix A.1). The lower limit uses ``p = (1 - confidence) / 2``
    and the upper ``p = (1 + confidence) / 2``.

    Limits are bounded to [0, 1] for proportions and to zero or more for rates, and
    never cross the target. The interpolated upper limit can fall below the target
    (below zero, even) when the expected count is tiny (under about 0.03 events, when a
    single event is already unusual) or a proportion target is near 1 with a tiny
    denominator; it is then drawn at the target, so an area with no events is never
    flagged as high.

    Why exact rather than the normal approximation used by the PHE funnel tool
    (``target +/- z * sqrt(target * (1 - target) / n)``, which is also what inverting
    the Wilson interval gives): justice social work denominators are often small
    (a few dozen orders or cases in island and rural councils), where the normal
    approximation is poor and can cross 0 or 1. For large denominators the two agree.
    The interpolated limit lies between the integer counts ``r - 1`` and ``r``, so an
    area whose count is exactly ``r`` plots just outside it although its exact tail
    probability is slightly above ``(1 - confidence) / 2``. That matters only for small
    denominators: read points close to the limits there with care.

    Parameters
    ----------
    kind : {"proportion", "rate"}
        The indicator's type.
    target : float
        The value the areas are compared with, usually Scotland's: a proportion between
        0 and 1, or a rate per ``per`` population (zero or more).
    denominators : array_like or pandas.Series
        Number of people (proportions; whole numbers) or population (rates), each
        greater than zero. NaN gives NaN limits.
    confidence : float, default 0.95
        Two-sided level, strictly between 0 and 1; funnel plots use 0.95 and 0.998
        (see :func:`funnel_table`).
    per : float, default 10_000
        Rate multiplier (rates only): the target and the limits are per ``per`` people.

    Returns
    -------
    lower, upper : numpy.ndarray, pandas.Series or numpy.float64
        Control limits on the scale of ``target``, in the form of ``denominators``.

    Raises
    ------
    ValueError
        For an unknown ``kind``, a target outside its range, a denominator that is
        zero, negative, infinite, not numeric or (for proportions) not a whole number,
        a non-positive ``per``, or ``confidence`` not strictly between 0 and 1.

    References
    ----------
    Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24: 1185-1202.
    """
    kind = _check_kind(kind)
    level = check_confidence(confidence)
    centre = _check_target(kind, target)
    multiplier = check_scalar(per, "per", positive=True)
    prepared = prepare_inputs(denominators=denominators)
    (n,) = prepared.arrays
    check_positive(n, "denominators", prepared.index)
    if kind == "proportion":
        check_whole(n, "denominators for a proportion", prepared.index)
    lower, upper = _limits(kind, np.full(np.shape(n), centre), n, level, multiplier)
    return wrap_output(lower, prepared, "lower"), wrap_output(upper, prepared, "upper")


def _limits(kind: str, centre: np.ndarray, n: np.ndarray, level: float, multiplier: float):
    """Elementwise limits for arrays of targets and denominators (checked by the caller)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "proportion":
            distribution = binom(n, centre)
            scale = 1 / n
            degenerate = (centre == 0.0) | (centre == 1.0)
        else:
            distribution = poisson(centre * n / multiplier)
            scale = multiplier / n
            degenerate = centre == 0.0
        lower = _interpolated_quantile(distribution, (1 - level) / 2) * scale
        upper = _interpolated_quantile(distribution, (1 + level) / 2) * scale
    lower = np.minimum(np.maximum(lower, 0.0), centre)
    upper = np.maximum(upper, centre)
    if kind == "proportion":
        upper = np.minimum(upper, 1.0)
    flat = np.where(np.isnan(n), np.nan, centre)
    return np.where(degenerate, flat, lower), np.where(degenerate, flat, upper)


def funnel_limits_each(
    kind: str,
    targets: ArrayLike,
    denominators: ArrayLike,
    confidence: float = 0.95,
    *,
    per: ArrayLike = 10_000,
) -> tuple[np.ndarray, np.ndarray]:
    """The limits of :func:`funnel_limits`, one target (and multiplier) per denominator.

    Used to judge many areas against many comparators in one vectorised pass; each
    element equals ``funnel_limits(kind, target, [denominator], confidence, per=per)``.
    Elements with a missing or out-of-range target, or a denominator that is not
    positive (or not whole, for proportions), give NaN limits.
    """
    kind = _check_kind(kind)
    level = check_confidence(confidence)
    centre = np.asarray(targets, dtype=float)
    n = np.asarray(denominators, dtype=float)
    multiplier = np.broadcast_to(np.asarray(per, dtype=float), n.shape)
    bad = np.isnan(centre) | (centre < 0) | ~(n > 0) | ~np.isfinite(n)
    if kind == "proportion":
        bad |= (centre > 1) | (n != np.round(n))
    n = np.where(bad, np.nan, n)
    centre = np.where(bad, 0.5, centre)
    lower, upper = _limits(kind, centre, n, level, multiplier)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def confidence_label(confidence: float) -> str:
    """Column suffix for a confidence level: 0.95 -> ``"95"``, 0.998 -> ``"998"``."""
    return f"{check_confidence(confidence) * 100:.10g}".replace(".", "")


def funnel_table(
    kind: str,
    target: float,
    denominators: ArrayLike | pd.Series,
    *,
    per: float = 10_000,
    confidences: Sequence[float] = FUNNEL_CONFIDENCES,
    points: int = 100,
    from_one: bool = True,
) -> pd.DataFrame:
    """Funnel control limits over a smooth grid of denominators, ready to plot.

    The grid has up to ``points`` whole-number denominators, spaced evenly on a log
    scale. It runs from 1 (or from 95% of the smallest denominator when the largest
    is less than twice the smallest, as in the PHE funnel tool) to 105% of the
    largest, so every area's point lies inside the drawn range.

    Parameters
    ----------
    kind : {"proportion", "rate"}
        The indicator's type.
    target : float
        The comparator value (see :func:`funnel_limits`).
    denominators : array_like or pandas.Series
        The areas' denominators; only their range is used. NaN values are ignored.
    per : float, default 10_000
        Rate multiplier (rates only).
    confidences : sequence of float, default (0.95, 0.998)
        Confidence levels to draw.
    points : int, default 100
        Number of grid points (at least 2); fewer remain when whole numbers repeat.
    from_one : bool, default True
        Start the grid at 1 when the denominators span more than a factor of two.
        False always starts it at 95% of the smallest denominator: for population
        denominators, where limits near 1 would dwarf the areas' points.

    Returns
    -------
    pandas.DataFrame
        Columns ``denominator``, ``target``, then ``lower_<level>`` and ``upper_<level>``
        for each level, named by :func:`confidence_label`: ``lower_95``, ``upper_95``,
        ``lower_998``, ``upper_998`` by default.

    Raises
    ------
    ValueError
        As :func:`funnel_limits`; also when no denominator is given, ``points`` is less
        than 2, or two confidence levels share a label.

    References
    ----------
    Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24: 1185-1202.
    """
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ValueError(f"points must be a whole number of at least 2 (found {points!r})")
    labels = [confidence_label(level) for level in confidences]
    if not labels or len(set(labels)) != len(labels):
        raise ValueError(f"confidences must be distinct levels (found {list(confidences)!r})")
    prepared = prepare_inputs(denominators=denominators)
    (values,) = prepared.arrays
    check_positive(values, "denominators", prepared.index)
    values = values[~np.isnan(values)].ravel()
    if values.size == 0:
        raise ValueError("denominators must hold at least one value that is not missing")
    smallest, largest = float(values.min()), float(values.max())
    near = max(1.0, math.floor(0.95 * smallest))
    start = 1.0 if from_one and largest > 2 * smallest else near
    stop = max(math.ceil(1.05 * largest), start + 1)
    grid = np.unique(np.round(np.geomspace(start, stop, points)))
    table = pd.DataFrame({"denominator": grid, "target": float(target)})
    for level, label in zip(confidences, labels, strict=True):
        lower, upper = funnel_limits(kind, target, grid, level, per=per)
        table[f"lower_{label}"] = lower
        table[f"upper_{label}"] = upper
    return table
