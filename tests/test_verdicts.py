"""Outcome verdicts on hand-built scenarios, with statuses worked out by hand.

Every scenario is outcome 8 (voluntary throughcare) for one council, run through the
whole batch computation (indicators, disclosure control, comparisons, grades, status,
narrative) with Scotland at 2,000 cases commenced out of 10,000 short-term releases
(20%) and 1,000 of 2,000 still engaged at six months (50%) in both years. The numbers
are chosen so that each significance call is clear-cut:

- 53 -> 46 cases: exact conditional test p = 0.547 (binomtest(46, 99, 0.5)); not significant.
- 100 -> 200 cases: p < 1e-8; significant. 200 -> 120: p < 1e-5; significant.
- 40% of 500 against Scotland's 20%: 20 standard errors above; significantly better.
- 24.5% of 188 against 20%: 1.5 standard errors; inside the 95% limits.
- 50% (50/100) -> 30% (60/200) engaged: Fisher's exact p < 0.002; significant.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from conftest import (
    ABERDEEN,
    CLACKS,
    DUNDEE,
    FALKIRK,
    FIFE,
    GLASGOW,
    MIDLOTHIAN,
    ORKNEY,
    SCOTLAND,
    SHETLAND,
)
from scipy.stats import binomtest, fisher_exact

from cjlib import pipeline
from cjlib.framework import load_framework
from cjlib.measures import make_measures
from cjlib.params import AreaParameters, Defaults, Target

FW = load_framework()
BASE, PERIOD = "2019-20", "2023-24"
NAMES = ("vtc_commenced", "short_term_releases", "vtc_engaged_6m")


def _rows(area: str, period: str, commenced: int, releases: int, engaged: int) -> list[tuple]:
    return [
        (area, period, m, v) for m, v in zip(NAMES, (commenced, releases, engaged), strict=True)
    ]


def run(rows: list[tuple], params: dict | None = None):
    """Build the batch tables for one scenario; return its O8 assessment and grades."""
    scotland = _rows(SCOTLAND, BASE, 2000, 10000, 1000) + _rows(SCOTLAND, PERIOD, 2000, 10000, 1000)
    frame = pd.DataFrame(scotland + rows, columns=["area_code", "period", "measure_id", "value"])
    measures = make_measures(frame.assign(source="test scenario"))
    areas = {r[0] for r in rows}
    params = {code: (params or {}).get(code, AreaParameters(area_code=code)) for code in areas}
    tables = pipeline.build_tables(Defaults(), FW, measures, params)
    assessment = tables["assessment"]
    return assessment[assessment["outcome"] == "O8"].set_index("area_code"), tables


def test_the_scenario_numbers_are_as_stated():
    assert binomtest(46, 99, 0.5).pvalue == pytest.approx(0.5467, abs=1e-3)
    assert binomtest(200, 300, 0.5).pvalue < 1e-8
    assert binomtest(120, 320, 0.5).pvalue < 1e-5


def _holm(pvalues: list[float]) -> list[float]:
    """Holm's adjustment, written out from Holm (1979) for the scenarios' two or three tests."""
    order = sorted(range(len(pvalues)), key=lambda i: pvalues[i])
    out, running = [0.0] * len(pvalues), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(pvalues) - rank) * pvalues[i]))
        out[i] = running
    return out


def _published(tables, area: str, indicator: str, column: str):
    r = tables["results"]
    row = r[(r["area_code"] == area) & (r["indicator_id"] == indicator) & (r["period"] == PERIOD)]
    return row[column].iloc[0]


def test_falling_but_not_significant_is_not_yet_achieved():
    # 53/194 -> 46/188 (27.3% -> 24.5% uptake): Fisher p well above 0.05; 50% engaged both years
    assert fisher_exact([[46, 142], [53, 141]]).pvalue > 0.5
    a, _ = run(_rows(FALKIRK, BASE, 53, 194, 26) + _rows(FALKIRK, PERIOD, 46, 188, 23))
    row = a.loc[FALKIRK]
    assert row["status"] == "not yet achieved: no clear change"
    assert row["suggested_priority"] == "priority"
    assert row["measures_improved"] == 0
    assert row["measures_no_clear_change"] == 2
    assert row["priority_reasons"] == "no measure improved since 2019-20 (change over time)"


def test_steady_and_worse_than_scotland_is_not_worsening():
    """10% uptake in both years against Scotland's 20% at n = 500: 5.6 standard errors below."""
    assert (0.2 - 0.1) / math.sqrt(0.2 * 0.8 / 500) > 5
    a, tables = run(_rows(CLACKS, BASE, 50, 500, 25) + _rows(CLACKS, PERIOD, 50, 500, 25))
    row = a.loc[CLACKS]
    grades = tables["verdicts"].set_index(["area_code", "indicator_id"])
    assert grades.loc[(CLACKS, "NI08_share"), "change"] == "no clear change"
    assert grades.loc[(CLACKS, "NI08_share"), "compare_scotland"] == "worse"
    assert row["status"] == "not yet achieved: no clear change"
    assert row["measures_worsened"] == 0 and row["measures_worse_than_scotland"] == 1
    assert row["priority_reasons"] == (
        "no measure improved since 2019-20 (change over time), and uptake of voluntary "
        "throughcare is significantly worse than Scotland (comparison)"
    )
    text = row["narrative"] + row["how_near"]
    assert not re.search(r"(?<!none )worsen|declin|fell|rose|(?<!no measure )improved since", text)
    assert "uptake of voluntary throughcare is significantly worse than Scotland" in text


def test_steady_and_better_than_scotland_is_achieved_maintained():
    """40% uptake in both years against Scotland's 20% at n = 500: 11 standard errors above."""
    a, _ = run(_rows(ABERDEEN, BASE, 200, 500, 100) + _rows(ABERDEEN, PERIOD, 200, 500, 100))
    row = a.loc[ABERDEEN]
    assert row["status"] == "achieved: maintained"
    assert row["suggested_priority"] == "not a priority"
    assert row["measures_improved"] == 0
    assert row["priority_reasons"] == (
        "uptake of voluntary throughcare showed no clear change since 2019-20 (change over "
        "time), and it is held significantly better than Scotland (comparison)"
    )
    assert "improved" not in row["narrative"]


def test_a_count_and_its_share_rising_together_are_one_test():
    """100/500 -> 200/500: only the share (the primary form) is tested; Holm over 2 measures."""
    a, tables = run(_rows(GLASGOW, BASE, 100, 500, 50) + _rows(GLASGOW, PERIOD, 200, 500, 100))
    row = a.loc[GLASGOW]
    assert row["status"] == "achieved: improved"
    assert row["suggested_priority"] == "not a priority"
    assert row["headline"] == "NI08"
    assert row["measures_improved"] == 1
    assert row["measures_no_clear_change"] == 1  # engaged: 50% both years
    assert math.isnan(_published(tables, GLASGOW, "NI08", "change_p"))  # the count: not tested
    share_p = fisher_exact([[200, 300], [100, 400]]).pvalue
    engaged_p = fisher_exact([[100, 100], [50, 50]]).pvalue
    assert _published(tables, GLASGOW, "NI08_share", "change_p") == pytest.approx(share_p)
    expected = _holm([share_p, engaged_p])
    assert _published(tables, GLASGOW, "NI08_share", "change_p_adjusted") == pytest.approx(
        expected[0]
    )
    assert _published(tables, GLASGOW, "LE08_engaged", "change_p_adjusted") == pytest.approx(
        expected[1]
    )


def test_every_national_figure_suppressed_is_insufficient_evidence():
    rows = _rows(ORKNEY, BASE, 3, 40, 1) + _rows(ORKNEY, PERIOD, 2, 38, 1)
    rows += _rows(SHETLAND, BASE, 4, 40, 2) + _rows(SHETLAND, PERIOD, 3, 35, 2)
    a, tables = run(rows)
    row = a.loc[ORKNEY]
    assert row["status"] == "insufficient evidence"
    assert row["suggested_priority"] == "review the evidence"
    assert "uptake of voluntary throughcare, cannot be judged (suppressed)" in row["how_near"]
    published = tables["results"]
    orkney = published[(published["area_code"] == ORKNEY) & (published["period"] == PERIOD)]
    assert orkney.loc[orkney["indicator_id"] == "NI08", "value"].isna().all()


def test_no_baseline_is_insufficient_evidence():
    a, _ = run(_rows(MIDLOTHIAN, PERIOD, 60, 300, 30))
    row = a.loc[MIDLOTHIAN]
    assert row["status"] == "insufficient evidence"
    assert "uptake of voluntary throughcare, cannot be judged (no baseline)" in row["how_near"]


def test_target_met_while_worsening_is_worsening():
    params = {DUNDEE: AreaParameters(area_code=DUNDEE, targets={"NI08_share": Target(value=20)})}
    a, tables = run(
        _rows(DUNDEE, BASE, 200, 500, 100) + _rows(DUNDEE, PERIOD, 120, 500, 60), params
    )
    row = a.loc[DUNDEE]
    # 24% meets the 20% target, but the fall from 40% is significant: worsened wins
    assert fisher_exact([[120, 380], [200, 300]]).pvalue < 1e-6
    assert row["status"] == "not achieved: worsening"
    assert row["suggested_priority"] == "priority"
    assert row["priority_reasons"] == (
        "uptake of voluntary throughcare worsened since 2019-20 (change over time)"
    )
    grades = tables["verdicts"].set_index(["area_code", "indicator_id"])
    assert grades.loc[(DUNDEE, "NI08_share"), "change"] == "worsened"
    assert bool(grades.loc[(DUNDEE, "NI08_share"), "target_met"])


def test_one_measure_worsened_and_one_improved_is_partly_achieved_and_a_priority():
    a, _ = run(_rows(FIFE, BASE, 100, 500, 50) + _rows(FIFE, PERIOD, 200, 500, 60))
    row = a.loc[FIFE]
    assert row["status"] == "partly achieved"
    assert row["suggested_priority"] == "priority"
    assert row["priority_reasons"] == (
        "share of throughcare cases engaged at six months worsened since 2019-20, although "
        "uptake of voluntary throughcare improved (change over time)"
    )


def test_a_met_lower_is_better_target_counts_as_improved():
    """Outcome 6: 15% of releases homeless against a target of at most 20% (lower is better)."""
    rows = [
        (SCOTLAND, y, m, v)
        for y in (BASE, PERIOD)
        for m, v in (("homeless_prison_release", 1500), ("prison_releases", 10000))
    ]
    rows += [
        (FALKIRK, y, m, v)
        for y in (BASE, PERIOD)
        for m, v in (("homeless_prison_release", 30), ("prison_releases", 200))
    ]
    frame = pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    target = {"NI06_share": Target(value=20)}
    params = {FALKIRK: AreaParameters(area_code=FALKIRK, targets=target)}
    tables = pipeline.build_tables(
        Defaults(), FW, make_measures(frame.assign(source="test scenario")), params
    )
    a = tables["assessment"].set_index(["area_code", "outcome"])
    assert a.loc[(FALKIRK, "O6"), "status"] == "achieved: improved"
    assert a.loc[(FALKIRK, "O6"), "measures_improved"] == 1
    missed = {FALKIRK: AreaParameters(area_code=FALKIRK, targets={"NI06_share": Target(value=10)})}
    tables = pipeline.build_tables(
        Defaults(), FW, make_measures(frame.assign(source="test scenario")), missed
    )
    a = tables["assessment"].set_index(["area_code", "outcome"])
    assert a.loc[(FALKIRK, "O6"), "status"] == "not yet achieved: no clear change"


def test_a_service_volume_far_above_scotland_is_context_not_success():
    """Outcome 2: 400 referrals per 10,000 people against Scotland's 100, 50% taken up in both.

    The rate per head is significantly above Scotland, but volume is demand: the outcome
    is not achieved on it. The share taken up (50% against 50%) is the success measure.
    """
    rows = []
    for y in (BASE, PERIOD):
        rows += [
            (SCOTLAND, y, "custody_referrals", 10000),
            (SCOTLAND, y, "custody_referrals_engaged", 5000),
            (SCOTLAND, y, "population_16plus", 1000000),
            (FALKIRK, y, "custody_referrals", 400),
            (FALKIRK, y, "custody_referrals_engaged", 200),
            (FALKIRK, y, "population_16plus", 10000),
        ]
    frame = pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    params = {FALKIRK: AreaParameters(area_code=FALKIRK)}
    tables = pipeline.build_tables(
        Defaults(), FW, make_measures(frame.assign(source="test scenario")), params
    )
    a = tables["assessment"].set_index(["area_code", "outcome"])
    row = a.loc[(FALKIRK, "O2")]
    assert _published(tables, FALKIRK, "NI02_rate", "compare_scotland") == "better"
    assert row["status"] == "not yet achieved: no clear change"
    assert row["measures_better_than_scotland"] == 0
    assert "More per head than Scotland (context: demand, not success)" in row["narrative"]


def test_withdrawn_indicator_is_not_judged_and_not_published():
    params = {
        GLASGOW: AreaParameters(
            area_code=GLASGOW, indicators_not_used={"LE08_engaged": "Numbers identify people"}
        )
    }
    a, tables = run(
        _rows(GLASGOW, BASE, 100, 500, 50) + _rows(GLASGOW, PERIOD, 200, 500, 100), params
    )
    row = a.loc[GLASGOW]
    assert "LE08_engaged: Numbers identify people" in row["indicators_not_used"]
    assert row["measures_no_clear_change"] == 0  # the engaged measure is gone
    assert "Not used: share of throughcare cases engaged at six months" in row["narrative"]


# --- golden narratives, written from the rules before the code was run -----------------

GOLDEN_FALKIRK = """\
Outcome 8 is not yet achieved in Falkirk in 2023-24: no measure improved since 2019-20, \
and none worsened.

- Uptake of voluntary throughcare: 24.5% in 2023-24 (27.3% in 2019-20); no significant \
change since 2019-20. It is similar to Scotland (20.0%) and the family group (24.5%).
- Share of throughcare cases engaged at six months: 50.0% in 2023-24 (49.1% in 2019-20); \
no significant change since 2019-20. It is similar to Scotland (50.0%) and the family group \
(50.0%).

Suggested priority: a priority for action, because no measure improved since 2019-20 \
(change over time). TO COMPLETE: the partnership's decision on priority (priorities.O8).

National indicators used: voluntary throughcare cases started.

Activity this year: TO COMPLETE: this year's activity (outcome_plans.O8.activity).

Planned action: TO COMPLETE: planned actions (outcome_plans.O8.actions)."""


def test_golden_narrative_falling_not_significant():
    a, _ = run(_rows(FALKIRK, BASE, 53, 194, 26) + _rows(FALKIRK, PERIOD, 46, 188, 23))
    assert a.loc[FALKIRK, "narrative"] == GOLDEN_FALKIRK


GOLDEN_FIFE_LEAD = (
    "Outcome 8 is partly achieved in Fife in 2023-24: uptake of voluntary throughcare "
    "improved since 2019-20, but share of throughcare cases engaged at six months worsened. "
    "Share of throughcare cases engaged at six months is significantly worse than Scotland; "
    "uptake of voluntary throughcare is significantly better than Scotland."
)


def test_golden_narrative_one_measure_worse():
    a, _ = run(_rows(FIFE, BASE, 100, 500, 50) + _rows(FIFE, PERIOD, 200, 500, 60))
    assert a.loc[FIFE, "narrative"].split("\n\n")[0] == GOLDEN_FIFE_LEAD


# --- the lint every narrative must pass -------------------------------------------------

DOUBLED_UNIT = re.compile(r"per 10,000 people aged 16 and over[^.]*per 10,000 people aged 16\+")


def narrative_problems(text: str) -> list[str]:
    """Return what is wrong with a narrative (empty when it reads cleanly)."""
    problems = []
    for bad in ("nan", "None", "NaN"):
        if re.search(rf"(?<![A-Za-z]){bad}(?![A-Za-z])", text):
            problems.append(f"contains {bad!r}")
    if re.search(r"s's\b", text):
        problems.append("contains 's's")
    if re.search(r"(?<![0-9.,])1 (years|cases|people|measures)\b", text):
        problems.append("a plural after 1")
    if DOUBLED_UNIT.search(text):
        problems.append("doubled unit")
    if text.count("(") != text.count(")") or text.count("[") != text.count("]"):
        problems.append("unbalanced brackets")
    for sentence in re.split(r"(?<=[.])\s+(?=[A-Z])|\n+", text):
        if len(sentence.split()) > 45:
            problems.append(f"sentence of {len(sentence.split())} words: {sentence[:60]}")
    return problems


def test_the_lint_catches_each_fault():
    assert narrative_problems("Orkney Islands's figure.")
    assert narrative_problems("It fell over 1 years.")
    assert narrative_problems("A value of nan.")
    assert narrative_problems("Open (bracket.")
    assert narrative_problems(" ".join(["word"] * 46) + ".")
    assert not narrative_problems(GOLDEN_FALKIRK)


# --- local outcomes, computed with the same engine --------------------------------------


def test_the_worked_example_local_outcome_is_assessed():
    """Glasgow's restorative justice outcome: 45 -> 74 referrals (binomtest p = 0.010)."""
    from cjlib.demo_local import FILE_NAME, local_demo_measures
    from cjlib.paths import DATA_DIR

    committed = pd.read_csv(DATA_DIR / FILE_NAME, keep_default_na=False)
    expected = local_demo_measures()
    assert committed["value"].tolist() == expected["value"].tolist()
    assert set(committed["source"]) == {"synthetic demonstration data"}
    assert binomtest(74, 119, 0.5).pvalue < 0.05
    context = pipeline.prepare_batch(cache_dir=_cache())
    a = pipeline.read_table(context, "assessment", GLASGOW)
    row = a[a["outcome"] == "L1"].iloc[0]
    assert row["status"] == "achieved: improved"
    assert row["headline"] == "LI_rj_referrals"
    assert row["narrative"].startswith("Local outcome 1 is being achieved in Glasgow City")
    results = pipeline.read_table(context, "results", GLASGOW)
    assert (results["indicator_id"] == "LI_rj_completed_share").any()


def _cache():
    import tempfile

    return tempfile.mkdtemp(prefix="cjlib-local-")


def test_a_missing_local_measures_file_is_one_clear_line(tmp_path):
    from cjlib.errors import CjlibDataError
    from cjlib.local_outcomes import load_local_measures
    from cjlib.params import load_area_params
    from cjlib.paths import PARAMETERS_DIR

    params = load_area_params(PARAMETERS_DIR / "areas" / f"{GLASGOW}.yaml")
    with pytest.raises(CjlibDataError) as err:
        load_local_measures(params, tmp_path)
    message = str(err.value)
    assert "\n" not in message
    assert "demo_local_measures.csv" in message and "not found" in message
    (tmp_path / "demo_local_measures.csv").write_text(
        "area_code,period,measure_id,value\nS12000049,2023-24,rj_unknown,3\n"
    )
    with pytest.raises(CjlibDataError, match="rj_unknown"):
        load_local_measures(params, tmp_path)
