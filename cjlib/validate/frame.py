"""Check a table read as text: find its columns' roles, prepare its rows, run every check."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from cjlib.areas import area_code
from cjlib.framework import Framework
from cjlib.loaders._common import read_period
from cjlib.loaders.tidy import REQUIRED_COLUMNS
from cjlib.markers import parse_cell
from cjlib.validate.framework_checks import check_measures, check_negative, check_proportions
from cjlib.validate.problem import Problem, ValidationReport
from cjlib.validate.rows import check_areas, check_duplicates, check_periods, check_values

#: Tidy-format roles of the statistics.gov.scot columns.
STATSGOV_ROLES = {"area_code": "FeatureCode", "period": "DateCode", "value": "Value"}
#: Columns a tidy file must have before it is shared: the loader's, plus ``source``,
#: which every chart's source line in the evidence packs cites.
TIDY_REQUIRED = (*REQUIRED_COLUMNS, "source")


def check_frame(raw: pd.DataFrame, file: str, framework: Framework) -> ValidationReport:
    """Check a table read with every cell as text (see :func:`cjlib.validate.files.check_file`)."""
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
    problems += check_areas(table, file, roles)
    problems += check_periods(table, file, roles)
    problems += check_values(table, file, roles)
    problems += check_duplicates(table, file)
    if not statsgov and "measure_id" in table:
        problems += check_measures(table, file, framework)
        problems += check_negative(table, file, framework)
        problems += check_proportions(table, file, framework)
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
