"""Properties every interval and funnel limit from cjlib.stats must have (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cjlib.stats import byar_ci, exact_poisson_ci, funnel_limits, rate_ci, wilson_ci

SLACK = 1e-12  # floating point room when a limit equals the estimate
confidences = st.floats(min_value=0.5, max_value=0.999)
counts = st.integers(min_value=0, max_value=10_000_000)
denominators = st.integers(min_value=1, max_value=10_000_000)
common = settings(deadline=None, max_examples=200)


@st.composite
def proportions(draw):
    n = draw(denominators)
    x = draw(st.integers(min_value=0, max_value=n))
    return x, n


@common
@given(proportions(), confidences)
def test_wilson_contains_estimate_and_stays_in_unit_interval(case, confidence):
    x, n = case
    lower, upper = wilson_ci(x, n, confidence)
    assert 0.0 <= lower <= x / n + SLACK
    assert x / n - SLACK <= upper <= 1.0


@common
@given(
    st.integers(min_value=0, max_value=1_000),
    st.integers(min_value=1, max_value=1_000),
    st.integers(min_value=2, max_value=1_000),
    confidences,
)
def test_wilson_narrows_as_denominator_grows(x, n, factor, confidence):
    assume(x <= n)
    small_lower, small_upper = wilson_ci(x, n, confidence)
    big_lower, big_upper = wilson_ci(x * factor, n * factor, confidence)
    assert big_upper - big_lower < small_upper - small_lower


@common
@given(counts, confidences)
def test_count_intervals_contain_count_and_are_not_negative(count, confidence):
    for method in (byar_ci, exact_poisson_ci):
        lower, upper = method(count, confidence)
        assert 0.0 <= lower <= count
        assert upper >= count


@common
@given(
    st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=2, max_value=100),
    confidences,
)
def test_count_intervals_narrow_relative_to_count(count, factor, confidence):
    assume(count > 0)
    for method in (byar_ci, exact_poisson_ci):
        small_lower, small_upper = method(count, confidence)
        big_lower, big_upper = method(count * factor, confidence)
        assert (big_upper - big_lower) / (count * factor) < (small_upper - small_lower) / count


@common
@given(
    st.integers(min_value=0, max_value=100_000),
    st.floats(min_value=1.0, max_value=1e7),
    st.sampled_from([1_000, 10_000, 100_000]),
    confidences,
)
def test_rate_interval_contains_rate_and_is_not_negative(count, population, per, confidence):
    rate, lower, upper = rate_ci(count, population, per=per, confidence=confidence)
    assert 0.0 <= lower <= rate * (1 + SLACK)
    assert upper >= rate * (1 - SLACK)


@common
@given(
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=100, max_value=1_000_000),
    st.integers(min_value=2, max_value=50),
    st.floats(min_value=0.9, max_value=0.999),
)
def test_rate_interval_narrows_as_population_grows(count, population, factor, confidence):
    _, small_lower, small_upper = rate_ci(count, population, confidence=confidence)
    _, big_lower, big_upper = rate_ci(count * factor, population * factor, confidence=confidence)
    assert big_upper - big_lower < small_upper - small_lower


@common
@given(
    st.floats(min_value=0.0, max_value=1.0),
    st.lists(denominators, min_size=1, max_size=5),
    st.floats(min_value=0.5, max_value=0.999),
)
def test_proportion_funnel_brackets_target_within_unit_interval(target, ns, confidence):
    lower, upper = funnel_limits("proportion", target, ns, confidence)
    assert np.all(lower >= 0.0) and np.all(upper <= 1.0)
    assert np.all(lower <= target) and np.all(upper >= target)


@common
@given(
    st.floats(min_value=0.0, max_value=1_000.0),
    st.lists(st.floats(min_value=1.0, max_value=1e7), min_size=1, max_size=5),
    st.floats(min_value=0.5, max_value=0.999),
)
def test_rate_funnel_brackets_target_and_is_not_negative(target, populations, confidence):
    lower, upper = funnel_limits("rate", target, populations, confidence, per=10_000)
    assert np.all(lower >= 0.0)
    assert np.all(lower <= target) and np.all(upper >= target)


@common
@given(st.floats(min_value=0.01, max_value=0.99), denominators)
def test_wider_confidence_gives_wider_funnel(target, n):
    lower_95, upper_95 = funnel_limits("proportion", target, n, 0.95)
    lower_998, upper_998 = funnel_limits("proportion", target, n, 0.998)
    assert lower_998 <= lower_95 and upper_95 <= upper_998
