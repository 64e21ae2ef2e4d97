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
from scipy.stats import binom, binomtest, hypergeom, linregress
from statsmodels.stats.multitest import multipletests

from cjlib.assess.compare import add_comparisons, judge
from cjlib.assess.narrative import describe_change, draft_narrative
from cjlib.assess.outcome import assess_outcomes
from cjlib.framework import load_framework
from cjlib.indicators import compute_indicators
from cjlib.measures import make_measures
from cjlib.params import AreaParameters, PriorityDecision, Target

FW = load_framework()
SCOTLAND = "S92000003"
GLASGOW, DUNDEE, INVERCLYDE = "S12000049", "S12000042", "S12000018"
ORKNEY, SHETLAND, CLACKS, FALKIRK = "S12000023", "S12000027", "S12000005", "S12000014"
BASE, PERIOD = "2019-20", "2023-24"
YEARS = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
BETTER, WORSE, SIMILAR = "better", "worse", "not significantly different"
LONG_FLOAT = re.compile(r"\d+\.\d{3,}")


def pick(frame: pd.DataFrame, area: str, indicator: str, period: str = PERIOD) -> pd.Series:
    row = frame[
        (frame["area_code"] == area)
        & (frame["indicator_id"] == indicator)
        & (frame["period"] == period)
    ]
    assert len(row) == 1, (area, indicator, period, len(row))
    return row.iloc[0]


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
    got = judge([10.0], [20.0], [comparator], [polarity], [True])
    assert list(got) == [expected]


def test_judge_is_vectorised():
    got = judge(
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
    got = judge([lower], [upper], [comparator], ["higher_is_better"], [comparable])
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


@pytest.mark.parametrize("indicator", ["NI04a_rate", "NI02", "NI04a"])
def test_no_direction_and_counts_are_never_ranked(rank_results, indicator):
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


# --- outcome statuses ---------------------------------------------------------------


def result_row(area: str, indicator: str, value: float = 50.0, **overrides) -> dict:
    ind = FW.indicator(indicator)
    row = {
        "area_code": area,
        "geography": "council",
        "period": PERIOD,
        "indicator_id": indicator,
        "outcome": ind.outcome or "",
        "indicator_type": ind.type,
        "polarity": ind.polarity,
        "unit": ind.unit,
        "value": value,
        "marker": "",
        "suppressed": False,
        "scotland_value": 50.0,
        "compare_scotland": SIMILAR if ind.type != "count" else "not compared",
        "compare_family": SIMILAR if ind.type != "count" else "not compared",
        "change_label": "no significant change",
        "change_judgement": SIMILAR,
        "trend": "too few years",
    }
    row.update(overrides)
    if row["suppressed"]:
        row.update(value=math.nan, marker="[c]")
    return row


O1 = ["NI01a", "NI01b", "NI01c", "NI01b_rate", "NI01_conv_commenced", "NI01_conv_completed"]


def outcome_one(area: str, **per_indicator) -> list[dict]:
    return [result_row(area, i, **per_indicator.get(i, {})) for i in O1]


def status_table() -> pd.DataFrame:
    rows = []
    rows += outcome_one(GLASGOW)  # everything on track
    rows += outcome_one(DUNDEE, NI01b_rate={"compare_scotland": WORSE})  # one worse
    rows += outcome_one(  # every indicator worse: rates/shares vs Scotland, counts vs baseline
        INVERCLYDE,
        **{
            i: (
                {"change_judgement": WORSE}
                if FW.indicator(i).type == "count"
                else {"compare_scotland": WORSE}
            )
            for i in O1
        },
    )
    rows += outcome_one(ORKNEY, **{i: {"suppressed": True} for i in O1})  # nothing usable
    rows += outcome_one(CLACKS, NI01b_rate={"compare_scotland": WORSE})  # not used: excluded
    rows += outcome_one(FALKIRK, NI01_conv_completed={"value": 76.0})  # target of 80 not met
    # outcome 4 for Shetland: only a no-polarity rate has a value
    rows += [
        result_row(SHETLAND, "NI04a_rate", 40.0),
        result_row(SHETLAND, "NI04b", suppressed=True),
        result_row(SHETLAND, "NI04a", suppressed=True),
    ]
    return pd.DataFrame(rows)


PARAMS = {
    CLACKS: AreaParameters(
        area_code=CLACKS,
        indicators_not_used={"NI01b_rate": "Population estimates revised locally"},
        priorities={"O1": PriorityDecision(priority=True, reason="Diversion is a local focus")},
    ),
    FALKIRK: AreaParameters(area_code=FALKIRK, targets={"NI01_conv_completed": Target(value=80)}),
    DUNDEE: AreaParameters(
        area_code=DUNDEE,
        priorities={"O1": PriorityDecision(priority=False, reason="Covered by another plan")},
    ),
}


@pytest.fixture(scope="module")
def assessed() -> tuple[pd.DataFrame, pd.DataFrame]:
    return assess_outcomes(status_table(), FW, PARAMS, PERIOD)


def outcome_row(assessment: pd.DataFrame, area: str, outcome: str = "O1") -> pd.Series:
    row = assessment[(assessment["area_code"] == area) & (assessment["outcome"] == outcome)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.mark.parametrize(
    ("area", "status", "judged", "on_track", "suggested"),
    [
        (GLASGOW, "achieved", 6, 6, "not a priority"),
        (DUNDEE, "partly achieved", 6, 5, "priority"),
        (INVERCLYDE, "not achieved", 6, 0, "priority"),
        (ORKNEY, "insufficient evidence", 0, 0, "review the evidence"),
        (CLACKS, "achieved", 5, 5, "not a priority"),
        (FALKIRK, "partly achieved", 6, 5, "not a priority"),
    ],
)
def test_outcome_status(assessed, area, status, judged, on_track, suggested):
    row = outcome_row(assessed[0], area)
    assert row["status"] == status
    assert row["judged"] == judged
    assert row["on_track"] == on_track
    assert row["suggested_priority"] == suggested
    assert f"{on_track} of {judged}" in row["how_near"] or judged == 0


def test_outcome_with_only_undirected_values_is_insufficient(assessed):
    row = outcome_row(assessed[0], SHETLAND, "O4")
    assert row["status"] == "insufficient evidence"
    assert row["judged"] == 0


def test_no_usable_data_is_never_achieved(assessed):
    assessment = assessed[0]
    assert (assessment.loc[assessment["judged"] == 0, "status"] == "insufficient evidence").all()
    assert (assessment.loc[assessment["status"] == "achieved", "judged"] > 0).all()


def test_target_is_used_when_set(assessed):
    verdicts = assessed[1]
    row = verdicts[
        (verdicts["area_code"] == FALKIRK) & (verdicts["indicator_id"] == "NI01_conv_completed")
    ].iloc[0]
    assert row["basis"] == "target"
    assert row["target"] == 80
    assert not row["on_track"]
    assert row["gap"] == pytest.approx(-4.0)
    assert "below target" in row["gap_text"]


def test_indicator_not_used_is_excluded_and_listed_with_reason(assessed):
    assessment, verdicts = assessed
    row = outcome_row(assessment, CLACKS)
    assert "NI01b_rate" not in row["indicators_used"].split(", ")
    assert "NI01b_rate" in row["indicators_not_used"]
    assert "Population estimates revised locally" in row["indicators_not_used"]
    verdict = verdicts[
        (verdicts["area_code"] == CLACKS) & (verdicts["indicator_id"] == "NI01b_rate")
    ].iloc[0]
    assert not verdict["used"]
    assert not verdict["judged"]
    assert verdict["reason_not_used"] == "Population estimates revised locally"


def test_partnership_decision_is_shown_beside_the_suggestion(assessed):
    no_decisions = {code: p.model_copy(update={"priorities": {}}) for code, p in PARAMS.items()}
    without, _ = assess_outcomes(status_table(), FW, no_decisions, PERIOD)
    for area, decided in ((CLACKS, "priority"), (DUNDEE, "not a priority")):
        row = outcome_row(assessed[0], area)
        assert row["decided_priority"] == decided
        assert row["decision_reason"]
        # the suggestion is what the evidence says, whatever the partnership decided
        assert row["suggested_priority"] == outcome_row(without, area)["suggested_priority"]
    # Dundee's evidence suggests a priority; its own decision does not replace that
    assert outcome_row(assessed[0], DUNDEE)["suggested_priority"] == "priority"
    assert outcome_row(assessed[0], GLASGOW)["decided_priority"] == ""


def test_every_framework_outcome_is_assessed_even_without_data(assessed):
    assessment = assessed[0]
    glasgow = assessment[assessment["area_code"] == GLASGOW]
    assert set(glasgow["outcome"]) == {o.id for o in FW.outcomes}
    others = glasgow[glasgow["outcome"] != "O1"]
    assert (others["status"] == "insufficient evidence").all()


def test_not_using_a_national_indicator_also_drops_its_derived_forms():
    rows = pd.DataFrame([result_row(GLASGOW, "NI07", 300.0), result_row(GLASGOW, "NI07_rate", 6.0)])
    params = {
        GLASGOW: AreaParameters(
            area_code=GLASGOW, indicators_not_used={"NI07": "Recorded regionally"}
        )
    }
    _, verdicts = assess_outcomes(rows, FW, params, PERIOD)
    derived = verdicts[verdicts["indicator_id"] == "NI07_rate"].iloc[0]
    assert not derived["used"]


# --- narrative ----------------------------------------------------------------------

COLUMNS = [
    "period",
    "value",
    "marker",
    "indicator_type",
    "unit",
    "suppressed",
    "change_label",
    "change_judgement",
    "trend",
]


def series(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def count_row(
    period, value, marker="", suppressed=False, label="not compared", trend="too few years"
):
    judgement = {"significant decrease": WORSE, "significant increase": BETTER}.get(label, label)
    return (period, value, marker, "count", "cases", suppressed, label, judgement, trend)


TITLE = "number of bail supervision cases commenced"


def test_narrative_for_a_count_of_zero():
    text = describe_change(
        series(
            count_row(BASE, 12.0, label="significant decrease"),
            count_row(PERIOD, 0.0, label="significant decrease"),
        ),
        TITLE,
        PERIOD,
        BASE,
    )
    assert_clean(text)
    assert text.startswith("Number of bail supervision")
    assert "12" in text
    assert re.search(r"\b(none|0|no)\b", text)
    assert "decrease" in text


def test_narrative_for_zero_in_both_years():
    text = describe_change(
        series(count_row(BASE, 0.0), count_row(PERIOD, 0.0)), TITLE, PERIOD, BASE
    )
    assert_clean(text)
    assert BASE in text and PERIOD in text


def test_narrative_for_a_suppressed_value():
    text = describe_change(
        series(count_row(BASE, 12.0), count_row(PERIOD, math.nan, "[c]", suppressed=True)),
        TITLE,
        PERIOD,
        BASE,
    )
    assert_clean(text)
    assert "suppressed" in text or "[c]" in text
    assert "12" not in text  # nothing that helps to work the hidden figure out


def test_narrative_for_a_missing_baseline_year():
    text = describe_change(
        series(
            count_row("2018-19", 10.0),
            count_row(BASE, math.nan, "[x]"),
            count_row(PERIOD, 14.0),
        ),
        TITLE,
        PERIOD,
        BASE,
    )
    assert_clean(text)
    assert "14" in text
    assert BASE in text
    assert "not available" in text


def test_narrative_for_a_single_year_of_data():
    text = describe_change(series(count_row(PERIOD, 14.0)), TITLE, PERIOD, BASE)
    assert_clean(text)
    assert "14" in text
    assert "only year" in text


def test_narrative_for_no_figure_this_year():
    text = describe_change(
        series(count_row(BASE, 12.0), count_row(PERIOD, math.nan, "[x]")), TITLE, PERIOD, BASE
    )
    assert_clean(text)
    assert "no figure" in text


def test_narrative_rounds_shares():
    text = describe_change(
        series(
            (BASE, 70.123456, "", "proportion", "% of cases", False, "", "", "too few years"),
            (PERIOD, 73.0, "", "proportion", "% of cases", False, "no significant change", SIMILAR, "no clear trend"),
        ),
        "share of cases completed",
        PERIOD,
        BASE,
    )  # fmt: skip
    assert_clean(text)
    assert "70.1%" in text and "73.0%" in text


def test_narrative_trend_phrase_reads_well_when_the_baseline_is_missing():
    text = describe_change(
        series(
            count_row("2016-17", 10.0),
            count_row("2017-18", 12.0),
            count_row(BASE, math.nan, "[x]"),
            count_row(PERIOD, 14.0, trend="rising"),
        ),
        TITLE,
        PERIOD,
        BASE,
    )
    assert_clean(text)
    assert "shows rising" not in text
    assert "trend shows no clear trend" not in text


def narrative_for(area: str, assessed_pair) -> str:
    assessment = assessed_pair[0]
    table = status_table()
    return draft_narrative(
        "Test Area",
        outcome_row(assessment, area),
        table[table["area_code"] == area],
        FW,
        period=PERIOD,
        baseline=BASE,
    )


@pytest.mark.parametrize("area", [GLASGOW, DUNDEE, INVERCLYDE, ORKNEY, CLACKS, FALKIRK])
def test_draft_narrative_is_clean(assessed, area):
    text = narrative_for(area, assessed)
    assert_clean(text)
    assert text.startswith("Outcome 1 (")
    assert "Test Area" in text and PERIOD in text


def test_draft_narrative_states_the_status_and_suggestion(assessed):
    text = narrative_for(INVERCLYDE, assessed)
    assert "not yet being achieved" in text
    assert "a priority for action" in text
    text = narrative_for(ORKNEY, assessed)
    assert "not enough usable evidence" in text
    assert "is being achieved" not in text


def test_draft_narrative_shows_decision_beside_suggestion(assessed):
    text = narrative_for(DUNDEE, assessed)
    assert "The evidence suggests it is a priority for action" in text
    assert "The partnership has decided it is not a priority for action" in text
    assert "Covered by another plan" in text


def test_draft_narrative_lists_indicator_not_used_with_reason(assessed):
    text = narrative_for(CLACKS, assessed)
    assert "Not used:" in text
    assert "Population estimates revised locally" in text


def test_narrative_numbers_are_not_long_floats():
    unit = "per 10,000 people aged 16+"
    base = (BASE, 58.23456, "", "rate", unit, False, "", "", "too few years")
    now = (PERIOD, 3.14159, "", "rate", unit, False, "significant decrease", WORSE, "falling")
    text = describe_change(
        series(base, now), "rate of starts per 10,000 people aged 16 and over", PERIOD, BASE
    )
    assert_clean(text)
    assert "58.2" in text and "3.1" in text
