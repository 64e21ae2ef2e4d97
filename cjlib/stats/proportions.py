"""Confidence intervals for proportions: the Wilson score interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import norm

from cjlib.stats._checks import (
    check_confidence,
    check_non_negative,
    check_not_greater,
    check_positive,
    prepare_inputs,
    wrap_output,
)

Result = np.ndarray | pd.Series | np.float64


def wilson_ci(
    numerator: ArrayLike | pd.Series,
    denominator: ArrayLike | pd.Series,
    confidence: float = 0.95,
) -> tuple[Result, Result]:
    r"""Wilson score confidence interval for a proportion.

    With ``x`` events out of ``n``, ``p = x / n`` and ``z`` the standard normal
    quantile for the two-sided ``confidence`` level, the limits are

    .. math::

        \frac{2x + z^2 \mp z\sqrt{z^2 + 4x(1 - p)}}{2(n + z^2)}

    This is the method used by ScotPHO and the PHE Fingertips technical guidance for
    proportions. It stays within [0, 1] and behaves well for small ``n`` and for ``p``
    near 0 or 1. The lower limit is exactly 0 when ``x = 0`` and the upper limit is
    exactly 1 when ``x = n``.

    Parameters
    ----------
    numerator : array_like or pandas.Series
        Number of people with the outcome (for example orders completed); zero or more.
    denominator : array_like or pandas.Series
        Number of people in the group (for example orders commenced); greater than zero
        and at least the numerator. Broadcasts against ``numerator``.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    lower, upper : numpy.ndarray, pandas.Series or numpy.float64
        The limits as proportions (0 to 1). Series in give Series out with the same
        index; scalars in give scalars out. A missing (NaN) numerator or denominator
        gives NaN limits in that position.

    Raises
    ------
    ValueError
        If a numerator is negative, a denominator is zero or negative, a numerator
        exceeds its denominator, an input is not numeric or infinite, or
        ``confidence`` is not strictly between 0 and 1.

    References
    ----------
    Wilson EB (1927). Probable inference, the law of succession, and statistical
    inference. Journal of the American Statistical Association 22: 209-212.

    Newcombe RG, Altman DG (2000). Proportions and their differences. In Altman DG et al.
    (eds), Statistics with confidence, 2nd edition. BMJ Books: 46-48.

    Examples
    --------
    >>> lower, upper = wilson_ci(73, 100)
    >>> round(float(lower), 4), round(float(upper), 4)
    (0.6357, 0.8073)
    """
    level = check_confidence(confidence)
    prepared = prepare_inputs(numerator=numerator, denominator=denominator)
    x, n = prepared.arrays
    check_non_negative(x, "numerator", prepared.index)
    check_positive(n, "denominator", prepared.index)
    check_not_greater(x, n, prepared.index)

    z = norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
        lower = (2 * x + z**2 - spread) / (2 * (n + z**2))
        upper = (2 * x + z**2 + spread) / (2 * (n + z**2))
    lower = np.clip(np.where(x == 0, 0.0, lower), 0.0, 1.0)
    upper = np.clip(np.where(x == n, 1.0, upper), 0.0, 1.0)
    return wrap_output(lower, prepared, "lower"), wrap_output(upper, prepared, "upper")
