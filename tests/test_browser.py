"""Browser tests: the sample pack's pages in Debian's Chromium, with axe-core.

In CI (``CI=true``) a missing Chromium fails these tests; locally they skip
with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    build_sample_pack,
    check_page,
    opened_page,
    serve,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("outcome", "needs", "area", "national")


@pytest.fixture(scope="module")
def served(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("browser-pack")
    pages = build_sample_pack(root)
    with serve(root) as base:
        yield {name: base + pages[name].relative_to(root).as_posix() for name in PAGES}


@pytest.mark.parametrize("name", PAGES)
def test_page_passes_browser_checks(browser, served, name):
    shot = ARTIFACTS / f"{name}-320px.png" if name in {"outcome", "national"} else None
    with opened_page(browser) as page:
        problems = check_page(page, served[name], screenshot=shot)
    assert problems == [], "\n".join(problems)
    if shot is not None:
        assert shot.stat().st_size > 1000


def test_checks_catch_a_broken_page(browser, tmp_path):
    """The browser checks themselves work: a bad page yields each kind of problem."""
    bad = (
        "<!DOCTYPE html><html><head><title>x</title>"
        '<script src="https://cdn.example.com/x.js"></script></head><body>'
        '<h2>No h1</h2><p style="color:#aaa">faint</p><img src="https://example.com/a.png">'
        '<div style="width:900px">wide</div></body></html>'
    )
    (tmp_path / "bad.html").write_text(bad)
    with opened_page(browser) as page, serve(tmp_path) as base:
        problems = "\n".join(check_page(page, base + "bad.html"))
    for expected in (
        "axe-core",
        "color-contrast",
        "image-alt",
        "request left the page: https://cdn.example.com/x.js",
        "expected one h1",
        "scrolls sideways",
        "lang is",
        "<script> elements",
    ):
        assert expected in problems, expected


def test_file_urls_work_too(browser, tmp_path):
    """Readers open packs from a shared drive: the page also passes from file://."""
    from cjlib.export import build_national_index

    info = build_national_index(
        tmp_path,
        period="2024-25",
        built_at="today",
        version="0.1.0",
        areas=[{"code": "S12000005", "name": "Clackmannanshire", "href": None, "statuses": {}}],
        outcomes=[{"number": 1, "title": "Diversion"}],
        synthetic=False,
    )
    with opened_page(browser) as page:
        problems = check_page(page, Path(info["path"]).as_uri())
    assert problems == [], "\n".join(problems)
