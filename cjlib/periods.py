"""Reporting periods: Scottish financial years written as "2023-24"."""

from __future__ import annotations

import re

import pandas as pd

_FY = re.compile(r"^\s*(\d{4})\s*[-/\u2013\u2014]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0)?\s*$")


def normalise_period(value: object) -> str | None:
    """Return a financial year as ``"2023-24"``, or None when it cannot be read.

    Parameters
    ----------
    value : object
        A period such as ``"2023/2024"``, ``"2023/24"``, ``"2023-2024"``,
        ``"2023-24"`` or a calendar year ``2023`` (kept as ``"2023"``).

    Returns
    -------
    str or None
        The normalised period, or None for anything unreadable, including a
        second year that does not follow the first.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    match = _FY.match(text)
    if match:
        start = int(match.group(1))
        end_text = match.group(2)
        end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
        if len(end_text) == 2 and end < start:
            end += 100
        if end != start + 1:
            return None
        return f"{start}-{end % 100:02d}"
    match = _YEAR.match(text)
    if match:
        return match.group(1)
    return None


def period_start_year(period: str) -> int:
    """Return the first calendar year of a period (``"2023-24"`` gives 2023)."""
    return int(str(period)[:4])


def financial_year(start_year: int) -> str:
    """Return the financial year that starts in April of ``start_year``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def normalise_periods(values: pd.Series) -> pd.Series:
    """Normalise a Series of periods; unreadable ones become missing."""
    uniques = {v: normalise_period(v) for v in pd.unique(values)}
    return values.map(uniques)
