"""The pack's front pages: an area's evidence pack index and the national index.

Pages are rendered from Jinja2 templates with autoescaping on, share one shell
(skip link, header, main, footer) and one small inlined stylesheet with the
notebook pages, are checked with :func:`cjlib.export.checks.check_page_html`,
and are written atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup

from cjlib import __version__
from cjlib.assess import rules
from cjlib.errors import CjlibError
from cjlib.export.checks import check_page_html
from cjlib.fileio import write_bytes_atomic
from cjlib.gaps import TO_COMPLETE
from cjlib.htmlutil import render_prose
from cjlib.measures import DEMO_TEXT

SITE_NAME = "Community justice evidence pack"


class CjlibExportError(CjlibError, RuntimeError):
    """A page that cannot be published as it stands (errors, missing alt text, leaks)."""


class Status(NamedTuple):
    """How an outcome status is shown: CSS slug, symbol and words."""

    slug: str
    symbol: str
    label: str


#: The outcome statuses, in the order of the key, with their symbol and label.
STATUSES: dict[str, Status] = {
    rules.ACHIEVED: Status("achieved", "\u2713", "Achieved: improved"),
    rules.MAINTAINED: Status("maintained", "\u2713", "Achieved: maintained"),
    rules.PARTLY: Status("partly-achieved", "\u25d0", "Partly achieved"),
    rules.NOT_YET: Status("not-yet-achieved", "\u25cb", "Not yet achieved: no clear change"),
    rules.WORSENING: Status("worsening", "\u2717", "Not achieved: worsening"),
    rules.INSUFFICIENT: Status("insufficient-evidence", "?", "Insufficient evidence"),
    "not run": Status("not-run", "\u2013", "Not run"),
    "failed": Status("failed", "!", "Failed"),
}


def status_info(value: str | None) -> Status:
    """Return how to show an outcome status; a missing status is "not run".

    Raises
    ------
    ValueError
        For a status that is not one of :data:`STATUSES`.
    """
    key = " ".join(str(value or "not run").strip().lower().replace("_", " ").split())
    if key not in STATUSES:
        raise ValueError(f"unknown outcome status {value!r}; expected one of {list(STATUSES)}")
    return STATUSES[key]


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """Return the pack's CSS (read once from ``cjlib/export/static/cj.css``)."""
    return resources.files("cjlib.export").joinpath("static/cj.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    loader = jinja2.PackageLoader("cjlib.export", "templates/pages")
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals.update(status_info=status_info, demo_text=DEMO_TEXT)
    return env


def render_page(
    template: str,
    *,
    page_title: str,
    nav: Sequence[tuple[str, str]] | None = None,
    footer_notes: Sequence[str] = (),
    **context: Any,
) -> str:
    """Render one page template inside the shared shell.

    Parameters
    ----------
    template : str
        ``"notebook.html.j2"``, ``"area.html.j2"`` or ``"national.html.j2"``.
    page_title : str
        The ``<title>``.
    nav : sequence of (label, href), optional
        Links shown in the header.
    footer_notes : sequence of str
        Lines of the footer.
    **context
        The template's own values (escaped unless passed as ``Markup``).
    """
    for _, href in nav or ():
        if str(href).strip().lower().startswith(("javascript:", "file:", "data:")):
            raise ValueError(f"navigation link {href!r} is not allowed")
    return (
        _environment()
        .get_template(template)
        .render(
            page_title=page_title,
            site_name=SITE_NAME,
            nav=list(nav or ()),
            footer_notes=list(footer_notes),
            css=Markup(stylesheet()),
            version=__version__,
            **context,
        )
    )


def publish_page(html: str, path: str | Path, *, forbidden: Sequence[str] = ()) -> dict[str, Any]:
    """Check a page and write it atomically; raise :class:`CjlibExportError` on any problem.

    Returns
    -------
    dict
        ``path`` and ``bytes`` of the written page.
    """
    target = Path(path)
    problems = check_page_html(html, forbidden=forbidden)
    if problems:
        listed = "\n  - ".join(problems)
        raise CjlibExportError(f"{target.name} was not written:\n  - {listed}")
    size = write_bytes_atomic(html.encode("utf-8"), target)
    return {"path": str(target), "bytes": size}


def _page_path(path: str | Path) -> Path:
    target = Path(path)
    return target if target.suffix == ".html" else target / "index.html"


def _built(built_at: str | dt.datetime | dt.date) -> str:
    if isinstance(built_at, dt.datetime):
        return built_at.strftime("%d %B %Y at %H:%M")
    if isinstance(built_at, dt.date):
        return built_at.strftime("%d %B %Y")
    return str(built_at)


def _footer(built_at: str | dt.datetime | dt.date, version: str, synthetic: bool) -> list[str]:
    notes = [f"Built on {_built(built_at)} with cjlib {version}."]
    if synthetic:
        notes.append("Built from synthetic demonstration data: not official statistics.")
    return notes


_ROW_KEYS = {
    "outcome number": "number",
    "outcome": "number",
    "outcome title": "title",
    "indicators": "indicators_used",
}
_ROW_FIELDS = (
    "number",
    "title",
    "status",
    "how_near",
    "suggested_priority",
    "partnership_decision",
    "indicators_used",
)


def _summary_row(row: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key).strip().lower()
        name = _ROW_KEYS.get(name, name).replace(" ", "_")
        clean[name] = value
    missing = {"number", "title", "status"} - clean.keys()
    if missing:
        raise ValueError(f"summary row {dict(row)!r} lacks {sorted(missing)}")
    status_info(clean["status"])
    for field in _ROW_FIELDS:
        value = clean.get(field)
        if isinstance(value, list | tuple):
            value = ", ".join(map(str, value))
        if value is None or (isinstance(value, str) and not value.strip()):
            value = f"{TO_COMPLETE}: {field.replace('_', ' ')}"
        clean[field] = value
    return clean


def build_area_page(
    path: str | Path,
    *,
    area_name: str,
    area_code: str,
    period: str,
    built_at: str | dt.datetime | dt.date,
    version: str,
    summary_rows: Sequence[Mapping[str, Any]],
    notebook_links: Sequence[tuple[str, str]],
    downloads: Sequence[tuple[str, str]] = (),
    method_note: str | Sequence[str] | None = None,
    method_note_html: str | None = None,
    provenance: Sequence[Mapping[str, Any]] = (),
    synthetic: bool,
    nav: Sequence[tuple[str, str]] | None = None,
    forbidden: Sequence[str] = (),
    spine_html: str | None = None,
    headline_rows: Sequence[Mapping[str, Any]] = (),
    not_used_rows: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Write an area's evidence pack front page (``outputs/<period>/<code>/index.html``).

    Parameters
    ----------
    path : str or Path
        The page file, or the area's folder (``index.html`` is written in it).
    area_name, area_code, period : str
        The council area, its GSS code and the reporting year ("2023-24").
    built_at : str or datetime
        When the pack was built.
    version : str
        The cjlib version that built it.
    summary_rows : sequence of mapping
        One per outcome: ``number``, ``title``, ``status`` (one of
        :data:`STATUSES`), ``how_near``, ``suggested_priority``,
        ``partnership_decision`` and ``indicators_used`` (text or a list).
        Keys may also be written with spaces ("how near").
    notebook_links : sequence of (title, href)
        The pack's pages, relative links such as ``"01_diversion.html"``.
    downloads : sequence of (label, href)
        Data downloads, e.g. ``("All indicators (CSV)", "data/indicators.csv")``.
    method_note : str or sequence of str, optional
        "How this assessment was made", as plain paragraphs (escaped).
    method_note_html : str, optional
        The same as trusted HTML built by cjlib; overrides ``method_note``.
    provenance : sequence of mapping
        One per data source: ``source``, ``publisher``, ``licence``, ``notes``.
    synthetic : bool
        Show the demonstration-data banner.
    nav : sequence of (label, href), optional
        Header links; by default a link to the national index (``../index.html``).
    forbidden : sequence of str
        Strings that must not appear (the building machine's folders).
    spine_html : str, optional
        The spine chart section built by cjlib (:func:`cjlib.national.spine.spine_html`).
    headline_rows : sequence of mapping
        The higher-level indicators (reconviction): ``indicator``, ``period``, ``value``,
        ``interval``, ``scotland``, ``compared`` and ``source``.
    not_used_rows : sequence of mapping
        Indicators the partnership does not use: ``outcome``, ``indicator``, ``reason``.

    Returns
    -------
    dict
        ``path`` and ``bytes`` of the page.
    """
    if method_note_html is not None:
        method_html = Markup(method_note_html)
    else:
        from cjlib.report.method import method_paragraphs

        method_html = Markup(render_prose(method_note or method_paragraphs()))
    rows = [_summary_row(row) for row in summary_rows]
    sources = [
        {k: (row.get(k) or "Not recorded") for k in ("source", "publisher", "licence", "notes")}
        for row in provenance
    ]
    html = render_page(
        "area.html.j2",
        page_title=f"{area_name}: community justice evidence pack {period}",
        nav=nav if nav is not None else [("All areas", "../index.html")],
        footer_notes=_footer(built_at, version, synthetic),
        area_name=area_name,
        area_code=area_code,
        period=period,
        synthetic=synthetic,
        summary_rows=rows,
        notebook_links=list(notebook_links),
        downloads=list(downloads),
        method_html=method_html,
        provenance=sources,
        spine_html=Markup(spine_html) if spine_html else None,
        headline_rows=list(headline_rows),
        not_used_rows=list(not_used_rows),
    )
    return publish_page(html, _page_path(path), forbidden=forbidden)


def build_national_index(
    path: str | Path,
    *,
    period: str,
    built_at: str | dt.datetime | dt.date,
    version: str,
    areas: Sequence[Mapping[str, Any]],
    outcomes: Sequence[Mapping[str, Any]],
    run_summary: Mapping[str, int] | None = None,
    failures: Sequence[str] = (),
    synthetic: bool,
    forbidden: Sequence[str] = (),
    cells: Mapping[str, Mapping[int, Mapping[str, Any]]] | None = None,
    outcome_pages: Mapping[int, str] | None = None,
    downloads: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """Write the national index (``outputs/<period>/index.html``): outcome status by area.

    The status grid fits 1280 px without scrolling and reflows into one block
    per area on a phone; every status is shown in words and with a symbol,
    never by colour alone, beside the suggested priority and the partnership's
    own decision, and each cell links to the area's outcome page.

    Parameters
    ----------
    path : str or Path
        The page file, or the period's folder (``index.html`` is written in it).
    period : str
        The reporting year.
    built_at : str or datetime
        When the packs were built.
    version : str
        The cjlib version that built them.
    areas : sequence of mapping
        One per area: ``code``, ``name``, ``href`` (link to its pack, or None
        when there is none) and ``statuses`` mapping outcome number to status.
        A missing status shows as "not run".
    outcomes : sequence of mapping
        One per national outcome: ``number`` and ``title``.
    run_summary : mapping, optional
        ``ok``, ``failed`` and ``skipped`` counts of notebook runs.
    failures : sequence of str
        One line per failed run.
    synthetic : bool
        Show the demonstration-data banner.
    forbidden : sequence of str
        Strings that must not appear (the building machine's folders).
    cells : mapping, optional
        Area code to outcome number to ``suggested`` and ``decided`` priority
        and ``href`` (the area's outcome page, relative to the index), from
        :func:`cjlib.national.grid.grid_cells`.
    outcome_pages : mapping, optional
        Outcome number to its national benchmarking page, relative to the index.
    downloads : sequence of mapping, optional
        The national downloads (``label``, ``href``, ``size``), linked from the index.

    Returns
    -------
    dict
        ``path`` and ``bytes`` of the page.
    """
    numbers = [outcome["number"] for outcome in outcomes]
    counts = {n: dict.fromkeys(STATUSES, 0) for n in numbers}
    rows = []
    for area in areas:
        given = area.get("statuses") or {}
        statuses = {n: given.get(n, given.get(str(n))) for n in numbers}
        for n, value in statuses.items():
            counts[n][_status_key(value)] += 1
        extra = (cells or {}).get(area.get("code"), {})
        rows.append(
            {
                **area,
                "statuses": statuses,
                "href": area.get("href"),
                "cells": {n: extra.get(n, extra.get(str(n))) or {} for n in numbers},
            }
        )
    summary = None
    if run_summary is not None:
        summary = {k: int(run_summary.get(k, 0)) for k in ("ok", "failed", "skipped")}
    html = render_page(
        "national.html.j2",
        page_title=f"Community justice outcomes across Scotland {period}",
        footer_notes=_footer(built_at, version, synthetic),
        period=period,
        synthetic=synthetic,
        areas=rows,
        outcomes=list(outcomes),
        counts=counts,
        status_order=list(STATUSES),
        run_summary=summary,
        failures=list(failures),
        outcome_pages=dict(outcome_pages or {}),
        detailed=cells is not None,
        downloads=list(downloads),
    )
    return publish_page(html, _page_path(path), forbidden=forbidden)


def _status_key(value: str | None) -> str:
    slug = status_info(value).slug
    return next(key for key, info in STATUSES.items() if info.slug == slug)
