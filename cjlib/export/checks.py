"""Static checks of a built page against the pack's HTML rules (design.md).

:func:`check_page_html` reads a page's HTML, without a browser, and lists every
broken rule: self-contained, no code residue, no machine paths, landmarks, one
``h1`` and an ordered outline, alt text, table captions and header scopes.  The
exporter refuses to write a page with problems; tests run it on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, Comment

#: Alt texts that say nothing about the chart.
GENERIC_ALT = {
    "image",
    "chart",
    "graph",
    "figure",
    "plot",
    "picture",
    "img",
    "no description has been provided for this image",
}
#: Text that only appears when code, errors or widgets leak into a page.
FORBIDDEN_TEXT = (
    "Traceback",
    "injected-parameters",
    "Loading widget",
    "widget-view+json",
    "widget-state+json",
    "model_id",
    "In\xa0[",
)
_PATH_PATTERNS = re.compile(
    r"(?:file://|(?<![\w.])/(?:home|Users|root|tmp|var/folders|mnt|srv|private)/[^\s\"'<>]*"
    r"|\b[A-Za-z]:\\[^\s\"'<>]+|\\\\Users\\\\)"
)
_RESOURCE_ATTRS = ("src", "srcset", "poster", "data", "background", "xlink:href", "action")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_ALLOWED_SCOPES = {"col", "row", "colgroup", "rowgroup"}


def _is_inline(url: str) -> bool:
    return url.strip().lower().startswith("data:") or url.strip() == ""


def _check_resources(soup: BeautifulSoup) -> list[str]:
    problems = []
    for tag in soup.find_all(["script", "iframe", "object", "embed", "base", "form", "applet"]):
        problems.append(f"<{tag.name}> element is not allowed in a pack page")
    for tag in soup.find_all("link"):
        if not _is_inline(tag.get("href", "")):
            problems.append(f"<link> loads {tag.get('href')!r}")
    for tag in soup.find_all("meta", attrs={"http-equiv": True}):
        if str(tag.get("http-equiv")).lower() == "refresh":
            problems.append("<meta http-equiv=refresh> is not allowed")
    for tag in soup.find_all(True):
        for attr in _RESOURCE_ATTRS:
            value = tag.get(attr)
            if value and not _is_inline(str(value)):
                problems.append(f"<{tag.name} {attr}> loads {str(value)[:80]!r}")
        if tag.name in {"use", "image", "feimage"} and not _is_inline(str(tag.get("href", ""))):
            if not str(tag.get("href", "")).startswith("#"):
                problems.append(f"<{tag.name} href> loads {tag.get('href')!r}")
        for attr in tag.attrs:
            if attr.startswith("on"):
                problems.append(f"<{tag.name} {attr}> event handler (script) is not allowed")
        href = str(tag.get("href", "")).strip().lower() if tag.name == "a" else ""
        if href.startswith(("javascript:", "file:", "vbscript:")):
            problems.append(f"<a href={tag.get('href')!r}> is not allowed")
    styles = [t.get_text() for t in soup.find_all("style")]
    styles += [str(t.get("style")) for t in soup.find_all(style=True)]
    for css in styles:
        if "@import" in css:
            problems.append("CSS @import is not allowed (it loads another file)")
        for url in _CSS_URL.findall(css):
            if not _is_inline(url):
                problems.append(f"CSS url() loads {url[:80]!r}")
    return problems


def _check_outline(soup: BeautifulSoup) -> list[str]:
    problems = []
    headings = soup.find_all(re.compile(r"^h[1-6]$"))
    h1s = [h for h in headings if h.name == "h1"]
    if len(h1s) != 1:
        problems.append(f"a page needs exactly one <h1>, found {len(h1s)}")
    previous = 0
    for heading in headings:
        level = int(heading.name[1])
        text = heading.get_text(" ", strip=True)
        if not text:
            problems.append(f"empty <{heading.name}>")
        if previous == 0 and level != 1:
            problems.append(f"the first heading is <{heading.name}> {text[:60]!r}, not the <h1>")
        elif level > previous + 1 and previous:
            problems.append(
                f"heading level skipped: <h{previous}> then <{heading.name}> {text[:60]!r}"
            )
        previous = level
    return problems


def _check_landmarks(soup: BeautifulSoup) -> list[str]:
    problems = []
    html_tag = soup.find("html")
    if html_tag is None or html_tag.get("lang") != "en-GB":
        problems.append('<html lang="en-GB"> is missing')
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        problems.append("<title> is missing or empty")
    for name in ("header", "main", "footer"):
        count = len(soup.find_all(name))
        if count != 1:
            problems.append(f"a page needs one <{name}> landmark, found {count}")
    main = soup.find("main")
    skip = soup.find("a", href=True)
    if main is None or skip is None or skip["href"] != f"#{main.get('id', '')}":
        problems.append("the first link must skip to the <main> element (#main)")
    return problems


def _check_images_and_tables(soup: BeautifulSoup) -> list[str]:
    problems = []
    for img in soup.find_all("img"):
        alt = img.get("alt")
        if alt is None or not alt.strip():
            problems.append(f"an image has no alt text ({str(img.get('src', ''))[:40]}...)")
        elif alt.strip().lower().rstrip(".") in GENERIC_ALT:
            problems.append(f"an image has generic alt text {alt!r}")
    for svg in soup.find_all("svg"):
        if svg.get("role") != "img" or not (svg.get("aria-label") or svg.find("title")):
            problems.append('an inline <svg> needs role="img" and a label')
    for table in soup.find_all("table"):
        caption = table.find("caption")
        if caption is None or not caption.get_text(strip=True):
            problems.append("a table has no <caption>")
        label = caption.get_text(" ", strip=True)[:60] if caption else "(no caption)"
        for th in table.find_all("th"):
            if th.get("scope") not in _ALLOWED_SCOPES:
                problems.append(f"a <th> in table {label!r} has no scope")
                break
        if table.find("th") is None:
            problems.append(f"table {label!r} has no header cells")
    return problems


def _visible_text(soup: BeautifulSoup) -> str:
    parts = [s for s in soup.find_all(string=True) if not isinstance(s, Comment)]
    attrs = [
        str(v)
        for tag in soup.find_all(True)
        for k, v in tag.attrs.items()
        if k not in {"src", "class"} and isinstance(v, str) and not v.startswith("data:")
    ]
    return "\n".join([*map(str, parts), *attrs])


def check_page_html(html: str, *, forbidden: Iterable[str] = ()) -> list[str]:
    """List the ways a page breaks the evidence-pack HTML rules.

    Parameters
    ----------
    html : str
        The complete page.
    forbidden : iterable of str
        Further strings that must not appear, such as the folders of the
        machine that built the page.

    Returns
    -------
    list of str
        One plain sentence per problem; empty when the page is fine.
    """
    soup = BeautifulSoup(html, "html.parser")
    problems = _check_landmarks(soup)
    problems += _check_outline(soup)
    problems += _check_images_and_tables(soup)
    problems += _check_resources(soup)
    text = _visible_text(soup)
    for needle in FORBIDDEN_TEXT:
        if needle in text:
            problems.append(f"the page contains {needle!r} (code, error or widget residue)")
            break
    for match in sorted(set(_PATH_PATTERNS.findall(text)))[:5]:
        problems.append(f"the page contains a local path {match[:80]!r}")
    for needle in forbidden:
        if needle and len(needle) > 3 and needle in text:
            problems.append(f"the page contains {needle[:80]!r}, a path of the building machine")
    return problems


def strip_local_paths(text: str, folders: Iterable[str] = ()) -> str:
    """Return ``text`` with every local path cut to its last part, for a page.

    A message such as ``/home/me/params/areas/S12000033.yaml: not valid YAML``
    becomes ``S12000033.yaml: not valid YAML``; ``folders`` (such as the building
    machine's, :func:`cjlib.export.notebook.machine_paths`) are removed where they
    begin a relative path the patterns do not catch.
    """
    for folder in folders:
        if folder and len(folder) > 3:
            text = text.replace(folder, "")
    return _PATH_PATTERNS.sub(lambda match: re.split(r"[/\\]", match.group(0))[-1], text)
