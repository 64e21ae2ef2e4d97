"""The content of a draft document as plain blocks, rendered to a page and to Word alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: The words that mark a section the partnership must write, in every rendering.
from cjlib.gaps import TO_COMPLETE  # noqa: F401 - one marker, re-exported here


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the top level under the document title."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Quote:
    """Published text quoted exactly, with where it comes from."""

    text: str
    citation: str


@dataclass(frozen=True)
class ToComplete:
    """A gap only the partnership can fill: shown as "TO COMPLETE", in words, not colour."""

    what: str


@dataclass(frozen=True)
class Table:
    """A table with a header row, a caption and a source line."""

    caption: str
    frame: pd.DataFrame
    source: str
    csv_name: str | None = None


@dataclass(frozen=True)
class Figure:
    """A chart: ``draw()`` returns a matplotlib figure; the data table goes under it."""

    title: str
    alt: str
    source: str
    draw: Callable[[], Any]
    table: pd.DataFrame
    synthetic: bool


@dataclass
class Document:
    """A draft document: title, subtitle, flags and its blocks in reading order."""

    title: str
    subtitle: str
    summary: str
    synthetic: bool
    example: bool
    author: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks: object) -> None:
        """Append blocks in reading order."""
        self.blocks.extend(blocks)

    def headings(self, max_level: int = 2) -> list[Heading]:
        """The headings down to ``max_level``: the table of contents."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= max_level]
