"""A kernel manager whose kernel listens on Unix sockets in a directory of its own.

Parallel kernels on TCP race for ports: jupyter_client finds free ports, releases
them, and the kernel binds them later, so two kernels starting together can be
given the same port and one dies with "Address already in use" (papermill issue
#511, ipykernel PR #412). With IPC sockets in a fresh private directory per kernel
there are no ports to race for. The directories go under ``$CJLIB_SOCKET_DIR`` when
set (the worker pool sets it to one folder per batch and removes it at the end, so
even a kernel killed outright leaves nothing behind). Importing this module imports
jupyter_client.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import CaselessStrEnum, default

#: Environment variable naming the folder for the kernels' socket directories.
SOCKET_DIR_VARIABLE = "CJLIB_SOCKET_DIR"


class IpcKernelManager(AsyncKernelManager):
    """An :class:`AsyncKernelManager` using the ``ipc`` transport in a private directory."""

    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _ip_default(self) -> str:
        root = os.environ.get(SOCKET_DIR_VARIABLE) or None
        if root:
            os.makedirs(root, exist_ok=True)
        self._socket_dir = tempfile.mkdtemp(prefix="cjk-", dir=root)
        return str(Path(self._socket_dir) / "k")

    def cleanup_ipc_files(self) -> None:
        """Remove the sockets and their private directory."""
        super().cleanup_ipc_files()
        socket_dir = getattr(self, "_socket_dir", None)
        if socket_dir:
            shutil.rmtree(socket_dir, ignore_errors=True)
