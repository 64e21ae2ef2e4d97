"""Stage a run's outputs and put them in place with renames, so no page is ever partial.

A run writes everything (executed notebook, HTML page, ``data/*.csv``) into a hidden
staging directory beside the area's pack. Only when the run succeeded are the files
moved into the pack, each with ``os.replace``, the HTML page last. A failed run
removes the page it replaces and the files that went with it, so the pack never
shows a stale page as if it were fresh; its executed notebook is kept as the record
of what went wrong.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".cjlib-tmp-"


def staging_dir(period_dir: Path, area_code: str, notebook: str) -> Path:
    """Return the staging directory of one run."""
    return Path(period_dir) / area_code / f"{STAGING_PREFIX}{notebook}"


def fresh_staging_dir(period_dir: Path, area_code: str, notebook: str) -> Path:
    """Return an empty staging directory for a run, removing any left by an earlier attempt."""
    path = staging_dir(period_dir, area_code, notebook)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done (POSIX; elsewhere a no-op)."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def staged_files(staging: Path) -> list[str]:
    """Return the files in a staging directory as sorted POSIX paths relative to it."""
    return sorted(
        path.relative_to(staging).as_posix()
        for path in staging.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def promote(staging: Path, area_dir: Path, previous: Iterable[str] = ()) -> list[str]:
    """Move every staged file into the pack and remove outputs the run no longer makes.

    Parameters
    ----------
    staging : Path
        The run's staging directory.
    area_dir : Path
        The area's pack directory, ``outputs/<period>/<area code>``.
    previous : iterable of str
        The outputs the previous run of this notebook recorded, relative to the
        *period* directory; those not written again are removed.

    Returns
    -------
    list of str
        The run's outputs, relative to the period directory.
    """
    files = staged_files(staging)
    files.sort(key=lambda rel: rel.endswith(".html"))  # the page last
    outputs = []
    for rel in files:
        target = area_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
        outputs.append(f"{area_dir.name}/{rel}")
    remove_outputs(area_dir.parent, set(previous) - set(outputs))
    shutil.rmtree(staging, ignore_errors=True)
    return sorted(outputs)


def remove_outputs(period_dir: Path, outputs: Iterable[str]) -> None:
    """Remove recorded outputs (paths relative to the period directory), if present."""
    root = Path(period_dir).resolve()
    for rel in outputs:
        target = (root / rel).resolve()
        if target.is_relative_to(root) and target != root:
            target.unlink(missing_ok=True)


def discard_run(
    period_dir: Path,
    area_code: str,
    notebook: str,
    previous: Iterable[str] = (),
    keep_executed: bool = True,
) -> str | None:
    """Clear a failed run: remove its old page and files, keep the executed notebook.

    Returns
    -------
    str or None
        The executed notebook kept, relative to the period directory, if there was one.
    """
    area_dir = Path(period_dir) / area_code
    staging = staging_dir(period_dir, area_code, notebook)
    page = f"{area_code}/{notebook}.html"
    executed_name = f"{notebook}.ipynb"
    remove_outputs(period_dir, {*previous, page, f"{area_code}/{executed_name}"})
    kept = None
    if keep_executed and (staging / executed_name).is_file():
        os.replace(staging / executed_name, area_dir / executed_name)
        kept = f"{area_code}/{executed_name}"
    shutil.rmtree(staging, ignore_errors=True)
    return kept


def remove_leftovers(period_dir: Path) -> int:
    """Remove staging directories and temporary files left by an earlier, killed batch.

    Returns
    -------
    int
        How many were removed.
    """
    period_dir = Path(period_dir)
    if not period_dir.is_dir():
        return 0
    removed = 0
    for path in list(period_dir.glob(f"*/{STAGING_PREFIX}*")):
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    for path in list(period_dir.glob(".*.tmp")) + list(period_dir.glob("*/.*.tmp")):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
