"""Exceptions raised by cjlib, each named for the package."""

from __future__ import annotations


class CjlibError(Exception):
    """Base class of every error cjlib raises on purpose."""


class CjlibAreaError(CjlibError, LookupError):
    """An area code or name that is not one of the 32 council areas or Scotland."""


class CjlibDataError(CjlibError, ValueError):
    """A data file that cannot be read or does not have the expected shape."""


class CjlibFrameworkError(CjlibError, ValueError):
    """A framework file that does not follow the schema."""


class CjlibParameterError(CjlibError, ValueError):
    """A parameter file or value that does not follow the schema."""
