"""cjlib: evidence for Scotland's community justice outcomes improvement plans."""

__version__ = "0.1.0"

__all__ = ["__version__"]
