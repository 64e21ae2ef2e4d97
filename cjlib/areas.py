"""The 32 council areas and Scotland: codes, names, variants and family groups."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from cjlib.errors import CjlibAreaError
from cjlib.paths import COUNCIL_AREAS_CSV

SCOTLAND_CODE = "S92000003"
SCOTLAND_NAME = "Scotland"
#: Edition of the LGBF family groups in the bundled council_areas.csv.
FAMILY_GROUPS_VERSION = "LGBF 2023-24"

#: Codes in force before the 2018-19 boundary recoding.
LEGACY_CODES = {
    "S12000015": "S12000047",  # Fife
    "S12000024": "S12000048",  # Perth and Kinross
    "S12000046": "S12000049",  # Glasgow City
    "S12000044": "S12000050",  # North Lanarkshire
}
#: Name variants seen in published data, mapped to the current code.
NAME_VARIANTS = {
    "Edinburgh, City of": "S12000036",
    "Edinburgh": "S12000036",
    "City of Edinburgh Council": "S12000036",
    "Eilean Siar": "S12000013",
    "Na h-Eileanan an Iar": "S12000013",
    "Comhairle nan Eilean Siar": "S12000013",
    "Western Isles": "S12000013",
    "Perth & Kinross": "S12000048",
    "Argyll & Bute": "S12000035",
    "Orkney": "S12000023",
    "Shetland": "S12000027",
    "Dundee": "S12000042",
    "Aberdeen": "S12000033",
    "Glasgow": "S12000049",
    "Borders": "S12000026",
    "Dumfries & Galloway": "S12000006",
}
FAMILY_GROUP_COLUMNS = {
    "deprivation": "lgbf_family_group_deprivation",
    "urban_rural": "lgbf_family_group_urban_rural",
}
_FAMILY_ORDER = {
    "deprivation": ["Least Deprived", "2", "3", "Most Deprived"],
    "urban_rural": ["Urban", "2", "3", "Rural"],
}


@dataclass(frozen=True)
class Area:
    """A council area, or Scotland."""

    code: str
    name: str
    family_deprivation: str | None = None
    family_urban_rural: str | None = None

    @property
    def is_scotland(self) -> bool:
        """True for Scotland as a whole."""
        return self.code == SCOTLAND_CODE

    def family_group(self, grouping: str = "deprivation") -> str | None:
        """Return the family group code (e.g. ``"LGBF-D4"``) under a grouping."""
        label = self.family_deprivation if grouping == "deprivation" else self.family_urban_rural
        if label is None:
            return None
        return family_group_code(grouping, label)


def family_group_code(grouping: str, label: str) -> str:
    """Return the code cjlib uses for a family group, e.g. ``LGBF-D1``."""
    if grouping not in _FAMILY_ORDER:
        raise CjlibAreaError(
            f"unknown comparator grouping {grouping!r}; expected one of {sorted(_FAMILY_ORDER)}"
        )
    number = _FAMILY_ORDER[grouping].index(str(label)) + 1
    return f"LGBF-{'D' if grouping == 'deprivation' else 'U'}{number}"


def family_group_name(code: str) -> str:
    """Return a reader's name for a family group code, e.g. "family group 4 (most deprived)"."""
    grouping = "deprivation" if code[5] == "D" else "urban_rural"
    number = int(code[6:])
    label = _FAMILY_ORDER[grouping][number - 1]
    kind = "deprivation" if grouping == "deprivation" else "urban/rural"
    suffix = f" ({label.lower()})" if not label.isdigit() else ""
    return f"{kind} family group {number}{suffix}"


def _key(text: str) -> str:
    """Reduce a name to lower-case letters and digits, '&' read as 'and'."""
    text = str(text).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]", "", text)


@lru_cache(maxsize=1)
def council_areas() -> pd.DataFrame:
    """Return the 32 council areas from the bundled table, sorted by name.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code``, ``area_name``, ``lgbf_family_group_deprivation``,
        ``lgbf_family_group_urban_rural``, ``family_group_deprivation`` and
        ``family_group_urban_rural`` (cjlib's family group codes).
    """
    table = pd.read_csv(COUNCIL_AREAS_CSV, dtype=str)
    table["family_group_deprivation"] = [
        family_group_code("deprivation", v) for v in table["lgbf_family_group_deprivation"]
    ]
    table["family_group_urban_rural"] = [
        family_group_code("urban_rural", v) for v in table["lgbf_family_group_urban_rural"]
    ]
    table = table.sort_values("area_name", ignore_index=True)
    table.flags.allows_duplicate_labels = False
    return table


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table = council_areas()
    keys: dict[str, str] = {}
    for code, name in zip(table["area_code"], table["area_name"], strict=True):
        keys[_key(code)] = code
        keys[_key(name)] = code
    for old, new in LEGACY_CODES.items():
        keys[_key(old)] = new
    for variant, code in NAME_VARIANTS.items():
        keys[_key(variant)] = code
    keys[_key(SCOTLAND_CODE)] = SCOTLAND_CODE
    keys[_key(SCOTLAND_NAME)] = SCOTLAND_CODE
    return keys


def area_code(name_or_code: str) -> str | None:
    """Return the current GSS code for a code, legacy code or name variant, or None."""
    if name_or_code is None or (isinstance(name_or_code, float) and pd.isna(name_or_code)):
        return None
    return _lookup().get(_key(name_or_code))


def get_area(name_or_code: str) -> Area:
    """Return the area for a code or any name variant, case- and punctuation-insensitive.

    Raises
    ------
    CjlibAreaError
        When nothing matches; the message suggests the closest names.
    """
    code = area_code(name_or_code)
    if code is None:
        raise CjlibAreaError(unknown_area_message(name_or_code))
    if code == SCOTLAND_CODE:
        return Area(SCOTLAND_CODE, SCOTLAND_NAME)
    row = council_areas().set_index("area_code").loc[code]
    return Area(
        code,
        row["area_name"],
        row["lgbf_family_group_deprivation"],
        row["lgbf_family_group_urban_rural"],
    )


def suggest_areas(text: str, n: int = 3) -> list[str]:
    """Return up to ``n`` area names closest to ``text``."""
    names = list(council_areas()["area_name"]) + list(NAME_VARIANTS)
    by_key = {_key(name): name for name in names}
    close = difflib.get_close_matches(_key(text), list(by_key), n=n, cutoff=0.5)
    if not close:  # fall back to substring matches, e.g. "lanark"
        close = [k for k in by_key if _key(text) and _key(text) in k][:n]
    return [by_key[k] for k in close]


def unknown_area_message(text: object) -> str:
    """Return the message for an unknown area, suggesting the closest names."""
    suggestions = suggest_areas(str(text))
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    return (
        f"unknown council area {str(text)!r}: expected a GSS code or a council area name "
        f"(run 'cjlib areas'){hint}"
    )


def map_area_codes(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Map a Series of codes or names to current GSS codes.

    Returns
    -------
    tuple of (pandas.Series, list of str)
        The codes (missing where unknown) and the sorted unknown values met.
    """
    uniques = {v: area_code(v) for v in pd.unique(values)}
    codes = values.map(uniques)
    unknown = sorted(str(v) for v, c in uniques.items() if c is None and not _blank(v))
    return codes, unknown


def _blank(value: object) -> bool:
    return (
        value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""
    )


def family_membership(grouping: str = "deprivation") -> dict[str, str]:
    """Return a mapping of council code to family group code under a grouping."""
    column = f"family_group_{grouping}"
    table = council_areas()
    if column not in table:
        raise CjlibAreaError(
            f"unknown comparator grouping {grouping!r}; expected one of {sorted(_FAMILY_ORDER)}"
        )
    return dict(zip(table["area_code"], table[column], strict=True))


def area_name(code: str) -> str:
    """Return the reader's name of an area or family group code."""
    if code.startswith("LGBF-"):
        return family_group_name(code)
    return get_area(code).name
