"""cjlib.framework and the bundled Community Justice Performance Framework (2023).

The expected content is the domain brief (nine outcomes, the national indicators, the
reconviction headline indicator, confirmed wording for outcomes 1-3 only). The YAML
file is read here with PyYAML as well as through cjlib, so a check never relies on the
loader it is checking.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from cjlib.errors import CjlibFrameworkError
from cjlib.framework import load_framework
from cjlib.paths import DEFAULT_FRAMEWORK

RAW = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
FW = load_framework()

#: Outcome titles from the domain brief (Community Justice Performance Framework, 2023).
OUTCOME_TITLES = {
    1: "More people successfully complete diversion from prosecution",
    2: "More people in police custody receive support to address their needs",
    3: "More people are assessed for and successfully complete bail supervision",
    4: "More people access services to support desistance and successfully complete "
    "community sentences",
    5: "More people have access to, and continuity of, health and social care following "
    "release from a prison sentence",
    6: "More people have access to suitable accommodation following release from a prison sentence",
    7: "More people with convictions access support to enhance their readiness for employment",
    8: "More people access voluntary throughcare following a short term prison sentence",
    9: "More people across the workforce and in the community understand, and have "
    "confidence in, community justice",
}


def outcome_id(number: int) -> str:
    return next(o["id"] for o in RAW["outcomes"] if o["number"] == number)


def raw_indicators(number: int, role: str | None = None) -> list[dict]:
    oid = outcome_id(number)
    return [
        i for i in RAW["indicators"] if i["outcome"] == oid and (role is None or i["role"] == role)
    ]


# --- content ------------------------------------------------------------------------


def test_nine_outcomes_numbered_one_to_nine():
    numbers = [o["number"] for o in RAW["outcomes"]]
    assert sorted(numbers) == list(range(1, 10))
    assert len({o["id"] for o in RAW["outcomes"]}) == 9
    assert sorted(o.number for o in FW.outcomes) == list(range(1, 10))


@pytest.mark.parametrize("number", range(1, 10))
def test_outcome_titles_follow_the_framework(number):
    assert FW.outcome(number).title == OUTCOME_TITLES[number]
    assert FW.outcome(outcome_id(number)).number == number


@pytest.mark.parametrize("number", range(1, 10))
def test_each_outcome_has_a_national_indicator(number):
    assert raw_indicators(number, "national"), f"outcome {number} has no national indicator"


@pytest.mark.parametrize("number", range(1, 10))
def test_each_outcome_has_local_evidence(number):
    assert raw_indicators(number, "local_evidence"), (
        f"outcome {number} has no local_evidence indicator"
    )


def test_reconviction_headline_indicator_exists():
    headline = [i for i in RAW["indicators"] if i["role"] == "headline"]
    rates = [
        i
        for i in headline
        if i["numerator"] == "reconvicted_offenders" and i["denominator"] == "reconviction_cohort"
    ]
    assert len(rates) == 1
    rate = rates[0]
    assert rate["type"] == "proportion"
    assert rate["polarity"] == "lower_is_better"
    assert "reconviction" in rate["title"].lower()
    assert "one-year" in rate["title"].lower() or "one year" in rate["title"].lower()
    assert rate["outcome"] is None  # across the suite, not one outcome
    per_offender = [i for i in headline if i["numerator"] == "reconvictions"]
    assert per_offender and per_offender[0]["denominator"] == "reconviction_cohort"


def _count_nationals_needing_comparable_form() -> list[str]:
    return [
        i["id"]
        for n in (1, 2, 3, 4, 7, 8)
        for i in raw_indicators(n, "national")
        if i["type"] == "count"
    ]


@pytest.mark.parametrize("indicator_id", _count_nationals_needing_comparable_form())
def test_national_counts_have_a_derived_comparable_rate_or_share(indicator_id):
    derived = [
        i
        for i in RAW["indicators"]
        if i.get("derived_from") == indicator_id and i["type"] in ("rate", "proportion")
    ]
    assert derived, f"{indicator_id} has no rate or share derived from it"
    source = next(i for i in RAW["indicators"] if i["id"] == indicator_id)
    for item in derived:
        assert item["outcome"] == source["outcome"]
        assert item["denominator"]
        # a rate is per head of population; a share is out of a count of people
        if item["type"] == "rate":
            assert item["denominator"] == RAW["population_measure"]


def test_the_list_of_national_counts_is_the_one_in_the_brief():
    # outcomes 1 (a, b, c), 2, 3 (a, b, c), 4 (CPO and DTTO commenced), 7 and 8
    assert len(_count_nationals_needing_comparable_form()) == 11


@pytest.mark.parametrize("number", [1, 2, 3])
def test_wording_confirmed_for_outcomes_one_to_three(number):
    for item in raw_indicators(number, "national"):
        assert item["wording_status"] == "confirmed", item["id"]


@pytest.mark.parametrize("number", range(4, 10))
def test_wording_never_claims_confirmed_for_outcomes_four_to_nine(number):
    for item in raw_indicators(number):
        assert item["wording_status"] != "confirmed", item["id"]


def test_wording_for_one_to_three_matches_the_brief():
    titles = {i["id"]: i["title"] for n in (1, 2, 3) for i in raw_indicators(n, "national")}
    text = " ".join(titles.values()).lower()
    for phrase in (
        "assessments undertaken",
        "cases commenced",
        "cases successfully completed",
        "referrals from custody centres",
        "assessment reports for bail suitability",
        "bail supervision cases commenced",
        "bail supervision cases successfully completed",
    ):
        assert phrase in text


def test_scotland_only_indicator_is_ni09():
    scotland_only = {i["id"] for i in RAW["indicators"] if i.get("geography") == "scotland"}
    assert "NI09" in scotland_only


def test_every_indicator_references_known_measures_and_outcomes():
    measures = {m["id"] for m in RAW["measures"]}
    outcomes = {o["id"] for o in RAW["outcomes"]}
    for item in RAW["indicators"]:
        assert item["numerator"] in measures
        if item.get("denominator") is not None:
            assert item["denominator"] in measures
        assert item["outcome"] is None or item["outcome"] in outcomes
        if item["type"] == "count":
            assert item.get("denominator") is None


def test_loaded_framework_matches_the_yaml():
    assert [i.id for i in FW.indicators] == [i["id"] for i in RAW["indicators"]]
    assert FW.measure_ids == {m["id"] for m in RAW["measures"]}
    assert [i.id for i in FW.indicators_for(4)] == [i["id"] for i in raw_indicators(4)]


def test_proportion_pairs_are_the_yaml_numerator_denominator_pairs():
    expected = sorted(
        {(i["numerator"], i["denominator"]) for i in RAW["indicators"] if i["type"] == "proportion"}
    )
    assert FW.proportion_pairs() == expected


# --- validation errors ---------------------------------------------------------------


def write_copy(tmp_path: Path, data: object, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(CjlibFrameworkError) as info:
        load_framework(path)
    message = str(info.value)
    assert str(path) in message, "the error must name the file"
    return message


def test_a_valid_copy_loads(tmp_path):
    path = write_copy(tmp_path, RAW, "copy.yaml")
    assert len(load_framework(path).indicators) == len(RAW["indicators"])


def test_unknown_measure_is_an_error_naming_file_indicator_and_measure(tmp_path):
    data = copy.deepcopy(RAW)
    data["indicators"][0]["numerator"] = "no_such_measure"
    message = load_error(write_copy(tmp_path, data))
    assert "no_such_measure" in message
    assert data["indicators"][0]["id"] in message
    assert "numerator" in message


def test_unknown_denominator_measure_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    target = next(i for i in data["indicators"] if i["type"] == "rate")
    target["denominator"] = "population_of_mars"
    message = load_error(write_copy(tmp_path, data))
    assert "population_of_mars" in message
    assert "denominator" in message


def test_duplicate_indicator_id_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    data["indicators"].append(copy.deepcopy(data["indicators"][2]))
    message = load_error(write_copy(tmp_path, data))
    assert "duplicate" in message.lower()
    assert data["indicators"][2]["id"] in message


def test_duplicate_measure_id_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    data["measures"].append(copy.deepcopy(data["measures"][3]))
    message = load_error(write_copy(tmp_path, data))
    assert "duplicate" in message.lower()
    assert data["measures"][3]["id"] in message


def test_count_with_a_denominator_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    position = next(n for n, i in enumerate(data["indicators"]) if i["type"] == "count")
    data["indicators"][position]["denominator"] = "population_16plus"
    message = load_error(write_copy(tmp_path, data))
    assert "denominator" in message
    # names the indicator, by id or by its position in the list
    assert data["indicators"][position]["id"] in message or f"indicators.{position}" in message


def test_rate_without_a_denominator_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    position = next(n for n, i in enumerate(data["indicators"]) if i["type"] == "rate")
    del data["indicators"][position]["denominator"]
    message = load_error(write_copy(tmp_path, data))
    assert "denominator" in message


def test_extra_key_on_an_indicator_is_an_error_naming_the_key(tmp_path):
    data = copy.deepcopy(RAW)
    data["indicators"][1]["colour"] = "red"
    message = load_error(write_copy(tmp_path, data))
    assert "colour" in message


def test_extra_top_level_key_is_an_error_naming_the_key(tmp_path):
    data = copy.deepcopy(RAW)
    data["editor"] = "someone"
    message = load_error(write_copy(tmp_path, data))
    assert "editor" in message


def test_unknown_polarity_is_an_error_naming_the_key(tmp_path):
    data = copy.deepcopy(RAW)
    data["indicators"][0]["polarity"] = "up_is_good"
    message = load_error(write_copy(tmp_path, data))
    assert "polarity" in message


def test_unknown_outcome_reference_is_an_error(tmp_path):
    data = copy.deepcopy(RAW)
    data["indicators"][0]["outcome"] = "O42"
    message = load_error(write_copy(tmp_path, data))
    assert "O42" in message


def test_invalid_yaml_is_an_error_naming_the_file(tmp_path):
    load_error(write_copy(tmp_path, "id: x\nmeasures: [1, 2\noutcomes: c\n"))


def test_non_mapping_is_an_error_naming_the_file(tmp_path):
    load_error(write_copy(tmp_path, "- one\n- two\n"))


def test_missing_file_is_an_error_naming_the_file(tmp_path):
    load_error(tmp_path / "absent.yaml")


def test_schema_error_names_the_indicator_not_its_position(tmp_path):
    import yaml

    data = yaml.safe_load(DEFAULT_FRAMEWORK.read_text())
    data["indicators"][3]["denominator"] = "population_16plus"
    data["indicators"][3]["type"] = "count"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(CjlibFrameworkError) as error:
        load_framework(broken)
    assert f"indicators.{data['indicators'][3]['id']}" in str(error.value)
