"""cjlib.assess: comparisons, change tests, trends, ranks, outcome statuses and narrative.

Independent references:

- change in a count (same exposure): ``scipy.stats.binomtest(x1, x1 + x0, 0.5)``, whose
  two-sided p-value equals the doubled smaller tail because Binomial(n, 1/2) is symmetric;
- change in a rate with exposures E1, E0: the doubled smaller tail of
  Binomial(x1 + x0, E1 / (E1 + E0)), summed here from ``scipy.stats.binom.pmf``;
- change in a proportion: Fisher's exact test, summed by hand from scipy's hypergeometric pmf;
- trend: ``scipy.stats.linregress`` on the same years;
- ranks and outcome statuses: worked out by hand from small tables.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import CLACKS, DUNDEE, GLASGOW, INVERCLYDE, ORKNEY, SCOTLAND, SHETLAND, pick
from scipy.stats import binom, binomtest, hypergeom, linregress
from statsmodels.stats.multitest import multipletests

from cjlib.assess.compare import add_comparisons, judge_interval
from cjlib.framework import load_framework
from cjlib.indicators import compute_indicators
from cjlib.measures import make_measures

FW = load_framework()
BASE, PERIOD = "2019-20", "2023-24"
YEARS = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
BETTER, WORSE, SIMILAR = "better", "worse", "not significantly different"
LONG_FLOAT = re.compile(r"\d+\.\d{3,}")


def assert_clean(text: str) -> None:
    assert text.strip()
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), text
    assert "None" not in text, text
    assert not LONG_FLOAT.search(text), text


# --- judge --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "polarity", "expected"),
    [
        (15.0, "higher_is_better", SIMILAR),  # comparator inside the interval
        (15.0, "lower_is_better", SIMILAR),
        (15.0, "none", SIMILAR),
        (5.0, "higher_is_better", BETTER),  # area's interval above the comparator
        (5.0, "lower_is_better", WORSE),
        (5.0, "none", "higher"),
        (25.0, "higher_is_better", WORSE),  # area's interval below the comparator
        (25.0, "lower_is_better", BETTER),
        (25.0, "none", "lower"),
        (10.0, "higher_is_better", SIMILAR),  # on a limit counts as inside
        (20.0, "lower_is_better", SIMILAR),
    ],
)
def test_judge_each_polarity_and_position(comparator, polarity, expected):
    got = judge_interval([10.0], [20.0], [comparator], [polarity], [True])
    assert list(got) == [expected]


def test_judge_is_vectorised():
    got = judge_interval(
        [10.0, 10.0, 10.0],
        [20.0, 20.0, 20.0],
        [5.0, 15.0, 25.0],
        ["higher_is_better"] * 3,
        [True, True, True],
    )
    assert list(got) == [BETTER, SIMILAR, WORSE]


@pytest.mark.parametrize(
    ("lower", "upper", "comparator", "comparable"),
    [
        (math.nan, 20.0, 5.0, True),
        (10.0, math.nan, 5.0, True),
        (10.0, 20.0, math.nan, True),
        (10.0, 20.0, 5.0, False),
    ],
)
def test_judge_not_compared_when_missing_or_not_comparable(lower, upper, comparator, comparable):
    got = judge_interval([lower], [upper], [comparator], ["higher_is_better"], [comparable])
    assert list(got) == ["not compared"]


# --- change against the baseline ----------------------------------------------------


def two_sided_doubled_tail(x1: int, n: int, share: float) -> float:
    """Doubled smaller tail of Binomial(n, share) at x1, summed from the pmf."""
    lower = sum(binom.pmf(k, n, share) for k in range(0, x1 + 1))
    upper = sum(binom.pmf(k, n, share) for k in range(x1, n + 1))
    return min(1.0, 2 * min(lower, upper))


#: Glasgow in the baseline and reporting years: counts, exposures, nested shares.
CHANGE = {
    BASE: {
        "custody_referrals": 18,
        "diversion_commenced": 200,
        "diversion_completed": 140,
        "bail_commenced": 40,
        "population_16plus": 400_000,
    },
    PERIOD: {
        "custody_referrals": 30,
        "diversion_commenced": 220,
        "diversion_completed": 176,
        "bail_commenced": 40,
        "population_16plus": 520_000,
    },
}


@pytest.fixture(scope="module")
def change_results() -> pd.DataFrame:
    rows = [
        (area, period, measure, value * scale)
        for period, cells in CHANGE.items()
        for measure, value in cells.items()
        for area, scale in ((GLASGOW, 1), (SCOTLAND, 10))
    ]
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    results = compute_indicators(measures, FW, groupings=("deprivation",))
    return add_comparisons(results, baseline_period=BASE)


def test_change_in_a_count_matches_binomtest(change_results):
    x1, x0 = CHANGE[PERIOD]["custody_referrals"], CHANGE[BASE]["custody_referrals"]
    row = pick(change_results, GLASGOW, "NI02")
    expected = binomtest(x1, x1 + x0, 0.5, alternative="two-sided").pvalue
    assert row["change_p"] == pytest.approx(expected, rel=1e-9)
    assert row["change_effect"] == pytest.approx(x1 / x0, rel=1e-12)
    assert row["baseline_value"] == x0
    assert row["baseline_period"] == BASE


def test_count_with_no_change_has_p_one(change_results):
    row = pick(change_results, GLASGOW, "NI03b")  # 40 and 40
    assert row["change_p"] == pytest.approx(binomtest(40, 80, 0.5).pvalue, rel=1e-12)
    assert row["change_p"] == pytest.approx(1.0)
    assert row["change_label"] == "no significant change"
    assert row["change_judgement"] == SIMILAR


def test_change_in_a_rate_with_different_exposures(change_results):
    x1, x0 = CHANGE[PERIOD]["custody_referrals"], CHANGE[BASE]["custody_referrals"]
    e1, e0 = CHANGE[PERIOD]["population_16plus"], CHANGE[BASE]["population_16plus"]
    row = pick(change_results, GLASGOW, "NI02_rate")
    expected = two_sided_doubled_tail(x1, x1 + x0, e1 / (e1 + e0))
    assert row["change_p"] == pytest.approx(expected, rel=1e-9)
    assert row["change_effect"] == pytest.approx((x1 / e1) / (x0 / e0), rel=1e-12)


def test_change_in_a_rate_with_equal_exposures_matches_binomtest():
    rows = [
        (GLASGOW, BASE, "custody_referrals", 25),
        (GLASGOW, PERIOD, "custody_referrals", 45),
        (GLASGOW, BASE, "population_16plus", 500_000),
        (GLASGOW, PERIOD, "population_16plus", 500_000),
    ]
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    results = add_comparisons(compute_indicators(measures, FW), baseline_period=BASE)
    row = pick(results, GLASGOW, "NI02_rate")
    assert row["change_p"] == pytest.approx(binomtest(45, 70, 0.5).pvalue, rel=1e-9)


def _fisher_two_sided(a: int, n: int, b: int, m: int) -> float:
    """Fisher's exact test by hand: sum the hypergeometric probabilities of every table
    with the same margins that is no more likely than the one observed."""
    successes = a + b
    probs = [hypergeom.pmf(k, n + m, successes, n) for k in range(0, min(n, successes) + 1)]
    observed = hypergeom.pmf(a, n + m, successes, n)
    return float(sum(p for p in probs if p <= observed * (1 + 1e-7)))


def test_fisher_by_hand_matches_the_issue_example():
    # 0 of 5 against 2 of 3: Fisher's exact p = 0.107 (the z-test called it significant)
    assert _fisher_two_sided(0, 5, 2, 3) == pytest.approx(0.10714285714, rel=1e-9)


def test_change_in_a_proportion_is_fishers_exact_test(change_results):
    x1, n1 = CHANGE[PERIOD]["diversion_completed"], CHANGE[PERIOD]["diversion_commenced"]
    x0, n0 = CHANGE[BASE]["diversion_completed"], CHANGE[BASE]["diversion_commenced"]
    expected = _fisher_two_sided(x1, n1, x0, n0)
    row = pick(change_results, GLASGOW, "NI01_conv_completed")
    assert row["change_p"] == pytest.approx(expected, rel=1e-9)
    assert row["change_effect"] == pytest.approx(x1 / n1 - x0 / n0, rel=1e-12)
    # 80% against 70%: significant at 5% on its own ...
    assert expected < 0.05


def test_change_labels_use_holm_across_the_outcome(change_results):
    """Holm's adjustment (statsmodels' implementation) over the outcome's directed tests."""
    rows = change_results[
        (change_results["area_code"] == GLASGOW)
        & (change_results["period"] == PERIOD)
        & (change_results["outcome"] == "O1")
        & change_results["change_p"].notna()
        & (change_results["polarity"] != "none")
    ]
    assert len(rows) >= 2
    reject, adjusted, _, _ = multipletests(rows["change_p"], alpha=0.05, method="holm")
    assert rows["change_p_adjusted"].to_numpy() == pytest.approx(adjusted, rel=1e-12)
    labels = rows["change_label"].to_numpy()
    assert all((lab != "no significant change") == r for lab, r in zip(labels, reject, strict=True))
    share = pick(change_results, GLASGOW, "NI01_conv_completed")
    # ... but not once the outcome's other tests are allowed for
    assert share["change_p_adjusted"] > 0.05
    assert share["change_label"] == "no significant change"


def test_change_is_labelled_only_after_the_baseline(change_results):
    early = change_results[change_results["period"] <= BASE]
    assert len(early)
    assert set(early["change_label"]) == {"not compared"}


def test_significant_count_increase_is_labelled(change_results):
    row = pick(change_results, GLASGOW, "NI01b")  # 220 against 200
    expected = binomtest(220, 420, 0.5).pvalue
    assert row["change_p"] == pytest.approx(expected, rel=1e-9)
    assert expected > 0.05
    assert row["change_label"] == "no significant change"


def test_no_baseline_means_not_compared():
    rows = [
        (GLASGOW, PERIOD, "custody_referrals", 30),
        (GLASGOW, "2022-23", "custody_referrals", 20),
    ]
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    results = add_comparisons(compute_indicators(measures, FW), baseline_period=BASE)
    row = pick(results, GLASGOW, "NI02")
    assert math.isnan(row["change_p"])
    assert row["change_label"] == "not compared"
    assert row["change_judgement"] == "not compared"


# --- trend --------------------------------------------------------------------------

TREND_COUNTS = [40, 44, 47, None, 30, 52, 58, 61]  # 2019-20 not returned
TREND_POP = 400_000


@pytest.fixture(scope="module")
def trend_results() -> pd.DataFrame:
    rows = []
    for period, count in zip(YEARS, TREND_COUNTS, strict=True):
        value, marker = (math.nan, "[x]") if count is None else (count, "")
        rows.append((GLASGOW, period, "custody_referrals", value, marker))
        rows.append((GLASGOW, period, "population_16plus", TREND_POP, ""))
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value", "marker"])
    )
    return add_comparisons(compute_indicators(measures, FW), baseline_period=BASE)


@pytest.mark.parametrize("upto", ["2023-24", "2021-22", "2018-19"])
def test_trend_slope_and_p_match_linregress(trend_results, upto):
    pairs = [
        (int(p[:4]), c / TREND_POP * 10_000)
        for p, c in zip(YEARS, TREND_COUNTS, strict=True)
        if c is not None and p <= upto
    ]
    years, values = zip(*pairs, strict=True)
    fit = linregress(years, values)
    row = pick(trend_results, GLASGOW, "NI02_rate", upto)
    assert row["trend_years"] == len(pairs)
    assert row["trend_slope"] == pytest.approx(fit.slope, rel=1e-9)
    assert row["trend_p"] == pytest.approx(fit.pvalue, rel=1e-6)
    expected = (
        "no clear trend" if fit.pvalue >= 0.05 else ("rising" if fit.slope > 0 else "falling")
    )
    assert row["trend"] == expected


def test_trend_needs_three_years(trend_results):
    row = pick(trend_results, GLASGOW, "NI02", "2017-18")
    assert row["trend"] == "too few years"
    assert math.isnan(row["trend_slope"])
    assert math.isnan(row["trend_p"])


def test_steady_rise_is_rising():
    rows = [(GLASGOW, p, "custody_referrals", 100 + 10 * k) for k, p in enumerate(YEARS)]
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    results = add_comparisons(compute_indicators(measures, FW), baseline_period=BASE)
    row = pick(results, GLASGOW, "NI02")
    assert row["trend"] == "rising"
    assert row["trend_slope"] == pytest.approx(10.0)


# --- rank ---------------------------------------------------------------------------

RANK_RATES = {GLASGOW: 30, DUNDEE: 50, INVERCLYDE: 50, ORKNEY: 10, CLACKS: 40}


@pytest.fixture(scope="module")
def rank_results() -> pd.DataFrame:
    rows = []
    for area, count in RANK_RATES.items():
        rows += [
            (area, PERIOD, "custody_referrals", count),
            (area, PERIOD, "population_16plus", 100_000),
            (area, PERIOD, "prison_releases", 100),
            (area, PERIOD, "homeless_prison_release", count),
            (area, PERIOD, "cpo_commenced", count),
        ]
    rows.append((SHETLAND, PERIOD, "population_16plus", 100_000))  # no referrals: not ranked
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    return add_comparisons(compute_indicators(measures, FW), baseline_period=BASE)


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        # higher is better: 50, 50 share first place; then 40, 30, 10
        ("NI02_rate", {DUNDEE: 1, INVERCLYDE: 1, CLACKS: 3, GLASGOW: 4, ORKNEY: 5}),
        # lower is better: 10 first
        ("NI06_share", {ORKNEY: 1, GLASGOW: 2, CLACKS: 3, DUNDEE: 4, INVERCLYDE: 4}),
    ],
)
def test_rank_among_councils(rank_results, indicator, expected):
    for area, rank in expected.items():
        row = pick(rank_results, area, indicator)
        assert row["rank"] == rank, area
        assert row["rank_of"] == 5
    shetland = pick(rank_results, SHETLAND, indicator)
    assert math.isnan(shetland["rank"])


@pytest.mark.parametrize("indicator", ["NI02", "NI04a"])
def test_counts_are_never_ranked(rank_results, indicator):
    rows = rank_results[rank_results["indicator_id"] == indicator]
    assert len(rows)
    assert rows["rank"].isna().all()
    assert rows["rank_of"].isna().all()


def test_scotland_and_family_groups_are_not_ranked(rank_results):
    others = rank_results[rank_results["geography"] != "council"]
    assert len(others)
    assert others["rank"].isna().all()


def test_counts_are_not_compared_with_scotland(change_results):
    row = pick(change_results, GLASGOW, "NI02")
    assert row["compare_scotland"] == "not compared"
    rate = pick(change_results, GLASGOW, "NI02_rate")
    assert rate["compare_scotland"] != "not compared"
