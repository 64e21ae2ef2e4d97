"""Compare each area with Scotland, its family group, its baseline year and the other areas."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom, norm

from cjlib.areas import SCOTLAND_CODE, family_membership
from cjlib.assess.trend import add_trend

#: Judgements of an area's value against a comparator's point value.
BETTER, WORSE, SIMILAR = "better", "worse", "not significantly different"
HIGHER, LOWER, NOT_COMPARED = "higher", "lower", "not compared"


def judge(value_lower, value_upper, comparator, polarity, comparable) -> np.ndarray:
    """Judge an interval against a comparator's point value, using polarity.

    The area differs significantly when the comparator's point value lies outside
    the area's confidence interval (the ScotPHO and Fingertips convention).
    Polarity ``none`` gives "higher" or "lower" instead of a judgement.
    """
    lower = np.asarray(value_lower, dtype=float)
    upper = np.asarray(value_upper, dtype=float)
    comp = np.asarray(comparator, dtype=float)
    pol = np.asarray(polarity, dtype=object)
    above = lower > comp  # area significantly above the comparator
    below = upper < comp
    good_above = pol == "higher_is_better"
    good_below = pol == "lower_is_better"
    result = np.full(lower.shape, SIMILAR, dtype=object)
    result[above & good_above] = BETTER
    result[above & good_below] = WORSE
    result[below & good_above] = WORSE
    result[below & good_below] = BETTER
    result[above & (pol == "none")] = HIGHER
    result[below & (pol == "none")] = LOWER
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(comp) | ~np.asarray(comparable)
    result[missing] = NOT_COMPARED
    return result


def _change_test(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-value and ratio (or difference) against the baseline.

    Counts: the exact conditional test of two Poisson counts (the later count
    given the total is binomial with p = 1/2), two-sided by doubling the smaller
    tail. Rates: the same with p = E1 / (E1 + E0) for exposures E. Proportions:
    the two-sample z-test of a difference in proportions with a pooled variance.
    """
    kind = frame["indicator_type"].to_numpy()
    x1 = frame["numerator"].to_numpy(float)
    x0 = frame["baseline_numerator"].to_numpy(float)
    n1 = frame["denominator"].to_numpy(float)
    n0 = frame["baseline_denominator"].to_numpy(float)
    p = np.full(len(frame), np.nan)
    effect = np.full(len(frame), np.nan)
    poisson = np.isin(kind, ["count", "rate"]) & ~np.isnan(x1) & ~np.isnan(x0)
    exposure1 = np.where(kind == "count", 1.0, n1)
    exposure0 = np.where(kind == "count", 1.0, n0)
    poisson &= ~np.isnan(exposure1) & ~np.isnan(exposure0)
    if poisson.any():
        k, total = x1[poisson], x1[poisson] + x0[poisson]
        share = exposure1[poisson] / (exposure1[poisson] + exposure0[poisson])
        tails = np.minimum(binom.cdf(k, total, share), binom.sf(k - 1, total, share))
        p[poisson] = np.where(total == 0, 1.0, np.minimum(1.0, 2 * tails))
        with np.errstate(divide="ignore", invalid="ignore"):
            effect[poisson] = (x1[poisson] / exposure1[poisson]) / (
                x0[poisson] / exposure0[poisson]
            )
    props = (kind == "proportion") & ~np.isnan(x1) & ~np.isnan(x0) & (n1 > 0) & (n0 > 0)
    if props.any():
        p1, p0 = x1[props] / n1[props], x0[props] / n0[props]
        pooled = (x1[props] + x0[props]) / (n1[props] + n0[props])
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1[props] + 1 / n0[props]))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, (p1 - p0) / se, 0.0)
        p[props] = 2 * norm.sf(np.abs(z))
        effect[props] = p1 - p0
    return p, effect


def _change_labels(frame: pd.DataFrame, p: np.ndarray, alpha: float) -> np.ndarray:
    value = frame["value"].to_numpy(float)
    base = frame["baseline_value"].to_numpy(float)
    pol = frame["polarity"].to_numpy(object)
    significant = p < alpha
    up = significant & (value > base)
    down = significant & (value < base)
    labels = np.full(len(frame), "no significant change", dtype=object)
    labels[up] = "significant increase"
    labels[down] = "significant decrease"
    labels[np.isnan(p)] = "not compared"
    improving = (up & (pol == "higher_is_better")) | (down & (pol == "lower_is_better"))
    worsening = (up & (pol == "lower_is_better")) | (down & (pol == "higher_is_better"))
    verdict = np.where(improving, BETTER, np.where(worsening, WORSE, SIMILAR))
    verdict = np.where(np.isnan(p) | (pol == "none"), NOT_COMPARED, verdict)
    return labels, verdict


def add_comparisons(
    results: pd.DataFrame,
    *,
    baseline_period: str,
    grouping: str = "deprivation",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Add comparison columns to the indicator results table.

    Adds, for every row: ``scotland_value`` and ``compare_scotland``;
    ``family_group``, ``family_value`` and ``compare_family`` (councils only);
    ``baseline_period``, ``baseline_value``, ``change_effect`` (rate ratio, or the
    difference in proportions), ``change_p``, ``change_label`` ("significant increase",
    "significant decrease", "no significant change") and ``change_judgement``;
    the trend columns of :func:`cjlib.assess.trend.add_trend`; and ``rank`` and
    ``rank_of`` among the council areas (1 is best, or highest when polarity is
    ``none``). Counts are not compared with Scotland or the family group: only
    rates and shares are comparable between areas of different sizes.

    Returns
    -------
    pandas.DataFrame
        A new frame.
    """
    out = results.copy()
    keys = ["indicator_id", "period"]
    scot = out.loc[out["area_code"] == SCOTLAND_CODE, [*keys, "value"]]
    out = out.merge(scot.rename(columns={"value": "scotland_value"}), on=keys, how="left")
    members = family_membership(grouping)
    out["family_group"] = out["area_code"].map(members).fillna("")
    fam = out.loc[out["area_code"].str.startswith("LGBF-"), [*keys, "area_code", "value"]]
    fam = fam.rename(columns={"area_code": "family_group", "value": "family_value"})
    out = out.merge(fam, on=[*keys, "family_group"], how="left")
    comparable = out["indicator_type"].ne("count").to_numpy()
    is_council = out["geography"].eq("council").to_numpy()
    out["compare_scotland"] = judge(
        out["lower_ci"],
        out["upper_ci"],
        out["scotland_value"],
        out["polarity"],
        comparable & (out["geography"] != "scotland").to_numpy(),
    )
    out["compare_family"] = judge(
        out["lower_ci"],
        out["upper_ci"],
        out["family_value"],
        out["polarity"],
        comparable & is_council,
    )
    base_cols = ["area_code", "indicator_id", "numerator", "denominator", "value"]
    base = out.loc[out["period"] == baseline_period, base_cols].rename(
        columns={
            "numerator": "baseline_numerator",
            "denominator": "baseline_denominator",
            "value": "baseline_value",
        }
    )
    out = out.merge(base, on=["area_code", "indicator_id"], how="left")
    out["baseline_period"] = baseline_period
    p, effect = _change_test(out)
    out["change_effect"] = effect
    out["change_p"] = p
    out["change_label"], out["change_judgement"] = _change_labels(out, p, 1 - confidence)
    out = out.drop(columns=["baseline_numerator", "baseline_denominator"])
    out = add_trend(out, alpha=1 - confidence)
    return _add_rank(out)


def _add_rank(out: pd.DataFrame) -> pd.DataFrame:
    councils = out["geography"].eq("council") & out["value"].notna()
    descending = out["polarity"].isin(["higher_is_better", "none"])
    score = np.where(descending, -out["value"], out["value"])
    ranked = pd.Series(score, index=out.index).where(councils)
    out["rank"] = ranked.groupby([out["indicator_id"], out["period"]]).rank(method="min")
    out["rank_of"] = councils.groupby([out["indicator_id"], out["period"]]).transform("sum")
    out.loc[~councils, "rank_of"] = np.nan
    return out
