"""One area's slice of the batch tables, as a notebook needs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cjlib.areas import SCOTLAND_CODE, Area, area_name, get_area
from cjlib.framework import Framework, Indicator, load_framework
from cjlib.local_outcomes import area_framework
from cjlib.params import AreaParameters, area_params_or_default, load_defaults
from cjlib.periods import by_period, period_sort_key
from cjlib.pipeline import BatchContext, framework_path, open_batch, prepare_batch, read_table


@dataclass
class AreaContext:
    """Everything a notebook shows for one area: published tables only."""

    area: Area
    period: str
    baseline: str
    family_code: str
    framework: Framework
    params: AreaParameters
    results: pd.DataFrame  # every area, after disclosure control
    assessment: pd.DataFrame  # this area
    verdicts: pd.DataFrame  # this area
    measures: pd.DataFrame  # this area, its family group's members and Scotland
    synthetic: bool
    output_dir: str | None
    threshold: int
    batch: BatchContext

    def __post_init__(self) -> None:
        # one split up front: every lookup below then filters a few hundred rows, not all
        self._by_indicator = {k: v for k, v in self.results.groupby("indicator_id", sort=False)}
        self._empty = self.results.iloc[0:0]

    def rows(self, indicator_id: str) -> pd.DataFrame:
        """Every published row of one indicator."""
        return self._by_indicator.get(indicator_id, self._empty)

    @property
    def not_used(self) -> dict[str, str]:
        """Indicators the partnership does not use (with the forms derived from them): reasons."""
        from cjlib.assess.grades import not_used_reasons

        reasons = not_used_reasons(self.framework, {self.area.code: self.params})
        return {ind: reason for (_, ind), reason in reasons.items()}

    def used(self, indicators: list[Indicator]) -> list[Indicator]:
        """The indicators the partnership uses, in the order given."""
        dropped = self.not_used
        return [i for i in indicators if i.id not in dropped]

    def target(self, indicator_id: str):
        """The partnership's local target for an indicator in the reporting period, or None."""
        target = self.params.targets.get(indicator_id)
        return target if target is not None and target.period in (None, self.period) else None

    @property
    def family_name(self) -> str:
        """The reader's name of the area's comparator family group."""
        return area_name(self.family_code)

    def indicator(self, indicator_id: str) -> Indicator:
        """Return a framework indicator by id."""
        return self.framework.indicator(indicator_id)

    def series(self, indicator_id: str) -> pd.DataFrame:
        """Rows for the area, Scotland and the family group, every period."""
        rows = self.rows(indicator_id)
        rows = rows[rows["area_code"].isin([self.area.code, SCOTLAND_CODE, self.family_code])]
        return rows.sort_values(["area_code", "period"], key=by_period)

    def row(self, indicator_id: str, area_code: str | None = None, period: str | None = None):
        """The published row for one indicator (the area in the reporting period by default)."""
        rows = self.rows(indicator_id)
        rows = rows[
            (rows["area_code"] == (area_code or self.area.code))
            & (rows["period"] == (period or self.period))
        ]
        return None if rows.empty else rows.iloc[0]

    def councils(self, indicator_id: str, period: str | None = None) -> pd.DataFrame:
        """Every council's published row for one indicator and period."""
        rows = self.rows(indicator_id)
        return rows[(rows["geography"] == "council") & (rows["period"] == (period or self.period))]

    def latest_period(self, indicator_id: str) -> str | None:
        """The latest period with any value for an indicator."""
        rows = self.rows(indicator_id)
        rows = rows[rows["value"].notna()]
        if rows.empty:
            return None
        return max(rows["period"], key=period_sort_key)


def load_context(
    area_code: str,
    period: str = "",
    data_dir: str = "",
    params_dir: str = "",
    cache_dir: str = "",
    output_dir: str = "",
) -> AreaContext:
    """Load one area's context, building the batch cache first if it is missing.

    Parameters are the notebooks' own parameters: empty strings mean the defaults
    (bundled data, the project's parameters/, outputs/.cache, no data downloads).
    """
    area = get_area(area_code)
    if cache_dir and (Path(cache_dir) / "meta.json").exists():
        batch = open_batch(cache_dir)  # a batch run hands each notebook its prepared tables
    else:
        batch = prepare_batch(
            period or None, data_dir or None, params_dir or None, cache_dir or None
        )
    defaults = batch.defaults or load_defaults(params_dir or None)
    params = area_params_or_default(area.code, params_dir or None)
    framework = area_framework(load_framework(framework_path(defaults)), params)
    results = read_table(batch, "results")
    family_code = area.family_group(defaults.comparator_grouping) or ""
    members = results.loc[results["family_group"] == family_code, "area_code"].unique()
    measures = read_table(batch, "measures")
    measures = measures[measures["area_code"].isin([area.code, SCOTLAND_CODE, *members])]
    return AreaContext(
        area=area,
        period=batch.period,
        baseline=batch.baseline,
        family_code=family_code,
        framework=framework,
        params=params,
        results=results,
        assessment=read_table(batch, "assessment", area.code),
        verdicts=read_table(batch, "verdicts", area.code),
        measures=measures,
        synthetic=batch.synthetic,
        output_dir=str(Path(output_dir)) if output_dir else None,
        threshold=defaults.suppression_threshold,
        batch=batch,
    )
