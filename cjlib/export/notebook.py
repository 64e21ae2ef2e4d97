"""Export an executed notebook to one self-contained, accessible evidence-pack page.

The notebook is cleaned first (parameters cells, code, streams, execute
results, widget residue and removed cells go; an error output stops the
export), rendered with nbconvert and the project's own ``cjpack`` template,
placed in the shared page shell, checked, and written atomically.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
from bs4 import BeautifulSoup
from markupsafe import Markup
from nbconvert import HTMLExporter
from traitlets.config import Config

from cjlib.export.pages import CjlibExportError, publish_page, render_page, stylesheet
from cjlib.fileio import write_text_atomic
from cjlib.paths import PROJECT_DIR

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: Cells with these tags never reach the page.
DROP_TAGS = frozenset({"parameters", "injected-parameters", "remove", "remove-cell", "remove_cell"})
#: Cells with these tags keep nothing of their outputs.
DROP_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
#: The only output types a page shows, best first.
PRIORITY = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "text/markdown", "text/plain")
IMAGE_TYPES = frozenset({"image/svg+xml", "image/png", "image/jpeg"})
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_REPR = re.compile(
    r"^\s*[A-Za-z_][\w.]*\(.*\)\s*$|^\s*<[\w.]+ (?:object )?at 0x[0-9a-f]+>\s*$", re.S
)


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """Return the nbconvert exporter with the ``cjpack`` template (built once per process)."""
    config = Config()
    config.NbConvertBase.display_data_priority = list(PRIORITY)
    exporter = HTMLExporter(
        config=config,
        template_name="cjpack",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    exporter.register_filter("svg_data_uri", svg_data_uri)
    return exporter


def svg_data_uri(svg: str) -> str:
    """Return SVG text as a ``data:`` URI, percent-encoded (smaller than base64 for SVG)."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" '/:=;,.-_()!*@+?$[]{}|~^&")


def _fail(where: str, message: str) -> CjlibExportError:
    return CjlibExportError(f"{where}: {message}; the page was not published")


def _clean_output(output: Any, where: str) -> dict[str, Any] | None:
    """Reduce one output to the single representation the page shows, or None."""
    if output.get("output_type") != "display_data":
        return None  # streams (stdout, stderr, warnings) and bare expression results
    data = output.get("data", {})
    widget = WIDGET_VIEW in data
    available = {mime: data[mime] for mime in PRIORITY if mime in data}
    if "text/plain" in available and (widget or len(available) == 1):
        if _REPR.match(str(available["text/plain"])):
            del available["text/plain"]  # a widget's or object's repr says nothing to a reader
    if not available:
        return None
    mime = next(m for m in PRIORITY if m in available)
    metadata = output.get("metadata", {}).get(mime, {})
    if mime in IMAGE_TYPES:
        alt = str(metadata.get("alt", "") if isinstance(metadata, dict) else "").strip()
        if not alt:
            hint = "show charts with cjlib.report.display.show_figure(..., alt=...)"
            raise _fail(where, f"an image has no alt text ({hint})")
        metadata = {"alt": alt}
    return nbformat.from_dict(
        {
            "output_type": "display_data",
            "data": {mime: available[mime]},
            "metadata": {mime: metadata} if mime in IMAGE_TYPES else {},
        }
    )


def prepare_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return a copy of an executed notebook holding only what readers should see.

    Drops raw cells, cells tagged ``parameters``, ``injected-parameters`` or
    ``remove``, code, streams, execute results, JavaScript and widget views;
    keeps markdown cells and display outputs (one representation each).

    Raises
    ------
    CjlibExportError
        When a cell raised an error, or an image has no alt text.
    """
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        where = f"{name}, cell {number}"
        tags = set(cell.get("metadata", {}).get("tags", []))
        outputs = cell.get("outputs", []) if cell.get("cell_type") == "code" else []
        for output in outputs:
            if output.get("output_type") == "error":
                message = f"{output.get('ename', 'Error')}: {str(output.get('evalue', ''))[:300]}"
                raise _fail(where, f"the cell raised {message}")
        if tags & DROP_TAGS or "papermill-error-cell-tag" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            clean = nbformat.v4.new_markdown_cell(cell.get("source", ""))
            if cell.get("attachments"):
                clean["attachments"] = copy.deepcopy(cell["attachments"])
            cells.append(clean)
        elif cell.get("cell_type") == "code" and not tags & DROP_OUTPUT_TAGS:
            kept = [o for o in (_clean_output(out, where) for out in outputs) if o is not None]
            if kept:
                code = nbformat.v4.new_code_cell("")
                code["outputs"] = kept
                cells.append(code)
    if nb.get("metadata", {}).get("papermill", {}).get("exception"):
        raise _fail(name, "papermill recorded an exception while running the notebook")
    clean_nb = nbformat.v4.new_notebook(cells=cells)
    clean_nb.metadata = {"language_info": {"name": "python"}}
    return clean_nb


def _tidy_tables(soup: BeautifulSoup) -> None:
    """Give markdown tables a caption ("Table: ..." paragraph), header scopes and a wrapper."""
    for table in soup.find_all("table"):
        previous = table.find_previous_sibling()
        if table.find("caption") is None and previous is not None and previous.name == "p":
            text = previous.get_text(" ", strip=True)
            if text.lower().startswith("table:"):
                caption = soup.new_tag("caption")
                caption.string = text[6:].strip()
                table.insert(0, caption)
                previous.decompose()
        for th in table.find_all("th"):
            if not th.get("scope"):
                th["scope"] = "col" if th.find_parent("thead") else "row"
        wrapper = table.parent
        if wrapper is None or "cj-table-wrap" not in (wrapper.get("class") or []):
            caption = table.find("caption")
            label = caption.get_text(" ", strip=True) if caption else "Table"
            new = soup.new_tag("div", attrs={"class": "cj-table-wrap", "role": "region"})
            new["aria-label"] = label
            new["tabindex"] = "0"
            table.wrap(new)


def render_notebook_body(nb: nbformat.NotebookNode, name: str = "notebook", path: str = "") -> str:
    """Render a notebook's reader-facing content (what goes inside ``<main>``) as HTML.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    name : str
        Its name, used in error messages.
    path : str
        Its folder, so relative images in markdown can be embedded.
    """
    return str(_body_soup(nb, name, path)).strip()


def _body_soup(nb: nbformat.NotebookNode, name: str, path: str) -> BeautifulSoup:
    clean = prepare_notebook(nb, name)
    resources = {"metadata": {"name": name, "path": path}}
    body, _ = _exporter().from_notebook_node(clean, resources=resources)
    soup = BeautifulSoup(body, "html.parser")
    _tidy_tables(soup)
    return soup


def machine_paths(*extra: str | Path) -> list[str]:
    """Folders of the building machine that must never appear in a page."""
    folders = {Path.home(), Path.cwd(), PROJECT_DIR, Path(sys.prefix), *map(Path, extra)}
    found = []
    for folder in folders:
        text = str(folder.resolve()) if str(folder) else ""
        if len(text) > 3:
            found.append(text.rstrip(os.sep) + os.sep)
    return sorted(found)


def strip_machine_paths(ipynb_path: str | Path, *extra: str | Path) -> None:
    """Rewrite a published executed notebook with the building machine's folders removed.

    Papermill records the input and output paths and the injected parameters (the
    parameters, cache and output folders); they are cut to paths relative to the
    project or output folder, so the audit trail carries no absolute path.
    """
    path = Path(ipynb_path)
    text = path.read_text(encoding="utf-8")
    folders = sorted(machine_paths(*extra), key=len, reverse=True)  # longest first
    cleaned = text
    for folder in folders:
        cleaned = cleaned.replace(json.dumps(folder)[1:-1], "")
    if cleaned != text:
        write_text_atomic(cleaned, path)


def export_notebook(
    ipynb_path: str | Path,
    html_path: str | Path,
    *,
    page_title: str | None = None,
    nav: list[tuple[str, str]] | None = None,
    footer_note: str | None = None,
) -> dict[str, Any]:
    """Export an executed notebook to a self-contained evidence-pack page.

    Parameters
    ----------
    ipynb_path : str or Path
        The executed notebook (for example papermill's output).
    html_path : str or Path
        The page to write; written atomically, so an interrupted run leaves no
        half page.
    page_title : str, optional
        The ``<title>``; by default the text of the notebook's ``h1``.
    nav : list of (label, href), optional
        Links in the page header, e.g. ``[("Pack contents", "index.html")]``.
    footer_note : str, optional
        A line in the footer, e.g. when and by which cjlib version it was built.

    Returns
    -------
    dict
        ``path``, ``bytes`` (page), ``image_count``, ``image_bytes`` (inline
        images), ``css_bytes`` and ``other_bytes`` (everything else).

    Raises
    ------
    CjlibExportError
        When the notebook holds an error output, an image without alt text, or
        the page would break a rule of the pack (see
        :func:`cjlib.export.checks.check_page_html`); nothing is written.
    """
    source = Path(ipynb_path)
    nb = nbformat.read(source, as_version=4)
    soup = _body_soup(nb, source.name, str(source.resolve().parent))
    body = str(soup).strip()
    h1 = soup.find("h1")
    if h1 is None:
        raise _fail(
            source.name, "there is no h1: start the notebook with cjlib.report.display.show_title"
        )
    title = page_title or h1.get_text(" ", strip=True)
    html = render_page(
        "notebook.html.j2",
        page_title=title,
        nav=nav,
        footer_notes=[footer_note] if footer_note else [],
        main_html=Markup(body),
    )
    forbidden = machine_paths(source.resolve().parent, Path(html_path).resolve().parent)
    info = publish_page(html, html_path, forbidden=forbidden)
    images = [img.get("src", "") for img in soup.find_all("img")]
    image_bytes = sum(len(src) for src in images)
    css_bytes = len(stylesheet().encode("utf-8"))
    info.update(
        image_count=len(images),
        image_bytes=image_bytes,
        css_bytes=css_bytes,
        other_bytes=info["bytes"] - image_bytes - css_bytes,
    )
    return info
