"""The built course site (`make site`) loads nothing from outside itself.

Every address a page, a stylesheet or the widget manager could fetch from must be inside site/:
HTML src/href/srcset/data attributes, CSS url() and @import, the scripts a page loads, and
the place the widget manager falls back to for a module require.js cannot find. (The vendored
JavaScript still mentions URLs in comments and licence texts, which nothing fetches; the
browser test tests/browser/test_site_pages.py aborts every request outside the site and asserts none
was made.)
"""

import html
import html.parser
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from rnnlib import course

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "site"
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)  # http://, //host, ftp://
FETCHING = {"src", "href", "srcset", "data", "poster", "action", "data-jupyter-widgets-cdn"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# hosts the default nbconvert template and the widget manager load from; none may stay in a page
CDNS = ("cdnjs.cloudflare.com", "unpkg.com", "cdn.jsdelivr.net", "fonts.googleapis.com")


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_site", REPO / "scripts/build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site():
    """site/, built unless it is newer than its sources."""
    builder = _load_builder()
    builder.ensure_built(SITE)
    return builder


class _Fetches(html.parser.HTMLParser):
    """The attributes of a page that make a browser fetch, its inline CSS and scripts."""

    def __init__(self):
        super().__init__()
        self.urls, self.styles, self.scripts, self._in = [], [], [], None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in FETCHING and value:
                urls = [u.split()[0] for u in value.split(",")] if name == "srcset" else [value]
                self.urls.extend((tag, name, u) for u in urls if u.strip())
            if name == "style" and value:
                self.styles.append(value)
        self._in = tag if tag in ("style", "script") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.styles.append(data)
        elif self._in == "script":
            self.scripts.append(data)


def _css_urls(css):
    return [a or b for a, b in CSS_URL.findall(CSS_COMMENT.sub("", css))]


def _pages():
    return sorted(SITE.glob("*.html"))


def test_site_has_every_page(site):
    names = {p.name for p in _pages()}
    for name in course.stems():
        assert {f"{name}.html", f"{name}-present.html"} <= names
    assert {"index.html", "licences.html"} <= names
    index = (SITE / "index.html").read_text()
    assert [index.index(f'href="{n}.html"') for n in course.stems()] == sorted(
        index.index(f'href="{n}.html"') for n in course.stems()
    ), "the index lists the notebooks in order"
    for nb in course.NOTEBOOKS:  # with the registry's title and line
        assert f'<a href="{nb.stem}.html">{html.escape(nb.title)}</a>' in index, nb.stem
        assert html.escape(nb.summary) in index, nb.stem
    assert not re.search(r'<a href="\d\d_\w+\.html">\d', index), "numbered twice in the list"
    licences = (SITE / "licences.html").read_text()
    for pkg in site.VENDOR:
        assert f"{pkg['name']} {pkg['version']} ({pkg['license']})" in licences


def test_licences_cover_what_ships(site):
    """Every package's licence text is on the licences page: html-manager's own BSD licence
    (its tarball has none), and Font Awesome Free's, whose fonts ship in html-manager's dist/."""
    licences = (SITE / "licences.html").read_text(encoding="utf-8")
    assert licences.count("<pre>") >= len(site.VENDOR) + 1
    assert "Project Jupyter Contributors" in licences and "Redistribution and use" in licences
    fonts = [
        f
        for f in SITE.rglob("*")
        if f.suffix in (".woff", ".woff2", ".ttf", ".eot", ".svg")
        and b"Font Awesome" in f.read_bytes()
    ]
    assert fonts, "the widget manager's icon fonts are Font Awesome's"
    assert "Font Awesome Free License" in licences and "SIL OFL 1.1" in licences


def test_no_page_fetches_from_outside_the_site(site):
    bad = []
    for page in _pages():
        parser = _Fetches()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attr, url in parser.urls:
            if EXTERNAL.match(url):
                bad.append(f"{page.name}: <{tag} {attr}={url[:80]}>")
            elif not url.startswith(("#", "data:", "mailto:")):
                local = (page.parent / url.split("?")[0].split("#")[0]).resolve()
                if not local.is_relative_to(SITE.resolve()) or not local.exists():
                    bad.append(f"{page.name}: <{tag} {attr}={url[:80]}> is not a file of the site")
        for css in parser.styles:
            bad.extend(
                f"{page.name}: CSS url({u[:80]})" for u in _css_urls(css) if EXTERNAL.match(u)
            )
        for script in parser.scripts:
            bad.extend(f"{page.name}: a script names {host}" for host in CDNS if host in script)
            if re.search(r"""['"`](?:https?:)?//[^'"`]""", script):
                bad.append(f"{page.name}: a script holds an absolute URL")
    for css in SITE.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        bad.extend(f"{css.name}: url({u[:80]})" for u in _css_urls(text) if EXTERNAL.match(u))
    assert not bad, "\n".join(bad)


def test_widget_pages_keep_the_widget_manager_local(site):
    """The widget manager's fallback for modules is a CDN unless the page names another place:
    every page with views names the site's vendor/, loads the manager from there, and maps
    anywidget (the module of rnnlib's FrameSwitcher) to its copy for require.js."""
    manager = site.vendor_dir(next(p for p in site.VENDOR if "html-manager" in p["name"]))
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        if '<script type="application/vnd.jupyter.widget-view+json">' not in text:
            continue
        assert 'data-jupyter-widgets-cdn="vendor/"' in text, page.name
        assert f'src="{manager}/dist/embed-amd.js"' in text or f"'{manager}/dist/embed-amd.js'" in (
            text
        ), page.name
        assert "anywidget:" in text, page.name


def test_vendored_files_match_their_pinned_tarballs(site, tmp_path):
    """site/vendor holds, byte for byte, the files of each pinned tarball (integrity checked)."""
    for pkg in site.VENDOR:
        site.unpack(pkg, site.fetch(pkg), tmp_path)
        want, got = tmp_path / site.vendor_dir(pkg), SITE / site.vendor_dir(pkg)
        files = sorted(f.relative_to(want) for f in want.rglob("*") if f.is_file())
        assert files == sorted(f.relative_to(got) for f in got.rglob("*") if f.is_file())
        for f in files:
            assert (want / f).read_bytes() == (got / f).read_bytes(), f"{pkg['name']}: {f}"


def test_every_live_view_has_its_frames_in_the_page(site):
    """A view left live in a page holds what its controls show (an AnyModel: a FrameSwitcher's
    frames, or 01's next-step table built in the page) or has no control to press; no view
    needs the kernel today, so no page carries the static note."""
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        state, views = site.page_widgets(text)
        for model_id in views:
            models = [state[m]["model_name"] for m in site._subtree(state, model_id)]
            controls = [m for m in models if site.CONTROL.search(m)]
            assert "AnyModel" in models or not controls, f"{page.name}: live view {controls}"
        assert 'class="site-static-note"' not in text, page.name


def test_a_view_that_needs_the_kernel_falls_back_to_its_static_output(site):
    """static_fallbacks: a view with a control but nothing in the page to answer it (here a
    slider driving a plain HTML widget) becomes its stored HTML under the visible note; a
    FrameSwitcher view and a progress bar stay live."""
    state = {  # model ids are hex, as the widget manager writes them
        "b0": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_a1", "IPY_MODEL_a2"]}},
        "a1": {"model_name": "IntSliderModel", "state": {}},
        "a2": {"model_name": "HTMLModel", "state": {}},
        "b1": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_a1", "IPY_MODEL_a3"]}},
        "a3": {"model_name": "AnyModel", "state": {"frames": []}},
        "b2": {"model_name": "IntProgressModel", "state": {}},
    }

    def output(model_id):
        data = {site.WIDGET_VIEW: {"model_id": model_id}, "text/html": f"<p>{model_id}</p>"}
        return {"output_type": "display_data", "data": data}

    cell = {"cell_type": "code", "outputs": [output("b0"), output("b1"), output("b2")]}
    nb = nbformat.from_dict(
        {"cells": [cell], "metadata": {"widgets": {site.WIDGET_STATE: {"state": state}}}}
    )
    assert site.static_fallbacks(nb) == 1
    static, live, bar = (o["data"] for o in nb.cells[0]["outputs"])
    assert site.WIDGET_VIEW not in static and static["text/html"] == site.NOTE + "<p>b0</p>"
    assert site.WIDGET_VIEW in live and site.WIDGET_VIEW in bar


def test_palette_frames_keep_their_pixels(site):
    """The budget's palette PNGs (build_site._palette_png, used when a page's frames would pass
    15 MB; today 01) keep the 2x size and nearly every pixel: on every fourth frame of 01's
    behaviours view (its largest), under 0.1% of pixels differ by more than 16 of 255 in a
    channel and none by more than 64 (measured: 0.05% and 50)."""
    import io

    import numpy as np
    from PIL import Image

    from rnnlib.widgets.overview import behaviours_explorer

    frames = behaviours_explorer().switcher.frames
    worst_share, worst = 0.0, 0
    for png in frames[::4]:
        before = Image.open(io.BytesIO(png)).convert("RGB")
        after = Image.open(io.BytesIO(site._palette_png(png))).convert("RGB")
        assert after.size == before.size
        diff = np.abs(np.asarray(before, int) - np.asarray(after, int)).max(axis=2)
        worst_share, worst = max(worst_share, (diff > 16).mean()), max(worst, int(diff.max()))
    assert worst_share < 1e-3 and worst <= 64, (worst_share, worst)
    assert sum(map(len, map(site._palette_png, frames[:5]))) < 0.6 * sum(map(len, frames[:5]))


def test_building_an_unknown_notebook_names_it_before_building_anything(tmp_path):
    with pytest.raises(ValueError, match=r"'07_x'.*01_overview"):
        _load_builder().build(tmp_path / "site", only=["07_x"])
    assert not list(tmp_path.iterdir())
