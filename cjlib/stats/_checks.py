"""Input checks shared by the statistical methods, with messages an analyst can act on.

Every public method in :mod:`cjlib.stats` takes scalars, sequences, numpy arrays or
pandas Series. :func:`prepare_inputs` turns them into float arrays of one shape and
remembers the Series index, so :func:`wrap_output` can hand results back in the same
form. The ``check_*`` helpers raise :class:`ValueError` naming the argument, the value
found and its position (and its index label when the input was a Series).

Missing values (NaN, None, ``pd.NA``) pass every check: they are missing data, such as
cells published as ``[c]`` or ``[x]``, and give NaN results.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Prepared:
    """Inputs converted to float arrays of one broadcast shape."""

    arrays: tuple[np.ndarray, ...]
    index: pd.Index | None
    scalar: bool


def check_confidence(confidence: object) -> float:
    """Return ``confidence`` as a float strictly between 0 and 1, or raise ValueError."""
    if isinstance(confidence, bool) or not isinstance(confidence, Real):
        raise ValueError(
            f"confidence must be a number strictly between 0 and 1, such as 0.95 "
            f"(found {confidence!r})"
        )
    value = float(confidence)
    if not 0.0 < value < 1.0:
        hint = f"; for {value:g}% pass {value / 100:g}" if 1.0 < value < 100.0 else ""
        raise ValueError(
            f"confidence must be strictly between 0 and 1, such as 0.95 (found {value:g}){hint}"
        )
    return value


def check_scalar(value: object, name: str, *, positive: bool = False) -> float:
    """Return a finite real scalar (greater than zero when ``positive``), or raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a single finite number (found {value!r})")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than zero (found {value:g})")
    return float(value)


def _to_float_array(values: object, name: str) -> np.ndarray:
    """Convert one input to a float array; reject text and infinite values."""
    try:
        if isinstance(values, pd.Series):
            array = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric ({error})") from None
    infinite = np.isinf(array)
    if infinite.any():
        found = _fmt(_first(array, infinite))
        raise ValueError(f"{name} must be finite (found {found}{_where(infinite, None)})")
    return array


def prepare_inputs(**inputs: object) -> Prepared:
    """Convert named inputs to float arrays of one shape, keeping any Series index.

    Parameters
    ----------
    **inputs : object
        Scalars, sequences, numpy arrays or pandas Series, by argument name.

    Returns
    -------
    Prepared
        The arrays (in the order given), the shared Series index (or None) and
        whether every input was a scalar.

    Raises
    ------
    ValueError
        If an input is not numeric, is infinite, if Series inputs have different
        indexes, or if the inputs cannot be lined up (different lengths).
    """
    index = None
    for name, values in inputs.items():
        if isinstance(values, pd.Series):
            if index is None:
                index = values.index
            elif not values.index.equals(index):
                raise ValueError(
                    f"{name} has a different index from the other inputs; "
                    "align the Series first (for example with .reindex)"
                )
    arrays = [_to_float_array(values, name) for name, values in inputs.items()]
    try:
        arrays = [np.array(a) for a in np.broadcast_arrays(*arrays)]
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(inputs, arrays, strict=True))
        raise ValueError(
            f"inputs must have the same length or be single values ({shapes})"
        ) from None
    return Prepared(tuple(arrays), index, all(a.ndim == 0 for a in arrays))


def wrap_output(values: np.ndarray, prepared: Prepared, name: str) -> np.ndarray | pd.Series:
    """Return ``values`` as a Series (Series input), a float64 scalar (scalars) or an array."""
    if prepared.index is not None:
        return pd.Series(values, index=prepared.index, name=name)
    if prepared.scalar:
        return np.float64(values[()])
    return values


def _fmt(value: float) -> str:
    """Format a number without a needless trailing ``.0``."""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _where(bad: np.ndarray, index: pd.Index | None) -> str:
    """Describe where the first offending value is, and how many there are."""
    if bad.ndim == 0:
        return ""
    flat = int(np.flatnonzero(bad.ravel())[0])
    position = flat if bad.ndim == 1 else tuple(int(i) for i in np.unravel_index(flat, bad.shape))
    text = f" at position {position}"
    if index is not None and bad.ndim == 1:
        text += f" (index {index[flat]!r})"
    count = int(bad.sum())
    if count > 1:
        text += f"; {count} values affected"
    return text


def _first(values: np.ndarray, bad: np.ndarray) -> float:
    return float(values.ravel()[np.flatnonzero(bad.ravel())[0]]) if bad.ndim else float(values)


def check_non_negative(values: np.ndarray, name: str, index: pd.Index | None = None) -> None:
    """Raise ValueError if any value is below zero (NaN passes)."""
    bad = values < 0
    if bad.any():
        found = _first(values, bad)
        raise ValueError(f"{name} must be zero or more (found {_fmt(found)}{_where(bad, index)})")


def check_positive(values: np.ndarray, name: str, index: pd.Index | None = None) -> None:
    """Raise ValueError if any value is zero or below (NaN passes)."""
    bad = values <= 0
    if bad.any():
        found = _first(values, bad)
        raise ValueError(
            f"{name} must be greater than zero (found {_fmt(found)}{_where(bad, index)})"
        )


def check_not_greater(
    numerator: np.ndarray,
    denominator: np.ndarray,
    index: pd.Index | None = None,
    names: Sequence[str] = ("numerator", "denominator"),
) -> None:
    """Raise ValueError if any numerator exceeds its denominator (NaN passes)."""
    bad = numerator > denominator
    if bad.any():
        top, bottom = _first(numerator, bad), _first(denominator, bad)
        raise ValueError(
            f"{names[0]} must be less than or equal to {names[1]} "
            f"(found {_fmt(top)} > {_fmt(bottom)}{_where(bad, index)})"
        )


def check_not_missing(values: np.ndarray, name: str, index: pd.Index | None = None) -> None:
    """Raise ValueError if any value is missing (NaN) where a value is required."""
    bad = np.isnan(values)
    if bad.any():
        raise ValueError(f"{name} must not be missing (found NaN{_where(bad, index)})")


def check_whole(values: np.ndarray, name: str, index: pd.Index | None = None) -> None:
    """Raise ValueError if any value is not a whole number (NaN passes)."""
    bad = ~np.isnan(values) & (values != np.round(values))
    if bad.any():
        found = _first(values, bad)
        raise ValueError(f"{name} must be whole numbers (found {_fmt(found)}{_where(bad, index)})")
