"""Every notebook, opened in JupyterLab in headless Chromium: Run All works and its sliders repaint.

nbval proves the kernel side; these tests prove what a student sees. Per notebook: clear the
outputs, Run > Run All Cells, then check that every code cell ran, that nothing failed (error
outputs, tracebacks, widgets that did not render, uncaught page errors), that the sliders are on
the page, that ArrowRight on each slider repaints its view, and that views switching frames in
the page show the frame of their sliders' values. A screenshot of each notebook
and a log go to artifacts/browser/. The notebooks are served from a temporary copy and never
saved, so the repo's files stay as they are.
"""

import json
import warnings

import lab
import pytest
from notebook_page import NotebookPage, output_problems, unrun_code_cells

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=lab.notebooks(), ids=lambda path: path.stem)
def notebook(request, lab_browser, artifacts):
    """A NotebookPage on which Run All has finished; its screenshot and log are saved."""
    server, page = lab_browser
    name = request.param.stem
    nb = NotebookPage(page, server, f"notebooks/{request.param.name}")
    nb.log = {"notebook": request.param.name}
    try:
        nb.open()
        try:
            nb.log["run_all_seconds"] = round(nb.run_all(), 2)
        finally:
            nb.screenshot(artifacts / f"{name}.png")
        yield nb
    finally:
        nb.log.update(console_errors=nb.console_errors, page_errors=nb.page_errors)
        (artifacts / f"{name}.json").write_text(json.dumps(nb.log, indent=1))
        nb.close()


def test_every_code_cell_ran(notebook):
    code, missing = unrun_code_cells(notebook.cells())
    assert code, "the notebook has no code cell"
    assert not missing, f"code cells {missing} (1-based, among all cells) did not run"


def test_no_error_output(notebook):
    """Errors fail: error outputs, tracebacks on stderr, widgets that failed, page exceptions.

    Other stderr text (warnings) is reported as a pytest warning, not a failure.
    """
    errors, notes = output_problems(notebook.cells())
    for note in notes:
        warnings.warn(note, stacklevel=1)
    errors += [f"widget failed to render: {t}" for t in notebook.widget_errors()]
    errors += [f"uncaught exception in the page: {e}" for e in notebook.page_errors]
    assert not errors, "\n".join(errors)


def test_shows_its_sliders(notebook):
    sliders = notebook.sliders()
    if not lab.has_views(notebook.log["notebook"]):  # the exercises: no views, no sliders
        assert not sliders and notebook.rendered_widget_views() == 0
        return
    assert sliders, "no slider on the page after Run All"
    hidden = [s for s in sliders if not s["visible"]]
    assert not hidden, f"sliders with no size on the page: {hidden}"
    views = sum(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for cell in notebook.cells()
        for out in cell["outputs"]
    )
    assert notebook.rendered_widget_views() == views, "some widget outputs were not rendered"


def test_each_slider_repaints_its_figure(notebook):
    """ArrowRight (ArrowLeft on a slider at its maximum) changes the pixels of its view.

    The view's figure area (figure and table) is screenshot before and after the press. A
    slider whose press changes only the table, not the figure, passes with a warning.
    """
    failures, timings = [], []
    for s in notebook.sliders():
        name = f"cell {s['cell']} slider {s['index']} {s['label']}".rstrip()
        at_max = s["value"] >= s["max"]
        key, back = ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft")
        area = notebook.view_of(s["index"])
        if area.count() != 1:
            failures.append(f"{name}: no figure <img> in the view this slider belongs to")
            continue
        before = area.screenshot()
        figure_ms, settled_ms = notebook.press(s["index"], key)
        value = float(notebook.handle(s["index"]).get_attribute("aria-valuenow"))
        if value == s["value"]:
            failures.append(f"{name}: {key} did not move the slider (value {value})")
        elif settled_ms is None or area.screenshot() == before:
            failures.append(f"{name}: {key} moved the slider to {value}; its view did not change")
        else:
            if figure_ms is None:
                warnings.warn(f"{name}: {key} changes the table but not the figure", stacklevel=1)
            ms = {"figure_ms": figure_ms and round(figure_ms, 1), "ms": round(settled_ms, 1)}
            timings.append({"slider": name, "key": key, **ms})
        notebook.press(s["index"], back)  # back to the default state for the next slider
    notebook.log["slider_presses"] = timings
    assert not failures, "\n".join(failures)


def test_in_page_frames_follow_their_sliders(notebook):
    """Each in-page view whose controls are all sliders shows the frame of its sliders' values:
    at first, after ArrowRight (ArrowLeft at the maximum) on each slider, and after going back."""
    sliders = notebook.sliders()
    checked = 0
    for n, switcher in enumerate(notebook.frame_switchers()):
        if len(switcher["sliders"]) != len(switcher["counts"]):
            continue  # a control that is not a slider (toggle buttons): positions unknown here
        assert switcher["frame"] == lab.frame_for(switcher), f"view {n} at first: {switcher}"
        assert switcher["label"] and len(switcher["label"]) > 30, f"view {n}: no accessible name"
        for k, index in enumerate(switcher["sliders"]):
            at_max = sliders[index]["value"] >= sliders[index]["max"]
            for key in ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft"):
                notebook.press(index, key)
                now = notebook.frame_switchers()[n]
                assert now["frame"] == lab.frame_for(now), f"view {n}, slider {k}, {key}: {now}"
                if now["values"] != switcher["values"]:  # the name says the new state
                    assert now["label"] != switcher["label"], f"view {n}: name unchanged"
            assert now["values"] == switcher["values"]  # back where it started
        checked += 1
    assert checked or not lab.has_views(notebook.log["notebook"]), "no in-page view with sliders"


def test_views_fit_a_laptop_column(notebook):
    """At 1366 x 768 with the file browser open, no figure, canvas or table sticks out of its
    output area, and no table is cut off (it goes below the figure when there is no room)."""
    assert notebook.page.viewport_size["width"] == 1366
    assert notebook.left_panel_width() > 150, "the file browser is open"
    out = []
    for box in notebook.fit():
        if box["right"] > box["area_right"] + 1 or box["left"] < box["area_left"] - 1:
            out.append(
                f"{box['what']} spans {box['left']:.0f}-{box['right']:.0f} px, "
                f"its output {box['area_left']:.0f}-{box['area_right']:.0f}"
            )
        elif box["scroll"] > box["client"] + 1 and box["what"] == "rnnlib-frames-table":
            out.append(f"table cut: {box['scroll']} px of content in {box['client']}")
    notebook.log["output_width"] = max(
        (b["area_right"] - b["area_left"] for b in notebook.fit()), default=None
    )
    assert not out, "\n".join(out)
