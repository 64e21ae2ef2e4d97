"""Tests of cjlib.yamltext: safe, fast YAML parsing."""

from __future__ import annotations

import pytest
import yaml

from cjlib.yamltext import SAFE_LOADER, safe_load


def test_parses_like_the_pure_python_safe_loader():
    text = "period: 2023-24\nthreshold: 5\nitems: [a, b]\nnested: {x: 1.5, y: null}\n"
    assert safe_load(text) == yaml.safe_load(text)
    assert safe_load("") is None


def test_uses_libyaml_when_pyyaml_has_it():
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert SAFE_LOADER is expected


def test_refuses_python_objects():
    with pytest.raises(yaml.YAMLError):
        safe_load("!!python/object/apply:os.system ['echo unsafe']")


def test_error_says_where():
    with pytest.raises(yaml.YAMLError) as info:
        safe_load("a: 1\nb: [unclosed\n")
    assert info.value.problem_mark is not None
    assert info.value.problem_mark.line >= 1
