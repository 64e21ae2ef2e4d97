"""cjlib.stats against values worked out independently of its code.

References used here, none of them cjlib's own output:

- statsmodels (``proportion_confint(method="wilson")``, ``confint_poisson(method="exact-c")``);
- textbook formulas coded afresh below with the standard library (``statistics.NormalDist``);
- the exact Poisson limits found by root-finding on ``scipy.stats.poisson`` tail
  probabilities rather than by ``chi2.ppf``;
- Spiegelhalter's funnel limits from binomial and Poisson probabilities summed in plain
  Python (no scipy);
- published worked examples: Newcombe (1998) table I for Wilson, classic exact Poisson
  tables for counts 0 to 10.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq
from scipy.stats import poisson
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from cjlib.stats import (
    byar_ci,
    confidence_label,
    exact_poisson_ci,
    funnel_limits,
    funnel_table,
    rate_ci,
    wilson_ci,
)

TOL = {"rel": 1e-9, "abs": 1e-9}


def z_for(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


# --- independent reference implementations -------------------------------------------


def wilson_textbook(x: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson (1927) in its centre +/- half-width form (Newcombe and Altman 2000)."""
    z = z_for(confidence)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(centre - half, 0.0), min(centre + half, 1.0)


def byar_textbook(count: float, confidence: float) -> tuple[float, float]:
    """Byar's approximation as printed in Breslow and Day (1987)."""
    z = z_for(confidence)
    if count == 0:
        lower = 0.0
    else:
        lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return lower, upper


def exact_by_root(count: float, confidence: float) -> tuple[float, float]:
    """Garwood limits as the means whose Poisson tail probability is alpha / 2."""
    tail = (1 - confidence) / 2
    reach = 50 * math.sqrt(count + 1) + 50
    if count == 0:
        lower = 0.0
    else:
        lower = brentq(
            lambda mu: poisson.sf(count - 1, mu) - tail,
            1e-12,
            count,
            xtol=1e-14,
            rtol=1e-15,
        )
    upper = brentq(
        lambda mu: poisson.cdf(count, mu) - tail,
        count,
        count + reach,
        xtol=1e-14,
        rtol=1e-15,
    )
    return lower, upper


def _weights(mode: int, first: int, last: int, ratio) -> dict[int, float]:
    """Unnormalised probabilities, 1 at the mode, by the ratio of successive terms."""
    weights = {mode: 1.0}
    k, w = mode, 1.0
    while k < last:
        w *= ratio(k)
        k += 1
        weights[k] = w
        if w < 1e-30:
            break
    k, w = mode, 1.0
    while k > first:
        w /= ratio(k - 1)
        k -= 1
        weights[k] = w
        if w < 1e-30:
            break
    return weights


def spiegelhalter_limit(weights: dict[int, float], p: float) -> float:
    """Spiegelhalter (2005) interpolated p quantile from a table of probabilities."""
    total = math.fsum(weights.values())
    keys = sorted(weights)
    running = 0.0
    for r in keys:
        running += weights[r]
        if running / total >= p - 1e-9:
            break
    # settle r exactly with a precise sum
    while math.fsum(weights[k] for k in keys if k <= r) / total < p:
        r += 1
    while r - 1 in weights and math.fsum(weights[k] for k in keys if k <= r - 1) / total >= p:
        r -= 1
    at = math.fsum(weights[k] for k in keys if k <= r) / total
    below = at - weights[r] / total
    return r - (at - p) / (at - below)


def binomial_funnel(n: int, target: float, confidence: float) -> tuple[float, float]:
    mode = min(int((n + 1) * target), n)
    weights = _weights(mode, 0, n, lambda k: (n - k) / (k + 1) * target / (1 - target))
    lower = spiegelhalter_limit(weights, (1 - confidence) / 2) / n
    upper = spiegelhalter_limit(weights, (1 + confidence) / 2) / n
    # documented bounds: within [0, 1] and never across the target
    return min(max(lower, 0.0), target), min(max(upper, target), 1.0)


def poisson_funnel(population: float, rate: float, per: float, confidence: float):
    mean = rate * population / per
    weights = _weights(int(mean), 0, 10**12, lambda k: mean / (k + 1))
    lower = spiegelhalter_limit(weights, (1 - confidence) / 2) * per / population
    upper = spiegelhalter_limit(weights, (1 + confidence) / 2) * per / population
    # documented bounds: zero or more and never across the target
    return min(max(lower, 0.0), rate), max(upper, rate)


# --- Wilson ---------------------------------------------------------------------------

WILSON_CASES = [
    (0, 1),
    (0, 20),
    (1, 1),
    (20, 20),
    (1, 29),
    (15, 148),
    (81, 263),
    (73, 100),
    (2_000, 2_600),
    (0, 10_000_000),
    (10_000_000, 10_000_000),
    (7_300_000, 10_000_000),
    (1, 10_000_000),
]


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.9])
@pytest.mark.parametrize(("x", "n"), WILSON_CASES)
def test_wilson_matches_statsmodels_and_textbook(x, n, confidence):
    lower, upper = wilson_ci(x, n, confidence)
    sm_lower, sm_upper = proportion_confint(x, n, alpha=1 - confidence, method="wilson")
    tb_lower, tb_upper = wilson_textbook(x, n, confidence)
    assert lower == pytest.approx(sm_lower, **TOL)
    assert upper == pytest.approx(sm_upper, **TOL)
    assert lower == pytest.approx(tb_lower, **TOL)
    assert upper == pytest.approx(tb_upper, **TOL)


def test_wilson_edges_are_exact():
    lower, upper = wilson_ci([0, 5, 5], [5, 5, 10_000_000])
    assert lower[0] == 0.0
    assert upper[1] == 1.0
    assert 0.0 < lower[2] < upper[2] < 1.0


@pytest.mark.parametrize(
    ("x", "n", "published"),
    [
        # Newcombe RG (1998) Statistics in Medicine 17: 857-872, table I, method 3
        (81, 263, (0.2553, 0.3662)),
        (15, 148, (0.0624, 0.1605)),
        (0, 20, (0.0000, 0.1611)),
        (1, 29, (0.0061, 0.1718)),
        (29, 29, (0.8830, 1.0000)),
    ],
)
def test_wilson_matches_newcombe_1998(x, n, published):
    lower, upper = wilson_ci(x, n)
    assert round(float(lower), 4) == published[0]
    assert round(float(upper), 4) == published[1]


def test_wilson_vectorised_matches_elementwise():
    x = np.array([0, 3, 50, 99, 100])
    lower, upper = wilson_ci(x, 100)
    for i, count in enumerate(x):
        sm_lower, sm_upper = proportion_confint(count, 100, method="wilson")
        assert lower[i] == pytest.approx(sm_lower, **TOL)
        assert upper[i] == pytest.approx(sm_upper, **TOL)


# --- Poisson counts -------------------------------------------------------------------

COUNTS = [0, 1, 2, 5, 9, 10, 11, 50, 1_000, 123_456, 10_000_000]


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("count", COUNTS)
def test_byar_matches_textbook_formula(count, confidence):
    lower, upper = byar_ci(count, confidence)
    expected = byar_textbook(count, confidence)
    assert lower == pytest.approx(max(expected[0], 0.0), **TOL)
    assert upper == pytest.approx(expected[1], **TOL)


def test_byar_lower_is_zero_for_zero_events():
    lower, upper = byar_ci([0, 0], 0.95)
    assert list(lower) == [0.0, 0.0]
    assert upper[0] == pytest.approx(byar_textbook(0, 0.95)[1], **TOL)


def test_byar_lower_not_negative_at_high_confidence():
    # Byar's formula goes below zero for one event at 99.8%; the limit is set to 0.
    assert byar_textbook(1, 0.998)[0] < 0
    assert byar_ci(1, 0.998)[0] == 0.0


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.9])
@pytest.mark.parametrize("count", COUNTS)
def test_exact_matches_root_finding_and_statsmodels(count, confidence):
    lower, upper = exact_poisson_ci(count, confidence)
    root_lower, root_upper = exact_by_root(count, confidence)
    sm_lower, sm_upper = confint_poisson(count, 1, method="exact-c", alpha=1 - confidence)
    assert lower == pytest.approx(root_lower, **TOL)
    assert upper == pytest.approx(root_upper, **TOL)
    assert lower == pytest.approx(sm_lower, **TOL)
    assert upper == pytest.approx(sm_upper, **TOL)


@pytest.mark.parametrize(
    ("count", "published"),
    [
        # classic tables of exact 95% Poisson limits (Garwood 1936)
        (0, (0.0, 3.689)),
        (1, (0.0253, 5.572)),
        (2, (0.242, 7.225)),
        (5, (1.623, 11.668)),
        (10, (4.795, 18.390)),
    ],
)
def test_exact_matches_published_table(count, published):
    lower, upper = exact_poisson_ci(count)
    assert lower == pytest.approx(published[0], abs=5e-4)
    assert upper == pytest.approx(published[1], abs=5e-4)


# --- rates ----------------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_rate_uses_exact_below_ten_and_byar_from_ten(confidence):
    counts = [0, 1, 9, 10, 11, 250, 10_000_000]
    populations = [22_000, 22_000, 50_000, 50_000, 630_000, 630_000, 5_500_000_000]
    rate, lower, upper = rate_ci(counts, populations, per=10_000, confidence=confidence)
    for i, (count, people) in enumerate(zip(counts, populations, strict=True)):
        if count < 10:
            low, high = exact_by_root(count, confidence)
        else:
            low, high = byar_textbook(count, confidence)
        scale = 10_000 / people
        assert rate[i] == pytest.approx(count * scale, **TOL)
        assert lower[i] == pytest.approx(low * scale, **TOL)
        assert upper[i] == pytest.approx(high * scale, **TOL)


def test_rate_per_changes_scale_only():
    rate, lower, upper = rate_ci(25, 80_000, per=100_000)
    low, high = byar_textbook(25, 0.95)
    assert rate == pytest.approx(25 / 80_000 * 100_000, **TOL)
    assert lower == pytest.approx(low / 80_000 * 100_000, **TOL)
    assert upper == pytest.approx(high / 80_000 * 100_000, **TOL)


# --- shapes, Series and missing values ------------------------------------------------


def test_scalars_give_scalars_and_lists_give_arrays():
    lower, upper = wilson_ci(3, 10)
    assert isinstance(lower, np.float64)
    assert isinstance(upper, np.float64)
    lower, upper = byar_ci([3, 10])
    assert isinstance(lower, np.ndarray)
    assert lower.shape == (2,)


def test_series_keep_their_index():
    index = pd.Index(["S12000033", "S12000034", "S12000041"], name="area_code")
    completed = pd.Series([10, 0, 8], index=index)
    commenced = pd.Series([12, 4, 8], index=index)
    lower, upper = wilson_ci(completed, commenced)
    assert isinstance(lower, pd.Series)
    assert lower.index.equals(index)
    assert upper.index.equals(index)
    assert lower["S12000034"] == 0.0
    assert upper["S12000041"] == 1.0
    rate, low, high = rate_ci(completed, pd.Series(20_000.0, index=index))
    assert rate.index.equals(index)
    assert rate["S12000033"] == pytest.approx(5.0, **TOL)


def test_series_with_scalar_broadcasts():
    counts = pd.Series([1, 2], index=["a", "b"])
    lower, upper = wilson_ci(counts, 10)
    assert list(lower.index) == ["a", "b"]


def test_missing_values_give_missing_results():
    lower, upper = wilson_ci([3, np.nan, 4], [10, 10, np.nan])
    assert not np.isnan(lower[0])
    assert np.isnan(lower[1]) and np.isnan(upper[1])
    assert np.isnan(lower[2]) and np.isnan(upper[2])
    lower, upper = byar_ci(pd.Series([np.nan, 3.0]))
    assert np.isnan(lower.iloc[0])
    rate, low, high = rate_ci([np.nan, 5], [1_000, np.nan])
    assert np.isnan(rate).all() and np.isnan(low).all() and np.isnan(high).all()
    lower, upper = exact_poisson_ci(pd.Series([None, 2], dtype="Int64"))
    assert np.isnan(lower.iloc[0])
    assert lower.iloc[1] == pytest.approx(exact_by_root(2, 0.95)[0], **TOL)


# --- funnel limits --------------------------------------------------------------------


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("target", [0.02, 0.3, 0.73, 0.99])
@pytest.mark.parametrize("n", [1, 2, 7, 20, 133, 2_600, 100_000, 10_000_000])
def test_proportion_funnel_matches_spiegelhalter(n, target, confidence):
    lower, upper = funnel_limits("proportion", target, n, confidence)
    expected = binomial_funnel(n, target, confidence)
    assert lower == pytest.approx(expected[0], rel=1e-9, abs=1e-12)
    assert upper == pytest.approx(expected[1], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
@pytest.mark.parametrize("rate", [0.5, 25.0, 410.0])
@pytest.mark.parametrize("population", [100, 2_000, 22_000, 630_000, 10_000_000])
def test_rate_funnel_matches_spiegelhalter(population, rate, confidence):
    lower, upper = funnel_limits("rate", rate, population, confidence, per=10_000)
    expected = poisson_funnel(population, rate, 10_000, confidence)
    assert lower == pytest.approx(expected[0], rel=1e-9, abs=1e-12)
    assert upper == pytest.approx(expected[1], rel=1e-9, abs=1e-12)


def test_funnel_upper_limit_at_tiny_expected_counts_is_the_target():
    # expected 0.005 events: P(X >= 1) < 0.025, so any event is unusual; Spiegelhalter's
    # interpolation would put the upper limit below zero.
    lower, upper = funnel_limits("rate", 0.5, 100, 0.95, per=10_000)
    assert lower == 0.0
    assert upper == 0.5
    assert 1 * 10_000 / 100 > upper  # one event plots above the limit
    assert math.exp(-0.005) > 0.975


def test_funnel_approaches_normal_approximation_for_large_denominators():
    # PHE's funnel tool uses target +/- z * sqrt(target * (1 - target) / n)
    n, target = 10_000_000, 0.73
    lower, upper = funnel_limits("proportion", target, n, 0.998)
    half = z_for(0.998) * math.sqrt(target * (1 - target) / n)
    assert lower == pytest.approx(target - half, abs=half * 1e-3)
    assert upper == pytest.approx(target + half, abs=half * 1e-3)


def test_funnel_limits_vectorised_with_series_and_missing():
    denominators = pd.Series([20, np.nan, 500], index=["x", "y", "z"])
    lower, upper = funnel_limits("proportion", 0.73, denominators, 0.95)
    assert list(lower.index) == ["x", "y", "z"]
    assert np.isnan(lower["y"]) and np.isnan(upper["y"])
    assert lower["z"] == pytest.approx(binomial_funnel(500, 0.73, 0.95)[0], rel=1e-9)


@pytest.mark.parametrize(
    ("kind", "target"), [("proportion", 0.0), ("proportion", 1.0), ("rate", 0.0)]
)
def test_funnel_degenerate_targets(kind, target):
    lower, upper = funnel_limits(kind, target, [10, 1_000], 0.95)
    assert list(lower) == [target, target]
    assert list(upper) == [target, target]


def test_funnel_table_columns_and_grid():
    table = funnel_table("proportion", 0.73, [20, 150, 3_000])
    assert list(table.columns) == [
        "denominator",
        "target",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    ]
    assert table["denominator"].iloc[0] == 1
    assert table["denominator"].iloc[-1] == math.ceil(1.05 * 3_000)
    assert table["denominator"].is_monotonic_increasing
    assert 50 < len(table) <= 100
    assert (table["target"] == 0.73).all()
    row = (
        table.loc[table["denominator"] == 150].iloc[0]
        if (table["denominator"] == 150).any()
        else table.iloc[40]
    )
    n = int(row["denominator"])
    assert row["lower_998"] == pytest.approx(binomial_funnel(n, 0.73, 0.998)[0], rel=1e-9)
    assert row["upper_95"] == pytest.approx(binomial_funnel(n, 0.73, 0.95)[1], rel=1e-9)
    assert (table["lower_998"] <= table["lower_95"]).all()
    assert (table["upper_95"] <= table["upper_998"]).all()


def test_funnel_table_narrow_range_starts_near_smallest():
    table = funnel_table("rate", 25.0, [400_000, 630_000], per=10_000, confidences=[0.9])
    assert list(table.columns) == ["denominator", "target", "lower_90", "upper_90"]
    assert table["denominator"].iloc[0] == math.floor(0.95 * 400_000)
    expected = poisson_funnel(float(table["denominator"].iloc[-1]), 25.0, 10_000, 0.9)
    assert table["upper_90"].iloc[-1] == pytest.approx(expected[1], rel=1e-9)


def test_funnel_table_from_data_starts_near_smallest_even_for_a_wide_range():
    # council populations aged 16+ span Orkney (about 18,000) to Glasgow (about 530,000)
    table = funnel_table("rate", 3.0, [18_315, 530_104], per=10_000, from_one=False)
    assert table["denominator"].iloc[0] == math.floor(0.95 * 18_315)
    assert table["denominator"].iloc[-1] == math.ceil(1.05 * 530_104)
    n = float(table["denominator"].iloc[0])
    expected = poisson_funnel(n, 3.0, 10_000, 0.998)
    assert table["lower_998"].iloc[0] == pytest.approx(expected[0], rel=1e-9)
    assert table["upper_998"].iloc[0] == pytest.approx(expected[1], rel=1e-9)


@pytest.mark.parametrize(
    ("level", "label"), [(0.95, "95"), (0.998, "998"), (0.9, "90"), (0.999, "999")]
)
def test_confidence_label(level, label):
    assert confidence_label(level) == label


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: wilson_ci([1, 2, 7], [5, 5, 5]),
            r"numerator must be less than or equal to denominator \(found 7 > 5 at position 2\)",
        ),
        (
            lambda: wilson_ci(pd.Series([1, 7], index=["a", "b"]), 5),
            r"found 7 > 5 at position 1 \(index 'b'\)",
        ),
        (lambda: wilson_ci(-1, 5), r"numerator must be zero or more \(found -1\)"),
        (
            lambda: wilson_ci([1, 1], [5, 0]),
            r"denominator must be greater than zero \(found 0 at position 1\)",
        ),
        (lambda: wilson_ci(0, -3), r"denominator must be greater than zero \(found -3\)"),
        (lambda: wilson_ci(1, 5, 1.0), r"confidence must be strictly between 0 and 1"),
        (lambda: wilson_ci(1, 5, 0.0), r"confidence must be strictly between 0 and 1"),
        (lambda: wilson_ci(1, 5, 95), r"for 95% pass 0.95"),
        (lambda: wilson_ci(1, 5, float("nan")), r"confidence must be strictly between 0 and 1"),
        (lambda: wilson_ci(1, 5, "95%"), r"confidence must be a number"),
        (lambda: wilson_ci(["a"], [5]), r"numerator must be numeric"),
        (lambda: wilson_ci([1, 2], [5, 5, 5]), r"same length"),
        (lambda: wilson_ci(np.inf, 5), r"numerator must be finite"),
        (
            lambda: wilson_ci(pd.Series([1], index=["a"]), pd.Series([5], index=["b"])),
            r"different index",
        ),
        (
            lambda: byar_ci([3, -2, -1]),
            r"count must be zero or more \(found -2 at position 1; 2 values affected\)",
        ),
        (lambda: byar_ci(3, -0.5), r"confidence must be strictly between 0 and 1"),
        (lambda: exact_poisson_ci(-1), r"count must be zero or more"),
        (lambda: exact_poisson_ci(2, 1.5), r"confidence must be strictly between 0 and 1"),
        (lambda: rate_ci(-1, 100), r"count must be zero or more"),
        (
            lambda: rate_ci(1, [100, 0]),
            r"population must be greater than zero \(found 0 at position 1\)",
        ),
        (lambda: rate_ci(1, 100, per=0), r"per must be greater than zero"),
        (lambda: rate_ci(1, 100, per=float("nan")), r"per must be a single finite number"),
        (lambda: rate_ci(1, 100, confidence=2), r"confidence must be strictly between 0 and 1"),
        (lambda: funnel_limits("ratio", 0.5, 10), r"kind must be one of 'proportion', 'rate'"),
        (
            lambda: funnel_limits("proportion", 1.2, 10),
            r"target for a proportion must be between 0 and 1",
        ),
        (lambda: funnel_limits("rate", -1, 10), r"target for a rate must be zero or more"),
        (lambda: funnel_limits("rate", float("nan"), 10), r"target must be a single finite number"),
        (
            lambda: funnel_limits("proportion", 0.5, [10, 0]),
            r"denominators must be greater than zero",
        ),
        (lambda: funnel_limits("proportion", 0.5, [10.5]), r"must be whole numbers \(found 10.5"),
        (lambda: funnel_limits("proportion", 0.5, 10, 1.0), r"confidence must be strictly between"),
        (lambda: funnel_limits("rate", 5, 10, per=-1), r"per must be greater than zero"),
        (lambda: funnel_table("proportion", 0.5, [np.nan]), r"at least one value"),
        (lambda: funnel_table("proportion", 0.5, [10], points=1), r"points must be"),
        (lambda: funnel_table("proportion", 0.5, [10], confidences=[0.95, 0.95]), r"distinct"),
        (
            lambda: funnel_table("proportion", 0.5, [10, -5]),
            r"denominators must be greater than zero \(found -5 at position 1\)",
        ),
    ],
)
def test_invalid_input_raises_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
