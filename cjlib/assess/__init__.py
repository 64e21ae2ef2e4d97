"""Comparisons, trends and the outcome assessment built on the indicator results."""

from cjlib.assess.compare import add_comparisons
from cjlib.assess.outcome import assess_outcomes
from cjlib.assess.rules import ASSESSMENT_RULES

__all__ = ["ASSESSMENT_RULES", "add_comparisons", "assess_outcomes"]
