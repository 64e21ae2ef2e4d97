"""Committed notebooks: no outputs, paired with their py:percent twins, a documented parameters cell."""

from __future__ import annotations

import jupytext
import nbformat
import pytest

from cjlib.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = {"area_code", "period", "data_dir", "params_dir", "cache_dir", "output_dir"}


def test_the_twelve_notebooks_exist():
    # 00 needs, 01-09 the outcomes, 10 the plan summary, 11 improvement
    stems = [p.stem[:2] for p in NOTEBOOKS]
    assert stems == [f"{i:02d}" for i in range(12)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_py_twin_in_sync(path):
    twin = path.with_suffix(".py")
    assert twin.exists(), f"{twin.name} missing: run make notebooks-sync"
    from_py = jupytext.read(twin)
    from_nb = jupytext.read(path)
    assert [c.source for c in from_py.cells] == [c.source for c in from_nb.cells], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_typed_and_commented(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    names = set()
    for line in cells[0].source.splitlines():
        name, _, rest = line.partition(":")
        assert " = " in rest and "  # " in rest, (
            f"{path.name}: {line!r} needs a type hint and a comment"
        )
        names.add(name.strip())
    assert names == EXPECTED
