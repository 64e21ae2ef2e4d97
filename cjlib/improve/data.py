"""An area's local monthly or quarterly measures for its improvement plans: load, check, chart.

The measures come in cjlib's tidy format (``area_code, period, measure_id, value,
marker, source``), with months (``2024-04``) or quarters (``2024-Q1``) as periods.
Their ``measure_id``s are the plan's own series, not framework measures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.areas import area_code as to_area_code
from cjlib.errors import CjlibDataError
from cjlib.framework import Measure, load_framework
from cjlib.improve.runchart import RunChart, analyse_run_chart
from cjlib.improve.spc import CHART_FOR_KIND, MIN_SPC_POINTS, ControlChart, control_chart
from cjlib.loaders.tidy import load_tidy, read_table_file
from cjlib.params import ImprovementMeasure, ImprovementParameters
from cjlib.paths import DATA_DIR
from cjlib.periods import sort_periods
from cjlib.validate import Problem, check_frame

_MEASURE_KIND = {"proportion": "count", "rate": "count", "count": "count", "measurement": "index"}


def improvement_data_path(improvement: ImprovementParameters, data_dir: str | Path | None) -> Path:
    """Return the local measures file: in ``data_dir``, else among the bundled data."""
    if data_dir:
        path = Path(data_dir) / improvement.data
        if path.exists():
            return path
    return DATA_DIR / improvement.data


def load_improvement_data(
    path: str | Path, area: str, improvement: ImprovementParameters
) -> pd.DataFrame:
    """Check and load one area's rows of a local measures file.

    Every series a plan names must be there; periods must be months or quarters of
    one kind per series; values numbers or GSS markers.

    Raises
    ------
    CjlibDataError
        One line naming the file, the row and the value (and how many more problems).
    """
    path = Path(path)
    raw = read_table_file(path)
    if "area_code" in raw:
        codes = raw["area_code"].map({a: to_area_code(a) for a in pd.unique(raw["area_code"])})
        raw = raw[codes.eq(area)]
    kinds = {}
    for plan in improvement.plans.values():
        for m in plan.measures:
            kinds[m.series] = _MEASURE_KIND[m.kind]
            if m.denominator:
                kinds[m.denominator] = "count"
    # the plan's series are the only measures; no framework indicator applies to them
    framework = load_framework().model_copy(
        update={
            "measures": [Measure(id=s, title=s, kind=k) for s, k in kinds.items()],
            "indicators": [],
        }
    )
    problems = check_frame(raw, str(path), framework).problems
    problems += _over_denominator(raw, str(path), improvement)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CjlibDataError(f"{problems[0]}{more}")
    data = load_tidy(path)
    data = data[data["area_code"].eq(area)]
    missing = sorted(set(kinds) - set(data["measure_id"]))
    if missing:
        raise CjlibDataError(
            f"{path}: no rows for {area} of the plan's series {', '.join(missing)}"
        )
    return data


def _over_denominator(
    raw: pd.DataFrame, file: str, improvement: ImprovementParameters
) -> list[Problem]:
    """Rows where a share's numerator is greater than its denominator in the same period."""
    values = pd.to_numeric(raw["value"], errors="coerce")
    key = raw["period"].astype(str).str.strip()
    problems = []
    for plan in improvement.plans.values():
        for m in plan.measures:
            if m.kind != "proportion":
                continue
            top = values[raw["measure_id"].eq(m.series)]
            bottom = values[raw["measure_id"].eq(m.denominator)]
            below = dict(zip(key[bottom.index], bottom, strict=True))
            for i, v in top.items():
                limit = below.get(key[i])
                if limit is not None and v > limit:
                    problems.append(
                        Problem(
                            file,
                            int(i) + 2,
                            "value",
                            f"{m.series} ({v:g}) is greater than its denominator "
                            f"{m.denominator} ({limit:g}) in {key[i]}",
                        )
                    )
    return sorted(problems)


@dataclass
class MeasureChart:
    """One plan measure's points, its run chart and, with enough points, its control chart."""

    measure: ImprovementMeasure
    table: pd.DataFrame  # period, numerator, denominator, value, marker
    run: RunChart
    control: ControlChart | None
    why_no_control: str = ""

    @property
    def periods(self) -> list[str]:
        """The periods, in time order."""
        return list(self.table["period"])


def measure_table(data: pd.DataFrame, measure: ImprovementMeasure, threshold: int) -> pd.DataFrame:
    """Return one measure's points in time order, counts of 1 to ``threshold - 1`` suppressed.

    A share or rate is ``numerator / denominator * multiplier``; a point whose
    numerator or denominator is a small count is shown as ``[c]`` and not charted.
    """
    wide = data.pivot(index="period", columns="measure_id", values="value")
    marks = data.pivot(index="period", columns="measure_id", values="marker")
    periods = sort_periods(data.loc[data["measure_id"].eq(measure.series), "period"])
    table = pd.DataFrame({"period": periods})
    table["numerator"] = wide.loc[periods, measure.series].to_numpy(float)
    table["marker"] = marks.loc[periods, measure.series].fillna("").to_numpy()
    if measure.denominator:
        den = wide[measure.denominator].reindex(periods)
        table["denominator"] = den.to_numpy(float)
        table["value"] = table["numerator"] / table["denominator"] * measure.multiplier
    else:
        table["denominator"] = np.nan
        table["value"] = table["numerator"] * measure.multiplier
    if measure.kind != "measurement":
        small = table[["numerator", "denominator"]].apply(lambda c: c.between(1, threshold - 1))
        hidden = small.any(axis=1)
        table.loc[hidden, ["numerator", "denominator", "value"]] = np.nan
        table.loc[hidden, "marker"] = "[c]"
    return table


def chart_measure(data: pd.DataFrame, measure: ImprovementMeasure, threshold: int) -> MeasureChart:
    """Build a measure's run chart and, when every phase has 20 points, its control chart."""
    table = measure_table(data, measure, threshold)
    run = analyse_run_chart(table["value"].to_numpy(float))
    kind = CHART_FOR_KIND[measure.kind]
    bounds = [*run.phase_starts, len(table)]
    shortest = min(
        int(table["value"].iloc[lo:hi].notna().sum())
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    )
    if shortest < MIN_SPC_POINTS:
        why = (
            f"A control chart needs at least {MIN_SPC_POINTS} points in each phase; "
            f"the shortest phase here has {shortest}, so this is a run chart."
        )
        return MeasureChart(measure, table, run, None, why)
    control = control_chart(
        kind,
        table["value" if kind == "xmr" else "numerator"].to_numpy(float),
        None if kind in ("c", "xmr") else table["denominator"].to_numpy(float),
        phase_starts=run.phase_starts,
    )
    if measure.multiplier != 1 and kind in ("p", "u"):
        for name in ("values", "centre", "sigma", "lower", "upper"):
            setattr(control, name, getattr(control, name) * measure.multiplier)
    return MeasureChart(measure, table, run, control)
