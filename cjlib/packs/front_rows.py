"""The rows of an area front page's tables: its headline indicators and those it does not use."""

from __future__ import annotations

import pandas as pd

from cjlib.assess.grades import not_used_reasons
from cjlib.framework import Framework
from cjlib.params import AreaParameters


def headline_rows(results: pd.DataFrame, framework: Framework, area_code: str) -> list[dict]:
    """The higher-level (reconviction) indicators for an area, latest published cohort."""
    from cjlib.areas import SCOTLAND_CODE
    from cjlib.formatting import format_interval, format_value

    out = []
    for ind in (i for i in framework.indicators if i.role == "headline"):
        rows = results[(results["indicator_id"] == ind.id) & results["value"].notna()]
        mine = rows[rows["area_code"] == area_code]
        if mine.empty:
            continue
        row = mine.loc[mine["period"].idxmax()]
        scot = rows[(rows["area_code"] == SCOTLAND_CODE) & (rows["period"] == row["period"])]
        compared = str(row.get("compare_scotland") or "not compared")
        out.append(
            {
                "indicator": ind.title,
                "period": f"{row['period']} cohort",
                "value": format_value(row["value"], ind.type, ind.unit),
                "interval": format_interval(row["lower_ci"], row["upper_ci"], ind.type, ind.unit),
                "scotland": format_value(scot["value"].iloc[0], ind.type, ind.unit)
                if len(scot)
                else "[x]",
                "compared": {"better": "significantly better", "worse": "significantly worse"}.get(
                    compared, compared
                ),
                "source": framework.measure(ind.numerator).source or ind.source,
            }
        )
    return out


def not_used_rows(framework: Framework, params: AreaParameters) -> list[dict]:
    """The national and local-evidence indicators an area does not use, with its reasons."""
    reasons = not_used_reasons(framework, {params.area_code: params})
    rows = []
    for (_, ind_id), reason in reasons.items():
        ind = framework.indicator(ind_id)
        if ind.role == "derived":
            continue
        outcome = framework.outcome(ind.outcome) if ind.outcome else None
        rows.append(
            {
                "outcome": f"Outcome {outcome.number}" if outcome else "",
                "indicator": ind.title,
                "reason": reason,
            }
        )
    return rows
