"""Draft narrative: a plain-English paragraph per area and outcome for the plan or report."""

from __future__ import annotations

import math
from collections.abc import Mapping

from cjlib.assess.compare import BETTER, WORSE
from cjlib.assess.outcome import group_measures, in_words, the
from cjlib.assess.rules import DECLINED, IMPROVED, NO_CLEAR_CHANGE, NOT_JUDGED
from cjlib.formatting import format_value, in_sentence
from cjlib.framework import Framework, Indicator

#: Where the narrative leaves room for what data cannot say.
TO_COMPLETE = "[to complete by the partnership]"

_STATUS = {
    "achieved": "is being achieved",
    "partly achieved": "is partly achieved",
    "not achieved": "is not yet being achieved",
}
#: One area's published rows: indicator id -> period -> row.
Series = Mapping[str, Mapping[str, Mapping]]


def priority_phrase(value: str) -> str:
    """Return a priority value as it reads in a sentence ("a priority for action")."""
    return {
        "priority": "a priority for action",
        "not a priority": "not a priority for action",
        "review the evidence": "one to decide on once the evidence has been reviewed",
    }.get(value, value)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def amount(row: Mapping, ind: Indicator) -> str:
    """A value as it reads after the indicator's title: the unit only where the title lacks it."""
    text = format_value(row["value"], ind.type, ind.unit, row.get("marker", ""))
    if ind.type == "count" or ind.unit.startswith("%") or "per " in ind.title:
        return text
    return f"{text} {ind.unit}"


def _previous(rows: Mapping[str, Mapping], period: str) -> tuple[str, Mapping] | None:
    earlier = [p for p in rows if len(p) == len(period) and p < period]
    return (max(earlier), rows[max(earlier)]) if earlier else None


def describe_form(
    ind: Indicator,
    rows: Mapping[str, Mapping],
    grade: Mapping | None,
    *,
    period: str,
    baseline: str,
) -> list[str]:
    """Describe one indicator: value, last year, baseline, Scotland, family group, target.

    Parameters
    ----------
    ind : Indicator
        The indicator.
    rows : mapping of period to row
        The area's published rows for the indicator.
    grade : mapping, optional
        The indicator's row from :func:`cjlib.assess.grades.grade_indicators`.
    period, baseline : str
        The reporting and baseline periods.

    Returns
    -------
    list of str
        One or two sentences; they read well for a zero, a suppressed value, a missing
        year and a single year of data.
    """
    subject = _cap(ind.title)
    row = rows.get(period)
    if row is None or (_missing(row["value"]) and row.get("marker", "") in ("", "[x]")):
        return [f"{subject}: no figure is available for {period}."]
    if bool(row.get("suppressed", False)) or row.get("marker") == "[c]":
        return [
            f"{subject}: the {period} figure is too small to publish without risk of "
            "identifying people, so it is suppressed ([c])."
        ]
    if _missing(row["value"]):
        return [f"{subject}: not applicable in {period}."]
    now = amount(row, ind)
    if ind.type == "count" and row["value"] == 0:
        now = "none"
    history = []
    last = _previous(rows, period)
    if last and not _missing(last[1]["value"]) and last[0] != baseline:
        history.append(f"{amount(last[1], ind)} in {last[0]}")
    base = rows.get(baseline)
    if base is not None and not _missing(base["value"]):
        history.append(f"{amount(base, ind)} in the {baseline} baseline year")
    elif base is not None and base.get("marker") == "[c]":
        history.append(f"a suppressed figure in {baseline}")
    change = {
        "significant increase": "a significant increase on the baseline",
        "significant decrease": "a significant decrease on the baseline",
        "no significant change": "not a significant change from the baseline",
    }.get(str(row.get("change_label", "")), "")
    sentence = f"{subject}: {now} in {period}"
    if history:
        sentence += ", against " + " and ".join(history)
    sentence += f" ({change})." if change else "."
    out = [sentence]
    compare = []
    for name, value_col, judge_col in (
        ("Scotland", "scotland_value", "compare_scotland"),
        ("the family group", "family_value", "compare_family"),
    ):
        value = row.get(value_col)
        if ind.type == "count" or _missing(value):
            continue
        shown = amount({"value": value, "marker": ""}, ind)
        verdict = {BETTER: "significantly better than", WORSE: "significantly worse than"}.get(
            row.get(judge_col), "not significantly different from"
        )
        compare.append(f"{verdict} {name} ({shown})")
    if compare:
        out.append("It is " + " and ".join(compare) + ".")
    if grade is not None and not _missing(grade.get("target")):
        target = format_value(grade["target"], ind.type, ind.unit)
        note = f" ({grade['target_note']})" if grade.get("target_note") else ""
        out.append(f"The local target is {target}{note}: it is {grade['gap_text']}.")
    return out


def _lead_forms(measure_forms: list[Mapping], framework: Framework) -> list[Indicator]:
    """The forms to describe for a measure: the count, then a comparable form if any."""
    inds = [framework.indicator(r["indicator_id"]) for r in measure_forms]
    counts = [i for i in inds if i.type == "count"]
    comparable = [i for i in inds if i.type != "count" and i.polarity != "none"]
    with_target = [
        framework.indicator(r["indicator_id"])
        for r in measure_forms
        if not _missing(r.get("target"))
    ]
    chosen = (with_target or counts or inds)[:1] + comparable[:1]
    return list(dict.fromkeys(chosen))


def _counts_sentence(measures: list[tuple[str, str]]) -> str:
    judged = [g for _, g in measures if g != NOT_JUDGED]
    if not judged:
        return ""
    verbs = {IMPROVED: "improved", NO_CLEAR_CHANGE: "showed no clear change", DECLINED: "declined"}
    found = [(judged.count(g), verb) for g, verb in verbs.items() if judged.count(g)]
    if len(found) == 1:
        lead = {1: "The one measure judged", 2: "Both measures judged"}.get(
            len(judged), f"All {in_words(len(judged))} measures judged"
        )
        return f"{lead} {found[0][1]}."
    said = [f"{in_words(n)} {verb}" for n, verb in found]
    listed = ", ".join(said[:-1]) + " and " + said[-1]
    return f"Of the {in_words(len(judged))} measures judged, {listed}."


def draft_narrative(
    area_name: str,
    outcome_row: Mapping,
    grades: list[Mapping],
    series: Series,
    framework: Framework,
    *,
    period: str,
    baseline: str,
    plan: Mapping[str, str] | None = None,
    max_measures: int = 3,
) -> str:
    """Return the draft narrative paragraph for one area and outcome.

    It covers the statutory points: whether the outcome is achieved and how near, the
    measures that set the status and the priority (with their values, Scotland, the
    family group, the local target, last year and the baseline), what could not be
    judged and why, the suggested priority beside the partnership's own decision, the
    national indicators used and not used, and marked places for what data cannot say
    (``plan`` may fill them: keys ``activity`` and ``actions``).
    """
    outcome = framework.outcome(outcome_row["outcome"])
    status = outcome_row["status"]
    kind = "local outcome" if outcome.local else "outcome"
    name = f"{kind} {outcome.number} ({in_sentence(outcome.title)})"
    if status == "insufficient evidence":
        parts = [
            f"There is not enough evidence to say whether {name} is being achieved in "
            f"{area_name} in {period}."
        ]
    else:
        parts = [f"{_cap(name)} {_STATUS[status]} in {area_name} in {period}."]
    measures = group_measures(list(grades), framework)
    by_measure = {m.id: m.forms for m in measures}
    graded = [(m.id, m.grade) for m in measures]
    counts = _counts_sentence(graded)
    if counts:
        parts.append(counts)
    headline = outcome_row.get("headline", "")
    order = [m for m, g in graded if m == headline]
    order += [m for m, g in graded if g == DECLINED and m != headline]
    order += [m for m, g in graded if g == IMPROVED and m not in order]
    for measure_id in order[:max_measures]:
        forms = by_measure[measure_id]
        role = "The headline measure" if measure_id == headline else "The measure"
        grade = dict(graded)[measure_id]
        own = sorted(forms, key=lambda f: f["indicator_id"] != measure_id)
        reason = next((f["grade_reason"] for f in own if f["grade"] == grade), "")
        title = the(framework.indicator(measure_id).title)
        if grade == NOT_JUDGED:
            parts.append(f"{role}, {title}, could not be judged: {reason}.")
        else:
            parts.append(f"{role}, {title}, {reason}.")
        for ind in _lead_forms(forms, framework):
            row_grade = next((f for f in forms if f["indicator_id"] == ind.id), None)
            parts += describe_form(
                ind, series.get(ind.id, {}), row_grade, period=period, baseline=baseline
            )
    for measure_id, grade in graded:
        if grade == NOT_JUDGED and measure_id not in order[:max_measures]:
            forms = by_measure[measure_id]
            own = sorted(forms, key=lambda f: f["indicator_id"] != measure_id)
            reason = next((f["grade_reason"] for f in own if f["grade_reason"]), "")
            title = _cap(the(framework.indicator(measure_id).title))
            parts.append(f"{title} could not be judged: {reason}.")
    for ind in framework.indicators_for(outcome.id):
        if ind.geography == "scotland" and ind.role == "national":
            scot = series.get(f"scotland:{ind.id}", {}).get(period)
            value = "" if scot is None else f": {amount(scot, ind)} in {period}"
            parts.append(
                f"The national indicator, {in_sentence(ind.title)}, is published for Scotland "
                f"only{value}, so the outcome is judged on local evidence."
            )
    parts.append(
        f"The evidence suggests it is {priority_phrase(outcome_row['suggested_priority'])}, "
        f"because {outcome_row['priority_reasons']}."
    )
    decided = outcome_row.get("decided_priority", "")
    if decided:
        reason = outcome_row.get("decision_reason", "")
        tail = f": {reason.rstrip('.')}." if reason else "."
        parts.append(f"The partnership has decided it is {priority_phrase(decided)}{tail}")
    used = [s for s in str(outcome_row.get("indicators_used", "")).split(", ") if s]
    national = [framework.indicator(i) for i in used if framework.indicator(i).role == "national"]
    if national:
        titles = "; ".join(in_sentence(i.title) for i in national)
        parts.append(f"National indicators used: {titles}.")
    for item in filter(None, str(outcome_row.get("indicators_not_used", "")).split("; ")):
        ind_id, _, reason = item.partition(": ")
        ind = framework.indicator(ind_id)
        if ind.role != "derived":
            parts.append(f"Not used: {the(ind.title)}, because {in_sentence(reason).rstrip('.')}.")
    plan = plan or {}
    parts.append(f"Activity this year: {plan.get('activity') or TO_COMPLETE}.")
    parts.append(f"Planned action: {plan.get('actions') or TO_COMPLETE}.")
    return " ".join(parts)
