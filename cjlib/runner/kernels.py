"""Find and kill the processes a batch started, by a tag in their environment.

Every worker puts a tag in its environment; every kernel it starts, and anything
that kernel starts, inherits it. Kernels run in a session of their own (jupyter_client
starts them so), so killing a worker's process group does not reach them; scanning
``/proc`` for the tag does, even when the worker itself was killed.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

#: Environment variable that marks every process a batch starts.
TAG_VARIABLE = "CJLIB_RUNNER_TAG"


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
