"""Attack (f): the confidence limits printed for a hidden value pin down its count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.audit.domain import IntSet
from cjlib.audit.model import Model, Unary
from cjlib.stats.poisson import rate_ci
from cjlib.stats.proportions import wilson_ci

ATTACK = "interval bounds"
#: Most candidate counts tried for one row.
MAX_CANDIDATES = 200_000


def _limits(kind: str, counts: np.ndarray, scale: float, mult: float, conf: float):
    if kind == "proportion":
        lower, upper = wilson_ci(counts, scale * mult, confidence=conf)
        return np.asarray(lower) * mult, np.asarray(upper) * mult
    _, lower, upper = rate_ci(counts, scale * mult, per=mult, confidence=conf)
    return np.asarray(lower), np.asarray(upper)


def constraints(model: Model) -> list[Unary]:
    """Counts whose interval (cjlib's own methods) matches the published limits.

    Counts and rates use the exact Poisson interval below 10 events and Byar's method
    from 10 (:func:`cjlib.stats.poisson.rate_ci`); shares use Wilson's interval with
    the known denominator. Every count from 0 upwards whose limits round to the
    published ones is kept.
    """
    frame = model.frame
    rows = frame[frame["lower_ci"].notna() | frame["upper_ci"].notna()]
    out = []
    for row in rows.itertuples(index=False):
        num_m, den_m = model.measures[row.indicator_id]
        key = model.cell(row.area_code, row.period, num_m, row.indicator_id)
        if key not in model.hidden:
            continue
        kind, mult = row.indicator_type, float(row.multiplier)
        if kind == "count":
            scale = 1.0 / mult
        elif pd.notna(row.denominator):
            scale = row.denominator / mult
        elif (
            den_m and model.cell(row.area_code, row.period, den_m, row.indicator_id) in model.known
        ):
            scale = (
                model.known[model.cell(row.area_code, row.period, den_m, row.indicator_id)] / mult
            )
        else:
            continue
        if kind == "proportion":
            cap = scale * mult
        elif pd.notna(row.upper_ci):
            cap = row.upper_ci * scale + 10
        else:
            cap = 3 * row.lower_ci * scale + 50
        if not 0 <= cap <= MAX_CANDIDATES or scale <= 0:
            continue
        counts = np.arange(0, int(cap) + 1, dtype=float)
        lower, upper = _limits(kind, counts, scale, mult, float(row.confidence))
        tol = row.tolerance + 1e-9
        ok = np.ones(counts.size, dtype=bool)
        if pd.notna(row.lower_ci):
            ok &= np.abs(lower - row.lower_ci) <= tol
        if pd.notna(row.upper_ci):
            ok &= np.abs(upper - row.upper_ci) <= tol
        shown = " to ".join(f"{b:g}" for b in (row.lower_ci, row.upper_ci) if pd.notna(b))
        reason = f"{row.file} prints the interval {shown} for {row.indicator_id} in {row.period}"
        out.append(Unary(key, IntSet.of(counts[ok].astype(int)), reason, ATTACK))
    return out
