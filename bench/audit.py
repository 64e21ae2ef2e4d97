"""Benchmark the disclosure audit, and count what it finds and what is suppressed.

Prints, measured on this machine in one go:

(a) ``audit_output`` on a built output folder (``--output outputs/<period>``), split into
    reading the published files and attacking them, with the findings by attack;
(b) ``audit_tables`` on the prepared results table of a full batch (all 32 areas, from
    ``prepare_batch``; no notebook is run), with the findings by attack;
(c) the cells suppressed in that batch: count-measure cells hidden as primary (a count
    or complement from 1 to threshold - 1) and as secondary (the rest), and results rows
    marked "[c]" and "[x]".

    python bench/audit.py --output /tmp/out/2023-24 --cache /tmp/cache
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from cjlib.audit import audit_frame, audit_tables, read_output


def _report(label: str, findings: list) -> None:
    print(f"{label}: {len(findings)} disclosed cells")
    for attack, n in Counter(f.attack for f in findings).most_common():
        print(f"    {n:5d}  {attack}")


def bench_output(folder: Path, threshold: int) -> None:
    """Time reading and attacking one output folder."""
    start, cpu = time.perf_counter(), time.process_time()
    frame = read_output(folder)
    read = time.perf_counter() - start
    findings = audit_frame(frame, threshold)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"(a) audit_output {folder}: {total:.2f} s wall, {cpu:.2f} s CPU "
        f"({read:.2f} s reading {len(frame)} rows)"
    )
    _report("    output folder", findings)


def suppressed_cells(ctx) -> dict[str, int]:
    """Primary and secondary hidden measure cells, and marked results rows, of a batch."""
    from cjlib.areas import family_membership
    from cjlib.disclosure.cells import hidden_cells
    from cjlib.framework import load_framework
    from cjlib.pipeline import framework_path, read_table

    defaults = ctx.defaults
    framework = load_framework(framework_path(defaults))
    measures = read_table(ctx, "measures")
    threshold = defaults.suppression_threshold
    family_of = family_membership(defaults.comparator_grouping)
    hidden = hidden_cells(measures, framework, family_of, threshold)
    keys = ["area_code", "period", "measure_id"]
    wide = measures.drop_duplicates(keys, keep="last").set_index(keys)["value"]
    small = set(wide[(wide >= 1) & (wide < threshold)].index)
    by_cell = wide.to_dict()
    for num, den in framework.proportion_pairs():
        for area, period, measure in wide.index:
            if measure == num:
                gap = by_cell.get((area, period, den), float("nan")) - by_cell[(area, period, num)]
                if 1 <= gap < threshold:
                    small.add((area, period, num))
    cells = set(map(tuple, hidden[keys].itertuples(index=False)))
    results = read_table(ctx, "results")
    return {
        "hidden measure cells": len(cells),
        "primary": len(cells & small),
        "secondary": len(cells - small),
        'results rows "[c]"': int((results["marker"] == "[c]").sum()),
        'results rows "[x]"': int((results["marker"] == "[x]").sum()),
    }


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="a built outputs/<period>/ folder")
    parser.add_argument("--cache", type=Path, default=None, help="prepare_batch cache folder")
    parser.add_argument("--threshold", type=int, default=5)
    args = parser.parse_args()
    if args.output:
        bench_output(args.output, args.threshold)
    from cjlib.pipeline import prepare_batch, read_table

    start = time.perf_counter()
    ctx = prepare_batch(cache_dir=args.cache)
    prepared = time.perf_counter() - start
    results = read_table(ctx, "results")
    councils = results["geography"] == "council"
    start, cpu = time.perf_counter(), time.process_time()
    findings = audit_tables(results, args.threshold, period=ctx.period)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"(b) audit_tables on {results.loc[councils, 'area_code'].nunique()} councils' results "
        f"({len(results)} rows): {took:.2f} s wall, {cpu:.2f} s CPU "
        f"(prepare_batch {prepared:.1f} s)"
    )
    _report("    prepared tables", findings)
    print("(c) suppressed cells in the batch:")
    for label, n in suppressed_cells(ctx).items():
        print(f"    {n:6d}  {label}")


if __name__ == "__main__":
    main()
