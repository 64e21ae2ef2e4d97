"""Combine every fact an outsider has and narrow each hidden count as far as they go."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable

import numpy as np

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
        self.changed: set[Key] = set()

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
        self.changed.add(key)
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


def _linear_enumerate(state: _State, eq: Linear, free: list[tuple[Key, int]]) -> bool:
    if not 1 < len(free) <= 4:
        return False
    domains = [state.domain(k) for k, _ in free]
    if any(d.size == INF for d in domains) or math.prod(d.size for d in domains) > MAX_COMBINATIONS:
        return False
    free_keys = {k for k, _ in free}
    rest = eq.constant - sum(c * state.model.known[k] for k, c in eq.terms if k not in free_keys)
    grids = np.meshgrid(*(np.array(d.values(), dtype=float) for d in domains), indexing="ij")
    total = sum(c * g for (_, c), g in zip(free, grids, strict=True))
    fits = np.abs(total - rest) < 0.5
    changed = False
    for (key, _), grid in zip(free, grids, strict=True):
        values = np.unique(grid[fits]).astype(int)
        changed |= state.narrow(key, IntSet.of(values.tolist()), eq.reason, eq.attack)
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
    free = [
        [(k, c) for k, c in fact.terms if model.is_var(k)] if isinstance(fact, Linear) else []
        for fact in others
    ]
    touching: dict[Key, list[int]] = {}
    for i, fact in enumerate(others):
        keys = [k for k, _ in fact.terms] if isinstance(fact, Linear) else [fact.small, fact.big]
        for key in keys:
            if model.is_var(key):
                touching.setdefault(key, []).append(i)
    queue, queued = deque(range(len(others))), set(range(len(others)))
    steps, limit = 0, MAX_PASSES * max(len(others), 1)
    while queue and steps < limit:
        i = queue.popleft()
        queued.discard(i)
        steps += 1
        state.changed.clear()
        fact = others[i]
        if isinstance(fact, Linear):
            _linear_bounds(state, fact)
            _linear_enumerate(state, fact, free[i])
        else:
            _at_most(state, fact)
        for key in state.changed:
            for j in touching.get(key, ()):
                if j not in queued:
                    queue.append(j)
                    queued.add(j)
    return state.domains, state.reasons
