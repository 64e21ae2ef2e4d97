"""Provenance of the bundled data, from its one source: the table in cjlib/data/PROVENANCE.md.

The packs' front pages (:func:`pack_provenance`) and ``docs/data-log.md``
(:func:`data_log_markdown`, written by ``python -m cjlib.provenance``) are both
generated from that table, so a file's publisher and licence are written once.
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

from cjlib.errors import CjlibDataError
from cjlib.paths import DATA_DIR, PROJECT_DIR

PROVENANCE_MD = DATA_DIR / "PROVENANCE.md"
DATA_LOG_MD = PROJECT_DIR / "docs" / "data-log.md"
#: Columns the provenance table must have, in order.
COLUMNS = (
    "file",
    "data set",
    "what it is",
    "publisher",
    "licence",
    "where it comes from",
    "date",
    "period",
    "loader",
    "what cjlib changed",
    "SHA-256",
)
#: The licence column's words for generated (synthetic) files.
SYNTHETIC_LICENCE = "not official statistics"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@cache
def provenance_rows(path: Path = PROVENANCE_MD) -> tuple[dict[str, str], ...]:
    """Return the provenance table's rows, one mapping of column to text per bundled file.

    Raises
    ------
    CjlibDataError
        When the table is missing or its header is not :data:`COLUMNS`.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next((i for i, line in enumerate(lines) if line.startswith("| file |")), None)
    if header is None or tuple(_cells(lines[header])) != COLUMNS:
        raise CjlibDataError(
            f"{path}: expected a table with columns {' | '.join(COLUMNS)}; restore its header"
        )
    rows = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        cells = _cells(line)
        if len(cells) != len(COLUMNS):
            raise CjlibDataError(
                f"{path}: row {line[:40]!r} has {len(cells)} cells; expected {len(COLUMNS)}"
            )
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return tuple(rows)


def _plain(text: str) -> str:
    return text.replace("`", "").replace("**", "")


def pack_provenance(*, synthetic: bool = False) -> list[dict[str, str]]:
    """Return the rows the packs' front pages show: source, publisher, licence, notes.

    Parameters
    ----------
    synthetic : bool
        Include the synthetic demonstration data's row (when a batch uses it).
    """
    out = []
    for row in provenance_rows():
        is_synthetic = _plain(row["licence"]).startswith(SYNTHETIC_LICENCE)
        if is_synthetic and not synthetic:
            continue
        notes = f"Edition: {_plain(row['date'])}. Period: {_plain(row['period'])}."
        if is_synthetic:
            notes += " Not official statistics: do not use for decisions."
        out.append(
            {
                "source": f"{_plain(row['data set'])} ({_plain(row['file'])})",
                "publisher": _plain(row["publisher"]),
                "licence": _plain(row["licence"]),
                "notes": notes,
            }
        )
    return out


def data_log_markdown() -> str:
    """Return ``docs/data-log.md`` as generated from the provenance table."""
    lines = [
        "# Data log",
        "",
        "<!-- Generated from cjlib/data/PROVENANCE.md by `python -m cjlib.provenance`;",
        "edit that table, not this file (tests/test_provenance.py checks they agree). -->",
        "",
        "| data set | file | publisher | licence | period | loader and mapping |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in provenance_rows():
        lines.append(
            "| "
            + " | ".join(
                row[c] for c in ("data set", "file", "publisher", "licence", "period", "loader")
            )
            + " |"
        )
    lines += [
        "",
        "Sources, dates, checksums and how each file is read: `cjlib/data/PROVENANCE.md`.",
        "Recipes for the official sources, the period rules and the population estimate:",
        "`docs/data-sources.md`. Mappings: `cjlib/mappings/`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/data-log.md`` from the provenance table (``--check``: only compare)."""
    parser = argparse.ArgumentParser(prog="python -m cjlib.provenance", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the log is out of date")
    args = parser.parse_args(argv)
    text = data_log_markdown()
    current = DATA_LOG_MD.read_text(encoding="utf-8") if DATA_LOG_MD.exists() else ""
    if args.check:
        if current != text:
            print(f"{DATA_LOG_MD}: out of date; run python -m cjlib.provenance", file=sys.stderr)
            return 1
        return 0
    from cjlib.fileio import write_text_atomic

    write_text_atomic(text, DATA_LOG_MD)
    print(f"wrote {DATA_LOG_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
