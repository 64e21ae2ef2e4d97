"""GSS accessible spreadsheets: header below notes, areas as columns or rows, markers."""

from pathlib import Path

import pandas as pd
import pytest

from cjlib.errors import CjlibDataError
from cjlib.loaders import (
    load_report,
    read_gss_tables,
    tidy_areas_as_columns,
    tidy_areas_as_rows,
)
from cjlib.loaders.gss_xlsx import find_header_row

WORKBOOK = Path(__file__).parent / "fixtures" / "loaders" / "gss_tables.xlsx"


@pytest.fixture(scope="module")
def tables():
    return read_gss_tables(WORKBOOK, ["Table_1", "Table_2"])


def _cell(frame, area, period, measure):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure)
    return hit.iloc[0]["value"], hit.iloc[0]["marker"]


def test_header_row_is_found_below_title_and_notes(tables):
    assert tables["Table_1"].attrs["header_row"] == 5
    assert tables["Table_2"].attrs["header_row"] == 4
    assert "Glasgow City" in tables["Table_1"].columns  # "[note 2]" stripped
    assert list(tables["Table_2"].columns) == ["Council area", "Five-year period", "Rate", "Deaths"]


def test_table_ends_at_first_empty_row(tables):
    assert len(tables["Table_2"]) == 7  # the source line below the blank row is not data


def test_find_header_row_skips_single_cell_rows():
    rows = [["Title"], ["A note"], [None, None], ["Area", "Value"], ["Fife", 1]]
    assert find_header_row(rows) == 3


@pytest.fixture(scope="module")
def columns(tables):
    """Table_1, a column per area: drug deaths by year and sex, the Persons rows kept."""
    table, persons = tables["Table_1"], {"Sex": "Persons"}
    return tidy_areas_as_columns(
        table, measure_id="drug_deaths", period_column="Year", where=persons, source="test"
    )


@pytest.mark.parametrize(
    ("area", "period", "expected"),
    [
        ("S92000003", "2024", (1017, "")),
        ("S12000049", "2024", (185, "")),  # "Glasgow City [note 2]"
        ("S12000047", "2024", (69, "[p]")),  # "69 [p]"
        ("S12000013", "2022", (3, "")),  # "Eilean Siar"
    ],
)
def test_areas_as_columns_values(columns, area, period, expected):
    assert _cell(columns, area, period, "drug_deaths") == expected


@pytest.mark.parametrize(
    ("area", "period", "marker"),
    [
        ("S12000023", "2022", "[c]"),
        ("S12000023", "2023", "[low]"),
        ("S12000013", "2023", "[c]"),  # "*"
        ("S12000036", "2024", "[x]"),  # "Edinburgh, City of"
    ],
)
def test_areas_as_columns_markers(columns, area, period, marker):
    value, found = _cell(columns, area, period, "drug_deaths")
    assert pd.isna(value) and found == marker


def test_areas_as_columns_takes_persons_only(columns):
    assert len(columns) == 3 * 6  # three years, six known areas, Persons rows only
    assert load_report(columns)["unknown_areas"] == ["Nowhere"]


@pytest.fixture(scope="module")
def rows(tables):
    """Table_2, a row per area and five-year period: a death rate and a count of deaths."""
    measures = {"Rate": "drug_deaths_asr", "deaths": "drug_deaths_5yr"}
    return tidy_areas_as_rows(
        tables["Table_2"],
        area_column="Council area",
        period_column="Five-year period",
        measures=measures,
    )


def test_areas_as_rows_five_year_periods(rows):
    assert sorted(set(rows["period"])) == ["2019-2023", "2020-2024"]
    assert _cell(rows, "S92000003", "2020-2024", "drug_deaths_5yr") == (5909, "")
    assert _cell(rows, "S12000049", "2019-2023", "drug_deaths_asr") == (40.2, "")  # S12000046
    assert _cell(rows, "S12000049", "2020-2024", "drug_deaths_asr") == (41.0, "[r]")
    assert _cell(rows, "S12000048", "2019-2023", "drug_deaths_asr") == (12.5, "")


def test_areas_as_rows_low_reliability_marker(rows):
    value, marker = _cell(rows, "S12000023", "2019-2023", "drug_deaths_asr")
    assert pd.isna(value) and marker == "[l]"
    assert _cell(rows, "S12000023", "2019-2023", "drug_deaths_5yr") == (4, "")


def test_source_defaults_to_workbook_and_sheet(rows):
    assert set(rows["source"]) == {"gss_tables.xlsx:Table_2"}


def test_missing_sheet_and_column_are_clear_errors(tables):
    with pytest.raises(CjlibDataError, match=r"no sheet 'Table_9' \(5 sheets: Cover sheet"):
        read_gss_tables(WORKBOOK, ["Table_9"])
    with pytest.raises(CjlibDataError, match="no column 'Region'"):
        tidy_areas_as_rows(tables["Table_2"], area_column="Region", measures={}, period="2024")
    with pytest.raises(CjlibDataError, match="no rows where"):
        tidy_areas_as_columns(
            tables["Table_1"], measure_id="x", period_column="Year", where={"Sex": "All"}
        )


def test_not_a_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(CjlibDataError, match="not a readable .xlsx workbook"):
        read_gss_tables(path, ["Table_1"])
