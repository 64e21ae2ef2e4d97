"""Read tables from GSS accessible spreadsheets (.xlsx), with areas as rows or columns."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.formatting import summarise
from cjlib.loaders._common import strip_notes

#: ``table.attrs`` keys set by :func:`read_gss_tables`.
HEADER_ROW = "header_row"
ORIGIN = "origin"
FILE = "file"
SHEET = "sheet"
#: Index name of a table read from a sheet: each row's 1-based sheet row number.
SHEET_ROW = "sheet_row"


def read_gss_tables(
    path: str | Path, sheets: Iterable[str], *, header_rows: Mapping[str, int] | None = None
) -> dict[str, pd.DataFrame]:
    """Read one table from each named sheet of a workbook, opening the file once.

    The header row is the first row with at least two filled cells and at least
    half as many as the widest row, so title and note rows above it are skipped.
    The table ends at the first empty row or at a footnote row written directly
    under it ("1. These data are ...", "Source: ..."); navigation rows ("Return to
    index", "Go to notes") are skipped. ``[note 3]`` references are stripped from
    headers. Empty cells are None.

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
        text, markers), indexed by sheet row number (:data:`SHEET_ROW`); ``attrs``
        gives :data:`HEADER_ROW`, :data:`ORIGIN`, :data:`FILE` and :data:`SHEET`.
    """
    path = Path(path)
    sheets = list(sheets)
    grids = read_sheet_rows(path, sheets)
    return {
        sheet: _table_from_rows(grids[sheet], (header_rows or {}).get(sheet), path.name, sheet)
        for sheet in sheets
    }


def read_sheet_rows(path: str | Path, sheets: Iterable[str]) -> dict[str, list[list[object]]]:
    """Return every row of each named sheet as a list of cells, opening the file once.

    Uses the fast calamine reader when it is installed, openpyxl otherwise. Empty
    cells are None or ``""``; whole numbers may come back as floats.

    Raises
    ------
    CjlibDataError
        One line: the file is missing, not a readable .xlsx, or has no such sheet.
    """
    path = Path(path)
    if not path.exists():
        raise CjlibDataError(f"{path}: no such file")
    if path.is_dir():
        raise CjlibDataError(f"{path}: is a directory, not a workbook")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"PK\x03\x04":
        raise CjlibDataError(
            f"{path}: not a readable .xlsx workbook (an .xlsx file is a zip archive, this is not); "
            "open it in a spreadsheet program and save it as 'Excel Workbook (.xlsx)'"
        )
    try:
        return _rows_calamine(path, list(sheets))
    except ImportError:
        return _rows_openpyxl(path, list(sheets))


def _missing_sheet(path: Path, sheet: str, names: list[str]) -> CjlibDataError:
    return CjlibDataError(
        f"{path}: no sheet {sheet!r} ({summarise(names, 'sheets')}); "
        "correct the sheet name in the mapping"
    )


def _rows_calamine(path: Path, sheets: list[str]) -> dict[str, list[list[object]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise CjlibDataError(
            f"{path}: not a readable .xlsx workbook ({' '.join(str(exc).split())})"
        ) from exc
    rows = {}
    for sheet in sheets:
        if sheet not in book.sheet_names:
            raise _missing_sheet(path, sheet, book.sheet_names)
        rows[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return rows


def _rows_openpyxl(path: Path, sheets: list[str]) -> dict[str, list[list[object]]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CjlibDataError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    try:
        rows = {}
        for sheet in sheets:
            if sheet not in book.sheetnames:
                raise _missing_sheet(path, sheet, book.sheetnames)
            rows[sheet] = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    return rows


def sheet_names(path: str | Path) -> list[str]:
    """Return a workbook's sheet names (one-line error when it cannot be read)."""
    path = Path(path)
    read_sheet_rows(path, [])
    try:
        from python_calamine import CalamineWorkbook

        return list(CalamineWorkbook.from_path(str(path)).sheet_names)
    except ImportError:
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    except Exception as exc:
        raise CjlibDataError(f"{path}: not a readable .xlsx workbook ({exc})") from exc


def find_header_row(rows: list[list[object]]) -> int:
    """Return the 0-based index of the header row below any title and note rows."""
    widths = [sum(not _blank(c) for c in row) for row in rows]
    widest = max(widths, default=0)
    for index, width in enumerate(widths):
        if width >= 2 and width * 2 >= widest:
            return index
    raise CjlibDataError("no header row found (a row with two or more filled cells)")


#: Rows that only help a reader move around the workbook ("Return to index").
NAVIGATION = re.compile(
    r"^(return|back|go)\s+to\s+(the\s+)?(index|contents|notes|top|table of contents)\b",
    re.IGNORECASE,
)
#: The start of a footnote or source line written in the first cell under a table.
FOOTNOTE = re.compile(
    r"^(\d{1,2}\s*[.):]|\(\d{1,2}\)|\*|\[?note\b|notes?\s*:|sources?\s*:|https?://|"
    r"footnotes?\b|figures? (may|do) not|experimental statistics)",
    re.IGNORECASE,
)


def row_kind(row: list[object]) -> str:
    """Return ``"blank"``, ``"navigation"``, ``"footnote"`` or ``"data"`` for a table row.

    A row whose only filled cell is the first is navigation ("Return to index",
    "Go to notes") or a footnote ("1. These data are ...", "Source: ...", a web
    address) when its text says so. Any other row is data.
    """
    if any(not _blank(c) for c in row[1:]):
        return "data"
    if not row or _blank(row[0]):
        return "blank"
    if not isinstance(row[0], str):
        return "data"
    text = row[0].strip()
    if NAVIGATION.match(text):
        return "navigation"
    if FOOTNOTE.match(text):
        return "footnote"
    return "data"


def _table_from_rows(
    rows: list[list[object]], header_row: int | None, file: str, sheet: str
) -> pd.DataFrame:
    origin = f"{file}:{sheet}"
    try:
        start = header_row - 1 if header_row else find_header_row(rows)
    except CjlibDataError as exc:
        raise CjlibDataError(
            f"{file}: sheet {sheet!r}: {exc}; give the header row in the mapping (header_row)"
        ) from exc
    if start >= len(rows):
        raise CjlibDataError(
            f"{file}: sheet {sheet!r}, row {start + 1}: the sheet has only {len(rows)} rows; "
            "expected the table's header row there; correct header_row in the mapping"
        )
    header = [strip_notes(c) for c in rows[start]]
    body, numbers = [], []
    for index in range(start + 1, len(rows)):
        row = list(rows[index])
        kind = row_kind(row)
        if kind in ("blank", "footnote"):
            break
        if kind == "navigation":
            continue
        body.append(row[: len(header)] + [None] * (len(header) - len(row)))
        numbers.append(index + 1)
    keep = [i for i, name in enumerate(header) if name or any(not _blank(r[i]) for r in body)]
    names = [header[i] or f"column {i + 1}" for i in keep]
    table = pd.DataFrame(
        [[r[i] for i in keep] for r in body],
        columns=names,
        dtype=object,
        index=pd.Index(numbers, name=SHEET_ROW, dtype="int64"),
    )
    table = table.replace("", None)
    table.attrs.update({HEADER_ROW: start + 1, ORIGIN: origin, FILE: file, SHEET: sheet})
    return table


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


def sheet_row(table: pd.DataFrame, index: object) -> int | None:
    """Return the sheet row number (1-based) of a table row: its index label, when known."""
    if table.index.name != SHEET_ROW:
        return None
    return int(index)  # type: ignore[call-overload]


def where_is(table: pd.DataFrame, index: object | None = None) -> str:
    """Return ``"file: sheet 'X', row N"`` for messages (the row when known)."""
    file, sheet = table.attrs.get(FILE), table.attrs.get(SHEET)
    if file is None:
        return table.attrs.get(ORIGIN, "table")
    row = sheet_row(table, index) if index is not None else None
    return f"{file}: sheet {sheet!r}" + (f", row {row}" if row else "")
