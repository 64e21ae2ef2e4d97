"""Tables of published indicator rows, formatted for people, with the geography on every row."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from cjlib.areas import area_name
from cjlib.formatting import format_interval, format_number, format_value
from cjlib.periods import by_period

if TYPE_CHECKING:
    from cjlib.framework import Indicator
    from cjlib.params import Target

#: Columns of every data download built from indicator rows.
DOWNLOAD_COLUMNS = [
    "area_code", "area_name", "period", "indicator_id", "indicator", "unit", "numerator",
    "denominator", "value", "lower_ci", "upper_ci", "confidence", "compare_scotland",
    "compare_family", "change_label", "trend", "suppressed", "marker",
]  # fmt: skip


def download_table(rows: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """Return published rows as a download: explicit columns, geography and period on each row."""
    out = rows.copy()
    out["area_name"] = out["area_code"].map(area_name)
    out["indicator"] = out["indicator_id"].map(titles)
    out["value"] = out["value"].round(4)
    out["lower_ci"] = out["lower_ci"].round(4)
    out["upper_ci"] = out["upper_ci"].round(4)
    return out[[c for c in DOWNLOAD_COLUMNS if c in out]].reset_index(drop=True)


def value_texts(rows: pd.DataFrame) -> list[str]:
    """Each row's value formatted for its type and unit, or its marker."""
    columns = [rows[c] for c in ("value", "indicator_type", "unit", "marker")]
    return [format_value(v, t, u, m) for v, t, u, m in zip(*columns, strict=True)]


def interval_texts(rows: pd.DataFrame) -> list[str]:
    """Each row's 95% interval as "12.3 to 15.6", or "" when missing."""
    columns = [rows[c] for c in ("lower_ci", "upper_ci", "indicator_type", "unit")]
    return [format_interval(lo, hi, t, u) for lo, hi, t, u in zip(*columns, strict=True)]


def chart_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The short table shown under a chart: area, year, value and interval, as text."""
    ordered = rows.sort_values(["area_code", "period"], key=by_period)
    return pd.DataFrame(
        {
            "Area": ordered["area_code"].map(area_name).to_numpy(),
            "Year": ordered["period"].to_numpy(),
            "Value": value_texts(ordered),
            "95% interval": interval_texts(ordered),
        }
    )


def wide_indicator_table(
    rows: pd.DataFrame, order: list[str], titles: dict[str, str], area_code: str, scotland_code: str
) -> pd.DataFrame:
    """One row per indicator: the area's count, value and interval beside Scotland's value."""
    name = area_name(area_code)
    records = []
    by_key = {(r["indicator_id"], r["area_code"]): r for r in rows.to_dict("records")}
    for indicator in order:
        mine = by_key.get((indicator, area_code))
        scot = by_key.get((indicator, scotland_code))
        if mine is None and scot is None:
            continue
        any_row = mine or scot
        kind, unit = any_row["indicator_type"], any_row["unit"]
        record = {"_id": indicator, "Indicator": titles[indicator], "Unit": unit}
        if mine is not None:
            record[f"{name}: count"] = format_number(
                mine["numerator"], 0, mine["marker"] if pd.isna(mine["numerator"]) else ""
            )
            record[f"{name}: value"] = format_value(mine["value"], kind, unit, mine["marker"])
            record[f"{name}: 95% interval"] = format_interval(
                mine["lower_ci"], mine["upper_ci"], kind, unit
            )
        record["Scotland: value"] = (
            format_value(scot["value"], kind, unit, scot["marker"]) if scot is not None else "[x]"
        )
        comparison = (mine or {}).get("compare_scotland")
        if kind == "count":
            comparison = "counts are not compared"
        record["Compared with Scotland"] = comparison if isinstance(comparison, str) else ""
        records.append(record)
    return pd.DataFrame(records, columns=None if records else ["_id", "Indicator", "Unit"])


def target_text(ind: Indicator, target: Target | None) -> str:
    """A local target as it reads in a table: value, period and note."""
    if target is None:
        return ""
    text = format_value(target.value, ind.type, ind.unit)
    if target.period:
        text += f" in {target.period}"
    return f"{text} ({target.note})" if target.note else text
