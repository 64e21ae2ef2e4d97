"""Ranked charts: every council area's value with its 95% interval and Scotland's line.

Drawn as small hand-written SVG rather than with matplotlib or seaborn: the
intervals are the project's own exact intervals (Byar, Wilson), which
seaborn's plotting functions would re-estimate from raw observations, and a
32-row dot chart needs no layout engine; the SVG is about a tenth of the size
and costs milliseconds.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import pandas as pd

from cjlib.formatting import decimals_for, format_number, format_value
from cjlib.htmlutil import escape
from cjlib.national.compare import name_of, published, significance
from cjlib.national.spine import _marker_svg

#: Chart geometry (SVG user units).
WIDTH, ROW, TOP, BOTTOM, LEFT, RIGHT = 640, 16, 34, 44, 190, 24


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick values covering ``low`` to ``high`` (steps of 1, 2 or 5 x 10^k)."""
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def ranked_rows(rows: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """The council rows with a published value, best first."""
    councils = published(rows[rows["geography"] == "council"]).copy()
    ascending = polarity == "lower_is_better"
    councils["area_name"] = councils["area_code"].map(name_of)
    return councils.sort_values(["value", "area_name"], ascending=[ascending, True])


def ranked_svg(ranked: pd.DataFrame, scotland: float, *, unit: str, kind: str) -> str:
    """Return the SVG of a ranked chart (rows best first, as :func:`ranked_rows` gives)."""
    n = len(ranked)
    height = TOP + n * ROW + BOTTOM
    lows = ranked["lower_ci"].fillna(ranked["value"]).to_numpy(float)
    highs = ranked["upper_ci"].fillna(ranked["value"]).to_numpy(float)
    low = min(float(np.nanmin(lows)), scotland)
    high = max(float(np.nanmax(highs)), scotland)
    ticks = nice_ticks(low, high)
    lo, hi = ticks[0], ticks[-1]
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return LEFT + (v - lo) / span * (WIDTH - LEFT - RIGHT)

    d = decimals_for(unit, kind)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-family="sans-serif" font-size="11" fill="#1a1a1a">',
        '<rect width="100%" height="100%" fill="#fff"/>',
    ]
    axis_y = TOP + n * ROW + 4
    for t in ticks:
        parts.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{TOP - 4}" y2="{axis_y}" '
            'stroke="#d9d9d9" stroke-width="0.6"/>'
            f'<text x="{x(t):.1f}" y="{axis_y + 14}" text-anchor="middle">'
            f"{escape(format_number(t, d if abs(t - round(t)) > 1e-9 else 0))}</text>"
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{axis_y + 32}" text-anchor="middle">'
        f"{escape(unit)}</text>"
    )
    for i, row in enumerate(ranked.to_dict("records")):
        y = TOP + i * ROW + ROW / 2
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(row['area_name'])}</text>"
        )
        if pd.notna(row["lower_ci"]) and pd.notna(row["upper_ci"]):
            parts.append(
                f'<line x1="{x(row["lower_ci"]):.1f}" x2="{x(row["upper_ci"]):.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}" stroke="#1a1a1a" stroke-width="1.2"/>'
            )
        slug = significance(row.get("compare_scotland")).slug
        parts.append(_marker_svg(slug, x(row["value"]), y, size=5))
    sx = x(scotland)
    parts.append(
        f'<line x1="{sx:.1f}" x2="{sx:.1f}" y1="{TOP - 6}" y2="{axis_y}" stroke="#2b9c93" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{sx:.1f}" y="{TOP - 12}" text-anchor="middle" font-weight="bold">'
        f"Scotland {escape(format_value(scotland, kind, unit))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def ranked_img(svg: str, alt: str) -> str:
    """Return the chart as a self-contained ``<img>`` with its alt text."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="cj-ranked" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def ranked_alt(ranked: pd.DataFrame, scotland: float, *, title: str, unit: str, kind: str,
               period: str, hidden: int) -> str:  # fmt: skip
    """Say what a ranked chart shows: its order, Scotland, the extremes and the counts."""
    counts = ranked["compare_scotland"].map(lambda v: significance(v).slug).value_counts()
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    text = (
        f"Ranked chart of {title} ({unit}), {period}: {len(ranked)} council areas from best "
        f"to worst, each with its 95% confidence interval, and a dashed line at Scotland's "
        f"value of {format_value(scotland, kind, unit)}. Best: {best['area_name']} "
        f"({format_value(best['value'], kind, unit)}); worst: {worst['area_name']} "
        f"({format_value(worst['value'], kind, unit)}). {int(counts.get('better', 0))} areas "
        f"are significantly better than Scotland, {int(counts.get('worse', 0))} significantly "
        f"worse and {int(counts.get('similar', 0))} not significantly different."
    )
    if hidden:
        text += f" {hidden} areas are not shown because their figures are suppressed [c]."
    return text
