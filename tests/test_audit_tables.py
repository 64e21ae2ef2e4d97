"""The audit on the batch's prepared results table: published columns only, cjlib's own tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ORKNEY

from cjlib.assess.trend import add_trend
from cjlib.audit import audit_tables
from cjlib.audit.labels import trend_labels


def test_trend_labels_agree_with_cjlib_add_trend():
    rng = np.random.default_rng(11)
    years = np.arange(2015, 2022)
    for _ in range(20):
        values = rng.poisson(rng.uniform(2, 40), size=years.size).astype(float)
        values += np.arange(years.size) * rng.uniform(-3, 3)
        hidden = int(rng.integers(0, years.size - 1))
        candidates = np.arange(0, 60, dtype=float)
        ours = trend_labels(years, values, hidden, candidates, 0.05)
        frames = []
        for i, c in enumerate(candidates):
            y = values.copy()
            y[hidden] = c
            frames.append(
                pd.DataFrame(
                    {
                        "area_code": str(i),
                        "indicator_id": "x",
                        "period": [f"{t}-{(t + 1) % 100:02d}" for t in years],
                        "value": y,
                    }
                )
            )
        fitted = add_trend(pd.concat(frames, ignore_index=True))
        theirs = fitted.groupby("area_code", sort=False)["trend"].last()
        assert list(ours) == list(theirs.loc[[str(i) for i in range(candidates.size)]])


def results_rows(baseline_value: float) -> pd.DataFrame:
    """A hidden 2019-20 count and a shown 2023-24 row carrying unpublished columns."""
    common = {"area_code": ORKNEY, "geography": "council", "indicator_id": "NI03b"}
    common |= {"indicator_type": "count", "polarity": "higher_is_better", "multiplier": 1.0}
    return pd.DataFrame(
        [
            common | {"period": "2019-20", "numerator": np.nan, "value": np.nan, "marker": "[c]",
                      "suppressed": True, "rank": 5.0, "rank_of": 32.0},
            common | {"period": "2023-24", "numerator": 40.0, "value": 40.0, "marker": "",
                      "suppressed": False, "baseline_value": baseline_value,
                      "change_p": 0.5, "trend_slope": 1.0},
        ]
    )  # fmt: skip


def test_unpublished_columns_are_not_used():
    # baseline_value holds the hidden count but is in no download or page
    assert audit_tables(results_rows(3.0), 5, period="2023-24") == []


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        audit_tables(results_rows(3.0), 0)


def test_full_bundled_data_discloses_nothing(tmp_path):
    from cjlib.pipeline import prepare_batch, read_table

    ctx = prepare_batch(cache_dir=tmp_path)
    threshold = ctx.defaults.suppression_threshold if ctx.defaults else 5
    findings = audit_tables(read_table(ctx, "results"), threshold, period=ctx.period)
    assert [f.line() for f in findings] == []
