"""The statistics.gov.scot tidy CSV loader: dimension filter, DataMarker, codes and dates."""

from pathlib import Path

import pandas as pd
import pytest

from cjlib.errors import CjlibDataError
from cjlib.loaders import load_report, load_statsgov_csv

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
CRIME = FIXTURES / "statsgov_crime.csv"
MEASURES = {
    "Crime or Offence": {
        "All Crimes": "crimes_all",
        "Crimes: Group 2: Sexual Crimes": "crimes_group2",
        "Crimes: Group 7: Not in this file": "offences_group7",
    }
}


@pytest.fixture(scope="module")
def crime():
    return load_statsgov_csv(CRIME, MEASURES, where={"Measurement": "Count"}, source="test")


def _value(frame, area, period, measure="crimes_all"):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure)
    return hit.iloc[0]["value"], hit.iloc[0]["marker"]


def test_dimension_values_map_to_measure_ids(crime):
    assert set(crime["measure_id"]) == {"crimes_all", "crimes_group2"}
    assert _value(crime, "S12000049", "2021-22", "crimes_group2") == (9000, "")


def test_where_filters_other_measurements(crime):
    # the Ratio rows would clash with the Count rows without the filter
    assert _value(crime, "S12000049", "2021-22") == (47000, "")
    with pytest.raises(CjlibDataError, match="more than one value"):
        load_statsgov_csv(CRIME, MEASURES)


@pytest.mark.parametrize(
    ("area", "period", "value"),
    [
        ("S12000049", "2017-18", 51000),  # legacy S12000046, DateCode 2017/2018
        ("S12000047", "2020-21", 21000),  # legacy S12000015, DateCode 2020-21
        ("S12000047", "2021-22", 20000),  # DateCode 2021/22
        ("S92000003", "2021-22", 286464),  # Scotland row kept as published
    ],
)
def test_codes_and_date_codes_are_normalised(crime, area, period, value):
    assert _value(crime, area, period) == (value, "")


def test_datamarker_is_kept(crime):
    value, marker = _value(crime, "S12000023", "2021-22")
    assert pd.isna(value) and marker == "[c]"  # "*" with an empty Value
    assert _value(crime, "S12000027", "2021-22") == (3, "[c]")
    value, marker = _value(crime, "S12000027", "2021-22", "crimes_group2")
    assert pd.isna(value) and marker == "[x]"  # "[x]" in Value, no DataMarker


def test_scotland_is_not_a_council_sum(crime):
    councils = crime[crime["area_code"].ne("S92000003") & crime["period"].eq("2021-22")]
    scotland = _value(crime, "S92000003", "2021-22")[0]
    assert councils[councils["measure_id"].eq("crimes_all")]["value"].sum() != scotland


def test_unknowns_are_reported(crime):
    report = load_report(crime)
    assert report["unknown_areas"] == ["S12000099"]
    assert report["unreadable_periods"] == ["2021/2023"]
    assert crime.attrs["absent_dimension_values"] == ["Crimes: Group 7: Not in this file"]


def test_legacy_and_current_code_with_different_values_clash():
    with pytest.raises(CjlibDataError, match="S12000049 2017-18 crimes_all"):
        load_statsgov_csv(FIXTURES / "statsgov_legacy_clash.csv", MEASURES)


def test_unknown_dimension_names_the_dimensions():
    with pytest.raises(CjlibDataError, match="'Crime or Offence'"):
        load_statsgov_csv(CRIME, {"Crime": {"All Crimes": "crimes_all"}})


def test_filter_matching_nothing_is_an_error():
    with pytest.raises(CjlibDataError, match="no rows match"):
        load_statsgov_csv(CRIME, {"Crime or Offence": {"all crimes": "crimes_all"}})
