"""The sections of an outcome notebook (01 to 09), shared by all nine."""

from __future__ import annotations

import pandas as pd

from cjlib.areas import SCOTLAND_CODE, area_name
from cjlib.assess.narrative import priority_phrase
from cjlib.formatting import format_value, in_sentence
from cjlib.measures import DEMO_NOTE
from cjlib.periods import is_financial_year
from cjlib.report import charts
from cjlib.report.context import AreaContext
from cjlib.report.display import show_figure, show_table, show_text, show_title
from cjlib.report.tables import chart_table, download_table, value_texts, wide_indicator_table


class OutcomePage:
    """One outcome's page for one area: each method shows one section."""

    def __init__(self, ctx: AreaContext, outcome_number: int) -> None:
        self.ctx = ctx
        self.outcome = ctx.framework.outcome(outcome_number)
        # an indicator the partnership does not use is not charted, downloaded or judged
        self.indicators = ctx.used(ctx.framework.indicators_for(self.outcome.id))
        self.titles = {i.id: i.title for i in ctx.framework.indicators}
        rows = ctx.assessment[ctx.assessment["outcome"] == self.outcome.id]
        self.verdict = rows.iloc[0] if len(rows) else None

    def _source(self, ind_ids: list[str]) -> str:
        parts = [p.strip() for i in ind_ids for p in self.ctx.indicator(i).source.split(";")]
        text = "; ".join(dict.fromkeys(parts))
        return text + (DEMO_NOTE if self.ctx.synthetic else "")

    def _csv(self, name: str) -> dict:
        return {
            "csv_name": f"{self.outcome.id.lower()}_{name}.csv",
            "output_dir": self.ctx.output_dir,
        }

    def title(self) -> None:
        """The title block: area, outcome, period, and a one-paragraph summary."""
        ctx = self.ctx
        if self.verdict is None:
            summary = "No assessment could be made for this outcome."
        else:
            v = self.verdict
            status = (
                "there is not enough evidence to judge this outcome"
                if v["status"] == "insufficient evidence"
                else f"this outcome is {v['status']}"
            )
            summary = (
                f"In {ctx.period} {status} in {ctx.area.name} ({v['how_near']}). "
                f"The evidence suggests it is {priority_phrase(v['suggested_priority'])}"
            )
            if v["decided_priority"]:
                summary += (
                    f"; the partnership has decided it is {priority_phrase(v['decided_priority'])}"
                )
            summary += "."
        show_title(
            f"Outcome {self.outcome.number}: {self.outcome.title}",
            summary,
            synthetic=ctx.synthetic,
            subtitle=f"{ctx.area.name}, reporting year {ctx.period}",
        )

    def intro(self) -> None:
        """The outcome and its priority action."""
        text = [
            "The priority action in the National Strategy for Community Justice, as set out in "
            f"'Achieving Community Justice Outcomes' (2024): “{self.outcome.priority_action}”"
        ]
        to_confirm = [i for i in self.indicators if i.wording_status == "to_be_confirmed"]
        if any(i.role == "national" for i in to_confirm):
            text.append(
                "The wording of this outcome's national indicators is still to be confirmed "
                "against the framework's Guidance and Technical Notes: the definitions below "
                "are cjlib's reading of them."
            )
        scotland_only = [
            i for i in self.indicators if i.geography == "scotland" and i.role == "national"
        ]
        for ind in scotland_only:
            text.append(
                f"The national indicator ({in_sentence(ind.title)}) is published for "
                "Scotland only: its survey cannot support council estimates, so this page "
                "shows Scotland's "
                "figure for context and judges the outcome on local evidence."
            )
        show_text(text)

    def logic_model(self) -> None:
        """The outcome's logic model (the area's own when it adapted one)."""
        from cjlib.report.logic_model import show_logic_model

        show_logic_model(self.ctx, self.outcome.number)

    def national_table(self) -> None:
        """National indicators: counts and comparable rates and shares with 95% intervals."""
        ids = [i.id for i in self.indicators if i.role in ("national", "derived")]
        self._indicator_table(ids, "national", "National indicators")

    def local_table(self) -> None:
        """Local-evidence indicators."""
        ids = [i.id for i in self.indicators if i.role == "local_evidence"]
        if not ids:
            show_text("This outcome has no local-evidence indicators in the framework.")
            return
        self._indicator_table(ids, "local_evidence", "Local evidence")

    def _indicator_table(self, ids: list[str], name: str, caption: str) -> None:
        ctx = self.ctx
        if not ids:
            show_text(
                f"{caption}: the partnership uses none of this outcome's indicators of this "
                "kind; its reasons are listed under 'Indicators not used'."
            )
            return
        rows = pd.concat([ctx.rows(i) for i in ids])
        rows = rows[
            rows["area_code"].isin([ctx.area.code, SCOTLAND_CODE]) & (rows["period"] == ctx.period)
        ]
        targets = {i: ctx.target(i) for i in ids if ctx.target(i) is not None}
        table = wide_indicator_table(rows, ids, self.titles, ctx.area.code, SCOTLAND_CODE)
        if targets:
            table["Local target"] = [
                _target_text(ctx.indicator(i), targets.get(i)) for i in table.pop("_id")
            ]
        else:
            table = table.drop(columns="_id")
        show_table(
            table,
            caption=f"{caption}, {ctx.area.name} and Scotland, {ctx.period}",
            source=self._source(ids),
            download=download_table(rows, self.titles),
            **self._csv(name),
        )
        self._definitions(ids, caption)

    def _definitions(self, ids: list[str], caption: str) -> None:
        """What each indicator means, and whether its wording is confirmed."""
        status = {
            "confirmed": "confirmed",
            "to_be_confirmed": "to be confirmed against the framework's technical notes",
            "cjlib_derived": "derived by cjlib for comparison",
            "local": "local",
        }
        inds = [self.ctx.indicator(i) for i in ids]
        show_table(
            pd.DataFrame(
                {
                    "Indicator": [i.title for i in inds],
                    "Definition": [i.definition for i in inds],
                    "Unit": [i.unit for i in inds],
                    "Wording": [status.get(i.wording_status, i.wording_status) for i in inds],
                }
            ),
            caption=f"{caption}: definitions",
            source=f"{self.ctx.framework.title} ({self.ctx.framework.version}), as held in cjlib",
        )

    def trends(self) -> None:
        """A trend chart for each comparable indicator of the outcome."""
        comparable = [i for i in self.indicators if i.type != "count" and i.geography == "council"]
        comparable += [
            i for i in self.indicators if i.type == "count" and self.ctx.target(i.id) is not None
        ]
        for ind in comparable:
            self._trend(ind)
        if not comparable:
            show_text("No comparable indicator is published below Scotland level for this outcome.")

    def _trend(self, ind) -> None:
        ctx = self.ctx
        series = ctx.series(ind.id)
        series = series[series["period"].map(is_financial_year)]
        mine = series[series["area_code"] == ctx.area.code]
        now = ctx.row(ind.id)
        finding = _finding(ctx, ind, now)
        if mine["value"].notna().sum() == 0:
            show_text(
                f"{ind.title}: every year's figure for {ctx.area.name} is suppressed or "
                "missing, so no chart is drawn."
            )
            return
        target = ctx.target(ind.id)
        fig = charts.trend_chart(
            series,
            area_code=ctx.area.code,
            family_code=ctx.family_code,
            title=ind.title,
            unit=ind.unit,
            target=None if target is None else target.value,
        )
        scotland = series[series["area_code"] == SCOTLAND_CODE]
        alt = (
            f"Line chart of {in_sentence(ind.title)} by year for {ctx.area.name}, Scotland and "
            f"{ctx.family_name}. {ctx.area.name} goes "
            f"{charts.describe_values(mine, ind.unit, ind.type)}; "
            f"Scotland goes {charts.describe_values(scotland, ind.unit, ind.type)}."
        )
        hidden = int(mine["suppressed"].sum())
        if hidden:
            alt += f" {hidden} of the area's years are suppressed and not drawn."
        if target is not None:
            alt += f" The local target of {_target_text(ind, target)} is drawn as a line."
        show_figure(
            fig,
            title=finding,
            alt=alt,
            source=self._source([ind.id]),
            data=download_table(series, self.titles),
            table=chart_table(series),
            caption=(
                "The shaded band is the area's 95% confidence interval. "
                "Suppressed ([c]) and missing ([x]) years are not drawn."
            ),
            **self._csv(f"trend_{ind.id.lower()}"),
        )

    def funnel(self) -> None:
        """A funnel plot of all 32 areas for the outcome's main comparable indicator."""
        ctx = self.ctx
        comparable = [
            i
            for i in self.indicators
            if i.type != "count" and i.geography == "council" and i.polarity != "none"
        ]
        if not comparable:
            comparable = [
                i for i in self.indicators if i.type != "count" and i.geography == "council"
            ]
        if not comparable:
            show_text(
                "A funnel plot needs a rate or share published for council areas; "
                "this outcome has none."
            )
            return
        ind = comparable[0]
        councils = ctx.councils(ind.id)
        scot = ctx.row(ind.id, SCOTLAND_CODE)
        if scot is None or pd.isna(scot["value"]) or councils["value"].notna().sum() < 3:
            show_text(
                "Not enough published values to draw a funnel plot of "
                f"{in_sentence(ind.title)} for {ctx.period}."
            )
            return
        den_label = (
            "Population aged 16 and over"
            if ind.type == "rate"
            else ctx.framework.measure(ind.denominator).title
        )
        fig = charts.funnel_chart(
            councils,
            area_code=ctx.area.code,
            target=scot["value"],
            kind=ind.type,
            multiplier=ind.multiplier,
            unit=ind.unit,
            denominator_label=den_label,
        )
        mine = ctx.row(ind.id)
        if mine is None or pd.isna(mine["value"]):
            position = "not shown because its value is suppressed or missing"
        else:
            position = charts.funnel_position(
                mine["value"], mine["denominator"], scot["value"], ind.type, ind.multiplier
            )
        shown = int(councils["value"].notna().sum())
        title = (
            f"{ctx.area.name} is {position} around Scotland's {in_sentence(ind.title)}, "
            f"{ctx.period}"
        )
        alt = (
            f"Funnel plot of {in_sentence(ind.title)} against {in_sentence(den_label)} "
            f"for {shown} council areas in {ctx.period}, with Scotland's value of "
            f"{format_value(scot['value'], ind.type, ind.unit)} as a horizontal line and "
            f"95% and 99.8% control limits. {ctx.area.name} is {position}."
        )
        show_figure(
            fig,
            title=title,
            alt=alt,
            source=self._source([ind.id]),
            data=download_table(councils.sort_values("area_code"), self.titles),
            table=chart_table(councils),
            caption=(
                "A point outside the 95% limits is significantly different from Scotland, "
                "as in the tables on this page; outside the 99.8% limits the evidence is "
                "very strong. Suppressed areas are not drawn."
            ),
            **self._csv(f"funnel_{ind.id.lower()}"),
        )

    def comparison_table(self) -> None:
        """The comparison table: each used indicator against Scotland, family group, baseline."""
        ctx = self.ctx
        if not self.indicators:
            show_text("The partnership uses none of this outcome's indicators.")
            return
        rows = pd.concat([ctx.rows(i.id) for i in self.indicators])
        rows = rows[(rows["area_code"] == ctx.area.code) & (rows["period"] == ctx.period)]
        table = pd.DataFrame(
            {
                "Indicator": rows["indicator_id"].map(self.titles),
                "Value": value_texts(rows),
                "Against Scotland": rows["compare_scotland"].fillna("[c]"),
                f"Against {ctx.family_name}": rows["compare_family"].fillna("[c]"),
                f"Since {ctx.baseline}": rows["change_label"].fillna("[c]"),
                "Trend": rows["trend"].fillna("[c]"),
                "Rank (1 = best)": [
                    "not ranked" if pd.isna(r) else f"{int(r)} of {int(n)}"
                    for r, n in zip(rows["rank"], rows["rank_of"], strict=True)
                ],
                "Local target": [
                    _target_text(ctx.indicator(i), ctx.target(i)) for i in rows["indicator_id"]
                ],
            }
        )
        show_table(
            table,
            caption=f"How {ctx.area.name} compares, {ctx.period}",
            source=self._source([i.id for i in self.indicators]),
        )

    def assessment(self) -> None:
        """The outcome assessment: status, how near, suggested and decided priority."""
        v = self.verdict
        if v is None:
            show_text("No assessment could be made.")
            return
        table = pd.DataFrame(
            {
                "Status": [v["status"]],
                "How near": [v["how_near"]],
                "Suggested priority": [v["suggested_priority"]],
                "Why": [v["priority_reasons"]],
                "Partnership's decision": [v["decided_priority"] or "not recorded"],
                "Partnership's reason": [v["decision_reason"] or ""],
            }
        )
        show_table(
            table,
            caption=(
                f"Assessment of outcome {self.outcome.number}, "
                f"{self.ctx.area.name}, {self.ctx.period}"
            ),
            source="cjlib assessment rules (see 'How this assessment was made')",
        )
        verdicts = self.ctx.verdicts[
            (self.ctx.verdicts["outcome"] == self.outcome.id) & self.ctx.verdicts["used"]
        ]
        detail = pd.DataFrame(
            {
                "Indicator": verdicts["indicator_id"].map(self.titles),
                "Grade": verdicts["grade"],
                "Why": verdicts["grade_reason"],
                "Headline measure": [
                    "yes" if m == v["headline"] else "" for m in verdicts["measure"]
                ],
                "Against the local target": verdicts["gap_text"].fillna(""),
            }
        )
        show_table(
            detail,
            caption="Indicators behind the assessment, with their grades",
            source="cjlib assessment rules (see 'How this assessment was made')",
        )

    def not_used(self) -> None:
        """Indicators the partnership does not use, with its reasons."""
        rows = self.ctx.verdicts[
            (self.ctx.verdicts["outcome"] == self.outcome.id) & ~self.ctx.verdicts["used"]
        ]
        if rows.empty:
            show_text("The partnership uses every indicator for this outcome.")
            return
        show_table(
            pd.DataFrame(
                {
                    "Indicator": rows["indicator_id"].map(self.titles),
                    "Reason": rows["reason_not_used"],
                }
            ),
            caption="Indicators not used, with the partnership's reasons",
            source=f"{self.ctx.area.name} partnership parameters",
        )

    def narrative(self) -> None:
        """The draft narrative paragraph, and the partnership's own context."""
        if self.verdict is None:
            return
        text = [self.verdict["narrative"]]
        if self.ctx.params.context:
            text.append(f"Local context: {self.ctx.params.context}")
        show_text(text)


def _target_text(ind, target) -> str:
    """A local target as it reads in a table: value, period and note."""
    if target is None:
        return ""
    text = format_value(target.value, ind.type, ind.unit)
    if target.period:
        text += f" in {target.period}"
    return f"{text} ({target.note})" if target.note else text


def _finding(ctx: AreaContext, ind, row) -> str:
    """A chart title that states the finding."""
    subject = in_sentence(ind.title)
    if row is None or pd.isna(row["value"]):
        return f"{ctx.area.name}: {subject} is suppressed or not available for {ctx.period}"
    comp = row.get("compare_scotland", "not compared")
    value = format_value(row["value"], ind.type, ind.unit)
    phrase = {
        "better": "significantly better than Scotland",
        "worse": "significantly worse than Scotland",
        "higher": "significantly higher than Scotland",
        "lower": "significantly lower than Scotland",
        "not significantly different": "not significantly different from Scotland",
    }.get(comp, "not compared with Scotland")
    return f"{ctx.area.name}: {subject} was {value} in {ctx.period}, {phrase}"


def area_label(code: str) -> str:
    """The reader's name of an area (re-exported for notebooks)."""
    return area_name(code)
