"""The improvement page: each prioritised outcome's aim, measures, charts, PDSA log and findings."""

from __future__ import annotations

import pandas as pd

from cjlib.formatting import in_sentence, possessive
from cjlib.framework import Framework
from cjlib.gaps import to_complete
from cjlib.improve.data import (
    MeasureChart,
    chart_measure,
    improvement_data_path,
    load_improvement_data,
)
from cjlib.improve.words import describe_level, describe_signal
from cjlib.measures import SYNTHETIC_SOURCE
from cjlib.params import AreaParameters, ImprovementMeasure, ImprovementPlan
from cjlib.periods import period_label
from cjlib.report.context import AreaContext
from cjlib.report.display import show_figure, show_heading, show_table, show_text, show_title
from cjlib.report.improvement_chart import chart_data, improvement_chart

PAGE_TITLE = "Improvement: aims, measures and tests of change"
_ROLE_WORDS = {
    "outcome": "Outcome measure",
    "process": "Process measure",
    "balancing": "Balancing measure",
}
_CHART_WORDS = {
    "p": "p chart (control chart for a share)",
    "u": "u chart (control chart for a rate)",
    "c": "c chart (control chart for a count)",
    "xmr": "XmR chart (control chart for a measurement)",
}
HOW_TO_ADD = [
    "To add one, give the area's parameter file (parameters/areas/<area code>.yaml) an "
    "'improvement' section: the file of local monthly or quarterly measures ('data'), and for "
    "each prioritised outcome an aim (what, by how much, by when), its outcome, process and "
    "balancing measures (each tied to a series in that file) and a PDSA log (the cycle, its "
    "dates, the change tested, the prediction and what was learned).",
    "The parameter files of Glasgow City (S12000049) and Aberdeen City (S12000033) hold worked "
    "examples. Local measures use cjlib's tidy format: area_code, period (a month such as "
    "2024-04 or a quarter such as 2024-Q1), measure_id, value, marker and source. Run "
    "'cjlib run' again and this page shows run charts, or control charts once there are 20 "
    "points in each phase.",
]
METHOD = (
    "How to read these charts. A run chart's centre line is the median of the first 12 points, "
    "frozen; after a shift of nine or more points it is recalculated from the new points. The "
    "rules are those of Perla, Provost and Murray (2011): a shift is six or more points in a row "
    "on one side of the median (points on it are skipped), a trend is five or more points all "
    "going up or all going down (repeated values count once), too many or too few runs is "
    "judged against the Swed and Eisenhart table, and an astronomical point is one far outside "
    "the rest. A control chart (p for shares, u for rates, c for counts, XmR for measurements) "
    "is drawn once each phase has 20 points, with limits at three sigma and the rules of "
    "Provost and Murray (2011): a point outside the limits, eight points on one side of the "
    "centre line, six points going up or down, or two of three points beyond two sigma. "
    "Anything else is the variation expected by chance, and no change is claimed from it. "
    "Over many points a rule can also be met by chance: read a single signal as a prompt to "
    "look at what happened, with what the team knows."
)


def _source(ctx: AreaContext, data: pd.DataFrame) -> str:
    synthetic = data["source"].eq(SYNTHETIC_SOURCE).any()
    label = (
        "synthetic demonstration data, not official statistics"
        if synthetic
        else "; ".join(sorted(set(data["source"])))
    )
    return f"{ctx.area.name} community justice partners, local measures ({label})"


def _aim_text(plan: ImprovementPlan) -> str:
    return f"Aim: {plan.aim.what}."


def _measures_table(plan: ImprovementPlan, charts: dict[str, MeasureChart]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Measure": [m.title for m in plan.measures],
            "Type": [_ROLE_WORDS[m.role] for m in plan.measures],
            "Unit": [m.unit for m in plan.measures],
            "Chart": [
                _CHART_WORDS[charts[m.series].control.kind]
                if charts[m.series].control
                else "run chart"
                for m in plan.measures
            ],
            "Series": [m.series for m in plan.measures],
        }
    )


def _pdsa_table(plan: ImprovementPlan) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Cycle": [c.cycle for c in plan.pdsa],
            "Dates": [
                f"{c.start:%-d %B %Y} to {c.end:%-d %B %Y}"
                if c.end
                else f"from {c.start:%-d %B %Y}"
                for c in plan.pdsa
            ],
            "Change tested": [c.change for c in plan.pdsa],
            "Prediction": [c.prediction for c in plan.pdsa],
            "What was learned": [
                c.learned or to_complete("what was learned", f"pdsa cycle {c.cycle}: learned")
                for c in plan.pdsa
            ],
        }
    )


def signal_sentences(chart: MeasureChart, plan: ImprovementPlan) -> list[str]:
    """Every signal on a measure's chart, one sentence each (run chart, then control chart)."""
    m = chart.measure
    found = list(chart.run.signals)
    if chart.control is not None:  # control-chart signals not already stated by the run chart
        seen = {(s.rule, s.start) for s in found}
        found += [s for s in chart.control.signals if (s.rule, s.start) not in seen]
    return [describe_signal(s, chart.periods, plan.pdsa, polarity=m.polarity) for s in found]


def _finding(chart: MeasureChart, sentences: list[str]) -> str:
    title = chart.measure.title
    if not sentences:
        return f"{title}: only the variation expected by chance"
    first = sentences[0].rstrip(".").split(" (")[0].split(":")[0]
    return f"{title}: {in_sentence(first)}"


def _alt(chart: MeasureChart, plan: ImprovementPlan, sentences: list[str]) -> str:
    m, periods = chart.measure, chart.periods
    kind = _CHART_WORDS[chart.control.kind] if chart.control else "Run chart"
    medians = "; ".join(
        f"from {period_label(periods[start])} the centre line is "
        f"{describe_level(chart.control.centre[start] if chart.control else median, m.unit)}"
        for start, median in zip(chart.run.phase_starts, chart.run.medians, strict=True)
    )
    cycles = ", ".join(f"cycle {c.cycle} from {c.start:%B %Y}" for c in plan.pdsa)
    text = (
        f"{kind[0].upper()}{kind[1:]} of {in_sentence(m.title)}, {m.unit}, by "
        f"{'month' if 'Q' not in periods[0] else 'quarter'} from {period_label(periods[0])} to "
        f"{period_label(periods[-1])}: {medians}."
    )
    if cycles:
        text += f" PDSA cycles are marked: {cycles}."
    text += " " + (" ".join(sentences) if sentences else "No signal: only chance variation.")
    return text


def _what_the_data_says(
    plan: ImprovementPlan, charts: dict[str, MeasureChart], said: dict[str, list[str]]
) -> list[str]:
    parts = []
    for m in plan.measures:
        sentences = said[m.series]
        role = _ROLE_WORDS[m.role].lower()
        if sentences:
            parts.append(f"The {role}, {in_sentence(m.title)}: " + " ".join(sentences))
        else:
            parts.append(
                f"The {role}, {in_sentence(m.title)}, shows only the variation expected by "
                "chance: no rule was met, so no change is claimed."
            )
    aim_chart = charts[plan.aim.measure]
    aim_measure = aim_chart.measure
    latest = (
        aim_chart.control.centre[-1] if aim_chart.control is not None else aim_chart.run.medians[-1]
    )
    met = (
        latest >= plan.aim.target
        if aim_measure.polarity != "lower_is_better"
        else latest <= plan.aim.target
    )
    since = period_label(aim_chart.periods[aim_chart.run.phase_starts[-1]])
    parts.append(
        f"Against the aim ({describe_level(plan.aim.target, aim_measure.unit)} by "
        f"{period_label(plan.aim.by)}), the current centre line, from {since}, is "
        f"{describe_level(latest, aim_measure.unit)}: "
        + ("the aim is being met." if met else "the aim is not yet met.")
    )
    return parts


def _show_measure(
    ctx: AreaContext, plan: ImprovementPlan, chart: MeasureChart, source: str, sentences: list[str]
) -> None:
    m: ImprovementMeasure = chart.measure
    fig = improvement_chart(chart, plan.pdsa, unit=m.unit)
    data = chart_data(chart)
    caption = (
        " ".join(sentences)
        if sentences
        else "No signal: the points vary only as much as chance explains."
    )
    if chart.why_no_control:
        caption += " " + chart.why_no_control
    show_figure(
        fig,
        title=_finding(chart, sentences),
        alt=_alt(chart, plan, sentences),
        source=source,
        data=data,
        caption=caption,
        csv_name=f"improvement_{m.series}.csv",
        output_dir=ctx.output_dir,
        table=data.drop(columns=["period"]).rename(columns=lambda c: c.replace("_", " ")),
    )


def show_improvement(ctx: AreaContext, data_dir: str = "") -> None:
    """Show the improvement page for one area (or how to add a plan, when it has none)."""
    improvement = ctx.params.improvement
    if improvement is None or not improvement.plans:
        show_title(
            PAGE_TITLE,
            "This area has no improvement plan in its parameters yet.",
            synthetic=ctx.synthetic,
            subtitle=ctx.area.name,
        )
        show_text(HOW_TO_ADD)
        return
    path = improvement_data_path(improvement, data_dir or None)
    data = load_improvement_data(path, ctx.area.code, improvement)
    synthetic = ctx.synthetic or bool(data["source"].eq(SYNTHETIC_SOURCE).any())
    source = _source(ctx, data)
    plans = sorted(improvement.plans.items(), key=lambda kv: ctx.framework.outcome(kv[0]).number)
    names = ", ".join(f"outcome {ctx.framework.outcome(o).number}" for o, _ in plans)
    show_title(
        PAGE_TITLE,
        f"{possessive(ctx.area.name)} improvement plans ({names}): each aim, its measures "
        "charted month by month with the standard run-chart and control-chart rules, and the "
        "changes tested.",
        synthetic=synthetic,
        subtitle=f"{ctx.area.name}, local measures",
    )
    show_text(METHOD)
    for outcome_id, plan in plans:
        outcome = ctx.framework.outcome(outcome_id)
        charts = {m.series: chart_measure(data, m, ctx.threshold) for m in plan.measures}
        said = {s: signal_sentences(c, plan) for s, c in charts.items()}
        show_heading(f"Outcome {outcome.number}: {outcome.title}", 2)
        show_text(_aim_text(plan))
        show_table(
            _measures_table(plan, charts),
            caption=f"Measures of the improvement plan for outcome {outcome.number}",
            source=source,
            csv_name=f"improvement_measures_{outcome_id.lower()}.csv",
            output_dir=ctx.output_dir,
        )
        for m in plan.measures:
            _show_measure(ctx, plan, charts[m.series], source, said[m.series])
        show_heading("Tests of change (PDSA cycles)", 3)
        if plan.pdsa:
            show_table(
                _pdsa_table(plan),
                caption=f"PDSA log for outcome {outcome.number}",
                source=f"{ctx.area.name} community justice partners' improvement plan",
                csv_name=f"improvement_pdsa_{outcome_id.lower()}.csv",
                output_dir=ctx.output_dir,
            )
        else:
            show_text("No PDSA cycle is recorded yet.")
        show_heading("What the data says", 3)
        show_text(_what_the_data_says(plan, charts, said))


def improvement_findings(
    params: AreaParameters,
    framework: Framework,
    *,
    threshold: int,
    data_dir: str | None = None,
) -> list[dict]:
    """Return each improvement plan's findings, for the plan and annual-report documents.

    Parameters
    ----------
    params : AreaParameters
        The area's parameters (no plan: an empty list).
    framework : Framework
        The framework, for each outcome's number and title.
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed before anything is derived.
    data_dir : str, optional
        Folder holding the local measures file (default: the bundled data).

    Returns
    -------
    list of dict
        One per plan, in outcome order: ``outcome`` (id), ``number``, ``title``,
        ``aim`` (the aim's words), ``signals`` (measure title to its signal
        sentences) and ``what_the_data_says`` (the paragraphs shown on the page).
    """
    improvement = params.improvement
    if improvement is None or not improvement.plans:
        return []
    data = load_improvement_data(
        improvement_data_path(improvement, data_dir), params.area_code, improvement
    )
    found = []
    for outcome_id, plan in improvement.plans.items():
        outcome = framework.outcome(outcome_id)
        charts = {m.series: chart_measure(data, m, threshold) for m in plan.measures}
        said = {s: signal_sentences(c, plan) for s, c in charts.items()}
        found.append(
            {
                "outcome": outcome_id,
                "number": outcome.number,
                "title": outcome.title,
                "aim": plan.aim.what,
                "signals": {m.title: said[m.series] for m in plan.measures},
                "what_the_data_says": _what_the_data_says(plan, charts, said),
            }
        )
    return sorted(found, key=lambda f: f["number"])
