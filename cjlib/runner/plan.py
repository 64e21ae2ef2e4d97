"""Plan a batch: which notebooks and areas to run, and which runs are already up to date."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cjlib.errors import CjlibError
from cjlib.formatting import summarise
from cjlib.runner.hashes import InputHasher

#: Statuses a manifest entry may hold; ``skipped`` means "ok, and unchanged since".
UP_TO_DATE_STATUSES = frozenset({"ok", "skipped"})


class CjlibSelectionError(CjlibError, ValueError):
    """A ``--notebook``, ``--area`` or ``--period`` that does not select anything."""


@dataclass(frozen=True)
class RunSpec:
    """One notebook for one area: the unit of work of a batch."""

    area_code: str
    area_name: str
    notebook: str
    notebook_path: Path
    hashes: Mapping[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """Return ``(area_code, notebook)``, the run's identity in the manifest."""
        return (self.area_code, self.notebook)


@dataclass
class Plan:
    """Runs split into those to execute and those already up to date."""

    to_run: list[RunSpec]
    skipped: list[RunSpec]

    @property
    def total(self) -> int:
        """Return the number of runs selected."""
        return len(self.to_run) + len(self.skipped)


def discover_notebooks(directory: Path) -> list[Path]:
    """Return the notebook templates in a directory, sorted by name.

    Hidden files, names starting with ``_`` and Jupyter checkpoints are left out.
    """
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.glob("*.ipynb")
        if not path.name.startswith((".", "_")) and path.is_file()
    )


def select_notebooks(available: Sequence[Path], wanted: Sequence[str] | None) -> list[Path]:
    """Return the notebooks named by ``wanted``, in template order.

    Parameters
    ----------
    available : sequence of Path
        The notebook templates, from :func:`discover_notebooks`.
    wanted : sequence of str or None
        Each a number (``"03"``), a stem (``"03_bail"``), a file name
        (``"03_bail.ipynb"``) or an unambiguous start of a stem. None or empty
        selects every notebook.

    Raises
    ------
    CjlibSelectionError
        When a name matches no notebook or more than one.
    """
    if not available:
        raise CjlibSelectionError("no notebook templates found")
    if not wanted:
        return list(available)
    by_stem = {path.stem: path for path in available}
    chosen: set[Path] = set()
    for text in wanted:
        chosen.add(_match_notebook(by_stem, text))
    return [path for path in available if path in chosen]


def _match_notebook(by_stem: Mapping[str, Path], text: str) -> Path:
    name = Path(str(text).strip()).name
    stem = name[: -len(".ipynb")] if name.endswith(".ipynb") else name
    if stem in by_stem:
        return by_stem[stem]
    if re.fullmatch(r"\d{1,2}", stem):
        matches = [s for s in by_stem if s.split("_", 1)[0] == stem.zfill(2)]
    else:
        matches = [s for s in by_stem if s.startswith(stem)] if stem else []
    if len(matches) == 1:
        return by_stem[matches[0]]
    if matches:
        raise CjlibSelectionError(
            f"notebook {text!r} is ambiguous: it matches {', '.join(sorted(matches))}"
        )
    close = difflib.get_close_matches(stem, list(by_stem), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise CjlibSelectionError(
        f"unknown notebook {text!r}: expected a number such as 03 or a name "
        f"({summarise(sorted(by_stem), 'notebooks')}){hint}"
    )


def select_areas(wanted: Sequence[str] | None) -> list[tuple[str, str]]:
    """Return ``(code, name)`` for the council areas named, or all 32 when none are.

    Raises
    ------
    CjlibSelectionError
        For an unknown area (the message suggests close names) or for Scotland,
        which has no community justice partnership of its own.
    """
    from cjlib.areas import council_areas, get_area
    from cjlib.errors import CjlibAreaError

    table = council_areas()
    if not wanted:
        return list(zip(table["area_code"], table["area_name"], strict=True))
    chosen: dict[str, str] = {}
    for text in wanted:
        try:
            area = get_area(text)
        except CjlibAreaError as error:
            raise CjlibSelectionError(str(error)) from error
        if area.is_scotland:
            raise CjlibSelectionError(
                f"{text!r} is Scotland, not a council area: packs are built for the 32 "
                "council areas (leave out --area to build them all)"
            )
        chosen[area.code] = area.name
    return list(chosen.items())


def build_specs(
    areas: Sequence[tuple[str, str]],
    notebooks: Sequence[Path],
    hasher: InputHasher,
) -> list[RunSpec]:
    """Return a :class:`RunSpec`, with its input hashes, for every area and notebook."""
    return [
        RunSpec(code, name, path.stem, path, hasher.run_hashes(path, code))
        for path in notebooks
        for code, name in areas
    ]


def is_up_to_date(spec: RunSpec, previous: Mapping | None, period_dir: Path) -> bool:
    """Return True when a run can be skipped.

    A run is skipped only when its previous manifest entry is ``ok`` (or ``skipped``,
    which carries an earlier ``ok`` forward), its input hashes are identical and
    every output it recorded still exists.
    """
    if not previous or previous.get("status") not in UP_TO_DATE_STATUSES:
        return False
    if dict(previous.get("hashes") or {}) != dict(spec.hashes):
        return False
    outputs = previous.get("outputs") or []
    return bool(outputs) and all((period_dir / rel).is_file() for rel in outputs)


def plan_runs(
    specs: Sequence[RunSpec],
    previous: Mapping[tuple[str, str], Mapping],
    period_dir: Path,
    force: bool = False,
) -> Plan:
    """Split runs into those to execute and those up to date.

    Runs to execute are ordered longest first by their last known duration
    (runs never timed go first), which shortens the batch on a bounded pool.
    """
    to_run: list[RunSpec] = []
    skipped: list[RunSpec] = []
    for spec in specs:
        entry = previous.get(spec.key)
        if not force and is_up_to_date(spec, entry, period_dir):
            skipped.append(spec)
        else:
            to_run.append(spec)

    def last_seconds(spec: RunSpec) -> float:
        entry = previous.get(spec.key) or {}
        seconds = entry.get("ran_seconds") or entry.get("seconds")
        return float(seconds) if seconds else float("inf")

    to_run.sort(key=last_seconds, reverse=True)  # stable: template order among equals
    return Plan(to_run=to_run, skipped=skipped)
