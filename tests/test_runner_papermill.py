"""The batch runner through real papermill kernels, and stopped mid-run by a signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from cjlib.runner.batch import BatchOptions, run_batch
from cjlib.runner.hooks import Hooks
from cjlib.runner.warm import execute_on_warm_kernel
from cjlib.runner.worker import execute_with_papermill

NOTEBOOKS = Path(__file__).parent / "runner_notebooks"
sys.path.insert(0, str(NOTEBOOKS))

import runner_fakes  # noqa: E402

pytestmark = pytest.mark.slow
MARK = "CJLIB_TEST_MARK"


def marked_processes(value: str) -> list[str]:
    """Return 'pid cmdline' of live (not zombie) processes whose environment has MARK=value."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if f"{MARK}={value}".encode() in environ and state != "Z":
            found.append(f"{entry.name} {cmdline}")
    return found


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def leftovers(period_dir: Path) -> list[Path]:
    return [p for p in period_dir.rglob(".cjlib-tmp-*")] + list(period_dir.rglob("*.tmp"))


@pytest.mark.parametrize("execute", [execute_on_warm_kernel, execute_with_papermill])
def test_real_kernels_ok_error_and_cell_timeout(tmp_path, monkeypatch, execute):
    mark = uuid.uuid4().hex
    monkeypatch.setenv(MARK, mark)
    options = BatchOptions(
        period="2023-24",
        areas=[("S12000033", "Aberdeen City")],
        notebooks=[NOTEBOOKS / f"{name}.ipynb" for name in ("01_ok", "02_fail", "03_slow")],
        output_dir=tmp_path / "out",
        params_dir=tmp_path / "params",
        cache_dir=tmp_path / "cache",
        jobs=2,
        timeout=5,
        package_dir=NOTEBOOKS,
    )
    hooks = Hooks(execute=execute, export=runner_fakes.fake_export)
    outcome = run_batch(options, hooks, stream=open(os.devnull, "w"), progress_bar=False)
    results = {r.notebook: r for r in outcome.results}
    area = tmp_path / "out" / "2023-24" / "S12000033"

    assert results["01_ok"].status == "ok"
    executed = nbformat.read(area / "01_ok.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert 'area_code = "S12000033"' in injected[0].source
    assert (area / "data" / "01_ok_S12000033.csv").read_text().startswith("area_code,period")

    failed = results["02_fail"]
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.error.startswith("ValueError: no data for S12000033")
    assert "no data for S12000033" in (area / "02_fail.ipynb").read_text()
    assert not (area / "02_fail.html").exists()

    slow = results["03_slow"]
    assert (slow.status, slow.attempts) == ("failed", 1)  # a cell timeout is never retried
    assert "timeout" in slow.error
    assert outcome.exit_status == 1
    assert leftovers(tmp_path / "out" / "2023-24") == []
    # multiprocessing's resource tracker belongs to this (the parent) process and ends with it
    left = lambda: [p for p in marked_processes(mark) if "resource_tracker" not in p]  # noqa: E731
    assert wait_until(lambda: not left(), 5), left()


@pytest.mark.parametrize("kernels", ["warm", "fresh"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_batch_keeps_finished_outputs_and_leaves_nothing_behind(
    tmp_path, signum, kernels
):
    mark = uuid.uuid4().hex
    env = {**os.environ, MARK: mark, "CJLIB_TEST_KERNELS": kernels}
    driver = subprocess.Popen(
        [sys.executable, str(NOTEBOOKS / "batch_driver.py"), str(tmp_path), "01_ok", "03_slow"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    period_dir = tmp_path / "2023-24"
    try:
        kernels = lambda: [p for p in marked_processes(mark) if "ipykernel" in p]  # noqa: E731
        started = wait_until(
            lambda: len(list(period_dir.glob("*/.cjlib-tmp-03_slow"))) == 2 and len(kernels()) == 2,
            90,
        )
        assert started, driver.stderr.read() if driver.poll() is not None else "no slow kernels"
        time.sleep(0.5)
        driver.send_signal(signum)
        out, err = driver.communicate(timeout=60)
    finally:
        if driver.poll() is None:
            driver.kill()
    assert driver.returncode == 128 + signum, err
    assert "interrupted: 2 runs not done" in out
    assert leftovers(period_dir) == []
    for code in ("S12000033", "S12000047"):
        assert (period_dir / code / "01_ok.html").is_file()
        assert not (period_dir / code / "03_slow.html").exists()
        assert not (period_dir / code / "03_slow.ipynb").exists()
    manifest = json.loads((period_dir / "manifest.json").read_text())
    assert manifest["interrupted"] is True
    assert sorted((r["notebook"], r["status"]) for r in manifest["runs"]) == [
        ("01_ok", "ok"),
        ("01_ok", "ok"),
    ]
    assert wait_until(lambda: not marked_processes(mark), 5), marked_processes(mark)
