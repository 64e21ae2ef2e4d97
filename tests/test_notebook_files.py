"""Committed notebooks: no outputs, paired with py:percent twins, a documented parameters cell.

The outcome notebooks are generated from one template (``make notebooks``): one
per national outcome of the framework, each identical to what the template gives.
"""

from __future__ import annotations

import importlib.util

import jupytext
import nbformat
import pytest

from cjlib.framework import load_framework
from cjlib.packs.area import _notebook_title
from cjlib.params import load_defaults
from cjlib.paths import NOTEBOOKS_DIR
from cjlib.pipeline import framework_path

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED = {"area_code", "period", "data_dir", "params_dir", "cache_dir", "output_dir"}
FRAMEWORK = load_framework(framework_path(load_defaults()))
OUTCOMES = sorted(o.number for o in FRAMEWORK.outcomes if not o.local)


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_notebooks", NOTEBOOKS_DIR / "templates" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _meta(path) -> dict:
    return nbformat.read(path, as_version=4).metadata.get("cjlib", {})


def test_one_notebook_per_national_outcome():
    """The outcome notebooks are the framework's national outcomes, numbered as the file names."""
    outcome_notebooks = {int(_meta(p)["outcome"]): p for p in NOTEBOOKS if "outcome" in _meta(p)}
    assert sorted(outcome_notebooks) == OUTCOMES
    for number, path in outcome_notebooks.items():
        assert path.name.startswith(f"{number:02d}_"), path.name
    others = [p for p in NOTEBOOKS if "outcome" not in _meta(p)]
    assert [p.stem[:2] for p in others][:1] == ["00"]  # the needs assessment comes first
    assert {p.stem[:2] for p in others}.isdisjoint({f"{n:02d}" for n in OUTCOMES})


def test_outcome_notebooks_are_what_the_template_gives():
    """A committed outcome notebook (or its .py twin) edited by hand fails: edit the template."""
    expected = _generator().expected_files()
    assert len(expected) == 2 * len(NOTEBOOKS)  # every notebook: 01-09 whole, others' parameters
    differ = [p.name for p, text in expected.items() if p.read_text(encoding="utf-8") != text]
    assert differ == [], f"{differ} differ from notebooks/templates/outcome.py.in: make notebooks"


def test_the_check_catches_a_hand_edit(tmp_path, capsys):
    generator = _generator()
    for path in NOTEBOOKS_DIR.glob("0[1-9]_*"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert generator.main(["--check"], folder=tmp_path) == 0
    edited = next(tmp_path.glob("03_*.py"))
    edited.write_text(edited.read_text().replace("## Local evidence", "## Local data"))
    assert generator.main(["--check"], folder=tmp_path) == 1
    assert edited.name in capsys.readouterr().err
    assert generator.main([], folder=tmp_path) == 0  # make notebooks puts it back
    assert generator.main(["--check"], folder=tmp_path) == 0
    assert "## Local evidence" in edited.read_text()


def test_a_hand_written_notebook_gets_the_one_parameters_cell(tmp_path, capsys):
    """Notebooks 00, 10 and 11 keep their own example area; the rest of the cell is shared."""
    generator = _generator()
    for path in NOTEBOOKS_DIR.glob("11_*"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    py_path = next(tmp_path.glob("11_*.py"))
    py_path.write_text(py_path.read_text().replace("empty: the bundled data", "bundled"))
    nb_path = py_path.with_suffix(".ipynb")
    assert generator.main(["--check"], folder=tmp_path) == 1
    assert py_path.name in capsys.readouterr().err
    assert generator.main([], folder=tmp_path) == 0
    assert generator.main(["--check"], folder=tmp_path) == 0
    for path in (py_path, nb_path):
        text = path.read_text()
        assert "empty: the bundled data" in text and "S12000049" in text  # Glasgow kept
    cell = [c for c in nbformat.read(nb_path, as_version=4).cells if c.metadata.get("tags")]
    assert cell[0].source.splitlines()[0] == (
        'area_code: str = "S12000049"  # GSS code (or name) of the council area'
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_title_from_the_framework_or_metadata(path):
    title = _notebook_title(path.stem, FRAMEWORK)
    meta = _meta(path)
    if "outcome" in meta:
        outcome = FRAMEWORK.outcome(int(meta["outcome"]))
        assert title == f"Outcome {outcome.number}: {outcome.title}"
    else:
        assert title == meta["title"] and len(title) > 10


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
