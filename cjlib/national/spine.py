"""Spine charts (ScotPHO and Fingertips style): an area's indicators against all areas.

Each comparable indicator (a rate or share with a direction) gets one row: the
range of all council areas' published values as a bar, the middle half of them
darker, Scotland's value as the centre line, and the area's value as a marker
whose shape and colour give its significance against Scotland.  The scale of
each row is set so Scotland sits at the centre and the area furthest from
Scotland reaches the end of the bar; a lower-is-better indicator is flipped so
better always lies to the right.  The chart is an HTML table with one small SVG
per row, so its text alternative is the table itself.
"""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
from markupsafe import Markup

from cjlib.areas import SCOTLAND_CODE
from cjlib.formatting import format_value
from cjlib.framework import Framework
from cjlib.htmlutil import escape
from cjlib.national.compare import is_comparable, name_of, published, significance

#: Size of one spine (SVG user units): the bar runs from PAD to WIDTH - PAD.
WIDTH, HEIGHT, PAD = 240, 28, 10
#: Fill and shape of the area's marker, by significance slug.
MARKERS = {
    "better": ("#0b4c0b", "up"),
    "worse": ("#6a2063", "down"),
    "similar": ("#505a5f", "circle"),
    "higher": ("#002d54", "diamond"),
    "lower": ("#002d54", "diamond"),
    "none": ("#ffffff", "square"),
}

#: Names of the marker shapes, for the key.
SHAPE_NAMES = {
    "up": "triangle pointing up",
    "down": "triangle pointing down",
    "circle": "circle",
    "diamond": "diamond",
    "square": "open square",
}


def position_to_x(position: float) -> float:
    """Map a spine position (-1 worst end, 0 Scotland, +1 best end) to SVG x."""
    return PAD + (position + 1) / 2 * (WIDTH - 2 * PAD)


def spine_reference(results: pd.DataFrame, period: str, framework: Framework) -> dict:
    """Return, per comparable indicator, the scale of its spine and every area's row.

    Computed once per batch and reused for every area's front page (the last
    call's answer is kept, keyed by the very table, period and framework).
    """
    cached = _LAST.get("key")
    if cached and cached[0] is results and cached[1] == period and cached[2] is framework:
        return _LAST["value"]
    rows = results[results["period"] == period]
    outcome_numbers = {o.id: o.number for o in framework.outcomes}
    by_indicator = dict(tuple(rows.groupby("indicator_id", sort=False)))
    reference = {}
    for ind in framework.indicators:
        these = by_indicator.get(ind.id)
        if these is None or not is_comparable(ind.type, ind.polarity):
            continue
        councils = published(these[these["geography"] == "council"])
        scot = published(these[these["area_code"] == SCOTLAND_CODE])
        if councils.empty or scot.empty:
            continue
        centre = float(scot["value"].iloc[0])
        sign = 1.0 if ind.polarity == "higher_is_better" else -1.0
        values = councils["value"].to_numpy(float)
        gaps = sign * (values - centre)
        reach = float(np.max(np.abs(gaps))) or 1.0
        positions = gaps / reach
        reference[ind.id] = {
            "indicator": ind,
            "outcome_number": outcome_numbers.get(ind.outcome or ""),
            "scotland": centre,
            "sign": sign,
            "reach": reach,
            "worst": float(values[np.argmin(positions)]),
            "best": float(values[np.argmax(positions)]),
            "n_areas": len(values),
            "pos_worst": float(positions.min()),
            "pos_best": float(positions.max()),
            "pos_q1": float(np.percentile(positions, 25)),
            "pos_q3": float(np.percentile(positions, 75)),
            "areas": {r["area_code"]: r for r in these.to_dict("records")},
        }
    _LAST.update(key=(results, period, framework), value=reference)
    return reference


_LAST: dict = {}


def spine_table(
    results: pd.DataFrame, area_code: str, period: str, framework: Framework
) -> pd.DataFrame:
    """Return one row per comparable indicator with the area's spine positions.

    Parameters
    ----------
    results : pandas.DataFrame
        The published results table (suppressed rows already blanked).
    area_code, period : str
        The council area and the reporting year.
    framework : Framework
        Gives the indicators' order, titles and outcomes.

    Returns
    -------
    pandas.DataFrame
        ``indicator_id``, ``title``, ``outcome_number``, ``indicator_type``, ``unit``,
        ``polarity``, ``value``, ``marker``, ``compare_scotland``, ``scotland``,
        ``worst``, ``best`` (values), ``n_areas`` and the positions ``pos_area``,
        ``pos_worst``, ``pos_best``, ``pos_q1``, ``pos_q3`` on a scale from -1
        (worst end) through 0 (Scotland) to +1 (best end).  Indicators without
        a Scotland value or with no published council value are left out.
    """
    records = []
    for indicator_id, ref in spine_reference(results, period, framework).items():
        area = ref["areas"].get(area_code)
        if area is None:
            continue
        ind = ref["indicator"]
        shown = bool(pd.notna(area["value"])) and not bool(area.get("suppressed", False))
        value = float(area["value"]) if shown else float("nan")
        records.append(
            {
                "indicator_id": indicator_id,
                "title": ind.title,
                "outcome_number": ref["outcome_number"],
                "indicator_type": ind.type,
                "unit": ind.unit,
                "polarity": ind.polarity,
                "value": value,
                "marker": "" if shown else (area.get("marker") or "[c]"),
                "compare_scotland": area.get("compare_scotland") if shown else None,
                "pos_area": ref["sign"] * (value - ref["scotland"]) / ref["reach"],
                **{k: ref[k] for k in ("scotland", "worst", "best", "n_areas", "pos_worst",
                                       "pos_best", "pos_q1", "pos_q3")},
            }
        )  # fmt: skip
    return pd.DataFrame.from_records(records)


def _marker_svg(slug: str, x: float, y: float, size: float = 7.0) -> str:
    fill, shape = MARKERS.get(slug, MARKERS["none"])
    s = size
    if shape == "up":
        body = f'<path d="M0 {-s}L{s} {s * 0.8}L{-s} {s * 0.8}Z"/>'
    elif shape == "down":
        body = f'<path d="M0 {s}L{s} {-s * 0.8}L{-s} {-s * 0.8}Z"/>'
    elif shape == "diamond":
        body = f'<path d="M0 {-s}L{s} 0L0 {s}L{-s} 0Z"/>'
    elif shape == "square":
        body = f'<rect x="{-s * 0.75}" y="{-s * 0.75}" width="{s * 1.5}" height="{s * 1.5}"/>'
    else:
        body = f'<circle r="{s * 0.85}"/>'
    return (
        f'<g class="area" data-slug="{slug}" transform="translate({x:.2f} {y:.2f})" '
        f'fill="{fill}" stroke="#1a1a1a" stroke-width="1.2">{body}</g>'
    )


def spine_svg(row: pd.Series | dict) -> str:
    """Return the SVG of one spine (the row of :func:`spine_table`)."""
    mid = HEIGHT / 2
    x_worst, x_best = position_to_x(row["pos_worst"]), position_to_x(row["pos_best"])
    x_q1, x_q3 = position_to_x(row["pos_q1"]), position_to_x(row["pos_q3"])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">',
        f'<rect class="range" x="{x_worst:.2f}" y="{mid - 6}" width="{x_best - x_worst:.2f}" '
        'height="12" fill="#d9d9d9"/>',
        f'<rect class="middle" x="{x_q1:.2f}" y="{mid - 6}" width="{x_q3 - x_q1:.2f}" '
        'height="12" fill="#949494"/>',
        f'<line class="scotland" x1="{position_to_x(0):.2f}" x2="{position_to_x(0):.2f}" '
        f'y1="2" y2="{HEIGHT - 2}" stroke="#1a1a1a" stroke-width="2"/>',
    ]
    if not np.isnan(row["pos_area"]):
        slug = significance(row["compare_scotland"]).slug
        parts.append(_marker_svg(slug, position_to_x(row["pos_area"]), mid))
    parts.append("</svg>")
    return "".join(parts)


def _img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (
        f'<img class="cj-spine" src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
    )


def _legend_icon(slug: str) -> str:
    return (
        f'<svg class="cj-icon" role="img" aria-label="{SHAPE_NAMES[MARKERS[slug][1]]}" '
        f'viewBox="-9 -9 18 18" width="18" height="18">{_marker_svg(slug, 0, 0)}</svg>'
    )


def spine_html(
    table: pd.DataFrame, area_code: str, period: str, *, synthetic: bool, heading: str = "h2"
) -> Markup:
    """Return the front page's spine chart section: heading, key, table of spines, source.

    Parameters
    ----------
    table : pandas.DataFrame
        What :func:`spine_table` returned for the area.
    area_code, period : str
        The council area and the reporting year.
    synthetic : bool
        Say in the source line that the figures are synthetic.
    heading : str
        The heading element of the section.
    """
    name = name_of(area_code)
    out = [f'<{heading} id="spine">How {escape(name)} compares with all areas</{heading}>']
    if table.empty:
        out.append("<p>No comparable indicator has published values for this year.</p>")
        return Markup("\n".join(out))
    out.append(
        f"<p>Each row is a rate or share where a higher or lower value is better. The grey bar "
        "spans the council areas with published values "
        f"(up to {int(table['n_areas'].max())}), from "
        "the worst (left) to the best (right); the darker part holds the middle half of the "
        f"areas. The black line in the middle is Scotland. The marker is {escape(name)}. The "
        "scale is set for each row, so compare positions, not lengths, between rows.</p>"
    )
    key = []
    for slug, words in (
        ("better", "significantly better than Scotland"),
        ("similar", "not significantly different"),
        ("worse", "significantly worse than Scotland"),
        ("none", "not compared"),
    ):
        key.append(f"<li>{_legend_icon(slug)} {words}</li>")
    out.append('<ul class="cj-spine-key" aria-label="Key to the markers">' + "".join(key) + "</ul>")
    caption = f"{name} compared with Scotland and all council areas, {period}"
    out.append(
        f'<div class="cj-table-wrap" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f'<table class="cj-table cj-spine-table"><caption>{escape(caption)}</caption><thead><tr>'
        '<th scope="col">Indicator</th><th scope="col">Area value</th>'
        '<th scope="col">Compared with Scotland</th><th scope="col">Scotland</th>'
        '<th scope="col">Worst area</th><th scope="col">Best area</th>'
        '<th scope="col"><span class="cj-spine-axis">Worse \u2190 Scotland \u2192 Better'
        "</span></th></tr></thead><tbody>"
    )
    for row in table.to_dict("records"):
        kind, unit = row["indicator_type"], row["unit"]
        value = format_value(row["value"], kind, unit, row["marker"])
        scot = format_value(row["scotland"], kind, unit)
        worst = format_value(row["worst"], kind, unit)
        best = format_value(row["best"], kind, unit)
        sig = significance(row["compare_scotland"]) if not row["marker"] else None
        compared = (
            f'<span class="cj-sig cj-sig--{sig.slug}"><span aria-hidden="true">{sig.symbol} '
            f"</span>{escape(sig.short)}</span>"
            if sig
            else "not shown (suppressed)"
        )
        where = f"{value}, {sig.long}" if sig else f"{value} (suppressed)"
        alt = (
            f"{row['title']}: {name} {where}; Scotland {scot}; areas range from {worst} "
            f"(worst) to {best} (best)."
        )
        number = row["outcome_number"]
        outcome = f"Outcome {int(number)}: " if pd.notna(number) and number else "Context: "
        out.append(
            f'<tr><th scope="row"><span class="cj-spine-outcome">{outcome}</span>'
            f'{escape(row["title"])} <span class="cj-unit">({escape(unit)})</span></th>'
            f'<td class="cj-num" data-label="{escape(name)}">{escape(value)}</td>'
            f'<td data-label="Compared with Scotland">{compared}</td>'
            f'<td class="cj-num" data-label="Scotland">{escape(scot)}</td>'
            f'<td class="cj-num" data-label="Worst area">{escape(worst)}</td>'
            f'<td class="cj-num" data-label="Best area">{escape(best)}</td>'
            f'<td class="cj-spine-cell" data-label="Worse \u2190 Scotland \u2192 Better">'
            f"{_img(spine_svg(row), alt)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    source = "cjlib indicators for every council area and Scotland, after disclosure control"
    if synthetic:
        source += " (synthetic demonstration data, not official statistics)"
    out.append(f'<p class="cj-source"><strong>Source:</strong> {escape(source)}.</p>')
    return Markup("\n".join(out))


def front_page_spine(
    results: pd.DataFrame, area_code: str, period: str, framework: Framework, synthetic: bool
) -> Markup:
    """Return the spine chart section of an area's front page (table, then the section)."""
    return spine_html(
        spine_table(results, area_code, period, framework), area_code, period, synthetic=synthetic
    )
