"""JupyterLab in a real Chromium: notebook 01 runs, the explorer redraws, notebooks stay clean.

The test does what ``make lab`` does (copies of the notebooks in an ignored folder
inside ``lab/``, ``--allow-root`` as root), starts JupyterLab on loopback with a
random free port and token, opens notebook 01 with Playwright, runs all cells,
changes the area and the indicator of the explorer and checks that the chart
changes and that no error or stderr output appears.  Screenshots go to
``test-artifacts/``.  It stops the server it started and checks that nothing
outside ``lab/`` changed (``git status`` and the committed notebooks' bytes).

In CI (``CI=true``) a missing Chromium, playwright or JupyterLab fails the test;
locally it skips with the reason.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, chromium_missing_reason, launch

from cjlib.lab import LAB_DIR, copy_notebooks, lab_command
from cjlib.paths import NOTEBOOKS_DIR, PROJECT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "01_diversion.ipynb"
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
_PROMPTS_JS = """() => Array.from(document.querySelectorAll(
  '.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')).map(p => p.textContent.trim())"""
_CHART_JS = """() => { const img = document.querySelector('.widget-output img');
  return img ? img.getAttribute('src') : null; }"""


def _missing() -> str | None:
    reason = chromium_missing_reason()
    if reason:
        return reason
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        return "jupyterlab is not installed (pip install -e '.[dev]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fingerprint() -> dict[str, str]:
    """Bytes of every committed notebook file, and git's view of the work tree."""
    files = {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(NOTEBOOKS_DIR.rglob("*"))
        if p.is_file()
    }
    if shutil.which("git") and (PROJECT_DIR / ".git").exists():
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        files["git status"] = done.stdout
    return files


@contextmanager
def running_lab(folder: Path, settings: Path) -> Iterator[tuple[str, str]]:
    """Start JupyterLab as ``make lab`` does, on ``folder``; yield (url, token); stop it."""
    port, token = _free_port(), secrets.token_hex(16)
    command = lab_command(
        folder,
        [
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--LabApp.user_settings_dir={settings / 'user'}",
            f"--LabApp.workspaces_dir={settings / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
    )
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(settings / "runtime")}
    for name in ("CJLIB_STATIC", "CJLIB_INTERACTIVE"):  # JupyterLab decides on its own
        env.pop(name, None)
    log_path = settings / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        raise RuntimeError(
                            f"JupyterLab did not start: {log_path.read_text()[-2000:]}"
                        ) from None
                    time.sleep(0.3)
            yield url, token
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on copies of the notebooks in lab/.test-*; yields (url, token, folder).

    On the way out it checks that nothing outside ``lab/`` changed.
    """
    reason = _missing()
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"the JupyterLab browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    from cjlib.pipeline import prepare_batch

    prepare_batch()  # the notebooks' default cache, built once here rather than in the kernel
    before = _fingerprint()
    folder = LAB_DIR / f".test-{secrets.token_hex(4)}"
    copy_notebooks(folder)
    try:
        with running_lab(folder, tmp_path_factory.mktemp("lab-settings")) as (url, token):
            yield url, token, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if LAB_DIR.exists() and not any(LAB_DIR.iterdir()):
            LAB_DIR.rmdir()
    assert _fingerprint() == before, "JupyterLab changed files outside lab/"


def _chart_title(src: str) -> str:
    """The explorer chart's title text, decoded from the image's data URI."""
    head, _, data = src.partition(",")
    svg = (
        base64.b64decode(data).decode()
        if head.endswith(";base64")
        else urllib.request.unquote(data)
    )
    start = svg.index("font-size: 11px")
    return svg[svg.index(">", start) + 1 : svg.index("</text>", start)]


def open_notebook(page, url: str, token: str, name: str) -> None:
    """Open a notebook in JupyterLab and wait for its kernel to be idle."""
    page.goto(f"{url}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    page.wait_for_selector("#jp-main-statusbar >> text=Idle", timeout=60_000)


def run_all(page) -> float:
    """Run every cell through the Run menu; return the seconds until the last one finished."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    started = time.perf_counter()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(
        f"() => {{ const p = ({_PROMPTS_JS})(); "
        "return p.length > 0 && p.every(t => /^\\[\\d+\\]:$/.test(t)); }",
        timeout=60_000,
    )
    return time.perf_counter() - started


def _change(page, label: str, option: str, old_src: str) -> tuple[str, float]:
    """Choose ``option`` in the explorer's ``label`` dropdown; wait for a new chart."""
    select = page.locator(".widget-dropdown", has_text=label).locator("select")
    started = time.perf_counter()
    select.select_option(label=option)
    page.wait_for_function(
        f"(old) => {{ const s = ({_CHART_JS})(); return s !== null && s !== old; }}",
        arg=old_src,
        timeout=10_000,
    )
    return page.evaluate(_CHART_JS), time.perf_counter() - started


def test_notebook_01_runs_and_the_explorer_redraws(lab):
    url, token, folder = lab
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    timings: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page_errors: list[str] = []
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            open_notebook(page, url, token, NOTEBOOK)
            timings["run all"] = run_all(page)
            no_news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's news toast
            if no_news.count():
                no_news.first.click()
            page.locator(
                "h2", has_text="Trends against Scotland"
            ).first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-01-trends.png"))
            page.wait_for_function(f"() => ({_CHART_JS})() !== null", timeout=20_000)
            chart = page.locator(".widget-output img").first
            chart.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-01-run-all.png"))
            first = page.evaluate(_CHART_JS)
            assert _chart_title(first).endswith(": Aberdeen City")

            second, timings["area change"] = _change(page, "Area", "Glasgow City", first)
            assert _chart_title(second).endswith(": Glasgow City")
            indicator = page.locator(".widget-dropdown", has_text="Indicator").locator("select")
            options = indicator.locator("option").all_inner_texts()
            assert len(options) > 1
            third, timings["indicator change"] = _change(page, "Indicator", options[1], second)
            title = options[1].replace("\xa0", " ")  # ipywidgets shows options with no-break spaces
            assert _chart_title(third) == f"{title}: Glasgow City"
            summary = page.locator(".widget-output .cj-summary").inner_text()
            assert summary.startswith("Glasgow City, ") and "\n" not in summary
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-01-explorer.png"))

            assert page.locator(STDERR).count() == 0, page.locator(STDERR).all_inner_texts()
            assert page.locator(".jp-OutputArea-output .jp-RenderedText[data-mime-type*=error]"
                                ).count() == 0  # fmt: skip
            page.keyboard.press("Control+s")
            page.wait_for_timeout(500)
            assert page_errors == []
        finally:
            browser.close()
    print(f"JupyterLab timings (s): { {k: round(v, 2) for k, v in timings.items()} }")
    assert timings["area change"] < 5 and timings["indicator change"] < 5, timings
    assert (folder / NOTEBOOK).read_text() != (NOTEBOOKS_DIR / NOTEBOOK).read_text()  # saved there
