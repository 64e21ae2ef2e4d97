"""Finish a batch: every area's pack, each on its own, then the national pages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cjlib.areas import council_areas
from cjlib.documents import write_all_documents
from cjlib.errors import CjlibError
from cjlib.packs.area import build_area_pack
from cjlib.packs.national_pages import build_national_pages
from cjlib.packs.settings import pack_settings
from cjlib.pipeline import BatchContext, prepare_batch


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
