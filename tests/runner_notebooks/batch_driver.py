"""A ``cjlib run``-like command for tests: real papermill, fake prepare/finish/export.

Usage: ``python batch_driver.py OUTPUT_DIR NOTEBOOK...`` (notebook stems in this folder).
Warm kernels unless ``CJLIB_TEST_KERNELS=fresh``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runner_fakes  # noqa: E402

from cjlib.runner.batch import BatchOptions, run_batch  # noqa: E402
from cjlib.runner.hooks import Hooks  # noqa: E402
from cjlib.runner.summary import format_summary  # noqa: E402
from cjlib.runner.warm import execute_on_warm_kernel  # noqa: E402
from cjlib.runner.worker import execute_with_papermill  # noqa: E402


def main(argv: list[str]) -> int:
    output = Path(argv[0])
    options = BatchOptions(
        period="2023-24",
        areas=[("S12000033", "Aberdeen City"), ("S12000047", "Fife")],
        notebooks=[HERE / f"{name}.ipynb" for name in argv[1:]],
        output_dir=output,
        params_dir=output / "params",
        cache_dir=output / "cache",
        jobs=2,
        package_dir=HERE,
    )
    hooks = Hooks(
        prepare=runner_fakes.fake_prepare,
        finish=runner_fakes.fake_finish,
        execute=(
            execute_with_papermill
            if os.environ.get("CJLIB_TEST_KERNELS") == "fresh"
            else execute_on_warm_kernel
        ),
        export=runner_fakes.fake_export,
    )
    outcome = run_batch(options, hooks, progress_bar=False)
    print(format_summary(outcome), flush=True)
    return outcome.exit_status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
