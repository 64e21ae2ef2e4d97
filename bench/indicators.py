"""Benchmark: the whole indicator results table, comparisons and the batch preparation."""

import tempfile
import time


def main() -> None:
    """Print the figures."""
    from cjlib.assess import add_comparisons
    from cjlib.framework import load_framework
    from cjlib.indicators import compute_indicators
    from cjlib.params import load_defaults
    from cjlib.paths import DATA_DIR
    from cjlib.pipeline import load_measures, prepare_batch

    defaults = load_defaults()
    measures = load_measures(defaults, DATA_DIR)
    framework = load_framework()
    best = best_cmp = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        results = compute_indicators(measures, framework, groupings=("deprivation",))
        best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        add_comparisons(results, baseline_period=defaults.baseline_period)
        best_cmp = min(best_cmp, time.perf_counter() - start)
    print(f"indicator results: {best:.3f} s for {len(results):,} rows (best of 3)")
    print(f"comparisons, trend and rank: {best_cmp:.3f} s")
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        prepare_batch(cache_dir=cache)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        prepare_batch(cache_dir=cache)
        warm = time.perf_counter() - start
    print(
        "prepare_batch (load, compute, compare, suppress, assess, narrate): "
        f"{cold:.2f} s cold, {warm:.2f} s cached"
    )


if __name__ == "__main__":
    main()
