"""The end-of-batch summary: counts, the slowest runs and one line per failure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cjlib.runner.progress import format_duration
from cjlib.runner.worker import RunResult

#: How many of the slowest runs the summary lists.
SLOWEST = 5


@dataclass
class BatchOutcome:
    """What a batch did, for the summary and the exit status."""

    period: str
    period_dir: Path
    results: list[RunResult] = field(default_factory=list)
    skipped: int = 0
    area_names: Mapping[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    jobs: int = 1
    manifest_path: Path | None = None
    interrupted: int | None = None
    not_run: int = 0
    finish_error: str | None = None

    @property
    def failed(self) -> list[RunResult]:
        """Return the runs that failed in this batch."""
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> int:
        """Return how many runs succeeded in this batch."""
        return sum(r.status == "ok" for r in self.results)

    @property
    def exit_status(self) -> int:
        """Return 0 when all went well, 1 when anything failed, 128 + signal when stopped."""
        if self.interrupted:
            return 128 + self.interrupted
        return 1 if self.failed or self.finish_error else 0


def _where(outcome: BatchOutcome, relative: str | None) -> str:
    if not relative:
        return "(no executed notebook)"
    return str(outcome.period_dir / relative)


def failure_line(outcome: BatchOutcome, result: RunResult) -> str:
    """Return one line for a failed run: area, notebook, first line of the error, notebook path."""
    name = outcome.area_names.get(result.area_code, "")
    error = (result.error or "failed").splitlines()[0] if result.error else "failed"
    return (
        f"{result.area_code} {name}: {result.notebook}: {error} "
        f"[{_where(outcome, result.executed_notebook)}]"
    )


def format_summary(outcome: BatchOutcome, slowest: int = SLOWEST) -> str:
    """Return the summary printed at the end of ``cjlib run``."""
    lines = [
        f"cjlib run {outcome.period}: {outcome.ok} ok, {len(outcome.failed)} failed, "
        f"{outcome.skipped} skipped (up to date) in {format_duration(outcome.seconds)} "
        f"with {outcome.jobs} job{'s' if outcome.jobs != 1 else ''}"
    ]
    if outcome.interrupted:
        lines.append(
            f"interrupted: {outcome.not_run} run{'s' if outcome.not_run != 1 else ''} not done; "
            "finished outputs were kept"
        )
    timed = sorted(outcome.results, key=lambda r: r.seconds, reverse=True)[:slowest]
    if timed:
        lines.append("slowest:")
        lines += [f"  {r.seconds:7.1f}s  {r.area_code} {r.notebook}" for r in timed]
    if outcome.failed:
        lines.append("failed:")
        lines += [f"  {failure_line(outcome, r)}" for r in _sorted(outcome.failed)]
    if outcome.finish_error:
        lines.append(f"front pages and national index not built: {outcome.finish_error}")
    if outcome.manifest_path is not None:
        lines.append(f"manifest: {outcome.manifest_path}")
    return "\n".join(lines)


def _sorted(results: Sequence[RunResult]) -> list[RunResult]:
    return sorted(results, key=lambda r: (r.area_code, r.notebook))
