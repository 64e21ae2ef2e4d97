"""The explorer draws an SVG chart and a summary line on every change, in a front end only.

The widget test drives the controls in a real kernel through nbclient (the
callbacks run there as they do in JupyterLab) and reads what the Output widget
holds after each change.
"""

from __future__ import annotations

import json
import re
import sys
from types import SimpleNamespace

import IPython
import pytest
from kernel_support import run_cells, stream_text

from cjlib.report import explore

pytestmark = pytest.mark.slow

ABERDEEN, GLASGOW = "S12000033", "S12000049"
SETUP = """\
import json, time
from cjlib.report.context import load_context
from cjlib.report.explore import explore, is_interactive
ctx = load_context("S12000033", cache_dir={cache!r})
ex = explore(ctx, ["NI01b_rate", "NI01_conv_completed"])

def report(seconds=None):
    print(json.dumps({{"outputs": list(ex.output.outputs), "seconds": seconds,
                      "area": ex.area.label, "indicator": ex.indicator.label}}))

report()
"""
CHANGE = """\
t = time.perf_counter()
{statement}
report(time.perf_counter() - t)
"""


def test_not_interactive_outside_a_kernel(monkeypatch):
    monkeypatch.delenv(explore.STATIC_ENV, raising=False)
    assert explore.is_interactive() is False


def test_batch_runs_are_static(monkeypatch):
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    assert explore.is_interactive() is False


def test_explore_shows_nothing_when_static(monkeypatch, capsys):
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    assert explore.explore(ctx=None, indicator_ids=["NI01b_rate"]) is None
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("allow_stdin", "expected"), [(True, True), (False, False)])
def test_a_front_end_is_one_that_sends_cells_with_allow_stdin(monkeypatch, allow_stdin, expected):
    """JupyterLab sends allow_stdin=True; papermill and nbclient send False."""
    monkeypatch.delenv(explore.STATIC_ENV, raising=False)
    monkeypatch.delenv(explore.INTERACTIVE_ENV, raising=False)
    shell = SimpleNamespace(kernel=SimpleNamespace(_allow_stdin=allow_stdin))
    monkeypatch.setitem(sys.modules, "IPython", IPython)
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert explore.is_interactive() is expected
    monkeypatch.setenv(explore.STATIC_ENV, "1")
    assert explore.is_interactive() is False


def test_a_plain_papermill_run_gets_no_widgets(monkeypatch):
    """nbclient and papermill execute with allow_stdin=False: no widget is displayed."""
    monkeypatch.delenv(explore.STATIC_ENV, raising=False)
    monkeypatch.delenv(explore.INTERACTIVE_ENV, raising=False)
    nb = run_cells(["from cjlib.report.explore import is_interactive\nprint(is_interactive())"])
    assert stream_text(nb.cells[0]).strip() == "False"


def _svg_title(svg: str) -> str:
    """The chart's title: the 11 px text at the top of cjlib's explorer SVG."""
    texts = re.findall(r'<text style="font-size: 11px[^>]*>([^<]*)</text>', svg)
    assert len(texts) == 1, texts
    return texts[0]


def test_explorer_redraws_svg_and_summary_on_every_change(monkeypatch, tmp_path):
    monkeypatch.delenv(explore.STATIC_ENV, raising=False)
    monkeypatch.setenv(explore.INTERACTIVE_ENV, "1")
    changes = [
        ("ex.area.value = 'S12000049'", "Glasgow City"),
        ("ex.indicator.value = 'NI01_conv_completed'", "Glasgow City"),
        ("ex.comparator.value = 'Scotland only'", "Glasgow City"),
        ("ex.area.value = 'S12000033'", "Aberdeen City"),
    ]
    cells = [SETUP.format(cache=str(tmp_path / "cache"))]
    cells += [CHANGE.format(statement=s) for s, _ in changes]
    nb = run_cells(cells)
    reports = [json.loads(stream_text(c)) for c in nb.cells]
    expected_areas = ["Aberdeen City"] + [a for _, a in changes]
    timings = []
    for report, area in zip(reports, expected_areas, strict=True):
        chart, summary = report["outputs"]
        assert report["area"] == area
        assert set(chart["data"]) == {"image/svg+xml", "text/plain"}
        svg = chart["data"]["image/svg+xml"]
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert _svg_title(svg) == f"{report['indicator']}: {area}"
        assert chart["metadata"]["image/svg+xml"]["alt"].startswith("Line chart of ")
        line = summary["data"]["text/plain"]
        assert "\n" not in line and line.startswith(f"{area}, ")
        assert "against Scotland" in line
        if report["seconds"] is not None:
            timings.append(report["seconds"])
    # the indicator change shows the indicator's title; comparator "Scotland only" drops the family
    assert reports[1]["indicator"] == reports[0]["indicator"] != reports[2]["indicator"]
    family = "deprivation family group"
    assert family in reports[2]["outputs"][0]["data"]["image/svg+xml"]
    assert family not in reports[3]["outputs"][0]["data"]["image/svg+xml"]
    # a widget change redraws well within a second even on a busy machine (0.5 s is the aim)
    assert max(timings) < 2.0, timings
    print("redraw seconds:", [round(t, 3) for t in timings])
