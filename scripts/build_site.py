"""Build the course site: site/ holds every notebook as a static HTML page whose views work with
no kernel, no install and no network (`make site`; issue 12).

Each notebook is executed once with its widget state stored (the views' frames, tables and
the controls they read), then written twice: NAME.html with the code shown and NAME-present.html
with the code hidden, for projecting. The JavaScript the pages need (the widget manager,
anywidget's frontend, require.js, MathJax) is copied into site/vendor/ from pinned npm
tarballs, fetched once at build time with `npm pack NAME@VERSION` into build/site-cache/ and
checked against their pinned sha512 integrity; the pages load nothing from outside site/. An
index page lists the notebooks; a licences page lists what ships.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/build_site.py [--out site] [--only 03_hello]
"""

import argparse
import base64
import contextlib
import hashlib
import html
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# its sibling scripts (build_lite, pyodide_dist) import from here, also when a test loads this file
sys.path.insert(0, str(Path(__file__).resolve().parent))
if str(REPO) not in sys.path:  # the registry of this checkout's notebooks, whichever is installed
    sys.path.insert(0, str(REPO))
from rnnlib import course  # noqa: E402  (imports neither matplotlib nor ipywidgets)

NOTEBOOKS = REPO / "notebooks"
CACHE = REPO / "build" / "site-cache"

# What the pages load, pinned: npm package, version, the sha512 integrity of its tarball,
# its licence, and the files of the package the site needs (globs inside the tarball's package/).
# html-manager 1.0.x is the manager of ipywidgets 8 (widget protocol 2, controls 2.0.0); anywidget
# 0.11.0 is the frontend of the Python anywidget installed (the state's _model_module_version);
# MathJax 2.7 is the version nbconvert's lab template configures (TeX-AMS_CHTML-full).
VENDOR = [
    {
        "name": "@jupyter-widgets/html-manager",
        "version": "1.0.15",
        "integrity": "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//"
        "SABeNz1yp47bCrJ3CQA==",
        "license": "BSD-3-Clause",
        "what": "renders the stored widget state in the page (sliders, buttons, layout, jslinks)",
        "files": ["dist/embed-amd.js", "dist/*.woff*", "dist/*.ttf", "dist/*.eot", "dist/*.svg"],
        "license_files": ["LICENSE*", "dist/embed.js.LICENSE.txt"],
        # its tarball has no LICENSE: the project's own, from the installed Python package of
        # the same repository and licence
        "license_from_python": "ipywidgets",
    },
    {
        "name": "anywidget",
        "version": "0.11.0",
        "integrity": "sha512-LHZgW2j5UjyerZSZcO+BtZPXGMSORQV2bUT480hOR5x/BXS8sOradi/71amJfMueSEnK"
        "X0dqPwTfsOGHTsyZpQ==",
        "license": "MIT",
        "what": "runs the views' own JavaScript (rnnlib's frames.js) inside the widget manager",
        "files": ["dist/index.js"],
        "license_files": ["LICENSE*"],
    },
    {
        "name": "requirejs",
        "version": "2.3.7",
        "integrity": "sha512-DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0J"
        "PVHJ0pyBkM1z+pDsw==",
        "license": "MIT",
        "what": "the module loader the widget manager loads anywidget with",
        "files": ["require.js"],
        "license_files": ["LICENSE*", "require.js"],  # its licence is in the file's header
    },
    {
        "name": "mathjax",
        "version": "2.7.9",
        "integrity": "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p"
        "9G2IHcAl/wJa+5+BQ==",
        "license": "Apache-2.0",
        "what": "typesets the formulas",
        "files": [
            "MathJax.js",
            "config/TeX-AMS_CHTML-full.js",
            "config/Safe.js",
            "extensions/*",
            "jax/input/TeX/*",
            "jax/output/CommonHTML/*",
            "jax/element/*",
            "fonts/HTML-CSS/TeX/woff/*",
            "fonts/HTML-CSS/TeX/otf/*",
            "localization/en/*",
        ],
        "license_files": ["LICENSE*"],
    },
    {
        # the icon fonts in html-manager's dist/ are Font Awesome Free 5.15.4 (their metadata
        # says so); only the licence text is taken from this tarball, nothing of it is loaded
        "name": "@fortawesome/fontawesome-free",
        "version": "5.15.4",
        "integrity": "sha512-eYm8vijH/hpzr/6/1CJ/V/Eb1xQFW2nnUKArb3z+yUWv7HTwj6M7SP957oMjfZjAHU6q"
        "poNc2wQvIxBLWYa/Jg==",
        "license": "CC-BY-4.0 AND OFL-1.1 AND MIT",
        "what": "the icon fonts the widget manager ships in its dist/ (its licence only: the "
        "fonts come with the widget manager)",
        "files": [],
        "license_files": ["LICENSE.txt"],
    },
]


def vendor_dir(pkg):
    """The folder of a vendored package inside the site (relative), e.g. vendor/anywidget-0.11.0."""
    return f"vendor/{pkg['name'].rsplit('/', 1)[-1]}-{pkg['version']}"


def tarball_name(pkg):
    """The file `npm pack` writes for pkg, e.g. jupyter-widgets-html-manager-1.0.15.tgz."""
    return f"{pkg['name'].lstrip('@').replace('/', '-')}-{pkg['version']}.tgz"


def _integrity(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch(pkg, cache=CACHE):
    """The bytes of pkg's npm tarball, from the cache or fetched by `npm pack`, checked against its
    pinned sha512 integrity (a mismatch raises and leaves nothing in the cache)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / tarball_name(pkg)
    if path.exists() and _integrity(path.read_bytes()) == pkg["integrity"]:
        return path.read_bytes()
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"{pkg['name']}@{pkg['version']} is not in {cache} and npm is not installed "
            "(apt install npm), so it cannot be fetched"
        )
    spec = f"{pkg['name']}@{pkg['version']}"
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", spec, "--pack-destination", tmp, "--json"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm pack {spec} failed:\n{done.stderr.strip()}")
        written = Path(tmp) / json.loads(done.stdout)[0]["filename"]
        data = written.read_bytes()
    got = _integrity(data)
    if got != pkg["integrity"]:
        raise RuntimeError(f"{spec}: tarball integrity {got}, expected {pkg['integrity']}")
    path.write_bytes(data)
    return data


def unpack(pkg, data, out):
    """Copy the package's needed files (and its licence files) into out/vendor_dir(pkg)/;
    returns the licence texts found, {path: text}."""
    dest = out / vendor_dir(pkg)
    licences = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("package/"):
                continue
            rel = member.name[len("package/") :]
            if ".." in Path(rel).parts:
                continue
            content = None
            if any(fnmatch(rel, g) for g in pkg["license_files"]):
                content = tar.extractfile(member).read()
                licences[rel] = content.decode("utf-8", "replace")
            if any(fnmatch(rel, g) for g in pkg["files"]):
                content = content if content is not None else tar.extractfile(member).read()
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
    if pkg["files"] and not any(dest.rglob("*")):
        raise RuntimeError(f"{pkg['name']}: none of {pkg['files']} in its tarball")
    if not licences:
        raise RuntimeError(f"{pkg['name']}: none of {pkg['license_files']} in its tarball")
    if "license_from_python" in pkg:
        name = pkg["license_from_python"]
        dist = importlib.metadata.distribution(name)
        found = [f for f in dist.files or [] if f.name.upper().startswith("LICEN")]
        if not found:
            raise RuntimeError(f"{pkg['name']}: no licence file in the {name} package")
        licences[f"LICENSE (of the {name} Python package, the same project)"] = found[0].read_text(
            encoding="utf-8"
        )
    return licences


def _vendor(name):
    return next(vendor_dir(p) for p in VENDOR if p["name"] == name)


MATHJAX_AFTER_VIEWS = """
(function () {
  var views = 'script[type="application/vnd.jupyter.widget-view+json"]';
  function load() {
    var s = document.createElement("script");
    s.src = "{{ url }}";
    document.head.appendChild(s);
  }
  function shown(tag) {
    var prev = tag.previousElementSibling;
    return prev && prev.matches(".widget-subarea") && prev.childElementCount > 0;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var start = Date.now();
    (function wait() {
      var all = Array.prototype.every.call(document.querySelectorAll(views), shown);
      if (all || Date.now() - start > 10000) load();
      else setTimeout(wait, 50);
    })();
  });
})();
"""


def template():
    """The page template: nbconvert's lab template with every script it loads made local."""
    anywidget = _vendor("anywidget")
    return (
        "{%- extends 'index.html.j2' -%}\n"
        "{% from 'mathjax.html.j2' import mathjax %}\n"
        "{%- block html_head_js_requirejs -%}\n"
        f'<script src="{_vendor("requirejs")}/require.js"></script>\n'
        "<script>require.config({paths: {anywidget: "
        f'"{anywidget}/dist/index"}}}});</script>\n'
        # where the manager looks for widget modules require.js cannot find: here, not a CDN
        '<script data-jupyter-widgets-cdn="vendor/"></script>\n'
        # the widgets (labels, HTML tables) inherit the body's font: JupyterLab's, not the
        # browser's default serif
        "<style>body{font-family:var(--jp-ui-font-family)}"
        ".site-nav{font:14px/1.4 system-ui,sans-serif;padding:6px 16px;"
        "border-bottom:1px solid #ddd}.site-nav a{margin-right:1.2em}</style>\n"
        "{%- endblock html_head_js_requirejs -%}\n"
        "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
        # MathJax configured as nbconvert does, but loaded once the views are up: typesetting
        # would otherwise hold the page's one thread while the widget manager starts
        "{%- block html_head_js_mathjax -%}\n"
        "{%- set url = resources.mathjax_url -%}\n"
        "{{ mathjax(url) | replace('<script src=\"' ~ url ~ '\"> </script>', '') }}\n"
        f"<script>{MATHJAX_AFTER_VIEWS}</script>\n"
        "{%- endblock html_head_js_mathjax -%}\n"
        "{% block body_header %}{{ super() }}\n"
        '<nav class="site-nav"><a href="index.html">All notebooks</a>'
        "{{ resources.site_nav }}</nav>\n"
        "{% endblock body_header %}\n"
    )


def exporter(present):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file="site.html.j2",
        extra_loaders=[DictLoader({"site.html.j2": template()})],
        require_js_url=f"{_vendor('requirejs')}/require.js",
        mathjax_url=f"{_vendor('mathjax')}/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
        widget_renderer_url=f"{_vendor('@jupyter-widgets/html-manager')}/dist/embed-amd.js",
        jupyter_widgets_base_url="vendor/",
        exclude_input=present,
        exclude_input_prompt=present,
        exclude_output_prompt=present,
    )


def execute(name):
    """The notebook `name` executed in notebooks/ with its widget state stored."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    # every frame drawn before each cell returns (rnnlib.widgets.view): the stored widget state
    # is the page's only source of frames
    os.environ["RNNLIB_RENDER"] = "eager"  # the kernel inherits it
    ExecutePreprocessor(timeout=600, store_widget_state=True).preprocess(
        nb, {"metadata": {"path": str(NOTEBOOKS)}}
    )
    return nb


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# A view whose controls are not all read by a FrameSwitcher needs the kernel to answer them.
NEEDS_KERNEL = "This view needs a running Python kernel; shown is its state when the notebook ran."
CONTROL = re.compile(r"Slider|Text|Button|Dropdown|Select|Checkbox|Toggle|Picker|Play|Combobox")
NOTE = f'<p class="site-static-note"><strong>Static:</strong> {NEEDS_KERNEL}</p>'


def _subtree(state, model_id):
    """The ids of model_id and of every widget it refers to (children, links, ...)."""
    seen, todo = [], [model_id]
    while todo:
        m = todo.pop()
        if m in seen or m not in state:
            continue
        seen.append(m)
        text = str(state[m]["state"])
        todo.extend(re.findall(r"IPY_MODEL_([0-9a-f]+)", text))
    return seen


def page_widgets(text):
    """(state, [the model id of each displayed view]) of a written page; ({}, []) without
    widgets. With _subtree, what the tests read a built page's views by."""
    found = re.search(f'<script type="{re.escape(WIDGET_STATE)}">(.*?)</script>', text, re.S)
    if not found:
        return {}, []
    views = re.findall(f'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', text, re.S)
    return json.loads(found.group(1))["state"], [json.loads(v)["model_id"] for v in views]


def static_fallbacks(nb):
    """Replace every widget output that has controls but no FrameSwitcher (its frames not all
    in the page) by its static HTML or PNG with a visible note; returns how many."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if not view:
                continue
            models = [state[m]["model_name"] for m in _subtree(state, view["model_id"])]
            controls = [m for m in models if CONTROL.search(m)]
            if "AnyModel" in models or not controls:
                continue  # every frame in the page, or nothing to press (a progress bar)
            static = out["data"].get("text/html", "")
            if not static and "image/png" in out["data"]:
                static = f'<img src="data:image/png;base64,{out["data"]["image/png"]}">'
            del out["data"][WIDGET_VIEW]
            out["data"]["text/html"] = NOTE + static
            replaced += 1
    return replaced


BUDGET_MB = 15  # page weight per notebook (the issue's budget)


def _palette_png(data):
    """The PNG re-encoded with a palette of at most 256 colours (same pixels size; a figure's
    flat colours stay exact, only the rarest anti-aliasing shades merge)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    small = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    small.save(buf, "PNG", optimize=True)
    return buf.getvalue() if buf.tell() < len(data) else data


def fit_budget(nb, budget_mb=BUDGET_MB):
    """When the stored frames would make the page heavier than the budget, re-encode the
    FrameSwitchers' frames as palette PNGs; returns (MB before, MB after) of the frames."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    buffers = [
        b
        for m in state.values()
        if m["model_name"] == "AnyModel"
        for b in m.get("buffers", [])
        if b["path"][0] == "frames" and b.get("encoding") == "base64"
    ]
    before = sum(len(b["data"]) for b in buffers) / 1e6
    if before < 0.9 * budget_mb:
        return before, before
    for b in buffers:
        data = _palette_png(base64.b64decode(b["data"]))
        b["data"] = base64.b64encode(data).decode("ascii")
    return before, sum(len(b["data"]) for b in buffers) / 1e6


RUN_HERE = "Run this notebook in your browser"
# What an exercises notebook's page says beside its link to the notebook in the browser
EXERCISES_NOTE = "this page shows the exercises; the checks run there"


def run_link(name):
    """The page's link to notebook `name` in the browser's Python (site/lite/), with its note."""
    import build_lite  # here, not at the top: build_lite imports this module

    note = f" ({EXERCISES_NOTE})" if course.notebook(name).exercises else ""
    return f'<a href="{build_lite.notebook_url(name)}">{RUN_HERE}</a>{html.escape(note)}'


def build_page(name, out):
    """Write NAME.html and NAME-present.html; returns their sizes in bytes."""
    nb = execute(name)
    if n := static_fallbacks(nb):
        print(f"  {name}: {n} view(s) without all frames in the page shown static, with a note")
    before, after = fit_budget(nb)
    if after < before:
        print(f"  {name}: frames {before:.1f} MB > budget, as palette PNGs {after:.1f} MB")
    sizes = {}
    for present in (False, True):
        page = f"{name}-present.html" if present else f"{name}.html"
        other = f"{name}.html" if present else f"{name}-present.html"
        nav = f' <a href="{other}">{"With code" if present else "Present (code hidden)"}</a>'
        nav += f" {run_link(name)}"
        body, _ = exporter(present).from_notebook_node(nb, resources={"site_nav": nav})
        (out / page).write_text(body, encoding="utf-8")
        sizes[page] = len(body.encode("utf-8"))
    shutil.copy(NOTEBOOKS / f"{name}.ipynb", out / f"{name}.ipynb")
    return sizes


def _shell(title, body):
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>body{{font:17px/1.5 system-ui,sans-serif;"
        "max-width:46em;margin:2em auto;padding:0 1em}li{margin:.6em 0}"
        "pre{white-space:pre-wrap;font-size:13px;background:#f6f6f6;padding:1em}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


IN_THE_BROWSER = """<h2>Running the notebooks in your browser</h2>
<p>Each "Run this notebook in your browser" link opens the notebook in JupyterLab with a real
Python kernel (Pyodide: Python compiled to WebAssembly) that runs inside this browser tab: nothing
to install, no account, no server, and no network once the page has loaded. You can change and run
every cell, drag every slider and do the exercises of notebook 5, whose checks run there. The
first start takes a while (20 to 30 seconds on a 2-core computer) while Python loads: wait until
the notebook's top right names its kernel, <em>Python (Pyodide)</em>, before you run a cell (a
cell run after that waits for Python by itself).</p>
<ul>
<li><strong>Where your work is kept:</strong> your edits are saved in this browser's storage for
this site, on this computer only: not on a server, not in another browser. Clearing the browser's
data for the site erases them.</li>
<li><strong>To keep a copy:</strong> in the file browser on the left, right-click the notebook
and choose <em>Download</em>: you get it, with your edits, as an <code>.ipynb</code> file that
any Jupyter opens.</li>
<li><strong>To start again from the original:</strong> delete your copy in the file browser
(right-click the notebook, <em>Delete</em>): the course's original is shown again. <em>Help &gt;
Clear Browser Data</em> resets every notebook at once.</li>
</ul>"""


def write_index(out, names):
    items = []
    for nb in course.NOTEBOOKS:
        if nb.stem not in names:
            continue
        name = nb.stem
        items.append(
            f'<li><a href="{name}.html">{html.escape(nb.title)}</a> '
            f'(<a href="{name}-present.html">present</a>, '
            f'<a href="{name}.ipynb">notebook</a>)<br>{html.escape(nb.summary)}<br>'
            f"{run_link(name)}</li>"
        )
    body = (
        "<h1>Recurrent neural networks: the course notebooks</h1>\n"
        "<p>Every figure with a slider, buttons or a text box works in these pages, with no "
        "Python and no network: its frames and tables are in the page. The <em>present</em> "
        "variant hides the code for projecting in class.</p>\n"
        f"<ol>\n{chr(10).join(items)}\n</ol>\n"
        f"{IN_THE_BROWSER}\n"
        '<p><a href="licences.html">Licences of everything this site ships</a></p>'
    )
    (out / "index.html").write_text(_shell("RNN course notebooks", body), encoding="utf-8")


def write_licences(out, licences, lite=()):
    """licences.html: the static pages' npm packages (licences: {name: {file: text}}), then what
    the lite app ships (lite: build_lite.licences() rows)."""
    parts = [
        "<h1>Licences</h1>\n<p>The pages of this site run the following JavaScript and fonts, "
        "copied unchanged from their published npm tarballs (checked against pinned sha512 "
        "integrity). "
        '<a href="index.html">Back to the notebooks</a>.</p>'
    ]
    for pkg in VENDOR:
        parts.append(
            f"<h2>{html.escape(pkg['name'])} {pkg['version']} ({pkg['license']})</h2>\n"
            f"<p>{html.escape(pkg['what'])}. "
            + (f"In <code>{vendor_dir(pkg)}/</code>. " if pkg["files"] else "")
            + f"From <code>npm pack {html.escape(pkg['name'])}@{pkg['version']}</code>, "
            f"integrity <code>{pkg['integrity']}</code>.</p>"
        )
        for path, text in sorted(licences[pkg["name"]].items()):
            if path.endswith(".js"):  # the licence header of the file, not its code
                text = text[: text.index("*/") + 2]
            parts.append(f"<h3>{html.escape(path)}</h3>\n<pre>{html.escape(text)}</pre>")
    if lite:
        parts.append(
            "<h1>Python in the browser (lite/)</h1>\n<p>The notebooks' <em>Run this notebook in "
            "your browser</em> app ships the following, each file checked against a pinned hash "
            "(Pyodide's runtime by its npm tarball's sha512, its packages by the sha256 of "
            "Pyodide's official lock file, the other wheels by their PyPI sha256).</p>"
        )
    for title, licence, what, texts in lite:
        parts.append(
            f"<h2>{html.escape(title)} ({html.escape(licence)})</h2>\n<p>{html.escape(what)}.</p>"
        )
        for path, text in sorted(texts.items()):
            parts.append(f"<h3>{html.escape(path)}</h3>\n<pre>{html.escape(text)}</pre>")
    (out / "licences.html").write_text(_shell("Licences", "\n".join(parts)), encoding="utf-8")


@contextlib.contextmanager
def replacing(out):
    """A new, empty folder beside out to build into; when the block ends without error it takes
    out's place (the old one is moved aside first, then removed), else it is removed. Each build
    has a folder of its own, so two builds at once (two test runs) never write into one another's,
    and a reader of out sees the old folder or the new one, never half of either."""
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f"{out.name}.partial-"))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f"{tmp.name}.old")
    with contextlib.suppress(FileNotFoundError):
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def build(out, only=None, release=None):
    """Build the site into out (replaced): the pages, then the lite app (release: an official
    Pyodide release to take the packages from, see scripts/pyodide_dist.py); returns {page:
    bytes} of the notebook pages."""
    import build_lite  # here, not at the top: build_lite imports this module

    start = time.perf_counter()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if only is not None:
        for name in only:
            course.notebook(name)  # a ValueError naming it unless it is a notebook of the course
    names = [n for n in course.stems() if only is None or n in only]
    out.parent.mkdir(parents=True, exist_ok=True)
    with replacing(out) as tmp:
        licences = {pkg["name"]: unpack(pkg, fetch(pkg), tmp) for pkg in VENDOR}
        sizes = {}
        for name in names:
            t = time.perf_counter()
            sizes.update(build_page(name, tmp))
            print(f"  {name}: executed and written in {time.perf_counter() - t:.1f} s", flush=True)
        write_index(tmp, names)
        lite = build_lite.build(tmp / "lite", release)
        write_licences(tmp, licences, build_lite.licences())
    vendor = sum(f.stat().st_size for f in (out / "vendor").rglob("*") if f.is_file())
    print("page weight (MB; the shared vendor/ JavaScript once per visit on top):")
    for page, size in sizes.items():
        print(f"  {page:28s} {size / 1e6:6.2f} MB")
    print(f"  {'vendor/ (shared)':28s} {vendor / 1e6:6.2f} MB")
    print(f"  {'lite/ (Python in the browser)':28s} {lite / 1e6:6.2f} MB")
    print(f"built {out} in {time.perf_counter() - start:.0f} s")
    return sizes


def sources():
    """The files the site is built from: notebooks, rnnlib (frames.js included), the build's
    scripts and the licence texts they ship."""
    files = list(NOTEBOOKS.glob("*.ipynb")) + list((REPO / "rnnlib").rglob("*.py"))
    here = Path(__file__).resolve().parent
    scripts = [here / f for f in ("build_site.py", "build_lite.py", "pyodide_dist.py")]
    return files + list((REPO / "rnnlib").rglob("*.js")) + scripts + [*here.glob("licences/*")]


def page_names():
    """Every notebook page of the site in order: NAME (code shown) and NAME-present."""
    return [f"{n}{v}" for n in course.stems() for v in ("", "-present")]


def ensure_built(out=REPO / "site"):
    """Build the site into out unless it is there, complete and newer than every source."""
    index = out / "index.html"
    complete = index.exists() and all((out / f"{p}.html").exists() for p in page_names())
    complete = complete and (out / "lite" / "jupyter-lite.json").exists()
    if complete and index.stat().st_mtime >= max(f.stat().st_mtime for f in sources()):
        print(f"{out} is up to date")
        return
    build(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "site")
    parser.add_argument("--only", nargs="*", help="notebook names (default: all)")
    parser.add_argument(
        "--release",
        type=Path,
        help="an official Pyodide 0.27.7 release (.tar.bz2 or folder) to take the browser "
        "kernel's packages from, instead of the carrier (see scripts/pyodide_dist.py)",
    )
    parser.add_argument(
        "--if-stale", action="store_true", help="only if out is older than a notebook or rnnlib"
    )
    args = parser.parse_args(argv)
    if args.if_stale and not args.only:
        ensure_built(args.out.resolve())
    else:
        build(args.out.resolve(), args.only, args.release)
    return 0


if __name__ == "__main__":
    sys.exit(main())
