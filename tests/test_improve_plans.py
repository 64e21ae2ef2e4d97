"""Improvement plans: parameters validated, demonstration data loaded, the planted shift found."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cjlib.errors import CjlibDataError, CjlibParameterError
from cjlib.improve import demo
from cjlib.improve.data import chart_measure, improvement_data_path, load_improvement_data
from cjlib.improve.runchart import analyse_run_chart
from cjlib.improve.spc import control_chart
from cjlib.improve.words import describe_signal
from cjlib.params import PdsaCycle, load_area_params
from cjlib.paths import PARAMETERS_DIR


def _plan(code):
    params = load_area_params(PARAMETERS_DIR / "areas" / f"{code}.yaml")
    data = load_improvement_data(
        improvement_data_path(params.improvement, None), code, params.improvement
    )
    return params, data


def test_the_bundled_demo_file_is_what_the_generator_writes(tmp_path):
    written = demo.write_demo_improvement_measures(tmp_path / "demo.csv")
    assert written.read_text() == demo.DEMO_IMPROVEMENT_CSV.read_text()
    table = pd.read_csv(demo.DEMO_IMPROVEMENT_CSV)
    assert set(table["source"]) == {"synthetic demonstration data"}
    assert table.groupby(["area_code", "measure_id"]).size().min() >= 24


@pytest.mark.parametrize(("code", "outcome"), [("S12000049", "O6"), ("S12000033", "O8")])
def test_the_planted_shift_is_found_after_the_dated_change(code, outcome):
    params, data = _plan(code)
    plan = params.improvement.plans[outcome]
    for measure in plan.measures:
        chart = chart_measure(data, measure, threshold=5)
        planted = demo.PLANTED_SHIFTS.get((code, measure.series))
        if planted is None:  # the balancing measure: stable, nothing claimed
            assert chart.run.signals == []
            assert chart.control is not None and chart.control.signals == []
            continue
        (shift,) = chart.run.signals
        assert (shift.rule, shift.direction, chart.periods[shift.start]) == ("shift", "up", planted)
        assert chart.run.phase_starts == [0, chart.periods.index(planted)]
        assert chart.control is not None and chart.control.signals == []
        sentence = describe_signal(shift, chart.periods, plan.pdsa, polarity=measure.polarity)
        assert sentence.startswith("Shift upwards from ")
        assert sentence.endswith("an improvement, after the change tested in cycle 2.")


def test_no_signal_is_claimed_for_a_stable_series_of_the_same_length():
    # worked by hand: baseline median 10 (six points above, six below in each block);
    # runs A2 B2 A1 B3 A3 B1 per block: 24 runs in 48 (18 to 32 expected); longest run on
    # one side 3; longest rise 7 9 12 13 (4 points); mean 10 and MR-bar 108 / 47 = 2.298,
    # so limits 10 +/- 6.11 and two sigma 10 +/- 4.07 hold every point
    values = [12.0, 11, 8, 9, 12, 8, 7, 9, 12, 13, 11, 8] * 4
    chart = analyse_run_chart(values)
    assert chart.signals == []
    assert control_chart("xmr", values).signals == []


def test_a_signal_names_the_month_and_the_cycle_it_followed():
    from cjlib.improve.runchart import Signal

    periods = ["2022-04", "2022-05", "2022-06", "2022-07"]
    cycles = [
        PdsaCycle(cycle=1, start=date(2022, 1, 10), change="a", prediction="b"),
        PdsaCycle(cycle=2, start=date(2022, 5, 16), change="c", prediction="d"),
    ]
    text = describe_signal(Signal("shift", 2, 3, "up", 0, "6 points"), periods, cycles)
    assert (
        text == "Shift upwards from June 2022 (6 points, to July 2022), "
        "after the change tested in cycle 2."
    )


def _write(tmp_path, body):
    path = tmp_path / "S12000049.yaml"
    path.write_text("area_code: S12000049\n" + body)
    return path


PLAN = """improvement:
  data: demo_improvement_measures.csv
  plans:
    {outcome}:
      aim: {{what: "More people accommodated", measure: {aim}, target: 70, by: "2024-03"}}
      measures:
        - {{series: o6_accommodated, role: outcome, title: T, kind: {kind}, unit: "%"{den}}}
      pdsa:
        - {{cycle: 1, start: 2022-05-16, end: {end}, change: c, prediction: p}}
"""


def _plan_text(
    outcome="O6",
    aim="o6_accommodated",
    kind="proportion",
    den=", denominator: o6_releases",
    end="2022-09-30",
):
    return PLAN.format(outcome=outcome, aim=aim, kind=kind, den=den, end=end)


def test_a_valid_plan_loads(tmp_path):
    params = load_area_params(_write(tmp_path, _plan_text()))
    assert params.improvement.plans["O6"].aim.by == "2024-03"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"aim": "nope"},
            "improvement.plans.O6: aim.measure 'nope' is not one of the plan's measures",
        ),
        (
            {"den": ""},
            "improvement.plans.O6.measures.0: a proportion measure needs a denominator series",
        ),
        (
            {"end": "2022-01-01"},
            "improvement.plans.O6.pdsa.0: cycle 1 ends (2022-01-01) before it starts (2022-05-16)",
        ),
        ({"outcome": "O99"}, "improvement.plans.O99: not in the framework"),
    ],
)
def test_a_bad_plan_names_the_file_the_key_and_what_was_expected(tmp_path, change, expected):
    path = _write(tmp_path, _plan_text(**change))
    with pytest.raises(CjlibParameterError) as error:
        load_area_params(path)
    assert str(error.value).startswith(f"{path}: {expected}")


def test_a_mixed_period_in_the_local_measures_names_file_row_and_value(tmp_path):
    params, _ = _plan("S12000049")
    table = pd.read_csv(demo.DEMO_IMPROVEMENT_CSV, dtype=str, keep_default_na=False)
    table.loc[5, "period"] = "2020-Q3"  # a quarter among months (row 7 in the file)
    path = tmp_path / "local.csv"
    table.to_csv(path, index=False)
    with pytest.raises(CjlibDataError) as error:
        load_improvement_data(path, "S12000049", params.improvement)
    assert str(error.value).startswith(f"{path}:7:period: '2020-Q3' is a quarter")


def test_a_share_over_its_denominator_names_file_row_and_values(tmp_path):
    params, _ = _plan("S12000049")
    table = pd.read_csv(demo.DEMO_IMPROVEMENT_CSV, dtype=str, keep_default_na=False)
    row = table.index[(table["measure_id"] == "o6_accommodated") & (table["period"] == "2021-01")]
    table.loc[row, "value"] = "999"
    path = tmp_path / "local.csv"
    table.to_csv(path, index=False)
    with pytest.raises(CjlibDataError) as error:
        load_improvement_data(path, "S12000049", params.improvement)
    line = int(row[0]) + 2
    assert str(error.value).startswith(
        f"{path}:{line}:value: o6_accommodated (999) is greater than its denominator o6_releases"
    )


def test_findings_for_the_documents_state_the_planted_shift():
    from cjlib.framework import load_framework
    from cjlib.params import AreaParameters
    from cjlib.report.improvement import improvement_findings

    params, _ = _plan("S12000033")
    (found,) = improvement_findings(params, load_framework(), threshold=5)
    assert (found["outcome"], found["number"]) == ("O8", 8)
    outcome_title = params.improvement.plans["O8"].measures[0].title
    (sentence,) = found["signals"][outcome_title]
    assert sentence.startswith("Shift upwards from July 2022")
    assert found["what_the_data_says"][-1].endswith("the aim is being met.")
    assert (
        improvement_findings(AreaParameters(area_code="S12000023"), load_framework(), threshold=5)
        == []
    )
