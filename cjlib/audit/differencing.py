"""Attack (a): a published total minus its shown members leaves the hidden ones."""

from __future__ import annotations

from collections import defaultdict

from cjlib.areas import SCOTLAND_CODE, council_areas, family_membership
from cjlib.audit.finding import area_label
from cjlib.audit.model import Key, Linear, Model
from cjlib.formatting import possessive

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
    names = ", ".join(area_label(k[0]) for k in hidden[:6]) + (" ..." if len(hidden) > 6 else "")
    shown_sum = sum(model.known[k] for k in shown)
    head = f"{label} {total[2].split('|')[0]} total for {total[1]}"
    if model.is_var(total):
        return f"{head} is hidden, but its {len(shown)} shown members add to {shown_sum:,.0f}"
    rest = model.known[total] - shown_sum
    return (
        f"{head} is {model.known[total]:,.0f}; its {len(shown)} shown members add to "
        f"{shown_sum:,.0f}, so the {len(hidden)} others ({names}) add to {rest:,.0f}"
    )


def constraints(model: Model) -> list[Linear]:
    """Equations ``total = sum of members`` for Scotland and each family group.

    A family total is cjlib's sum over the members that returned the indicator's
    figures, so a member whose row is marked "[x]" (or lacks a count without "[c]") is
    left out of it, and the family total is kept per indicator; a family total marked
    "[u]" (members left out, not named) is not used. Scotland's total is the
    publisher's and counts every council; Scotland also equals an indicator's family
    totals plus its "[x]" councils.
    Only equations with a hidden cell are kept, and Scotland's only for measures whose
    fully shown years add up.
    """
    family_of = _family_of(model)
    councils = list(council_areas()["area_code"])
    cells = {*model.known, *model.hidden}
    periods: dict[str, set[str]] = defaultdict(set)
    family_totals: dict[tuple[str, str], set[str]] = defaultdict(set)  # (period, measure|ind)
    for area, period, measure in cells:
        if area.startswith("LGBF-"):
            family_totals[(period, measure)].add(area)
        else:
            periods[measure.split("|")[0]].add(period)
    out: list[Linear] = []
    additive = {m: _additive(model, m, councils, sorted(y)) for m, y in periods.items()}
    for measure, years in periods.items():
        for period in years:
            members = [(c, period, measure) for c in councils]
            total = (SCOTLAND_CODE, period, measure)
            out += _keep(model, [(total, members, "Scotland's")] * additive[measure])
    for (period, tagged), families in family_totals.items():
        measure, indicator = tagged.split("|")
        gone = {c for c in councils if (c, period, indicator) in model.not_returned}
        eqs = []
        for fam in sorted(families):
            members = [(c, period, measure) for c in councils if family_of.get(c) == fam]
            members = [k for k in members if k[0] not in gone]
            eqs.append(((fam, period, tagged), members, possessive(area_label(fam).capitalize())))
        scotland = (SCOTLAND_CODE, period, measure)
        if len(families) == len(set(family_of.values())) and additive.get(measure, False):
            parts = [(f, period, tagged) for f in sorted(families)]
            parts += [(c, period, measure) for c in sorted(gone)]
            eqs.append((scotland, parts, "Scotland's (family totals as members)"))
        out += _keep(model, eqs)
    return out


def _keep(model: Model, eqs: list[tuple[Key, list[Key], str]]) -> list[Linear]:
    out = []
    for total, members, label in eqs:
        if total not in model.known and total not in model.hidden:
            continue
        if any(k in model.partial for k in (total, *members)):
            continue  # a "[u]" family total leaves out members the outsider cannot name
        if not any(k in model.hidden for k in (total, *members)):
            continue
        terms = ((total, 1), *((k, -1) for k in members))
        out.append(Linear(terms, 0.0, _sentence(model, total, members, label), ATTACK))
    return out
