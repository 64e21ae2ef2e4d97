"""The ``cjlib audit-disclosure OUTPUT_DIR`` command: attack the published packs from outside."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Read a built output folder (outputs/<period>/) as any outsider could, from its
published CSV downloads and HTML tables only, and try to work out every suppressed
([c]) or missing ([x]) count: differencing against Scotland and family-group totals,
complements and nested counts, rates and shares worked back to counts, rank gaps,
change and trend labels, confidence limits and funnel points. A cell is disclosed
when it can be narrowed to fewer values than the primary band hides (THRESHOLD - 1).
Prints one line per disclosed cell (file, arithmetic, narrowed range) and a count.
Exit status: 0 nothing disclosed, 1 something disclosed, 2 usage error.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``audit-disclosure`` subcommand to the ``cjlib`` command line."""
    parser = subparsers.add_parser(
        "audit-disclosure",
        help="try to recover suppressed counts from a built output folder",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("output_dir", type=Path, metavar="OUTPUT_DIR", help="outputs/<period>/")
    parser.add_argument(
        "--threshold",
        type=int,
        default=5,
        metavar="N",
        help="suppression threshold: counts 1 to N-1 are protected (default: 5)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Audit ``args.output_dir``; print each disclosed cell and a final count.

    Returns
    -------
    int
        0 when nothing is disclosed, 1 when any cell is, 2 for a usage error.
    """
    from cjlib.audit import audit_frame, read_output

    folder: Path = args.output_dir
    if not folder.is_dir():
        print(f"cjlib: error: {folder}: output folder not found", file=sys.stderr)
        return 2
    if args.threshold < 2:
        print(
            f"cjlib: error: --threshold must be 2 or more (found {args.threshold})", file=sys.stderr
        )
        return 2
    frame = read_output(folder)
    if frame.empty:
        print(f"cjlib: error: {folder}: no published CSV or HTML table found", file=sys.stderr)
        return 2
    findings = audit_frame(frame, args.threshold)
    for finding in findings:
        print(finding.line())
    cells = "cell" if len(findings) == 1 else "cells"
    if findings:
        print(f"{len(findings)} {cells} disclosed in {folder}")
        return 1
    print(f"no cell disclosed in {folder}")
    return 0
