"""Signals in words: "Shift upwards from June 2022, after the change tested in cycle 2"."""

from __future__ import annotations

from collections.abc import Sequence

from cjlib.formatting import format_number
from cjlib.improve.runchart import Signal
from cjlib.params import PdsaCycle
from cjlib.periods import period_label, period_months

#: How many months after a PDSA cycle starts a signal is still said to follow it.
FOLLOWS_WITHIN_MONTHS = 3
_RULE_WORDS = {
    "shift": "Shift",
    "trend": "Trend",
    "astronomical": "An astronomical point",
    "outside limits": "A point outside the control limits",
    "2 of 3": "Two of three points beyond two sigma",
}


def _month_of(cycle: PdsaCycle) -> int:
    return cycle.start.year * 12 + cycle.start.month - 1


def cycle_before(period: str, cycles: Sequence[PdsaCycle]) -> PdsaCycle | None:
    """Return the latest PDSA cycle that started up to three months before ``period`` began."""
    months = period_months(period)
    if months is None:
        return None
    first = months[0]
    near = [c for c in cycles if 0 <= first - _month_of(c) <= FOLLOWS_WITHIN_MONTHS]
    return max(near, key=_month_of) if near else None


def judge(direction: str, polarity: str) -> str:
    """Return " (an improvement)", " (a deterioration)" or "" for a signal's direction."""
    if direction not in ("up", "down") or polarity == "none":
        return ""
    better = (direction == "up") == (polarity == "higher_is_better")
    return " (an improvement)" if better else " (a deterioration)"


def describe_signal(
    signal: Signal,
    periods: Sequence[str],
    cycles: Sequence[PdsaCycle] = (),
    *,
    polarity: str = "none",
) -> str:
    """Return one sentence stating a signal, when it happened and the change it followed."""
    start, end = periods[signal.start], periods[signal.end]
    way = {"up": "upwards", "down": "downwards"}.get(signal.direction, signal.direction)
    if signal.rule == "runs":
        text = (
            f"Too {signal.direction.split()[-1]} runs from {period_label(start)} to "
            f"{period_label(end)} ({signal.detail}): the points cross the median "
            f"{'less' if signal.direction == 'too few' else 'more'} often than chance explains"
        )
    elif signal.start == signal.end:
        text = f"{_RULE_WORDS[signal.rule]}, {way}, in {period_label(start)}"
    else:
        points = signal.detail.split(";")[0] or f"{signal.end - signal.start + 1} points"
        text = (
            f"{_RULE_WORDS[signal.rule]} {way} from {period_label(start)} "
            f"({points}, to {period_label(end)})"
        )
    verdict = judge(signal.direction, polarity)
    text += f": {verdict.strip(' ()')}" if verdict else ""
    cycle = cycle_before(start, cycles) if signal.rule != "runs" else None
    if cycle is not None:
        text += f", after the change tested in cycle {cycle.cycle}"
    return text + "."


def describe_level(value: float, unit: str, decimals: int = 1) -> str:
    """Return a value with its unit, e.g. "71.5% of people released" or "38.2 days"."""
    number = format_number(value, decimals)
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"
