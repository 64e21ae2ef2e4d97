"""The plan summary: every outcome's status, how near, priorities and indicators used."""

from __future__ import annotations

import pandas as pd

from cjlib.display import show_table, show_title
from cjlib.formatting import in_sentence
from cjlib.framework import Framework
from cjlib.report.context import AreaContext

_ROLE_WORDS = {
    "national": ("national indicator", "national indicators"),
    "derived": ("comparable rate or share", "comparable rates and shares"),
    "local_evidence": ("local evidence item", "local evidence items"),
}


def describe_indicators_used(ids_text: str, framework: Framework) -> str:
    """Summarise the indicators used for an outcome, e.g. "3 national indicators (a, b, c); 1 ..."."""
    known = {i.id: i for i in framework.indicators}
    ids = [i for i in str(ids_text).split(", ") if i in known]
    if not ids:
        return "none"
    parts = []
    for role, (one, many) in _ROLE_WORDS.items():
        chosen = [known[i] for i in ids if known[i].role == role]
        if chosen:
            text = f"{len(chosen)} {one if len(chosen) == 1 else many}"
            if role == "national":
                text += " (" + "; ".join(in_sentence(i.title) for i in chosen) + ")"
            parts.append(text)
    return "; ".join(parts)


def summary_rows(ctx: AreaContext) -> list[dict]:
    """Return one dict per outcome for the plan summary (also used by the pack front page)."""
    rows = []
    for _, v in ctx.assessment.sort_values("outcome_number").iterrows():
        outcome = ctx.framework.outcome(v["outcome"])
        rows.append(
            {
                "Outcome": f"{outcome.number}. {outcome.title}",
                "Status": v["status"],
                "How near": v["how_near"],
                "Suggested priority": v["suggested_priority"],
                "Partnership's decision": v["decided_priority"] or "not recorded",
                "Indicators used": describe_indicators_used(v["indicators_used"], ctx.framework),
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
