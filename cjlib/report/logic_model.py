"""Logic models on the outcome page: a diagram that is itself a nested list.

The model's stages (inputs, activities, outputs, short-, medium- and long-term
outcomes) are an ordered list, each stage a list of items with the indicators that
test them. Screen readers read it as a nested list; the stylesheet lays the stages
out side by side with arrows on wide screens, one under another on narrow ones.
The arrows are decoration, hidden from assistive technology.
"""

from __future__ import annotations

from cjlib.framework import LOGIC_STAGE_TITLES, LOGIC_STAGES, Framework, LogicModel, Outcome
from cjlib.htmlutil import escape, render_source
from cjlib.params import AreaParameters
from cjlib.report.display import _publish_html


def resolve_logic_model(
    framework: Framework, params: AreaParameters, outcome_id: str
) -> tuple[LogicModel | None, bool]:
    """Return an outcome's logic model and whether the area adapted it.

    An area's own model (``logic_models.<outcome id>`` in its parameters) replaces the
    framework's.
    """
    if outcome_id in params.logic_models:
        return params.logic_models[outcome_id], True
    return framework.logic_models.get(outcome_id), False


def logic_model_html(
    model: LogicModel, framework: Framework, outcome: Outcome, *, caption: str, source: str
) -> str:
    """Return the logic model as an accessible diagram: a captioned figure of nested lists.

    Parameters
    ----------
    model : LogicModel
        The model to show.
    framework : Framework
        Gives each linked indicator's title.
    outcome : Outcome
        The outcome the model is for (items may quote its title or priority action).
    caption : str
        The figure's caption, e.g. "Logic model for outcome 6".
    source : str
        Where the model comes from (shown as the source line).
    """
    titles = {i.id: i.title for i in framework.indicators}
    stages = []
    for n, stage in enumerate(LOGIC_STAGES):
        items = []
        for item in getattr(model, stage):
            if item.quote == "indicator":
                tested = "this indicator" if len(item.indicators) == 1 else "these indicators"
            else:
                tested = "; ".join(escape(titles.get(i, i)) for i in item.indicators)
            test = f'<span class="cj-logic-test">Tested by: {tested}</span>' if tested else ""
            words = model.item_text(item, outcome, framework)
            items.append(f"<li>{escape(words)}{test}</li>")
        body = (
            f"<ul>{''.join(items)}</ul>"
            if items
            else '<p class="cj-note">Nothing is set out at this stage.</p>'
        )
        arrow = '<span class="cj-logic-arrow" aria-hidden="true"></span>' if n < 5 else ""
        stages.append(
            f'<li class="cj-logic-stage"><p class="cj-logic-name">'
            f"{escape(LOGIC_STAGE_TITLES[stage])}</p>{body}{arrow}</li>"
        )
    return (
        f'<figure class="cj-logic"><figcaption>{escape(caption)}</figcaption>'
        f'<ol class="cj-logic-stages">{"".join(stages)}</ol>'
        f"{render_source(source)}</figure>"
    )


def show_logic_model(ctx, outcome_number: int) -> None:
    """Show an outcome's logic model (the area's own when it adapted one) on its page.

    Parameters
    ----------
    ctx : cjlib.report.context.AreaContext
        The area's context.
    outcome_number : int
        The national outcome (1 to 9).
    """
    outcome = ctx.framework.outcome(outcome_number)
    model, adapted = resolve_logic_model(ctx.framework, ctx.params, outcome.id)
    if model is None:
        return
    if adapted:
        source = f"{ctx.area.name} community justice partners' own logic model"
    else:
        source = model.source or f"{ctx.framework.title} ({ctx.framework.version})"
    caption = (
        f"Logic model for outcome {outcome.number}: how partner activities are supposed to "
        "work to achieve the outcome, and the indicators that test each step"
    )
    html = logic_model_html(model, ctx.framework, outcome, caption=caption, source=source)
    plain = "\n".join(
        f"{LOGIC_STAGE_TITLES[s]}: "
        + "; ".join(model.item_text(i, outcome, ctx.framework) for i in getattr(model, s))
        for s in LOGIC_STAGES
    )
    _publish_html(html, plain)
