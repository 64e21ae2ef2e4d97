"""Charts for the packs: accessible palette, markers and labels as well as colour."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE, area_name
from cjlib.formatting import decimals_for, format_number
from cjlib.periods import by_period, sort_periods
from cjlib.stats import funnel_limits, funnel_table

#: Scottish Government design system palette, in order.
PALETTE = ["#002d54", "#2b9c93", "#6a2063", "#e5682a", "#0b4c0b", "#5d9f3c", "#592c20", "#ca72a2"]
AREA_STYLE = {
    "color": PALETTE[0],
    "marker": "o",
    "linestyle": "-",
    "linewidth": 2.8,
    "markersize": 7,
}
SCOTLAND_STYLE = {
    "color": PALETTE[1],
    "marker": "s",
    "linestyle": "--",
    "linewidth": 1.6,
    "markersize": 5,
}
FAMILY_STYLE = {
    "color": PALETTE[2],
    "marker": "^",
    "linestyle": ":",
    "linewidth": 1.6,
    "markersize": 5,
}
_RC = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
}


def _figure(width: float = 7.5, height: float = 3.8):
    """Return a figure and its axes, styled for the packs.

    No layout engine: the SVG is cropped to what was drawn when it is saved
    (:func:`cjlib.report.figures.figure_svg`), which is as tidy as a constrained layout
    and a third cheaper, since the labels are measured once rather than twice.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height))
        fig.subplots_adjust(left=0.1, right=0.97, top=0.96, bottom=0.2)
        ax = fig.add_subplot()
    return fig, ax


def _style_axes(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)


def _log_axis(ax, grid: pd.Series) -> None:
    """Give the x axis a log scale labelled in plain numbers (1,000 not 10^3)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_xscale("log")
    ax.set_xlim(float(grid.min()), float(grid.max()))
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: format_number(x, 0)))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _label_line_ends(ax, ends: list[tuple[float, str, str]], x: float, gap: float = 10) -> None:
    """Label lines right of the last period, at their last values, at least ``gap`` pt apart.

    Every label starts right of the last period (where no line is drawn), and labels
    whose values are close are pushed apart vertically so they never overlap.
    """
    if not ends:
        return
    low, high = ax.get_ylim()
    fig = ax.get_figure()
    height = ax.get_position().height * fig.get_size_inches()[1] * 72
    per_unit = height / (high - low) if high > low else 1.0
    ends = sorted(ends)
    wanted = [(value - low) * per_unit for value, _, _ in ends]
    placed = list(wanted)
    for i in range(1, len(placed)):  # push each label up clear of the one below
        placed[i] = max(placed[i], placed[i - 1] + gap)
    shift = max(0.0, (placed[-1] - wanted[-1]) / 2) if len(placed) > 1 else 0.0
    placed = [p - shift for p in placed]  # centre the group on the values
    for i in range(len(placed) - 2, -1, -1):  # and keep it ordered after the shift
        placed[i] = min(placed[i], placed[i + 1] - gap)
    for (value, label, color), want, at in zip(ends, wanted, placed, strict=True):
        ax.annotate(
            label,
            (x, value),
            xytext=(8, at - want),
            textcoords="offset points",
            color=color,
            fontsize=8,
            va="center",
        )


def trend_chart(
    series: pd.DataFrame,
    *,
    area_code: str,
    family_code: str,
    title: str,
    unit: str,
    target: float | None = None,
):
    """Draw an indicator's trend for the area, Scotland and the family group.

    A local ``target``, when given, is drawn as a labelled horizontal line.

    Returns
    -------
    tuple
        The figure and the data behind it (area, period, value, interval, marker).
    """
    fig, ax = _figure()
    _style_axes(ax)
    periods = sort_periods(series["period"])
    x_of = {p: i for i, p in enumerate(periods)}
    ends: list[tuple[float, str, str]] = []  # each labelled line's last value, label, colour
    for code, style, label in (
        (family_code, FAMILY_STYLE, area_name(family_code) if family_code else ""),
        (SCOTLAND_CODE, SCOTLAND_STYLE, "Scotland"),
        (area_code, AREA_STYLE, area_name(area_code)),
    ):
        rows = series[(series["area_code"] == code)].sort_values("period", key=by_period)
        if rows.empty or rows["value"].isna().all():
            continue
        x = rows["period"].map(x_of).to_numpy()
        y = rows["value"].to_numpy(float)
        ax.plot(x, y, label=label, **style)
        if code == area_code:
            ax.fill_between(
                x,
                rows["lower_ci"],
                rows["upper_ci"],
                color=style["color"],
                alpha=0.12,
                linewidth=0,
                label="95% confidence interval",
            )
        last = np.where(~np.isnan(y))[0]
        if len(last) and code != family_code:
            ends.append((float(y[last[-1]]), label, style["color"]))
    if target is not None and not np.isnan(target):
        ax.axhline(target, color=PALETTE[3], linestyle="-.", linewidth=1.4, label="Local target")
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 8 else 0, fontsize=8)
    ax.set_xlim(-0.3, len(periods) - 0.3 + 1.6)
    ax.set_xlabel("Reporting year (April to March)")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0)
    _label_line_ends(ax, ends, x=len(periods) - 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, frameon=False, ncols=4)
    return fig


def funnel_chart(
    councils: pd.DataFrame,
    *,
    area_code: str,
    target: float,
    kind: str,
    multiplier: float,
    unit: str,
    denominator_label: str,
):
    """Draw a funnel plot of every council against Scotland's value.

    Control limits at 95% and 99.8% come from :func:`cjlib.stats.funnel_table`
    (exact Poisson for rates, exact binomial for shares).
    """
    fig, ax = _figure(7.5, 4.2)
    _style_axes(ax)
    shown = councils[councils["value"].notna() & councils["denominator"].notna()]
    if shown.empty:
        return fig
    kind = "proportion" if kind == "proportion" else "rate"
    limits = funnel_table(
        kind, target / multiplier, shown["denominator"], per=1, points=60, from_one=False
    )
    ax.axhline(
        target, color=SCOTLAND_STYLE["color"], linestyle="--", linewidth=1.4, label="Scotland"
    )
    for low, high, style, label in (
        ("lower_95", "upper_95", ":", "95% limits"),
        ("lower_998", "upper_998", "-", "99.8% limits"),
    ):
        for bound, legend in ((low, label), (high, None)):
            ax.plot(limits["denominator"], limits[bound] * multiplier, color="#505a5f",
                    linestyle=style, linewidth=1, label=legend)  # fmt: skip
    others = shown[shown["area_code"] != area_code]
    ax.scatter(
        others["denominator"],
        others["value"],
        s=22,
        color="#767676",
        marker="o",
        label="Other council areas",
        zorder=3,
    )
    mine = shown[shown["area_code"] == area_code]
    if not mine.empty:
        ax.scatter(
            mine["denominator"],
            mine["value"],
            s=110,
            color=PALETTE[0],
            marker="D",
            edgecolor="white",
            linewidth=1,
            label=area_name(area_code),
            zorder=4,
        )
        ax.annotate(
            area_name(area_code),
            (mine["denominator"].iloc[0], mine["value"].iloc[0]),
            xytext=(8, 8),
            textcoords="offset points",
            color=PALETTE[0],
            fontsize=9,
            weight="bold",
        )
    _log_axis(ax, limits["denominator"])
    ax.set_xlabel(denominator_label + " (log scale)")
    ax.set_ylabel(unit)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, frameon=False, ncols=5)
    return fig


def funnel_position(
    value: float, denominator: float, target: float, kind: str, multiplier: float
) -> str:
    """Say where an area sits in a funnel: within limits, or above/below 95% or 99.8%."""
    if np.isnan(value) or np.isnan(denominator):
        return "not shown"
    kind = "proportion" if kind == "proportion" else "rate"
    v, base = value / multiplier, target / multiplier
    for level, name in ((0.998, "99.8%"), (0.95, "95%")):
        lower, upper = funnel_limits(kind, base, np.array([denominator]), level, per=1)
        if v > upper[0]:
            return f"above the {name} limit"
        if v < lower[0]:
            return f"below the {name} limit"
    return "within the 95% limits"


def bar_comparison(
    labels: list[str],
    area_values: list[float],
    scotland_values: list[float],
    *,
    area_label: str,
    unit: str,
):
    """Draw paired horizontal bars: the area against Scotland, values labelled."""
    fig, ax = _figure(7.5, 0.45 * len(labels) + 1.2)
    y = np.arange(len(labels))
    ax.barh(y + 0.2, area_values, height=0.38, color=PALETTE[0], label=area_label)
    ax.barh(
        y - 0.2,
        scotland_values,
        height=0.38,
        color=PALETTE[1],
        hatch="//",
        edgecolor="white",
        label="Scotland",
    )
    for yi, v in zip(y, area_values, strict=True):
        if not np.isnan(v):
            ax.annotate(
                format_number(v, 1),
                (v, yi + 0.2),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    # above the bars, so it never covers a bar or its value label
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8, frameon=False, ncols=2)
    return fig


def describe_values(rows: pd.DataFrame, unit: str, kind: str) -> str:
    """Describe a line's first and last values for alt text."""
    shown = rows[rows["value"].notna()].sort_values("period", key=by_period)
    if shown.empty:
        return "no values are shown"
    d = decimals_for(unit, kind)
    first, last = shown.iloc[0], shown.iloc[-1]
    if len(shown) == 1:
        return f"{format_number(last['value'], d)} in {last['period']}"
    return (
        f"from {format_number(first['value'], d)} in {first['period']} "
        f"to {format_number(last['value'], d)} in {last['period']}"
    )


def mark_synthetic(fig, text: str = "Synthetic demonstration data, not official statistics"):
    """Label a chart of synthetic figures: a caption above it and a watermark across it.

    The label is part of the image, so a chart pasted into a document or saved
    on its own keeps it.  Calling it twice on one figure adds nothing.
    """
    if getattr(fig, "_cjlib_synthetic", False):
        return fig
    fig.text(
        0.01, 0.995, f"DEMONSTRATION DATA: {text}", ha="left", va="bottom",
        fontsize=8.5, fontweight="bold", color="#592c20",
    )  # fmt: skip
    for ax in fig.axes:
        ax.text(
            0.5, 0.5, "DEMONSTRATION DATA", transform=ax.transAxes, ha="center", va="center",
            fontsize=26, color="#592c20", alpha=0.10, rotation=20, zorder=0,
        )  # fmt: skip
    fig._cjlib_synthetic = True
    return fig
