"""cjlib.params and the committed parameters/ folder.

Every committed file must load; every broken file must raise CjlibParameterError whose
message names the file and the key. Broken copies are written into tmp_path.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from cjlib.errors import CjlibParameterError
from cjlib.params import (
    AreaParameters,
    area_params_or_default,
    load_area_params,
    load_defaults,
)
from cjlib.paths import COUNCIL_AREAS_CSV, PARAMETERS_DIR

AREA_FILES = sorted((PARAMETERS_DIR / "areas").glob("*.yaml"))
with COUNCIL_AREAS_CSV.open(encoding="utf-8", newline="") as _handle:
    COUNCIL_CODES = {row["area_code"] for row in csv.DictReader(_handle)}


# --- committed files ----------------------------------------------------------------


def test_defaults_yaml_exists_and_loads():
    assert (PARAMETERS_DIR / "defaults.yaml").exists()
    defaults = load_defaults()
    raw = yaml.safe_load((PARAMETERS_DIR / "defaults.yaml").read_text(encoding="utf-8"))
    assert defaults.reporting_period == raw["reporting_period"]
    assert defaults.baseline_period == raw["baseline_period"]
    assert defaults.suppression_threshold == raw["suppression_threshold"]
    assert defaults.comparator_grouping in ("deprivation", "urban_rural")
    assert 0 < defaults.confidence < 1
    # the baseline comes before the reporting year
    assert defaults.baseline_period < defaults.reporting_period


def test_there_is_one_committed_file_per_council_area():
    assert {path.stem for path in AREA_FILES} == COUNCIL_CODES


@pytest.mark.parametrize("path", AREA_FILES, ids=lambda p: p.stem)
def test_every_committed_area_file_loads_and_matches_its_name(path):
    params = load_area_params(path)
    assert params.area_code == path.stem
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["area_code"] == path.stem
    for reason in params.indicators_not_used.values():
        assert reason.strip()


@pytest.mark.parametrize("path", AREA_FILES, ids=lambda p: p.stem)
def test_committed_area_files_name_known_indicators_and_outcomes(path):
    from cjlib.framework import load_framework

    framework = load_framework()
    indicators = {i.id for i in framework.indicators}
    outcomes = {o.id for o in framework.outcomes}
    params = load_area_params(path)
    assert set(params.indicators_not_used) <= indicators
    assert set(params.targets) <= indicators
    assert set(params.priorities) <= outcomes


def test_area_without_a_file_gets_empty_parameters(tmp_path):
    params = area_params_or_default("S12000033", tmp_path)
    assert params == AreaParameters(area_code="S12000033")


# --- errors -------------------------------------------------------------------------


def write_area(tmp_path: Path, text: str, name: str = "S12000033.yaml") -> Path:
    folder = tmp_path / "areas"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def area_error(path: Path) -> str:
    with pytest.raises(CjlibParameterError) as info:
        load_area_params(path)
    message = str(info.value)
    assert str(path) in message, "the error must name the file"
    return message


def defaults_error(tmp_path: Path, text: str) -> str:
    (tmp_path / "defaults.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CjlibParameterError) as info:
        load_defaults(tmp_path)
    message = str(info.value)
    assert str(tmp_path / "defaults.yaml") in message, "the error must name the file"
    return message


def test_unknown_key_in_an_area_file(tmp_path):
    message = area_error(write_area(tmp_path, "area_code: S12000033\ncolour: red\n"))
    assert "colour" in message
    assert "unknown key" in message


def test_unknown_nested_key_in_a_target(tmp_path):
    text = "area_code: S12000033\ntargets:\n  NI02_rate: {value: 3, colour: red}\n"
    message = area_error(write_area(tmp_path, text))
    assert "targets.NI02_rate.colour" in message


def test_unknown_key_in_defaults(tmp_path):
    message = defaults_error(tmp_path, "reporting_period: '2023-24'\nreporting_year: '2023-24'\n")
    assert "reporting_year" in message


@pytest.mark.parametrize("key", ["reporting_period", "baseline_period"])
def test_bad_period_in_defaults(tmp_path, key):
    message = defaults_error(tmp_path, f'{key}: "2023"\n')
    assert key in message
    assert "2023-24" in message  # says what was expected


def test_period_spellings_in_defaults_are_normalised(tmp_path):
    (tmp_path / "defaults.yaml").write_text(
        'reporting_period: "2023/2024"\nbaseline_period: "2019/20"\n', encoding="utf-8"
    )
    defaults = load_defaults(tmp_path)
    assert defaults.reporting_period == "2023-24"
    assert defaults.baseline_period == "2019-20"


def test_bad_period_in_a_target(tmp_path):
    text = 'area_code: S12000033\ntargets:\n  NI02_rate: {value: 3, period: "2023"}\n'
    message = area_error(write_area(tmp_path, text))
    assert "targets.NI02_rate.period" in message


@pytest.mark.parametrize("code", ["S12000099", "Atlantis", "S92000003"])
def test_unknown_area(tmp_path, code):
    message = area_error(write_area(tmp_path, f"area_code: {code}\n", name="area.yaml"))
    assert "area_code" in message
    assert code in message


def test_area_code_must_match_the_file_name(tmp_path):
    message = area_error(write_area(tmp_path, "area_code: S12000034\n"))
    assert "area_code" in message
    assert "S12000034" in message


def test_legacy_code_in_a_legacy_named_file_is_flagged(tmp_path):
    # the file must be named for the current code (S12000047), not the legacy one
    message = area_error(write_area(tmp_path, "area_code: S12000015\n", name="S12000015.yaml"))
    assert "S12000047" in message


def test_missing_area_code(tmp_path):
    message = area_error(write_area(tmp_path, "context: hello\n"))
    assert "area_code" in message


@pytest.mark.parametrize("reason", ['""', '"   "', ""])
def test_indicator_not_used_without_a_reason(tmp_path, reason):
    text = f"area_code: S12000033\nindicators_not_used:\n  NI07: {reason}\n"
    message = area_error(write_area(tmp_path, text))
    assert "indicators_not_used" in message
    assert "NI07" in message


def test_indicator_not_used_must_be_a_known_indicator(tmp_path):
    text = "area_code: S12000033\nindicators_not_used:\n  NI7: recorded regionally\n"
    message = area_error(write_area(tmp_path, text))
    assert "indicators_not_used.NI7" in message or "NI7" in message


def test_invalid_yaml(tmp_path):
    message = area_error(write_area(tmp_path, "area_code: [S12000033\ncontext: x\n"))
    assert "YAML" in message


def test_invalid_yaml_in_defaults(tmp_path):
    defaults_error(tmp_path, "reporting_period: [2023\n")


@pytest.mark.parametrize("text", ["- a\n- b\n", "just some text\n", "42\n"])
def test_non_mapping(tmp_path, text):
    message = area_error(write_area(tmp_path, text))
    assert "mapping" in message


def test_non_mapping_defaults(tmp_path):
    message = defaults_error(tmp_path, "- reporting_period\n")
    assert "mapping" in message


def test_missing_area_file(tmp_path):
    area_error(tmp_path / "areas" / "S12000033.yaml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("confidence: 1.5\n", "confidence"),
        ("suppression_threshold: 0\n", "suppression_threshold"),
        ("comparator_grouping: by_size\n", "comparator_grouping"),
    ],
)
def test_out_of_range_defaults(tmp_path, text, key):
    assert key in defaults_error(tmp_path, text)


def test_local_outcomes_and_indicators_follow_the_framework_schema(tmp_path):
    from cjlib.params import load_area_params

    good = tmp_path / "S12000033.yaml"
    good.write_text(
        "area_code: S12000033\n"
        "local_measures:\n"
        "  - {id: mentoring_starts, title: People starting peer mentoring, kind: count}\n"
        "local_outcomes:\n"
        "  - {id: L1, number: 10, title: More people receive peer mentoring, local: true}\n"
        "local_indicators:\n"
        "  - {id: LOC_mentoring, outcome: L1, title: Peer mentoring starts, definition: Starts,\n"
        "     type: count, numerator: mentoring_starts, polarity: higher_is_better, unit: people,\n"
        "     source: Local partners, role: local_evidence, wording_status: local}\n"
        "targets:\n"
        "  LOC_mentoring: {value: 40}\n"
    )
    params = load_area_params(good)
    assert params.local_indicators[0].id == "LOC_mentoring"
    bad = tmp_path / "S12000034.yaml"
    bad.write_text(
        "area_code: S12000034\n"
        "local_indicators:\n"
        "  - {id: LOC_x, outcome: L9, title: X, definition: X, type: count, numerator: nothing,\n"
        "     polarity: higher_is_better, unit: people, source: Local, role: local_evidence,\n"
        "     wording_status: local}\n"
    )
    with pytest.raises(
        CjlibParameterError, match=r"S12000034.yaml.*unknown numerator measure 'nothing'"
    ):
        load_area_params(bad)
