"""Read a built output folder as an outsider would: the published CSVs and HTML tables only."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.areas import SCOTLAND_CODE, area_code
from cjlib.errors import CjlibDataError
from cjlib.framework import Framework, load_framework

NUMBER_COLUMNS = ("numerator", "denominator", "value", "lower_ci", "upper_ci", "confidence")
ROUNDED = ("value", "lower_ci", "upper_ci")
_RANK = re.compile(r"^\s*(\d+)\s+of\s+(\d+)\s*$")
_SINCE = re.compile(r"^Since (\d{4}-\d{2})$")
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)


def _numbers(text: pd.Series) -> pd.Series:
    cleaned = text.astype(str).str.replace(",", "", regex=False).str.rstrip("%").str.strip()
    return pd.to_numeric(cleaned, errors="coerce")


def _half_step(text: pd.Series) -> np.ndarray:
    """Half the last decimal place of each number as written (0.5 for whole numbers)."""
    decimals = text.fillna("").astype(str).str.extract(r"\.(\d+)")[0].str.len().fillna(0)
    return 0.5 * 10.0 ** (-decimals.to_numpy(dtype=float))


def _standard(table: pd.DataFrame) -> pd.DataFrame:
    """A download with one row per area, period and indicator (cjlib's own layout)."""
    out = table.copy()
    tolerance = np.zeros(len(out))
    for column in NUMBER_COLUMNS:
        if column in out:
            if column in ROUNDED:
                has = out[column].notna().to_numpy()
                tolerance = np.maximum(tolerance, np.where(has, _half_step(out[column]), 0))
            out[column] = _numbers(out[column])
    out["tolerance"] = tolerance + 1e-9
    return out


def _wide_counts(table: pd.DataFrame, file: str) -> pd.DataFrame | None:
    """A wide table of counts, one column per area ("<area> deaths"), one row per period."""
    period = next((c for c in table.columns if c.lower() in ("period", "year")), None)
    columns = {c: area_code(c[: -len(" deaths")]) for c in table.columns if c.endswith(" deaths")}
    columns = {c: code for c, code in columns.items() if code}
    if period is None or not columns:
        return None
    rows = []
    for column, code in columns.items():
        text = table[column].astype(str).str.strip()
        rows.append(
            pd.DataFrame(
                {
                    "area_code": code,
                    "period": table[period].astype(str),
                    "indicator_id": "measure:drug_deaths",
                    "indicator_type": "count",
                    "numerator": _numbers(text),
                    "marker": text.where(text.str.startswith("["), ""),
                    "file": file,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def read_csv_file(path: Path, root: Path) -> tuple[str, pd.DataFrame | None]:
    """Published cells in one CSV, as text, with its layout ("standard" or "wide").

    A standard table is returned unparsed (its numbers are parsed once for all files);
    a wide count table is parsed; any other layout gives None.
    """
    file = path.relative_to(root).as_posix()
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CjlibDataError(f"{path}: cannot be read as a CSV table ({reason})") from exc
    if {"area_code", "period", "indicator_id"} <= set(table.columns):
        return "standard", table.assign(file=file)
    return "wide", _wide_counts(table, file)


def _compare_table(table: pd.DataFrame, code: str, period: str, titles: dict, file: str):
    """The "how the area compares" table: rank of the area, change since baseline, trend."""
    since = next((c for c in table.columns if _SINCE.match(str(c))), None)
    rank = next((c for c in table.columns if str(c).startswith("Rank")), None)
    if "Indicator" not in table.columns or rank is None:
        return None
    ranks = table[rank].astype(str).str.extract(_RANK)
    out = pd.DataFrame(
        {
            "area_code": code,
            "period": period,
            "indicator_id": table["Indicator"].map(titles),
            "rank": pd.to_numeric(ranks[0], errors="coerce"),
            "rank_of": pd.to_numeric(ranks[1], errors="coerce"),
            "file": file,
        }
    )
    if since is not None:
        out["change_label"] = table[since].astype(str).where(table[since].notna(), "")
        out["baseline_period"] = _SINCE.match(since).group(1)
    if "Trend" in table.columns:
        out["trend"] = table["Trend"].astype(str).where(table["Trend"].notna(), "")
    return out[out["indicator_id"].notna()]


def read_html_file(path: Path, root: Path, titles: dict[str, str]) -> list[pd.DataFrame]:
    """Ranks and labels from an area page's tables (the other tables repeat its CSVs)."""
    text = path.read_text(encoding="utf-8")
    wanted = [t for t in _TABLE.findall(text) if "Rank (" in t]  # parse only these
    if not wanted:
        return []
    try:
        tables = [t for block in wanted for t in pd.read_html(StringIO(block))]
    except ValueError:
        return []
    code, period = path.parent.name, path.parent.parent.name
    file = path.relative_to(root).as_posix()
    found = (_compare_table(t, code, period, titles, file) for t in tables)
    return [f for f in found if f is not None and len(f)]


def read_output(folder: str | Path, framework: Framework | None = None) -> pd.DataFrame:
    """Load every published cell of a built output folder into one tidy frame.

    Parameters
    ----------
    folder : path
        ``outputs/<period>/`` (or ``outputs/``, holding one period folder), with
        ``<area code>/data/*.csv`` and ``<area code>/*.html``.
    framework : Framework, optional
        Indicator titles, to read the HTML tables (the bundled framework by default).

    Returns
    -------
    pandas.DataFrame
        One row per published row of a CSV or HTML table, with the file it came from;
        the HTML ranks and labels are added to the frame as their own rows.

    Raises
    ------
    FileNotFoundError
        If ``folder`` is not a folder.
    CjlibDataError
        If a CSV file cannot be read, naming the file.
    """
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: output folder not found")
    framework = framework or load_framework()
    titles = {i.title: i.id for i in framework.indicators}
    frames: list[pd.DataFrame] = []
    standard: list[pd.DataFrame] = []
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.suffix == ".csv":
            layout, frame = read_csv_file(path, root)
            if frame is not None and len(frame):
                (standard if layout == "standard" else frames).append(frame)
        elif path.suffix == ".html" and path.parent.name != root.name:
            frames += read_html_file(path, root, titles)
    if standard:
        frames.append(_standard(pd.concat(standard, ignore_index=True)))
    if not frames:
        return pd.DataFrame(columns=["area_code", "period", "indicator_id", "file"])
    out = pd.concat(frames, ignore_index=True)
    out["area_code"] = out["area_code"].astype(str)
    return out[out["area_code"].ne("") | out["area_code"].eq(SCOTLAND_CODE)]
