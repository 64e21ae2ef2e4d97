"""cjlib.periods: labels and one time order for every kind of period.

How each spelling of a month or quarter is read is in test_periods_markers.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjlib.framework import load_framework
from cjlib.periods import (
    by_period,
    is_financial_year,
    mixed_periods,
    normalise_period,
    period_kind,
    period_label,
    sort_periods,
)
from cjlib.validate import check_frame


def test_a_financial_year_wins_over_a_month_of_the_same_spelling():
    # "2011-12" is the financial year April 2011 to March 2012, not December 2011
    assert period_kind(normalise_period("2011-12")) == "financial year"


#: How a period reads in a sentence: quarters count from April, as financial years do.
LABELS = {
    "2024-04": "April 2024",
    "2024-Q1": "April to June 2024",
    "2024-Q3": "October to December 2024",
    "2024-Q4": "January to March 2025",
    "2023-24": "2023-24",
}


@pytest.mark.parametrize(("period", "words"), LABELS.items())
def test_quarters_follow_the_financial_year(period, words):
    assert period_label(period) == words


def test_one_time_order_mixes_calendar_and_financial_years_months_and_quarters():
    # worked out by hand from each period's first month, then its last month:
    # 2020-2024 Jan 2020; 2023 Jan 2023-Dec 2023; 2023-24 Apr 2023-Mar 2024;
    # 2024 Jan 2024; 2024-04 Apr 2024 (one month) < 2024-Q1 Apr-Jun 2024 < 2024-25 Apr
    # 2024-Mar 2025; 2024-05 May 2024; 2024-Q2 Jul 2024; 2025-01 Jan 2025 (one month)
    # < 2024-Q4 Jan-Mar 2025
    shuffled = [
        "2024-Q4",
        "2024-25",
        "2025-01",
        "2023",
        "2024-05",
        "2024-Q1",
        "2020-2024",
        "2024",
        "2023-24",
        "2024-04",
        "2024-Q2",
    ]
    assert sort_periods(shuffled) == [
        "2020-2024",
        "2023",
        "2023-24",
        "2024",
        "2024-04",
        "2024-Q1",
        "2024-25",
        "2024-05",
        "2024-Q2",
        "2025-01",
        "2024-Q4",
    ]


def test_calendar_year_sorts_before_the_financial_year_starting_in_its_april():
    frame = pd.DataFrame(
        {"area_code": ["B", "A", "A", "A"], "period": ["2023", "2023-24", "2023", "2022-23"]}
    )
    ordered = frame.sort_values(["area_code", "period"], key=by_period)
    assert list(zip(ordered["area_code"], ordered["period"], strict=True)) == [
        ("A", "2022-23"),
        ("A", "2023"),
        ("A", "2023-24"),
        ("B", "2023"),
    ]


def test_only_financial_years_are_reporting_periods():
    assert is_financial_year("2023-24")
    for other in ("2024-04", "2024-Q1", "2023", "2020-2024"):
        assert not is_financial_year(other)


def test_months_and_quarters_in_one_series_are_mixed():
    periods = pd.Series(["2024-04", "2024-05", "2024-Q2", "2024-06", "2023-24"])
    series = pd.Series(["x"] * 4 + ["y"])
    problems = mixed_periods(periods, series)
    assert list(problems) == [2]
    assert "'2024-Q2' is a quarter" in problems[2] and "months" in problems[2]


def test_annual_kinds_may_still_mix():
    periods = pd.Series(["2022-23", "2023", "2023-24"])
    assert mixed_periods(periods, pd.Series(["x"] * 3)) == {}


def test_validation_names_file_row_and_value_of_a_mixed_period():
    raw = pd.DataFrame(
        {
            "area_code": ["S12000033"] * 3,
            "period": ["2024-04", "2024-05", "2024-Q2"],
            "measure_id": ["simd_population"] * 3,
            "value": ["1", "2", "3"],
            "source": ["synthetic"] * 3,
        }
    )
    report = check_frame(raw, "monthly.csv", load_framework())
    lines = [str(p) for p in report.problems]
    assert len(lines) == 1
    assert lines[0].startswith("monthly.csv:4:period: '2024-Q2' is a quarter")


def test_validation_names_an_unreadable_month():
    raw = pd.DataFrame(
        {
            "area_code": ["S12000033"],
            "period": ["2024-13"],
            "measure_id": ["simd_population"],
            "value": ["1"],
            "source": ["synthetic"],
        }
    )
    (problem,) = check_frame(raw, "monthly.csv", load_framework()).problems
    assert str(problem).startswith("monthly.csv:2:period: '2024-13' is not a period")
    assert "2024-Q1" in str(problem)
