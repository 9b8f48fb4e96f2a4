"""The site's lite app (site/lite/: JupyterLite with the Pyodide kernel) as a student uses it.

Each notebook is opened from the site's index by its "Run this notebook in your browser" link, in
a browser context of its own (fresh storage, empty cache) that reaches only a local static server
of site/ (tests/browser/lite_page.py; every other request is aborted and counted, those of the
app's service worker and of the kernel's worker too). 05_exercises is served from a sub-path
(http://127.0.0.1:PORT/course/, as a project's GitHub Pages are), the others from the root.

Per notebook: Run All, every code cell ran, no error output (errors and tracebacks fail, other
stderr warns), and ArrowRight on each focused slider repaints its view with the frame of its new
value while JupyterLab leaves the key alone (no heading collapsed, the active cell stays). In
05: exercise 1's reference solution passes its check and a catalogued mistake gets its hint;
then what the index page tells students about their work (scripts/build_site.py IN_THE_BROWSER)
is done in the app. A screenshot and a log per notebook go to artifacts/browser/lite-NAME.*.
"""

import contextlib
import functools
import importlib.util
import inspect
import json
import re
import tempfile
import warnings
from pathlib import Path

import lab
import lite_page
import nbformat
import pytest
import site_page
from notebook_page import output_problems, unrun_code_cells

pytestmark = pytest.mark.browser
SCRIPTS = lab.REPO / "scripts"

SUB_PATH = "05_exercises"  # served under /course/
HARMLESS = ("Matplotlib is building the font cache",)  # once, on the first import of pyplot
EXERCISES = "05_exercises"
ORIGINAL = nbformat.read(lab.NOTEBOOK_DIR / f"{EXERCISES}.ipynb", as_version=4).cells
SKELETON = next(i for i, c in enumerate(ORIGINAL) if "exercise" in c.metadata.get("tags", []))
CHECK = SKELETON + 1  # exercise 1's skeleton and its check cell (0-based)
# The menu paths the index page names ("Help > Clear Browser Data")
MENU_PATHS = [
    tuple(" ".join(part.split()) for part in path)
    for path in re.findall(r"<em>([^<]+?) &gt;([^<]+?)</em>", site_page.builder().IN_THE_BROWSER)
]


@pytest.fixture(scope="module")
def servers():
    """{False: (server, site URL) of site/ at the root, True: the same under /course/}."""
    site_page.builder().ensure_built(site_page.SITE)
    with contextlib.ExitStack() as stack:
        parent = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rnnlib-lite-")))
        (parent / "course").symlink_to(site_page.SITE)
        root = stack.enter_context(site_page.static_server(site_page.SITE))
        sub = stack.enter_context(site_page.static_server(parent))
        yield {False: (root, root.base), True: (sub, f"{sub.base}course/")}


def _id(name):
    return f"{name}-under-course" if name == SUB_PATH else name


@pytest.fixture(scope="module", params=lite_page.NAMES, ids=_id)
def notebook(request, chromium_browser, servers, artifacts):
    """A LitePage on which Run All has finished, opened from the index's link; attributes site
    (its base URL), aborted (requests outside the server) and sw (whether the service worker
    fetched the canary)."""
    name = request.param
    server, site = servers[name == SUB_PATH]
    aborted = []
    context = lite_page.context(chromium_browser, server.base, site, aborted)
    nb = lite_page.LitePage(context.new_page(), name)
    nb.site, nb.aborted, nb.log = site, aborted, {"notebook": name, "site": site}
    try:
        nb.page.goto(site + "index.html")
        link = nb.page.locator(f'a[href$="?path={name}.ipynb"]', has_text=lite_page.RUN_HERE)
        link.click()
        nb.open()
        nb.sw = nb.canary()
        try:
            nb.log["run_all_seconds"] = round(nb.run_all(timeout=180), 1)
        finally:
            nb.screenshot(artifacts / f"lite-{name}.png")
        yield nb
    finally:
        nb.log.update(aborted=aborted, failed=nb.failed, console_errors=nb.console_errors)
        nb.log["page_errors"] = nb.page_errors
        (artifacts / f"lite-{name}.json").write_text(json.dumps(nb.log, indent=1))
        context.close()


def test_every_code_cell_ran(notebook):
    code, missing = unrun_code_cells(notebook.cells())
    assert code, "the notebook has no code cell"
    assert not missing, f"code cells {missing} (1-based, among all cells) did not run"


def test_no_error_output(notebook):
    """Errors fail: error outputs, tracebacks on stderr, widgets that failed, page exceptions,
    console errors (but the browser's notes on failed loads, checked above). Other stderr text
    warns, but Matplotlib's one-off note on its font cache."""
    errors, notes = output_problems(notebook.cells(), HARMLESS)
    for note in notes:
        warnings.warn(note, stacklevel=1)
    errors += [f"widget failed to render: {t}" for t in notebook.widget_errors()]
    errors += [f"uncaught exception in the page: {e}" for e in notebook.page_errors]
    errors += [
        f"console error: {e}"
        for e in notebook.console_errors
        if not e.startswith("Failed to load resource")
    ]
    assert not errors, "\n".join(errors)


def test_each_slider_repaints_its_view(notebook):
    """ArrowRight (ArrowLeft at the maximum) on each focused slider moves it, repaints its view's
    canvas (with the frame of the new values, lab.frame_for, where all its controls are
    sliders), and leaves the notebook alone: no heading collapsed or expanded, no cell hidden,
    the active cell where the focus put it."""
    sliders = notebook.sliders()
    if not lab.has_views(f"{notebook.log['notebook']}.ipynb"):
        assert not sliders and notebook.rendered_widget_views() == 0
        return
    assert sliders, "no slider on the page after Run All"
    # the in-page views whose controls are all sliders (their frame follows from the values
    # read here; a view with toggle buttons is checked for its repaint only)
    owner = {
        i: n
        for n, view in enumerate(notebook.frame_switchers())
        if len(view["sliders"]) == len(view["counts"])
        for i in view["sliders"]
    }
    failures = []
    for s in sliders:
        name = f"cell {s['cell']} slider {s['index']} {s['label']}".rstrip()
        value = float(notebook.handle(s["index"]).get_attribute("aria-valuenow"))
        key = "ArrowLeft" if value >= s["max"] else "ArrowRight"
        notebook.handle(s["index"]).scroll_into_view_if_needed()
        notebook.handle(s["index"]).focus()
        layout = notebook.layout()
        figure_ms, _ = notebook.press(s["index"], key)
        now = float(notebook.handle(s["index"]).get_attribute("aria-valuenow"))
        view = notebook.frame_switchers()[owner[s["index"]]] if s["index"] in owner else None
        if now == value:
            failures.append(f"{name}: {key} did not move the slider")
        elif figure_ms is None:
            failures.append(f"{name}: {key} moved the slider to {now}; its figure did not repaint")
        elif view is not None and view["frame"] != lab.frame_for(view):
            failures.append(f"{name}: the canvas shows frame {view['frame']}: {view}")
        if notebook.layout() != layout:
            failures.append(f"{name}: {key} changed the notebook: {layout} -> {notebook.layout()}")
    assert not failures, "\n".join(failures)


def _named(source, name):
    """source (a function of tests/solutions) renamed to `name`, the skeleton's function."""
    return re.sub(r"^def \w+\(", f"def {name}(", source, count=1)


@functools.cache
def _teacher_copy():
    """scripts/teacher_copy.py as a module (how the teacher's copy fills the skeletons)."""
    spec = importlib.util.spec_from_file_location("teacher_copy", SCRIPTS / "teacher_copy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("notebook", [EXERCISES], indirect=True, ids=_id)
def test_exercise_1_gives_feedback(notebook):
    """The reference solution of exercise 1, put into its skeleton cell as `make teacher` does,
    passes its check; a catalogued mistake (tests/solutions/step.py) is named by its cause."""
    from solutions import step

    from rnnlib.exercises.catalogue import CATALOGUE

    teacher = _teacher_copy()
    name = teacher.skeleton_name(ORIGINAL[SKELETON])
    bug = next(fn for fn, key in step.FORWARD_BUGS if key == "fw_no_tanh")
    cases = [
        (teacher.solution_source(name), f"{name}: passed"),
        (_named(inspect.getsource(bug), name), CATALOGUE["fw_no_tanh"].cause),
    ]
    for source, expected in cases:
        notebook.set_source(SKELETON, source)
        errors, _ = output_problems([{"outputs": notebook.run_cell(SKELETON)}])
        assert not errors, errors
        shown = "".join(o.get("data", {}).get("text/plain", "") for o in notebook.run_cell(CHECK))
        assert expected in shown, shown


@pytest.mark.parametrize("notebook", [EXERCISES], indirect=True, ids=_id)
@pytest.mark.parametrize("path", MENU_PATHS, ids=" > ".join)
def test_the_menu_entries_the_index_names_exist(notebook, path):
    """Each menu path the index page tells students to use ("Help > Clear Browser Data") is
    there."""
    assert MENU_PATHS, "the index names no menu path"
    top, item = path
    assert item in notebook.menu_items(top), f"{top} menu: {notebook.menu_items(top)}"


@pytest.mark.parametrize("notebook", [EXERCISES], indirect=True, ids=_id)
def test_work_is_kept_as_the_index_says(notebook):
    """What the index page tells students: a saved notebook survives a reload (coming back by
    the course's link), a copy can be downloaded as .ipynb (the file browser's Download),
    deleting the edited copy in the file browser brings the course's original back, and so does
    Help > Clear Browser Data."""
    nb = notebook
    original = ORIGINAL[SKELETON].source
    edited = "# my work, kept in this browser\n" + original
    nb.set_source(SKELETON, edited)
    nb.save()
    nb.page.goto(lite_page.url(nb.site, EXERCISES))
    nb.open(kernel=False)
    assert nb.source(SKELETON) == edited, "the saved edit is gone after a reload"

    with nb.page.expect_download() as download:
        nb.file_menu("Download")
    assert download.value.suggested_filename == f"{EXERCISES}.ipynb"
    kept = json.loads(Path(download.value.path()).read_text())
    assert "".join(kept["cells"][SKELETON]["source"]) == edited, "the download lacks the edit"

    nb.file_menu("Delete")
    nb.page.locator(".jp-Dialog .jp-mod-accept").click()
    _reopen(nb)
    assert nb.source(SKELETON) == original, "deleting the copy did not bring the original back"

    nb.set_source(SKELETON, edited)
    nb.save()
    nb.menu("Help", "Clear Browser Data")
    with nb.page.expect_navigation():  # the app reloads itself once the data is cleared
        nb.page.locator(".jp-Dialog .jp-mod-accept").click()
    _reopen(nb)
    assert nb.source(SKELETON) == original, "Clear Browser Data did not bring the original back"
    # deleting a notebook whose kernel runs leaves JupyterLite's promise for the session
    # unhandled (the page shows nothing); nothing else may fail
    unexpected = [e for e in nb.page_errors if not re.fullmatch(r"Session [-0-9a-f]+ not found", e)]
    assert not unexpected, unexpected


def _reopen(nb):
    """Open the notebook again from the file browser (a double-click), as a student would."""
    nb.page.wait_for_function(
        "() => window.jupyterapp?.commands.hasCommand('filebrowser:activate')"
        " && !document.querySelector('.jp-Dialog')"
    )
    nb.page.evaluate("async () => { await jupyterapp.commands.execute('filebrowser:activate'); }")
    nb.page.locator(".jp-DirListing-item", has_text=nb.path).dblclick()
    nb.open(kernel=False)


def test_nothing_comes_from_outside(notebook):
    """Last of each notebook's tests, so it covers all they did: the canary fetched through the
    app's service worker was aborted and counted (so requests the service worker forwards are
    seen), no other request left the server, and none was answered with an error status."""
    assert notebook.sw, "the service worker did not control the page"
    assert lite_page.CANARY in notebook.aborted, "the canary went unseen"
    others = [url for url in notebook.aborted if url != lite_page.CANARY]
    assert not others, f"requests outside the site: {others}"
    assert not notebook.failed, f"responses with an error status: {notebook.failed}"
