"""Confidence intervals and funnel plot limits, as in ScotPHO and PHE Fingertips."""

from cjlib.stats.funnel import (
    FUNNEL_CONFIDENCES,
    KINDS,
    confidence_label,
    funnel_limits,
    funnel_table,
)
from cjlib.stats.poisson import EXACT_BELOW, byar_ci, exact_poisson_ci, rate_ci
from cjlib.stats.proportions import wilson_ci

__all__ = [
    "EXACT_BELOW",
    "FUNNEL_CONFIDENCES",
    "KINDS",
    "byar_ci",
    "confidence_label",
    "exact_poisson_ci",
    "funnel_limits",
    "funnel_table",
    "rate_ci",
    "wilson_ci",
]
