"""Disclosure control: nothing small or derivable from small counts leaves the machine.

- :mod:`cjlib.disclosure.suppress`: primary and secondary suppression of a results table,
  and the last check of a suppressed table (:func:`find_disclosure_risks`);
- :mod:`cjlib.disclosure.cells`: suppression decided once per measure cell, so every
  indicator that uses a cell agrees, and the policy for published official statistics.

The policy is written down in ``docs/disclosure-policy.md``.
"""

from cjlib.disclosure.suppress import (
    SUPPRESSED_MARKER,
    find_disclosure_risks,
    primary_suppression,
    small_count_mask,
    suppress_counts,
    suppress_results,
    unreturned_cells,
)

__all__ = [
    "SUPPRESSED_MARKER",
    "find_disclosure_risks",
    "primary_suppression",
    "small_count_mask",
    "suppress_counts",
    "suppress_results",
    "unreturned_cells",
]
