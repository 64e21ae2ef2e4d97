"""cjlib.areas: the 32 council areas, their codes, name variants and family groups.

Expected values come from the domain brief (shared/domain.md) and the bundled
council_areas.csv read here with the csv module, never from cjlib's own output.
"""

from __future__ import annotations

import csv
from collections import Counter

import pandas as pd
import pytest
from conftest import SCOTLAND, raises_naming

from cjlib import areas
from cjlib.errors import CjlibAreaError
from cjlib.paths import COUNCIL_AREAS_CSV

#: The 32 current GSS codes of Scotland's council areas (domain brief).
EXPECTED_CODES = {
    "S12000005", "S12000006", "S12000008", "S12000010", "S12000011", "S12000013",
    "S12000014", "S12000017", "S12000018", "S12000019", "S12000020", "S12000021",
    "S12000023", "S12000026", "S12000027", "S12000028", "S12000029", "S12000030",
    "S12000033", "S12000034", "S12000035", "S12000036", "S12000038", "S12000039",
    "S12000040", "S12000041", "S12000042", "S12000045", "S12000047", "S12000048",
    "S12000049", "S12000050",
}  # fmt: skip


def read_csv_rows() -> list[dict[str, str]]:
    with COUNCIL_AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CSV_ROWS = read_csv_rows()
CODE_TO_NAME = {row["area_code"]: row["area_name"] for row in CSV_ROWS}


# --- the table ----------------------------------------------------------------------


def test_bundled_csv_lists_the_32_expected_codes_once_each():
    codes = [row["area_code"] for row in CSV_ROWS]
    assert len(codes) == 32
    assert len(set(codes)) == 32
    assert set(codes) == EXPECTED_CODES


def test_council_areas_has_32_unique_codes_matching_the_csv():
    table = areas.council_areas()
    assert len(table) == 32
    assert table["area_code"].is_unique
    assert set(table["area_code"]) == EXPECTED_CODES
    assert dict(zip(table["area_code"], table["area_name"], strict=True)) == CODE_TO_NAME
    assert SCOTLAND not in set(table["area_code"])


def test_codes_run_from_s12000005_to_s12000050():
    numbers = sorted(int(code[3:]) for code in areas.council_areas()["area_code"])
    assert numbers[0] == 5
    assert numbers[-1] == 50
    assert all(code.startswith("S12") and len(code) == 9 for code in EXPECTED_CODES)


# --- lookups ------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(EXPECTED_CODES))
def test_every_code_looks_up_to_itself_and_its_csv_name(code):
    area = areas.get_area(code)
    assert area.code == code
    assert area.name == CODE_TO_NAME[code]
    assert not area.is_scotland


@pytest.mark.parametrize("code", sorted(EXPECTED_CODES))
def test_every_csv_name_looks_up_to_its_code(code):
    assert areas.area_code(CODE_TO_NAME[code]) == code


@pytest.mark.parametrize(
    ("legacy", "current", "name"),
    [
        ("S12000015", "S12000047", "Fife"),
        ("S12000024", "S12000048", "Perth and Kinross"),
        ("S12000046", "S12000049", "Glasgow City"),
        ("S12000044", "S12000050", "North Lanarkshire"),
    ],
)
def test_legacy_codes_map_to_current_codes(legacy, current, name):
    assert areas.area_code(legacy) == current
    area = areas.get_area(legacy)
    assert area.code == current
    assert area.name == name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # name variants from the domain brief
        ("Edinburgh, City of", "S12000036"),
        ("City of Edinburgh", "S12000036"),
        ("Eilean Siar", "S12000013"),
        ("Na h-Eileanan an Iar", "S12000013"),
        ("Na h-Eileanan Siar", "S12000013"),
        ("Perth & Kinross", "S12000048"),
        ("Argyll & Bute", "S12000035"),
        ("Orkney", "S12000023"),
        ("Orkney Islands", "S12000023"),
        ("Shetland", "S12000027"),
        ("Shetland Islands", "S12000027"),
        # case, spaces and punctuation ignored; codes in any case; a retired code
        ("GLASGOW CITY", "S12000049"),
        ("glasgow city", "S12000049"),
        ("  Glasgow   City ", "S12000049"),
        ("edinburgh city of", "S12000036"),
        ("EDINBURGH, CITY OF", "S12000036"),
        ("perth and kinross", "S12000048"),
        ("Perth-and-Kinross", "S12000048"),
        ("perth & kinross", "S12000048"),
        ("argyll-&-bute", "S12000035"),
        ("na h eileanan an iar", "S12000013"),
        ("NA H-EILEANAN SIAR", "S12000013"),
        ("dumfries & galloway", "S12000006"),
        ("s12000033", "S12000033"),
        (" S12000033 ", "S12000033"),
        ("s12000046", "S12000049"),
    ],
)
def test_name_variants_and_spellings_give_the_one_code(text, code):
    assert areas.area_code(text) == code
    assert areas.get_area(text).code == code


def test_scotland_is_known_but_is_not_a_council():
    for text in (SCOTLAND, "Scotland", "scotland"):
        area = areas.get_area(text)
        assert area.code == SCOTLAND
        assert area.is_scotland
    assert SCOTLAND not in areas.family_membership()


@pytest.mark.parametrize("text", [None, float("nan"), "", "Atlantis", "S12000099"])
def test_area_code_returns_none_for_unknowns(text):
    assert areas.area_code(text) is None


def test_unknown_area_raises_cjlib_area_error_naming_it():
    raises_naming(CjlibAreaError, lambda: areas.get_area("Atlantis"), "Atlantis")
    assert issubclass(CjlibAreaError, LookupError)


@pytest.mark.parametrize(
    ("typo", "closest"),
    [
        ("Glasgw City", "Glasgow City"),
        ("Edinbrugh", "Edinburgh"),
        ("Aberdeen Cty", "Aberdeen City"),
        ("Shetlnd Islands", "Shetland Islands"),
        ("lanarkshire", "North Lanarkshire"),
    ],
)
def test_unknown_area_error_suggests_the_closest_names(typo, closest):
    raises_naming(CjlibAreaError, lambda: areas.get_area(typo), closest)


def test_area_name_of_a_code_and_of_a_family_group():
    assert areas.area_name("S12000042") == "Dundee City"
    assert "4" in areas.area_name("LGBF-D4")
    assert "deprived" in areas.area_name("LGBF-D4").lower()


# --- family groups ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grouping", "column"),
    [
        ("deprivation", "lgbf_family_group_deprivation"),
        ("urban_rural", "lgbf_family_group_urban_rural"),
    ],
)
def test_each_grouping_has_four_groups_of_eight(grouping, column):
    membership = areas.family_membership(grouping)
    assert set(membership) == EXPECTED_CODES
    sizes = Counter(membership.values())
    assert len(sizes) == 4
    assert set(sizes.values()) == {8}
    # the groups partition the councils exactly as the bundled CSV does
    csv_groups: dict[str, set[str]] = {}
    for row in CSV_ROWS:
        csv_groups.setdefault(row[column], set()).add(row["area_code"])
    cjlib_groups: dict[str, set[str]] = {}
    for code, group in membership.items():
        cjlib_groups.setdefault(group, set()).add(code)
    assert sorted(map(sorted, csv_groups.values())) == sorted(map(sorted, cjlib_groups.values()))


def test_deprivation_group_codes_follow_the_lgbf_order():
    membership = areas.family_membership("deprivation")
    # most deprived group (LGBF family group 4) holds Glasgow, Dundee and Inverclyde
    for code in ("S12000049", "S12000042", "S12000018"):
        assert membership[code] == "LGBF-D4"
    # least deprived group (1) holds East Renfrewshire and East Dunbartonshire
    for code in ("S12000011", "S12000045"):
        assert membership[code] == "LGBF-D1"


def test_area_family_group_agrees_with_membership():
    membership = areas.family_membership("urban_rural")
    for code in EXPECTED_CODES:
        assert areas.get_area(code).family_group("urban_rural") == membership[code]


def test_unknown_grouping_raises():
    with pytest.raises(CjlibAreaError):
        areas.family_membership("by_size")


# --- map_area_codes -----------------------------------------------------------------


def test_map_area_codes_maps_variants_and_reports_unknowns():
    values = pd.Series(
        ["Fife", "S12000015", "Atlantis", "Orkney", "Atlantis", "Edinburgh, City of", "Narnia"]
    )
    codes, unknown = areas.map_area_codes(values)
    assert list(codes.iloc[[0, 1, 3, 5]]) == ["S12000047", "S12000047", "S12000023", "S12000036"]
    assert codes.iloc[[2, 4, 6]].isna().all()
    assert unknown == ["Atlantis", "Narnia"]
    assert codes.index.equals(values.index)


def test_map_area_codes_with_nothing_unknown():
    codes, unknown = areas.map_area_codes(pd.Series(sorted(EXPECTED_CODES)))
    assert unknown == []
    assert list(codes) == sorted(EXPECTED_CODES)


def test_map_area_codes_does_not_report_a_blank_cell_as_the_name_nan():
    _, unknown = areas.map_area_codes(pd.Series(["Fife", None, "Atlantis"], dtype=object))
    assert "nan" not in unknown
    assert "None" not in unknown
    assert "Atlantis" in unknown
