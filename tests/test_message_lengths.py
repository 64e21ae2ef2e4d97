"""Every error and hint line the command line prints on bad input stays short (issue 26).

One line each, under 200 characters: long lists are summarised ("42 sheets: A, B, C,
… Z") and ``--debug`` gives the rest. Checked for ``cjlib validate``, ``cjlib load``,
``cjlib run`` and ``cjlib audit-disclosure`` on the bundled bad-input fixtures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 200


def _cjlib(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cjlib.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "folder"),
    [
        (("validate", *sorted(p.name for p in (FIXTURES / "validate").iterdir())), "validate"),
        (("validate", "gss_tables.xlsx"), "loaders"),
        (("load", "no_such_mapping.yaml", "gss_tables.xlsx", "out.csv"), "loaders"),
        (("run", "--area", "Glasgo"), "loaders"),
        (("run", "--notebook", "77"), "loaders"),
        (("audit-disclosure", "no_such_folder"), "loaders"),
    ],
    ids=["validate-csv", "validate-xlsx", "load", "run-area", "run-notebook", "audit"],
)
def test_every_message_line_is_short(args, folder):
    done = _cjlib(*args, cwd=FIXTURES / folder)
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert lines
    long = [line for line in lines if len(line) >= LIMIT]
    assert not long, long[:3]
    assert "Traceback" not in done.stderr


def test_a_long_sheet_list_is_summarised():
    from cjlib.formatting import summarise

    sheets = ["Introduction", "Notes", *[f"Table_{n}" for n in range(1, 40)], "Table_of_Contents"]
    assert summarise(sheets, "sheets") == (
        "42 sheets: Introduction, Notes, Table_1, … Table_of_Contents"
    )
