"""Benchmark: import time of cjlib, each loader on the bundled real files, and all data."""

import subprocess
import sys
import time


def _time(function, repeats: int = 3) -> tuple[float, float, int]:
    """Return the best wall and CPU seconds of ``repeats`` calls, and the rows returned."""
    walls, cpus, rows = [], [], 0
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = len(function())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), rows


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
    from cjlib import loaders
    from cjlib.loaders.mapping import bundled_mappings, load_mapped
    from cjlib.measures import combine_measures
    from cjlib.paths import DEMO_MEASURES_CSV

    print("loader (what it reads): best wall s / CPU s of 3, tidy rows")
    for name in (
        "load_reconviction",
        "load_crime_bulletin",
        "load_recorded_crime",
        "load_crime_series",
        "load_population",
        "load_drug_deaths",
        "load_simd",
    ):
        function = getattr(loaders, name)
        wall, cpu, rows = _time(function)
        print(f"  {name}: {wall:.2f} / {cpu:.2f} s, {rows:,} rows")
    for mapping in bundled_mappings():
        wall, cpu, rows = _time(lambda m=mapping: load_mapped(m))
        print(f"  mapping {mapping}: {wall:.2f} / {cpu:.2f} s, {rows:,} rows")
    wall, cpu, rows = _time(
        lambda: combine_measures(loaders.load_real_measures(), loaders.load_tidy(DEMO_MEASURES_CSV))
    )
    print(f"load all bundled data: {wall:.2f} / {cpu:.2f} s (best of 3), {rows:,} rows")


if __name__ == "__main__":
    main()
