"""The needs assessment ("Know your population") sections, from the real open data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE, area_name
from cjlib.formatting import format_number, possessive
from cjlib.periods import is_financial_year, period_sort_key
from cjlib.report import charts
from cjlib.report.context import AreaContext
from cjlib.report.display import show_figure, show_table, show_text, show_title
from cjlib.report.tables import download_table

SIMD_SOURCE = "Scottish Government, Scottish Index of Multiple Deprivation 2020v2"
CRIME_SOURCE = (
    "Scottish Government, Recorded Crime in Scotland 2024-25 bulletin tables (2015-16 to "
    "2024-25) and statistics.gov.scot recorded-crime (earlier years); SIMD 2020v2 population"
)
DRUGS_SOURCE = "National Records of Scotland, Drug-related deaths in Scotland in 2024"
CRIME_GROUPS = [
    ("crimes_group1", "Group 1: non-sexual crimes of violence"),
    ("crimes_group2", "Group 2: sexual crimes"),
    ("crimes_group3", "Group 3: crimes of dishonesty"),
    ("crimes_group4", "Group 4: damage and reckless behaviour"),
    ("crimes_group5", "Group 5: crimes against society"),
]


def _against(row: pd.Series) -> str:
    """How a rate compares with Scotland's, in words (higher is worse for these)."""
    return {"worse": "significantly higher than", "better": "significantly lower than"}.get(
        row["compare_scotland"], "not significantly different from"
    )


class NeedsPage:
    """The needs assessment for one area: population, deprivation, crime, drug deaths."""

    def __init__(self, ctx: AreaContext) -> None:
        self.ctx = ctx
        self.m = ctx.measures
        self.codes = [ctx.area.code, SCOTLAND_CODE]

    def _value(self, measure: str, code: str, period: str | None = None) -> float:
        rows = self.m[(self.m["measure_id"] == measure) & (self.m["area_code"] == code)]
        if period is not None:
            rows = rows[rows["period"] == period]
        return (
            float(rows["value"].iloc[-1])
            if len(rows) and rows["value"].notna().iloc[-1]
            else np.nan
        )

    def _csv(self, name: str) -> dict:
        return {"csv_name": f"needs_{name}.csv", "output_dir": self.ctx.output_dir}

    def title(self) -> None:
        """Title and the one-paragraph summary."""
        show_title(
            "Know your population: strategic needs and strengths assessment",
            " ".join(self.findings()[:2]),
            synthetic=False,
            subtitle=f"{self.ctx.area.name}, real published data (latest available years)",
        )

    def findings(self) -> list[str]:
        """Plain-English findings generated from the figures."""
        ctx, out = self.ctx, []
        simd, share, scot = self._latest("CX_most_deprived_share")
        if share is not None:
            out.append(
                f"{format_number(share['value'], 1)}% of people in {ctx.area.name} live in "
                "Scotland's 20% most deprived data zones "
                f"(Scotland: {format_number(scot['value'], 1)}%)."
            )
        year, crime, scot = self._latest("CX_crimes_rate")
        if crime is not None:
            out.append(
                f"In {year} there were {format_number(crime['value'], 1)} recorded crimes "
                f"per 10,000 people, {_against(crime)} Scotland "
                f"({format_number(scot['value'], 1)})."
            )
        year, deaths, _ = self._latest("CX_drug_deaths_rate")
        if deaths is not None:
            out.append(
                f"{format_number(deaths['numerator'])} drug misuse deaths were registered "
                f"in {year}, a crude rate of {format_number(deaths['value'], 2)} "
                f"per 10,000 people, {_against(deaths)} Scotland's."
            )
        return out

    def _latest(self, measure: str) -> tuple[str | None, pd.Series | None, pd.Series | None]:
        """The latest period of ``measure``, the area's row (None when unpublished), Scotland's."""
        period = self.ctx.latest_period(measure)
        mine = self.ctx.row(measure, period=period)
        if mine is not None and pd.isna(mine["value"]):
            mine = None
        return period, mine, self.ctx.row(measure, SCOTLAND_CODE, period)

    def deprivation(self) -> None:
        """Share of people in each SIMD decile, against Scotland."""
        ctx = self.ctx
        rows = []
        for decile in range(1, 11):
            for code in self.codes:
                pop = self._value(f"simd_pop_decile_{decile}", code)
                total = self._value("simd_population", code)
                rows.append(
                    {
                        "area_code": code,
                        "area_name": area_name(code),
                        "period": "2020",
                        "simd_decile": decile,
                        "people": pop,
                        "share_percent": round(100 * pop / total, 2),
                    }
                )
        data = pd.DataFrame(rows)
        mine = data[data["area_code"] == ctx.area.code]["share_percent"].tolist()
        scot = data[data["area_code"] == SCOTLAND_CODE]["share_percent"].tolist()
        labels = [
            f"Decile {d}"
            + (" (most deprived)" if d == 1 else " (least deprived)" if d == 10 else "")
            for d in range(1, 11)
        ]
        fig = charts.bar_comparison(
            labels, mine, scot, area_label=ctx.area.name, unit="% of the population"
        )
        most = data[(data["area_code"] == ctx.area.code) & (data["simd_decile"] <= 2)][
            "share_percent"
        ].sum()
        show_figure(
            fig,
            title=(
                f"{format_number(most, 1)}% of {possessive(ctx.area.name)} people live in "
                "the 20% most deprived data zones"
            ),
            alt=(
                f"Bar chart of the share of {possessive(ctx.area.name)} population in each "
                "SIMD 2020v2 decile, from decile 1 (most deprived) to 10 (least deprived), "
                "beside Scotland's shares. "
                f"Deciles 1 and 2 hold {format_number(most, 1)}% of the area's people."
            ),
            source=SIMD_SOURCE,
            data=data,
            **self._csv("simd_deciles"),
        )

    def crime_trend(self) -> None:
        """Recorded crime rate since 2010-11, against Scotland and the family group."""
        ctx = self.ctx
        series = ctx.series("CX_crimes_rate")
        series = series[(series["period"] >= "2010-11") & (series["period"].map(is_financial_year))]
        fig = charts.trend_chart(
            series,
            area_code=ctx.area.code,
            family_code=ctx.family_code,
            title="Recorded crimes per 10,000 population",
            unit="crimes per 10,000 population",
        )
        mine = series[series["area_code"] == ctx.area.code]
        year = ctx.latest_period("CX_crimes_rate")
        latest = ctx.row("CX_crimes_rate", period=year)
        comp = latest["compare_scotland"] if latest is not None else "not compared"
        phrase = {"worse": "significantly above", "better": "significantly below"}.get(
            comp, "not significantly different from"
        )
        show_figure(
            fig,
            title=f"Recorded crime in {ctx.area.name}: {phrase} Scotland's rate in {year}",
            alt=(
                f"Line chart of recorded crimes per 10,000 population from 2010-11 to {year} for "
                f"{ctx.area.name}, Scotland and {ctx.family_name}. {ctx.area.name} goes "
                f"{charts.describe_values(mine, 'per 10,000', 'rate')}."
            ),
            source=CRIME_SOURCE,
            data=download_table(
                series, {"CX_crimes_rate": "Recorded crimes per 10,000 population"}
            ),
            caption=(
                "Rates use the SIMD 2020v2 population for every year, "
                "so they are approximate for earlier years."
            ),
            **self._csv("crime_trend"),
        )

    def crime_groups(self) -> None:
        """Rate per 10,000 by crime group, against Scotland and the family group, latest year."""
        ctx = self.ctx
        period = ctx.latest_period("CX_crimes_rate")
        members = ctx.results.loc[
            ctx.results["family_group"] == ctx.family_code, "area_code"
        ].unique()
        rows = []
        for measure, label in CRIME_GROUPS:
            rec = {"Crime group": label, "Year": period}
            own = self._value(measure, ctx.area.code, period)
            for name, codes in (
                (ctx.area.name, [ctx.area.code]),
                ("Scotland", [SCOTLAND_CODE]),
                (ctx.family_name, list(members)),
            ):
                crimes = sum(self._value(measure, c, period) for c in codes)
                pop = sum(self._value("simd_population", c) for c in codes)
                rec[f"{name} (per 10,000)"] = format_number(10000 * crimes / pop, 1)
            # Recorded Crime in Scotland publishes these counts: shown as published
            rec[f"{ctx.area.name} (count)"] = format_number(own)
            rows.append(rec)
        show_table(
            pd.DataFrame(rows),
            caption=f"Recorded crime by group per 10,000 population, {period}",
            source=CRIME_SOURCE,
            **self._csv("crime_groups"),
        )

    def drug_deaths(self) -> None:
        """Drug misuse deaths: trend of counts, and NRS's age-standardised rates."""
        ctx = self.ctx
        rows = self.m[
            (self.m["measure_id"] == "drug_deaths") & self.m["area_code"].isin(self.codes)
        ].copy()
        data = rows.pivot(index="period", columns="area_code", values="value").reset_index()
        column = f"{ctx.area.name} deaths"
        data = data.rename(columns={ctx.area.code: column, SCOTLAND_CODE: "Scotland deaths"})
        # NRS publishes these counts by council area: shown exactly as published
        # (docs/disclosure-policy.md), so a figure is never [c] here and shown elsewhere
        shown = data[column]
        fig, ax = charts._figure()
        charts._style_axes(ax)
        years = data["period"].astype(int)
        ax.plot(years, shown, **charts.AREA_STYLE, label=ctx.area.name)
        ax.set_xlabel("Year of registration")
        ax.set_ylabel(f"Deaths in {ctx.area.name}")
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", frameon=False, fontsize=8)
        texts = [format_number(v, 0) for v in shown]
        first, last = data["period"].iloc[0], data["period"].iloc[-1]
        show_figure(
            fig,
            title=f"Drug misuse deaths in {ctx.area.name}: {texts[-1]} in {last}",
            alt=(
                f"Line chart of drug misuse deaths registered each year in {ctx.area.name}, from "
                f"{texts[0]} in {first} to {texts[-1]} in {last}."
            ),
            source=DRUGS_SOURCE + ", Table C1",
            data=data.assign(area_code=ctx.area.code),
            caption="National Records of Scotland publishes these counts by council area; "
            "they are shown exactly as published.",
            **self._csv("drug_deaths"),
        )
        asr = self.m[
            self.m["measure_id"].str.startswith("drug_deaths_asr")
            & self.m["area_code"].isin(self.codes)
        ]
        latest = max(asr["period"].unique(), key=period_sort_key) if len(asr) else None
        if latest:
            table = asr[asr["period"] == latest].pivot(
                index="area_code", columns="measure_id", values="value"
            )
            show_table(
                pd.DataFrame(
                    {
                        "Area": [area_name(c) for c in table.index],
                        "Period": latest,
                        "Age-standardised rate per 100,000": [
                            format_number(v, 1) for v in table["drug_deaths_asr"]
                        ],
                        "95% interval": [
                            f"{format_number(lo, 1)} to {format_number(hi, 1)}"
                            for lo, hi in zip(
                                table["drug_deaths_asr_lower"],
                                table["drug_deaths_asr_upper"],
                                strict=True,
                            )
                        ],
                    }
                ),
                caption=f"Drug misuse deaths, age-standardised rate, {latest}",
                source=DRUGS_SOURCE + ", Table C4",
                **self._csv("drug_deaths_asr"),
            )

    def funnel(self) -> None:
        """The area among the 32: recorded crime rate funnel plot."""
        ctx = self.ctx
        year = ctx.latest_period("CX_crimes_rate")
        councils = ctx.councils("CX_crimes_rate", year)
        scot = ctx.row("CX_crimes_rate", SCOTLAND_CODE, year)
        fig = charts.funnel_chart(
            councils,
            area_code=ctx.area.code,
            target=scot["value"],
            kind="rate",
            multiplier=10000,
            unit="crimes per 10,000 population",
            denominator_label="Population",
        )
        mine = ctx.row("CX_crimes_rate", period=year)
        position = charts.funnel_position(
            mine["value"], mine["denominator"], scot["value"], "rate", 10000
        )
        show_figure(
            fig,
            title=(
                f"{possessive(ctx.area.name)} recorded crime rate is {position} around "
                f"Scotland's, {year}"
            ),
            alt=(
                "Funnel plot of recorded crimes per 10,000 population against population "
                f"for the 32 council areas in {year}, with Scotland's rate of "
                f"{format_number(scot['value'], 1)} and 95% and 99.8% control limits. "
                f"{ctx.area.name} is {position}."
            ),
            source=CRIME_SOURCE,
            data=download_table(
                councils, {"CX_crimes_rate": "Recorded crimes per 10,000 population"}
            ),
            **self._csv("crime_funnel"),
        )

    def implications(self) -> None:
        """What this suggests for community justice planning, generated from the figures."""
        text = self.findings()
        text.append(
            "For community justice planning, areas with high deprivation, crime or drug "
            "death rates relative to Scotland should weigh these in deciding priorities "
            "for outcomes 4 to 8 "
            "(community sentences, health, housing, employability and throughcare)."
        )
        show_text(text)
