"""The verdict per area and outcome: status, how near, suggested priority."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from cjlib.assess.compare import BETTER
from cjlib.assess.grades import grade_indicators
from cjlib.assess.rules import (
    DECLINED,
    IMPROVED,
    NO_CLEAR_CHANGE,
    NOT_JUDGED,
    NOT_PRIORITY,
    PRIORITY,
    REVIEW,
)
from cjlib.formatting import in_sentence
from cjlib.framework import Framework
from cjlib.params import AreaParameters


def measure_grade(grades: list[str]) -> str:
    """Combine the grades of a measure's forms: declined, improved, no clear change, not judged."""
    for grade in (DECLINED, IMPROVED, NO_CLEAR_CHANGE):
        if grade in grades:
            return grade
    return NOT_JUDGED


@dataclass
class Measure:
    """One piece of evidence: a national or local indicator and the forms derived from it."""

    id: str
    title: str
    national: bool
    forms: list[dict]  # the grade rows of its used forms
    grade: str = NOT_JUDGED
    reasons: list[str] = field(default_factory=list)


def group_measures(forms: list[dict], framework: Framework) -> list[Measure]:
    """Group an outcome's used, council-level indicator forms into measures, in framework order."""
    grouped: dict[str, list[dict]] = {}
    for row in forms:
        if row["used"]:
            grouped.setdefault(row["measure"], []).append(row)
    out = []
    for measure_id, rows in grouped.items():
        root = framework.indicator(measure_id)
        if root.geography == "scotland":
            continue
        m = Measure(measure_id, root.title, root.role == "national", rows)
        m.grade = measure_grade([r["grade"] for r in rows])
        wanted = [r for r in rows if r["grade"] == m.grade]
        wanted.sort(key=lambda r: r["indicator_id"] != measure_id)  # the measure's own form first
        m.reasons = list(dict.fromkeys(r["grade_reason"] for r in wanted if r["grade_reason"]))
        out.append(m)
    order = {i.id: n for n, i in enumerate(framework.indicators)}
    return sorted(out, key=lambda m: order[m.id])


def _core(measures: list[Measure]) -> list[Measure]:
    """The national measures, or the local evidence where no national one is judged locally."""
    national = [m for m in measures if m.national]
    return national or measures


def _headline(outcome_id: str, core: list[Measure], framework: Framework) -> Measure | None:
    chosen = framework.headline_for(outcome_id)
    root = (chosen.derived_from or chosen.id) if chosen else None
    for m in core:
        if m.id == root:
            return m
    return core[0] if core else None


NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(n: int) -> str:
    """Return a small whole number in words ("two"), larger ones as digits."""
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def the(title: str) -> str:
    """Return a title as it reads inside a sentence, with "the" where English needs it."""
    text = in_sentence(title)
    return f"the {text}" if text.split(" ", 1)[0] in ("share", "number", "proportion") else text


def _how_near(
    measures: list[Measure],
    headline: Measure | None,
    enough: bool,
    framework: Framework,
    held: bool = False,
) -> str:
    parts = []
    core = _core(measures)
    if not enough and headline is not None and headline.grade == NOT_JUDGED:
        own = sorted(headline.forms, key=lambda r: r["indicator_id"] != headline.id)
        why = next((r["grade_short"] for r in own if r["grade_short"]), "no figure")
        parts.append(f"not enough evidence: the headline measure cannot be judged ({why})")
    elif not enough:
        judged = sum(m.grade != NOT_JUDGED for m in core)
        parts.append(
            f"not enough evidence: {in_words(judged)} of {in_words(len(core))} "
            "national measures can be judged"
        )
    judged = [m for m in measures if m.grade != NOT_JUDGED]
    if judged:
        n = {g: sum(m.grade == g for m in judged) for g in (IMPROVED, NO_CLEAR_CHANGE, DECLINED)}
        parts.append(
            f"{n[IMPROVED]} of {len(judged)} judged measures improved, "
            f"{n[NO_CLEAR_CHANGE]} showed no clear change and {n[DECLINED]} declined"
        )
    missing = [m for m in measures if m.grade == NOT_JUDGED]
    if missing:
        why = sorted({r["grade_short"] for m in missing for r in m.forms if r["grade_short"]})
        parts.append(f"{len(missing)} could not be judged ({', '.join(why)})")
    if held:
        parts.append("the headline measure is held significantly better than Scotland")
    for m in measures:
        for r in m.forms:  # the form that carries the target, named as itself
            if r["gap_text"]:
                parts.append(
                    f"{the(framework.indicator(r['indicator_id']).title)} is {r['gap_text']}"
                )
    return "; ".join(parts) if parts else "no indicator has data for this outcome"


def judge_outcome(measures: list[Measure], headline: Measure | None) -> tuple[str, bool]:
    """Return the status for one outcome and whether there was enough evidence."""
    core = _core(measures)
    judged = sum(m.grade != NOT_JUDGED for m in core)
    enough = headline is not None and headline.grade != NOT_JUDGED and 2 * judged >= len(core)
    if not enough:
        return "insufficient evidence", False
    forms = [r for r in headline.forms if r["judged"]]
    held = any(r["compare_scotland"] == BETTER for r in forms)
    slipping = any(r["against_baseline"] == "worse" or r["wrong_trend"] for r in forms)
    declined = any(m.grade == DECLINED for m in measures)
    improved = any(m.grade == IMPROVED for m in measures)
    positive = headline.grade == IMPROVED or (headline.grade == NO_CLEAR_CHANGE and held)
    if positive and not slipping and not declined:
        return "achieved", True
    if headline.grade == DECLINED or (not improved and not held):
        return "not achieved", True
    return "partly achieved", True


def _held(status: str, headline: Measure | None) -> bool:
    """True when an achieved outcome rests on its headline being held better than Scotland."""
    if status != "achieved" or headline is None or headline.grade == IMPROVED:
        return False
    return any(r["judged"] and r["compare_scotland"] == BETTER for r in headline.forms)


def _priority(status: str, measures: list[Measure], baseline: str) -> tuple[str, str]:
    declined = [m for m in measures if m.grade == DECLINED]
    if status == "insufficient evidence":
        return REVIEW, "there is not enough evidence to judge the outcome"
    if declined:
        first = declined[0]
        why = f"{the(first.title)} {first.reasons[0]}" if first.reasons else the(first.title)
        others = len(declined) - 1
        if others:
            why += f", and {in_words(others)} other measure{'s' if others > 1 else ''} declined"
        return PRIORITY, why
    if status == "not achieved":
        return PRIORITY, f"no measure shows that more people are reached than in {baseline}"
    if status == "achieved":
        return NOT_PRIORITY, "the headline measure improved and no measure declined"
    return NOT_PRIORITY, "some measures improved and none declined"


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
        Published indicator results with comparisons (after disclosure control).
    framework : Framework
        Outcomes and indicators.
    params : mapping of str to AreaParameters
        Each area's parameters (targets, decisions, indicators not used).
    period : str
        The reporting period.

    Returns
    -------
    tuple of pandas.DataFrame
        The outcome assessment, one row per area and outcome: ``status``,
        ``how_near``, ``headline`` (the indicator id that carried the verdict),
        ``measures_improved``, ``measures_no_clear_change``, ``measures_declined``,
        ``measures_not_judged``, ``suggested_priority``, ``priority_reasons``,
        ``decided_priority``, ``decision_reason``, ``indicators_used``,
        ``indicators_not_used``; and the per-indicator grades from
        :func:`cjlib.assess.grades.grade_indicators`.
    """
    grades = grade_indicators(results, framework, params, period)
    baseline = str(results["baseline_period"].dropna().iloc[0]) if len(results) else ""
    by_key: dict[tuple[str, str], list[dict]] = {}
    for row in grades.to_dict("records"):
        by_key.setdefault((row["area_code"], row["outcome"]), []).append(row)
    rows = []
    for code in sorted(set(params) | set(grades["area_code"])):
        for outcome in framework.outcomes:
            forms = by_key.get((code, outcome.id), [])
            measures = group_measures(forms, framework)
            headline = _headline(outcome.id, _core(measures), framework)
            status, enough = judge_outcome(measures, headline)
            suggested, why = _priority(status, measures, baseline)
            decision = params[code].priorities.get(outcome.id) if code in params else None
            rows.append(
                {
                    "area_code": code,
                    "outcome": outcome.id,
                    "outcome_number": outcome.number,
                    "period": period,
                    "status": status,
                    "how_near": _how_near(
                        measures, headline, enough, framework, held=_held(status, headline)
                    ),
                    "headline": headline.id if headline else "",
                    **{
                        f"measures_{g.replace(' ', '_')}": sum(m.grade == g for m in measures)
                        for g in (IMPROVED, NO_CLEAR_CHANGE, DECLINED, NOT_JUDGED)
                    },
                    "suggested_priority": suggested,
                    "priority_reasons": why,
                    "decided_priority": ""
                    if decision is None
                    else ("priority" if decision.priority else "not a priority"),
                    "decision_reason": "" if decision is None else decision.reason,
                    "indicators_used": ", ".join(r["indicator_id"] for r in forms if r["used"]),
                    "indicators_not_used": "; ".join(
                        f"{r['indicator_id']}: {r['reason_not_used']}"
                        for r in forms
                        if not r["used"]
                    ),
                }
            )
    return pd.DataFrame(rows), grades
