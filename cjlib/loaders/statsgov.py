"""Load tidy CSV downloads from statistics.gov.scot into the measures table."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.loaders._common import one_line, read_text_file, tidy_up

#: Columns every statistics.gov.scot tidy CSV download starts with.
STATSGOV_COLUMNS = ("FeatureCode", "DateCode", "Measurement", "Units", "Value")
#: ``frame.attrs`` key: dimension values named in ``measures`` but absent from the file.
ABSENT_DIMENSION_VALUES = "absent_dimension_values"


def read_statsgov_csv(path: str | Path) -> pd.DataFrame:
    """Read a statistics.gov.scot tidy CSV as text, checking its standard columns."""
    path = Path(path)
    text = read_text_file(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        raise CjlibDataError(f"{path}: not a readable CSV file ({one_line(exc)})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("FeatureCode", "DateCode", "Value") if c not in frame.columns]
    if missing:
        raise CjlibDataError(
            f"{path}: missing column(s) {', '.join(missing)}; a statistics.gov.scot tidy "
            f"CSV starts with {', '.join(STATSGOV_COLUMNS)}"
        )
    return frame


def dimension_columns(frame: pd.DataFrame) -> list[str]:
    """Return the dimension columns of a statistics.gov.scot download (after Value)."""
    return [c for c in frame.columns if c not in STATSGOV_COLUMNS and c != "DataMarker"]


def load_statsgov_csv(
    path: str | Path,
    measures: Mapping[str, Mapping[str, str]],
    *,
    where: Mapping[str, str | Iterable[str]] | None = None,
    source: str | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Load a statistics.gov.scot tidy CSV, mapping one dimension's values to measure ids.

    Parameters
    ----------
    path : str or Path
        The downloaded CSV (FeatureCode, DateCode, Measurement, Units, Value, then one
        column per dimension, sometimes DataMarker).
    measures : mapping
        One dimension column mapped to ``{dimension value: measure id}``, e.g.
        ``{"Crime or Offence": {"All Crimes": "crimes_all"}}``. Rows with other
        values of that dimension are left out.
    where : mapping, optional
        Other columns to filter on, each mapped to the value (or values) to keep,
        e.g. ``{"Measurement": "Count", "Gender": "All"}``.
    source : str, optional
        Source label for every row (default: the file name).
    strict : bool
        Raise instead of reporting unknown areas, unreadable periods or values.

    Returns
    -------
    pandas.DataFrame
        The tidy measures table. DataMarker, when present and not empty, is the
        row's marker. ``attrs`` reports unknown areas and the like, and
        :data:`ABSENT_DIMENSION_VALUES` (names in ``measures`` the file does not use).

    Raises
    ------
    CjlibDataError
        When a named column is missing, nothing matches the filter, or one area,
        period and measure is left with two different values (filter another
        dimension with ``where``).
    """
    path = Path(path)
    frame = read_statsgov_csv(path)
    if len(measures) != 1:
        raise CjlibDataError(
            f"measures must name exactly one dimension column, got {list(measures) or 'none'}"
        )
    ((dimension, mapping),) = measures.items()
    for column in [dimension, *(where or {})]:
        if column not in frame.columns:
            raise CjlibDataError(
                f"{path}: no column {column!r}; its dimensions are "
                f"{', '.join(repr(c) for c in dimension_columns(frame))}"
            )
    keep = pd.Series(True, index=frame.index)
    for column, wanted in (where or {}).items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        keep &= frame[column].str.strip().isin(values)
    labels = frame[dimension].str.strip()
    keep &= labels.isin(list(mapping))
    if not keep.any():
        raise CjlibDataError(
            f"{path}: no rows match {dimension!r} in {_first(mapping)} with {dict(where or {})}"
        )
    present = set(labels[keep])
    rows = frame[keep]
    raw = pd.DataFrame(
        {
            "area": rows["FeatureCode"],
            "period": rows["DateCode"],
            "measure_id": labels[keep].map(dict(mapping)),
            "cell": rows["Value"],
        }
    )
    if "DataMarker" in rows:
        raw["marker"] = rows["DataMarker"]
    tidy = tidy_up(raw, source=source or path.name, origin=str(path), strict=strict)
    tidy.attrs[ABSENT_DIMENSION_VALUES] = sorted(set(mapping) - present)
    return tidy


def _first(mapping: Mapping[str, str], n: int = 3) -> str:
    names = list(mapping)
    return ", ".join(repr(k) for k in names[:n]) + (", ..." if len(names) > n else "")
