"""Tests of cjlib.report.display and cjlib.htmlutil: escaping, tables, figures, CSVs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from cjlib import htmlutil  # noqa: E402
from cjlib.fileio import write_bytes_atomic  # noqa: E402
from cjlib.report import display as cjd  # noqa: E402
from cjlib.report.figures import minify_svg  # noqa: E402

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def published(monkeypatch):
    """Capture what the show_* functions would send to the notebook."""
    outputs: list[tuple[dict, dict]] = []
    monkeypatch.setattr(
        cjd, "_publish", lambda data, metadata=None: outputs.append((data, metadata or {}))
    )
    return outputs


def _soup(fragment: str) -> BeautifulSoup:
    return BeautifulSoup(fragment, "html.parser")


def _figure():
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["2022-23", "2023-24"], [10, 14])
    return fig


# ---------------------------------------------------------------------------
# Title, headings, prose
# ---------------------------------------------------------------------------


def test_title_has_one_h1_summary_and_demo_banner():
    soup = _soup(
        cjd.title_html(f"Outcome 1 in {EVIL}", "Summary.", synthetic=True, subtitle="2023-24")
    )
    assert [h.get_text() for h in soup.find_all("h1")] == [f"Outcome 1 in {EVIL}"]
    assert soup.find("script") is None
    banner = soup.select_one(".cj-demo-banner")
    assert "synthetic demonstration data, not official statistics" in banner.get_text()
    assert soup.select_one(".cj-subtitle").get_text() == "2023-24"


def test_title_without_synthetic_data_has_no_banner():
    soup = _soup(cjd.title_html("Outcome 1", "Summary.", synthetic=False))
    assert soup.select_one(".cj-demo-banner") is None


def test_heading_levels(published):
    cjd.show_heading(f"About {EVIL}", level=3)
    html = published[0][0]["text/html"]
    assert html == "<h3>About &lt;script&gt;alert(1)&lt;/script&gt;</h3>"
    with pytest.raises(ValueError, match="h1 comes from show_title"):
        cjd.heading_html("Another title", level=1)
    with pytest.raises(ValueError):
        cjd.heading_html("  ")


def test_prose_is_escaped_with_lists_and_emphasis(published):
    cjd.show_text(
        f"First **bold** paragraph about {EVIL}.\n\n- one\n- *two*\n\n1. first\n2. second"
    )
    soup = _soup(published[0][0]["text/html"])
    assert soup.find("script") is None
    assert EVIL in soup.get_text()
    assert soup.find("strong").get_text() == "bold"
    assert [li.get_text() for li in soup.select("ul li")] == ["one", "two"]
    assert soup.select_one("ul em").get_text() == "two"
    assert len(soup.select("ol li")) == 2


def test_prose_from_a_list_is_one_paragraph_each():
    soup = _soup(htmlutil.render_prose(["One.", f"Two {EVIL}", "snake_case_name stays"]))
    assert [p.get_text() for p in soup.find_all("p")] == [
        "One.",
        f"Two {EVIL}",
        "snake_case_name stays",
    ]


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def test_table_has_caption_scopes_and_gss_markers():
    data = pd.DataFrame(
        {
            "Area": [EVIL, "Scotland", "Orkney"],
            "Count": [1234.0, np.nan, None],
            "Rate": [12.345, 10.0, np.nan],
            "marker": ["", "[c]", None],
        }
    )
    html, used = htmlutil.render_table(data, caption=f"Counts for {EVIL}")
    soup = _soup(html)
    assert soup.find("script") is None
    assert soup.find("caption").get_text() == f"Counts for {EVIL}"
    assert {th["scope"] for th in soup.select("thead th")} == {"col"}
    assert [th.get_text() for th in soup.select("tbody th")] == [EVIL, "Scotland", "Orkney"]
    assert all(th["scope"] == "row" for th in soup.select("tbody th"))
    cells = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in soup.select("tbody tr")]
    assert cells[0][1:3] == ["1,234", "12.3"]  # whole-number floats as counts
    assert cells[1][1] == "[c]"  # suppressed: the row's marker
    assert cells[2][1] == "[x]" and cells[2][3] == ""  # no marker: not available
    text = soup.get_text()
    assert "nan" not in text.lower() and "None" not in text
    assert used == {"[c]", "[x]"}
    wrapper = soup.select_one("div.cj-table-wrap")
    assert wrapper["role"] == "region" and wrapper["tabindex"] == "0"


def test_table_formatters_and_named_index():
    data = pd.DataFrame(
        {"share": [0.5, 0.25], "n": [3, 4]}, index=pd.Index(["A", "B"], name="Area")
    )
    html, _ = htmlutil.render_table(
        data, caption="Shares", formatters={"share": "{:.0%}", "n": lambda v: f"n={v}"}
    )
    soup = _soup(html)
    assert [th.get_text() for th in soup.select("thead th")] == ["Area", "share", "n"]
    assert [td.get_text() for td in soup.select("tbody tr")[0].find_all("td")] == ["50%", "n=3"]


def test_marker_key_explains_symbols():
    key = htmlutil.render_marker_key({"[c]", "[x]", "other"})
    assert "[c] confidential" in key and "[x] not available" in key and "other" not in key
    assert htmlutil.render_marker_key(set()) == ""


def test_show_table_writes_csv_and_links_it(published, tmp_path):
    data = pd.DataFrame({"Area": ["A", "B"], "Count": [5.0, np.nan], "marker": ["", "[c]"]})
    cjd.show_table(
        data, caption="Counts", source="Synthetic", csv_name="counts.csv", output_dir=tmp_path
    )
    soup = _soup(published[0][0]["text/html"])
    assert (
        soup.select_one("a[href='data/counts.csv']").get_text().startswith("Download the data (CSV")
    )
    assert soup.select_one(".cj-source").get_text() == "Source: Synthetic"
    # the source line comes after the table
    assert str(soup).index("cj-source") > str(soup).index("<table")
    csv = (tmp_path / "data" / "counts.csv").read_text()
    assert csv.splitlines() == [
        "Area,Count,marker,data_status",
        "A,5,,official statistics",
        "B,,[c],official statistics",
    ]
    assert list((tmp_path / "data").iterdir()) == [tmp_path / "data" / "counts.csv"]


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", "x.txt", ".hidden.csv", "a..csv"])
def test_bad_csv_names_are_rejected(name, tmp_path):
    with pytest.raises(ValueError, match="csv_name"):
        cjd.show_table(
            pd.DataFrame({"a": [1]}), caption="c", source="s", csv_name=name, output_dir=tmp_path
        )


def test_table_and_chart_need_a_source(published):
    with pytest.raises(ValueError, match="source"):
        cjd.show_table(pd.DataFrame({"a": [1]}), caption="c", source=" ")


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def test_show_figure_emits_heading_image_with_alt_and_data(published, tmp_path):
    before = dict(matplotlib.rcParams)
    fig = _figure()
    data = pd.DataFrame({"Year": ["2022-23", "2023-24"], "Cases": [10, 14]})
    cjd.show_figure(
        fig,
        title=f"Cases rose in {EVIL}",
        alt="Bar chart: cases rose from 10 to 14.",
        source="Synthetic demonstration data",
        data=data,
        csv_name="cases.csv",
        output_dir=tmp_path,
        caption="Higher is better.",
    )
    assert not plt.fignum_exists(fig.number)  # closed
    assert dict(matplotlib.rcParams) == before  # svg settings only inside an rc_context
    (heading, _), (image, meta), (block, _) = published
    assert heading["text/html"] == "<h3>Cases rose in &lt;script&gt;alert(1)&lt;/script&gt;</h3>"
    svg = image["image/svg+xml"]
    assert svg.startswith("<svg") and "<metadata>" not in svg
    assert "<text" in svg or "font" in svg  # live text, no glyph outlines embedded
    assert meta == {"image/svg+xml": {"alt": "Bar chart: cases rose from 10 to 14."}}
    assert len(svg) < 40_000
    soup = _soup(block["text/html"])
    assert soup.select_one(".cj-source").get_text() == "Source: Synthetic demonstration data"
    assert soup.select_one("details summary").get_text().startswith("Show the data")
    assert soup.find("caption").get_text() == f"Cases rose in {EVIL}"
    assert soup.select_one("a[href='data/cases.csv']") is not None
    assert (tmp_path / "data" / "cases.csv").read_text().startswith("Year,Cases")


def test_show_figure_png_and_derived_csv_name(published, tmp_path):
    cjd.show_figure(
        _figure(),
        title="Cases rose",
        alt="Bar chart of cases",
        source="Synthetic",
        data=pd.DataFrame({"a": [1]}),
        output_dir=tmp_path,
        image_format="png",
    )
    assert published[1][0]["image/png"]
    assert published[1][1] == {"image/png": {"alt": "Bar chart of cases"}}
    assert (tmp_path / "data" / "cases-rose.csv").exists()


def test_show_figure_without_output_dir_links_no_csv(published):
    cjd.show_figure(
        _figure(), title="T", alt="Bar chart of cases", source="S", data=pd.DataFrame({"a": [1]})
    )
    assert "Download" not in published[2][0]["text/html"]


@pytest.mark.parametrize("alt", ["", "   ", "Chart", "image."])
def test_show_figure_rejects_empty_or_generic_alt(published, alt):
    fig = _figure()
    with pytest.raises(ValueError, match="alt text"):
        cjd.show_figure(fig, title="T", alt=alt, source="S", data=pd.DataFrame({"a": [1]}))
    plt.close(fig)
    assert published == []


def test_show_figure_needs_its_data(published):
    fig = _figure()
    with pytest.raises(ValueError, match="needs data"):
        cjd.show_figure(fig, title="T", alt="Bar chart of cases", source="S", data=None)
    plt.close(fig)


def test_long_chart_data_is_offered_as_csv_only(published, tmp_path):
    data = pd.DataFrame({"n": range(cjd.MAX_TABLE_ROWS + 1)})
    cjd.show_figure(
        _figure(), title="T", alt="Bar chart of cases", source="S", data=data, output_dir=tmp_path
    )
    block = published[2][0]["text/html"]
    assert "<table" not in block and "too many to list" in block and "data/t.csv" in block


# ---------------------------------------------------------------------------
# Files and import side effects
# ---------------------------------------------------------------------------


def test_write_atomic_leaves_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    write_bytes_atomic(b"old", target)
    assert oct(target.stat().st_mode & 0o777) != oct(0o600)  # not mkstemp's private mode

    def broken_replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(b"new", target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_importing_display_changes_no_global_state():
    # third-party libraries may set their own warning filters on import: load them first
    code = (
        "import matplotlib, matplotlib.pyplot, warnings, logging;"
        "import numpy, pandas, IPython.display, nbconvert, nbformat, bs4, jinja2;"
        "rc = dict(matplotlib.rcParams); filters = list(warnings.filters);"
        "handlers = list(logging.getLogger().handlers);"
        "import cjlib.report.display, cjlib.htmlutil, cjlib.export;"
        "assert dict(matplotlib.rcParams) == rc, 'rcParams changed';"
        "assert list(warnings.filters) == filters, 'warnings filters changed';"
        "assert list(logging.getLogger().handlers) == handlers, 'logging changed'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_outputs_from_a_real_kernel_carry_alt_metadata(tmp_path):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import matplotlib; matplotlib.use('agg')\n"
                "import matplotlib.pyplot as plt, pandas as pd\n"
                "from cjlib.report import display as cjd\n"
                "fig, ax = plt.subplots(); ax.plot([1, 2])\n"
                "cjd.show_figure(fig, title='Rising', alt='Line rising from 1 to 2', source='S',\n"
                "                data=pd.DataFrame({'x': [1, 2]}))"
            )
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"] * 3
    assert outputs[1].metadata["image/svg+xml"]["alt"] == "Line rising from 1 to 2"
    assert "text/html" in outputs[0].data and "text/html" in outputs[2].data
    assert Path(tmp_path).exists()


def test_minify_svg_keeps_the_picture_and_text():
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n'
        '<svg width="100.123456pt">\n <metadata>x</metadata>\n'
        ' <!-- $10^{0}$ -->\n <g id="figure_1">\n  <path id="m1" d="M 1.234567 2.5\nL 3 4"/>\n'
        '  <use xlink:href="#m1" x="10.987654"/>\n'
        '  <g transform="scale(1.234567)">'
        "<text style=\"font-family: 'DejaVu Sans'\">0.125678</text></g>\n"
        " </g>\n</svg>\n"
    )
    mini = minify_svg(svg)
    assert mini.startswith('<svg width="100.12pt">')
    assert "metadata" not in mini and "<!--" not in mini and "figure_1" not in mini
    assert '<path id="m1" d="M 1.23 2.5 L 3 4"/>' in mini  # referenced id kept
    assert 'x="10.98"' in mini
    assert 'transform="scale(1.234567)"' in mini  # transforms keep precision
    assert ">0.125678</text>" in mini  # text content untouched
    assert "font-family: 'DejaVu Sans', sans-serif" in mini
