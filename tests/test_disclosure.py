"""Disclosure control on small hand-made results tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjlib.disclosure import (
    find_disclosure_risks,
    primary_suppression,
    small_count_mask,
    suppress_counts,
    suppress_results,
)

SCOT = "S92000003"
BLANKED = ["compare_scotland", "change_baseline", "rank_scotland", "baseline_value", "trend"]


def results_table(
    numerators: dict[str, float],
    family_of: dict[str, str] | None = None,
    *,
    kind: str = "count",
    denominators: dict[str, float] | None = None,
    family_rows: bool = True,
    scotland_row: bool = True,
    period: str = "2023-24",
    indicator: str = "div_completed",
) -> pd.DataFrame:
    """Councils, plus their Scotland and family group totals, as an indicator results table."""
    family_of = family_of or {}
    denominators = denominators or dict.fromkeys(numerators, 1_000.0)
    rows = [
        {
            "area_code": code,
            "geography": "council",
            "numerator": n,
            "denominator": denominators[code],
        }
        for code, n in numerators.items()
    ]
    if scotland_row:
        rows.append(
            {
                "area_code": SCOT,
                "geography": "scotland",
                "numerator": sum(numerators.values()),
                "denominator": sum(denominators.values()),
            }
        )
    if family_rows:
        for group in dict.fromkeys(family_of.values()):
            members = [c for c in numerators if family_of.get(c) == group]
            rows.append(
                {
                    "area_code": group,
                    "geography": "family_group",
                    "numerator": sum(numerators[c] for c in members),
                    "denominator": sum(denominators[c] for c in members),
                }
            )
    table = pd.DataFrame(rows)
    table.insert(2, "period", period)
    table.insert(3, "indicator_id", indicator)
    table.insert(4, "indicator_type", kind)
    scale = {"count": None, "rate": 10_000.0, "proportion": 1.0}[kind]
    table["value"] = (
        table["numerator"] if scale is None else table["numerator"] / table["denominator"] * scale
    )
    table["lower_ci"] = table["value"] * 0.8
    table["upper_ci"] = table["value"] * 1.2
    table["confidence"] = 0.95
    table["area_name"] = "Area " + table["area_code"]
    table["compare_scotland"] = "not significantly different"
    table["change_baseline"] = 1.5
    table["rank_scotland"] = np.arange(len(table))
    table["baseline_value"] = 7.0
    table["trend"] = "increasing"
    return table


def hidden_codes(published: pd.DataFrame) -> set[str]:
    return set(published.loc[published["suppressed"], "area_code"])


# --- primary suppression --------------------------------------------------------------


def test_primary_suppresses_one_to_four_but_not_zero_or_five():
    counts = {"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5, "G": 50, "H": 60}
    table = results_table(counts)
    primary = primary_suppression(table)
    flagged = set(table.loc[primary, "area_code"])
    assert flagged == {"B", "C", "D", "E"}
    published = suppress_results(table)
    assert hidden_codes(published) == {"B", "C", "D", "E"}  # four hidden: no cover needed
    shown = published.set_index("area_code")
    assert shown.loc["A", "numerator"] == 0
    assert shown.loc["F", "numerator"] == 5
    assert shown.loc["A", "marker"] == ""


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(3, {"B", "C"}), (5, {"B", "C", "D", "E"}), (10, {"B", "C", "D", "E", "F", "G"}), (1, set())],
)
def test_threshold_is_configurable(threshold, expected):
    table = results_table({"A": 0, "B": 1, "C": 2, "D": 3, "E": 4, "F": 5, "G": 9, "H": 10})
    flagged = set(table.loc[primary_suppression(table, threshold), "area_code"])
    assert flagged == expected


def test_complement_and_small_denominator_rules_for_proportions():
    numerators = {"A": 48, "B": 0, "C": 0, "D": 50, "E": 30, "F": 3, "G": 30}
    denominators = {"A": 50, "B": 3, "C": 50, "D": 50, "E": 35, "F": 40, "G": 60}
    table = results_table(numerators, kind="proportion", denominators=denominators)
    flagged = set(table.loc[primary_suppression(table), "area_code"])
    # A: 2 without the outcome; B: 3 people; F: 3 with the outcome
    assert flagged == {"A", "B", "F"}
    assert "D" not in flagged  # 50 out of 50: complement is 0
    assert "E" not in flagged  # complement 5


def test_population_denominators_of_rates_are_not_suppressed():
    numerators = {"A": 0, "B": 12, "C": 40}
    table = results_table(numerators, kind="rate", denominators={"A": 3, "B": 2, "C": 5_000})
    assert not primary_suppression(table).any()


# --- blanking -------------------------------------------------------------------------


def test_suppressed_rows_lose_every_derived_value():
    numerators = {"A": 3, "B": 2, "C": 40, "D": 55}
    table = results_table(numerators, kind="rate", denominators=dict.fromkeys(numerators, 20_000))
    published = suppress_results(table).set_index("area_code")
    for code in ("A", "B"):
        row = published.loc[code]
        for column in ["numerator", "value", "lower_ci", "upper_ci", *BLANKED]:
            assert pd.isna(row[column]), column
        assert row["suppressed"]
        assert row["marker"] == "[c]"
        assert row["denominator"] == 20_000  # a population is not sensitive
        assert row["area_name"] == f"Area {code}"
        assert row["confidence"] == 0.95
    shown = published.loc["C"]
    assert shown["numerator"] == 40
    assert shown["compare_scotland"] == "not significantly different"
    assert not shown["suppressed"]
    assert shown["marker"] == ""


def test_proportion_denominators_are_blanked_too():
    numerators = {"A": 2, "B": 3, "C": 40}
    denominators = {"A": 10, "B": 12, "C": 50}
    table = results_table(numerators, kind="proportion", denominators=denominators)
    published = suppress_results(table).set_index("area_code")
    assert published.loc[["A", "B"], "denominator"].isna().all()
    assert published.loc["C", "denominator"] == 50


def test_blank_columns_can_be_chosen():
    table = results_table({"A": 3, "B": 2, "C": 40})
    table["my_comparison"] = "higher"
    published = suppress_results(table, blank_columns=["my_comparison"]).set_index("area_code")
    assert pd.isna(published.loc["A", "my_comparison"])
    assert published.loc["A", "compare_scotland"] == "not significantly different"
    assert pd.isna(published.loc["A", "value"])  # always blanked


def test_existing_marker_kept_and_missing_rows_never_used_as_cover():
    table = results_table({"A": 3, "B": 20, "C": 30, "D": 40})
    table.loc[table["area_code"] == "B", ["numerator", "value"]] = np.nan
    table["marker"] = np.where(table["area_code"] == "B", "[x]", "")
    published = suppress_results(table).set_index("area_code")
    assert published.loc["B", "marker"] == "[x]"
    assert not published.loc["B", "suppressed"]
    # Scotland still includes B's unreported 20, so Scotland - C - D = A + B = 23: the
    # reader cannot split it, and no further cover is needed (it would be with B shown)
    assert set(published.index[published["suppressed"]]) == {"A"}
    shown_b = results_table({"A": 3, "B": 20, "C": 30, "D": 40})
    assert suppress_results(shown_b).set_index("area_code").loc["B", "suppressed"]


def test_rows_already_suppressed_stay_suppressed():
    table = results_table({"A": 30, "B": 20, "C": 40, "D": 50})
    table["suppressed"] = table["area_code"] == "D"
    published = suppress_results(table)
    assert hidden_codes(published) == {"D", "B"}


def test_input_is_not_mutated():
    family_of = {"A": "F1", "B": "F1", "C": "F2", "D": "F2"}
    table = results_table({"A": 3, "B": 20, "C": 30, "D": 40}, family_of)
    before = table.copy(deep=True)
    published = suppress_results(table, family_of=family_of)
    pd.testing.assert_frame_equal(table, before)
    assert "suppressed" not in table.columns
    assert published is not table


# --- secondary suppression ------------------------------------------------------------


def test_secondary_in_scotland_total_hides_smallest_count_above_zero():
    table = results_table({"A": 3, "B": 0, "C": 12, "D": 9, "E": 40})
    published = suppress_results(table)
    assert hidden_codes(published) == {"A", "D"}
    assert published.loc[published["area_code"] == SCOT, "numerator"].item() == 64


def test_no_secondary_when_scotland_total_is_itself_hidden_and_members_cover():
    table = results_table({"A": 1, "B": 2, "C": 0})  # Scotland total is 3
    published = suppress_results(table)
    assert hidden_codes(published) == {"A", "B", SCOT}


def test_hidden_members_adding_up_to_a_small_count_get_another_cover():
    # 1 + 1 = 2 hidden councils would still reveal a small count: a third is hidden.
    table = results_table({"A": 1, "B": 1, "C": 20, "D": 30})
    published = suppress_results(table)
    assert hidden_codes(published) == {"A", "B", "C"}


def test_secondary_in_family_groups():
    family_of = {"A": "F1", "B": "F1", "C": "F1", "D": "F2", "E": "F2", "F": "F2"}
    table = results_table({"A": 3, "B": 25, "C": 11, "D": 8, "E": 60, "F": 70}, family_of)
    published = suppress_results(table, family_of=family_of)
    # the cover comes from A's own family, which also protects the Scotland total
    assert hidden_codes(published) == {"A", "C"}


def test_secondary_cascades_from_scotland_into_a_family_group():
    # X belongs to no family group. Covering it in the Scotland total hides D, which is
    # then alone in family group F1 (whose total is published elsewhere), so E is hidden.
    family_of = {"D": "F1", "E": "F1", "G": "F1", "H": "F2", "I": "F2"}
    numerators = {"X": 2, "D": 6, "E": 7, "G": 40, "H": 8, "I": 50}
    table = results_table(numerators, family_of, family_rows=False)
    published = suppress_results(table, family_of=family_of)
    assert hidden_codes(published) == {"X", "D", "E"}


def test_secondary_cascades_through_family_group_totals():
    # Family F1's total (3) is small, so it is hidden, but Scotland minus the other
    # family totals would give it back: another family total and a member are hidden.
    family_of = {"A": "F1", "B": "F1", "C": "F1", "D": "F2", "E": "F2", "G": "F2"}
    family_of |= {"H": "F3", "I": "F3", "J": "F3"}
    numerators = {"A": 3, "B": 0, "C": 0, "D": 6, "E": 7, "G": 40, "H": 8, "I": 50, "J": 60}
    table = results_table(numerators, family_of)
    published = suppress_results(table, family_of=family_of)
    assert hidden_codes(published) == {"A", "F1", "D", "F2"}
    assert find_disclosure_risks(published, family_of=family_of).empty


def test_each_indicator_and_period_is_protected_separately():
    first = results_table({"A": 3, "B": 20, "C": 30}, period="2022-23")
    second = results_table({"A": 30, "B": 20, "C": 30}, period="2023-24")
    third = results_table({"A": 30, "B": 2, "C": 30, "D": 25}, indicator="bail_commenced")
    published = suppress_results(pd.concat([first, second, third], ignore_index=True))
    hidden = published.loc[published["suppressed"], ["indicator_id", "period", "area_code"]]
    assert set(map(tuple, hidden.to_numpy())) == {
        ("div_completed", "2022-23", "A"),
        ("div_completed", "2022-23", "B"),
        ("bail_commenced", "2023-24", "B"),
        ("bail_commenced", "2023-24", "D"),
    }


def test_find_disclosure_risks_reports_a_lone_suppression():
    table = results_table({"A": 3, "B": 20, "C": 30})
    table["suppressed"] = table["area_code"] == "A"
    risks = find_disclosure_risks(table)
    assert list(risks["total_code"]) == [SCOT]
    assert list(risks["hidden_codes"]) == [["A"]]


# --- no suppressed count can be worked out --------------------------------------------

FAMILIES = {f"C{i:02d}": f"F{i % 3}" for i in range(12)}


def determined_cells(published: pd.DataFrame, family_of: dict[str, str]) -> list[str]:
    """Hidden cells that the table's additive equations pin down exactly (linear algebra)."""
    codes = list(published["area_code"])
    hidden = list(published.loc[published["suppressed"], "area_code"])
    if not hidden:
        return []
    councils = list(published.loc[published["geography"] == "council", "area_code"])
    families = list(published.loc[published["geography"] == "family_group", "area_code"])
    equations = [[SCOT, *councils]]  # total first, then members
    for group in families:
        equations.append([group, *[c for c in councils if family_of.get(c) == group]])
    if families:
        equations.append([SCOT, *families, *[c for c in councils if c not in family_of]])
    rows = []
    for total, *members in equations:
        if total not in codes:
            continue
        row = [(-1.0 if h == total else 0.0) + (1.0 if h in members else 0.0) for h in hidden]
        rows.append(row)
    matrix = np.array(rows) if rows else np.zeros((0, len(hidden)))
    rank = np.linalg.matrix_rank(matrix) if rows else 0
    found = []
    for i, code in enumerate(hidden):
        unit = np.zeros((1, len(hidden)))
        unit[0, i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(code)
    return found


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.integers(min_value=0, max_value=25), min_size=12, max_size=12),
    st.sampled_from(["count", "rate", "proportion"]),
    st.integers(min_value=2, max_value=8),
)
def test_no_suppressed_count_can_be_worked_out(numerators, kind, threshold):
    counts = dict(zip(FAMILIES, numerators, strict=True))
    denominators = {code: n + 7 for code, n in counts.items()} if kind == "proportion" else None
    table = results_table(counts, FAMILIES, kind=kind, denominators=denominators)
    published = suppress_results(table, threshold, FAMILIES)

    hidden = dict(zip(published["area_code"], published["suppressed"], strict=True))
    groups = [(SCOT, list(FAMILIES))]
    for group in set(FAMILIES.values()):
        groups.append((group, [c for c in FAMILIES if FAMILIES[c] == group]))
    groups.append((SCOT, sorted(set(FAMILIES.values()))))
    for total, members in groups:
        suppressed = sum(hidden[m] for m in members)
        assert suppressed == 0 or suppressed >= 2 or hidden[total]
        assert int(hidden[total]) + suppressed != 1
    assert determined_cells(published, FAMILIES) == []
    assert find_disclosure_risks(published, threshold, FAMILIES).empty
    primary = primary_suppression(table, threshold).to_numpy()
    assert published["suppressed"].to_numpy()[primary].all()


# --- simple count tables --------------------------------------------------------------


def test_suppress_counts_marks_small_counts_in_a_trend_table():
    trend = pd.DataFrame(
        {"period": ["2019-20", "2020-21", "2021-22", "2022-23"], "commenced": [0, 3, 5, 12]}
    )
    before = trend.copy()
    published = suppress_counts(trend, ["commenced"])
    assert list(published["commenced"]) == [0, "[c]", 5, 12]
    assert list(published["period"]) == list(trend["period"])
    pd.testing.assert_frame_equal(trend, before)
    mask = small_count_mask(trend, ["commenced"], threshold=6)
    assert list(mask["commenced"]) == [False, True, True, False]


# --- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.drop(columns=["indicator_type"]), r"missing the columns \['indicator_type'\]"),
        (lambda t: t.assign(indicator_type="ratio"), r"indicator_type must be one of"),
        (lambda t: t.assign(geography="health_board"), r"geography must be one of"),
        (lambda t: t.assign(numerator=-1), r"numerator must be zero or more"),
        (lambda t: pd.concat([t, t.iloc[[0]]]), r"more than one row"),
    ],
)
def test_bad_results_tables_raise(change, message):
    table = change(results_table({"A": 3, "B": 20}))
    with pytest.raises(ValueError, match=message):
        suppress_results(table)


@pytest.mark.parametrize("threshold", [0, -5, 2.5, True, "5"])
def test_bad_threshold_raises(threshold):
    with pytest.raises(ValueError, match="threshold must be a whole number"):
        suppress_results(results_table({"A": 3, "B": 20}), threshold)
    with pytest.raises(ValueError, match="threshold must be a whole number"):
        suppress_counts(pd.DataFrame({"n": [1]}), ["n"], threshold)


def test_family_rows_need_a_family_mapping():
    family_of = {"A": "F1", "B": "F1"}
    with pytest.raises(ValueError, match="family_of"):
        suppress_results(results_table({"A": 3, "B": 20}, family_of))


def test_unknown_blank_column_raises():
    with pytest.raises(ValueError, match="blank_columns names columns"):
        suppress_results(results_table({"A": 3, "B": 20}), blank_columns=["nope"])


def test_find_disclosure_risks_needs_suppressed_column():
    with pytest.raises(ValueError, match="run suppress_results first"):
        find_disclosure_risks(results_table({"A": 3, "B": 20}))


@pytest.mark.parametrize(
    ("frame", "columns", "message"),
    [
        (pd.DataFrame({"n": [1, 2]}), ["m"], r"does not have the columns \['m'\]"),
        (pd.DataFrame({"n": [1, -2]}), ["n"], r"zero or more"),
        (pd.DataFrame({"n": ["a", "b"]}), ["n"], r"Unable to parse|could not convert"),
    ],
)
def test_bad_count_tables_raise(frame, columns, message):
    with pytest.raises(ValueError, match=message):
        suppress_counts(frame, columns)


# --- cells not returned ([x]) and published official statistics (issue 11) ----------


def test_a_not_returned_cell_cannot_be_recovered_from_scotland_minus_family_totals():
    """Scotland includes A1's 7, the family pools leave it out: Scotland - families = 7.

    Worked by hand: families F1 = {A1 [x], A2 = 40}, F2 = {B1 = 30, B2 = 50}; Scotland = 127;
    F1 pooled = 40 (A1 did not report), F2 = 80. Published as is, 127 - 40 - 80 = 7 gives
    A1 away, so another cell in the Scotland equations must be hidden.
    """
    family_of = {"A1": "F1", "A2": "F1", "B1": "F2", "B2": "F2"}
    table = results_table({"A2": 40.0, "B1": 30.0, "B2": 50.0}, family_of)
    table.loc[table["area_code"] == SCOT, "numerator"] = 127.0
    table.loc[table["area_code"] == "F1", "numerator"] = 40.0
    a1 = table.iloc[[0]].assign(area_code="A1", numerator=float("nan"), marker="[x]")
    table = pd.concat([table, a1], ignore_index=True)
    table["marker"] = table["marker"].fillna("")
    published = suppress_results(table, family_of=family_of)
    hidden = set(published.loc[published["suppressed"], "area_code"])
    shown = published[~published["suppressed"]].set_index("area_code")["numerator"]
    families = [f for f in ("F1", "F2") if f in shown.index]
    assert hidden, "nothing covers the not-returned cell"
    if SCOT in shown.index and len(families) == 2:
        pytest.fail("Scotland minus both family totals still gives A1 away")
    # the not-returned cell keeps its own marker
    assert published.set_index("area_code").loc["A1", "marker"] == "[x]"
    assert find_disclosure_risks(published, family_of=family_of).empty


def test_published_official_statistics_are_never_suppressed():
    table = results_table({"A1": 2.0, "A2": 40.0, "B1": 30.0})
    exempt = (table["area_code"] != "nothing").to_numpy()
    published = suppress_results(table, exempt=exempt)
    assert not published["suppressed"].any()
    assert published.set_index("area_code").loc["A1", "numerator"] == 2.0


def test_a_hidden_count_between_nested_shown_counts_is_covered():
    """Commenced is hidden (assessed 7 - commenced 6 = 1 person without); completed 5 and
    assessed 7 are shown, so commenced could only be 5, 6 or 7: the bound is hidden too."""
    from cjlib.disclosure.cells import hidden_cells
    from cjlib.framework import load_framework
    from cjlib.measures import make_measures

    rows = []
    for area, (assessed, commenced, completed) in {
        "S12000023": (7, 6, 5),
        "S12000049": (700, 400, 300),
        "S12000042": (200, 120, 90),
        "S92000003": (907, 526, 395),
    }.items():
        rows += [
            (area, "2023-24", "diversion_assessments", assessed),
            (area, "2023-24", "diversion_commenced", commenced),
            (area, "2023-24", "diversion_completed", completed),
        ]
    measures = make_measures(
        pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    )
    family_of = {"S12000023": "F1", "S12000049": "F2", "S12000042": "F2"}
    hidden = hidden_cells(measures, load_framework(), family_of, 5)
    orkney = set(hidden.loc[hidden["area_code"] == "S12000023", "measure_id"])
    assert "diversion_commenced" in orkney
    assert "diversion_completed" in orkney  # the lower bound is hidden as well


def test_two_hidden_complements_adding_to_three_get_a_cover():
    """Issue 28's planted bug: the small-sum rule applied to numerators only.

    Shares A 30/32 and B 40/41 are hidden (complements 2 and 1). With C 50/100 and
    Scotland 120/173 shown, Scotland's complement 53 minus C's 50 leaves 3 people for A
    and B together, so A's complement is 1 or 2: a cover must hide C or Scotland.
    """
    rows = [
        ("S92000003", "scotland", 120, 173),
        ("S12000005", "council", 30, 32),
        ("S12000006", "council", 40, 41),
        ("S12000008", "council", 50, 100),
    ]
    frame = pd.DataFrame(
        [
            {
                "area_code": code, "geography": geo, "period": "2023-24",
                "indicator_id": "share", "indicator_type": "proportion",
                "numerator": float(num), "denominator": float(den), "value": 100 * num / den,
                "lower_ci": np.nan, "upper_ci": np.nan,
            }
            for code, geo, num, den in rows
        ]
    )  # fmt: skip
    out = suppress_results(frame, 5).set_index("area_code")["suppressed"]
    assert out["S12000005"] and out["S12000006"]
    assert out["S12000008"] or out["S92000003"]
