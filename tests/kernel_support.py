"""Run a few code cells in a real IPython kernel through nbclient, as papermill does."""

from __future__ import annotations

import nbclient
import nbformat
from nbformat.v4 import new_code_cell, new_notebook

_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def run_cells(sources: list[str], *, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute ``sources`` as the cells of one notebook in a fresh kernel; return it executed.

    The kernel inherits this process's environment (set variables with
    ``monkeypatch.setenv`` first).  nbclient sends every cell with
    ``allow_stdin=False``, as papermill does.
    """
    nb = new_notebook(cells=[new_code_cell(s) for s in sources], metadata={"kernelspec": _KERNEL})
    from cjlib.runner.ipc import IpcKernelManager  # no TCP ports to race for

    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        allow_errors=allow_errors,
        kernel_manager_class=IpcKernelManager,
    )
    client.execute()
    return nb


def stream_text(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    """The text a cell wrote to one stream."""
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == name)
