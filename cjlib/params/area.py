"""The batch defaults and one partnership's parameter file, as validated models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from cjlib.areas import area_code
from cjlib.framework import Indicator, LogicModel, Measure, Outcome
from cjlib.params.base import StrictModel
from cjlib.params.improvement import ImprovementParameters
from cjlib.params.plan import OutcomePlan, PlanSections
from cjlib.periods import is_financial_year, normalise_period


def _period(value: str) -> str:
    period = normalise_period(value)
    if not is_financial_year(period):
        raise ValueError(f"expected a financial year such as '2023-24', got {value!r}")
    return period


class Defaults(StrictModel):
    """``parameters/defaults.yaml``: settings shared by every area in a batch."""

    reporting_period: str = "2023-24"
    baseline_period: str = "2019-20"
    confidence: float = Field(0.95, gt=0, lt=1)
    comparator_grouping: Literal["deprivation", "urban_rural"] = "deprivation"
    suppression_threshold: int = Field(5, ge=1, le=20)
    framework: str = "cjpf-2023"
    measures_files: list[str] = Field(default_factory=lambda: ["demo_measures.csv"])
    use_real_data: bool = True

    _check_periods = field_validator("reporting_period", "baseline_period")(_period)


class Target(StrictModel):
    """A local target for one indicator."""

    value: float
    period: str | None = None
    note: str = ""

    @field_validator("period")
    @classmethod
    def _target_period(cls, value: str | None) -> str | None:
        return None if value is None else _period(value)


class PriorityDecision(StrictModel):
    """The partnership's own decision on whether an outcome is a priority for action."""

    priority: bool
    reason: str = ""


class AreaParameters(StrictModel):
    """``parameters/areas/<GSS code>.yaml``: one partnership's settings."""

    area_code: str
    targets: dict[str, Target] = Field(default_factory=dict)
    priorities: dict[str, PriorityDecision] = Field(default_factory=dict)
    indicators_not_used: dict[str, str] = Field(default_factory=dict)
    local_outcomes: list[Outcome] = Field(default_factory=list)
    local_indicators: list[Indicator] = Field(default_factory=list)
    local_measures: list[Measure] = Field(default_factory=list)
    #: tidy measures file (in the data folder) holding the values of local_measures
    local_measures_file: str | None = None
    context: str = ""
    # the plan and the annual report (issue 13): see PlannedAction, OutcomePlan, PlanSections
    example: bool = False
    outcome_plans: dict[str, OutcomePlan] = Field(default_factory=dict)
    cjoip: PlanSections = Field(default_factory=PlanSections)
    improvement: ImprovementParameters | None = None  # issue 18: improvement plans
    logic_models: dict[str, LogicModel] = Field(default_factory=dict)  # issue 18: adapted models

    @field_validator("area_code")
    @classmethod
    def _known_area(cls, value: str) -> str:
        code = area_code(value)
        if code is None or code == "S92000003":
            raise ValueError(f"{value!r} is not one of the 32 council area codes")
        return code

    @field_validator("indicators_not_used")
    @classmethod
    def _reasons_given(cls, value: dict[str, str]) -> dict[str, str]:
        for key, reason in value.items():
            if not str(reason or "").strip():
                raise ValueError(f"indicator {key!r} is not used but no reason is given")
        return value
