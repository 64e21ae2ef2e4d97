"""Attack (e): change and trend labels computed with hidden years narrow those years' counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from cjlib.assess.compare import _change_labels, _change_test
from cjlib.assess.trend import MIN_YEARS
from cjlib.audit.domain import INF, IntSet
from cjlib.audit.model import Key, Model, Unary

CHANGE, TREND = "change label", "trend label"
CHANGE_LABELS = ("significant increase", "significant decrease", "no significant change")
TREND_LABELS = ("rising", "falling", "no clear trend")
#: Most candidate counts tried for one hidden cell.
MAX_CANDIDATES = 20_000


def _first_text(values: pd.Series) -> str:
    found = values[values != ""]
    return found.iloc[0] if len(found) else ""


def _series(model: Model) -> pd.DataFrame:
    """One row per area, indicator and period: what is shown about it anywhere."""
    frame = model.frame
    keys = ["area_code", "indicator_id", "period"]
    grouped = frame.groupby(keys, sort=False)
    table = grouped.agg(
        numerator=("numerator", "first"),
        denominator=("denominator", "first"),
        value=("value", "first"),
        hidden=("hidden", "any"),
        kind=("indicator_type", "first"),
        polarity=("polarity", "first"),
        mult=("multiplier", "first"),
        confidence=("confidence", "first"),
        file=("file", "first"),
    )
    for column in ("marker", "change_label", "trend", "baseline_period"):
        texts = frame[column].where(frame[column] != "")
        table[column] = texts.groupby([frame[k] for k in keys], sort=False).first()
        table[column] = table[column].fillna("")
    return table.reset_index()


def _candidates(known_counts: list[float], limit: float = INF) -> np.ndarray:
    cap = min(MAX_CANDIDATES, int(4 * max(known_counts + [1.0]) + 100), limit)
    return np.arange(0, int(cap) + 1, dtype=float)


def _keep(counts: np.ndarray, ok: np.ndarray, open_ended: bool) -> IntSet:
    allowed = IntSet.of(counts[ok].astype(int))
    if open_ended and ok[-1]:  # the label holds at the cap, so it holds above it
        allowed = IntSet.union([allowed, IntSet.between(counts[-1], INF)])
    return allowed


def _den(model: Model, area: str, period: str, den_m: str | None, indicator: str, shown) -> float:
    if pd.notna(shown):
        return float(shown)
    key = model.cell(area, period, den_m, indicator) if den_m else None
    return model.known.get(key, np.nan) if key else np.nan


def _records(model: Model) -> dict[tuple[str, str], list[dict]]:
    """The series of each area and indicator, as plain records sorted by period."""
    if "records" in model.memo:
        return model.memo["records"]
    groups: dict[tuple[str, str], list[dict]] = {}
    for rec in _series(model).to_dict("records"):
        groups.setdefault((rec["area_code"], rec["indicator_id"]), []).append(rec)
    for rows in groups.values():
        rows.sort(key=lambda r: r["period"])
    model.memo["records"] = groups
    return groups


def change_constraints(model: Model) -> list[Unary]:
    """Baseline counts consistent with every shown row's change label.

    The tests are cjlib's own (:func:`cjlib.assess.compare._change_test`): the exact
    conditional Poisson test for counts and rates and the two-sample test for shares,
    run once over every candidate baseline count of every hidden baseline.
    """
    jobs: list[tuple[Key, dict, np.ndarray, float, float, str]] = []
    for (area, indicator), rows in _records(model).items():
        by_period = {r["period"]: r for r in rows}
        num_m, den_m = model.measures[indicator]
        for shown in rows:
            base_period = shown["baseline_period"]
            if shown["hidden"] or shown["change_label"] not in CHANGE_LABELS:
                continue
            base = by_period.get(base_period)
            if base is None or pd.isna(shown["numerator"]) or base["marker"] == "[x]":
                continue
            key = model.cell(area, base_period, num_m, indicator)
            if key not in model.hidden:
                continue
            n1, n0 = np.nan, np.nan
            if shown["kind"] != "count":
                n1 = _den(model, area, shown["period"], den_m, indicator, shown["denominator"])
                n0 = _den(model, area, base_period, den_m, indicator, base["denominator"])
                if np.isnan(n0) or np.isnan(n1) or n0 <= 0:
                    continue
            limit = n0 if shown["kind"] == "proportion" else INF
            counts = _candidates([shown["numerator"]], limit)
            jobs.append((key, shown, counts, n1, n0, base_period))
    if not jobs:
        return []
    trial = pd.concat([_trial(*job[1:5]) for job in jobs], ignore_index=True)
    with np.errstate(all="ignore"):
        p, _ = _change_test(trial)
        labels, _ = _change_labels(trial, p, 1 - trial["confidence"].to_numpy(float))
    out, start = [], 0
    for key, shown, counts, _, _, base_period in jobs:
        ok = np.asarray(labels[start : start + counts.size]) == shown["change_label"]
        start += counts.size
        reason = (
            f"{shown['file']} labels {shown['indicator_id']} in {shown['period']} "
            f'"{shown["change_label"]}" against the hidden {base_period}'
        )
        out.append(Unary(key, _keep(counts, ok, shown["kind"] != "proportion"), reason, CHANGE))
    return out


def _trial(shown: dict, counts: np.ndarray, n1: float, n0: float) -> pd.DataFrame:
    size = counts.size
    scale = 1.0 if shown["kind"] == "count" else shown["mult"] / n0
    return pd.DataFrame(
        {
            "indicator_type": np.repeat(shown["kind"], size),
            "numerator": np.full(size, shown["numerator"]),
            "baseline_numerator": counts,
            "denominator": np.full(size, n1),
            "baseline_denominator": np.full(size, n0),
            "value": np.full(size, shown["value"]),
            "baseline_value": counts * scale,
            "polarity": np.repeat(shown["polarity"], size),
            "confidence": np.full(size, float(shown["confidence"])),
        }
    )


def trend_labels(
    years: np.ndarray, values: np.ndarray, hidden: int, candidates: np.ndarray, alpha: float
) -> np.ndarray:
    """The trend label of each candidate value of one year, the others fixed.

    The same fit and test as :func:`cjlib.assess.trend.add_trend` (ordinary least
    squares slope of the value on the year, centred at 2000, two-sided t-test on
    n - 2 degrees of freedom), computed for every candidate at once.
    """
    x = years.astype(float) - 2000.0
    y = values.astype(float).copy()
    y[hidden] = 0.0
    n = float(x.size)
    sx, sxx = x.sum(), (x * x).sum()
    sy = y.sum() + candidates
    sxy = (x * y).sum() + x[hidden] * candidates
    syy = (y * y).sum() + candidates**2
    with np.errstate(divide="ignore", invalid="ignore"):
        cxx = sxx - sx**2 / n
        cxy = sxy - sx * sy / n
        cyy = syy - sy**2 / n
        slope = cxy / cxx
        resid = np.maximum(cyy - slope * cxy, 0.0)
        se = np.sqrt(resid / (n - 2) / cxx)
        tstat = np.where(se > 0, slope / se, np.where(slope != 0, np.inf * np.sign(slope), 0.0))
    p = 2 * student_t.sf(np.abs(tstat), max(n - 2, 1))
    label = np.where(p < alpha, np.where(slope > 0, "rising", "falling"), "no clear trend")
    return label if n >= MIN_YEARS else np.full(candidates.size, "too few years")


def _published_label(rows: list[dict], alpha: float) -> str:
    """The trend label the shown years alone give (as a pipeline that suppresses first)."""
    shown = [r for r in rows if not r["hidden"] and not pd.isna(r["value"])]
    if len(shown) < MIN_YEARS:
        return "too few years"
    values = np.array([r["value"] for r in shown], dtype=float)
    years = np.array([int(r["period"][:4]) for r in shown])
    return str(trend_labels(years, values, 0, values[:1], alpha)[0])


def _explained(rows: list[dict]) -> bool:
    """True when every shown trend label follows from the shown years alone.

    The labels then need not have used the hidden years, so they say nothing about
    them; a label that the shown years cannot give proves the hidden years were used.
    """
    for i, r in enumerate(rows):
        if r["hidden"] or r["trend"] not in (*TREND_LABELS, "too few years"):
            continue
        if _published_label(rows[: i + 1], 1 - float(r["confidence"])) != r["trend"]:
            return False
    return True


def trend_constraints(model: Model) -> list[Unary]:
    """Counts of one hidden year consistent with each later shown trend label.

    Used only for a series whose labels the shown years alone cannot explain (so the
    fit included hidden years), and only windows with exactly one hidden year ("[c]";
    a "[x]" year has no value and so was never in the window).
    """
    out = []
    for (area, indicator), rows in _records(model).items():
        rows = [
            r
            for r in rows
            if len(r["period"]) == 7
            and r["marker"] != "[x]"
            and (r["hidden"] or not pd.isna(r["value"]))
        ]
        hidden_at = [i for i, r in enumerate(rows) if r["hidden"]]
        if not hidden_at or _explained(rows):
            continue
        num_m, den_m = model.measures[indicator]
        for i, shown in enumerate(rows):
            if shown["hidden"] or shown["trend"] not in TREND_LABELS:
                continue
            inside = [h for h in hidden_at if h < i]
            if len(inside) != 1:
                continue
            h = inside[0]
            hidden = rows[h]
            key = model.cell(area, hidden["period"], num_m, indicator)
            if key not in model.hidden:
                continue
            if shown["kind"] == "count":
                scale = 1.0
            else:
                den = _den(model, area, hidden["period"], den_m, indicator, hidden["denominator"])
                if np.isnan(den) or den <= 0:
                    continue
                scale = shown["mult"] / den
            window = rows[: i + 1]
            counts = _candidates([r["numerator"] for r in window if not pd.isna(r["numerator"])])
            labels = trend_labels(
                np.array([int(r["period"][:4]) for r in window]),
                np.array([0.0 if pd.isna(r["value"]) else r["value"] for r in window]),
                h,
                counts * scale,
                1 - float(shown["confidence"]),
            )
            reason = (
                f"{shown['file']} labels the trend of {indicator} to {shown['period']} "
                f'"{shown["trend"]}", a fit that includes the hidden {hidden["period"]}'
            )
            out.append(Unary(key, _keep(counts, labels == shown["trend"], True), reason, TREND))
    return out
