"""One national page per outcome: every area's values side by side, and ranked charts.

The page holds an indicator-by-area table (areas grouped by family group under
each group's pooled value, Scotland first), each value linking to the area's
outcome page and carrying its significance against Scotland in words and a
symbol, then a ranked chart for each comparable indicator.  Nothing from a
suppressed row is shown: its cell gives the marker only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from cjlib.areas import SCOTLAND_CODE, family_group_name
from cjlib.export.pages import _footer, publish_page, render_page
from cjlib.formatting import format_interval, format_value
from cjlib.framework import Framework, Outcome
from cjlib.national.compare import blank_suppressed, is_comparable, name_of, published, significance
from cjlib.national.grid import NATIONAL_DIR, outcome_page_hrefs
from cjlib.national.ranked import ranked_alt, ranked_img, ranked_rows, ranked_svg


def _cell(row: Mapping[str, Any] | None, kind: str, unit: str, compared: bool) -> dict:
    if row is None:
        return {"value": "[x]", "sig": None}
    hidden = bool(row.get("suppressed")) or pd.isna(row.get("value"))
    value = format_value(None if hidden else row["value"], kind, unit, row.get("marker") or "")
    sig = significance(row.get("compare_scotland")) if compared and not hidden else None
    return {"value": value, "sig": sig}


def outcome_context(
    results: pd.DataFrame,
    outcome: Outcome,
    framework: Framework,
    period: str,
    hrefs: Mapping[str, Mapping[int, str]],
) -> dict[str, Any]:
    """Return what the outcome page template shows (table groups, charts, notes)."""
    indicators = [i for i in framework.indicators_for(outcome.id) if i.geography == "council"]
    ids = [i.id for i in indicators]
    rows = blank_suppressed(
        results[(results["period"] == period) & results["indicator_id"].isin(ids)]
    )
    by_key = {(r["area_code"], r["indicator_id"]): r for r in rows.to_dict("records")}
    columns = [
        {"id": i.id, "title": i.title, "unit": i.unit, "type": i.type,
         "compared": i.type != "count"}
        for i in indicators
    ]  # fmt: skip

    def line(code: str, label: str, href: str | None, css: str, compare: bool = True) -> dict:
        cells = [
            _cell(by_key.get((code, c["id"])), c["type"], c["unit"], compare and c["compared"])
            for c in columns
        ]
        return {"label": label, "href": href, "cells": cells, "css": css}

    councils = rows[rows["geography"] == "council"][["area_code", "family_group"]]
    family_of = councils.drop_duplicates("area_code").set_index("area_code")["family_group"]
    groups = []
    for family in sorted(family_of.dropna().unique()):
        codes = sorted(family_of[family_of == family].index, key=name_of)
        members = []
        for code in codes:
            href = hrefs.get(code, {}).get(outcome.number)
            members.append(line(code, name_of(code), f"../{href}" if href else None, ""))
        name = family_group_name(family)
        groups.append(
            {
                "name": name[0].upper() + name[1:],
                "pooled": line(family, f"{name[0].upper() + name[1:]}: pooled", None, "cj-pooled"),
                "areas": members,
            }
        )
    charts = []
    for ind in indicators:
        if not is_comparable(ind.type, ind.polarity):
            continue
        these = rows[rows["indicator_id"] == ind.id]
        scot = published(these[these["area_code"] == SCOTLAND_CODE])
        ranked = ranked_rows(these, ind.polarity)
        if ranked.empty or scot.empty:
            continue
        scotland = float(scot["value"].iloc[0])
        hidden = int((these["geography"] == "council").sum()) - len(ranked)
        alt = ranked_alt(ranked, scotland, title=ind.title, unit=ind.unit, kind=ind.type,
                         period=period, hidden=hidden)  # fmt: skip
        table = [
            {
                "rank": (
                    f"{int(r['rank'])} of {int(r['rank_of'])}"
                    if pd.notna(r.get("rank")) and pd.notna(r.get("rank_of"))
                    else "\u2013"
                ),
                "area": r["area_name"],
                "value": format_value(r["value"], ind.type, ind.unit),
                "interval": format_interval(r["lower_ci"], r["upper_ci"], ind.type, ind.unit),
                "sig": significance(r.get("compare_scotland")),
            }
            for r in ranked.to_dict("records")
        ]
        svg = ranked_svg(ranked, scotland, unit=ind.unit, kind=ind.type)
        charts.append(
            {
                "id": ind.id,
                "title": ind.title,
                "unit": ind.unit,
                "better": "higher" if ind.polarity == "higher_is_better" else "lower",
                "img": Markup(ranked_img(svg, alt)),
                "table": table,
                "hidden": hidden,
                "source": ind.source,
            }
        )
    scotland_only = [
        i.title for i in framework.indicators_for(outcome.id) if i.geography == "scotland"
    ]
    return {
        "columns": columns,
        "scotland": line(SCOTLAND_CODE, "Scotland", None, "cj-scotland", compare=False),
        "groups": groups,
        "charts": charts,
        "sources": sorted({p.strip() for i in indicators for p in i.source.split(";")}),
        "scotland_only": scotland_only,
        "has_counts": any(not c["compared"] for c in columns),
    }


def build_outcome_pages(
    period_dir: str | Path,
    *,
    results: pd.DataFrame,
    framework: Framework,
    runs: Iterable[Mapping[str, Any]],
    period: str,
    built_at: str | dt.datetime | dt.date,
    version: str,
    synthetic: bool,
) -> list[dict[str, Any]]:
    """Write ``<period_dir>/national/outcome-N.html`` for every national outcome.

    Parameters
    ----------
    period_dir : str or Path
        The period's output folder (the national index's folder).
    results : pandas.DataFrame
        The published results table (after disclosure control).
    framework : Framework
        The outcomes and indicators.
    runs : iterable of mapping
        The manifest's runs, to link each area's outcome page when it was built.
    period : str
        The reporting year.
    built_at : str or datetime
        When the pages were built.
    version : str
        The cjlib version.
    synthetic : bool
        Show the demonstration-data banner and label the sources.

    Returns
    -------
    list of dict
        ``path`` and ``bytes`` of each page written.
    """
    folder = Path(period_dir) / NATIONAL_DIR
    hrefs = outcome_page_hrefs(runs)
    written = []
    outcomes = [o for o in framework.outcomes if not o.local]
    for outcome in outcomes:
        context = outcome_context(results, outcome, framework, period, hrefs)
        html = render_page(
            "national_outcome.html.j2",
            page_title=f"Outcome {outcome.number} across Scotland, {period}",
            nav=[("All areas", "../index.html")]
            + [
                (f"Outcome {o.number}", f"outcome-{o.number}.html")
                for o in outcomes
                if o.number != outcome.number
            ],  # fmt: skip
            footer_notes=_footer(built_at, version, synthetic),
            outcome=outcome,
            period=period,
            synthetic=synthetic,
            download=f"../cjlib-{period}-all-areas.csv",
            download_xlsx=f"../cjlib-{period}-all-areas.xlsx",
            **context,
        )
        written.append(publish_page(html, folder / f"outcome-{outcome.number}.html"))
    return written
