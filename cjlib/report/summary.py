"""The plan summary: every outcome's status, how near, priorities and indicators used."""

from __future__ import annotations

from cjlib.formatting import in_sentence
from cjlib.framework import Framework
from cjlib.gaps import decision_gap
from cjlib.report.context import AreaContext
from cjlib.report.display import show_figure, show_heading, show_table, show_text, show_title

_ROLE_WORDS = {
    "national": ("national indicator", "national indicators"),
    "derived": ("comparable rate or share", "comparable rates and shares"),
    "local_evidence": ("local evidence item", "local evidence items"),
}


def describe_indicators_used(ids_text: str, framework: Framework) -> str:
    """Summarise an outcome's indicators, e.g. "3 national indicators (a, b, c); 1 ..."."""
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
                "Partnership's decision": v["decided_priority"] or decision_gap(v["outcome"]),
                "Indicators used": describe_indicators_used(v["indicators_used"], ctx.framework),
            }
        )
    return rows


def show_block(block: object, ctx: AreaContext, shift: int = 1) -> None:
    """Show one block of a draft document (headings ``shift`` levels under their level).

    A gap the partnership must fill reads "TO COMPLETE" in bold words, not colour alone.
    """
    from cjlib.documents import blocks as b

    if isinstance(block, b.Heading):
        show_heading(block.text, min(block.level + shift, 6))
    elif isinstance(block, b.Paragraph):
        show_text([block.text])
    elif isinstance(block, b.Bullets):
        show_text("\n".join(f"- {item}" for item in block.items))
    elif isinstance(block, b.Quote):
        show_text([f"\u201c{block.text}\u201d ({block.citation})"])
    elif isinstance(block, b.ToComplete):
        show_text([f"**{b.TO_COMPLETE}:** write {block.what}."])
    elif isinstance(block, b.Table):
        show_table(
            block.frame,
            caption=block.caption,
            source=block.source,
            csv_name=block.csv_name,
            output_dir=ctx.output_dir if block.csv_name else None,
        )
    elif isinstance(block, b.Figure):
        show_figure(
            block.draw(),
            title=block.title,
            alt=block.alt,
            source=block.source,
            data=block.table,
            heading_level=min(4 + shift, 6),
        )
    else:
        raise TypeError(f"cannot show a {type(block).__name__} block")


def show_summary(ctx: AreaContext) -> None:
    """Show the plan skeleton: every outcome's evidence, actions and the plan-level sections.

    The same blocks make the Word draft (:mod:`cjlib.documents`).
    """
    from cjlib.documents.plan import build_plan

    doc = build_plan(ctx)  # an example area says so in its "About this draft" section
    show_title(doc.title, doc.summary, synthetic=doc.synthetic, subtitle=doc.subtitle)
    for block in doc.blocks:
        show_block(block, ctx, shift=1)


def show_annual_report(ctx: AreaContext) -> None:
    """Show the annual-report view for the reporting year, under its own ``h2``."""
    from cjlib.documents.blocks import Figure, Paragraph
    from cjlib.documents.plan import build_annual_report

    doc = build_annual_report(ctx)
    show_heading(doc.title, 2)
    show_text([doc.subtitle, doc.summary])
    for block in doc.blocks:
        if isinstance(block, Figure):  # the same chart is on this page, in the plan above
            block = Paragraph(f"The chart \u201c{block.title}\u201d is shown in the plan above.")
        show_block(block, ctx, shift=2)
