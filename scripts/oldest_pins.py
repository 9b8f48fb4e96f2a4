"""Print pip constraints that pin every dependency to the oldest version pyproject.toml allows.

    python scripts/oldest_pins.py > build/oldest.txt   (make test-oldest does this)

Reads [project] dependencies and the "test" extra; each "name>=X" becomes "name==X", so the
oldest allowed numpy, matplotlib, ipywidgets, anywidget, jupyterlab, pytest, nbval, ... are
what the tests then run on. A requirement without a lower bound is an error: there is nothing
to pin it to.
"""

import re
import sys
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def oldest_pins(pyproject=PYPROJECT):
    """["name==version", ...] for every dependency and test dependency, in file order."""
    project = tomllib.loads(pyproject.read_text())["project"]
    pins = []
    for req in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", req)
        if m is None:
            raise ValueError(f"{req!r} in {pyproject.name} needs the form 'name>=version'")
        pins.append(f"{m[1]}=={m[2]}")
    return pins


if __name__ == "__main__":
    sys.stdout.write("".join(f"{pin}\n" for pin in oldest_pins()))
