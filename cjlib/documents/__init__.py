"""Draft Word documents: the partnership's plan (CJOIP) and annual report, pre-filled."""

from cjlib.documents.build import (
    DOCUMENTS,
    write_all_documents,
    write_area_documents,
    write_csv_notes,
    write_documents,
)

__all__ = [
    "DOCUMENTS",
    "write_all_documents",
    "write_area_documents",
    "write_csv_notes",
    "write_documents",
]
