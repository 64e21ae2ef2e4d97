"""The loaders on the real files bundled in cjlib/data, checked against the raw files.

Expected figures are read from the raw files here with the csv module and openpyxl,
independently of the loaders, or are published headline figures.
"""

import csv
import time

import openpyxl
import pytest
from conftest import GLASGOW, SCOTLAND

from cjlib.framework import load_framework
from cjlib.loaders import (
    load_drug_deaths,
    load_real_measures,
    load_recorded_crime,
    load_report,
    load_simd,
)
from cjlib.paths import DRUG_DEATHS_XLSX, RECORDED_CRIME_CSV, SIMD_CSV


def _value(frame, area, period, measure):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure)
    return hit.iloc[0]["value"]


def _raw_crime():
    with RECORDED_CRIME_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def crime():
    return load_recorded_crime()


@pytest.fixture(scope="module")
def deaths():
    return load_drug_deaths()


@pytest.fixture(scope="module")
def simd():
    return load_simd()


# --- recorded crime ---------------------------------------------------------


def test_recorded_crime_scotland_all_crimes_2021_22(crime):
    raw = [
        r
        for r in _raw_crime()
        if r["DateCode"] == "2021/2022" and r["Crime or Offence"] == "All Crimes"
    ]
    scotland = next(int(r["Value"]) for r in raw if r["FeatureCode"] == SCOTLAND)
    councils = sum(int(r["Value"]) for r in raw if r["FeatureCode"] != SCOTLAND)
    assert scotland == 286464
    assert _value(crime, SCOTLAND, "2021-22", "crimes_all") == scotland
    # Scotland's row is as published, not a sum; here it agrees with the 32 councils
    assert councils == scotland
    loaded = crime[crime["period"].eq("2021-22") & crime["measure_id"].eq("crimes_all")]
    assert loaded[loaded["area_code"].ne(SCOTLAND)]["value"].sum() == councils


def test_recorded_crime_glasgow(crime):
    raw = next(
        int(r["Value"])
        for r in _raw_crime()
        if r["FeatureCode"] == GLASGOW
        and r["DateCode"] == "2021/2022"
        and r["Crime or Offence"] == "Crimes: Group 3: Shoplifting"
    )
    assert _value(crime, GLASGOW, "2021-22", "crimes_group3_shoplifting") == raw


def test_recorded_crime_every_raw_row_is_loaded(crime):
    assert len(crime) == len(_raw_crime()) == 11055
    assert crime["area_code"].nunique() == 33
    assert crime["period"].min() == "1996-97" and crime["period"].max() == "2021-22"
    assert crime["marker"].eq("").all()
    assert load_report(crime) == {
        "unknown_areas": [],
        "unreadable_periods": [],
        "unreadable_values": [],
    }


def test_recorded_crime_later_categories_start_later(crime):
    domestic = crime[crime["measure_id"].eq("crimes_group1_domestic_abuse")]
    assert domestic["period"].min() == "2019-20"


# --- drug deaths --------------------------------------------------------------


def test_drug_deaths_scotland_2024_is_1017(deaths):
    # 1,017 drug misuse deaths registered in 2024 (NRS headline); Table C2's total agrees
    book = openpyxl.load_workbook(DRUG_DEATHS_XLSX, read_only=True, data_only=True)
    try:
        c2 = {row[0]: row[1] for row in book["Table_C2"].iter_rows(min_row=6, values_only=True)}
    finally:
        book.close()
    assert c2["Scotland"] == 1017
    assert _value(deaths, SCOTLAND, "2024", "drug_deaths") == 1017
    councils = deaths[
        deaths["measure_id"].eq("drug_deaths")
        & deaths["period"].eq("2024")
        & deaths["area_code"].ne(SCOTLAND)
    ]
    assert len(councils) == 32
    assert councils["value"].sum() == 1017  # the councils add up; Scotland is not among them
    assert _value(deaths, GLASGOW, "2024", "drug_deaths") == c2["Glasgow City"] == 185
    assert _value(deaths, "S12000036", "2024", "drug_deaths") == c2["City of Edinburgh"]


def test_drug_deaths_table_c1_years(deaths):
    c1 = deaths[deaths["measure_id"].eq("drug_deaths")]
    assert sorted(set(c1["period"])) == [str(y) for y in range(2010, 2025)]
    assert len(c1) == 15 * 33
    assert _value(deaths, SCOTLAND, "2010", "drug_deaths") == 485


def test_drug_deaths_five_year_rates(deaths):
    assert _value(deaths, SCOTLAND, "2020-2024", "drug_deaths_asr") == 22.5
    assert _value(deaths, SCOTLAND, "2020-2024", "drug_deaths_asr_lower") == 21.9
    assert _value(deaths, SCOTLAND, "2020-2024", "drug_deaths_asr_upper") == 23.1
    assert _value(deaths, SCOTLAND, "2020-2024", "drug_deaths_5yr") == 5909
    assert _value(deaths, "S12000030", "2020-2024", "drug_deaths_5yr") == 92  # Stirling
    c4 = deaths[deaths["measure_id"].eq("drug_deaths_asr")]
    assert c4["period"].nunique() == 21  # 2000-2004 … 2020-2024
    assert len(c4) == 21 * 33


def test_drug_deaths_low_reliability_rates_keep_marker(deaths):
    hit = deaths[
        deaths["area_code"].eq("S12000013")
        & deaths["period"].eq("2000-2004")
        & deaths["measure_id"].str.startswith("drug_deaths_asr")
    ]
    assert len(hit) == 3
    assert hit["value"].isna().all() and hit["marker"].eq("[l]").all()
    assert _value(deaths, "S12000013", "2000-2004", "drug_deaths_5yr") == 3
    assert deaths["marker"].eq("[l]").sum() == 165


# --- SIMD ---------------------------------------------------------------------


def _raw_simd():
    with SIMD_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_simd_has_6976_zones_and_scotland_is_their_sum(simd):
    zones = _raw_simd()
    assert len(zones) == 6976
    total = sum(int(z["Total_population"]) for z in zones)
    working = sum(int(z["Working_Age_population"]) for z in zones)
    assert _value(simd, SCOTLAND, "2020", "simd_population") == total == 5424800
    assert _value(simd, SCOTLAND, "2020", "simd_working_age_population") == working
    populations = simd[simd["measure_id"].eq("simd_population")]
    assert populations[populations["area_code"].ne(SCOTLAND)]["value"].sum() == total


def test_simd_glasgow_most_deprived(simd):
    zones = [z for z in _raw_simd() if z["Council_area"] == "Glasgow City"]
    deprived = sum(int(z["Total_population"]) for z in zones if int(z["SIMD2020v2_Decile"]) <= 2)
    income = sum(int(z["income_count"]) for z in zones)
    assert _value(simd, GLASGOW, "2020", "simd_pop_most_deprived_20") == deprived
    assert _value(simd, GLASGOW, "2020", "simd_income_deprived") == income


def test_simd_western_isles_name_variant(simd):
    zones = [z for z in _raw_simd() if z["Council_area"] == "Na h-Eileanan an Iar"]
    assert len(zones) == 36
    expected = sum(int(z["Total_population"]) for z in zones)
    assert _value(simd, "S12000013", "2020", "simd_population") == expected


def test_simd_deciles_add_up_to_population(simd):
    deciles = simd[simd["measure_id"].str.startswith("simd_pop_decile_")]
    by_area = deciles.groupby("area_code")["value"].sum()
    population = simd[simd["measure_id"].eq("simd_population")].set_index("area_code")["value"]
    assert (by_area == population.loc[by_area.index]).all()
    assert len(simd) == 33 * 15


# --- everything together --------------------------------------------------------


def test_real_measures_are_framework_measures_and_fast(crime):
    # CPU time, not wall time: the budget is the loaders' own cost, not the shared machine's
    start = time.process_time()
    everything = load_real_measures()
    seconds = time.process_time() - start
    assert seconds < 5, f"loading the bundled real data took {seconds:.2f} s of CPU"
    assert set(everything["measure_id"]) <= load_framework().measure_ids
    assert not everything.duplicated(["area_code", "period", "measure_id"]).any()
    older_crime = int((crime["period"] < "2015-16").sum())  # statistics.gov.scot years
    expected = (
        older_crime
        + 16 * 33 * 10  # bulletin: 16 crime measures, 33 areas, 2015-16 to 2024-25
        + 5 * 33  # reconviction Table 13: 3 published + 2 derived measures, 2017-18
        + 33 * (21 + 6)  # population 16+: NRS 1998-99 to 2018-19, estimates 2019-20 to 2024-25
        + 33 * 9  # all ages, mid-2015 to mid-2023
        + 15 * 33  # drug deaths Table C1, 2010 to 2024
        + 4 * 21 * 33  # drug deaths Table C4
        + 15 * 33  # SIMD measures
    )
    assert len(everything) == expected
    assert load_report(everything)["unknown_areas"] == []
