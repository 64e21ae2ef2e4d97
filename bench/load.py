"""Benchmark: import time of cjlib, and loading all bundled data into the tidy table."""

import subprocess
import sys
import time


def main() -> None:
    """Print the figures."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t=time.perf_counter(); import cjlib; print(time.perf_counter()-t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"import cjlib: {float(out.stdout) * 1000:.1f} ms")
    from cjlib.loaders import load_real_measures, load_tidy
    from cjlib.measures import combine_measures
    from cjlib.paths import DEMO_MEASURES_CSV

    times = []
    for _ in range(3):
        start = time.perf_counter()
        table = combine_measures(load_real_measures(), load_tidy(DEMO_MEASURES_CSV))
        times.append(time.perf_counter() - start)
    print(f"load all bundled data: {min(times):.2f} s (best of 3), {len(table):,} rows")


if __name__ == "__main__":
    main()
