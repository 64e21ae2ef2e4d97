"""Tables of published indicator rows, formatted for people, with the geography on every row."""

from __future__ import annotations

import pandas as pd

from cjlib.areas import area_name
from cjlib.formatting import format_interval, format_number, format_value

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


def display_table(
    rows: pd.DataFrame, titles: dict[str, str], *, with_area: bool = True
) -> pd.DataFrame:
    """Return published rows formatted for reading: text cells, markers for missing values."""
    out = pd.DataFrame()
    if with_area:
        out["Area"] = rows["area_code"].map(area_name).to_numpy()
    out["Indicator"] = rows["indicator_id"].map(titles).to_numpy()
    out["Year"] = rows["period"].to_numpy()
    out["Count"] = [
        format_number(n, 0, m if pd.isna(n) else "")
        for n, m in zip(rows["numerator"], rows["marker"], strict=True)
    ]
    out["Value"] = [
        format_value(v, t, u, m)
        for v, t, u, m in zip(
            rows["value"], rows["indicator_type"], rows["unit"], rows["marker"], strict=True
        )
    ]
    out["Unit"] = rows["unit"].to_numpy()
    out["95% interval"] = [
        format_interval(lo, hi, t, u)
        for lo, hi, t, u in zip(
            rows["lower_ci"], rows["upper_ci"], rows["indicator_type"], rows["unit"], strict=True
        )
    ]
    out["Compared with Scotland"] = (
        rows["compare_scotland"].fillna("").replace("not compared", "").to_numpy()
    )
    return out
