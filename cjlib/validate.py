"""Check data files before loading: every problem with its file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first
record row 2 (blank lines count; a parquet file is numbered the same way).
Reads cjlib's tidy measures format (CSV or parquet) and statistics.gov.scot tidy
CSV downloads (FeatureCode, DateCode, ... Value, DataMarker); the framework checks
(unknown measure, negative count, numerator over denominator) need the tidy format.
A workbook (.xlsx) is checked by loading it through its mapping (a bundled mapping
that names the workbook's file or one of its sheets, or one given): the first cell
that cannot be read is reported with its sheet, row and value, and the tidy result
gets the framework checks.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cjlib.areas import area_code, unknown_area_message
from cjlib.errors import CjlibDataError
from cjlib.framework import Framework, load_framework
from cjlib.loaders._common import read_period
from cjlib.loaders.tidy import REQUIRED_COLUMNS, read_table_file
from cjlib.markers import parse_cell
from cjlib.periods import PERIOD_FORMATS, mixed_periods

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Tidy-format roles of the statistics.gov.scot columns.
STATSGOV_ROLES = {"area_code": "FeatureCode", "period": "DateCode", "value": "Value"}
#: Columns a tidy file must have before it is shared: the loader's, plus ``source``,
#: which every chart's source line in the evidence packs cites.
TIDY_REQUIRED = (*REQUIRED_COLUMNS, "source")
MARKER_HINT = "[c], [x], [z], [low], [u], [p], [r], [b]"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a data file: where it is and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """Return ``file:row:column: message`` (row and column left out when unknown)."""
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.message}"


@dataclass
class ValidationReport:
    """The problems found in one file, and what the file holds."""

    file: str
    rows: int = 0
    measures: int = 0
    areas: int = 0
    periods: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> str:
        """Return a one-line summary, e.g. ``data.csv: 2,304 rows, ...: no problems``."""
        counts = ", ".join(
            _plural(n, word)
            for n, word in (
                (self.rows, "row"),
                (self.measures, "measure"),
                (self.areas, "area"),
                (self.periods, "period"),
            )
        )
        n = len(self.problems)
        return f"{self.file}: {counts}: {_plural(n, 'problem') if n else 'no problems'}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def validate_file(
    path: str | Path, framework: Framework | str | Path | None = None
) -> list[Problem]:
    """Return every problem in a data file (an empty list when it is clean)."""
    return check_file(path, framework).problems


def check_file(
    path: str | Path,
    framework: Framework | str | Path | None = None,
    mappings: list[str | Path] | None = None,
) -> ValidationReport:
    """Check a tidy measures file (CSV or parquet), a statistics.gov.scot CSV or a workbook.

    Parameters
    ----------
    path : str or Path
        The file to check.
    framework : Framework, str or Path, optional
        The framework that says which measures exist and which are counts or
        numerator/denominator pairs (default: the bundled CJPF 2023).
    mappings : list of str or Path, optional
        For a workbook: the mappings (files or bundled ids) to load it through
        (default: the bundled mappings that name its file or one of its sheets).

    Returns
    -------
    ValidationReport
        Every problem found, in row order; a file that cannot be read at all (empty,
        binary, not UTF-8) gives one problem with no row.
    """
    path = Path(path)
    name = str(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        if not isinstance(framework, Framework):
            framework = load_framework(framework)
        return check_workbook(path, framework, mappings)
    try:
        raw = read_table_file(path)
    except CjlibDataError as exc:
        message = str(exc).removeprefix(f"{path}: ")
        return ValidationReport(name, problems=[Problem(name, None, None, message)])
    if not isinstance(framework, Framework):
        framework = load_framework(framework)
    return check_frame(raw, name, framework)


def check_workbook(
    path: Path, framework: Framework, mappings: list[str | Path] | None = None
) -> ValidationReport:
    """Check a workbook by loading it through each mapping that describes it (see module)."""
    from cjlib.loaders.gss_xlsx import sheet_names
    from cjlib.loaders.mapping import bundled_mappings, find_mapping, load_mapped, read_mapping

    name = str(path)
    try:
        if mappings:
            specs = [find_mapping(m) for m in mappings]
        else:
            sheets = set(sheet_names(path))
            every = [read_mapping(p) for p in bundled_mappings().values()]
            specs = [m for m in every if m.file == path.name] or [
                m for m in every if m.sheet in sheets and _fits(path, m)
            ]
    except CjlibDataError as exc:
        return ValidationReport(name, problems=[Problem(name, None, None, _strip(exc, path))])
    if not specs:
        message = (
            f"no mapping describes this workbook (sheets: {', '.join(sorted(sheets))}); "
            "expected a mapping naming its sheet; write one (see docs/data-sources.md) and "
            "run: cjlib validate --mapping MAPPING.yaml WORKBOOK.xlsx"
        )
        return ValidationReport(name, problems=[Problem(name, None, None, message)])
    report = ValidationReport(name)
    tables = []
    for spec in specs:
        try:
            tidy = load_mapped(spec, path, strict=True)
        except CjlibDataError as exc:
            report.problems.append(Problem(name, None, None, _strip(exc, path)))
            continue
        text = tidy.assign(value=tidy["value"].map(lambda v: "" if pd.isna(v) else f"{v:g}"))
        checked = check_frame(text.astype(str), f"{name} [{spec.id}]", framework)
        report.problems += [
            Problem(name, None, p.column, f"mapping {spec.id}: {p.message}")
            for p in checked.problems
        ]
        tables.append(tidy)
    if tables:
        every_row = pd.concat(tables, ignore_index=True)
        report.rows = len(every_row)
        report.measures = every_row["measure_id"].nunique()
        report.areas = every_row["area_code"].nunique()
        report.periods = every_row["period"].nunique()
    return report


def _fits(path: Path, spec: object) -> bool:
    """True when the mapping's sheet in this workbook has the mapping's area column."""
    from cjlib.loaders.gss_xlsx import read_gss_tables

    try:
        table = read_gss_tables(path, [spec.sheet], header_rows={spec.sheet: spec.header_row})
    except CjlibDataError:
        return False
    wanted = " ".join(str(spec.area_column or spec.period_column).lower().split())
    return wanted in {c.lower() for c in table[spec.sheet].columns}


def _strip(exc: Exception, path: Path) -> str:
    message = " ".join(str(exc).split())
    for prefix in (f"{path}: ", f"{path.name}: "):
        message = message.removeprefix(prefix)
    return message


def check_frame(raw: pd.DataFrame, file: str, framework: Framework) -> ValidationReport:
    """Check a table read with every cell as text (see :func:`check_file`)."""
    raw = raw.rename(columns=lambda c: str(c).strip())
    statsgov = "FeatureCode" in raw.columns and "area_code" not in raw.columns
    roles = dict(STATSGOV_ROLES) if statsgov else {c: c for c in TIDY_REQUIRED}
    roles["marker"] = "DataMarker" if statsgov else "marker"
    required = [c for role, c in roles.items() if role != "marker"]
    missing = [c for c in required if c not in raw.columns]
    if missing == required:
        found = ", ".join(str(c) for c in raw.columns[:6]) + (", ..." if raw.shape[1] > 6 else "")
        message = (
            f"not a tidy measures file ({', '.join(TIDY_REQUIRED)}) or a statistics.gov.scot "
            f"download (FeatureCode, DateCode, ..., Value); its columns are {found}"
        )
        return ValidationReport(file, problems=[Problem(file, 1, None, message)])
    problems = [Problem(file, 1, c, f"missing required column {c!r}") for c in missing]
    text = raw.astype(str).apply(lambda c: c.str.strip())
    data = text[~text.eq("").all(axis=1)]
    table = _prepare(data, roles, statsgov)
    problems += _check_areas(table, file, roles)
    problems += _check_periods(table, file, roles)
    problems += _check_values(table, file, roles)
    problems += _check_duplicates(table, file)
    if not statsgov and "measure_id" in table:
        problems += _check_measures(table, file, framework)
        problems += _check_negative(table, file, framework)
        problems += _check_proportions(table, file, framework)
    report = ValidationReport(file, rows=len(data), problems=sorted(problems, key=_order(raw)))
    for attr, column in (("measures", "measure_id"), ("areas", "code"), ("periods", "norm")):
        if column in table:
            setattr(report, attr, int(table[column].replace("", pd.NA).nunique()))
    return report


def _order(raw: pd.DataFrame) -> Callable[[Problem], tuple[int, int, str]]:
    """Return a sort key: row, then the column's position in the file, then message."""
    position = {c: i for i, c in enumerate(raw.columns)}
    return lambda p: (p.row or 0, position.get(p.column, len(position)), p.message)


def _prepare(data: pd.DataFrame, roles: dict[str, str], statsgov: bool) -> pd.DataFrame:
    """Return the rows with their line numbers and normalised area, period and value."""
    table = pd.DataFrame({"line": data.index + 2}, index=data.index)
    if roles["area_code"] in data:
        area = data[roles["area_code"]]
        table["area"] = area
        table["code"] = area.map({a: area_code(a) or "" for a in pd.unique(area)})
    if roles["period"] in data:
        period = data[roles["period"]]
        table["period"] = period
        table["norm"] = period.map({p: read_period(p) or "" for p in pd.unique(period)})
    if roles["value"] in data:
        table["value"] = data[roles["value"]]
        numbers = {v: parse_cell(v)[0] for v in pd.unique(table["value"])}
        table["number"] = table["value"].map(numbers).astype(float)
    table["marker"] = data[roles["marker"]] if roles["marker"] in data else ""
    if statsgov:
        dims = [c for c in data.columns if c not in (*STATSGOV_ROLES.values(), "DataMarker")]
        table["measure_id"] = data[dims].agg(" | ".join, axis=1) if dims else ""
    elif "measure_id" in data:
        table["measure_id"] = data["measure_id"]
    return table


def _check_areas(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    if "code" not in table:
        return []
    bad = table[table["code"].eq("")]
    messages = {
        a: unknown_area_message(a) if a else "area is empty" for a in pd.unique(bad["area"])
    }
    return [Problem(file, r.line, roles["area_code"], messages[r.area]) for r in bad.itertuples()]


def _check_periods(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    if "norm" not in table:
        return []
    bad = table[table["norm"].eq("")]
    return [
        Problem(
            file,
            r.line,
            roles["period"],
            f"{r.period!r} is not a period: expected {PERIOD_FORMATS}",
        )
        for r in bad.itertuples()
    ] + _check_period_mix(table, file, roles)


def _check_period_mix(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    """A series (area and measure) with months or quarters holds one kind of period."""
    if "measure_id" not in table or "code" not in table:
        return []
    series = table["code"].where(table["code"].ne(""), table["area"]) + " " + table["measure_id"]
    mixed = mixed_periods(table["norm"].replace("", None), series)
    return [Problem(file, table.at[i, "line"], roles["period"], m) for i, m in mixed.items()]


def _marker_ok(marker: str) -> bool:
    value, parsed = parse_cell(marker)
    return pd.isna(value) and parsed not in ("", "?")


def _check_values(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    problems = []
    known = {m: _marker_ok(m) for m in pd.unique(table["marker"]) if m}
    for r in table[table["marker"].ne("")].itertuples():
        if not known[r.marker]:
            problems.append(
                Problem(
                    file,
                    r.line,
                    roles["marker"],
                    f"{r.marker!r} is not a recognised marker ({MARKER_HINT}, ...)",
                )
            )
    if "value" not in table:
        return problems
    for r in table[table["number"].isna()].itertuples():
        if r.marker:  # a recognised marker explains it; an unknown one is reported above
            continue
        if r.value == "":
            message = f"value is empty and no marker says why ({MARKER_HINT}, ...)"
        elif parse_cell(r.value)[1] == "?":
            message = f"{r.value!r} is not a number or a recognised marker ({MARKER_HINT}, ...)"
        else:
            continue
        problems.append(Problem(file, r.line, roles["value"], message))
    return problems


def _key(table: pd.DataFrame) -> pd.DataFrame:
    key = pd.DataFrame(index=table.index)
    key["area"] = table["code"].where(table["code"].ne(""), table["area"])
    key["period"] = table["norm"].where(table["norm"].ne(""), table["period"])
    key["measure"] = table["measure_id"]
    return key


def _check_duplicates(table: pd.DataFrame, file: str) -> list[Problem]:
    if not {"code", "norm", "measure_id"} <= set(table.columns):
        return []
    key = _key(table)
    repeated = key.duplicated(keep=False)
    rows, keys = table[repeated], key[repeated]
    firsts = rows.groupby([keys["area"], keys["period"], keys["measure"]])["line"].transform("min")
    problems = []
    for r in rows.itertuples():
        if r.line == firsts[r.Index]:
            continue
        area, period, measure = key.loc[r.Index]
        as_written = (r.area, r.period)
        written = (
            "" if as_written == (area, period) else " (written here as {}, {})".format(*as_written)
        )
        problems.append(
            Problem(
                file,
                r.line,
                "measure_id",
                f"duplicate of row {firsts[r.Index]}: {area}, {period}, {measure} "
                f"already has a value{written}",
            )
        )
    return problems


def _check_measures(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    known = framework.measure_ids
    messages = {}
    for measure in pd.unique(table["measure_id"]):
        if measure in known:
            continue
        close = difflib.get_close_matches(measure, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        what = f"unknown measure {measure!r}" if measure else "measure_id is empty"
        messages[measure] = (
            f"{what}: not in framework {framework.id} (run 'cjlib indicators'){hint}"
        )
    bad = table[table["measure_id"].isin(list(messages))]
    return [Problem(file, r.line, "measure_id", messages[r.measure_id]) for r in bad.itertuples()]


def _check_negative(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    if "number" not in table:
        return []
    counts = [m.id for m in framework.measures if m.kind in ("count", "population")]
    bad = table[table["measure_id"].isin(counts) & table["number"].lt(0)]
    return [
        Problem(
            file, r.line, "value", f"{r.measure_id} is a count and cannot be negative ({r.value})"
        )
        for r in bad.itertuples()
    ]


def _check_proportions(table: pd.DataFrame, file: str, framework: Framework) -> list[Problem]:
    if not {"code", "norm", "number"} <= set(table.columns):
        return []
    usable = table[table["code"].ne("") & table["norm"].ne("") & table["number"].notna()]
    usable = usable.drop_duplicates(["code", "norm", "measure_id"])
    problems = []
    for numerator, denominator in framework.proportion_pairs():
        top = usable[usable["measure_id"].eq(numerator)]
        bottom = usable[usable["measure_id"].eq(denominator)]
        pairs = top.merge(bottom, on=["code", "norm"], suffixes=("", "_den"))
        for r in pairs[pairs["number"] > pairs["number_den"]].itertuples():
            problems.append(
                Problem(
                    file,
                    r.line,
                    "value",
                    f"{numerator} ({r.number:,g}) is greater than its denominator "
                    f"{denominator} ({r.number_den:,g}, row {r.line_den}) for {r.code} {r.norm}",
                )
            )
    return problems
