"""Plan and annual-report parameters: outcome_plans, cjoip and the example flag."""

from __future__ import annotations

import pytest
import yaml

from cjlib.errors import CjlibParameterError
from cjlib.params import load_area_params
from cjlib.paths import PARAMETERS_DIR

EXAMPLES = ["S12000049", "S12000023"]
SECTIONS = ["loip", "participation_statement", "equalities", "consultation", "governance"]


@pytest.mark.parametrize("code", EXAMPLES)
def test_example_areas_are_complete_and_labelled(code):
    path = PARAMETERS_DIR / "areas" / f"{code}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "EXAMPLE ONLY" in text
    raw = yaml.safe_load(text)
    assert raw["example"] is True
    params = load_area_params(path)
    local = [o["id"] for o in raw.get("local_outcomes", [])]
    assert sorted(params.outcome_plans) == sorted([f"O{n}" for n in range(1, 10)] + local)
    for plan in params.outcome_plans.values():
        assert plan.activity.strip()
        assert plan.actions
        for action in plan.actions:
            assert action.text and action.lead_partners and action.timescale
    for key in SECTIONS:
        assert getattr(params.cjoip, key).strip() == raw["cjoip"][key]


def _write(tmp_path, extra: dict):
    path = tmp_path / "S12000033.yaml"
    path.write_text(yaml.safe_dump({"area_code": "S12000033", **extra}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("extra", "key", "expectation"),
    [
        (
            {"outcome_plans": {"O1": {"actions": [{"text": "Act", "lead_partners": [],
                                                   "timescale": "2025"}]}}},
            "outcome_plans.O1.actions.0.lead_partners",
            "at least 1 item",
        ),
        (
            {"outcome_plans": {"O2": {"actions": [{"text": "Act", "lead_partners": ["Police"],
                                                   "timescale": "  "}]}}},
            "outcome_plans.O2.actions.0.timescale",
            "expected some text",
        ),
        (
            {"outcome_plans": {"O3": {"actions": [{"text": "Act", "lead_partners": ["Police"]}]}}},
            "outcome_plans.O3.actions.0.timescale",
            "Field required",
        ),
        (
            {"outcome_plans": {"O99": {"activity": "x"}}},
            "outcome_plans.O99",
            "not in the framework",
        ),
        (
            {"outcome_plans": {"O4": {"activities": "x"}}},
            "outcome_plans.O4.activities",
            "unknown key",
        ),
        ({"cjoip": {"governence": "Board"}}, "cjoip.governence", "unknown key"),
        ({"cjoip": {"loip": ["a", "list"]}}, "cjoip.loip", "valid string"),
        ({"example": "perhaps"}, "example", "valid boolean"),
    ],
)  # fmt: skip
def test_bad_plan_parameters_name_file_key_and_expectation(tmp_path, extra, key, expectation):
    path = _write(tmp_path, extra)
    with pytest.raises(CjlibParameterError) as caught:
        load_area_params(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert f": {key}:" in message, message
    assert expectation in message, message
    assert "\n" not in message
