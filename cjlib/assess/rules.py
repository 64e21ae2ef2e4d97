"""The assessment rules, written down once and printed in every pack."""

from __future__ import annotations

#: The change axis: how a measure moved since the baseline year (change words only).
IMPROVED, NO_CLEAR_CHANGE, WORSENED, NOT_JUDGED = (
    "improved",
    "no clear change",
    "worsened",
    "not judged",
)
#: Outcome statuses, best first: whether the outcome is achieved and, if not, how near.
ACHIEVED = "achieved: improved"
MAINTAINED = "achieved: maintained"
PARTLY = "partly achieved"
NOT_YET = "not yet achieved: no clear change"
WORSENING = "not achieved: worsening"
INSUFFICIENT = "insufficient evidence"
STATUSES = (ACHIEVED, MAINTAINED, PARTLY, NOT_YET, WORSENING, INSUFFICIENT)
#: The statuses that count as achieved.
ACHIEVED_STATUSES = (ACHIEVED, MAINTAINED)
#: Suggested priority values.
PRIORITY, NOT_PRIORITY, REVIEW = "priority", "not a priority", "review the evidence"
#: Significance level of every test, and the level of the funnel plots' inner limits.
SIGNIFICANCE_LEVEL = 0.95

#: The significance rule for comparisons between areas, in one sentence: the Notes of the
#: national workbook and the rules below both print it.
COMPARISON_RULE = (
    "A rate or share differs significantly from Scotland or from its family group when it "
    "lies outside the 95% control limits around the comparator's value at the area's own "
    "denominator: exact binomial limits for shares and exact Poisson limits for rates "
    "(Spiegelhalter 2005)."
)

#: The rules as plain-English paragraphs: the single source for code comments,
#: docs/assessment-rules.md and the "How this assessment was made" note in every pack.
ASSESSMENT_RULES: tuple[str, ...] = (
    "What is judged. Each outcome is judged on the indicators the partnership uses for "
    "it: the national indicators, their comparable forms (rates per 10,000 people aged 16 "
    "and over, and shares) and the local evidence. An indicator the partnership has chosen "
    "not to use is left out everywhere (not charted, downloaded or judged) and listed with "
    "its reason. A national count and the rates and shares derived from it are one piece of "
    "evidence, called a measure here, and each measure is counted once.",
    "Two questions, kept apart. Change asks whether a measure moved since the baseline "
    "year: improved, no clear change or worsened. Comparison asks how it stands against "
    "Scotland and its family group: better, similar or worse. Words for one never stand "
    "for the other.",
    "Change is tested once per measure, on the form the framework file names for it (the "
    "rate per 10,000 people for a count, the share for a share): counts and rates with the "
    "exact conditional test of two Poisson counts, shares with Fisher's exact test. The "
    "tests are adjusted with Holm's method across the measures of the same outcome, area "
    "and year, so that the chance of a false signal for an outcome stays at 5%. A measure "
    "improved when it changed significantly in the right direction or meets the "
    "partnership's local target; it worsened when it changed significantly in the wrong "
    "direction (this wins over a met target); otherwise it shows no clear change. It is "
    "not judged when the tested form has no published value for the year (missing or "
    "suppressed), has no direction of improvement, or has neither a baseline figure nor a "
    "local target.",
    "Comparison. " + COMPARISON_RULE + " These are the limits the funnel plots draw, so a "
    "point outside them is always significant in the tables and a point inside never is. "
    "Comparisons are not adjusted, so that they agree with the funnel plots. Only success "
    "forms judge an outcome against Scotland: shares that say whether people were reached "
    "or succeeded (completion and engagement, accommodation and GP registration on "
    "release, uptake of voluntary throughcare). A service volume per head of population "
    "mostly measures demand, so its comparisons are shown as context and never make an "
    "outcome achieved or not. The framework file records each choice and its reason.",
    "Disclosure control comes first. Small counts are suppressed before anything is "
    "derived, and every comparison, change, trend and rank is computed from the published "
    "figures only. A suppressed or missing figure is never compared, ranked or used to "
    "judge an outcome.",
    "Enough evidence. Each outcome has a headline measure, named in the framework file. "
    "The evidence is insufficient when the headline measure's change cannot be judged, or "
    "when fewer than half of the national measures used can be judged. Where the national "
    "indicator is published for Scotland only, the local evidence takes its place.",
    "The verdict. Achieved: improved, when the headline measure improved, no measure "
    "worsened, and the headline is neither below its baseline figure nor trending the "
    "wrong way. Achieved: maintained, when the headline shows no clear change but its "
    "success form is significantly better than Scotland, with the same conditions. "
    "Not achieved: worsening, when the headline worsened, or a measure worsened and none "
    "improved. Partly achieved, when some measure improved but the outcome is not achieved. "
    "Otherwise the outcome is not yet achieved: no clear change. A comparison with Scotland "
    "alone never makes an outcome worsening, and an outcome with no usable data is never "
    "called achieved.",
    "How near says, counting each measure once, which measures improved, showed no clear "
    "change or worsened since the baseline, which success forms are better or worse than "
    "Scotland, which measures could not be judged and why, and how far each measure with "
    "a local target is from it.",
    "Suggested priority follows the verdict: a priority for action when the outcome is "
    "not achieved, not yet achieved, or partly achieved with a measure that worsened; "
    "review the evidence when the evidence is insufficient; otherwise not a priority. The "
    "reason names the measures and says whether change or comparison drove it. The "
    "partnership's own decision, where recorded in its parameters, is shown beside the "
    "suggestion and never replaces it.",
)

#: How the figures themselves are made: printed after the rules.
STATISTICS_NOTE = (
    "Counts are shown as the framework defines them. Because areas differ greatly in size, "
    "comparisons use rates per 10,000 people aged 16 and over and shares. Intervals are 95% "
    "confidence intervals: Wilson score intervals for shares; for counts and rates, the exact "
    "Poisson interval below 10 events and Byar's method at 10 or more, as Public Health "
    "Scotland's ScotPHO profiles do. Counts from 1 to 4 are suppressed and shown as [c], with "
    "every rate and share computed from them, and further cells are suppressed where a "
    "suppressed or missing count could be worked out from a total. Official statistics that "
    "their publisher already releases by council area (recorded crime, drug deaths, SIMD, "
    "reconviction) are shown exactly as published."
)


def rules_markdown() -> str:
    """Return the rules as the Markdown page ``docs/assessment-rules.md``."""
    lines = [
        "# How cjlib assesses each outcome",
        "",
        "Generated from `cjlib/assess/rules.py` by `make docs`; a test keeps the two the "
        "same. The same text is "
        "printed in every evidence pack. cjlib suggests; the partnership decides.",
        "",
    ]
    for number, rule in enumerate(ASSESSMENT_RULES, start=1):
        lines += [f"{number}. {rule}", ""]
    lines += ["## Statistics", "", STATISTICS_NOTE, ""]
    return "\n".join(lines)
