"""Declarative mappings: a publisher's workbook table -> tidy measures, written as YAML.

A mapping file (see ``cjlib/mappings/``) names the sheet, the header row, the area
column, the columns or rows that hold each measure, the period labels and the
source line. A new published table needs a mapping file, not code::

    id: reconviction_2017-18_table_13
    file: reconviction_2017-18_cohort_main_tables.xlsx
    sheet: Table 13
    layout: measures_as_columns      # or periods_as_columns, long
    area_column: Local Authority
    scotland_labels: [All]
    exclude_areas: [Other, Unknown]
    period: "2017-18"
    columns: {Number of offenders: reconviction_cohort}
    source: "Scottish Government, Reconviction Rates in Scotland, Table 13"

Every problem is one line naming the file, the sheet, the row, the value, what
was expected and what to do.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cjlib.errors import CjlibDataError
from cjlib.loaders._common import tidy_up
from cjlib.loaders.gss_tidy import (
    SCOTLAND_LABELS,
    AreaOptions,
    area_rows,
    column_of,
    period_columns,
    rows_where,
    tidy_areas_as_columns,
    tidy_areas_as_rows,
    tidy_periods_as_columns,
)
from cjlib.loaders.gss_xlsx import read_gss_tables, sheet_row, where_is
from cjlib.markers import parse_cell, parse_cells
from cjlib.measures import make_measures
from cjlib.paths import DATA_DIR, PACKAGE_DIR
from cjlib.periods import financial_year

MAPPINGS_DIR = PACKAGE_DIR / "mappings"
#: Marker given to derived counts (an estimate computed from published figures).
DERIVED_MARKER = "[e]"


class Derived(BaseModel):
    """A count derived from two loaded measures: ``round(a * b * multiply)``."""

    model_config = ConfigDict(extra="forbid")
    id: str
    product: list[str] = Field(min_length=2, max_length=2)
    multiply: float = 1.0
    round: bool = True
    source: str


class SumOver(BaseModel):
    """Sum rows whose ``column`` is at least ``at_least`` (e.g. ages 16 and over)."""

    model_config = ConfigDict(extra="forbid")
    column: str
    at_least: float


class TableMapping(BaseModel):
    """One publisher table mapped to tidy measures (the schema of a mapping file)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    publisher: str
    licence: str = "Open Government Licence v3.0"
    file: str
    url: str | None = None
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)
    layout: Literal[
        "measures_as_columns", "periods_as_columns", "areas_as_columns", "long", "statsgov_csv"
    ]
    dimension: str | None = None
    area_column: str | None = None
    where: dict[str, str] | None = None
    exclude_columns: list[str] = Field(default_factory=list)
    scotland_labels: list[str] = Field(default_factory=lambda: list(SCOTLAND_LABELS))
    exclude_areas: list[str] = Field(default_factory=list)
    aliases: dict[str, str] = Field(default_factory=dict)
    period: str | None = None
    period_column: str | None = None
    period_columns: list[str] | None = None
    calendar_to_financial: bool = False
    columns: dict[str, str] = Field(default_factory=dict)
    measures: dict[str, dict[str, str] | None] = Field(default_factory=dict)
    value_column: str | None = None
    sum_over: SumOver | None = None
    derive: list[Derived] = Field(default_factory=list)
    keep: list[str] | None = None
    source: str
    experimental: bool = False
    notes: str = ""

    @model_validator(mode="after")
    def _layout_fields(self) -> TableMapping:
        if self.layout == "statsgov_csv":
            if not (self.dimension and self.columns):
                raise ValueError(
                    "layout statsgov_csv needs 'dimension' and 'columns' (value: measure id)"
                )
            return self
        if not self.sheet:
            raise ValueError(f"layout {self.layout} needs 'sheet'")
        if self.layout == "measures_as_columns":
            if not self.columns:
                raise ValueError("layout measures_as_columns needs 'columns' (header: measure id)")
            if (self.period is None) == (self.period_column is None):
                raise ValueError("give exactly one of 'period' and 'period_column'")
        if self.layout in ("periods_as_columns", "long") and not self.measures:
            raise ValueError(f"layout {self.layout} needs 'measures' (measure id: row filter)")
        if self.layout == "areas_as_columns":
            if len(self.measures) != 1 or not self.period_column:
                raise ValueError(
                    "layout areas_as_columns needs one 'measures' entry and 'period_column'"
                )
        elif not self.area_column:
            raise ValueError(f"layout {self.layout} needs 'area_column'")
        if self.layout == "long" and not (self.value_column and self.period_column):
            raise ValueError("layout long needs 'value_column' and 'period_column'")
        return self

    def measure_ids(self) -> list[str]:
        """Return the measure ids this mapping produces, in order (``keep`` when given)."""
        ids = list(self.columns.values()) + list(self.measures) + [d.id for d in self.derive]
        return list(self.keep) if self.keep is not None else ids

    def area_options(self, strict: bool) -> AreaOptions:
        """Return how this table's area labels are read (the keywords of ``area_rows``)."""
        return {
            "scotland_labels": self.scotland_labels,
            "exclude_areas": self.exclude_areas,
            "aliases": self.aliases,
            "strict": strict,
        }


def read_mapping(path: str | Path) -> TableMapping:
    """Read and check one mapping file.

    Raises
    ------
    CjlibDataError
        One line naming the file, the key and what was expected.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CjlibDataError(f"{path}: no such mapping file") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CjlibDataError(
            f"{path}: not a readable YAML mapping ({' '.join(str(exc).split())})"
        ) from exc
    if not isinstance(data, dict):
        raise CjlibDataError(f"{path}: expected a YAML mapping of keys such as id, sheet, layout")
    try:
        return TableMapping.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise CjlibDataError(
            f"{path}: key {key!r}: {first['msg']}; see docs/data-sources.md for the keys"
        ) from exc


@cache
def bundled_mappings() -> dict[str, Path]:
    """Return the bundled mapping files by id (``cjlib/mappings/*.yaml``)."""
    return {read_mapping(p).id: p for p in sorted(MAPPINGS_DIR.glob("*.yaml"))}


def find_mapping(name: str | Path) -> TableMapping:
    """Return a mapping given its file path or the id of a bundled mapping."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return read_mapping(path)
    found = bundled_mappings().get(str(name))
    if found is None:
        raise CjlibDataError(
            f"{name}: no such mapping file or bundled mapping id; expected a .yaml path or one "
            f"of {', '.join(bundled_mappings())}"
        )
    return read_mapping(found)


def load_mapped(
    mapping: TableMapping | str | Path,
    workbook: str | Path | None = None,
    *,
    strict: bool = True,
) -> pd.DataFrame:
    """Load a workbook (or a statistics.gov.scot CSV) through a mapping into tidy measures.

    Parameters
    ----------
    mapping : TableMapping, str or Path
        A mapping, its file or a bundled mapping id.
    workbook : str or Path, optional
        The workbook (default: the mapping's ``file`` in the bundled ``cjlib/data/``).
    strict : bool
        Raise on an unknown area or a cell that is neither a number nor a marker
        (default), instead of reporting it in ``attrs``.

    Returns
    -------
    pandas.DataFrame
        Tidy measures (area_code, period, measure_id, value, marker, source).
    """
    spec = mapping if isinstance(mapping, TableMapping) else find_mapping(mapping)
    path = Path(workbook) if workbook is not None else DATA_DIR / spec.file
    if spec.layout == "statsgov_csv":
        from cjlib.loaders.statsgov import load_statsgov_csv

        tidy = load_statsgov_csv(
            path,
            {spec.dimension or "": spec.columns},
            where=spec.where,
            source=spec.source,
            strict=strict,
        )
        tidy.attrs["mapping"] = spec.id
        return tidy
    table = read_gss_tables(path, [spec.sheet], header_rows={spec.sheet: spec.header_row})[
        spec.sheet
    ]
    # what a table with an area column is read with, whatever its layout
    by_area = {"area_column": spec.area_column or "", "source": spec.source}
    if strict and spec.layout != "areas_as_columns":
        check_cells(table, _value_columns(spec, table))
    if spec.layout == "measures_as_columns":
        tidy = tidy_areas_as_rows(
            table,
            measures=spec.columns,
            period=spec.period,
            period_column=spec.period_column,
            where=spec.where,
            **by_area,
            **spec.area_options(strict),
        )
    elif spec.layout == "areas_as_columns":
        tidy = tidy_areas_as_columns(
            table,
            measure_id=next(iter(spec.measures)),
            period_column=spec.period_column,
            where=spec.where,
            exclude=spec.exclude_columns,
            source=spec.source,
            strict=strict,
        )
    elif spec.layout == "periods_as_columns":
        tidy = tidy_periods_as_columns(
            table,
            measures=spec.measures,
            columns=spec.period_columns,
            calendar_to_financial=spec.calendar_to_financial,
            **by_area,
            **spec.area_options(strict),
        )
    else:
        tidy = _load_long(spec, table, strict)
    if spec.derive:
        tidy = _derive(tidy, spec.derive)
    if spec.keep is not None:
        tidy = tidy[tidy["measure_id"].isin(spec.keep)].reset_index(drop=True)
    tidy.attrs["mapping"] = spec.id
    return tidy


def _value_columns(spec: TableMapping, table: pd.DataFrame) -> list[str]:
    if spec.layout == "measures_as_columns":
        return [column_of(table, c) for c in spec.columns]
    if spec.layout == "long":
        return [column_of(table, spec.value_column or "")]
    if spec.period_columns is not None:
        return [column_of(table, c) for c in spec.period_columns]
    return period_columns(table)


def check_cells(table: pd.DataFrame, columns: list[str]) -> None:
    """Raise a one-line error at the first cell that is neither a number nor a marker."""
    for column in columns:
        for index, cell in table[column].items():
            if cell is None or (isinstance(cell, float) and np.isnan(cell)):
                continue
            if parse_cell(cell)[1] == "?":
                raise CjlibDataError(
                    f"{where_is(table, index)}, column {column!r}: {cell!r} is neither a "
                    "number nor a marker; expected a number or a marker such as [x], x, [c], "
                    "[z], z, n/l, n/r or low; correct the cell, or leave this row out with "
                    "exclude_areas or a filter in the mapping"
                )


def _load_long(spec: TableMapping, table: pd.DataFrame, strict: bool) -> pd.DataFrame:
    """Long layout: one row per area, period and other dimensions; optionally summed."""
    frames = []
    for measure_id, where in spec.measures.items():
        rows, labels = area_rows(
            rows_where(table, where), spec.area_column or "", **spec.area_options(strict)
        )
        periods = rows[column_of(rows, spec.period_column or "")]
        if spec.calendar_to_financial:
            periods = periods.map({p: _to_financial(p) for p in pd.unique(periods.dropna())})
        cells = rows[column_of(rows, spec.value_column or "")]
        raw = pd.DataFrame(
            {"area": labels, "period": periods, "measure_id": measure_id, "cell": cells}
        )
        if spec.sum_over is not None:
            raw = _sum_over(raw, rows, table, spec.sum_over)
        frames.append(raw)
    raw = pd.concat(frames, ignore_index=True)
    origin = table.attrs.get("origin", spec.file)
    return tidy_up(raw, source=spec.source, origin=origin, strict=strict)


def _to_financial(value: object) -> object:
    try:
        year = float(str(value).strip())
    except ValueError:
        return value
    return financial_year(int(year)) if year.is_integer() else value


def _sum_over(
    raw: pd.DataFrame, rows: pd.DataFrame, table: pd.DataFrame, spec: SumOver
) -> pd.DataFrame:
    """Sum the cells of rows whose ``spec.column`` is at least ``spec.at_least``."""
    column = column_of(rows, spec.column)
    numbers = pd.to_numeric(rows[column], errors="coerce")
    bad = numbers.isna() & rows[column].notna()
    if bad.any():
        index = bad.idxmax()
        raise CjlibDataError(
            f"{where_is(table, index)}, column {column!r}: {rows.at[index, column]!r} is not a "
            f"number; expected a number to compare with {spec.at_least:g}; correct the cell"
        )
    chosen = raw[(numbers >= spec.at_least).to_numpy()]
    values, markers = parse_cells(chosen["cell"])
    if markers.ne("").any():
        index = markers.ne("").idxmax()
        row = sheet_row(table, index)
        raise CjlibDataError(
            f"{where_is(table)}, row {row}: {chosen.at[index, 'cell']!r} cannot be summed; "
            "expected a number in every row summed; use a table without markers"
        )
    chosen = chosen.assign(number=values)
    summed = chosen.groupby(["area", "period", "measure_id"], as_index=False, sort=False)[
        "number"
    ].sum()
    return summed.rename(columns={"number": "cell"})


def _derive(tidy: pd.DataFrame, derived: list[Derived]) -> pd.DataFrame:
    """Append counts derived as ``round(a * b * multiply)``, marked ``[e]`` (estimated)."""
    frames = [tidy]
    wide = tidy.pivot_table(
        index=["area_code", "period"], columns="measure_id", values="value", aggfunc="first"
    )
    for rule in derived:
        a, b = rule.product
        for name in (a, b):
            if name not in wide.columns:
                raise CjlibDataError(
                    f"derive {rule.id!r}: no measure {name!r} was loaded; expected one of "
                    f"{', '.join(wide.columns)}; correct 'product' in the mapping"
                )
        value = wide[a] * wide[b] * rule.multiply
        if rule.round:
            value = np.floor(value + 0.5)
        out = value.rename("value").reset_index()
        out["measure_id"] = rule.id
        out["marker"] = np.where(out["value"].isna(), "[x]", DERIVED_MARKER)
        out["source"] = rule.source
        frames.append(out)
    combined = pd.concat(frames, ignore_index=True)
    return make_measures(combined)
