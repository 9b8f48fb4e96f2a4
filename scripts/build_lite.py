"""The course in the student's browser: site/lite/ is JupyterLite (JupyterLab 4.4 served as static
files) with the Pyodide kernel and the five notebooks, so a student can edit and run every cell,
drag every slider and do the exercises with no install, no server and no network.

`make site` builds it with the rest of the site (scripts/build_site.py calls build()); alone:

    .venv/bin/python scripts/build_lite.py [--out site/lite] [--release PATH]

What goes in, all pinned and checked:
- the JupyterLite app from jupyterlite-core 0.6.4 (the Python package the build runs);
- the page side of the kernel and the widgets as JupyterLab extensions, from the pinned wheels of
  jupyterlite-pyodide-kernel 0.6.1, jupyterlab_widgets and anywidget (never whatever the build
  machine has installed, so the page matches the kernel's packages);
- Pyodide and every package the kernel loads, from scripts/pyodide_dist.py (hash checked), with
  the kernel's fallback to the Python Package Index switched off: an import of a package the
  site does not ship fails at once instead of reaching out.
Settings for the course: every cell attached to the page (Lab's windowing would detach the
outputs scrolled away), the arrow keys left to a focused slider (Lab 4.4 binds them to
collapsing headings), no news feed.
"""

import argparse
import email
import email.policy
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pyodide_dist  # noqa: E402

REPO = pyodide_dist.REPO
NOTEBOOKS = REPO / "notebooks"
KERNEL = "@jupyterlite/pyodide-kernel-extension:kernel"
# JupyterLab settings of the lite app (its overrides.json), plugin id -> settings
SETTINGS = {
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/shortcuts-extension:shortcuts": {
        "shortcuts": [
            {
                "command": command,
                "keys": [key],
                "selector": ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus",
                "disabled": True,
            }
            for command, key in [
                ("notebook:move-cursor-heading-above-or-collapse", "ArrowLeft"),
                ("notebook:move-cursor-heading-below-or-expand", "ArrowRight"),
            ]
        ]
    },
}
# What Pyodide loads as it starts, all at once: what the kernel would otherwise install one
# after the other (jupyterlite-pyodide-kernel 0.6.1 skips each name listed here, spelled as it
# spells them), and rnnlib with everything the notebooks import
PRELOAD = [
    "micropip",
    "piplite",
    "ssl",
    "sqlite3",
    "ipykernel",
    "comm",
    "pyodide_kernel",
    "jedi",
    "ipython",
]
# The page-side extensions: pinned wheels of pyodide_dist.WHEELS
EXTENSIONS = ["jupyterlite_pyodide_kernel", "jupyterlab_widgets", "anywidget"]


def notebook_url(name):
    """The lite app's address of notebook `name` (e.g. 05_exercises), relative to the site."""
    return f"lite/lab/index.html?path={name}.ipynb"


def write_lite_dir(src, dist):
    """The lite folder the build reads: config, settings, contents and Pyodide (a copy of dist)."""
    wheels = pyodide_dist.pinned_wheels()
    config = {
        "LiteBuildConfig": {
            "apps": ["lab"],
            "contents": [str(src / "files")],
            "federated_extensions": [str(wheels[name]) for name in EXTENSIONS],
            "ignore_sys_prefix": ["federated_extensions"],
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
        }
    }
    lite = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "RNN course",
            "litePluginSettings": {
                KERNEL: {"disablePyPIFallback": True, "loadPyodideOptions": {"packages": PRELOAD}}
            },
        },
    }
    (src / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1))
    (src / "jupyter-lite.json").write_text(json.dumps(lite, indent=1))
    (src / "overrides.json").write_text(json.dumps(SETTINGS, indent=1))
    (src / "files").mkdir()
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        shutil.copy(nb, src / "files" / nb.name)
    shutil.copytree(dist, src / "static" / "pyodide")


def build(out, release=None):
    """Build the lite app into out (replaced); returns its size in bytes."""
    start = time.perf_counter()
    dist = pyodide_dist.ensure(release=release)
    # jupyter lite build ignores jupyter-lite.json when the output's path starts with the lite
    # folder's path as a string: keep the two apart
    with tempfile.TemporaryDirectory(prefix="rnnlib-lite-src-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        write_lite_dir(src, dist)
        shutil.rmtree(out, ignore_errors=True)
        done = subprocess.run(
            [sys.executable, "-m", "jupyterlite_core", "build"]
            + ["--lite-dir", str(src), "--output-dir", str(out)],
            cwd=src,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if done.returncode != 0:
            raise RuntimeError(f"jupyter lite build failed:\n{done.stdout[-3000:]}{done.stderr}")
    check(out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"  lite: {out} built in {time.perf_counter() - start:.0f} s, {size / 1e6:.1f} MB")
    return size


def check(out):
    """Raise unless the build kept the course's settings (the trap above) and its Pyodide."""
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config.get("litePluginSettings", {}).get(KERNEL, {})
    if not kernel.get("disablePyPIFallback"):
        raise RuntimeError(f"{out}/jupyter-lite.json lost the kernel's settings: {kernel}")
    if kernel.get("pyodideUrl") != "./static/pyodide/pyodide.js":
        raise RuntimeError(f"{out}: Pyodide is not the site's own: {kernel.get('pyodideUrl')}")
    names = {e["name"] for e in config.get("federated_extensions", [])}
    wanted = {"@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager"}
    if not wanted | {"anywidget"} <= names:
        raise RuntimeError(f"{out}: extensions {sorted(names)}, expected {sorted(wanted)} too")


LICENCES = Path(__file__).resolve().parent / "licences"
# What the Pyodide runtime holds besides Pyodide's own code: (what, licence, text file or None)
RUNTIME_PARTS = [
    (
        "Pyodide 0.27.7: the loader, the WebAssembly runtime, its Python packages' builds",
        "MPL-2.0",
        "MPL-2.0.txt",
    ),
    (
        "CPython 3.12.7: the interpreter and standard library in pyodide.asm.wasm and "
        "python_stdlib.zip, and its sqlite3 and ssl modules (sqlite3-1.0.0, ssl-1.0.0); its "
        "licence text is typing_extensions' below, which is CPython's",
        "PSF-2.0",
        None,
    ),
    ("SQLite, inside the sqlite3 module", "public domain", None),
    ("OpenSSL 1.1.1w (openssl-1.1.1w.zip), which the ssl module loads", "OpenSSL", "OpenSSL.txt"),
]


def _licence_of(metadata):
    """A wheel's licence as its METADATA names it (an SPDX expression where it gives one)."""
    if metadata.get("License-Expression"):
        return metadata["License-Expression"]
    short = (metadata.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 80:
        return short
    classifiers = [
        c.rsplit(" :: ", 1)[-1]
        for c in metadata.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return ", ".join(classifiers) or "see its licence text"


def wheel_licence(path):
    """(licence, {file in the wheel: text}) of a wheel, from its .dist-info."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(z.read(meta), policy=email.policy.default)
        texts = {
            n: z.read(n).decode("utf-8", "replace")
            for n in names
            if ".dist-info/" in n
            and re.search(r"/(licen[cs]es?/|(licen[cs]e|copying|notice))", n, re.I)
            and not n.endswith("/")
        }
    return _licence_of(metadata), texts


def licences(dist=pyodide_dist.DIST):
    """What the lite part ships, for the licences page: [(title, licence, what, {file: text})]."""
    rows = []
    for what, licence, text in RUNTIME_PARTS:
        texts = {text: (LICENCES / text).read_text()} if text else {}
        rows.append((what.split(":")[0], licence, what, texts))
    core = importlib.metadata.distribution("jupyterlite-core")
    texts = {str(f): f.read_text() for f in core.files if re.search(r"licen[cs]e", f.name, re.I)}
    rows.append(
        (
            f"jupyterlite-core {core.version}",
            core.metadata.get("License-Expression") or "BSD-3-Clause",
            "the JupyterLite app (JupyterLab 4.4 for static sites): "
            "lite/build/; the licence comments of its bundled code are beside each file, "
            "lite/build/*.LICENSE.txt",
            texts,
        )
    )
    wheels = pyodide_dist.pinned_wheels()
    shipped = {
        wheels[n].name: (wheels[n], ["its JupyterLab extension, in lite/extensions/"])
        for n in EXTENSIONS
    }  # wheel file name -> (path, what of it ships)
    for path in sorted(dist.glob("*.whl")):
        if path.name.startswith(("rnnlib-", "ssl-", "sqlite3-")):
            continue  # this project's own; parts of CPython (above)
        kernel = "a package of the kernel, in lite/static/pyodide/"
        shipped.setdefault(path.name, (path, []))[1].append(kernel)
    for name, (path, what) in shipped.items():
        licence, texts = wheel_licence(path)
        rows.append((name, licence, "; ".join(what), texts))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "site" / "lite")
    parser.add_argument("--release", type=Path, help="see scripts/pyodide_dist.py")
    args = parser.parse_args(argv)
    build(args.out.resolve(), args.release)
    return 0


if __name__ == "__main__":
    sys.exit(main())
