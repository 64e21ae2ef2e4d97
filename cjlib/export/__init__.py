"""Publish evidence packs: notebook pages, area front pages and the national index."""

from cjlib.export.checks import check_page_html
from cjlib.export.notebook import export_notebook, prepare_notebook
from cjlib.export.pages import (
    STATUSES,
    CjlibExportError,
    build_area_page,
    build_national_index,
    status_info,
)

__all__ = [
    "STATUSES",
    "CjlibExportError",
    "build_area_page",
    "build_national_index",
    "check_page_html",
    "export_notebook",
    "prepare_notebook",
    "status_info",
]
