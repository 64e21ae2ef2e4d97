"""Build the national pages of a batch: the index, the outcome pages and the downloads."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cjlib import __version__
from cjlib.packs.settings import PackSettings
from cjlib.pipeline import read_table


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
        One grid row per area, from :func:`cjlib.packs.area.build_area_pack`.
    runs : list of mapping
        The manifest's run entries.
    problems : list of str
        Further failures to show, such as an area whose front page could not be built.
    """
    from cjlib.audit import audit_message, audit_tables
    from cjlib.export.checks import strip_local_paths
    from cjlib.export.pages import CjlibExportError, build_national_index
    from cjlib.national.download import download_links, write_national_downloads
    from cjlib.national.grid import national_index_extras
    from cjlib.national.pages import build_outcome_pages

    defaults = settings.prepared.defaults
    threshold = defaults.suppression_threshold if defaults is not None else 5
    leak = getattr(settings.prepared, "disclosure", None)
    if leak is None:  # tables not prepared by prepare_batch: attack them here
        leak = audit_message(audit_tables(settings.results, threshold, period=settings.period))
    if leak:  # the built-in attack found a way to work out a hidden count: publish nothing
        raise CjlibExportError(f"national pages not published: {leak}")
    counts = pd.Series([r["status"] for r in runs]).value_counts().to_dict() if runs else {}
    failures = [
        f"{r['area_code']} {r['notebook']}: {r.get('error') or 'failed'}"
        for r in runs
        if r["status"] == "failed"
    ]
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
        downloads=download_links(settings.period_dir, settings.period),
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
