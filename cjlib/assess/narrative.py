"""Draft narrative per area and outcome: a short lead, then the evidence, one line per measure.

Every sentence is written from the measure records that set the verdict
(:class:`cjlib.assess.outcome.MeasureRecord`): change words only for a measure
whose change was tested and significant, comparison words only for comparisons.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from cjlib.assess.compare import BETTER, WORSE
from cjlib.assess.grades import COMPARISON_WORDS, comparison_text
from cjlib.assess.outcome import MeasureRecord, group_measures, names
from cjlib.assess.rules import (
    ACHIEVED,
    IMPROVED,
    INSUFFICIENT,
    MAINTAINED,
    NO_CLEAR_CHANGE,
    NOT_JUDGED,
    PARTLY,
    WORSENED,
    WORSENING,
)
from cjlib.formatting import format_value, in_sentence
from cjlib.framework import Framework, Indicator
from cjlib.gaps import decision_gap, to_complete

#: One area's published rows: indicator id -> period -> row.
Series = Mapping[str, Mapping[str, Mapping]]


def priority_phrase(value: str) -> str:
    """Return a priority value as it reads in a sentence ("a priority for action")."""
    return {
        "priority": "a priority for action",
        "not a priority": "not a priority for action",
        "review the evidence": "to be decided after reviewing the evidence",
    }.get(value, value)


def without_example(text: str) -> str:
    """Drop the "Example:" prefix of bundled example parameters (flagged once, in a banner)."""
    return re.sub(r"^\s*Example:\s*", "", str(text or "")).strip()


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def amount(row: Mapping, ind: Indicator) -> str:
    """A value as it reads after the indicator's name: the unit only where the name lacks it."""
    text = format_value(row["value"], ind.type, ind.unit, row.get("marker", ""))
    name = ind.plain_name
    if ind.type == "count" or ind.unit.startswith("%") or "per " in name:
        return text
    return f"{text} {ind.unit}"


def _lead(status: str, name: str, area: str, period: str, baseline: str, ms: list, head) -> str:
    """The first sentence: whether the outcome is achieved and, in a clause, why."""
    improved = [m for m in ms if m.change == IMPROVED]
    worsened = [m for m in ms if m.change == WORSENED]
    where = f"in {area} in {period}"
    if status == INSUFFICIENT:
        why = (
            f"{in_sentence(head.name)} cannot be judged ({head.why_not or 'no figure'})"
            if head is not None and head.change == NOT_JUDGED
            else "too few of its measures can be judged"
        )
        return f"There is not enough evidence to say whether {name} is achieved {where}: {why}."
    if status == ACHIEVED:
        return (
            f"{_cap(name)} is being achieved {where}: {in_sentence(head.name)} improved "
            f"since {baseline}."
        )
    if status == MAINTAINED:
        held = "it" if head.success_name == head.name else in_sentence(head.success_name)
        return (
            f"{_cap(name)} is being maintained {where}: {in_sentence(head.name)} showed no "
            f"clear change since {baseline}, and {held} stays "
            "significantly better than Scotland."
        )
    if status == PARTLY:
        also = (
            f", but {names(worsened)} worsened"
            if worsened
            else f", but {in_sentence(head.name)} showed no clear change"
        )
        return (
            f"{_cap(name)} is partly achieved {where}: {names(improved)} improved since "
            f"{baseline}{also}."
        )
    if status == WORSENING:
        return (
            f"{_cap(name)} is not being achieved {where}: {names(worsened)} worsened "
            f"since {baseline}."
        )
    return (
        f"{_cap(name)} is not yet achieved {where}: no measure improved since {baseline}, and "
        "none worsened."
    )


def _standing(ms: list[MeasureRecord], series: Series, period: str) -> str:
    """The second sentence: success forms that stand apart from Scotland, and any ranked last."""
    said = []
    for label in (WORSE, BETTER):
        words = COMPARISON_WORDS[label]
        group = [m for m in ms if m.scotland == label]
        if group:
            verb = "is" if len(group) == 1 else "are"
            said.append(f"{names(group, success=True)} {verb} {words} Scotland")
    last = []
    for m in ms:
        for r in m.forms:
            row = series.get(r["indicator_id"], {}).get(period, {})
            rank, of = row.get("rank"), row.get("rank_of")
            if not _missing(rank) and not _missing(of) and of > 1 and rank == of:
                last.append(f"{in_sentence(m.name)} ranks last of {int(of)} areas")
                break
    said += last
    if not said:
        return ""
    return _cap("; ".join(said)) + "."


def _change_clause(m: MeasureRecord) -> str:
    if m.change == NO_CLEAR_CHANGE:
        return m.change_reason.replace("shows ", "")
    return m.change_reason


def evidence_line(
    m: MeasureRecord, framework: Framework, series: Series, *, period: str, baseline: str
) -> str:
    """One line of the evidence list: value, change, comparison and target for one measure."""
    primary = next((r for r in m.forms if r["primary"]), m.forms[0])
    ind = framework.indicator(primary["indicator_id"])
    rows = series.get(ind.id, {})
    now = rows.get(period)
    parts = []
    if now is None or _missing(now.get("value")):
        marker = (now or {}).get("marker", "")
        shown = "suppressed [c]" if marker == "[c]" else "no figure"
        parts.append(f"{shown} in {period}")
    else:
        text = f"{amount(now, ind)} in {period}"
        base = rows.get(baseline)
        if base is not None and not _missing(base.get("value")):
            text += f" ({amount(base, ind)} in {baseline})"
        parts.append(text)
    parts.append(_change_clause(m))
    sentences = [f"{_cap(in_sentence(ind.plain_name))}: " + "; ".join(p for p in parts if p)]
    success = m.success
    if success is not None:
        sind = framework.indicator(success["indicator_id"])
        srow = series.get(sind.id, {}).get(period, {})
        values = {
            col: amount({"value": srow.get(value)}, sind)
            for col, value in (
                ("compare_scotland", "scotland_value"),
                ("compare_family", "family_value"),
            )
            if not _missing(srow.get(value))
        }
        compared = comparison_text(success, values)
        if sind.id == ind.id:
            sentences.append(f"It is {compared}")
        else:
            sentences.append(
                f"{_cap(in_sentence(sind.plain_name))}, {amount(srow, sind)}, is {compared}"
            )
    elif primary["comparison_role"] == "context" and primary["compare_scotland"] in (BETTER, WORSE):
        higher = (primary["compare_scotland"] == BETTER) == (ind.polarity == "higher_is_better")
        sentences.append(
            f"{'More' if higher else 'Fewer'} per head than Scotland (context: demand, not success)"
        )
    for r in m.forms:
        if r["gap_text"]:
            named = "It" if r["indicator_id"] == ind.id else _cap(in_sentence(r["name"]))
            sentences.append(f"{named} is {r['gap_text']}")
    return "- " + ". ".join(sentences) + "."


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
) -> str:
    """Return the draft narrative for one area and outcome.

    A lead of at most two sentences says whether the outcome is achieved and how near
    it is; the evidence follows as a list, one line per measure (value, change,
    comparison, target); then the suggested priority beside the partnership's decision,
    the indicators used and not used, and this year's activity and planned actions
    (``plan`` keys ``activity`` and ``actions``), or a TO COMPLETE marker for each.
    Paragraphs are separated by blank lines, list lines start with "- ".
    """
    outcome = framework.outcome(outcome_row["outcome"])
    status = outcome_row["status"]
    kind = "local outcome" if outcome.local else "outcome"
    name = f"{kind} {outcome.number}"  # the title is the heading the narrative sits under
    measures = group_measures(list(grades), framework)
    head = next((m for m in measures if m.id == outcome_row.get("headline", "")), None)
    lead = _lead(status, name, area_name, period, baseline, measures, head)
    standing = _standing(measures, series, period)
    blocks = [f"{lead} {standing}".strip()]
    lines = [
        evidence_line(m, framework, series, period=period, baseline=baseline) for m in measures
    ]
    for ind in framework.indicators_for(outcome.id):
        if ind.geography == "scotland" and ind.role == "national":
            scot = series.get(f"scotland:{ind.id}", {}).get(period)
            value = "no figure" if scot is None else f"{amount(scot, ind)} in {period}"
            lines.append(
                f"- {_cap(in_sentence(ind.plain_name))}: {value}, published for Scotland only, "
                "so the outcome is judged on local evidence."
            )
    if lines:
        blocks.append("\n".join(lines))
    priority = (
        f"Suggested priority: {priority_phrase(outcome_row['suggested_priority'])}, because "
        f"{outcome_row['priority_reasons']}."
    )
    decided = outcome_row.get("decided_priority", "")
    if decided:
        reason = without_example(outcome_row.get("decision_reason", "")).rstrip(".")
        priority += f" The partnership has decided it is {priority_phrase(decided)}"
        priority += f": {reason}." if reason else "."
    else:
        priority += " " + decision_gap(outcome.id) + "."
    blocks.append(priority)
    used = [s for s in str(outcome_row.get("indicators_used", "")).split(", ") if s]
    national = [framework.indicator(i) for i in used if framework.indicator(i).role == "national"]
    said = []
    if national:
        said.append(
            "National indicators used: " + "; ".join(in_sentence(i.plain_name) for i in national)
        )
    for item in filter(None, str(outcome_row.get("indicators_not_used", "")).split("; ")):
        ind_id, _, reason = item.partition(": ")
        ind = framework.indicator(ind_id)
        if ind.role != "derived":
            said.append(
                f"Not used: {in_sentence(ind.plain_name)}, because "
                f"{in_sentence(without_example(reason)).rstrip('.')}"
            )
    if said:
        blocks.append(". ".join(said) + ".")
    plan = plan or {}
    key = f"outcome_plans.{outcome.id}"
    activity = plan.get("activity") or to_complete("this year's activity", f"{key}.activity")
    actions = plan.get("actions") or to_complete("planned actions", f"{key}.actions")
    blocks.append(f"Activity this year: {activity}.\n\nPlanned action: {actions}.")
    return "\n\n".join(blocks)
