"""Benchmark: each notebook's execution time for one area (median of 3), and the charts it draws."""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from cjlib.paths import NOTEBOOKS_DIR
from cjlib.pipeline import prepare_batch
from cjlib.runner.worker import kernel_manager_class


def main() -> None:
    """Print one line per notebook: median seconds, and the chart titles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--area", default="S12000049", help="GSS code (default Glasgow City)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    manager = kernel_manager_class()  # IPC sockets, as the batch runner uses
    kwargs = {"kernel_manager_class": manager} if manager else {}
    with tempfile.TemporaryDirectory() as work:
        batch = prepare_batch(cache_dir=Path(work) / "cache")
        for notebook in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
            times = []
            for _ in range(args.repeats):
                out = Path(work) / f"{notebook.stem}.ipynb"
                start = time.perf_counter()
                papermill.execute_notebook(
                    notebook,
                    out,
                    parameters={"area_code": args.area, "cache_dir": str(batch.directory)},
                    progress_bar=False,
                    log_output=False,
                    **kwargs,
                )
                times.append(time.perf_counter() - start)
            charts = [
                o["metadata"].get(mime, {}).get("alt", "")
                for cell in nbformat.read(out, as_version=4).cells
                for o in cell.get("outputs", [])
                for mime in ("image/svg+xml", "image/png")
                if mime in o.get("data", {})
            ]
            print(f"{notebook.stem:<34} {statistics.median(times):5.1f} s  {len(charts)} charts")
            for alt in charts:
                print(f"    - {alt.split('.')[0]}")


if __name__ == "__main__":
    main()
