"""The national download: every area, Scotland and family group, every indicator and year.

Two tables: the indicator results (one row per area, period and indicator,
with the framework's definition, source and wording status, and whether the
figures are official or synthetic) and the outcome assessment with its
narratives.  Written as CSV and as an accessible spreadsheet
(:mod:`cjlib.national.xlsx`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cjlib.areas import area_name
from cjlib.fileio import write_csv_atomic
from cjlib.framework import Framework
from cjlib.measures import SYNTHETIC_SOURCE
from cjlib.national.compare import blank_suppressed

#: Columns of the national indicator table, in order.
INDICATOR_COLUMNS = [
    "area_code", "area_name", "geography", "family_group", "period", "outcome_number",
    "indicator_id", "indicator", "indicator_type", "unit", "polarity", "numerator",
    "denominator", "value", "lower_ci", "upper_ci", "confidence", "suppressed", "marker",
    "scotland_value", "compare_scotland", "family_value", "compare_family", "baseline_period",
    "baseline_value", "change_label", "trend", "rank", "rank_of", "definition", "source",
    "wording_status", "data_status",
]  # fmt: skip
#: The national assessment table's first columns; the assessment's own columns follow, in
#: their order, with the narrative last.
ASSESSMENT_COLUMNS = [
    "area_code", "area_name", "period", "outcome", "outcome_number", "outcome_title", "status",
    "how_near", "suggested_priority", "decided_priority",
]  # fmt: skip
_ROUNDED = ("value", "lower_ci", "upper_ci", "scotland_value", "family_value", "baseline_value")


def _name(code: str) -> str:
    name = area_name(code)
    return name[0].upper() + name[1:] if name else code


def local_definitions(
    framework: Framework,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> tuple[dict[str, object], dict[str, str], pd.DataFrame]:
    """Return the areas' local indicators, local outcome titles and local measures.

    Local indicators are defined in each area's parameters file and their
    measures come from the file it names, so the national download can give
    their definitions and say whether their figures are synthetic.  A file that
    cannot be read is skipped here (the batch has already reported it).
    """
    from cjlib.errors import CjlibError
    from cjlib.local_outcomes import load_local_measures
    from cjlib.measures import combine_measures
    from cjlib.paths import DATA_DIR, PARAMETERS_DIR
    from cjlib.pipeline import load_all_params

    params, _ = load_all_params(Path(params_dir or PARAMETERS_DIR), framework)
    indicators: dict[str, object] = {}
    titles: dict[str, str] = {}
    frames = []
    for area in params.values():
        indicators.update({i.id: i for i in area.local_indicators})
        titles.update({o.id: o.title for o in area.local_outcomes})
        if area.local_outcomes and area.local_measures_file:
            try:
                frames.append(load_local_measures(area, Path(data_dir or DATA_DIR)))
            except CjlibError:
                continue
    return indicators, titles, combine_measures(*frames)


def synthetic_keys(measures: pd.DataFrame) -> set[tuple[str, str]]:
    """Return the (measure_id, period) pairs that hold any synthetic demonstration row."""
    rows = measures[measures["source"] == SYNTHETIC_SOURCE]
    return set(zip(rows["measure_id"], rows["period"], strict=True))


def indicator_table(
    results: pd.DataFrame,
    measures: pd.DataFrame,
    framework: Framework,
    local_indicators: dict[str, object] | None = None,
) -> pd.DataFrame:
    """Return the national indicator table (see :data:`INDICATOR_COLUMNS`).

    Parameters
    ----------
    results : pandas.DataFrame
        The published results table; suppressed rows keep only their marker.
    measures : pandas.DataFrame
        The tidy measures table, to tell official figures from synthetic ones.
    framework : Framework
        Definitions, sources and wording status of the indicators.
    local_indicators : dict, optional
        The areas' local indicators by id (:func:`local_definitions`).
    """
    out = blank_suppressed(results)
    by_id = {**(local_indicators or {}), **{i.id: i for i in framework.indicators}}
    numbers = {o.id: o.number for o in framework.outcomes}
    out["area_name"] = out["area_code"].map({c: _name(c) for c in out["area_code"].unique()})
    out["indicator"] = out["indicator_id"].map(lambda i: by_id[i].title if i in by_id else "")
    out["definition"] = out["indicator_id"].map(lambda i: by_id[i].definition if i in by_id else "")
    out["source"] = out["indicator_id"].map(lambda i: by_id[i].source if i in by_id else "")
    out["wording_status"] = out["indicator_id"].map(
        lambda i: by_id[i].wording_status if i in by_id else ""
    )
    out["outcome_number"] = out["outcome"].map(numbers).astype("Int64")
    synthetic = synthetic_keys(measures)

    def status(indicator_id: str, period: str) -> str:
        ind = by_id.get(indicator_id)
        used = [ind.numerator, ind.denominator] if ind else []
        return "synthetic" if any((m, period) in synthetic for m in used if m) else "official"

    pairs = out[["indicator_id", "period"]].drop_duplicates()
    lookup = {(i, p): status(i, p) for i, p in pairs.itertuples(index=False)}
    out["data_status"] = [lookup[k] for k in zip(out["indicator_id"], out["period"], strict=True)]
    for column in _ROUNDED:
        if column in out:
            out[column] = pd.to_numeric(out[column], errors="coerce").round(4)
    for column in INDICATOR_COLUMNS:
        if column not in out:
            out[column] = None
    order = {"scotland": 0, "family_group": 1, "council": 2}
    out = out.assign(_g=out["geography"].map(order).fillna(3))
    out = out.sort_values(["_g", "area_code", "indicator_id", "period"], kind="stable")
    return out[INDICATOR_COLUMNS].reset_index(drop=True)


def assessment_table(
    assessment: pd.DataFrame, framework: Framework, local_titles: dict[str, str] | None = None
) -> pd.DataFrame:
    """Return the national assessment table with narratives (see :data:`ASSESSMENT_COLUMNS`).

    Every column of the assessment is kept (local outcomes too), led by the
    area, the outcome and its verdict, and ending with the narrative.
    """
    out = assessment.copy()
    national = {o.id: o.title for o in framework.outcomes}
    titles = {**(local_titles or {}), **national}
    out["area_name"] = out["area_code"].map({c: _name(c) for c in out["area_code"].unique()})
    out["outcome_title"] = out["outcome"].map(titles)
    for column in ASSESSMENT_COLUMNS:
        if column not in out:
            out[column] = None
    local = ~out["outcome"].isin(national)
    out = out.assign(_local=local).sort_values(["area_code", "_local", "outcome"], kind="stable")
    rest = [
        c for c in out.columns if c not in ASSESSMENT_COLUMNS and c not in ("_local", "narrative")
    ]
    ending = ["narrative"] if "narrative" in out else []
    return out[ASSESSMENT_COLUMNS + rest + ending].reset_index(drop=True)


def download_paths(period_dir: str | Path, period: str) -> dict[str, Path]:
    """The national download files: ``csv``, ``assessment_csv`` and ``xlsx``."""
    folder = Path(period_dir)
    stem = f"cjlib-{period}-all-areas"
    return {
        "csv": folder / f"{stem}.csv",
        "assessment_csv": folder / f"{stem}-assessment.csv",
        "xlsx": folder / f"{stem}.xlsx",
    }


def download_links(period_dir: str | Path, period: str) -> list[dict[str, str]]:
    """The national downloads that exist, for the index: ``label``, ``href`` and ``size``."""
    from cjlib.htmlutil import format_size

    labels = {
        "xlsx": "Every area, indicator and year, with the assessment (accessible spreadsheet)",
        "csv": "Every area, indicator and year (CSV)",
        "assessment_csv": "Every area's outcome assessment with its draft narrative (CSV)",
    }
    out = []
    for key, path in download_paths(period_dir, period).items():
        if key in labels and path.is_file():
            out.append(
                {"label": labels[key], "href": path.name, "size": format_size(path.stat().st_size)}
            )
    return out


def write_national_downloads(
    period_dir: str | Path,
    *,
    results: pd.DataFrame,
    assessment: pd.DataFrame,
    measures: pd.DataFrame,
    framework: Framework,
    period: str,
    built_at: str,
    synthetic: bool,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> dict[str, int]:
    """Write the national CSVs and spreadsheet into the period's folder.

    ``params_dir`` and ``data_dir`` (the batch's; bundled ones by default) give the
    areas' local indicators and measures.

    Returns
    -------
    dict
        File name to size in bytes.
    """
    from cjlib.national.xlsx import write_workbook

    local_indicators, local_titles, local_measures = local_definitions(
        framework, params_dir, data_dir
    )
    every = pd.concat([measures, local_measures], ignore_index=True)
    indicators = indicator_table(results, every, framework, local_indicators)
    assessed = assessment_table(assessment, framework, local_titles)
    paths = download_paths(period_dir, period)
    write_csv_atomic(indicators, paths["csv"])
    write_csv_atomic(assessed, paths["assessment_csv"])
    write_workbook(
        paths["xlsx"],
        indicators=indicators,
        assessment=assessed,
        period=period,
        built_at=built_at,
        synthetic=synthetic,
    )
    return {p.name: p.stat().st_size for p in paths.values()}
