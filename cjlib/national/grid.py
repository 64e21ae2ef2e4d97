"""What each cell of the national grid shows beyond the status: priorities and a link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from cjlib.gaps import TO_COMPLETE

#: Short words for a suggested or decided priority, explained in the grid's key.
PRIORITY_WORDS = {"priority": "yes", "not a priority": "no", "review the evidence": "review"}
#: Folder of the national benchmarking pages, inside the period's folder.
NATIONAL_DIR = "national"


def priority_word(value: object, missing: str) -> str:
    """Return "yes", "no" or "review" for a priority, ``missing`` when none is recorded."""
    text = " ".join(str(value).strip().lower().split()) if isinstance(value, str) else ""
    if not text or text == "nan":
        return missing
    return PRIORITY_WORDS.get(text, text)


def outcome_page_hrefs(runs: Iterable[Mapping[str, Any]]) -> dict[str, dict[int, str]]:
    """Area code to outcome number to the area's outcome page, for runs that built one."""
    hrefs: dict[str, dict[int, str]] = {}
    for run in runs:
        stem = str(run.get("notebook", ""))
        if run.get("status") not in ("ok", "skipped") or not stem[:2].isdigit():
            continue
        number = int(stem[:2])
        if 1 <= number <= 9:
            hrefs.setdefault(str(run["area_code"]), {})[number] = f"{run['area_code']}/{stem}.html"
    return hrefs


def grid_cells(
    assessment: pd.DataFrame, runs: Iterable[Mapping[str, Any]], outcome_ids: Iterable[str]
) -> dict[str, dict[int, dict[str, str | None]]]:
    """Return, per area and outcome, the suggested and decided priority and the page link.

    Parameters
    ----------
    assessment : pandas.DataFrame
        The batch's assessment table (``area_code``, ``outcome_number``,
        ``suggested_priority``, ``decided_priority``).
    runs : iterable of mapping
        The manifest's runs (``area_code``, ``notebook``, ``status``).
    outcome_ids : iterable of str
        The national outcomes' ids; local outcomes (numbered on their own) are left out.

    Returns
    -------
    dict
        ``{area_code: {outcome_number: {"suggested", "decided", "href"}}}``;
        ``href`` is relative to the national index, or None without a page.
    """
    hrefs = outcome_page_hrefs(runs)
    cells: dict[str, dict[int, dict[str, str | None]]] = {}
    national = assessment[assessment["outcome"].isin(set(outcome_ids))]
    for row in national.to_dict("records"):
        code, number = str(row["area_code"]), int(row["outcome_number"])
        cells.setdefault(code, {})[number] = {
            "suggested": priority_word(row.get("suggested_priority"), "not assessed"),
            "decided": priority_word(row.get("decided_priority"), TO_COMPLETE),
            "href": hrefs.get(code, {}).get(number),
        }
    return cells


def national_index_extras(
    assessment: pd.DataFrame, runs: Iterable[Mapping[str, Any]], outcomes: Iterable[Any]
) -> dict[str, Any]:
    """Keyword arguments for :func:`cjlib.export.pages.build_national_index`: cells and pages.

    ``outcomes`` are the framework's national outcomes (with ``id`` and ``number``).
    """
    outcomes = [o for o in outcomes if not getattr(o, "local", False)]
    return {
        "cells": grid_cells(assessment, list(runs), [o.id for o in outcomes]),
        "outcome_pages": {o.number: f"{NATIONAL_DIR}/outcome-{o.number}.html" for o in outcomes},
    }
