"""The draft plan and annual report (cjlib.documents): read back with python-docx and LibreOffice.

Expected values come from the framework YAML, the bundled demonstration CSV and the
parameter files, read here directly, not from the code under test.
"""

from __future__ import annotations

import csv
import re
import subprocess

import docx
import pytest
import yaml
from conftest import ABERDEEN, GLASGOW, ORKNEY, require_tool

from cjlib.documents.blocks import Document, Heading, Paragraph, Table
from cjlib.documents.plan import build_annual_report, build_plan
from cjlib.documents.word import render_docx, write_docx
from cjlib.paths import DATA_DIR, FRAMEWORKS_DIR, PARAMETERS_DIR
from cjlib.pipeline import prepare_batch
from cjlib.report.context import load_context

BAD = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|<NA>")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FRAMEWORK = yaml.safe_load((FRAMEWORKS_DIR / "cjpf-2023.yaml").read_text(encoding="utf-8"))
OUTCOMES = [f"Outcome {o['number']}: {o['title']}" for o in FRAMEWORK["outcomes"]]
PLAN_SECTIONS = [
    "Link to the Local Outcomes Improvement Plan",
    "Participation statement",
    "Equalities impact assessment",
    "Consultation with Community Justice Scotland",
    "Governance",
]


@pytest.fixture(scope="module")
def batch():
    return prepare_batch()


@pytest.fixture(scope="module")
def drafts(batch, tmp_path_factory):
    out = tmp_path_factory.mktemp("drafts")
    paths = {}
    for code in (GLASGOW, ORKNEY, ABERDEEN):
        ctx = load_context(code, cache_dir=str(batch.directory))
        images: dict = {}
        plan, report = out / code / "cjoip-draft.docx", out / code / "annual-report-draft.docx"
        write_docx(build_plan(ctx), plan, images)
        write_docx(build_annual_report(ctx), report, images)
        paths[code] = {"plan": plan, "report": report}
    return paths


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]


@pytest.mark.parametrize("kind", ["plan", "report"])
@pytest.mark.parametrize("code", [GLASGOW, ORKNEY, ABERDEEN])
def test_documents_read_back_clean(drafts, code, kind):
    document = docx.Document(str(drafts[code][kind]))
    text = _all_text(document)
    hit = BAD.search(text)
    assert hit is None, text[max(0, hit.start() - 80) : hit.end() + 80]
    headings = _headings(document)
    titles = [t for _, t in headings]
    local = yaml.safe_load((PARAMETERS_DIR / "areas" / f"{code}.yaml").read_text("utf-8"))
    local = [f"Local outcome {o['number']}: {o['title']}" for o in local.get("local_outcomes", [])]
    for outcome in OUTCOMES + local:  # every national and local outcome, as a Heading 2
        assert ("Heading 2", outcome) in headings, outcome
    assert ("Heading 1", "How this assessment was made") in headings
    if kind == "plan":
        for section in PLAN_SECTIONS:
            assert ("Heading 1", section) in headings
        assert titles.count("Actions the partners will take") == len(OUTCOMES + local)
    else:
        assert titles.count("Activity in 2023-24") == len(OUTCOMES + local)
        assert titles.count("Progress in the year") == len(OUTCOMES + local)
    # every table has a header row marked to repeat on each page, with text in each cell
    assert len(document.tables) >= (4 if kind == "plan" else 1) * len(OUTCOMES)
    for table in document.tables:
        first = table.rows[0]._tr
        header = first.find(f"{W}trPr/{W}tblHeader")
        assert header is not None
        assert all(cell.text.strip() for cell in table.rows[0].cells)
        assert not any(cell.text.startswith("_") for cell in table.rows[0].cells)
    # every outcome indicator is computed from the demonstration files (demo_measures.csv,
    # demo_local_measures.csv), so none may be called official
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:3] == ["Indicator", "Kind", "Data"]:
            for row in table.rows[1:]:
                assert row.cells[2].text == "synthetic demonstration data", row.cells[0].text
    # every picture has alt text saying what it shows
    pictures = document.inline_shapes
    assert len(pictures) >= 5
    for picture in pictures:
        alt = picture._inline.docPr.get("descr")
        assert alt and alt.startswith("Line chart of") and len(alt) > 60


@pytest.mark.parametrize("kind", ["plan", "report"])
def test_first_page_warns_of_demonstration_data_and_metadata_is_set(drafts, kind):
    document = docx.Document(str(drafts[GLASGOW][kind]))
    before_contents = []
    for p in document.paragraphs:
        if p.style.name == "TOC Heading":
            break
        before_contents.append(p.text)
    assert any(t.startswith("Demonstration data.") for t in before_contents)
    assert any(t.startswith("Example.") for t in before_contents)  # Glasgow is an example
    props = document.core_properties
    assert props.title.endswith("draft")
    assert "Glasgow City" in props.author
    assert props.language == "en-GB"
    langs = document.styles.element.findall(f".//{W}lang")
    assert langs and all(el.get(f"{W}val") == "en-GB" for el in langs)


def test_no_warning_without_synthetic_data():
    doc = Document("Plan: draft", "Area", "", synthetic=False, example=False, author="Partners")
    doc.add(Heading("Section"), Paragraph("Text."))
    document = docx.Document(__import__("io").BytesIO(render_docx(doc)))
    assert "Demonstration data." not in _all_text(document)


def test_example_area_is_filled_in_and_others_say_to_complete(drafts):
    raw = yaml.safe_load((PARAMETERS_DIR / "areas" / f"{GLASGOW}.yaml").read_text("utf-8"))
    assert raw["example"] is True
    glasgow = _all_text(docx.Document(str(drafts[GLASGOW]["plan"])))
    for plan in raw["outcome_plans"].values():
        for action in plan["actions"]:
            assert action["text"] in glasgow
            assert action["lead_partners"][0] in glasgow
    for key in ("loip", "participation_statement", "equalities", "consultation", "governance"):
        assert raw["cjoip"][key] in glasgow
    assert "TO COMPLETE: write" not in glasgow
    report = _all_text(docx.Document(str(drafts[GLASGOW]["report"])))
    assert raw["outcome_plans"]["O6"]["activity"] in report
    aberdeen = _all_text(docx.Document(str(drafts[ABERDEEN]["plan"])))
    # one gap per national outcome's actions and one per plan-level section
    assert aberdeen.count("TO COMPLETE: write") == len(OUTCOMES) + len(PLAN_SECTIONS)
    assert "Example." not in aberdeen


def test_statutory_text_is_quoted(drafts):
    text = _all_text(docx.Document(str(drafts[ABERDEEN]["plan"])))
    assert (
        "\u201cTo comply with relevant equalities and human rights legislation, an equalities "
        "impact assessment must be part of the process for the plan's development.\u201d"
    ) in text
    for outcome in FRAMEWORK["outcomes"]:
        assert f"\u201c{outcome['priority_action']}\u201d" in text


def _demo_value(measure: str, area: str, period: str) -> float:
    with (DATA_DIR / "demo_measures.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["measure_id"], row["area_code"], row["period"]) == (measure, area, period):
                return float(row["value"])
    raise KeyError(measure)


def test_annual_report_progress_matches_a_hand_calculation(drafts):
    """Diversion cases commenced per 10,000 aged 16+: this year, last year and the change."""
    from cjlib.loaders.population import load_population

    population = load_population().set_index(["measure_id", "area_code", "period"])["value"]
    rate = {
        p: _demo_value("diversion_commenced", GLASGOW, p)
        / population[("population_16plus", GLASGOW, p)]
        * 10000
        for p in ("2022-23", "2023-24")
    }
    document = docx.Document(str(drafts[GLASGOW]["report"]))
    rows = [
        [c.text for c in row.cells]
        for table in document.tables
        for row in table.rows
        if row.cells[0].text == "Diversion cases commenced per 10,000 people aged 16 and over"
        and len(row.cells) == 6
    ]
    assert rows, "no progress row for the diversion rate"
    _, _, before, now, change, _ = rows[0]
    assert now == f"{rate['2023-24']:.1f}"
    assert before == f"{rate['2022-23']:.1f}"
    delta = rate["2023-24"] - rate["2022-23"]
    assert change == f"{'up' if delta > 0 else 'down'} {abs(delta):.1f}"


def test_libreoffice_converts_the_plan(drafts, tmp_path):
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    source = drafts[GLASGOW]["plan"]
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "cjoip-draft.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert pages >= 10
    first = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    first = " ".join(first.split())
    assert "Community Justice Outcomes Improvement Plan" in first
    assert "Demonstration data." in first
    everything = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(everything.split())
    assert "Outcome 9: More people across the workforce" in flat
    assert "Participation statement" in flat


def test_table_cells_never_say_nan():
    import pandas as pd

    doc = Document("T: draft", "A", "", synthetic=False, example=False, author="P")
    frame = pd.DataFrame({"A": ["x", None], "B": [float("nan"), 1.5]})
    doc.add(Table("Caption", frame, "Source"))
    text = _all_text(docx.Document(__import__("io").BytesIO(render_docx(doc))))
    assert BAD.search(text) is None
    assert "[x]" in text


def test_no_document_for_a_failed_area(batch, tmp_path):
    from cjlib.documents import write_area_documents

    area_dir = tmp_path / ORKNEY
    (area_dir / "data").mkdir(parents=True)
    stale = area_dir / "cjoip-draft.docx"
    stale.write_bytes(b"old")
    runs = [
        {"area_code": ORKNEY, "notebook": "01_diversion", "status": "ok"},
        {"area_code": ORKNEY, "notebook": "02_police_custody", "status": "failed"},
    ]
    assert write_area_documents(batch, ORKNEY, area_dir, runs) == []
    assert not stale.exists() and not (area_dir / "annual-report-draft.docx").exists()
    runs[1]["status"] = "ok"
    links = write_area_documents(batch, ORKNEY, area_dir, runs)
    assert [href for _, href in links] == ["cjoip-draft.docx", "annual-report-draft.docx"]
    assert (area_dir / "cjoip-draft.docx").stat().st_size > 10_000
    assert not list(area_dir.glob(".*.tmp"))


def test_pack_csvs_flag_every_row_and_documents_are_written(batch, tmp_path):
    """finish_batch for one area: data_status on every row, CSVW notes, both drafts."""
    import json

    import pandas as pd

    from cjlib.packs import finish_batch

    with (DATA_DIR / "demo_measures.csv").open(encoding="utf-8", newline="") as handle:
        synthetic_ids = {row["measure_id"] for row in csv.DictReader(handle)}
    parts = {i["id"]: {i["numerator"], i.get("denominator") or ""} for i in FRAMEWORK["indicators"]}
    runs = [{"area_code": ORKNEY, "notebook": "01_diversion", "status": "ok"}]
    finish_batch(batch.period, tmp_path, {"runs": runs}, prepared=batch)
    area_dir = tmp_path / batch.period / ORKNEY
    table = pd.read_csv(area_dir / "data" / "indicators.csv", keep_default_na=False)
    expected = [
        "synthetic demonstration data" if parts[i] & synthetic_ids else "official statistics"
        for i in table["indicator_id"]
    ]
    assert table["data_status"].tolist() == expected
    assert set(expected) == {"synthetic demonstration data", "official statistics"}
    outcomes = pd.read_csv(area_dir / "data" / "assessment.csv", keep_default_na=False)
    assert set(outcomes["data_status"]) == {"synthetic demonstration data"}
    notes = json.loads((area_dir / "data" / "csv-metadata.json").read_text("utf-8"))
    assert notes["@context"] == "http://www.w3.org/ns/csvw"
    urls = {t["url"]: t["notes"][0]["body"] for t in notes["tables"]}
    assert set(urls) == {"indicators.csv", "assessment.csv"}
    assert urls["indicators.csv"].startswith("Synthetic demonstration data")
    for name in ("cjoip-draft.docx", "annual-report-draft.docx"):
        assert (area_dir / name).stat().st_size > 10_000
        assert f'href="{name}"' in (area_dir / "index.html").read_text("utf-8")
