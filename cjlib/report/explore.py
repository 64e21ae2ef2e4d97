"""Interactive exploration with ipywidgets, for JupyterLab only; packs show the static charts.

When are widgets drawn?  Only when a person can see them: the kernel must be
running a cell that a front end sent with ``allow_stdin`` true.  JupyterLab,
Jupyter Notebook and VS Code send every cell that way; papermill and nbclient
(the batch runner, ``papermill`` on the command line, ``nbconvert --execute``)
send ``allow_stdin=False``, since nobody is there to answer, and they get the
static page only.  Two environment variables override the rule:
``CJLIB_STATIC=1`` (never draw widgets) and ``CJLIB_INTERACTIVE=1`` (always
draw them, for tests that drive the widgets through nbclient).
"""

from __future__ import annotations

import os
import sys

from cjlib.areas import SCOTLAND_CODE, council_areas, get_area
from cjlib.formatting import format_value, in_sentence
from cjlib.framework import Indicator
from cjlib.periods import is_financial_year
from cjlib.report import charts
from cjlib.report.context import AreaContext

#: Set to "1" by batch runs (and tests): no widgets are drawn.
STATIC_ENV = "CJLIB_STATIC"
#: Set to "1" to draw widgets even without a front end (tests driving them via nbclient).
INTERACTIVE_ENV = "CJLIB_INTERACTIVE"
#: The comparator choices of the toggle.
COMPARATORS = ("Scotland and family group", "Scotland only")


def is_interactive() -> bool:
    """True when a front end that can show widgets sent the running cell.

    See the module docstring: papermill and nbclient runs execute with
    ``allow_stdin=False`` and are static; ``CJLIB_STATIC`` and
    ``CJLIB_INTERACTIVE`` override.
    """
    if os.environ.get(STATIC_ENV) == "1":
        return False
    ipython = sys.modules.get("IPython")  # never import IPython outside a kernel
    shell = ipython.get_ipython() if ipython is not None else None
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return False
    if os.environ.get(INTERACTIVE_ENV) == "1":
        return True
    return bool(getattr(kernel, "_allow_stdin", False))


def _width(labels: list[str], extra: int = 4) -> str:
    """A CSS width that fits the longest label (about 0.6 em a character, plus the arrow)."""
    return f"{round(max(map(len, labels)) * 0.6 + extra, 1)}em"


class Explorer:
    """The explorer's controls and its chart; :meth:`redraw` runs on every change.

    Area switches use the batch tables already loaded (every area is in them),
    so the data, parameters and cache folders of the notebook stay as they were.
    """

    def __init__(self, ctx: AreaContext, indicator_ids: list[str]) -> None:
        import ipywidgets as widgets

        self.ctx = ctx
        areas = council_areas()
        area_options = list(zip(areas["area_name"], areas["area_code"], strict=True))
        titles = [(ctx.indicator(i).title, i) for i in indicator_ids]
        label = {"description_width": "6em"}
        self.area = widgets.Dropdown(
            options=area_options,
            value=ctx.area.code,
            description="Area",
            style=label,
            layout=widgets.Layout(width=_width([a for a, _ in area_options], 10)),
        )
        self.indicator = widgets.Dropdown(
            options=titles,
            value=indicator_ids[0],
            description="Indicator",
            style=label,
            layout=widgets.Layout(width=_width([t for t, _ in titles], 10)),
        )
        self.comparator = widgets.ToggleButtons(
            options=list(COMPARATORS),
            description="Compare",
            style={**label, "button_width": _width(list(COMPARATORS), 2)},
        )
        self.output = widgets.Output()
        self.box = widgets.VBox([self.area, self.indicator, self.comparator, self.output])
        for control in (self.area, self.indicator, self.comparator):
            control.observe(self.redraw, names="value")

    def chart(self) -> tuple[str, str, str]:
        """Return the SVG, its alt text and the one-line summary for the current choices."""
        from cjlib.report.figures import figure_svg

        ctx = self.ctx
        area = get_area(self.area.value)
        ind = ctx.indicator(self.indicator.value)
        grouping = ctx.batch.defaults.comparator_grouping if ctx.batch.defaults else "deprivation"
        family = area.family_group(grouping) or ""
        with_family = self.comparator.value == COMPARATORS[0] and bool(family)
        codes = [area.code, SCOTLAND_CODE] + ([family] if with_family else [])
        rows = ctx.rows(ind.id)
        series = rows[rows["area_code"].isin(codes) & (rows["period"].map(is_financial_year))]
        series = series.sort_values(["area_code", "period"])
        fig = charts.trend_chart(
            series,
            area_code=area.code,
            family_code=family if with_family else "",
            title=ind.title,
            unit=ind.unit,
        )
        title = f"{ind.title}: {area.name}"
        fig.axes[0].set_title(title, loc="left", fontsize=11)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.9, bottom=0.24)
        svg = figure_svg(fig, crop=False)  # fixed margins: drawn once, quicker to redraw
        mine = series[series["area_code"] == area.code]
        alt = (
            f"Line chart of {in_sentence(ind.title)} by year for {area.name} and Scotland. "
            f"{area.name} goes {charts.describe_values(mine, ind.unit, ind.type)}."
        )
        return svg, alt, self.summary(area.code, area.name, ind)

    def summary(self, code: str, name: str, ind: Indicator) -> str:
        """One line: the area's latest value against Scotland's."""
        rows = self.ctx.rows(ind.id)
        rows = rows[rows["value"].notna() & (rows["period"].map(is_financial_year))]
        mine = rows[rows["area_code"] == code].sort_values("period")
        if mine.empty:
            return f"{name}: no published value of {in_sentence(ind.title)}."
        last = mine.iloc[-1]
        text = f"{name}, {last['period']}: {format_value(last['value'], ind.type, ind.unit)}"
        scot = rows[(rows["area_code"] == SCOTLAND_CODE) & (rows["period"] == last["period"])]
        if not scot.empty:
            text += f" against Scotland's {format_value(scot.iloc[0]['value'], ind.type, ind.unit)}"
        return f"{text} ({ind.unit})."

    def redraw(self, _change: object = None) -> None:
        """Draw the chart and its summary line for the current choices.

        Both outputs replace the old ones in one state update of the Output
        widget (no flicker), and the kernel keeps them in ``self.output.outputs``.
        """
        from cjlib.htmlutil import escape

        svg, alt, line = self.chart()
        chart = {
            "output_type": "display_data",
            "data": {"image/svg+xml": svg, "text/plain": f"Chart: {alt}"},
            "metadata": {"image/svg+xml": {"alt": alt}},
        }
        summary = {
            "output_type": "display_data",
            "data": {"text/html": f'<p class="cj-summary">{escape(line)}</p>', "text/plain": line},
            "metadata": {},
        }
        self.output.outputs = (chart, summary)


def explore(ctx: AreaContext, indicator_ids: list[str]) -> Explorer | None:
    """Offer widgets to switch area, indicator and comparator, in interactive use only.

    Parameters
    ----------
    ctx : AreaContext
        The notebook's context; its batch tables hold every area.
    indicator_ids : list of str
        The indicators offered, the first shown first.

    Returns
    -------
    Explorer or None
        The explorer (its controls can be set from code), or None in batch runs,
        where the static charts above already tell the story.
    """
    if not is_interactive() or not indicator_ids:
        return None
    from IPython.display import display

    explorer = Explorer(ctx, indicator_ids)
    display(explorer.box)
    explorer.redraw()
    return explorer
