"""Hash the inputs of each run, so an unchanged run can be skipped."""

from __future__ import annotations

import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from cjlib import hashing

#: Distributions whose versions can change what a notebook produces.
ENVIRONMENT_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "seaborn",
    "pyarrow",
    "nbconvert",
    "nbformat",
    "papermill",
    "ipykernel",
    "jinja2",
)
_SKIP_DIRS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".ruff_cache"})
_SKIP_SUFFIXES = (".pyc", ".pyo")
MISSING = "missing"


def hash_file(path: Path) -> str:
    """Return the SHA-256 of a file's bytes (shortened), or ``"missing"``."""
    return hashing.hash_file(path) or MISSING


def tree_files(root: Path) -> list[Path]:
    """Return the files under ``root``, sorted, leaving out hidden files and caches."""
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).parts
        if any(part in _SKIP_DIRS or part.startswith(".") for part in relative):
            continue
        if path.suffix in _SKIP_SUFFIXES or not path.is_file():
            continue
        files.append(path)
    return sorted(files)


def hash_tree(root: Path) -> str:
    """Return one digest over the relative names and contents of every file in a tree."""
    if not root.is_dir():
        return MISSING
    parts = []
    for path in tree_files(root):
        parts += [path.relative_to(root).as_posix(), hash_file(path)]
    return hashing.hash_parts(parts)


def hash_environment(packages: Iterable[str] = ENVIRONMENT_PACKAGES) -> str:
    """Return a digest of the Python version and the versions of the given packages."""
    parts = [f"python={platform.python_version()}"]
    for name in packages:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=absent")
    return hashing.hash_parts(parts)


class InputHasher:
    """Compute each run's input hashes, sharing the work common to every run.

    Parameters
    ----------
    data_dir : Path
        The data directory the batch reads (bundled ``cjlib/data`` or ``--data``).
    params_dir : Path
        Holds ``defaults.yaml`` and ``areas/<code>.yaml``.
    package_dir : Path
        The cjlib package source, so that a code change reruns everything.
    """

    def __init__(self, data_dir: Path, params_dir: Path, package_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.params_dir = Path(params_dir)
        self.package_dir = Path(package_dir)
        self._shared: dict[str, str] | None = None
        self._notebooks: dict[Path, str] = {}
        self._areas: dict[str, str] = {}

    def shared_hashes(self) -> dict[str, str]:
        """Return the hashes every run shares: defaults, data, package and environment."""
        if self._shared is None:
            self._shared = {
                "defaults": hash_file(self.params_dir / "defaults.yaml"),
                "data": hash_tree(self.data_dir),
                "cjlib": hash_tree(self.package_dir),
                "environment": hash_environment(),
            }
        return dict(self._shared)

    def area_params_path(self, area_code: str) -> Path:
        """Return the path of an area's parameter file."""
        return self.params_dir / "areas" / f"{area_code}.yaml"

    def run_hashes(self, notebook_path: Path, area_code: str) -> dict[str, str]:
        """Return the input hashes of one run, keyed by input name."""
        if notebook_path not in self._notebooks:
            self._notebooks[notebook_path] = hash_file(notebook_path)
        if area_code not in self._areas:
            self._areas[area_code] = hash_file(self.area_params_path(area_code))
        return {
            "notebook": self._notebooks[notebook_path],
            "area_parameters": self._areas[area_code],
            **self.shared_hashes(),
        }
