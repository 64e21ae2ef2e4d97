"""The "How this assessment was made" note, from the one written set of rules."""

from __future__ import annotations

from cjlib.assess.rules import ASSESSMENT_RULES, STATISTICS_NOTE


def method_paragraphs() -> list[str]:
    """Return the note's paragraphs: the assessment rules, then the statistics."""
    return [*ASSESSMENT_RULES, STATISTICS_NOTE]


def show_method_note() -> None:
    """Show the note in a notebook."""
    from cjlib.report.display import show_text

    show_text(method_paragraphs())
