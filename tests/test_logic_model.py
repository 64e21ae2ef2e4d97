"""Logic models as data: validated in the framework, adaptable per area, shown as nested lists."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup

from cjlib.errors import CjlibFrameworkError, CjlibParameterError
from cjlib.framework import LOGIC_STAGES, LogicModel, load_framework
from cjlib.params import AreaParameters, load_area_params
from cjlib.paths import DEFAULT_FRAMEWORK
from cjlib.report.logic_model import logic_model_html, resolve_logic_model


def test_every_national_outcome_has_a_logic_model_in_the_framework_wording():
    fw = load_framework()
    assert sorted(fw.logic_models) == sorted(o.id for o in fw.outcomes)
    titles = {i.id: i.title for i in fw.indicators}
    for outcome in fw.outcomes:
        model = fw.logic_models[outcome.id]
        words = [model.item_text(i, outcome, fw) for i in model.activities]
        assert words == [outcome.priority_action]
        assert model.item_text(model.long_term[0], outcome, fw) == outcome.title
        for stage in ("outputs", "short_term", "medium_term"):
            for item in getattr(model, stage):
                assert item.quote == "indicator"
                assert model.item_text(item, outcome, fw) == titles[item.indicators[0]]


def test_an_unknown_indicator_in_a_logic_model_is_named(tmp_path):
    data = yaml.safe_load(DEFAULT_FRAMEWORK.read_text())
    data["logic_models"]["O6"]["inputs"][0]["indicators"] = ["NI66"]
    path = tmp_path / "fw.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(
        CjlibFrameworkError, match=r"logic_models\.O6\.inputs\.0: unknown indicator 'NI66'"
    ):
        load_framework(path)


def _area(tmp_path, body):
    path = tmp_path / "S12000049.yaml"
    path.write_text("area_code: S12000049\n" + body)
    return path


def test_an_area_can_adapt_a_logic_model(tmp_path):
    path = _area(
        tmp_path,
        "logic_models:\n  O6:\n    activities:\n"
        "      - "
        "{text: 'Housing options officer in the prison', indicators: [LE06_accommodated]}\n",
    )
    params = load_area_params(path)
    model, adapted = resolve_logic_model(load_framework(), params, "O6")
    assert adapted and model.activities[0].text == "Housing options officer in the prison"
    model, adapted = resolve_logic_model(load_framework(), params, "O7")
    assert not adapted and model is load_framework().logic_models["O7"]


def test_an_area_logic_model_with_an_unknown_indicator_names_file_and_key(tmp_path):
    path = _area(
        tmp_path, "logic_models:\n  O6:\n    outputs:\n      - {text: x, indicators: [NOPE]}\n"
    )
    with pytest.raises(CjlibParameterError) as error:
        load_area_params(path)
    assert str(error.value) == f"{path}: logic_models.O6.outputs.0: unknown indicator 'NOPE'"


def test_the_diagram_is_a_nested_list_with_the_same_content_as_the_model():
    fw = load_framework()
    model = fw.logic_models["O8"]
    outcome = fw.outcome("O8")
    html = logic_model_html(model, fw, outcome, caption="Logic model for outcome 8", source="CJPF")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.figure.figcaption.get_text() == "Logic model for outcome 8"
    stages = soup.select("ol.cj-logic-stages > li")
    assert [s.select_one(".cj-logic-name").get_text() for s in stages] == [
        "Inputs",
        "Activities",
        "Outputs",
        "Short-term outcomes",
        "Medium-term outcomes",
        "Long-term outcomes",
    ]
    for stage, element in zip(LOGIC_STAGES, stages, strict=True):
        shown = [li.contents[0] for li in element.select("ul > li")]
        assert shown == [model.item_text(i, outcome, fw) for i in getattr(model, stage)]
    arrows = soup.select(".cj-logic-arrow")
    assert len(arrows) == 5 and all(a["aria-hidden"] == "true" for a in arrows)
    assert "Tested by: this indicator" in soup.get_text()
    assert "Tested by: Voluntary throughcare cases commenced" in soup.get_text()  # long term
    assert outcome.priority_action in soup.get_text()


def test_text_from_parameters_is_escaped():
    model = LogicModel(activities=[{"text": "<script>alert(1)</script>"}])
    fw = load_framework()
    html = logic_model_html(model, fw, fw.outcome("O1"), caption="c", source="s")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_area_without_adaptation_keeps_every_framework_model():
    params = AreaParameters(area_code="S12000049")
    assert params.logic_models == {}
