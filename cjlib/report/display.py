"""Reader-facing notebook outputs: titles, headings, prose, charts and tables.

Evidence-pack notebooks never show their code.  Everything a reader sees comes
from markdown cells and from the functions here, which emit HTML (and image)
outputs that render in JupyterLab and that :func:`cjlib.export.export_notebook`
turns into an accessible, self-contained page.  Text from data or parameters is
always escaped.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import display

from cjlib.fileio import write_bytes_atomic
from cjlib.htmlutil import (
    Formatter,
    check_csv_name,
    escape,
    frame_to_csv,
    readable_frame,
    render_csv_link,
    render_marker_key,
    render_prose,
    render_source,
    render_table,
    slugify,
)
from cjlib.measures import DEMO_TEXT
from cjlib.report.figures import figure_png, figure_svg

#: A chart's data table is shown on the page when it has at most this many rows;
#: longer data is offered as a CSV download only.
MAX_TABLE_ROWS = 60

_GENERIC_ALT = {"chart", "graph", "image", "figure", "plot", "picture", "img"}


def _publish(bundle: Mapping[str, Any], metadata: Mapping[str, Any] | None = None) -> None:
    """Emit one display_data output (the single place that talks to IPython)."""
    display(dict(bundle), metadata=dict(metadata or {}), raw=True)


def _publish_html(fragment: str, plain: str) -> None:
    _publish({"text/html": fragment, "text/plain": plain})


def _data_dir(output_dir: str | Path) -> Path:
    return Path(output_dir) / "data"


# ---------------------------------------------------------------------------
# HTML builders (pure functions, tested directly)
# ---------------------------------------------------------------------------


def title_html(title: str, summary: str, *, synthetic: bool, subtitle: str | None = None) -> str:
    """Return the page's ``h1``, subtitle, demonstration-data banner and summary."""
    if not str(title or "").strip():
        raise ValueError("the page title is empty")
    parts = [f'<h1 class="cj-title">{escape(title)}</h1>']
    if subtitle:
        parts.append(f'<p class="cj-subtitle">{escape(subtitle)}</p>')
    if synthetic:
        parts.append(
            '<div class="cj-demo-banner" role="note"><p><strong>Demonstration data.</strong> '
            f"{escape(DEMO_TEXT)}</p></div>"
        )
    if summary:
        parts.append(f'<p class="cj-summary">{escape(summary)}</p>')
    return "\n".join(parts)


def heading_html(text: str, level: int = 2) -> str:
    """Return an ``h2`` to ``h6`` heading (the ``h1`` belongs to :func:`show_title`)."""
    if level not in range(2, 7):
        raise ValueError(
            f"heading level must be 2 to 6 (the h1 comes from show_title), not {level}"
        )
    if not str(text or "").strip():
        raise ValueError("the heading text is empty")
    return f"<h{level}>{escape(text)}</h{level}>"


def check_alt(alt: str) -> str:
    """Return the stripped alt text, or raise ValueError when it is empty or generic."""
    text = str(alt or "").strip()
    if not text:
        raise ValueError("alt text is empty: say what the chart shows, for example the trend")
    if text.lower().rstrip(".") in _GENERIC_ALT:
        raise ValueError(f"alt text {text!r} is generic: say what the chart shows")
    return text


def data_block_html(
    data: pd.DataFrame | None,
    *,
    title: str,
    source: str,
    csv_name: str | None = None,
    csv_bytes: int | None = None,
    formatters: Mapping[str, Formatter] | None = None,
    caption: str | None = None,
    collapsed: bool = False,
    max_rows: int | None = None,
) -> str:
    """Return the source line, data table and CSV link shown under a chart or as a table.

    Parameters
    ----------
    data : pandas.DataFrame or None
        The data; shown as a table unless it has more than ``max_rows`` rows
        and a CSV link is offered instead.
    title : str
        Caption of the table (the chart's title or the table's caption).
    source : str
        Where the figures come from.
    csv_name : str, optional
        Name of the CSV in the pack's ``data`` folder; a link is added when given.
    csv_bytes : int, optional
        Size of that CSV.
    formatters : mapping, optional
        Column formatters, see :func:`cjlib.htmlutil.render_table`.
    caption : str, optional
        A note shown before the source line (for a chart: what to read from it).
    collapsed : bool
        Chart mode: the source line first, then the table inside a
        ``<details>`` element.  Otherwise the table comes first, then the source.
    max_rows : int, optional
        Longest table shown on the page when a CSV link is available.
    """
    parts: list[str] = []
    if caption:
        parts.append(f'<p class="cj-caption">{escape(caption)}</p>')
    if collapsed:  # under a chart: the source line comes straight after the image
        parts.append(render_source(source))
    too_long = max_rows is not None and data is not None and len(data) > max_rows
    if data is not None and not (too_long and csv_name):
        table, markers = render_table(data, caption=title, formatters=formatters)
        key = render_marker_key(markers)
        if collapsed:
            parts.append(
                '<details class="cj-data"><summary>Show the data behind this chart'
                f'<span class="cj-vh">: {escape(title)}</span></summary>{table}{key}</details>'
            )
        else:
            parts.append(table + key)
    elif too_long:
        parts.append(
            f'<p class="cj-note">The data behind this chart has {len(data):,} rows, '
            "too many to list here: download it below.</p>"
        )
    if not collapsed:  # under a table
        parts.append(render_source(source))
    if csv_name:
        parts.append(render_csv_link(csv_name, title, csv_bytes))
    return "\n".join(parts)


def write_csv(
    data: pd.DataFrame, output_dir: str | Path, csv_name: str, data_status: str | None = None
) -> int:
    """Write ``data`` atomically to ``<output_dir>/data/<csv_name>``; return its size in bytes.

    With ``data_status`` every row gets a ``data_status`` column holding it (unless
    the data already has one), see :mod:`cjlib.datastatus`.
    """
    check_csv_name(csv_name)
    if data_status is not None:
        from cjlib.datastatus import label_rows

        data = label_rows(data, default=data_status)
    return write_bytes_atomic(frame_to_csv(data).encode("utf-8"), _data_dir(output_dir) / csv_name)


def _status_of_source(source: str) -> str:
    """The data_status of a chart or table whose source line is ``source``."""
    from cjlib.datastatus import source_says_synthetic, status_of

    return status_of(source_says_synthetic(source))


# ---------------------------------------------------------------------------
# show_* functions used in notebooks
# ---------------------------------------------------------------------------


def show_title(title: str, summary: str, *, synthetic: bool, subtitle: str | None = None) -> None:
    """Show the page title (the page's only ``h1``), summary and demonstration banner.

    Parameters
    ----------
    title : str
        The page title, for example "Outcome 1: diversion from prosecution".
    summary : str
        One paragraph saying what the page finds.
    synthetic : bool
        True when the page uses synthetic demonstration data: a visible banner
        says so.
    subtitle : str, optional
        For example the area name and reporting year.
    """
    plain = f"{title}\n{subtitle or ''}\n{'[Demonstration data] ' if synthetic else ''}{summary}"
    _publish_html(title_html(title, summary, synthetic=synthetic, subtitle=subtitle), plain)


def show_heading(text: str, level: int = 2) -> None:
    """Show a heading whose text depends on the data (``level`` 2 to 6)."""
    _publish_html(heading_html(text, level), str(text))


def show_text(text: str | Sequence[str]) -> None:
    """Show prose built from data, escaped; see :func:`cjlib.htmlutil.render_prose`."""
    plain = text if isinstance(text, str) else "\n\n".join(map(str, text))
    _publish_html(render_prose(text), plain)


def _download(
    data: pd.DataFrame,
    output_dir: str | Path | None,
    csv_name: str | None,
    stem: str,
    source: str,
) -> dict[str, str | int | None]:
    """Write the CSV behind a chart or table; return the link keywords of :func:`data_block_html`.

    The file is ``csv_name``, checked, or ``<stem>.csv`` when no name is given; with no
    ``output_dir`` nothing is written and nothing linked.
    """
    if output_dir is None:
        return {"csv_name": None, "csv_bytes": None}
    link = check_csv_name(csv_name) if csv_name else f"{stem}.csv"
    size = write_csv(data, output_dir, link, _status_of_source(source))
    return {"csv_name": link, "csv_bytes": size}


def show_figure(
    fig: Any,
    *,
    title: str,
    alt: str,
    source: str,
    data: pd.DataFrame | None,
    csv_name: str | None = None,
    output_dir: str | Path | None = None,
    caption: str | None = None,
    heading_level: int = 3,
    formatters: Mapping[str, Formatter] | None = None,
    image_format: str = "svg",
    table: pd.DataFrame | None = None,
) -> None:
    """Show a matplotlib chart with its finding, alt text, source, data table and CSV.

    Emits three outputs: the title as a heading; the image, whose metadata
    carries ``alt`` for the exporter; and the source line, the data behind the
    chart in a table (inside ``<details>``) and, when ``output_dir`` is given, a
    link to the CSV written atomically to ``<output_dir>/data/<csv_name>``.
    The figure is closed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart.
    title : str
        A heading that states the finding, e.g. "Completions rose for three years".
    alt : str
        Alt text saying what the chart shows; empty or generic text raises ValueError.
    source : str
        Where the figures come from.
    data : pandas.DataFrame
        The data behind the chart (required: every chart has a table or CSV).
    csv_name : str, optional
        File name of the CSV; derived from ``title`` when omitted.
    output_dir : str or Path, optional
        The pack folder of this page; when None no CSV is written or linked.
    caption : str, optional
        A sentence on how to read the chart, shown under it.
    heading_level : int
        Level of the title heading (3 under an ``h2`` section).
    formatters : mapping, optional
        Column formatters for the data table.
    image_format : {"svg", "png"}
        SVG (small, sharp, live text) unless the chart has very many points.
    table : pandas.DataFrame, optional
        A shorter, readable table to show under the chart; ``data`` still goes
        to the CSV download.
    """
    alt_text = check_alt(alt)
    if data is None:
        raise ValueError(f"show_figure({title!r}) needs data: every chart has its data under it")
    render_source(source)
    if _status_of_source(source) != "official statistics":
        from cjlib.report.charts import mark_synthetic

        mark_synthetic(fig)  # the label travels with a pasted or saved image
    try:
        if image_format == "svg":
            mime, image = "image/svg+xml", figure_svg(fig)
        elif image_format == "png":
            import base64

            mime, image = "image/png", base64.b64encode(figure_png(fig)).decode("ascii")
        else:
            raise ValueError(f"image_format must be 'svg' or 'png', not {image_format!r}")
    finally:  # a figure made with pyplot is released; pyplot is not imported for one that was not
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is not None:
            pyplot.close(fig)
    csv_link = _download(data, output_dir, csv_name, slugify(title, "chart"), source)
    _publish_html(heading_html(title, heading_level), str(title))
    _publish({mime: image, "text/plain": f"Chart: {alt_text}"}, {mime: {"alt": alt_text}})
    block = data_block_html(
        readable_frame(data) if table is None else table,
        title=title,
        source=source,
        formatters=formatters,
        caption=caption,
        collapsed=True,
        max_rows=MAX_TABLE_ROWS,
        **csv_link,
    )
    _publish_html(block, f"Source: {source}")


def show_table(
    data: pd.DataFrame,
    *,
    caption: str,
    source: str,
    csv_name: str | None = None,
    output_dir: str | Path | None = None,
    formatters: Mapping[str, Formatter] | None = None,
    download: pd.DataFrame | None = None,
) -> None:
    """Show an accessible table with its source line and, optionally, a CSV download.

    Parameters
    ----------
    data : pandas.DataFrame
        The table.  Missing values show their row's ``marker`` (e.g. ``[c]``)
        or ``[x]``; a named index becomes the first column.
    caption : str
        The table's caption.
    source : str
        Where the figures come from.
    csv_name : str, optional
        File name of the CSV; derived from ``caption`` when omitted.
    output_dir : str or Path, optional
        The pack folder of this page; when None no CSV is written or linked.
    formatters : mapping, optional
        Column name to a callable or a format string such as ``",.1f"``.
    download : pandas.DataFrame, optional
        What the CSV holds, when it should differ from the table shown (for
        example tidy rows with codes, where the page shows formatted text).
    """
    render_source(source)
    csv_link = _download(
        data if download is None else download,
        output_dir,
        csv_name,
        slugify(caption, "table"),
        source,
    )
    block = data_block_html(
        data,
        title=caption,
        source=source,
        formatters=formatters,
        **csv_link,
    )
    _publish_html(block, f"{caption}\n{data.to_string()}\nSource: {source}")
