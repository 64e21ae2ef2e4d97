"""cjlib.packs, unit by unit: the parts a batch run covers only end to end.

Expected values are worked by hand from the inputs each test writes (the bundled
CJPF 2023 has nine national outcomes, numbered 1 to 9).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import GLASGOW

from cjlib.framework import load_framework
from cjlib.packs.area import _downloads, build_area_pack
from cjlib.packs.settings import PROVENANCE, SYNTHETIC_PROVENANCE, PackSettings


def settings_for(period_dir: Path, synthetic: bool = False) -> PackSettings:
    """Settings with only what the early returns of build_area_pack read."""
    assessment = pd.DataFrame(
        {
            "area_code": [GLASGOW, GLASGOW, "S12000023"],
            "outcome": ["O2", "O1", "O1"],
            "outcome_number": [2, 1, 1],
            "status": ["on track", "off track", "on track"],
        }
    )
    return PackSettings(
        period="2023-24",
        period_dir=period_dir,
        framework=load_framework(),
        results=pd.DataFrame(),
        assessment=assessment,
        built="01 December 2026 09:00",
        synthetic=synthetic,
        prepared=None,
        data_status={},
    )


def test_downloads_list_the_two_tables_first_then_other_csvs_by_name(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("indicators.csv", "assessment.csv", "zeta.csv", "alpha.csv", "notes.txt"):
        (data / name).write_text("x\n")
    assert _downloads(tmp_path) == [
        ("All indicator results (CSV)", "data/indicators.csv"),
        ("Outcome assessment (CSV)", "data/assessment.csv"),
        ("alpha.csv", "data/alpha.csv"),
        ("zeta.csv", "data/zeta.csv"),
    ]


def test_downloads_name_the_two_tables_even_before_they_are_written(tmp_path):
    assert _downloads(tmp_path) == [
        ("All indicator results (CSV)", "data/indicators.csv"),
        ("Outcome assessment (CSV)", "data/assessment.csv"),
    ]


def test_an_area_with_no_runs_shows_every_outcome_as_not_run(tmp_path):
    row = build_area_pack(settings_for(tmp_path), GLASGOW, "Glasgow City", [])
    assert row == {
        "code": GLASGOW,
        "name": "Glasgow City",
        "href": None,
        "statuses": {n: "not run" for n in range(1, 10)},
    }


def test_an_area_whose_every_run_failed_loses_its_front_page(tmp_path):
    index = tmp_path / GLASGOW / "index.html"
    index.parent.mkdir()
    index.write_text("<html></html>")
    runs = [{"notebook": "01_outcome1", "status": "failed"}]
    row = build_area_pack(settings_for(tmp_path), GLASGOW, "Glasgow City", runs)
    assert row["href"] is None
    assert row["statuses"] == {n: "failed" for n in range(1, 10)}
    assert not index.exists()


@pytest.mark.parametrize("synthetic", [False, True])
def test_the_demonstration_source_is_listed_only_for_synthetic_data(tmp_path, synthetic):
    sources = settings_for(tmp_path, synthetic).provenance
    assert sources[: len(PROVENANCE)] == PROVENANCE
    assert (SYNTHETIC_PROVENANCE in sources) is synthetic
    assert len(sources) == len(PROVENANCE) + synthetic
