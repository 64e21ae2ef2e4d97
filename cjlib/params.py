"""Parameters: the batch defaults and each partnership's own settings, validated."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cjlib.areas import area_code
from cjlib.errors import CjlibParameterError
from cjlib.framework import (
    Framework,
    Indicator,
    LogicModel,
    Measure,
    Outcome,
    load_framework,
    logic_model_problems,
)
from cjlib.paths import PARAMETERS_DIR
from cjlib.periods import SUB_ANNUAL, is_financial_year, normalise_period, period_kind
from cjlib.yamltext import safe_load


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _period(value: str) -> str:
    period = normalise_period(value)
    if not is_financial_year(period):
        raise ValueError(f"expected a financial year such as '2023-24', got {value!r}")
    return period


class Defaults(_Strict):
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


class Target(_Strict):
    """A local target for one indicator."""

    value: float
    period: str | None = None
    note: str = ""

    @field_validator("period")
    @classmethod
    def _target_period(cls, value: str | None) -> str | None:
        return None if value is None else _period(value)


class PriorityDecision(_Strict):
    """The partnership's own decision on whether an outcome is a priority for action."""

    priority: bool
    reason: str = ""


# --- the plan and the annual report: what only people know (issue 13) ------------------


def _text(value: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError("expected some text, got an empty string")
    return text


class PlannedAction(_Strict):
    """One action the partners intend to take for an outcome."""

    text: str
    lead_partners: list[str] = Field(min_length=1)
    timescale: str

    _check_text = field_validator("text", "timescale")(_text)

    @field_validator("lead_partners")
    @classmethod
    def _partners_named(cls, value: list[str]) -> list[str]:
        return [_text(v) for v in value]


class OutcomePlan(_Strict):
    """The partnership's plan and this year's activity for one outcome."""

    actions: list[PlannedAction] = Field(default_factory=list)
    activity: str = ""


class PlanSections(_Strict):
    """Plan-level sections of a CJOIP; empty text is shown as "To complete"."""

    participation_statement: str = ""
    equalities: str = ""
    loip: str = ""
    consultation: str = ""
    governance: str = ""


# ---------------------------------------------------------------------------
# Improvement plans (issue 18): aims, measures and PDSA cycles for each
# prioritised outcome, validated like the rest of an area's parameters.
# ---------------------------------------------------------------------------


class ImprovementMeasure(_Strict):
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


class Aim(_Strict):
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


class PdsaCycle(_Strict):
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


class ImprovementPlan(_Strict):
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


class ImprovementParameters(_Strict):
    """An area's improvement plans and the file of local measures they chart."""

    data: str = Field(min_length=1)
    plans: dict[str, ImprovementPlan] = Field(default_factory=dict)


class AreaParameters(_Strict):
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


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CjlibParameterError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise CjlibParameterError(f"{path}: not UTF-8 text") from exc
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise CjlibParameterError(f"{path}:{line} not valid YAML") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CjlibParameterError(f"{path}: expected a mapping of keys to values")
    return data


def _explain(path: Path, error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        parts.append(f"{path}: {key}: {message}")
    return "; ".join(parts)


def load_defaults(params_dir: str | Path | None = None) -> Defaults:
    """Load ``defaults.yaml`` from ``params_dir`` (the project's parameters/ by default).

    Raises
    ------
    CjlibParameterError
        Naming the file, the key and what was expected.
    """
    path = Path(params_dir or PARAMETERS_DIR) / "defaults.yaml"
    if not path.exists():
        return Defaults()
    try:
        return Defaults.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise CjlibParameterError(_explain(path, exc)) from exc


def area_params_path(code: str, params_dir: str | Path | None = None) -> Path:
    """Return the path of an area's parameter file."""
    return Path(params_dir or PARAMETERS_DIR) / "areas" / f"{code}.yaml"


def _keys(params: AreaParameters, section: str) -> list[str]:
    """The keys of a (possibly nested, possibly absent) mapping in an area's parameters."""
    value: object = params
    for part in section.split("."):
        value = getattr(value, part, None) if value is not None else None
    return list(value or {})


def check_against_framework(path: Path, params: AreaParameters, framework: Framework) -> None:
    """Check that every indicator and outcome id in an area's parameters exists.

    Raises
    ------
    CjlibParameterError
        Naming the file, the key, the unknown id and the closest known ids.
    """
    indicators = {i.id for i in [*framework.indicators, *params.local_indicators]}
    outcomes = {o.id for o in [*framework.outcomes, *params.local_outcomes]}
    problems = []
    for section, known in (
        ("targets", indicators),
        ("indicators_not_used", indicators),
        ("priorities", outcomes),
        ("outcome_plans", outcomes),
        ("improvement.plans", outcomes),
        ("logic_models", outcomes),
    ):
        for key in _keys(params, section):
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.4)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                problems.append(f"{path}: {section}.{key}: not in the framework{hint}")
    for outcome_id, model in params.logic_models.items():
        problems += [
            f"{path}: {p}"
            for p in logic_model_problems(outcome_id, model, outcomes, indicators)
            if "unknown outcome" not in p  # reported above, with a hint
        ]
    if params.local_outcomes or params.local_indicators or params.local_measures:
        try:
            framework.extend(
                [o.model_dump() for o in params.local_outcomes],
                [i.model_dump() for i in params.local_indicators],
                [m.model_dump() for m in params.local_measures],
            )
        except ValidationError as exc:
            for item in exc.errors():
                message = item["msg"].removeprefix("Value error, ")
                problems.append(f"{path}: local outcomes, indicators or measures: {message}")
    if problems:
        raise CjlibParameterError("; ".join(problems))


def load_area_params(path: str | Path, framework: Framework | None = None) -> AreaParameters:
    """Load and validate one area's parameter file.

    Indicator and outcome ids are checked against ``framework`` (the bundled
    CJPF 2023 when None).

    Raises
    ------
    CjlibParameterError
        Naming the file, the key and what was expected.
    """
    path = Path(path)
    data = _read_yaml(path)
    try:
        params = AreaParameters.model_validate(data)
    except ValidationError as exc:
        raise CjlibParameterError(_explain(path, exc)) from exc
    if path.stem.startswith("S12") and params.area_code != path.stem:
        raise CjlibParameterError(
            f"{path}: area_code: {params.area_code} does not match the file name {path.stem}"
        )
    check_against_framework(path, params, framework or load_framework())
    return params


def area_params_or_default(code: str, params_dir: str | Path | None = None) -> AreaParameters:
    """Return an area's parameters, or empty ones when it has no file."""
    path = area_params_path(code, params_dir)
    if not path.exists():
        return AreaParameters(area_code=code)
    return load_area_params(path)
