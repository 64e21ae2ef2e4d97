"""Run and control charts for improvement measures, with PDSA cycles on the time axis."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cjlib.improve.data import MeasureChart
from cjlib.params import PdsaCycle
from cjlib.periods import period_label, period_months
from cjlib.report.charts import PALETTE, _figure, _style_axes

_PATTERN_RULES = ("shift", "trend", "runs")
_SHORT_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _tick_label(period: str) -> str:
    first = (period_months(period) or (0, 0))[0]
    return f"{_SHORT_MONTHS[first % 12]} {first // 12}"


def cycle_position(cycle: PdsaCycle, periods: Sequence[str]) -> float | None:
    """Return where a PDSA cycle's start falls on the chart's x axis (None: off the chart)."""
    month = cycle.start.year * 12 + cycle.start.month - 1
    firsts = [(period_months(p) or (0, 0))[0] for p in periods]
    lasts = [(period_months(p) or (0, 0))[1] for p in periods]
    for i, (lo, hi) in enumerate(zip(firsts, lasts, strict=True)):
        if lo <= month <= hi:
            within = (month - lo + (cycle.start.day - 1) / 31) / (hi - lo + 1)
            return i - 0.5 + within
    return None


def signal_points(chart: MeasureChart) -> np.ndarray:
    """Return a boolean mask of the points that belong to a signal (run or control chart)."""
    mask = np.zeros(len(chart.table), dtype=bool)
    signals = list(chart.run.signals) + list(chart.control.signals if chart.control else [])
    for s in signals:
        if s.rule == "runs":
            continue
        mask[s.start : s.end + 1] = True
    return mask & chart.table["value"].notna().to_numpy()


def improvement_chart(chart: MeasureChart, cycles: Sequence[PdsaCycle], *, unit: str):
    """Draw a measure's run chart (median) or control chart (centre line and 3-sigma limits).

    Points that make a signal are drawn as large orange diamonds (not colour alone);
    each phase's centre line is frozen; PDSA cycles are marked with labelled lines.
    """
    fig, ax = _figure(7.5, 4.0)
    _style_axes(ax)
    periods = chart.periods
    x = np.arange(len(periods))
    y = chart.table["value"].to_numpy(float)
    ax.plot(x, y, color=PALETTE[0], marker="o", markersize=4, linewidth=1.6, label="Value")
    special = signal_points(chart)
    if special.any():
        ax.scatter(
            x[special],
            y[special],
            s=60,
            marker="D",
            color=PALETTE[3],
            edgecolor="black",
            linewidth=0.6,
            zorder=4,
            label="Part of a signal",
        )
    control = chart.control
    starts = chart.run.phase_starts
    bounds = [*starts, len(periods)]
    for n, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        xs = np.array([lo - 0.4, hi - 0.6])
        first = n == 0
        if control is None:
            ax.plot(xs, [chart.run.medians[n]] * 2, color=PALETTE[1], linestyle="--",
                    linewidth=1.6, label="Median (frozen)" if first else None)  # fmt: skip
            continue
        ax.plot(xs, [control.centre[lo]] * 2, color=PALETTE[1], linestyle="--", linewidth=1.6,
                label="Centre line" if first else None)  # fmt: skip
        steps = np.arange(lo, hi)
        for bound, label in ((control.upper, "Control limits (3 sigma)"), (control.lower, None)):
            ax.step(steps, bound[lo:hi], where="mid", color="#505a5f", linestyle=":",
                    linewidth=1.2, label=label if first else None)  # fmt: skip
    top = np.nanmax(y) if np.isfinite(y).any() else 1
    for n, cycle in enumerate(cycles):
        where = cycle_position(cycle, periods)
        if where is None:
            continue
        ax.axvline(where, color=PALETTE[2], linewidth=1.2, linestyle="-.")
        # labels of neighbouring cycles sit at two heights so that they never overlap
        ax.annotate(f"Cycle {cycle.cycle}", (where, top), xytext=(3, 4 + 10 * (n % 2)),
                    textcoords="offset points", color=PALETTE[2], fontsize=8)  # fmt: skip
    step = max(1, len(periods) // 8)
    ax.set_xticks(x[::step], [_tick_label(p) for p in periods[::step]], fontsize=8)
    ax.set_xlim(-0.8, len(periods) - 0.2)
    ax.set_xlabel("Month" if len(periods[0]) == 7 and "Q" not in periods[0] else "Quarter")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0, top=top * 1.2)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, frameon=False, ncols=4)
    return fig


def chart_data(chart: MeasureChart) -> pd.DataFrame:
    """The data behind an improvement chart, one row per period, with column names."""
    table = chart.table
    out = pd.DataFrame(
        {
            "period": table["period"],
            "month": [period_label(p) for p in table["period"]],
            "numerator": table["numerator"],
            "denominator": table["denominator"],
            "value": table["value"],
            "centre_line": chart.control.centre if chart.control else chart.run.centre,
        }
    )
    if chart.control is not None:
        out["lower_limit"] = chart.control.lower
        out["upper_limit"] = chart.control.upper
    out["phase"] = chart.run.phase + 1
    out["in_signal"] = np.where(signal_points(chart), "yes", "")
    out["marker"] = table["marker"]
    if chart.measure.denominator is None:
        out = out.drop(columns="denominator")
    return out
