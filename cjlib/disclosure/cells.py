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

    Returns
    -------
    pandas.DataFrame
        ``area_code``, ``period``, ``measure_id`` of every hidden cell (councils,
        family groups and, when it comes to that, Scotland).
    """
    wanted = _count_measures(framework) - published_measures(measures, framework)
    table = _cell_table(measures, wanted, family_of)
    table["suppressed"] = _small_complements(table, framework, threshold).to_numpy()
    checked = suppress_results(table, threshold, family_of=dict(family_of))
    hidden = checked.loc[checked["suppressed"], ["area_code", "period", "measure_id"]]
    return hidden.reset_index(drop=True)


def rows_to_hide(results: pd.DataFrame, framework: Framework, hidden: pd.DataFrame) -> np.ndarray:
    """True for each results row whose numerator, or counted denominator, cell is hidden."""
    spec = {
        i.id: (i.numerator, i.denominator if i.type == "proportion" else None)
        for i in framework.indicators
    }
    keys = set(zip(hidden["area_code"], hidden["period"], hidden["measure_id"], strict=True))
    out = np.zeros(len(results), dtype=bool)
    rows = zip(results["area_code"], results["period"], results["indicator_id"], strict=True)
    for i, (area, period, indicator) in enumerate(rows):
        numerator, denominator = spec[indicator]
        out[i] = (area, period, numerator) in keys or (
            denominator is not None and (area, period, denominator) in keys
        )
    return out
