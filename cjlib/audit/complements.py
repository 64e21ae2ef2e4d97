"""Attack (b): complements and nested counts (assessed minus commenced, a share's rest)."""

from __future__ import annotations

from cjlib.audit.domain import IntSet
from cjlib.audit.finding import Finding, area_label
from cjlib.audit.model import AtMost, Key, Model

ATTACK = "complement"


def _pairs(model: Model) -> set[tuple[str, str]]:
    """(part, whole) measure pairs: the framework's shares, published with the packs."""
    pairs = {(n, d) for n, d in model.measures.values() if d is not None}
    return pairs | set(model.framework.proportion_pairs())


def constraints(model: Model) -> list[AtMost]:
    """A share's numerator is at most its denominator, in every area and year."""
    cells = {*model.known, *model.hidden}
    wholes: dict[str, list[str]] = {}
    for num, den in sorted(_pairs(model)):
        wholes.setdefault(num, []).append(den)
    out = []
    for area, period, num in sorted(k for k in cells if k[2] in wholes):
        for den in wholes[num]:
            small, big = (area, period, num), (area, period, den)
            if big in cells and (small in model.hidden or big in model.hidden):
                reason = (
                    f"{num} ({_shown(model, small)}) is part of {den} ({_shown(model, big)}) "
                    f"in {period}"
                )
                out.append(AtMost(small, big, reason, ATTACK))
    return out


def findings(model: Model, domains: dict[Key, IntSet], threshold: int) -> list[Finding]:
    """Complements (denominator minus numerator) of two shown counts that are small.

    The complement counts people too (those assessed but not commenced, say), so a
    complement from 1 to ``threshold - 1`` worked out from two shown counts is
    disclosed. (A complement with a hidden side is covered by that cell's finding.)
    """
    dens: dict[str, list[str]] = {}
    for num, den in sorted(_pairs(model)):
        dens.setdefault(num, []).append(den)
    out = []
    for area, period, num in sorted(k for k in model.known if k[2] in dens):
        for den in dens[num]:
            small, big = (area, period, num), (area, period, den)
            n = _span(model, domains, small)
            d = _span(model, domains, big)
            if n is None or d is None:
                continue
            lo, hi = max(d[0] - n[1], 0), d[1] - n[0]
            if hi >= threshold or hi < 1 or hi - lo + 1 >= threshold - 1:
                continue
            rest = IntSet.between(lo, hi)
            out.append(
                Finding(
                    file=model.shown_in.get(big, model.hidden.get(big, ("", ""))[0]),
                    cell=f"{area_label(area)}, {den} minus {num} (complement), {period}",
                    arithmetic=(
                        f"{den} ({_text(d)}) minus {num} ({_text(n)}) leaves {rest.describe()} "
                        "people in the complement, a small count that is never shown"
                    ),
                    narrowed_to=rest.describe(),
                    attack=ATTACK,
                    values=tuple(rest.values()),
                    keys=(small, big),
                )
            )
    return out


def _span(model: Model, domains: dict[Key, IntSet], key: Key) -> tuple[float, float] | None:
    """The shown count as (value, value); None when hidden (its own finding covers it)."""
    if key in model.known and key not in model.hidden:
        return model.known[key], model.known[key]
    return None


def _text(span: tuple[float, float]) -> str:
    return f"{span[0]:,.0f}" if span[0] == span[1] else f"{span[0]:,.0f} to {span[1]:,.0f}"


def _shown(model: Model, key: Key) -> str:
    return "hidden" if model.is_var(key) else f"{model.known[key]:,.0f}"
