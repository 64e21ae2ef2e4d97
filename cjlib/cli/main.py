"""Entry point of the ``cjlib`` command: parse, dispatch, turn errors into one clear line."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from cjlib import __version__
from cjlib.cli import info
from cjlib.errors import CjlibAreaError, CjlibError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand registered."""
    from cjlib.cli import audit as audit_cmd
    from cjlib.cli import load as load_cmd
    from cjlib.cli import run as run_cmd
    from cjlib.cli import validate as validate_cmd

    parser = argparse.ArgumentParser(
        prog="cjlib",
        description="Evidence packs for community justice outcomes improvement plans.",
        epilog="Exit status: 0 all good, 1 some runs or checks failed, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"cjlib {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands = (
        ("run", run_cmd),
        ("validate", validate_cmd),
        ("load", load_cmd),
        ("audit-disclosure", audit_cmd),
    )
    for name, module in commands:
        module.add_parser(sub)
        sub.choices[name].set_defaults(handler=module.run)
    info.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return int(args.handler(args) or 0)
    except CjlibAreaError as exc:
        if debug:
            traceback.print_exc()
        print(f"cjlib: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CjlibError as exc:
        if debug:
            traceback.print_exc()
        print(f"cjlib: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # e.g. `cjlib indicators | head`
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("cjlib: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place that turns surprises into a line
        if debug:
            traceback.print_exc()
        print(
            f"cjlib: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug)",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
