"""Draft narrative: a plain-English paragraph per area and outcome for the plan or report."""

from __future__ import annotations

import math

import pandas as pd

from cjlib.formatting import format_value, in_sentence, unit_phrase
from cjlib.framework import Framework

_EMPTY = pd.DataFrame(columns=["period", "value", "marker"])
_STATUS_PHRASE = {
    "achieved": "is being achieved",
    "partly achieved": "is partly achieved",
    "not achieved": "is not yet being achieved",
    "insufficient evidence": "cannot yet be assessed because there is not enough usable evidence",
}


def _amount(row) -> str:
    """A value with its unit, e.g. "58.2 per 10,000 people aged 16+" or "73.1%"."""
    text = format_value(row["value"], row["indicator_type"], row["unit"], row["marker"])
    unit = unit_phrase(row["unit"])
    if row["indicator_type"] == "count" or not unit:
        return text
    return f"{text} {unit}"


def describe_change(series: pd.DataFrame, title: str, period: str, baseline: str) -> str:
    """Describe one indicator's change from the baseline to the reporting period.

    Parameters
    ----------
    series : pandas.DataFrame
        The area's published rows for one indicator (all periods), with comparison columns.
    title : str
        The indicator's title, used as the sentence's subject.
    period, baseline : str
        The reporting and baseline periods.

    Returns
    -------
    str
        One sentence; it reads well for a zero, a suppressed value, a missing year
        and a single year of data.
    """
    subject = title[0].upper() + title[1:]
    by_period = {r["period"]: r for r in series.to_dict("records")}
    row = by_period.get(period)
    if row is not None and _missing(row["value"]) and row["marker"] == "[z]":
        return f"{subject}: not applicable in {period}, as there were no cases to count it from."
    if row is None or (_missing(row["value"]) and row["marker"] in ("", "[x]")):
        return f"{subject}: no figure is available for {period}."
    if bool(row.get("suppressed", False)) or row["marker"] == "[c]":
        return (
            f"{subject}: the {period} figure is too small to publish without risk of "
            "identifying people, so it is suppressed ([c])."
        )
    if _missing(row["value"]):
        return f"{subject}: no figure is available for {period}."
    years = sum(not _missing(r["value"]) for r in by_period.values())
    hidden_years = sum(r["marker"] == "[c]" for r in by_period.values())
    base = by_period.get(baseline)
    base_value = math.nan if base is None else base["value"]
    current = _amount(row)
    if row["indicator_type"] == "count" and row["value"] == 0:
        current = "none"
    if years <= 1:
        why = "the other years are suppressed" if hidden_years else "this is the only year of data"
        return f"{subject}: {current} in {period}; {why}, so no change can be described."
    if _missing(base_value):
        why = (
            "is suppressed" if base is not None and base["marker"] == "[c]" else "is not available"
        )
        trend = row.get("trend") or "too few years"
        extra = {
            "rising": "; over the years available it has been rising",
            "falling": "; over the years available it has been falling",
            "no clear trend": "; the years available show no clear trend",
        }.get(trend, "")
        return f"{subject}: {current} in {period}. The {baseline} baseline figure {why}{extra}."
    kind, unit = row["indicator_type"], row["unit"]
    before = format_value(base_value, kind, unit, base["marker"])
    change = row.get("change_label") or "not compared"
    if change == "significant increase":
        verb, tail = "rose", "a significant increase"
    elif change == "significant decrease":
        verb, tail = "fell", "a significant decrease"
    else:
        verb = (
            "rose"
            if row["value"] > base_value
            else ("fell" if row["value"] < base_value else "stayed")
        )
        tail = "not a significant change" if verb != "stayed" else "no change"
    if verb == "stayed" or before == format_value(row["value"], kind, unit):
        return f"{subject} was {current} in both {baseline} and {period} ({tail})."
    judgement = row.get("change_judgement") or ""
    better = {"better": ", an improvement", "worse": ", a worsening"}.get(judgement, "")
    return f"{subject} {verb} from {before} in {baseline} to {current} in {period}, {tail}{better}."


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def draft_narrative(
    area_name: str,
    outcome_row: pd.Series,
    area_results: pd.DataFrame | dict[str, pd.DataFrame],
    framework: Framework,
    *,
    period: str,
    baseline: str,
    max_changes: int = 3,
) -> str:
    """Return the draft narrative paragraph for one area and outcome.

    It covers the statutory points: status, how near, the suggested priority
    beside the partnership's own decision, the indicators used and not used (with
    reasons) and the main changes with their uncertainty.
    """
    outcome = framework.outcome(outcome_row["outcome"])
    parts = [
        f"Outcome {outcome.number} ({in_sentence(outcome.title)}) "
        f"{_STATUS_PHRASE[outcome_row['status']]} in {area_name} in {period}: "
        f"{outcome_row['how_near']}."
    ]
    suggestion = outcome_row["suggested_priority"]
    decided = outcome_row.get("decided_priority", "")
    sentence = f"The evidence suggests it is {priority_phrase(suggestion)}"
    sentence += f" because {outcome_row['priority_reasons']}."
    if decided:
        reason = outcome_row.get("decision_reason", "")
        sentence += f" The partnership has decided it is {priority_phrase(decided)}"
        sentence += f" ({reason})." if reason else "."
    parts.append(sentence)
    used = [s for s in str(outcome_row["indicators_used"]).split(", ") if s]
    if used:
        titles = [
            framework.indicator(i).title for i in used if framework.indicator(i).role == "national"
        ]
        if titles:
            parts.append(
                "National indicators used: " + "; ".join(in_sentence(t) for t in titles) + "."
            )
    not_used = str(outcome_row.get("indicators_not_used", ""))
    if not_used:
        items = []
        for item in not_used.split("; "):
            ind, _, reason = item.partition(": ")
            items.append(f"{in_sentence(framework.indicator(ind).title)} ({reason})")
        parts.append("Not used: " + "; ".join(items) + ".")
    changes = []
    chosen = [
        i
        for i in framework.indicators_for(outcome.id)
        if i.id in used and i.role in ("national", "derived")
    ]
    chosen = [i for i in chosen if i.type != "count"] + [i for i in chosen if i.type == "count"]
    for ind in chosen[:max_changes]:
        if isinstance(area_results, dict):
            series = area_results.get(ind.id, _EMPTY)
        else:
            series = area_results[area_results["indicator_id"] == ind.id]
        if ind.geography == "scotland":
            changes.append(
                f"{ind.title[0].upper() + ind.title[1:]} is published for Scotland only, "
                "so the outcome is judged on local evidence."
            )
            continue
        changes.append(describe_change(series, ind.title, period, baseline))
    parts.extend(changes)
    return " ".join(parts)


def priority_phrase(value: str) -> str:
    """Return a priority value as it reads in a sentence ("a priority for action")."""
    return {
        "priority": "a priority for action",
        "not a priority": "not a priority for action",
        "review the evidence": "one where the evidence should be reviewed before deciding on priority",
    }.get(value, value)
