"""Progress in the reporting year: each indicator against the previous year and the baseline."""

from __future__ import annotations

import pandas as pd

from cjlib.documents.blocks import Paragraph, Table
from cjlib.documents.evidence import OutcomeEvidence, text_of
from cjlib.formatting import decimals_for, format_number, format_value
from cjlib.periods import financial_year, period_start_year


def _value(row: pd.Series | None, kind: str, unit: str) -> str:
    if row is None:
        return "[x]"
    return format_value(row["value"], kind, unit, text_of(row.get("marker")) or "[x]")


def _difference(now: pd.Series | None, before: pd.Series | None, kind: str, unit: str) -> str:
    """The change between two published values, in the indicator's unit (not tested)."""
    if now is None or before is None or pd.isna(now["value"]) or pd.isna(before["value"]):
        return "not available"
    delta = float(now["value"]) - float(before["value"])
    decimals = decimals_for(unit, kind)
    if round(delta, decimals) == 0:
        return "no change"
    size = format_number(abs(delta), decimals)
    suffix = " percentage points" if kind == "proportion" else ""
    return f"{'up' if delta > 0 else 'down'} {size}{suffix}"


def progress_table(e: OutcomeEvidence) -> Table | Paragraph:
    """One row per indicator used: baseline, previous year, this year and the changes."""
    ctx = e.ctx
    ids = [i for i in e.used_ids() if ctx.indicator(i).geography == "council"]
    if not ids:
        return Paragraph("No indicator published for council areas was used for this outcome.")
    previous = financial_year(period_start_year(ctx.period) - 1)
    records = []
    for ind_id in ids:
        ind = ctx.indicator(ind_id)
        now = ctx.row(ind_id)
        before = ctx.row(ind_id, period=previous)
        base = ctx.row(ind_id, period=ctx.baseline)
        change = text_of(now.get("change_label")) if now is not None else ""
        records.append(
            {
                "Indicator": ind.title,
                f"Baseline {ctx.baseline}": _value(base, ind.type, ind.unit),
                f"Previous year {previous}": _value(before, ind.type, ind.unit),
                f"This year {ctx.period}": _value(now, ind.type, ind.unit),
                f"Change since {previous}": _difference(now, before, ind.type, ind.unit),
                f"Change since {ctx.baseline}": change or "not available",
            }
        )
    caption = f"Progress in {ctx.period}, {e.label}, {ctx.area.name}"
    source = e.source(ids) + (
        f". Change since {previous} is the difference, not tested for significance; change "
        f"since {ctx.baseline} is the assessment's test (see How this assessment was made)."
    )
    return Table(caption, pd.DataFrame(records), source)
