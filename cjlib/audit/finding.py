"""What the audit reports: one disclosed cell, how it was worked out, what it narrows to."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from cjlib.areas import area_name


@dataclass(frozen=True)
class Finding:
    """A suppressed or missing cell that an outsider can narrow below the primary band.

    Attributes
    ----------
    file : str
        Where the cell is published (hidden), relative to the output folder.
    cell : str
        The cell: area, count and period, e.g. "Orkney Islands, bail_commenced, 2023-24".
    arithmetic : str
        How an outsider works it out, as a sentence.
    narrowed_to : str
        The set or range of values left, e.g. "{4}" or "{2, 3}".
    attack : str
        Which attack found it (differencing, complement, back-calculation, rank gap,
        change label, trend label, interval bounds, funnel point, shown elsewhere).
    values : tuple of int
        The values left (empty when there are many).
    keys : tuple of (area code, period, measure id)
        The cells involved, for the suppression that covers them.
    """

    file: str
    cell: str
    arithmetic: str
    narrowed_to: str
    attack: str
    values: tuple[int, ...] = ()
    keys: tuple[tuple[str, str, str], ...] = ()

    def line(self) -> str:
        """The one-line report: file, arithmetic, narrowed range."""
        return f"{self.file}: {self.cell} narrowed to {self.narrowed_to}: {self.arithmetic}"


@functools.lru_cache(maxsize=256)
def area_label(code: str) -> str:
    """The reader's name of an area, family group or Scotland (the code if unknown)."""
    try:
        return area_name(code)
    except Exception:  # noqa: BLE001 - an unknown code is shown as it is
        return code
