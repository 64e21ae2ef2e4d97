"""The charts of an outcome page: a trend for each comparable indicator, a funnel of the 32."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.formatting import format_value, in_sentence
from cjlib.periods import is_financial_year
from cjlib.report import charts
from cjlib.report.display import show_figure, show_text
from cjlib.report.tables import chart_table, download_table, target_text

if TYPE_CHECKING:
    from cjlib.framework import Indicator
    from cjlib.report.context import AreaContext
    from cjlib.report.outcome import OutcomePage


def show_trends(page: OutcomePage) -> None:
    """Show a trend chart for each comparable indicator of the page's outcome."""
    comparable = [i for i in page.indicators if i.type != "count" and i.geography == "council"]
    comparable += [
        i for i in page.indicators if i.type == "count" and page.ctx.target(i.id) is not None
    ]
    for ind in comparable:
        _show_trend(page, ind)
    if not comparable:
        show_text("No comparable indicator is published below Scotland level for this outcome.")


def _show_trend(page: OutcomePage, ind: Indicator) -> None:
    ctx = page.ctx
    series = ctx.series(ind.id)
    series = series[series["period"].map(is_financial_year)]
    mine = series[series["area_code"] == ctx.area.code]
    title = finding(ctx, ind, ctx.row(ind.id))
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
        alt += f" The local target of {target_text(ind, target)} is drawn as a line."
    show_figure(
        fig,
        title=title,
        alt=alt,
        source=page.source_of([ind.id]),
        data=download_table(series, page.titles),
        table=chart_table(series),
        caption=(
            "The shaded band is the area's 95% confidence interval. "
            "Suppressed ([c]) and missing ([x]) years are not drawn."
        ),
        **page.csv_args(f"trend_{ind.id.lower()}"),
    )


def show_funnel(page: OutcomePage) -> None:
    """Show a funnel plot of all 32 areas for the outcome's main comparable indicator."""
    ctx = page.ctx
    comparable = [
        i
        for i in page.indicators
        if i.type != "count" and i.geography == "council" and i.polarity != "none"
    ]
    if not comparable:
        comparable = [i for i in page.indicators if i.type != "count" and i.geography == "council"]
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
        f"{ctx.area.name} is {position} around Scotland's {in_sentence(ind.title)}, {ctx.period}"
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
        source=page.source_of([ind.id]),
        data=download_table(councils.sort_values("area_code"), page.titles),
        table=chart_table(councils),
        caption=(
            "A point outside the 95% limits is significantly different from Scotland, "
            "as in the tables on this page; outside the 99.8% limits the evidence is "
            "very strong. Suppressed areas are not drawn."
        ),
        **page.csv_args(f"funnel_{ind.id.lower()}"),
    )


def finding(ctx: AreaContext, ind: Indicator, row: pd.Series | None) -> str:
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
