"""GSS shorthand markers found in published tables, and how to read cells."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

#: Every marker cjlib recognises, with its meaning (GSS guidance on symbols).
MARKERS: dict[str, str] = {
    "[c]": "confidential (suppressed to protect individuals)",
    "[x]": "not available",
    "[z]": "not applicable",
    "[low]": "rounds to zero",
    "[u]": "low reliability",
    "[p]": "provisional",
    "[r]": "revised",
    "[b]": "break in series",
    "[l]": "low reliability",
    "[w]": "no data",
    "[e]": "estimated",
    "*": "suppressed (older files)",
    "-": "nil or not available (older files)",
    "..": "not available (older files)",
}
#: Older spellings mapped onto their GSS form.
LEGACY = {"*": "[c]", "-": "[x]", "..": "[x]", ":": "[x]"}
#: Shorthand written without brackets (e.g. Recorded Crime in Scotland's bulletin tables),
#: read case-insensitively, mapped onto the GSS form. ``n/l`` (legislation not yet in
#: force) is "not applicable"; ``n/r`` (a change not reported because its base is under
#: ten) is "not available".
BARE = {
    "c": "[c]",
    "x": "[x]",
    "z": "[z]",
    "u": "[u]",
    "low": "[low]",
    "n/l": "[z]",
    "n/r": "[x]",
}
#: Markers that qualify a value that is still shown.
QUALIFIERS = {"[p]", "[r]", "[b]", "[u]", "[e]", "[l]"}
_MARKER_RE = re.compile(r"\[(?:c|x|z|low|u|p|r|b|l|w|e|note \d+)\]", re.IGNORECASE)
_NUMBER_RE = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?%?$")


def parse_cell(cell: object) -> tuple[float, str]:
    """Read one published cell into a number and a marker.

    Parameters
    ----------
    cell : object
        A number, or text such as ``"1,234"``, ``"8%"``, ``"12 [p]"``, ``"[c]"``, ``"*"``.

    Returns
    -------
    tuple of (float, str)
        The value (NaN when none) and the marker: ``""`` for a plain number,
        the GSS marker otherwise, or ``"?"`` when the text is neither a number
        nor a recognised marker.
    """
    if cell is None:
        return math.nan, "[x]"
    if isinstance(cell, bool):
        return math.nan, "?"
    if isinstance(cell, int | float | np.integer | np.floating):
        return (math.nan, "[x]") if pd.isna(cell) else (float(cell), "")
    text = str(cell).strip()
    if text == "":
        return math.nan, "[x]"
    if text in LEGACY:
        return math.nan, LEGACY[text]
    if text.lower() in BARE:
        return math.nan, BARE[text.lower()]
    found = [m.lower() for m in _MARKER_RE.findall(text) if not m.lower().startswith("[note")]
    rest = _MARKER_RE.sub("", text).strip()
    marker = found[0] if found else ""
    if rest == "":
        return math.nan, marker or "[x]"
    compact = rest.replace(" ", "")
    if _NUMBER_RE.match(compact) and any(ch.isdigit() for ch in compact):
        number = float(compact.rstrip("%").replace(",", ""))
        return number, marker
    return math.nan, "?"


def parse_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_cell` over a Series; returns (values, markers).

    Empty cells (None, NaN, NaT and the like, in any mix) read as ``[x]``; each
    distinct other cell is parsed once.
    """
    empty = values.isna().to_numpy()
    cells = values.to_numpy()
    if not any(isinstance(c, str | bool | np.bool_) for c in cells):
        try:  # fast path: only numbers and empty cells
            numbers = cells.astype(float)
        except (TypeError, ValueError):
            pass
        else:
            markers = np.where(empty, "[x]", "")
            return (
                pd.Series(numbers, index=values.index, dtype=float),
                pd.Series(markers, index=values.index, dtype=object).astype(str),
            )
    cache: dict[object, tuple[float, str]] = {}
    numbers = np.full(len(values), math.nan)
    markers = np.full(len(values), "[x]", dtype=object)
    for i, cell in enumerate(values.to_numpy()):
        if empty[i]:
            continue
        key = (type(cell), cell)
        pair = cache.get(key)
        if pair is None:
            pair = cache[key] = parse_cell(cell)
        numbers[i], markers[i] = pair
    return (
        pd.Series(numbers, index=values.index, dtype=float),
        pd.Series(markers, index=values.index, dtype=object).astype(str),
    )
