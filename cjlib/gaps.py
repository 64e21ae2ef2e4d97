"""The one marker for a gap only the partnership can fill, the same in HTML, CSV and Word."""

from __future__ import annotations

#: The words that start every gap, searchable in every file the packs write.
TO_COMPLETE = "TO COMPLETE"


def to_complete(what: str, parameter: str) -> str:
    """Return the marker for one gap: "TO COMPLETE: <what> (<parameter to fill>)".

    Examples
    --------
    >>> to_complete("the partnership's decision on priority", "priorities.O3")
    "TO COMPLETE: the partnership's decision on priority (priorities.O3)"
    """
    return f"{TO_COMPLETE}: {what} ({parameter})"


def decision_gap(outcome_id: str) -> str:
    """The gap left where the partnership has not recorded its priority decision."""
    return to_complete("the partnership's decision on priority", f"priorities.{outcome_id}")
