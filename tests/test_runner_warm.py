"""Warm kernels: a reused kernel passes nothing on, is replaced after a failure, changes no output.

The state test runs planted notebooks on one warm kernel in this process. The
identity test builds the same packs (2 areas x 3 real notebooks) with a fresh kernel
per run and with warm kernels in another order, and compares them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from cjlib.paths import NOTEBOOKS_DIR, PARAMETERS_DIR
from cjlib.runner import warm
from cjlib.runner.batch import BatchOptions, run_batch
from cjlib.runner.worker import RunTask, execute_with_papermill

pytestmark = pytest.mark.slow
NOTEBOOKS = Path(__file__).parent / "runner_notebooks"


def task(name: str, output_dir: Path, area: str = "S12000033", timeout: float = 60) -> RunTask:
    output_dir.mkdir(parents=True, exist_ok=True)
    return RunTask(
        area,
        area,
        name,
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(output_dir.parent),
        {"area_code": area, "output_dir": str(output_dir)},
        timeout=timeout,
    )


def state_after(execute, work: Path, name: str = "05_state") -> dict:
    """Run the state-reporting notebook with ``execute``; return the state it printed."""
    run_dir = work / name
    execute(task(name, run_dir), run_dir / "out.ipynb", run_dir)
    executed = nbformat.read(run_dir / "out.ipynb", as_version=4)
    printed = executed.cells[-1].outputs[0]["text"]
    return json.loads(printed)


@pytest.fixture
def kernel_env(monkeypatch, tmp_path):
    """Kernels import this checkout's cjlib; each test ends with no warm kernel left."""
    root = str(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("CJLIB_SOCKET_DIR", str(tmp_path / "sockets"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    warm.discard_warm_kernel()


def test_next_run_on_the_same_kernel_sees_nothing_of_the_last(kernel_env):
    work = kernel_env
    fresh = state_after(execute_with_papermill, work / "fresh")
    assert fresh["leaked_globals"] == [] and fresh["env"] is None and fresh["cwd_is_output_dir"]

    leak_dir = work / "leak"
    warm.execute_on_warm_kernel(task("04_leak", leak_dir), leak_dir / "out.ipynb", leak_dir)
    kernel = warm._kernel
    leaked = nbformat.read(leak_dir / "out.ipynb", as_version=4)
    assert "leaked S12000033" in leaked.cells[-1].outputs[0]["text"]

    after = state_after(warm.execute_on_warm_kernel, work / "warm")
    assert warm._kernel is kernel and kernel.runs == 2  # the same kernel, reused
    assert after == fresh
    assert after["linewidth"] != 9.0 and after["font_size"] != 31.0
    assert after["execution_count"] == fresh["execution_count"]


def test_a_run_that_imports_pyplot_gets_its_kernel_replaced(kernel_env):
    work = kernel_env
    run_dir = work / "pyplot"
    warm.execute_on_warm_kernel(task("06_pyplot", run_dir), run_dir / "out.ipynb", run_dir)
    executed = nbformat.read(run_dir / "out.ipynb", as_version=4)
    assert "figures open: 1" in executed.cells[-1].outputs[0]["text"]
    kernel = warm._kernel
    after = state_after(warm.execute_on_warm_kernel, work / "next")
    assert warm._kernel is not kernel  # pyplot cannot be unloaded: a new kernel
    assert after["open_figures"] == 0 and after["leaked_globals"] == []


def test_a_failed_or_timed_out_run_replaces_the_kernel(kernel_env):
    work = kernel_env
    first = work / "ok"
    warm.execute_on_warm_kernel(task("01_ok", first), first / "out.ipynb", first)
    kernel = warm._kernel
    pid = kernel.km.provisioner.pid
    failing = work / "fail"
    with pytest.raises(Exception, match="no data"):
        warm.execute_on_warm_kernel(task("02_fail", failing), failing / "out.ipynb", failing)
    assert warm._kernel is None
    assert not kernel.alive()
    slow = work / "slow"
    with pytest.raises(Exception, match="imeout|timed out"):
        warm.execute_on_warm_kernel(task("03_slow", slow, timeout=2), slow / "out.ipynb", slow)
    assert warm._kernel is None
    again = work / "again"
    warm.execute_on_warm_kernel(task("01_ok", again), again / "out.ipynb", again)
    assert warm._kernel.km.provisioner.pid != pid
    assert (again / "data" / "01_ok_S12000033.csv").is_file()


# -- the same packs from fresh and from warm kernels -------------------------------------------

AREAS = [("S12000033", "Aberdeen City"), ("S12000023", "Orkney Islands")]
STEMS = ("00_needs_assessment", "01_diversion", "10_cjoip_summary")
#: Timestamps in pages: "1 December 2026 at 02:15", "01 December 2026 02:15", ISO times.
TIMESTAMPS = re.compile(
    r"\d{1,2} [A-Z][a-z]+ \d{4}(?: at)? \d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^\s\"<]*"
)


def build(out: Path, fresh: bool, areas, stems) -> dict[str, str]:
    """Build the packs; return every executed notebook's outputs and every page, by name."""
    options = BatchOptions(
        period="2023-24",
        areas=list(areas),
        notebooks=[NOTEBOOKS_DIR / f"{stem}.ipynb" for stem in stems],
        output_dir=out,
        params_dir=PARAMETERS_DIR,
        cache_dir=out / ".cache",
        jobs=1,
        force=True,
        fresh_kernels=fresh,
    )
    outcome = run_batch(options, stream=open(os.devnull, "w"), progress_bar=False)
    assert outcome.exit_status == 0, [r.error for r in outcome.failed] + [outcome.finish_error]
    period_dir = out / "2023-24"
    found = {}
    for path in sorted(period_dir.rglob("*")):
        name = path.relative_to(period_dir).as_posix()
        if path.suffix == ".ipynb":
            cells = nbformat.read(path, as_version=4).cells
            found[name] = json.dumps(
                [
                    (c.get("execution_count"), c.get("outputs"))
                    for c in cells
                    if c.cell_type == "code"
                ]
            )
        elif path.suffix in (".html", ".csv"):
            found[name] = TIMESTAMPS.sub("<time>", path.read_text(encoding="utf-8"))
    order = [(r.area_code, r.notebook) for r in outcome.results]
    return found, order


def test_warm_kernels_build_exactly_what_fresh_kernels_build(tmp_path):
    out = tmp_path / "out"
    fresh, fresh_order = build(out, True, AREAS, STEMS)
    shutil.copytree(out / "2023-24", tmp_path / "fresh-copy")  # for a look when it fails
    warm_pages, warm_order = build(out, False, AREAS[::-1], STEMS[::-1])
    assert warm_order != fresh_order
    assert sorted(warm_pages) == sorted(fresh)
    assert len([n for n in fresh if n.endswith(".ipynb")]) == len(AREAS) * len(STEMS)
    for name, text in fresh.items():
        assert warm_pages[name] == text, f"{name} differs between fresh and warm kernels"
