"""Every fault met on real government workbooks (issue 12), on small workbooks built here.

Each fixture is a hand-made copy of the layout that broke the loaders; each test gives
the right rows (checked by value) or one clear line: file, sheet, row, value, what was
expected and what to do, with no line break and no traceback.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import DUNDEE, FIFE, GLASGOW, SCOTLAND

from cjlib.errors import CjlibDataError
from cjlib.loaders import (
    load_mapped,
    load_statsgov_csv,
    load_tidy,
    read_gss_tables,
    read_mapping,
    tidy_areas_as_rows,
    tidy_periods_as_columns,
)
from cjlib.markers import parse_cell, parse_cells
from cjlib.paths import PROJECT_DIR
from cjlib.validate import check_file

PERTH, ARGYLL, DUMFRIES = "S12000048", "S12000035", "S12000006"


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _value(frame, area, period, measure):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure, len(hit))
    return hit.iloc[0]


def _one_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message, message


# An older Scottish Government table (like reconviction Table 13): navigation row and
# title above, "All" for Scotland, "&" for "and", footnote digits glued to names, empty
# cells, "Other"/"Unknown" rows and footnotes directly under the table.
OLD_STYLE = [
    ["Return to Index"],
    ["Table 9: Reconviction rates by local authority: 2017-18 cohort"],
    [],
    ["Local Authority", "Number of offenders", "Reconviction rate", "Average"],
    ["All", 36700, 26.3, 0.46],
    ["Dundee City7", 1154, 26.7, 0.47],
    ["Fife7", 2110, None, 0.42],
    ["Glasgow City9,10,13", 4362, 26.6, 0.45],
    ["Perth & Kinross", 608, 23.5, 0.39],
    ["Argyll & Bute", 350, "x", None],
    ["Dumfries & Galloway", 958, 29.1, 0.46],
    ["Other2", 649, 9.2, 0.13],
    ["Unknown3", 7292, 29.9, 0.56],
    ["1. These data are classed as Experimental Statistics."],
    ["https://www.ons.gov.uk/methodology"],
    ["2. Includes offenders with a postcode outside Scotland."],
]


@pytest.fixture
def old_style(tmp_path):
    path = _book(tmp_path / "old_style.xlsx", {"Table 9": OLD_STYLE})
    return read_gss_tables(path, ["Table 9"])["Table 9"]


def test_footnotes_directly_under_a_table_are_not_rows(old_style):
    assert list(old_style.iloc[:, 0])[-1] == "Unknown3"
    assert len(old_style) == 9
    assert list(old_style.index) == list(range(5, 14))  # sheet row numbers


def test_old_style_table_gives_the_right_rows(old_style):
    tidy = tidy_areas_as_rows(
        old_style,
        area_column="Local Authority",
        measures={"Number of offenders": "reconviction_cohort", "Reconviction rate": "rate"},
        period="2017-18",
        exclude_areas=["Other", "Unknown"],
        strict=True,
    )
    assert _value(tidy, SCOTLAND, "2017-18", "reconviction_cohort")["value"] == 36700  # "All"
    assert _value(tidy, DUNDEE, "2017-18", "reconviction_cohort")["value"] == 1154  # "Dundee City7"
    assert _value(tidy, GLASGOW, "2017-18", "rate")["value"] == 26.6  # "Glasgow City9,10,13"
    assert _value(tidy, PERTH, "2017-18", "rate")["value"] == 23.5  # "&" for "and"
    assert _value(tidy, DUMFRIES, "2017-18", "reconviction_cohort")["value"] == 958
    fife = _value(tidy, FIFE, "2017-18", "rate")  # an empty cell
    assert math.isnan(fife["value"]) and fife["marker"] == "[x]"
    argyll = _value(tidy, ARGYLL, "2017-18", "rate")  # bare "x"
    assert math.isnan(argyll["value"]) and argyll["marker"] == "[x]"
    assert tidy["area_code"].nunique() == 7


def test_unknown_area_is_one_line_with_sheet_row_and_advice(old_style):
    with pytest.raises(CjlibDataError) as err:
        tidy_areas_as_rows(
            old_style,
            area_column="Local Authority",
            measures={"Number of offenders": "reconviction_cohort"},
            period="2017-18",
            strict=True,
        )
    message = str(err.value)
    _one_line(message)
    assert message.startswith("old_style.xlsx: sheet 'Table 9', row 12: 'Other2'")
    assert "expected one of the 32 council area names" in message
    assert "add it to exclude_areas" in message


def test_without_strict_unknown_areas_are_reported_not_fatal(old_style):
    tidy = tidy_areas_as_rows(
        old_style,
        area_column="Local Authority",
        measures={"Number of offenders": "reconviction_cohort"},
        period="2017-18",
    )
    assert tidy.attrs["unknown_areas"] == ["Other", "Unknown"]


# --- empty cells: the crash ------------------------------------------------------------


def test_mixed_none_and_nan_cells_do_not_crash():
    cells = pd.Series([None, np.nan, 5, "12", "x", None, float("nan"), "n/l"], dtype=object)
    values, markers = parse_cells(cells)
    assert list(markers) == ["[x]", "[x]", "", "", "[x]", "[x]", "[x]", "[z]"]
    assert values.iloc[2] == 5 and values.iloc[3] == 12
    assert values.isna().sum() == 6


def test_only_numbers_and_empty_cells():
    values, markers = parse_cells(pd.Series([1.0, None, 3, np.nan], dtype=object))
    assert list(markers) == ["", "[x]", "", "[x]"]
    assert values.iloc[0] == 1 and values.iloc[2] == 3


@pytest.mark.parametrize(
    ("cell", "marker"),
    [("x", "[x]"), ("z", "[z]"), ("n/l", "[z]"), ("n/r", "[x]"), ("low", "[low]"), ("c", "[c]")],
)
def test_shorthand_without_brackets(cell, marker):
    value, found = parse_cell(cell)
    assert math.isnan(value) and found == marker
    assert parse_cell(cell.upper())[1] == marker


# --- areas as rows, periods as columns (the crime bulletin layout) ---------------------

BULLETIN = [
    ["Table 1: Crimes recorded by the police, Scotland, 2015-16 to 2024-25"],
    ["Note: There is a filter available"],
    [
        "Local Authority",
        "Crime group",
        "Crime type",
        "2016-17",
        "2017-18 [note 7]",
        "2024-25",
        "% change 23-24 to 24-25",
    ],
    ["Scotland", "Total Crimes", "Total", 298154, 304215, 299111, -0.2],
    ["Scotland", "Sexual crimes", "Total", 13000, 14000, 15000, 1.0],
    ["Glasgow City", "Total Crimes", "Total", 50000, 51000, 52406, 3.7],
    ["Glasgow City", "Sexual crimes", "Total", 1700, "n/l", "x", "n/r"],
    ["Edinburgh, City of", "Total Crimes", "Total", 30000, 31000, "low", "z"],
    ["Return to index"],
    ["Go to Notes"],
]


@pytest.fixture
def bulletin(tmp_path):
    path = _book(tmp_path / "bulletin.xlsx", {"Table_1": BULLETIN})
    return path, read_gss_tables(path, ["Table_1"])["Table_1"]


def test_periods_as_columns_reader(bulletin):
    _, table = bulletin
    tidy = tidy_periods_as_columns(
        table,
        area_column="Local Authority",
        measures={
            "crimes_all": {"Crime group": "Total Crimes", "Crime type": "Total"},
            "crimes_group2": {"Crime group": "Sexual crimes", "Crime type": "Total"},
        },
        strict=True,
    )
    assert set(tidy["period"]) == {"2016-17", "2017-18", "2024-25"}  # "% change" left out
    assert _value(tidy, GLASGOW, "2024-25", "crimes_all")["value"] == 52406
    assert _value(tidy, GLASGOW, "2017-18", "crimes_group2")["marker"] == "[z]"
    assert _value(tidy, GLASGOW, "2024-25", "crimes_group2")["marker"] == "[x]"
    assert _value(tidy, "S12000036", "2024-25", "crimes_all")["marker"] == "[low]"
    assert len(tidy) == 3 * 3 + 2 * 3  # navigation rows are not areas


def test_note_references_in_headers_and_period_labels(bulletin):
    _, table = bulletin
    assert "2017-18" in table.columns  # "2017-18 [note 7]"


def test_mid_year_columns_align_to_financial_years(tmp_path):
    path = _book(
        tmp_path / "population.xlsx",
        {"Population": [["Title"], ["Local authority", "2016", "2018"], ["Fife", 370000, 371000]]},
    )
    table = read_gss_tables(path, ["Population"])["Population"]
    tidy = tidy_periods_as_columns(
        table,
        area_column="Local authority",
        measures={"population_all_ages": None},
        calendar_to_financial=True,
    )
    assert _value(tidy, FIFE, "2016-17", "population_all_ages")["value"] == 370000  # mid-2016
    assert _value(tidy, FIFE, "2018-19", "population_all_ages")["value"] == 371000


# --- mappings, cjlib load and cjlib validate on workbooks ------------------------------

MAPPING = """\
id: test_bulletin
title: Crimes recorded by the police
publisher: Scottish Government
file: bulletin.xlsx
sheet: Table_1
header_row: 3
layout: periods_as_columns
area_column: Local Authority
measures:
  crimes_all: {Crime group: Total Crimes, Crime type: Total}
source: "Test bulletin, Table 1"
"""


def test_mapping_loads_the_workbook(bulletin, tmp_path):
    path, _ = bulletin
    mapping = tmp_path / "test.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    tidy = load_mapped(mapping, path)
    assert _value(tidy, SCOTLAND, "2016-17", "crimes_all")["value"] == 298154
    assert set(tidy["source"]) == {"Test bulletin, Table 1"}


def test_mapping_with_an_unknown_key_is_one_line(tmp_path):
    mapping = tmp_path / "bad.yaml"
    mapping.write_text(MAPPING + "colums: {}\n", encoding="utf-8")
    with pytest.raises(CjlibDataError) as err:
        read_mapping(mapping)
    _one_line(str(err.value))
    assert "key 'colums'" in str(err.value)


def test_bad_cell_is_one_line_with_file_sheet_row_value(tmp_path):
    rows = [list(r) for r in BULLETIN]
    rows[5] = ["Glasgow City", "Total Crimes", "Total", 50000, "fifty-one thousand", 52406, 3.7]
    path = _book(tmp_path / "bulletin.xlsx", {"Table_1": rows})
    mapping = tmp_path / "test.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(CjlibDataError) as err:
        load_mapped(mapping, path)
    message = str(err.value)
    _one_line(message)
    assert message.startswith(
        "bulletin.xlsx: sheet 'Table_1', row 6, column '2017-18': 'fifty-one thousand' is "
        "neither a number nor a marker; expected a number or a marker"
    )
    assert "correct the cell" in message


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cjlib.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )


def test_cjlib_load_writes_a_tidy_csv(bulletin, tmp_path):
    path, _ = bulletin
    mapping = tmp_path / "test.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    out = tmp_path / "out" / "tidy.csv"
    done = _cli("load", str(mapping), str(path), str(out))
    assert done.returncode == 0, done.stderr
    tidy = load_tidy(out)
    assert _value(tidy, GLASGOW, "2024-25", "crimes_all")["value"] == 52406
    failed = _cli("load", str(mapping), str(tmp_path / "missing.xlsx"), str(out))
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "missing.xlsx: no such file" in failed.stderr


def test_validate_checks_a_workbook_through_its_mapping(bulletin, tmp_path):
    path, _ = bulletin
    mapping = tmp_path / "test.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    report = check_file(path, mappings=[mapping])
    assert report.ok, [str(p) for p in report.problems]
    assert report.rows == 3 * 3
    done = _cli("validate", "--mapping", str(mapping), str(path))
    assert done.returncode == 0, done.stdout + done.stderr


def test_validate_without_a_mapping_says_what_to_do(tmp_path):
    path = _book(tmp_path / "mystery.xlsx", {"Sheet Z": [["a", "b"], [1, 2]]})
    problems = check_file(path).problems
    assert len(problems) == 1
    _one_line(problems[0].message)
    assert "no mapping describes this workbook (1 sheet: Sheet Z)" in problems[0].message
    assert "cjlib validate --mapping" in problems[0].message


def test_text_file_named_xlsx_is_one_line(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("Area,Value\nFife,1\n", encoding="utf-8")
    problems = check_file(path).problems
    assert len(problems) == 1
    _one_line(str(problems[0]))
    assert "not a readable .xlsx workbook" in problems[0].message


# --- statistics.gov.scot spreadsheet view ------------------------------------------------

SPREADSHEET_VIEW = """\
"Recorded Crime"
"Measure Type","Count"
"Crime or Offence","All Crimes"
"Generated","2025-06-30"

"","","2020/2021","2021/2022"
"http://statistics.gov.scot/id/statistical-geography/S12000049","Glasgow City","48000","50558"
"http://statistics.gov.scot/id/statistical-geography/S12000036","City of Edinburgh","29000","30000"
"""


def test_spreadsheet_view_gets_one_line_suggesting_the_tidy_csv(tmp_path):
    path = tmp_path / "recorded-crime.csv"
    path.write_text(SPREADSHEET_VIEW, encoding="utf-8")
    for load in (lambda: load_tidy(path), lambda: load_statsgov_csv(path, {"x": {}})):
        with pytest.raises(CjlibDataError) as err:
            load()
        _one_line(str(err.value))
        assert "'spreadsheet view'" in str(err.value)
        assert "FeatureCode, DateCode" in str(err.value)
    problems = check_file(path).problems
    assert len(problems) == 1
    _one_line(str(problems[0]))
    assert "line 7" in problems[0].message
    done = _cli("validate", str(path))
    assert done.returncode == 1
    assert done.stdout.count("\n") == 1 and "spreadsheet view" in done.stdout
