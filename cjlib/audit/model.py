"""The outsider's view as algebra: known counts, hidden counts and the facts that link them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cjlib.audit.domain import IntSet
from cjlib.framework import Framework

#: A count cell: (area code, period, measure).
Key = tuple[str, str, str]


@dataclass(frozen=True)
class Unary:
    """One cell is in a set, for a stated reason."""

    key: Key
    allowed: IntSet
    reason: str
    attack: str


@dataclass(frozen=True)
class Linear:
    """``sum(coef * cell) == constant`` over cells (coefficients +1 or -1)."""

    terms: tuple[tuple[Key, int], ...]
    constant: float
    reason: str
    attack: str


@dataclass(frozen=True)
class AtMost:
    """``small <= big``: a share's numerator counts some of its denominator's people."""

    small: Key
    big: Key
    reason: str
    attack: str


@dataclass
class Model:
    """Every count cell an outsider meets in the published files.

    ``known`` holds the counts shown somewhere; ``hidden`` the cells published as
    withheld ("[c]") or not returned ("[x]"), with the file and marker; ``measures``
    maps each indicator to its numerator and (for proportions) denominator measure;
    ``not_returned`` the (area, period, indicator) rows left out of family pools (marked
    "[x]", or missing a count without "[c]"); ``partial`` the family totals marked "[u]"
    (some members left out, which ones unknown).
    """

    frame: pd.DataFrame
    framework: Framework
    threshold: int
    known: dict[Key, float] = field(default_factory=dict)
    hidden: dict[Key, tuple[str, str]] = field(default_factory=dict)
    measures: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    shown_in: dict[Key, str] = field(default_factory=dict)
    not_returned: set[tuple[str, str, str]] = field(default_factory=set)
    partial: set[Key] = field(default_factory=set)
    memo: dict[str, object] = field(default_factory=dict)  # tables shared by attacks

    def cell(self, area: str, period: str, measure: str, indicator: str) -> Key:
        """Return the key of a count cell.

        A family group's total is summed over the members that returned the
        indicator's figures, so it is kept per indicator.
        """
        if area.startswith("LGBF-"):
            return (area, period, f"{measure}|{indicator}")
        return (area, period, measure)

    def is_var(self, key: Key) -> bool:
        """True when the outsider does not simply read the cell's value."""
        return key in self.hidden or key not in self.known


def measures_of(framework: Framework, indicator_ids) -> dict[str, tuple[str, str | None]]:
    """Numerator and counted-denominator measure of each indicator (own id when unknown)."""
    spec = {i.id: i for i in framework.indicators}
    out = {}
    for ind in indicator_ids:
        if ind.startswith("measure:"):
            out[ind] = (ind.split(":", 1)[1], None)
        elif ind in spec:
            i = spec[ind]
            out[ind] = (i.numerator, i.denominator if i.type == "proportion" else None)
        else:
            out[ind] = (f"{ind} numerator", None)
    return out


def build_model(frame: pd.DataFrame, framework: Framework, threshold: int) -> Model:
    """Collect the known and hidden count cells of a tidy published frame.

    A count shown anywhere is known. The count of a count or rate row marked "[c]"
    or "[x]" is hidden (and reported even if another file shows it). A share's
    numerator and denominator, blanked with their row, are hidden only when no file
    shows them (the row may be hidden for the other one).
    """
    model = Model(frame, framework, threshold)
    model.measures = measures_of(framework, frame["indicator_id"].unique())
    maybe_hidden: dict[Key, tuple[str, str]] = {}
    cols = ["area_code", "period", "indicator_id", "indicator_type", "numerator", "denominator"]
    for row in frame[[*cols, "hidden", "marker", "file"]].itertuples(index=False):
        num_m, den_m = model.measures[row.indicator_id]
        num_key = model.cell(row.area_code, row.period, num_m, row.indicator_id)
        marker = row.marker if row.marker in ("[c]", "[x]") else "[c]"
        incomplete = pd.isna(row.numerator) or (den_m is not None and pd.isna(row.denominator))
        if row.marker == "[x]" or (incomplete and not row.hidden):
            model.not_returned.add((row.area_code, row.period, row.indicator_id))
        if row.marker == "[u]" and row.area_code.startswith("LGBF-"):
            model.partial.add(num_key)
            if den_m is not None:
                model.partial.add(model.cell(row.area_code, row.period, den_m, row.indicator_id))
        if pd.notna(row.numerator):
            model.known.setdefault(num_key, float(row.numerator))
            model.shown_in.setdefault(num_key, row.file)
        if row.hidden:
            # a count or rate row is hidden for its count alone; a share may be hidden
            # for its denominator, so its numerator counts as hidden only if never shown
            target = maybe_hidden if row.indicator_type == "proportion" else model.hidden
            target.setdefault(num_key, (row.file, marker))
        if den_m is None:
            continue
        den_key = model.cell(row.area_code, row.period, den_m, row.indicator_id)
        if pd.notna(row.denominator):
            model.known.setdefault(den_key, float(row.denominator))
            model.shown_in.setdefault(den_key, row.file)
        elif row.hidden:
            maybe_hidden.setdefault(den_key, (row.file, marker))
    for key, where in maybe_hidden.items():
        if key not in model.known:
            model.hidden.setdefault(key, where)
    return model
