"""Attack (e): change and trend labels computed with hidden years narrow those years' counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.assess.compare import _change_labels, _change_test
from cjlib.assess.trend import add_trend
from cjlib.audit.domain import INF, IntSet
from cjlib.audit.model import Model, Unary

CHANGE, TREND = "change label", "trend label"
CHANGE_LABELS = ("significant increase", "significant decrease", "no significant change")
TREND_LABELS = ("rising", "falling", "no clear trend")
#: Most candidate counts tried for one hidden cell.
MAX_CANDIDATES = 20_000


def _series(model: Model) -> pd.DataFrame:
    """One row per area, indicator and period: what is shown, with the count cell's key."""
    frame = model.frame
    keys = ["area_code", "indicator_id", "period"]
    table = frame.groupby(keys, sort=False).agg(
        numerator=("numerator", "first"),
        denominator=("denominator", "first"),
        value=("value", "first"),
        hidden=("hidden", "any"),
        marker=("marker", "first"),
        change_label=("change_label", lambda s: next((x for x in s if x), "")),
        trend=("trend", lambda s: next((x for x in s if x), "")),
        baseline_period=("baseline_period", lambda s: next((x for x in s if x), "")),
        kind=("indicator_type", "first"),
        polarity=("polarity", "first"),
        mult=("multiplier", "first"),
        confidence=("confidence", "first"),
        file=("file", "first"),
    )
    return table.reset_index()


def _scale(model: Model, row, den_m: str | None) -> float | None:
    """Value per unit count (None when the denominator is unknown)."""
    if row.kind == "count":
        return 1.0
    if pd.notna(row.denominator):
        return row.mult / row.denominator
    key = (row.area_code, row.period, den_m)
    return row.mult / model.known[key] if den_m and key in model.known else None


def _candidates(model: Model, known_counts: list[float]) -> np.ndarray:
    cap = min(MAX_CANDIDATES, int(4 * max(known_counts + [1.0]) + 100))
    return np.arange(0, cap + 1, dtype=float)


def _keep(counts: np.ndarray, ok: np.ndarray) -> IntSet:
    allowed = IntSet.of(counts[ok].astype(int))
    if ok[-1]:  # the label holds at the cap, so it holds above it
        allowed = IntSet.union([allowed, IntSet.between(counts[-1], INF)])
    return allowed


def _change(model: Model, shown, base, den_m, counts) -> np.ndarray:
    n1 = shown.denominator if shown.kind != "count" else np.nan
    n0 = base.denominator if shown.kind != "count" else np.nan
    if shown.kind == "proportion" and pd.isna(n0):
        n0 = model.known.get((base.area_code, base.period, den_m), np.nan)
    size = counts.size
    trial = pd.DataFrame(
        {
            "indicator_type": [shown.kind] * size,
            "numerator": np.full(size, shown.numerator),
            "baseline_numerator": counts,
            "denominator": np.full(size, n1, dtype=float),
            "baseline_denominator": np.full(size, n0, dtype=float),
            "value": np.full(size, shown.value),
            "polarity": [shown.polarity] * size,
        }
    )
    scale = 1.0 if shown.kind == "count" else shown.mult / n0
    trial["baseline_value"] = counts * scale
    p, _ = _change_test(trial)
    labels, _ = _change_labels(trial, p, 1 - float(shown.confidence))
    return np.asarray(labels) == shown.change_label


def change_constraints(model: Model) -> list[Unary]:
    """Baseline counts consistent with every shown row's change label.

    The tests are cjlib's own (:mod:`cjlib.assess.compare`): the exact conditional
    Poisson test for counts and rates and the two-sample test for shares.
    """
    table = _series(model)
    out = []
    for (area, indicator), rows in table.groupby(["area_code", "indicator_id"], sort=False):
        by_period = rows.set_index("period")
        num_m, den_m = model.measures[indicator]
        for shown in rows.itertuples(index=False):
            base_period = shown.baseline_period
            if shown.hidden or shown.change_label not in CHANGE_LABELS or pd.isna(shown.numerator):
                continue
            if not base_period or base_period not in by_period.index:
                continue
            key = (area, base_period, num_m)
            base = by_period.loc[base_period]
            if key not in model.hidden or base.get("marker") == "[x]":
                continue
            base = base.to_frame().T.assign(period=base_period, area_code=area).iloc[0]
            if shown.kind == "proportion" and pd.isna(base.denominator) and (
                (area, base_period, den_m) not in model.known
            ):
                continue
            counts = _candidates(model, [shown.numerator])
            if shown.kind == "proportion":
                n0 = base.denominator
                n0 = model.known[(area, base_period, den_m)] if pd.isna(n0) else n0
                counts = counts[counts <= n0]
            with np.errstate(all="ignore"):
                ok = _change(model, shown, base, den_m, counts)
            reason = (
                f"{shown.file} labels {indicator} in {shown.period} \"{shown.change_label}\" "
                f"against the hidden {base_period}"
            )
            out.append(Unary(key, _keep(counts, ok), reason, CHANGE))
    return out


def trend_constraints(model: Model) -> list[Unary]:
    """Counts of one hidden year consistent with each later shown trend label.

    The trend is cjlib's (:func:`cjlib.assess.trend.add_trend`): the OLS slope of the
    value on the year over every year with a value, tested with a t-test. Only
    windows with exactly one hidden year ("[c]"; a "[x]" year has no value and so was
    never in the window) and every other year shown are used.
    """
    table = _series(model)
    table = table[table["period"].str.len() == 7]
    out = []
    for (area, indicator), rows in table.groupby(["area_code", "indicator_id"], sort=False):
        rows = rows.sort_values("period")
        num_m, den_m = model.measures[indicator]
        for shown in rows.itertuples(index=False):
            if shown.hidden or shown.trend not in TREND_LABELS:
                continue
            window = rows[(rows["period"] <= shown.period) & (rows["marker"] != "[x]")]
            window = window[window["hidden"] | window["value"].notna()]
            hidden = window[window["hidden"]]
            if len(hidden) != 1:
                continue
            h = next(hidden.itertuples(index=False))
            scale = _scale(model, h, den_m)
            key = (area, h.period, num_m)
            if scale is None or key not in model.hidden:
                continue
            counts = _candidates(model, list(window["numerator"].dropna()))
            ok = _trend_matches(window, h.period, counts * scale, shown.trend, shown.confidence)
            reason = (
                f"{shown.file} labels the trend of {indicator} to {shown.period} "
                f"\"{shown.trend}\", a fit that includes the hidden {h.period}"
            )
            out.append(Unary(key, _keep(counts, ok), reason, TREND))
    return out


def _trend_matches(window, hidden_period, values, label, confidence) -> np.ndarray:
    periods = list(window["period"])
    known = dict(zip(window["period"], window["value"], strict=True))
    n = values.size
    trial = pd.DataFrame(
        {
            "area_code": np.repeat(np.arange(n).astype(str), len(periods)),
            "indicator_id": "x",
            "period": periods * n,
        }
    )
    trial["value"] = [known[p] for p in periods] * n
    at = trial["period"].eq(hidden_period).to_numpy()
    trial.loc[at, "value"] = values
    fitted = add_trend(trial, alpha=1 - float(confidence))
    last = fitted[fitted["period"] == periods[-1]]
    return last["trend"].to_numpy() == label
