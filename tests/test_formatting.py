"""Numbers and titles for people: separators, decimals, markers, sentence case."""

import math

import pytest

from cjlib.formatting import format_interval, format_number, format_value, in_sentence


@pytest.mark.parametrize(
    ("value", "decimals", "marker", "expected"),
    [
        (14712.0, 0, "", "14,712"),
        (0.0, 0, "", "0"),
        (-0.2, 0, "", "0"),
        (5.4321, 1, "", "5.4"),
        (math.nan, 0, "[c]", "[c]"),
        (None, 1, "", "[x]"),
    ],
)
def test_format_number(value, decimals, marker, expected):
    assert format_number(value, decimals, marker) == expected


def test_format_value_by_type():
    assert format_value(73.14, "proportion", "% of orders ended") == "73.1%"
    assert format_value(1234.0, "count", "cases") == "1,234"
    assert format_value(0.4695, "rate", "reconvictions per offender") == "0.47"
    assert format_value(math.nan, "rate", "per 10,000 people aged 16+", "[c]") == "[c]"


def test_format_interval():
    assert format_interval(2.71, 6.37, "rate", "per 10,000") == "2.7 to 6.4"
    assert format_interval(math.nan, 1.0, "rate", "per 10,000") == ""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param(
            "Share of people registered with a GP",
            "share of people registered with a GP",
            id="a capital starting the title is lowered",
        ),
        pytest.param(
            "GP registrations on release",
            "GP registrations on release",
            id="an acronym keeps its capitals",
        ),
        pytest.param("", "", id="empty"),
    ],
)
def test_in_sentence(title, expected):
    assert in_sentence(title) == expected


def test_indicators_used_are_summarised_by_role():
    from cjlib.framework import load_framework
    from cjlib.report.summary import describe_indicators_used

    text = describe_indicators_used(
        "NI01a, NI01b_rate, NI01_conv_completed, LE01_prompt", load_framework()
    )
    assert text.startswith("1 national indicator (number of diversion from prosecution: (a)")
    assert "2 comparable rates and shares" in text and text.endswith("1 local evidence item")
    assert describe_indicators_used("", load_framework()) == "none"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Orkney Islands", "Orkney Islands'"), ("Glasgow City", "Glasgow City's"), ("Fife", "Fife's")],
)
def test_possessive_of_names_ending_in_s(name, expected):
    from cjlib.formatting import possessive

    assert possessive(name) == expected


def test_every_gap_has_one_marker_shape():
    from cjlib.gaps import decision_gap, to_complete

    assert to_complete("the reason", "indicators_not_used.NI01a") == (
        "TO COMPLETE: the reason (indicators_not_used.NI01a)"
    )
    assert decision_gap("O3") == (
        "TO COMPLETE: the partnership's decision on priority (priorities.O3)"
    )
