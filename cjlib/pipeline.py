"""The heavy work, once per batch: load, compute, compare, suppress, assess; cached on disk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cjlib import __version__
from cjlib.areas import council_areas, family_membership
from cjlib.errors import CjlibDataError, CjlibError
from cjlib.fileio import atomic_path, write_text_atomic
from cjlib.framework import Framework, load_framework
from cjlib.hashing import hash_parts
from cjlib.measures import SYNTHETIC_SOURCE, combine_measures
from cjlib.params import AreaParameters, Defaults, area_params_path, load_area_params, load_defaults
from cjlib.paths import DATA_DIR, FRAMEWORKS_DIR, OUTPUTS_DIR, PACKAGE_DIR, PARAMETERS_DIR

#: Tables written to the cache, one parquet file each.
TABLES = ("measures", "results", "assessment", "verdicts")


@dataclass
class BatchContext:
    """What :func:`prepare_batch` made: the cache folder and what it found."""

    key: str
    directory: Path
    period: str
    baseline: str
    problems: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False
    defaults: Defaults | None = None  # the settings the tables were built with
    #: The disclosure audit's one-line finding on the published tables ("" when clean).
    disclosure: str = ""


def _resolve(data_dir: str | Path | None, params_dir: str | Path | None) -> tuple[Path, Path]:
    return Path(data_dir) if data_dir else DATA_DIR, Path(
        params_dir
    ) if params_dir else PARAMETERS_DIR


def framework_path(defaults: Defaults) -> Path:
    """Return the framework file named by the defaults (a bundled name or a path)."""
    candidate = Path(defaults.framework)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    return FRAMEWORKS_DIR / f"{defaults.framework}.yaml"


def _digest(paths: list[Path], extra: str = "") -> str:
    """One cache key over the settings and every input file's name and bytes."""
    parts = [extra]
    for path in sorted(paths):
        parts += [path.name, path.read_bytes() if path.exists() else b"<missing>"]
    return hash_parts(parts)


def source_files() -> list[Path]:
    """Return cjlib's own source files (a change to any invalidates caches)."""
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def batch_inputs(data_dir: Path, params_dir: Path, defaults: Defaults) -> list[Path]:
    """Return every file whose content the batch's tables depend on."""
    files = [framework_path(defaults), params_dir / "defaults.yaml"]
    files += sorted((params_dir / "areas").glob("*.yaml"))
    files += [data_dir / name for name in defaults.measures_files]
    # local measures files named in area parameters live in the data folder too
    files += sorted(p for p in Path(data_dir).glob("*") if p.suffix in (".csv", ".parquet"))
    if defaults.use_real_data:
        files += sorted(p for p in DATA_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))
    return list(dict.fromkeys(files)) + source_files()


def load_measures(defaults: Defaults, data_dir: Path) -> pd.DataFrame:
    """Load the real open data (if enabled) and every tidy measures file named in defaults."""
    from cjlib.loaders import load_real_measures, load_tidy

    frames = [load_real_measures()] if defaults.use_real_data else []
    for name in defaults.measures_files:
        path = data_dir / name
        if not path.exists():
            raise CjlibDataError(f"{path}: measures file named in defaults.yaml not found")
        frames.append(load_tidy(path))
    return combine_measures(*frames)


def load_all_params(
    params_dir: Path, framework: Framework | None = None
) -> tuple[dict[str, AreaParameters], dict[str, str]]:
    """Load every area's parameters; a bad file is recorded, not raised."""
    params, problems = {}, {}
    for code in council_areas()["area_code"]:
        path = area_params_path(code, params_dir)
        try:
            params[code] = (
                load_area_params(path, framework)
                if path.exists()
                else AreaParameters(area_code=code)
            )
        except CjlibError as exc:
            problems[code] = str(exc)
    return params, problems


def build_tables(
    defaults: Defaults,
    framework: Framework,
    measures: pd.DataFrame,
    params: dict[str, AreaParameters],
    data_dir: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Compute every published table from the measures (see module docstring).

    Areas whose parameters declare local outcomes and a ``local_measures_file`` (read
    from ``data_dir``) get them computed with the same engine and appended.
    """
    from cjlib.assess import add_comparisons, assess_outcomes
    from cjlib.audit import audit_tables
    from cjlib.disclosure import suppress_results
    from cjlib.disclosure.cells import (
        denominators_to_hide,
        exempt_rows,
        hidden_cells,
        published_measures,
        rows_to_hide,
    )
    from cjlib.disclosure.fixpoint import covers_for
    from cjlib.indicators import compute_indicators

    grouping = defaults.comparator_grouping
    results = compute_indicators(
        measures, framework, confidence=defaults.confidence, groupings=(grouping,)
    )
    # disclosure control first: every comparison, rank and label below is derived from
    # the published view only, so none of them can reveal a suppressed or missing count
    family_of = family_membership(grouping)
    threshold = defaults.suppression_threshold
    from cjlib.assess.grades import not_used_reasons

    withdrawn = {
        (code, framework.indicator(ind).numerator)
        for (code, ind) in not_used_reasons(framework, params)
        if framework.indicator(ind).role != "derived"
    }

    def publish(covers: set) -> pd.DataFrame:
        hidden = hidden_cells(measures, framework, family_of, threshold, withdrawn, covers)
        results["suppressed"] = rows_to_hide(results, framework, hidden)
        exempt = exempt_rows(results, framework, published_measures(measures, framework))
        published = suppress_results(
            results,
            threshold,
            family_of=family_of,
            exempt=exempt,
            hidden_denominators=denominators_to_hide(results, framework, hidden),
        )
        return add_comparisons(
            published,
            baseline_period=defaults.baseline_period,
            grouping=grouping,
            confidence=defaults.confidence,
            primary_forms=framework.primary_forms(),
        )

    # suppress, attack, cover, until the audit is clean (cjlib.disclosure.fixpoint)
    covers: set = set()
    while True:
        published = publish(covers)
        findings = audit_tables(published, threshold, period=defaults.reporting_period)
        more = covers_for(findings, family_of, covers) - covers
        if not findings or not more:
            break
        covers |= more
    assessment, verdicts = assess_outcomes(published, framework, params, defaults.reporting_period)
    assessment["narrative"] = narratives(
        assessment, verdicts, published, framework, defaults.reporting_period,
        defaults.baseline_period, params,
    )  # fmt: skip
    local = [p for p in params.values() if p.local_outcomes and p.local_measures_file]
    if local and data_dir is not None:
        from cjlib.local_outcomes import build_local_tables

        extra = [build_local_tables(defaults, framework, measures, p, data_dir) for p in local]
        for part in extra:
            part["assessment"]["narrative"] = narratives(
                part["assessment"], part["verdicts"], part["results"], part["framework"],
                defaults.reporting_period, defaults.baseline_period, params,
            )  # fmt: skip
        published = pd.concat([published, *[e["results"] for e in extra]], ignore_index=True)
        assessment = pd.concat([assessment, *[e["assessment"] for e in extra]], ignore_index=True)
        verdicts = pd.concat([verdicts, *[e["verdicts"] for e in extra]], ignore_index=True)
    return {
        "measures": measures,
        "results": published,
        "assessment": assessment,
        "verdicts": verdicts,
    }


def narratives(
    assessment: pd.DataFrame,
    verdicts: pd.DataFrame,
    published: pd.DataFrame,
    framework: Framework,
    period: str,
    baseline: str,
    params: dict[str, AreaParameters] | None = None,
) -> list[str]:
    """Draft the narrative of every row of the assessment, from published figures only.

    The activity and planned actions come from each area's ``outcome_plans`` where given.
    """
    from cjlib.assess.narrative import draft_narrative

    wanted = published[published["geography"].isin(["council", "scotland"])]
    series: dict[str, dict[str, dict[str, dict]]] = {}
    for row in wanted.to_dict("records"):
        key = (
            row["indicator_id"]
            if row["geography"] == "council"
            else f"scotland:{row['indicator_id']}"
        )
        area = row["area_code"] if row["geography"] == "council" else "scotland"
        series.setdefault(area, {}).setdefault(key, {})[row["period"]] = row
    scotland = series.get("scotland", {})
    grades: dict[tuple[str, str], list[dict]] = {}
    for row in verdicts.to_dict("records"):
        grades.setdefault((row["area_code"], row["outcome"]), []).append(row)
    names = dict(zip(council_areas()["area_code"], council_areas()["area_name"], strict=True))
    return [
        draft_narrative(
            names[row["area_code"]],
            row,
            grades.get((row["area_code"], row["outcome"]), []),
            {**series.get(row["area_code"], {}), **scotland},
            framework,
            period=period,
            baseline=baseline,
            plan=plan_text((params or {}).get(row["area_code"]), row["outcome"]),
        )
        for row in assessment.to_dict("records")
    ]


def plan_text(params: AreaParameters | None, outcome: str) -> dict[str, str]:
    """The partnership's activity and planned actions for one outcome, as narrative text."""
    plan = params.outcome_plans.get(outcome) if params is not None else None
    if plan is None:
        return {}
    actions = ". Planned action: ".join(
        f"{a.text.rstrip('.')} (led by {' and '.join(a.lead_partners)}; {a.timescale.rstrip('.')})"
        for a in plan.actions
    )
    return {"activity": plan.activity.strip().rstrip("."), "actions": actions}


def prepare_batch(
    period: str | None = None,
    data_dir: str | Path | None = None,
    params_dir: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> BatchContext:
    """Do the heavy work once and cache it, keyed by a hash of every input.

    Parameters
    ----------
    period : str, optional
        The reporting period (default: ``reporting_period`` in defaults.yaml).
    data_dir, params_dir, cache_dir : path, optional
        The data folder (bundled data by default), the parameters folder and the
        cache folder (``outputs/.cache`` by default).

    Returns
    -------
    BatchContext
        The cache folder holding ``measures``, ``results`` (after disclosure
        control), ``assessment`` and ``verdicts`` as parquet, and ``meta.json``.
    """
    data_path, params_path = _resolve(data_dir, params_dir)
    defaults = load_defaults(params_path)
    if period:
        defaults = defaults.model_copy(update={"reporting_period": period})
    key = _digest(batch_inputs(data_path, params_path, defaults), f"{__version__}|{defaults}")
    directory = Path(cache_dir or OUTPUTS_DIR / ".cache") / key
    meta_path = directory / "meta.json"
    if meta_path.exists():
        return open_batch(directory)
    framework = load_framework(framework_path(defaults))
    measures = load_measures(defaults, data_path)
    params, problems = load_all_params(params_path, framework)
    tables = build_tables(defaults, framework, measures, params, data_path)
    disclosure = audit_before_writing(tables["results"], defaults)
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        with atomic_path(directory / f"{name}.parquet") as tmp:
            table.to_parquet(tmp, index=False)
    synthetic = bool(measures["source"].eq(SYNTHETIC_SOURCE).any())
    meta = {
        "key": key,
        "period": defaults.reporting_period,
        "baseline": defaults.baseline_period,
        "problems": problems,
        "synthetic": synthetic,
        "framework": framework_path(defaults).name,
        "defaults": defaults.model_dump(),
        "disclosure": disclosure,
    }
    write_text_atomic(json.dumps(meta, indent=2), meta_path)
    return open_batch(directory)


def audit_before_writing(results: pd.DataFrame, defaults: Defaults) -> str:
    """Attack the published tables before anything is written; return the finding, or "".

    The runner refuses to run any notebook or write any page while this is not empty.
    """
    from cjlib.audit import audit_message, audit_tables

    findings = audit_tables(
        results, defaults.suppression_threshold, period=defaults.reporting_period
    )
    return audit_message(findings)


def open_batch(directory: str | Path) -> BatchContext:
    """Open a batch cache folder made by :func:`prepare_batch` (one with ``meta.json``)."""
    directory = Path(directory)
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    return BatchContext(
        meta["key"],
        directory,
        meta["period"],
        meta["baseline"],
        meta["problems"],
        meta["synthetic"],
        Defaults.model_validate(meta["defaults"]),
        meta.get("disclosure", ""),
    )


def read_table(context: BatchContext, name: str, area_code: str | None = None) -> pd.DataFrame:
    """Read one cached table, optionally only one area's rows."""
    filters = [("area_code", "==", area_code)] if area_code else None
    return pd.read_parquet(context.directory / f"{name}.parquet", filters=filters)
