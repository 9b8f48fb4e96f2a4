"""The stored notebooks: in the lecture's order, readable without a kernel, lean, and set up for
strict nbval (the notebooks themselves are run by `pytest --nbval`)."""

import json
from pathlib import Path

import pytest

from rnnlib import course

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
WIDGET = "application/vnd.jupyter.widget-view+json"
# the registry's notebooks in order (tests/test_course.py: exactly the files in notebooks/, each
# opening with "# N. title"; a notebook added after the exercises is fine)
NOTEBOOKS = course.NOTEBOOKS


@pytest.fixture(params=NOTEBOOKS, ids=lambda nb: nb.stem)
def notebook(request):
    return json.loads((FOLDER / f"{request.param.stem}.ipynb").read_text())


def widget_outputs(cell):
    """The outputs of a cell that display a widget (a view, a progress bar)."""
    return [o for o in cell.get("outputs", []) if WIDGET in o.get("data", {})]


def test_every_interactive_view_leaves_a_static_figure(notebook, request):
    cells = [c for c in notebook["cells"] if widget_outputs(c)]
    lecture = not course.notebook(request.node.callspec.id).exercises  # exercises: no views
    views = [
        o
        for c in cells
        for o in widget_outputs(c)
        if "".join(o["data"]["text/plain"]).startswith("<interactive figure")
    ]
    assert views or not lecture, "each lecture notebook has interactive figures"
    assert all("image/png" in o["data"] for o in views)  # the default frame, for readers
    for cell in cells:  # widget state is not compared by nbval
        assert "nbval-ignore-output" in cell["metadata"].get("tags", [])


def test_every_code_cell_was_run_in_order_without_errors(notebook):
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"]


def test_no_widget_state_is_stored(notebook):
    """Frames live in widget state; storing it would put megabytes of PNGs into git."""
    assert "widgets" not in notebook["metadata"]


def test_check_yourself_questions_are_folded(notebook):
    text = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert text.count("<details>") >= 2


def test_outputs_are_compared_except_widgets_and_the_own_text_cell(notebook):
    """nbval compares every stored output but those of views (their frames live in widget
    state) and of the "own text" cell, which is chaotic by nature and the student's to edit
    (its claim is tested in tests/test_notebook_04_claims.py on every simulated machine)."""
    for cell in notebook["cells"]:
        if "nbval-ignore-output" in cell["metadata"].get("tags", []):
            assert widget_outputs(cell) or "".join(cell["source"]).startswith("my_text = (")
