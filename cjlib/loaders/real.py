"""Load the real open data bundled in cjlib/data/ into tidy tables with framework measure ids.

Recorded crime joins two publications by a stated rule: the Recorded Crime in Scotland
2024-25 bulletin tables (June 2025) for every year they cover, 2015-16 to 2024-25, since
they carry the publisher's latest revisions; the statistics.gov.scot ``recorded-crime``
series for the earlier years, 1996-97 to 2014-15. Each row keeps its own source line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cjlib.loaders._common import merge_reports
from cjlib.loaders.mapping import load_mapped
from cjlib.loaders.population import load_population
from cjlib.loaders.simd import load_simd_data_zones
from cjlib.measures import combine_measures
from cjlib.paths import DRUG_DEATHS_XLSX, RECORDED_CRIME_CSV, SIMD_CSV

DRUG_DEATHS_SOURCE = "National Records of Scotland, Drug-related deaths in Scotland in 2024"
#: Mapping of the statistics.gov.scot recorded-crime tidy CSV (16 crime and offence counts).
RECORDED_CRIME_MAPPING = "recorded_crime_statsgov"
#: Mappings of NRS Drug-related deaths in Scotland in 2024, Tables C1 and C4.
DRUG_DEATHS_MAPPINGS = (
    "nrs_drug_misuse_deaths_2024_table_c1",
    "nrs_drug_misuse_deaths_2024_table_c4",
)


#: Mappings of the Recorded Crime in Scotland 2024-25 bulletin tables (crimes, offences).
CRIME_BULLETIN_MAPPINGS = ("recorded_crime_2024-25_table_1", "recorded_crime_2024-25_table_2")
RECONVICTION_MAPPING = "reconviction_2017-18_table_13"


def load_recorded_crime(path: str | Path = RECORDED_CRIME_CSV) -> pd.DataFrame:
    """Load recorded crimes by council area from statistics.gov.scot, 1996-97 to 2021-22.

    Returns
    -------
    pandas.DataFrame
        Counts for the 16 ``crimes_*`` and ``offences_*`` measures, financial-year
        periods (``"2021-22"``), Scotland rows as published (S92000003).
    """
    return load_mapped(RECORDED_CRIME_MAPPING, path, strict=False)


def load_crime_bulletin(path: str | Path | None = None) -> pd.DataFrame:
    """Load crimes and offences by council area from the 2024-25 bulletin tables (Tables 1 and 2).

    Returns
    -------
    pandas.DataFrame
        The same 16 ``crimes_*`` and ``offences_*`` measures, 2015-16 to 2024-25.
    """
    return _combine(*(load_mapped(m, path) for m in CRIME_BULLETIN_MAPPINGS))


def load_crime_series(
    csv_path: str | Path = RECORDED_CRIME_CSV, bulletin_path: str | Path | None = None
) -> pd.DataFrame:
    """Load recorded crime 1996-97 to 2024-25: the bulletin wherever it has the year.

    Returns
    -------
    pandas.DataFrame
        statistics.gov.scot rows for the years before the bulletin's first year, then
        the bulletin's rows (2015-16 to 2024-25).
    """
    bulletin = load_crime_bulletin(bulletin_path)
    older = load_recorded_crime(csv_path)
    first = min(bulletin["period"])
    older = older[older["period"] < first]
    return _combine(older, bulletin)


def load_reconviction(path: str | Path | None = None) -> pd.DataFrame:
    """Load reconviction by council area of residence, 2017-18 offender cohort (Table 13).

    Experimental statistics, as the publisher labels them. Period ``"2017-18"``: the
    financial year of the cohort's index conviction or release, followed up for a year.

    Returns
    -------
    pandas.DataFrame
        ``reconviction_cohort``, ``reconviction_rate_published`` and
        ``reconvictions_per_offender_published`` as published; ``reconvicted_offenders``
        and ``reconvictions`` derived (offenders times rate or average, rounded; ``[e]``).
    """
    return load_mapped(RECONVICTION_MAPPING, path)


def load_drug_deaths(path: str | Path = DRUG_DEATHS_XLSX) -> pd.DataFrame:
    """Load NRS drug misuse deaths by council area from Tables C1 and C4.

    Returns
    -------
    pandas.DataFrame
        ``drug_deaths`` (Table C1, persons, calendar year of registration, period
        ``"2024"``) and ``drug_deaths_asr``, ``drug_deaths_asr_lower``,
        ``drug_deaths_asr_upper``, ``drug_deaths_5yr`` (Table C4, five-year periods
        written ``"2020-2024"``; rates per 100,000, ``[l]`` where deaths are under 10).
    """
    return _combine(*(load_mapped(m, path) for m in DRUG_DEATHS_MAPPINGS))


def load_simd(path: str | Path = SIMD_CSV) -> pd.DataFrame:
    """Load SIMD 2020v2 aggregated to council areas and Scotland (period ``"2020"``)."""
    return load_simd_data_zones(path)


def load_real_measures() -> pd.DataFrame:
    """Load every bundled real data set into one tidy measures table.

    Returns
    -------
    pandas.DataFrame
        Recorded crime (1996-97 to 2024-25), reconviction (2017-18 cohort),
        population (aged 16 and over, all ages), drug deaths and SIMD together;
        ``attrs`` merges the loaders' reports (all empty for the bundled files).
    """
    return _combine(
        load_crime_series(),
        load_reconviction(),
        load_population(),
        load_drug_deaths(),
        load_simd(),
    )


def _combine(*frames: pd.DataFrame) -> pd.DataFrame:
    combined = combine_measures(*frames)
    combined.attrs = merge_reports(*frames)
    return combined
