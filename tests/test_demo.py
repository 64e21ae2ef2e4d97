"""cjlib.demo: the synthetic demonstration measures.

Checks are against the published national figures quoted in the domain brief, the
framework file read with PyYAML, and regressions fitted here with scipy, never against
the generator's own output pasted back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import ORKNEY, SCOTLAND, SHETLAND, SIAR
from scipy.stats import linregress

import cjlib.demo as demo
from cjlib.loaders import load_tidy
from cjlib.paths import DEFAULT_FRAMEWORK, DEMO_MEASURES_CSV

PERIODS = ["2016-17", "2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
#: Published national totals quoted in the domain brief (shared/domain.md).
PUBLISHED = {
    ("diversion_assessments", "2022-23"): 4400,
    ("diversion_commenced", "2022-23"): 2600,
    ("diversion_completed", "2022-23"): 2000,
    ("cpo_commenced", "2022-23"): 14700,
    ("vtc_commenced", "2023-24"): 1870,
    ("bail_commenced", "2023-24"): 1300,
}
FRAMEWORK = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return demo.generate_demo_measures(*demo.demo_inputs())


@pytest.fixture(scope="module")
def wide(generated) -> pd.DataFrame:
    """Values as (area_code, period) x measure_id, keeping all-missing rows."""
    return generated.pivot(index=["area_code", "period"], columns="measure_id", values="value")


def scotland_value(generated: pd.DataFrame, measure: str, period: str) -> float:
    row = generated[
        (generated["area_code"] == SCOTLAND)
        & (generated["measure_id"] == measure)
        & (generated["period"] == period)
    ]
    assert len(row) == 1
    return float(row["value"].iloc[0])


# --- reproducible and labelled ------------------------------------------------------


def test_generation_is_deterministic(generated):
    again = demo.generate_demo_measures(*demo.demo_inputs())
    pd.testing.assert_frame_equal(generated, again)


def test_generated_equals_the_bundled_csv(generated):
    bundled = load_tidy(DEMO_MEASURES_CSV)
    columns = ["area_code", "period", "measure_id", "value", "marker", "source"]
    keys = ["measure_id", "area_code", "period"]
    left = generated[columns].sort_values(keys, ignore_index=True)
    right = bundled[columns].sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_every_row_is_labelled_synthetic(generated):
    assert len(generated)
    assert set(generated["source"]) == {"synthetic demonstration data"}


def test_the_bundled_csv_labels_every_row_synthetic():
    raw = pd.read_csv(DEMO_MEASURES_CSV, dtype=str, keep_default_na=False)
    assert set(raw["source"]) == {"synthetic demonstration data"}


def test_one_row_per_area_period_and_measure(generated):
    assert not generated.duplicated(["area_code", "period", "measure_id"]).any()


# --- coverage -----------------------------------------------------------------------


def test_every_framework_measure_used_by_indicators_is_present(generated):
    roles = {"national", "derived", "local_evidence", "headline"}
    needed = set()
    for item in FRAMEWORK["indicators"]:
        if item["role"] in roles:
            needed.add(item["numerator"])
            if item.get("denominator"):
                needed.add(item["denominator"])
    assert needed - set(generated["measure_id"]) == REAL & needed
    # and nothing the framework does not know
    known = {m["id"] for m in FRAMEWORK["measures"]}
    assert set(generated["measure_id"]) <= known


def test_32_areas_and_scotland(generated):
    areas = set(generated["area_code"])
    assert SCOTLAND in areas
    councils = areas - {SCOTLAND}
    assert len(councils) == 32
    assert all(code.startswith("S12") for code in councils)


def test_eight_periods_2016_17_to_2023_24(generated):
    assert sorted(generated["period"].unique()) == PERIODS


def test_every_council_has_every_council_measure_and_period(generated):
    councils = generated[generated["area_code"] != SCOTLAND]
    per_area = councils.groupby("area_code").size()
    assert per_area.nunique() == 1


# --- calibrated to published totals -------------------------------------------------


@pytest.mark.parametrize(("measure", "period"), sorted(PUBLISHED))
def test_scotland_totals_within_5_percent_of_published(generated, measure, period):
    published = PUBLISHED[(measure, period)]
    assert scotland_value(generated, measure, period) == pytest.approx(published, rel=0.05)


def test_anchors_are_the_published_figures():
    anchors = {(a.measure_id, a.period): a.total for a in demo.ANCHORS}
    assert anchors == PUBLISHED


@pytest.mark.parametrize("anchor", demo.ANCHORS, ids=lambda a: f"{a.measure_id}-{a.period}")
def test_scotland_totals_within_5_percent_of_each_anchor(generated, anchor):
    got = scotland_value(generated, anchor.measure_id, anchor.period)
    assert got == pytest.approx(anchor.total, rel=0.05)


def test_cpo_completion_share_within_3_points_of_73_percent(generated):
    completed = scotland_value(generated, "cpo_completed", "2022-23")
    ended = scotland_value(generated, "cpo_ended", "2022-23")
    assert abs(100 * completed / ended - 73) <= 3


def test_scotland_rows_are_the_sum_of_councils_where_all_report(generated):
    councils = generated[generated["area_code"] != SCOTLAND]
    full = councils.groupby(["measure_id", "period"])["value"].agg(["sum", "count"])
    full = full[full["count"] == 32]
    scot = generated[generated["area_code"] == SCOTLAND].set_index(["measure_id", "period"])
    joined = full.join(scot["value"], how="inner")
    assert len(joined) > 100
    np.testing.assert_allclose(joined["sum"], joined["value"])


# --- nested counts ------------------------------------------------------------------

CHAINS = [
    ("diversion_completed", "diversion_commenced"),
    ("diversion_commenced", "diversion_assessments"),
    ("bail_completed", "bail_commenced"),
    ("bail_commenced", "bail_assessments"),
    ("cpo_completed", "cpo_ended"),
    ("cpo_ended", "cpo_commenced"),
    ("dtto_completed", "dtto_ended"),
    ("dtto_ended", "dtto_commenced"),
    ("releases_treatment_continued", "releases_on_drug_treatment"),
    ("releases_on_drug_treatment", "prison_releases"),
    ("vtc_commenced", "short_term_releases"),
]
#: Measures real published tables provide (reconviction, population 16+): not synthetic.
REAL = {"reconviction_cohort", "reconvicted_offenders", "reconvictions", "population_16plus"}
FRAMEWORK_PAIRS = sorted(
    {
        (i["numerator"], i["denominator"])
        for i in FRAMEWORK["indicators"]
        if i["type"] == "proportion"
        and i["role"] != "context"  # context rows are real data
        and i["numerator"] not in REAL
    }
)


@pytest.mark.parametrize(("part", "whole"), sorted(set(CHAINS) | set(FRAMEWORK_PAIRS)))
def test_nested_counts_are_consistent(wide, part, whole):
    both = wide[[part, whole]].dropna()
    assert len(both) > 0
    bad = both[both[part] > both[whole]]
    assert bad.empty, f"{part} > {whole} in {list(bad.index)[:5]}"


def test_counts_are_whole_non_negative_numbers(generated):
    counts = {m["id"] for m in FRAMEWORK["measures"] if m["kind"] in ("count", "population")}
    values = generated.loc[generated["measure_id"].isin(counts), "value"].dropna()
    assert (values >= 0).all()
    assert (values == np.round(values)).all()


def test_real_measures_are_not_synthesised(generated):
    # reconviction and the population aged 16+ come from published tables now
    assert REAL.isdisjoint(set(generated["measure_id"]))
    bundled = load_tidy(DEMO_MEASURES_CSV)
    assert REAL.isdisjoint(set(bundled["measure_id"]))


# --- small counts, missing years, trends --------------------------------------------


@pytest.mark.parametrize("code", [ORKNEY, SHETLAND, SIAR])
def test_island_areas_have_some_counts_from_1_to_4(generated, code):
    values = generated.loc[generated["area_code"] == code, "value"]
    assert values.between(1, 4).sum() > 0


def test_some_missing_years_are_marked_x(generated):
    missing = generated[generated["value"].isna()]
    assert len(missing) > 0
    assert set(missing["marker"]) == {"[x]"}
    # whole years not returned by a council
    councils = missing[missing["area_code"] != SCOTLAND]
    assert councils.groupby(["area_code", "period"]).size().max() > 10
    # and a value present means no marker
    present = generated[generated["value"].notna()]
    assert set(present["marker"]) == {""}


TOP_LEVEL = [
    "custody_referrals",
    "bail_assessments",
    "cpo_commenced",
    "prison_releases",
    "diversion_assessments",
    "employability_starts",
    "short_term_releases",
]


def share_of_scotland_slope(generated: pd.DataFrame, code: str):
    """Regress log(area's share of Scotland's top-level counts) on the year."""
    sub = generated[generated["measure_id"].isin(TOP_LEVEL)]
    area = sub[(sub["area_code"] == code) & sub["value"].notna()]
    scot = sub[sub["area_code"] == SCOTLAND]
    joined = area.merge(scot, on=["period", "measure_id"], suffixes=("_area", "_scot"))
    by_year = joined.groupby("period")[["value_area", "value_scot"]].sum()
    years = by_year.index.str[:4].astype(int)
    return linregress(years, np.log(by_year["value_area"] / by_year["value_scot"]))


def test_trends_include_rising_and_falling_areas():
    assert any(v > 0 for v in demo.TRENDS.values())
    assert any(v < 0 for v in demo.TRENDS.values())


@pytest.mark.parametrize("code", [c for c, v in demo.TRENDS.items() if v != 0])
def test_trend_areas_rise_or_fall_as_declared(generated, code):
    declared = demo.TRENDS[code]
    fit = share_of_scotland_slope(generated, code)
    assert np.sign(fit.slope) == np.sign(declared)
    assert fit.pvalue < 0.01
    assert fit.slope == pytest.approx(np.log1p(declared), abs=0.02)
