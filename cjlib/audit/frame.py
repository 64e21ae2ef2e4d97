"""The tidy frame of published cells every attack reads: columns, defaults, public metadata."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE
from cjlib.framework import Framework, load_framework

#: Columns of the published-cells frame (a reader may leave any of them out).
FRAME_COLUMNS = (
    "file", "area_code", "geography", "period", "indicator_id", "indicator_type", "polarity",
    "multiplier", "numerator", "denominator", "value", "lower_ci", "upper_ci", "tolerance",
    "confidence", "marker", "hidden", "rank", "rank_of", "change_label", "baseline_period",
    "trend",
)  # fmt: skip
#: Markers of a cell that is withheld ([c]) or was not returned ([x]).
HIDDEN_MARKERS = ("[c]", "[x]")
NUMBERS = ("numerator", "denominator", "value", "lower_ci", "upper_ci", "multiplier", "rank")


def _geography(codes: pd.Series) -> np.ndarray:
    return np.select(
        [codes.eq(SCOTLAND_CODE), codes.str.startswith("LGBF-")],
        ["scotland", "family_group"],
        "council",
    )


def tidy_frame(frame: pd.DataFrame, framework: Framework | None = None) -> pd.DataFrame:
    """Return ``frame`` with every column of :data:`FRAME_COLUMNS`, filled where public.

    The indicator's type, polarity and multiplier come from the framework (published
    with the packs) when the files do not say; the geography from the area code; a row
    is ``hidden`` when its marker is "[c]" or "[x]" or its ``suppressed`` flag is set.

    Parameters
    ----------
    frame : pandas.DataFrame
        Published rows with at least ``area_code``, ``period`` and ``indicator_id``.
    framework : Framework, optional
        The indicator definitions (the bundled framework by default).

    Returns
    -------
    pandas.DataFrame
        A new frame.
    """
    framework = framework or load_framework()
    out = frame.copy().reset_index(drop=True)
    for column in ("area_code", "period", "indicator_id"):
        if column not in out:
            raise ValueError(f"the published cells have no {column} column")
        out[column] = out[column].astype(str)
    spec = {i.id: i for i in framework.indicators}
    defaults = {
        "indicator_type": lambda i: spec[i].type if i in spec else "count",
        "polarity": lambda i: spec[i].polarity if i in spec else "none",
        "multiplier": lambda i: float(spec[i].multiplier) if i in spec else 1.0,
    }
    for column, pick in defaults.items():
        filled = out["indicator_id"].map(pick)
        out[column] = out[column].fillna(filled) if column in out else filled
    if "geography" not in out:
        out["geography"] = _geography(out["area_code"])
    for column in FRAME_COLUMNS:
        if column not in out:
            out[column] = np.nan
    for column in NUMBERS + ("rank_of", "tolerance", "confidence"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    out["tolerance"] = out["tolerance"].fillna(1e-9)
    out["confidence"] = out["confidence"].fillna(0.95)
    out["file"] = out["file"].fillna("").astype(str)
    for column in ("marker", "change_label", "trend", "baseline_period"):
        text = out[column].astype(object)
        out[column] = text.where(text.notna(), "").astype(str).str.strip()
    flagged = frame["suppressed"] if "suppressed" in frame else pd.Series(False, index=frame.index)
    flagged = flagged.reset_index(drop=True).astype(str).str.lower().isin(["true", "1"])
    out["hidden"] = out["marker"].isin(HIDDEN_MARKERS) | flagged
    for column in out.columns:  # plain objects: row-wise reads are much faster than arrow
        if out[column].dtype != float and out[column].dtype != bool:
            out[column] = out[column].astype(object)
    return out
