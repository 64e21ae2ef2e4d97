"""Attack (a): a published total minus its shown members leaves the hidden ones."""

from __future__ import annotations

from collections import defaultdict

from cjlib.areas import SCOTLAND_CODE, council_areas, family_membership
from cjlib.audit.finding import area_label as area_name
from cjlib.audit.model import Key, Linear, Model

ATTACK = "differencing"


def _family_of(model: Model) -> dict[str, str]:
    """Council -> family group, under the grouping whose totals are published."""
    codes = {k[0] for k in (*model.known, *model.hidden) if k[0].startswith("LGBF-")}
    grouping = "urban_rural" if any(c.startswith("LGBF-U") for c in codes) else "deprivation"
    return {k: v for k, v in family_membership(grouping).items() if isinstance(v, str)}


def _additive(model: Model, measure: str, councils: list[str], periods: list[str]) -> bool:
    """False when a fully shown year's councils do not add up to Scotland's total."""
    for period in periods:
        total = model.known.get((SCOTLAND_CODE, period, measure))
        parts = [model.known.get((c, period, measure)) for c in councils]
        if total is not None and all(p is not None for p in parts):
            if abs(sum(parts) - total) > 0.5:
                return False
    return True


def _sentence(model: Model, total: Key, members: list[Key], label: str) -> str:
    shown = [k for k in members if not model.is_var(k)]
    hidden = [k for k in members if model.is_var(k)]
    names = ", ".join(area_name(k[0]) for k in hidden[:6]) + (" ..." if len(hidden) > 6 else "")
    shown_sum = sum(model.known[k] for k in shown)
    head = f"{label} {total[2]} total for {total[1]}"
    if model.is_var(total):
        return f"{head} is hidden, but its {len(shown)} shown members add to {shown_sum:,.0f}"
    rest = model.known[total] - shown_sum
    return (
        f"{head} is {model.known[total]:,.0f}; its {len(shown)} shown members add to "
        f"{shown_sum:,.0f}, so the {len(hidden)} others ({names}) add to {rest:,.0f}"
    )


def constraints(model: Model) -> list[Linear]:
    """Equations ``total = sum of members`` for Scotland and each family group.

    Family totals are cjlib's sums of the members that returned a figure, so a member
    marked "[x]" is left out of its family's equation; Scotland's total is the
    publisher's and counts every council. Scotland also equals its family totals plus
    the "[x]" councils. Only equations with a hidden cell are kept, and Scotland's only
    for measures whose fully shown years add up.
    """
    family_of = _family_of(model)
    councils = list(council_areas()["area_code"])
    cells = {k for k in (*model.known, *model.hidden)}
    by_measure: dict[str, set[str]] = defaultdict(set)
    for _, period, measure in cells:
        by_measure[measure].add(period)
    out: list[Linear] = []
    for measure, periods in by_measure.items():
        additive = _additive(model, measure, councils, sorted(periods))
        for period in periods:
            out += _equations(model, measure, period, councils, family_of, additive)
    return out


def _equations(model, measure, period, councils, family_of, additive) -> list[Linear]:
    cells = lambda codes: [(c, period, measure) for c in codes]  # noqa: E731
    not_returned = {c for c in councils if model.hidden.get((c, period, measure), ("", ""))[1] == "[x]"}
    families = sorted(set(family_of.values()))
    eqs: list[tuple[Key, list[Key], str]] = []
    for fam in families:
        members = [c for c in councils if family_of.get(c) == fam and c not in not_returned]
        eqs.append(((fam, period, measure), cells(members), f"{area_name(fam).capitalize()}'s"))
    scotland = (SCOTLAND_CODE, period, measure)
    if additive:
        eqs.append((scotland, cells(councils), "Scotland's"))
        fam_parts = [(f, period, measure) for f in families] + cells(sorted(not_returned))
        eqs.append((scotland, fam_parts, "Scotland's (family totals as members)"))
    out = []
    for total, members, label in eqs:
        if total not in model.known and total not in model.hidden:
            continue
        if not any(k in model.hidden for k in (total, *members)):
            continue
        terms = ((total, 1), *((k, -1) for k in members))
        out.append(Linear(terms, 0.0, _sentence(model, total, members, label), ATTACK))
    return out
