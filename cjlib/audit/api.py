"""The audit's two entry points: a built output folder, or the batch's prepared tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cjlib.audit.finding import Finding
from cjlib.audit.reader import read_output
from cjlib.audit.run import audit_frame
from cjlib.report.tables import DOWNLOAD_COLUMNS

#: Columns of the results table an outsider can read somewhere in the packs.
PUBLISHED_COLUMNS = (
    *DOWNLOAD_COLUMNS, "geography", "indicator_type", "polarity", "multiplier",
    "baseline_period", "rank", "rank_of",
)  # fmt: skip


def audit_output(folder: str | Path, threshold: int = 5) -> list[Finding]:
    """Read a built output folder (``outputs/<period>/``) and attack what it publishes.

    Raises
    ------
    FileNotFoundError
        If ``folder`` is not a folder.
    """
    return audit_frame(read_output(folder), threshold)


def audit_tables(
    results: pd.DataFrame, threshold: int = 5, period: str | None = None
) -> list[Finding]:
    """Attack the batch's published results table without reading any file.

    Parameters
    ----------
    results : pandas.DataFrame
        ``cjlib.pipeline.read_table(ctx, "results")``: the table after disclosure
        control, from which every page and download is made.
    threshold : int, default 5
        The batch's suppression threshold.
    period : str, optional
        The reporting period. Ranks are printed on the pages for this period only, so
        other periods' ranks are dropped; all ranks are used when it is None.

    Returns
    -------
    list of Finding
        Empty when nothing is disclosed.
    """
    frame = results[[c for c in PUBLISHED_COLUMNS if c in results.columns]].copy()
    if period is not None and "rank" in frame:
        other = frame["period"] != period
        frame.loc[other, ["rank", "rank_of"]] = float("nan")
    frame["file"] = "results table"
    frame["tolerance"] = 1e-6
    return audit_frame(frame, threshold)


def audit_message(findings: list[Finding]) -> str:
    """One line saying why a batch must not publish, naming the first disclosed cell.

    Empty when nothing is disclosed.
    """
    if not findings:
        return ""
    first = findings[0]
    cells = "cell" if len(findings) == 1 else "cells"
    return (
        f"disclosure audit: {len(findings)} hidden {cells} can be worked out "
        f"(first: {first.cell}, narrowed to {first.narrowed_to})"
    )
