"""cjlib.pipeline on the bundled data: the cached batch tables and what they publish.

The disclosure checks are written afresh here from the domain brief's rules (suppress
counts 1-4 and anything computed from them; no suppressed cell may be worked out from
a published total), not with cjlib.disclosure's own checker.
"""

from __future__ import annotations

import math
import re
import time

import numpy as np
import pandas as pd
import pytest
from conftest import GLASGOW, MIDLOTHIAN, ORKNEY, SCOTLAND

import cjlib.pipeline as pipeline
from cjlib.areas import family_membership
from cjlib.assess.rules import ACHIEVED_STATUSES, STATUSES
from cjlib.framework import load_framework
from cjlib.paths import DATA_DIR

THRESHOLD = 5
LONG_FLOAT = re.compile(r"\d+\.\d{3,}")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    context = pipeline.prepare_batch(cache_dir=cache)
    return cache, context


@pytest.fixture(scope="module")
def results(batch) -> pd.DataFrame:
    return pipeline.read_table(batch[1], "results")


@pytest.fixture(scope="module")
def assessment(batch) -> pd.DataFrame:
    return pipeline.read_table(batch[1], "assessment")


@pytest.fixture(scope="module")
def measures(batch) -> pd.DataFrame:
    return pipeline.read_table(batch[1], "measures")


# --- the cache ----------------------------------------------------------------------


def test_batch_writes_parquet_tables(batch):
    cache, context = batch
    assert context.directory.parent == cache
    for name in ("results", "assessment", "measures", "verdicts"):
        assert (context.directory / f"{name}.parquet").exists()
    assert (context.directory / "meta.json").exists()
    assert context.period == "2023-24"
    assert context.baseline == "2019-20"
    assert context.synthetic is True
    assert context.problems == {}


def test_second_call_reuses_the_cache_without_recomputing(batch, monkeypatch):
    cache, _ = batch
    # a call right before the timed one, so that an edit to the working tree by someone
    # else since the fixture ran cannot make the timed call look like a cache miss
    first = pipeline.prepare_batch(cache_dir=cache)

    def must_not_run(*args, **kwargs):
        raise AssertionError("build_tables ran again although nothing changed")

    monkeypatch.setattr(pipeline, "build_tables", must_not_run)
    monkeypatch.setattr(pipeline, "load_measures", must_not_run)
    start = time.perf_counter()
    again = pipeline.prepare_batch(cache_dir=cache)
    seconds = time.perf_counter() - start
    assert again.key == first.key
    assert again.directory == first.directory
    assert seconds < 2.0


def test_read_table_for_one_area(batch):
    rows = pipeline.read_table(batch[1], "results", GLASGOW)
    assert len(rows) > 0
    assert set(rows["area_code"]) == {GLASGOW}


# --- disclosure control -------------------------------------------------------------


def _published_statistics(results: pd.DataFrame) -> pd.Series:
    """Rows computed only from official statistics already published by council."""
    fw = load_framework()
    free = set(fw.published_statistics)
    ids = {
        i.id
        for i in fw.indicators
        if {i.numerator} | ({i.denominator} if i.type == "proportion" else set()) <= free
    }
    return results["indicator_id"].isin(ids)


def test_no_council_numerator_from_1_to_4_is_shown(results):
    councils = results[(results["geography"] == "council") & ~_published_statistics(results)]
    shown = councils["numerator"].dropna()
    assert len(shown) > 1000
    assert not shown.between(1, THRESHOLD - 1).any()


def test_published_official_statistics_are_shown_as_published(results, measures):
    # one policy: NRS drug deaths are public, so a small count is shown, never [c]
    deaths = results[(results["indicator_id"] == "CX_drug_deaths_rate")]
    assert not deaths["suppressed"].astype(bool).any()
    small = measures[
        (measures["measure_id"] == "drug_deaths") & measures["value"].between(1, THRESHOLD - 1)
    ]
    assert len(small) > 0
    merged = small.merge(deaths, on=["area_code", "period"])
    assert (merged["numerator"] == merged["value_x"]).all()


def test_no_small_people_count_in_a_shown_share(results):
    shares = results[
        (results["geography"] == "council") & (results["indicator_type"] == "proportion")
    ]
    shown = shares[shares["value"].notna()]
    assert not shown["denominator"].between(1, THRESHOLD - 1).any()
    complement = shown["denominator"] - shown["numerator"]
    assert not complement.between(1, THRESHOLD - 1).any()


def test_suppressed_rows_have_no_value_and_marker_c(results):
    hidden = results[results["suppressed"].astype(bool)]
    assert len(hidden) > 0
    assert hidden["value"].isna().all()
    assert hidden["numerator"].isna().all()
    assert hidden["lower_ci"].isna().all()
    assert hidden["upper_ci"].isna().all()
    assert set(hidden["marker"]) == {"[c]"}
    shown = results[~results["suppressed"].astype(bool)]
    assert "[c]" not in set(shown["marker"])


def test_small_counts_were_actually_suppressed(results, measures):
    # Orkney's small counts exist in the measures and are hidden in the results
    small = measures[
        (measures["area_code"] == ORKNEY) & measures["value"].between(1, THRESHOLD - 1)
    ]
    assert len(small) > 0
    orkney = results[(results["area_code"] == ORKNEY) & results["suppressed"].astype(bool)]
    assert len(orkney) > 0


def test_a_single_suppressed_council_is_never_alone_in_its_total(results):
    """Within one indicator, a shown total with exactly one hidden member reveals it."""
    membership = family_membership("deprivation")
    councils = results[results["geography"] == "council"]
    hidden = councils["suppressed"].astype(bool)
    keys = [councils["indicator_id"], councils["period"]]
    shown = results.loc[
        ~results["suppressed"].astype(bool), ["area_code", "indicator_id", "period"]
    ]
    shown_totals = set(map(tuple, shown.to_numpy()))
    problems = []
    per_scotland = hidden.groupby(keys).sum()
    for (indicator, period), n_hidden in per_scotland.items():
        if n_hidden == 1 and (SCOTLAND, indicator, period) in shown_totals:
            problems.append((indicator, period, SCOTLAND))
    family = councils["area_code"].map(membership)
    per_family = hidden.groupby([*keys, family]).sum()
    for (indicator, period, group), n_hidden in per_family.items():
        if n_hidden == 1 and (group, indicator, period) in shown_totals:
            problems.append((indicator, period, group))
    assert problems == []


def test_no_small_count_can_be_worked_out_across_indicators(results, measures):
    """Gather every council value of a measure shown anywhere in the published table.

    A small count hidden everywhere can be recovered when the total it belongs to (Scotland,
    or a pooled family group) is shown and it is the only member of that total still hidden.
    """
    framework = load_framework()
    spec = {i.id: (i.numerator, i.denominator) for i in framework.indicators}
    shown = []
    national = results[results["indicator_id"].isin(spec)]  # local outcomes: own area only
    for column, position in (("numerator", 0), ("denominator", 1)):
        rows = national[national[column].notna()]
        shown.append(
            pd.DataFrame(
                {
                    "area_code": rows["area_code"],
                    "period": rows["period"],
                    "measure_id": rows["indicator_id"].map(lambda i, p=position: spec[i][p]),
                }
            )
        )
    revealed = set(map(tuple, pd.concat(shown).drop_duplicates().to_numpy()))
    truth = measures.set_index(["area_code", "period", "measure_id"])["value"]
    membership = family_membership("deprivation")
    totals = {SCOTLAND: list(membership)}
    for code, group in membership.items():
        totals.setdefault(group, []).append(code)
    sensitive = {i.numerator for i in framework.indicators if i.role != "context"}
    recovered = []
    for (period, measure), _ in measures.groupby(["period", "measure_id"]):
        if measure not in sensitive:
            continue
        for total, members in totals.items():
            values = [truth.get((c, period, measure), math.nan) for c in members]
            if total == SCOTLAND and any(np.isnan(values)):
                continue  # Scotland includes councils missing from the data: no equation
            if (total, period, measure) not in revealed:
                continue
            hidden = [
                (c, v)
                for c, v in zip(members, values, strict=True)
                if not np.isnan(v) and (c, period, measure) not in revealed
            ]
            if len(hidden) == 1 and 1 <= hidden[0][1] < THRESHOLD:
                recovered.append((measure, period, total, hidden[0]))
    assert recovered == []


# --- the assessment -----------------------------------------------------------------


def test_assessment_has_32_areas_by_9_outcomes(assessment):
    local = assessment["outcome"].str.startswith("L")
    assert list(assessment.loc[local, "area_code"]) == [GLASGOW]  # the worked example
    assessment = assessment[~local]
    assert len(assessment) == 32 * 9
    assert assessment["area_code"].nunique() == 32
    assert set(assessment["outcome_number"]) == set(range(1, 10))
    assert not assessment.duplicated(["area_code", "outcome"]).any()


def test_statuses_are_from_the_rules(assessment):
    assert set(assessment["status"]) <= set(STATUSES)
    achieved = assessment[assessment["status"].isin(ACHIEVED_STATUSES)]
    assert (achieved["measures_worsened"] == 0).all()
    improved = achieved[achieved["status"] == "achieved: improved"]
    assert (improved["measures_improved"] > 0).all()
    maintained = achieved[achieved["status"] == "achieved: maintained"]
    assert (maintained["measures_better_than_scotland"] > 0).all()


def test_committed_decisions_are_shown(assessment):
    glasgow = assessment[(assessment["area_code"] == GLASGOW) & (assessment["outcome"] == "O6")]
    assert glasgow["decided_priority"].iloc[0] == "priority"
    orkney = assessment[(assessment["area_code"] == ORKNEY) & (assessment["outcome"] == "O7")]
    assert orkney["decided_priority"].iloc[0] == "not a priority"
    midlothian = assessment[
        (assessment["area_code"] == MIDLOTHIAN) & (assessment["outcome"] == "O7")
    ]
    assert "NI07" in midlothian["indicators_not_used"].iloc[0]
    assert "NI07" not in midlothian["indicators_used"].iloc[0].split(", ")


@pytest.mark.parametrize("area", [GLASGOW, ORKNEY, MIDLOTHIAN])
def test_narrative_is_present_and_clean(assessment, area):
    texts = assessment.loc[assessment["area_code"] == area, "narrative"]
    assert len(texts) == 9 + (area == GLASGOW)  # Glasgow's worked example local outcome
    for text in texts:
        assert isinstance(text, str) and text.strip()
        assert not re.search(r"\bnan\b", text, re.IGNORECASE), text
        assert "None" not in text, text
        assert not LONG_FLOAT.search(text), text
        assert "(?)" not in text


def test_every_narrative_is_clean(assessment):
    texts = assessment["narrative"]
    assert not texts.str.contains(r"\bnan\b", case=False, regex=True).any()
    assert not texts.str.contains("None", regex=False).any()
    assert not texts.str.contains(LONG_FLOAT.pattern, regex=True).any()


def test_bundled_data_dir_is_the_package_data():
    assert (DATA_DIR / "demo_measures.csv").exists()


# --- verdicts on the bundled data (issue 10) ------------------------------------------


def test_every_narrative_passes_the_lint(assessment):
    from test_verdicts import narrative_problems

    bad = {
        (r.area_code, r.outcome): narrative_problems(r.narrative)
        for r in assessment.itertuples()
        if narrative_problems(r.narrative)
    }
    assert not bad, list(bad.items())[:3]


def test_no_outcome_is_achieved_when_its_headline_fell(assessment, results):
    fw = load_framework()
    achieved = assessment[assessment["status"].isin(ACHIEVED_STATUSES) & ~assessment["local"]]
    assert len(achieved)
    for row in achieved.itertuples():
        forms = {fw.primary_form(row.headline).id}
        mine = results[
            (results["area_code"] == row.area_code)
            & results["indicator_id"].isin(forms)
            & (results["period"] == row.period)
            & results["value"].notna()
            & results["baseline_value"].notna()
        ]
        for r in mine.itertuples():
            if r.polarity == "higher_is_better":
                assert r.value >= r.baseline_value, (row.area_code, row.outcome, r.indicator_id)
            elif r.polarity == "lower_is_better":
                assert r.value <= r.baseline_value, (row.area_code, row.outcome, r.indicator_id)


def test_funnel_position_agrees_with_the_table_for_every_plotted_point(results):
    """Where a point lies in the funnel (95% limits) is what the table says, every time."""
    from cjlib.report.charts import funnel_position

    plotted = results[
        (results["geography"] == "council")
        & results["indicator_type"].isin(["rate", "proportion"])
        & results["value"].notna()
        & results["denominator"].notna()
        & results["scotland_value"].notna()
    ]
    assert len(plotted) > 3000
    checked = 0
    for r in plotted.itertuples():
        where = funnel_position(
            r.value, r.denominator, r.scotland_value, r.indicator_type, r.multiplier
        )
        outside = where.startswith(("above", "below"))
        significant = r.compare_scotland not in ("not significantly different", "not compared")
        assert outside == significant, (r.area_code, r.indicator_id, r.period, where)
        checked += 1
    assert checked == len(plotted)


def test_docs_assessment_rules_are_generated_from_the_rules():
    from cjlib.assess.rules import rules_markdown

    assert (DATA_DIR.parents[1] / "docs" / "assessment-rules.md").read_text() == rules_markdown()
