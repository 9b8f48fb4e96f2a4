"""Write the teacher's copy of the exercises: build/teacher/05_exercises.ipynb.

It is notebooks/05_exercises.ipynb with every skeleton cell (tag "exercise") replaced by the
reference solution of the same name from tests/solutions/, executed from top to bottom. The
script fails (exit status 1) unless every check in it passes. Run it with `make teacher`.
"""

import argparse
import importlib
import inspect
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "05_exercises.ipynb"
OUT = REPO / "build" / "teacher" / "05_exercises.ipynb"
MODULES = {  # the function each skeleton defines -> the module in tests/solutions holding it
    "rnn_step_forward": "step",
    "rnn_step_backward": "step",
    "loss_and_grads": "sequence",
    "sample": "sampler",
    "train_chunked": "training",
}
BANNER = (
    "**Teacher's copy**: the reference solutions from `tests/solutions/` are filled in and every "
    "check below passes. Written by `make teacher`; not for students."
)


def solution_source(name):
    """The source code of the reference solution `name` (a function in tests/solutions)."""
    if str(REPO / "tests") not in sys.path:
        sys.path.insert(0, str(REPO / "tests"))
    module = importlib.import_module(f"solutions.{MODULES[name]}")
    return inspect.getsource(getattr(module, name)).rstrip()


def skeleton_name(cell):
    """The name of the function a skeleton cell defines."""
    return cell.source.split("def ", 1)[1].split("(", 1)[0]


def with_solutions(nb):
    """A copy of notebook `nb` whose skeleton cells hold the reference solutions."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if "exercise" in cell.metadata.get("tags", []):
            cell.source = solution_source(skeleton_name(cell))
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(BANNER))
    return nb


def check_results(nb):
    """(name, first line of its output) of every check cell that did not pass."""
    failures = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("exercises.check_"):
            text = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
            if not text.split("\n", 1)[0].endswith(": passed"):
                failures.append((cell.source, text or "no output"))
    return failures


def build(out=OUT, timeout=120):
    """Write the executed teacher's copy to `out`; return the checks that did not pass."""
    nb = with_solutions(nbformat.read(NOTEBOOK, as_version=4))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    return check_results(nb)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the notebook")
    args = parser.parse_args()
    failures = build(args.out)
    for source, text in failures:
        print(f"FAILED {source}\n{text}\n", file=sys.stderr)
    n = len(MODULES)
    print(f"wrote {args.out}: {n - len(failures)} of {n} checks pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
