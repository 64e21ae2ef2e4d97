"""Read tables from GSS accessible spreadsheets (.xlsx), with areas as rows or columns."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.loaders._common import strip_notes, tidy_up

#: ``table.attrs`` keys set by :func:`read_gss_tables`.
HEADER_ROW = "header_row"
ORIGIN = "origin"


def read_gss_tables(
    path: str | Path, sheets: Iterable[str], *, header_rows: Mapping[str, int] | None = None
) -> dict[str, pd.DataFrame]:
    """Read one table from each named sheet of a workbook, opening the file once.

    The header row is the first row with at least two filled cells and at least
    half as many as the widest row, so title and note rows above it are skipped.
    The table ends at the first empty row. ``[note 3]`` references are stripped
    from headers.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` workbook.
    sheets : iterable of str
        Sheet names, e.g. ``["Table_C1", "Table_C4"]``.
    header_rows : mapping, optional
        Sheet name to 1-based header row, where the guess would be wrong.

    Returns
    -------
    dict of str to pandas.DataFrame
        Each table with cleaned text headers and the cells as published (numbers,
        text, markers); ``attrs`` gives :data:`HEADER_ROW` and :data:`ORIGIN`.
    """
    path = Path(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise CjlibDataError(f"{path}: no such file") from exc
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CjlibDataError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    try:
        tables = {}
        for sheet in sheets:
            if sheet not in book.sheetnames:
                raise CjlibDataError(
                    f"{path}: no sheet {sheet!r}; sheets are {', '.join(book.sheetnames)}"
                )
            rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
            header = (header_rows or {}).get(sheet)
            tables[sheet] = _table_from_rows(rows, header, f"{path.name}:{sheet}")
    finally:
        book.close()
    return tables


def find_header_row(rows: list[list[object]]) -> int:
    """Return the 0-based index of the header row below any title and note rows."""
    widths = [sum(not _blank(c) for c in row) for row in rows]
    widest = max(widths, default=0)
    for index, width in enumerate(widths):
        if width >= 2 and width * 2 >= widest:
            return index
    raise CjlibDataError("no header row found (a row with two or more filled cells)")


def _table_from_rows(rows: list[list[object]], header_row: int | None, origin: str) -> pd.DataFrame:
    try:
        start = header_row - 1 if header_row else find_header_row(rows)
    except CjlibDataError as exc:
        raise CjlibDataError(f"{origin}: {exc}") from exc
    header = [strip_notes(c) for c in rows[start]]
    body = []
    for row in rows[start + 1 :]:
        if all(_blank(c) for c in row):
            break
        body.append(row[: len(header)] + [None] * (len(header) - len(row)))
    keep = [i for i, name in enumerate(header) if name or any(not _blank(r[i]) for r in body)]
    names = [header[i] or f"column {i + 1}" for i in keep]
    table = pd.DataFrame([[r[i] for i in keep] for r in body], columns=names, dtype=object)
    table.attrs.update({HEADER_ROW: start + 1, ORIGIN: origin})
    return table


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def _column(table: pd.DataFrame, name: str) -> str:
    """Return the table's column matching ``name`` ignoring case and spacing."""
    if name in table.columns:
        return name
    wanted = " ".join(name.lower().split())
    for column in table.columns:
        if column.lower() == wanted:
            return column
    raise CjlibDataError(
        f"{table.attrs.get(ORIGIN, 'table')}: no column {name!r}; columns are "
        f"{', '.join(repr(c) for c in table.columns)}"
    )


def _filter(table: pd.DataFrame, where: Mapping[str, str] | None) -> pd.DataFrame:
    keep = pd.Series(True, index=table.index)
    for name, wanted in (where or {}).items():
        keep &= table[_column(table, name)].map(strip_notes).str.lower() == wanted.lower()
    if where and not keep.any():
        raise CjlibDataError(f"{table.attrs.get(ORIGIN, 'table')}: no rows where {dict(where)}")
    return table[keep]


def tidy_areas_as_rows(
    table: pd.DataFrame,
    *,
    area_column: str,
    measures: Mapping[str, str],
    period_column: str | None = None,
    period: str | None = None,
    where: Mapping[str, str] | None = None,
    source: str | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Tidy a table with one row per area (and period), one column per measure.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`read_gss_tables`.
    area_column : str
        The column of area names or codes (a Scotland row is kept as S92000003).
    measures : mapping
        Column header (``[note n]`` stripped, any case) to measure id.
    period_column, period : str, optional
        The column holding the period, or one period for the whole table.
    where : mapping, optional
        Column to the one value to keep, e.g. ``{"Sex": "Persons"}``.
    source : str, optional
        Source label for every row (default: the workbook and sheet name).
    strict : bool
        Raise instead of reporting unknown areas, unreadable periods or values.
    """
    rows = _filter(table, where)
    rows = rows[~rows[_column(rows, area_column)].map(_blank)]
    periods = _periods(rows, period_column, period)
    parts = [
        pd.DataFrame(
            {
                "area": rows[_column(rows, area_column)],
                "period": periods,
                "measure_id": measure_id,
                "cell": rows[_column(rows, header)],
            }
        )
        for header, measure_id in measures.items()
    ]
    origin = table.attrs.get(ORIGIN, "table")
    raw = pd.concat(parts, ignore_index=True)
    return tidy_up(raw, source=source or origin, origin=origin, strict=strict)


def tidy_areas_as_columns(
    table: pd.DataFrame,
    *,
    measure_id: str,
    period_column: str | None = None,
    period: str | None = None,
    where: Mapping[str, str] | None = None,
    exclude: Iterable[str] = (),
    source: str | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Tidy a table with one column per area and one row per period (one measure).

    Every column other than the period column, the ``where`` columns and
    ``exclude`` is read as an area; a column header that is not an area is
    reported as an unknown area (or raises when ``strict``).

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`read_gss_tables`.
    measure_id : str
        The measure the cells hold.
    period_column, period : str, optional
        The column holding the period (e.g. ``"Year"``), or one period for the table.
    where : mapping, optional
        Column to the one value to keep, e.g. ``{"Sex": "Persons"}``.
    exclude : iterable of str
        Other columns that are not areas.
    source : str, optional
        Source label for every row (default: the workbook and sheet name).
    strict : bool
        Raise instead of reporting unknown areas, unreadable periods or values.
    """
    rows = _filter(table, where)
    periods = _periods(rows, period_column, period)
    not_areas = {_column(table, c) for c in [*(where or {}), *exclude]}
    if period_column:
        not_areas.add(_column(table, period_column))
    areas = [c for c in table.columns if c not in not_areas]
    parts = [
        pd.DataFrame(
            {"area": area, "period": periods, "measure_id": measure_id, "cell": rows[area]}
        )
        for area in areas
    ]
    origin = table.attrs.get(ORIGIN, "table")
    raw = pd.concat(parts, ignore_index=True)
    return tidy_up(raw, source=source or origin, origin=origin, strict=strict)


def _periods(rows: pd.DataFrame, period_column: str | None, period: str | None) -> pd.Series:
    if (period_column is None) == (period is None):
        raise CjlibDataError("give exactly one of period_column and period")
    if period_column:
        return rows[_column(rows, period_column)].map(strip_notes)
    return pd.Series(period, index=rows.index, dtype=object)
