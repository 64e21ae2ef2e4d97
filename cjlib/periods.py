"""Reporting periods: financial years ("2023-24"), calendar years, months and quarters.

The tidy measures format writes a period in one of these forms:

- a Scottish financial year, April to March: ``"2023-24"``;
- a calendar year: ``"2023"``;
- a multi-year range of calendar years (three or more): ``"2020-2024"``
  (read by :func:`cjlib.loaders._common.read_period`);
- a month: ``"2024-04"`` (April 2024);
- a quarter of a financial year: ``"2024-Q1"``. Quarters follow the financial
  year that starts in April of the year written: Q1 is April to June 2024, Q2 July
  to September 2024, Q3 October to December 2024 and Q4 January to March 2025.

``"2011-12"`` reads as the financial year 2011-12, never as December 2011: a
month is written ``YYYY-MM`` only when ``MM`` is not the next year's last two
digits (so monthly data from 2012 on is unambiguous).

Every period sorts by :func:`period_sort_key`: by the month it starts, then the
month it ends, so a calendar year comes before the financial year that starts in
its April, and a month before the quarter and the year that start with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

_FY = re.compile(r"^\s*(\d{4})\s*[-/\u2013\u2014]\s*(\d{2}|\d{4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})(?:\.0)?\s*$")
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
_MONTH = re.compile(r"^\s*(\d{4})-(0[1-9]|1[0-2])\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})(?:\s*[-/]\s*(\d{2}))?\s*[-\s]?\s*[Qq]([1-4])\s*$")

#: Kinds of period, as :func:`period_kind` names them.
FINANCIAL_YEAR = "financial year"
CALENDAR_YEAR = "calendar year"
YEAR_RANGE = "multi-year range"
MONTH = "month"
QUARTER = "quarter"
#: Kinds of period shorter than a year (a run or SPC chart's time axis).
SUB_ANNUAL = (MONTH, QUARTER)
#: What a period may look like, for messages.
PERIOD_FORMATS = (
    "a year such as 2023-24, 2023/24 or 2024, a range such as 2020-2024, a month such as "
    "2024-04 or a quarter such as 2024-Q1"
)
_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _financial_year(text: str) -> str | None:
    match = _FY.match(text)
    if not match:
        return None
    start = int(match.group(1))
    end_text = match.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if len(end_text) == 2 and end < start:
        end += 100
    if end != start + 1:
        return None
    return f"{start}-{end % 100:02d}"


def normalise_period(value: object) -> str | None:
    """Return a period in its tidy form, or None when it cannot be read.

    Parameters
    ----------
    value : object
        A financial year such as ``"2023/2024"``, ``"2023/24"``, ``"2023-2024"``
        or ``"2023-24"`` (gives ``"2023-24"``); a calendar year ``2023`` (kept as
        ``"2023"``); a month ``"2024-04"``; a quarter ``"2024-Q1"``,
        ``"2024 Q1"`` or ``"2024-25 Q1"`` (gives ``"2024-Q1"``).

    Returns
    -------
    str or None
        The normalised period, or None for anything unreadable, including a
        second year that does not follow the first.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    fy = _financial_year(text)
    if fy is not None:
        return fy
    match = _YEAR.match(text)
    if match:
        return match.group(1)
    match = _MONTH.match(text)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    match = _QUARTER.match(text)
    if match:
        start = int(match.group(1))
        if match.group(2) is not None and int(match.group(2)) != (start + 1) % 100:
            return None
        return f"{start}-Q{match.group(3)}"
    return None


def normalise_periods(values: pd.Series) -> pd.Series:
    """Normalise a Series of periods; unreadable ones become missing."""
    uniques = {v: normalise_period(v) for v in pd.unique(values)}
    return values.map(uniques)


def period_start_year(period: str) -> int:
    """Return the first calendar year of a period (``"2023-24"`` gives 2023)."""
    return int(str(period)[:4])


def financial_year(start_year: int) -> str:
    """Return the financial year that starts in April of ``start_year``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def period_kind(period: object) -> str | None:
    """Return the kind of a normalised period (:data:`FINANCIAL_YEAR`, :data:`MONTH` ...).

    Returns None for text that is not a normalised period.
    """
    text = str(period)
    if _YEAR.fullmatch(text) and len(text) == 4:
        return CALENDAR_YEAR
    if re.fullmatch(r"\d{4}-Q[1-4]", text):
        return QUARTER
    if _financial_year(text) == text:
        return FINANCIAL_YEAR
    if _MONTH.fullmatch(text):
        return MONTH
    match = _RANGE.match(text)
    if match and int(match.group(2)) > int(match.group(1)):
        return YEAR_RANGE
    return None


def is_financial_year(period: object) -> bool:
    """Return True for a normalised financial year such as ``"2023-24"``."""
    return period_kind(period) == FINANCIAL_YEAR


def period_months(period: object) -> tuple[int, int] | None:
    """Return the first and last month a period covers, as ``year * 12 + month - 1``.

    Returns None for text that is not a normalised period.
    """
    kind = period_kind(period)
    if kind is None:
        return None
    text = str(period)
    year = int(text[:4])
    if kind == CALENDAR_YEAR:
        return year * 12, year * 12 + 11
    if kind == FINANCIAL_YEAR:
        return year * 12 + 3, year * 12 + 14
    if kind == YEAR_RANGE:
        return year * 12, int(text[5:9]) * 12 + 11
    if kind == MONTH:
        month = year * 12 + int(text[5:7]) - 1
        return month, month
    first = year * 12 + 3 + 3 * (int(text[-1]) - 1)  # quarter: Q1 starts in April
    return first, first + 2


def period_sort_key(period: object) -> tuple[int, int, str]:
    """Sort key of a period: the month it starts, the month it ends, then its text.

    ``"2023"`` (January to December 2023) sorts before ``"2023-24"`` (April 2023
    to March 2024); ``"2024-04"`` before ``"2024-Q1"`` before ``"2024-25"``.
    Unreadable periods sort last, by their text.
    """
    months = period_months(period)
    if months is None:
        return (10**9, 10**9, str(period))
    return (*months, str(period))


def sort_periods(periods: Iterable[object]) -> list:
    """Return the distinct periods in time order (see :func:`period_sort_key`)."""
    return sorted(set(periods), key=period_sort_key)


def period_rank(values: pd.Series) -> pd.Series:
    """Return each period's position in time order, for ``sort_values(key=...)``."""
    ranks = {p: i for i, p in enumerate(sort_periods(pd.unique(values)))}
    return values.map(ranks)


def by_period(column: pd.Series) -> pd.Series:
    """A ``sort_values`` key that puts a ``period`` column in time order.

    Other columns are left as they are, so
    ``frame.sort_values(["area_code", "period"], key=by_period)`` sorts by area,
    then time.
    """
    return period_rank(column) if column.name == "period" else column


def period_label(period: object) -> str:
    """Return a period in words: "April 2024", "April to June 2024", "2023-24"."""
    kind = period_kind(period)
    if kind not in SUB_ANNUAL:
        return str(period)
    first, last = period_months(period)
    start = f"{_MONTH_NAMES[first % 12]}"
    end = f"{_MONTH_NAMES[last % 12]} {last // 12}"
    if kind == MONTH:
        return end
    if first // 12 != last // 12:
        start += f" {first // 12}"
    return f"{start} to {end}"


def period_midpoint(period: object) -> pd.Timestamp:
    """Return the middle of a period as a date (for a time axis)."""
    first, last = period_months(period) or (0, 0)
    start = pd.Timestamp(year=first // 12, month=first % 12 + 1, day=1)
    end = pd.Timestamp(year=last // 12, month=last % 12 + 1, day=1) + pd.offsets.MonthEnd(0)
    return start + (end - start) / 2


def mixed_periods(periods: pd.Series, series: pd.Series) -> dict[object, str]:
    """Find periods whose kind differs from the rest of their series (months, quarters).

    A series (for example one area's measure) holds one kind of period once any of
    its periods is a month or a quarter: monthly and quarterly points cannot share a
    run chart, nor sit among years. Annual kinds may still mix (a calendar-year
    population beside financial-year counts), as before.

    Parameters
    ----------
    periods : pandas.Series
        Normalised periods (unreadable ones empty or missing: they are skipped).
    series : pandas.Series
        The series each row belongs to, on the same index (e.g. area and measure
        joined into one label).

    Returns
    -------
    dict
        Row index to a message naming the period, its kind and the series' kind.
    """
    kinds = periods.map({p: period_kind(p) for p in pd.unique(periods)})
    usable = kinds.notna()
    problems: dict[object, str] = {}
    for label, index in series[usable].groupby(series[usable], sort=False).groups.items():
        found = kinds.loc[index]
        if found.nunique() < 2 or not found.isin(SUB_ANNUAL).any():
            continue
        usual = found.value_counts().index[0]
        for i in found.index[found.ne(usual)]:
            problems[i] = (
                f"{periods.loc[i]!r} is a {found.loc[i]}, but the other periods of {label} "
                f"are {usual}s: one series uses one kind of period"
            )
    return problems
