"""The conda environment agrees with pyproject.toml, and importing cjlib is cheap and inert.

environment.yml must exist (no skip): pyproject.toml is the one source of dependencies
and environment.yml must follow it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from cjlib.paths import PROJECT_DIR

PYPROJECT = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
ENVIRONMENT_YML = PROJECT_DIR / "environment.yml"
#: conda-forge names that differ from the PyPI names used in pyproject.toml.
CONDA_TO_PYPI = {"pytables": "tables", "matplotlib-base": "matplotlib"}


def normalise(name: str) -> str:
    """PEP 503 normalisation: lower case, runs of -, _ and . become one -."""
    name = CONDA_TO_PYPI.get(name.lower(), name)
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bound(specifier: SpecifierSet) -> Version | None:
    bounds = [Version(s.version) for s in specifier if s.operator in (">=", "==", "~=", ">")]
    return max(bounds) if bounds else None


def parse_conda(spec: str) -> tuple[str, SpecifierSet]:
    """Read a conda match spec such as ``pandas>=2.1`` or ``pandas >=2.1,<3``."""
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert match, f"cannot read conda dependency {spec!r}"
    name, rest = match.groups()
    rest = rest.replace(" ", "")
    if rest and rest[0].isdigit():  # "pandas 2.1.*" style: exact version
        rest = f"=={rest}"
    rest = rest.replace(".*", "")
    return normalise(name), SpecifierSet(rest)


def load_environment() -> dict:
    assert ENVIRONMENT_YML.exists(), "environment.yml is missing at the project root"
    return yaml.safe_load(ENVIRONMENT_YML.read_text(encoding="utf-8"))


def conda_dependencies(env: dict) -> tuple[dict[str, SpecifierSet], list]:
    conda, pip = {}, []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            assert set(item) == {"pip"}, f"unexpected entry {item!r}"
            pip = item["pip"]
            continue
        name, spec = parse_conda(str(item))
        conda[name] = spec
    return conda, pip


def pyproject_requirements(group: str | None = None) -> dict[str, Requirement]:
    if group is None:
        items = PYPROJECT["project"]["dependencies"]
    else:
        items = PYPROJECT["project"].get("optional-dependencies", {}).get(group, [])
    return {normalise(Requirement(r).name): Requirement(r) for r in items}


# --- environment.yml ----------------------------------------------------------------


def test_environment_uses_conda_forge_only():
    env = load_environment()
    assert env.get("channels") == ["conda-forge"]


def test_environment_ends_with_pip_editable_install():
    env = load_environment()
    last = env["dependencies"][-1]
    assert isinstance(last, dict) and "pip" in last
    assert [str(x).strip() for x in last["pip"]] == ["-e ."]
    conda, pip = conda_dependencies(env)
    assert pip == ["-e ."]
    assert "pip" in conda  # the pip section needs pip itself from conda-forge


def test_python_version_agrees():
    conda, _ = conda_dependencies(load_environment())
    assert "python" in conda
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert lower_bound(conda["python"]) == lower_bound(requires)


def test_every_runtime_dependency_is_in_the_environment():
    conda, _ = conda_dependencies(load_environment())
    missing = sorted(set(pyproject_requirements()) - set(conda))
    assert missing == []


@pytest.mark.parametrize("group", sorted(PYPROJECT["project"].get("optional-dependencies", {})))
def test_extras_are_all_in_or_all_out(group):
    conda, _ = conda_dependencies(load_environment())
    extra = set(pyproject_requirements(group))
    present = extra & set(conda)
    assert present in (set(), extra), f"{group} extra only partly in environment.yml: {present}"


def test_environment_lists_nothing_pyproject_does_not():
    conda, _ = conda_dependencies(load_environment())
    known = set(pyproject_requirements())
    for group in PYPROJECT["project"].get("optional-dependencies", {}):
        known |= set(pyproject_requirements(group))
    extra = sorted(set(conda) - known - {"python", "pip"})
    assert extra == []


def test_lower_bounds_agree():
    conda, _ = conda_dependencies(load_environment())
    wanted = dict(pyproject_requirements())
    for group in PYPROJECT["project"].get("optional-dependencies", {}):
        wanted.update(pyproject_requirements(group))
    problems = []
    for name, spec in conda.items():
        if name in ("python", "pip"):
            continue
        ours, theirs = lower_bound(spec), lower_bound(wanted[name].specifier)
        if ours != theirs:
            problems.append(f"{name}: environment.yml {ours}, pyproject.toml {theirs}")
        for version in ("0.0.1", str(theirs) if theirs else "0.0.1"):
            # a version pyproject forbids must not be allowed by the environment
            if not wanted[name].specifier.contains(version, prereleases=True) and spec.contains(
                version, prereleases=True
            ):
                problems.append(f"{name}: environment.yml allows {version}")
    assert problems == []


def test_test_tools_are_not_runtime_dependencies():
    runtime = set(pyproject_requirements())
    assert not runtime & {"pytest", "ruff", "hypothesis", "nbval", "playwright", "statsmodels"}


# --- importing cjlib ----------------------------------------------------------------

STATE_SCRIPT = r"""
import contextlib, io, json, logging, sys, warnings

import matplotlib
import pandas as pd

# Third-party libraries cjlib uses are imported first: some (scipy.special, for one) add
# warnings filters or log handlers of their own. What changes after this is cjlib's doing.
for name in ("numpy", "scipy.stats", "yaml", "pydantic", "pyarrow.parquet", "IPython.display"):
    __import__(name)


def pandas_options():
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        pd.describe_option()
    return buffer.getvalue()


def state():
    root = logging.getLogger()
    return {
        "rc": {k: repr(v) for k, v in matplotlib.rcParams.items()},
        "backend": matplotlib.get_backend(),
        "warnings": [repr(f) for f in warnings.filters],
        "handlers": [repr(h) for h in root.handlers],
        "level": root.level,
        "loggers": sorted(
            n for n, lg in logging.Logger.manager.loggerDict.items()
            if isinstance(lg, logging.Logger) and lg.handlers
        ),
        "pandas": pandas_options(),
    }


before = state()
for name in sys.argv[1:]:
    __import__(name)
after = state()
print(json.dumps({k: before[k] == after[k] for k in before}))
"""

#: Modules whose import must leave global state alone (the package and its main parts).
MODULES = [
    "cjlib",
    "cjlib.areas",
    "cjlib.periods",
    "cjlib.markers",
    "cjlib.framework",
    "cjlib.params",
    "cjlib.demo",
    "cjlib.indicators",
    "cjlib.assess",
    "cjlib.pipeline",
    "cjlib.report.display",
]


def run_python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=PROJECT_DIR, timeout=120
    )


@pytest.mark.parametrize("modules", [["cjlib"], MODULES], ids=["cjlib", "submodules"])
def test_import_changes_no_global_state(modules):
    done = run_python("-c", STATE_SCRIPT, *modules)
    assert done.returncode == 0, done.stderr
    unchanged = json.loads(done.stdout.strip().splitlines()[-1])
    assert unchanged == {k: True for k in unchanged}


def test_import_cjlib_does_not_import_pandas_or_matplotlib():
    done = run_python(
        "-c",
        "import sys, cjlib, json; "
        "print(json.dumps([m for m in ('pandas', 'matplotlib', 'seaborn', 'scipy') "
        "if m in sys.modules]))",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip()) == []


def test_import_cjlib_is_fast():
    done = run_python("-X", "importtime", "-c", "import cjlib")
    assert done.returncode == 0, done.stderr
    cumulative = None
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == "cjlib":
            cumulative = int(parts[1])  # microseconds
    assert cumulative is not None, done.stderr[-2000:]
    assert cumulative < 200_000, f"import cjlib took {cumulative / 1e6:.3f} s"


def test_a_missing_system_tool_skips_outside_ci_and_fails_in_ci(monkeypatch):
    """One policy for Chromium, LibreOffice and poppler alike (tests/conftest.py)."""
    import pytest
    from conftest import require_tool

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make system-deps installs it"):
        require_tool("no-such-tool-cjlib")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-tool-cjlib is not installed"):
        require_tool("no-such-tool-cjlib")
