"""The ``cjlib validate FILE...`` command: check data files and list every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cjlib.errors import CjlibFrameworkError
from cjlib.framework import load_framework
from cjlib.validate import check_file

DESCRIPTION = """\
Check tidy measures files (CSV or parquet: area_code, period, measure_id, value,
marker, source), statistics.gov.scot tidy CSV downloads, or workbooks (.xlsx)
loaded through their mappings (the bundled mappings in cjlib/mappings/ that name
the workbook or one of its sheets, or --mapping). Every problem is listed as
FILE:ROW:COLUMN: message, with rows numbered as a spreadsheet shows them; a
workbook's problem names its sheet, row and value.
Exit status: 0 when every file is clean, 1 when any problem was found.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``validate`` subcommand to the ``cjlib`` command line."""
    parser = subparsers.add_parser(
        "validate",
        help="check data files and list every problem",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="data files to check")
    parser.add_argument(
        "--framework",
        type=Path,
        default=None,
        metavar="YAML",
        help="framework file that defines the measures (default: the bundled CJPF 2023)",
    )
    parser.add_argument(
        "--mapping",
        action="append",
        default=None,
        metavar="YAML",
        help="mapping file or bundled mapping id to load workbooks through (repeatable)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Check every file in ``args.files``; print each problem, or a summary when clean.

    Returns
    -------
    int
        0 when every file is clean, 1 when any problem was found, 2 when the
        framework file cannot be used.
    """
    try:
        framework = load_framework(args.framework)
    except CjlibFrameworkError as exc:
        first = str(exc).splitlines()[0]
        print(f"cjlib validate: error: {first}", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        report = check_file(path, framework, getattr(args, "mapping", None))
        for problem in report.problems:
            print(problem)
        if report.ok or report.rows:
            print(report.summary())
        if not report.ok:
            status = 1
    return status
