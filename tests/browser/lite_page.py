"""The site's lite app (site/lite/: JupyterLite, the Pyodide kernel, the five notebooks) in headless
Chromium: a confined context per visit, a notebook opened in it, cells edited and run.

Used by tests/browser/test_lite.py and benchmarks/lite_latency.py. site/ is served by
site_page.static_server; each visit gets a browser context of its own (fresh storage, empty
cache) in which every request outside that server is aborted and recorded, requests of the app's
service worker and of the kernel's web worker included. One thing differs from what a student
gets: the app's config, as the page fetches it, sets exposeAppInBrowser, so window.jupyterapp
exists (as lab.py's server does with LabApp.expose_app_in_browser) and notebook_page's
NotebookPage reads the notebook's model exactly and drives Lab as in the JupyterLab tests.
"""

import json
import re

import site_page
from notebook_page import KERNEL_IDLE, PANEL, NotebookPage

NAMES = [name for name in site_page.page_names() if not name.endswith("-present")]
RUN_HERE = "Run this notebook in your browser"  # the link text on the site's pages
CANARY = "http://192.0.2.1/lite-canary"  # TEST-NET-1: never reachable, must be aborted
# The notebook's state the arrow keys must leave alone on a focused slider: the active cell,
# collapsed headings, hidden cells.
LAYOUT = f"""() => {{
  const nb = {PANEL}.content;
  return {{active: nb.activeCellIndex,
           collapsed: nb.widgets.filter(w => w.headingCollapsed).length,
           hidden: nb.widgets.filter(w => w.isHidden).length}};
}}"""


def url(site, name):
    """The lite app's address of notebook `name` under site (the site's base URL)."""
    return f"{site}lite/lab/index.html?path={name}.ipynb"


def context(chromium, server_base, site, aborted):
    """A fresh browser context reaching only server_base (other requests aborted and appended to
    aborted), whose lite app under site exposes window.jupyterapp."""
    ctx = site_page.confined_context(chromium, server_base, aborted, init=None)

    def expose(route):
        response = route.fetch()
        config = response.json()
        config["jupyter-config-data"]["exposeAppInBrowser"] = "true"
        route.fulfill(response=response, json=config)

    ctx.route(re.compile(re.escape(f"{site}lite/lab/jupyter-lite.json") + r"(\?.*)?$"), expose)
    return ctx


class LitePage(NotebookPage):
    """One notebook of the lite app in a page. Besides NotebookPage's attributes: failed, the
    responses with an HTTP error status (strings)."""

    def __init__(self, page, name):
        super().__init__(page, None, f"{name}.ipynb")
        self.failed = []  # the context's responses: the service worker's and workers' too
        page.context.on(
            "response",
            lambda r: (
                self.failed.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")  # the site has none
                else None
            ),
        )

    def open(self, kernel=True, timeout=120):
        """Wait until the page shows this notebook (and, with kernel, its kernel is idle); open
        the file browser beside it, as on a student's laptop. (Navigate first: a link, goto.)"""
        shown = f"{PANEL}?.context?.path === {json.dumps(self.path)} && {PANEL}.context.isReady"
        wait = f"{shown} && {KERNEL_IDLE}" if kernel else shown
        self.page.wait_for_function(wait, timeout=timeout * 1000, polling=100)
        self.page.evaluate(
            "async () => { await jupyterapp.commands.execute('filebrowser:activate'); }"
        )

    def canary(self):
        """Fetch CANARY from the page (through the app's service worker once it controls the
        page); returns whether the service worker did."""
        return self.page.evaluate(
            """async (url) => {
              const sw = Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);
              await fetch(url).catch(() => null);
              return sw;
            }""",
            CANARY,
        )

    def menu_items(self, top):
        """The labels of the menu-bar menu `top` (its visible text), menu closed again."""
        self.page.locator(
            ".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")
        ).click()
        items = self.page.locator(".lm-Menu:visible .lm-Menu-itemLabel").all_inner_texts()
        self.page.keyboard.press("Escape")
        return [item for item in items if item]

    def file_menu(self, item, name=None):
        """Right-click file `name` (default: this notebook) in the file browser, click `item`."""
        self.page.evaluate(
            "async () => { await jupyterapp.commands.execute('filebrowser:activate'); }"
        )
        entry = self.page.locator(".jp-DirListing-item", has_text=name or self.path)
        entry.click(button="right")
        self.page.locator(".lm-Menu:visible .lm-Menu-itemLabel").get_by_text(
            item, exact=True
        ).click()

    def layout(self):
        """{active, collapsed, hidden}: the active cell's index, how many headings are collapsed
        and how many cells hidden."""
        return self.page.evaluate(LAYOUT)

    def set_source(self, index, text):
        """Replace the text of cell `index` (0-based), as pasting it over the old text would."""
        self.page.evaluate(
            f"([i, text]) => {PANEL}.content.model.cells.get(i).sharedModel.setSource(text)",
            [index, text],
        )

    def run_cell(self, index, timeout=60):
        """Select cell `index`, press Shift+Enter, wait until it has run; returns its outputs."""
        before = self.cells()[index]["execution_count"]
        self.page.evaluate(
            f"""(i) => {{
              const nb = {PANEL}.content;
              nb.activeCellIndex = i;
              nb.mode = 'command';
              nb.node.focus();
            }}""",
            index,
        )
        self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_function(
            f"""([i, before]) => {{
              const count = {PANEL}.content.model.cells.get(i).executionCount;
              return count !== null && count !== before && {KERNEL_IDLE};
            }}""",
            arg=[index, before],
            timeout=timeout * 1000,
            polling=100,
        )
        return self.cells()[index]["outputs"]

    def save(self):
        """File > Save Notebook; waits until the document is no longer dirty."""
        self.menu("File", "Save Notebook")
        self.page.wait_for_function(f"() => !{PANEL}.context.model.dirty", timeout=10_000)

    def source(self, index):
        """The text of cell `index` as the open notebook shows it."""
        return self.page.evaluate(
            f"(i) => {PANEL}.content.model.cells.get(i).sharedModel.getSource()", index
        )
