"""Loaders: read published data files into the tidy measures table.

Every loader maps area names, legacy codes and codes to current GSS codes,
normalises periods, reads GSS shorthand markers, keeps Scotland rows as
S92000003 (never summing them into council totals) and keeps a marker on every
suppressed or missing cell. What it could not read is reported on the returned
frame's ``attrs`` (see :func:`load_report`), or raised as
:class:`~cjlib.errors.CjlibDataError` when called with ``strict=True``.
"""

from cjlib.loaders._common import (
    UNKNOWN_AREAS,
    UNREADABLE_PERIODS,
    UNREADABLE_VALUES,
    load_report,
    read_period,
    read_periods,
)
from cjlib.loaders.gss_tidy import (
    tidy_areas_as_columns,
    tidy_areas_as_rows,
    tidy_periods_as_columns,
)
from cjlib.loaders.gss_xlsx import read_gss_tables
from cjlib.loaders.mapping import find_mapping, load_mapped, read_mapping
from cjlib.loaders.population import load_population
from cjlib.loaders.real import (
    load_crime_bulletin,
    load_crime_series,
    load_drug_deaths,
    load_real_measures,
    load_reconviction,
    load_recorded_crime,
    load_simd,
)
from cjlib.loaders.simd import load_simd_data_zones
from cjlib.loaders.statsgov import load_statsgov_csv
from cjlib.loaders.tidy import load_tidy

__all__ = [
    "UNKNOWN_AREAS",
    "UNREADABLE_PERIODS",
    "UNREADABLE_VALUES",
    "find_mapping",
    "load_crime_bulletin",
    "load_crime_series",
    "load_drug_deaths",
    "load_mapped",
    "load_population",
    "load_reconviction",
    "load_real_measures",
    "load_recorded_crime",
    "load_report",
    "load_simd",
    "load_simd_data_zones",
    "load_statsgov_csv",
    "load_tidy",
    "read_gss_tables",
    "read_period",
    "read_mapping",
    "read_periods",
    "tidy_areas_as_columns",
    "tidy_areas_as_rows",
    "tidy_periods_as_columns",
]
