"""Local outcomes: a partnership's own outcomes, computed by the engine of the national ones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cjlib.errors import CjlibDataError
from cjlib.framework import Framework
from cjlib.params import AreaParameters, Defaults


def local_framework(framework: Framework, params: AreaParameters) -> Framework:
    """Return a framework holding only an area's local outcomes and indicators.

    The national measures stay available, so a local rate can use the population.
    """
    data = framework.model_dump()
    data.update(
        id=f"{framework.id}-local-{params.area_code}",
        outcomes=[o.model_dump() for o in params.local_outcomes],
        indicators=[i.model_dump() for i in params.local_indicators],
        measures=data["measures"] + [m.model_dump() for m in params.local_measures],
        priority_actions_without_outcome=[],
        logic_models={},
    )
    return Framework.model_validate(data)


def area_framework(framework: Framework, params: AreaParameters) -> Framework:
    """Return the national framework with one area's local outcomes and indicators added."""
    if not (params.local_outcomes or params.local_indicators or params.local_measures):
        return framework
    return framework.extend(
        [o.model_dump() for o in params.local_outcomes],
        [i.model_dump() for i in params.local_indicators],
        [m.model_dump() for m in params.local_measures],
    )


def load_local_measures(params: AreaParameters, data_dir: Path) -> pd.DataFrame:
    """Load the tidy file named by ``local_measures_file``, keeping only the area's own rows.

    Raises
    ------
    CjlibDataError
        When the file is missing or holds a measure the parameters do not declare.
    """
    from cjlib.loaders import load_tidy

    path = Path(data_dir) / str(params.local_measures_file)
    if not path.exists():
        raise CjlibDataError(
            f"{path}: local_measures_file named in the parameters of {params.area_code} "
            "not found; put it in the data folder"
        )
    rows = load_tidy(path)
    rows = rows[rows["area_code"] == params.area_code]
    declared = {m.id for m in params.local_measures}
    unknown = sorted(set(rows["measure_id"]) - declared)
    if unknown:
        raise CjlibDataError(
            f"{path}: measure_id {unknown[0]!r} is not one of the local_measures declared "
            f"in the parameters of {params.area_code} ({', '.join(sorted(declared))})"
        )
    return rows


def build_local_tables(
    defaults: Defaults,
    framework: Framework,
    measures: pd.DataFrame,
    params: AreaParameters,
    data_dir: Path,
) -> dict[str, pd.DataFrame]:
    """Compute one area's local outcomes: indicators, suppression, comparisons, verdicts.

    The same functions as the national tables, in the same order (disclosure control
    first). Local data has no Scotland or family rows, so local indicators are judged
    against their baseline and any local target.
    """
    from cjlib.assess import add_comparisons, assess_outcomes
    from cjlib.disclosure import suppress_results
    from cjlib.disclosure.cells import hidden_cells, rows_to_hide
    from cjlib.indicators import compute_indicators
    from cjlib.measures import combine_measures

    fw = local_framework(framework, params)
    code = params.area_code
    own = measures[(measures["area_code"] == code) & measures["measure_id"].isin(fw.measure_ids)]
    rows = combine_measures(own, load_local_measures(params, data_dir))
    results = compute_indicators(rows, fw, confidence=defaults.confidence, groupings=())
    results = results[results["area_code"] == code].reset_index(drop=True)
    threshold = defaults.suppression_threshold
    hidden = hidden_cells(rows, fw, {code: "local"}, threshold)
    results["suppressed"] = rows_to_hide(results, fw, hidden)
    published = suppress_results(results, threshold, family_of={})
    published = add_comparisons(
        published,
        baseline_period=defaults.baseline_period,
        grouping=defaults.comparator_grouping,
        confidence=defaults.confidence,
        primary_forms=fw.primary_forms(),
    )
    assessment, verdicts = assess_outcomes(published, fw, {code: params}, defaults.reporting_period)
    return {"results": published, "assessment": assessment, "verdicts": verdicts, "framework": fw}
