"""The performance framework as data: outcomes, measures and indicators, validated on load."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cjlib.errors import CjlibFrameworkError
from cjlib.paths import DEFAULT_FRAMEWORK
from cjlib.yamltext import safe_load

Polarity = Literal["higher_is_better", "lower_is_better", "none"]
IndicatorType = Literal["count", "rate", "proportion"]
Role = Literal["national", "derived", "local_evidence", "headline", "context"]
WordingStatus = Literal["confirmed", "to_be_confirmed", "cjlib_derived", "local"]
#: What a form says: whether people were reached or succeeded ("success": completion,
#: engagement, accommodation, uptake shares), or how much service there was ("volume":
#: counts and rates per head, which mostly measure demand when compared between areas).
Evidence = Literal["success", "volume"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(_Strict):
    """A quantity that data files provide, one value per area and period."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    kind: Literal["count", "population", "rate", "proportion", "index"]
    source: str = ""


class Outcome(_Strict):
    """A national (or local) outcome."""

    id: str
    number: int
    title: str
    priority_action: str = ""
    headline: str | None = None  # the indicator that carries the outcome's verdict
    local: bool = False


class Indicator(_Strict):
    """An indicator: how a value is computed from measures, and how to judge it."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    outcome: str | None
    title: str
    definition: str
    type: IndicatorType
    numerator: str
    denominator: str | None = None
    multiplier: float = 1
    polarity: Polarity
    unit: str
    source: str
    geography: Literal["council", "scotland"] = "council"
    role: Role
    wording_status: WordingStatus
    derived_from: str | None = None
    #: A short plain name used in prose ("diversion cases completed").
    short_name: str = ""
    #: "success" or "volume"; by default shares are success, counts and rates volume.
    evidence: Evidence | None = None
    #: True on the one form of a measure whose change since the baseline is tested.
    change_form: bool = False
    #: Why the form is tested for change or judged against Scotland, shown in the packs.
    judgement_note: str = ""

    @model_validator(mode="after")
    def _denominator_matches_type(self) -> Indicator:
        if self.type == "count" and self.denominator is not None:
            raise ValueError("a count indicator has no denominator")
        if self.type in ("rate", "proportion") and self.denominator is None:
            raise ValueError(f"a {self.type} indicator needs a denominator measure")
        return self

    @property
    def is_national(self) -> bool:
        """True for national indicators and the comparable forms derived from them."""
        return self.role in ("national", "derived")

    @property
    def measure_id(self) -> str:
        """The measure this form belongs to: the indicator it is derived from, or itself."""
        return self.derived_from or self.id

    @property
    def evidence_kind(self) -> Evidence:
        """Whether the form shows success or volume (see :data:`Evidence`)."""
        if self.evidence is not None:
            return self.evidence
        return "success" if self.type == "proportion" else "volume"

    @property
    def plain_name(self) -> str:
        """The short name used in prose, or the title when none is given."""
        return self.short_name or self.title


LOGIC_STAGES = ("inputs", "activities", "outputs", "short_term", "medium_term", "long_term")
#: Headings of the stages of a logic model, in order.
LOGIC_STAGE_TITLES = {
    "inputs": "Inputs",
    "activities": "Activities",
    "outputs": "Outputs",
    "short_term": "Short-term outcomes",
    "medium_term": "Medium-term outcomes",
    "long_term": "Long-term outcomes",
}


class LogicItem(_Strict):
    """One box of a logic model, with the indicators that test it.

    ``text`` is the item in its own words; or ``quote`` takes the wording from the
    framework itself (the outcome's title, its priority action, or the titles of the
    item's indicators), so that one fact lives in one place.
    """

    text: str = ""
    quote: Literal["outcome", "priority_action", "indicator"] | None = None
    indicators: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_words(self) -> LogicItem:
        if not self.text.strip() and self.quote is None:
            raise ValueError(
                "a logic model item needs text, or quote: outcome, priority_action or indicator"
            )
        if self.quote == "indicator" and not self.indicators:
            raise ValueError("an item quoting its indicator needs indicators")
        return self


class LogicModel(_Strict):
    """How partners' activities are supposed to achieve an outcome, stage by stage."""

    inputs: list[LogicItem] = Field(default_factory=list)
    activities: list[LogicItem] = Field(default_factory=list)
    outputs: list[LogicItem] = Field(default_factory=list)
    short_term: list[LogicItem] = Field(default_factory=list)
    medium_term: list[LogicItem] = Field(default_factory=list)
    long_term: list[LogicItem] = Field(default_factory=list)
    source: str = ""

    def item_text(self, item: LogicItem, outcome: Outcome, framework: Framework) -> str:
        """Return an item's words: its own text, or the framework wording it quotes."""
        if item.quote == "outcome":
            return outcome.title
        if item.quote == "priority_action":
            return outcome.priority_action
        if item.quote == "indicator":
            return "; ".join(framework.indicator(i).title for i in item.indicators)
        return item.text

    def indicator_ids(self) -> list[str]:
        """Every indicator id the model links to, in order, once each."""
        seen: dict[str, None] = {}
        for stage in LOGIC_STAGES:
            for item in getattr(self, stage):
                seen.update(dict.fromkeys(item.indicators))
        return list(seen)


class Framework(_Strict):
    """A performance framework: measures, outcomes and indicators."""

    id: str
    title: str
    version: str
    publisher: str = ""
    population_measure: str
    measures: list[Measure]
    outcomes: list[Outcome]
    indicators: list[Indicator]
    logic_models: dict[str, LogicModel] = Field(default_factory=dict)
    priority_actions_without_outcome: list[str] = Field(default_factory=list)
    #: Measures that are official statistics already published by council area: they are
    #: shown as their publisher published them and never suppressed (docs/disclosure-policy.md).
    published_statistics: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self) -> Framework:
        problems = []
        for kind, items in (
            ("measure", self.measures),
            ("outcome", self.outcomes),
            ("indicator", self.indicators),
        ):
            for item_id, n in Counter(i.id for i in items).items():
                if n > 1:
                    problems.append(f"duplicate {kind} id {item_id!r}")
        measures = {m.id for m in self.measures}
        outcomes = {o.id for o in self.outcomes}
        indicators = {i.id for i in self.indicators}
        if self.population_measure not in measures:
            problems.append(f"population_measure {self.population_measure!r} is not a measure")
        for ind in self.indicators:
            for field in ("numerator", "denominator"):
                ref = getattr(ind, field)
                if ref is not None and ref not in measures:
                    problems.append(f"indicator {ind.id!r}: unknown {field} measure {ref!r}")
            if ind.outcome is not None and ind.outcome not in outcomes:
                problems.append(f"indicator {ind.id!r}: unknown outcome {ind.outcome!r}")
            if ind.derived_from is not None and ind.derived_from not in indicators:
                problems.append(f"indicator {ind.id!r}: unknown derived_from {ind.derived_from!r}")
        for outcome_id, model in self.logic_models.items():
            problems += logic_model_problems(outcome_id, model, outcomes, indicators)
        for ref in self.published_statistics:
            if ref not in measures:
                problems.append(f"published_statistics: unknown measure {ref!r}")
        flagged = Counter(i.measure_id for i in self.indicators if i.change_form)
        for measure_id, n in flagged.items():
            if n > 1:
                problems.append(f"measure {measure_id!r}: {n} forms have change_form: true")
        owners = {i.id: i.outcome for i in self.indicators}
        for out in self.outcomes:
            if out.headline is not None and owners.get(out.headline, "?") != out.id:
                problems.append(
                    f"outcome {out.id!r}: headline {out.headline!r} is not its indicator"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def measure_ids(self) -> set[str]:
        """The ids of every measure the framework knows."""
        return {m.id for m in self.measures}

    def measure(self, measure_id: str) -> Measure:
        """Return a measure by id."""
        return {m.id: m for m in self.measures}[measure_id]

    def indicator(self, indicator_id: str) -> Indicator:
        """Return an indicator by id."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(f"unknown indicator {indicator_id!r}")

    def outcome(self, outcome: str | int) -> Outcome:
        """Return an outcome by id (``"O3"``) or number (3)."""
        for out in self.outcomes:
            if out.id == outcome or out.number == outcome or str(out.number) == str(outcome):
                return out
        raise KeyError(f"unknown outcome {outcome!r}")

    def indicators_for(self, outcome: str | int) -> list[Indicator]:
        """Return the indicators of one outcome, in framework order."""
        out = self.outcome(outcome)
        return [i for i in self.indicators if i.outcome == out.id]

    def headline_for(self, outcome: str | int) -> Indicator | None:
        """Return the indicator that carries an outcome's verdict (its first national one)."""
        out = self.outcome(outcome)
        own = self.indicators_for(out.id)
        if out.headline is not None:
            return self.indicator(out.headline)
        national = [i for i in own if i.role in ("national", "local_evidence")]
        return national[0] if national else None

    def forms_of(self, indicator_id: str) -> list[Indicator]:
        """Return an indicator and the comparable forms derived from it (one piece of evidence)."""
        return [
            i for i in self.indicators if i.id == indicator_id or i.derived_from == indicator_id
        ]

    def primary_form(self, measure_id: str) -> Indicator:
        """Return the form of a measure whose change is tested: the flagged one, else itself."""
        forms = self.forms_of(measure_id)
        return next((i for i in forms if i.change_form), self.indicator(measure_id))

    def primary_forms(self) -> set[str]:
        """Return the ids of every measure's primary form (one change test per measure)."""
        return {self.primary_form(i.id).id for i in self.indicators if i.derived_from is None}

    def proportion_pairs(self) -> list[tuple[str, str]]:
        """Return (numerator, denominator) measure pairs where numerator <= denominator."""
        pairs = {(i.numerator, i.denominator) for i in self.indicators if i.type == "proportion"}
        return sorted(pairs)

    def extend(
        self, outcomes: list[dict], indicators: list[dict], measures: list[dict]
    ) -> Framework:
        """Return a new framework with local outcomes, indicators and measures added."""
        data = self.model_dump()
        data["outcomes"] += outcomes
        data["indicators"] += indicators
        data["measures"] += measures
        return Framework.model_validate(data)


def logic_model_problems(
    outcome_id: str, model: LogicModel, outcomes: set[str], indicators: set[str]
) -> list[str]:
    """Return what is wrong with a logic model: an unknown outcome or indicator id."""
    problems = []
    if outcome_id not in outcomes:
        problems.append(f"logic_models.{outcome_id}: unknown outcome {outcome_id!r}")
    for stage in LOGIC_STAGES:
        for n, item in enumerate(getattr(model, stage)):
            for ref in item.indicators:
                if ref not in indicators:
                    problems.append(
                        f"logic_models.{outcome_id}.{stage}.{n}: unknown indicator {ref!r}"
                    )
    return problems


def _format_validation_error(path: Path, error: ValidationError, data: dict) -> str:
    lines = []
    for item in error.errors():
        parts = [str(p) for p in item["loc"]]
        if len(parts) >= 2 and parts[0] in ("measures", "outcomes", "indicators"):
            try:
                parts[1] = str(data[parts[0]][int(parts[1])].get("id", parts[1]))
            except (IndexError, KeyError, TypeError, ValueError, AttributeError):
                pass
        location = ".".join(parts) or "(top level)"
        lines.append(f"{path}: {location}: {item['msg']}")
    return "\n".join(lines)


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and validate a framework YAML file (the bundled CJPF 2023 by default).

    Parameters
    ----------
    path : str or Path, optional
        A framework file following the schema of :class:`Framework`.

    Returns
    -------
    Framework
        The validated framework.

    Raises
    ------
    CjlibFrameworkError
        When the file is missing, is not YAML, or breaks the schema; the message
        names the file and the key.
    """
    chosen = Path(path) if path else DEFAULT_FRAMEWORK
    stamp = chosen.stat().st_mtime_ns if chosen.exists() else 0
    return _load_framework(chosen, stamp)


@lru_cache(maxsize=8)
def _load_framework(path: Path, stamp: int) -> Framework:
    """Load a framework; ``stamp`` (the file's mtime) makes an edited file load again."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CjlibFrameworkError(f"{path}: framework file not found") from exc
    except yaml.YAMLError as exc:
        raise CjlibFrameworkError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CjlibFrameworkError(f"{path}: expected a mapping with measures, outcomes, indicators")
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        raise CjlibFrameworkError(_format_validation_error(path, exc, data)) from exc
