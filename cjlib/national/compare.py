"""Which indicators can be compared across areas, and how a comparison is shown."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from cjlib.areas import SCOTLAND_CODE, SCOTLAND_NAME, area_name, council_areas

#: Indicator types whose values can be compared between areas of different sizes.
COMPARABLE_TYPES = ("rate", "proportion")
#: Polarities that say which direction is better.
DIRECTED = ("higher_is_better", "lower_is_better")


class Significance(NamedTuple):
    """How a comparison with Scotland is shown: CSS slug, symbol and short words."""

    slug: str
    symbol: str
    short: str
    long: str


#: The comparisons with Scotland, shown by symbol and words as well as colour.
SIGNIFICANCE: dict[str, Significance] = {
    "better": Significance("better", "\u25b2", "better", "significantly better than Scotland"),
    "worse": Significance("worse", "\u25bc", "worse", "significantly worse than Scotland"),
    "not significantly different": Significance(
        "similar", "\u25cf", "similar", "not significantly different from Scotland"
    ),
    "higher": Significance("higher", "\u25c6", "higher", "significantly higher than Scotland"),
    "lower": Significance("lower", "\u25c6", "lower", "significantly lower than Scotland"),
    "not compared": Significance("none", "\u2013", "not compared", "not compared with Scotland"),
}


def significance(value: object) -> Significance:
    """Return how to show a ``compare_scotland`` value; an unknown one is shown as written."""
    key = " ".join(str(value).strip().lower().split()) if isinstance(value, str) else ""
    if key in SIGNIFICANCE:
        return SIGNIFICANCE[key]
    if not key or key == "nan":
        return SIGNIFICANCE["not compared"]
    return Significance("none", "\u2013", key, key)


@lru_cache(maxsize=1)
def _council_names() -> dict[str, str]:
    areas = council_areas()
    return {**dict(zip(areas["area_code"], areas["area_name"], strict=True)),
            SCOTLAND_CODE: SCOTLAND_NAME}  # fmt: skip


def name_of(code: str) -> str:
    """Return an area's name quickly (a dictionary look-up for councils and Scotland)."""
    return _council_names().get(code) or area_name(code)


def is_comparable(indicator_type: str, polarity: str) -> bool:
    """True for a rate or share with a direction: the indicators ranked and charted."""
    return indicator_type in COMPARABLE_TYPES and polarity in DIRECTED


def published(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a published value: not suppressed and not missing."""
    keep = rows["value"].notna()
    if "suppressed" in rows:
        keep &= ~rows["suppressed"].fillna(False).astype(bool)
    return rows[keep]


def blank_suppressed(rows: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every derived figure of a suppressed row blanked (belt and braces).

    The published results table already blanks them; this makes sure no figure
    derived from a suppressed count can reach a national page or download.  The
    denominator is left as disclosure control published it (a population
    denominator is public; a count denominator it has already blanked).
    """
    out = rows.copy()
    if "suppressed" not in out:
        return out
    hide = out["suppressed"].fillna(False).astype(bool)
    if not hide.any():
        return out
    for column in ("compare_scotland", "compare_family"):
        if column in out:
            out[column] = out[column].astype(object)
            out.loc[hide, column] = "not compared"
    figures = [
        "numerator", "value", "lower_ci", "upper_ci", "baseline_value", "change_effect",
        "change_p", "change_label", "change_judgement", "trend_slope", "trend_p", "trend",
        "rank", "rank_of",
    ]  # fmt: skip
    for column in figures:
        if column in out:
            if pd.api.types.is_numeric_dtype(out[column]):
                out.loc[hide, column] = float("nan")
            else:
                out[column] = out[column].astype(object)
                out.loc[hide, column] = None
    out.loc[hide & (out["marker"].fillna("") == ""), "marker"] = "[c]"
    return out
