"""Shared steps of every loader: read text files safely, map areas and periods, tidy up."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cjlib.areas import map_area_codes
from cjlib.errors import CjlibDataError
from cjlib.markers import parse_cell, parse_cells
from cjlib.measures import make_measures
from cjlib.periods import normalise_period

#: ``frame.attrs`` key: sorted unknown area names or codes met (their rows are dropped).
UNKNOWN_AREAS = "unknown_areas"
#: ``frame.attrs`` key: sorted periods that could not be read (their rows are dropped).
UNREADABLE_PERIODS = "unreadable_periods"
#: ``frame.attrs`` key: sorted cell texts that are neither numbers nor markers (kept, marker "?").
UNREADABLE_VALUES = "unreadable_values"
_REPORT_KEYS = (UNKNOWN_AREAS, UNREADABLE_PERIODS, UNREADABLE_VALUES)

_RANGE = re.compile(r"^\s*(\d{4})\s*[-\u2013]\s*(\d{4})\s*$")
_NOTE = re.compile(r"\s*\[note\s*\d+\]", re.IGNORECASE)
#: A footnote number glued to a name: "Dundee City7", "Glasgow City9,10,13", "Fife 7".
_GLUED_FOOTNOTE = re.compile(r"^(.*?[a-z)])\s?\d{1,2}(?:\s*,\s*\d{1,2})*$")
_SUPERSCRIPTS = str.maketrans(
    "", "", "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
)


def read_period(value: object) -> str | None:
    """Return a normalised period, or None when it cannot be read.

    Financial years become ``"2023-24"`` and calendar years stay ``"2024"``, as in
    :func:`cjlib.periods.normalise_period`. Multi-year periods of three or more
    calendar years written with a dash, such as NRS's five-year ``"2020 - 2024"``,
    become ``"2020-2024"`` (first and last calendar year). ``"2023/2025"`` is not
    read: with a slash it is a mistyped financial year, not a range.
    """
    if isinstance(value, str):
        value = strip_notes(value)
    period = normalise_period(value)
    if period is not None or value is None:
        return period
    match = _RANGE.match(str(value))
    if match and int(match.group(2)) >= int(match.group(1)) + 2:
        return f"{match.group(1)}-{match.group(2)}"
    return None


def read_periods(values: pd.Series) -> pd.Series:
    """Vectorised :func:`read_period`; unreadable or empty periods become missing."""
    cache: dict[object, str | None] = {}
    out = []
    for value in values.to_numpy():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out.append(None)
            continue
        key = (type(value), value)
        if key not in cache:
            cache[key] = read_period(value)
        out.append(cache[key])
    return pd.Series(out, index=values.index, dtype=object)


def strip_notes(text: object) -> str:
    """Return a header or label without ``[note 3]`` references and extra spaces."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return " ".join(_NOTE.sub("", str(text)).split())


def area_label(text: object) -> str:
    """Return an area name as published without ``[note n]``, superscripts or glued footnotes.

    ``"Dundee City7"`` and ``"Glasgow City9,10,13"`` become ``"Dundee City"`` and
    ``"Glasgow City"``; codes such as ``"S12000033"`` are left alone (the digits
    there follow a capital letter, never a lower-case one).
    """
    label = strip_notes(text).translate(_SUPERSCRIPTS).strip()
    match = _GLUED_FOOTNOTE.match(label)
    return match.group(1).strip() if match else label


def normalise_marker(text: object) -> str:
    """Return an explicit marker (e.g. a DataMarker cell) in its GSS form.

    ``"*"`` becomes ``"[c]"``, ``"[C]"`` becomes ``"[c]"``; an empty cell is ``""``;
    text that is not a recognised marker is kept as it is, stripped.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    stripped = str(text).strip()
    if stripped == "":
        return ""
    value, marker = parse_cell(stripped)
    if pd.isna(value) and marker not in ("", "?"):
        return marker
    return stripped


def read_text_file(path: Path) -> str:
    """Return the text of a CSV file, or raise a one-line error for unreadable files.

    Raises
    ------
    CjlibDataError
        When the file is missing, empty, binary (including Excel workbooks and
        parquet files read as text), UTF-16, or not valid UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CjlibDataError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CjlibDataError(f"{path}: is a directory, not a data file") from exc
    except OSError as exc:
        raise CjlibDataError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not data.strip():
        raise CjlibDataError(f"{path}: the file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise CjlibDataError(
            f"{path}: the file is UTF-16 encoded; save it as 'CSV UTF-8 (comma delimited)'"
        )
    if data[:4] == b"PK\x03\x04":
        raise CjlibDataError(
            f"{path}: this is an Excel workbook or other zip file, not a CSV; load a "
            "workbook through a mapping: cjlib load MAPPING.yaml WORKBOOK.xlsx OUT.csv"
        )
    if data[:4] == b"PAR1":
        raise CjlibDataError(f"{path}: this is a parquet file; give it a .parquet name")
    if b"\x00" in data[:8192]:
        raise CjlibDataError(f"{path}: binary file, not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CjlibDataError(
            f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); "
            "save it as 'CSV UTF-8 (comma delimited)'"
        ) from exc
    view = spreadsheet_view_line(text)
    if view is not None:
        raise CjlibDataError(
            f"{path}: line {view}: this is a statistics.gov.scot 'spreadsheet view' download "
            "(a metadata preamble, then years as columns and URIs as rows); expected a tidy "
            "CSV; on the dataset's page choose the CSV download of the whole dataset or "
            "filtered data (columns FeatureCode, DateCode, Measurement, Units, Value) instead"
        )
    return text


_STATSGOV_URI = re.compile(r"https?://statistics\.gov\.scot/", re.IGNORECASE)


def spreadsheet_view_line(text: str, lines: int = 40) -> int | None:
    """Return the line of the first statistics.gov.scot URI in a "spreadsheet view" file.

    A statistics.gov.scot tidy CSV starts with ``FeatureCode``; a spreadsheet view
    (a preamble of metadata, then a grid with URIs as rows) does not, and carries
    ``http://statistics.gov.scot/...`` addresses near the top. None for other files.
    """
    head = text.lstrip("\ufeff").splitlines()[:lines]
    if not head or head[0].lstrip('"').startswith(("FeatureCode", "area_code")):
        return None
    for number, line in enumerate(head, start=1):
        if _STATSGOV_URI.search(line):
            return number
    return None


def one_line(exc: BaseException) -> str:
    """Return an exception's message on one line (parsers' messages hold line breaks)."""
    return " ".join(str(exc).split())


def tidy_up(raw: pd.DataFrame, *, source: str, origin: str, strict: bool = False) -> pd.DataFrame:
    """Turn raw loader rows into a tidy measures table, mapping areas, periods and cells.

    Parameters
    ----------
    raw : pandas.DataFrame
        Columns ``area`` (name or code as published), ``period`` (as published),
        ``measure_id``, ``cell`` (the published cell), and optionally ``marker``
        (an explicit marker such as statistics.gov.scot's DataMarker, which wins
        over a marker read from the cell) and ``source``.
    source : str
        Source label for rows without their own.
    origin : str
        The file (and sheet) the rows came from, for messages.
    strict : bool
        Raise instead of dropping rows with unknown areas or unreadable periods,
        or keeping cells that are neither numbers nor markers.

    Returns
    -------
    pandas.DataFrame
        The tidy table; ``attrs`` holds :data:`UNKNOWN_AREAS`,
        :data:`UNREADABLE_PERIODS` and :data:`UNREADABLE_VALUES` (sorted lists).

    Raises
    ------
    CjlibDataError
        In strict mode, for any of the above; always, when one area, period and
        measure has two different values (cjlib never picks or sums one).
    """
    codes, unknown = map_area_codes(raw["area"].map(area_label))
    periods = read_periods(raw["period"])
    bad_periods = sorted({str(p) for p in raw.loc[periods.isna(), "period"]})
    values, markers = parse_cells(raw["cell"])
    if "marker" in raw:
        explicit = raw["marker"].map(normalise_marker)
        markers = explicit.where(explicit != "", markers)
    bad_values = sorted({str(v) for v in raw.loc[markers.eq("?"), "cell"]})
    if strict and (unknown or bad_periods or bad_values):
        raise CjlibDataError(_strict_message(origin, unknown, bad_periods, bad_values))
    out = pd.DataFrame(
        {
            "area_code": codes,
            "period": periods,
            "measure_id": raw["measure_id"],
            "value": values,
            "marker": markers,
            "source": raw["source"].where(raw["source"].ne(""), source)
            if "source" in raw
            else source,
        }
    )
    out = out[out["area_code"].notna() & out["period"].notna()]
    out = _drop_repeats(out, origin)
    tidy = make_measures(out)
    tidy.attrs.update(
        {UNKNOWN_AREAS: unknown, UNREADABLE_PERIODS: bad_periods, UNREADABLE_VALUES: bad_values}
    )
    return tidy


def _strict_message(origin: str, areas: list[str], periods: list[str], values: list[str]) -> str:
    parts = []
    if areas:
        parts.append(f"unknown area(s) {_some(areas)}")
    if periods:
        parts.append(f"unreadable period(s) {_some(periods)}")
    if values:
        parts.append(f"value(s) that are neither numbers nor markers {_some(values)}")
    return f"{origin}: " + "; ".join(parts)


def _some(items: list[str], n: int = 5) -> str:
    shown = ", ".join(repr(i) for i in items[:n])
    return shown + (f" and {len(items) - n} more" if len(items) > n else "")


def _drop_repeats(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Drop exact repeats of a row; raise when one key has two different values."""
    key = ["area_code", "period", "measure_id"]
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return frame
    frame = frame.drop_duplicates(key + ["value", "marker"])
    clash = frame[frame.duplicated(key, keep=False)]
    if len(clash):
        first = clash.iloc[0]
        raise CjlibDataError(
            f"{origin}: {clash[key].drop_duplicates().shape[0]} area/period/measure "
            f"combination(s) have more than one value, e.g. {first['area_code']} "
            f"{first['period']} {first['measure_id']}; filter the other dimensions "
            "(a legacy and a current code for the same area also clash)"
        )
    return frame


def load_report(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Return what a loader dropped or could not read, from the frame's ``attrs``.

    Returns
    -------
    dict of str to list of str
        ``unknown_areas`` (rows dropped), ``unreadable_periods`` (rows dropped) and
        ``unreadable_values`` (rows kept, value missing, marker ``"?"``).
    """
    attrs = getattr(frame, "attrs", {})
    return {key: list(attrs.get(key, [])) for key in _REPORT_KEYS}


def merge_reports(*frames: pd.DataFrame) -> dict[str, list[str]]:
    """Return the union of the loaders' ``attrs`` reports of several tables."""
    merged: dict[str, list[str]] = {}
    for key in _REPORT_KEYS:
        merged[key] = sorted({item for f in frames for item in f.attrs.get(key, [])})
    return merged
