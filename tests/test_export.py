"""Tests of cjlib.export: notebook pages, front pages and the static page checks.

The sample notebooks are built with nbformat and run with papermill (which
injects an ``injected-parameters`` cell) with a hostile area name and a
parameters cell holding a fake local path, then exported.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest
from browser_support import EVIL, SECRET_PATH, build_sample_pack, execute, make_notebook
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from cjlib.export import (
    CjlibExportError,
    build_area_page,
    build_national_index,
    check_page_html,
    export_notebook,
    prepare_notebook,
    status_info,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict[str, Path]:
    return build_sample_pack(tmp_path_factory.mktemp("pack"))


@pytest.fixture(scope="module")
def outcome_html(pack) -> str:
    return pack["outcome"].read_text(encoding="utf-8")


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _bare_notebook(*outputs_cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An unexecuted notebook whose cells carry hand-made outputs (no kernel needed)."""
    title = new_code_cell("")
    title.outputs = [
        new_output("display_data", data={"text/html": "<h1>Title</h1>", "text/plain": "Title"})
    ]
    return nbformat.v4.new_notebook(cells=[title, *outputs_cells])


def _export_bare(nb: nbformat.NotebookNode, tmp_path: Path) -> str:
    source = tmp_path / "nb.ipynb"
    nbformat.write(nb, source)
    export_notebook(source, tmp_path / "nb.html")
    return (tmp_path / "nb.html").read_text()


# ---------------------------------------------------------------------------
# The exported notebook page
# ---------------------------------------------------------------------------


def test_executed_notebook_had_the_hidden_cells(pack):
    """The page tests below are meaningful: papermill injected parameters, code ran."""
    nb = nbformat.read(pack["01_outcome.ipynb"], as_version=4)
    tags = [tag for cell in nb.cells for tag in cell.metadata.get("tags", [])]
    assert "injected-parameters" in tags and "parameters" in tags
    streams = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream"
    ]
    assert {o.name for o in streams} == {"stdout", "stderr"}
    widget = "application/vnd.jupyter.widget-view+json"
    assert any(
        widget in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )


def test_page_is_self_contained(outcome_html):
    soup = _soup(outcome_html)
    assert soup.find("script") is None
    assert soup.find("link", rel="stylesheet") is None
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("data:")
    assert not re.search(r"(src|href)=\"https?://", outcome_html)
    assert "url(http" not in outcome_html and "@import" not in outcome_html
    for name in ("mathjax", "require.js", "cdnjs", "unpkg", "fonts.googleapis"):
        assert name not in outcome_html.lower()


def test_page_has_no_code_parameters_paths_or_errors(outcome_html):
    text = _soup(outcome_html).get_text()
    for leak in (
        "injected-parameters",
        "Traceback",
        SECRET_PATH,
        "/home/",
        "import matplotlib",
        "cjd.show",
        "debug line",
        "a warning",
        "removed cell",
        "REMOVED TEXT",
        "IntSlider",
        "Loading widget",
        "model_id",
        "In [",
        "Out[",
        "papermill",
    ):
        assert leak not in outcome_html, leak
    assert "Area</th>" in outcome_html  # the table itself is there
    assert "Rate per 10,000" in text and "12.3" in text
    assert "2,011" in text


def test_parameter_value_is_shown_as_text_not_markup(outcome_html):
    assert "<script>alert(1)</script>" not in outcome_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outcome_html
    assert EVIL in _soup(outcome_html).find("h1").get_text()


def test_page_structure(outcome_html):
    soup = _soup(outcome_html)
    assert soup.find("html")["lang"] == "en-GB"
    assert soup.find("title").get_text().startswith("Diversion from prosecution in")
    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(re.compile("^h[1-6]$"))]
    assert levels == [1, 2, 3, 2]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    first_link = soup.find("a")
    assert first_link["href"] == "#main" and soup.find("main")["id"] == "main"
    assert len(soup.find_all(["header", "main", "footer"])) == 3
    assert soup.select_one(".cj-demo-banner") is not None
    assert soup.select_one("header nav a[href='index.html']") is not None
    assert "Built by the cjlib tests." in soup.find("footer").get_text()


def test_charts_have_alt_text_source_table_and_csv(pack, outcome_html):
    soup = _soup(outcome_html)
    images = soup.find_all("img")
    assert len(images) == 1
    assert images[0]["alt"].startswith("Line chart of diversion completions in <script>")
    assert images[0]["src"].startswith("data:image/svg+xml;charset=utf-8,%3Csvg")
    assert len(soup.select(".cj-source")) == 2  # chart and table
    for table in soup.find_all("table"):
        assert table.find("caption").get_text(strip=True)
        assert all(th.get("scope") in {"col", "row"} for th in table.find_all("th"))
        assert "cj-table-wrap" in table.parent["class"]
    links = [a["href"] for a in soup.select("a[href^='data/']")]
    assert links == ["data/diversion.csv", "data/comparison.csv"]
    for link in links:
        assert (pack["outcome"].parent / link).is_file()
    assert "[c]" in soup.get_text()  # the suppressed year
    assert "nan" not in soup.get_text().lower().split()


def test_markdown_table_gets_caption_and_png_keeps_alt(pack):
    soup = _soup(pack["needs"].read_text())
    caption = soup.find("caption", string=re.compile("Quintiles"))
    assert caption is not None
    assert caption.find_parent("div")["class"] == ["cj-table-wrap"]
    assert "Table:" not in soup.get_text()
    image = soup.find("img")
    assert image["src"].startswith("data:image/png;base64,")
    assert image["alt"].startswith("Bar chart of people on community sentences")


def test_page_is_much_smaller_than_nbconvert_default(pack):
    from nbconvert import HTMLExporter

    ours = pack["outcome"].stat().st_size
    default, _ = HTMLExporter().from_filename(str(pack["01_outcome.ipynb"]))  # = --to html
    default_size = len(default.encode("utf-8"))
    print(f"\npage sizes: cjlib {ours:,} bytes; nbconvert --to html {default_size:,} bytes")
    assert ours * 5 < default_size
    assert ours < 60_000


def test_no_temporary_files_are_left(pack):
    folder = pack["outcome"].parent
    leftovers = [p.name for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_static_checks_pass_on_every_sample_page(pack):
    for name in ("outcome", "needs", "area", "national"):
        assert check_page_html(pack[name].read_text()) == [], name


# ---------------------------------------------------------------------------
# Refusing to publish
# ---------------------------------------------------------------------------


def test_notebook_with_an_error_is_not_published(tmp_path):
    import papermill

    nb = make_notebook(
        [
            ("code", "cjd.show_title('Title', 'Summary.', synthetic=True)", []),
            ("code", "raise ValueError('bad data in ' + data_path)", []),
        ]
    )
    with pytest.raises(papermill.PapermillExecutionError):
        execute(nb, tmp_path, "broken")
    with pytest.raises(CjlibExportError, match="ValueError") as raised:
        export_notebook(tmp_path / "broken.ipynb", tmp_path / "broken.html")
    assert "not published" in str(raised.value)
    assert not (tmp_path / "broken.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_error_output_anywhere_stops_export(tmp_path):
    cell = new_code_cell("")
    cell.outputs = [new_output("error", ename="KeyError", evalue="'x'", traceback=["Traceback"])]
    cell.metadata["tags"] = ["remove"]  # even in a removed cell
    with pytest.raises(CjlibExportError, match="KeyError"):
        _export_bare(_bare_notebook(cell), tmp_path)


def test_image_without_alt_text_is_refused(tmp_path):
    cell = new_code_cell("")
    cell.outputs = [
        new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    ]
    with pytest.raises(CjlibExportError, match="alt text"):
        _export_bare(_bare_notebook(cell), tmp_path)
    assert not (tmp_path / "nb.html").exists()


def test_widgets_leave_no_residue_but_keep_a_meaningful_fallback(tmp_path):
    widget = {"model_id": "abc123", "version_major": 2, "version_minor": 0}
    view = "application/vnd.jupyter.widget-view+json"
    cell = new_code_cell("")
    cell.outputs = [
        new_output("display_data", data={view: widget, "text/plain": "IntSlider(value=3)"}),
        new_output(
            "display_data", data={view: widget, "text/html": "<p>Use JupyterLab to explore.</p>"}
        ),
        new_output("display_data", data={"application/javascript": "alert(1)"}),
        new_output("execute_result", data={"text/plain": "Text(0.5, 1.0, 'x')"}, execution_count=1),
        new_output("stream", name="stderr", text="/home/someone/secret/data: warning"),
    ]
    nb = _bare_notebook(cell)
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {"abc123": {}}}
    }
    html = _export_bare(nb, tmp_path)
    assert "Use JupyterLab to explore." in html
    for residue in (
        "abc123",
        "IntSlider",
        "Loading widget",
        "alert(1)",
        "Text(0.5",
        "secret",
        "<script",
    ):
        assert residue not in html, residue


def test_tagged_and_raw_cells_are_dropped():
    keep = new_markdown_cell("## Kept")
    removed = new_markdown_cell("## Removed")
    removed.metadata["tags"] = ["remove-cell"]
    raw = nbformat.v4.new_raw_cell("RAW")
    quiet = new_code_cell("")
    quiet.metadata["tags"] = ["remove-output"]
    quiet.outputs = [new_output("display_data", data={"text/html": "<p>QUIET</p>"})]
    clean = prepare_notebook(_bare_notebook(keep, removed, raw, quiet))
    sources = [c.source for c in clean.cells if c.cell_type == "markdown"]
    assert sources == ["## Kept"]
    assert "QUIET" not in str(clean) and "RAW" not in str(clean)
    assert clean.metadata == {"language_info": {"name": "python"}}


@pytest.mark.parametrize(
    ("markdown", "problem"),
    [
        ("# A second title", "exactly one <h1>"),
        ("### Skips h2", "heading level skipped"),
        ("![x](https://example.com/logo.png)", "loads"),
        ("<script>alert(1)</script>", "<script>"),
        ("| a |\n|---|\n| 1 |", "no <caption>"),
        ("See /home/someone/secret/data", "local path"),
    ],
)
def test_broken_rules_stop_the_export(tmp_path, markdown, problem):
    with pytest.raises(CjlibExportError, match=re.escape(problem)):
        _export_bare(_bare_notebook(new_markdown_cell(markdown)), tmp_path)
    assert not (tmp_path / "nb.html").exists()


def test_notebook_without_title_is_refused(tmp_path):
    nb = _bare_notebook()
    nb.cells = [new_markdown_cell("Just prose.")]
    with pytest.raises(CjlibExportError, match="no h1"):
        _export_bare(nb, tmp_path)


def test_interrupted_write_keeps_the_old_page(tmp_path, monkeypatch):
    import os

    nb = _bare_notebook(new_markdown_cell("## First version"))
    _export_bare(nb, tmp_path)
    nb2 = _bare_notebook(new_markdown_cell("## Second version"))
    nbformat.write(nb2, tmp_path / "nb.ipynb")

    def full_disk(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="disk full"):
        export_notebook(tmp_path / "nb.ipynb", tmp_path / "nb.html")
    assert "First version" in (tmp_path / "nb.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb.html", "nb.ipynb"]


# ---------------------------------------------------------------------------
# Front pages
# ---------------------------------------------------------------------------


def test_area_page(pack):
    html = pack["area"].read_text()
    soup = _soup(html)
    assert "<script>alert" not in html and EVIL in soup.find("h1").get_text()
    assert pack["area"].name == "index.html" and pack["area"].parent.name == "S12000033"
    # outcomes, indicators not used, pages, downloads, method, sources
    assert [h.name for h in soup.find_all(re.compile("^h[1-6]$"))] == ["h1"] + ["h2"] * 6
    assert "The partnership uses every indicator." in soup.get_text()
    table = soup.find("table")
    assert [th.get_text() for th in table.select("thead th")][:3] == [
        "Outcome",
        "Status",
        "How near",
    ]
    assert len(table.select("tbody tr")) == 9
    assert (
        "Partly achieved" in table.get_text()
        and "TO COMPLETE: partnership decision" in table.get_text()
    )
    assert "Diversion completed, Rate per 10,000" in table.get_text()
    assert soup.select_one("a[href='01_outcome.html']").get_text() == "Outcome 1"
    assert soup.select_one("a[href='data/diversion.csv']") is not None
    assert "Open Government Licence v3.0" in html
    assert soup.select_one(".cj-demo-banner") is not None
    assert soup.select_one("header nav a[href='../index.html']") is not None


def test_national_index(pack):
    html = pack["national"].read_text()
    soup = _soup(html)
    grid = soup.select_one("table.cj-grid")
    assert grid.find_parent("div")["class"] == ["cj-table-wrap"]
    assert "cj-sticky" in grid["class"]
    rows = grid.select("tbody tr")
    assert len(rows) == 32
    assert "all 32 of Scotland's community justice partnerships" in soup.get_text()
    first = rows[0]
    assert first.find("th")["scope"] == "row"
    labels = [td.get_text(" ", strip=True) for td in first.find_all("td")]
    assert all(label.split(" ", 1)[1] in {s.label for s in _statuses()} for label in labels)
    assert soup.select_one("a[href='S12000033/index.html']") is not None
    evil_row = next(r for r in rows if EVIL in r.get_text())
    assert {td.get_text(" ", strip=True) for td in evil_row.find_all("td")} == {"– Not run"}
    assert "! Failed" in rows[-1].get_text(" ", strip=True)
    assert "318 succeeded, 2 failed, 0 skipped" in soup.get_text()
    assert "ValueError: bad input" in soup.get_text()
    # symbols are decoration; the words carry the meaning
    assert all(span["aria-hidden"] == "true" for span in soup.select(".cj-status > span"))


def _statuses():
    from cjlib.export import STATUSES

    return STATUSES.values()


def test_unknown_status_is_refused(tmp_path):
    assert status_info("Partly_Achieved").label == "Partly achieved"
    assert status_info(None).label == "Not run"
    with pytest.raises(ValueError, match="unknown outcome status"):
        build_national_index(
            tmp_path,
            period="2023-24",
            built_at="today",
            version="0.1.0",
            areas=[{"code": "S1", "name": "A", "href": None, "statuses": {1: "great"}}],
            outcomes=[{"number": 1, "title": "One"}],
            synthetic=False,
        )
    assert not (tmp_path / "index.html").exists()


def test_area_page_with_trusted_method_html_and_no_banner(tmp_path):
    info = build_area_page(
        tmp_path / "S12000005" / "index.html",
        area_name="Clackmannanshire",
        area_code="S12000005",
        period="2023-24",
        built_at="today",
        version="0.1.0",
        summary_rows=[
            {"outcome number": 1, "outcome title": "Diversion", "status": "achieved: improved"}
        ],
        notebook_links=[],
        method_note_html="<p>Built with <strong>care</strong>.</p>",
        synthetic=False,
    )
    html = Path(info["path"]).read_text()
    assert info["bytes"] == len(html.encode())
    soup = _soup(html)
    assert "<strong>care</strong>" in html and soup.select_one(".cj-demo-banner") is None
    assert "synthetic" not in soup.get_text().lower()


def test_static_checks_find_problems():
    page = (
        '<!DOCTYPE html><html lang="en"><head><title></title>'
        '<link rel="stylesheet" href="https://cdn.example/x.css"></head><body>'
        "<h2>Start</h2><img src='https://example.com/a.png'><img src='data:,' alt='Image'>"
        "<table><tr><th>a</th></tr></table><p style=\"background:url('http://x/y.png')\">"
        "C:\\Users\\me\\data</p><a href='javascript:alert(1)'>x</a></body></html>"
    )
    problems = "\n".join(check_page_html(page))
    for expected in (
        'lang="en-GB"',
        "<title>",
        "<main>",
        "exactly one <h1>",
        "no alt text",
        "generic alt",
        "no <caption>",
        "has no scope",
        "<link> loads",
        "<img src> loads",
        "CSS url() loads",
        "local path",
        "javascript:",
        "skip to the <main>",
    ):
        assert expected in problems, expected


def test_checks_accept_a_copy_of_a_good_page(outcome_html):
    assert check_page_html(copy.copy(outcome_html), forbidden=["/nowhere/at/all/"]) == []
    assert check_page_html(outcome_html, forbidden=["Diversion from"]) != []
