"""cjlib: evidence for Scotland's community justice outcomes improvement plans."""

from cjlib.errors import debug

__version__ = "0.1.0"

__all__ = ["__version__", "debug"]
