"""What every pack of a batch shares: the tables, framework, provenance and build time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cjlib.datastatus import indicator_statuses, real_measures, synthetic_measures
from cjlib.framework import Framework, load_framework
from cjlib.params import load_defaults
from cjlib.pipeline import BatchContext, framework_path, read_table
from cjlib.provenance import pack_provenance

#: Provenance of every bundled source, shown on each pack's front page: generated from
#: the one table in cjlib/data/PROVENANCE.md (cjlib.provenance).
PROVENANCE = pack_provenance()
SYNTHETIC_PROVENANCE = next(r for r in pack_provenance(synthetic=True) if r not in PROVENANCE)


@dataclass
class PackSettings:
    """What every area's pack and the national pages of one batch share."""

    period: str
    period_dir: Path
    framework: Framework
    results: pd.DataFrame
    assessment: pd.DataFrame
    built: str
    synthetic: bool
    prepared: BatchContext
    data_status: dict
    params_dir: str | Path | None = None
    data_dir: str | Path | None = None

    @property
    def provenance(self) -> list[dict]:
        """Return the sources shown on each front page."""
        return PROVENANCE + ([SYNTHETIC_PROVENANCE] if self.synthetic else [])


def pack_settings(
    period: str,
    output_dir: Path,
    prepared: BatchContext,
    params_dir: str | Path | None = None,
    data_dir: str | Path | None = None,
) -> PackSettings:
    """Return the settings shared by the packs of a prepared batch."""
    defaults = prepared.defaults or load_defaults(params_dir or None)
    framework = load_framework(framework_path(defaults))
    measures = read_table(prepared, "measures")
    results = read_table(prepared, "results")
    return PackSettings(
        period=period,
        period_dir=Path(output_dir) / period,
        framework=framework,
        results=results,
        assessment=read_table(prepared, "assessment"),
        built=dt.datetime.now().strftime("%d %B %Y %H:%M"),
        synthetic=prepared.synthetic,
        prepared=prepared,
        data_status=indicator_statuses(
            framework, synthetic_measures(measures), real_measures(measures)
        ),
        params_dir=params_dir,
        data_dir=data_dir,
    )
