"""Read tables from GSS accessible spreadsheets (.xlsx), with areas as rows or columns."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd

from cjlib.areas import area_code
from cjlib.errors import CjlibDataError
from cjlib.loaders._common import area_label, read_period, strip_notes, tidy_up
from cjlib.periods import financial_year

#: ``table.attrs`` keys set by :func:`read_gss_tables`.
HEADER_ROW = "header_row"
ORIGIN = "origin"
FILE = "file"
SHEET = "sheet"
#: Index name of a table read from a sheet: each row's 1-based sheet row number.
SHEET_ROW = "sheet_row"
#: Labels of a Scotland row in an area column, besides "Scotland" (any case).
SCOTLAND_LABELS = ("All", "All areas", "All local authorities", "All council areas")


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
        f"{path}: no sheet {sheet!r}; sheets are {', '.join(names)}; "
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


def _column(table: pd.DataFrame, name: str) -> str:
    """Return the table's column matching ``name`` ignoring case and spacing."""
    if name in table.columns:
        return name
    wanted = " ".join(name.lower().split())
    for column in table.columns:
        if column.lower() == wanted:
            return column
    raise CjlibDataError(
        f"{where_is(table)}, row {table.attrs.get(HEADER_ROW, '?')}: no column {name!r}; "
        f"expected it in the header row, whose columns are "
        f"{', '.join(repr(c) for c in table.columns)}; correct the mapping or its header_row"
    )


def _filter(table: pd.DataFrame, where: Mapping[str, str] | None) -> pd.DataFrame:
    keep = pd.Series(True, index=table.index)
    for name, wanted in (where or {}).items():
        keep &= table[_column(table, name)].map(strip_notes).str.lower() == wanted.lower()
    if where and not keep.any():
        raise CjlibDataError(
            f"{where_is(table)}: no rows where {dict(where)}; expected those values in the "
            "table; check the spelling in the mapping against the sheet"
        )
    return table[keep]


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


def area_rows(
    table: pd.DataFrame,
    area_column: str,
    *,
    scotland_labels: Iterable[str] = SCOTLAND_LABELS,
    exclude_areas: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    strict: bool = False,
) -> tuple[pd.DataFrame, pd.Series]:
    """Return the table's area rows and their area labels, cleaned.

    Footnote numbers and ``[note n]`` are stripped from labels; a label in
    ``scotland_labels`` (any case, e.g. ``"All"``) becomes ``"Scotland"``; rows
    whose label is in ``exclude_areas`` (e.g. ``"Other"``, ``"Unknown"``) and rows
    with an empty label are left out; ``aliases`` maps a publisher's own spelling
    (``"Edinburgh City"``) to a name cjlib knows (``"City of Edinburgh"``).

    Raises
    ------
    CjlibDataError
        When ``strict`` and a label is not a council area or Scotland: one line with
        the file, sheet, row, the label, what was expected and what to do.
    """
    column = _column(table, area_column)
    published = table[column].astype(object).where(table[column].notna(), "")
    aliases = {area_label(k): v for k, v in (aliases or {}).items()}
    scotland = {" ".join(str(x).lower().split()) for x in scotland_labels}
    excluded = {" ".join(str(x).lower().split()) for x in exclude_areas}
    cleaned = {}
    for value in pd.unique(published):
        label = aliases.get(area_label(value), area_label(value))
        if label.lower() in scotland:
            label = "Scotland"
        cleaned[value] = "" if label.lower() in excluded else label
    labels = published.map(cleaned)
    keep = labels.ne("")
    rows, labels = table[keep], labels[keep]
    if strict:
        bad = [v for v, label in cleaned.items() if label and area_code(label) is None]
        if bad:
            index = rows.index[rows[column].isin(bad)][0]
            raise CjlibDataError(
                f"{where_is(table, index)}: {table.at[index, column]!r} in column "
                f"{column!r} is not a council area; expected one of the 32 council area "
                "names, a GSS code or a Scotland row; add it to exclude_areas or "
                "scotland_labels in the mapping if it is not a council"
            )
    return rows, labels


def tidy_areas_as_rows(
    table: pd.DataFrame,
    *,
    area_column: str,
    measures: Mapping[str, str],
    period_column: str | None = None,
    period: str | None = None,
    where: Mapping[str, str] | None = None,
    scotland_labels: Iterable[str] = SCOTLAND_LABELS,
    exclude_areas: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
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
    scotland_labels : iterable of str
        Area labels that mean Scotland besides "Scotland" (default "All" and the like).
    exclude_areas : iterable of str
        Area labels to leave out without reporting them, e.g. ``["Other", "Unknown"]``.
    aliases : mapping, optional
        A publisher's own area spelling to a name cjlib knows.
    source : str, optional
        Source label for every row (default: the workbook and sheet name).
    strict : bool
        Raise instead of reporting unknown areas, unreadable periods or values.
    """
    rows = _filter(table, where)
    rows, labels = area_rows(
        rows,
        area_column,
        scotland_labels=scotland_labels,
        exclude_areas=exclude_areas,
        aliases=aliases,
        strict=strict,
    )
    periods = _periods(rows, period_column, period)
    parts = [
        pd.DataFrame(
            {
                "area": labels,
                "period": periods,
                "measure_id": measure_id,
                "cell": rows[_column(rows, header)],
            }
        )
        for header, measure_id in measures.items()
    ]
    return _tidy(table, parts, source, strict)


def period_columns(table: pd.DataFrame) -> list[str]:
    """Return the table's columns whose header reads as a period ("2017-18 [note 7]", 2018)."""
    return [c for c in table.columns if read_period(c) is not None]


def tidy_periods_as_columns(
    table: pd.DataFrame,
    *,
    area_column: str,
    measures: Mapping[str, Mapping[str, str] | None],
    columns: Iterable[str] | None = None,
    calendar_to_financial: bool = False,
    scotland_labels: Iterable[str] = SCOTLAND_LABELS,
    exclude_areas: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
    source: str | None = None,
    strict: bool = False,
) -> pd.DataFrame:
    """Tidy a table with areas as rows and periods as columns ("2015-16", ..., "2024-25").

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`read_gss_tables`.
    area_column : str
        The column of area names or codes.
    measures : mapping
        Measure id to the rows that hold it: ``{column: value}`` filters such as
        ``{"Crime group": "Total Crimes", "Crime type": "Total"}`` (``[note n]``
        ignored, any case), or None when every row is the one measure.
    columns : iterable of str, optional
        The period columns (default: every column whose header reads as a period;
        "% change" columns are not periods and are left out).
    calendar_to_financial : bool
        Read a calendar-year column ``"2018"`` as the financial year starting in it,
        ``"2018-19"`` (mid-year estimates: 30 June falls early in that year).
    scotland_labels, exclude_areas, aliases, source, strict
        As for :func:`tidy_areas_as_rows`.
    """
    chosen = list(columns) if columns is not None else period_columns(table)
    chosen = [_column(table, c) for c in chosen]
    if not chosen:
        raise CjlibDataError(
            f"{where_is(table)}, row {table.attrs.get(HEADER_ROW)}: no column header reads as "
            f"a period; expected headers such as 2023-24 or 2023; columns are "
            f"{', '.join(repr(c) for c in table.columns)}; give header_row in the mapping"
        )
    parts = []
    for measure_id, where in measures.items():
        rows = _filter(table, where)
        rows, labels = area_rows(
            rows,
            area_column,
            scotland_labels=scotland_labels,
            exclude_areas=exclude_areas,
            aliases=aliases,
            strict=strict,
        )
        for column in chosen:
            label = strip_notes(column)
            if calendar_to_financial and _is_year(label):
                label = financial_year(int(float(label)))
            parts.append(
                pd.DataFrame(
                    {
                        "area": labels,
                        "period": label,
                        "measure_id": measure_id,
                        "cell": rows[column],
                    }
                )
            )
    return _tidy(table, parts, source, strict)


def _is_year(label: str) -> bool:
    period = read_period(label)
    return period is not None and len(period) == 4


def _tidy(
    table: pd.DataFrame, parts: list[pd.DataFrame], source: str | None, strict: bool
) -> pd.DataFrame:
    origin = table.attrs.get(ORIGIN, "table")
    if not parts:
        raise CjlibDataError(f"{where_is(table)}: no measures to read; name at least one")
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
    return _tidy(table, parts, source, strict)


def _periods(rows: pd.DataFrame, period_column: str | None, period: str | None) -> pd.Series:
    if (period_column is None) == (period is None):
        raise CjlibDataError("give exactly one of period_column and period")
    if period_column:
        return rows[_column(rows, period_column)].map(strip_notes)
    return pd.Series(period, index=rows.index, dtype=object)
