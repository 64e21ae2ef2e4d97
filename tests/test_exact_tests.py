"""The exact change tests checked directly against scipy and statsmodels (issue 28).

Fisher's test runs over thousands of random 2x2 tables of mixed sizes in one batch call,
so that the padding of blocks to their widest support matters; Holm's adjustment runs
on unsorted p-values with ties over many groups; the conditional Poisson test is checked
in both tails against ``scipy.stats.binomtest``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, fisher_exact
from statsmodels.stats.multitest import multipletests

from cjlib.assess.compare import _change_test, fisher_exact_p, holm_adjust


def _random_tables(n: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    sizes = rng.choice([3, 10, 40, 200, 1500], size=(n, 2))  # small and large tables mixed
    n1, n0 = sizes[:, 0], sizes[:, 1]
    a = rng.binomial(n1, rng.uniform(0.02, 0.98, n))
    b = rng.binomial(n0, rng.uniform(0.02, 0.98, n))
    return a, n1, b, n0


def test_fisher_matches_scipy_over_thousands_of_mixed_tables_in_one_batch():
    a, n1, b, n0 = _random_tables(3000, seed=20261202)
    got = fisher_exact_p(a, n1, b, n0)
    expected = np.array(
        [
            fisher_exact([[x, m - x], [y, k - y]]).pvalue
            for x, m, y, k in zip(a, n1, b, n0, strict=True)
        ]
    )
    assert np.allclose(got, expected, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("table", [(0, 5, 0, 7), (5, 5, 0, 5), (1, 1, 0, 1), (0, 1, 1, 1)])
def test_fisher_matches_scipy_at_the_edges(table):
    a, n1, b, n0 = table
    expected = fisher_exact([[a, n1 - a], [b, n0 - b]]).pvalue
    assert fisher_exact_p([a], [n1], [b], [n0])[0] == pytest.approx(expected)


def test_holm_matches_statsmodels_on_unsorted_tied_pvalues_in_many_groups():
    rng = np.random.default_rng(7)
    groups = rng.integers(0, 60, size=900)
    p = rng.choice([0.001, 0.01, 0.02, 0.04, 0.2, 0.5], size=900)  # many ties
    p = np.where(rng.uniform(size=900) < 0.3, rng.uniform(0, 0.1, 900), p)
    p[rng.uniform(size=900) < 0.05] = np.nan
    frame = pd.DataFrame({"p": p, "g": groups})
    got = holm_adjust(frame["p"], [frame["g"]])
    for _, part in frame.groupby("g"):
        tested = part["p"].dropna()
        if tested.empty:
            continue
        expected = multipletests(tested.to_numpy(), method="holm")[1]
        assert np.allclose(got[tested.index].to_numpy(), expected, rtol=1e-12)
    assert got[frame["p"].isna()].isna().all()


def test_holm_keeps_adjusted_pvalues_in_order():
    # sorted raw 0.01, 0.012, 0.04 -> 3*0.01 = 0.03, 2*0.012 = 0.024 -> max 0.03, 0.04
    p = pd.Series([0.04, 0.012, 0.01])
    got = holm_adjust(p, [pd.Series(["x", "x", "x"])])
    assert got.tolist() == pytest.approx([0.04, 0.03, 0.03])


@pytest.mark.parametrize(
    ("later", "earlier", "exp1", "exp0"),
    [
        (106, 73, 1.0, 1.0),  # Glasgow's bail completions: an increase
        (20, 45, 1.0, 1.0),  # a decrease
        (3, 0, 1.0, 1.0),
        (150, 120, 52_000.0, 48_000.0),  # a rate with unequal exposures
        (30, 60, 48_000.0, 52_000.0),
    ],
)
def test_conditional_poisson_test_matches_binomtest_in_both_tails(later, earlier, exp1, exp0):
    kind = "count" if exp1 == 1.0 else "rate"
    frame = pd.DataFrame(
        {
            "indicator_type": [kind],
            "numerator": [float(later)],
            "baseline_numerator": [float(earlier)],
            "denominator": [exp1],
            "baseline_denominator": [exp0],
        }
    )
    p, _ = _change_test(frame)
    share = exp1 / (exp1 + exp0)
    # cjlib doubles the smaller tail (the "central" two-sided p), capped at 1
    tails = min(
        binomtest(later, later + earlier, share, alternative="less").pvalue,
        binomtest(later, later + earlier, share, alternative="greater").pvalue,
    )
    assert p[0] == pytest.approx(min(1.0, 2 * tails))
    assert (p[0] < 0.05) == (min(1.0, 2 * tails) < 0.05)
