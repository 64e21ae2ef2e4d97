"""A bounded pool of worker processes, each running one notebook at a time.

Process model. The parent starts ``jobs`` worker processes (``spawn``, so no
threads or open files are forked). Each worker starts its warm kernel
(:mod:`cjlib.runner.warm`), or with ``--fresh-kernels`` only imports papermill, then
takes one :class:`~cjlib.runner.worker.RunTask` at a time over its own pipe.
Workers run in their own process group, so a Ctrl-C at the terminal reaches only
the parent, which then stops the workers in order. Every worker puts a tag in its
environment, which each kernel it starts (and anything that kernel starts)
inherits; the parent finds any kernel left behind by that tag in ``/proc`` and
kills it (:mod:`cjlib.runner.kernels`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from cjlib.runner.kernels import kill_tagged_processes
from cjlib.runner.process import READY, worker_main
from cjlib.runner.worker import Execute, Export, RunResult, RunTask

#: Seconds a run may go past its timeout (for export and clean-up) before it is killed.
TIMEOUT_GRACE = 15.0


@dataclass
class PoolEvent:
    """Something that happened to a run: a ``result``, or the worker ``died`` or ``timeout``."""

    kind: str
    task: RunTask
    result: RunResult | None = None
    exitcode: int | None = None
    seconds: float = 0.0
    log: str | None = None


class _Slot:
    def __init__(self, index: int) -> None:
        self.index = index
        self.generation = 0
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn: Connection | None = None
        self.task: RunTask | None = None
        self.started = 0.0
        self.ready = False  # the worker said it is ready (its kernel started) and is free

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
        self.socket_dir = tempfile.mkdtemp(prefix="cjlib-sockets-")

    def start(self) -> None:
        """Start every worker process."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for slot in self.slots:
            self.log_path(slot).unlink(missing_ok=True)
            self._spawn(slot)

    def _spawn(self, slot: _Slot) -> None:
        if slot.conn is not None:
            slot.conn.close()
        slot.generation += 1
        parent_end, child_end = self._context.Pipe()
        tag = self.slot_tag(slot)
        log = str(self.log_path(slot))
        slot.process = self._context.Process(
            target=worker_main,
            args=(child_end, tag, self.execute, self.export, log, self.socket_dir),
            name=f"cjlib-worker-{slot.index}",
            daemon=True,
        )
        slot.process.start()
        child_end.close()
        slot.conn, slot.task, slot.ready = parent_end, None, False

    def slot_tag(self, slot: _Slot) -> str:
        """Return the tag of the slot's current worker (each part ends with ``:``)."""
        return f"{self.tag}{slot.index}:{slot.generation}:"

    @property
    def busy(self) -> int:
        """Return how many workers are running a task."""
        return sum(slot.task is not None for slot in self.slots)

    @property
    def idle(self) -> int:
        """Return how many workers are ready for a task.

        A worker is ready once it has started (its warm kernel too) and after each run
        (once it has replaced its kernel after a failure), so a run's time limit never
        counts a kernel's start.
        """
        return sum(slot.task is None and slot.ready for slot in self.slots)

    def submit(self, task: RunTask) -> None:
        """Give a task to a ready worker (there must be one)."""
        slot = next(slot for slot in self.slots if slot.task is None and slot.ready)
        slot.ready = False
        try:
            slot.conn.send(task)
        except OSError:  # the worker died since we looked: a fresh one
            self._spawn(slot)
            slot.conn.send(task)
        slot.task, slot.started = task, time.monotonic()

    def log_path(self, slot: _Slot) -> Path:
        """Return where the slot's worker (and its kernels) write stdout and stderr."""
        return self.log_dir / f"worker-{slot.index}.log"

    def poll(self, timeout: float) -> list[PoolEvent]:
        """Wait up to ``timeout`` seconds and return what happened to running tasks."""
        for slot in self.slots:  # a worker that died between runs is replaced
            if slot.task is None and not slot.alive:
                self._spawn(slot)
        waitables = [slot.conn for slot in self.slots if slot.alive]
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
        try:
            while slot.conn.poll():
                message = slot.conn.recv()
                if message == READY:
                    slot.ready = True
                elif task is not None:  # a READY may follow; the next poll reads it
                    slot.task = None
                    return [PoolEvent("result", task, message)]
        except (EOFError, OSError):
            pass
        if task is None:
            return []
        seconds = time.monotonic() - slot.started
        if not slot.alive:
            slot.task = None
            kill_tagged_processes(self.slot_tag(slot))
            return [
                PoolEvent(
                    "died",
                    task,
                    exitcode=slot.process.exitcode,
                    seconds=seconds,
                    log=str(self.log_path(slot)),
                )
            ]
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
                result = None
                try:
                    while slot.conn.poll():
                        message = slot.conn.recv()
                        result = result if message == READY else message
                except (EOFError, OSError):
                    pass
                kind = "result" if result is not None else "interrupted"
                events.append(PoolEvent(kind, task, result))
                slot.task = None
            self._kill(slot)
            if slot.conn is not None:
                slot.conn.close()
        kill_tagged_processes(self.tag)
        shutil.rmtree(self.socket_dir, ignore_errors=True)
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
        shutil.rmtree(self.socket_dir, ignore_errors=True)
