"""The stored notebooks: in the lecture's order, readable without a kernel, lean, and set up for
strict nbval (the notebooks themselves are run by `pytest --nbval`)."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def test_the_four_notebooks_in_the_lecture_order_then_the_exercises():
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["01_overview", "02_unrolling", "03_hello", "04_sampling", "05_exercises"]


def test_each_notebook_opens_with_its_number_as_a_title():
    """One heading style across the course (the site's index lists these titles): "# N. ..."."""
    for n, path in enumerate(NOTEBOOKS, start=1):
        first = json.loads(path.read_text())["cells"][0]
        assert first["cell_type"] == "markdown", path.name
        title = "".join(first["source"]).splitlines()[0]
        assert title.startswith(f"# {n}. ") and len(title) > 8, f"{path.name}: {title!r}"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return json.loads(request.param.read_text())


def widget_outputs(cell):
    """The outputs of a cell that display a widget (a view, a progress bar)."""
    return [o for o in cell.get("outputs", []) if WIDGET in o.get("data", {})]


def test_every_interactive_view_leaves_a_static_figure(notebook, request):
    cells = [c for c in notebook["cells"] if widget_outputs(c)]
    lecture = not request.node.callspec.id.startswith("05_")  # the exercises have no views
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
