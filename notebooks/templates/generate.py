"""Write the outcome notebooks (one per national outcome) from ``outcome.py.in``.

Notebooks 01 to 09 differ only in the outcome they show, so they are generated:
edit ``notebooks/templates/outcome.py.in`` and run ``make notebooks``.  Each
outcome's notebook keeps its file name (``01_diversion``); an outcome with no
notebook yet gets ``NN_outcome``.  Each notebook's metadata names its outcome
(``cjlib.outcome``), so its page title comes from the framework.  ``--check``
writes nothing and exits 1 when a committed notebook differs from what the
template gives.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE.parent
TEMPLATE = HERE / "outcome.py.in"


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


def render(number: int) -> tuple[str, str]:
    """Return the py:percent text and the ``.ipynb`` JSON of one outcome's notebook."""
    import jupytext
    import nbformat

    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(number=number)
    nb = jupytext.reads(text, fmt="py:percent")
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    for i, cell in enumerate(nb.cells):  # stable ids: the same template gives the same file
        cell["id"] = f"outcome-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return text, nbformat.writes(nb) + "\n"


def expected_files(folder: Path = NOTEBOOKS) -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    files: dict[Path, str] = {}
    for outcome in national_outcomes():
        stem = notebook_stem(outcome.number, folder)
        text, notebook = render(outcome.number)
        files[folder / f"{stem}.py"] = text
        files[folder / f"{stem}.ipynb"] = notebook
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
