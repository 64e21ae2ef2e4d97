"""Interactive exploration with ipywidgets, for JupyterLab only; packs show the static charts."""

from __future__ import annotations

import os

from cjlib.report import charts
from cjlib.report.context import AreaContext, load_context

#: Set to "1" by batch runs (and tests): no widgets are drawn.
STATIC_ENV = "CJLIB_STATIC"


def is_interactive() -> bool:
    """True in a live kernel with a front end, False in batch runs and conversions."""
    if os.environ.get(STATIC_ENV) == "1":
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def explore(ctx: AreaContext, indicator_ids: list[str]) -> None:
    """Offer widgets to switch area, indicator and comparator, in interactive use only.

    In a batch run this shows nothing: the static charts above already tell the story.
    """
    if not is_interactive() or not indicator_ids:
        return
    import ipywidgets as widgets
    from IPython.display import display

    from cjlib.areas import council_areas

    areas = list(zip(council_areas()["area_name"], council_areas()["area_code"], strict=True))
    area_box = widgets.Dropdown(options=areas, value=ctx.area.code, description="Area")
    titles = [(ctx.indicator(i).title, i) for i in indicator_ids]
    ind_box = widgets.Dropdown(options=titles, value=indicator_ids[0], description="Indicator")
    comp_box = widgets.ToggleButtons(
        options=["Scotland and family group", "Scotland only"], description="Compare"
    )
    out = widgets.Output()

    def redraw(_=None) -> None:
        local = ctx if area_box.value == ctx.area.code else load_context(area_box.value, ctx.period)
        series = local.series(ind_box.value)
        series = series[series["period"].str.len() == 7]
        family = local.family_code if comp_box.value.startswith("Scotland and") else ""
        if not family:
            series = series[series["area_code"] != local.family_code]
        fig = charts.trend_chart(
            series,
            area_code=local.area.code,
            family_code=family,
            title=local.indicator(ind_box.value).title,
            unit=local.indicator(ind_box.value).unit,
        )
        out.clear_output(wait=True)
        with out:
            display(fig)

    for box in (area_box, ind_box, comp_box):
        box.observe(redraw, names="value")
    display(widgets.VBox([widgets.HBox([area_box, ind_box]), comp_box, out]))
    redraw()
