"""Selecting notebooks and areas, hashing inputs, and deciding what is up to date."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjlib.runner.hashes import InputHasher, hash_file, hash_tree
from cjlib.runner.plan import (
    CjlibSelectionError,
    RunSpec,
    is_up_to_date,
    plan_runs,
    select_areas,
    select_notebooks,
)

TEMPLATES = [
    Path(f"/nb/{name}.ipynb")
    for name in ("00_needs_assessment", "01_diversion", "03_bail_supervision", "10_cjoip_summary")
]


@pytest.mark.parametrize(
    "wanted",
    ["03", "3", "03_bail_supervision", "03_bail", "03_bail_supervision.ipynb", "notebooks/03_bail"],
)
def test_select_notebooks_accepts_number_stem_prefix_or_file(wanted):
    assert select_notebooks(TEMPLATES, [wanted]) == [TEMPLATES[2]]


def test_select_notebooks_keeps_template_order_and_defaults_to_all():
    assert select_notebooks(TEMPLATES, ["10", "00"]) == [TEMPLATES[0], TEMPLATES[3]]
    assert select_notebooks(TEMPLATES, None) == TEMPLATES


def test_select_notebooks_rejects_unknown_and_ambiguous_names():
    with pytest.raises(CjlibSelectionError, match="did you mean 03_bail_supervision"):
        select_notebooks(TEMPLATES, ["03_bail_supervison"])
    twins = [Path("/nb/05_health.ipynb"), Path("/nb/05_housing.ipynb")]
    with pytest.raises(CjlibSelectionError, match="ambiguous: it matches 05_health, 05_housing"):
        select_notebooks(twins, ["05"])
    with pytest.raises(CjlibSelectionError, match="unknown notebook '42'"):
        select_notebooks(TEMPLATES, ["42"])


def test_select_areas_by_code_or_name():
    assert select_areas(["S12000033", "fife"]) == [
        ("S12000033", "Aberdeen City"),
        ("S12000047", "Fife"),
    ]
    assert len(select_areas(None)) == 32


def test_select_areas_rejects_unknown_areas_and_scotland():
    with pytest.raises(CjlibSelectionError, match="unknown council area 'Fiffe'.*Fife"):
        select_areas(["Fiffe"])
    with pytest.raises(CjlibSelectionError, match="not a council area"):
        select_areas(["Scotland"])


def test_hash_tree_follows_content_and_names_but_not_caches(tmp_path):
    (tmp_path / "a.csv").write_text("1")
    first = hash_tree(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"x")
    (tmp_path / ".hidden").write_text("x")
    assert hash_tree(tmp_path) == first
    (tmp_path / "a.csv").write_text("2")
    assert hash_tree(tmp_path) != first
    (tmp_path / "a.csv").rename(tmp_path / "b.csv")
    assert hash_tree(tmp_path) not in (first, hash_tree(tmp_path / "missing"))
    assert hash_file(tmp_path / "missing.yaml") == "missing"


def test_run_hashes_separate_the_area_file_from_shared_inputs(tmp_path):
    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "S12000033.yaml").write_text("a: 1")
    notebook = tmp_path / "01.ipynb"
    notebook.write_text("{}")
    hasher = InputHasher(tmp_path / "data", tmp_path, tmp_path / "pkg")
    aberdeen = hasher.run_hashes(notebook, "S12000033")
    fife = hasher.run_hashes(notebook, "S12000047")
    assert aberdeen["area_parameters"] != fife["area_parameters"] == "missing"
    assert {k: v for k, v in aberdeen.items() if k != "area_parameters"} == {
        k: v for k, v in fife.items() if k != "area_parameters"
    }


def _spec(hashes=None) -> RunSpec:
    return RunSpec("S12000033", "Aberdeen City", "01_ok", Path("01_ok.ipynb"), hashes or {"n": "1"})


def _entry(status="ok", hashes=None, outputs=("S12000033/01_ok.html",)) -> dict:
    return {"status": status, "hashes": hashes or {"n": "1"}, "outputs": list(outputs)}


def test_up_to_date_needs_ok_status_same_hashes_and_outputs_present(tmp_path):
    (tmp_path / "S12000033").mkdir()
    (tmp_path / "S12000033" / "01_ok.html").write_text("x")
    assert is_up_to_date(_spec(), _entry(), tmp_path)
    assert is_up_to_date(_spec(), _entry("skipped"), tmp_path)
    assert not is_up_to_date(_spec(), _entry("failed"), tmp_path)
    assert not is_up_to_date(_spec(), _entry(hashes={"n": "2"}), tmp_path)
    assert not is_up_to_date(_spec(), _entry(outputs=("S12000033/gone.html",)), tmp_path)
    assert not is_up_to_date(_spec(), _entry(outputs=()), tmp_path)
    assert not is_up_to_date(_spec(), None, tmp_path)


def test_plan_runs_longest_first_and_force(tmp_path):
    specs = [
        RunSpec(code, code, "01_ok", Path("01_ok.ipynb"), {"n": "1"}) for code in ("A", "B", "C")
    ]
    previous = {("A", "01_ok"): {"status": "failed", "ran_seconds": 2.0, "hashes": {}}}
    previous[("B", "01_ok")] = {"status": "failed", "ran_seconds": 9.0, "hashes": {}}
    plan = plan_runs(specs, previous, tmp_path)
    assert [s.area_code for s in plan.to_run] == ["C", "B", "A"]  # never timed, then slowest
    assert plan.total == 3 and plan.skipped == []
