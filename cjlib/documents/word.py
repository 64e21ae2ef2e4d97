"""Render a draft :class:`~cjlib.documents.blocks.Document` as a Word (.docx) file.

Real heading styles (the navigation pane shows the structure), tables whose
header row repeats on each page, charts as PNG images with alt text (the
drawing's ``descr``), the demonstration-data warning on the first page, and the
title, author and language (en-GB) set.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

from cjlib.datastatus import SYNTHETIC_CAPTION
from cjlib.documents.blocks import (
    TO_COMPLETE,
    Bullets,
    Document,
    Figure,
    Heading,
    Paragraph,
    Quote,
    Table,
    ToComplete,
)
from cjlib.documents.evidence import text_of
from cjlib.fileio import write_bytes_atomic

#: Language of every document (also set on the styles, so spelling checks use it).
LANGUAGE = "en-GB"
#: The first-page warning of a document with any synthetic figure.
DEMO_WARNING = (
    "This document uses synthetic demonstration data, not official statistics. The figures "
    "were generated to show how the draft works: do not use them to make decisions or quote them."
)
_WIDTH_INCHES = 6.3


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _element(tag: str, **attrs: str):
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(_qn(key), value)
    return el


def _set_language(document) -> None:
    """Set en-GB on the document defaults and the Normal style (Word's proofing language)."""
    styles = document.styles.element
    rpr_default = styles.find(_qn("w:docDefaults"))
    targets = []
    if rpr_default is not None:
        rpr = rpr_default.find(_qn("w:rPrDefault"))
        if rpr is not None and rpr.find(_qn("w:rPr")) is not None:
            targets.append(rpr.find(_qn("w:rPr")))
    targets.append(document.styles["Normal"].element.get_or_add_rPr())
    for rpr in targets:
        for old in rpr.findall(_qn("w:lang")):
            rpr.remove(old)
        rpr.append(_element("w:lang", **{"w:val": LANGUAGE, "w:eastAsia": LANGUAGE}))


def _boxed(paragraph, fill: str) -> None:
    """Give a paragraph a border and a background (the words carry the meaning, too)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        borders.append(
            _element(f"w:{side}", **{"w:val": "single", "w:sz": "12", "w:space": "4",
                                      "w:color": "592C20"})
        )  # fmt: skip
    ppr.append(borders)
    ppr.append(_element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill}))


def _warning(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label} ").bold = True
    paragraph.add_run(text)
    _boxed(paragraph, "FBE9E2")


def _contents(document, doc: Document) -> None:
    """A table of contents field holding the headings, so Word can update it (F9)."""
    document.add_paragraph("Contents", style="TOC Heading")
    entries = doc.headings(2) or [Heading("Contents")]
    for n, heading in enumerate(entries):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = _inches(0.3 * (heading.level - 1))
        if n == 0:
            run = paragraph.add_run()
            run._r.append(_element("w:fldChar", **{"w:fldCharType": "begin"}))
            instr = _element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = ' TOC \\o "1-2" \\h \\z \\u '
            run._r.append(instr)
            paragraph.add_run()._r.append(_element("w:fldChar", **{"w:fldCharType": "separate"}))
        paragraph.add_run(heading.text)
        if n == len(entries) - 1:
            paragraph.add_run()._r.append(_element("w:fldChar", **{"w:fldCharType": "end"}))


def _inches(value: float):
    from docx.shared import Inches

    return Inches(value)


def _caption(document, text: str) -> None:
    document.add_paragraph(text, style="Caption").paragraph_format.keep_with_next = True


def _source(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(f"Source: {text}")
    run.italic = True
    from docx.shared import Pt

    run.font.size = Pt(9)


def _table(document, block: Table) -> None:
    from docx.shared import Pt

    frame = block.frame
    if isinstance(frame.index, pd.MultiIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    _caption(document, block.caption)
    widths = _column_widths(frame)
    size = Pt(9 if len(frame.columns) <= 5 else 8)
    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid: LibreOffice lays tables out from it

    def fill(cells, texts, bold: bool = False) -> None:
        for cell, text, width in zip(cells, texts, widths, strict=True):
            cell.width = width
            run = cell.paragraphs[0].add_run(text)
            run.font.size = size
            run.bold = bold or None

    header = table.rows[0]
    header._tr.get_or_add_trPr().append(_element("w:tblHeader", **{"w:val": "true"}))
    fill(header.cells, [text_of(n) for n in frame.columns], bold=True)
    for values in frame.itertuples(index=False):
        fill(table.add_row().cells, [text_of(v, "[x]") for v in values])
    _source(document, block.source)


def chart_png(block: Figure, images: dict | None = None) -> bytes:
    """Draw a chart block as PNG (labelled when synthetic); ``images`` caches by title and alt."""
    from cjlib.report.charts import mark_synthetic
    from cjlib.report.figures import figure_png

    key = (block.title, block.alt, block.synthetic)
    if images is not None and key in images:
        return images[key]
    fig = block.draw()
    try:
        if block.synthetic:
            mark_synthetic(fig, SYNTHETIC_CAPTION)
        png = figure_png(fig, dpi=150)
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(fig)
    if images is not None:
        images[key] = png
    return png


def _column_widths(frame: pd.DataFrame) -> list:
    """Widths in proportion to each column's longest word-wrapped text, within the page."""
    need = []
    for name in frame.columns:
        texts = [text_of(name)] + [text_of(v) for v in frame[name].head(50)]
        longest = max(len(t) for t in texts)
        words = max((len(w) for t in texts for w in t.split()), default=1)
        need.append(min(max(longest**0.5 * 2.2, words * 0.95, 6), 40))
    total = sum(need)
    return [_inches(_WIDTH_INCHES * n / total) for n in need]


def _figure(document, block: Figure, images: dict | None) -> None:
    png = chart_png(block, images)
    _caption(document, block.title)
    document.add_picture(io.BytesIO(png), width=_inches(_WIDTH_INCHES))
    picture = document.inline_shapes[-1]
    doc_pr = picture._inline.docPr
    doc_pr.set("descr", block.alt)
    doc_pr.set("title", block.title[:250])
    _source(document, block.source)
    _table(document, Table(f"Data behind the chart: {block.title}", block.table, block.source))


def _to_complete(document, block: ToComplete) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{TO_COMPLETE}: ").bold = True
    paragraph.add_run(f"write {block.what}.")
    _boxed(paragraph, "FFF2CC")


def _quote(document, block: Quote) -> None:
    document.add_paragraph(f"\u201c{block.text}\u201d", style="Quote")
    document.add_paragraph(f"({block.citation})")


def render_docx(doc: Document, images: dict | None = None) -> bytes:
    """Return the document as .docx bytes.

    Parameters
    ----------
    doc : Document
        Blocks from :func:`cjlib.documents.plan.build_plan` or
        :func:`~cjlib.documents.plan.build_annual_report`.
    images : dict, optional
        A cache of chart PNGs shared between documents of one area.
    """
    import docx

    document = docx.Document()
    _set_language(document)
    props = document.core_properties
    props.title = doc.title
    props.subject = doc.subtitle
    props.author = doc.author
    props.language = LANGUAGE
    props.keywords = "community justice; CJOIP; draft" + (
        "; demonstration data" if doc.synthetic else ""
    )
    props.comments = "Draft generated by cjlib: the partnership completes and agrees it."
    document.add_paragraph(doc.title, style="Title")
    document.add_paragraph(doc.subtitle, style="Subtitle")
    if doc.synthetic:
        _warning(document, "Demonstration data.", DEMO_WARNING)
    if doc.example:
        _warning(
            document,
            "Example.",
            "The partnership's text in this draft is an example written for cjlib, "
            "not a published plan.",
        )
    if doc.summary:
        document.add_paragraph(doc.summary)
    _contents(document, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(block.level, 9))
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Quote):
            _quote(document, block)
        elif isinstance(block, ToComplete):
            _to_complete(document, block)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block, images)
        else:
            raise TypeError(f"cannot render a {type(block).__name__} block")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(doc: Document, path: str | Path, images: dict | None = None) -> int:
    """Write the document atomically to ``path``; return its size in bytes."""
    return write_bytes_atomic(render_docx(doc, images), path)
