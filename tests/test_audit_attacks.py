"""Each class of leak planted in a small hand-made frame, found by the audit with the right value.

Every expected value is worked out by hand (or with scipy, independently of cjlib) in
the test; the clean cases must not be flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import CLACKS, ORKNEY, SHETLAND
from scipy.stats import binom, chi2, linregress

from cjlib.areas import SCOTLAND_CODE, council_areas, family_membership
from cjlib.audit import audit_frame

COUNCILS = list(council_areas()["area_code"])
FAMILY = family_membership("deprivation")
D1 = [c for c in COUNCILS if FAMILY[c] == "LGBF-D1"]


def row(area, period, indicator, numerator=None, denominator=None, value=None, **extra):
    """One published row; a missing numerator with marker "[c]" is a suppressed cell."""
    out = {
        "area_code": area,
        "period": period,
        "indicator_id": indicator,
        "numerator": numerator,
        "denominator": denominator,
        "value": value if value is not None or numerator is None else numerator,
        "marker": "",
        "file": f"{area}/data/indicators.csv",
    }
    out.update(extra)
    return out


def hidden(area, period, indicator, marker="[c]", **extra):
    return row(area, period, indicator, marker=marker, **extra)


def count_table(counts: dict[str, int], hide: dict[str, str], period="2023-24", ind="NI03b"):
    """Councils, family totals (of returned members) and Scotland for one count."""
    rows = []
    for code in COUNCILS:
        if code in hide:
            rows.append(hidden(code, period, ind, marker=hide[code]))
        else:
            rows.append(row(code, period, ind, counts[code]))
    for fam in sorted(set(FAMILY.values())):
        total = sum(counts[c] for c in COUNCILS if FAMILY[c] == fam and hide.get(c) != "[x]")
        rows.append(row(fam, period, ind, total))
    rows.append(row(SCOTLAND_CODE, period, ind, sum(counts.values())))
    return pd.DataFrame(rows)


def values_of(findings, area):
    found = [f for f in findings if f.cell.startswith(area_name(area))]
    return [set(f.values) for f in found]


def area_name(code):
    return dict(zip(council_areas()["area_code"], council_areas()["area_name"], strict=True))[code]


def base_counts():
    return {c: 20 + i for i, c in enumerate(COUNCILS)}


# (a) differencing ---------------------------------------------------------------


def test_one_hidden_member_is_total_minus_the_rest():
    counts = base_counts() | {ORKNEY: 3}
    findings = audit_frame(count_table(counts, {ORKNEY: "[c]"}))
    assert values_of(findings, ORKNEY) == [{3}]
    assert "differencing" in findings[0].attack
    assert "add to 3" in findings[0].arithmetic


def test_two_hidden_members_with_a_small_sum_give_a_range():
    counts = base_counts() | {ORKNEY: 1, SHETLAND: 1}
    findings = audit_frame(count_table(counts, {ORKNEY: "[c]", SHETLAND: "[c]"}))
    # Orkney + Shetland = 2 (D1 total minus shown members), so each is 0, 1 or 2
    assert values_of(findings, ORKNEY) == [{0, 1, 2}]
    assert values_of(findings, SHETLAND) == [{0, 1, 2}]


def test_two_hidden_members_with_a_large_sum_are_not_flagged():
    counts = base_counts() | {ORKNEY: 3, SHETLAND: 40}
    assert audit_frame(count_table(counts, {ORKNEY: "[c]", SHETLAND: "[c]"})) == []


def test_a_range_of_four_values_is_not_a_disclosure():
    counts = base_counts() | {ORKNEY: 2, SHETLAND: 1}
    # each is 0 to 3: four values, as many as the primary band 1-4 hides
    assert audit_frame(count_table(counts, {ORKNEY: "[c]", SHETLAND: "[c]"})) == []


def test_not_returned_cell_is_scotland_minus_the_family_totals():
    counts = base_counts() | {CLACKS: 2, ORKNEY: 30, SHETLAND: 40}
    hide = {CLACKS: "[x]", ORKNEY: "[c]", SHETLAND: "[c]"}
    findings = audit_frame(count_table(counts, hide))
    # Scotland counts Clackmannanshire's 2; the family totals leave it out
    assert values_of(findings, CLACKS) == [{2}]
    assert values_of(findings, ORKNEY) == [] and values_of(findings, SHETLAND) == []
    assert "[x]" in next(f.cell for f in findings if "Clackmannanshire" in f.cell)


# (b) complements and nested counts ---------------------------------------------


def test_small_complement_of_two_shown_counts():
    frame = pd.DataFrame([row(ORKNEY, "2023-24", "NI03a", 50), row(ORKNEY, "2023-24", "NI03b", 47)])
    findings = audit_frame(frame)
    assert [set(f.values) for f in findings] == [{3}]  # 50 assessed - 47 commenced
    assert "complement" in findings[0].cell


def test_large_complement_is_not_flagged():
    frame = pd.DataFrame([row(ORKNEY, "2023-24", "NI03a", 50), row(ORKNEY, "2023-24", "NI03b", 40)])
    assert audit_frame(frame) == []


def test_nested_counts_pin_a_hidden_middle_count():
    frame = pd.DataFrame(
        [
            row(ORKNEY, "2023-24", "NI03a", 7),  # assessed
            hidden(ORKNEY, "2023-24", "NI03b"),  # commenced: between completed and assessed
            row(ORKNEY, "2023-24", "NI03c", 5),  # completed
        ]
    )
    assert values_of(audit_frame(frame), ORKNEY) == [{5, 6, 7}]


# (c) shares x denominators, rates x population ----------------------------------


def test_rate_shown_beside_a_hidden_count_gives_the_count():
    # 3 / 22,436 x 10,000 = 1.33713..., published to 4 decimals
    frame = pd.DataFrame(
        [hidden(ORKNEY, "2023-24", "NI03b_rate", denominator=22436, value=1.3371, tolerance=5e-5)]
    )
    assert values_of(audit_frame(frame), ORKNEY) == [{3}]


def test_share_times_known_denominator_gives_the_numerator():
    # the share 60% of 5 assessments (shown as the NI03a count) is 3 commenced
    frame = pd.DataFrame(
        [
            row(ORKNEY, "2023-24", "NI03a", 5),
            hidden(ORKNEY, "2023-24", "NI03b"),
            row(ORKNEY, "2023-24", "NI03_conv_commenced", None, None, 60.0, tolerance=5e-5),
        ]
    )
    assert {3} in values_of(audit_frame(frame), ORKNEY)


# (d) rank gaps --------------------------------------------------------------------


def rate_table(counts: dict[str, int], hide: set[str], period="2023-24", ind="NI03b_rate"):
    """A rate per 10,000 with population 10,000 everywhere, so each value is its count."""
    values = pd.Series(counts, dtype=float)
    ranks = values.rank(method="min", ascending=False)  # higher is better, 1 = best
    rows = []
    for code in COUNCILS:
        extra = {"rank_of": 32, "denominator": 10000}
        if code in hide:
            rows.append(hidden(code, period, ind, **extra))
        else:
            value = float(counts[code])
            rows.append(
                row(code, period, ind, counts[code], value=value, rank=ranks[code], **extra)
            )
    return rows


def test_rank_gap_places_a_hidden_value_between_shown_neighbours():
    others = [c for c in COUNCILS if c != ORKNEY]
    counts = {c: 2 * i + 1 for i, c in enumerate(others)} | {ORKNEY: 12}  # 11 < 12 < 13
    findings = audit_frame(pd.DataFrame(rate_table(counts, {ORKNEY})))
    assert values_of(findings, ORKNEY) == [{11, 12, 13}]
    assert findings[0].attack == "rank gap"


def test_rank_gaps_and_a_family_total_together():
    others = [c for c in COUNCILS if c not in (ORKNEY, SHETLAND)]
    counts = {c: 4 * i for i, c in enumerate(others)} | {ORKNEY: 5, SHETLAND: 5}
    rows = rate_table(counts, {ORKNEY, SHETLAND})
    d1 = sum(counts[c] for c in D1)
    rows.append(row("LGBF-D1", "2023-24", "NI03b_rate", d1, 10000 * len(D1), d1 / len(D1)))
    frame = pd.DataFrame(rows)
    # ranks alone: each between 4 and 8 (five values); the family total alone: 0 to 10
    assert audit_frame(frame, attacks=["rank gap"]) == []
    assert audit_frame(frame, attacks=["differencing"]) == []
    both = audit_frame(frame, attacks=["rank gap", "differencing"])
    assert values_of(both, ORKNEY) == [{4, 5, 6}] and values_of(both, SHETLAND) == [{4, 5, 6}]


def test_ranks_that_skip_no_hidden_area_are_not_flagged():
    others = [c for c in COUNCILS if c != ORKNEY]
    counts = {c: 2 * i + 1 for i, c in enumerate(others)}
    rows = rate_table(counts | {ORKNEY: 0}, {ORKNEY})
    for r in rows:  # ranks over the shown areas only, as after the fix
        r["rank_of"] = 31
    shown = pd.Series(counts, dtype=float).rank(method="min", ascending=False)
    for r in rows:
        if r["area_code"] != ORKNEY:
            r["rank"] = shown[r["area_code"]]
    assert audit_frame(pd.DataFrame(rows)) == []


# (e) change and trend labels ------------------------------------------------------


def exact_change_label(x1: int, x0: int) -> str:
    """The exact conditional Poisson test, written out with scipy."""
    total = x1 + x0
    p = (
        1.0
        if total == 0
        else min(1, 2 * min(binom.cdf(x1, total, 0.5), binom.sf(x1 - 1, total, 0.5)))
    )
    if p < 0.05:
        return "significant increase" if x1 > x0 else "significant decrease"
    return "no significant change"


def test_change_labels_narrow_a_hidden_baseline():
    shown = {"2021-22": 10, "2023-24": 15}
    rows = [hidden(ORKNEY, "2019-20", "NI03b")]
    for period, x1 in shown.items():
        label = exact_change_label(x1, 4)  # the true baseline is 4
        rows.append(row(ORKNEY, period, "NI03b", x1, change_label=label, baseline_period="2019-20"))
    expected = {
        x0
        for x0 in range(0, 500)
        if all(exact_change_label(x1, x0) == exact_change_label(x1, 4) for x1 in shown.values())
    }
    assert expected == {3, 4, 5}
    assert values_of(audit_frame(pd.DataFrame(rows)), ORKNEY) == [expected]


def ols_trend(values) -> str:
    fit = linregress(np.arange(len(values)), values)
    return ("rising" if fit.slope > 0 else "falling") if fit.pvalue < 0.05 else "no clear trend"


def test_trend_labels_narrow_a_hidden_year():
    series = [4, 6, 7, 8, 10, 11]  # 2016-17 (hidden) to 2021-22
    periods = [f"{2016 + i}-{17 + i}" for i in range(len(series))]
    rows = [hidden(ORKNEY, periods[0], "NI03b")]
    for i in range(1, len(series)):
        trend = ols_trend(series[: i + 1]) if i >= 2 else "too few years"
        rows.append(row(ORKNEY, periods[i], "NI03b", series[i], trend=trend))
    expected = {
        c
        for c in range(0, 500)
        if all(
            ols_trend([c, *series[1 : i + 1]]) == ols_trend(series[: i + 1])
            for i in range(2, len(series))
        )
    }
    assert expected == {3, 4}
    findings = audit_frame(pd.DataFrame(rows))
    assert values_of(findings, ORKNEY) == [expected]
    assert findings[0].attack == "trend label"


def test_labels_that_allow_many_values_are_not_flagged():
    rows = [
        hidden(ORKNEY, "2019-20", "NI03b"),
        row(
            ORKNEY,
            "2023-24",
            "NI03b",
            15,
            change_label="no significant change",
            baseline_period="2019-20",
        ),
    ]
    assert audit_frame(pd.DataFrame(rows)) == []


# (f) interval bounds; (g) funnel points and cells shown elsewhere -------------------


def test_interval_of_a_suppressed_count_gives_the_count():
    lower, upper = chi2.ppf(0.025, 6) / 2, chi2.ppf(0.975, 8) / 2  # exact interval of 3
    frame = pd.DataFrame(
        [
            hidden(
                ORKNEY,
                "2023-24",
                "NI03b",
                lower_ci=round(lower, 4),
                upper_ci=round(upper, 4),
                tolerance=5e-5,
            )
        ]
    )
    findings = audit_frame(frame)
    assert values_of(findings, ORKNEY) == [{3}]
    assert findings[0].attack == "interval bounds"


def test_hidden_row_that_still_shows_its_count():
    frame = pd.DataFrame(
        [
            hidden(ORKNEY, "2023-24", "NI03b"),
            row(ORKNEY, "2023-24", "NI03b_rate", 3, 22436, 1.3371, file="o3_funnel_ni03b_rate.csv"),
        ]
    )
    findings = audit_frame(frame)
    assert values_of(findings, ORKNEY) == [{3}]
    assert findings[0].attack == "funnel point"


def test_share_hidden_for_its_denominator_does_not_hide_a_shown_numerator():
    frame = pd.DataFrame(
        [
            row(SHETLAND, "2020-21", "NI03c", 0),
            hidden(SHETLAND, "2020-21", "NI03b"),
            hidden(SHETLAND, "2020-21", "NI03_conv_completed"),
        ]
    )
    assert audit_frame(frame, attacks=["back-calculation"]) == []


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        audit_frame(pd.DataFrame([row(ORKNEY, "2023-24", "NI03b", 3)]), threshold=1)


def test_family_total_marked_u_is_not_used():
    counts = base_counts() | {ORKNEY: 3}
    frame = count_table(counts, {ORKNEY: "[c]"})
    frame = frame[frame["area_code"] != SCOTLAND_CODE].copy()
    assert values_of(audit_frame(frame), ORKNEY) == [{3}]
    # "[u]": some members were left out of the pool, and the outsider is not told which
    frame.loc[frame["area_code"] == "LGBF-D1", "marker"] = "[u]"
    assert audit_frame(frame) == []


def test_trend_labels_from_the_shown_years_alone_are_not_used():
    series = [4, 6, 7, 8, 10, 11]
    periods = [f"{2016 + i}-{17 + i}" for i in range(len(series))]
    rows = [hidden(ORKNEY, periods[0], "NI03b")]
    for i in range(1, len(series)):
        shown = series[1 : i + 1]  # the published view: the hidden year is left out
        trend = ols_trend(shown) if len(shown) >= 3 else "too few years"
        rows.append(row(ORKNEY, periods[i], "NI03b", series[i], trend=trend))
    assert audit_frame(pd.DataFrame(rows)) == []
