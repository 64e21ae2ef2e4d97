"""Finish a batch: each area's pack front page, its data downloads, and the national index."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cjlib import __version__
from cjlib.areas import council_areas
from cjlib.datastatus import (
    indicator_statuses,
    label_outcome_rows,
    label_rows,
    real_measures,
    synthetic_measures,
)
from cjlib.documents import write_area_documents
from cjlib.fileio import write_csv_atomic
from cjlib.framework import Framework, load_framework
from cjlib.params import load_defaults
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


def finish_batch(
    period: str,
    output_dir: Path,
    manifest: Mapping,
    prepared: BatchContext | None = None,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
    **_: object,
) -> None:
    """Write every area's front page and data downloads, then the national index.

    Parameters
    ----------
    period : str
        The reporting period.
    output_dir : Path
        The outputs folder; pages go in ``<output_dir>/<period>/``.
    manifest : mapping
        The batch manifest (``runs``: area_code, notebook, status, ...).
    prepared : BatchContext
        What :func:`cjlib.pipeline.prepare_batch` made.
    params_dir : path, optional
        The parameters folder used by the batch.
    """
    if prepared is None:
        prepared = prepare_batch(period, data_dir or None, params_dir or None, cache_dir or None)
    period_dir = Path(output_dir) / period
    defaults = prepared.defaults or load_defaults(params_dir or None)
    framework = load_framework(framework_path(defaults))
    titles = {i.id: i.title for i in framework.indicators}
    results = read_table(prepared, "results")
    assessment = read_table(prepared, "assessment")
    runs = [r for r in manifest.get("runs", []) if isinstance(r, dict)]
    built = dt.datetime.now().strftime("%d %B %Y %H:%M")
    provenance = PROVENANCE + ([SYNTHETIC_PROVENANCE] if prepared.synthetic else [])
    from cjlib.national.spine import front_page_spine

    measures = read_table(prepared, "measures")
    data_status = indicator_statuses(
        framework, synthetic_measures(measures), real_measures(measures)
    )
    areas = []
    for area in council_areas().itertuples():
        area_runs = sorted(
            (r for r in runs if r["area_code"] == area.area_code), key=lambda r: r["notebook"]
        )
        ok = [r for r in area_runs if r["status"] in ("ok", "skipped")]
        failed = any(r["status"] == "failed" for r in area_runs)
        every = assessment[assessment["area_code"] == area.area_code].sort_values("outcome_number")
        national = {o.id for o in framework.outcomes}  # local outcomes are on the area's pages
        rows = every[every["outcome"].isin(national)]
        statuses = {int(r.outcome_number): r.status for r in rows.itertuples()}
        if failed and not ok:
            statuses = dict.fromkeys(statuses, "failed")
        if not area_runs:
            areas.append(
                {
                    "code": area.area_code,
                    "name": area.area_name,
                    "href": None,
                    "statuses": dict.fromkeys(statuses, "not run"),
                }
            )
            continue
        area_dir = period_dir / area.area_code
        mine = results[results["area_code"] == area.area_code]
        indicators_csv = label_rows(download_table(mine, titles), data_status)
        write_csv_atomic(indicators_csv, area_dir / "data" / "indicators.csv")
        outcome_rows = label_outcome_rows(every.drop(columns=["narrative"]), data_status)
        write_csv_atomic(outcome_rows, area_dir / "data" / "assessment.csv")
        downloads = [
            ("All indicator results (CSV)", "data/indicators.csv"),
            ("Outcome assessment (CSV)", "data/assessment.csv"),
        ]
        downloads += [
            (p.name, f"data/{p.name}")
            for p in sorted((area_dir / "data").glob("*.csv"))
            if p.name not in ("indicators.csv", "assessment.csv")
        ]
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
        from cjlib.export.pages import build_area_page

        downloads += write_area_documents(prepared, area.area_code, area_dir, area_runs, params_dir)
        build_area_page(
            area_dir,
            area_name=area.area_name,
            area_code=area.area_code,
            period=period,
            built_at=built,
            version=__version__,
            summary_rows=summary,
            notebook_links=[
                (_notebook_title(r["notebook"], framework), f"{r['notebook']}.html") for r in ok
            ],
            downloads=downloads,
            method_note=method_paragraphs(),
            provenance=provenance,
            synthetic=prepared.synthetic,
            spine_html=front_page_spine(
                results, area.area_code, period, framework, prepared.synthetic
            ),
        )
        areas.append(
            {
                "code": area.area_code,
                "name": area.area_name,
                "href": f"{area.area_code}/index.html",
                "statuses": statuses,
            }
        )
    from cjlib.export.pages import build_national_index
    from cjlib.national.download import write_national_downloads
    from cjlib.national.grid import national_index_extras
    from cjlib.national.pages import build_outcome_pages

    counts = pd.Series([r["status"] for r in runs]).value_counts().to_dict() if runs else {}
    failures = [
        f"{r['area_code']} {r['notebook']}: {r.get('error') or 'failed'}"
        for r in runs
        if r["status"] == "failed"
    ]
    build_national_index(
        period_dir,
        period=period,
        built_at=built,
        version=__version__,
        areas=areas,
        outcomes=[{"number": o.number, "title": o.title} for o in framework.outcomes],
        run_summary={k: int(counts.get(k, 0)) for k in ("ok", "failed", "skipped")},
        failures=failures,
        synthetic=prepared.synthetic,
        **national_index_extras(assessment, runs, framework.outcomes),
    )
    build_outcome_pages(
        period_dir, results=results, framework=framework, runs=runs, period=period,
        built_at=built, version=__version__, synthetic=prepared.synthetic,
    )  # fmt: skip
    write_national_downloads(
        period_dir, results=results, assessment=assessment, framework=framework, period=period,
        measures=read_table(prepared, "measures"), built_at=built, synthetic=prepared.synthetic,
        params_dir=params_dir, data_dir=data_dir,
    )  # fmt: skip
