"""Run-chart rules on hand-built series whose signals were worked out by hand."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from cjlib.improve.rules import count_runs, one_side_runs, runs_limits, trends
from cjlib.improve.runchart import analyse_run_chart


def _rules(chart, rule):
    return [(s.start, s.end, s.direction) for s in chart.signals if s.rule == rule]


# --- shift: six or more on one side; points on the median are skipped -------------


def test_six_points_below_make_a_shift():
    (s,) = one_side_runs(np.array([1, 1, 1, 1, 1, 1.0]), np.full(6, 5.0), 6)
    assert (s.start, s.end, s.direction, s.points) == (0, 5, "down", 6)


def test_five_points_below_do_not():
    assert one_side_runs(np.array([1, 1, 1, 1, 1, 9.0]), np.full(6, 5.0), 6) == []


def test_a_point_on_the_median_neither_adds_to_nor_breaks_a_shift():
    # 1 1 1 [5 on the median] 1 1 1: six points below, the one on the median skipped
    (s,) = one_side_runs(np.array([1, 1, 1, 5, 1, 1, 1.0]), np.full(7, 5.0), 6)
    assert (s.start, s.end, s.points) == (0, 6, 6)
    # five below with one on the median is still five: no shift
    assert one_side_runs(np.array([1, 1, 5, 1, 1, 1.0]), np.full(6, 5.0), 6) == []


def test_a_point_on_the_other_side_breaks_a_shift():
    assert one_side_runs(np.array([1, 1, 1, 9, 1, 1, 1.0]), np.full(7, 5.0), 6) == []


# --- trend: five or more going up or down; ties neither make nor break ---------------


def test_five_points_going_up_make_a_trend():
    (t,) = trends(np.array([1, 2, 3, 4, 5.0]), 5)
    assert (t.start, t.end, t.direction, t.points) == (0, 4, "up", 5)


def test_four_points_going_up_do_not():
    assert trends(np.array([3, 1, 2, 3, 4, 2.0]), 5) == []


def test_a_tie_does_not_count_towards_a_trend():
    # 1 2 3 3 4: the repeated 3 counts once, so only four points go up
    assert trends(np.array([1, 2, 3, 3, 4.0]), 5) == []


def test_a_tie_does_not_break_a_trend():
    # 1 2 3 3 4 5: five distinct points going up, the repeat skipped
    (t,) = trends(np.array([1, 2, 3, 3, 4, 5.0]), 5)
    assert (t.start, t.end, t.points) == (0, 5, 5)


def test_a_tie_breaks_a_trend_when_asked():
    assert trends(np.array([1, 2, 3, 3, 4, 5.0]), 5, ties_break=True) == []


def test_a_downward_trend_ends_where_the_series_turns():
    (t,) = trends(np.array([9, 7, 6, 4, 2, 3.0]), 5)
    assert (t.start, t.end, t.direction) == (0, 4, "down")


# --- runs: counted without the points on the median; limits by Swed and Eisenhart ---


def test_runs_are_counted_without_points_on_the_median():
    # above, [on], above, below, below, above: runs A | B B | A = 3, useful 5
    assert count_runs(np.array([9, 5, 9, 1, 1, 9.0]), np.full(6, 5.0)) == (3, 5)


def _limits_by_enumeration(useful: int) -> tuple[int, int]:
    """Every arrangement of useful//2 points above among `useful`, counted one by one."""
    n1 = useful // 2
    counts: dict[int, int] = {}
    for above in combinations(range(useful), n1):
        side = np.zeros(useful, dtype=int)
        side[list(above)] = 1
        runs = 1 + int(np.count_nonzero(side[1:] != side[:-1]))
        counts[runs] = counts.get(runs, 0) + 1
    total = sum(counts.values())
    low_tail = lambda r: sum(c for k, c in counts.items() if k <= r) / total  # noqa: E731
    high_tail = lambda r: sum(c for k, c in counts.items() if k >= r) / total  # noqa: E731
    lower = max((r for r in range(1, useful + 1) if low_tail(r) <= 0.025), default=1) + 1
    upper = min((r for r in range(1, useful + 2) if high_tail(r) <= 0.025), default=useful + 1) - 1
    return lower, upper


@pytest.mark.parametrize("useful", [10, 11, 12, 13, 16, 19])
def test_runs_limits_match_counting_every_arrangement(useful):
    assert runs_limits(useful) == _limits_by_enumeration(useful)


def test_runs_limits_for_ten_useful_observations():
    # 5 above and 5 below: P(2 runs) = 2/252 = 0.008 <= 0.025 < P(<= 3 runs) = 10/252,
    # so 2 runs are too few and 3 are not; by symmetry 10 runs are too many and 9 are not
    assert runs_limits(10) == (3, 9)


def test_too_many_runs_are_a_signal():
    # 20 points alternating about the median: 20 runs, more than chance allows (15)
    values = [4.0, 6.0] * 10
    chart = analyse_run_chart(values, baseline_points=20)
    assert chart.medians == [5.0]
    assert _rules(chart, "runs") == [(0, 19, "too many")]


def test_too_few_runs_are_a_signal():
    # 1 1 1 1 1 9 9 9 9 9 1 1 1 1 1 9 9 9 9 9: 4 runs of 5 (no shift), fewer than 7
    values = ([1.0] * 5 + [9.0] * 5) * 2
    chart = analyse_run_chart(values, baseline_points=20)
    assert _rules(chart, "shift") == []
    assert _rules(chart, "runs") == [(0, 19, "too few")]


# --- astronomical point, frozen baseline, rephasing ----------------------------------


def test_an_astronomical_point_is_flagged():
    # median 10, moving ranges of 1 around it (mean MR about 1.8 with the spike);
    # 40 is far beyond 10 + 2.66 x MR-bar
    values = [10.0, 11.0, 10.0, 9.0, 10.0, 11.0, 40.0, 10.0, 9.0, 10.0, 11.0, 10.0]
    chart = analyse_run_chart(values)
    assert _rules(chart, "astronomical") == [(6, 6, "up")]


def test_the_baseline_median_is_frozen():
    # baseline 11 9 alternating (median 10); later points of 10.5 do not move it
    values = [11.0, 9.0] * 6 + [10.5, 9.5] * 4
    chart = analyse_run_chart(values)
    assert chart.medians == [10.0]
    assert np.allclose(chart.centre, 10.0)


def test_a_sustained_shift_starts_a_new_phase_with_its_own_median():
    # 12 baseline points about 10, then 10 points at 14 or 15: a shift of 10 points
    # (from position 12) against the frozen median 10, then a new median of 14.5
    values = [11.0, 9.0] * 6 + [14.0, 15.0] * 5
    chart = analyse_run_chart(values)
    assert chart.phase_starts == [0, 12]
    assert chart.medians == [10.0, 14.5]
    assert _rules(chart, "shift") == [(12, 21, "up")]


def test_a_short_shift_does_not_rephase():
    # seven points above: a shift (six or more), but not sustained (nine)
    values = [11.0, 9.0] * 6 + [14.0] * 7 + [9.0, 11.0]
    chart = analyse_run_chart(values)
    assert chart.phase_starts == [0]
    assert _rules(chart, "shift") == [(12, 18, "up")]
