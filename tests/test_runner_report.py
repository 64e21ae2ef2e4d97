"""Progress lines, the manifest file and the command line's usage errors."""

from __future__ import annotations

import argparse
import io
import json
import os
import stat

import pytest

from cjlib.cli import run as run_cli
from cjlib.runner import manifest as mf
from cjlib.runner.progress import Progress, format_duration


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0s"), (45.4, "45s"), (130, "2m10s"), (3900, "1h05m")]
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_plain_progress_lines_when_not_a_terminal(monkeypatch):
    stream = io.StringIO()
    clock = iter([0.0, 10.0, 20.0, 30.0, 40.0])
    monkeypatch.setattr("cjlib.runner.progress.time.monotonic", lambda: next(clock))
    progress = Progress(total=40, stream=stream, interval=0)
    progress.advance()
    progress.advance(failed=True)
    progress.note("failed: S12000033 02_fail: ValueError: x")
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines == [
        "[ 1/40] 0 failed, ~6m30s left",
        "[ 2/40] 1 failed, ~6m20s left",
        "failed: S12000033 02_fail: ValueError: x",
    ]


def test_plain_progress_is_throttled_but_prints_the_last_line():
    stream = io.StringIO()
    progress = Progress(total=3, stream=stream, interval=3600)
    for _ in range(3):
        progress.advance()
    assert stream.getvalue().splitlines() == ["[1/3] 0 failed, ~0s left", "[3/3] 0 failed"]


def test_manifest_written_atomically_and_read_back(tmp_path):
    entries = {
        ("S12000033", "01_ok"): {"area_code": "S12000033", "notebook": "01_ok", "status": "ok"}
    }
    document = mf.build_manifest("2023-24", entries, started_at=mf.now_iso(), finished=True)
    path = mf.write_manifest(tmp_path, document)
    assert json.loads(path.read_text())["counts"] == {"ok": 1, "failed": 0, "skipped": 0}
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode & stat.S_IRGRP  # readable like any other output, not mkstemp's 0600
    assert mf.entries_by_key(mf.read_manifest(tmp_path)) == entries


def test_unreadable_manifest_counts_as_empty(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json")
    assert mf.read_manifest(tmp_path) == {"runs": []}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--area", "Atlantis"], "unknown council area 'Atlantis'"),
        (["--notebook", "99_nothing"], "unknown notebook '99_nothing'"),
        (["--period", "last year"], "period 'last year'"),
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--data", "/no/such/dir"], "--data /no/such/dir: no such directory"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv, message, capsys, tmp_path):
    (tmp_path / "01_x.ipynb").write_text("{}")
    status = run_cli.main([*argv, "--notebook-dir", str(tmp_path), "--output", str(tmp_path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and message in err[0]


@pytest.mark.parametrize(("argv", "fresh"), [([], False), (["--fresh-kernels"], True)])
def test_warm_kernels_by_default_fresh_on_request(argv, fresh, tmp_path):
    from cjlib.runner.hooks import default_hooks
    from cjlib.runner.warm import execute_on_warm_kernel
    from cjlib.runner.worker import execute_with_papermill

    parser = argparse.ArgumentParser()
    run_cli.add_arguments(parser)
    options = run_cli.resolve_options(parser.parse_args([*argv, "--output", str(tmp_path)]))
    assert options.fresh_kernels is fresh
    expected = execute_with_papermill if fresh else execute_on_warm_kernel
    assert default_hooks(options.fresh_kernels).execute is expected


def test_default_period_from_defaults_yaml(tmp_path):
    assert run_cli.default_period(tmp_path) == "2023-24"
    (tmp_path / "defaults.yaml").write_text('reporting_period: "2022-23"\n')
    assert run_cli.default_period(tmp_path) == "2022-23"


def test_cjlib_main_dispatches_run(capsys):
    from cjlib.cli.main import main

    assert main(["run", "--area", "Atlantis"]) == 2
    assert "Atlantis" in capsys.readouterr().err
    assert os.environ.get("CJLIB_RUNNER_TAG") is None


def test_runs_settled_before_the_start_count_but_do_not_skew_the_estimate(monkeypatch):
    stream = io.StringIO()
    clock = iter([100.0, 110.0])
    monkeypatch.setattr("cjlib.runner.progress.time.monotonic", lambda: next(clock))
    progress = Progress(total=4, stream=stream, interval=0, done=1, failed=1)
    progress.advance()
    assert stream.getvalue().splitlines() == ["[2/4] 1 failed, ~20s left"]


def test_bar_on_a_terminal_shows_done_total_and_failures():
    stream = io.StringIO()
    progress = Progress(total=2, stream=stream, bar=True)
    progress.advance(failed=True)
    progress.advance()
    progress.close()
    last = stream.getvalue().split("\r")[-1]
    assert "2/2" in last and "1 failed" in last
