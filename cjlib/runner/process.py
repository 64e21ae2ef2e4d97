"""The body of a worker process: warm up, then run tasks from the pipe until told to stop."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from cjlib.runner import outputs
from cjlib.runner.kernels import TAG_VARIABLE, kill_tagged_processes
from cjlib.runner.worker import CjlibRunInterrupted, Execute, Export, run_task


def _raise_interrupted(signum: int, frame: object) -> None:
    raise CjlibRunInterrupted(signum)


#: Modules a worker imports before its first run, by the name of the hook needing them.
WARM_UP_MODULES = {
    "execute_with_papermill": ("papermill", "cjlib.runner.ipc"),
    "export_with_cjlib": ("cjlib.export",),
    "export_with_nbconvert": ("nbconvert",),
}


def warm_up(*hooks: Callable) -> None:
    """Import what the hooks will need, so the first run does not pay for it."""
    import importlib

    for hook in hooks:
        for name in WARM_UP_MODULES.get(getattr(hook, "__name__", ""), ()):
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the run itself will report it
                continue


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
