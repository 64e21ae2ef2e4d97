"""Indicator results for every area, Scotland and family group, all periods, in one pass."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE, council_areas, family_membership
from cjlib.framework import Framework
from cjlib.periods import by_period, sort_periods
from cjlib.stats import rate_ci, wilson_ci

#: Columns of the indicator results table before comparisons are added.
RESULT_COLUMNS = [
    "area_code",
    "geography",
    "period",
    "indicator_id",
    "outcome",
    "indicator_type",
    "polarity",
    "multiplier",
    "unit",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "confidence",
    "marker",
]


def _indicator_spec(framework: Framework) -> pd.DataFrame:
    rows = [
        {
            "indicator_id": i.id,
            "outcome": i.outcome or "",
            "indicator_type": i.type,
            "polarity": i.polarity,
            "multiplier": float(i.multiplier),
            "unit": i.unit,
            "num_measure": i.numerator,
            "den_measure": i.denominator or "",
            "indicator_geography": i.geography,
        }
        for i in framework.indicators
    ]
    return pd.DataFrame(rows)


def _wide(measures: pd.DataFrame, population_ids: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pivot measures to (area_code, period) × measure_id for values and markers.

    Population measures are carried to periods they do not cover from the
    nearest period that has them (earlier first), so that a snapshot such as the
    SIMD 2020v2 population can serve as the denominator of every year's rate.
    """
    keys = ["area_code", "period", "measure_id"]
    dedup = measures.drop_duplicates(keys, keep="last")
    values = dedup.pivot(index=["area_code", "period"], columns="measure_id", values="value")
    markers = dedup.pivot(index=["area_code", "period"], columns="measure_id", values="marker")
    areas = values.index.get_level_values("area_code").unique()
    periods = sort_periods(values.index.get_level_values("period").unique())
    full = pd.MultiIndex.from_product([areas, periods], names=["area_code", "period"])
    values = values.reindex(full)
    markers = markers.reindex(full)
    pops = [c for c in values.columns if c in population_ids]
    if pops:
        filled = values[pops].groupby(level="area_code").transform(lambda s: s.ffill().bfill())
        markers[pops] = markers[pops].where(values[pops].notna(), "")
        values[pops] = filled
    return values, markers


def _marks(markers: pd.DataFrame, columns: pd.Series, missing: str) -> np.ndarray:
    """Markers of the given measure columns as an object array, ``missing`` where absent."""
    picked = markers.reindex(columns=columns).astype(object)
    return picked.where(picked.notna(), missing).to_numpy(dtype=object)


def _pooled_rows(council_long: pd.DataFrame, members: dict[str, str]) -> pd.DataFrame:
    """Pool council rows into family-group rows, indicator by indicator.

    A family group's numerator and denominator are sums over the members that
    report both (for counts, the numerator), so a member missing one of them
    never inflates the other. The marker is ``[u]`` when some members did not
    report and ``[x]`` when none did.
    """
    rows = council_long[council_long["area_code"].isin(members)].copy()
    rows["family"] = rows["area_code"].map(members)
    counts = rows["indicator_type"].eq("count")
    valid = rows["numerator"].notna() & (counts | rows["denominator"].notna())
    rows["numerator"] = rows["numerator"].where(valid)
    rows["denominator"] = rows["denominator"].where(valid & ~counts)
    rows["reported"] = valid.astype(int)
    keys = ["family", "period", "indicator_id"]
    grouped = rows.groupby(keys, sort=False)
    pooled = grouped[["numerator", "denominator"]].sum(min_count=1)
    pooled["reported"] = grouped["reported"].sum()
    pooled = pooled.reset_index().rename(columns={"family": "area_code"})
    size = pd.Series(members).value_counts()
    expected = pooled["area_code"].map(size)
    pooled["num_mark"] = np.where(
        pooled["reported"] == 0, "[x]", np.where(pooled["reported"] < expected, "[u]", "")
    )
    pooled["den_mark"] = ""
    return pooled.drop(columns="reported")


def compute_indicators(
    measures: pd.DataFrame,
    framework: Framework,
    *,
    confidence: float = 0.95,
    groupings: tuple[str, ...] = ("deprivation", "urban_rural"),
) -> pd.DataFrame:
    """Compute the indicator results table from the tidy measures table.

    Every indicator is computed for every council area, Scotland and every family
    group, for every period, in one vectorised pass. Scotland's values are the
    published Scotland rows of the data, never the sum of council rows. Family
    groups are pooled: the sum of their members' numerators over the sum of their
    denominators.

    Parameters
    ----------
    measures : pandas.DataFrame
        The tidy measures table (see :mod:`cjlib.measures`).
    framework : Framework
        The indicators to compute.
    confidence : float, default 0.95
        Confidence level of the intervals.
    groupings : tuple of str
        Family groupings to pool (``"deprivation"``, ``"urban_rural"``).

    Returns
    -------
    pandas.DataFrame
        One row per area, period and indicator with :data:`RESULT_COLUMNS`.
        Counts use the exact Poisson interval below 10 and Byar's at 10 or more,
        rates the same on the count scaled by the denominator, proportions the
        Wilson score interval. ``marker`` is ``""`` for a computed value, or the
        marker that explains a missing one (``[x]`` not available, ``[z]`` not
        applicable, ``[c]`` confidential in the source).
    """
    population_ids = {m.id for m in framework.measures if m.kind == "population"}
    values, markers = _wide(measures, population_ids)
    councils = set(council_areas()["area_code"])
    keep_rows = values.index.get_level_values("area_code").isin(councils | {SCOTLAND_CODE})
    all_v, all_m = values.loc[keep_rows], markers.loc[keep_rows]

    spec = _indicator_spec(framework)
    n_rows, n_ind = len(all_v), len(spec)
    num = all_v.reindex(columns=spec["num_measure"]).to_numpy(dtype=float)
    num_mark = _marks(all_m, spec["num_measure"], "[x]")
    has_den = (spec["den_measure"] != "").to_numpy()
    den_cols = spec["den_measure"].where(has_den, spec["num_measure"])
    den = all_v.reindex(columns=den_cols).to_numpy(dtype=float, copy=True)
    den[:, ~has_den] = np.nan
    den_mark = _marks(all_m, den_cols, "[x]")
    den_mark[:, ~has_den] = ""

    long = pd.DataFrame(
        {
            "area_code": np.repeat(all_v.index.get_level_values("area_code"), n_ind),
            "period": np.repeat(all_v.index.get_level_values("period"), n_ind),
            "numerator": num.ravel(),
            "denominator": den.ravel(),
            "num_mark": num_mark.ravel(),
            "den_mark": den_mark.ravel(),
        }
    )
    for column in ("indicator_id", "indicator_type"):
        long[column] = np.tile(spec[column].to_numpy(), n_rows)
    council_rows = long[long["area_code"] != SCOTLAND_CODE]
    families = [_pooled_rows(council_rows, family_membership(g)) for g in groupings]
    long = pd.concat([long, *families], ignore_index=True)
    attributes = spec.set_index("indicator_id")
    for column in ("outcome", "indicator_type", "polarity", "multiplier", "unit"):
        long[column] = long["indicator_id"].map(attributes[column])
    scope = long["indicator_id"].map(attributes["indicator_geography"]).to_numpy()
    long["geography"] = np.select(
        [long["area_code"] == SCOTLAND_CODE, long["area_code"].str.startswith("LGBF-")],
        ["scotland", "family_group"],
        "council",
    )
    # a Scotland-only indicator has no value below Scotland
    local_only = (scope == "scotland") & (long["geography"].to_numpy() != "scotland")
    long.loc[local_only, ["numerator", "denominator"]] = np.nan
    long.loc[local_only, ["num_mark", "den_mark"]] = "[z]"
    _fill_values(long, confidence)
    long["confidence"] = confidence
    long = long[RESULT_COLUMNS]
    # drop indicator-periods for which no area has any data at all
    has_data = long["numerator"].notna() | ~long["marker"].isin(["[x]", "[z]"])
    keep = has_data.groupby([long["indicator_id"], long["period"]]).transform("any")
    long = long[keep.to_numpy()]
    return long.sort_values(
        ["indicator_id", "area_code", "period"],
        key=lambda c: by_period(c) if c.name == "period" else c,
        ignore_index=True,
    )


def _fill_values(long: pd.DataFrame, confidence: float) -> None:
    """Compute value, lower_ci, upper_ci and marker in place, by indicator type."""
    num = long["numerator"].to_numpy(dtype=float)
    den = long["denominator"].to_numpy(dtype=float)
    mult = long["multiplier"].to_numpy(dtype=float)
    kind = long["indicator_type"].to_numpy()
    value = np.full(len(long), np.nan)
    lower = np.full(len(long), np.nan)
    upper = np.full(len(long), np.nan)
    marker = np.where(np.isnan(num), long["num_mark"].replace("", "[x]"), "")
    needs_den = kind != "count"
    den_missing = needs_den & np.isnan(den) & (marker == "")
    marker = np.where(den_missing, long["den_mark"].replace("", "[x]"), marker)
    zero_den = needs_den & (den == 0) & (marker == "")
    marker = np.where(zero_den, "[z]", marker)
    bad = (kind == "proportion") & (num > den) & (marker == "")
    marker = np.where(bad, "[x]", marker)
    ok = marker == ""

    counts = ok & (kind == "count")
    if counts.any():
        value[counts], lower[counts], upper[counts] = rate_ci(
            num[counts], np.ones(counts.sum()), per=1, confidence=confidence
        )
    rates = ok & (kind == "rate")
    if rates.any():
        r, lo, hi = rate_ci(num[rates], den[rates], per=1, confidence=confidence)
        value[rates], lower[rates], upper[rates] = (
            r * mult[rates],
            lo * mult[rates],
            hi * mult[rates],
        )
    props = ok & (kind == "proportion")
    if props.any():
        lo, hi = wilson_ci(num[props], den[props], confidence=confidence)
        value[props] = num[props] / den[props] * mult[props]
        lower[props], upper[props] = lo * mult[props], hi * mult[props]
    long["value"], long["lower_ci"], long["upper_ci"] = value, lower, upper
    # a family pool that some members did not report keeps its [u] (low reliability)
    partial = (marker == "") & (long["num_mark"].to_numpy(dtype=object) == "[u]")
    long["marker"] = np.where(partial, "[u]", marker)
    del long["num_mark"], long["den_mark"]
