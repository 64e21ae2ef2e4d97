"""Direction of the trend over the years available up to each period, vectorised."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from cjlib.periods import is_financial_year

#: Fewest years with a value needed before a trend is described.
MIN_YEARS = 3


def add_trend(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Add the trend up to each row's period for each area and indicator.

    The trend is the ordinary least squares slope of the value on the year,
    over every year with a value up to and including the row's period, tested
    against zero with a two-sided t-test (n - 2 degrees of freedom). Adds
    ``trend_years``, ``trend_slope`` (units per year), ``trend_p`` and ``trend``:
    "rising", "falling", "no clear trend" or "too few years".

    Cumulative sums over the sorted years give every period's fit at once.
    """
    out = results.copy()
    financial = out["period"].map(is_financial_year)
    year = out["period"].str[:4].astype(int).astype(float) - 2000.0  # centred for precision
    ok = out["value"].notna() & financial
    order = out.assign(_year=year).sort_values(["area_code", "indicator_id", "_year"]).index
    y = out["value"].where(ok, 0.0)
    x = year.where(ok, 0.0)
    n = ok.astype(float)
    sums = pd.DataFrame({"n": n, "x": x, "y": y, "xx": x * x, "xy": x * y, "yy": y * y})
    sums = sums.loc[order]
    groups = [out.loc[order, "area_code"], out.loc[order, "indicator_id"]]
    cum = sums.groupby(groups).cumsum().reindex(out.index)
    count = cum["n"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        sxx = cum["xx"] - cum["x"] ** 2 / count
        sxy = cum["xy"] - cum["x"] * cum["y"] / count
        syy = cum["yy"] - cum["y"] ** 2 / count
        slope = (sxy / sxx).to_numpy()
        resid = np.maximum((syy - slope * sxy).to_numpy(), 0.0)
        se = np.sqrt(resid / (count - 2) / sxx.to_numpy())
        tstat = np.where(se > 0, slope / se, np.where(slope != 0, np.inf * np.sign(slope), 0.0))
    p = 2 * student_t.sf(np.abs(tstat), np.maximum(count - 2, 1))
    enough = (count >= MIN_YEARS) & financial.to_numpy()
    label = np.where(p < alpha, np.where(slope > 0, "rising", "falling"), "no clear trend")
    out["trend_years"] = count.astype(int)
    out["trend_slope"] = np.where(enough, slope, np.nan)
    out["trend_p"] = np.where(enough, p, np.nan)
    out["trend"] = np.where(enough, label, "too few years")
    return out
