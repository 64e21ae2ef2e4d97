"""Suppress small counts, and any cell that would reveal one, in a table of results.

Rules (GSS guidance on statistical disclosure control, as applied to the packs):

- **Primary suppression**: a count from 1 to ``threshold - 1`` (1 to 4 by default) is
  suppressed; zero is not. For proportions the denominator is itself a count of people,
  so a small denominator is suppressed too, and so is a small complement
  (``denominator - numerator``, the people *without* the outcome). Population
  denominators of rates are not sensitive.
- **Blanking**: a suppressed row loses its numerator, value and confidence limits, its
  denominator when that counts people (proportions), and the comparison columns that
  could reveal them. Its ``suppressed`` flag is True and its ``marker`` is ``[c]``.
- **Secondary suppression**: within each indicator and period, councils add up to
  Scotland and to their family group, and family groups add up to Scotland. Each sum is
  an equation ``total = sum of members``; with exactly one hidden cell, that cell can be
  worked out, so one more is hidden: the smallest shown member above zero (a zero is a
  weak cover, often guessable), else the total. A group whose hidden members add up to
  a small count is covered the same way. Hiding a cell can expose another group, so the
  rules repeat until nothing changes.

- **Cells not returned** (``[x]``, no count): Scotland's published total still includes
  them while family pools leave them out, so Scotland minus the family totals would give
  one away. They count as hidden in the Scotland equations and are covered like a
  suppressed cell; they keep their ``[x]`` marker.
- **Published official statistics** (``exempt``): figures their publisher already
  releases at this level are shown as published and never suppressed.

Assumptions: a total absent from the table, or missing (NaN) for another reason, is
treated as known (Scotland totals are published elsewhere); a member missing for another
reason is never used as cover. This protects against differencing within one table, not
against every combination of tables (for example overlapping periods).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: GSS shorthand for a value withheld to protect confidentiality.
SUPPRESSED_MARKER = "[c]"
#: GSS code of the Scotland rows.
SCOTLAND_CODE = "S92000003"
#: Comparison columns blanked on a suppressed row, matched by the start of their name.
BLANK_PREFIXES = ("compare_", "change_", "rank", "baseline_", "trend", "significance", "sig_")
#: Columns every suppressed row loses.
ALWAYS_BLANK = ("numerator", "value", "lower_ci", "upper_ci")
REQUIRED_COLUMNS = (
    "area_code", "geography", "period", "indicator_id", "indicator_type",
    "numerator", "denominator", "value", "lower_ci", "upper_ci",
)  # fmt: skip
INDICATOR_TYPES = ("count", "rate", "proportion")
GEOGRAPHIES = ("council", "scotland", "family_group")

Group = tuple[int | None, np.ndarray]


def _check_threshold(threshold: object) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of 1 or more (found {threshold!r})")
    return int(threshold)


def _small(counts: np.ndarray, threshold: int) -> np.ndarray:
    """Flag counts from 1 to ``threshold - 1`` (NaN is not flagged)."""
    return (counts >= 1) & (counts < threshold)


def _check_results(results: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in results.columns]
    if missing:
        raise ValueError(f"results is missing the columns {missing}")
    for column, allowed in (("indicator_type", INDICATOR_TYPES), ("geography", GEOGRAPHIES)):
        unknown = sorted(map(str, set(results[column]) - set(allowed)))
        if unknown:
            raise ValueError(f"{column} must be one of {allowed} (found {unknown})")
    for column in ("numerator", "denominator"):
        if (pd.to_numeric(results[column]) < 0).any():
            raise ValueError(f"{column} must be zero or more in every row")
    keys = ["area_code", "geography", "indicator_id", "period"]
    repeated = results.duplicated(keys)
    if repeated.any():
        first = results.loc[repeated, keys].iloc[0].to_dict()
        raise ValueError(
            f"results has more than one row for an area, indicator and period: {first}"
        )


def _protected_counts(results: pd.DataFrame) -> list[np.ndarray]:
    """Return the counts to protect: numerators, and the people counts of proportions."""
    numerator = results["numerator"].to_numpy(dtype=float, na_value=np.nan)
    denominator = results["denominator"].to_numpy(dtype=float, na_value=np.nan)
    people = (results["indicator_type"] == "proportion").to_numpy()
    complement = denominator - numerator
    return [numerator, np.where(people, denominator, np.nan), np.where(people, complement, np.nan)]


def primary_suppression(results: pd.DataFrame, threshold: int = 5) -> pd.Series:
    """Flag the rows of a results table that hold a small count themselves.

    Arguments as for :func:`suppress_results`. Returns a boolean Series on the index of
    ``results``; secondary suppression is not applied.
    """
    _check_results(results)
    limit = _check_threshold(threshold)
    hidden = np.zeros(len(results), dtype=bool)
    for counts in _protected_counts(results):
        hidden |= _small(counts, limit)
    return pd.Series(hidden, index=results.index, name="suppressed")


def _groups(
    results: pd.DataFrame,
    family_of: Mapping[str, str],
    scotland_code: str,
    unknown: np.ndarray | None = None,
) -> list[Group]:
    """List each additive equation as (position of its total or None, member positions).

    A council cell that was not returned (``unknown``) is still inside Scotland's
    published total but outside its family group's pooled total, so it is a member of
    the Scotland equations only, where it counts as hidden.
    """
    codes = results["area_code"].to_numpy(dtype=object)
    geography = results["geography"].to_numpy(dtype=object)
    unknown = np.zeros(len(results), dtype=bool) if unknown is None else unknown
    groups: list[Group] = []
    for rows in results.groupby(["indicator_id", "period"], sort=False).indices.values():
        row_of = {(geography[p], codes[p]): int(p) for p in rows}
        scotland = row_of.get(("scotland", scotland_code))
        councils = rows[geography[rows] == "council"]
        family = np.array([family_of.get(code) for code in codes[councils]], dtype=object)
        for code in dict.fromkeys(f for f in family if f is not None):
            members = councils[(family == code) & ~unknown[councils]]
            groups.append((row_of.get(("family_group", code)), members))
        if councils.size:  # after the family groups, so their covers also protect Scotland
            groups.append((scotland, councils))
        families = rows[geography[rows] == "family_group"]
        if families.size:  # Scotland = family groups + councils outside them
            outside = np.array([f is None for f in family], dtype=bool) | unknown[councils]
            groups.append((scotland, np.concatenate([families, councils[outside]])))
    return groups


def unreturned_cells(results: pd.DataFrame) -> np.ndarray:
    """True for council cells with no count because it was not returned or not available.

    Such a cell (GSS ``[x]``) is as protected as a suppressed one: Scotland's published
    total still includes it, so it counts as hidden wherever that total would reveal it.
    """
    numerator = results["numerator"].to_numpy(dtype=float, na_value=np.nan)
    marker = results["marker"].fillna("").astype(str) if "marker" in results else ""
    not_returned = pd.Series(marker, index=results.index).isin(["[x]", ""]).to_numpy()
    return (results["geography"] == "council").to_numpy() & np.isnan(numerator) & not_returned


def _needs_cover(group: Group, hidden: np.ndarray, counts: list[np.ndarray], limit: int) -> bool:
    total, members = group
    total_hidden = total is not None and bool(hidden[total])
    hidden_members = members[hidden[members]]
    if int(total_hidden) + hidden_members.size == 1:
        return True
    if total_hidden or hidden_members.size == 0:
        return False
    for c in counts:  # hidden members whose known sum is small (zero included) give it away
        values = c[hidden_members]
        if not np.isnan(values).any() and values.sum() < limit:
            return True
    return False


def _cover(group: Group, hidden: np.ndarray, numerator: np.ndarray, codes: np.ndarray):
    """Choose the next cell to hide: the smallest shown member above zero, else the total."""
    total, members = group
    shown = [int(p) for p in members if not hidden[p] and numerator[p] > 0]  # never a zero
    if shown:
        return min(shown, key=lambda p: (numerator[p], str(codes[p])))
    return total if total is not None and not hidden[total] else None


def _secondary(results, hidden, family_of, scotland_code, limit) -> np.ndarray:
    unknown = unreturned_cells(results) & ~hidden
    hidden = hidden | unknown
    groups = _groups(results, family_of, scotland_code, unknown)
    counts = _protected_counts(results)
    codes = results["area_code"].to_numpy(dtype=object)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if _needs_cover(group, hidden, counts, limit):
                cell = _cover(group, hidden, counts[0], codes)
                if cell is not None:
                    hidden[cell] = True
                    changed = True
    return hidden & ~unknown


def _family_mapping(results: pd.DataFrame, family_of) -> dict[str, str]:
    if family_of is None:
        if (results["geography"] == "family_group").any():
            raise ValueError(
                "results has family_group rows, so family_of (council area code -> family "
                "group code) is needed to protect them"
            )
        return {}
    return {str(k): str(v) for k, v in dict(family_of).items() if pd.notna(v)}


def suppress_results(
    results: pd.DataFrame,
    threshold: int = 5,
    family_of: Mapping[str, str] | pd.Series | None = None,
    *,
    blank_columns: Iterable[str] | None = None,
    scotland_code: str = SCOTLAND_CODE,
    exempt: np.ndarray | pd.Series | None = None,
    hidden_denominators: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Apply primary and secondary suppression to an indicator results table.

    Parameters
    ----------
    results : pandas.DataFrame
        One row per area, period and indicator, with at least the columns ``area_code``,
        ``geography`` ("council", "scotland" or "family_group"), ``period``,
        ``indicator_id``, ``indicator_type`` ("count", "rate" or "proportion"),
        ``numerator``, ``denominator``, ``value``, ``lower_ci`` and ``upper_ci``. Rows
        already flagged in a ``suppressed`` column stay suppressed; an existing
        ``marker`` (such as "[x]") is kept on rows that are shown.
    threshold : int, default 5
        Counts from 1 to ``threshold - 1`` are suppressed; 0 is not.
    family_of : mapping or pandas.Series, optional
        Council area code -> family group code; family group rows have ``area_code``
        equal to the family group code. Required when there are family group rows.
    blank_columns : iterable of str, optional
        Comparison columns to blank on suppressed rows, besides those in
        :data:`ALWAYS_BLANK`. By default every column whose name starts with one of
        :data:`BLANK_PREFIXES` ("compare_", "change_", "rank", "baseline_", "trend",
        "significance", "sig_").
    scotland_code : str, default "S92000003"
        Area code of the Scotland rows.
    exempt : array of bool, optional
        Rows that are official statistics already published by their publisher at this
        level (for example NRS drug deaths by council): shown exactly as published and
        never suppressed, so one figure is never "[c]" in one place and shown in another.
    hidden_denominators : array of bool, optional
        Rows whose denominator (a count of people) is itself a hidden cell. When given, a
        suppressed share keeps a denominator that is neither hidden nor small, so a
        figure shown elsewhere is not blanked here (where a total would give it back).
        By default every suppressed share loses its denominator.

    Returns
    -------
    pandas.DataFrame
        A new table (``results`` is not changed) with ``suppressed`` (bool) and
        ``marker`` ("[c]" on suppressed rows).

    Raises
    ------
    ValueError
        For a missing column, an unknown indicator type or geography, a negative count,
        a repeated row, a bad ``threshold``, an unknown name in ``blank_columns``, or
        family group rows without ``family_of``.
    """
    _check_results(results)
    limit = _check_threshold(threshold)
    family = _family_mapping(results, family_of)
    if blank_columns is None:
        extra = [c for c in results.columns if str(c).startswith(BLANK_PREFIXES)]
    else:
        extra = list(blank_columns)
        absent = [c for c in extra if c not in results.columns]
        if absent:
            raise ValueError(f"blank_columns names columns that results does not have: {absent}")

    out = results.copy()
    hidden = primary_suppression(out, limit).to_numpy()
    if "suppressed" in out.columns:
        hidden = hidden | out["suppressed"].fillna(False).astype(bool).to_numpy()
    free = np.zeros(len(out), dtype=bool) if exempt is None else np.asarray(exempt, dtype=bool)
    hidden = _secondary(out, hidden & ~free, family, scotland_code, limit) & ~free

    for column in dict.fromkeys([*ALWAYS_BLANK, *extra]):
        out[column] = out[column].mask(hidden)
    people = (out["indicator_type"] == "proportion").to_numpy()
    if hidden_denominators is None:
        blank_den = hidden & people
    else:
        small_den = _small(out["denominator"].to_numpy(dtype=float, na_value=np.nan), limit)
        blank_den = hidden & people & (np.asarray(hidden_denominators, dtype=bool) | small_den)
    out["denominator"] = out["denominator"].mask(blank_den)
    marker = out["marker"].fillna("").astype(str) if "marker" in out.columns else ""
    marker = pd.Series(marker, index=out.index, dtype=object)
    out["marker"] = marker.mask(hidden, SUPPRESSED_MARKER)
    out["suppressed"] = hidden
    return out


def find_disclosure_risks(
    published: pd.DataFrame,
    threshold: int = 5,
    family_of: Mapping[str, str] | pd.Series | None = None,
    *,
    scotland_code: str = SCOTLAND_CODE,
) -> pd.DataFrame:
    """List the groups of a suppressed table where a hidden count could be worked out.

    A last check before publishing, on the output of :func:`suppress_results` (the
    arguments are the same). It is empty when every ``total = sum of members`` equation
    has no hidden cell or at least two, and no group's hidden members add up to a small
    count. Otherwise there is one row per risky group, with ``indicator_id``, ``period``,
    ``total_code`` (None when the total row is absent) and ``hidden_codes``.
    """
    _check_results(published)
    if "suppressed" not in published.columns:
        raise ValueError("published has no suppressed column; run suppress_results first")
    limit = _check_threshold(threshold)
    hidden = published["suppressed"].fillna(False).astype(bool).to_numpy()
    unknown = unreturned_cells(published) & ~hidden
    hidden = hidden | unknown
    counts = _protected_counts(published)
    codes = published["area_code"].to_numpy(dtype=object)
    rows = []
    family = _family_mapping(published, family_of)
    for group in _groups(published, family, scotland_code, unknown):
        if _needs_cover(group, hidden, counts, limit):
            total, members = group
            first = published.iloc[int(members[0])]
            rows.append(
                {
                    "indicator_id": first["indicator_id"],
                    "period": first["period"],
                    "total_code": None if total is None else codes[total],
                    "hidden_codes": sorted(str(c) for c in codes[members[hidden[members]]]),
                }
            )
    return pd.DataFrame(rows, columns=["indicator_id", "period", "total_code", "hidden_codes"])


def small_count_mask(
    frame: pd.DataFrame, columns: Sequence[str], threshold: int = 5
) -> pd.DataFrame:
    """Flag the small counts (1 to ``threshold - 1``) in ``columns`` of a simple table.

    Arguments as for :func:`suppress_counts`. Returns a boolean DataFrame with the index
    of ``frame`` and one column per name in ``columns``.
    """
    limit = _check_threshold(threshold)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise ValueError(f"frame does not have the columns {absent}")
    counts = frame[list(columns)].apply(pd.to_numeric).astype(float)
    if (counts < 0).any().any():
        raise ValueError(f"counts must be zero or more in the columns {list(columns)}")
    return (counts >= 1) & (counts < limit)


def suppress_counts(
    frame: pd.DataFrame, columns: Sequence[str], threshold: int = 5
) -> pd.DataFrame:
    """Copy a simple count table, replacing each small count with ``"[c]"``.

    Meant for tables without totals, such as one area's trend over periods: no secondary
    suppression is done, so use :func:`suppress_results` for tables that add up to a
    published total. Other cells keep their numbers, so the count columns become object
    columns, ready to write to CSV or to format for display.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; it is not changed.
    columns : sequence of str
        The count columns to protect.
    threshold : int, default 5
        Counts from 1 to ``threshold - 1`` are replaced; 0 is not.

    Returns
    -------
    pandas.DataFrame
        The publishable copy. :func:`small_count_mask` gives the mask itself.

    Raises
    ------
    ValueError
        If a column is missing, not numeric or has a negative count, or ``threshold``
        is not a whole number of 1 or more.
    """
    mask = small_count_mask(frame, columns, threshold)
    out = frame.copy()
    for column in columns:
        out[column] = out[column].astype(object).mask(mask[column], SUPPRESSED_MARKER)
    return out
