"""The three real workbooks bundled for issue 12, loaded through the public loaders.

Every expected figure is quoted from the published sheet and also read here, from the
bundled workbook, with openpyxl, independently of cjlib's readers and mappings.
"""

from __future__ import annotations

import math

import openpyxl
import pytest
from conftest import GLASGOW, ORKNEY, SCOTLAND

from cjlib.framework import load_framework
from cjlib.indicators import compute_indicators
from cjlib.loaders import (
    load_crime_bulletin,
    load_crime_series,
    load_population,
    load_reconviction,
    load_report,
)
from cjlib.paths import DATA_DIR

RECONVICTION_XLSX = DATA_DIR / "reconviction_2017-18_cohort_main_tables.xlsx"
CRIME_XLSX = DATA_DIR / "recorded_crime_2024-25_bulletin_tables.xlsx"
NRS_XLSX = DATA_DIR / "nrs_mid_year_population_estimates_1998-2018.xlsx"
ABERDEEN, SHETLAND, DUNDEE = "S12000033", "S12000027", "S12000042"


def _value(frame, area, period, measure):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure, len(hit))
    return hit.iloc[0]


def _sheet_rows(path, sheet):
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


# --- reconviction, 2017-18 cohort, Table 13 ------------------------------------------


@pytest.fixture(scope="module")
def table13():
    """Table 13 read with openpyxl: label -> (offenders, rate %, average)."""
    rows = _sheet_rows(RECONVICTION_XLSX, "Table 13")
    return {r[0]: (r[1], r[2], r[3]) for r in rows if isinstance(r[1], int | float)}


@pytest.fixture(scope="module")
def reconviction():
    return load_reconviction()


# (label in the sheet, code, rate quoted from the published table)
RECONVICTION_QUOTED = [
    ("All", SCOTLAND, 26.3),
    ("Glasgow City", GLASGOW, 26.6),
    ("Aberdeen City", ABERDEEN, 32.8),
    ("Shetland Islands", SHETLAND, 11.8),
]


@pytest.mark.parametrize(("label", "code", "quoted"), RECONVICTION_QUOTED)
def test_reconviction_rate_as_published(reconviction, table13, label, code, quoted):
    assert table13[label][1] == pytest.approx(quoted)
    row = _value(reconviction, code, "2017-18", "reconviction_rate_published")
    assert row["value"] == pytest.approx(quoted)
    assert "experimental statistics" in row["source"]
    cohort = _value(reconviction, code, "2017-18", "reconviction_cohort")["value"]
    assert cohort == table13[label][0]


@pytest.mark.parametrize(("label", "code", "quoted"), RECONVICTION_QUOTED)
def test_headline_indicators_reproduce_the_published_figures(
    reconviction, table13, label, code, quoted
):
    results = compute_indicators(reconviction, load_framework(), groupings=())
    rate = results[
        results["area_code"].eq(code)
        & results["period"].eq("2017-18")
        & results["indicator_id"].eq("HL_reconviction_rate")
    ].iloc[0]
    assert round(rate["value"], 1) == pytest.approx(quoted)
    per = results[
        results["area_code"].eq(code)
        & results["period"].eq("2017-18")
        & results["indicator_id"].eq("HL_reconvictions_per_offender")
    ].iloc[0]
    assert round(per["value"], 2) == pytest.approx(table13[label][2])


def test_reconviction_covers_every_council_and_scotland_not_other_or_unknown(reconviction):
    areas = set(reconviction["area_code"])
    assert len(areas) == 33 and SCOTLAND in areas
    assert load_report(reconviction)["unknown_areas"] == []
    assert set(reconviction["period"]) == {"2017-18"}


def test_derived_counts_are_marked_estimated(reconviction, table13):
    offenders, rate, _ = table13["Dundee City"]
    row = _value(reconviction, DUNDEE, "2017-18", "reconvicted_offenders")
    assert row["value"] == math.floor(offenders * rate / 100 + 0.5)
    assert row["marker"] == "[e]"
    assert row["source"].startswith("Derived by cjlib")


# --- population aged 16 and over ------------------------------------------------------


@pytest.fixture(scope="module")
def nrs_sums():
    """Sums over the NRS sheet computed here: (area, year) -> (aged 16+, all ages)."""
    book = openpyxl.load_workbook(NRS_XLSX, read_only=True, data_only=True)
    sums: dict[tuple[str, int], list[int]] = {}
    try:
        for area, year, _sex, age, people in book.active.iter_rows(min_row=2, values_only=True):
            if year != 2018 or area not in ("Glasgow City", "Orkney Islands"):
                continue
            both = sums.setdefault((area, year), [0, 0])
            both[1] += people
            if age >= 16:
                both[0] += people
    finally:
        book.close()
    return sums


@pytest.fixture(scope="module")
def population():
    return load_population()


@pytest.mark.parametrize(("name", "code"), [("Glasgow City", GLASGOW), ("Orkney Islands", ORKNEY)])
def test_population_16plus_mid_2018_is_the_nrs_sum(population, nrs_sums, name, code):
    adults, _ = nrs_sums[(name, 2018)]
    row = _value(population, code, "2018-19", "population_16plus")  # mid-2018 -> 2018-19
    assert row["value"] == adults
    assert row["marker"] == ""
    assert row["source"].startswith("National Records of Scotland")


def test_population_estimate_rule(population, nrs_sums):
    adults, every_age = nrs_sums[("Glasgow City", 2018)]
    sheet = _sheet_rows(CRIME_XLSX, "Population")
    header = [str(c) for c in sheet[1]]
    glasgow = next(r for r in sheet if r[0] == "Glasgow City")
    mid_2019 = glasgow[header.index("2019")]
    mid_2023 = glasgow[header.index("2023")]
    for period, total in (("2019-20", mid_2019), ("2023-24", mid_2023), ("2024-25", mid_2023)):
        row = _value(population, GLASGOW, period, "population_16plus")
        assert row["value"] == math.floor(total * adults / every_age + 0.5)
        assert row["marker"] == "[e]"
        assert "not an NRS figure" in row["source"]
    assert _value(population, GLASGOW, "2023-24", "population_all_ages")["value"] == mid_2023


def test_no_estimate_is_labelled_as_an_nrs_estimate(population):
    estimated = population[population["marker"].eq("[e]")]
    assert len(estimated) == 33 * 6  # 2019-20 to 2024-25
    assert not estimated["source"].str.startswith("National Records of Scotland").any()


# --- recorded crime to 2024-25 ----------------------------------------------------------


def test_glasgow_crimes_2024_25(tmp_path):
    # quoted from Table_1: Glasgow City, Total Crimes, Total, 2024-25 = 52,406
    rows = _sheet_rows(CRIME_XLSX, "Table_1")
    header = rows[2]
    glasgow = next(
        r for r in rows if r[0] == "Glasgow City" and r[1] == "Total Crimes" and r[2] == "Total"
    )
    assert glasgow[header.index("2024-25")] == 52406
    crime = load_crime_bulletin()
    assert _value(crime, GLASGOW, "2024-25", "crimes_all")["value"] == 52406
    # "2017-18 [note 7]" is read as 2017-18
    assert _value(crime, GLASGOW, "2017-18", "crimes_all")["value"] == glasgow[5]


def test_council_offences_2024_25_are_not_available(tmp_path):
    # note 38: antisocial offences and total offences are "x" at council level in 2024-25
    crime = load_crime_bulletin()
    row = _value(crime, GLASGOW, "2024-25", "offences_all")
    assert math.isnan(row["value"]) and row["marker"] == "[x]"
    scot = _value(crime, SCOTLAND, "2024-25", "offences_all")
    assert scot["value"] == 175919  # Table_2, Scotland, Total Offences, 2024-25


def test_crime_series_joins_the_two_publications():
    series = load_crime_series()
    glasgow = series[series["area_code"].eq(GLASGOW) & series["measure_id"].eq("crimes_all")]
    assert glasgow["period"].min() == "1996-97" and glasgow["period"].max() == "2024-25"
    assert not glasgow.duplicated("period").any()
    sources = glasgow.set_index("period")["source"]
    assert "statistics.gov.scot" in sources["2014-15"]
    assert "2024-25, bulletin tables" in sources["2015-16"]
