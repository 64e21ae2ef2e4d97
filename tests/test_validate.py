"""`cjlib validate`: every planted problem found in one run, with file, row and column."""

import argparse
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cjlib.cli import validate as validate_cli
from cjlib.paths import DATA_DIR, RECORDED_CRIME_CSV
from cjlib.validate import Problem, check_file, validate_file

FIXTURES = Path(__file__).parent / "fixtures" / "validate"
BROKEN = FIXTURES / "tidy_broken.csv"

#: Every problem planted in tidy_broken.csv: (row, column, words the message must hold).
PLANTED = [
    (1, "source", "missing required column 'source'"),
    (4, "value", "diversion_completed (95) is greater than its denominator diversion_commenced"),
    (5, "area_code", "unknown council area 'Glasgw'"),
    (6, "period", "'2023/2025' is not a period"),
    (7, "value", "diversion_assessments is a count and cannot be negative (-5)"),
    (9, "measure_id", "duplicate of row 8: S12000049, 2022-23, diversion_assessments"),
    (10, "value", "'abc' is not a number or a recognised marker ([c], [x]"),
    (11, "measure_id", "unknown measure 'diversion_asessments'"),
    (14, "value", "value is empty and no marker says why"),
    (15, "marker", "'suppressed' is not a recognised marker"),
]


def _matches(problems, planted=PLANTED):
    assert len(problems) == len(planted), "\n".join(str(p) for p in problems)
    for problem, (row, column, words) in zip(problems, planted, strict=True):
        assert (problem.row, problem.column) == (row, column), str(problem)
        assert words in problem.message, str(problem)


def test_validate_file_finds_every_planted_problem():
    _matches(validate_file(BROKEN))


def test_problem_line_format():
    problem = Problem("data.csv", 14, "value", "'abc' is not a number")
    assert str(problem) == "data.csv:14:value: 'abc' is not a number"
    assert str(Problem("data.csv", None, None, "the file is empty")) == (
        "data.csv: the file is empty"
    )


def test_clean_file_summary():
    report = check_file(FIXTURES / "tidy_clean.csv")
    assert report.ok, [str(p) for p in report.problems]
    assert report.summary() == (
        f"{FIXTURES / 'tidy_clean.csv'}: 10 rows, 3 measures, 6 areas, 2 periods: no problems"
    )


def test_missing_columns_each_reported():
    problems = validate_file(FIXTURES / "tidy_missing_columns.csv")
    missing = [(p.row, p.column) for p in problems if "missing required column" in p.message]
    assert missing == [(1, "area_code"), (1, "measure_id"), (1, "source")]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "the file is empty"),
        ("utf16.csv", "UTF-16"),
        ("latin1.csv", "not valid UTF-8"),
        ("binary.csv", "binary file"),
    ],
)
def test_unreadable_files_give_one_problem(name, words):
    problems = validate_file(FIXTURES / name)
    assert len(problems) == 1
    assert words in problems[0].message and problems[0].row is None


def test_row_numbers_count_blank_lines_and_quoted_newlines(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(
        "area_code,period,measure_id,value,source\n"
        'S12000033,2022-23,cpo_commenced,5,"two\nlines"\n'
        "\n"
        "S12000033,2022-23,cpo_ended,abc,s\n",
        encoding="utf-8",
    )
    (problem,) = validate_file(path)
    assert (problem.row, problem.column) == (4, "value")


def test_parquet_is_checked(tmp_path):
    path = tmp_path / "data.parquet"
    pd.DataFrame(
        {
            "area_code": ["S12000033", "Atlantis"],
            "period": ["2022-23", "2022-23"],
            "measure_id": ["cpo_commenced", "cpo_commenced"],
            "value": [5.0, -1.0],
            "source": ["s", "s"],
        }
    ).to_parquet(path)
    problems = validate_file(path)
    assert [(p.row, p.column) for p in problems] == [(3, "area_code"), (3, "value")]


def test_statsgov_download_is_checked_without_framework_checks(tmp_path):
    path = tmp_path / "download.csv"
    path.write_text(
        "FeatureCode,DateCode,Measurement,Units,Value,Crime or Offence,DataMarker\n"
        "S12000046,2021/2022,Count,Crimes,5,All Crimes,\n"
        "S12000049,2021-22,Count,Crimes,6,All Crimes,\n"
        "S12000099,2021/2022,Count,Crimes,,All Crimes,*\n"
        "S12000033,2021/2022,Count,Crimes,n/a,All Crimes,\n",
        encoding="utf-8",
    )
    problems = validate_file(path)
    assert [(p.row, p.column) for p in problems] == [
        (3, "measure_id"),
        (4, "FeatureCode"),
        (5, "Value"),
    ]


def test_real_recorded_crime_download_is_clean():
    assert validate_file(RECORDED_CRIME_CSV) == []


def test_bundled_demo_data_is_clean():
    assert validate_file(DATA_DIR / "demo_measures.csv") == []


# --- the command line -----------------------------------------------------------


def _run(argv):
    parser = argparse.ArgumentParser(prog="cjlib")
    validate_cli.add_parser(parser.add_subparsers(dest="command"))
    return validate_cli.run(parser.parse_args(["validate", *argv]))


def test_cli_lists_every_problem_and_exits_1(capsys):
    status = _run([str(BROKEN), str(FIXTURES / "tidy_clean.csv"), str(FIXTURES / "empty.csv")])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    for row, column, words in PLANTED:
        prefix = f"{BROKEN}:{row}:{column}: "
        assert any(line.startswith(prefix) and words in line for line in out), prefix
    assert f"{BROKEN}: 15 rows, 4 measures, 9 areas, 1 period: 10 problems" in out
    assert any(line.endswith("2 periods: no problems") for line in out)
    assert f"{FIXTURES / 'empty.csv'}: the file is empty" in out


def test_cli_clean_file_exits_0(capsys):
    assert _run([str(FIXTURES / "tidy_clean.csv")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.endswith(": 10 rows, 3 measures, 6 areas, 2 periods: no problems")


def test_cli_bad_framework_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nope.yaml"
    assert _run([str(BROKEN), "--framework", str(missing)]) == 2
    assert "framework file not found" in capsys.readouterr().err


@pytest.fixture(scope="module")
def command():
    """``python -m cjlib.cli.main validate``."""
    return [sys.executable, "-m", "cjlib.cli.main", "validate"]


@pytest.mark.parametrize("name", ["tidy_broken.csv", "utf16.csv", "binary.csv", "latin1.csv"])
def test_subprocess_reports_without_traceback(command, name):
    result = subprocess.run(
        [*command, name], capture_output=True, text=True, cwd=FIXTURES, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if name == "tidy_broken.csv":
        lines = result.stdout.splitlines()
        for row, column, words in PLANTED:
            assert any(
                line.startswith(f"{name}:{row}:{column}: ") and words in line for line in lines
            ), (row, column)
    else:
        assert len(result.stdout.splitlines()) == 1
