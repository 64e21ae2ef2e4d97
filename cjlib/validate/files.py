"""Check one file: a tidy or statistics.gov.scot table, or a workbook through its mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.formatting import summarise
from cjlib.framework import Framework, load_framework
from cjlib.loaders.tidy import read_table_file
from cjlib.validate.frame import check_frame
from cjlib.validate.problem import Problem, ValidationReport

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


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
    """Check a workbook by loading it through each mapping that describes it.

    See :mod:`cjlib.validate` for how the mappings are found and what is reported.
    """
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
            f"no mapping describes this workbook ({summarise(list(sheets), 'sheets')}); "
            "expected one naming its sheet: cjlib validate --mapping MAPPING.yaml FILE"
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
