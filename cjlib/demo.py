"""Synthetic demonstration data for the national indicators, reproducible and clearly labelled.

No council-level justice social work tables are available offline, so the bundled
default uses these values for the national indicators. They are **not official
statistics**. They are built to look like the real thing:

* scaled by each area's real population (SIMD 2020v2) and real recorded crime rate
  (Recorded Crime in Scotland, 2021-22), so big cities have big counts and the
  island areas have the small counts that disclosure control must handle;
* calibrated so Scotland's totals match published national figures for the anchor
  years (see :data:`ANCHORS`);
* with a pandemic dip in 2020-21, a few areas trending up, down and flat, and a
  few missing years marked ``[x]``.

Every row carries ``source = "synthetic demonstration data"``.

Synthetic data stays only where no real data exists. The reconviction measures
(``reconviction_cohort``, ``reconvicted_offenders``, ``reconvictions``) and the
population aged 16 and over come from real published tables (see
:mod:`cjlib.loaders.real` and :mod:`cjlib.loaders.population`), so they are drawn
(to keep the random stream, and so every other value, unchanged) and then left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.measures import SYNTHETIC_SOURCE, make_measures
from cjlib.periods import financial_year

SEED = 20231
YEARS = [financial_year(y) for y in range(2016, 2024)]  # 2016-17 … 2023-24
#: Measures that real published data now provides: drawn, then left out of the table.
REAL_MEASURES = frozenset(
    {"reconviction_cohort", "reconvicted_offenders", "reconvictions", "population_16plus"}
)
#: Yearly volume relative to the anchor year (2020-21 has the pandemic dip).
VOLUME = dict(zip(YEARS, [0.86, 0.90, 0.94, 0.97, 0.62, 0.90, 1.00, 1.02], strict=True))


@dataclass(frozen=True)
class Anchor:
    """A published Scotland total that the synthetic data is calibrated to."""

    measure_id: str
    period: str
    total: float
    note: str


#: Published national figures the synthetic Scotland totals are scaled to (domain brief).
ANCHORS = [
    Anchor("diversion_assessments", "2022-23", 4400, "JSW Statistics 2022-23: about 4,400"),
    Anchor("diversion_commenced", "2022-23", 2600, "JSW Statistics 2022-23: about 2,600"),
    Anchor("diversion_completed", "2022-23", 2000, "JSW Statistics 2022-23: about 2,000"),
    Anchor("cpo_commenced", "2022-23", 14700, "JSW Statistics 2022-23: about 14,700"),
    Anchor("vtc_commenced", "2023-24", 1870, "JSW Statistics 2023-24: about 1,870"),
    Anchor("bail_commenced", "2023-24", 1300, "JSW Statistics 2023-24: about 1,300"),
]
#: CPO share successfully completed, 2022-23 (published: about 73%).
CPO_COMPLETION = 0.73

# Scotland totals in the anchor year for measures with no published anchor here:
# plausible magnitudes only, chosen for the demonstration.
_BASE_TOTALS = {
    "custody_referrals": 12000,
    "bail_assessments": 3400,
    "dtto_commenced": 520,
    "prison_releases": 11000,
    "homeless_prison_release": 1700,
    "employability_starts": 2500,
    "short_term_releases": 7500,
    "workforce_trained": 3000,
    "awareness_participants": 20000,
    "reconviction_cohort": 28000,
}
# Conditional shares for the nested measures (numerator out of its parent).
_SHARES = {
    "custody_referrals_engaged": ("custody_referrals", 0.55),
    "bail_completed": ("bail_commenced", 0.62),
    "cpo_ended": ("cpo_commenced", 0.95),
    "cpo_completed": ("cpo_ended", CPO_COMPLETION),
    "dtto_ended": ("dtto_commenced", 0.92),
    "dtto_completed": ("dtto_ended", 0.48),
    "releases_gp_registered": ("prison_releases", 0.80),
    "releases_on_drug_treatment": ("prison_releases", 0.30),
    "releases_treatment_continued": ("releases_on_drug_treatment", 0.68),
    "releases_accommodated": ("prison_releases", 0.84),
    "employability_job_outcomes": ("employability_starts", 0.35),
    "reconvicted_offenders": ("reconviction_cohort", 0.27),
    "diversion_assessed_promptly": ("diversion_assessments", 0.78),
    "bail_assessments_same_day": ("bail_assessments", 0.70),
}
# Nested measures drawn after vtc_commenced is capped by short-term releases.
_LATE_SHARES = {
    "vtc_engaged_6m": ("vtc_commenced", 0.58),
    "cpo_seen_promptly": ("cpo_commenced", 0.86),
}
#: Areas given a clear trend over the eight years, per year (the rest are flat ± noise).
TRENDS = {
    "S12000019": 0.06,  # Midlothian: rising
    "S12000029": 0.04,  # South Lanarkshire: rising
    "S12000018": -0.05,  # Inverclyde: falling
    "S12000042": -0.03,  # Dundee City: falling
    "S12000030": 0.0,  # Stirling: flat
}
#: Missing years, marked [x]: (area, measures prefix or "*", periods).
MISSING = [
    ("S12000019", "*", ["2018-19", "2019-20"]),  # Midlothian: two years not returned
    ("S12000005", "*", ["2017-18"]),  # Clackmannanshire
    ("S12000013", "releases_", ["2016-17", "2017-18", "2018-19"]),  # Na h-Eileanan Siar
]
#: Local-evidence measures first collected in 2019-20 ([x] before then, everywhere).
LATE_MEASURES = {
    "diversion_assessed_promptly": "2018-19",
    "bail_assessments_same_day": "2020-21",
    "vtc_engaged_6m": "2019-20",
    "custody_referrals_engaged": "2019-20",
    "releases_accommodated": "2019-20",
    "employability_job_outcomes": "2019-20",
    "workforce_trained": "2019-20",
    "awareness_participants": "2019-20",
}
#: The Scottish Crime and Justice Survey question: Scotland only, some years.
SCJS = {
    "2016-17": (5500, 0.38),
    "2017-18": (5600, 0.40),
    "2018-19": (5500, 0.41),
    "2019-20": (5400, 0.43),
    "2021-22": (5300, 0.42),
    "2023-24": (5500, 0.45),
}


def _expected_totals() -> dict[str, float]:
    """Scotland totals in the anchor year for every top-level (non-nested) measure."""
    totals = dict(_BASE_TOTALS)
    for anchor in ANCHORS:
        totals[anchor.measure_id] = anchor.total / VOLUME[anchor.period]
    return totals


def generate_demo_measures(populations: pd.Series, crime_index: pd.Series) -> pd.DataFrame:
    """Generate the synthetic demonstration measures for the 32 areas and Scotland.

    Parameters
    ----------
    populations : pandas.Series
        Total population by council area code (real, e.g. from SIMD 2020v2).
    crime_index : pandas.Series
        Each area's recorded crime rate relative to Scotland's (1.0 = Scotland).

    Returns
    -------
    pandas.DataFrame
        The tidy measures table: every national and local-evidence measure that has
        no real published source (not reconviction, not the population aged 16 and
        over), for eight reporting years, every row with
        ``source = "synthetic demonstration data"``.
    """
    rng = np.random.default_rng(SEED)
    codes = sorted(populations.index)
    pop = populations.reindex(codes).astype(float).to_numpy()
    crime = crime_index.reindex(codes).fillna(1.0).astype(float).to_numpy()
    weight = pop * crime**0.7
    weight = weight / weight.sum()
    year_index = np.arange(len(YEARS)) - (len(YEARS) - 2)  # 0 at 2022-23
    slope = np.array([TRENDS.get(c, rng.normal(0.0, 0.01)) for c in codes])
    trend = (1 + slope)[:, None] ** year_index[None, :]  # areas × years
    volume = np.array([VOLUME[y] for y in YEARS])[None, :]

    anchor_period = {a.measure_id: a.period for a in ANCHORS}
    values: dict[str, np.ndarray] = {}
    for measure, total in _expected_totals().items():
        expected = total * weight[:, None] * trend * volume
        expected *= rng.lognormal(0.0, 0.12, size=(len(codes), 1))  # area-level spread
        # calibrate: the expected Scotland total in the anchor year is the published one
        column = YEARS.index(anchor_period.get(measure, "2022-23"))
        expected *= total * volume[0, column] / expected[:, column].sum()
        values[measure] = rng.poisson(expected).astype(float)
    # diversion is nested: assessments -> commenced -> completed
    values["diversion_commenced"] = rng.binomial(
        values["diversion_assessments"].astype(int), 2600 / 4400
    ).astype(float)
    values["diversion_completed"] = rng.binomial(
        values["diversion_commenced"].astype(int), 2000 / 2600
    ).astype(float)
    bail_share = np.clip(
        _expected_totals()["bail_commenced"] / _BASE_TOTALS["bail_assessments"], 0, 1
    )
    values["bail_commenced"] = rng.binomial(
        values["bail_assessments"].astype(int), bail_share
    ).astype(float)
    for measure, (parent, share) in _SHARES.items():
        area_share = np.clip(share + rng.normal(0, 0.04, size=(len(codes), 1)), 0.02, 0.98)
        values[measure] = rng.binomial(values[parent].astype(int), area_share).astype(float)
    values["vtc_commenced"] = np.minimum(values["vtc_commenced"], values["short_term_releases"])
    for measure, (parent, share) in _LATE_SHARES.items():
        area_share = np.clip(share + rng.normal(0, 0.05, size=(len(codes), 1)), 0.02, 0.98)
        values[measure] = rng.binomial(values[parent].astype(int), area_share).astype(float)
    values["reconvictions"] = rng.poisson(values["reconvicted_offenders"] * 1.7).astype(float)
    for measure in REAL_MEASURES:
        values.pop(measure, None)

    frames = []
    for measure, grid in values.items():
        frame = pd.DataFrame(grid, index=codes, columns=YEARS).stack().rename("value")
        frame = frame.rename_axis(["area_code", "period"]).reset_index()
        frame["measure_id"] = measure
        frames.append(frame)
    councils = pd.concat(frames, ignore_index=True)
    councils["marker"] = ""
    scotland = councils.groupby(["measure_id", "period"], as_index=False)["value"].sum()
    scotland["area_code"] = SCOTLAND_CODE
    scotland["marker"] = ""
    table = pd.concat([councils, scotland, _scjs_rows()], ignore_index=True)
    table = _mark_missing(table)
    table["source"] = SYNTHETIC_SOURCE
    return make_measures(table)


def _scjs_rows() -> pd.DataFrame:
    rows = []
    for period in YEARS:
        if period in SCJS:
            n, share = SCJS[period]
            rows += [
                (SCOTLAND_CODE, period, "scjs_respondents", float(n), ""),
                (SCOTLAND_CODE, period, "scjs_confident", float(round(n * share)), ""),
            ]
        else:
            rows += [
                (SCOTLAND_CODE, period, "scjs_respondents", np.nan, "[x]"),
                (SCOTLAND_CODE, period, "scjs_confident", np.nan, "[x]"),
            ]
    return pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value", "marker"])


def _mark_missing(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    for area, prefix, periods in MISSING:
        hit = (out["area_code"] == area) & out["period"].isin(periods)
        if prefix != "*":
            hit &= out["measure_id"].str.startswith(prefix)
        out.loc[hit, ["value", "marker"]] = [np.nan, "[x]"]
    for measure, first in LATE_MEASURES.items():
        hit = (out["measure_id"] == measure) & (out["period"] < first)
        out.loc[hit, ["value", "marker"]] = [np.nan, "[x]"]
    return out


def demo_inputs() -> tuple[pd.Series, pd.Series]:
    """Return the real inputs the demonstration data is scaled by.

    Returns
    -------
    tuple of pandas.Series
        Council populations (SIMD 2020v2) and each council's recorded crime rate
        in 2021-22 relative to Scotland's.
    """
    from cjlib.loaders.real import load_recorded_crime, load_simd

    simd = load_simd()
    pop = simd[simd["measure_id"] == "simd_population"].set_index("area_code")["value"]
    crime = load_recorded_crime()
    crime = crime[(crime["measure_id"] == "crimes_all") & (crime["period"] == "2021-22")]
    crime = crime.set_index("area_code")["value"]
    rate = crime / pop
    index = rate / rate[SCOTLAND_CODE]
    councils = pop.drop(SCOTLAND_CODE, errors="ignore")
    return councils, index.drop(SCOTLAND_CODE, errors="ignore")


def write_demo_data(directory: str | Path) -> Path:
    """Write ``demo_measures.csv`` into ``directory`` atomically and return its path."""
    from cjlib.fileio import write_csv_atomic

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    table = generate_demo_measures(*demo_inputs())
    path = directory / "demo_measures.csv"
    write_csv_atomic(table, path)
    return path
