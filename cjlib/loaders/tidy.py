"""Load cjlib's own tidy measures format from CSV or parquet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.loaders._common import one_line, read_text_file, tidy_up

#: Columns a tidy measures file must have; ``marker`` and ``source`` are optional.
REQUIRED_COLUMNS = ("area_code", "period", "measure_id", "value")
PARQUET_SUFFIXES = (".parquet", ".pq")


def read_table_file(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8) or parquet file with every column as text, nothing parsed.

    Raises
    ------
    CjlibDataError
        With one line naming the file, when it is missing, empty, binary or not UTF-8.
    """
    path = Path(path)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        try:
            frame = pd.read_parquet(path)
        except FileNotFoundError as exc:
            raise CjlibDataError(f"{path}: no such file") from exc
        except Exception as exc:  # pyarrow raises several unrelated types
            raise CjlibDataError(f"{path}: not a readable parquet file ({exc})") from exc
        return frame.astype(object).where(frame.notna(), "")
    text = read_text_file(path)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.ParserError as exc:
        raise CjlibDataError(f"{path}: not a readable CSV file ({one_line(exc)})") from exc


def load_tidy(path: str | Path, *, source: str | None = None, strict: bool = False) -> pd.DataFrame:
    """Load a tidy measures file (CSV or parquet) and normalise it.

    ``area_code`` may hold codes, legacy codes or names; ``period`` may be written
    ``"2023/2024"``, ``"2023/24"`` or ``"2023-2024"``; ``value`` may hold GSS
    shorthand such as ``"[c]"``. A non-empty ``marker`` column wins over a marker
    read from the value.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` file (UTF-8) or a ``.parquet`` file.
    source : str, optional
        Source label for rows with no ``source`` of their own (default: the file name).
    strict : bool
        Raise :class:`~cjlib.errors.CjlibDataError` on unknown areas, unreadable
        periods or values, instead of reporting them in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        The tidy measures table; see :func:`cjlib.loaders.load_report` for what was
        dropped or could not be read.
    """
    path = Path(path)
    raw = read_table_file(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise CjlibDataError(
            f"{path}: missing required column(s) {', '.join(missing)}; a tidy measures "
            "file has area_code, period, measure_id, value and optionally marker, source"
        )
    cells = raw[list(REQUIRED_COLUMNS)].astype(str)
    blank = cells.apply(lambda c: c.str.strip().eq("")).all(axis=1)
    raw = raw[~blank]
    frame = pd.DataFrame(
        {
            "area": raw["area_code"],
            "period": raw["period"],
            "measure_id": raw["measure_id"].astype(str).str.strip(),
            "cell": raw["value"],
        }
    )
    if "marker" in raw:
        frame["marker"] = raw["marker"]
    if "source" in raw:
        frame["source"] = raw["source"].astype(str).str.strip()
    return tidy_up(frame, source=source or path.name, origin=str(path), strict=strict)
