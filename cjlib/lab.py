"""Open JupyterLab on copies of the notebooks, so the committed ones are never touched.

``make lab`` runs ``python -m cjlib.lab``: it copies each notebook in
``notebooks/`` that is not already there into ``lab/`` (ignored by git; a copy
you have edited is kept, delete it to start afresh) and starts JupyterLab in that
folder, with ``--allow-root`` when run as root (as in many containers).
Autosave, outputs, widget state and the jupytext ``.py`` twins all land in
``lab/``; ``git status`` stays clean.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from cjlib.paths import NOTEBOOKS_DIR, PROJECT_DIR

#: The ignored folder JupyterLab works in.
LAB_DIR = PROJECT_DIR / "lab"


def copy_notebooks(destination: Path = LAB_DIR, source: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Copy every ``.ipynb`` of ``source`` missing from ``destination``; return the copies made.

    Copies that exist already are left alone: they may hold an analyst's work.
    """
    destination.mkdir(parents=True, exist_ok=True)
    made = []
    for notebook in sorted(source.glob("*.ipynb")):
        target = destination / notebook.name
        if not target.exists():
            shutil.copyfile(notebook, target)
            made.append(target)
    return made


def lab_command(folder: Path, extra: Sequence[str] = ()) -> list[str]:
    """The ``jupyter lab`` command for ``folder`` (``--allow-root`` when running as root)."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command + list(extra)


def main(argv: Sequence[str] | None = None) -> None:
    """Copy the notebooks to ``lab/`` and replace this process with JupyterLab there."""
    extra = list(sys.argv[1:] if argv is None else argv)
    made = copy_notebooks()
    print(f"JupyterLab works on copies in {LAB_DIR} ({len(made)} new); notebooks/ is not touched.")
    command = lab_command(LAB_DIR, extra)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
