"""Numbers for people: thousands separators, sensible decimals, markers for the missing."""

from __future__ import annotations

import math

import pandas as pd


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_number(value: object, decimals: int = 0, marker: str = "") -> str:
    """Format a number with thousands separators; a missing value shows its marker.

    Parameters
    ----------
    value : object
        A number, or None/NaN.
    decimals : int
        Decimal places.
    marker : str
        The GSS marker to show when the value is missing (``[x]`` when empty).

    Examples
    --------
    >>> format_number(14712.0)
    '14,712'
    >>> format_number(float("nan"), marker="[c]")
    '[c]'
    """
    if _missing(value):
        return marker or "[x]"
    number = float(value)
    if decimals == 0:
        number = round(number)
    text = f"{number:,.{decimals}f}"
    return "0" if text in ("-0", "-0.0") and decimals == 0 else text


def decimals_for(unit: str, indicator_type: str) -> int:
    """Return the decimals to show for an indicator's value."""
    if indicator_type == "count":
        return 0
    if "per offender" in unit:
        return 2
    return 1


def format_value(value: object, indicator_type: str, unit: str, marker: str = "") -> str:
    """Format an indicator's value for its type: counts whole, rates and shares to 1 dp."""
    text = format_number(value, decimals_for(unit, indicator_type), marker)
    if not _missing(value) and unit.startswith("%"):
        return f"{text}%"
    return text


def format_interval(lower: object, upper: object, indicator_type: str, unit: str) -> str:
    """Format a confidence interval as "12.3 to 15.6", or "" when missing."""
    if _missing(lower) or _missing(upper):
        return ""
    d = decimals_for(unit, indicator_type)
    return f"{format_number(lower, d)} to {format_number(upper, d)}"


def unit_phrase(unit: str) -> str:
    """Return the unit as it reads after a number ("per 10,000 people aged 16+")."""
    return "" if unit.startswith("%") else unit


def in_sentence(title: str) -> str:
    """Return a title as it reads inside a sentence: first letter lower-cased unless an acronym.

    Examples
    --------
    >>> in_sentence("Share of people registered with a GP")
    'share of people registered with a GP'
    >>> in_sentence("GP registrations")
    'GP registrations'
    """
    if not title or (len(title) > 1 and title[1].isupper()):
        return title
    return title[0].lower() + title[1:]


def summarise(items: list[str], noun: str, shown: int = 3) -> str:
    """Summarise a long list for a one-line message: "42 sheets: A, B, C, … Z".

    Examples
    --------
    >>> summarise(["Cover", "Notes", "Table_1", "Table_2", "Contents"], "sheets")
    '5 sheets: Cover, Notes, Table_1, … Contents'
    """
    items = [str(i) for i in items]
    noun = noun[:-1] if len(items) == 1 and noun.endswith("s") else noun
    if len(items) <= shown + 1:
        return f"{len(items)} {noun}: {', '.join(items)}"
    return f"{len(items)} {noun}: {', '.join(items[:shown])}, … {items[-1]}"


def possessive(name: str) -> str:
    """Return the possessive of a name: "Glasgow City's", "Orkney Islands'".

    Examples
    --------
    >>> possessive("Orkney Islands")
    "Orkney Islands'"
    >>> possessive("Fife")
    "Fife's"
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"
