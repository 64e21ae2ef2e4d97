"""The verdict per area and outcome: status, how near and suggested priority, per measure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cjlib.assess.compare import BETTER, WORSE
from cjlib.assess.grades import COMPARISON_WORDS, grade_indicators
from cjlib.assess.rules import (
    ACHIEVED,
    IMPROVED,
    INSUFFICIENT,
    MAINTAINED,
    NO_CLEAR_CHANGE,
    NOT_JUDGED,
    NOT_PRIORITY,
    NOT_YET,
    PARTLY,
    PRIORITY,
    REVIEW,
    WORSENED,
    WORSENING,
)
from cjlib.formatting import in_sentence
from cjlib.framework import Framework
from cjlib.params import AreaParameters

#: The change values counted per outcome, and their column names.
CHANGES = (IMPROVED, NO_CLEAR_CHANGE, WORSENED, NOT_JUDGED)


@dataclass
class MeasureRecord:
    """One piece of evidence (a national or local indicator and its forms) and its two axes.

    ``change`` comes from the measure's primary form (or a met local target on any
    form); ``success`` is the form compared with Scotland to judge success (None for a
    measure with no success form), and ``scotland`` / ``family`` are its comparisons.
    """

    id: str
    name: str
    national: bool
    forms: list[dict]
    change: str = NOT_JUDGED
    change_reason: str = ""
    why_not: str = ""
    success: dict | None = None

    @property
    def success_name(self) -> str:
        """The plain name of the success form (the form compared with Scotland)."""
        return self.success["name"] if self.success else self.name

    @property
    def scotland(self) -> str:
        """The success form's comparison with Scotland ("" when there is none)."""
        return self.success["compare_scotland"] if self.success else ""

    @property
    def family(self) -> str:
        """The success form's comparison with the family group ("" when there is none)."""
        return self.success["compare_family"] if self.success else ""


def _judged_success(row: dict) -> bool:
    return row["comparison_role"] == "judged" and row["compare_scotland"] in (
        BETTER,
        WORSE,
        "not significantly different",
    )


def measure_record(measure_id: str, rows: list[dict], framework: Framework) -> MeasureRecord:
    """Build one measure's record from the rows of its used forms (see module docstring)."""
    root = framework.indicator(measure_id)
    rows = [{**r, "name": framework.indicator(r["indicator_id"]).plain_name} for r in rows]
    primary = next((r for r in rows if r["primary"]), None)
    named = framework.indicator(primary["indicator_id"]) if primary is not None else root
    rec = MeasureRecord(measure_id, named.plain_name, root.role == "national", rows)
    met = [r for r in rows if r["target_met"]]
    if primary is not None:
        rec.change, rec.change_reason = primary["change"], primary["change_reason"]
        rec.why_not = primary["not_judged_why"]
    if met and rec.change in (NO_CLEAR_CHANGE, NOT_JUDGED):
        form = framework.indicator(met[0]["indicator_id"])
        rec.change = IMPROVED
        rec.change_reason = f"meets the local target for {in_sentence(form.plain_name)}"
    if primary is None and not met:
        rec.why_not = next((r["not_judged_why"] for r in rows if r["not_judged_why"]), "no figure")
        rec.change_reason = "not judged: its tested form is not available"
    successes = [r for r in rows if _judged_success(r)]
    successes.sort(key=lambda r: not r["primary"])
    rec.success = successes[0] if successes else None
    return rec


def group_measures(forms: list[dict], framework: Framework) -> list[MeasureRecord]:
    """Group an outcome's used, council-level forms into measure records, in framework order."""
    grouped: dict[str, list[dict]] = {}
    for row in forms:
        if row["used"]:
            grouped.setdefault(row["measure"], []).append(row)
    out = [
        measure_record(measure_id, rows, framework)
        for measure_id, rows in grouped.items()
        if framework.indicator(measure_id).geography != "scotland"
    ]
    order = {i.id: n for n, i in enumerate(framework.indicators)}
    return sorted(out, key=lambda m: order[m.id])


def _core(measures: list[MeasureRecord]) -> list[MeasureRecord]:
    """The national measures, or the local evidence where no national one is judged locally."""
    national = [m for m in measures if m.national]
    return national or measures


def _headline(
    outcome_id: str, core: list[MeasureRecord], framework: Framework
) -> MeasureRecord | None:
    chosen = framework.headline_for(outcome_id)
    root = chosen.measure_id if chosen else None
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


def names(measures: list[MeasureRecord], success: bool = False) -> str:
    """List measure names in a sentence: "a", "a and b", "a, b and c".

    ``success`` names each measure's success form (for comparisons) instead of the
    form whose change was tested.
    """
    said = [in_sentence(m.success_name if success else m.name) for m in measures]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def _slipping(headline: MeasureRecord) -> bool:
    primary = [r for r in headline.forms if r["primary"]]
    return any(r["against_baseline"] == "worse" or r["wrong_trend"] for r in primary)


def judge_outcome(measures: list[MeasureRecord], headline: MeasureRecord | None) -> str:
    """Return the status for one outcome (see :data:`cjlib.assess.rules.ASSESSMENT_RULES`)."""
    core = _core(measures)
    judged = sum(m.change != NOT_JUDGED for m in core)
    if headline is None or headline.change == NOT_JUDGED or 2 * judged < len(core):
        return INSUFFICIENT
    worsened = any(m.change == WORSENED for m in measures)
    improved = any(m.change == IMPROVED for m in measures)
    steady = not worsened and not _slipping(headline)
    if headline.change == WORSENED or (worsened and not improved):
        return WORSENING
    if headline.change == IMPROVED and steady:
        return ACHIEVED
    if headline.change == NO_CLEAR_CHANGE and headline.scotland == BETTER and steady:
        return MAINTAINED
    if improved:
        return PARTLY
    return NOT_YET


def _with(measures: list[MeasureRecord], change: str) -> list[MeasureRecord]:
    return [m for m in measures if m.change == change]


def _compared(measures: list[MeasureRecord], label: str) -> list[MeasureRecord]:
    return [m for m in measures if m.scotland == label]


def _how_near(
    status: str, measures: list[MeasureRecord], headline: MeasureRecord | None, baseline: str
) -> str:
    """Say how near the outcome is, change and comparison kept apart, naming the measures."""
    parts = []
    core = _core(measures)
    if status == INSUFFICIENT:
        if headline is not None and headline.change == NOT_JUDGED:
            parts.append(
                f"not enough evidence: the headline measure, {in_sentence(headline.name)}, "
                f"cannot be judged ({headline.why_not or 'no figure'})"
            )
        else:
            judged = sum(m.change != NOT_JUDGED for m in core)
            parts.append(
                f"not enough evidence: {in_words(judged)} of {in_words(len(core))} "
                "national measures can be judged"
            )
    judged = [m for m in measures if m.change != NOT_JUDGED]
    if judged:
        said = []
        for change, verb in (
            (IMPROVED, "improved"),
            (WORSENED, "worsened"),
            (NO_CLEAR_CHANGE, "showed no clear change"),
        ):
            group = _with(judged, change)
            if group:
                said.append(f"{names(group)} {verb}")
        parts.append(f"change since {baseline}: " + "; ".join(said))
    for label in (BETTER, WORSE):
        words = COMPARISON_WORDS[label]
        group = _compared(measures, label)
        if group:
            verb = "is" if len(group) == 1 else "are"
            parts.append(
                f"compared with Scotland, {names(group, success=True)} {verb} {words} Scotland"
            )
    family_worse = [m for m in measures if m.family == WORSE and m.scotland != WORSE]
    if family_worse:
        verb = "is" if len(family_worse) == 1 else "are"
        parts.append(
            f"{names(family_worse, success=True)} {verb} significantly worse than the family group"
        )
    missing = [m for m in measures if m.change == NOT_JUDGED]
    if missing:
        why = sorted({m.why_not for m in missing if m.why_not})
        parts.append(f"not judged: {names(missing)} ({', '.join(why)})")
    for m in measures:
        for r in m.forms:  # the form that carries the target, named as itself
            if r["gap_text"]:
                parts.append(f"{in_sentence(r['name'])} is {r['gap_text']}")
    return "; ".join(parts) if parts else "no indicator has data for this outcome"


def _priority(
    status: str, measures: list[MeasureRecord], headline: MeasureRecord | None, baseline: str
) -> tuple[str, str]:
    """The suggested priority and its reason, naming the measures and the axis that drove it."""
    worsened = _with(measures, WORSENED)
    improved = _with(measures, IMPROVED)
    worse = _compared(measures, WORSE)
    if status == INSUFFICIENT:
        return REVIEW, "there is not enough evidence to judge the outcome"
    if status == WORSENING:
        return PRIORITY, f"{names(worsened)} worsened since {baseline} (change over time)"
    if status == PARTLY and worsened:
        return PRIORITY, (
            f"{names(worsened)} worsened since {baseline}, although {names(improved)} "
            "improved (change over time)"
        )
    if status == NOT_YET:
        why = f"no measure improved since {baseline} (change over time)"
        if worse:
            verb = "is" if len(worse) == 1 else "are"
            why += (
                f", and {names(worse, success=True)} {verb} significantly worse than Scotland "
                "(comparison)"
            )
        return PRIORITY, why
    if status == ACHIEVED:
        return NOT_PRIORITY, (
            f"{in_sentence(headline.name)} improved since {baseline} and no measure worsened "
            "(change over time)"
        )
    if status == MAINTAINED:
        held = "it" if headline.success_name == headline.name else headline.success_name
        return NOT_PRIORITY, (
            f"{in_sentence(headline.name)} showed no clear change since {baseline} (change over "
            f"time), and {in_sentence(held)} is held significantly better than Scotland "
            "(comparison)"
        )
    return NOT_PRIORITY, (
        f"{names(improved)} improved since {baseline} and no measure worsened, but "
        f"{in_sentence(headline.name)} showed no clear change (change over time)"
    )


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
        ``how_near``, ``headline`` (the measure that carried the verdict),
        ``measures_improved``, ``measures_no_clear_change``, ``measures_worsened``,
        ``measures_not_judged`` (change, counting each measure once),
        ``measures_better_than_scotland`` and ``measures_worse_than_scotland``
        (comparisons of success forms), ``suggested_priority``, ``priority_reasons``,
        ``decided_priority``, ``decision_reason``, ``indicators_used``,
        ``indicators_not_used``; and the per-form records from
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
            status = judge_outcome(measures, headline)
            suggested, why = _priority(status, measures, headline, baseline)
            decision = params[code].priorities.get(outcome.id) if code in params else None
            rows.append(
                {
                    "area_code": code,
                    "outcome": outcome.id,
                    "outcome_number": outcome.number,
                    "local": outcome.local,
                    "period": period,
                    "status": status,
                    "how_near": _how_near(status, measures, headline, baseline),
                    "headline": headline.id if headline else "",
                    **{
                        f"measures_{c.replace(' ', '_')}": sum(m.change == c for m in measures)
                        for c in CHANGES
                    },
                    "measures_better_than_scotland": len(_compared(measures, BETTER)),
                    "measures_worse_than_scotland": len(_compared(measures, WORSE)),
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
