"""One outcome's evidence as blocks: its assessment row, indicators, key figures and chart."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.datastatus import SYNTHETIC, indicator_statuses, real_measures, synthetic_measures
from cjlib.documents.blocks import Bullets, Figure, Paragraph, Table, ToComplete
from cjlib.formatting import format_value, in_sentence
from cjlib.framework import Indicator, Outcome
from cjlib.gaps import decision_gap, to_complete
from cjlib.measures import DEMO_NOTE
from cjlib.params import OutcomePlan
from cjlib.periods import is_financial_year
from cjlib.report.context import AreaContext
from cjlib.report.tables import chart_table, wide_indicator_table

#: Added to the source line of synthetic figures.


def text_of(value: object, empty: str = "") -> str:
    """A cell as text: missing values (None, NaN) become ``empty``, never "nan" or "None"."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return empty
    text = str(value).strip()
    return empty if text.lower() in ("nan", "none", "<na>") else text


@dataclass
class OutcomeEvidence:
    """Everything the documents say about one outcome, from the batch tables and parameters."""

    ctx: AreaContext
    outcome: Outcome
    row: pd.Series | None  # the assessment row (None when the outcome was not assessed)
    indicators: list[Indicator]
    plan: OutcomePlan
    statuses: dict[str, str]
    _chart: Figure | Paragraph | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """The outcome as a heading: "Outcome 3: More people ..."."""
        kind = "Local outcome" if self.outcome.local else "Outcome"
        return f"{kind} {self.outcome.number}: {self.outcome.title}"

    def field(self, name: str, empty: str = "") -> str:
        """A column of the assessment row as text (tolerates columns the table lacks)."""
        if self.row is None or name not in self.row.index:
            return empty
        return text_of(self.row[name], empty)

    def used_ids(self) -> list[str]:
        """Indicator ids the assessment used, in framework order."""
        used = set(self.field("indicators_used").split(", "))
        return [i.id for i in self.indicators if i.id in used]

    def synthetic(self, ids: list[str]) -> bool:
        """True when any of these indicators is computed from synthetic data."""
        return any(self.statuses.get(i) == SYNTHETIC for i in ids)

    def source(self, ids: list[str]) -> str:
        """The source line of these indicators, marked when any is synthetic."""
        parts = [p.strip() for i in ids for p in self.ctx.indicator(i).source.split(";")]
        text = "; ".join(dict.fromkeys(p for p in parts if p)) or "cjlib assessment"
        return text + (DEMO_NOTE if self.synthetic(ids) else "")

    def status_paragraph(self, *, year_end: bool = False) -> Paragraph:
        """Suggested status and how near, in one sentence."""
        if self.row is None:
            return Paragraph("No assessment could be made for this outcome from the data.")
        when = f"at the end of {self.ctx.period}" if year_end else f"in {self.ctx.period}"
        return Paragraph(
            f"Suggested status {when}: {self.field('status', 'not assessed')}. "
            f"How near: {self.field('how_near', 'not stated')}."
        )

    def narrative_blocks(self) -> list:
        """The draft narrative's lead and evidence list, as paragraphs and bullets to edit."""
        blocks: list = []
        for block in self.field("narrative").split("\n\n")[:2]:
            lines = [line for line in block.splitlines() if line.strip()]
            if lines and all(line.startswith("- ") for line in lines):
                blocks.append(Bullets(tuple(line[2:] for line in lines)))
            elif lines:
                blocks.append(Paragraph(" ".join(lines)))
        return blocks

    def priority_table(self) -> Table:
        """The suggested priority beside the partnership's decision, each with its reason."""
        decided = self.field("decided_priority")
        frame = pd.DataFrame(
            {
                "Whose view": ["Suggested by the evidence (cjlib)", "The partnership's decision"],
                "Priority for action?": [
                    self.field("suggested_priority", "not assessed"),
                    decided or decision_gap(self.outcome.id),
                ],
                "Reason": [
                    self.field("priority_reasons", "none given"),
                    self.field("decision_reason")
                    or (
                        to_complete("the reason", f"priorities.{self.outcome.id}.reason")
                        if not decided
                        else "none given"
                    ),
                ],
            }
        )
        return Table(
            f"Priority for action, {self.label}",
            frame,
            "cjlib assessment rules; the partnership's parameters",
        )

    def indicators_used_table(self) -> Table | Paragraph:
        """The indicators used, with their type and whether they are national."""
        ids = self.used_ids()
        if not ids:
            return Paragraph("No indicator could be used for this outcome.")
        role = {"national": "national indicator", "derived": "comparable rate or share"}
        frame = pd.DataFrame(
            {
                "Indicator": [self.ctx.indicator(i).title for i in ids],
                "Kind": [role.get(self.ctx.indicator(i).role, "local evidence") for i in ids],
                "Data": [self.statuses.get(i, SYNTHETIC) for i in ids],
            }
        )
        return Table(f"Indicators used, {self.label}", frame, self.source(ids))

    def not_used_blocks(self) -> list:
        """Indicators not used, with the partnership's reasons (or a gap to fill)."""
        verdicts = self.ctx.verdicts
        mine = verdicts[(verdicts["outcome"] == self.outcome.id) & ~verdicts["used"].astype(bool)]
        if mine.empty:
            return [Paragraph("The partnership uses every indicator for this outcome.")]
        reasons = [text_of(r) for r in mine.get("reason_not_used", pd.Series("", index=mine.index))]
        frame = pd.DataFrame(
            {
                "Indicator": [self.ctx.indicator(i).title for i in mine["indicator_id"]],
                "Reason not used": [
                    r or to_complete("the reason", f"indicators_not_used.{i}")
                    for r, i in zip(reasons, mine["indicator_id"], strict=True)
                ],
            }
        )
        caption = f"Indicators not used, {self.label}"
        return [Table(caption, frame, f"{self.ctx.area.name} partnership parameters")]

    def actions_blocks(self) -> list:
        """Planned actions with lead partners and timescales, or a gap to fill."""
        if not self.plan.actions:
            return [
                ToComplete(
                    "the action the partners will take for this outcome, the lead partners "
                    "and the timescale (parameters: outcome_plans."
                    f"{self.outcome.id}.actions)"
                )
            ]
        frame = pd.DataFrame(
            {
                "Action": [a.text for a in self.plan.actions],
                "Lead partners": ["; ".join(a.lead_partners) for a in self.plan.actions],
                "Timescale": [a.timescale for a in self.plan.actions],
            }
        )
        source = f"{self.ctx.area.name} partnership parameters"
        return [Table(f"Planned actions, {self.label}", frame, source)]

    def key_figures(self) -> Table | Paragraph:
        """National indicators for the area and Scotland in the reporting year."""
        ctx = self.ctx
        ids = [i.id for i in self.indicators if i.role in ("national", "derived")]
        if not ids:
            return Paragraph("This outcome has no national indicator.")
        rows = pd.concat([ctx.rows(i) for i in ids])
        rows = rows[
            rows["area_code"].isin([ctx.area.code, SCOTLAND_CODE]) & (rows["period"] == ctx.period)
        ]
        titles = {i.id: i.title for i in ctx.framework.indicators}
        frame = wide_indicator_table(rows, ids, titles, ctx.area.code, SCOTLAND_CODE)
        frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("_")])
        if frame.empty:
            return Paragraph(f"No national indicator is published for {ctx.period}.")
        caption = f"Key figures, {self.label}, {ctx.area.name} and Scotland, {ctx.period}"
        return Table(caption, frame, self.source(ids))

    def chart_indicator(self) -> Indicator | None:
        """The indicator charted for this outcome: its first comparable council rate or share."""
        candidates = [
            i
            for i in self.indicators
            if i.type != "count" and i.geography == "council" and i.role in ("national", "derived")
        ]
        judged = [i for i in candidates if i.polarity != "none"]
        headline = [i for i in candidates if i.id == getattr(self.outcome, "headline", None)]
        for ind in headline + judged + candidates:
            rows = self.ctx.rows(ind.id)
            mine = rows[(rows["area_code"] == self.ctx.area.code) & rows["value"].notna()]
            if len(mine) >= 2:
                return ind
        return None

    def chart(self) -> Figure | Paragraph:
        """A trend chart of the charted indicator for the area, Scotland and the family group."""
        if self._chart is None:  # the plan and the report share one chart per outcome
            self._chart = self._make_chart()
        return self._chart

    def _make_chart(self) -> Figure | Paragraph:
        from cjlib.report import charts

        ctx, ind = self.ctx, self.chart_indicator()
        if ind is None:
            return Paragraph("No comparable rate or share has enough published years for a chart.")
        series = ctx.series(ind.id)
        series = series[series["period"].map(is_financial_year)]
        mine = series[series["area_code"] == ctx.area.code]
        scot = series[series["area_code"] == SCOTLAND_CODE]
        now = ctx.row(ind.id)
        value = "not published" if now is None else format_value(now["value"], ind.type, ind.unit)
        alt = (
            f"Line chart of {in_sentence(ind.title)} by year for {ctx.area.name}, Scotland and "
            f"{ctx.family_name}. {ctx.area.name} goes "
            f"{charts.describe_values(mine, ind.unit, ind.type)}; Scotland goes "
            f"{charts.describe_values(scot, ind.unit, ind.type)}."
        )
        return Figure(
            title=f"{ind.title}: {ctx.area.name} was {value} in {ctx.period}",
            alt=alt,
            source=self.source([ind.id]),
            draw=lambda: charts.trend_chart(
                series,
                area_code=ctx.area.code,
                family_code=ctx.family_code,
                title=ind.title,
                unit=ind.unit,
            ),
            table=_wide_chart_table(series, ctx.area.name),
            synthetic=self.synthetic([ind.id]),
        )


def _wide_chart_table(series: pd.DataFrame, area: str) -> pd.DataFrame:
    """The data behind a trend chart, one row per year: each line's value, the area's interval."""
    long = chart_table(series)
    wide = long.pivot(index="Year", columns="Area", values="Value")
    order = [area, "Scotland"] + [c for c in wide.columns if c not in (area, "Scotland")]
    wide = wide[[c for c in order if c in wide.columns]]
    interval = long[long["Area"] == area].set_index("Year")["95% interval"]
    wide.insert(1, f"{area}: 95% interval", interval.reindex(wide.index).fillna(""))
    return wide.reset_index().rename_axis(columns=None).fillna("[x]")


def outcome_evidence(ctx: AreaContext) -> list[OutcomeEvidence]:
    """One :class:`OutcomeEvidence` per national outcome, then per local outcome in the tables."""
    statuses = indicator_statuses(
        ctx.framework, synthetic_measures(ctx.measures), real_measures(ctx.measures)
    )
    by_outcome = {r["outcome"]: r for _, r in ctx.assessment.iterrows()}
    local = {o.id: o for o in ctx.params.local_outcomes}
    outcomes = list(ctx.framework.outcomes)  # national, then local (when the context adds them)
    known = {o.id for o in outcomes}
    outcomes += [local[k] for k in by_outcome if k in local and k not in known]
    out = []
    for outcome in outcomes:
        out.append(
            OutcomeEvidence(
                ctx=ctx,
                outcome=outcome,
                row=by_outcome.get(outcome.id),
                indicators=[i for i in ctx.framework.indicators if i.outcome == outcome.id],
                plan=ctx.params.outcome_plans.get(outcome.id, OutcomePlan()),
                statuses=statuses,
            )
        )
    return out
