"""Synthetic local measures for the worked example of a local outcome (restorative justice)."""

from __future__ import annotations

import pandas as pd

from cjlib.measures import SYNTHETIC_SOURCE, make_measures

#: The example area (Glasgow City) and the file its parameters name.
EXAMPLE_AREA = "S12000049"
FILE_NAME = "demo_local_measures.csv"
PERIODS = ("2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23", "2023-24")
#: Hand-written series: referrals dip in the pandemic year, then grow after a new service.
SERIES = {
    "rj_referrals": (38, 41, 45, 30, 52, 61, 74),
    "rj_processes_completed": (20, 22, 24, 15, 29, 35, 45),
}


def local_demo_measures() -> pd.DataFrame:
    """Return the example area's synthetic local measures as a tidy measures table."""
    rows = [
        (EXAMPLE_AREA, period, measure, value)
        for measure, values in SERIES.items()
        for period, value in zip(PERIODS, values, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["area_code", "period", "measure_id", "value"])
    return make_measures(frame.assign(source=SYNTHETIC_SOURCE))
