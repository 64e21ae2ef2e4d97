"""Compare each area with Scotland, its family group, its baseline year and the other areas."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln
from scipy.stats import binom

from cjlib.areas import SCOTLAND_CODE, family_membership
from cjlib.assess.trend import add_trend
from cjlib.stats.funnel import funnel_limits_each

#: Judgements of an area's value against a comparator's point value.
BETTER, WORSE, SIMILAR = "better", "worse", "not significantly different"
HIGHER, LOWER, NOT_COMPARED = "higher", "lower", "not compared"


def judge_interval(value_lower, value_upper, comparator, polarity, comparable) -> np.ndarray:
    """Judge an interval against a comparator's point value, using polarity.

    The area differs significantly when the comparator's point value lies outside
    the area's confidence interval. Kept for simple tables; the batch compares areas
    with :func:`judge_against_reference`, which agrees with the funnel plots.
    Polarity ``none`` gives "higher" or "lower" instead of a judgement.
    """
    lower = np.asarray(value_lower, dtype=float)
    upper = np.asarray(value_upper, dtype=float)
    comp = np.asarray(comparator, dtype=float)
    above = lower > comp  # area significantly above the comparator
    below = upper < comp
    missing = np.isnan(lower) | np.isnan(upper) | np.isnan(comp) | ~np.asarray(comparable)
    return _label(above, below, np.asarray(polarity, dtype=object), missing)


def _label(above, below, pol, missing) -> np.ndarray:
    good_above = pol == "higher_is_better"
    good_below = pol == "lower_is_better"
    result = np.full(above.shape, SIMILAR, dtype=object)
    result[above & good_above] = BETTER
    result[above & good_below] = WORSE
    result[below & good_above] = WORSE
    result[below & good_below] = BETTER
    result[above & (pol == "none")] = HIGHER
    result[below & (pol == "none")] = LOWER
    result[missing] = NOT_COMPARED
    return result


def judge_against_reference(
    frame: pd.DataFrame, reference: pd.Series, confidence: float = 0.95
) -> np.ndarray:
    """Judge each rate or share against a reference value with the funnel plot's test.

    The area differs significantly when its value lies strictly outside the
    ``confidence`` control limits of :func:`cjlib.stats.funnel_limits` around the
    reference value at the area's own denominator (exact binomial for shares, exact
    Poisson for rates, Spiegelhalter's interpolation). This is the test the funnel
    plots draw, so a point outside a funnel's 95% limits is always "significantly"
    different in the tables, and a point inside never is. Counts, rows without a
    value or a positive denominator, and missing references are "not compared".
    """
    value = frame["value"].to_numpy(float)
    den = frame["denominator"].to_numpy(float)
    ref = np.asarray(reference, dtype=float)
    mult = frame["multiplier"].to_numpy(float)
    kind = frame["indicator_type"].to_numpy(object)
    above = np.zeros(len(frame), dtype=bool)
    below = np.zeros(len(frame), dtype=bool)
    usable = (kind != "count") & ~np.isnan(value) & (den > 0) & ~np.isnan(ref) & (ref >= 0)
    usable &= ~((kind == "proportion") & (ref > mult))
    for k in ("proportion", "rate"):
        idx = np.flatnonzero(usable & (kind == k))
        if not idx.size:
            continue
        if k == "proportion":
            lower, upper = funnel_limits_each(k, ref[idx] / mult[idx], den[idx], confidence, per=1)
            lower, upper = lower * mult[idx], upper * mult[idx]
        else:
            lower, upper = funnel_limits_each(k, ref[idx], den[idx], confidence, per=mult[idx])
        above[idx] = value[idx] > upper
        below[idx] = value[idx] < lower
    return _label(above, below, frame["polarity"].to_numpy(object), ~usable)


def fisher_exact_p(a, n1, b, n0) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test for many 2x2 tables at once.

    Table ``i`` has ``a[i]`` successes out of ``n1[i]`` and ``b[i]`` out of ``n0[i]``.
    Given the margins, the first cell is hypergeometric; the p-value sums the
    probabilities of every table no more likely than the one observed (with a relative
    tolerance of 1e-7, as R's ``fisher.test`` and scipy do). Log-probabilities come from
    ``gammaln``, and tables are processed in blocks padded to their widest support.
    """
    a, n1, b, n0 = (np.asarray(v, dtype=float) for v in (a, n1, b, n0))
    out = np.empty(a.shape)
    total, successes = n1 + n0, a + b
    low = np.maximum(0.0, successes - n0)
    width = (np.minimum(successes, n1) - low + 1).astype(int)
    order = np.argsort(width)
    for block in np.array_split(order, max(1, len(order) // 256)):
        if not block.size:
            continue
        k = low[block, None] + np.arange(width[block].max())[None, :]
        valid = k <= np.minimum(successes, n1)[block, None]
        logp = _log_hypergeom(k, total[block, None], successes[block, None], n1[block, None])
        observed = _log_hypergeom(a[block], total[block], successes[block], n1[block])
        keep = valid & (logp <= observed[:, None] + np.log1p(1e-7))
        out[block] = np.minimum(1.0, np.where(keep, np.exp(logp), 0.0).sum(axis=1))
    return out


def _log_hypergeom(k, total, successes, draws):
    def log_choose(n, r):
        return gammaln(n + 1) - gammaln(r + 1) - gammaln(n - r + 1)

    with np.errstate(invalid="ignore"):
        return (
            log_choose(successes, k)
            + log_choose(total - successes, draws - k)
            - log_choose(total, draws)
        )


def _change_test(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided p-value and ratio (or difference) against the baseline.

    Counts: the exact conditional test of two Poisson counts (the later count
    given the total is binomial with p = 1/2), two-sided by doubling the smaller
    tail. Rates: the same with p = E1 / (E1 + E0) for exposures E. Proportions:
    Fisher's exact test of the 2x2 table (successes and failures in each year),
    which stays valid for the small numbers of island areas.
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
        p[props] = fisher_exact_p(x1[props], n1[props], x0[props], n0[props])
        effect[props] = x1[props] / n1[props] - x0[props] / n0[props]
    return p, effect


def holm_adjust(p: pd.Series, groups: list[pd.Series]) -> pd.Series:
    """Holm's step-down adjustment of p-values within each group (NaN stays NaN).

    Within a group of ``m`` tests ordered by p, the ``i``-th smallest becomes
    ``max over j <= i of min(1, (m - j + 1) * p_(j))`` (Holm 1979, Scand J Statist
    6: 65-70). It controls the chance of any false signal in the group at alpha.
    """
    frame = pd.DataFrame({"p": p, **{f"g{i}": g for i, g in enumerate(groups)}})
    keys = [f"g{i}" for i in range(len(groups))]
    tested = frame[frame["p"].notna()].sort_values("p", kind="stable")
    m = tested.groupby(keys)["p"].transform("size")
    order = tested.groupby(keys).cumcount()
    scaled = np.minimum(1.0, (m - order) * tested["p"])
    adjusted = scaled.groupby([tested[k] for k in keys]).cummax()
    return adjusted.reindex(p.index)


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
    primary_forms: set[str] | None = None,
) -> pd.DataFrame:
    """Add comparison columns to the published indicator results table.

    Run it on the table *after* disclosure control: every comparison, label and rank
    is then derived from published values only, so none can reveal a suppressed one.

    Adds, for every row: ``scotland_value`` and ``compare_scotland``;
    ``family_group``, ``family_value`` and ``compare_family`` (councils only), judged
    with :func:`judge_against_reference` (the funnel plots' test); ``baseline_period``,
    ``baseline_value``, ``change_effect`` (rate ratio, or the difference in
    proportions), ``change_p`` (the exact test, on each measure's primary form only: one test per
    measure), ``change_p_adjusted`` (Holm's method across the measures of the same
    outcome, area and year),
    ``change_label`` ("significant increase", "significant decrease", "no significant
    change", or "not compared" for the baseline year, earlier years and rows without
    both values) and ``change_judgement``; the trend columns of
    :func:`cjlib.assess.trend.add_trend`; and ``rank`` and ``rank_of`` among the
    council areas with a published value (1 is best), for rates and shares that have
    a direction only. Counts are never compared between areas or ranked.

    ``primary_forms`` names the indicator ids whose change is tested (one form per
    measure, :meth:`cjlib.framework.Framework.primary_forms`); other forms are "not
    compared" for change. None tests every indicator.

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
    is_council = out["geography"].eq("council")
    below_scotland = out["geography"].ne("scotland")
    out["compare_scotland"] = judge_against_reference(
        out, out["scotland_value"].where(below_scotland), confidence
    )
    out["compare_family"] = judge_against_reference(
        out, out["family_value"].where(is_council), confidence
    )
    base_cols = ["area_code", "indicator_id", "numerator", "denominator", "value", "marker"]
    base = out.loc[out["period"] == baseline_period, base_cols].rename(
        columns={
            "numerator": "baseline_numerator",
            "denominator": "baseline_denominator",
            "value": "baseline_value",
            "marker": "baseline_marker",
        }
    )
    out = out.merge(base, on=["area_code", "indicator_id"], how="left")
    out["baseline_period"] = baseline_period
    p, effect = _change_test(out)
    after = out["period"].map(lambda x: is_after(x, baseline_period)).to_numpy(bool)
    if primary_forms is not None:
        after = after & out["indicator_id"].isin(primary_forms).to_numpy(bool)
    p = np.where(after, p, np.nan)
    out["change_effect"] = np.where(after, effect, np.nan)
    out["change_p"] = p
    family = out["outcome"].where(out["outcome"].ne(""), out["indicator_id"])
    directed = pd.Series(p, index=out.index).where(out["polarity"].ne("none"))
    adjusted = holm_adjust(directed, [out["area_code"], out["period"], family])
    out["change_p_adjusted"] = adjusted.fillna(pd.Series(p, index=out.index))
    out["change_label"], out["change_judgement"] = _change_labels(
        out, out["change_p_adjusted"].to_numpy(float), 1 - confidence
    )
    out = out.drop(columns=["baseline_numerator", "baseline_denominator"])
    out = add_trend(out, alpha=1 - confidence)
    return _add_rank(out)


def is_after(period: str, baseline: str) -> bool:
    """True when ``period`` is a later year of the same kind (financial or calendar)."""
    period, baseline = str(period), str(baseline)
    return len(period) == len(baseline) and period[:4] > baseline[:4]


def rankable(frame: pd.DataFrame) -> pd.Series:
    """True for rows of indicators that may be ranked: rates and shares with a direction."""
    return frame["indicator_type"].ne("count") & frame["polarity"].ne("none")


def _add_rank(out: pd.DataFrame) -> pd.DataFrame:
    councils = out["geography"].eq("council") & out["value"].notna() & rankable(out)
    descending = out["polarity"].eq("higher_is_better")
    score = np.where(descending, -out["value"], out["value"])
    ranked = pd.Series(score, index=out.index).where(councils)
    out["rank"] = ranked.groupby([out["indicator_id"], out["period"]]).rank(method="min")
    out["rank_of"] = councils.groupby([out["indicator_id"], out["period"]]).transform("sum")
    out.loc[~councils, "rank_of"] = np.nan
    return out
