"""Per-form records for the year: the change since the baseline and the comparisons, kept apart."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cjlib.assess.compare import BETTER, WORSE
from cjlib.assess.rules import IMPROVED, NO_CLEAR_CHANGE, NOT_JUDGED, WORSENED
from cjlib.formatting import decimals_for, format_number, format_value
from cjlib.framework import Framework
from cjlib.params import AreaParameters

#: Roles of the indicators that are judged for an outcome.
JUDGED_ROLES = ("national", "derived", "local_evidence")
#: A comparison's words, by the label of :mod:`cjlib.assess.compare`.
COMPARISON_WORDS = {
    BETTER: "significantly better than",
    WORSE: "significantly worse than",
}


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
    """Record, for every council's indicator forms in the period, change and comparison.

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
        One row per council, outcome and indicator form: ``area_code``, ``outcome``,
        ``indicator_id``, ``measure`` (the indicator a form is derived from, else
        itself), ``used``, ``reason_not_used``, ``primary`` (the form whose change is
        tested), ``evidence`` ("success" or "volume"), ``change`` (primary forms only:
        improved, no clear change, worsened or not judged; "" on other forms),
        ``change_reason``, ``not_judged_why`` (a short reason), ``target_met``,
        ``comparison_role`` ("judged" for success forms with a direction, else
        "context"), ``compare_scotland``, ``compare_family``, ``comparison_text``,
        ``value``, ``baseline_value``, ``target``, ``target_note``, ``gap``,
        ``gap_text``, ``against_baseline``, ``wrong_trend``, ``change_label`` and
        ``trend``. The rules are :data:`cjlib.assess.rules.ASSESSMENT_RULES`.
    """
    inds = {i.id: i for i in framework.indicators}
    rows = results[
        results["geography"].eq("council")
        & results["period"].eq(period)
        & results["outcome"].fillna("").ne("")
        & results["indicator_id"]
        .map(lambda i: inds[i].role if i in inds else "")
        .isin(JUDGED_ROLES)
    ].copy()
    rows["measure"] = rows["indicator_id"].map(lambda i: inds[i].measure_id)
    primary_ids = framework.primary_forms()
    rows["primary"] = rows["indicator_id"].isin(primary_ids)
    rows["evidence"] = rows["indicator_id"].map(lambda i: inds[i].evidence_kind)
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
    has_target = ~np.isnan(target) & has_value & directed
    rows["target_met"] = has_target & np.where(higher, value >= target, value <= target)
    with np.errstate(invalid="ignore"):
        worse_side = (higher & (value < base)) | (lower & (value > base))
        better_side = (higher & (value > base)) | (lower & (value < base))
    side = np.select([worse_side, better_side, value == base], ["worse", "better", "same"], "")
    rows["against_baseline"] = np.where(has_value & ~np.isnan(base), side, "")
    trend = rows["trend"].fillna("")
    rows["wrong_trend"] = (higher & trend.eq("falling").to_numpy()) | (
        lower & trend.eq("rising").to_numpy()
    )
    rows["gap"] = np.where(has_target, value - target, np.nan)
    rows["gap_text"] = [
        _gap_text(g, u, k)
        for g, u, k in zip(rows["gap"], rows["unit"], rows["indicator_type"], strict=True)
    ]
    success = rows["evidence"].eq("success").to_numpy() & directed
    rows["comparison_role"] = np.where(success, "judged", "context")

    has_base = rows["change_label"].ne("not compared").to_numpy()
    used = rows["used"].to_numpy()
    why = np.select(
        [~used, suppressed, np.isnan(value), ~directed, ~has_base & ~has_target],
        ["not used", "suppressed", "no figure", "no direction", "no baseline"],
        "",
    )
    rows["not_judged_why"] = why
    change = np.select(
        [
            why != "",
            rows["change_judgement"].eq(WORSE).to_numpy(),
            rows["change_judgement"].eq(BETTER).to_numpy() | rows["target_met"].to_numpy(),
        ],
        [NOT_JUDGED, WORSENED, IMPROVED],
        NO_CLEAR_CHANGE,
    )
    rows["change"] = np.where(rows["primary"].to_numpy(), change, "")
    records = rows.to_dict("records")
    rows["change_reason"] = [_change_reason(r, period) for r in records]
    rows["comparison_text"] = [comparison_text(r) for r in records]
    keep = [
        "area_code", "outcome", "indicator_id", "measure", "used", "reason_not_used",
        "primary", "evidence", "change", "change_reason", "not_judged_why", "value",
        "baseline_value", "target", "target_note", "target_met", "gap", "gap_text",
        "against_baseline", "wrong_trend", "comparison_role", "compare_scotland",
        "compare_family", "comparison_text", "change_label", "change_judgement", "trend",
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


def comparison_text(row: Mapping, values: Mapping[str, str] | None = None) -> str:
    """Say how a form compares with Scotland and its family group (comparison words only).

    ``values`` may give each comparator's value as text, keyed by ``compare_scotland``
    and ``compare_family``, to show in brackets after its name. Returns "" when neither
    comparison could be made (a count, a missing value).
    """
    said, similar = [], []
    for name, col in (("Scotland", "compare_scotland"), ("the family group", "compare_family")):
        label = row.get(col)
        shown = (values or {}).get(col)
        named = f"{name} ({shown})" if shown else name
        if label in COMPARISON_WORDS:
            said.append(f"{COMPARISON_WORDS[label]} {named}")
        elif label == "not significantly different":
            similar.append(named)
    if similar:
        said.append("similar to " + " and ".join(similar))
    return ", and ".join(said)


def _change_reason(row: Mapping, period: str) -> str:
    """Say how the measure changed, as a phrase that can follow its name (change words only)."""
    if not row["primary"]:
        return ""
    baseline = row.get("baseline_period", "the baseline")
    change = row["change"]
    if change == NOT_JUDGED:
        return {
            "not used": "is not used by the partnership",
            "suppressed": f"not judged: the {period} figure is suppressed",
            "no figure": f"not judged: no figure for {period}",
            "no direction": "has no direction of improvement, so it is context only",
            "no baseline": (
                f"not judged: the {baseline} figure is suppressed"
                if row.get("baseline_marker", "") == "[c]"
                else f"not judged: no {baseline} figure to compare with"
            ),
        }[row["not_judged_why"]]
    target = ""
    if not np.isnan(row["target"]):
        target = format_value(row["target"], row["indicator_type"], row["unit"])
    moved = {"significant increase": "rose", "significant decrease": "fell"}.get(
        row["change_label"], ""
    )
    if change == WORSENED:
        return f"{moved} significantly since {baseline}, the wrong direction"
    if change == IMPROVED:
        if row["change_judgement"] == BETTER:
            return f"{moved} significantly since {baseline}"
        return f"meets the local target of {target}, with no significant change since {baseline}"
    if row["change_label"] != "not compared":
        return f"shows no significant change since {baseline}"
    return f"does not meet the local target of {target}" if target else "shows no clear change"
