"""cjlib.periods and cjlib.markers: every spelling of a period and every GSS marker.

Expected values are written out by hand from the domain brief and the GSS guidance on
symbols in tables; none is cjlib's own output pasted back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cjlib.markers import MARKERS, parse_cell, parse_cells
from cjlib.periods import (
    financial_year,
    normalise_period,
    normalise_periods,
    period_start_year,
)

# --- periods ------------------------------------------------------------------------


#: Spellings of one financial year (2021-22) met in published tables.
SPELLINGS_OF_2021_22 = [
    "2021/2022", "2021-22", "2021/22", "2021-2022", " 2021/2022 ", "2021 / 22", "2021 - 2022"
]  # fmt: skip


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        *[(spelling, "2021-22") for spelling in SPELLINGS_OF_2021_22],
        # financial years across a century and a decade
        ("1999/2000", "1999-00"),
        ("1999-00", "1999-00"),
        ("1999/00", "1999-00"),
        ("2009/10", "2009-10"),
        ("2016-2017", "2016-17"),
        ("2023/2024", "2023-24"),
        # calendar years are kept
        ("2021", "2021"),
        (2021, "2021"),
        (2021.0, "2021"),
        # months, and quarters of a financial year (named by the year it starts in)
        ("2024-04", "2024-04"),
        (" 2024-12 ", "2024-12"),
        ("2024-Q1", "2024-Q1"),
        ("2024 Q3", "2024-Q3"),
        ("2024q4", "2024-Q4"),
        ("2024-25 Q2", "2024-Q2"),
        ("2024/25 Q2", "2024-Q2"),
    ],
)
def test_every_spelling_of_a_period_is_normalised(spelling, expected):
    assert normalise_period(spelling) == expected


@pytest.mark.parametrize(
    "value",
    [
        *[None, math.nan, "", "abc", "2021-23", "2021/2023", "2022/21", "21-22", "FY2021-22"],
        *["2021-2", "2024-13", "2024-00", "2024-4", "2024-Q5", "2024-26 Q1"],
    ],
)
def test_unreadable_periods_give_none(value):
    assert normalise_period(value) is None


def test_normalise_periods_is_vectorised_and_keeps_the_index():
    values = pd.Series(["2021/2022", "2021/22", "nonsense", "2023-2024"], index=[10, 11, 12, 13])
    out = normalise_periods(values)
    assert out.index.equals(values.index)
    assert out.loc[10] == "2021-22"
    assert out.loc[11] == "2021-22"
    assert pd.isna(out.loc[12])
    assert out.loc[13] == "2023-24"


@pytest.mark.parametrize(
    ("start", "expected"), [(2016, "2016-17"), (2023, "2023-24"), (1999, "1999-00")]
)
def test_financial_year_from_its_start(start, expected):
    assert financial_year(start) == expected
    assert period_start_year(expected) == start


# --- markers ------------------------------------------------------------------------

GSS_MARKERS = ["[c]", "[x]", "[z]", "[low]", "[u]", "[p]", "[r]", "[b]"]


@pytest.mark.parametrize(
    ("cell", "marker"),
    [
        *[(marker, marker) for marker in GSS_MARKERS],
        # markers are case-insensitive
        *[(marker.upper(), marker) for marker in GSS_MARKERS],
        # the older shorthand maps to the GSS form
        *[("*", "[c]"), ("-", "[x]"), ("..", "[x]"), (" * ", "[c]"), (" .. ", "[x]")],
    ],
)
def test_a_marker_alone_gives_no_value_and_its_gss_form(cell, marker):
    value, found = parse_cell(cell)
    assert math.isnan(value)
    assert found == marker


@pytest.mark.parametrize("marker", [*GSS_MARKERS, "*", "-", ".."])
def test_every_marker_in_the_brief_is_documented(marker):
    assert marker in MARKERS
    assert MARKERS[marker].strip()


#: Cells holding a number, by what else they show: (cell, value, marker kept).
NUMBER_CELLS = {
    "separators": [("1,234", 1234.0, ""), ("12,345,678", 12345678.0, "")],
    "per cent": [("8%", 8.0, ""), ("12.5%", 12.5, "")],
    "qualifier": [
        ("12 [p]", 12.0, "[p]"),
        ("12[r]", 12.0, "[r]"),
        ("1,234 [b]", 1234.0, "[b]"),
        ("0.7 [u]", 0.7, "[u]"),
    ],
    "plain": [("73", 73.0, ""), (" 7 ", 7.0, ""), ("12.50", 12.5, ""), ("0", 0.0, "")],
    "sign": [("-3", -3.0, "")],
    "note dropped": [("12 [note 3]", 12.0, "")],
}


@pytest.mark.parametrize(
    ("cell", "value", "marker"),
    [
        pytest.param(*case, id=f"{kind} {case[0]!r}")
        for kind, cases in NUMBER_CELLS.items()
        for case in cases
    ],
)
def test_numbers_with_separators_percent_and_qualifiers(cell, value, marker):
    got_value, got_marker = parse_cell(cell)
    assert got_value == pytest.approx(value)
    assert got_marker == marker


@pytest.mark.parametrize(
    ("cell", "value"),
    [(5, 5.0), (5.5, 5.5), (np.int64(7), 7.0), (np.float64(2.25), 2.25), (0, 0.0)],
)
def test_numeric_cells_pass_through(cell, value):
    assert parse_cell(cell) == (value, "")


@pytest.mark.parametrize("cell", [None, math.nan, np.nan, "", "   "])
def test_empty_cells_are_not_available(cell):
    value, marker = parse_cell(cell)
    assert math.isnan(value)
    assert marker == "[x]"


@pytest.mark.parametrize("cell", ["abc", "n/a", "see note", "1,23", "1,2345", "%", ".", "twelve"])
def test_non_numeric_text_gives_question_mark(cell):
    value, marker = parse_cell(cell)
    assert math.isnan(value)
    assert marker == "?"


def test_parse_cells_is_vectorised_and_keeps_the_index():
    cells = pd.Series(["1,234", "[c]", "12 [p]", "abc", None, "*", 7], index=list("abcdefg"))
    values, markers = parse_cells(cells)
    assert values.index.equals(cells.index)
    assert markers.index.equals(cells.index)
    assert values["a"] == 1234.0
    assert values["c"] == 12.0
    assert values["g"] == 7.0
    assert values[["b", "d", "e", "f"]].isna().all()
    assert markers.to_dict() == {
        "a": "",
        "b": "[c]",
        "c": "[p]",
        "d": "?",
        "e": "[x]",
        "f": "[c]",
        "g": "",
    }
