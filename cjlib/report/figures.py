"""Figures as page content: compact SVG with live text, or PNG bytes, from matplotlib."""

from __future__ import annotations

import io
import re
from typing import Any

_SVG_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SVG_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SVG_ATTRIBUTE = re.compile(r'(\s[\w:-]+)="([^"]*)"')
_SVG_DECIMALS = re.compile(r"(-?\d+\.\d{2})\d+")
_SVG_REFERENCE = re.compile(r"#([\w.-]+)")
_SVG_FONT = re.compile(r"font-family:\s*([^;\"]+)")


def figure_svg(fig: Any, *, crop: bool = True) -> str:
    """Render a matplotlib figure as compact SVG text (live text, no embedded fonts).

    A figure with a layout engine (constrained or tight) is saved as laid out; any
    other, cjlib's charts included, is cropped to what was drawn, unless ``crop``
    is False (the figure is then saved at its size, which draws it once, not twice).
    """
    import matplotlib

    rc = {"svg.fonttype": "none", "svg.hashsalt": "cjlib"}
    tight = crop and fig.get_layout_engine() is None
    options = {"bbox_inches": "tight"} if tight else {}
    with matplotlib.rc_context(rc):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None}, **options)
    return minify_svg(buffer.getvalue())


def _font_fallback(match: re.Match[str]) -> str:
    families = match.group(1).strip()
    lower = families.lower()
    if lower.endswith(("sans-serif", "serif", "monospace")):
        return match.group(0)
    generic = "monospace" if "mono" in lower else "sans-serif"
    if "serif" in lower and "sans" not in lower:
        generic = "serif"
    return f"font-family: {families}, {generic}"


def minify_svg(svg: str) -> str:
    """Shrink matplotlib's SVG without changing the picture.

    Drops the XML prologue, metadata, comments, whitespace between tags and
    ids nothing refers to; rounds coordinates in attributes (not transforms)
    to 2 decimal places, 1/100 pt; gives every font list a generic family so text never
    falls back to a serif font where DejaVu Sans is not installed.  Text
    content is left as it is.
    """
    svg = _SVG_PROLOGUE.sub("", svg, count=1)
    svg = _SVG_COMMENT.sub("", _SVG_METADATA.sub("", svg, count=1))
    referenced = set(_SVG_REFERENCE.findall(svg))

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if name.strip() == "id" and value not in referenced:
            return ""
        if name.strip() != "transform":  # scale factors keep their precision
            value = _SVG_DECIMALS.sub(r"\1", value)
        value = " ".join(value.split())
        return f'{name}="{_SVG_FONT.sub(_font_fallback, value)}"'

    svg = _SVG_ATTRIBUTE.sub(attribute, svg)
    return re.sub(r">\s+<", "><", svg).strip()


def figure_png(fig: Any, dpi: int = 144) -> bytes:
    """Render a matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
