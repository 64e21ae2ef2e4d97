"""Browser tests of the improvement page (notebook 11) in Chromium, with axe-core.

The real notebook runs with papermill for an area with an improvement plan (Glasgow
City) and one without (Orkney Islands); the exported pages must pass the same checks
as every other page. In CI (``CI=true``) a missing Chromium fails these tests.
"""

from __future__ import annotations

import pytest
from browser_support import (
    ARTIFACTS,
    check_page,
    execute,
    make_notebook,
    opened_page,
    serve,
)

from cjlib.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AREAS = {"plan": "S12000049", "no_plan": "S12000023"}
PAGES = [*AREAS, "logic_model"]
_LOGIC_CELL = """\
from types import SimpleNamespace

from cjlib.areas import get_area
from cjlib.report.display import show_title
from cjlib.framework import load_framework
from cjlib.params import AreaParameters
from cjlib.report.logic_model import show_logic_model

show_title("Outcome 6: logic model", "The logic model of outcome 6.", synthetic=False)
ctx = SimpleNamespace(
    framework=load_framework(), params=AreaParameters(area_code="S12000049"),
    area=get_area("S12000049"),
)
show_logic_model(ctx, 6)
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory, browser):
    import papermill

    from cjlib.export import export_notebook

    root = tmp_path_factory.mktemp("improvement-pack")
    cache = root / "cache"
    pages = {}
    for name, code in AREAS.items():
        area_dir = root / "2023-24" / code
        area_dir.mkdir(parents=True)
        executed = area_dir / "11_improvement.ipynb"
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / "11_improvement.ipynb"),
            str(executed),
            parameters={"area_code": code, "cache_dir": str(cache), "output_dir": str(area_dir)},
            kernel_name="python3",
            progress_bar=False,
        )
        html = area_dir / "11_improvement.html"
        export_notebook(executed, html, nav=[("Pack contents", "index.html")], footer_note="Test.")
        pages[name] = html.relative_to(root).as_posix()
    folder = root / "2023-24" / "logic"
    executed = execute(make_notebook([("code", _LOGIC_CELL, [])]), folder, "06_outcome")
    export_notebook(executed, folder / "06_outcome.html", footer_note="Test.")
    pages["logic_model"] = (folder / "06_outcome.html").relative_to(root).as_posix()
    with serve(root) as base:
        yield {name: base + path for name, path in pages.items()}


@pytest.mark.parametrize("name", PAGES)
def test_improvement_page_passes_browser_checks(browser, served, name):
    shot = ARTIFACTS / f"improvement-{name}-320px.png"
    with opened_page(browser) as page:
        problems = check_page(page, served[name], screenshot=shot)
        text = page.inner_text("main")
    assert problems == [], "\n".join(problems)
    if name == "plan":
        assert "Shift upwards from June 2022" in text
        assert "after the change tested in cycle 2" in text
        assert "What the data says" in text
    elif name == "no_plan":
        assert "no improvement plan" in text
    else:
        assert "Tested by:" in text and "Long-term outcomes" in text
