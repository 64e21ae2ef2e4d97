"""Direct unit tests of the report sections and the pack helpers (not only end to end).

Expected values are read from the bundled data independently of the code under test:
the NRS drug-death counts from the measures table, the crime counts from the real
loader's rows, and the parameter files' own reasons.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import GLASGOW, ORKNEY, SCOTLAND

from cjlib.framework import load_framework
from cjlib.packs.front_rows import headline_rows, not_used_rows
from cjlib.params import AreaParameters, Target
from cjlib.report.context import load_context
from cjlib.report.needs import NeedsPage
from cjlib.report.outcome import OutcomePage
from cjlib.report.tables import target_text


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    return {code: load_context(code, cache_dir=str(cache)) for code in (GLASGOW, ORKNEY)}


def test_needs_findings_quote_the_published_drug_deaths(contexts):
    ctx = contexts[ORKNEY]
    page = NeedsPage(ctx)
    deaths = ctx.measures[
        (ctx.measures["measure_id"] == "drug_deaths") & (ctx.measures["area_code"] == ORKNEY)
    ]
    latest = deaths.sort_values("period").iloc[-1]
    text = " ".join(page.findings())
    # a published NRS count is shown as published, even when it is small
    assert (
        f"{int(latest['value'])} drug misuse deaths were registered in {latest['period']}" in text
    )
    assert "[c]" not in text


def test_needs_value_reads_one_measure(contexts):
    ctx = contexts[GLASGOW]
    page = NeedsPage(ctx)
    crimes = ctx.measures[
        (ctx.measures["measure_id"] == "crimes_all")
        & (ctx.measures["area_code"] == GLASGOW)
        & (ctx.measures["period"] == "2024-25")
    ]
    assert page._value("crimes_all", GLASGOW, "2024-25") == float(crimes["value"].iloc[0])


def test_outcome_page_leaves_out_what_the_partnership_does_not_use(contexts):
    page = OutcomePage(contexts[ORKNEY], 7)
    ids = [i.id for i in page.indicators]
    assert "LE07_outcomes" not in ids  # Orkney withdrew it: numbers identify people
    assert "NI07" in ids


def test_outcome_page_quotes_the_strategy(contexts):
    page = OutcomePage(contexts[GLASGOW], 5)
    assert page.outcome.priority_action.startswith(
        "Enhance individual's access to health and social care"
    )


def test_target_text_reads_the_target_with_its_note():
    ind = load_framework().indicator("LE06_accommodated")
    assert target_text(ind, Target(value=90, note="SHORE")) == "90.0% (SHORE)"
    assert target_text(ind, Target(value=90, period="2023-24")) == "90.0% in 2023-24"
    assert target_text(ind, None) == ""


def test_headline_rows_give_the_latest_reconviction_cohort():
    fw = load_framework()
    rows = pd.DataFrame(
        [
            {"area_code": code, "indicator_id": "HL_reconviction_rate", "period": "2017-18",
             "value": v, "lower_ci": v - 1, "upper_ci": v + 1, "compare_scotland": c}
            for code, v, c in ((ORKNEY, 20.0, "better"), (SCOTLAND, 26.3, "not compared"))
        ]
    )  # fmt: skip
    [row] = headline_rows(rows, fw, ORKNEY)
    assert row["value"] == "20.0%" and row["scotland"] == "26.3%"
    assert row["period"] == "2017-18 cohort"
    assert row["compared"] == "significantly better"
    assert headline_rows(rows, fw, GLASGOW) == []


def test_not_used_rows_list_each_withdrawn_indicator_once():
    fw = load_framework()
    params = AreaParameters(area_code=ORKNEY, indicators_not_used={"NI07": "Not by council"})
    rows = not_used_rows(fw, params)
    # the count is listed; its derived rate is not listed again
    assert rows == [
        {
            "outcome": "Outcome 7",
            "indicator": fw.indicator("NI07").title,
            "reason": "Not by council",
        }
    ]
