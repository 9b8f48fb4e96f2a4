"""The course in the browser (site/lite/, scripts/build_lite.py and scripts/pyodide_dist.py): every
file Pyodide loads is the one its official lock names, a tampered file is refused, the app is
configured to stay on the site, and the static pages lead to it."""

import hashlib
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import build_lite  # noqa: E402
import build_site  # noqa: E402
import pyodide_dist  # noqa: E402

from rnnlib import course  # noqa: E402

SITE = REPO / "site"
LITE = SITE / "lite"
SHIPPED = LITE / "static" / "pyodide"


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _entry(path, name="demo"):
    return {"name": name, "file_name": path.name, "sha256": _sha256(path), "depends": []}


def test_a_file_whose_hash_matches_the_lock_is_copied(tmp_path):
    release, dest = tmp_path / "release", tmp_path / "dest"
    release.mkdir(), dest.mkdir()
    good = release / "demo-1.0-py3-none-any.whl"
    good.write_bytes(b"the official bytes")
    pyodide_dist.checked_copy(pyodide_dist.Source(release), _entry(good), dest)
    assert (dest / good.name).read_bytes() == b"the official bytes"


def test_a_tampered_file_is_refused(tmp_path):
    release, dest = tmp_path / "release", tmp_path / "dest"
    release.mkdir(), dest.mkdir()
    file = release / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    file.write_bytes(b"the official bytes")
    entry = _entry(file, "numpy")
    file.write_bytes(b"the official bytes, with one change")  # tampered after the lock
    with pytest.raises(ValueError, match=f"{file.name} .* has sha256 .*refused"):
        pyodide_dist.checked_copy(pyodide_dist.Source(release), entry, dest)
    assert not (dest / file.name).exists(), "nothing of a refused file is written"


def test_a_missing_file_or_source_is_named(tmp_path):
    entry = {"file_name": "pillow-10.2.0-cp312-cp312-pyodide_2024_0_wasm32.whl", "sha256": "0"}
    with pytest.raises(ValueError, match="pillow-10.2.0.* is not in"):
        pyodide_dist.checked_copy(pyodide_dist.Source(tmp_path), entry, tmp_path)
    with pytest.raises(ValueError, match="nowhere.*does not exist"):
        pyodide_dist.Source(tmp_path / "nowhere")


def test_closure_follows_depends_in_the_locks_spelling():
    lock = {
        "packages": {
            "a": {"depends": ["B_c"]},
            "b-c": {"depends": ["d"]},
            "d": {"depends": []},
            "e": {"depends": []},
        }
    }
    assert pyodide_dist.closure(lock, ["a"]) == ["a", "b-c", "d"]
    with pytest.raises(ValueError, match="'zz' is not a package of the lock"):
        pyodide_dist.closure(lock, ["zz"])


@pytest.fixture(scope="module")
def site():
    """The built site (built if stale, as make test does)."""
    build_site.ensure_built(SITE)
    return SITE


def test_every_shipped_package_file_is_the_official_one(site):
    """Each file the kernel can load is in the site's lock with its sha256, and each official
    package's entry is the official lock's, unchanged: its bytes are the release's."""
    lock = json.loads((SHIPPED / "pyodide-lock.json").read_text())
    official = pyodide_dist.official_lock()
    assert lock["info"] == official["info"]
    runtime = set(pyodide_dist.RUNTIME["files"])
    files = {p.name for p in SHIPPED.iterdir() if p.suffix in (".whl", ".zip")} - runtime
    assert files == {e["file_name"] for e in lock["packages"].values()}
    ours = {pyodide_dist.canonical(n) for n in pyodide_dist.KERNEL_WHEELS}
    for name, entry in lock["packages"].items():
        assert _sha256(SHIPPED / entry["file_name"]) == entry["sha256"], entry["file_name"]
        if name not in ours:
            assert entry == official["packages"][name], name
    for name in ours:
        assert lock["packages"][name]["imports"], name
    for name in pyodide_dist.COURSE_NEEDS + pyodide_dist.KERNEL_NEEDS:
        assert pyodide_dist.canonical(name) in lock["packages"], name


def test_the_runtime_is_the_pinned_tarballs():
    tarball = pyodide_dist.runtime_tarball()
    assert build_site._integrity(tarball) == pyodide_dist.RUNTIME["integrity"]


def test_the_runtime_files_ship_unchanged(site):
    import io
    import tarfile

    tarball = pyodide_dist.runtime_tarball()
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for name in pyodide_dist.RUNTIME["files"]:
            if name != "pyodide-lock.json":  # the site's lock is the course's subset (above)
                assert (SHIPPED / name).read_bytes() == tar.extractfile(f"package/{name}").read()


def test_the_app_stays_on_the_site(site):
    """The kernel loads Pyodide from the site and never falls back to the package index; the
    page side of the widgets and the kernel is there."""
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][build_lite.KERNEL]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    assert all(not u.startswith(("http:", "https:", "//")) for u in kernel.get("pipliteUrls", []))
    names = {e["name"] for e in config["federated_extensions"]}
    assert {"@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager"} <= names
    build_lite.check(LITE)  # what the build itself checks


def test_the_course_settings_are_in_the_app(site):
    """Every cell attached (no windowing) and the arrow keys left to a focused slider."""
    config = json.loads((LITE / "jupyter-lite.json").read_text())["jupyter-config-data"]
    overrides = config["settingsOverrides"]
    assert overrides["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"
    shortcuts = overrides["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert {(s["keys"][0], s["disabled"]) for s in shortcuts} == {
        ("ArrowLeft", True),
        ("ArrowRight", True),
    }


def test_the_app_holds_every_notebook_as_stored(site):
    for name in course.stems():
        nb = REPO / "notebooks" / f"{name}.ipynb"
        assert (LITE / "files" / nb.name).read_bytes() == nb.read_bytes()


def test_every_page_links_its_notebook_in_the_browser(site):
    index = (SITE / "index.html").read_text(encoding="utf-8")
    for name in course.stems():
        link = f'<a href="{build_lite.notebook_url(name)}">{build_site.RUN_HERE}</a>'
        assert index.count(link) == 1, name
        for page in (f"{name}.html", f"{name}-present.html"):
            assert link in (SITE / page).read_text(encoding="utf-8"), page
    for nb in course.NOTEBOOKS:
        page = (SITE / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert (build_site.EXERCISES_NOTE in page) == nb.exercises, nb.stem
    for words in ("Where your work is kept", "To keep a copy", "To start again"):
        assert words in index


def test_licences_cover_pyodide_and_every_package_that_ships(site):
    licences = (SITE / "licences.html").read_text(encoding="utf-8")
    assert "Pyodide 0.27.7 (MPL-2.0)" in licences and "Mozilla Public License" in licences
    assert "Original SSLeay License" in licences and "PYTHON SOFTWARE FOUNDATION" in licences
    for wheel in SHIPPED.glob("*.whl"):
        if not wheel.name.startswith(("rnnlib-", "ssl-", "sqlite3-")):
            assert f"<h2>{wheel.name} (" in licences, wheel.name
    for name in build_lite.EXTENSIONS:
        assert pyodide_dist.pinned_wheels()[name].name in licences, name
