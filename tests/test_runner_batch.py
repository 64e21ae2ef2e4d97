"""Batch runner end to end with fake hooks in real worker processes (no kernels)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cjlib.runner import pool as pool_module
from cjlib.runner.batch import BatchOptions, run_batch
from cjlib.runner.hooks import Hooks
from cjlib.runner.summary import format_summary

HERE = Path(__file__).parent
NOTEBOOKS = HERE / "runner_notebooks"
sys.path.insert(0, str(NOTEBOOKS))

import runner_fakes  # noqa: E402

ABERDEEN = ("S12000033", "Aberdeen City")
FIFE = ("S12000047", "Fife")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny project: parameters, a data folder, a frozen 'package' and two notebooks."""
    (tmp_path / "params" / "areas").mkdir(parents=True)
    (tmp_path / "params" / "defaults.yaml").write_text('reporting_period: "2023-24"\n')
    for code, _ in (ABERDEEN, FIFE):
        (tmp_path / "params" / "areas" / f"{code}.yaml").write_text(f"area_code: {code}\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "measures.csv").write_text("area_code,value\nS12000033,1\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "module.py").write_text("X = 1\n")
    return tmp_path


def options(project: Path, notebooks=("01_ok",), **overrides) -> BatchOptions:
    values = dict(
        period="2023-24",
        areas=[ABERDEEN, FIFE],
        notebooks=[NOTEBOOKS / f"{name}.ipynb" for name in notebooks],
        output_dir=project / "out",
        params_dir=project / "params",
        cache_dir=project / "cache",
        data_dir=project / "data",
        jobs=2,
        package_dir=project / "pkg",
    )
    values.update(overrides)
    return BatchOptions(**values)


def fake_hooks() -> Hooks:
    return Hooks(
        prepare=runner_fakes.fake_prepare,
        validate=runner_fakes.fake_validate,
        finish=runner_fakes.fake_finish,
        execute=runner_fakes.fake_execute,
        export=runner_fakes.fake_export,
    )


def run(opts: BatchOptions):
    return run_batch(opts, fake_hooks(), stream=open("/dev/null", "w"), progress_bar=False)


def manifest_runs(project: Path) -> dict:
    data = json.loads((project / "out" / "2023-24" / "manifest.json").read_text())
    return {(r["area_code"], r["notebook"]): r for r in data["runs"]}


def leftovers(period_dir: Path) -> list[Path]:
    return [p for p in period_dir.rglob("*") if p.name.startswith(".cjlib-tmp-")] + [
        p for p in period_dir.rglob("*.tmp")
    ]


def test_batch_writes_outputs_and_manifest(project):
    outcome = run(options(project))
    period_dir = project / "out" / "2023-24"
    assert outcome.exit_status == 0
    assert sorted(r.status for r in outcome.results) == ["ok", "ok"]
    for code in ("S12000033", "S12000047"):
        assert (period_dir / code / "01_ok.html").is_file()
        assert (period_dir / code / "01_ok.ipynb").is_file()
        assert (period_dir / code / "data" / f"01_ok_{code}.csv").is_file()
    assert (period_dir / "index.html").is_file()  # the finish hook ran
    assert leftovers(period_dir) == []
    document = json.loads((period_dir / "manifest.json").read_text())
    assert document["period"] == "2023-24"
    assert document["counts"] == {"ok": 2, "failed": 0, "skipped": 0}
    assert document["finished"] is True and document["interrupted"] is False
    assert document["batch_key"] == "fake-key"
    entry = manifest_runs(project)[("S12000047", "01_ok")]
    assert entry["area_name"] == "Fife"
    assert entry["status"] == "ok" and entry["error"] is None and entry["seconds"] >= 0
    assert set(entry["hashes"]) == {
        "notebook",
        "area_parameters",
        "defaults",
        "data",
        "cjlib",
        "environment",
    }
    assert entry["outputs"] == [
        "S12000047/01_ok.html",
        "S12000047/01_ok.ipynb",
        "S12000047/data/01_ok_S12000047.csv",
    ]


def test_failing_notebook_is_isolated_and_reported(project):
    outcome = run(options(project, notebooks=("01_ok", "02_fail")))
    period_dir = project / "out" / "2023-24"
    assert outcome.exit_status == 1
    assert sorted((r.notebook, r.status, r.attempts) for r in outcome.results) == [
        ("01_ok", "ok", 1),
        ("01_ok", "ok", 1),
        ("02_fail", "failed", 1),  # a genuine notebook error is never retried
        ("02_fail", "failed", 1),
    ]
    assert not (period_dir / "S12000033" / "02_fail.html").exists()
    assert (period_dir / "S12000033" / "02_fail.ipynb").is_file()  # kept for inspection
    entry = manifest_runs(project)[("S12000033", "02_fail")]
    assert entry["status"] == "failed"
    assert entry["error"] == "ValueError: no data for S12000033 (cell 1)"
    summary = format_summary(outcome)
    assert "0 skipped" in summary and "2 ok, 2 failed" in summary
    line = next(x for x in summary.splitlines() if "S12000033 Aberdeen City: 02_fail" in x)
    assert "ValueError: no data for S12000033" in line
    assert str(period_dir / "S12000033" / "02_fail.ipynb") in line


def test_bad_parameter_file_fails_only_that_area(project):
    (project / "params" / "areas" / "S12000033.yaml").write_text("local_targets: bad\n")
    outcome = run(options(project))
    by_area = {r.area_code: r for r in outcome.results}
    assert outcome.exit_status == 1
    assert by_area["S12000047"].status == "ok"
    assert by_area["S12000033"].status == "failed"
    assert "S12000033.yaml: local_targets: expected a list" in by_area["S12000033"].error
    calls = (project / "cache" / "calls.log").read_text().split()
    assert "S12000033" not in calls  # validated before any notebook started
    assert manifest_runs(project)[("S12000033", "01_ok")]["status"] == "failed"


def test_infrastructure_failures_are_retried_once(project):
    opts = options(project, extra_parameters={"flaky": True})
    outcome = run(opts)
    assert [(r.status, r.attempts) for r in outcome.results] == [("ok", 2), ("ok", 2)]
    assert manifest_runs(project)[("S12000033", "01_ok")]["attempts"] == 2


def test_crashed_worker_is_replaced_and_its_run_retried(project):
    outcome = run(options(project, areas=[ABERDEEN], extra_parameters={"crash": True}))
    assert [(r.status, r.attempts) for r in outcome.results] == [("ok", 2)]


def test_overall_timeout_kills_the_run_and_the_batch_goes_on(project, monkeypatch):
    monkeypatch.setattr(pool_module, "TIMEOUT_GRACE", 0.5)
    opts = options(project, timeout=1.0, jobs=1, extra_parameters={"sleep": 30})
    outcome = run(opts)
    assert [r.status for r in outcome.results] == ["failed", "failed"]
    assert all(r.error.startswith("timed out") for r in outcome.results)
    assert outcome.seconds < 20
    assert leftovers(project / "out" / "2023-24") == []


def test_unchanged_inputs_skip_and_changes_rerun_what_they_touch(project):
    opts = options(project)
    assert len(run(opts).results) == 2
    second = run(opts)
    assert second.results == [] and second.skipped == 2 and second.exit_status == 0
    assert [r["status"] for r in manifest_runs(project).values()] == ["skipped", "skipped"]

    (project / "params" / "areas" / "S12000047.yaml").write_text("area_code: S12000047\n# x\n")
    assert [r.area_code for r in run(opts).results] == ["S12000047"]

    (project / "data" / "measures.csv").write_text("area_code,value\nS12000033,2\n")
    assert len(run(opts).results) == 2

    (project / "pkg" / "module.py").write_text("X = 2\n")  # a code change reruns everything
    assert len(run(opts).results) == 2

    assert len(run(options(project, force=True)).results) == 2

    (project / "out" / "2023-24" / "S12000033" / "01_ok.html").unlink()
    assert [r.area_code for r in run(opts).results] == ["S12000033"]


def test_failed_rerun_removes_the_stale_page_and_its_data(project):
    run(options(project, areas=[ABERDEEN]))
    area_dir = project / "out" / "2023-24" / "S12000033"
    assert (area_dir / "01_ok.html").is_file()
    outcome = run(options(project, areas=[ABERDEEN], force=True, extra_parameters={"fail_all": 1}))
    assert [r.status for r in outcome.results] == ["failed"]
    assert not (area_dir / "01_ok.html").exists()
    assert not (area_dir / "data" / "01_ok_S12000033.csv").exists()
    assert (area_dir / "01_ok.ipynb").is_file()
