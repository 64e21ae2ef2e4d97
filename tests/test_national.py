"""National benchmarking: spine positions, the national downloads against the area packs."""

from __future__ import annotations

import base64
import math
import re

import numpy as np
import pandas as pd
import pytest
from national_support import AREAS, build_national

from cjlib.framework import load_framework
from cjlib.national.spine import spine_html, spine_svg, spine_table

SCOT = "S92000003"
CODES = ["S12000005", "S12000006", "S12000008", "S12000010"]


def _rows(indicator, polarity, kind, scotland, values, marker_for=()):
    """Hand-made published rows: four councils (CODES) and Scotland."""
    records = [{"area_code": SCOT, "geography": "scotland", "value": scotland, "suppressed": False,
                "marker": "", "compare_scotland": "not compared"}]  # fmt: skip
    for i, value in enumerate(values, start=1):
        code = CODES[i - 1]
        hidden = code in marker_for
        records.append({"area_code": code, "geography": "council",
                        "value": np.nan if hidden else value, "suppressed": hidden,
                        "marker": "[c]" if hidden else "",
                        "compare_scotland": "better"})  # fmt: skip
    frame = pd.DataFrame(records)
    frame["period"] = "2023-24"
    frame["indicator_id"] = indicator
    frame["indicator_type"] = kind
    frame["polarity"] = polarity
    return frame


def test_spine_positions_agree_with_values():
    """Worked by hand: Scotland at the centre, the furthest area at the end, better to the right."""
    framework = load_framework()
    assert framework.indicator("NI01b_rate").polarity == "higher_is_better"
    assert framework.indicator("NI06_share").polarity == "lower_is_better"
    # higher is better, Scotland 10: gaps -6, -2, +3, +6 -> reach 6 -> -1, -1/3, 1/2, 1
    up = _rows("NI01b_rate", "higher_is_better", "rate", 10.0, [4.0, 8.0, 13.0, 16.0])
    # lower is better, Scotland 20: gaps (flipped) +10, -5, -10, +2 -> reach 10 -> 1, -.5, -1, .2
    down = _rows("NI06_share", "lower_is_better", "proportion", 20.0, [10.0, 25.0, 30.0, 18.0])
    results = pd.concat([up, down], ignore_index=True)
    expected = {
        ("NI01b_rate", CODES[0]): -1.0,
        ("NI01b_rate", CODES[1]): -1 / 3,
        ("NI01b_rate", CODES[2]): 0.5,
        ("NI01b_rate", CODES[3]): 1.0,
        ("NI06_share", CODES[0]): 1.0,
        ("NI06_share", CODES[1]): -0.5,
        ("NI06_share", CODES[2]): -1.0,
        ("NI06_share", CODES[3]): 0.2,
    }
    ends = {"NI01b_rate": (4.0, 16.0), "NI06_share": (30.0, 10.0)}  # worst, best values
    quartiles = {"NI01b_rate": (-0.5, 0.625), "NI06_share": (-0.625, 0.4)}  # numpy-free: by hand
    for (indicator, code), position in expected.items():
        table = spine_table(results, code, "2023-24", framework).set_index("indicator_id")
        row = table.loc[indicator]
        assert row["pos_area"] == pytest.approx(position)
        assert (row["worst"], row["best"]) == ends[indicator]
        assert row["pos_worst"] == pytest.approx(-1.0)
        assert row["pos_best"] == pytest.approx(1.0)
        assert (row["pos_q1"], row["pos_q3"]) == pytest.approx(quartiles[indicator])
        # the drawing: the bar runs from x=10 to x=230, so x = 10 + (position + 1) * 110
        svg = spine_svg(row)
        x = float(re.search(r'class="area"[^>]*translate\(([\d.]+) ', svg).group(1))
        assert x == pytest.approx(10 + (position + 1) * 110, abs=0.01)
        centre = float(re.search(r'class="scotland" x1="([\d.]+)"', svg).group(1))
        assert centre == pytest.approx(120.0)
        bar = re.search(r'class="range" x="([\d.]+)"[^>]* width="([\d.]+)"', svg)
        assert float(bar.group(1)) == pytest.approx(10.0)
        assert float(bar.group(2)) == pytest.approx(220.0)


def test_spine_leaves_out_a_suppressed_area_and_shows_only_its_marker():
    framework = load_framework()
    results = _rows("NI01b_rate", "higher_is_better", "rate", 10.0, [4.0, 8.0, 13.0, 2.0],
                    marker_for=(CODES[3],))  # fmt: skip
    table = spine_table(results, CODES[3], "2023-24", framework)
    row = table.iloc[0]
    assert math.isnan(row["pos_area"]) and row["marker"] == "[c]"
    # the range is of the published areas only: 4 is worst (gap -6), 13 best (+3)
    assert (row["worst"], row["best"]) == (4.0, 13.0)
    assert 'class="area"' not in spine_svg(row)
    html = str(spine_html(table, CODES[3], "2023-24", synthetic=False))
    assert "2.0" not in html and "[c]" in html


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    period_dir, batch = build_national(tmp_path_factory.mktemp("national"))
    return period_dir, batch


def _sheet(path, name):
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0]), book.sheetnames


def _number(value):
    if value is None or (isinstance(value, str) and value.startswith("[")):
        return np.nan
    return float(value)


@pytest.mark.slow
def test_the_index_links_both_downloads_with_their_sizes(national):
    period_dir, batch = national
    html = (period_dir / "index.html").read_text(encoding="utf-8")
    for name in (f"cjlib-{batch.period}-all-areas.xlsx", f"cjlib-{batch.period}-all-areas.csv"):
        assert (period_dir / name).is_file()
        assert re.search(rf'href="{re.escape(name)}" download>[^<]+</a> \(\d[\d.]* (KB|MB)\)', html)


@pytest.mark.slow
def test_the_notes_sheet_states_the_rule_the_pack_uses(national):
    """The significance rule on the Notes sheet is the rules module's, word for word."""
    from openpyxl import load_workbook

    from cjlib.assess.rules import COMPARISON_RULE

    period_dir, batch = national
    book = load_workbook(period_dir / f"cjlib-{batch.period}-all-areas.xlsx", read_only=True)
    text = " ".join(
        str(cell) for row in book["Notes"].iter_rows(values_only=True) for cell in row if cell
    )
    assert COMPARISON_RULE in text
    assert "outside the area's interval" not in text  # the old, wrong rule


@pytest.mark.slow
def test_national_csv_and_xlsx_agree_with_three_area_packs(national):
    period_dir, batch = national
    period = batch.period
    csv = pd.read_csv(period_dir / f"cjlib-{period}-all-areas.csv", dtype={"period": str})
    xlsx, sheets = _sheet(period_dir / f"cjlib-{period}-all-areas.xlsx", "Indicators")
    assert sheets[:3] == ["Cover", "Contents", "Notes"]
    assert len(xlsx) == len(csv)
    assert set(csv["geography"]) == {"council", "scotland", "family_group"}
    assert csv.loc[csv["geography"] == "council", "area_code"].nunique() == 32
    assert csv.loc[csv["geography"] == "family_group", "area_code"].nunique() == 4
    assert set(csv["data_status"]) <= {"official", "synthetic"}
    xlsx["period"] = xlsx["period"].astype(str)
    for code in AREAS:
        pack = pd.read_csv(period_dir / code / "data" / "indicators.csv", dtype={"period": str})
        mine = csv[csv["area_code"] == code]
        theirs = xlsx[xlsx["area_code"] == code]
        assert len(mine) == len(theirs), code
        # an indicator the partnership withdrew leaves its own pack, and is [c] nationally
        extra = mine[~mine["indicator_id"].isin(pack["indicator_id"])]
        assert extra["value"].isna().all() and set(extra["marker"]) <= {"[c]"}, code
        assert len(mine) == len(pack) + len(extra), code
        key = ["indicator_id", "period"]
        both = pack.merge(mine, on=key, suffixes=("_pack", "")).merge(
            theirs, on=key, suffixes=("", "_xlsx")
        )
        assert len(both) == len(pack)
        for column in ("numerator", "denominator", "value", "lower_ci", "upper_ci"):
            a = both[f"{column}_pack"].to_numpy(float)
            b = both[column].to_numpy(float)
            c = both[f"{column}_xlsx"].map(_number).to_numpy(float)
            np.testing.assert_allclose(b, a, rtol=0, atol=1e-9, equal_nan=True, err_msg=column)
            np.testing.assert_allclose(c, a, rtol=0, atol=1e-9, equal_nan=True, err_msg=column)
        for column in ("marker", "compare_scotland", "compare_family"):
            a = both[f"{column}_pack"].fillna("")
            assert (a == both[column].fillna("")).all(), column
            assert (a.where(a != "", "[x]") == both[f"{column}_xlsx"].fillna("[x]")).all(), column
        hidden = both[both["suppressed_pack"]]
        assert hidden["value"].isna().all() and (hidden["value_xlsx"] == hidden["marker"]).all()


@pytest.mark.slow
def test_national_synthetic_flag_follows_the_measures(national):
    from cjlib.measures import SYNTHETIC_SOURCE
    from cjlib.pipeline import read_table

    period_dir, batch = national
    csv = pd.read_csv(period_dir / f"cjlib-{batch.period}-all-areas.csv", dtype={"period": str})
    from cjlib.national.download import local_definitions

    framework = load_framework()
    local, _, local_measures = local_definitions(framework)
    measures = pd.concat([read_table(batch, "measures"), local_measures])
    synthetic = set(
        measures.loc[measures["source"] == SYNTHETIC_SOURCE, ["measure_id", "period"]].itertuples(
            index=False, name=None
        )
    )
    for (indicator, period), status in (
        csv.groupby(["indicator_id", "period"])["data_status"].first().items()
    ):
        ind = local.get(indicator) or framework.indicator(indicator)
        uses = {(ind.numerator, period), (ind.denominator, period)}
        assert status == ("synthetic" if uses & synthetic else "official"), (indicator, period)
    assert "CX_crimes_rate" in set(csv.loc[csv["data_status"] == "official", "indicator_id"])
    # the worked local outcome (Glasgow City) is synthetic and defined in its parameters
    glasgow = csv[csv["indicator_id"] == "LI_rj_referrals"]
    assert set(glasgow["data_status"]) == {"synthetic"}
    assert set(glasgow["wording_status"]) == {"local"} and glasgow["definition"].notna().all()


@pytest.mark.slow
def test_national_assessment_sheet_has_every_area_and_narrative(national):
    period_dir, batch = national
    xlsx, _ = _sheet(period_dir / f"cjlib-{batch.period}-all-areas.xlsx", "Assessment")
    csv = pd.read_csv(period_dir / f"cjlib-{batch.period}-all-areas-assessment.csv")
    assert xlsx["area_code"].nunique() == csv["area_code"].nunique() == 32
    assert (xlsx["narrative"].str.len() > 40).all()
    pack = pd.read_csv(period_dir / "S12000049" / "data" / "assessment.csv")
    mine = csv[csv["area_code"] == "S12000049"].set_index("outcome")
    assert len(mine) == len(pack)
    for row in pack.itertuples():
        assert mine.loc[row.outcome, "status"] == row.status
        assert mine.loc[row.outcome, "suggested_priority"] == row.suggested_priority


@pytest.mark.slow
def test_xlsx_follows_the_accessible_spreadsheet_guidance(national):
    from openpyxl import load_workbook

    period_dir, batch = national
    book = load_workbook(period_dir / f"cjlib-{batch.period}-all-areas.xlsx")
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Indicators", "Assessment"]
    assert "some figures are synthetic" in " ".join(
        str(c.value) for c in book["Cover"]["A"] if c.value
    )
    for name in book.sheetnames:
        sheet = book[name]
        assert not sheet.merged_cells.ranges, name
        if name == "Cover":
            continue
        (table,) = sheet.tables.values()
        assert table.ref.startswith("A1:"), name
        header = [c.value for c in sheet[1]]
        assert all(isinstance(h, str) and h for h in header), name
    notes = " ".join(str(c.value) for row in book["Notes"].iter_rows() for c in row)
    for shorthand in ("[c]", "[x]", "data_status", "wording_status", "compare_scotland"):
        assert shorthand in notes
    blank = [
        c.coordinate
        for row in book["Indicators"].iter_rows(min_row=2, max_row=400)
        for c in row
        if c.value is None or c.value == ""
    ]
    assert blank == []


@pytest.mark.slow
def test_front_page_spine_matches_the_published_values(national):
    """Positions drawn on Fife's front page, recomputed from the national CSV."""
    period_dir, batch = national
    csv = pd.read_csv(period_dir / f"cjlib-{batch.period}-all-areas.csv", dtype={"period": str})
    now = csv[(csv["period"] == batch.period)]
    html = (period_dir / "S12000047" / "index.html").read_text()
    rows = re.findall(
        r'<tr><th scope="row">.*?</tr>', html.split('id="spine"')[1].split("</table>")[0]
    )
    assert len(rows) >= 10
    checked = 0
    for row in rows:
        title = re.sub(r"<[^>]+>", "", re.search(r"</span>(.*?) <span", row).group(1))
        mine = now[
            (now["indicator"] == title.replace("&amp;", "&")) & (now["area_code"] == "S12000047")
        ]
        indicator = mine.iloc[0]
        these = now[now["indicator_id"] == indicator["indicator_id"]]
        councils = these[(these["geography"] == "council") & these["value"].notna()]["value"]
        scot = float(these.loc[these["geography"] == "scotland", "value"].iloc[0])
        sign = 1 if indicator["polarity"] == "higher_is_better" else -1
        reach = max(abs(v - scot) for v in councils)
        svg = base64.b64decode(re.search(r"base64,([^\"]+)", row).group(1)).decode()
        if pd.isna(indicator["value"]):
            assert 'class="area"' not in svg
            continue
        # the CSV rounds to 4 dp, so allow a hair
        expected = 10 + (sign * (indicator["value"] - scot) / reach + 1) * 110
        x = float(re.search(r'class="area"[^>]*translate\(([\d.]+) ', svg).group(1))
        assert x == pytest.approx(expected, abs=0.02), title
        checked += 1
    assert checked >= 10
