"""The assessment rules, written down once and printed in every pack."""

from __future__ import annotations

#: Outcome statuses, best first.
STATUSES = ("achieved", "partly achieved", "not achieved", "insufficient evidence")
#: Suggested priority values.
PRIORITY, NOT_PRIORITY, REVIEW = "priority", "not a priority", "review the evidence"

#: The rules as plain-English paragraphs: the single source for code comments,
#: docs/assessment-rules.md and the "How this assessment was made" note in every pack.
ASSESSMENT_RULES: tuple[str, ...] = (
    "Each outcome is judged on the indicators the partnership uses for it: the national "
    "indicators, their comparable forms (rates per 10,000 people aged 16 and over and "
    "shares) and the local evidence. Indicators the partnership has chosen not to use "
    "are left out and listed with its reason.",
    "An indicator is judged only when it has a value for the reporting year that is not "
    "suppressed, and its direction of improvement is known. Indicators with no "
    "direction (for example orders made, which reflect sentencing) are shown as context.",
    "An indicator is on track when it meets the partnership's local target, where one is "
    "set. Without a target, a rate or share is on track when it is not significantly "
    "worse than Scotland and has not significantly worsened since the baseline year; a "
    "count is on track when it has not significantly worsened since the baseline year. "
    "Significance is at the 95% level: against Scotland, Scotland's value lies outside "
    "the area's 95% confidence interval; against the baseline, an exact test of two "
    "Poisson counts or a test of two proportions.",
    "The outcome is achieved when every judged indicator is on track, partly achieved "
    "when some are, not achieved when none are, and insufficient evidence when no "
    "indicator can be judged. An outcome with no usable data is never called achieved.",
    "How near: the number of judged indicators on track, and for each the gap to its "
    "target or to Scotland.",
    "Suggested priority: a priority for action when the outcome is not achieved or "
    "partly achieved and at least one indicator is significantly worse than Scotland, "
    "than the family group, or than in the baseline year; review the evidence when it "
    "cannot be judged; otherwise not a priority. The partnership's own decision, where "
    "recorded in its parameters, is shown beside the suggestion and is never replaced.",
)
