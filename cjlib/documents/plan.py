"""The draft plan (CJOIP) and the draft annual report, as blocks built from one area's context."""

from __future__ import annotations

import pandas as pd

from cjlib.documents import quotes
from cjlib.documents.blocks import (
    TO_COMPLETE,
    Bullets,
    Document,
    Heading,
    Paragraph,
    Quote,
    Table,
    ToComplete,
)
from cjlib.documents.evidence import DEMO_NOTE, OutcomeEvidence, outcome_evidence
from cjlib.documents.progress import progress_table
from cjlib.gaps import decision_gap
from cjlib.report.context import AreaContext
from cjlib.report.method import method_paragraphs
from cjlib.report.summary import describe_indicators_used

#: Who the documents name as their author: the partnership writes them; cjlib drafts them.
AUTHOR_TEMPLATE = "{area} Community Justice Partnership (draft prepared with cjlib)"
#: Where the framework's priority actions are quoted from.
STRATEGY_CITATION = f"National Strategy for Community Justice, as set out in {quotes.ACHIEVING}"
EXAMPLE_NOTE = (
    "Example: the plan text in this draft (actions, activity and plan sections) was written "
    "to show a complete document. It is not the partnership's published plan."
)


def _about(doc: Document, ctx: AreaContext, requirements: tuple[str, ...], lead: str) -> None:
    doc.add(Heading("About this draft"))
    doc.add(
        Paragraph(
            "cjlib filled in everything the data can say: the suggested status of each outcome, "
            "how near it is, the suggested priority and the indicators. Sections marked "
            f'"{TO_COMPLETE}" need the partnership\'s own words; the partnership decides, and '
            "the suggestions show their working."
        )
    )
    if ctx.params.example:
        doc.add(Paragraph(EXAMPLE_NOTE))
    doc.add(Paragraph(lead), Bullets(requirements))
    doc.add(Paragraph(f"Source: {quotes.ACHIEVING}, section 6."))


def _summary_table(ctx: AreaContext, items: list[OutcomeEvidence], *, decided: bool) -> Table:
    frame = pd.DataFrame(
        {
            "Outcome": [e.label for e in items],
            "Suggested status": [e.field("status", "not assessed") for e in items],
            "How near": [e.field("how_near", "not stated") for e in items],
            "Suggested priority": [e.field("suggested_priority", "not assessed") for e in items],
        }
    )
    if decided:
        frame["Partnership's decision"] = [
            e.field("decided_priority") or decision_gap(e.outcome.id) for e in items
        ]
    source = "cjlib assessment of the indicators" + (DEMO_NOTE if ctx.synthetic else "")
    return Table(
        f"Every outcome at a glance, {ctx.area.name}, {ctx.period}",
        frame,
        source,
        csv_name="plan_summary.csv" if decided else None,
    )


def _indicators_paragraph(e: OutcomeEvidence) -> Paragraph:
    text = describe_indicators_used(e.field("indicators_used"), e.ctx.framework)
    return Paragraph(f"National indicators used: {text}.")


def _status_counts(items: list[OutcomeEvidence]) -> str:
    """Count the statuses of the national outcomes and, separately, of the local ones."""
    parts = []
    for local, kind in ((False, "national outcomes"), (True, "local outcomes")):
        statuses = [e.field("status", "not assessed") for e in items if e.outcome.local == local]
        if not statuses:
            continue
        counts = pd.Series(statuses).value_counts()
        listed = "; ".join(f"{n} {status}" for status, n in counts.items())
        parts.append(f"of the {len(statuses)} {kind}, {listed}")
    return "; and ".join(parts)


def build_plan(ctx: AreaContext, items: list[OutcomeEvidence] | None = None) -> Document:
    """The draft CJOIP: every outcome's evidence, the partners' actions and the plan sections.

    ``items`` (from :func:`~cjlib.documents.evidence.outcome_evidence`) may be shared
    with :func:`build_annual_report`, which then reuses each outcome's chart.
    """
    items = outcome_evidence(ctx) if items is None else items
    doc = Document(
        title="Community Justice Outcomes Improvement Plan: draft",
        subtitle=f"{ctx.area.name}, evidence for {ctx.period}",
        summary=f"In {ctx.area.name} in {ctx.period}, {_status_counts(items)}.",
        synthetic=ctx.synthetic,
        example=ctx.params.example,
        author=AUTHOR_TEMPLATE.format(area=ctx.area.name),
    )
    lead = "In relation to the national outcomes, community justice partners are required to:"
    _about(doc, ctx, quotes.PLAN_REQUIREMENTS, lead)
    doc.add(Heading("Summary of the evidence"), _summary_table(ctx, items, decided=True))
    doc.add(Heading("National outcomes"))
    doc.add(Quote(*quotes.ACTIONS))
    findings = _improvement(ctx)
    for e in items:
        if e.outcome.local:
            continue
        _plan_outcome(doc, e, findings.get(e.outcome.id))
    doc.add(Heading("Local outcomes"))
    local = [e for e in items if e.outcome.local]
    if not local:
        doc.add(
            Paragraph(
                "No local outcomes are recorded in the partnership's parameters "
                "(local_outcomes, local_indicators). Local outcomes are optional: partners may "
                "add them to reflect agreed local priorities."
            )
        )
    for e in local:
        _plan_outcome(doc, e)
    if ctx.framework.priority_actions_without_outcome:
        doc.add(
            Paragraph(
                "The strategy's priority actions that have no national outcome, which partners "
                "may express as local outcomes:"
            ),
            *[Quote(a, STRATEGY_CITATION) for a in ctx.framework.priority_actions_without_outcome],
        )
    sections = ctx.params.cjoip
    for key, heading, text, citation in quotes.PLAN_SECTIONS:
        doc.add(Heading(heading), Quote(text, citation))
        given = str(getattr(sections, key, "") or "").strip()
        doc.add(Paragraph(given) if given else ToComplete(f"{heading} (parameters: cjoip.{key})"))
    doc.add(Heading("How this assessment was made"))
    doc.add(*[Paragraph(p) for p in method_paragraphs()])
    return doc


def _improvement(ctx: AreaContext) -> dict[str, dict]:
    """Each improvement plan's findings (run and control charts), by outcome id."""
    from cjlib.report.improvement import improvement_findings

    found = improvement_findings(ctx.params, ctx.framework, threshold=ctx.threshold)
    return {f["outcome"]: f for f in found}


def _improvement_blocks(finding: dict | None, level: int) -> list:
    """The aim and what the in-year data says, for an outcome with an improvement plan."""
    if not finding:
        return []
    blocks = [Heading("Improvement work and what the in-year data says", level)]
    blocks.append(Paragraph(f"Aim: {finding['aim']}"))
    blocks += [Paragraph(text) for text in finding["what_the_data_says"]]
    return blocks


def _plan_outcome(doc: Document, e: OutcomeEvidence, finding: dict | None = None) -> None:
    level = 2
    doc.add(Heading(e.label, level))
    doc.add(Heading("Is the outcome being achieved?", level + 1), e.status_paragraph())
    doc.add(*e.narrative_blocks())
    doc.add(Heading("Is it a priority for action?", level + 1), e.priority_table())
    doc.add(Heading("The strategy's priority action", level + 1))
    if e.outcome.priority_action:
        doc.add(Quote(e.outcome.priority_action, STRATEGY_CITATION))
    else:
        doc.add(Paragraph("The framework names no priority action for this outcome."))
    doc.add(Heading("Actions the partners will take", level + 1), *e.actions_blocks())
    doc.add(*_improvement_blocks(finding, level + 1))
    doc.add(Heading("Indicators used and not used", level + 1))
    doc.add(_indicators_paragraph(e), e.indicators_used_table(), *e.not_used_blocks())
    doc.add(Heading("Key figures", level + 1), e.key_figures(), e.chart())


def build_annual_report(ctx: AreaContext, items: list[OutcomeEvidence] | None = None) -> Document:
    """The draft annual report: activity, status at year end, progress and indicators used."""
    items = outcome_evidence(ctx) if items is None else items
    start = int(ctx.period[:4])
    doc = Document(
        title="Community justice annual report: draft",
        subtitle=f"{ctx.area.name}, 1 April {start} to 31 March {start + 1}",
        summary=(f"At the end of {ctx.period} in {ctx.area.name}, {_status_counts(items)}."),
        synthetic=ctx.synthetic,
        example=ctx.params.example,
        author=AUTHOR_TEMPLATE.format(area=ctx.area.name),
    )
    _about(doc, ctx, quotes.REPORT_REQUIREMENTS, "The report must set out:")
    doc.add(Heading("Summary of the year"), _summary_table(ctx, items, decided=False))
    doc.add(Heading("Progress on each outcome"))
    findings = _improvement(ctx)
    for e in items:
        doc.add(Heading(e.label, 2))
        doc.add(Heading(f"Activity in {ctx.period}", 3))
        activity = e.plan.activity.strip()
        doc.add(
            Paragraph(activity)
            if activity
            else ToComplete(
                f"the activity taken in {ctx.period} to achieve the outcome "
                f"(parameters: outcome_plans.{e.outcome.id}.activity)"
            )
        )
        doc.add(Heading("Was the outcome being achieved at the end of the year?", 3))
        doc.add(e.status_paragraph(year_end=True))
        doc.add(Heading("Progress in the year", 3), progress_table(e), e.chart())
        doc.add(*_improvement_blocks(findings.get(e.outcome.id), 3))
        doc.add(Heading("National indicators used", 3), _indicators_paragraph(e))
        doc.add(*e.not_used_blocks())
    doc.add(Heading("How this assessment was made"))
    doc.add(*[Paragraph(p) for p in method_paragraphs()])
    return doc
