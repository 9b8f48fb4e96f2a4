"""The built course site (site/) in headless Chromium: served, opened and read back.

Used by tests/browser/test_site_pages.py and benchmarks/site_latency.py. site/ is served by a
static server in a thread and every request outside that server is aborted (and recorded). A
page's views are read from the data-* attributes rnnlib's frames.js sets on each FrameSwitcher.
"""

import contextlib
import functools
import http.server
import importlib.util
import threading
import time

import lab

SITE = lab.REPO / "site"

# In the page from its first moment: when the first and the last view became interactive (a
# canvas showing a frame), and a keydown -> frame-painted timer for the latency figures.
INIT = """(() => {
  window.__site = {first: null, all: null, presses: []};
  const tick = () => {
    const shown = document.querySelectorAll('canvas.rnnlib-frame[data-frame]').length;
    if (shown && window.__site.first === null) window.__site.first = performance.now();
    if (window.__expected !== undefined && shown >= window.__expected) {
      window.__site.all = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.addEventListener('keydown', (e) => { window.__site.t0 = e.timeStamp; }, true);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName !== 'data-frame' || window.__site.t0 === undefined) continue;
      const t0 = window.__site.t0;
      window.__site.t0 = undefined;
      requestAnimationFrame(() => window.__site.presses.push(performance.now() - t0));
    }
  }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-frame']});
})()"""
# Per view (rnnlib's FrameSwitcher): its controls in order (sliders: value; toggle buttons or a
# dropdown: index), its grid from the data attributes, and the frame on its canvas.
VIEWS = """() => Array.from(document.querySelectorAll('.rnnlib-frames')).map(el => {
  const numbers = (text) => (text ? text.split(' ').map(Number) : []);
  const controls = Array.from(el.parentElement.querySelectorAll(
    '.noUi-handle, .widget-toggle-buttons, select')).map(c => {
    const attr = (name) => Number(c.getAttribute(name));
    if (c.matches('.noUi-handle'))
      return {kind: 'slider', value: attr('aria-valuenow'), max: attr('aria-valuemax')};
    if (c.matches('select'))
      return {kind: 'select', value: c.selectedIndex, max: c.options.length - 1};
    const buttons = Array.from(c.querySelectorAll('button'));
    return {kind: 'toggle', value: buttons.findIndex(b => b.classList.contains('mod-active')),
            max: buttons.length - 1};
  });
  const canvas = el.querySelector('canvas.rnnlib-frame');
  return {
    controls,
    values: controls.map(c => c.value),
    counts: numbers(el.dataset.counts),
    figure_axes: numbers(el.dataset.figureAxes),
    frame: canvas.dataset.frame === undefined ? null : Number(canvas.dataset.frame),
    label: canvas.getAttribute('aria-label'),
  };
})"""


@functools.cache
def builder():
    """scripts/build_site.py as a module, loaded once."""
    spec = importlib.util.spec_from_file_location("build_site", lab.REPO / "scripts/build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_names():
    """Every page of the site in order: NAME and NAME-present for each notebook."""
    return builder().page_names()


@contextlib.contextmanager
def static_server(directory):
    """A static HTTP server of directory on 127.0.0.1 (a free port), in a thread; yields the
    server: its base URL is server.base, and server.bytes_sent counts the bytes of every
    response body it has sent so far (from Content-Length)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.base = f"http://127.0.0.1:{server.server_address[1]}/"
    server.bytes_sent, server.lock = 0, threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def served(chromium=None, site=SITE):
    """(base URL, browser context, requests aborted): site/ (built if missing or older than its
    sources) served on 127.0.0.1, and a context of chromium (a Playwright browser; one of its
    own when None) that can reach nothing else."""
    builder().ensure_built(site)
    aborted = []
    with static_server(site) as server, contextlib.ExitStack() as stack:
        if chromium is None:
            chromium = stack.enter_context(lab.browser())
        context = confined_context(chromium, server.base, aborted)
        stack.callback(context.close)
        yield server.base, context, aborted


def confined_context(chromium, base, aborted, viewport=(1366, 768), scale=2, init=INIT):
    """A browser context that reaches only base (every other request aborted and appended to
    aborted), with the page timers of INIT (init=None: no script of ours in its pages)."""
    context = lab.new_context(chromium, viewport, scale)

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            aborted.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    if init:
        context.add_init_script(init)
    return context


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            with self.server.lock:
                self.server.bytes_sent += int(value)
        super().send_header(keyword, value)


def open_page(base, context, page_name):
    """Open one page; returns (page, errors, expected views); waits until every view shows."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: console_error(errors, m))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    expected = expected_views(page_name)
    page.add_init_script(f"window.__expected = {expected}")
    page.goto(base + f"{page_name}.html", wait_until="load")
    if expected:
        page.wait_for_function(
            "n => document.querySelectorAll('canvas.rnnlib-frame[data-frame]').length >= n",
            arg=expected,
            timeout=30_000,
        )
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll(
            'script[type="application/vnd.jupyter.widget-view+json"]')).every(s =>
              s.previousElementSibling && s.previousElementSibling.matches('.widget-subarea')
              && s.previousElementSibling.childElementCount > 0)""",
        timeout=30_000,
    )
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.isReady")
    page.wait_for_function(
        "() => new Promise(ok => MathJax.Hub.Queue(() => ok(true)))", timeout=30_000
    )
    return page, errors, expected


def expected_views(page_name):
    """How many views of the page hold their frames in the page (a FrameSwitcher, the AnyModel
    with frames, among the widgets a displayed view refers to)."""
    build = builder()
    state, views = build.page_widgets((SITE / f"{page_name}.html").read_text(encoding="utf-8"))
    return sum(
        any("frames" in state[m]["state"] for m in build._subtree(state, view)) for view in views
    )


def console_error(errors, message):
    """Console errors, but the browser's own note on a failed load (the response is recorded)."""
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def wait_frame(page, n, timeout=3.0):
    """The state of view n once its canvas shows the frame of its controls (or after timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        view = page.evaluate(VIEWS)[n]
        if view["frame"] == lab.frame_for(view) or time.monotonic() > deadline:
            return view
        time.sleep(0.02)


def change(page, n, k, control, forward):
    """Move control k of view n one step (forward or back) the way a student would."""
    root = page.locator(".rnnlib-frames").nth(n).locator("xpath=..")
    if control["kind"] == "slider":
        handle = root.locator(".noUi-handle").nth(_nth_of(page, n, k, "slider"))
        handle.focus()
        page.keyboard.press("ArrowRight" if forward else "ArrowLeft")
    elif control["kind"] == "toggle":
        group = root.locator(".widget-toggle-buttons").nth(_nth_of(page, n, k, "toggle"))
        group.locator("button").nth(control["value"] + (1 if forward else -1)).click()
    else:
        select = root.locator("select").nth(_nth_of(page, n, k, "select"))
        select.select_option(index=control["value"] + (1 if forward else -1))


def _nth_of(page, n, k, kind):
    return [c["kind"] for c in page.evaluate(VIEWS)[n]["controls"][:k]].count(kind)


def timings(page):
    """(first, all, presses): ms from navigation start until the first and the last view showed
    a frame, and every keydown -> new frame painted so far (ms), as the page recorded them."""
    first, last, presses = page.evaluate(
        "() => [window.__site.first, window.__site.all, window.__site.presses]"
    )
    return first, last, presses
