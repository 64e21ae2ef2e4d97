"""Exceptions raised by cjlib, each named for the package, shown as one line in notebooks.

In a notebook (IPython) a cjlib error shows one line, ``CjlibAreaError: unknown
council area ...``, not a traceback: the message already says what to fix.  For
the full traceback call :func:`debug` (or set ``CJLIB_DEBUG=1`` before starting
the kernel), then ``%tb`` shows it for the last error.
"""

from __future__ import annotations

import os

#: Set to "1" to show full tracebacks of cjlib errors in notebooks.
DEBUG_ENV = "CJLIB_DEBUG"
#: Said after the one-line message, so the full traceback can be found.
TRACEBACK_HINT = "[full traceback: cjlib.debug() then %tb]"
_state = {"debug": False}


def debug(on: bool = True) -> None:
    """Show (or, with ``on=False``, hide again) full tracebacks of cjlib errors in notebooks.

    Parameters
    ----------
    on : bool
        True: IPython shows cjlib errors with their full traceback (``%tb`` shows
        the last one); False: one line, the default.
    """
    _state["debug"] = bool(on)


def full_tracebacks() -> bool:
    """True when cjlib errors show their full traceback (:func:`debug` or ``CJLIB_DEBUG=1``)."""
    return _state["debug"] or os.environ.get(DEBUG_ENV) == "1"


class CjlibError(Exception):
    """Base class of every error cjlib raises on purpose."""

    @property
    def _render_traceback_(self):
        """IPython's hook: one line, unless full tracebacks were asked for.

        IPython looks the hook up with ``hasattr``: raising AttributeError here
        makes it print the ordinary traceback.
        """
        if full_tracebacks():
            raise AttributeError("_render_traceback_")
        return self.one_line

    def one_line(self) -> list[str]:
        """The error as IPython shows it: its class, message and how to see more."""
        message = " ".join(str(self).split())
        return [f"{type(self).__name__}: {message} {TRACEBACK_HINT}"]


class CjlibAreaError(CjlibError, LookupError):
    """An area code or name that is not one of the 32 council areas or Scotland."""


class CjlibDataError(CjlibError, ValueError):
    """A data file that cannot be read or does not have the expected shape."""


class CjlibFrameworkError(CjlibError, ValueError):
    """A framework file that does not follow the schema."""


class CjlibParameterError(CjlibError, ValueError):
    """A parameter file or value that does not follow the schema."""
