"""Run every attack on the published cells and list the cells they disclose."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from cjlib.audit import backcalc, complements, differencing, intervals, labels, ranks
from cjlib.audit.domain import IntSet
from cjlib.audit.finding import Finding, area_label
from cjlib.audit.frame import tidy_frame
from cjlib.audit.model import Key, Model, build_model
from cjlib.audit.solve import solve
from cjlib.framework import Framework, load_framework

#: Every attack, by name: each turns the model into facts about hidden cells.
ATTACKS: dict[str, Callable[[Model], list]] = {
    "differencing": differencing.constraints,
    "complement": complements.constraints,
    "back-calculation": backcalc.constraints,
    "rank gap": ranks.constraints,
    "change label": labels.change_constraints,
    "trend label": labels.trend_constraints,
    "interval bounds": intervals.constraints,
}


def _describe(key: Key) -> str:
    return f"{area_label(key[0])}, {key[2]}, {key[1]}"


def _useful(reasons: list[tuple[str, str, IntSet]], band: int) -> list[tuple[str, str]]:
    """Pick the reasons that did the narrowing.

    Those that set the final lowest or highest value, and any that left a short list.
    """
    if not reasons:
        return []
    final = reasons[-1][2]
    first_lo = next(i for i, (_, _, d) in enumerate(reasons) if d.lo == final.lo)
    first_hi = next(i for i, (_, _, d) in enumerate(reasons) if d.hi == final.hi)
    keep = [
        (r, a)
        for i, (r, a, d) in enumerate(reasons)
        if i in (first_lo, first_hi) or d.size <= 25 * band
    ]
    return list(dict.fromkeys(keep))


def audit_frame(
    frame: pd.DataFrame,
    threshold: int = 5,
    *,
    attacks: Iterable[str] | None = None,
    framework: Framework | None = None,
) -> list[Finding]:
    """Attack a frame of published cells; return every hidden cell it discloses.

    Parameters
    ----------
    frame : pandas.DataFrame
        Published cells (see :func:`cjlib.audit.frame.tidy_frame` for the columns; a
        reader's frame or a results table).
    threshold : int, default 5
        The suppression threshold: a hidden count is disclosed when an outsider can
        narrow it to fewer than ``threshold - 1`` possible values.
    attacks : iterable of str, optional
        Names from :data:`ATTACKS` to use together (all by default).
    framework : Framework, optional
        Indicator definitions (the bundled framework by default).

    Returns
    -------
    list of Finding
        One per disclosed cell, plus small complements, sorted by file and cell.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise ValueError(f"threshold must be a whole number of 2 or more (found {threshold!r})")
    framework = framework or load_framework()
    model = build_model(tidy_frame(frame, framework), framework, threshold)
    names = list(ATTACKS) if attacks is None else list(attacks)
    unknown = [n for n in names if n not in ATTACKS]
    if unknown:
        raise ValueError(f"unknown attacks {unknown}; expected some of {list(ATTACKS)}")
    facts = [fact for name in names for fact in ATTACKS[name](model)]
    domains, reasons = solve(model, facts)
    band = threshold - 1
    out = []
    for key, (file, marker) in model.hidden.items():
        domain = domains.get(key)
        if domain is None or domain.size >= band:
            continue
        why = _useful(reasons.get(key, []), band)
        out.append(
            Finding(
                file=file,
                cell=f"{_describe(key)} ({marker})",
                arithmetic="; then ".join(r for r, _ in why),
                narrowed_to=domain.describe(),
                attack=" + ".join(dict.fromkeys(a for _, a in why)),
                values=tuple(domain.values()),
                keys=(key,),
            )
        )
    if "complement" in names:
        out += complements.findings(model, domains, threshold)
    return sorted(out, key=lambda f: (f.file, f.cell))
