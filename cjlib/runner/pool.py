"""A bounded pool of worker processes, each running one notebook at a time.

Process model. The parent starts ``jobs`` worker processes (``spawn``, so no
threads or open files are forked). Each worker imports papermill once, then takes
one :class:`~cjlib.runner.worker.RunTask` at a time over its own pipe; papermill
starts a fresh kernel for every run. Workers run in their own process group, so a
Ctrl-C at the terminal reaches only the parent, which then stops the workers in
order. Every worker puts a tag in its environment, which each kernel it starts
(and anything that kernel starts) inherits; the parent finds any kernel left
behind by that tag in ``/proc`` and kills it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from cjlib.runner import outputs
from cjlib.runner.worker import (
    CjlibRunInterrupted,
    Execute,
    Export,
    RunResult,
    RunTask,
    run_task,
)

#: Environment variable that marks every process a batch starts.
TAG_VARIABLE = "CJLIB_RUNNER_TAG"
#: Seconds a run may go past its timeout (for export and clean-up) before it is killed.
TIMEOUT_GRACE = 15.0


def find_tagged_processes(prefix: str) -> list[int]:
    """Return the ids of processes whose environment carries a runner tag starting with prefix.

    Reads ``/proc/<pid>/environ`` (Linux); returns an empty list where there is no ``/proc``.
    """
    marker = f"{TAG_VARIABLE}={prefix}".encode()
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if any(item.startswith(marker) for item in environ.split(b"\0")):
            found.append(int(entry.name))
    return found


def kill_tagged_processes(prefix: str) -> int:
    """Kill (SIGKILL) every process tagged with prefix; return how many were signalled."""
    killed = 0
    for pid in find_tagged_processes(prefix):
        try:
            os.kill(pid, signal.SIGKILL)
            killed += 1
        except (ProcessLookupError, PermissionError):
            pass
    return killed


def _raise_interrupted(signum: int, frame: object) -> None:
    raise CjlibRunInterrupted(signum)


def worker_main(conn: Connection, tag: str, execute: Execute, export: Export, log: str) -> None:
    """Run tasks received on ``conn`` until told to stop; the body of a worker process."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    os.environ[TAG_VARIABLE] = tag
    with open(log, "ab", buffering=0) as stream:  # kernels inherit these descriptors
        os.dup2(stream.fileno(), 1)
        os.dup2(stream.fileno(), 2)
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
    task = None
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                break
            if task is None:
                break
            run_task(task, execute, export, report=conn.send)
            task = None
    except CjlibRunInterrupted:
        kill_tagged_processes(tag)
        if task is not None:
            shutil.rmtree(
                outputs.staging_dir(Path(task.period_dir), task.area_code, task.notebook),
                ignore_errors=True,
            )
    finally:
        conn.close()


@dataclass
class PoolEvent:
    """Something that happened to a run: a ``result``, or the worker ``died`` or ``timeout``."""

    kind: str
    task: RunTask
    result: RunResult | None = None
    exitcode: int | None = None
    seconds: float = 0.0


class _Slot:
    def __init__(self, index: int) -> None:
        self.index = index
        self.generation = 0
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None
        self.task: RunTask | None = None
        self.started = 0.0

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.exitcode is None


class WorkerPool:
    """Worker processes running :func:`~cjlib.runner.worker.run_task`.

    Parameters
    ----------
    size : int
        Number of worker processes (``--jobs``).
    tag : str
        Unique to the batch and ending with ``:``; the prefix of every worker's tag.
    execute, export : callable
        Module-level functions (they are pickled by name) for the workers to use.
    log_dir : Path
        Where each worker's (and its kernels') stdout and stderr go.
    """

    def __init__(self, size: int, tag: str, execute: Execute, export: Export, log_dir: Path):
        self.tag = tag
        self.execute = execute
        self.export = export
        self.log_dir = Path(log_dir)
        self.slots = [_Slot(i) for i in range(max(1, size))]
        self._context = multiprocessing.get_context("spawn")

    def start(self) -> None:
        """Start every worker process."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for slot in self.slots:
            (self.log_dir / f"worker-{slot.index}.log").unlink(missing_ok=True)
            self._spawn(slot)

    def _spawn(self, slot: _Slot) -> None:
        if slot.conn is not None:
            slot.conn.close()
        slot.generation += 1
        parent_end, child_end = self._context.Pipe()
        tag = self.slot_tag(slot)
        log = str(self.log_dir / f"worker-{slot.index}.log")
        slot.process = self._context.Process(
            target=worker_main,
            args=(child_end, tag, self.execute, self.export, log),
            name=f"cjlib-worker-{slot.index}",
            daemon=True,
        )
        slot.process.start()
        child_end.close()
        slot.conn, slot.task = parent_end, None

    def slot_tag(self, slot: _Slot) -> str:
        """Return the tag of the slot's current worker (each part ends with ``:``)."""
        return f"{self.tag}{slot.index}:{slot.generation}:"

    @property
    def busy(self) -> int:
        """Return how many workers are running a task."""
        return sum(slot.task is not None for slot in self.slots)

    @property
    def idle(self) -> int:
        """Return how many workers are free for a task."""
        return len(self.slots) - self.busy

    def submit(self, task: RunTask) -> None:
        """Give a task to a free worker (there must be one)."""
        slot = next(slot for slot in self.slots if slot.task is None)
        if not slot.alive:
            self._spawn(slot)
        slot.conn.send(task)
        slot.task, slot.started = task, time.monotonic()

    def poll(self, timeout: float) -> list[PoolEvent]:
        """Wait up to ``timeout`` seconds and return what happened to running tasks."""
        waitables = [slot.conn for slot in self.slots if slot.task is not None]
        waitables += [slot.process.sentinel for slot in self.slots if slot.alive]
        if waitables:
            wait(waitables, timeout)
        else:
            time.sleep(timeout)
        events = []
        for slot in self.slots:
            events.extend(self._check(slot))
        return events

    def _check(self, slot: _Slot) -> list[PoolEvent]:
        task = slot.task
        if task is None:
            return []
        try:
            if slot.conn.poll():
                result = slot.conn.recv()
                slot.task = None
                return [PoolEvent("result", task, result)]
        except (EOFError, OSError):
            pass
        seconds = time.monotonic() - slot.started
        if not slot.alive:
            slot.task = None
            kill_tagged_processes(self.slot_tag(slot))
            return [PoolEvent("died", task, exitcode=slot.process.exitcode, seconds=seconds)]
        if seconds > task.timeout + TIMEOUT_GRACE:
            self._kill(slot)
            slot.task = None
            return [PoolEvent("timeout", task, seconds=seconds)]
        return []

    def _kill(self, slot: _Slot) -> None:
        if slot.alive:
            slot.process.kill()
            slot.process.join(5)
        kill_tagged_processes(self.slot_tag(slot))

    def stop(self, grace: float = 10.0, hurry: Callable[[], bool] | None = None) -> list[PoolEvent]:
        """Stop every worker now: SIGTERM, then SIGKILL after ``grace`` seconds.

        ``hurry()`` returning True (a second Ctrl-C) cuts the grace short.

        Returns
        -------
        list of PoolEvent
            Results of runs that finished while stopping; the other running tasks
            are returned as ``interrupted`` events.
        """
        for slot in self.slots:
            if slot.alive:
                try:
                    os.kill(slot.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        events: list[PoolEvent] = []
        while any(slot.alive for slot in self.slots) and time.monotonic() < deadline:
            if hurry is not None and hurry():
                break
            wait([slot.process.sentinel for slot in self.slots if slot.alive], 0.2)
        for slot in self.slots:
            task = slot.task
            if task is not None:
                try:
                    result = slot.conn.recv() if slot.conn.poll() else None
                except (EOFError, OSError):
                    result = None
                kind = "result" if result is not None else "interrupted"
                events.append(PoolEvent(kind, task, result))
                slot.task = None
            self._kill(slot)
            if slot.conn is not None:
                slot.conn.close()
        kill_tagged_processes(self.tag)
        return events

    def close(self, grace: float = 10.0) -> None:
        """Ask idle workers to exit and wait for them; kill any that do not."""
        for slot in self.slots:
            if slot.alive:
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
        for slot in self.slots:
            if slot.process is not None:
                slot.process.join(grace)
            self._kill(slot)
            if slot.conn is not None:
                slot.conn.close()
        kill_tagged_processes(self.tag)
