"""The batch's hooks into the rest of cjlib, each replaceable (tests pass small fakes).

``prepare``, ``validate`` and ``finish`` run in the parent process; ``execute`` and
``export`` run in the workers, so they must be module-level functions (they are
pickled by name).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cjlib.runner.worker import Execute, Export, execute_with_papermill, export_with_cjlib


def _module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def call_with_accepted(function: Callable, **kwargs: object) -> object:
    """Call ``function`` with those of ``kwargs`` its signature accepts."""
    parameters = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return function(**kwargs)
    return function(**{k: v for k, v in kwargs.items() if k in parameters})


def prepare_with_pipeline(
    period: str, data_dir: Path | None, params_dir: Path, cache_dir: Path
) -> object:
    """Do the batch's heavy work once with :func:`cjlib.pipeline.prepare_batch`."""
    from cjlib.pipeline import prepare_batch

    return prepare_batch(period, data_dir, params_dir, cache_dir)


def finish_with_pipeline(**kwargs: object) -> object:
    """Build the front pages and national index with :func:`cjlib.packs.finish_batch`."""
    from cjlib.packs import finish_batch

    return call_with_accepted(finish_batch, **kwargs)


def validate_with_params(path: Path) -> object:
    """Validate an area's parameter file with :func:`cjlib.params.load_area_params`.

    An area without a file is valid: the pipeline gives it empty parameters
    (:func:`cjlib.params.area_params_or_default`).
    """
    from cjlib.params import load_area_params

    return load_area_params(path) if Path(path).exists() else None


def export_with_nbconvert(executed_path: Path, html_path: Path) -> None:
    """Export with plain nbconvert, code hidden: a stand-in while cjlib.export is absent."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True)
    body, _ = exporter.from_filename(str(executed_path))
    Path(html_path).write_text(body, encoding="utf-8")


@dataclass
class Hooks:
    """The functions a batch calls. None means "skip this step"."""

    prepare: Callable[..., object] | None = None
    validate: Callable[[Path], object] | None = None
    finish: Callable[..., object] | None = None
    execute: Execute = execute_with_papermill
    export: Export = export_with_cjlib


def default_hooks(note: Callable[[str], None] = print) -> Hooks:
    """Return cjlib's own hooks, leaving out (with a note) any module not there yet."""
    hooks = Hooks()
    if _module_available("cjlib.pipeline"):
        hooks.prepare, hooks.finish = prepare_with_pipeline, finish_with_pipeline
    else:
        note("note: cjlib.pipeline is not available: no shared preparation, no index pages")
    if _module_available("cjlib.params"):
        hooks.validate = validate_with_params
    else:
        note("note: cjlib.params is not available: parameter files are not validated")
    if not _module_available("cjlib.export"):
        note("note: cjlib.export is not available: pages are plain nbconvert HTML")
        hooks.export = export_with_nbconvert
    return hooks
