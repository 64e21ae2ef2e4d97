"""The ``cjlib run`` subcommand: build the evidence packs for the selected areas and notebooks."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from cjlib.errors import CjlibError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_TIMEOUT = 600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``cjlib run`` options to a parser."""
    add = parser.add_argument
    add(
        "--area",
        action="append",
        metavar="AREA",
        help="council area code or name (repeatable; default: all 32)",
    )
    add(
        "--notebook",
        action="append",
        metavar="NAME",
        help='notebook number, stem or file, e.g. "03" (repeatable; default: all)',
    )
    add(
        "--period",
        help="reporting period, e.g. 2023-24 (default: reporting_period in defaults.yaml)",
    )
    add("--data", type=Path, metavar="DIR", help="data directory (default: the bundled data)")
    add("--params", type=Path, metavar="DIR", help="parameters directory (default: parameters/)")
    add("--output", type=Path, metavar="DIR", help="output directory (default: outputs/)")
    add("--jobs", type=int, metavar="N", help="notebooks run at once (default: number of CPUs)")
    add("--force", action="store_true", help="rerun every run, even those up to date")
    add(
        "--fresh-kernels",
        action="store_true",
        help="start a fresh kernel for every run instead of reusing one per worker (for audits)",
    )
    add(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="time limit of each run (default: %(default)s)",
    )
    add(
        "--notebook-dir",
        type=Path,
        metavar="DIR",
        help="directory of notebook templates (default: notebooks/)",
    )
    add("--cache", type=Path, metavar="DIR", help="cache directory (default: OUTPUT/.cache)")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``cjlib run`` on the ``cjlib`` command's subparsers."""
    parser = subparsers.add_parser(
        "run",
        help="build the evidence packs (all areas and notebooks by default)",
        description=(
            "Run every notebook for every council area and write outputs/<period>/: "
            "each area's pack (executed notebooks, HTML pages, data/*.csv, index.html), "
            "the national index and manifest.json. Runs whose inputs have not changed "
            "since they last succeeded are skipped."
        ),
        epilog="Exit status: 0 all good, 1 some runs failed, 2 usage error.",
    )
    add_arguments(parser)
    return parser


def default_period(params_dir: Path) -> str:
    """Return ``reporting_period`` from ``defaults.yaml`` (the one place it is set)."""
    from cjlib.params import load_defaults

    return load_defaults(params_dir).reporting_period


def available_cpus() -> int:
    """Return the CPUs this process may use (its affinity on Linux), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _usage_error(message: str) -> int:
    print(f"cjlib run: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def resolve_options(args: argparse.Namespace) -> object:
    """Turn the parsed arguments into :class:`~cjlib.runner.batch.BatchOptions`.

    Raises
    ------
    CjlibSelectionError
        For anything the user asked for that does not exist.
    """
    from cjlib.paths import NOTEBOOKS_DIR, OUTPUTS_DIR, PARAMETERS_DIR
    from cjlib.periods import is_financial_year, normalise_period
    from cjlib.runner.batch import BatchOptions
    from cjlib.runner.plan import (
        CjlibSelectionError,
        discover_notebooks,
        select_areas,
        select_notebooks,
    )

    for name in ("data", "params", "notebook_dir"):
        value = getattr(args, name)
        if value is not None and not value.is_dir():
            option = "--" + name.replace("_", "-")
            raise CjlibSelectionError(f"{option} {value}: no such directory")
    if args.jobs is not None and args.jobs < 1:
        raise CjlibSelectionError(f"--jobs must be at least 1, not {args.jobs}")
    if args.timeout <= 0:
        raise CjlibSelectionError(f"--timeout must be positive, not {args.timeout:g}")
    params_dir = (args.params or PARAMETERS_DIR).resolve()
    period_text = args.period or default_period(params_dir)
    period = normalise_period(period_text)
    if not is_financial_year(period):
        raise CjlibSelectionError(
            f"period {period_text!r}: expected a financial year such as 2023-24"
        )
    notebook_dir = args.notebook_dir or NOTEBOOKS_DIR
    notebooks = select_notebooks(discover_notebooks(notebook_dir), args.notebook)
    output_dir = (args.output or OUTPUTS_DIR).resolve()
    return BatchOptions(
        period=period,
        areas=select_areas(args.area),
        notebooks=[path.resolve() for path in notebooks],
        output_dir=output_dir,
        params_dir=params_dir,
        cache_dir=(args.cache or output_dir / ".cache").resolve(),
        data_dir=args.data.resolve() if args.data else None,
        jobs=args.jobs or available_cpus(),
        force=args.force,
        timeout=args.timeout,
        fresh_kernels=args.fresh_kernels,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``cjlib run``; return 0 when all went well, 1 when any run failed, 2 on a usage error."""
    from cjlib.runner.batch import run_batch
    from cjlib.runner.plan import CjlibSelectionError
    from cjlib.runner.summary import format_summary

    debug = getattr(args, "debug", False)
    try:
        options = resolve_options(args)
    except CjlibSelectionError as error:
        if debug:
            traceback.print_exc()
        return _usage_error(str(error))
    try:
        outcome = run_batch(options)
    except CjlibError as error:
        if debug:
            traceback.print_exc()
        print(f"cjlib run: error: {str(error).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    print(format_summary(outcome), flush=True)
    if debug:
        for result in outcome.failed:
            if result.detail:
                print(result.detail, file=sys.stderr)
    return outcome.exit_status


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``cjlib run`` on its own (``python -m cjlib.cli.run``), for scripts and benchmarks."""
    parser = argparse.ArgumentParser(prog="cjlib run")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
