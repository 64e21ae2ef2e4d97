"""Comparisons, trends and the outcome assessment built on the indicator results."""

from __future__ import annotations

from typing import Any

__all__ = ["ASSESSMENT_RULES", "add_comparisons", "assess_outcomes"]

_HOMES = {
    "ASSESSMENT_RULES": "cjlib.assess.rules",
    "add_comparisons": "cjlib.assess.compare",
    "assess_outcomes": "cjlib.assess.outcome",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use, so that ``cjlib.assess.rules`` stays light."""
    if name not in _HOMES:
        raise AttributeError(f"module 'cjlib.assess' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_HOMES[name]), name)
