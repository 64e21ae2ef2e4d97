"""Benchmark the batch runner: warm kernels, fresh kernels, a naive loop and the floor.

Prints, measured on this machine in one go:

(a) the floor: the sum over runs of the time of a minimal notebook that only starts a
    kernel and imports the libraries that notebook imports, divided by jobs. Every notebook
    imports cjlib's report modules (pandas, scipy, pyarrow, IPython); those that draw charts
    also import matplotlib's figure and SVG backend. Which runs drew a chart is read from
    the executed notebooks of (c);
(b) a naive sequential loop of ``papermill`` and ``jupyter nbconvert --to html`` over the
    same notebooks and areas (its own empty cache, as a user running them by hand);
(c) ``cjlib run`` with the default number of jobs (warm kernels), into an empty folder;
(c0) ``cjlib run --fresh-kernels``, a fresh kernel for every run, into another empty folder;
(d) ``cjlib run`` again with nothing changed;

the time of each phase of (c) and (c0) (prepare, execute and export summed over runs,
national pages), the ratios c/c0, c/b and c/a, and, for a subset, the full national
batch's time projected from it (clearly labelled: it is not a measurement).
``--areas`` and ``--notebooks`` make it small:

    python bench/batch.py --areas 4
    python bench/batch.py --areas 2 --notebooks 01 10 --skip-naive
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from cjlib.areas import council_areas
from cjlib.paths import NOTEBOOKS_DIR
from cjlib.runner.plan import discover_notebooks, select_notebooks

PARAMETERS = (
    'area_code: str = "S12000033"  # GSS code of the council area\n'
    'period: str = ""  # reporting year\n'
    'data_dir: str = ""  # data folder\n'
    'params_dir: str = ""  # parameters folder\n'
    'cache_dir: str = ""  # batch cache\n'
    'output_dir: str = ""  # pack folder'
)
#: What the real notebooks import in their first cell (so the floor imports the same libraries).
IMPORTS = (
    "import pyarrow.parquet\n"
    "import cjlib.report.context\nimport cjlib.report.explore\nimport cjlib.report.method\n"
    "import cjlib.report.needs\nimport cjlib.report.outcome\nimport cjlib.report.summary"
)
#: What a notebook that draws a chart imports as well (cjlib.report.charts, lazily).
DRAWING_IMPORTS = IMPORTS + "\nimport matplotlib.figure\nimport matplotlib.backends.backend_svg"


def write_notebook(path: Path, body: str) -> Path:
    """Write a notebook with the standard parameters cell and one code cell."""
    notebook = new_notebook(
        cells=[new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}), new_code_cell(body)]
    )
    notebook.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def time_minimal_notebooks(work: Path, samples: int, bodies: dict[str, str]) -> dict[str, float]:
    """Return the median seconds of minimal notebooks that start a kernel and run ``bodies``.

    The notebooks take turns, so a drift in the machine's speed affects them alike.
    """
    import papermill

    from cjlib.runner.worker import kernel_manager_class

    manager = kernel_manager_class()  # as the runner does: no TCP port races, no warnings
    kwargs = {"kernel_manager_class": manager} if manager else {}
    notebooks = {
        name: write_notebook(work / "floor" / f"{name}.ipynb", body)
        for name, body in bodies.items()
    }
    times: dict[str, list[float]] = {name: [] for name in bodies}
    for _ in range(samples):
        for name, notebook in notebooks.items():
            start = time.perf_counter()
            out = work / "floor" / "out.ipynb"
            papermill.execute_notebook(notebook, out, progress_bar=False, **kwargs)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def drawing_runs(period_dir: Path) -> int:
    """Return how many executed notebooks under ``period_dir`` hold a chart."""
    count = 0
    for path in period_dir.glob("*/*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        count += any(
            mime.startswith("image/")
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            for mime in output.get("data", {})
        )
    return count


def naive_loop(
    work: Path, notebooks: list[Path], areas: list[str], period: str
) -> tuple[float, int]:
    """Return the seconds and failures of papermill + nbconvert, one run after another."""
    bin_dir = Path(sys.executable).parent
    out, failures = work / "naive", 0
    start = time.perf_counter()
    for notebook in notebooks:
        for code in areas:
            target = out / code / f"{notebook.stem}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            params = {"area_code": code, "period": period, "cache_dir": str(out / ".cache")}
            params["output_dir"] = str(target.parent)
            command = [str(bin_dir / "papermill"), str(notebook), str(target), "--no-progress-bar"]
            command += ["--log-level", "ERROR"]
            for key, value in params.items():
                command += ["-p", key, value]
            executed = subprocess.run(command, capture_output=True)
            exported = subprocess.run(
                [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", str(target)],
                capture_output=True,
            )
            failures += bool(executed.returncode or exported.returncode)
    return time.perf_counter() - start, failures


def cjlib_run(arguments: list[str]) -> tuple[float, int]:
    """Return the seconds and exit status of ``cjlib run`` with the given options."""
    command = [sys.executable, "-m", "cjlib.cli.main", "run", *arguments]
    start = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if finished.returncode not in (0, 1):
        print(finished.stderr.strip().splitlines()[-1:], file=sys.stderr)
    return seconds, finished.returncode


def phases(period_dir: Path) -> dict[str, float]:
    """Return the phases of the batch recorded in its manifest, in seconds.

    ``prepare`` and ``pages`` are wall-clock; ``execute`` and ``export`` are summed over
    the runs (so over all workers: divide by the jobs for their share of the wall clock).
    """
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    found = dict(manifest.get("phases") or {})
    for name in ("execute", "export"):
        found[name] = sum((r.get("phases") or {}).get(name, 0.0) for r in manifest["runs"])
    return found


def describe(found: dict[str, float]) -> str:
    """Return the phases on one line."""
    return (
        f"prepare {found.get('prepare', 0):.1f}s, execute {found['execute']:.1f}s and "
        f"export {found['export']:.1f}s summed over runs, "
        f"national pages {found.get('pages', 0):.1f}s"
    )


def projected(seconds: float, found: dict[str, float], runs: int, areas: int) -> float:
    """Return the full batch's time (32 areas) projected linearly from a subset's."""
    fixed = found.get("prepare", 0.0)
    pages = found.get("pages", 0.0)
    per_run = max(0.0, seconds - fixed - pages) / runs
    full_runs = runs * 32 // areas
    return fixed + per_run * full_runs + pages * 32 / areas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=32, help="first N council areas (default 32)")
    parser.add_argument("--notebooks", nargs="*", help='notebooks, e.g. "01 10" (default all)')
    parser.add_argument("--period", default="2023-24")
    parser.add_argument("--jobs", type=int, help="jobs for cjlib run (default: the CPUs)")
    parser.add_argument("--samples", type=int, default=7, help="runs of each minimal notebook")
    parser.add_argument("--skip-naive", action="store_true", help="leave out (b), the slow one")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cjlib-bench-"))
    notebook_dir = NOTEBOOKS_DIR
    notebooks = select_notebooks(discover_notebooks(NOTEBOOKS_DIR), args.notebooks)
    areas = list(council_areas()["area_code"])[: max(1, min(32, args.areas))]
    jobs = args.jobs or os.cpu_count() or 1
    runs = len(areas) * len(notebooks)
    print(f"{len(areas)} areas x {len(notebooks)} notebooks = {runs} runs; {jobs} jobs")

    medians = time_minimal_notebooks(
        work, args.samples, {"plain": IMPORTS, "drawing": DRAWING_IMPORTS}
    )
    plain, drawing = medians["plain"], medians["drawing"]
    print(
        f"minimal notebook: {plain:.2f}s, with matplotlib {drawing:.2f}s (median of {args.samples})"
    )
    naive = None
    if not args.skip_naive:
        naive, failures = naive_loop(work, notebooks, areas, args.period)
        print(f"(b)  naive          {naive:8.1f}s  (papermill + nbconvert, {failures} failed)")

    def options(folder: str) -> list[str]:
        chosen = ["--output", str(work / folder), "--period", args.period, "--jobs", str(jobs)]
        chosen += ["--notebook-dir", str(notebook_dir)]
        chosen += [a for n in notebooks for a in ("--notebook", n.stem)]
        if len(areas) < 32:
            chosen += [a for code in areas for a in ("--area", code)]
        return chosen

    fresh, status = cjlib_run([*options("fresh"), "--fresh-kernels"])
    fresh_phases = phases(work / "fresh" / args.period)
    print(f"(c0) fresh kernels  {fresh:8.1f}s  (exit status {status}; {describe(fresh_phases)})")
    full, status = cjlib_run(options("cjlib"))
    warm_phases = phases(work / "cjlib" / args.period)
    print(f"(c)  cjlib run      {full:8.1f}s  (exit status {status}; {describe(warm_phases)})")
    draws = drawing_runs(work / "cjlib" / args.period)
    floor = (draws * drawing + (runs - draws) * plain) / jobs
    print(
        f"(a)  floor          {floor:8.1f}s  (({draws} runs drawing charts x {drawing:.2f}s"
        f" + {runs - draws} x {plain:.2f}s) / {jobs} jobs)"
    )
    again, status = cjlib_run(options("cjlib"))
    print(f"(d)  again          {again:8.1f}s  (nothing changed; exit status {status})")
    ratios = f"c/c0 = {full / fresh:.2f}   c/a = {full / floor:.2f}"
    if naive:
        ratios += f"   c/b = {full / naive:.3f}"
    print(f"{ratios}   d = {again:.1f}s")
    if len(areas) < 32:
        scale = len(areas)
        print(
            f"PROJECTED (not measured) for 32 areas: "
            f"c {projected(full, warm_phases, runs, scale):.0f}s, "
            f"c0 {projected(fresh, fresh_phases, runs, scale):.0f}s"
            + (f", b {naive * 32 / len(areas):.0f}s" if naive else "")
        )
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
