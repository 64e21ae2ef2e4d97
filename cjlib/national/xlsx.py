"""The national spreadsheet, following the Analysis Function's accessible spreadsheet guidance.

A cover sheet, a contents sheet and a notes sheet come first; then one table
per sheet, starting in cell A1 with a single header row, no merged cells, no
blank cells (shorthand such as [c] and [x] instead, explained in the notes),
each marked up as an Excel table with a plain name.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd

from cjlib.assess.rules import COMPARISON_RULE
from cjlib.fileio import atomic_path

#: Shorthand used in the spreadsheet and what it means.
SHORTHAND = {
    "[c]": "confidential: suppressed to protect people in small numbers (counts of 1 to 4, "
    "and figures that would reveal them)",
    "[x]": "not available: the figure was not returned or could not be computed",
    "[z]": "not applicable: the figure has no meaning for this row",
}
#: Column notes shown on the notes sheet.
COLUMN_NOTES = [
    ("geography", "council (a council area), family_group (the pooled LGBF family group) "
     "or scotland"),
    ("family_group", "LGBF comparator family group code: LGBF-D1 least deprived to LGBF-D4 "
     "most deprived (deprivation grouping); LGBF-U1 to U4 urban to rural"),
    ("value, lower_ci, upper_ci", "the indicator's value and its confidence interval at the "
     "level in the confidence column (Wilson score for shares; Byar's method for counts and "
     "rates, exact Poisson below 10 events)"),
    ("compare_scotland, compare_family", "better, worse or not significantly different, "
     "judged by the polarity (higher or lower where the indicator has no direction; not "
     "compared for counts). " + COMPARISON_RULE),
    ("rank, rank_of", "rank among the council areas with a published value (1 = best), for "
     "rates and shares with a direction"),
    ("change_label, trend", "change since the baseline period and the trend over recent years"),
    ("polarity", "higher_is_better, lower_is_better or none"),
    ("wording_status", "confirmed: the framework's published wording; to_be_confirmed: "
     "pending the Guidance and Technical Notes; cjlib_derived: a rate or share derived by cjlib"),
    ("data_status", "official: from published statistics; synthetic: demonstration data made "
     "by cjlib, not official statistics"),
    ("suggested_priority, decided_priority", "what the evidence suggests, and the "
     "partnership's own decision from its parameters file"),
]  # fmt: skip


def _clean(value: object, marker: str = "") -> object:
    if value is None or value is pd.NA:
        return marker or "[x]"
    if isinstance(value, float) and math.isnan(value):
        return marker or "[x]"
    if isinstance(value, str):
        return value if value.strip() else "[x]"
    if hasattr(value, "item"):
        return value.item()
    return value


_FIGURES = {"numerator", "denominator", "value", "lower_ci", "upper_ci"}


def _rows(frame: pd.DataFrame):
    columns = list(frame.columns)
    markers = frame["marker"].tolist() if "marker" in frame else [""] * len(frame)
    for values, marker in zip(frame.itertuples(index=False, name=None), markers, strict=True):
        mark = marker if isinstance(marker, str) else ""
        yield [
            _clean(v, mark if c in _FIGURES else "") for c, v in zip(columns, values, strict=True)
        ]


def _table_sheet(
    book, title: str, frame: pd.DataFrame, table_name: str, widths: dict[str, int] | None = None,
    links: dict[int, str] | None = None,
) -> None:  # fmt: skip
    """Write one table on its own sheet: header row in A1, data below, an Excel table."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    sheet = book.create_sheet(title)
    for i, column in enumerate(frame.columns, start=1):
        width = (widths or {}).get(column) or max(12, min(40, len(column) + 4))
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(list(frame.columns))
    for number, row in enumerate(_rows(frame), start=2):
        if links and number in links:
            cell = WriteOnlyCell(sheet, value=row[0])
            cell.hyperlink = Hyperlink(ref=f"A{number}", location=links[number], display=row[0])
            cell.font = Font(color="0065BD", underline="single")
            row = [cell, *row[1:]]
        sheet.append(row)
    ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    table = Table(displayName=table_name, ref=ref)
    table.tableColumns = [TableColumn(id=i, name=str(c)) for i, c in enumerate(frame.columns, 1)]
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    with warnings.catch_warnings():  # the columns were added just above
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
        sheet.add_table(table)


def write_workbook(
    path: str | Path,
    *,
    indicators: pd.DataFrame,
    assessment: pd.DataFrame,
    period: str,
    built_at: str,
    synthetic: bool,
) -> Path:
    """Write the national spreadsheet atomically.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    indicators, assessment : pandas.DataFrame
        The tables of :mod:`cjlib.national.download`.
    period : str
        The reporting year.
    built_at : str
        When the batch was built.
    synthetic : bool
        Say on the cover that some figures are synthetic.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    cover = book.create_sheet("Cover")
    cover.column_dimensions["A"].width = 120
    lines = [
        f"Community justice indicators and outcome assessment for every council area, {period}",
        "This workbook holds every indicator for every council area, Scotland and the LGBF "
        "family groups, for every year available, and each area's assessment of the nine "
        "national community justice outcomes with its draft narrative.",
        f"Reporting year: {period} (1 April to 31 March).",
        f"Built: {built_at} by cjlib.",
        "Disclosure control: counts of 1 to 4, and any figure that would reveal them, are "
        "suppressed and shown as [c].",
        "Shorthand: [c] confidential (suppressed); [x] not available or not applicable. "
        "See the Notes sheet.",
        "The Contents sheet lists the tables; each is on its own sheet, starting in cell A1.",
    ]
    if synthetic:
        lines.insert(
            2,
            "Warning: some figures are synthetic demonstration data, not official statistics "
            "(data_status column). Do not use them to make decisions or quote them.",
        )
    title = WriteOnlyCell(cover, value=lines[0])
    title.font = Font(bold=True, size=14)
    cover.append([title])
    for line in lines[1:]:
        cover.append([line])

    contents = pd.DataFrame(
        {
            "Sheet name": ["Notes", "Indicators", "Assessment"],
            "Description": [
                "What the columns and the shorthand mean",
                "One row per area, year and indicator: value, interval, numerator, "
                "denominator, comparisons, rank, suppression marker, definition and source",
                "One row per area and national outcome: status, how near, suggested "
                "priority, the partnership's decision and the draft narrative",
            ],
            "Rows": [len(COLUMN_NOTES) + len(SHORTHAND), len(indicators), len(assessment)],
        }
    )
    notes = pd.DataFrame(
        [(k, v) for k, v in SHORTHAND.items()] + COLUMN_NOTES, columns=["Item", "Meaning"]
    )
    links = {row: f"'{name}'!A1" for row, name in enumerate(contents["Sheet name"], start=2)}
    _table_sheet(book, "Contents", contents, "contents", {"Description": 100}, links)
    _table_sheet(book, "Notes", notes, "notes", {"Item": 36, "Meaning": 110})
    _table_sheet(book, "Indicators", indicators, "indicators")
    _table_sheet(book, "Assessment", assessment, "assessment", {"narrative": 80})
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)
