"""cjlib's own errors show one line in a notebook; the full traceback is there on request."""

from __future__ import annotations

import pytest
from kernel_support import run_cells

from cjlib import errors

pytestmark = pytest.mark.slow

MISTYPED = 'from cjlib.report.context import load_context\nctx = load_context("Glasgo")'


def _error(cell) -> dict:
    found = [o for o in cell.outputs if o.output_type == "error"]
    assert len(found) == 1, cell.outputs
    return found[0]


def test_one_line_then_full_traceback_on_request(monkeypatch):
    monkeypatch.delenv(errors.DEBUG_ENV, raising=False)
    nb = run_cells([MISTYPED, "import cjlib\ncjlib.debug()", "%tb"], allow_errors=True)
    error = _error(nb.cells[0])
    assert error.ename == "CjlibAreaError"
    assert len(error.traceback) == 1 and "\n" not in error.traceback[0]
    line = error.traceback[0]
    assert line.startswith("CjlibAreaError: unknown council area 'Glasgo'")
    assert "did you mean 'Glasgow', 'Glasgow City'?" in line
    assert errors.TRACEBACK_HINT in line
    # after cjlib.debug(), %tb shows the last error with its full traceback
    full = _error(nb.cells[2])
    text = "\n".join(full.traceback)
    assert len(full.traceback) > 3 and "get_area" in text and "load_context" in text


def test_environment_variable_shows_full_tracebacks(monkeypatch):
    monkeypatch.setenv(errors.DEBUG_ENV, "1")
    nb = run_cells([MISTYPED], allow_errors=True)
    assert len(_error(nb.cells[0]).traceback) > 3


def test_one_line_outside_notebooks_too():
    """The hook is IPython's; plain Python shows the exception as usual."""
    error = errors.CjlibAreaError("unknown council area 'x':\n  expected a code")
    assert error.one_line() == [
        f"CjlibAreaError: unknown council area 'x': expected a code {errors.TRACEBACK_HINT}"
    ]
    assert str(error) == "unknown council area 'x':\n  expected a code"
