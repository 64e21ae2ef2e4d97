"""The batch's hooks into the rest of cjlib, each replaceable (tests pass small fakes).

``prepare``, ``validate`` and ``finish`` run in the parent process; ``execute`` and
``export`` run in the workers, so they must be module-level functions (they are
pickled by name).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cjlib.runner.warm import execute_on_warm_kernel
from cjlib.runner.worker import Execute, Export, execute_with_papermill, export_with_cjlib


def prepare_with_pipeline(
    period: str, data_dir: Path | None, params_dir: Path, cache_dir: Path
) -> object:
    """Do the batch's heavy work once with :func:`cjlib.pipeline.prepare_batch`."""
    from cjlib.pipeline import prepare_batch

    return prepare_batch(period, data_dir, params_dir, cache_dir)


def finish_with_pipeline(
    period: str,
    output_dir: Path,
    manifest: dict,
    prepared: object,
    data_dir: Path | None,
    params_dir: Path,
    cache_dir: Path,
) -> object:
    """Build the front pages and national index with :func:`cjlib.packs.finish_batch`."""
    from cjlib.packs import finish_batch

    return finish_batch(period, output_dir, manifest, prepared, params_dir, data_dir, cache_dir)


def validate_with_params(path: Path) -> object:
    """Validate an area's parameter file with :func:`cjlib.params.load_area_params`.

    An area without a file is valid: the pipeline gives it empty parameters
    (:func:`cjlib.params.area_params_or_default`).
    """
    from cjlib.params import load_area_params

    return load_area_params(path) if Path(path).exists() else None


@dataclass
class Hooks:
    """The functions a batch calls. None means "skip this step"."""

    prepare: Callable[..., object] | None = None
    validate: Callable[[Path], object] | None = None
    finish: Callable[..., object] | None = None
    execute: Execute = execute_on_warm_kernel
    export: Export = export_with_cjlib


def default_hooks(fresh_kernels: bool = False) -> Hooks:
    """Return cjlib's own hooks: warm kernels, or a fresh kernel for every run."""
    return Hooks(
        prepare=prepare_with_pipeline,
        validate=validate_with_params,
        finish=finish_with_pipeline,
        execute=execute_with_papermill if fresh_kernels else execute_on_warm_kernel,
    )
