"""The plan and the annual report: what only people know (issue 13), as validated models."""

from __future__ import annotations

from pydantic import Field, field_validator

from cjlib.params.base import StrictModel


def _text(value: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ValueError("expected some text, got an empty string")
    return text


class PlannedAction(StrictModel):
    """One action the partners intend to take for an outcome."""

    text: str
    lead_partners: list[str] = Field(min_length=1)
    timescale: str

    _check_text = field_validator("text", "timescale")(_text)

    @field_validator("lead_partners")
    @classmethod
    def _partners_named(cls, value: list[str]) -> list[str]:
        return [_text(v) for v in value]


class OutcomePlan(StrictModel):
    """The partnership's plan and this year's activity for one outcome."""

    actions: list[PlannedAction] = Field(default_factory=list)
    activity: str = ""


class PlanSections(StrictModel):
    """Plan-level sections of a CJOIP; empty text is shown as "To complete"."""

    participation_statement: str = ""
    equalities: str = ""
    loip: str = ""
    consultation: str = ""
    governance: str = ""
