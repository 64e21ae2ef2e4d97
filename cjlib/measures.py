"""The tidy measures table: one row per area, period and measure."""

from __future__ import annotations

import pandas as pd

from cjlib.periods import by_period

#: Columns of the tidy measures table, in order.
MEASURE_COLUMNS = ["area_code", "period", "measure_id", "value", "marker", "source"]
#: Source label carried by every synthetic row.
SYNTHETIC_SOURCE = "synthetic demonstration data"
#: The banner on every page, and the notice on every document, that shows synthetic data.
DEMO_TEXT = (
    "This page uses synthetic demonstration data, not official statistics. "
    "The figures were generated to show how the evidence pack works: "
    "do not use them to make decisions or quote them."
)
#: Added to a source line whose figures include synthetic data.
DEMO_NOTE = f" ({SYNTHETIC_SOURCE}, not official statistics)"


def make_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as a tidy measures table with the standard columns and types.

    Parameters
    ----------
    frame : pandas.DataFrame
        Must hold ``area_code``, ``period``, ``measure_id`` and ``value``; ``marker``
        (default ``""``) and ``source`` (default ``""``) are optional.

    Returns
    -------
    pandas.DataFrame
        A new frame with exactly :data:`MEASURE_COLUMNS`, ``value`` as float,
        sorted by measure, area and period.
    """
    out = frame.copy()
    missing = [c for c in ("area_code", "period", "measure_id", "value") if c not in out]
    if missing:
        raise KeyError(f"measures table is missing column(s) {missing}")
    if "marker" not in out:
        out["marker"] = ""
    if "source" not in out:
        out["source"] = ""
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    for column in ("area_code", "period", "measure_id", "marker", "source"):
        out[column] = out[column].fillna("").astype(str)
    out = out[MEASURE_COLUMNS].sort_values(["measure_id", "area_code", "period"], key=by_period)
    return out.reset_index(drop=True)


def empty_measures() -> pd.DataFrame:
    """Return an empty tidy measures table."""
    return make_measures(pd.DataFrame(columns=MEASURE_COLUMNS))


def combine_measures(*frames: pd.DataFrame) -> pd.DataFrame:
    """Concatenate tidy measures tables into one."""
    frames = tuple(f for f in frames if len(f))
    if not frames:
        return empty_measures()
    return make_measures(pd.concat(frames, ignore_index=True))
