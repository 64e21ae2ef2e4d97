"""Read and write ``outputs/<period>/manifest.json``, the record of every run."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cjlib.fileio import write_text_atomic

if TYPE_CHECKING:
    from cjlib.runner.plan import RunSpec
    from cjlib.runner.worker import RunResult

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
STATUSES = ("ok", "failed", "skipped")


def now_iso() -> str:
    """Return the current UTC time as an ISO 8601 string, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def read_manifest(period_dir: Path) -> dict:
    """Return the manifest of a period, or an empty one when there is none.

    A manifest that cannot be read (for example, edited by hand into invalid JSON)
    counts as empty: every run is then redone, which is always safe.
    """
    path = Path(period_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {"runs": []}
    if not isinstance(data, dict) or not isinstance(data.get("runs"), list):
        return {"runs": []}
    return data


def entries_by_key(manifest: Mapping) -> dict[tuple[str, str], dict]:
    """Return the manifest's run entries keyed by ``(area_code, notebook)``."""
    entries = {}
    for entry in manifest.get("runs", []):
        if isinstance(entry, dict) and "area_code" in entry and "notebook" in entry:
            entries[(entry["area_code"], entry["notebook"])] = entry
    return entries


def count_statuses(entries: Iterable[Mapping]) -> dict[str, int]:
    """Return how many entries have each status."""
    counts = dict.fromkeys(STATUSES, 0)
    for entry in entries:
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return counts


def build_manifest(
    period: str,
    entries: Mapping[tuple[str, str], Mapping],
    *,
    started_at: str,
    interrupted: bool = False,
    finished: bool = False,
    batch_key: str | None = None,
    phases: Mapping[str, float] | None = None,
) -> dict:
    """Return the manifest document for a period.

    Parameters
    ----------
    period : str
        The reporting period, e.g. ``"2023-24"``.
    entries : mapping
        Every run entry to record, keyed by ``(area_code, notebook)``: those of this
        batch merged over those of earlier batches (runs not selected this time keep
        their entry, since their outputs are still on disk).
    started_at : str
        When the batch started.
    interrupted : bool
        True when the batch was stopped by Ctrl-C or SIGTERM.
    finished : bool
        True when the front pages and national index were rebuilt after the runs.
    batch_key : str, optional
        The key of the prepared batch data, when it was prepared.
    phases : mapping, optional
        Seconds the batch spent in its own steps (``prepare``, ``pages``).
    """
    from cjlib import __version__

    runs = [dict(entries[key]) for key in sorted(entries)]
    return {
        "manifest_version": MANIFEST_VERSION,
        "period": period,
        "generated_by": f"cjlib {__version__}",
        "started_at": started_at,
        "written_at": now_iso(),
        "interrupted": interrupted,
        "finished": finished,
        "batch_key": batch_key,
        "phases": dict(phases or {}),
        "counts": count_statuses(runs),
        "runs": runs,
    }


def run_entry(spec: RunSpec, result: RunResult) -> dict:
    """Return the manifest entry of a run done in this batch."""
    return {
        "area_code": spec.area_code,
        "area_name": spec.area_name,
        "notebook": spec.notebook,
        "status": result.status,
        "seconds": round(result.seconds, 2),
        "attempts": result.attempts,
        "error": result.error,
        "executed_notebook": result.executed_notebook,
        "outputs": list(result.outputs),
        "hashes": dict(spec.hashes),
        "ran_at": now_iso(),
        "ran_seconds": round(result.seconds, 2),
        "phases": dict(result.phases),
    }


def skipped_entry(previous: Mapping) -> dict:
    """Return the entry of a skipped run: its last ``ok`` entry, carried forward."""
    entry = dict(previous)
    ran_seconds = previous.get("ran_seconds", previous.get("seconds", 0.0))
    entry.update(status="skipped", seconds=0.0, error=None, ran_seconds=ran_seconds)
    return entry


def write_manifest(period_dir: Path, manifest: Mapping) -> Path:
    """Write the manifest atomically (readers see the old file or the new) and return its path."""
    path = Path(period_dir) / MANIFEST_NAME
    write_text_atomic(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", path)
    return path
