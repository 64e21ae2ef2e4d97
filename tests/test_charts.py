"""Tests of cjlib.report.charts and the SVG rendering of charts."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib

matplotlib.use("agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from cjlib.report import charts  # noqa: E402
from cjlib.report.figures import figure_svg  # noqa: E402
from cjlib.stats import funnel_limits  # noqa: E402

#: Council populations aged 16+ (a spread like Scotland's) and a count for each.
POPULATIONS = np.array([18_315, 19_214, 42_832, 72_268, 150_000, 280_000, 530_104], float)
COUNTS = np.array([4, 9, 8, 12, 40, 90, 175], float)


def _councils() -> pd.DataFrame:
    codes = ["S12000023", "S12000027", "S12000005", "S12000035", "S12000045", "S12000036"]
    codes.append("S12000049")
    return pd.DataFrame(
        {
            "area_code": codes,
            "value": COUNTS / POPULATIONS * 10_000,
            "numerator": COUNTS,
            "denominator": POPULATIONS,
        }
    )


def _funnel(councils: pd.DataFrame | None = None, **overrides):
    kwargs = dict(
        area_code="S12000049",
        target=3.0,
        kind="rate",
        multiplier=10_000,
        unit="per 10,000 people aged 16+",
        denominator_label="Population aged 16 and over",
    )
    kwargs.update(overrides)
    return charts.funnel_chart(_councils() if councils is None else councils, **kwargs)


def test_funnel_spans_the_areas_not_from_one():
    fig = _funnel()
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert low == pytest.approx(np.floor(0.95 * POPULATIONS.min()))
    assert high == pytest.approx(np.ceil(1.05 * POPULATIONS.max()))
    # every area's point lies inside the drawn range
    assert ((POPULATIONS >= low) & (POPULATIONS <= high)).all()


def test_funnel_lines_are_the_exact_limits_in_the_indicators_unit():
    ax = _funnel().axes[0]
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    solid = [line for line in solid if line.get_color() == "#505a5f"]
    assert len(solid) == 2, "expected the lower and upper 99.8% limits"
    x = np.asarray(solid[0].get_data()[0], float)
    lower, upper = funnel_limits("rate", 3.0 / 10_000, x, 0.998, per=1)
    drawn = sorted((np.asarray(line.get_data()[1], float) for line in solid), key=np.sum)
    assert np.allclose(drawn[0], lower * 10_000)
    assert np.allclose(drawn[1], upper * 10_000)
    assert upper.max() * 10_000 < 10  # no limit near 1 person dwarfing the points


def test_funnel_axis_labels_are_plain_numbers_without_mathtext():
    fig = _funnel()
    svg = figure_svg(fig)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels, "the log axis has no labels"
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", label) for label in labels), labels
    assert "$" not in svg and "10^" not in svg
    assert "100,000" in svg


def test_proportion_funnel_uses_the_binomial_limits():
    councils = _councils().assign(value=lambda d: 70.0, denominator=lambda d: d["numerator"] * 5)
    fig = _funnel(
        councils,
        target=72.0,
        kind="proportion",
        multiplier=100,
        unit="% of cases commenced",
        denominator_label="Cases commenced",
    )
    ax = fig.axes[0]
    for line in ax.get_lines():
        if line.get_label() == "95% limits":
            x, y = (np.asarray(v, float) for v in line.get_data())
            lower, _ = funnel_limits("proportion", 0.72, x, 0.95)
            assert np.allclose(y, lower * 100)
            break
    else:
        pytest.fail("no 95% limit line")


def test_trend_chart_draws_area_scotland_and_family():
    periods = ["2021-22", "2022-23", "2023-24"]
    rows = []
    for code, values in (
        ("S12000049", [2.0, 2.5, 3.3]),
        ("S92000003", [2.4, 2.7, 2.9]),
        ("LGBF-D4", [2.6, 3.0, 3.2]),
    ):
        for period, value in zip(periods, values, strict=True):
            rows.append((code, period, value, value - 0.3, value + 0.3))
    series = pd.DataFrame(rows, columns=["area_code", "period", "value", "lower_ci", "upper_ci"])
    fig = charts.trend_chart(
        series, area_code="S12000049", family_code="LGBF-D4", title="t", unit="per 10,000"
    )
    ax = fig.axes[0]
    drawn = {line.get_label() for line in ax.get_lines()}
    assert {"Scotland", "Glasgow City"} <= drawn
    assert [t.get_text() for t in ax.get_xticklabels()] == periods


def test_charts_are_cropped_to_everything_drawn_and_laid_out_figures_are_not():
    fig = _funnel()
    svg = figure_svg(fig)
    width = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
    height = float(re.search(r'height="([\d.]+)pt"', svg).group(1))
    # the label of the largest area reaches past the axes: the crop keeps it
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    tight = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer())  # inches
    pad = 2 * 0.1 * 72  # savefig.pad_inches on each side
    assert width == pytest.approx(tight.width * 72 + pad, abs=6)  # Agg measures text a little wider
    assert height == pytest.approx(tight.height * 72 + pad, abs=6)
    assert width > fig.axes[0].get_position().x1 * fig.get_figwidth() * 72

    from matplotlib.figure import Figure

    laid_out = Figure(figsize=(6, 4), layout="constrained")
    laid_out.add_subplot().plot([1, 2], [3, 4])
    svg = figure_svg(laid_out)
    assert float(re.search(r'width="([\d.]+)pt"', svg).group(1)) == pytest.approx(6 * 72)


def test_showing_a_chart_does_not_import_pyplot():
    code = (
        "import sys, pandas as pd\n"
        "from cjlib.report import display\n"
        "from cjlib.report import charts\n"
        "display._publish = lambda data, metadata=None: None\n"
        "fig, ax = charts._figure()\n"
        "ax.plot([1, 2], [3, 4])\n"
        "display.show_figure(fig, title='A chart', alt='A line rising from 3 to 4',"
        " source='test', data=pd.DataFrame({'x': [1, 2]}))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
