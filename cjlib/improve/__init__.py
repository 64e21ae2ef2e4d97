"""Outcome improvement delivery: run charts, SPC charts, improvement plans' data."""

from cjlib.improve.runchart import RunChart, Signal, analyse_run_chart
from cjlib.improve.spc import CHART_FOR_KIND, MIN_SPC_POINTS, ControlChart, control_chart

__all__ = [
    "CHART_FOR_KIND",
    "MIN_SPC_POINTS",
    "ControlChart",
    "RunChart",
    "Signal",
    "analyse_run_chart",
    "control_chart",
]
