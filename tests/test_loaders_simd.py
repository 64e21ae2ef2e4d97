"""SIMD data zones aggregated to council areas and Scotland (hand-made file)."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import ORKNEY

from cjlib.loaders import load_simd_data_zones

FIXTURE = Path(__file__).parent / "fixtures" / "loaders" / "simd_small.csv"
WESTERN_ISLES = "S12000013"  # "Na h-Eileanan an Iar" in the file


@pytest.fixture(scope="module")
def simd():
    return load_simd_data_zones(FIXTURE)


def _cell(frame, area, measure):
    hit = frame[frame["area_code"].eq(area) & frame["measure_id"].eq(measure)]
    assert len(hit) == 1, (area, measure)
    return hit.iloc[0]["value"], hit.iloc[0]["marker"]


def test_every_row_is_period_2020(simd):
    assert set(simd["period"]) == {"2020"}


def test_populations_sum_data_zones(simd):
    assert _cell(simd, WESTERN_ISLES, "simd_population") == (2100, "")
    assert _cell(simd, ORKNEY, "simd_working_age_population") == (900, "")


def test_deciles_and_most_deprived(simd):
    # Western Isles zones: 800 people in decile 1, 600 in decile 2, 700 in decile 9
    assert _cell(simd, WESTERN_ISLES, "simd_pop_decile_1") == (800, "")
    assert _cell(simd, WESTERN_ISLES, "simd_pop_decile_9") == (700, "")
    assert _cell(simd, WESTERN_ISLES, "simd_pop_most_deprived_20") == (1400, "")
    assert _cell(simd, ORKNEY, "simd_pop_most_deprived_20") == (0, "")


def test_suppressed_count_is_estimated_from_rate(simd):
    # 160 + 10% of 600 + 28 = 248; one zone estimated, so marked [e]
    assert _cell(simd, WESTERN_ISLES, "simd_income_deprived") == (248, "[e]")
    # employment: "*" count, 8% of 300 = 24; 24 + 0 + 42 = 66
    assert _cell(simd, ORKNEY, "simd_employment_deprived") == (66, "[e]")
    assert _cell(simd, WESTERN_ISLES, "simd_employment_deprived") == (129, "")


def test_count_and_rate_both_suppressed_leave_the_area_missing(simd):
    value, marker = _cell(simd, ORKNEY, "simd_income_deprived")
    assert pd.isna(value) and marker == "[c]"


def test_scotland_is_the_sum_of_data_zones(simd):
    assert _cell(simd, "S92000003", "simd_population") == (3500, "")
    assert _cell(simd, "S92000003", "simd_employment_deprived") == (195, "[e]")
    value, marker = _cell(simd, "S92000003", "simd_income_deprived")
    assert pd.isna(value) and marker == "[c]"
