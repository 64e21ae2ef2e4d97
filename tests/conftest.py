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


#: Each system tool the tests use, and the Debian package that brings it (.ci/system-deps).
SYSTEM_TOOLS = {
    "chromium": "chromium",
    "soffice": "libreoffice-writer-nogui",
    "pdftotext": "poppler-utils",
    "pdfinfo": "poppler-utils",
}


def in_ci() -> bool:
    """True in CI (``CI=true``), where a missing tool fails a test instead of skipping it."""
    import os

    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str, reason: str = "") -> str:
    """Return a system tool's path; one policy when it is missing, for every tool.

    Outside CI the test skips with one clear reason (``make test`` installs the tools as
    root through .ci/system-deps); in CI it fails, so a check never passes by not running.
    """
    import shutil

    found = shutil.which(name)
    if found and not reason:
        return found
    package = SYSTEM_TOOLS.get(name, name)
    why = reason or f"{name} is not installed"
    message = f"{why}: make system-deps installs it as root (Debian package {package})"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
    return ""


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
