"""People aged 16 and over by council and financial year: NRS counts, then a stated estimate.

The rule (also in docs/data-log.md and the measure's source line):

* **Mid-year Y is financial year Y-(Y+1).** NRS estimates refer to 30 June, early in
  the financial year that starts in April of the same year: mid-2018 is 2018-19.
* **Up to 2018-19: real NRS counts.** The sum over single years of age 16 to 90+ (both
  sexes) in NRS's mid-year estimates 1998-2018 (the series before the 2022 census
  rebasing).
* **2019-20 to 2023-24: cjlib estimates.** NRS's all-ages mid-year estimate for the
  area (mid-2019 to mid-2023, as published in the Population sheet of Recorded Crime
  in Scotland 2024-25, rebased on the 2022 census) times the area's share aged 16 and
  over in NRS mid-2018 (the latest year with ages). Rounded to whole people.
* **2024-25: mid-2023 held**, as the crime bulletin itself does for its 2024-25 rates
  (its note 12), times the same share.

Estimated rows carry the marker ``[e]`` and their own source line, so no estimate is
labelled as an NRS population estimate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.loaders._common import merge_reports
from cjlib.loaders.gss_xlsx import read_gss_tables
from cjlib.loaders.mapping import SumOver, _load_long, find_mapping, load_mapped
from cjlib.measures import combine_measures, make_measures
from cjlib.paths import DATA_DIR
from cjlib.periods import financial_year

NRS_MAPPING = "nrs_mid_year_population_16plus"
ALL_AGES_MAPPING = "recorded_crime_2024-25_population"
#: The NRS mid-year whose age structure is applied to later all-ages totals.
SHARE_YEAR = financial_year(2018)
#: The last financial year the all-ages total is held into (mid-2023 held for 2024-25).
HELD_UNTIL = financial_year(2024)
ESTIMATE_MARKER = "[e]"
ESTIMATE_SOURCE = (
    "cjlib estimate, not an NRS figure: NRS all-ages mid-year population estimate "
    "(Recorded Crime in Scotland 2024-25, Population sheet) times the area's share aged "
    "16 and over in NRS mid-2018; mid-year Y shown as financial year Y-(Y+1)"
)
HELD_SOURCE = (
    "cjlib estimate, not an NRS figure: NRS all-ages mid-2023 population estimate "
    "(Recorded Crime in Scotland 2024-25, Population sheet), held for 2024-25, times the "
    "area's share aged 16 and over in NRS mid-2018"
)


def load_nrs_ages(path: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load NRS population aged 16 and over, and of all ages, by council and financial year.

    Parameters
    ----------
    path : str or Path, optional
        The NRS workbook (default: the bundled
        ``nrs_mid_year_population_estimates_1998-2018.xlsx``).

    Returns
    -------
    tuple of pandas.DataFrame
        ``population_16plus`` (the mapping's sum over ages 16 and over) and the same
        table summed over every age (measure ``population_nrs_all_ages``, for the share).
    """
    spec = find_mapping(NRS_MAPPING)
    path = Path(path) if path is not None else DATA_DIR / spec.file
    table = read_gss_tables(path, [spec.sheet], header_rows={spec.sheet: spec.header_row})[
        spec.sheet
    ]
    adults = _load_long(spec, table, strict=True)
    every_age = spec.model_copy(
        update={
            "sum_over": SumOver(
                column=spec.sum_over.column if spec.sum_over else "Age", at_least=0
            ),
            "measures": {"population_nrs_all_ages": None},
        }
    )
    return adults, _load_long(every_age, table, strict=True)


def estimate_16plus(
    adults: pd.DataFrame, nrs_all_ages: pd.DataFrame, all_ages: pd.DataFrame
) -> pd.DataFrame:
    """Return the estimated population aged 16 and over after the last NRS year with ages.

    Parameters
    ----------
    adults, nrs_all_ages : pandas.DataFrame
        NRS aged 16 and over and all ages (from :func:`load_nrs_ages`).
    all_ages : pandas.DataFrame
        The later all-ages series (measure ``population_all_ages``).

    Returns
    -------
    pandas.DataFrame
        ``population_16plus`` rows for every all-ages year after :data:`SHARE_YEAR`,
        and :data:`HELD_UNTIL` held from the latest, each marked ``[e]``.
    """

    def _at(frame: pd.DataFrame, period: str) -> pd.Series:
        rows = frame[frame["period"] == period]
        return rows.set_index("area_code")["value"]

    share = _at(adults, SHARE_YEAR) / _at(nrs_all_ages, SHARE_YEAR)
    later = all_ages[all_ages["period"] > SHARE_YEAR]
    frames = []
    for period in sorted(later["period"].unique()):
        frames.append(_estimate(_at(later, period), share, period, ESTIMATE_SOURCE))
    latest = max(later["period"])
    start, end = int(latest[:4]) + 1, int(HELD_UNTIL[:4])
    for year in range(start, end + 1):
        frames.append(_estimate(_at(later, latest), share, financial_year(year), HELD_SOURCE))
    return make_measures(pd.concat(frames, ignore_index=True))


def _estimate(total: pd.Series, share: pd.Series, period: str, source: str) -> pd.DataFrame:
    value = np.floor(total * share.reindex(total.index) + 0.5)
    return pd.DataFrame(
        {
            "area_code": total.index,
            "period": period,
            "measure_id": "population_16plus",
            "value": value.to_numpy(),
            "marker": np.where(value.isna(), "[x]", ESTIMATE_MARKER),
            "source": source,
        }
    )


def load_population(
    nrs_path: str | Path | None = None, crime_path: str | Path | None = None
) -> pd.DataFrame:
    """Load the population measures: NRS 16+ counts, estimates after mid-2018, all ages.

    Parameters
    ----------
    nrs_path : str or Path, optional
        The NRS single-year-of-age workbook (default: bundled).
    crime_path : str or Path, optional
        The Recorded Crime in Scotland 2024-25 bulletin workbook, for its Population
        sheet (default: bundled).

    Returns
    -------
    pandas.DataFrame
        ``population_16plus`` (NRS to 2018-19, then ``[e]`` estimates to 2024-25) and
        ``population_all_ages`` (2015-16 to 2023-24).
    """
    adults, nrs_all = load_nrs_ages(nrs_path)
    all_ages = load_mapped(ALL_AGES_MAPPING, crime_path)
    estimates = estimate_16plus(adults, nrs_all, all_ages)
    combined = combine_measures(adults, estimates, all_ages)
    combined.attrs = merge_reports(adults, all_ages)
    return combined
