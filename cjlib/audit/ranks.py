"""Attack (d): ranks that still count hidden areas place each one between shown neighbours."""

from __future__ import annotations

import math

import pandas as pd

from cjlib.areas import council_areas
from cjlib.audit.domain import INF, IntSet
from cjlib.audit.model import Model, Unary

ATTACK = "rank gap"


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per council, indicator and period: its value, rank, rank_of and whether hidden."""
    councils = frame[frame["geography"] == "council"].assign(
        not_returned=lambda f: f["marker"] == "[x]"
    )
    keys = ["indicator_id", "period", "area_code"]
    return councils.groupby(keys, sort=False).agg(
        value=("value", "first"),
        rank=("rank", "first"),
        rank_of=("rank_of", "max"),
        hidden=("hidden", "any"),
        not_returned=("not_returned", "any"),
        denominator=("denominator", "first"),
        polarity=("polarity", "first"),
        kind=("indicator_type", "first"),
        mult=("multiplier", "first"),
        file=("file", "first"),
    )


def _stretches(shown: pd.DataFrame, extra: int, descending: bool) -> list[tuple[float, float]]:
    """Value ranges (low, high) that hold at least one hidden ranked area.

    With ``rank`` computed by the "min" method, a ranked area's rank minus one, less the
    shown areas strictly better than it, is the number of hidden areas strictly better.
    """
    ranked = shown[shown["rank"].notna()].sort_values("value", ascending=not descending)
    values = shown["value"].to_numpy()
    bounds, counts = [], []
    for v, r in zip(ranked["value"], ranked["rank"], strict=True):
        better = (values > v).sum() if descending else (values < v).sum()
        bounds.append(float(v))
        counts.append(int(r) - 1 - int(better))
    if any(b > a for a, b in zip(counts[1:], counts[:-1], strict=True)) or counts[-1] > extra:
        return []  # the ranks do not fit these values: say nothing
    edge = INF if descending else 0.0
    pieces, last_v, last_n = [], edge, 0
    for v, n in zip(bounds, counts, strict=True):
        pieces.append((min(v, last_v), max(v, last_v), n - last_n))
        last_v, last_n = v, n
    tail = 0.0 if descending else INF
    pieces.append((min(last_v, tail), max(last_v, tail), extra - last_n))
    return [(lo, hi) for lo, hi, n in pieces if n > 0]


def constraints(model: Model) -> list[Unary]:
    """Value ranges for hidden areas that the published ranks must have counted.

    For each indicator and year with a published ``rank_of``: when every council is
    listed and the number ranked exceeds the number shown by exactly the number of
    "[c]" areas, each shown area's rank says how many hidden areas are better than it.
    Each hidden area lies in one of the stretches that hold a hidden area; the value
    range becomes a count range through the population (rates) or the known
    denominator (shares).
    """
    all_councils = set(council_areas()["area_code"])
    out: list[Unary] = []
    table = _cells(model.frame)
    for (indicator, period), group in table.groupby(level=[0, 1], sort=False):
        group = group.droplevel([0, 1])
        if not group["rank_of"].notna().any() or set(group.index) != all_councils:
            continue
        shown = group[group["value"].notna() & ~group["hidden"]]
        candidates = group[group["hidden"] & ~group["not_returned"]]
        extra = int(group["rank_of"].max()) - len(shown)
        if extra <= 0 or extra != len(candidates) or not shown["rank"].notna().any():
            continue
        descending = shown["polarity"].iloc[0] in ("higher_is_better", "none")
        stretches = _stretches(shown, extra, descending)
        if not stretches:
            continue
        out += _units(model, indicator, period, candidates, stretches)
    return out


def _units(model, indicator, period, candidates, stretches) -> list[Unary]:
    num_m, den_m = model.measures[indicator]
    out = []
    for area, row in candidates.iterrows():
        if row["kind"] == "count":
            scale = 1.0
        elif pd.notna(row["denominator"]):
            scale = row["denominator"] / row["mult"]
        elif den_m and (area, period, den_m) in model.known:
            scale = model.known[(area, period, den_m)] / row["mult"]
        else:
            continue
        allowed = IntSet.union(
            IntSet.between(lo * scale, hi * scale if not math.isinf(hi) else INF)
            for lo, hi in stretches
        )
        spans = " or ".join(f"{lo:g} to {hi:g}" for lo, hi in stretches)
        reason = (
            f"the published ranks of {indicator} in {period} count {len(candidates)} hidden "
            f"area(s), placing each between shown neighbours' values ({spans})"
        )
        out.append(Unary((area, period, num_m), allowed, reason, ATTACK))
    return out
