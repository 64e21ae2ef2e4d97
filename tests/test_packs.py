"""End to end: every real notebook for three contrasting areas, through `cjlib run`, checked.

Glasgow City (large, urban), Orkney Islands (small counts and suppression) and
Midlothian (missing years). The packs are built once for the module.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cjlib.paths import NOTEBOOKS_DIR, PROJECT_DIR

pytestmark = pytest.mark.slow

AREAS = {"S12000049": "Glasgow City", "S12000023": "Orkney Islands", "S12000019": "Midlothian"}
NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
BAD_TEXT = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|Traceback|Warning:|\bwarn\(")
ARTIFACTS = PROJECT_DIR / "test-artifacts"


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    cmd = [sys.executable, "-m", "cjlib.cli.main", "run", "--output", str(out), "--jobs", "2"]
    for code in AREAS:
        cmd += ["--area", code]
    env = {**os.environ, "CJLIB_STATIC": "1"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1500)
    assert done.returncode == 0, done.stdout + done.stderr
    period_dir = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    return period_dir


def test_every_run_succeeded(packs):
    manifest = json.loads((packs / "manifest.json").read_text())
    runs = {(r["area_code"], r["notebook"]): r["status"] for r in manifest["runs"]}
    assert len(runs) == len(AREAS) * len(NOTEBOOKS)
    assert set(runs.values()) == {"ok"}


@pytest.mark.parametrize("area", list(AREAS))
def test_notebook_outputs_are_clean(packs, area):
    for stem in NOTEBOOKS:
        nb = nbformat.read(packs / area / f"{stem}.ipynb", as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", f"{area} {stem}: error output"
                if output["output_type"] == "stream":
                    assert output["name"] != "stderr", (
                        f"{area} {stem}: stderr: {output['text'][:200]}"
                    )
                data = output.get("data", {})
                text = data.get("text/html", "") + data.get("text/plain", "")
                hit = BAD_TEXT.search(text)
                assert hit is None, (
                    f"{area} {stem}: {hit.group(0)!r} in "
                    f"{text[max(0, hit.start() - 80) : hit.end() + 80]!r}"
                )


@pytest.mark.parametrize("area", list(AREAS))
def test_pages_are_safe(packs, area):
    forbidden = [
        str(PROJECT_DIR),
        str(packs.parent),
        "injected-parameters",
        "Traceback",
        "<script src",
    ]
    for page in sorted((packs / area).glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert 'lang="en-GB"' in html
        assert html.count("<h1") == 1, page.name
        for text in forbidden:
            assert text not in html, f"{page.name} contains {text!r}"
        assert not re.search(r'(src|href)="https?://', html), page.name
        assert not re.search(r"\bnan\b|\bNone\b", re.sub(r"<[^>]+>", " ", html)), page.name


def test_no_published_file_carries_a_build_path(packs):
    """Every file of the packs, executed notebooks included, is free of the machine's folders."""
    forbidden = [str(PROJECT_DIR), str(packs.parent), str(Path.home()) + "/"]
    for path in sorted(packs.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".ipynb", ".csv", ".json"):
            continue
        if path.name == "manifest.json":  # the build record, not published in the packs
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for folder in forbidden:
            assert folder not in text, f"{path.relative_to(packs)} contains {folder!r}"


def test_index_pages_and_downloads(packs):
    assert (packs / "index.html").exists()
    for area in AREAS:
        assert (packs / area / "index.html").exists()
        data = packs / area / "data"
        assert (data / "indicators.csv").exists()
        header = (data / "indicators.csv").read_text().splitlines()[0].split(",")
        assert {"area_code", "period", "indicator_id", "value", "marker"} <= set(header)


def test_island_counts_are_suppressed(packs):
    import pandas as pd

    from cjlib.framework import load_framework

    fw = load_framework()
    published = set(fw.published_statistics)
    official = {i.id for i in fw.indicators if i.numerator in published}
    table = pd.read_csv(packs / "S12000023" / "data" / "indicators.csv")
    protected = table[~table["indicator_id"].isin(official)]  # NRS, SG: shown as published
    small = protected["numerator"].between(1, 4)
    assert not small.any(), protected[small]
    assert (table["marker"] == "[c]").any()


def test_real_pages_pass_browser_checks(packs):
    from browser_support import check_page, chromium_missing_reason, launch, serve

    reason = chromium_missing_reason()
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    pages = ["index.html"] + [
        f"{a}/{p}"
        for a in ("S12000049", "S12000023")
        for p in (
            "index.html",
            "00_needs_assessment.html",
            "01_diversion.html",
            "10_cjoip_summary.html",
        )
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    with sync_playwright() as playwright, serve(packs) as base:
        browser = launch(playwright)
        try:
            for name in pages:
                page = browser.new_page()
                shot = (
                    ARTIFACTS / "real-01_diversion-320px.png"
                    if name.endswith("S12000023/01_diversion.html")
                    else None
                )
                problems += [f"{name}: {p}" for p in check_page(page, base + name, screenshot=shot)]
                page.close()
        finally:
            browser.close()
    assert problems == [], "\n".join(problems)


def test_text_from_parameters_is_escaped(tmp_path):
    """Free text from a partnership's parameters shows as text and runs nothing."""
    import shutil

    attack = "<script>alert(1)</script>"
    params = tmp_path / "parameters"
    shutil.copytree(PROJECT_DIR / "parameters", params)
    (params / "areas" / "S12000023.yaml").write_text(
        "area_code: S12000023\n"
        f"context: '{attack} & more'\n"
        f"indicators_not_used:\n  LE07_outcomes: '{attack}'\n"
        f"priorities:\n  O7: {{priority: true, reason: '{attack}'}}\n"
    )
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "cjlib.cli.main",
        "run",
        "--output",
        str(out),
        "--params",
        str(params),
    ]
    cmd += ["--area", "S12000023", "--notebook", "07", "--notebook", "10"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = list((out / "2023-24" / "S12000023").glob("*.html"))
    assert len(pages) == 3
    seen = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html, page.name
        seen += html.count("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert seen >= 3  # the context, the reason for not using an indicator, the decision's reason
