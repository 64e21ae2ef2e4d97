"""Check an area's parameters against the framework: every id it names must exist."""

from __future__ import annotations

import difflib
from pathlib import Path

from pydantic import ValidationError

from cjlib.errors import CjlibParameterError
from cjlib.framework import Framework, logic_model_problems
from cjlib.params.area import AreaParameters


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
