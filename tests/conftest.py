"""Constants and helpers shared by the tests: area codes, the reporting years, row picking."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

#: GSS codes used across the tests (deprivation family group in brackets).
SCOTLAND = "S92000003"
GLASGOW = "S12000049"  # most deprived
DUNDEE = "S12000042"  # most deprived
INVERCLYDE = "S12000018"  # most deprived
ORKNEY = "S12000023"  # least deprived
SHETLAND = "S12000027"  # least deprived
ABERDEEN = "S12000033"  # least deprived
CLACKS = "S12000005"  # group 3
FALKIRK = "S12000014"  # group 3
FIFE = "S12000047"  # group 3
MIDLOTHIAN = "S12000019"  # group 2
SIAR = "S12000013"  # most deprived
#: The bundled defaults' reporting and baseline years.
PERIOD, BASE = "2023-24", "2019-20"


def pick(frame: pd.DataFrame, area: str, indicator: str, period: str = PERIOD) -> pd.Series:
    """Return the one row of a results table for an area, indicator and period."""
    row = frame[
        (frame["area_code"] == area)
        & (frame["indicator_id"] == indicator)
        & (frame["period"] == period)
    ]
    assert len(row) == 1, f"expected one row for {area} {indicator} {period}, got {len(row)}"
    return row.iloc[0]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for one module's browser tests (see ``browser_support.open_chromium``)."""
    from browser_support import open_chromium

    yield from open_chromium()


def raises_naming(error: type[Exception], call: Callable[[], object], *names: str) -> str:
    """Run ``call``, which must raise ``error`` with a message naming each of ``names``.

    Returns the message, for any further checks.
    """
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for name in names:
        assert name in message, f"the error must name {name!r}: {message}"
    return message
