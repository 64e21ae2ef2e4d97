"""Shared loader steps: periods, markers, unreadable files, and the tidy-up rules."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import raises_naming

from cjlib.errors import CjlibDataError
from cjlib.loaders._common import (
    normalise_marker,
    read_period,
    read_text_file,
    strip_notes,
    tidy_up,
)

FIXTURES = Path(__file__).parent / "fixtures" / "validate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021/2022", "2021-22"),
        ("2021/22", "2021-22"),
        ("2021-2022", "2021-22"),
        ("2021-22", "2021-22"),
        ("1999/2000", "1999-00"),
        ("2024", "2024"),
        (2024, "2024"),
        ("2020 - 2024", "2020-2024"),
        ("2000 - 2004", "2000-2004"),
        ("2021-2023", "2021-2023"),
        ("2023/2025", None),
        ("2022/2021", None),
        ("next year", None),
        ("", None),
        (None, None),
    ],
)
def test_read_period(text, expected):
    assert read_period(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", "[c]"),
        ("[C]", "[c]"),
        ("..", "[x]"),
        ("", ""),
        (None, ""),
        ("[l]", "[l]"),
        ("break in series", "break in series"),
    ],
)
def test_normalise_marker(text, expected):
    assert normalise_marker(text) == expected


def test_strip_notes_from_headers():
    assert strip_notes("Rate [note 3] [note 12]") == "Rate"
    assert strip_notes("Glasgow  City\n[Note 2]") == "Glasgow City"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("utf16.csv", "UTF-16"),
        ("latin1.csv", "not valid UTF-8 (byte 0xe9 on line 2)"),
        ("binary.csv", "binary file"),
        ("no_such_file.csv", "no such file"),
    ],
)
def test_unreadable_files_give_one_line_errors(name, message):
    error = raises_naming(CjlibDataError, lambda: read_text_file(FIXTURES / name), message)
    assert "\n" not in error


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfarea_code,period\n")
    assert read_text_file(path).startswith("area_code")


def _raw(**columns):
    return pd.DataFrame(columns)


def test_identical_repeats_are_dropped_and_clashes_raise():
    same = _raw(
        area=["S12000046", "S12000049"],
        period=["2021/2022", "2021-22"],
        measure_id=["crimes_all", "crimes_all"],
        cell=["5", "5"],
    )
    assert len(tidy_up(same, source="s", origin="test")) == 1
    clash = same.assign(cell=["5", "6"])
    with pytest.raises(CjlibDataError, match="more than one value"):
        tidy_up(clash, source="s", origin="test")


def test_strict_raises_on_unknown_areas_periods_and_values():
    raw = _raw(area=["Atlantis"], period=["someday"], measure_id=["x"], cell=["lots"])
    with pytest.raises(CjlibDataError) as caught:
        tidy_up(raw, source="s", origin="test.csv", strict=True)
    text = str(caught.value)
    assert "'Atlantis'" in text and "'someday'" in text and "'lots'" in text
    lenient = tidy_up(raw, source="s", origin="test.csv")
    assert lenient.empty
    assert lenient.attrs["unknown_areas"] == ["Atlantis"]
    assert lenient.attrs["unreadable_periods"] == ["someday"]


def test_importing_changes_no_global_state():
    code = (
        "import logging, warnings\n"
        "import pandas as pd\n"
        "before = (list(warnings.filters), list(logging.root.handlers), logging.root.level,"
        " pd.get_option('display.max_columns'))\n"
        "import cjlib.loaders, cjlib.validate, cjlib.cli.validate\n"
        "after = (list(warnings.filters), list(logging.root.handlers), logging.root.level,"
        " pd.get_option('display.max_columns'))\n"
        "assert before == after, (before, after)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
