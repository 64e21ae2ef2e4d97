"""Small fakes of the batch runner's hooks, importable by spawned worker processes.

Behaviour is chosen by the notebook's name and by ``task.parameters``:
``02_fail`` raises a genuine notebook error; ``flaky`` raises DeadKernelError once
per run; ``crash`` kills the worker process once per run; ``sleep`` sleeps that many
seconds; anything else writes an executed notebook and one CSV. Every execution
appends a line to ``<cache_dir>/calls.log``.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

from cjlib.errors import CjlibParameterError


class DeadKernelError(RuntimeError):
    """Stand-in for nbclient's, by name (the runner classifies by name; importing is slow)."""


class PapermillExecutionError(Exception):
    """Stand-in for papermill's, by name and attributes."""

    def __init__(self, exec_count: int, ename: str, evalue: str) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.exec_count, self.ename, self.evalue = exec_count, ename, evalue


def _once(task, what: str) -> bool:
    """Return True the first time this run asks, False afterwards (a marker file)."""
    marker = Path(task.parameters["cache_dir"]) / f"{what}-{task.area_code}-{task.notebook}"
    if marker.exists():
        return False
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return True


def fake_execute(task, executed_path: Path, cwd: Path) -> None:
    parameters = task.parameters
    calls = Path(parameters["cache_dir"]) / "calls.log"
    calls.parent.mkdir(parents=True, exist_ok=True)
    with open(calls, "a", encoding="utf-8") as stream:
        stream.write(f"{task.area_code} {task.notebook}\n")
    if parameters.get("crash") and _once(task, "crash"):
        os._exit(3)
    if parameters.get("flaky") and _once(task, "flaky"):
        raise DeadKernelError("Kernel died")
    if parameters.get("sleep"):
        time.sleep(float(parameters["sleep"]))
    shutil.copyfile(task.notebook_path, executed_path)
    if "fail" in task.notebook or parameters.get("fail_all"):
        raise PapermillExecutionError(1, "ValueError", f"no data for {task.area_code}\nmore")
    data = Path(parameters["output_dir"]) / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / f"{task.notebook}_{task.area_code}.csv").write_text("area_code\n" + task.area_code)


def fake_export(executed_path: Path, html_path: Path) -> None:
    Path(html_path).write_text(f"<html><body>{Path(executed_path).stem}</body></html>")


def fake_prepare(period, data_dir, params_dir, cache_dir) -> SimpleNamespace:
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(cache_dir) / "prepare.log", "a", encoding="utf-8") as stream:
        stream.write(f"{period}\n")
    return SimpleNamespace(key="fake-key")


def fake_finish(period, output_dir, manifest, **kwargs) -> None:
    page = Path(output_dir) / period / "index.html"
    page.write_text(f"<html><body>{len(manifest['runs'])} runs</body></html>")


def fake_validate(path: Path) -> None:
    path = Path(path)
    if path.exists() and "bad" in path.read_text():
        raise CjlibParameterError(f"{path}: local_targets: expected a list, got a string")
