"""One grade per indicator for the year: improved, no clear change, declined, not judged."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cjlib.assess.compare import BETTER, WORSE
from cjlib.assess.rules import DECLINED, IMPROVED, NO_CLEAR_CHANGE, NOT_JUDGED
from cjlib.formatting import decimals_for, format_number, format_value
from cjlib.framework import Framework
from cjlib.params import AreaParameters

#: Roles of the indicators that are judged for an outcome.
JUDGED_ROLES = ("national", "derived", "local_evidence")


def not_used_reasons(
    framework: Framework, params: Mapping[str, AreaParameters]
) -> dict[tuple[str, str], str]:
    """Return (area code, indicator id) -> the partnership's reason for not using it.

    A comparable form derived from an indicator the partnership does not use is not
    used either, with the same reason.
    """
    reasons = {
        (code, ind): reason
        for code, p in params.items()
        for ind, reason in p.indicators_not_used.items()
    }
    for ind in framework.indicators:
        for code, p in params.items() if ind.derived_from else ():
            reason = p.indicators_not_used.get(ind.derived_from)
            if reason and (code, ind.id) not in reasons:
                reasons[(code, ind.id)] = reason
    return reasons


def _targets(params: Mapping[str, AreaParameters], period: str) -> dict[tuple[str, str], tuple]:
    return {
        (code, ind): (t.value, t.note)
        for code, p in params.items()
        for ind, t in p.targets.items()
        if t.period in (None, period)
    }


def grade_indicators(
    results: pd.DataFrame,
    framework: Framework,
    params: Mapping[str, AreaParameters],
    period: str,
) -> pd.DataFrame:
    """Grade every council's indicators for the reporting period.

    Parameters
    ----------
    results : pandas.DataFrame
        Published indicator results with comparison columns.
    framework : Framework
        Outcomes and indicators (with any local ones added).
    params : mapping of str to AreaParameters
        Each area's targets and indicators not used.
    period : str
        The reporting period.

    Returns
    -------
    pandas.DataFrame
        One row per council, outcome and indicator: ``area_code``, ``outcome``,
        ``indicator_id``, ``measure`` (the indicator a form is derived from, else
        itself), ``used``, ``reason_not_used``, ``grade``, ``grade_reason``, ``judged``,
        ``value``, ``baseline_value``, ``target``, ``target_note``, ``gap``,
        ``gap_text``, ``against_baseline`` ("worse", "better", "same" or "") and
        ``wrong_trend``. The rules are :data:`cjlib.assess.rules.ASSESSMENT_RULES`.
    """
    roles = {i.id: i.role for i in framework.indicators}
    rows = results[
        results["geography"].eq("council")
        & results["period"].eq(period)
        & results["outcome"].fillna("").ne("")
        & results["indicator_id"].map(roles).isin(JUDGED_ROLES)
    ].copy()
    roots = {i.id: i.derived_from or i.id for i in framework.indicators}
    rows["measure"] = rows["indicator_id"].map(roots)
    key = list(zip(rows["area_code"], rows["indicator_id"], strict=True))
    not_used = not_used_reasons(framework, params)
    targets = _targets(params, period)
    rows["reason_not_used"] = [not_used.get(k, "") for k in key]
    rows["used"] = rows["reason_not_used"].eq("")
    rows["target"] = [targets.get(k, (np.nan, ""))[0] for k in key]
    rows["target_note"] = [targets.get(k, (np.nan, ""))[1] for k in key]

    value = rows["value"].to_numpy(float)
    base = rows["baseline_value"].to_numpy(float)
    target = rows["target"].to_numpy(float)
    higher = rows["polarity"].eq("higher_is_better").to_numpy()
    lower = rows["polarity"].eq("lower_is_better").to_numpy()
    suppressed = rows["suppressed"].astype(bool).to_numpy()
    has_value = ~np.isnan(value) & ~suppressed
    directed = higher | lower
    has_target = ~np.isnan(target)
    has_base = rows["change_label"].ne("not compared").to_numpy()
    not_judged = ~rows["used"].to_numpy() | ~has_value | ~directed | (~has_base & ~has_target)
    declined_change = rows["change_judgement"].eq(WORSE).to_numpy()
    improved_change = rows["change_judgement"].eq(BETTER).to_numpy()
    target_met = has_target & np.where(higher, value >= target, value <= target)
    worse_scotland = rows["compare_scotland"].eq(WORSE).to_numpy()
    worse_family = rows["compare_family"].eq(WORSE).to_numpy()
    rows["grade"] = np.select(
        [not_judged, declined_change, target_met | improved_change, worse_scotland | worse_family],
        [NOT_JUDGED, DECLINED, IMPROVED, DECLINED],
        NO_CLEAR_CHANGE,
    )
    rows["judged"] = rows["grade"].ne(NOT_JUDGED)
    rows["target_met"] = target_met
    with np.errstate(invalid="ignore"):
        worse_side = (higher & (value < base)) | (lower & (value > base))
        better_side = (higher & (value > base)) | (lower & (value < base))
    side = np.select([worse_side, better_side, value == base], ["worse", "better", "same"], "")
    rows["against_baseline"] = np.where(has_value & ~np.isnan(base), side, "")
    trend = rows["trend"].fillna("")
    rows["wrong_trend"] = (higher & trend.eq("falling").to_numpy()) | (
        lower & trend.eq("rising").to_numpy()
    )
    rows["gap"] = np.where(has_target & has_value, value - target, np.nan)
    rows["gap_text"] = [
        _gap_text(g, u, k)
        for g, u, k in zip(rows["gap"], rows["unit"], rows["indicator_type"], strict=True)
    ]
    records = rows.to_dict("records")
    rows["grade_reason"] = [_reason(r, period) for r in records]
    rows["grade_short"] = [_short(r) for r in records]
    keep = [
        "area_code", "outcome", "indicator_id", "measure", "used", "reason_not_used",
        "grade", "grade_reason", "grade_short", "judged", "value", "baseline_value", "target",
        "target_note", "target_met", "gap", "gap_text", "against_baseline", "wrong_trend",
        "compare_scotland", "change_label", "trend",
    ]  # fmt: skip
    return rows[keep].reset_index(drop=True)


def _gap_text(gap: float, unit: str, kind: str) -> str:
    if np.isnan(gap):
        return ""
    decimals = decimals_for(unit, kind)
    if abs(gap) < 10**-decimals / 2:
        return "level with the local target"
    points = "percentage points" if unit.startswith("%") else unit
    side = "above" if gap > 0 else "below"
    return f"{format_number(abs(gap), decimals)} {points} {side} the local target"


#: Short reasons for "not judged", as they read in brackets.
SHORT_REASONS = {
    "not used": "not used",
    "suppressed": "suppressed",
    "no figure": "no figure",
    "no direction": "no direction",
    "no baseline": "no baseline",
}


def _short(row: dict) -> str:
    if row["grade"] != NOT_JUDGED:
        return ""
    if not row["used"]:
        return "not used"
    if row["suppressed"]:
        return "suppressed"
    if np.isnan(row["value"]):
        return "no figure"
    if row["polarity"] == "none":
        return "no direction"
    return "no baseline"


def _reason(row: dict, period: str) -> str:
    """Say why an indicator got its grade, as a phrase that can follow its title."""
    grade = row["grade"]
    baseline = row.get("baseline_period", "the baseline")
    short = _short(row)
    if grade == NOT_JUDGED:
        base_marker = row.get("baseline_marker", "")
        return {
            "not used": "it is not used by the partnership",
            "suppressed": f"the {period} figure is suppressed to protect confidentiality",
            "no figure": f"no figure is available for {period}",
            "no direction": "it has no direction of improvement, so it is shown as context",
            "no baseline": (
                f"the {baseline} baseline figure is suppressed, and there is no local target"
                if base_marker == "[c]"
                else f"there is no {baseline} baseline figure, and no local target"
            ),
        }[short]
    target = ""
    if not np.isnan(row["target"]):
        shown = format_value(row["target"], row["indicator_type"], row["unit"])
        target = f"the local target of {shown}"
    moved = {"significant increase": "rose", "significant decrease": "fell"}.get(
        row["change_label"], ""
    )
    if grade == DECLINED:
        if row["change_judgement"] == WORSE:
            return f"{moved} significantly since {baseline}"
        which = [
            name
            for name, col in (
                ("Scotland", "compare_scotland"),
                ("the family group", "compare_family"),
            )
            if row[col] == WORSE
        ]
        return "is significantly worse than " + " and ".join(which)
    if grade == IMPROVED:
        if row["target_met"]:
            return f"meets {target}"
        return f"{moved} significantly since {baseline}"
    text = (
        f"shows no significant change since {baseline}"
        if row["change_label"] != "not compared"
        else "shows no clear change"
    )
    return f"{text}, and does not meet {target}" if target else text
