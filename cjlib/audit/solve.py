"""Combine every fact an outsider has and narrow each hidden count as far as they go."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

from cjlib.audit.domain import ANY, INF, IntSet
from cjlib.audit.model import AtMost, Key, Linear, Model, Unary

#: Largest number of value combinations enumerated for one equation.
MAX_COMBINATIONS = 50_000
#: Most passes over the equations before stopping.
MAX_PASSES = 30

Constraint = Unary | Linear | AtMost


class _State:
    def __init__(self, model: Model) -> None:
        self.model = model
        self.domains: dict[Key, IntSet] = {}
        self.reasons: dict[Key, list[tuple[str, str, IntSet]]] = {}

    def domain(self, key: Key) -> IntSet:
        if not self.model.is_var(key):
            return IntSet.between(self.model.known[key], self.model.known[key])
        return self.domains.get(key, ANY)

    def narrow(self, key: Key, allowed: IntSet, reason: str, attack: str) -> bool:
        if not self.model.is_var(key):
            return False
        old = self.domain(key)
        new = old & allowed
        if new == old or new.empty:  # contradictory evidence is ignored, not trusted
            return False
        self.domains[key] = new
        reasons = self.reasons.setdefault(key, [])
        if all(r[0] != reason for r in reasons):
            reasons.append((reason, attack, new))
        return True


def _linear_bounds(state: _State, eq: Linear) -> bool:
    changed = False
    spans = [(k, c, state.domain(k)) for k, c in eq.terms]
    lows = [c * d.lo if c > 0 else -d.hi for k, c, d in spans]
    highs = [c * d.hi if c > 0 else -d.lo for k, c, d in spans]
    low_inf = sum(1 for v in lows if v == -INF)
    high_inf = sum(1 for v in highs if v == INF)
    low_sum = sum(v for v in lows if v != -INF)
    high_sum = sum(v for v in highs if v != INF)
    for (key, coef, _), lo_i, hi_i in zip(spans, lows, highs, strict=True):
        if not state.model.is_var(key):
            continue
        others_lo = -INF if low_inf - (lo_i == -INF) else low_sum - (0 if lo_i == -INF else lo_i)
        others_hi = INF if high_inf - (hi_i == INF) else high_sum - (0 if hi_i == INF else hi_i)
        lo, hi = eq.constant - others_hi, eq.constant - others_lo  # range of coef * key
        lo, hi = (lo, hi) if coef > 0 else (-hi, -lo)
        if math.isinf(lo) and math.isinf(hi):
            continue
        changed |= state.narrow(key, IntSet.between(max(lo, 0), hi), eq.reason, eq.attack)
    return changed


def _linear_enumerate(state: _State, eq: Linear) -> bool:
    free = [(k, c) for k, c in eq.terms if state.model.is_var(k)]
    if not 1 < len(free) <= 4:
        return False
    domains = [state.domain(k) for k, _ in free]
    if any(d.size == INF for d in domains) or math.prod(d.size for d in domains) > MAX_COMBINATIONS:
        return False
    rest = eq.constant - sum(c * state.model.known[k] for k, c in eq.terms if k not in dict(free))
    seen: list[set[int]] = [set() for _ in free]
    for combo in itertools.product(*(d.values() for d in domains)):
        if sum(c * v for (_, c), v in zip(free, combo, strict=True)) == rest:
            for s, v in zip(seen, combo, strict=True):
                s.add(v)
    changed = False
    for (key, _), values in zip(free, seen, strict=True):
        changed |= state.narrow(key, IntSet.of(values), eq.reason, eq.attack)
    return changed


def _at_most(state: _State, fact: AtMost) -> bool:
    small, big = state.domain(fact.small), state.domain(fact.big)
    changed = state.narrow(fact.small, IntSet.between(0, big.hi), fact.reason, fact.attack)
    return changed | state.narrow(fact.big, IntSet.between(small.lo, INF), fact.reason, fact.attack)


def solve(
    model: Model, constraints: Iterable[Constraint]
) -> tuple[dict[Key, IntSet], dict[Key, list[tuple[str, str, IntSet]]]]:
    """Narrow every hidden cell by the constraints until nothing changes.

    Bounds are propagated through every equation and inequality; an equation with
    at most four unknowns, each with a short list of values, is also solved by listing
    the combinations. Returns the domain of each narrowed cell and the reasons (sentence,
    attack, values left after it) that narrowed it, in the order they applied.
    """
    state = _State(model)
    constraints = list(constraints)
    for fact in constraints:
        if isinstance(fact, Unary):
            state.narrow(fact.key, fact.allowed, fact.reason, fact.attack)
    others = [c for c in constraints if not isinstance(c, Unary)]
    for _ in range(MAX_PASSES):
        changed = False
        for fact in others:
            if isinstance(fact, Linear):
                changed |= _linear_bounds(state, fact)
                changed |= _linear_enumerate(state, fact)
            else:
                changed |= _at_most(state, fact)
        if not changed:
            break
    return state.domains, state.reasons
