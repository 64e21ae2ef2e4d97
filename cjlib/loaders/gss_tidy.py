"""Tidy tables read from GSS spreadsheets: areas as rows or columns, periods as columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict, Unpack

import pandas as pd

from cjlib.areas import area_code
from cjlib.errors import CjlibDataError
from cjlib.loaders._common import area_label, read_period, strip_notes, tidy_up
from cjlib.loaders.gss_xlsx import HEADER_ROW, ORIGIN, where_is
from cjlib.periods import financial_year

#: Labels of a Scotland row in an area column, besides "Scotland" (any case).
SCOTLAND_LABELS = ("All", "All areas", "All local authorities", "All council areas")


class AreaOptions(TypedDict, total=False):
    """How to read a table's area labels: the keywords of :func:`area_rows`.

    scotland_labels : iterable of str
        Area labels that mean Scotland besides "Scotland" (default "All" and the like).
    exclude_areas : iterable of str
        Area labels to leave out without reporting them, e.g. ``["Other", "Unknown"]``.
    aliases : mapping, optional
        A publisher's own area spelling to a name cjlib knows.
    strict : bool
        Raise instead of reporting unknown areas, unreadable periods or values.
    """

    scotland_labels: Iterable[str]
    exclude_areas: Iterable[str]
    aliases: Mapping[str, str] | None
    strict: bool


def column_of(table: pd.DataFrame, name: str) -> str:
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


def rows_where(table: pd.DataFrame, where: Mapping[str, str] | None) -> pd.DataFrame:
    """Return the rows whose ``where`` columns hold the given values (any case, notes ignored)."""
    keep = pd.Series(True, index=table.index)
    for name, wanted in (where or {}).items():
        keep &= table[column_of(table, name)].map(strip_notes).str.lower() == wanted.lower()
    if where and not keep.any():
        raise CjlibDataError(
            f"{where_is(table)}: no rows where {dict(where)}; expected those values in the "
            "table; check the spelling in the mapping against the sheet"
        )
    return table[keep]


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
    column = column_of(table, area_column)
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
    source: str | None = None,
    **areas: Unpack[AreaOptions],
) -> pd.DataFrame:
    """Tidy a table with one row per area (and period), one column per measure.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`read_gss_tables` with a column for each measure.
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
    **areas
        How to read the area labels (:class:`AreaOptions`): ``scotland_labels``,
        ``exclude_areas``, ``aliases`` and ``strict``.
    """
    rows, labels = area_rows(rows_where(table, where), area_column, **areas)
    periods = _periods(rows, period_column, period)
    parts = [
        pd.DataFrame(
            {
                "area": labels,
                "period": periods,
                "measure_id": measure_id,
                "cell": rows[column_of(rows, header)],
            }
        )
        for header, measure_id in measures.items()
    ]
    return _tidy(table, parts, source, areas.get("strict", False))


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
    source: str | None = None,
    **areas: Unpack[AreaOptions],
) -> pd.DataFrame:
    """Tidy a table with areas as rows and periods as columns ("2015-16", ..., "2024-25").

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`read_gss_tables` with a column for each period.
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
    source, **areas
        As for :func:`tidy_areas_as_rows`.
    """
    chosen = list(columns) if columns is not None else period_columns(table)
    chosen = [column_of(table, c) for c in chosen]
    if not chosen:
        raise CjlibDataError(
            f"{where_is(table)}, row {table.attrs.get(HEADER_ROW)}: no column header reads as "
            f"a period; expected headers such as 2023-24 or 2023; columns are "
            f"{', '.join(repr(c) for c in table.columns)}; give header_row in the mapping"
        )
    parts = []
    for measure_id, where in measures.items():
        rows, labels = area_rows(rows_where(table, where), area_column, **areas)
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
    return _tidy(table, parts, source, areas.get("strict", False))


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
    rows = rows_where(table, where)
    periods = _periods(rows, period_column, period)
    not_areas = {column_of(table, c) for c in [*(where or {}), *exclude]}
    if period_column:
        not_areas.add(column_of(table, period_column))
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
        return rows[column_of(rows, period_column)].map(strip_notes)
    return pd.Series(period, index=rows.index, dtype=object)
