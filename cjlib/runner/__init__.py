"""The batch runner: every notebook for every area, in parallel, incrementally."""

from cjlib.runner.batch import BatchOptions, CjlibBatchError, run_batch
from cjlib.runner.hooks import Hooks, default_hooks
from cjlib.runner.manifest import read_manifest, write_manifest
from cjlib.runner.plan import CjlibSelectionError, Plan, RunSpec, plan_runs
from cjlib.runner.summary import BatchOutcome, format_summary
from cjlib.runner.worker import RunResult, RunTask, is_infrastructure_error, run_task

__all__ = [
    "BatchOptions",
    "BatchOutcome",
    "CjlibBatchError",
    "CjlibSelectionError",
    "Hooks",
    "Plan",
    "RunResult",
    "RunSpec",
    "RunTask",
    "default_hooks",
    "format_summary",
    "is_infrastructure_error",
    "plan_runs",
    "read_manifest",
    "run_batch",
    "run_task",
    "write_manifest",
]
