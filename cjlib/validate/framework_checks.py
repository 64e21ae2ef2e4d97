"""Checks against the framework: unknown measures, negative counts, numerator over denominator."""

from __future__ import annotations

import difflib

import pandas as pd

from cjlib.framework import Framework
from cjlib.validate.problem import Problem


def check_measures(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    """Return a problem for each row whose measure is not in the framework, with a hint.

    ``table`` and ``file`` are as for :func:`cjlib.validate.rows.check_areas`;
    ``framework`` says which measures exist, which are counts and which are pairs.
    """
    known = framework.measure_ids
    messages = {}
    for measure in pd.unique(table["measure_id"]):
        if measure in known:
            continue
        close = difflib.get_close_matches(measure, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        what = f"unknown measure {measure!r}" if measure else "measure_id is empty"
        messages[measure] = (
            f"{what}: not in framework {framework.id} (run 'cjlib indicators'){hint}"
        )
    bad = table[table["measure_id"].isin(list(messages))]
    return [Problem(file, r.line, "measure_id", messages[r.measure_id]) for r in bad.itertuples()]


def check_negative(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    """Return a problem for each negative value of a count (parameters: :func:`check_measures`)."""
    if "number" not in table:
        return []
    counts = [m.id for m in framework.measures if m.kind in ("count", "population")]
    bad = table[table["measure_id"].isin(counts) & table["number"].lt(0)]
    return [
        Problem(
            file, r.line, "value", f"{r.measure_id} is a count and cannot be negative ({r.value})"
        )
        for r in bad.itertuples()
    ]


def check_proportions(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    """Return a problem for each numerator greater than its denominator, area and period.

    Parameters are as for :func:`check_measures`.
    """
    if not {"code", "norm", "number"} <= set(table.columns):
        return []
    usable = table[table["code"].ne("") & table["norm"].ne("") & table["number"].notna()]
    usable = usable.drop_duplicates(["code", "norm", "measure_id"])
    problems = []
    for numerator, denominator in framework.proportion_pairs():
        top = usable[usable["measure_id"].eq(numerator)]
        bottom = usable[usable["measure_id"].eq(denominator)]
        pairs = top.merge(bottom, on=["code", "norm"], suffixes=("", "_den"))
        for r in pairs[pairs["number"] > pairs["number_den"]].itertuples():
            problems.append(
                Problem(
                    file,
                    r.line,
                    "value",
                    f"{numerator} ({r.number:,g}) is greater than its denominator "
                    f"{denominator} ({r.number_den:,g}, row {r.line_den}) for {r.code} {r.norm}",
                )
            )
    return problems
