"""The "How this assessment was made" note, from the one written set of rules."""

from __future__ import annotations

from cjlib.assess.rules import ASSESSMENT_RULES

STATISTICS_NOTE = (
    "Counts are shown as the framework defines them. Because areas differ greatly in size, "
    "comparisons use rates per 10,000 people aged 16 and over and shares. Intervals are 95% "
    "confidence intervals: Wilson score intervals for shares; for counts and rates, the exact "
    "Poisson interval below 10 events and Byar's method at 10 or more, as Public Health "
    "Scotland's ScotPHO profiles do. Counts from 1 to 4 are suppressed and shown as [c], with "
    "every rate and share computed from them, and further cells are suppressed where a "
    "suppressed count could be worked out from a total."
)


def method_paragraphs() -> list[str]:
    """Return the note's paragraphs: the assessment rules, then the statistics."""
    return [*ASSESSMENT_RULES, STATISTICS_NOTE]


def show_method_note() -> None:
    """Show the note in a notebook."""
    from cjlib.display import show_text

    show_text(method_paragraphs())
