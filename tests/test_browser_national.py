"""Browser tests of the national benchmarking pages: an outcome page, the grid, a front page.

Chromium with axe-core (WCAG 2.2 AA), no request leaving the page, no sideways
scroll at 320 px (see :func:`browser_support.check_page`), and the national
grid fitting 1280 px without its own scroll bar.
"""

from __future__ import annotations

import pytest
from browser_support import (
    ARTIFACTS,
    check_page,
    opened_page,
    serve,
)
from national_support import build_national

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "national-outcome": "national/outcome-1.html",
    "national-index": "index.html",
    "front-page-spine": "S12000023/index.html",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory, browser):
    period_dir, _ = build_national(tmp_path_factory.mktemp("national-browser"))
    with serve(period_dir) as base:
        yield base


@pytest.mark.parametrize("name", list(PAGES))
def test_national_page_passes_browser_checks(browser, served, name):
    shot = ARTIFACTS / f"{name}-320px.png"
    with opened_page(browser) as page:
        problems = check_page(page, served + PAGES[name], screenshot=shot)
    assert problems == [], "\n".join(problems)


def test_national_grid_fits_1280_px(browser, served):
    with opened_page(browser, viewport={"width": 1280, "height": 900}) as page:
        page.goto(served + "index.html")
        wrap = page.evaluate(
            "() => { const t = document.querySelector('table.cj-grid').parentElement;"
            " return [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth]; }"
        )
        links = page.eval_on_selector_all(
            "table.cj-grid td a", "els => els.map(e => e.getAttribute('href'))"
        )
    assert wrap[0] <= wrap[1] and wrap[2] <= 1280, wrap
    # three areas ran: each has nine linked cells, one per outcome page
    assert len(links) == 27
    assert "S12000023/01_diversion.html" in links


def test_spine_chart_is_on_the_front_page(browser, served):
    with opened_page(browser, viewport={"width": 1280, "height": 900}) as page:
        page.goto(served + PAGES["front-page-spine"])
        alts = page.eval_on_selector_all("img.cj-spine", "els => els.map(e => e.alt)")
    assert len(alts) >= 10
    assert all("Scotland" in alt and "range from" in alt for alt in alts)
