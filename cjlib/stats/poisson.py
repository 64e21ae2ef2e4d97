"""Confidence intervals for counts and crude rates: Byar's method and the exact Poisson interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import chi2, norm

from cjlib.stats._checks import (
    check_confidence,
    check_non_negative,
    check_positive,
    check_scalar,
    prepare_inputs,
    wrap_output,
)

Result = np.ndarray | pd.Series | np.float64

#: Counts below this use the exact interval in :func:`rate_ci`; counts at or above it use Byar's.
EXACT_BELOW = 10


def _byar(count: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's limits for validated counts (NaN passes through)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = count * (1 - 1 / (9 * count) - z / (3 * np.sqrt(count))) ** 3
        above = count + 1
        upper = above * (1 - 1 / (9 * above) + z / (3 * np.sqrt(above))) ** 3
    lower = np.where(count == 0, 0.0, np.maximum(lower, 0.0))
    return lower, upper


def _exact(count: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact chi-square limits for validated counts (NaN passes through)."""
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = chi2.ppf(alpha / 2, 2 * count) / 2
        upper = chi2.ppf(1 - alpha / 2, 2 * (count + 1)) / 2
    lower = np.where(count == 0, 0.0, lower)
    return lower, upper


def _validated_counts(count: object, confidence: object):
    level = check_confidence(confidence)
    prepared = prepare_inputs(count=count)
    (values,) = prepared.arrays
    check_non_negative(values, "count", prepared.index)
    return level, prepared, values


def byar_ci(count: ArrayLike | pd.Series, confidence: float = 0.95) -> tuple[Result, Result]:
    r"""Byar's approximate confidence interval for a Poisson count.

    With ``O`` observed events and ``z`` the standard normal quantile for the two-sided
    ``confidence`` level:

    .. math::

        L = O\left(1 - \frac{1}{9O} - \frac{z}{3\sqrt{O}}\right)^3, \qquad
        U = (O + 1)\left(1 - \frac{1}{9(O + 1)} + \frac{z}{3\sqrt{O + 1}}\right)^3

    The lower limit is 0 when ``O = 0``. For very small counts at high confidence the
    formula can fall below zero; the lower limit is then set to 0. Byar's method is
    accurate from about 10 events; :func:`rate_ci` uses the exact interval below that.

    Parameters
    ----------
    count : array_like or pandas.Series
        Observed numbers of events; zero or more. Non-integer (for example weighted)
        counts are accepted.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    lower, upper : numpy.ndarray, pandas.Series or numpy.float64
        Limits for the expected count, in the form of the input (NaN in, NaN out).

    Raises
    ------
    ValueError
        If a count is negative, not numeric or infinite, or ``confidence`` is not
        strictly between 0 and 1.

    References
    ----------
    Breslow NE, Day NE (1987). Statistical methods in cancer research, volume II: the
    design and analysis of cohort studies. Lyon: International Agency for Research on
    Cancer (IARC Scientific Publications 82). Byar's approximation.
    """
    level, prepared, values = _validated_counts(count, confidence)
    lower, upper = _byar(values, norm.ppf(0.5 + level / 2))
    return wrap_output(lower, prepared, "lower"), wrap_output(upper, prepared, "upper")


def exact_poisson_ci(
    count: ArrayLike | pd.Series, confidence: float = 0.95
) -> tuple[Result, Result]:
    r"""Exact confidence interval for a Poisson count, from the chi-square distribution.

    With ``O`` observed events and ``alpha = 1 - confidence``:

    .. math::

        L = \tfrac{1}{2}\chi^2_{\alpha/2}(2O), \qquad
        U = \tfrac{1}{2}\chi^2_{1-\alpha/2}(2O + 2)

    where :math:`\chi^2_q(k)` is the ``q`` quantile of the chi-square distribution on
    ``k`` degrees of freedom (``scipy.stats.chi2.ppf``). The lower limit is 0 when
    ``O = 0``. This is the "exact" (Garwood) interval: each tail has probability at
    most ``alpha / 2``.

    Parameters, returns and errors are those of :func:`byar_ci`.

    References
    ----------
    Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:
    437-442.

    Ulm K (1990). A simple method to calculate the confidence interval of a
    standardized mortality ratio. American Journal of Epidemiology 131: 373-375.
    """
    level, prepared, values = _validated_counts(count, confidence)
    lower, upper = _exact(values, level)
    return wrap_output(lower, prepared, "lower"), wrap_output(upper, prepared, "upper")


def rate_ci(
    count: ArrayLike | pd.Series,
    population: ArrayLike | pd.Series,
    per: float = 10_000,
    confidence: float = 0.95,
) -> tuple[Result, Result, Result]:
    """Crude rate per ``per`` population with its confidence interval.

    The rate is ``count / population * per``. Its limits are the count's limits on the
    same scale: the exact Poisson interval (:func:`exact_poisson_ci`) when fewer than
    10 events were observed, and Byar's method (:func:`byar_ci`) at 10 events or more.
    This is the rule in the ScotPHO profiles' technical notes and the PHE Fingertips
    technical guidance for crude rates.

    Parameters
    ----------
    count : array_like or pandas.Series
        Observed numbers of events; zero or more.
    population : array_like or pandas.Series
        Population the events arose in (for example people aged 16 and over);
        greater than zero. Broadcasts against ``count``.
    per : float, default 10_000
        Rate multiplier: 10,000 gives a rate per 10,000 population.
    confidence : float, default 0.95
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    rate, lower, upper : numpy.ndarray, pandas.Series or numpy.float64
        The rate and its limits, in the form of the input (NaN in, NaN out).

    Raises
    ------
    ValueError
        If a count is negative, a population is zero or negative, an input is not
        numeric or infinite, ``per`` is not a positive number, or ``confidence`` is not
        strictly between 0 and 1.

    References
    ----------
    Eayres D (2008). Technical briefing 3: commonly used public health statistics and
    their confidence intervals. Association of Public Health Observatories; carried
    forward in the PHE Fingertips technical guidance on confidence intervals.

    ScotPHO online profiles: technical documentation on confidence intervals, which
    follows the same rule.

    Breslow NE, Day NE (1987); Ulm K (1990): see :func:`byar_ci` and
    :func:`exact_poisson_ci`.
    """
    level = check_confidence(confidence)
    multiplier = check_scalar(per, "per", positive=True)
    prepared = prepare_inputs(count=count, population=population)
    events, people = prepared.arrays
    check_non_negative(events, "count", prepared.index)
    check_positive(people, "population", prepared.index)

    exact_lower, exact_upper = _exact(events, level)
    byar_lower, byar_upper = _byar(events, norm.ppf(0.5 + level / 2))
    small = events < EXACT_BELOW
    scale = multiplier / people
    rate = events * scale
    lower = np.where(small, exact_lower, byar_lower) * scale
    upper = np.where(small, exact_upper, byar_upper) * scale
    return (
        wrap_output(rate, prepared, "rate"),
        wrap_output(lower, prepared, "lower"),
        wrap_output(upper, prepared, "upper"),
    )
