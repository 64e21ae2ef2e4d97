"""The sections of an outcome notebook (01 to 09), shared by all nine."""

from __future__ import annotations

import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.assess.narrative import priority_phrase
from cjlib.formatting import in_sentence
from cjlib.gaps import decision_gap
from cjlib.measures import DEMO_NOTE
from cjlib.report import outcome_charts
from cjlib.report.context import AreaContext
from cjlib.report.display import show_table, show_text, show_title
from cjlib.report.tables import download_table, target_text, value_texts, wide_indicator_table


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

    def source_of(self, ind_ids: list[str]) -> str:
        """The source line of these indicators (with the demonstration note when synthetic)."""
        parts = [p.strip() for i in ind_ids for p in self.ctx.indicator(i).source.split(";")]
        text = "; ".join(dict.fromkeys(parts))
        return text + (DEMO_NOTE if self.ctx.synthetic else "")

    def csv_args(self, name: str) -> dict:
        """The keywords that write a download of this page as ``<outcome>_<name>.csv``."""
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
            lead = str(v["narrative"]).split("\n\n", 1)[0]
            summary = (
                f"{lead} The evidence suggests it is {priority_phrase(v['suggested_priority'])}"
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
                target_text(ctx.indicator(i), targets.get(i)) for i in table.pop("_id")
            ]
        else:
            table = table.drop(columns="_id")
        show_table(
            table,
            caption=f"{caption}, {ctx.area.name} and Scotland, {ctx.period}",
            source=self.source_of(ids),
            download=download_table(rows, self.titles),
            **self.csv_args(name),
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
                    "Change tested": [
                        "yes" if self.ctx.framework.primary_form(i.measure_id).id == i.id else "no"
                        for i in inds
                    ],
                    "Compared with Scotland": [
                        "judges success"
                        if i.evidence_kind == "success" and i.polarity != "none"
                        else "context only"
                        for i in inds
                    ],
                    "Why": [i.judgement_note for i in inds],
                }
            ),
            caption=f"{caption}: definitions",
            source=f"{self.ctx.framework.title} ({self.ctx.framework.version}), as held in cjlib",
        )

    def trends(self) -> None:
        """A trend chart for each comparable indicator of the outcome."""
        outcome_charts.show_trends(self)

    def funnel(self) -> None:
        """A funnel plot of all 32 areas for the outcome's main comparable indicator."""
        outcome_charts.show_funnel(self)

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
                    target_text(ctx.indicator(i), ctx.target(i)) for i in rows["indicator_id"]
                ],
            }
        )
        show_table(
            table,
            caption=f"How {ctx.area.name} compares, {ctx.period}",
            source=self.source_of([i.id for i in self.indicators]),
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
                "Partnership's decision": [v["decided_priority"] or decision_gap(v["outcome"])],
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
                "Change since the baseline": verdicts["change"].where(
                    verdicts["primary"], "not tested (one test per measure)"
                ),
                "Why": verdicts["change_reason"],
                "Compared with Scotland and the family group": [
                    (text or "not compared")
                    + ("" if role == "judged" or not text else " (context)")
                    for text, role in zip(
                        verdicts["comparison_text"], verdicts["comparison_role"], strict=True
                    )
                ],
                "Headline measure": [
                    "yes" if m == v["headline"] else "" for m in verdicts["measure"]
                ],
                "Against the local target": verdicts["gap_text"].fillna(""),
            }
        )
        show_table(
            detail,
            caption="Indicators behind the assessment: change and comparison",
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
        text = str(self.verdict["narrative"])
        if self.ctx.params.context:
            text += f"\n\nLocal context: {self.ctx.params.context}"
        show_text(text)
