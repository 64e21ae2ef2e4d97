"""One area with a broken parameter file: the other areas' packs and the national index still build.

Real preparation and real front pages and national index; the notebook runs are
the runner's fakes (no kernels), since the failure is found before any run starts.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cjlib.paths import PARAMETERS_DIR
from cjlib.runner.batch import BatchOptions, run_batch
from cjlib.runner.hooks import (
    Hooks,
    finish_with_pipeline,
    prepare_with_pipeline,
    validate_with_params,
)
from cjlib.runner.summary import format_summary

NOTEBOOKS = Path(__file__).parent / "runner_notebooks"
sys.path.insert(0, str(NOTEBOOKS))

import runner_fakes  # noqa: E402

pytestmark = pytest.mark.slow
GOOD, BROKEN = ("S12000033", "Aberdeen City"), ("S12000023", "Orkney Islands")


def run_once(tmp_path: Path) -> tuple[object, str]:
    options = BatchOptions(
        period="2023-24",
        areas=[GOOD, BROKEN],
        notebooks=[NOTEBOOKS / "01_ok.ipynb"],
        output_dir=tmp_path / "out",
        params_dir=tmp_path / "params",
        cache_dir=tmp_path / "cache",
        jobs=1,
    )
    hooks = Hooks(
        prepare=prepare_with_pipeline,
        validate=validate_with_params,
        finish=finish_with_pipeline,
        execute=runner_fakes.fake_execute,
        export=runner_fakes.fake_export,
    )
    outcome = run_batch(options, hooks, stream=io.StringIO(), progress_bar=False)
    return outcome, format_summary(outcome)


def grid_row(index: Path, name: str) -> str:
    """Return the text of the national grid's row for an area."""
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    return next(r for r in soup.find_all("tr") if name in r.get_text()).get_text(" ", strip=True)


def test_a_broken_parameter_file_fails_only_its_area(tmp_path):
    shutil.copytree(PARAMETERS_DIR, tmp_path / "params")
    broken = tmp_path / "params" / "areas" / f"{BROKEN[0]}.yaml"
    broken.write_text(f"area_code: {BROKEN[0]}\noutcomes: [unclosed\n", encoding="utf-8")
    period_dir = tmp_path / "out" / "2023-24"

    for attempt in ("first", "unchanged rerun"):
        outcome, summary = run_once(tmp_path)
        assert outcome.exit_status == 1, attempt
        assert outcome.finish_error is None, (attempt, outcome.finish_error)
        assert "not built" not in summary
        # the full reason, with its path, on one line of the terminal summary
        failure = [line for line in summary.splitlines() if BROKEN[0] in line and "YAML" in line]
        assert len(failure) == 1, summary
        assert str(broken) in failure[0] and "line 3 not valid YAML" in failure[0]

        index = period_dir / "index.html"
        assert index.is_file(), attempt
        assert (period_dir / GOOD[0] / "index.html").is_file()
        assert not (period_dir / BROKEN[0] / "index.html").exists()
        page = index.read_text(encoding="utf-8")
        assert str(tmp_path) not in page and "/tmp/" not in page
        text = BeautifulSoup(page, "html.parser").get_text(" ", strip=True)
        assert f"{BROKEN[0]} 01_ok" in text and "S12000023.yaml: line 3 not valid YAML" in text
        row = grid_row(index, BROKEN[1])
        assert row.lower().count("failed") >= 9, row  # every outcome of the area shows failed
        assert "failed" not in grid_row(index, GOOD[1]).lower()
        manifest = json.loads((period_dir / "manifest.json").read_text())
        assert manifest["finished"] is True
        statuses = {(r["area_code"], r["status"]) for r in manifest["runs"]}
        expected = "ok" if attempt == "first" else "skipped"
        assert statuses == {(GOOD[0], expected), (BROKEN[0], "failed")}
