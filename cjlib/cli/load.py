"""The ``cjlib load MAPPING WORKBOOK OUT.csv`` command: a workbook, through a mapping, to CSV."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cjlib.errors import CjlibDataError
from cjlib.fileio import write_csv_atomic
from cjlib.loaders.mapping import bundled_mappings, find_mapping, load_mapped

DESCRIPTION = """\
Load a published workbook (or statistics.gov.scot CSV) through a mapping (a YAML
file, or the id of a bundled mapping in cjlib/mappings/) and write the tidy
measures table (area_code, period, measure_id, value, marker, source) as a CSV
file, written atomically. A cell or
area the mapping cannot read stops the load with one line naming the file, sheet,
row, value, what was expected and what to do.
Exit status: 0 when written, 1 when the workbook or mapping cannot be read.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``load`` subcommand to the ``cjlib`` command line."""
    parser = subparsers.add_parser(
        "load",
        help="load a workbook through a mapping into a tidy CSV",
        description=DESCRIPTION,
        epilog="Bundled mappings: " + ", ".join(bundled_mappings()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mapping", metavar="MAPPING", help="mapping .yaml file or bundled id")
    parser.add_argument(
        "workbook",
        type=Path,
        metavar="WORKBOOK",
        help="the .xlsx workbook (a CSV for a statsgov_csv mapping)",
    )
    parser.add_argument("output", type=Path, metavar="OUT.csv", help="tidy CSV to write")
    return parser


def run(args: argparse.Namespace) -> int:
    """Load ``args.workbook`` through ``args.mapping`` and write ``args.output``.

    Returns
    -------
    int
        0 when the file was written, 1 when the workbook or mapping cannot be read.
    """
    started = time.perf_counter()
    try:
        spec = find_mapping(args.mapping)
        tidy = load_mapped(spec, args.workbook, strict=True)
    except CjlibDataError as exc:
        print(f"cjlib load: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    write_csv_atomic(tidy, args.output)
    seconds = time.perf_counter() - started
    print(
        f"{args.output}: {len(tidy):,} rows, {tidy['measure_id'].nunique()} measures, "
        f"{tidy['area_code'].nunique()} areas, {tidy['period'].nunique()} periods "
        f"from {args.workbook.name}{f' sheet {spec.sheet!r}' if spec.sheet else ''} "
        f"({seconds:.1f} s)"
    )
    return 0
