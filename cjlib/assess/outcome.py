"""The verdict per area and outcome: status, how near, suggested priority."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cjlib.assess.compare import WORSE
from cjlib.assess.rules import NOT_PRIORITY, PRIORITY, REVIEW
from cjlib.formatting import decimals_for, format_number
from cjlib.framework import Framework
from cjlib.params import AreaParameters


def judge_indicators(
    results: pd.DataFrame,
    framework: Framework,
    params: Mapping[str, AreaParameters],
    period: str,
) -> pd.DataFrame:
    """Return one row per council, outcome and indicator with the rule applied.

    Columns: ``area_code``, ``outcome``, ``indicator_id``, ``used``, ``reason_not_used``,
    ``judged``, ``on_track``, ``basis`` ("target", "Scotland and baseline", "baseline"),
    ``target``, ``gap``, ``gap_text`` and ``worse`` (significantly worse than a
    comparator or the baseline). See :data:`cjlib.assess.rules.ASSESSMENT_RULES`.
    """
    rows = results[
        (results["geography"] == "council")
        & (results["period"] == period)
        & results["outcome"].ne("")
    ].copy()
    roles = {i.id: i.role for i in framework.indicators}
    rows = rows[rows["indicator_id"].map(roles).isin(["national", "derived", "local_evidence"])]
    not_used = {
        (code, ind): reason
        for code, p in params.items()
        for ind, reason in p.indicators_not_used.items()
    }
    # a comparable form derived from an indicator the partnership does not use is not used either
    for ind in framework.indicators:
        for code, p in params.items() if ind.derived_from else ():
            reason = p.indicators_not_used.get(ind.derived_from)
            if reason and (code, ind.id) not in not_used:
                not_used[(code, ind.id)] = f"derived from {ind.derived_from}, not used: {reason}"
    targets = {
        (code, ind): t.value
        for code, p in params.items()
        for ind, t in p.targets.items()
        if t.period in (None, period)
    }
    key = list(zip(rows["area_code"], rows["indicator_id"], strict=True))
    rows["reason_not_used"] = [not_used.get(k, "") for k in key]
    rows["used"] = rows["reason_not_used"].eq("")
    rows["target"] = [targets.get(k, np.nan) for k in key]
    has_value = rows["value"].notna() & ~rows["suppressed"].astype(bool)
    directed = rows["polarity"].ne("none")
    rows["judged"] = rows["used"] & has_value & directed
    higher = rows["polarity"].eq("higher_is_better")
    meets = np.where(higher, rows["value"] >= rows["target"], rows["value"] <= rows["target"])
    has_target = rows["target"].notna()
    comparable = rows["indicator_type"].ne("count")
    not_worse_scot = rows["compare_scotland"].ne(WORSE)
    not_worse_base = rows["change_judgement"].ne(WORSE)
    on_track = np.where(
        has_target, meets, np.where(comparable, not_worse_scot & not_worse_base, not_worse_base)
    )
    rows["on_track"] = rows["judged"] & on_track.astype(bool)
    rows["basis"] = np.where(
        has_target, "target", np.where(comparable, "Scotland and baseline", "baseline")
    )
    rows["worse"] = rows["judged"] & (
        rows["compare_scotland"].eq(WORSE)
        | rows["compare_family"].eq(WORSE)
        | rows["change_judgement"].eq(WORSE)
    )
    rows["gap"] = np.where(
        has_target, rows["value"] - rows["target"], rows["value"] - rows["scotland_value"]
    )
    rows["gap_text"] = [
        _gap_text(g, t, u, ty, tgt)
        for g, t, u, ty, tgt in zip(
            rows["gap"],
            rows["basis"],
            rows["unit"],
            rows["indicator_type"],
            has_target,
            strict=True,
        )
    ]
    rows.loc[~rows["judged"], "gap_text"] = ""
    keep = [
        "area_code", "outcome", "indicator_id", "used", "reason_not_used", "judged",
        "on_track", "basis", "target", "gap", "gap_text", "worse",
    ]  # fmt: skip
    return rows[keep].reset_index(drop=True)


def _gap_text(gap: float, basis: str, unit: str, kind: str, has_target: bool) -> str:
    if np.isnan(gap):
        return ""
    points = "percentage points" if unit.startswith("%") else unit
    size = format_number(abs(gap), decimals_for(unit, kind))
    if kind == "count" and not has_target:
        return ""
    where = "target" if has_target else "Scotland"
    if abs(gap) < 10 ** -decimals_for(unit, kind) / 2:
        return f"level with {where}"
    side = "above" if gap > 0 else "below"
    return f"{size} {points} {side} {where}"


def assess_outcomes(
    results: pd.DataFrame,
    framework: Framework,
    params: Mapping[str, AreaParameters],
    period: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assess every outcome for every council area in the reporting period.

    Parameters
    ----------
    results : pandas.DataFrame
        Indicator results with comparisons, after disclosure control.
    framework : Framework
        Outcomes and indicators.
    params : mapping of str to AreaParameters
        Each area's parameters (targets, decisions, indicators not used).
    period : str
        The reporting period.

    Returns
    -------
    tuple of pandas.DataFrame
        The outcome assessment (one row per area and outcome: ``status``,
        ``judged``, ``on_track``, ``how_near``, ``suggested_priority``,
        ``priority_reasons``, ``decided_priority``, ``decision_reason``,
        ``indicators_used``, ``indicators_not_used``) and the per-indicator
        verdicts from :func:`judge_indicators`.
    """
    verdicts = judge_indicators(results, framework, params, period)
    grouped = verdicts.groupby(["area_code", "outcome"], sort=False)
    summary = grouped.agg(
        judged=("judged", "sum"),
        on_track=("on_track", "sum"),
        worse=("worse", "any"),
    )
    # every outcome for every council, even with no result rows at all
    areas = sorted(set(params) | set(verdicts["area_code"]))
    every = pd.MultiIndex.from_product(
        [areas, [o.id for o in framework.outcomes]], names=["area_code", "outcome"]
    )
    summary = summary.reindex(every)
    summary[["judged", "on_track"]] = summary[["judged", "on_track"]].fillna(0).astype(int)
    summary["worse"] = summary["worse"].astype("boolean").fillna(False).astype(bool)
    summary = summary.reset_index()
    used = verdicts[verdicts["used"]].groupby(["area_code", "outcome"])["indicator_id"]
    summary["indicators_used"] = (
        summary.set_index(["area_code", "outcome"])
        .index.map(used.agg(", ".join))
        .astype(object)
        .fillna("")
    )
    unused = verdicts[~verdicts["used"]]
    unused_text = (
        unused.assign(text=unused["indicator_id"] + ": " + unused["reason_not_used"])
        .groupby(["area_code", "outcome"])["text"]
        .agg("; ".join)
    )
    summary["indicators_not_used"] = (
        summary.set_index(["area_code", "outcome"]).index.map(unused_text).astype(object).fillna("")
    )
    judged, on = summary["judged"].to_numpy(), summary["on_track"].to_numpy()
    summary["status"] = np.select(
        [judged == 0, on == judged, on == 0],
        ["insufficient evidence", "achieved", "not achieved"],
        "partly achieved",
    )
    summary["how_near"] = [
        f"{o} of {j} indicator{'s' if j != 1 else ''} on track"
        if j
        else "no indicator could be judged"
        for o, j in zip(on, judged, strict=True)
    ]
    partial = summary["status"].isin(["not achieved", "partly achieved"])
    summary["suggested_priority"] = np.select(
        [summary["status"].eq("insufficient evidence"), partial & summary["worse"]],
        [REVIEW, PRIORITY],
        NOT_PRIORITY,
    )
    summary["priority_reasons"] = [
        _priority_reason(s, w) for s, w in zip(summary["status"], summary["worse"], strict=True)
    ]
    decided, reasons = [], []
    for code, outcome in zip(summary["area_code"], summary["outcome"], strict=True):
        decision = params[code].priorities.get(outcome) if code in params else None
        decided.append(
            "" if decision is None else ("priority" if decision.priority else "not a priority")
        )
        reasons.append("" if decision is None else decision.reason)
    summary["decided_priority"] = decided
    summary["decision_reason"] = reasons
    numbers = {o.id: o.number for o in framework.outcomes}
    summary["outcome_number"] = summary["outcome"].map(numbers)
    summary["period"] = period
    summary = summary.drop(columns=["worse"]).sort_values(["area_code", "outcome_number"])
    return summary.reset_index(drop=True), verdicts


def _priority_reason(status: str, worse: bool) -> str:
    if status == "insufficient evidence":
        return "no indicator could be judged, so the evidence should be reviewed"
    if status == "achieved":
        return "every judged indicator is on track"
    if worse:
        return "at least one indicator is significantly worse than Scotland, the family group or the baseline year"
    return "no indicator is significantly worse than its comparators, although not all are on track"
