"""Finish a batch: each area's pack front page, its data downloads, and the national index."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cjlib import __version__
from cjlib.areas import council_areas
from cjlib.assess.grades import not_used_reasons
from cjlib.datastatus import (
    indicator_statuses,
    label_outcome_rows,
    label_rows,
    real_measures,
    synthetic_measures,
)
from cjlib.documents import write_all_documents, write_area_documents, write_csv_notes
from cjlib.errors import CjlibError
from cjlib.fileio import write_csv_atomic
from cjlib.framework import Framework, load_framework
from cjlib.params import area_params_or_default, load_defaults
from cjlib.paths import NOTEBOOKS_DIR
from cjlib.pipeline import BatchContext, framework_path, prepare_batch, read_table
from cjlib.provenance import pack_provenance
from cjlib.report.method import method_paragraphs
from cjlib.report.summary import describe_indicators_used
from cjlib.report.tables import download_table

#: Provenance of every bundled source, shown on each pack's front page: generated from
#: the one table in cjlib/data/PROVENANCE.md (cjlib.provenance).
PROVENANCE = pack_provenance()
SYNTHETIC_PROVENANCE = next(r for r in pack_provenance(synthetic=True) if r not in PROVENANCE)


def _notebook_title(stem: str, framework: Framework) -> str:
    """A notebook's page title: its outcome's from the framework, else its metadata's title.

    The notebooks' metadata says which they are (``cjlib.outcome`` or ``cjlib.title``);
    a notebook with neither is named from its file name.
    """
    path = NOTEBOOKS_DIR / f"{stem}.ipynb"
    meta = json.loads(path.read_text("utf-8"))["metadata"].get("cjlib", {}) if path.exists() else {}
    if "outcome" in meta:
        outcome = framework.outcome(int(meta["outcome"]))
        return f"Outcome {outcome.number}: {outcome.title}"
    return meta.get("title") or stem.split("_", 1)[-1].replace("_", " ").capitalize()


@dataclass
class PackSettings:
    """What every area's pack and the national pages of one batch share."""

    period: str
    period_dir: Path
    framework: Framework
    results: pd.DataFrame
    assessment: pd.DataFrame
    built: str
    synthetic: bool
    prepared: BatchContext
    data_status: dict
    params_dir: str | Path | None = None
    data_dir: str | Path | None = None

    @property
    def provenance(self) -> list[dict]:
        """Return the sources shown on each front page."""
        return PROVENANCE + ([SYNTHETIC_PROVENANCE] if self.synthetic else [])


def pack_settings(
    period: str,
    output_dir: Path,
    prepared: BatchContext,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> PackSettings:
    """Return the settings shared by the packs of a prepared batch."""
    defaults = prepared.defaults or load_defaults(params_dir or None)
    framework = load_framework(framework_path(defaults))
    measures = read_table(prepared, "measures")
    results = read_table(prepared, "results")
    return PackSettings(
        period=period,
        period_dir=Path(output_dir) / period,
        framework=framework,
        results=results,
        assessment=read_table(prepared, "assessment"),
        built=dt.datetime.now().strftime("%d %B %Y %H:%M"),
        synthetic=prepared.synthetic,
        prepared=prepared,
        data_status=indicator_statuses(
            framework, synthetic_measures(measures), real_measures(measures)
        ),
        params_dir=params_dir,
        data_dir=data_dir,
    )


def _downloads(area_dir: Path) -> list[tuple[str, str]]:
    downloads = [
        ("All indicator results (CSV)", "data/indicators.csv"),
        ("Outcome assessment (CSV)", "data/assessment.csv"),
    ]
    return downloads + [
        (p.name, f"data/{p.name}")
        for p in sorted((area_dir / "data").glob("*.csv"))
        if p.name not in ("indicators.csv", "assessment.csv")
    ]


def build_area_pack(
    settings: PackSettings,
    area_code: str,
    area_name: str,
    area_runs: list[Mapping],
    documents: list[tuple[str, str]] | str | None = None,
) -> dict:
    """Write one area's front page and data downloads; return its row of the national grid.

    Parameters
    ----------
    settings : PackSettings
        The batch's shared settings.
    area_code, area_name : str
        The council area.
    area_runs : list of mapping
        The area's manifest entries (``notebook``, ``status``, ...).
    documents : list or str, optional
        The Word drafts already written for the area (their links), or why they could
        not be (raised here as the area's failure); written here when None.

    Returns
    -------
    dict
        ``code``, ``name``, ``href`` (None without a front page) and ``statuses``
        (outcome number to status; every outcome "failed" when every run failed).
    """
    from cjlib.export.pages import build_area_page

    framework = settings.framework
    numbers = [o.number for o in framework.outcomes]
    every = settings.assessment[settings.assessment["area_code"] == area_code]
    every = every.sort_values("outcome_number")
    national = {o.id for o in framework.outcomes}  # local outcomes are on the area's pages
    rows = every[every["outcome"].isin(national)]
    statuses = {int(r.outcome_number): r.status for r in rows.itertuples()}
    ok = [r for r in area_runs if r["status"] in ("ok", "skipped")]
    row = {"code": area_code, "name": area_name, "href": None, "statuses": statuses}
    if not area_runs:
        return {**row, "statuses": dict.fromkeys(numbers, "not run")}
    area_dir = settings.period_dir / area_code
    if not ok:  # every run failed: no front page (its pages are gone), and the grid says so
        (area_dir / "index.html").unlink(missing_ok=True)
        return {**row, "statuses": dict.fromkeys(numbers, "failed")}
    titles = {i.id: i.title for i in framework.indicators}
    params = area_params_or_default(area_code, settings.params_dir or None)
    withdrawn = {ind for (_, ind) in not_used_reasons(framework, {area_code: params})}
    mine = settings.results[settings.results["area_code"] == area_code]
    # an indicator the partnership does not use leaves its pack; elsewhere it is [c]
    mine = mine[~mine["indicator_id"].isin(withdrawn)]
    indicators_csv = label_rows(download_table(mine, titles), settings.data_status)
    write_csv_atomic(indicators_csv, area_dir / "data" / "indicators.csv")
    outcome_rows = label_outcome_rows(every.drop(columns=["narrative"]), settings.data_status)
    write_csv_atomic(outcome_rows, area_dir / "data" / "assessment.csv")
    summary = [
        {
            "number": int(r.outcome_number),
            "title": framework.outcome(r.outcome).title,
            "status": r.status,
            "how_near": r.how_near,
            "suggested_priority": r.suggested_priority,
            "partnership_decision": r.decided_priority or "not recorded",
            "indicators_used": describe_indicators_used(r.indicators_used, framework),
        }
        for r in rows.itertuples()
    ]
    from cjlib.national.spine import front_page_spine

    downloads = _downloads(area_dir)
    if documents is None:
        downloads += write_area_documents(
            settings.prepared, area_code, area_dir, area_runs, settings.params_dir
        )
    elif isinstance(documents, str):
        raise CjlibError(f"Word drafts not written: {documents}")
    else:
        write_csv_notes(area_dir)
        downloads += documents
    build_area_page(
        area_dir,
        area_name=area_name,
        area_code=area_code,
        period=settings.period,
        built_at=settings.built,
        version=__version__,
        summary_rows=summary,
        notebook_links=[
            (_notebook_title(r["notebook"], framework), f"{r['notebook']}.html") for r in ok
        ],
        downloads=downloads,
        method_note=method_paragraphs(),
        provenance=settings.provenance,
        synthetic=settings.synthetic,
        spine_html=front_page_spine(
            settings.results, area_code, settings.period, framework, settings.synthetic
        ),
        headline_rows=headline_rows(settings.results, framework, area_code),
        not_used_rows=not_used_rows(framework, params),
    )
    return {**row, "href": f"{area_code}/index.html"}


def headline_rows(results: pd.DataFrame, framework: Framework, area_code: str) -> list[dict]:
    """The higher-level (reconviction) indicators for an area, latest published cohort."""
    from cjlib.areas import SCOTLAND_CODE
    from cjlib.formatting import format_interval, format_value

    out = []
    for ind in (i for i in framework.indicators if i.role == "headline"):
        rows = results[(results["indicator_id"] == ind.id) & results["value"].notna()]
        mine = rows[rows["area_code"] == area_code]
        if mine.empty:
            continue
        row = mine.loc[mine["period"].idxmax()]
        scot = rows[(rows["area_code"] == SCOTLAND_CODE) & (rows["period"] == row["period"])]
        compared = str(row.get("compare_scotland") or "not compared")
        out.append(
            {
                "indicator": ind.title,
                "period": f"{row['period']} cohort",
                "value": format_value(row["value"], ind.type, ind.unit),
                "interval": format_interval(row["lower_ci"], row["upper_ci"], ind.type, ind.unit),
                "scotland": format_value(scot["value"].iloc[0], ind.type, ind.unit)
                if len(scot)
                else "[x]",
                "compared": {"better": "significantly better", "worse": "significantly worse"}.get(
                    compared, compared
                ),
                "source": framework.measure(ind.numerator).source or ind.source,
            }
        )
    return out


def not_used_rows(framework: Framework, params) -> list[dict]:
    """The national and local-evidence indicators an area does not use, with its reasons."""
    reasons = not_used_reasons(framework, {params.area_code: params})
    rows = []
    for (_, ind_id), reason in reasons.items():
        ind = framework.indicator(ind_id)
        if ind.role == "derived":
            continue
        outcome = framework.outcome(ind.outcome) if ind.outcome else None
        rows.append(
            {
                "outcome": f"Outcome {outcome.number}" if outcome else "",
                "indicator": ind.title,
                "reason": reason,
            }
        )
    return rows


def build_national_pages(
    settings: PackSettings, areas: list[dict], runs: list[Mapping], problems: list[str]
) -> None:
    """Write the national index, the national outcome pages and the national downloads.

    The index has every area's row, the run counts and each failure, shown with
    local paths removed (:func:`cjlib.export.checks.strip_local_paths`).

    Parameters
    ----------
    settings : PackSettings
        The batch's shared settings.
    areas : list of dict
        One grid row per area, from :func:`build_area_pack`.
    runs : list of mapping
        The manifest's run entries.
    problems : list of str
        Further failures to show, such as an area whose front page could not be built.
    """
    from cjlib.audit import audit_message, audit_tables
    from cjlib.export.checks import strip_local_paths
    from cjlib.export.pages import CjlibExportError, build_national_index
    from cjlib.national.download import write_national_downloads
    from cjlib.national.grid import national_index_extras
    from cjlib.national.pages import build_outcome_pages

    defaults = settings.prepared.defaults
    threshold = defaults.suppression_threshold if defaults is not None else 5
    leak = audit_message(audit_tables(settings.results, threshold, period=settings.period))
    if leak:  # the built-in attack found a way to work out a hidden count: publish nothing
        raise CjlibExportError(f"national pages not published: {leak}")
    counts = pd.Series([r["status"] for r in runs]).value_counts().to_dict() if runs else {}
    failures = [
        f"{r['area_code']} {r['notebook']}: {r.get('error') or 'failed'}"
        for r in runs
        if r["status"] == "failed"
    ]
    build_national_index(
        settings.period_dir,
        period=settings.period,
        built_at=settings.built,
        version=__version__,
        areas=areas,
        outcomes=[{"number": o.number, "title": o.title} for o in settings.framework.outcomes],
        run_summary={k: int(counts.get(k, 0)) for k in ("ok", "failed", "skipped")},
        failures=[strip_local_paths(line) for line in failures + problems],
        synthetic=settings.synthetic,
        **national_index_extras(settings.assessment, runs, settings.framework.outcomes),
    )
    build_outcome_pages(
        settings.period_dir,
        results=settings.results,
        framework=settings.framework,
        runs=runs,
        period=settings.period,
        built_at=settings.built,
        version=__version__,
        synthetic=settings.synthetic,
    )
    write_national_downloads(
        settings.period_dir,
        results=settings.results,
        assessment=settings.assessment,
        framework=settings.framework,
        period=settings.period,
        measures=read_table(settings.prepared, "measures"),
        built_at=settings.built,
        synthetic=settings.synthetic,
        params_dir=settings.params_dir,
        data_dir=settings.data_dir,
    )


def finish_batch(
    period: str,
    output_dir: Path,
    manifest: Mapping,
    prepared: BatchContext | None = None,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> None:
    """Write every area's front page and data downloads, then the national index.

    An area whose front page cannot be built does not stop the others or the
    national index: its row shows "failed", the index lists why (paths removed),
    and the error raised at the end gives the full reasons on one line.

    Parameters
    ----------
    period : str
        The reporting period.
    output_dir : Path
        The outputs folder; pages go in ``<output_dir>/<period>/``.
    manifest : mapping
        The batch manifest (``runs``: area_code, notebook, status, ...).
    prepared : BatchContext, optional
        What :func:`cjlib.pipeline.prepare_batch` made (prepared here when None).
    params_dir, data_dir, cache_dir : path, optional
        The batch's folders, used only when ``prepared`` is None.

    Raises
    ------
    CjlibExportError
        When any front page could not be built (after the national index was written).
    """
    if prepared is None:
        prepared = prepare_batch(period, data_dir or None, params_dir or None, cache_dir or None)
    settings = pack_settings(period, output_dir, prepared, params_dir, data_dir)
    runs = [r for r in manifest.get("runs", []) if isinstance(r, dict)]
    numbers = [o.number for o in settings.framework.outcomes]
    by_area = {
        code: sorted((r for r in runs if r["area_code"] == code), key=lambda r: r["notebook"])
        for code in council_areas()["area_code"]
    }
    documents = write_all_documents(  # the slowest part of the pages: areas in parallel
        prepared,
        [(c, settings.period_dir / c, r) for c, r in by_area.items() if r],
        settings.params_dir,
    )
    areas, problems = [], []
    for area in council_areas().itertuples():
        area_runs = by_area[area.area_code]
        try:
            row = build_area_pack(
                settings, area.area_code, area.area_name, area_runs, documents.get(area.area_code)
            )
        except CjlibError as error:
            reason = " ".join(str(error).split())
            problems.append(f"{area.area_code} front page: {reason}")
            row = {
                "code": area.area_code,
                "name": area.area_name,
                "href": None,
                "statuses": dict.fromkeys(numbers, "failed"),
            }
        areas.append(row)
    build_national_pages(settings, areas, runs, problems)
    if problems:
        from cjlib.export.pages import CjlibExportError

        raise CjlibExportError("; ".join(problems))
