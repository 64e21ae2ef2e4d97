"""The strategy's priority actions are quoted exactly from 'Achieving Community Justice Outcomes'.

``tests/fixtures/sources/achieving-community-justice-outcomes-2024.txt`` is a verbatim copy
of the source document (Community Justice Scotland, June 2024, Open Government Licence).
Its table pairs each priority action with its national outcome; one row is split across a
page break, so the test rebuilds the rows before comparing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cjlib.framework import load_framework

SOURCE = (
    Path(__file__).parent / "fixtures" / "sources" / "achieving-community-justice-outcomes-2024.txt"
)
FW = load_framework()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def strategy_table() -> dict[str, str]:
    """National outcome -> priority action, read from the source's table."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    start = lines.index(
        "Priority Action (from the strategy)\tNational Outcome (from the performance framework)"
    )
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        if "\t" not in line:
            break
        action, outcome = (part.strip() for part in line.split("\t", 1))
        if rows and not rows[-1][0].endswith("."):  # the row continues after a page break
            rows[-1] = [f"{rows[-1][0]} {action}", f"{rows[-1][1]} {outcome}"]
        else:
            rows.append([action, outcome])
    return {_squash(outcome).rstrip("."): _squash(action) for action, outcome in rows}


def test_the_table_has_nine_rows():
    assert len(strategy_table()) == 9


@pytest.mark.parametrize("outcome", FW.outcomes, ids=lambda o: o.id)
def test_priority_action_is_quoted_exactly(outcome):
    table = strategy_table()
    assert outcome.title in table, outcome.title
    assert outcome.priority_action == table[outcome.title]


def test_priority_actions_without_a_national_outcome_are_quoted_exactly():
    text = SOURCE.read_text(encoding="utf-8")
    section = text.split(
        "Priority actions from the strategy which have no associated national outcome:"
    )[1]
    paragraphs = [p.strip() for p in section.split("\n\n") if p.strip().strip("*")]
    assert FW.priority_actions_without_outcome == paragraphs[:4]
    assert len(FW.priority_actions_without_outcome) == 4
