"""Parameters: the batch defaults and each partnership's own settings, validated.

- :mod:`cjlib.params.base`: the strict base model (an unknown key is an error);
- :mod:`cjlib.params.area`: ``defaults.yaml`` and an area's parameter file;
- :mod:`cjlib.params.plan`: the plan and the annual report, what only people know;
- :mod:`cjlib.params.improvement`: improvement plans (aims, measures, PDSA cycles);
- :mod:`cjlib.params.load`: read and validate the files, each problem named by file and key;
- :mod:`cjlib.params.check`: check an area's ids against the framework.
"""

from cjlib.params.area import AreaParameters, Defaults, PriorityDecision, Target
from cjlib.params.check import check_against_framework
from cjlib.params.improvement import (
    Aim,
    ImprovementMeasure,
    ImprovementParameters,
    ImprovementPlan,
    PdsaCycle,
)
from cjlib.params.load import (
    area_params_or_default,
    area_params_path,
    load_area_params,
    load_defaults,
)
from cjlib.params.plan import OutcomePlan, PlannedAction, PlanSections

__all__ = [
    "Aim",
    "AreaParameters",
    "Defaults",
    "ImprovementMeasure",
    "ImprovementParameters",
    "ImprovementPlan",
    "OutcomePlan",
    "PdsaCycle",
    "PlanSections",
    "PlannedAction",
    "PriorityDecision",
    "Target",
    "area_params_or_default",
    "area_params_path",
    "check_against_framework",
    "load_area_params",
    "load_defaults",
]
