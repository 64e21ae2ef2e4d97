"""``make lab``: JupyterLab on copies in an ignored folder, with --allow-root as root."""

from __future__ import annotations

import subprocess
import sys

from cjlib import lab
from cjlib.paths import PROJECT_DIR


def test_copies_are_made_once_and_never_overwritten(tmp_path):
    source = tmp_path / "notebooks"
    source.mkdir()
    (source / "01_a.ipynb").write_text("committed")
    (source / "02_b.ipynb").write_text("committed")
    (source / "02_b.py").write_text("twin, not copied")
    target = tmp_path / "lab"
    assert [p.name for p in lab.copy_notebooks(target, source)] == ["01_a.ipynb", "02_b.ipynb"]
    (target / "01_a.ipynb").write_text("the analyst's work")
    assert lab.copy_notebooks(target, source) == []
    assert (target / "01_a.ipynb").read_text() == "the analyst's work"
    assert sorted(p.name for p in target.iterdir()) == ["01_a.ipynb", "02_b.ipynb"]


def test_allow_root_only_as_root(monkeypatch, tmp_path):
    monkeypatch.setattr(lab.os, "geteuid", lambda: 0)
    command = lab.lab_command(tmp_path, ["--no-browser"])
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command and "--allow-root" in command
    assert command[-1] == "--no-browser"
    monkeypatch.setattr(lab.os, "geteuid", lambda: 1000)
    assert "--allow-root" not in lab.lab_command(tmp_path)


def test_the_lab_folder_is_ignored_by_git():
    assert lab.LAB_DIR == PROJECT_DIR / "lab"
    assert "/lab/" in (PROJECT_DIR / ".gitignore").read_text().splitlines()
    if not (PROJECT_DIR / ".git").exists():  # a source tree without git: the line above suffices
        return
    paths = ["lab/01_diversion.ipynb", "lab/01_diversion.py", "lab/.ipynb_checkpoints/x.ipynb"]
    done = subprocess.run(
        ["git", "check-ignore", *paths], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert done.stdout.split() == paths, done.stderr
