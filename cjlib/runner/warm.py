"""Warm kernels: each worker keeps one kernel, imports loaded, and reuses it for its runs.

A fresh kernel spends most of a run starting Python and importing pandas, scipy,
pyarrow and matplotlib. A worker instead starts one kernel when it starts (while the
parent prepares the batch), preloads the notebooks' imports and records the kernel's
clean state (:mod:`cjlib.runner.kernel_state`). Before each run it puts that state
back and moves the kernel to the run's working directory; papermill then executes the
notebook on the kernel (nbclient's ``km=``, which papermill passes through).

After any run that fails or times out (a notebook error, a cell timeout, a dead
kernel, a failed reset) the kernel is shut down and the next run starts a new one,
so one run's failure cannot reach the next. The worker's retry of infrastructure
failures, the pool's timeouts and orphan-kernel clean-up work as with fresh kernels:
the warm kernel carries the worker's tag like any kernel it starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cjlib.runner.worker import RunTask

#: The kernel spec every notebook names (``kernelspec.name``).
KERNEL_NAME = "python3"
#: Seconds the preload and each reset may take.
SETUP_TIMEOUT = 120.0
_PRELOAD = "__import__('cjlib.runner.kernel_state', fromlist=['_']).preload()"
_RESET = "__import__('cjlib.runner.kernel_state', fromlist=['_']).reset({cwd!r})"


def run_sync(coroutine_function: object) -> object:
    """Return a blocking form of an async function (jupyter_core's, as nbclient uses)."""
    from jupyter_core.utils import run_sync as blocking

    return blocking(coroutine_function)


class CjlibKernelSetupError(RuntimeError):
    """Preloading or resetting a warm kernel failed (the kernel is then replaced)."""


class WarmKernel:
    """One kernel kept for many runs.

    Parameters
    ----------
    start_timeout : float
        Seconds the kernel may take to start and answer.
    cwd : str, optional
        Where the kernel starts (each run then moves it to its own directory).
    """

    def __init__(self, start_timeout: float = 60.0, cwd: str | None = None) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_client.session import Session

        from cjlib.runner.worker import kernel_manager_class

        manager_class = kernel_manager_class() or AsyncKernelManager
        self.km = manager_class(kernel_name=KERNEL_NAME)
        self._run_clients: list = []
        original_client = self.km.client

        def client(**kwargs: object) -> object:  # papermill makes one per run; we stop it after
            made = original_client(**kwargs)
            self._run_clients.append(made)
            return made

        run_sync(self.km.start_kernel)(
            cwd=cwd or os.getcwd(),
            extra_arguments=["--HistoryManager.hist_file=:memory:"],  # as nbclient starts one
        )
        self.km.client = client
        try:
            # A session of its own: a client's socket identity is its session id, so one
            # sharing the manager's would lose its replies to papermill's clients.
            # The shell channel only: a listener on IOPub would fill with every run's output.
            session = Session(
                key=self.km.session.key, signature_scheme=self.km.session.signature_scheme
            )
            self.kc = original_client(session=session)
            self.kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
            self._ask(self.kc.kernel_info, timeout=start_timeout)  # queued until the kernel binds
            self.run_code(_PRELOAD)
        except BaseException:
            self.shutdown()
            raise
        self.runs = 0

    @staticmethod
    def _ask(request: object, *args: object, timeout: float, **kwargs: object) -> dict:
        """Send a request on the shell channel and return its reply (TimeoutError if none)."""

        async def ask() -> dict:
            return await request(*args, reply=True, timeout=timeout, **kwargs)

        return run_sync(ask)()

    def run_code(self, code: str, timeout: float = SETUP_TIMEOUT) -> None:
        """Execute ``code`` silently in the kernel; raise when it fails.

        Raises
        ------
        CjlibKernelSetupError
            With ``ename``, the name of the kernel's exception.
        """
        reply = self._ask(self.kc.execute, code, silent=True, store_history=False, timeout=timeout)
        content = reply["content"]
        if content.get("status") != "ok":
            message = f"{content.get('ename', 'error')}: {content.get('evalue', '')}"
            error = CjlibKernelSetupError(f"warm kernel set-up failed: {message}")
            error.ename = content.get("ename")
            raise error

    def alive(self) -> bool:
        """Return True while the kernel process runs."""
        return bool(run_sync(self.km.is_alive)())

    def reset(self, cwd: str | Path) -> bool:
        """Return the kernel to its clean state, working in ``cwd``, for the next run.

        Returns False, changing nothing, when the kernel cannot be reset (a run imported
        pyplot; see :mod:`cjlib.runner.kernel_state`) and must be replaced.
        """
        try:
            self.run_code(_RESET.format(cwd=str(cwd)))
        except CjlibKernelSetupError as error:
            if getattr(error, "ename", None) == "CjlibKernelNotReusable":
                return False
            raise
        return True

    def release_run_clients(self) -> None:
        """Stop the clients papermill made for the last run (their channels and heartbeat)."""
        while self._run_clients:
            try:
                self._run_clients.pop().stop_channels()
            except Exception:  # noqa: BLE001, S110 - a client already closed is fine
                pass

    def shutdown(self) -> None:
        """Stop the kernel now and remove its sockets."""
        self.release_run_clients()
        kc = getattr(self, "kc", None)
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001, S110 - best effort
                pass
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - the kernel may be dead already
            try:
                run_sync(self.km.cleanup_resources)()
            except Exception:  # noqa: BLE001, S110 - best effort
                pass


_kernel: WarmKernel | None = None


def start_warm_kernel(start_timeout: float = 60.0) -> WarmKernel:
    """Return this process's warm kernel, starting (and preloading) one if there is none."""
    global _kernel
    if _kernel is not None and not _kernel.alive():
        discard_warm_kernel()
    if _kernel is None:
        _kernel = WarmKernel(start_timeout)
    return _kernel


def discard_warm_kernel() -> None:
    """Shut this process's warm kernel down, if it has one."""
    global _kernel
    kernel, _kernel = _kernel, None
    if kernel is not None:
        kernel.shutdown()


def execute_on_warm_kernel(task: RunTask, executed_path: Path, cwd: Path) -> None:
    """Execute the task's notebook with papermill on this worker's warm kernel.

    The kernel is reset and moved to ``cwd`` first. On any failure it is discarded,
    so the next run (or the retry of this one) starts on a new kernel.
    """
    from cjlib.runner.worker import run_papermill

    try:
        kernel = start_warm_kernel(task.start_timeout)
        if not kernel.reset(cwd):
            discard_warm_kernel()
            kernel = start_warm_kernel(task.start_timeout)
            kernel.reset(cwd)
        run_papermill(task, executed_path, cwd, km=kernel.km)
        kernel.runs += 1
    except BaseException:
        discard_warm_kernel()
        raise
    finally:
        if _kernel is not None:
            _kernel.release_run_clients()
