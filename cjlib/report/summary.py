"""The plan summary: every outcome's status, how near, priorities and indicators used."""

from __future__ import annotations

import pandas as pd

from cjlib.display import show_table, show_title
from cjlib.report.context import AreaContext


def summary_rows(ctx: AreaContext) -> list[dict]:
    """Return one dict per outcome for the plan summary (also used by the pack front page)."""
    titles = {i.id: i.title for i in ctx.framework.indicators}
    rows = []
    for _, v in ctx.assessment.sort_values("outcome_number").iterrows():
        outcome = ctx.framework.outcome(v["outcome"])
        used = [titles[i] for i in str(v["indicators_used"]).split(", ") if i in titles]
        rows.append(
            {
                "Outcome": f"{outcome.number}. {outcome.title}",
                "Status": v["status"],
                "How near": v["how_near"],
                "Suggested priority": v["suggested_priority"],
                "Partnership's decision": v["decided_priority"] or "not recorded",
                "Indicators used": "; ".join(used),
            }
        )
    return rows


def show_summary(ctx: AreaContext) -> None:
    """Show the title and the one-page plan summary table."""
    rows = summary_rows(ctx)
    counts = pd.Series([r["Status"] for r in rows]).value_counts()
    summary = "; ".join(f"{n} {status}" for status, n in counts.items())
    show_title(
        "Community Justice Outcomes Improvement Plan: summary of the evidence",
        f"Of the nine national outcomes in {ctx.area.name} in {ctx.period}: {summary}.",
        synthetic=ctx.synthetic,
        subtitle=f"{ctx.area.name}, reporting year {ctx.period}",
    )
    show_table(
        pd.DataFrame(rows),
        caption=f"Status of each national outcome, {ctx.area.name}, {ctx.period}",
        source="cjlib assessment of the national indicators"
        + (" (synthetic demonstration data, not official statistics)" if ctx.synthetic else ""),
        csv_name="plan_summary.csv",
        output_dir=ctx.output_dir,
    )
