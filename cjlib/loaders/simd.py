"""Aggregate the SIMD 2020v2 data-zone file to council areas and Scotland.

Measures (all counts of people, period ``"2020"`` = the SIMD 2020v2 edition; the
populations in the file are the NRS small-area estimates the index was built on):

- ``simd_population``, ``simd_working_age_population``: sums over data zones;
- ``simd_pop_decile_1`` … ``simd_pop_decile_10``: population of the data zones in
  each national decile (1 = most deprived);
- ``simd_pop_most_deprived_20``: population of deciles 1 and 2, the 20% most
  deprived data zones in Scotland (the share is an indicator, computed later);
- ``simd_income_deprived``: sum of ``income_count``; where a zone's count is
  suppressed, ``income_rate`` × ``Total_population`` stands in and the area's value
  is marked ``[e]`` (estimated). If neither can be read for some zone, the area's
  value is left missing and marked ``[c]``, because a partial sum would undercount;
- ``simd_employment_deprived``: the same with ``employment_count``,
  ``employment_rate`` and ``Working_Age_population``.

Scotland (S92000003) is the sum of all data zones, which is legitimate here: the
data zones tile Scotland. It is computed from the zones, never from council rows.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.errors import CjlibDataError
from cjlib.loaders._common import read_text_file, tidy_up
from cjlib.markers import parse_cells

SIMD_PERIOD = "2020"
SIMD_SOURCE = "Scottish Government, Scottish Index of Multiple Deprivation 2020v2"
AREA = "Council_area"
POPULATION = "Total_population"
WORKING_AGE = "Working_Age_population"
DECILE = "SIMD2020v2_Decile"
#: measure id -> (count column, rate column, base population column)
DEPRIVED = {
    "simd_income_deprived": ("income_count", "income_rate", POPULATION),
    "simd_employment_deprived": ("employment_count", "employment_rate", WORKING_AGE),
}
REQUIRED = ("Data_Zone", AREA, POPULATION, WORKING_AGE, DECILE) + tuple(
    c for cols in DEPRIVED.values() for c in cols[:2]
)


def read_simd_data_zones(path: str | Path) -> pd.DataFrame:
    """Read the SIMD data-zone CSV as text, checking the columns cjlib uses."""
    path = Path(path)
    text = read_text_file(path)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise CjlibDataError(f"{path}: missing SIMD column(s) {', '.join(missing)}")
    return frame


def zone_measures(zones: pd.DataFrame) -> pd.DataFrame:
    """Return one row per data zone: its area and its numeric contribution to each measure.

    Columns are the measure ids plus ``area`` and, for each deprived count,
    ``<measure>__estimated`` and ``<measure>__unknown`` flags.
    """
    population, _ = parse_cells(zones[POPULATION])
    working, _ = parse_cells(zones[WORKING_AGE])
    decile = pd.to_numeric(zones[DECILE], errors="coerce")
    out = pd.DataFrame({"area": zones[AREA].str.strip()})
    out["simd_population"] = population
    out["simd_working_age_population"] = working
    for d in range(1, 11):
        out[f"simd_pop_decile_{d}"] = np.where(decile == d, population, 0.0)
    out["simd_pop_most_deprived_20"] = np.where(decile <= 2, population, 0.0)
    bases = {POPULATION: population, WORKING_AGE: working}
    for measure, (count_col, rate_col, base_col) in DEPRIVED.items():
        count, _ = parse_cells(zones[count_col])
        rate, _ = parse_cells(zones[rate_col])  # "8%" reads as 8.0
        estimate = (rate / 100 * bases[base_col]).round()
        out[measure] = count.fillna(estimate)
        out[f"{measure}__estimated"] = count.isna() & estimate.notna()
        out[f"{measure}__unknown"] = count.isna() & estimate.isna()
    return out


def aggregate_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """Sum :func:`zone_measures` rows to areas and Scotland, as long raw loader rows."""
    per_zone = zone_measures(zones)
    scotland = per_zone.assign(area=SCOTLAND_CODE)
    both = pd.concat([per_zone, scotland], ignore_index=True)
    sums = both.groupby("area", sort=True).sum(numeric_only=True)
    long = sums.drop(columns=[c for c in sums if "__" in c]).stack().rename("cell")
    raw = long.reset_index().rename(columns={"level_1": "measure_id"})
    raw["marker"] = ""
    for measure in DEPRIVED:
        estimated = sums[f"{measure}__estimated"] > 0
        unknown = sums[f"{measure}__unknown"] > 0
        rows = raw["measure_id"].eq(measure)
        raw.loc[rows & raw["area"].map(estimated), "marker"] = "[e]"
        lost = rows & raw["area"].map(unknown)
        raw.loc[lost, ["cell", "marker"]] = [np.nan, "[c]"]
    return raw


def load_simd_data_zones(
    path: str | Path,
    *,
    period: str = SIMD_PERIOD,
    source: str = SIMD_SOURCE,
    strict: bool = False,
) -> pd.DataFrame:
    """Load the SIMD data-zone file aggregated to the 32 council areas and Scotland.

    Parameters
    ----------
    path : str or Path
        The SIMD 2020v2 data-zone CSV (council names, not codes).
    period : str
        Period label of every row (default ``"2020"``, the SIMD edition).
    source : str
        Source label for every row.
    strict : bool
        Raise when a council name is unknown, instead of reporting it in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        The tidy measures table (see the module docstring for the measures).
    """
    path = Path(path)
    raw = aggregate_zones(read_simd_data_zones(path))
    raw["period"] = period
    raw["cell"] = raw["cell"].astype(float)
    return tidy_up(raw, source=source, origin=str(path), strict=strict)
