"""Escaping, small HTML builders and atomic file writes shared by display and export.

Everything here returns plain ``str`` HTML fragments in which every piece of
text that came from data or parameters has been escaped.  The fragments use the
``cj-`` CSS classes of ``cjlib/export/static/cj.css`` but read correctly without
it (for example in JupyterLab).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cjlib.markers import LEGACY, MARKERS, QUALIFIERS

#: Shown for a missing cell that has no marker of its own: "not available".
DEFAULT_MISSING = "[x]"
#: Column that, when present, gives the GSS marker of the row's missing cells.
MARKER_COLUMN = "marker"

Formatter = Callable[[Any], str] | str

_CSV_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.csv$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])")
_BULLET = re.compile(r"^\s*[-*]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")


def escape(value: object) -> str:
    """Escape any value as HTML text (quotes included); None becomes ``""``."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def slugify(text: str, default: str = "item") -> str:
    """Turn a title into a lower-case file-name slug such as ``"custody-referrals"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")
    return slug[:60].rstrip("-") or default


def check_csv_name(csv_name: str) -> str:
    """Return ``csv_name`` if it is a plain file name ending ``.csv``, else raise ValueError."""
    if not isinstance(csv_name, str) or not _CSV_NAME.match(csv_name) or ".." in csv_name:
        raise ValueError(
            f"csv_name must be a plain file name such as 'diversion_rates.csv' "
            f"(letters, digits, '.', '_' or '-', no folders), not {csv_name!r}"
        )
    return csv_name


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def _inline(text: str) -> str:
    """Escape one line, then apply **bold** and *italic*."""
    out = escape(text)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out)


def render_prose(text: str | Sequence[str]) -> str:
    """Render plain prose as safe HTML paragraphs and lists.

    Parameters
    ----------
    text : str or sequence of str
        A string in which blank lines separate paragraphs; lines starting
        ``- `` or ``* `` form a bulleted list and ``1. `` a numbered list;
        ``**bold**`` and ``*italic*`` are honoured.  A sequence is taken as one
        paragraph per item.  Everything else, including any HTML, is escaped,
        so data-derived text is always shown as text.

    Returns
    -------
    str
        The HTML fragment.
    """
    if isinstance(text, str):
        blocks = re.split(r"\n\s*\n", text.strip())
    else:
        blocks = [str(item).strip() for item in text]
    parts: list[str] = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(parts)


def render_source(source: str) -> str:
    """Return the ``Source: ...`` line shown under every chart and table."""
    text = str(source or "").strip()
    if not text:
        raise ValueError("every chart and table needs a source line; source is empty")
    if text.lower().startswith("source:"):
        text = text[7:].strip()
    return f'<p class="cj-source"><strong>Source:</strong> {escape(text)}</p>'


def render_csv_link(csv_name: str, about: str, size_bytes: int | None = None) -> str:
    """Return the "Download the data (CSV)" link to ``data/<csv_name>``.

    Parameters
    ----------
    csv_name : str
        Plain file name inside the pack's ``data`` folder.
    about : str
        What the data is about (chart or table title); added for screen readers.
    size_bytes : int, optional
        Size of the file, shown so readers on slow networks know what to expect.
    """
    check_csv_name(csv_name)
    size = f", {format_size(size_bytes)}" if size_bytes is not None else ""
    return (
        f'<p class="cj-download"><a href="data/{escape(csv_name)}" download>'
        f"Download the data (CSV{size})"
        f'<span class="cj-vh">: {escape(about)}</span></a></p>'
    )


def format_size(size_bytes: int) -> str:
    """Format a byte count for readers: ``"850 bytes"``, ``"12 KB"``, ``"1.2 MB"``."""
    if size_bytes < 1000:
        return f"{size_bytes} bytes"
    if size_bytes < 1_000_000:
        return f"{size_bytes / 1000:.0f} KB"
    return f"{size_bytes / 1_000_000:.1f} MB"


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    return False


def _whole_numbers(series: pd.Series) -> bool:
    values = pd.to_numeric(series, errors="coerce").dropna()
    return bool(len(values)) and bool(np.all(np.mod(values.to_numpy(dtype=float), 1) == 0))


def _apply(formatter: Formatter, value: object) -> str:
    if isinstance(formatter, str):
        return formatter.format(value) if "{" in formatter else format(value, formatter)
    return str(formatter(value))


def format_cell(value: object, *, whole: bool = False) -> str:
    """Format one value with the default rules (thousands separators, 1 decimal place).

    Parameters
    ----------
    value : object
        The cell value; must not be missing.
    whole : bool
        Format floats as whole numbers (the column holds counts).
    """
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{value:,.0f}" if whole else f"{value:,.1f}"
    return str(value)


#: Readable headers for the machine column names of tidy downloads.
READABLE_COLUMNS = {
    "area_name": "Area",
    "period": "Year",
    "indicator": "Indicator",
    "unit": "Unit",
    "numerator": "Count",
    "denominator": "Denominator",
    "value": "Value",
    "lower_ci": "Lower 95% limit",
    "upper_ci": "Upper 95% limit",
    "compare_scotland": "Compared with Scotland",
    "compare_family": "Compared with family group",
    "change_label": "Change since baseline",
    "trend": "Trend",
    "target": "Local target",
    "marker": "marker",
    "data_status": "Data",
}
#: Machine columns left out of a readable table (codes, flags and settings).
HIDDEN_COLUMNS = ("area_code", "indicator_id", "suppressed", "confidence", "geography")


def readable_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Return a tidy download as people read it: plain headers, no codes or flags.

    Columns named in :data:`READABLE_COLUMNS` are renamed (``marker`` keeps its name so
    missing values still show their GSS shorthand); codes and flags are dropped; counts
    are whole numbers. Other columns are kept as they are.
    """
    out = data.drop(columns=[c for c in HIDDEN_COLUMNS if c in data.columns])
    for column in ("numerator", "denominator"):
        if column in out:
            out[column] = out[column].round(0).astype("Int64")
    return out.rename(columns=READABLE_COLUMNS)


def table_frame(data: pd.DataFrame) -> pd.DataFrame:
    """Return ``data`` with a named index moved into columns; an unnamed one is dropped.

    A row-position index left over from filtering (values like 4,923) means nothing to
    a reader, so it is never shown.
    """
    if any(name is not None for name in data.index.names):
        return data.reset_index()
    return data.reset_index(drop=True)


def render_table(
    data: pd.DataFrame,
    *,
    caption: str,
    formatters: Mapping[str, Formatter] | None = None,
    row_header: bool = True,
    missing: str = DEFAULT_MISSING,
    marker_column: str = MARKER_COLUMN,
) -> tuple[str, set[str]]:
    """Render a DataFrame as an accessible HTML table inside a scrolling wrapper.

    Parameters
    ----------
    data : pandas.DataFrame
        The table.  A named or non-default index becomes the first columns.
    caption : str
        The table's caption (required).
    formatters : mapping, optional
        Column name to a callable returning text, or a format string such as
        ``",.1f"`` or ``"{:.0%}"``.  Applied to values that are not missing.
    row_header : bool
        Render the first column as row headers (``th scope="row"``).
    missing : str
        Shown for a missing value that has no marker of its own.
    marker_column : str
        When the table has this column, a missing value shows its row's marker
        (for example ``[c]`` for a suppressed cell).

    Returns
    -------
    tuple of (str, set of str)
        The HTML and the set of GSS markers shown in it.
    """
    if not str(caption or "").strip():
        raise ValueError("every table needs a caption; caption is empty")
    frame = table_frame(data)
    formatters = dict(formatters or {})
    columns = list(frame.columns)
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c].dtype) for c in columns}
    whole = {c: numeric[c] and _whole_numbers(frame[c]) for c in columns}
    markers = frame[marker_column] if marker_column in frame.columns else None
    used: set[str] = set()

    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    rows: list[str] = []
    for i in range(len(frame)):
        row_marker = ""
        if markers is not None and not _is_missing(markers.iloc[i]):
            row_marker = LEGACY.get(str(markers.iloc[i]).strip(), str(markers.iloc[i]).strip())
        cells: list[str] = []
        for j, column in enumerate(columns):
            value = frame.iat[i, j]
            if _is_missing(value) and column == marker_column:
                text = ""
            elif _is_missing(value):
                shown = row_marker in MARKERS and row_marker not in QUALIFIERS
                text = row_marker if shown else missing
            elif column in formatters:
                text = _apply(formatters[column], value)
            else:
                text = format_cell(value, whole=whole[column])
            if text in MARKERS:
                used.add(text)
            css = ' class="cj-num"' if numeric[column] else ""
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{css}>{escape(text)}</th>')
            else:
                cells.append(f"<td{css}>{escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    html_table = (
        f'<div class="cj-table-wrap" role="region" aria-label="{escape(caption)}" tabindex="0">'
        f'<table class="cj-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return html_table, used


def render_marker_key(markers: Iterable[str]) -> str:
    """Explain the GSS shorthand markers used in a table (empty string when none)."""
    known = [m for m in sorted(set(markers)) if m in MARKERS]
    if not known:
        return ""
    items = "; ".join(f"{escape(m)} {escape(MARKERS[m])}" for m in known)
    return f'<p class="cj-key">Symbols: {items}.</p>'


def frame_to_csv(data: pd.DataFrame) -> str:
    """Return the CSV text of a table.

    A meaningful index is kept as columns, float columns holding only whole
    numbers (counts with a suppressed cell) are written without ``.0``, and
    missing values are empty: the row's ``marker`` column says why.
    """
    frame = table_frame(data).copy()
    for column in frame.columns:
        if pd.api.types.is_float_dtype(frame[column].dtype) and _whole_numbers(frame[column]):
            try:
                frame[column] = frame[column].astype("Int64")
            except (OverflowError, TypeError, ValueError):
                pass  # too large for an integer: keep the floats
    return frame.to_csv(index=False, lineterminator="\n")
