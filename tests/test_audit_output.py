"""The audit reads a hand-made output folder as an outsider would, and the CLI reports on it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import ORKNEY

from cjlib.audit import audit_frame, audit_message, audit_output, read_output
from cjlib.cli.main import main

COLUMNS = [
    "area_code", "area_name", "period", "indicator_id", "indicator", "unit", "numerator",
    "denominator", "value", "lower_ci", "upper_ci", "confidence", "compare_scotland",
    "compare_family", "change_label", "trend", "suppressed", "marker",
]  # fmt: skip
COMPARE_PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>x</title></head><body><main>
<table><caption>How Orkney Islands compares, 2023-24</caption>
<thead><tr><th scope="col">index</th><th scope="col">Indicator</th><th scope="col">Value</th>
<th scope="col">Since 2019-20</th><th scope="col">Trend</th><th scope="col">Rank (1 = best)</th>
</tr></thead><tbody>
<tr><th scope="row">1</th><td>Number of (a) assessment reports for bail suitability</td><td>7</td>
<td>no significant change</td><td>no clear trend</td><td>31 of 32</td></tr>
<tr><th scope="row">2</th><td>Number of (b) bail supervision cases commenced</td><td>[c]</td>
<td>[c]</td><td>[c]</td><td></td></tr>
</tbody></table></main></body></html>
"""


def download(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame[COLUMNS]


def shown(indicator, numerator, value, period="2023-24", **extra):
    return {
        "area_code": ORKNEY, "area_name": "Orkney Islands", "period": period,
        "indicator_id": indicator, "numerator": numerator, "value": value,
        "confidence": 0.95, "suppressed": False, "marker": "", **extra,
    }  # fmt: skip


def suppressed(indicator, period="2023-24", **extra):
    return shown(indicator, "", "", period, suppressed=True, marker="[c]", **extra)


def write_pack(root: Path, rows: list[dict], extra_files: dict[str, str] | None = None) -> Path:
    period_dir = root / "2023-24"
    data = period_dir / ORKNEY / "data"
    data.mkdir(parents=True)
    download(rows).to_csv(data / "indicators.csv", index=False)
    for name, text in (extra_files or {}).items():
        (period_dir / ORKNEY / name).parent.mkdir(parents=True, exist_ok=True)
        (period_dir / ORKNEY / name).write_text(text, encoding="utf-8")
    (period_dir / "index.html").write_text("<html><body><p>index</p></body></html>")
    return period_dir


def test_reader_reads_csvs_wide_counts_and_html_ranks(tmp_path):
    folder = write_pack(
        tmp_path,
        [shown("NI03a", 7, "7.0"), suppressed("NI03b")],
        {
            "03_bail_supervision.html": COMPARE_PAGE,
            "data/needs_drug_deaths.csv": "period,Orkney Islands deaths,Scotland deaths,area_code\n"
            "2023,[c],1017,S12000023\n2024,6,1017,S12000023\n",
        },
    )
    frame = read_output(folder)
    ranked = frame[frame["rank"].notna()]
    assert ranked[["indicator_id", "rank", "rank_of"]].values.tolist() == [["NI03a", 31, 32]]
    assert set(ranked["baseline_period"]) == {"2019-20"}
    deaths = frame[frame["indicator_id"] == "measure:drug_deaths"]
    assert deaths["marker"].tolist() == ["[c]", "", "", ""]  # Orkney 2023 and 2024, Scotland
    assert sorted(deaths["numerator"].dropna()) == [6, 1017, 1017]
    from_csv = frame["file"].str.endswith("indicators.csv")
    assert frame.loc[from_csv & (frame["indicator_id"] == "NI03b"), "marker"].tolist() == ["[c]"]


def test_funnel_point_of_a_suppressed_cell_is_found(tmp_path):
    funnel = download(
        [shown("NI03b_rate", "", "1.3371", denominator=22436, suppressed=True, marker="[c]")]
    ).to_csv(index=False)
    folder = write_pack(tmp_path, [suppressed("NI03b")], {"data/o3_funnel_ni03b_rate.csv": funnel})
    findings = audit_output(folder)
    assert [set(f.values) for f in findings] == [{3}]  # 1.3371 x 22,436 / 10,000 = 2.9998
    assert findings[0].attack == "funnel point"


def test_official_figure_shown_in_one_file_and_suppressed_in_another(tmp_path):
    deaths = "period,Orkney Islands deaths,Scotland deaths,area_code\n2024,21,1017,S12000023\n"
    rows = [suppressed("CX_drug_deaths_rate", period="2024", denominator=22000)]
    folder = write_pack(tmp_path, rows, {"data/needs_drug_deaths.csv": deaths})
    findings = audit_output(folder)
    assert [set(f.values) for f in findings] == [{21}]
    assert "needs_drug_deaths.csv shows drug_deaths for 2024 as 21" in findings[0].arithmetic


def test_cli_prints_one_line_per_disclosed_cell_and_exits_1(tmp_path, capsys):
    rows = [shown("NI03a", 7, "7.0"), suppressed("NI03b"), shown("NI03c", 5, "5.0")]
    folder = write_pack(tmp_path, rows)
    assert main(["audit-disclosure", str(folder)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"{ORKNEY}/data/indicators.csv: Orkney Islands, bail_commenced")
    assert "{5, 6, 7}" in lines[0]
    assert lines[-1] == f"1 cell disclosed in {folder}"


def test_cli_exits_0_when_nothing_is_disclosed(tmp_path, capsys):
    rows = [shown("NI03a", 70, "70.0"), suppressed("NI03b"), shown("NI03c", 5, "5.0")]
    folder = write_pack(tmp_path, rows)
    assert main(["audit-disclosure", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"no cell disclosed in {folder}"


@pytest.mark.parametrize("args", [["missing"], ["missing", "--threshold", "5"]])
def test_cli_usage_error_for_a_missing_folder(tmp_path, capsys, args):
    args[0] = str(tmp_path / args[0])
    assert main(["audit-disclosure", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"cjlib: error: {tmp_path / 'missing'}: output folder not found"]


def test_cli_usage_error_for_a_folder_with_nothing_published(tmp_path, capsys):
    assert main(["audit-disclosure", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"cjlib: error: {tmp_path}: no published CSV or HTML table found"
    )


def test_reader_tolerates_missing_and_extra_columns(tmp_path):
    data = tmp_path / "2023-24" / ORKNEY / "data"
    data.mkdir(parents=True)
    (data / "few.csv").write_text(
        "area_code,period,indicator_id,numerator,marker,something_new\n"
        f"{ORKNEY},2023-24,NI03a,7,,x\n{ORKNEY},2023-24,NI03b,,[c],y\n"
        f"{ORKNEY},2023-24,NI03c,5,,z\n"
    )
    findings = audit_frame(read_output(tmp_path / "2023-24"))
    assert [set(f.values) for f in findings] == [{5, 6, 7}]


def test_audit_message_is_one_line_naming_the_first_cell(tmp_path):
    rows = [shown("NI03a", 7, "7.0"), suppressed("NI03b"), shown("NI03c", 5, "5.0")]
    message = audit_message(audit_output(write_pack(tmp_path, rows)))
    assert "\n" not in message
    assert message.startswith("disclosure audit: 1 hidden cell can be worked out")
    assert "Orkney Islands, bail_commenced, 2023-24 ([c]), narrowed to {5, 6, 7}" in message
    assert audit_message([]) == ""


def test_cli_names_a_file_it_cannot_read(tmp_path, capsys):
    folder = write_pack(tmp_path, [shown("NI03a", 7, "7.0")])
    bad = folder / ORKNEY / "data" / "broken.csv"
    bad.write_bytes(b"area_code,period\n\xff\xfe,\x00\n")
    assert main(["audit-disclosure", str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"cjlib: error: {bad}: cannot be read as a CSV")
