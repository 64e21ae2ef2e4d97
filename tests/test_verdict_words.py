"""Words match evidence, over every area and outcome of the bundled data (issue 22).

An independent oracle, written in plain Python from the rules text of
``cjlib/assess/rules.py`` (no pandas logic and no cjlib.assess code), recomputes every
national outcome's status from the published results table and the areas' targets.
Then every reason, "how near" and narrative is checked against the records behind it:
no change word for a measure whose change was not significant, no "improved" without
an improved measure, no "maintained" without the maintained route, comparisons only
where a success form was significantly different; and the national and local counts
add up.
"""

from __future__ import annotations

import math
import re

import pytest

from cjlib import pipeline
from cjlib.framework import load_framework
from cjlib.params import load_area_params
from cjlib.paths import PARAMETERS_DIR

FW = load_framework()
PERIOD, BASELINE = "2023-24", "2019-20"


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    context = pipeline.prepare_batch(cache_dir=tmp_path_factory.mktemp("cache"))
    return {
        name: pipeline.read_table(context, name).to_dict("records")
        for name in ("results", "assessment", "verdicts")
    }


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _oracle_status(area: str, outcome: str, results: dict, params) -> str:
    """The rules of cjlib/assess/rules.py, written again by hand."""
    inds = [i for i in FW.indicators if i.outcome == outcome and i.geography == "council"]
    inds = [i for i in inds if i.role in ("national", "derived", "local_evidence")]
    not_used = set(params.indicators_not_used)
    used = [i for i in inds if i.id not in not_used and (i.derived_from or i.id) not in not_used]
    measures: dict[str, list] = {}
    for ind in used:
        measures.setdefault(ind.derived_from or ind.id, []).append(ind)
    targets = {k: t.value for k, t in params.targets.items() if t.period in (None, PERIOD)}

    def target_met(ind) -> bool:
        row = results.get((area, ind.id))
        if ind.id not in targets or row is None or _nan(row["value"]) or row["suppressed"]:
            return False
        if ind.polarity == "higher_is_better":
            return row["value"] >= targets[ind.id]
        if ind.polarity == "lower_is_better":
            return row["value"] <= targets[ind.id]
        return False

    change, held, slipping = {}, {}, {}
    for mid, forms in measures.items():
        flagged = [f for f in forms if f.change_form]
        primary = flagged[0] if flagged else next((f for f in forms if f.id == mid), None)
        row = results.get((area, primary.id)) if primary else None
        met = any(target_met(f) for f in forms)
        judged = (
            row is not None
            and not _nan(row["value"])
            and not row["suppressed"]
            and primary.polarity != "none"
            and (row["change_label"] != "not compared" or primary.id in targets)
        )
        if judged and row["change_judgement"] == "worse":
            change[mid] = "worsened"
        elif (judged and row["change_judgement"] == "better") or met:
            change[mid] = "improved"
        elif judged:
            change[mid] = "no clear change"
        else:
            change[mid] = "not judged"
        successes = [
            f
            for f in sorted(forms, key=lambda f: f is not primary)
            if (f.evidence or ("success" if f.type == "proportion" else "volume")) == "success"
            and f.polarity != "none"
            and results.get((area, f.id), {}).get("compare_scotland")
            in ("better", "worse", "not significantly different")
        ]
        held[mid] = bool(successes) and results[(area, successes[0].id)]["compare_scotland"] == (
            "better"
        )
        slipping[mid] = row is not None and (
            (
                primary.polarity == "higher_is_better"
                and not _nan(row["baseline_value"])
                and not _nan(row["value"])
                and row["value"] < row["baseline_value"]
            )
            or (
                primary.polarity == "lower_is_better"
                and not _nan(row["baseline_value"])
                and not _nan(row["value"])
                and row["value"] > row["baseline_value"]
            )
            or (primary.polarity == "higher_is_better" and row["trend"] == "falling")
            or (primary.polarity == "lower_is_better" and row["trend"] == "rising")
        )
    national = [m for m in measures if FW.indicator(m).role == "national"]
    core = national or list(measures)
    headline_id = FW.outcome(outcome).headline
    head = FW.indicator(headline_id).derived_from or headline_id if headline_id else None
    if head not in core:
        head = core[0] if core else None
    n_judged = sum(change[m] != "not judged" for m in core)
    if head is None or change[head] == "not judged" or 2 * n_judged < len(core):
        return "insufficient evidence"
    any_worse = any(c == "worsened" for c in change.values())
    any_better = any(c == "improved" for c in change.values())
    if change[head] == "worsened" or (any_worse and not any_better):
        return "not achieved: worsening"
    if change[head] == "improved" and not any_worse and not slipping[head]:
        return "achieved: improved"
    if change[head] == "no clear change" and held[head] and not any_worse and not slipping[head]:
        return "achieved: maintained"
    if any_better:
        return "partly achieved"
    return "not yet achieved: no clear change"


def test_every_national_status_agrees_with_the_hand_written_oracle(tables):
    results = {
        (r["area_code"], r["indicator_id"]): r
        for r in tables["results"]
        if r["period"] == PERIOD and r["geography"] == "council"
    }
    params = {}
    disagreements = []
    for row in tables["assessment"]:
        if row["local"]:
            continue
        code = row["area_code"]
        if code not in params:
            params[code] = load_area_params(PARAMETERS_DIR / "areas" / f"{code}.yaml", FW)
        expected = _oracle_status(code, row["outcome"], results, params[code])
        if expected != row["status"]:
            disagreements.append((code, row["outcome"], row["status"], expected))
    assert not disagreements, disagreements[:5]


NEGATED = re.compile(r"no measure improved|no measure worsened|none worsened")


def _words(text: str) -> str:
    return NEGATED.sub("", text)


def test_every_reason_and_narrative_uses_only_words_its_records_support(tables):
    grades: dict[tuple[str, str], list[dict]] = {}
    for g in tables["verdicts"]:
        grades.setdefault((g["area_code"], g["outcome"]), []).append(g)
    problems = []
    for row in tables["assessment"]:
        forms = [g for g in grades.get((row["area_code"], row["outcome"]), []) if g["used"]]
        changes = {g["change"] for g in forms if g["primary"]} | (
            {"improved"} if any(g["target_met"] for g in forms) else set()
        )
        significant = {g["change_label"] for g in forms if g["primary"]}
        success_labels = {
            g["compare_scotland"] for g in forms if g["comparison_role"] == "judged"
        } | {g["compare_family"] for g in forms if g["comparison_role"] == "judged"}
        text = _words(" ".join([row["narrative"], row["how_near"], row["priority_reasons"]]))
        where = f"{row['area_code']} {row['outcome']}"
        if re.search(r"\bimproved\b", text) and "improved" not in changes:
            problems.append(f"{where}: 'improved' without an improved measure")
        if re.search(r"\bworsen(ed|ing)\b", text) and "worsened" not in changes:
            problems.append(f"{where}: 'worsened' without a worsened measure")
        if re.search(r"\bdeclin", text):
            problems.append(f"{where}: 'declined' is not a word of either axis")
        if "rose significantly" in text and "significant increase" not in significant:
            problems.append(f"{where}: 'rose significantly' without a significant increase")
        if "fell significantly" in text and "significant decrease" not in significant:
            problems.append(f"{where}: 'fell significantly' without a significant decrease")
        if "significantly better than" in text and "better" not in success_labels:
            problems.append(f"{where}: 'better than' without a success form better")
        if "significantly worse than" in text and "worse" not in success_labels:
            problems.append(f"{where}: 'worse than' without a success form worse")
        if "maintained" in text and row["status"] != "achieved: maintained":
            problems.append(f"{where}: 'maintained' on status {row['status']}")
        if "Example:" in row["narrative"]:
            problems.append(f"{where}: 'Example:' inside the narrative")
    assert not problems, problems[:8]


def test_national_and_local_counts_add_up(tables):
    by_area: dict[str, list[dict]] = {}
    for row in tables["assessment"]:
        by_area.setdefault(row["area_code"], []).append(row)
    assert len(by_area) == 32
    for code, rows in by_area.items():
        national = [r for r in rows if not r["local"]]
        local = [r for r in rows if r["local"]]
        assert sorted(r["outcome_number"] for r in national) == list(range(1, 10)), code
        params = load_area_params(PARAMETERS_DIR / "areas" / f"{code}.yaml", FW)
        expected_local = len(params.local_outcomes) if params.local_measures_file else 0
        assert len(local) == expected_local, code
        for r in rows:
            counted = sum(
                r[f"measures_{c}"]
                for c in ("improved", "no_clear_change", "worsened", "not_judged")
            )
            used = {g.split(":")[0] for g in r["indicators_used"].split(", ") if g}
            roots = {FW.indicator(i).measure_id for i in used if i in {x.id for x in FW.indicators}}
            if not r["local"]:
                roots = {m for m in roots if FW.indicator(m).geography == "council"}
                assert counted == len(roots), (code, r["outcome"])
