"""Feed runs to the worker pool, handle crashes and timeouts, and stop cleanly on a signal."""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cjlib.runner import outputs
from cjlib.runner.pool import PoolEvent, WorkerPool
from cjlib.runner.progress import format_duration
from cjlib.runner.worker import MAX_ATTEMPTS, RunResult, RunTask

#: Seconds between manifest checkpoints while a batch runs.
CHECKPOINT_EVERY = 10.0
#: Seconds the workers get to shut their kernels down after a stop signal.
STOP_GRACE = 10.0


class CjlibBatchInterrupted(BaseException):  # noqa: N818 - a signal, not an error
    """Raised in the parent by SIGINT or SIGTERM while the batch is preparing."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class StopFlag:
    """A SIGINT and SIGTERM handler recording the first signal; a second one asks to hurry.

    While ``raising`` is True the handler also raises :class:`CjlibBatchInterrupted`,
    so a long preparation step is interrupted at once.
    """

    def __init__(self) -> None:
        self.signum: int | None = None
        self.count = 0
        self.raising = False

    def __call__(self, signum: int, frame: object) -> None:
        """Record the signal (the signal handler)."""
        self.count += 1
        self.signum = self.signum or signum
        if self.raising:
            raise CjlibBatchInterrupted(signum)


@contextmanager
def signals_caught(flag: StopFlag) -> Iterator[StopFlag]:
    """Route SIGINT and SIGTERM to ``flag`` for the duration (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    old = {s: signal.signal(s, flag) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield flag
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)


def failure_of(event: PoolEvent) -> RunResult:
    """Return the failed result of a run whose worker died or ran out of time."""
    task = event.task
    if event.kind == "timeout":
        error = f"timed out: the run took more than {format_duration(task.timeout)}"
    else:
        error = f"the worker process died (exit code {event.exitcode}; log: {event.log})"
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


def run_on_pool(
    tasks: list[RunTask],
    pool: WorkerPool,
    flag: StopFlag,
    record: Callable[[RunResult], None],
    checkpoint: Callable[[], object] = lambda: None,
    note: Callable[[str], None] = lambda message: None,
) -> int | None:
    """Run every task on a started pool, recording each result as it arrives.

    A worker that dies mid-run is an infrastructure failure: its run is retried
    once on a fresh worker. A run past its timeout is killed and fails. On a stop
    signal, no new run starts, the workers shut their kernels down, runs that
    finish meanwhile are kept, and the pool is closed.

    Returns
    -------
    int or None
        The signal that stopped the batch, or None when every task was done.
    """
    pending = deque(tasks)
    last_checkpoint = time.monotonic()

    def handle(event: PoolEvent) -> None:
        if event.kind == "result":
            record(event.result)
        elif event.kind == "died" and event.task.attempt < MAX_ATTEMPTS and not flag.signum:
            event.task.attempt += 1
            pending.appendleft(event.task)
        elif event.kind in ("died", "timeout"):
            record(failure_of(event))

    try:
        while (pending or pool.busy) and flag.signum is None:
            while pending and pool.idle:
                pool.submit(pending.popleft())
            for event in pool.poll(0.5):
                handle(event)
            if time.monotonic() - last_checkpoint > CHECKPOINT_EVERY:
                checkpoint()
                last_checkpoint = time.monotonic()
        if flag.signum is None:
            pool.close()
            return None
        name = signal.Signals(flag.signum).name
        note(f"{name}: stopping the workers and their kernels (again to hurry) ...")
        for event in pool.stop(grace=STOP_GRACE, hurry=lambda: flag.count > 1):
            handle(event)
        return flag.signum
    except BaseException:
        pool.stop(grace=0.0)
        raise
