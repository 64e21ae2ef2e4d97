"""The assessment rules, written down once and printed in every pack."""

from __future__ import annotations

#: Outcome statuses, best first.
STATUSES = ("achieved", "partly achieved", "not achieved", "insufficient evidence")
#: Suggested priority values.
PRIORITY, NOT_PRIORITY, REVIEW = "priority", "not a priority", "review the evidence"
#: Indicator grades.
IMPROVED, NO_CLEAR_CHANGE, DECLINED, NOT_JUDGED = (
    "improved",
    "no clear change",
    "declined",
    "not judged",
)
#: Significance level of every test, and the level of the funnel plots' inner limits.
SIGNIFICANCE_LEVEL = 0.95

#: The rules as plain-English paragraphs: the single source for code comments,
#: docs/assessment-rules.md and the "How this assessment was made" note in every pack.
ASSESSMENT_RULES: tuple[str, ...] = (
    "What is judged. Each outcome is judged on the indicators the partnership uses for "
    "it: the national indicators, their comparable forms (rates per 10,000 people aged 16 "
    "and over, and shares) and the local evidence. An indicator the partnership has chosen "
    "not to use is left out everywhere (not charted, downloaded or judged) and listed with "
    "its reason. A national count and the rates and shares derived from it are one piece of "
    "evidence, called a measure here, and each measure is counted once.",
    "One rule for significance, used in every table, funnel plot, verdict and narrative, "
    "at the 95% level. A rate or share differs significantly from Scotland or from its "
    "family group when it lies outside the 95% control limits around the comparator's "
    "value at the area's own denominator: exact binomial limits for shares and exact "
    "Poisson limits for rates (Spiegelhalter 2005). These are the limits the funnel plots "
    "draw, so a point outside them is always significant in the tables and a point inside "
    "never is; the 99.8% limits mark very strong evidence. Counts are not compared between "
    "areas of different sizes, and only rates and shares with a direction of improvement "
    "are ranked, among the areas whose value is published.",
    "Change since the baseline year is tested exactly: counts and rates with the "
    "conditional test of two Poisson counts, shares with Fisher's exact test. Because an "
    "outcome has several indicators, these tests are adjusted with Holm's method across the "
    "indicators of the same outcome, area and year, so that the chance of a false signal "
    "for an outcome stays at 5%. Change is described only for years after the baseline. "
    "Comparisons with Scotland and the family group are not adjusted, so that they agree "
    "with the funnel plots.",
    "Disclosure control comes first. Small counts are suppressed before anything is "
    "derived, and every comparison, change, trend and rank is computed from the published "
    "figures only. A suppressed or missing figure is never compared, ranked or used to "
    "judge an outcome.",
    "Each indicator gets one grade, from the first rule that applies. Not judged: it has "
    "no published value for the year (missing or suppressed), it has no direction of "
    "improvement, or it has neither a baseline figure to compare with nor a local target. "
    "Declined: it changed significantly in the wrong direction since the baseline. "
    "Improved: it meets the partnership's local target, or it changed significantly in the "
    "right direction since the baseline. Declined: it is significantly worse than Scotland "
    "or than its family group. Otherwise: no clear change. A measure takes the grade of its "
    "forms: declined if any form declined, otherwise improved if any improved, otherwise no "
    "clear change if any was judged, otherwise not judged.",
    "Enough evidence. Each outcome has a headline national measure, named in the framework "
    "file (for outcome 1, cases successfully completed). The evidence is insufficient when "
    "the headline measure cannot be judged, or when fewer than half of the national "
    "measures used can be judged. Where the national indicator is published for Scotland "
    "only, the local evidence takes its place.",
    "Achieved needs positive evidence that more people are reached or succeed: the "
    "headline measure improved, or it shows no clear change while significantly better "
    "than Scotland (the outcome is maintained); and no form of the headline measure is "
    "below its baseline figure or trending the wrong way, and no judged measure declined. "
    "Not achieved: the headline measure declined, or no measure improved and the headline "
    "is not held at a level significantly better than Scotland. Otherwise the outcome is "
    "partly achieved. An outcome with no usable data is never called achieved.",
    "How near says, counting each measure once, how many measures improved, showed no "
    "clear change or declined, which could not be judged and why, and how far each measure "
    "with a local target is from it.",
    "Suggested priority: a priority for action when the outcome is not achieved or any "
    "judged measure declined; review the evidence when the evidence is insufficient; "
    "otherwise not a priority. The reason names the measures. The partnership's own "
    "decision, where recorded in its parameters, is shown beside the suggestion and never "
    "replaces it.",
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
