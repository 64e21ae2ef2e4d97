"""Write an area's draft plan and annual report beside its evidence pack (called by the batch)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cjlib.datastatus import SYNTHETIC, csvw_metadata
from cjlib.fileio import write_text_atomic

if TYPE_CHECKING:
    from cjlib.pipeline import BatchContext

#: The two documents, by file name, with the link text on the pack's front page.
DOCUMENTS = {
    "cjoip-draft.docx": "Draft plan (CJOIP), Word",
    "annual-report-draft.docx": "Draft annual report, Word",
}


def area_succeeded(runs: Iterable[Mapping]) -> bool:
    """True when an area has runs and none of them failed."""
    statuses = [str(r.get("status")) for r in runs]
    return bool(statuses) and "failed" not in statuses


def write_documents(
    area_code: str, area_dir: str | Path, *, cache_dir: str | Path, params_dir: str | Path | None
) -> dict[str, int]:
    """Build the area's context from the batch cache and write both documents atomically.

    Returns
    -------
    dict
        File name to size in bytes.
    """
    from cjlib.documents.evidence import outcome_evidence
    from cjlib.documents.plan import build_annual_report, build_plan
    from cjlib.documents.word import write_docx
    from cjlib.report.context import load_context

    ctx = load_context(area_code, cache_dir=str(cache_dir), params_dir=str(params_dir or ""))
    items = outcome_evidence(ctx)  # shared: each outcome's chart is drawn once
    images: dict = {}
    area_dir = Path(area_dir)
    plan, report = build_plan(ctx, items), build_annual_report(ctx, items)
    return {
        "cjoip-draft.docx": write_docx(plan, area_dir / "cjoip-draft.docx", images),
        "annual-report-draft.docx": write_docx(
            report, area_dir / "annual-report-draft.docx", images
        ),
    }


def write_csv_notes(area_dir: str | Path) -> Path | None:
    """Write ``data/csv-metadata.json``: a CSV on the Web note on every CSV of the pack."""
    data_dir = Path(area_dir) / "data"
    tables = {}
    for path in sorted(data_dir.glob("*.csv")):
        with path.open(encoding="utf-8") as stream:
            tables[path.name] = SYNTHETIC in stream.read()
    if not tables:
        return None
    return write_text_atomic(
        json.dumps(csvw_metadata(tables), indent=1), data_dir / "csv-metadata.json"
    )


def _documents_task(task: tuple) -> tuple[str, list[tuple[str, str]] | str]:
    """One area's drafts, in a worker process: its links, or the error as one line."""
    from cjlib.errors import CjlibError

    prepared, area_code, area_dir, runs, params_dir = task
    area_dir = Path(area_dir)
    try:
        if not area_succeeded(runs):
            for name in DOCUMENTS:
                (area_dir / name).unlink(missing_ok=True)
            return area_code, []
        write_documents(area_code, area_dir, cache_dir=prepared.directory, params_dir=params_dir)
    except CjlibError as error:
        return area_code, " ".join(str(error).split())
    return area_code, [(label, name) for name, label in DOCUMENTS.items()]


def write_all_documents(
    prepared: BatchContext,
    areas: Iterable[tuple[str, str | Path, list[Mapping]]],
    params_dir: str | Path | None = None,
    workers: int | None = None,
) -> dict[str, list[tuple[str, str]] | str]:
    """Write every area's drafts, areas in parallel (a document takes about 1 s of CPU).

    Parameters
    ----------
    prepared : BatchContext
        The batch cache.
    areas : iterable of (area code, pack folder, runs)
        The areas with runs in this batch.
    params_dir : path, optional
        The parameters folder of the batch.
    workers : int, optional
        Processes to use (default: the number of cores).

    Returns
    -------
    dict
        Area code to its front-page links, or to the reason (one line) it failed.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    tasks = [
        (prepared, code, str(d), [dict(r) for r in runs], params_dir) for code, d, runs in areas
    ]
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        return dict(map(_documents_task, tasks))
    context = multiprocessing.get_context("spawn")  # no fork of a process with kernel threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return dict(pool.map(_documents_task, tasks))


def write_area_documents(
    prepared: BatchContext,
    area_code: str,
    area_dir: str | Path,
    runs: Iterable[Mapping],
    params_dir: str | Path | None = None,
) -> list[tuple[str, str]]:
    """The batch's hook: notes on the pack's CSVs and, when every run succeeded, both drafts.

    A failed area gets no document, and any draft left from an earlier run is
    removed, so no draft outlives the evidence it was built from.

    Parameters
    ----------
    prepared : BatchContext
        The batch cache (:func:`cjlib.pipeline.prepare_batch`).
    area_code : str
        The area's GSS code.
    area_dir : path
        The area's pack folder.
    runs : iterable of mapping
        The area's runs from the manifest (``status`` "ok", "skipped" or "failed").
    params_dir : path, optional
        The parameters folder of the batch.

    Returns
    -------
    list of (str, str)
        Link text and relative link of each document written, for the front page.
    """
    area_dir = Path(area_dir)
    write_csv_notes(area_dir)
    if not area_succeeded(list(runs)):
        for name in DOCUMENTS:
            (area_dir / name).unlink(missing_ok=True)
        return []
    write_documents(area_code, area_dir, cache_dir=prepared.directory, params_dir=params_dir)
    return [(label, name) for name, label in DOCUMENTS.items()]
