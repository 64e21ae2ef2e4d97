"""Build one area's pack: its front page, its data downloads and its Word drafts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from cjlib import __version__
from cjlib.assess.grades import not_used_reasons
from cjlib.datastatus import label_outcome_rows, label_rows
from cjlib.documents import write_area_documents, write_csv_notes
from cjlib.errors import CjlibError
from cjlib.fileio import write_csv_atomic
from cjlib.framework import Framework
from cjlib.gaps import decision_gap
from cjlib.packs.front_rows import headline_rows, not_used_rows
from cjlib.packs.settings import PackSettings
from cjlib.params import area_params_or_default
from cjlib.paths import NOTEBOOKS_DIR
from cjlib.report.method import method_paragraphs
from cjlib.report.summary import describe_indicators_used
from cjlib.report.tables import download_table


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
            "partnership_decision": r.decided_priority or decision_gap(r.outcome),
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
