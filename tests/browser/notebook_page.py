"""One notebook open in JupyterLab: Run All, read what ran, find sliders, press keys, time repaints.

The page is driven like a student would (menus, keyboard); the notebook model is read through the
app object the throwaway server exposes (LabApp.expose_app_in_browser), which is exact where the
DOM would need guessing (execution counts, output types).
"""

import json
import re
import time
import urllib.parse

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

PANEL = "window.jupyterapp?.shell?.currentWidget"
KERNEL_IDLE = f"{PANEL}?.sessionContext?.session?.kernel?.status === 'idle'"
ALL_RAN = f"""() => {{
  if (!({KERNEL_IDLE})) return false;
  const cells = Array.from({PANEL}.content.model.cells).filter(c => c.type === 'code');
  const failed = cells.some(c => c.outputs.toJSON().some(o => o.output_type === 'error'));
  return failed || cells.every(c => c.executionCount !== null);
}}"""
CELLS = f"""() => Array.from({PANEL}.content.model.cells).map(c => ({{
  type: c.type,
  execution_count: c.type === 'code' ? c.executionCount : null,
  outputs: c.type === 'code' ? c.outputs.toJSON() : [],
}}))"""
WIDGETS_RENDERED = """() => {
  const outs = Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'));
  if (outs.some(o => o.textContent.startsWith('Loading widget...'))) return false;
  const imgs = Array.from(document.querySelectorAll('.jp-Notebook img.widget-image'));
  const canvases = Array.from(document.querySelectorAll('.jp-Notebook canvas.rnnlib-frame'));
  return imgs.every(img => img.complete && img.naturalWidth > 0)
    && canvases.every(c => c.dataset.frame !== undefined);
}"""
# every view's page holds all its frames (drawn in the background after its cell returned)
FRAMES_COMPLETE = """() => Array.from(document.querySelectorAll('.jp-Notebook .rnnlib-frames'))
  .every(el => el.dataset.missing === '0')"""
SLIDERS = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
  const handles = document.querySelectorAll('.jp-Notebook .widget-slider .noUi-handle');
  return Array.from(handles).map((h, k) => {
    const slider = h.closest('.widget-slider');
    const label = slider.querySelector('.widget-label');
    const rect = h.getBoundingClientRect();
    return {
      index: k,
      cell: cells.indexOf(h.closest('.jp-Cell')) + 1,
      label: (label && label.textContent.trim()) || '',
      value: Number(h.getAttribute('aria-valuenow')),
      min: Number(h.getAttribute('aria-valuemin')),
      max: Number(h.getAttribute('aria-valuemax')),
      visible: rect.width > 0 && rect.height > 0,
    };
  });
}"""
# Installed on a slider handle before a key press. The view is the nearest ancestor holding a
# figure (an <img>, or the canvas rnnlib's in-page frames are drawn on); its figure area is the
# child of the view holding it (not the controls). t0 = the keydown's timeStamp (a capture
# listener on window, the first to run). Each change in the figure area is marked at the next
# paint: an <img> given a new src -> its 'load' event; a change to the figure or to an element
# holding one (a frame drawn on the canvas marks it with data-frame) -> at once; then
# the next animation frame -> the task right after that frame (a MessageChannel message), when
# the frame showing the change has been produced. Other changes (the HTML table) are marked the
# same way, in their own list.
PROBE = """(handle) => {
  const FIGURE = 'img.widget-image, canvas.rnnlib-frame';
  let view = handle;
  while (view && !view.querySelector(FIGURE)) view = view.parentElement;
  if (!view) return null;
  const area = Array.from(view.children).find(c => c.querySelector(FIGURE));
  const p = {t0: null, img: [], table: []};
  const painted = (list) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => list.push(performance.now());
    ch.port2.postMessage(0);
  });
  const onKey = (e) => { p.t0 = e.timeStamp; };
  const observer = new MutationObserver((ms) => {
    for (const m of ms) {
      const el = m.target;
      if (el.tagName === 'IMG' && m.attributeName === 'src') {
        el.addEventListener('load', () => painted(p.img), {once: true});
      } else if (el.nodeType === 1 && (el.matches(FIGURE) || el.querySelector(FIGURE))) {
        painted(p.img);
      } else {
        painted(p.table);
      }
    }
  });
  window.addEventListener('keydown', onKey, {capture: true, once: true});
  observer.observe(area, {subtree: true, childList: true, attributes: true, characterData: true});
  p.stop = () => observer.disconnect();
  window.__rnnlibProbe = p;
  return true;
}"""
# Per in-page view (rnnlib's FrameSwitcher): the global indices and values of the sliders in its
# view, its grid (counts, figure axes, from data attributes) and the frame on its canvas.
SWITCHERS = """() => {
  const handles = Array.from(document.querySelectorAll('.jp-Notebook .widget-slider .noUi-handle'));
  const numbers = (text) => (text ? text.split(' ').map(Number) : []);
  return Array.from(document.querySelectorAll('.jp-Notebook .rnnlib-frames')).map(el => {
    const own = handles.filter(h => el.parentElement.contains(h));
    const frame = el.querySelector('canvas.rnnlib-frame').dataset.frame;
    return {
      sliders: own.map(h => handles.indexOf(h)),
      values: own.map(h => Number(h.getAttribute('aria-valuenow'))),
      counts: numbers(el.dataset.counts),
      figure_axes: numbers(el.dataset.figureAxes),
      frame: frame === undefined ? null : Number(frame),
      label: el.querySelector('canvas.rnnlib-frame').getAttribute('aria-label'),
    };
  });
}"""
FIT = """() => {
  const FIGURE = 'canvas.rnnlib-frame, img.widget-image, .rnnlib-frames-table, .widget-html';
  const outs = Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'));
  return outs.flatMap(out => {
    const area = out.getBoundingClientRect();
    return Array.from(out.querySelectorAll(FIGURE)).map(el => {
      const r = el.getBoundingClientRect();
      return {what: el.className.split(' ')[0], left: r.left, right: r.right,
              area_left: area.left, area_right: area.right,
              scroll: el.scrollWidth, client: el.clientWidth};
    });
  });
}"""
LEFT_PANEL = """() => {
  const panel = document.querySelector('#jp-left-stack');
  return panel ? panel.getBoundingClientRect().width : 0;
}"""
PROBE_STATE = """() => {
  const p = window.__rnnlibProbe;
  return {t0: p.t0, img: p.img.slice(), table: p.table.slice()};
}"""


def unrun_code_cells(cells):
    """(code, unrun): the 1-based numbers, among all cells, of the code cells in cells
    (NotebookPage.cells()) and of those that have no execution count."""
    code = [i for i, c in enumerate(cells, 1) if c["type"] == "code"]
    return code, [i for i in code if cells[i - 1]["execution_count"] is None]


def output_problems(cells, harmless=()):
    """(errors, notes) in the outputs of cells (NotebookPage.cells()), each a string naming its
    cell (1-based, among all cells). Errors: error outputs and tracebacks written to stderr.
    Notes: any other stderr text (warnings), but text starting with one of `harmless`."""
    errors, notes = [], []
    for i, cell in enumerate(cells, 1):
        for out in cell["outputs"]:
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            if out["output_type"] == "error":
                errors.append(f"cell {i}: {out['ename']}: {out['evalue']}")
            elif out["output_type"] != "stream" or out["name"] != "stderr":
                continue
            elif "Traceback (most recent call last)" in text:
                errors.append(f"cell {i}: traceback on stderr: {text[-400:]}")
            elif not text.startswith(tuple(harmless)):
                notes.append(f"cell {i} wrote to stderr: {text[:300]}")
    return errors, notes


class NotebookPage:
    """One notebook open in a running JupyterLab, in a browser page.

    Inputs: page, a Playwright Page (Lab is loaded into it on first use and reused after, each
    notebook opening in turn with its own kernel); server, the dict lab.lab_server yields;
    path, the notebook's path relative to the server root (e.g. "notebooks/01_overview.ipynb").
    Attributes: page, console_errors and page_errors (strings gathered while this notebook was
    open).
    """

    def __init__(self, page, server, path):
        self.page, self.server, self.path = page, server, path
        self.console_errors, self.page_errors = [], []
        self._listeners = {
            "pageerror": lambda e: self.page_errors.append(str(e)),
            "console": lambda m: m.type == "error" and self.console_errors.append(m.text),
        }
        for event, listener in self._listeners.items():
            self.page.on(event, listener)

    def open(self, timeout=90):
        """Show the notebook (loading Lab with a fresh workspace if needed); wait for its kernel."""
        if self.page.evaluate("() => Boolean(window.jupyterapp)"):
            open_it = (
                "async (path) => { await jupyterapp.commands.execute('docmanager:open', {path}); }"
            )
            self.page.evaluate(open_it, self.path)
        else:
            query = urllib.parse.urlencode({"token": self.server["token"]})
            url = f"{self.server['url']}/lab/tree/{self.path}?reset&{query}"
            self.page.goto(url, timeout=timeout * 1000)
        shown = f"{PANEL}?.context?.path === {json.dumps(self.path)} && {KERNEL_IDLE}"
        self.page.wait_for_function(shown, timeout=timeout * 1000, polling=100)
        # the file browser open beside the notebook, as on a student's laptop
        self.page.evaluate(
            "async () => { await jupyterapp.commands.execute('filebrowser:activate'); }"
        )

    def menu(self, top, item, attempts=3):
        """Click a menu-bar entry, then one of its items (both by their visible text).

        A click on the menu bar can be lost on a loaded machine (the editor still holds the
        focus, or the menu opened and closed again): CI once waited 30 s for an item of a menu
        that was not open. So when the item does not show within 5 s, the menu is closed with
        Escape and opened again, up to `attempts` times; then the last error is raised."""
        exact = re.compile(f"^{re.escape(top)}$")
        entries = self.page.locator(".lm-Menu:visible .lm-Menu-itemLabel")
        for attempt in range(attempts):
            self.page.locator(".lm-MenuBar-itemLabel", has_text=exact).click()
            entry = entries.get_by_text(item, exact=True)
            try:
                entry.wait_for(state="visible", timeout=5_000)
            except PlaywrightTimeoutError:
                if attempt == attempts - 1:
                    raise
                self.page.keyboard.press("Escape")
                continue
            entry.click()
            return

    def run_all(self, timeout=120, complete=True):
        """Clear every output, Run > Run All Cells, and wait until it finished (or failed).

        Clearing first means every execution count and widget seen afterwards comes from this
        run, not from the outputs stored in the file. Returns the seconds Run All took. With
        `complete`, then waits (up to `timeout` s more) until every view's page holds all its
        frames, which the kernel draws after the cells return: presses after that are answered
        by the page alone. self.complete_seconds is that wait (None without `complete`).
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        start = time.monotonic()
        self.menu("Run", "Run All Cells")
        self.page.wait_for_function(ALL_RAN, timeout=timeout * 1000, polling=100)
        seconds = time.monotonic() - start
        self.page.wait_for_function(WIDGETS_RENDERED, timeout=30_000, polling=100)
        self.complete_seconds = None
        if complete:
            self.page.wait_for_function(FRAMES_COMPLETE, timeout=timeout * 1000, polling=100)
            self.complete_seconds = time.monotonic() - start - seconds
        return seconds

    def cells(self):
        """The notebook's cells as dicts: type, execution_count, outputs (nbformat JSON)."""
        return self.page.evaluate(CELLS)

    def widget_errors(self):
        """Texts of widgets that failed to render in the page."""
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'))
              .filter(o => o.textContent.startsWith('Error displaying widget')
                || o.querySelector('.jupyter-widgets-error-widget'))
              .map(o => o.textContent.slice(0, 300))"""
        )

    def rendered_widget_views(self):
        """How many outputs show a rendered widget view in the page."""
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-OutputArea-output'))
              .filter(o => o.querySelector(':scope > .jupyter-widgets')).length"""
        )

    def sliders(self):
        """Every slider handle on the page: index, cell (1-based), label, value, min, max."""
        return self.page.evaluate(SLIDERS)

    def frame_switchers(self):
        """Every in-page view: its sliders (global indices, values), grid and shown frame."""
        return self.page.evaluate(SWITCHERS)

    def fit(self):
        """Every figure, canvas and table in an output: its box and its output area's box (CSS
        px), and its scroll and client widths (scroll > client: content cut off)."""
        return self.page.evaluate(FIT)

    def left_panel_width(self):
        """The width of the open left sidebar panel (the file browser), 0 when it is closed."""
        return self.page.evaluate(LEFT_PANEL)

    def handle(self, index):
        """The handle of slider `index` (a Playwright locator)."""
        return self.page.locator(".jp-Notebook .widget-slider .noUi-handle").nth(index)

    def view_of(self, index):
        """The figure area of the view slider `index` belongs to (a Playwright locator): the
        child of the view that holds its figure <img> and table, without the controls."""
        img = ".//img[contains(@class,'widget-image')]"
        has_img = f"[{img} or .//canvas[contains(@class,'rnnlib-frame')]]"
        return self.handle(index).locator(f"xpath=ancestor::*{has_img}[1]/*{has_img}")

    def press(self, index, key, quiet=0.2, timeout=5.0):
        """Focus slider `index`, press `key`, and wait until its view has settled.

        Settled: something in the view (figure or table) repainted, then nothing changed for
        `quiet` seconds. Returns (figure_ms, settled_ms): keydown to the last repaint of the
        figure (None if it did not repaint), and to the last repaint of anything in the view
        (None if nothing repainted within `timeout` seconds).
        """
        handle = self.handle(index)
        handle.scroll_into_view_if_needed()
        handle.focus()
        if handle.evaluate(PROBE) is None:
            raise AssertionError(f"slider {index} belongs to no view with a figure <img>")
        self.page.keyboard.press(key)
        deadline, last, count = time.monotonic() + timeout, time.monotonic(), 0
        while time.monotonic() < deadline:
            state = self.page.evaluate(PROBE_STATE)
            seen = len(state["img"]) + len(state["table"])
            if seen != count:
                last, count = time.monotonic(), seen
            elif seen and time.monotonic() - last >= quiet:
                break
            time.sleep(0.02)
        self.page.evaluate("window.__rnnlibProbe.stop()")
        if not count or state["t0"] is None:
            return None, None
        t0 = state["t0"]
        figure = state["img"][-1] - t0 if state["img"] else None
        return figure, max(state["img"] + state["table"]) - t0

    def screenshot(self, path, max_height=9000):
        """Save the whole notebook as one PNG (the viewport grows to the notebook's height)."""
        size = self.page.viewport_size
        height = self.page.evaluate(
            f"""() => {{
              const node = {PANEL}.content.node;
              const outer = node.querySelector('.jp-WindowedPanel-outer') || node;
              return outer.scrollHeight + (window.innerHeight - outer.clientHeight);
            }}"""
        )
        self.page.set_viewport_size({"width": size["width"], "height": min(height, max_height)})
        try:
            self.page.wait_for_timeout(300)  # let Lab lay the taller panel out
            self.page.screenshot(path=str(path))
        finally:
            self.page.set_viewport_size(size)

    def close(self):
        """Shut the notebook's kernel down and close its tab without saving."""
        try:
            self.page.evaluate(
                f"""async () => {{
                  const panel = {PANEL};
                  if (!panel) return;
                  await panel.sessionContext.shutdown();
                  panel.dispose();
                }}"""
            )
        finally:
            for event, listener in self._listeners.items():
                self.page.remove_listener(event, listener)


def each_open(paths):
    """Each notebook of `paths` (files in notebooks/) opened in turn in one page of a fresh
    JupyterLab and headless Chromium (lab.lab_server, lab.chromium), as the benchmarks visit
    them: yields (path, NotebookPage) with the notebook open and its kernel idle, and closes it
    before opening the next."""
    import lab  # a sibling module: its folder is on the path of whoever imported this one

    with lab.lab_server() as server, lab.chromium() as context:
        page = context.new_page()
        for path in paths:
            nb = NotebookPage(page, server, f"notebooks/{path.name}")
            try:
                nb.open()
                yield path, nb
            finally:
                nb.close()
