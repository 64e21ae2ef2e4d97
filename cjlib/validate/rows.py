"""Row checks every table gets: its areas, periods, values and markers, and duplicate rows."""

from __future__ import annotations

import pandas as pd

from cjlib.areas import unknown_area_message
from cjlib.markers import parse_cell
from cjlib.periods import PERIOD_FORMATS, mixed_periods
from cjlib.validate.problem import Problem

MARKER_HINT = "[c], [x], [z], [low], [u], [p], [r], [b]"


def check_areas(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    """Return a problem for each row whose area is empty or not a known area.

    Parameters
    ----------
    table : DataFrame
        The prepared rows (see :func:`cjlib.validate.frame.check_frame`).
    file : str
        The file's name, for each problem.
    roles : dict
        The file's column for each role (``area_code``, ``period``, ``value``, ``marker``).
    """
    if "code" not in table:
        return []
    bad = table[table["code"].eq("")]
    messages = {
        a: unknown_area_message(a) if a else "area is empty" for a in pd.unique(bad["area"])
    }
    return [Problem(file, r.line, roles["area_code"], messages[r.area]) for r in bad.itertuples()]


def check_periods(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    """Return a problem for each unreadable period and each series that mixes kinds of period.

    Parameters are as for :func:`check_areas`.
    """
    if "norm" not in table:
        return []
    bad = table[table["norm"].eq("")]
    return [
        Problem(
            file,
            r.line,
            roles["period"],
            f"{r.period!r} is not a period: expected {PERIOD_FORMATS}",
        )
        for r in bad.itertuples()
    ] + _check_period_mix(table, file, roles)


def _check_period_mix(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    """A series (area and measure) with months or quarters holds one kind of period."""
    if "measure_id" not in table or "code" not in table:
        return []
    series = table["code"].where(table["code"].ne(""), table["area"]) + " " + table["measure_id"]
    mixed = mixed_periods(table["norm"].replace("", None), series)
    return [Problem(file, table.at[i, "line"], roles["period"], m) for i, m in mixed.items()]


def _marker_ok(marker: str) -> bool:
    value, parsed = parse_cell(marker)
    return pd.isna(value) and parsed not in ("", "?")


def check_values(table: pd.DataFrame, file: str, roles: dict[str, str]) -> list[Problem]:
    """Return a problem for each unknown marker and each value that is not a number.

    An empty or unreadable value is a problem only when no marker says why.
    Parameters are as for :func:`check_areas`.
    """
    problems = []
    known = {m: _marker_ok(m) for m in pd.unique(table["marker"]) if m}
    for r in table[table["marker"].ne("")].itertuples():
        if not known[r.marker]:
            problems.append(
                Problem(
                    file,
                    r.line,
                    roles["marker"],
                    f"{r.marker!r} is not a recognised marker ({MARKER_HINT}, ...)",
                )
            )
    if "value" not in table:
        return problems
    for r in table[table["number"].isna()].itertuples():
        if r.marker:  # a recognised marker explains it; an unknown one is reported above
            continue
        if r.value == "":
            message = f"value is empty and no marker says why ({MARKER_HINT}, ...)"
        elif parse_cell(r.value)[1] == "?":
            message = f"{r.value!r} is not a number or a recognised marker ({MARKER_HINT}, ...)"
        else:
            continue
        problems.append(Problem(file, r.line, roles["value"], message))
    return problems


def _key(table: pd.DataFrame) -> pd.DataFrame:
    key = pd.DataFrame(index=table.index)
    key["area"] = table["code"].where(table["code"].ne(""), table["area"])
    key["period"] = table["norm"].where(table["norm"].ne(""), table["period"])
    key["measure"] = table["measure_id"]
    return key


def check_duplicates(table: pd.DataFrame, file: str) -> list[Problem]:
    """Return a problem for each row after the first with the same area, period and measure.

    Areas and periods are compared as read (codes, normalised periods), so two ways
    of writing the same one still count as a duplicate.
    """
    if not {"code", "norm", "measure_id"} <= set(table.columns):
        return []
    key = _key(table)
    repeated = key.duplicated(keep=False)
    rows, keys = table[repeated], key[repeated]
    firsts = rows.groupby([keys["area"], keys["period"], keys["measure"]])["line"].transform("min")
    problems = []
    for r in rows.itertuples():
        if r.line == firsts[r.Index]:
            continue
        area, period, measure = key.loc[r.Index]
        as_written = (r.area, r.period)
        written = (
            "" if as_written == (area, period) else " (written here as {}, {})".format(*as_written)
        )
        problems.append(
            Problem(
                file,
                r.line,
                "measure_id",
                f"duplicate of row {firsts[r.Index]}: {area}, {period}, {measure} "
                f"already has a value{written}",
            )
        )
    return problems
