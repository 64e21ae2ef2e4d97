"""Helpers for the export and browser tests: sample notebooks, a local server, page checks.

``check_page(page, url)`` runs every browser check on one generated page and
returns a list of problems, so it can be applied to any pack page (the sample
pages built here, or real packs built by ``cjlib run``).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cjlib.assess.rules import STATUSES

CHROMIUM = os.environ.get("CJLIB_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
GENERIC_ALT = {"", "image", "chart", "graph", "figure", "plot", "picture"}
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SECRET_PATH = "/home/someone/secret/data"
EVIL = "<script>alert(1)</script>"

# ---------------------------------------------------------------------------
# Sample notebooks (built with nbformat, executed with papermill)
# ---------------------------------------------------------------------------

_KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}

_PARAMETERS = f"""\
area_code: str = "S12000033"  # GSS code of the council area
area_name: str = "Aberdeen City"  # name of the council area
period: str = "2023-24"  # reporting year, April to March
data_path: str = "{SECRET_PATH}"  # folder of the raw data
output_dir: str = "."  # folder of this area's pack
"""

_IMPORTS = """\
import sys
import warnings

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cjlib.assess.rules import STATUSES
from cjlib.report import display as cjd
"""

_OUTCOME_CELLS: list[tuple[str, str, list[str]]] = [
    (
        "code",
        'cjd.show_title(f"Diversion from prosecution in {area_name}", '
        'f"In {period} more people in {area_name} completed diversion than in the year '
        'before.", synthetic=True, subtitle=f"{area_name}, {period}")',
        [],
    ),
    (
        "markdown",
        "## How many people completed diversion\n\n"
        "Diversion lets a person be dealt with outside the courts. "
        "The chart shows completions in each year.",
        [],
    ),
    (
        "code",
        "years = ['2019-20', '2020-21', '2021-22', '2022-23', '2023-24']\n"
        "df = pd.DataFrame({'period': years, 'area': area_name,\n"
        "                   'completed': [41.0, np.nan, 52.0, 58.0, 63.0],\n"
        "                   'marker': ['', '[c]', '', '', '']})\n"
        "fig, ax = plt.subplots(figsize=(6, 3))\n"
        "ax.plot(years, df['completed'], marker='o', color='#002d54')\n"
        "ax.set_ylabel('Completed')\n"
        "print('debug line that must not be published')\n"
        "print('a warning on stderr', file=sys.stderr)\n"
        "cjd.show_figure(fig, title='Completions rose in each of the last three years',\n"
        "    alt=f'Line chart of diversion completions in {area_name}: 41 in 2019-20, '\n"
        "        'suppressed in 2020-21, then 52, 58 and 63 by 2023-24.',\n"
        "    source='Synthetic demonstration data', data=df, csv_name='diversion.csv',\n"
        "    output_dir=output_dir, caption='Higher is better.')",
        [],
    ),
    (
        "code",
        "cjd.show_heading(f'Comparison with Scotland for {area_name}', level=2)\n"
        "table = pd.DataFrame({'Area': [area_name, 'Scotland'],\n"
        "                      'Rate per 10,000': [12.345, 10.0],\n"
        "                      'Completed': [63, 2011]})\n"
        "cjd.show_table(table, caption=f'Diversion completions, {area_name} and Scotland',\n"
        "    source='Synthetic demonstration data', csv_name='comparison.csv',\n"
        "    output_dir=output_dir, formatters={'Rate per 10,000': ',.1f'})\n"
        "table  # a bare expression result is not published",
        [],
    ),
    (
        "code",
        "cjd.show_text([f'The partnership in {area_name} met its target.',\n"
        "               '**Next step:** keep the referral pathway.'])\n"
        "warnings.warn('a warning that must not be published')",
        [],
    ),
    (
        "code",
        "import ipywidgets as widgets\n"
        "from IPython.display import display\n"
        "display(widgets.IntSlider(value=3, description='Year'))",
        [],
    ),
    ("code", "print('removed cell')\ncjd.show_text('REMOVED TEXT')", ["remove"]),
]

_NEEDS_CELLS: list[tuple[str, str, list[str]]] = [
    (
        "code",
        "cjd.show_title(f'Needs and strengths in {area_name}', "
        "'Most people on community sentences live in the most deprived areas.', "
        "synthetic=True)",
        [],
    ),
    (
        "markdown",
        "## Deprivation\n\n### People by SIMD quintile\n\n"
        "Table: Quintiles of the Scottish Index of Multiple Deprivation\n\n"
        "| Quintile | Meaning |\n|---|---|\n| 1 | most deprived |\n| 5 | least deprived |",
        [],
    ),
    (
        "code",
        "q = pd.DataFrame({'SIMD quintile': [1, 2, 3, 4, 5], 'People': [420, 310, 150, 80, 40]})\n"
        "fig, ax = plt.subplots(figsize=(5, 3))\n"
        "ax.barh(q['SIMD quintile'].astype(str), q['People'], color='#2b9c93')\n"
        "cjd.show_figure(fig, title='Four in ten people live in the most deprived fifth',\n"
        "    alt='Bar chart of people on community sentences by SIMD quintile: 420 in the '\n"
        "        'most deprived fifth falling to 40 in the least deprived.',\n"
        "    source='Synthetic demonstration data', data=q, csv_name='simd.csv',\n"
        "    output_dir=output_dir, image_format='png')",
        [],
    ),
]


def make_notebook(cells: list[tuple[str, str, list[str]]]) -> nbformat.NotebookNode:
    """A notebook with the standard parameters and imports cells, then ``cells``."""
    params = new_code_cell(_PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    built = [params, new_code_cell(_IMPORTS)]
    for kind, source, tags in cells:
        cell = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        built.append(cell)
    metadata = {"kernelspec": _KERNEL, "language_info": {"name": "python"}}
    return new_notebook(cells=built, metadata=metadata)


def outcome_notebook() -> nbformat.NotebookNode:
    """The sample outcome page: figure, tables, text, widget, streams, removed cell."""
    return make_notebook(_OUTCOME_CELLS)


def needs_notebook() -> nbformat.NotebookNode:
    """The sample needs-assessment page: PNG figure, markdown table, h3 under h2."""
    return make_notebook(_NEEDS_CELLS)


def execute(nb: nbformat.NotebookNode, folder: Path, name: str, **parameters: Any) -> Path:
    """Write ``nb`` to ``folder/name``, run it with papermill and return the executed copy."""
    import papermill

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.source.ipynb"
    nbformat.write(nb, source)
    executed = folder / f"{name}.ipynb"
    papermill.execute_notebook(
        str(source),
        str(executed),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        cwd=str(folder),
    )
    return executed


def build_sample_pack(root: Path) -> dict[str, Path]:
    """Build a small pack: two notebook pages, an area front page and a national index.

    Returns a mapping of page names (``outcome``, ``needs``, ``area``,
    ``national``) to their files; the executed notebooks are kept too.
    """
    from cjlib.export import build_area_page, build_national_index, export_notebook

    period_dir = root / "2023-24"
    area_dir = period_dir / "S12000033"
    params = {"area_name": EVIL, "output_dir": str(area_dir)}
    nav = [("Pack contents", "index.html"), ("All areas", "../index.html")]
    pages: dict[str, Path] = {}
    for name, nb in (("01_outcome", outcome_notebook()), ("00_needs", needs_notebook())):
        executed = execute(nb, area_dir, name, **params)
        html = area_dir / f"{name}.html"
        export_notebook(executed, html, nav=nav, footer_note="Built by the cjlib tests.")
        pages[name.split("_", 1)[1]] = html
        pages[f"{name}.ipynb"] = executed
    rows = [
        {
            "number": n,
            "title": f"Outcome {n} title",
            "status": status,
            "how_near": "Close to the Scotland rate",
            "suggested_priority": "Yes" if not status.startswith("achieved") else "No",
            "partnership_decision": None,
            "indicators_used": ["Diversion completed", "Rate per 10,000"],
        }
        for n, status in zip(
            range(1, 10),
            list(STATUSES) * 2,
            strict=False,
        )
    ]
    pages["area"] = Path(
        build_area_page(
            area_dir,
            area_name=EVIL,
            area_code="S12000033",
            period="2023-24",
            built_at="25 November 2025",
            version="0.1.0",
            summary_rows=rows,
            notebook_links=[
                ("Needs assessment", "00_needs.html"),
                ("Outcome 1", "01_outcome.html"),
            ],
            downloads=[("Diversion data (CSV)", "data/diversion.csv")],
            method_note=["Rates use Byar's method.", f"Text from data: {EVIL}"],
            provenance=[
                {
                    "source": "Justice social work statistics",
                    "publisher": "Scottish Government",
                    "licence": "Open Government Licence v3.0",
                    "notes": "Synthetic stand-in",
                }
            ],
            synthetic=True,
        )["path"]
    )
    statuses = list(STATUSES)
    areas = [
        {
            "code": f"S120000{i:02d}",
            "name": f"Area {i} with a long council name",
            "href": "S12000033/index.html" if i == 33 else None,
            "statuses": {n: statuses[(i + n) % len(statuses)] for n in range(1, 10)},
        }
        for i in range(5, 35)
    ]
    areas.append({"code": "S12000099", "name": EVIL, "href": None, "statuses": {}})
    areas.append({"code": "S12000098", "name": "Failed area", "href": None,
                  "statuses": dict.fromkeys(range(1, 10), "failed")})  # fmt: skip
    pages["national"] = Path(
        build_national_index(
            period_dir,
            period="2023-24",
            built_at="25 November 2025",
            version="0.1.0",
            areas=areas,
            outcomes=[{"number": n, "title": f"National outcome {n}"} for n in range(1, 10)],
            run_summary={"ok": 318, "failed": 2, "skipped": 0},
            failures=["S12000098 01_outcome: ValueError: bad input"],
            synthetic=True,
        )["path"]
    )
    return pages


# ---------------------------------------------------------------------------
# Browser
# ---------------------------------------------------------------------------


def chromium_missing_reason() -> str | None:
    """None when Chromium and playwright can run, else why not."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def launch(playwright: Any) -> Any:
    """Launch Debian's Chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


def open_chromium() -> Iterator[Any]:
    """Yield a launched Chromium for a module's tests: fail in CI when it cannot run.

    Outside CI a missing browser skips the tests with the reason; in CI (``CI=true``)
    it fails them, so a browser check can never pass by not running.
    """
    from conftest import require_tool

    reason = chromium_missing_reason()
    if reason:
        require_tool("chromium", reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


_OUTLINE_JS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .map(h => [Number(h.tagName[1]), h.textContent.trim()])"""
_LANDMARKS_JS = """() => ({
  lang: document.documentElement.lang,
  title: document.title,
  main: document.querySelectorAll('main').length,
  header: document.querySelectorAll('body > header').length,
  footer: document.querySelectorAll('body > footer').length,
  scripts: document.scripts.length,
  tables: Array.from(document.querySelectorAll('table')).map(t => ({
    caption: t.caption ? t.caption.textContent.trim() : '',
    unscoped: Array.from(t.querySelectorAll('th')).filter(th => !th.getAttribute('scope')).length,
  })),
})"""
_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
_PRINT_JS = """() => Array.from(document.querySelectorAll('details table'))
  .filter(t => !t.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true}))
  .length"""
_WIDTH_JS = """() => ({doc: document.documentElement.scrollWidth,
  body: document.body.scrollWidth, view: window.innerWidth})"""


def _outline_problems(outline: list[list[Any]]) -> list[str]:
    problems = []
    levels = [level for level, _ in outline]
    if levels.count(1) != 1:
        problems.append(f"expected one h1, found {levels.count(1)}")
    previous = 0
    for level, text in outline:
        if (previous == 0 and level != 1) or level > previous + 1:
            problems.append(f"heading h{level} {text[:50]!r} skips a level after h{previous}")
        previous = level
    return problems


def _axe_problems(page: Any, label: str) -> list[str]:
    """Run axe-core (the WCAG A and AA tags) on the page as it stands; one line if it fails."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    if not results.violations_count:
        return []
    return [f"{label}: " + results.generate_snapshot().replace("\n", "; ")]


@contextmanager
def opened_page(browser: Any, **options: Any) -> Iterator[Any]:
    """Open a new page in ``browser`` (``options`` as for ``new_page``) and close it after."""
    page = browser.new_page(**options)
    try:
        yield page
    finally:
        page.close()


def check_page(page: Any, url: str, *, screenshot: Path | None = None) -> list[str]:
    """Open ``url`` in ``page`` and list every browser-checked problem.

    Checks: axe-core (WCAG 2.0/2.1/2.2 A and AA tags) reports no violation; no
    request other than the page itself (data: URIs never make one); no console
    error; every image has real alt text; one h1 and no skipped heading level;
    ``lang="en-GB"``, landmarks, captioned and scoped tables, no script; the
    skip link is the first thing the keyboard reaches; at 320 px wide the page
    does not scroll sideways (and axe still passes); printed, the data tables
    folded into ``<details>`` are shown.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A fresh page (its routes and listeners are added here).
    url : str
        The page to check (``http://`` from :func:`serve`, or ``file://``).
    screenshot : Path, optional
        Where to save a full-page screenshot at 320 px wide.

    Returns
    -------
    list of str
        Problems, empty when the page passes.
    """
    page_url = url.split("#", 1)[0]
    problems: list[str] = []
    requests: list[str] = []
    console: list[str] = []

    def route(request_route: Any) -> None:
        request = request_route.request
        if request.url.split("#", 1)[0] == page_url:
            request_route.continue_()
        else:
            requests.append(request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith("data:") or r.url.split("#", 1)[0] == page_url
            else requests.append(r.url)
        ),
    )
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url, wait_until="load")
    facts = page.evaluate(_LANDMARKS_JS)
    if facts["lang"] != "en-GB":
        problems.append(f"lang is {facts['lang']!r}, not 'en-GB'")
    if not facts["title"].strip():
        problems.append("empty <title>")
    for landmark in ("main", "header", "footer"):
        if facts[landmark] != 1:
            problems.append(f"{facts[landmark]} <{landmark}> landmarks")
    if facts["scripts"]:
        problems.append(f"{facts['scripts']} <script> elements")
    for table in facts["tables"]:
        if not table["caption"]:
            problems.append("a table without a caption")
        if table["unscoped"]:
            problems.append(f"table {table['caption'][:40]!r} has th without scope")
    for alt in page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))"):
        if alt is None or alt.strip().lower() in GENERIC_ALT:
            problems.append(f"image alt text {alt!r} is missing or generic")
    problems += _outline_problems(page.evaluate(_OUTLINE_JS))

    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.getAttribute('href')")
    if first != "#main":
        problems.append(f"the first Tab stop is {first!r}, not the skip link to #main")

    problems += _axe_problems(page, "axe-core")

    page.set_viewport_size({"width": 320, "height": 640})
    page.evaluate(_TWO_FRAMES_JS)
    widths = page.evaluate(_WIDTH_JS)
    if widths["doc"] > 320 or widths["body"] > 320:
        problems.append(f"at 320 px wide the page scrolls sideways ({widths})")
    problems += _axe_problems(page, "axe-core at 320 px")
    page.emulate_media(media="print")
    page.evaluate(_TWO_FRAMES_JS)  # let the print styles reach layout
    hidden = page.evaluate(_PRINT_JS)
    if hidden:
        problems.append(f"when printed, {hidden} data table(s) inside <details> stay hidden")
    page.emulate_media(media="screen")

    if screenshot is not None:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)

    problems += [f"request left the page: {r}" for r in dict.fromkeys(requests)]
    problems += [f"console error: {c}" for c in console]
    return problems
