"""Read and validate the parameter files: each problem named by its file and key."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from cjlib.errors import CjlibParameterError
from cjlib.framework import Framework, load_framework
from cjlib.params.area import AreaParameters, Defaults
from cjlib.params.check import check_against_framework
from cjlib.paths import PARAMETERS_DIR
from cjlib.yamltext import safe_load


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CjlibParameterError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise CjlibParameterError(f"{path}: not UTF-8 text") from exc
    try:
        data = safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where else ""
        raise CjlibParameterError(f"{path}:{line} not valid YAML") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CjlibParameterError(f"{path}: expected a mapping of keys to values")
    return data


def _explain(path: Path, error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        parts.append(f"{path}: {key}: {message}")
    return "; ".join(parts)


def load_defaults(params_dir: str | Path | None = None) -> Defaults:
    """Load ``defaults.yaml`` from ``params_dir`` (the project's parameters/ by default).

    Raises
    ------
    CjlibParameterError
        Naming the file, the key and what was expected.
    """
    path = Path(params_dir or PARAMETERS_DIR) / "defaults.yaml"
    if not path.exists():
        return Defaults()
    try:
        return Defaults.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise CjlibParameterError(_explain(path, exc)) from exc


def area_params_path(code: str, params_dir: str | Path | None = None) -> Path:
    """Return the path of an area's parameter file."""
    return Path(params_dir or PARAMETERS_DIR) / "areas" / f"{code}.yaml"


def load_area_params(path: str | Path, framework: Framework | None = None) -> AreaParameters:
    """Load and validate one area's parameter file.

    Indicator and outcome ids are checked against ``framework`` (the bundled
    CJPF 2023 when None).

    Raises
    ------
    CjlibParameterError
        Naming the file, the key and what was expected.
    """
    path = Path(path)
    data = _read_yaml(path)
    try:
        params = AreaParameters.model_validate(data)
    except ValidationError as exc:
        raise CjlibParameterError(_explain(path, exc)) from exc
    if path.stem.startswith("S12") and params.area_code != path.stem:
        raise CjlibParameterError(
            f"{path}: area_code: {params.area_code} does not match the file name {path.stem}"
        )
    check_against_framework(path, params, framework or load_framework())
    return params


def area_params_or_default(code: str, params_dir: str | Path | None = None) -> AreaParameters:
    """Return an area's parameters, or empty ones when it has no file."""
    path = area_params_path(code, params_dir)
    if not path.exists():
        return AreaParameters(area_code=code)
    return load_area_params(path)
