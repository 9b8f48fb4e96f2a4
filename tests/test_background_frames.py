"""Frames drawn in the background are the frames drawn before the cell returns.

In a notebook kernel a view draws its default frame before its cell returns and the rest later,
between and after the following cells (rnnlib.widgets.view._Filler). A later cell that changed
what a view draws from (arrays updated in place, a figure redrawn) would make those frames differ
from the ones the view stood for when its cell ran. So each lecture notebook is run twice in a
real kernel, in the background (the default) and with RNNLIB_RENDER=eager, and every view's
frames, tables and labels must be byte-identical; the background run also has to end with every
frame in the page.
"""

import base64
import io
import json
import os

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

from rnnlib import course
from rnnlib.draw.style import SCALE

FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notebooks")
LECTURES = [nb for nb in course.NOTEBOOKS if nb.builders]

DIGESTS = """
import gc, hashlib, json
from rnnlib.widgets.view import FigureView, filled
await filled()

def _digest(v):
    h = hashlib.sha256()
    for part in v.switcher.frames:
        h.update(hashlib.sha256(part).digest())
    h.update(json.dumps([v.switcher.tables, v.switcher.labels]).encode())
    return h.hexdigest()

_views = [v for v in gc.get_objects() if isinstance(v, FigureView) and v.switcher is not None]
print(json.dumps(sorted(
    [v.name, _digest(v), v.complete, sum(1 for f in v.switcher.frames if not f)] for v in _views
)))
"""


def run(stem, mode, monkeypatch):
    """Run notebook `stem` in a kernel: ([name, digest, complete, frames missing] per view,
    the executed notebook)."""
    monkeypatch.setenv("RNNLIB_RENDER", mode)
    nb = nbformat.read(os.path.join(FOLDER, f"{stem}.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(DIGESTS))
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": FOLDER}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1]), nb


def static_figures(nb):
    """(image width in pixels, CSS width) of every figure output that is not a view."""
    return [
        (
            Image.open(io.BytesIO(base64.b64decode(o.data["image/png"]))).width,
            o.metadata["image/png"]["width"],
        )
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if "image/png" in o.get("data", {})
        and "application/vnd.jupyter.widget-view+json" not in o.data
    ]


@pytest.mark.parametrize("notebook", LECTURES, ids=lambda nb: nb.stem)
def test_background_frames_match_eager_ones(notebook, monkeypatch):
    background, nb = run(notebook.stem, "background", monkeypatch)
    eager, _ = run(notebook.stem, "eager", monkeypatch)
    assert len(background) >= 2, background  # every lecture notebook has views
    assert all(complete and missing == 0 for _, _, complete, missing in background)
    assert [row[:2] for row in background] == [row[:2] for row in eager]
    # a static figure's PNG is its own 2x one, not the inline backend's 1x drawing of it
    figures = static_figures(nb)
    assert all(png == SCALE * css for png, css in figures), figures  # 04 has views only


PROBE = [
    "from rnnlib.widgets.overview import capacity_explorer\n"
    "v = capacity_explorer(H=10)\n"
    "print(sum(1 for f in v.switcher.frames if not f), len(v.switcher.frames), v.complete)",
    "from rnnlib.widgets.view import filled\nawait filled()\nprint(v.complete)",
]


@pytest.mark.parametrize("mode, missing", [("background", 17), ("eager", 0)])
def test_a_kernel_cell_returns_before_its_frames_are_drawn(mode, missing, monkeypatch):
    """In a kernel a view's cell returns with its default frame and the two one step away drawn
    (17 of capacity's 20 to come), and `await filled()` completes it; RNNLIB_RENDER=eager draws
    them all first."""
    monkeypatch.setenv("RNNLIB_RENDER", mode)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in PROBE])
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": FOLDER}}).execute()
    out = ["".join(o.get("text", "") for o in c.outputs).strip() for c in nb.cells]
    assert out == [f"{missing} 20 {missing == 0}", "True"]
