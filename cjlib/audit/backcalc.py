"""Attacks (c) and (g): a shown rate, share or funnel point worked back to its count."""

from __future__ import annotations

import pandas as pd

from cjlib.audit.domain import IntSet
from cjlib.audit.model import Model, Unary

ATTACK = "back-calculation"
FUNNEL = "funnel point"
ELSEWHERE = "shown elsewhere"


def _label(file: str) -> str:
    return FUNNEL if "funnel" in file.lower() else ATTACK


def _shown_elsewhere(model: Model) -> list[Unary]:
    out = []
    for key, (file, marker) in model.hidden.items():
        if key in model.known:
            value = model.known[key]
            where = model.shown_in.get(key, "another file")
            reason = (
                f"{where} shows {key[2]} for {key[1]} as {value:,.0f} (marked {marker} in {file})"
            )
            attack = FUNNEL if "funnel" in where.lower() else ELSEWHERE
            out.append(Unary(key, IntSet.between(value, value), reason, attack))
    return out


def constraints(model: Model) -> list[Unary]:
    """Counts implied by a value shown beside a hidden count, or a count shown elsewhere.

    A count indicator's value is the count; a rate is ``count / population *
    multiplier``; a share is ``numerator / denominator * multiplier``. Each published
    value is rounded, so the count is narrowed to every whole number whose value rounds
    to it (the frame's ``tolerance`` is half the last decimal place).
    """
    out = _shown_elsewhere(model)
    frame = model.frame
    rows = frame[frame["value"].notna()]
    cols = ["area_code", "period", "indicator_id", "indicator_type", "multiplier"]
    for row in rows[[*cols, "numerator", "denominator", "value", "tolerance", "file"]].itertuples(
        index=False
    ):
        num_m, den_m = model.measures[row.indicator_id]
        num = model.cell(row.area_code, row.period, num_m, row.indicator_id)
        den = model.cell(row.area_code, row.period, den_m, row.indicator_id) if den_m else None
        v, tol, mult = row.value, row.tolerance, row.multiplier
        if row.indicator_type == "count":
            scale = 1.0
        elif pd.notna(row.denominator):
            scale = row.denominator / mult
        elif den is not None and den in model.known:
            scale = model.known[den] / mult
        else:
            scale = None
        if num in model.hidden and scale is not None:
            lo, hi = (v - tol) * scale, (v + tol) * scale
            reason = (
                f"{row.file} shows {row.indicator_id} for {row.period} as {v:g}"
                + (
                    f" with denominator {scale * mult:,.0f}"
                    if row.indicator_type != "count"
                    else ""
                )
                + f", so the count is between {lo:.2f} and {hi:.2f}"
            )
            out.append(Unary(num, IntSet.between(lo, hi), reason, _label(row.file)))
        if den in model.hidden and num in model.known and v - tol > 0:
            n = model.known[num]
            lo, hi = n * mult / (v + tol), n * mult / (v - tol)
            reason = (
                f"{row.file} shows {row.indicator_id} for {row.period} as {v:g} with "
                f"numerator {n:,.0f}, so the denominator is between {lo:.2f} and {hi:.2f}"
            )
            out.append(Unary(den, IntSet.between(lo, hi), reason, _label(row.file)))
    return out
