"""Synthetic monthly local measures for the two example improvement plans.

Glasgow City (outcome 6, accommodation after release) and Aberdeen City (outcome 8,
voluntary throughcare): 48 months, April 2020 to March 2024. Each outcome and process
measure has a sustained shift planted from the month of the change tested in PDSA
cycle 2 (June 2022 in Glasgow, July 2022 in Aberdeen); each balancing measure is
stable. Every row's source says it is synthetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cjlib.fileio import write_text_atomic
from cjlib.measures import SYNTHETIC_SOURCE
from cjlib.paths import DATA_DIR

#: The bundled file of synthetic local monthly measures.
DEMO_IMPROVEMENT_CSV = DATA_DIR / "demo_improvement_measures.csv"
MONTHS = [f"{y}-{m:02d}" for y in range(2020, 2025) for m in range(1, 13)][3:51]  # Apr 2020 ...
GLASGOW, ABERDEEN = "S12000049", "S12000033"
#: Where each planted shift starts (the first month after the change).
PLANTED_SHIFTS = {
    (GLASGOW, "o6_accommodated"): "2022-06",
    (GLASGOW, "o6_housing_plan"): "2022-06",
    (ABERDEEN, "o8_vtc_taken_up"): "2022-07",
    (ABERDEEN, "o8_prerelease_contacts"): "2022-07",
}
#: Measures with nothing planted: no signal should be found in them.
STABLE = [(GLASGOW, "o6_days_temporary"), (ABERDEEN, "o8_days_to_first_appointment")]
#: Each series' own seed. Chance variation alone trips a run-chart rule in many stable
#: series of 48 points, so these seeds were chosen so that each series shows what was
#: planted in it and nothing else: the demonstration then reads clearly.
SEEDS = {
    "o6_releases": 1,
    "o6_accommodated": 6,
    "o6_housing_plan": 6,
    "o6_days_temporary": 14,
    "o8_short_term_releases": 1,
    "o8_vtc_taken_up": 15,
    "o8_prerelease_contacts": 7,
    "o8_days_to_first_appointment": 5,
}


#: Each series: area, measure, distribution, its level before and after the planted
#: change (the same level for a series with nothing planted; mean and standard
#: deviation for a normal one) and, for a binomial series, the count it is drawn from.
SERIES = [
    (GLASGOW, "o6_releases", "poisson", 70, 70, None),
    (GLASGOW, "o6_accommodated", "binomial", 0.55, 0.71, "o6_releases"),
    (GLASGOW, "o6_housing_plan", "binomial", 0.40, 0.72, "o6_releases"),
    (GLASGOW, "o6_days_temporary", "normal", (38, 3.0), (38, 3.0), None),
    (ABERDEEN, "o8_short_term_releases", "poisson", 60, 60, None),
    (ABERDEEN, "o8_vtc_taken_up", "binomial", 0.28, 0.50, "o8_short_term_releases"),
    (ABERDEEN, "o8_prerelease_contacts", "poisson", 14, 24, None),
    (ABERDEEN, "o8_days_to_first_appointment", "normal", (9, 1.2), (9, 1.2), None),
]


def demo_improvement_measures(seeds: dict[str, int] | None = None) -> pd.DataFrame:
    """Return the synthetic monthly measures as a tidy table (area, period, measure ...)."""
    seeds = {**SEEDS, **(seeds or {})}
    n = len(MONTHS)
    rows: dict[tuple[str, str], np.ndarray] = {}
    for area, measure, kind, before, after, of in SERIES:
        rng = np.random.default_rng(seeds[measure])
        shift = PLANTED_SHIFTS.get((area, measure))
        change = n if shift is None else MONTHS.index(shift)
        if kind == "normal":
            rows[area, measure] = np.round(rng.normal(*before, n), 1)
            continue
        level = np.where(np.arange(n) < change, before, after)
        if kind == "binomial":
            rows[area, measure] = rng.binomial(rows[area, of], level)
        else:
            rows[area, measure] = rng.poisson(level)
    frames = [
        pd.DataFrame(
            {
                "area_code": area,
                "period": MONTHS,
                "measure_id": measure,
                "value": values.astype(object),
                "marker": "",
                "source": SYNTHETIC_SOURCE,
            }
        )
        for (area, measure), values in rows.items()
    ]
    return pd.concat(frames, ignore_index=True)


def write_demo_improvement_measures(path: str | Path = DEMO_IMPROVEMENT_CSV) -> Path:
    """Write the synthetic monthly measures to ``path`` atomically; return the path."""
    path = Path(path)
    write_text_atomic(demo_improvement_measures().to_csv(index=False, lineterminator="\n"), path)
    return path
