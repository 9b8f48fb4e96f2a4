"""The two dependency lists (pyproject.toml for pip, environment.yml for conda) must agree."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement):
    """The bare distribution name of a requirement string, lower case."""
    return re.split(r"[<>=!~\[;: ]", requirement.strip(), maxsplit=1)[0].lower()


def pip_names():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_name(r) for r in reqs}


def conda_lines():
    """The top-level entries of environment.yml's dependencies, as written (comments included)."""
    lines, in_deps = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
        elif in_deps and re.match(r"^  - [A-Za-z]", line):
            lines.append(line)
    return lines


def conda_names():
    names = {_name(line.split("#", 1)[0][4:]) for line in conda_lines()}
    return names - {"python", "pip"}


def test_environment_yml_lists_the_pyproject_dependencies():
    assert conda_names() == pip_names()


def test_lists_are_not_empty():
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval"} <= pip_names()


def test_every_conda_dependency_has_a_comment():
    for line in conda_lines():
        if _name(line[4:]) not in ("python", "pip"):
            assert "#" in line, f"environment.yml line without a comment: {line!r}"


def test_pip_installs_the_package_editable_in_the_conda_env():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


@pytest.mark.parametrize("module", ["rnnlib", "rnnlib.course"])
def test_import_rnnlib_stays_headless(module):
    """The math and the course registry never pull in matplotlib or ipywidgets: `import rnnlib`
    stays fast and headless, and the registry imports a builder's module only to build it."""
    heavy = "('matplotlib', 'ipywidgets')"
    code = f"import sys, {module}; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_exported_name_exists():
    import rnnlib

    missing = [name for name in rnnlib.__all__ if not hasattr(rnnlib, name)]
    assert missing == []


def test_no_exported_name_hides_a_submodule():
    """`rnnlib.X` is either a function or a submodule, never both (rnnlib.train is the function,
    rnnlib.training the module that defines it)."""
    import pkgutil

    import rnnlib

    modules = {m.name for m in pkgutil.iter_modules(rnnlib.__path__)}
    assert "training" in modules and callable(rnnlib.train)
    assert sorted(modules & set(rnnlib.__all__)) == []
