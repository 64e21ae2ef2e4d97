"""The tidy CSV / parquet loader: names, legacy codes, period spellings and markers."""

from pathlib import Path

import pandas as pd
import pytest

from cjlib.errors import CjlibDataError
from cjlib.loaders import load_report, load_tidy
from cjlib.measures import MEASURE_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "loaders"
VARIANTS = FIXTURES / "tidy_variants.csv"


def _row(frame, area, period="2021-22", measure="cpo_commenced"):
    hit = frame[
        frame["area_code"].eq(area) & frame["period"].eq(period) & frame["measure_id"].eq(measure)
    ]
    assert len(hit) == 1, (area, period, measure)
    return hit.iloc[0]


@pytest.fixture(scope="module")
def variants():
    return load_tidy(VARIANTS)


def test_columns_are_the_tidy_table(variants):
    assert list(variants.columns) == MEASURE_COLUMNS
    assert variants["value"].dtype == float


@pytest.mark.parametrize(
    ("area", "value"),
    [
        ("S12000049", 1500),  # legacy S12000046, Glasgow City
        ("S12000050", 700),  # legacy S12000044, North Lanarkshire
        ("S12000047", 650),  # legacy S12000015, Fife, period 2021-2022
        ("S12000048", 300),  # legacy S12000024, Perth and Kinross
        ("S12000036", 900),  # "Edinburgh, City of"
        ("S12000035", 1234),  # "Argyll & Bute", value "1,234"
        ("S92000003", 14700),  # "Scotland", kept as its own row
    ],
)
def test_codes_and_names_map_to_current_codes(variants, area, value):
    assert _row(variants, area)["value"] == value


@pytest.mark.parametrize(
    ("area", "period", "marker"),
    [
        ("S12000013", "2021-22", "[c]"),  # "Eilean Siar", value "[c]"
        ("S12000013", "2022-23", "[c]"),  # "Na h-Eileanan an Iar", marker column "*"
        ("S12000023", "2021-22", "[low]"),  # "orkney"
        ("S12000027", "2021-22", "[x]"),  # "SHETLAND", value "-"
    ],
)
def test_suppressed_and_missing_cells_keep_their_marker(variants, area, period, marker):
    row = _row(variants, area, period)
    assert pd.isna(row["value"])
    assert row["marker"] == marker


def test_qualified_value_keeps_value_and_marker(variants):
    row = _row(variants, "S12000048", "2022-23")  # "Perth & Kinross", "310 [p]"
    assert (row["value"], row["marker"]) == (310, "[p]")


def test_unknowns_are_reported_not_loaded(variants):
    report = load_report(variants)
    assert report["unknown_areas"] == ["Atlantis"]
    assert report["unreadable_periods"] == ["2021/2023"]
    assert report["unreadable_values"] == ["lots"]
    assert _row(variants, "S12000033")["marker"] == "?"


def test_source_defaults_to_file_name(variants):
    assert _row(variants, "S12000047")["source"] == "tidy_variants.csv"
    assert _row(variants, "S12000049")["source"] == "Justice Social Work Statistics"


def test_strict_raises_with_every_unknown():
    with pytest.raises(CjlibDataError, match="Atlantis"):
        load_tidy(VARIANTS, strict=True)


def test_parquet_round_trip(tmp_path, variants):
    path = tmp_path / "measures.parquet"
    raw = pd.DataFrame(
        {
            "area_code": ["Glasgow", "S12000046", "Scotland"],
            "period": ["2021/22", "2022/2023", "2021-2022"],
            "measure_id": ["cpo_commenced"] * 3,
            "value": [12.0, None, 30.0],
            "marker": [None, "[c]", ""],
        }
    )
    raw.to_parquet(path)
    frame = load_tidy(path, source="test")
    assert list(frame["area_code"]) == ["S12000049", "S12000049", "S92000003"]
    assert list(frame["period"]) == ["2021-22", "2022-23", "2021-22"]
    assert frame["marker"].tolist() == ["", "[c]", ""]
    assert (frame["source"] == "test").all()


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(CjlibDataError, match="missing required column"):
        load_tidy(Path(__file__).parent / "fixtures" / "validate" / "tidy_missing_columns.csv")
