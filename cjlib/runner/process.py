"""The body of a worker process: warm up (its kernel too), then run tasks until told to stop."""

from __future__ import annotations

import os
import shutil
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from cjlib.runner import outputs
from cjlib.runner.kernels import TAG_VARIABLE, kill_tagged_processes
from cjlib.runner.warm import discard_warm_kernel, execute_on_warm_kernel, start_warm_kernel
from cjlib.runner.worker import CjlibRunInterrupted, Execute, Export, run_task


def _raise_interrupted(signum: int, frame: object) -> None:
    raise CjlibRunInterrupted(signum)


#: What a worker sends when it is ready for a task: after warming up and after each run.
READY = "ready"
#: Modules a worker imports before its first run, by the name of the hook needing them.
WARM_UP_MODULES = {
    "execute_with_papermill": ("papermill", "cjlib.runner.ipc"),
    "execute_on_warm_kernel": ("papermill", "cjlib.runner.ipc"),
    "export_with_cjlib": ("cjlib.export",),
}


def warm_up(execute: Execute, export: Export) -> None:
    """Import what the hooks will need and, for warm kernels, start this worker's kernel.

    A kernel that fails to start here is left to the first run, which reports it
    (and retries it, as an infrastructure failure).
    """
    import importlib

    for hook in (execute, export):
        for name in WARM_UP_MODULES.get(getattr(hook, "__name__", ""), ()):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001, S112 - the run itself will report it
                continue
    if execute is execute_on_warm_kernel:
        try:
            start_warm_kernel()
        except Exception:  # noqa: BLE001 - the first run starts one and reports any failure
            discard_warm_kernel()


def watch_parent(interval: float = 1.0) -> None:
    """Stop this worker (SIGTERM to itself) if its parent dies, e.g. killed with SIGKILL.

    Runs in a daemon thread; the signal handler then shuts down the kernel and exits.
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="cjlib-parent-watch", daemon=True).start()


def worker_main(
    conn: Connection, tag: str, execute: Execute, export: Export, log: str, socket_dir: str = ""
) -> None:
    """Run tasks received on ``conn`` until told to stop; the body of a worker process."""
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    os.environ[TAG_VARIABLE] = tag
    os.environ["CJLIB_STATIC"] = "1"  # notebooks draw no widgets in a batch run
    if socket_dir:  # where the kernels' IPC sockets go (see cjlib.runner.ipc)
        os.environ["CJLIB_SOCKET_DIR"] = socket_dir
    with open(log, "ab", buffering=0) as stream:  # kernels inherit these descriptors
        os.dup2(stream.fileno(), 1)
        os.dup2(stream.fileno(), 2)
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, _raise_interrupted)
    signal.signal(signal.SIGINT, _raise_interrupted)
    watch_parent()
    task = None
    try:
        warm_up(execute, export)
        conn.send(READY)
        while True:
            try:
                task = conn.recv()
            except EOFError:
                break
            if task is None:
                break
            result = run_task(task, execute, export, report=conn.send)
            task = None
            if result.status == "failed":  # whatever failed, the next run gets a new kernel
                discard_warm_kernel()
                warm_up(execute, export)
            conn.send(READY)
    except CjlibRunInterrupted:
        kill_tagged_processes(tag)
        if task is not None:
            shutil.rmtree(
                outputs.staging_dir(Path(task.period_dir), task.area_code, task.notebook),
                ignore_errors=True,
            )
    finally:
        if task is None:  # a clean stop: shut the warm kernel down (an interrupted one was killed)
            discard_warm_kernel()
        conn.close()
