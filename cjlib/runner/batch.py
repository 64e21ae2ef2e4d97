"""Run a batch: plan, validate parameters, prepare once, run the pool, record, finish.

Order of work, all in the parent process:

1. lock ``outputs/<period>`` against a second batch, remove what a killed batch left;
2. hash every run's inputs and skip those whose last run succeeded with the same hashes;
3. validate each remaining area's parameter file: a bad file fails that area's runs only;
4. start the workers (each starts its warm kernel, or imports papermill, while the
   parent works), then call ``prepare`` once, the batch's heavy work;
5. run the pool, recording each result in the manifest, checkpointed as it goes;
6. call ``finish`` (front pages, national index) when anything changed;
7. write the manifest, atomically, whatever happened, including on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cjlib.errors import CjlibError
from cjlib.runner import manifest as mf
from cjlib.runner import outputs
from cjlib.runner.hashes import InputHasher
from cjlib.runner.hooks import Hooks, default_hooks
from cjlib.runner.plan import RunSpec, build_specs, plan_runs
from cjlib.runner.pool import WorkerPool
from cjlib.runner.progress import Progress, format_duration
from cjlib.runner.scheduler import CjlibBatchInterrupted, StopFlag, run_on_pool, signals_caught
from cjlib.runner.summary import BatchOutcome
from cjlib.runner.worker import RunResult, RunTask

LOCK_NAME = ".cjlib-run.lock"


class CjlibBatchError(CjlibError, RuntimeError):
    """A batch that cannot start, e.g. another batch is writing the same outputs."""


@dataclass
class BatchOptions:
    """What to run and where: the ``cjlib run`` options, resolved."""

    period: str
    areas: list[tuple[str, str]]
    notebooks: list[Path]
    output_dir: Path
    params_dir: Path
    cache_dir: Path
    data_dir: Path | None = None
    jobs: int = 1
    force: bool = False
    timeout: float = 600.0
    start_timeout: float = 60.0
    package_dir: Path | None = None
    extra_parameters: dict = field(default_factory=dict)
    fresh_kernels: bool = False


@contextmanager
def _locked(period_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(period_dir / LOCK_NAME, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CjlibBatchError(
                f"another cjlib run is writing {period_dir}; wait for it to finish"
            ) from None
        yield


def _one_line(error: BaseException) -> str:
    """Return the whole reason for an error on one line (its lines joined)."""
    text = str(error) if isinstance(error, CjlibError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


class _Batch:
    """The state of one batch; :func:`run_batch` is its public face."""

    def __init__(self, options: BatchOptions, hooks: Hooks, stream: TextIO, bar: bool | None):
        from cjlib.paths import DATA_DIR, PACKAGE_DIR

        self.options, self.hooks, self.stream, self.bar = options, hooks, stream, bar
        self.started, self.clock = mf.now_iso(), time.monotonic()
        self.period_dir = Path(options.output_dir) / options.period
        self.hasher = InputHasher(
            options.data_dir or DATA_DIR, options.params_dir, options.package_dir or PACKAGE_DIR
        )
        self.old_manifest: dict = {}
        self.previous: dict = {}
        self.entries: dict = {}
        self.specs: dict = {}
        self.batch_key = None
        self.prepared_dir = None
        self.progress: Progress | None = None
        self.total = 0
        self.phases: dict[str, float] = {}

    def note(self, message: str) -> None:
        if self.progress is not None:
            self.progress.note(message)
        else:
            print(message, file=self.stream, flush=True)

    def manifest(self, finished: bool = False) -> dict:
        return mf.build_manifest(
            self.options.period,
            self.entries,
            started_at=self.started,
            interrupted=bool(self.outcome.interrupted),
            finished=finished,
            batch_key=self.batch_key,
            phases=self.phases,
        )

    def write_manifest(self, finished: bool = False) -> Path:
        return mf.write_manifest(self.period_dir, self.manifest(finished))

    def record(self, result: RunResult) -> None:
        self.outcome.results.append(result)
        self.entries[result.key] = mf.run_entry(self.specs[result.key], result)
        if result.status == "failed":
            self.note(f"failed: {result.area_code} {result.notebook}: {result.error}")
        if self.progress is not None:
            self.progress.advance(failed=result.status == "failed")

    def start_progress(self) -> None:
        """Start the progress display once the runs are about to start."""
        settled = len(self.outcome.results)
        self.progress = Progress(
            self.total, self.stream, bar=self.bar, done=settled, failed=len(self.outcome.failed)
        )

    def plan(self) -> list[RunSpec]:
        options = self.options
        outputs.remove_leftovers(self.period_dir)
        self.old_manifest = mf.read_manifest(self.period_dir)
        self.previous = mf.entries_by_key(self.old_manifest)
        self.batch_key = self.old_manifest.get("batch_key")
        specs = build_specs(options.areas, options.notebooks, self.hasher)
        self.specs = {spec.key: spec for spec in specs}
        plan = plan_runs(specs, self.previous, self.period_dir, force=options.force)
        self.entries = dict(self.previous)
        for spec in plan.skipped:
            self.entries[spec.key] = mf.skipped_entry(self.previous[spec.key])
        self.outcome = BatchOutcome(
            options.period,
            self.period_dir,
            skipped=len(plan.skipped),
            area_names=dict(options.areas),
            jobs=max(1, min(options.jobs, len(plan.to_run))),
        )
        self.note(
            f"cjlib run {options.period}: {plan.total} runs ({len(options.areas)} areas x "
            f"{len(options.notebooks)} notebooks), {len(plan.skipped)} up to date, "
            f"{len(plan.to_run)} to run"
        )
        self.total = len(plan.to_run)
        return plan.to_run

    def validate(self, to_run: list[RunSpec]) -> list[RunSpec]:
        """Fail every run of an area whose parameter file is bad; return the others."""
        if self.hooks.validate is None:
            return to_run
        bad: dict[str, str] = {}
        for code in dict.fromkeys(spec.area_code for spec in to_run):
            try:
                self.hooks.validate(self.hasher.area_params_path(code))
            except Exception as error:  # noqa: BLE001 - one bad file fails only its area
                bad[code] = _one_line(error)
        for spec in to_run:
            if spec.area_code in bad:
                old = (self.previous.get(spec.key) or {}).get("outputs") or []
                outputs.discard_run(self.period_dir, spec.area_code, spec.notebook, old, False)
                self.record(
                    RunResult(spec.area_code, spec.notebook, "failed", 0.0, 0, bad[spec.area_code])
                )
        return [spec for spec in to_run if spec.area_code not in bad]

    def prepare(self) -> object:
        options = self.options
        self.note("preparing the data once for every run ...")
        tick = time.monotonic()
        prepared = self.hooks.prepare(
            options.period, options.data_dir, options.params_dir, options.cache_dir
        )
        self.batch_key = getattr(prepared, "key", None) or self.batch_key
        self.prepared_dir = getattr(prepared, "directory", None)
        self.phases["prepare"] = round(time.monotonic() - tick, 3)
        self.note(f"prepared in {format_duration(self.phases['prepare'])}")
        leak = getattr(prepared, "disclosure", "")
        if leak:  # checked before any notebook, page, CSV or document is written
            raise CjlibBatchError(f"nothing written: {leak}")
        return prepared

    def task(self, spec: RunSpec) -> RunTask:
        options = self.options
        staging = outputs.staging_dir(self.period_dir, spec.area_code, spec.notebook)
        parameters = {
            "area_code": spec.area_code,
            "period": options.period,
            "data_dir": str(options.data_dir) if options.data_dir else "",
            "params_dir": str(options.params_dir),
            "cache_dir": str(self.prepared_dir or options.cache_dir),
            "output_dir": str(staging),
            **options.extra_parameters,
        }
        previous_outputs = (self.previous.get(spec.key) or {}).get("outputs") or []
        return RunTask(
            spec.area_code,
            spec.area_name,
            spec.notebook,
            str(spec.notebook_path),
            str(self.period_dir),
            parameters,
            list(previous_outputs),
            options.timeout,
            options.start_timeout,
        )

    def execute(self, to_run: list[RunSpec]) -> object:
        """Prepare, then run every remaining run on the pool; return what prepare made."""
        prepared = None
        with signals_caught(StopFlag()) as flag:
            flag.raising = True  # a signal while preparing stops at once
            pool = WorkerPool(
                min(self.options.jobs, len(to_run)),
                f"cjlib:{uuid.uuid4().hex[:12]}:",
                self.hooks.execute,
                self.hooks.export,
                Path(self.options.cache_dir) / "logs",
            )
            try:
                pool.start()
                if self.hooks.prepare is not None:
                    prepared = self.prepare()
            except BaseException:
                pool.stop(grace=0.0)
                raise
            flag.raising = False
            tasks = [self.task(spec) for spec in to_run]
            self.start_progress()
            self.outcome.interrupted = run_on_pool(
                tasks, pool, flag, self.record, self.write_manifest, self.note
            )
        return prepared

    def finish(self, prepared: object) -> None:
        """Rebuild the front pages and the national index when anything changed."""
        done_before = bool(self.old_manifest.get("finished"))
        if self.hooks.finish is None or self.outcome.interrupted:
            return
        if done_before and not self.outcome.results and (self.period_dir / "index.html").is_file():
            self.write_manifest(finished=True)
            return
        options = self.options
        tick = time.monotonic()
        try:
            if prepared is None and self.hooks.prepare is not None:
                prepared = self.prepare()  # the pages need it; a cache hit when unchanged
                tick = time.monotonic()
            self.hooks.finish(
                period=options.period,
                output_dir=Path(options.output_dir),
                manifest=self.manifest(),
                prepared=prepared,
                data_dir=options.data_dir,
                params_dir=options.params_dir,
                cache_dir=options.cache_dir,
            )
        except Exception as error:  # noqa: BLE001 - reported; the runs' outputs stand
            self.outcome.finish_error = _one_line(error)
            return
        finally:
            self.phases["pages"] = round(time.monotonic() - tick, 3)
        self.outcome.manifest_path = self.write_manifest(finished=True)

    def run(self) -> BatchOutcome:
        to_run = self.validate(self.plan())
        prepared = None
        try:
            if to_run:
                prepared = self.execute(to_run)
        except CjlibBatchInterrupted as stop:
            self.outcome.interrupted = stop.signum
        finally:
            if self.progress is not None:
                self.progress.close()
            outputs.remove_leftovers(self.period_dir)
            self.outcome.not_run = len(to_run) - sum(r.attempts > 0 for r in self.outcome.results)
            self.outcome.manifest_path = self.write_manifest()
        self.finish(prepared)
        self.outcome.seconds = time.monotonic() - self.clock
        return self.outcome


def run_batch(
    options: BatchOptions,
    hooks: Hooks | None = None,
    stream: TextIO | None = None,
    progress_bar: bool | None = None,
) -> BatchOutcome:
    """Run every selected notebook for every selected area (see the module docstring).

    Parameters
    ----------
    options : BatchOptions
        What to run and where.
    hooks : Hooks, optional
        The functions doing the work; cjlib's own by default.
    stream : text stream, optional
        Where progress and notes go; standard error by default.
    progress_bar : bool, optional
        Force or forbid the tqdm bar; by default a bar only on a terminal.

    Returns
    -------
    BatchOutcome
        For :func:`~cjlib.runner.summary.format_summary` and the exit status.

    Raises
    ------
    CjlibError
        When the batch cannot start, or its preparation fails (no notebook has run then).
    """
    stream = stream if stream is not None else sys.stderr
    if hooks is None:
        hooks = default_hooks(fresh_kernels=options.fresh_kernels)
    period_dir = Path(options.output_dir) / options.period
    period_dir.mkdir(parents=True, exist_ok=True)
    with _locked(period_dir):
        return _Batch(options, hooks, stream, progress_bar).run()
