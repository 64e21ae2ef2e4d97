"""SPC limits against the textbook formulas, written out here independently, to 1e-9."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cjlib.improve.spc import control_chart

RNG = np.random.default_rng(20240401)
N = RNG.integers(40, 120, size=24).astype(float)
X = np.array([RNG.binomial(int(n), 0.3) for n in N], dtype=float)


def _rules(chart, rule):
    return [(s.start, s.end, s.direction) for s in chart.signals if s.rule == rule]


def test_p_chart_limits_are_pbar_plus_or_minus_three_binomial_sigmas():
    chart = control_chart("p", X, N)
    pbar = sum(X) / sum(N)
    for i, n in enumerate(N):
        sigma = math.sqrt(pbar * (1 - pbar) / n)
        assert chart.values[i] == pytest.approx(X[i] / n, abs=1e-12)
        assert chart.centre[i] == pytest.approx(pbar, abs=1e-9)
        assert chart.upper[i] == pytest.approx(min(1.0, pbar + 3 * sigma), abs=1e-9)
        assert chart.lower[i] == pytest.approx(max(0.0, pbar - 3 * sigma), abs=1e-9)


def test_u_chart_limits_are_ubar_plus_or_minus_three_poisson_sigmas():
    exposure = N / 10  # e.g. per 10 bed-days
    chart = control_chart("u", X, exposure)
    ubar = sum(X) / sum(exposure)
    for i, a in enumerate(exposure):
        assert chart.upper[i] == pytest.approx(ubar + 3 * math.sqrt(ubar / a), abs=1e-9)
        assert chart.lower[i] == pytest.approx(max(0.0, ubar - 3 * math.sqrt(ubar / a)), abs=1e-9)


def test_c_chart_limits_are_cbar_plus_or_minus_three_root_cbar():
    counts = [4, 7, 3, 9, 5, 6, 2, 8, 5, 4, 6, 7, 3, 5, 6, 4, 8, 5, 7, 6]
    chart = control_chart("c", counts)
    cbar = sum(counts) / len(counts)  # 110 / 20 = 5.5
    assert cbar == 5.5
    assert chart.upper[0] == pytest.approx(5.5 + 3 * math.sqrt(5.5), abs=1e-9)
    assert chart.lower[0] == pytest.approx(max(0.0, 5.5 - 3 * math.sqrt(5.5)), abs=1e-9)
    assert chart.lower[0] == 0.0  # 5.5 - 7.04 < 0


def test_xmr_limits_are_mean_plus_or_minus_2_66_average_moving_ranges():
    x = [float(v) for v in X]
    chart = control_chart("xmr", x)
    mean = sum(x) / len(x)
    mr_bar = sum(abs(b - a) for a, b in zip(x, x[1:], strict=False)) / (len(x) - 1)
    assert chart.centre[0] == pytest.approx(mean, abs=1e-9)
    assert chart.upper[0] == pytest.approx(mean + 2.66 * mr_bar, abs=1e-9)
    assert chart.lower[0] == pytest.approx(mean - 2.66 * mr_bar, abs=1e-9)
    assert chart.sigma[0] == pytest.approx(mr_bar / 1.128, abs=1e-9)


def test_each_phase_has_its_own_limits():
    counts = [5.0] * 10 + [6.0] * 10 + [20.0] * 10 + [22.0] * 10
    chart = control_chart("c", counts, phase_starts=[0, 20])
    assert chart.centre[0] == pytest.approx(5.5, abs=1e-9)
    assert chart.centre[-1] == pytest.approx(21.0, abs=1e-9)


def test_fewer_than_twenty_points_give_no_limits():
    with pytest.raises(ValueError, match="at least 20 points"):
        control_chart("c", [5.0] * 19)


def test_a_p_chart_needs_denominators_at_least_its_numerators():
    with pytest.raises(ValueError, match="no greater than"):
        control_chart("p", [5.0] * 20, [4.0] * 20)


# --- special-cause rules on hand-built XmR series ------------------------------------


def _base():
    # 20 points alternating 9, 11: mean 10, MR-bar 2, limits 10 +/- 5.32, sigma 1.773
    return [9.0, 11.0] * 10


def test_a_point_outside_the_limits():
    x = _base()
    x[10] = 25.0  # mean 10.7, MR-bar 3.47: upper limit about 19.9
    chart = control_chart("xmr", x)
    assert _rules(chart, "outside limits") == [(10, 10, "up")]


def test_eight_points_on_one_side_make_a_shift_seven_do_not():
    # mean (200 - 2 + 12) / 20 = 10.5: 9.0 at 3, 11.5 at 4 to 11, 9.0 at 12
    x = _base()
    x[3] = 9.0
    x[4:12] = [11.5] * 8
    assert _rules(control_chart("xmr", x), "shift") == [(4, 11, "up")]
    # mean 207.5 / 20 = 10.375: 9.0 at 3, seven of 11.5 at 4 to 10, 9.0 at 11
    y = _base()
    y[3] = 9.0
    y[4:11] = [11.5] * 7
    y[11] = 9.0
    assert _rules(control_chart("xmr", y), "shift") == []


def test_six_points_going_down_make_a_trend():
    x = _base()
    x[2:8] = [12.0, 11.0, 10.5, 10.0, 9.5, 8.0]
    assert _rules(control_chart("xmr", x), "trend") == [(2, 7, "down")]


def test_two_of_three_beyond_two_sigma():
    # 15.5 at 6 and 8 (11.0 at 7 between them): mean 213 / 20 = 10.65,
    # MR-bar (38 + 4 x 2.5) / 19 = 2.526, sigma 2.240: 2 sigma 15.13, 3 sigma 17.37
    x = _base()
    x[6], x[8] = 15.5, 15.5
    chart = control_chart("xmr", x)
    mean = sum(x) / 20
    mr_bar = sum(abs(b - a) for a, b in zip(x, x[1:], strict=False)) / 19
    two_sigma = mean + 2 * mr_bar / 1.128
    assert 15.5 > two_sigma > 11.0  # so only positions 6 and 8 are beyond
    assert _rules(chart, "outside limits") == []
    assert _rules(chart, "2 of 3") == [(6, 8, "up")]


# --- both directions, limits that clip, and a published worked example (issue 28) ----


def test_p_chart_matches_montgomerys_orange_juice_example():
    """Montgomery, *Introduction to Statistical Quality Control*, Example 7.1.

    30 samples of n = 50 cans with 347 nonconforming in all: p-bar = 347/1500 = 0.2313,
    UCL = 0.4102 and LCL = 0.0524 as printed. The limits depend only on the totals.
    """
    counts = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11,
              20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip
    assert sum(counts) == 347
    chart = control_chart("p", counts, [50] * 30)
    assert chart.centre[0] == pytest.approx(0.2313, abs=5e-5)
    assert chart.upper[0] == pytest.approx(0.4102, abs=5e-5)
    assert chart.lower[0] == pytest.approx(0.0524, abs=5e-5)
    outside = [s.start for s in chart.signals if s.rule == "outside limits"]
    assert outside == [14, 22]  # samples 15 and 23, as in the book


def test_p_chart_limits_are_clipped_at_one_and_zero():
    high = control_chart("p", [19] * 10 + [20] * 10, [20] * 20)  # p-bar 0.975, n = 20
    assert np.all(high.upper == 1.0)
    low = control_chart("p", [1] * 10 + [0] * 10, [20] * 20)  # p-bar 0.025
    assert np.all(low.lower == 0.0)


@pytest.mark.parametrize(
    ("odd", "direction"),
    [(75.0, "down"), (125.0, "up")],  # beyond 2 sigma, inside 3 sigma, on each side
)
def test_two_of_three_beyond_two_sigma_in_both_directions(odd, direction):
    values = [100.0] * 20
    values[9] = values[10] = odd
    chart = control_chart("c", values)
    centre, sigma = chart.centre[0], chart.sigma[0]
    assert abs(odd - centre) > 2 * sigma and abs(odd - centre) < 3 * sigma
    found = [s for s in chart.signals if s.rule == "2 of 3"]
    assert [(s.start, s.end, s.direction) for s in found] == [(9, 10, direction)]
    assert not [s for s in chart.signals if s.rule == "outside limits"]
