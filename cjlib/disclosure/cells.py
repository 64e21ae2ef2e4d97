"""Suppression decided once per measure cell, so every indicator that uses a cell agrees.

Several indicators share a measure: diversion completions are a count (NI01c) and
the numerator of a share (NI01_conv_completed). Suppressing each indicator on its
own can hide a council's count in one table and show it in another, and the shown
copy then unlocks a hidden neighbour through the Scotland total. So the decision
is taken on the measures first: every count measure is treated as a table of
councils that add up to Scotland and to their family groups, primary and secondary
suppression are applied to it with :func:`cjlib.disclosure.suppress_results`, and a
small complement (``denominator - numerator`` of a share) hides the numerator's
cell there too. An indicator row is then suppressed wherever its numerator cell,
or its denominator cell when that counts people, is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.disclosure.suppress import suppress_results
from cjlib.framework import Framework


def _count_measures(framework: Framework) -> set[str]:
    kinds = {m.id: m.kind for m in framework.measures}
    used = {i.numerator for i in framework.indicators} | {
        i.denominator for i in framework.indicators if i.type == "proportion"
    }
    return {m for m in used if kinds.get(m) == "count"}


def published_measures(measures: pd.DataFrame, framework: Framework) -> set[str]:
    """Measures that are official statistics as published: never suppressed by cjlib.

    A measure qualifies when the framework lists it in ``published_statistics`` and
    every row of it in the data comes from a real source (none is synthetic).
    """
    from cjlib.measures import SYNTHETIC_SOURCE

    listed = measures[measures["measure_id"].isin(framework.published_statistics)]
    synthetic = set(listed.loc[listed["source"] == SYNTHETIC_SOURCE, "measure_id"])
    return set(listed["measure_id"]) - synthetic


def exempt_rows(results: pd.DataFrame, framework: Framework, published: set[str]) -> np.ndarray:
    """True for results rows computed only from published official statistics."""
    spec = {
        i.id: {i.numerator} | ({i.denominator} if i.type == "proportion" else set())
        for i in framework.indicators
    }
    free = {ind for ind, used in spec.items() if used <= published}
    return results["indicator_id"].isin(free).to_numpy()


def _cell_table(
    measures: pd.DataFrame, wanted: set[str], family_of: Mapping[str, str]
) -> pd.DataFrame:
    """Council, Scotland and family-group cells of the count measures, as a results table."""
    rows = measures[measures["measure_id"].isin(wanted)]
    rows = rows[rows["area_code"].isin([*family_of, SCOTLAND_CODE])]
    rows = rows.drop_duplicates(["area_code", "period", "measure_id"], keep="last")
    councils = rows[rows["area_code"] != SCOTLAND_CODE]
    family = (
        councils.assign(area_code=councils["area_code"].map(family_of))
        .groupby(["area_code", "period", "measure_id"], as_index=False)["value"]
        .sum(min_count=1)
    )
    table = pd.concat(
        [rows[["area_code", "period", "measure_id", "value"]], family], ignore_index=True
    )
    table["geography"] = np.select(
        [table["area_code"] == SCOTLAND_CODE, table["area_code"].str.startswith("LGBF-")],
        ["scotland", "family_group"],
        "council",
    )
    return table.assign(
        indicator_id=table["measure_id"],
        indicator_type="count",
        numerator=table["value"],
        denominator=np.nan,
        lower_ci=np.nan,
        upper_ci=np.nan,
        marker="",
    )


def _small_complements(table: pd.DataFrame, framework: Framework, threshold: int) -> pd.Series:
    """True where a cell is the numerator of a share whose complement is a small count."""
    keys = ["area_code", "period"]
    wide = table.pivot_table(index=keys, columns="measure_id", values="value", aggfunc="first")
    hide = pd.DataFrame(False, index=wide.index, columns=wide.columns)
    for numerator, denominator in framework.proportion_pairs():
        if numerator in wide and denominator in wide:
            gap = wide[denominator] - wide[numerator]
            hide[numerator] |= (gap >= 1) & (gap < threshold)
    flags = hide.stack().rename("hide").reset_index()
    merged = table.merge(flags, on=[*keys, "measure_id"], how="left")
    return merged["hide"].fillna(False).astype(bool)


def hidden_cells(
    measures: pd.DataFrame,
    framework: Framework,
    family_of: Mapping[str, str],
    threshold: int = 5,
    withdrawn: set[tuple[str, str]] | None = None,
    covers: set[tuple[str, str, str]] | None = None,
) -> pd.DataFrame:
    """Decide which measure cells are suppressed.

    Parameters
    ----------
    measures : pandas.DataFrame
        The tidy measures table.
    framework : Framework
        Says which measures are counts of people and which pairs make shares.
    family_of : mapping
        Council code to family group code (the batch's comparator grouping).
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed.
    withdrawn : set of (area code, measure id), optional
        Measures a partnership has withdrawn (an indicator it does not use): hidden in
        every period, and covered like a suppressed cell, so that no published total
        gives them back.
    covers : set of (area code, period, measure id), optional
        Further cells to hide, chosen by :func:`cjlib.disclosure.fixpoint.covers_for`
        after the disclosure audit found a cell it could work out.

    Returns
    -------
    pandas.DataFrame
        ``area_code``, ``period``, ``measure_id`` of every hidden cell (councils,
        family groups and, when it comes to that, Scotland).
    """
    wanted = _count_measures(framework) - published_measures(measures, framework)
    table = _cell_table(measures, wanted, family_of)
    flags = _small_complements(table, framework, threshold).to_numpy(copy=True)
    if withdrawn:
        pairs = pd.Series(list(zip(table["area_code"], table["measure_id"], strict=True)))
        flags |= pairs.isin(withdrawn).to_numpy() & table["value"].notna().to_numpy()
    if covers:
        cells = zip(table["area_code"], table["period"], table["measure_id"], strict=True)
        triples = pd.Series(list(cells), dtype=object)
        flags |= triples.isin(covers).to_numpy() & table["value"].gt(0).to_numpy()  # 0 is shown
    while True:  # totals and nested counts can each expose a cell the other hid
        checked = suppress_results(
            table.assign(suppressed=flags), threshold, family_of=dict(family_of)
        )
        hidden = checked["suppressed"].to_numpy()
        more = _nested_covers(table, hidden, framework, threshold)
        if not (more & ~hidden).any():
            break
        flags = hidden | more
    cells = table.loc[hidden, ["area_code", "period", "measure_id"]]
    return cells.reset_index(drop=True)


def _nested_covers(
    table: pd.DataFrame, hidden: np.ndarray, framework: Framework, threshold: int
) -> np.ndarray:
    """Hide the cells that pin a hidden count between nested shown counts.

    Shares pair counts that nest (completed <= commenced <= assessed). A hidden
    commenced count between a shown completed count of 5 and a shown assessed count of 7
    can only be 5, 6 or 7: fewer values than the primary band hides. Where the shown
    bounds leave fewer than ``threshold`` possible values, the lower bound's cell is
    hidden too (and totals are then checked again by the caller).
    """
    keys = ["area_code", "period"]
    frame = table[[*keys, "measure_id", "value"]].assign(hidden=hidden)
    value = frame.pivot_table(index=keys, columns="measure_id", values="value", aggfunc="first")
    shut = frame.pivot_table(index=keys, columns="measure_id", values="hidden", aggfunc="first")
    shut = shut.reindex_like(value).fillna(False).astype(bool)
    shown = value.where(~shut)
    lower = pd.DataFrame(np.nan, index=value.index, columns=value.columns)
    upper = pd.DataFrame(np.nan, index=value.index, columns=value.columns)
    below_of: dict[str, list[str]] = {}
    for small, big in framework.proportion_pairs():
        if small in value and big in value:
            lower[big] = np.fmax(lower[big], shown[small])
            upper[small] = np.fmin(upper[small], shown[big])
            below_of.setdefault(big, []).append(small)
    pinned = shut & (upper - lower + 1 < threshold)
    cover = pd.DataFrame(False, index=value.index, columns=value.columns)
    for big, smalls in below_of.items():
        for small in smalls:  # hide the shown sub-count that sets the lower bound
            sets_bound = pinned[big] & shown[small].eq(lower[big])
            cover[small] |= sets_bound.fillna(False)
    flags = cover.stack().rename("cover").reset_index()
    merged = frame[[*keys, "measure_id"]].merge(flags, on=[*keys, "measure_id"], how="left")
    return merged["cover"].fillna(False).astype(bool).to_numpy()


def _hidden_parts(
    results: pd.DataFrame, framework: Framework, hidden: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    spec = {
        i.id: (i.numerator, i.denominator if i.type == "proportion" else None)
        for i in framework.indicators
    }
    keys = set(zip(hidden["area_code"], hidden["period"], hidden["measure_id"], strict=True))
    num = np.zeros(len(results), dtype=bool)
    den = np.zeros(len(results), dtype=bool)
    rows = zip(results["area_code"], results["period"], results["indicator_id"], strict=True)
    for i, (area, period, indicator) in enumerate(rows):
        numerator, denominator = spec[indicator]
        num[i] = (area, period, numerator) in keys
        den[i] = denominator is not None and (area, period, denominator) in keys
    return num, den


def rows_to_hide(results: pd.DataFrame, framework: Framework, hidden: pd.DataFrame) -> np.ndarray:
    """True for each results row whose numerator, or counted denominator, cell is hidden."""
    num, den = _hidden_parts(results, framework, hidden)
    return num | den


def denominators_to_hide(
    results: pd.DataFrame, framework: Framework, hidden: pd.DataFrame
) -> np.ndarray:
    """True for each results row whose counted denominator cell is itself hidden."""
    return _hidden_parts(results, framework, hidden)[1]
