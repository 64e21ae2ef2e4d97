"""Inside a warm kernel: preload the notebooks' imports, remember the clean state, return to it.

This module runs in the kernel, not in the runner. :func:`preload` imports what the
notebooks import and records the kernel's state just after; :func:`reset` puts that
state back before each run, so a run sees what it would see in a fresh kernel:

- the user namespace, output history and execution count (IPython's ``reset``, as
  ``%reset -f`` does, with a new history session so cells count from 1 again);
- open pyplot figures (closed) and matplotlib's ``rcParams``;
- the environment variables, ``sys.path``, warning filters, numpy's error and print
  settings and pandas' options;
- IPython's display formatters and event callbacks (display hooks a run registered);
- every ``functools`` cache in cjlib's modules (cleared, so no run shares objects);
- the working directory (the run's own, as a fresh kernel would start in).

After the preload the garbage collector is told to leave the objects that exist
then alone (``gc.freeze``), so the collections a reset makes are quick.

Modules a run imported stay imported; that is the point of a warm kernel. One
import cannot be undone: ``matplotlib.pyplot`` switches on IPython's inline backend
(a post-execute hook and figure formatters) once per process, so a kernel in which
a run imported it is not reused (:func:`reset` raises :class:`CjlibKernelNotReusable`
and the runner starts a new kernel). cjlib's notebooks draw without pyplot.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import warnings

#: What the notebooks import (their first cell, and cjlib.report.charts when they draw).
PRELOAD = (
    "pyarrow.parquet",
    "cjlib.report.context",
    "cjlib.report.explore",
    "cjlib.report.method",
    "cjlib.report.needs",
    "cjlib.report.outcome",
    "cjlib.report.summary",
    "cjlib.report.charts",
    "matplotlib.figure",
    "matplotlib.backends.backend_svg",
)

#: Modules whose import changes the kernel in ways :func:`reset` cannot put back.
IRREVERSIBLE_IMPORTS = ("matplotlib.pyplot",)

_baseline: dict | None = None


class CjlibKernelNotReusable(RuntimeError):  # noqa: N818 - a verdict, read by the runner
    """The kernel holds state a reset cannot undo; the runner replaces it."""


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import ``modules`` (any that fail are left to the run to report), then :func:`snapshot`."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - the run that needs it reports the error
            continue
    snapshot()


def _shell() -> object:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("cjlib.runner.kernel_state runs inside an IPython kernel")
    return shell


def _pandas_options() -> dict | None:
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return None
    from pandas._config.config import _registered_options

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: pandas.get_option(key) for key in _registered_options}


def snapshot() -> None:
    """Record the kernel's state, to which :func:`reset` returns."""
    global _baseline
    shell = _shell()
    numpy = sys.modules.get("numpy")
    matplotlib = sys.modules.get("matplotlib")
    _baseline = {
        "modules": {name for name in IRREVERSIBLE_IMPORTS if name in sys.modules},
        "environ": dict(os.environ),
        "sys_path": list(sys.path),
        "warnings": list(warnings.filters),
        "rc": dict(matplotlib.rcParams) if matplotlib is not None else None,
        "numpy": (numpy.geterr(), numpy.get_printoptions()) if numpy is not None else None,
        "pandas": _pandas_options(),
        "formatters": {
            mime: (
                dict(formatter.singleton_printers),
                dict(formatter.type_printers),
                dict(formatter.deferred_printers),
            )
            for mime, formatter in shell.display_formatter.formatters.items()
        },
        "events": {name: list(hooks) for name, hooks in shell.events.callbacks.items()},
    }
    gc.collect()
    gc.freeze()  # the preloaded modules are never garbage: later collections skip them


def _restore_environ(saved: dict) -> None:
    for key in [key for key in os.environ if key not in saved]:
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _restore_display(shell: object, saved: dict) -> None:
    for mime, formatter in shell.display_formatter.formatters.items():
        singleton, types, deferred = saved.get(mime, ({}, {}, {}))
        for target, source in (
            (formatter.singleton_printers, singleton),
            (formatter.type_printers, types),
            (formatter.deferred_printers, deferred),
        ):
            target.clear()
            target.update(source)


def _restore_events(shell: object, saved: dict) -> None:
    for name, hooks in shell.events.callbacks.items():
        hooks[:] = saved.get(name, [])


def _restore_libraries(baseline: dict) -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None:
        if baseline["rc"] is not None:
            dict.update(matplotlib.rcParams, baseline["rc"])  # as matplotlib.rc_context does
        else:
            matplotlib.rcdefaults()
    numpy = sys.modules.get("numpy")
    if numpy is not None and baseline["numpy"] is not None:
        numpy.seterr(**baseline["numpy"][0])
        numpy.set_printoptions(**baseline["numpy"][1])
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if baseline["pandas"] is None:
                pandas.reset_option("all")
            else:
                for key, value in baseline["pandas"].items():
                    if pandas.get_option(key) != value:
                        pandas.set_option(key, value)


def clear_cjlib_caches() -> int:
    """Clear every ``functools`` cache in cjlib's loaded modules; return how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "cjlib" or name.startswith("cjlib.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
                cleared += 1
    return cleared


def reset(cwd: str) -> None:
    """Return the kernel to the state recorded by :func:`snapshot`, working in ``cwd``.

    Parameters
    ----------
    cwd : str
        The next run's working directory (where a fresh kernel would start).
    """
    if _baseline is None:
        raise RuntimeError("kernel_state.reset called before preload or snapshot")
    imported = [
        n for n in IRREVERSIBLE_IMPORTS if n in sys.modules and n not in _baseline["modules"]
    ]
    if imported:
        raise CjlibKernelNotReusable(f"a run imported {', '.join(imported)}")
    os.chdir(cwd)  # first: the last run's directory has gone (IPython's reset asks for it)
    shell = _shell()
    shell.reset(new_session=True)  # %reset -f, and execution counts start at 1 again
    _restore_libraries(_baseline)
    _restore_environ(_baseline["environ"])
    sys.path[:] = _baseline["sys_path"]
    warnings.filters[:] = _baseline["warnings"]
    warnings._filters_mutated()
    _restore_display(shell, _baseline["formatters"])
    _restore_events(shell, _baseline["events"])
    clear_cjlib_caches()
    gc.collect()
