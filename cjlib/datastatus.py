"""Whether a figure is official or synthetic: the ``data_status`` label that travels with it.

Every CSV a pack writes carries a ``data_status`` column on every row, so a row
copied out of the file, filtered in a spreadsheet or appended to another table
keeps its label; the column's name in the header row says the file has one.  A
comment line above the header was rejected: Excel shows it as a data row and
pandas, R and most CSV readers need to be told to skip it.  Notes about a whole
file go in the pack's ``data/csv-metadata.json`` (W3C CSV on the Web metadata,
whose ``notes`` property exists for that purpose), see :func:`csvw_metadata`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from cjlib.framework import Framework
from cjlib.measures import SYNTHETIC_SOURCE

#: Column added to every CSV row.
STATUS_COLUMN = "data_status"
#: Label of a figure computed only from real published data.
OFFICIAL = "official statistics"
#: Label of a figure computed from any synthetic demonstration data.
SYNTHETIC = SYNTHETIC_SOURCE
#: The sentence a chart or a document carries when it shows synthetic figures.
SYNTHETIC_CAPTION = "Synthetic demonstration data, not official statistics"


def status_of(synthetic: bool) -> str:
    """Return the ``data_status`` label for a figure that is (or is not) synthetic."""
    return SYNTHETIC if synthetic else OFFICIAL


def source_says_synthetic(source: str) -> bool:
    """True when a source line says its figures are synthetic demonstration data."""
    return SYNTHETIC_SOURCE in str(source or "").lower()


def synthetic_measures(measures: pd.DataFrame) -> set[str]:
    """Return the ids of measures that have any synthetic row in a tidy measures table."""
    rows = measures[measures["source"].astype(str).str.lower() == SYNTHETIC_SOURCE]
    return set(rows["measure_id"].astype(str))


def real_measures(measures: pd.DataFrame) -> set[str]:
    """Return the ids of measures with at least one row from a real (non-synthetic) source."""
    rows = measures[measures["source"].astype(str).str.lower() != SYNTHETIC_SOURCE]
    return set(rows["measure_id"].astype(str))


def indicator_statuses(
    framework: Framework, synthetic_ids: Iterable[str], real_ids: Iterable[str] | None = None
) -> dict[str, str]:
    """Return ``{indicator id: data_status}``: synthetic when its numerator or denominator is.

    Parameters
    ----------
    framework : Framework
        The framework whose indicators are labelled.
    synthetic_ids : iterable of str
        Measure ids with synthetic rows, from :func:`synthetic_measures`.
    real_ids : iterable of str, optional
        Measure ids known to come from real sources (:func:`real_measures`).  When
        given, a measure in neither set (for example a local measure loaded from
        another file) counts as synthetic: nothing is called official unless known.
    """
    fake = set(synthetic_ids)
    real = None if real_ids is None else set(real_ids)

    def synthetic(measure: str | None) -> bool:
        if not measure:
            return False
        return measure in fake or (real is not None and measure not in real)

    return {
        i.id: status_of(synthetic(i.numerator) or synthetic(i.denominator))
        for i in framework.indicators
    }


def label_rows(
    frame: pd.DataFrame, statuses: Mapping[str, str] | None = None, default: str = SYNTHETIC
) -> pd.DataFrame:
    """Return a copy of ``frame`` with a ``data_status`` column on every row.

    Rows are labelled by their ``indicator_id`` through ``statuses`` when both are
    available; any other row gets ``default`` (synthetic unless known otherwise:
    a figure is never called official by mistake).  A ``data_status`` column
    already present is kept.
    """
    out = frame.copy()
    if STATUS_COLUMN in out.columns:
        return out
    labels = pd.Series(default, index=out.index, dtype=object)
    if statuses is not None and "indicator_id" in out.columns:
        labels = out["indicator_id"].map(statuses).fillna(default).astype(object)
    out[STATUS_COLUMN] = labels
    return out


def label_outcome_rows(
    frame: pd.DataFrame, statuses: Mapping[str, str], default: str = SYNTHETIC
) -> pd.DataFrame:
    """Label assessment rows: synthetic when any indicator the outcome used is synthetic."""
    out = frame.copy()
    if STATUS_COLUMN in out.columns:
        return out
    used = out.get("indicators_used", pd.Series("", index=out.index)).fillna("").astype(str)
    labels = []
    for text in used:
        ids = [i for i in text.split(", ") if i]
        fake = any(statuses.get(i, default) == SYNTHETIC for i in ids) if ids else None
        labels.append(default if fake is None else status_of(fake))
    out[STATUS_COLUMN] = labels
    return out


def csvw_metadata(tables: Mapping[str, bool]) -> dict:
    """Return CSV on the Web metadata (``csv-metadata.json``) noting each file's data status.

    Parameters
    ----------
    tables : mapping
        CSV file name (relative to the metadata file) to True when it holds any
        synthetic figure.
    """
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "tables": [
            {
                "url": name,
                "notes": [
                    {
                        "type": "Annotation",
                        "body": (
                            f"{SYNTHETIC_CAPTION}: some or all rows are synthetic. "
                            f"The {STATUS_COLUMN} column says, for each row, "
                            f"'{OFFICIAL}' or '{SYNTHETIC}'."
                            if synthetic
                            else f"Every row is {OFFICIAL} (see the {STATUS_COLUMN} column)."
                        ),
                    }
                ],
            }
            for name, synthetic in sorted(tables.items())
        ],
    }
