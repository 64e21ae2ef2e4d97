"""One run in-process: retry classification, error summaries, staging and promotion."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from papermill.exceptions import PapermillExecutionError

from cjlib.runner import outputs
from cjlib.runner.worker import RunTask, error_summary, is_infrastructure_error, run_task


def _notebook_error() -> PapermillExecutionError:
    return PapermillExecutionError(
        cell_index=4,
        exec_count=3,
        source="x = 1/0",
        ename="ZeroDivisionError",
        evalue="division by zero",
        traceback=["..."],
    )


@pytest.mark.parametrize(
    ("error", "infrastructure"),
    [
        (DeadKernelError("Kernel died"), True),
        (RuntimeError("Kernel didn't respond in 60 seconds"), True),
        (RuntimeError("Kernel died before replying to kernel_info"), True),
        (TimeoutError("Timeout waiting for kernel_info reply"), True),
        (OSError(errno.EADDRINUSE, "Address already in use"), True),
        (_notebook_error(), False),
        (CellTimeoutError("A cell timed out"), False),  # a TimeoutError, but the notebook's
        (RuntimeError("something else"), False),
        (FileNotFoundError("template.html.j2"), False),
    ],
)
def test_retry_classification(error, infrastructure):
    assert is_infrastructure_error(error) is infrastructure


def test_classification_follows_the_cause():
    try:
        try:
            raise DeadKernelError("Kernel died")
        except DeadKernelError as inner:
            raise ValueError("wrapped") from inner
    except ValueError as outer:
        assert is_infrastructure_error(outer)


def test_error_summary_is_one_line():
    assert error_summary(_notebook_error()) == "ZeroDivisionError: division by zero (cell 3)"
    assert error_summary(RuntimeError("first\nsecond")) == "RuntimeError: first"


def _task(tmp_path: Path, previous=()) -> RunTask:
    return RunTask(
        "S12000033",
        "Aberdeen City",
        "01_ok",
        str(tmp_path / "01_ok.ipynb"),
        str(tmp_path / "out"),
        {},
        list(previous),
    )


def _writes(task, executed: Path, cwd: Path) -> None:
    executed.write_text("{}")
    (cwd / "data").mkdir()
    (cwd / "data" / "new.csv").write_text("x")


def _export(executed: Path, html: Path) -> None:
    html.write_text("<html></html>")


def test_ok_run_promotes_outputs_and_removes_what_it_no_longer_makes(tmp_path):
    area = tmp_path / "out" / "S12000033"
    (area / "data").mkdir(parents=True)
    (area / "data" / "old.csv").write_text("old")
    (area / "index.html").write_text("front page")  # not this run's: left alone
    task = _task(tmp_path, previous=["S12000033/data/old.csv", "S12000033/01_ok.html"])
    result = run_task(task, _writes, _export)
    assert result.status == "ok"
    assert result.outputs == [
        "S12000033/01_ok.html",
        "S12000033/01_ok.ipynb",
        "S12000033/data/new.csv",
    ]
    assert not (area / "data" / "old.csv").exists()
    assert (area / "index.html").read_text() == "front page"
    assert not outputs.staging_dir(tmp_path / "out", "S12000033", "01_ok").exists()


def test_dead_kernel_is_retried_once_then_reported(tmp_path):
    calls = []

    def dies(task, executed, cwd):
        calls.append(1)
        raise DeadKernelError("Kernel died")

    result = run_task(_task(tmp_path), dies, _export, pause=0)
    assert (result.status, result.attempts, len(calls)) == ("failed", 2, 2)
    assert result.error == "DeadKernelError: Kernel died"


def test_notebook_error_is_not_retried_and_the_old_page_goes(tmp_path):
    area = tmp_path / "out" / "S12000033"
    area.mkdir(parents=True)
    (area / "01_ok.html").write_text("last week's page")
    calls = []

    def fails(task, executed, cwd):
        calls.append(1)
        executed.write_text('{"failed": true}')
        raise _notebook_error()

    result = run_task(_task(tmp_path, ["S12000033/01_ok.html"]), fails, _export, pause=0)
    assert (result.status, result.attempts, len(calls)) == ("failed", 1, 1)
    assert not (area / "01_ok.html").exists()
    assert (area / "01_ok.ipynb").read_text() == '{"failed": true}'
    assert result.executed_notebook == "S12000033/01_ok.ipynb"


def test_remove_outputs_never_leaves_the_period_directory(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep")
    (tmp_path / "period").mkdir()
    outputs.remove_outputs(tmp_path / "period", ["../precious.txt", "/etc/hostname"])
    assert outside.exists()
