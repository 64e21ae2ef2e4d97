"""Run a batch: plan, validate parameters, prepare once, run the pool, record, summarise."""

from __future__ import annotations

import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cjlib.errors import CjlibError
from cjlib.runner import manifest as mf
from cjlib.runner import outputs
from cjlib.runner.hashes import InputHasher
from cjlib.runner.hooks import Hooks, call_with_accepted, default_hooks
from cjlib.runner.plan import RunSpec, build_specs, plan_runs
from cjlib.runner.pool import PoolEvent, WorkerPool
from cjlib.runner.progress import Progress, format_duration
from cjlib.runner.summary import BatchOutcome
from cjlib.runner.worker import MAX_ATTEMPTS, RunResult, RunTask

#: Seconds between manifest writes while a batch runs (it is always written at the end).
MANIFEST_EVERY = 10.0
LOCK_NAME = ".cjlib-run.lock"


class CjlibBatchError(CjlibError, RuntimeError):
    """A batch that cannot start, e.g. another batch is writing the same outputs."""


@dataclass
class BatchOptions:
    """What to run and where; the ``cjlib run`` options, resolved."""

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
    extra: dict = field(default_factory=dict)


class _StopFlag:
    """Set by SIGINT or SIGTERM; a second signal asks to hurry."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.count = 0

    def __call__(self, signum: int, frame: object) -> None:
        self.count += 1
        self.signum = self.signum or signum


@contextmanager
def _signals_caught(flag: _StopFlag) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, flag) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


@contextmanager
def _locked(period_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # Windows: no lock
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


def _entry(spec: RunSpec, result: RunResult) -> dict:
    return {
        "area_code": spec.area_code,
        "area_name": spec.area_name,
        "notebook": spec.notebook,
        "status": result.status,
        "seconds": round(result.seconds, 2),
        "attempts": result.attempts,
        "error": result.error,
        "executed_notebook": result.executed_notebook,
        "outputs": list(result.outputs),
        "hashes": dict(spec.hashes),
        "ran_at": mf.now_iso(),
        "ran_seconds": round(result.seconds, 2),
    }


def _skipped_entry(previous: Mapping) -> dict:
    entry = dict(previous)
    ran_seconds = previous.get("ran_seconds", previous.get("seconds", 0.0))
    entry.update(status="skipped", seconds=0.0, error=None, ran_seconds=ran_seconds)
    return entry


def _parameters(options: BatchOptions, spec: RunSpec, period_dir: Path) -> dict:
    staging = outputs.staging_dir(period_dir, spec.area_code, spec.notebook)
    return {
        "area_code": spec.area_code,
        "period": options.period,
        "data_dir": str(options.data_dir) if options.data_dir else "",
        "params_dir": str(options.params_dir),
        "cache_dir": str(options.cache_dir),
        "output_dir": str(staging),
        **options.extra,
    }


def run_batch(
    options: BatchOptions,
    hooks: Hooks | None = None,
    stream: TextIO | None = None,
    progress_bar: bool | None = None,
) -> BatchOutcome:
    """Run every selected notebook for every selected area; see the module docstring.

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
        When the batch cannot start or its preparation fails (nothing has run then).
    """
    stream = stream if stream is not None else sys.stderr

    def note(message: str) -> None:
        print(message, file=stream, flush=True)

    hooks = hooks if hooks is not None else default_hooks(note)
    started, clock = mf.now_iso(), time.monotonic()
    period_dir = Path(options.output_dir) / options.period
    period_dir.mkdir(parents=True, exist_ok=True)
    with _locked(period_dir):
        return _run_locked(options, hooks, stream, progress_bar, note, started, clock, period_dir)


def _run_locked(options, hooks, stream, progress_bar, note, started, clock, period_dir):  # noqa: D103
    from cjlib.paths import DATA_DIR, PACKAGE_DIR

    outputs.remove_leftovers(period_dir)
    old_manifest = mf.read_manifest(period_dir)
    previous = mf.entries_by_key(old_manifest)
    hasher = InputHasher(
        options.data_dir or DATA_DIR, options.params_dir, options.package_dir or PACKAGE_DIR
    )
    specs = build_specs(options.areas, options.notebooks, hasher)
    plan = plan_runs(specs, previous, period_dir, force=options.force)
    by_key = {spec.key: spec for spec in specs}
    entries = dict(previous)
    for spec in plan.skipped:
        entries[spec.key] = _skipped_entry(previous[spec.key])
    outcome = BatchOutcome(
        options.period,
        period_dir,
        skipped=len(plan.skipped),
        area_names=dict(options.areas),
        jobs=max(1, min(options.jobs, len(plan.to_run))),
    )
    note(
        f"cjlib run {options.period}: {plan.total} runs ({len(options.areas)} areas x "
        f"{len(options.notebooks)} notebooks), {len(plan.skipped)} up to date, "
        f"{len(plan.to_run)} to run"
    )

    def record(result: RunResult) -> None:
        outcome.results.append(result)
        entries[result.key] = _entry(by_key[result.key], result)
        if result.status == "failed":
            progress.note(f"failed: {result.area_code} {result.notebook}: {result.error}")
        progress.advance(failed=result.status == "failed")

    progress = Progress(len(plan.to_run), stream, bar=progress_bar)
    to_run = _validate(plan.to_run, hooks, hasher, period_dir, previous, record)
    prepared = None
    if to_run and hooks.prepare is not None:
        progress.note("preparing the data once for every run ...")
        tick = time.monotonic()
        prepared = hooks.prepare(
            options.period, options.data_dir, options.params_dir, options.cache_dir
        )
        progress.note(f"prepared in {format_duration(time.monotonic() - tick)}")
    batch_key = getattr(prepared, "key", None) or old_manifest.get("batch_key")

    def manifest(finished: bool = False) -> dict:
        return mf.build_manifest(
            options.period,
            entries,
            started_at=started,
            interrupted=bool(outcome.interrupted),
            finished=finished,
            batch_key=batch_key,
        )

    tasks = [
        RunTask(
            spec.area_code,
            spec.area_name,
            spec.notebook,
            str(spec.notebook_path),
            str(period_dir),
            _parameters(options, spec, period_dir),
            list((previous.get(spec.key) or {}).get("outputs") or []),
            options.timeout,
            options.start_timeout,
        )
        for spec in to_run
    ]
    try:
        outcome.interrupted = _execute(
            tasks, options, hooks, record, lambda: mf.write_manifest(period_dir, manifest())
        )
        outcome.not_run = len(plan.to_run) - len(outcome.results)
    finally:
        progress.close()
        outputs.remove_leftovers(period_dir)
        outcome.manifest_path = mf.write_manifest(period_dir, manifest())
    finished = bool(old_manifest.get("finished")) and (period_dir / "index.html").is_file()
    if not outcome.interrupted and (outcome.results or not finished) and hooks.finish:
        try:
            call_with_accepted(
                hooks.finish,
                period=options.period,
                output_dir=Path(options.output_dir),
                manifest=manifest(),
                prepared=prepared,
                data_dir=options.data_dir,
                params_dir=options.params_dir,
                cache_dir=options.cache_dir,
            )
            finished = True
        except Exception as error:  # noqa: BLE001 - reported, not fatal to the runs' outputs
            outcome.finish_error = f"{type(error).__name__}: {error}".splitlines()[0]
            finished = False
        outcome.manifest_path = mf.write_manifest(period_dir, manifest(finished))
    outcome.seconds = time.monotonic() - clock
    return outcome


def _validate(to_run, hooks, hasher, period_dir, previous, record) -> list[RunSpec]:
    """Validate each area's parameter file; fail that area's runs when it is bad."""
    if hooks.validate is None:
        return list(to_run)
    bad: dict[str, str] = {}
    for code in dict.fromkeys(spec.area_code for spec in to_run):
        try:
            hooks.validate(hasher.area_params_path(code))
        except Exception as error:  # noqa: BLE001 - one bad file fails only its area
            message = str(error) if isinstance(error, CjlibError) else f"{error!r}"
            bad[code] = (message.strip().splitlines() or [type(error).__name__])[0]
    for spec in to_run:
        if spec.area_code in bad:
            old = (previous.get(spec.key) or {}).get("outputs") or []
            outputs.discard_run(period_dir, spec.area_code, spec.notebook, old, False)
            record(RunResult(spec.area_code, spec.notebook, "failed", 0.0, 0, bad[spec.area_code]))
    return [spec for spec in to_run if spec.area_code not in bad]


def _failure(event: PoolEvent) -> RunResult:
    """Return the failed result of a run whose worker died or ran out of time."""
    task = event.task
    if event.kind == "timeout":
        error = f"timed out: the run took more than {format_duration(task.timeout)}"
    else:
        error = f"the worker process died (exit code {event.exitcode})"
    kept = outputs.discard_run(
        Path(task.period_dir), task.area_code, task.notebook, task.previous_outputs
    )
    return RunResult(
        task.area_code,
        task.notebook,
        "failed",
        event.seconds,
        attempts=task.attempt,
        error=error,
        executed_notebook=kept,
    )


def _execute(
    tasks: list[RunTask],
    options: BatchOptions,
    hooks: Hooks,
    record: Callable[[RunResult], None],
    checkpoint: Callable[[], object],
) -> int | None:
    """Run the tasks on the pool; return the signal that stopped the batch, or None."""
    if not tasks:
        return None
    flag = _StopFlag()
    pending = deque(tasks)
    pool = WorkerPool(
        min(options.jobs, len(tasks)),
        f"cjlib:{uuid.uuid4().hex[:12]}:",
        hooks.execute,
        hooks.export,
        Path(options.cache_dir) / "logs",
    )
    last_write = time.monotonic()

    def handle(event: PoolEvent) -> None:
        if event.kind == "result":
            record(event.result)
        elif event.kind == "died" and event.task.attempt < MAX_ATTEMPTS and not flag.signum:
            event.task.attempt += 1  # a crashed worker is an infrastructure failure: retry once
            pending.appendleft(event.task)
        elif event.kind in ("died", "timeout"):
            record(_failure(event))

    with _signals_caught(flag):
        pool.start()
        try:
            while (pending or pool.busy) and flag.signum is None:
                while pending and pool.idle:
                    pool.submit(pending.popleft())
                for event in pool.poll(0.5):
                    handle(event)
                if time.monotonic() - last_write > MANIFEST_EVERY:
                    checkpoint()
                    last_write = time.monotonic()
            if flag.signum is None:
                pool.close()
                return None
            for event in pool.stop(grace=10.0, hurry=lambda: flag.count > 1):
                handle(event)
            return flag.signum
        except BaseException:
            pool.stop(grace=0.0)
            raise
