"""Suppress, attack, cover, repeat: the cells to hide until the disclosure audit is clean.

Each round hides, for every cell the audit could work out, that measure and year for
every member of the cell's family group (the whole group's figures for a family or
Scotland total). Every round hides more cells than the last, and there are finitely
many, so the loop stops: at the worst the whole group is hidden. A round that finds a
disclosure but has nothing more to hide ends the loop too, and the batch then refuses
to publish (:func:`cjlib.pipeline.audit_before_writing`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cjlib.areas import SCOTLAND_CODE
from cjlib.audit.finding import Finding

Cell = tuple[str, str, str]  # area code, period, measure id


def covers_for(
    findings: Iterable[Finding], family_of: Mapping[str, str], already: set[Cell] | None = None
) -> set[Cell]:
    """Return the cells to hide so that the audit's findings can no longer be worked out.

    Parameters
    ----------
    findings : iterable of Finding
        What the audit found; each names its cells in ``keys``.
    family_of : mapping of str to str
        Council code to family group code.
    already : set, optional
        The cells earlier rounds asked to hide: where a cell's whole family group is
        among them, every council's cell of that measure and year is hidden instead.

    Returns
    -------
    set of (area code, period, measure id)
        Every member of the family group of each disclosed cell, for its measure and year
        (every council for a cell of Scotland, or when the group is already hidden).
    """
    members: dict[str, list[str]] = {}
    for council, family in family_of.items():
        members.setdefault(family, []).append(council)
    out: set[Cell] = set()
    for finding in findings:
        for area, period, measure in finding.keys:
            if area == SCOTLAND_CODE:
                group = list(family_of)
            elif area in members:  # a family group's total
                group = members[area]
            else:
                group = members.get(family_of.get(area, ""), [area])
            cells = {(code, period, measure) for code in group}
            if already is not None and cells <= already:
                cells = {(code, period, measure) for code in family_of}
            out |= cells
    return out
