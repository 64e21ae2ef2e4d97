"""One run: execute a notebook with papermill, export its page, retry infrastructure failures.

Retry policy. A run is retried once when it failed for a reason outside the
notebook: the kernel died or never answered (``DeadKernelError``, ``RuntimeError``
"Kernel didn't respond" or "Kernel died before replying"), start-up timed out
(``TimeoutError``), or ZeroMQ could not bind (``ZMQError``, "Address already in
use"). A genuine notebook error (``PapermillExecutionError``), a cell that ran past
the per-cell timeout (``CellTimeoutError``) and an export error are never retried:
running them again would fail the same way.
"""

from __future__ import annotations

import errno
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cjlib.runner import outputs

#: How many times a run may be attempted in all.
MAX_ATTEMPTS = 2
#: Pause before a retry, giving a crowded machine a moment.
RETRY_PAUSE = 1.0
_INFRASTRUCTURE_MESSAGES = (
    "kernel didn't respond",
    "kernel died",
    "address already in use",
    "kernel_info",
)


@dataclass
class RunTask:
    """Everything a worker needs for one run; plain data, so it crosses process boundaries."""

    area_code: str
    area_name: str
    notebook: str
    notebook_path: str
    period_dir: str
    parameters: dict
    previous_outputs: list[str] = field(default_factory=list)
    timeout: float = 600.0
    start_timeout: float = 60.0
    attempt: int = 1

    @property
    def key(self) -> tuple[str, str]:
        """Return ``(area_code, notebook)``."""
        return (self.area_code, self.notebook)


@dataclass
class RunResult:
    """The outcome of one run."""

    area_code: str
    notebook: str
    status: str
    seconds: float
    attempts: int = 1
    error: str | None = None
    outputs: list[str] = field(default_factory=list)
    executed_notebook: str | None = None
    detail: str | None = None
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """Return ``(area_code, notebook)``."""
        return (self.area_code, self.notebook)


class CjlibRunInterrupted(BaseException):  # noqa: N818 - a signal, not an error
    """Raised inside a worker when the batch is being stopped (SIGTERM from the parent)."""


def is_infrastructure_error(error: BaseException) -> bool:
    """Return True when a failure came from the kernel machinery, not from the notebook."""
    for exc in _chain(error):
        name = type(exc).__name__
        module = type(exc).__module__ or ""
        if name in ("PapermillExecutionError", "CellTimeoutError", "CellExecutionError"):
            return False
        if name == "DeadKernelError" or module.startswith("zmq"):
            return True
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            return True
        if isinstance(exc, TimeoutError):
            return True
        if isinstance(exc, RuntimeError) and any(
            text in str(exc).lower() for text in _INFRASTRUCTURE_MESSAGES
        ):
            return True
    return False


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def error_summary(error: BaseException) -> str:
    """Return one line saying what went wrong, for the summary and the manifest."""
    name = type(error).__name__
    if name == "PapermillExecutionError":
        evalue = str(getattr(error, "evalue", "")).strip().splitlines()
        cell = getattr(error, "exec_count", None)
        where = f" (cell {cell})" if cell is not None else ""
        return f"{error.ename}: {evalue[0] if evalue else ''}{where}".strip()
    if name == "CellTimeoutError":
        return "a cell ran past the per-cell timeout"
    lines = str(error).strip().splitlines()
    return f"{name}: {lines[0]}" if lines else name


def execute_with_papermill(task: RunTask, executed_path: Path, cwd: Path) -> None:
    """Execute the task's notebook with papermill, writing the executed copy to ``executed_path``.

    The kernel runs in ``cwd`` (the staging directory) and talks to this process over
    private Unix sockets where it can (see :func:`kernel_manager_class`).
    """
    kwargs = {}
    manager = kernel_manager_class()
    if manager is not None:
        kwargs["kernel_manager_class"] = manager
    run_papermill(task, executed_path, cwd, **kwargs)


def run_papermill(task: RunTask, executed_path: Path, cwd: Path, **kernel: object) -> None:
    """Run papermill with the batch's settings; ``kernel`` picks the kernel (class or ``km``)."""
    import papermill

    papermill.execute_notebook(
        task.notebook_path,
        str(executed_path),
        parameters=task.parameters,
        progress_bar=False,
        request_save_on_cell_execute=False,
        start_timeout=int(task.start_timeout),
        execution_timeout=int(task.timeout),
        cwd=str(cwd),
        **kernel,
    )


def kernel_manager_class() -> type | None:
    """Return a kernel manager that uses IPC sockets in a private directory, or None.

    With TCP, jupyter_client picks free ports and releases them before the kernel
    binds them, a race that parallel kernels lose now and then ("Address already in
    use", papermill issue #511). Unix sockets in a directory of their own cannot
    collide. On Windows, or when the temporary directory's path is too long for a
    socket address, None is returned and the default TCP transport is used.
    """
    import os
    import tempfile

    root = os.environ.get("CJLIB_SOCKET_DIR") or tempfile.gettempdir()
    if os.name != "posix" or len(root) > 60:
        return None
    from cjlib.runner.ipc import IpcKernelManager

    return IpcKernelManager


def export_with_cjlib(executed_path: Path, html_path: Path) -> None:
    """Export an executed notebook to the evidence-pack HTML page with cjlib's exporter."""
    from cjlib.export import export_notebook

    export_notebook(executed_path, html_path)


Execute = Callable[[RunTask, Path, Path], None]
Export = Callable[[Path, Path], None]


def _strip_paths(executed: Path, task: RunTask) -> None:
    """Cut the building machine's folders out of the executed notebook before it is published."""
    from cjlib.export.notebook import strip_machine_paths

    folders = [Path(task.period_dir).parent]
    folders += [task.parameters.get(k) for k in ("cache_dir", "params_dir", "data_dir")]
    strip_machine_paths(executed, *[f for f in folders if f])


def run_task(
    task: RunTask,
    execute: Execute = execute_with_papermill,
    export: Export = export_with_cjlib,
    pause: float = RETRY_PAUSE,
    report: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """Run one notebook for one area: execute, export, then put the outputs in place.

    Parameters
    ----------
    task : RunTask
        The run.
    execute, export : callable
        The hooks doing the work; tests pass small fakes.
    pause : float
        Seconds to wait before retrying an infrastructure failure.
    report : callable, optional
        Called with the result while SIGINT and SIGTERM are still held, right
        after the outputs were put in place, so a batch being stopped never loses
        the record of a run whose files it kept.

    Returns
    -------
    RunResult
        ``ok`` with the outputs written, or ``failed`` with a one-line error and the
        executed notebook kept for inspection.
    """
    period_dir = Path(task.period_dir)
    start = time.monotonic()
    attempt = task.attempt
    while True:
        staging = outputs.fresh_staging_dir(period_dir, task.area_code, task.notebook)
        executed = staging / f"{task.notebook}.ipynb"
        try:
            tick = time.monotonic()
            execute(task, executed, staging)
            executed_at = time.monotonic()
            export(executed, staging / f"{task.notebook}.html")
            _strip_paths(executed, task)
            phases = {
                "execute": round(executed_at - tick, 3),
                "export": round(time.monotonic() - executed_at, 3),
            }
        except Exception as error:  # noqa: BLE001 - every failure is reported, none escapes
            if attempt < MAX_ATTEMPTS and is_infrastructure_error(error):
                attempt += 1
                time.sleep(pause)
                continue
            failure: BaseException | None = error
        else:
            failure = None
        with outputs.signals_deferred():
            if failure is None:
                written = outputs.promote(
                    staging, period_dir / task.area_code, task.previous_outputs
                )
                status = "ok"
                details = {
                    "outputs": written,
                    "executed_notebook": f"{task.area_code}/{task.notebook}.ipynb",
                    "phases": phases,
                }
            else:
                kept = outputs.discard_run(
                    period_dir, task.area_code, task.notebook, task.previous_outputs
                )
                status = "failed"
                details = {
                    "error": error_summary(failure),
                    "executed_notebook": kept,
                    "detail": "".join(traceback.format_exception(failure)),
                }
            result = RunResult(
                task.area_code,
                task.notebook,
                status,
                time.monotonic() - start,
                attempts=attempt,
                **details,
            )
            if report is not None:
                report(result)
        return result
        with outputs.signals_deferred():
            written = outputs.promote(staging, period_dir / task.area_code, task.previous_outputs)
            result = RunResult(
                task.area_code,
                task.notebook,
                "ok",
                time.monotonic() - start,
                attempts=attempt,
                outputs=written,
                executed_notebook=f"{task.area_code}/{task.notebook}.ipynb",
                phases=phases,
            )
            if report is not None:
                report(result)
        return result
