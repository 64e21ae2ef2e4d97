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
from conftest import raises_naming

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


def test_a_valid_copy_loads(tmp_path):
    path = write_copy(tmp_path, RAW, "copy.yaml")
    assert len(load_framework(path).indicators) == len(RAW["indicators"])


def first_of_type(kind: str) -> int:
    """Position in the bundled framework's indicator list of the first one of a type."""
    return next(n for n, i in enumerate(RAW["indicators"]) if i["type"] == kind)


RATE, COUNT = first_of_type("rate"), first_of_type("count")
#: Marks a key to delete in :func:`change`.
DELETE = object()


def change(section: str | None, position: int | None = None, **values: object):
    """Return an edit of a framework copy: set (or DELETE) keys on one item, or the top level."""

    def edit(data: dict) -> None:
        item = data if section is None else data[section][position]
        for key, value in values.items():
            if value is DELETE:
                del item[key]
            else:
                item[key] = value

    return edit


def repeat(section: str, position: int):
    """Return an edit of a framework copy that appends a second copy of one item."""
    return lambda data: data[section].append(copy.deepcopy(data[section][position]))


def ind_id(position: int) -> str:
    return RAW["indicators"][position]["id"]


#: A broken copy of the framework, and what its error must name besides the file.
BROKEN = [
    pytest.param(
        change("indicators", 0, numerator="no_such_measure"),
        ["no_such_measure", ind_id(0), "numerator"],
        id="unknown numerator measure names indicator and measure",
    ),
    pytest.param(
        change("indicators", RATE, denominator="population_of_mars"),
        ["population_of_mars", "denominator"],
        id="unknown denominator measure",
    ),
    pytest.param(repeat("indicators", 2), ["duplicate", ind_id(2)], id="duplicate indicator id"),
    pytest.param(
        repeat("measures", 3),
        ["duplicate", RAW["measures"][3]["id"]],
        id="duplicate measure id",
    ),
    pytest.param(
        change("indicators", COUNT, denominator="population_16plus"),
        ["denominator", ind_id(COUNT)],
        id="count with a denominator",
    ),
    pytest.param(
        change("indicators", RATE, denominator=DELETE),
        ["denominator"],
        id="rate without a denominator",
    ),
    pytest.param(change("indicators", 1, colour="red"), ["colour"], id="extra key on an indicator"),
    pytest.param(change(None, editor="someone"), ["editor"], id="extra top-level key"),
    pytest.param(
        change("indicators", 0, polarity="up_is_good"), ["polarity"], id="unknown polarity"
    ),
    pytest.param(change("indicators", 0, outcome="O42"), ["O42"], id="unknown outcome reference"),
    pytest.param(
        change("indicators", 3, denominator="population_16plus", type="count"),
        [f"indicators.{ind_id(3)}"],
        id="schema error names the indicator not its position",
    ),
]


@pytest.mark.parametrize(("edit", "names"), BROKEN)
def test_a_broken_copy_is_an_error_naming_the_file_and_the_fault(tmp_path, edit, names):
    data = copy.deepcopy(RAW)
    edit(data)
    path = write_copy(tmp_path, data)
    raises_naming(CjlibFrameworkError, lambda: load_framework(path), str(path), *names)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("id: x\nmeasures: [1, 2\noutcomes: c\n", id="invalid YAML"),
        pytest.param("- one\n- two\n", id="not a mapping"),
        pytest.param(None, id="missing file"),
    ],
)
def test_an_unreadable_file_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "absent.yaml" if text is None else write_copy(tmp_path, text)
    raises_naming(CjlibFrameworkError, lambda: load_framework(path), str(path))
