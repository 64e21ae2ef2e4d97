"""Improvement plans (issue 18): aims, measures and PDSA cycles for each prioritised outcome.

Validated like the rest of an area's parameters.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from cjlib.params.base import StrictModel
from cjlib.periods import SUB_ANNUAL, is_financial_year, normalise_period, period_kind


class ImprovementMeasure(StrictModel):
    """One measure of an improvement plan, tied to a series of local measures.

    ``series`` (and ``denominator`` for shares and rates) name ``measure_id``s in the
    area's local measures file; ``kind`` picks the control chart (p for shares, u for
    rates, c for counts, XmR for measurements).
    """

    series: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    role: Literal["outcome", "process", "balancing"]
    title: str = Field(min_length=1)
    kind: Literal["proportion", "rate", "count", "measurement"]
    unit: str = Field(min_length=1)
    denominator: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    multiplier: float = Field(1, gt=0)
    polarity: Literal["higher_is_better", "lower_is_better", "none"] = "none"

    @model_validator(mode="after")
    def _denominator_matches_kind(self) -> ImprovementMeasure:
        if self.kind in ("proportion", "rate") and self.denominator is None:
            raise ValueError(f"a {self.kind} measure needs a denominator series")
        if self.kind in ("count", "measurement") and self.denominator is not None:
            raise ValueError(f"a {self.kind} measure has no denominator")
        return self


class Aim(StrictModel):
    """What the partnership aims to change, by how much and by when."""

    what: str = Field(min_length=1)
    measure: str
    baseline: float | None = None
    target: float
    by: str

    @field_validator("by")
    @classmethod
    def _month_or_quarter(cls, value: str) -> str:
        period = normalise_period(value)
        if period_kind(period) not in SUB_ANNUAL and not is_financial_year(period):
            raise ValueError(
                f"expected a month such as 2025-03, a quarter such as 2024-Q4 or a "
                f"financial year such as 2024-25, got {value!r}"
            )
        return period


class PdsaCycle(StrictModel):
    """One plan-do-study-act cycle: the change tested, the prediction and what was learned."""

    cycle: int = Field(ge=1)
    start: date
    end: date | None = None
    change: str = Field(min_length=1)
    prediction: str = Field(min_length=1)
    learned: str = ""

    @model_validator(mode="after")
    def _ends_after_start(self) -> PdsaCycle:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"cycle {self.cycle} ends ({self.end}) before it starts ({self.start})"
            )
        return self


class ImprovementPlan(StrictModel):
    """One prioritised outcome's improvement plan."""

    aim: Aim
    measures: list[ImprovementMeasure] = Field(min_length=1)
    pdsa: list[PdsaCycle] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> ImprovementPlan:
        series = [m.series for m in self.measures]
        problems = [
            f"measure series {s!r} is listed twice" for s in set(series) if series.count(s) > 1
        ]
        if self.aim.measure not in series:
            problems.append(
                f"aim.measure {self.aim.measure!r} is not one of the plan's measures "
                f"({', '.join(series)})"
            )
        cycles = [c.cycle for c in self.pdsa]
        problems += [f"PDSA cycle {c} is listed twice" for c in set(cycles) if cycles.count(c) > 1]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ImprovementParameters(StrictModel):
    """An area's improvement plans and the file of local measures they chart."""

    data: str = Field(min_length=1)
    plans: dict[str, ImprovementPlan] = Field(default_factory=dict)
