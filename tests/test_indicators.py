"""cjlib.indicators on a small hand-made measures table.

Expected values are computed independently here:

- counts below 10: the exact Poisson interval from ``scipy.stats.chi2``;
- counts of 10 or more: Byar's formula (Breslow and Day 1987) written out below;
- rates: the count's limits divided by the population, times the multiplier;
- proportions: ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.

Results are picked by area, indicator and period, and columns by name.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import DUNDEE, GLASGOW, INVERCLYDE, ORKNEY, SCOTLAND, SHETLAND, pick
from scipy.stats import chi2, norm
from statsmodels.stats.proportion import proportion_confint

from cjlib.areas import family_membership
from cjlib.framework import load_framework
from cjlib.indicators import compute_indicators
from cjlib.measures import make_measures

CLACKS, FALKIRK = "S12000005", "S12000014"  # deprivation group 3
PERIOD = "2023-24"
TOL = {"rel": 1e-9, "abs": 1e-9}

POPULATION = {
    GLASGOW: 520_000,
    DUNDEE: 120_000,
    INVERCLYDE: 64_000,
    ORKNEY: 18_000,
    SHETLAND: 19_000,
    CLACKS: 43_000,
    FALKIRK: 132_000,
    SCOTLAND: 4_500_000,
}
NAN = math.nan

#: Published cells: a number, or the GSS marker that stands in for a missing one.
DIVERSION = ("diversion_assessments", "diversion_commenced", "diversion_completed")
DIVERSION_CELLS = {
    GLASGOW: (400, 250, 190),
    DUNDEE: (150, 60, 40),
    INVERCLYDE: (0, 0, "[c]"),
    ORKNEY: (12, 7, 5),
    SHETLAND: ("[x]", "[x]", "[x]"),
    # Scotland's published row deliberately differs from the sum of these councils
    SCOTLAND: (4400, 2600, 2000),
}
OTHER_CELLS = {
    (CLACKS, "custody_referrals"): 9,
    (FALKIRK, "custody_referrals"): 10,
    (GLASGOW, "custody_referrals"): 0,
    (SCOTLAND, "custody_referrals"): 12_000,
    (SCOTLAND, "scjs_respondents"): 5500,
    (SCOTLAND, "scjs_confident"): 2400,
}
PUBLISHED = {
    **{
        (area, measure): cell
        for area, cells in DIVERSION_CELLS.items()
        for measure, cell in zip(DIVERSION, cells, strict=True)
    },
    **OTHER_CELLS,
}
#: (area, measure) -> (value, marker); the same in 2022-23 and 2023-24.
CELLS = {
    key: (NAN, cell) if isinstance(cell, str) else (cell, "") for key, cell in PUBLISHED.items()
}


def build_measures(cells=CELLS) -> pd.DataFrame:
    rows = []
    for period in ("2022-23", PERIOD):
        for (area, measure), (value, marker) in cells.items():
            rows.append((area, period, measure, value, marker))
        for area, people in POPULATION.items():
            rows.append((area, period, "population_16plus", people, ""))
    frame = pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value", "marker"])
    frame["source"] = "hand-made test data"
    return make_measures(frame)


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def results(framework) -> pd.DataFrame:
    return compute_indicators(build_measures(), framework)


# --- independent reference formulas -------------------------------------------------


def exact_poisson(count: float, confidence: float = 0.95) -> tuple[float, float]:
    alpha = 1 - confidence
    lower = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    upper = chi2.ppf(1 - alpha / 2, 2 * (count + 1)) / 2
    return lower, upper


def byar(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation as given by Breslow and Day (1987)."""
    z = norm.ppf(1 - (1 - confidence) / 2)
    o = count
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * math.sqrt(o + 1))) ** 3
    return lower, upper


def wilson(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    return proportion_confint(x, n, alpha=1 - confidence, method="wilson")


def share(x: float, n: float, confidence: float = 0.95) -> dict[str, float]:
    """The expected value and Wilson limits of a proportion x out of n, in per cent."""
    lower, upper = wilson(x, n, confidence)
    return {"value": 100 * x / n, "lower_ci": 100 * lower, "upper_ci": 100 * upper}


def rate(count: float, people: float, method=byar) -> dict[str, float]:
    """The expected value and limits of a rate per 10,000 people, from a count's limits."""
    lower, upper = method(count)
    scaled = {"value": count, "lower_ci": lower, "upper_ci": upper}
    return {column: number / people * 10_000 for column, number in scaled.items()}


def check(row: pd.Series, **expected: object) -> None:
    """Assert a results row's columns: floats within TOL, whole numbers and text exactly."""
    for column, value in expected.items():
        if isinstance(value, float):
            assert row[column] == pytest.approx(value, **TOL), column
        else:
            assert row[column] == value, column


# --- counts -------------------------------------------------------------------------


def test_count_below_10_uses_the_exact_poisson_interval(results):
    row = pick(results, ORKNEY, "NI01b")  # 7 cases commenced
    lower, upper = exact_poisson(7)
    check(row, numerator=7, value=7, lower_ci=lower, upper_ci=upper, marker="")


def test_count_of_10_or_more_uses_byar(results):
    row = pick(results, GLASGOW, "NI01b")  # 250 cases commenced
    lower, upper = byar(250)
    check(row, value=250, lower_ci=lower, upper_ci=upper)


@pytest.mark.parametrize(
    ("area", "count", "method"),
    [(CLACKS, 9, exact_poisson), (FALKIRK, 10, byar)],
    ids=["9-exact", "10-byar"],
)
def test_the_switch_from_exact_to_byar_is_at_10(results, area, count, method):
    lower, upper = method(count)
    check(pick(results, area, "NI02"), value=count, lower_ci=lower, upper_ci=upper)


def test_zero_count_has_lower_limit_zero(results):
    # upper limit of the exact interval for 0 events: -ln(0.025)
    upper = -math.log(0.025)
    check(pick(results, GLASGOW, "NI02"), value=0, lower_ci=0, upper_ci=upper, marker="")


def test_count_has_no_denominator(results):
    assert math.isnan(pick(results, GLASGOW, "NI01a")["denominator"])


# --- rates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "count", "method"),
    [(GLASGOW, 250, byar), (ORKNEY, 7, exact_poisson)],
    ids=["byar", "exact"],
)
def test_rate_per_10000(results, area, count, method):
    people = POPULATION[area]
    check(
        pick(results, area, "NI01b_rate"),
        numerator=count,
        denominator=people,
        multiplier=10_000,
        **rate(count, people, method),
    )


# --- proportions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "indicator", "x", "n"),
    [
        (GLASGOW, "NI01_conv_completed", 190, 250),
        (GLASGOW, "NI01_conv_commenced", 250, 400),
        (ORKNEY, "NI01_conv_completed", 5, 7),
        (DUNDEE, "NI01_conv_completed", 40, 60),
    ],
)
def test_proportion_with_wilson_interval(results, area, indicator, x, n):
    check(pick(results, area, indicator), numerator=x, denominator=n, **share(x, n))


def test_confidence_level_is_used_and_recorded(framework):
    results = compute_indicators(build_measures(), framework, confidence=0.90)
    row = pick(results, GLASGOW, "NI01_conv_completed")
    check(row, **share(190, 250, confidence=0.90))
    assert row["confidence"] == 0.90
    count = pick(results, GLASGOW, "NI01b")
    assert count["lower_ci"] == pytest.approx(byar(250, 0.90)[0], **TOL)


# --- Scotland and family groups -----------------------------------------------------


def test_scotland_is_the_scotland_row_not_the_council_sum(results):
    count = pick(results, SCOTLAND, "NI01b")
    assert count["value"] == 2600
    assert count["value"] != 250 + 60 + 0 + 7
    assert count["geography"] == "scotland"
    per_head = pick(results, SCOTLAND, "NI01b_rate")
    assert per_head["value"] == pytest.approx(2600 / 4_500_000 * 10_000, **TOL)
    check(pick(results, SCOTLAND, "NI01_conv_completed"), **share(2000, 2600))


def members_in_data(group: str) -> list[str]:
    membership = family_membership("deprivation")
    return [code for code in POPULATION if membership.get(code) == group]


def test_family_group_rate_is_pooled(results):
    members = members_in_data("LGBF-D4")
    assert set(members) == {GLASGOW, DUNDEE, INVERCLYDE}
    numerator = sum(CELLS[(code, "diversion_commenced")][0] for code in members)
    people = sum(POPULATION[code] for code in members)
    check(
        pick(results, "LGBF-D4", "NI01b_rate"),
        geography="family_group",
        numerator=numerator,
        denominator=people,
        **rate(numerator, people),
    )


def test_family_group_proportion_is_pooled(results):
    members = members_in_data("LGBF-D4")
    completed = sum(
        CELLS[(c, "diversion_completed")][0]
        for c in members
        if not math.isnan(CELLS[(c, "diversion_completed")][0])
    )
    commenced = sum(
        CELLS[(c, "diversion_commenced")][0]
        for c in members
        if not math.isnan(CELLS[(c, "diversion_completed")][0])
    )
    assert (completed, commenced) == (230, 310)
    check(pick(results, "LGBF-D4", "NI01_conv_completed"), **share(completed, commenced))


def test_family_group_count_is_the_sum_of_members(results):
    assert pick(results, "LGBF-D4", "NI01b")["value"] == 250 + 60 + 0


def test_family_group_pools_only_members_with_numerator_and_denominator(framework):
    cells = dict(CELLS)
    cells[(DUNDEE, "diversion_assessments")] = (NAN, "[x]")  # commenced 60 still reported
    results = compute_indicators(build_measures(cells), framework)
    row = pick(results, "LGBF-D4", "NI01_conv_commenced")
    # Glasgow 250/400 and Inverclyde 0/0 report both; Dundee reports only the numerator
    assert row["value"] == pytest.approx(100 * 250 / 400, **TOL)
    assert row["value"] <= 100


# --- markers ------------------------------------------------------------------------


def test_missing_numerator_keeps_its_marker(results):
    confidential = pick(results, INVERCLYDE, "NI01c")
    assert math.isnan(confidential["value"])
    assert confidential["marker"] == "[c]"
    not_available = pick(results, SHETLAND, "NI01b")
    assert math.isnan(not_available["value"])
    assert not_available["marker"] == "[x]"
    for column in ("lower_ci", "upper_ci"):
        assert math.isnan(confidential[column])
        assert math.isnan(not_available[column])


def test_missing_numerator_marker_wins_over_the_denominator(results):
    row = pick(results, INVERCLYDE, "NI01_conv_completed")  # [c] out of 0
    assert math.isnan(row["value"])
    assert row["marker"] == "[c]"


def test_missing_denominator_gives_its_marker(framework):
    cells = dict(CELLS)
    cells[(DUNDEE, "diversion_assessments")] = (NAN, "[x]")
    row = pick(compute_indicators(build_measures(cells), framework), DUNDEE, "NI01_conv_commenced")
    assert math.isnan(row["value"])
    assert row["marker"] == "[x]"


def test_zero_denominator_is_not_applicable(results):
    row = pick(results, INVERCLYDE, "NI01_conv_commenced")  # 0 out of 0
    assert row["numerator"] == 0
    assert row["denominator"] == 0
    assert math.isnan(row["value"])
    assert math.isnan(row["lower_ci"])
    assert row["marker"] == "[z]"


def test_area_absent_for_a_measure_is_not_available(results):
    row = pick(results, ORKNEY, "NI02")  # Orkney has no custody referrals row at all
    assert math.isnan(row["value"])
    assert row["marker"] == "[x]"


def test_computed_values_have_no_marker(results):
    shown = results[results["value"].notna()]
    assert len(shown)
    councils = shown[shown["geography"] != "family_group"]
    assert set(councils["marker"]) == {""}
    # a family pool keeps [u] (low reliability) when some members did not report
    assert set(shown["marker"]) <= {"", "[u]"}
    hidden = results[results["value"].isna()]
    assert (hidden["marker"] != "").all()


# --- Scotland-only indicator ----------------------------------------------------------


def test_scotland_only_indicator_has_no_council_values(results, framework):
    assert framework.indicator("NI09").geography == "scotland"
    rows = results[(results["indicator_id"] == "NI09") & (results["period"] == PERIOD)]
    below = rows[rows["area_code"] != SCOTLAND]
    assert len(below) > 0
    assert below["value"].isna().all()
    assert below["numerator"].isna().all()
    assert set(below["marker"]) == {"[z]"}
    check(pick(results, SCOTLAND, "NI09"), **share(2400, 5500))


# --- shape --------------------------------------------------------------------------


def test_one_row_per_area_period_indicator_with_named_columns(results):
    # the results contract in design.md (names only; the order is not part of it)
    contract = "area_code period indicator_id numerator denominator value lower_ci upper_ci"
    assert set(f"{contract} confidence marker".split()) <= set(results.columns)
    assert not results.duplicated(["area_code", "period", "indicator_id"]).any()
    assert set(results["period"]) == {"2022-23", PERIOD}


def test_indicators_without_any_data_are_left_out(results):
    # no prison release data at all in this table
    assert "NI05" not in set(results["indicator_id"])
    assert "NI01b" in set(results["indicator_id"])


def test_lower_le_value_le_upper(results):
    shown = results[results["value"].notna()]
    assert (shown["lower_ci"] <= shown["value"] + 1e-12).all()
    assert (shown["value"] <= shown["upper_ci"] + 1e-12).all()
    assert np.isfinite(shown[["lower_ci", "upper_ci"]].to_numpy()).all()
