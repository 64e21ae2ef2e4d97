"""Write the outcome notebooks (one per national outcome) and every parameters cell.

Notebooks 01 to 09 differ only in the outcome they show, so they are generated:
edit ``notebooks/templates/outcome.py.in`` and run ``make notebooks``.  Each
outcome's notebook keeps its file name (``01_diversion``); an outcome with no
notebook yet gets ``NN_outcome``.  Each notebook's metadata names its outcome
(``cjlib.outcome``), so its page title comes from the framework.  The
parameters cell of every notebook, generated or written by hand, comes from
``parameters.py.in``; a hand-written notebook keeps only its own example area.
``--check`` writes nothing and exits 1 when a committed notebook differs from
what the templates give.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent
TEMPLATE = HERE / "outcome.py.in"
PARAMETERS = HERE / "parameters.py.in"
#: The example area of a generated outcome notebook (Aberdeen City).
OUTCOME_EXAMPLE_AREA = "S12000033"
#: A py:percent parameters cell: its header line and the lines up to the next cell.
PARAMETERS_CELL = re.compile(r'^# %% tags=\["parameters"\]\n(?:(?!# %%).*\n)*', re.MULTILINE)
EXAMPLE_AREA = re.compile(r'^area_code: str = "([^"]*)"', re.MULTILINE)


def national_outcomes() -> list:
    """The framework's national outcomes, in number order."""
    from cjlib.framework import load_framework
    from cjlib.params import load_defaults
    from cjlib.pipeline import framework_path

    framework = load_framework(framework_path(load_defaults()))
    return sorted((o for o in framework.outcomes if not o.local), key=lambda o: o.number)


def notebook_stem(number: int, folder: Path = NOTEBOOKS) -> str:
    """The file name (without suffix) of outcome ``number``'s notebook."""
    existing = sorted(p.stem for p in folder.glob(f"{number:02d}_*.ipynb"))
    return existing[0] if existing else f"{number:02d}_outcome"


def parameters_cell(area_code: str) -> str:
    """The py:percent parameters cell (header line included) with this example area."""
    return Template(PARAMETERS.read_text(encoding="utf-8")).substitute(area_code=area_code)


def render(number: int) -> tuple[str, str]:
    """Return the py:percent text and the ``.ipynb`` JSON of one outcome's notebook."""
    import jupytext
    import nbformat

    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        number=number, parameters=parameters_cell(OUTCOME_EXAMPLE_AREA).rstrip("\n")
    )
    nb = jupytext.reads(text, fmt="py:percent")
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    for i, cell in enumerate(nb.cells):  # stable ids: the same template gives the same file
        cell["id"] = f"outcome-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return text, nbformat.writes(nb) + "\n"


def with_parameters(py_path: Path) -> tuple[str, str]:
    """Return a hand-written notebook's py:percent text and ``.ipynb`` JSON, parameters renewed.

    Only the parameters cell changes; the notebook keeps its own example area.
    """
    import nbformat

    text = py_path.read_text(encoding="utf-8")
    cell = PARAMETERS_CELL.search(text)
    example = EXAMPLE_AREA.search(cell.group(0)) if cell else None
    if example is None:
        raise SystemExit(f"{py_path.name}: no parameters cell with an area_code line")
    fresh = parameters_cell(example.group(1))
    gap = cell.group(0)[len(cell.group(0).rstrip("\n")) :]  # the blank lines before the next cell
    text = text[: cell.start()] + fresh.rstrip("\n") + gap + text[cell.end() :]
    ipynb = py_path.with_suffix(".ipynb")
    nb = nbformat.read(ipynb, as_version=4)
    for c in nb.cells:
        if "parameters" in c.metadata.get("tags", []):
            c.source = fresh.split("\n", 1)[1].rstrip("\n")
    return text, nbformat.writes(nb) + "\n"


def expected_files(folder: Path = NOTEBOOKS) -> dict[Path, str]:
    """Every generated file (and every hand-written one's parameters) and the text it holds."""
    files: dict[Path, str] = {}
    for outcome in national_outcomes():
        stem = notebook_stem(outcome.number, folder)
        text, notebook = render(outcome.number)
        files[folder / f"{stem}.py"] = text
        files[folder / f"{stem}.ipynb"] = notebook
    for py_path in sorted(folder.glob("*.py")):
        if py_path not in files and py_path.with_suffix(".ipynb").exists():
            text, notebook = with_parameters(py_path)
            files[py_path], files[py_path.with_suffix(".ipynb")] = text, notebook
    return files


def main(argv: list[str] | None = None, folder: Path = NOTEBOOKS) -> int:
    """Write (or with ``--check`` compare) the outcome notebooks in ``folder``; return exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    args = parser.parse_args(argv)
    from cjlib.fileio import write_text_atomic

    stale = []
    for path, text in expected_files(folder).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.name)
        if not args.check:
            write_text_atomic(text, path)
    if args.check and stale:
        print(f"{', '.join(stale)}: differ from the template; run make notebooks", file=sys.stderr)
        return 1
    print(f"{len(stale)} file(s) {'differ' if args.check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
