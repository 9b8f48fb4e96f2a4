"""The engine: declared views (rnnlib.widgets.spec) made live with ipywidgets, every state
rendered once and switched in the page.

Why frames: a slider press must answer at once. Rendering a figure costs tens of milliseconds,
showing a frame the page already holds costs about one. So every state of a view's grid is
rendered ahead of any press (when the view is built, or in a kernel just after: see below), and
the page holds all the frames (FrameSwitcher) and switches them itself, without the kernel; the
kernel follows each change too (result, png(), html). A view that cannot be switched in the page
(too many states, an update that changes an artist it did not declare) is an error at build
time, never a silent fallback. Tables are HTML beside the figure, far cheaper than text drawn in
matplotlib. When the view names the artists that move, a frame is blitted: the static rest of
the figure is drawn once as a background, and each frame copies it back and draws only the
moving artists (axes, ticks and text are most of a full draw's cost). PIL comes with matplotlib,
which uses it to write PNGs.

When the view is built in a running event loop (a notebook kernel: ipykernel, or Pyodide's in the
browser), only the default state and the states one step from it along each control (so a
first press answers at once, even during a Run All) are done before the cell returns. The update
of every figure state still runs then (checked, so a view that cannot be switched in the page
fails in its own cell), but drawing and encoding the other frames (most of a build: seconds for
a view of a hundred frames), their tables and details (a sampled text), and the states that
differ only in table-only controls (a sampler's seed) are left to one background task
(_Filler). It completes one state per step, nearest the controls first, and sends each to the
page as it is made. A press on a state not done yet is done by the kernel on demand (the
controls are observed). An error in a table or details found there is printed and raised by
filled(); with every state done first it is raised by the build. Once every state is done, the
switcher's `frames` and `tables` traits hold them all (saved widget state, a second view of the
output). Without a running loop in a notebook kernel (scripts, tests), or with
RNNLIB_RENDER=eager in the environment (the site build stores the widget state), every state is
done before the view is returned. Under Pyodide the task runs on its event loop: no threads.
"""

import asyncio
import base64
import html
import io
import itertools
import math
import os
import sys
import traceback

import ipywidgets as widgets
from PIL import Image

from ..draw.style import DPI, SCALE, describe, freeze_layout, readable
from .frames import FrameSwitcher
from .layout import control_row
from .nextstep import NextStepTable
from .spec import FigureSpec, TextSpec

PRERENDER_LIMIT = 128  # figure frames per view, at most (the page holds them all)
STATE_LIMIT = 256  # states (figure frame + table) per view, at most
RENDER = "RNNLIB_RENDER"  # environment: how frames are drawn (see filling_loop)
RENDER_MODES = ("", "eager", "background")


def _in_a_kernel():
    """Whether this code runs in a notebook kernel: an IPython shell with a kernel (ipykernel's,
    or the Pyodide kernel's in the browser). IPython is looked up, not imported."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def filling_loop():
    """The running event loop the frames are filled in on, or None when every frame must be
    drawn before build returns. RNNLIB_RENDER unset or empty: the loop when running in a
    notebook kernel (its loop keeps running between cells; a script that runs an event loop
    for something else, such as a browser driver, may not); "background": any running loop
    (tests); "eager": none (the site build)."""
    mode = os.environ.get(RENDER, "")
    if mode not in RENDER_MODES:
        raise ValueError(f"{RENDER}={mode!r}: expected one of {RENDER_MODES} (empty: automatic)")
    if mode == "eager" or (mode == "" and not _in_a_kernel()):
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


QUIET_S = 0.05  # after a cell or a message held the loop, it must stay free this long
NEXT_S = 0.001  # then one frame after another, each after a timer this short...
LATE_S = 0.015  # ...that fires on time: later than this, something else ran (Pyodide's timers
# are clamped to about 4 ms)


class _Filler:
    """One task that draws the missing frames of every view, one frame per step, the view
    built last first (a cell run again supersedes its older view). It draws only while the
    loop is free: a frame waits for a timer that fired on time, so a cell that held the loop
    (in a Run All the next cell is queued already) sends it back to waiting for a quiet spell.
    The notebook waits for a frame only when a cell arrives while one is being drawn (tens of
    milliseconds)."""

    def __init__(self):
        self.views = []
        self.task = None
        self.errors = []  # (view name, exception) of views whose filling failed

    def add(self, view, loop):
        self.views.append(view)
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._run())

    async def _run(self):
        loop = asyncio.get_running_loop()
        quiet = False
        while self.views:
            wait = NEXT_S if quiet else QUIET_S
            due = loop.time() + wait
            await asyncio.sleep(wait)  # a queued cell, a press, a message: their turn
            quiet = loop.time() - due < LATE_S
            if not quiet:
                continue
            view = self.views[-1]
            try:
                more = view.fill_step()
            except Exception as exc:  # shown, kept for filled(); the other views go on
                traceback.print_exc(file=sys.stderr)
                self.errors.append((view.name, exc))
                more = False
            if not more:
                self.views.remove(view)

    async def wait(self):
        while self.task is not None and not self.task.done():
            await asyncio.shield(self.task)
        if self.errors:  # said once
            (name, exc), self.errors = self.errors[0], []
            raise RuntimeError(f"drawing the frames of view {name!r} failed: {exc!r}") from exc


_FILLER = _Filler()


async def filled():
    """Wait until every view built so far has all its frames drawn and in the page; raises a
    RuntimeError naming the view if drawing one failed. (`await filled()` in a notebook cell.)"""
    await _FILLER.wait()


def control_values(controls):
    """The current values of a dict of controls, as a dict name -> value."""
    return {name: c.value for name, c in controls.items()}


def make_control(control):
    """The ipywidgets control of a spec.Control: a SelectionSlider or ToggleButtons over its
    (label, value) pairs, starting at its default; the engine reads its index."""
    options = list(zip(control.labels, control.values, strict=True))
    shared = {"options": options, "index": control.index(control.default)}
    shared["description"] = control.description
    if control.kind == "slider":  # every position while dragging, not only where it stops
        made = widgets.SelectionSlider(**shared, continuous_update=True)
    else:
        made = widgets.ToggleButtons(**shared)
        made.style.button_width = "auto"  # each button as wide as its label
    return made  # control_row shows its description whole


def _leaves(fig, skip):
    """The artists of fig that have no children, but those in skip."""
    return [a for a in fig.findobj() if a not in skip and not a.get_children()]


class FigureView:
    """A declared figure view made live (see rnnlib.widgets.spec.FigureSpec).

    Inputs: spec, a FigureSpec; prerender, True (every state rendered now and switched in the
    page; ValueError when there are more than STATE_LIMIT states or PRERENDER_LIMIT frames) or
    False (states rendered in the kernel when first shown, nothing in the page: for tests and
    scripts that look at a few states). The layout is computed once, for the default state.
    Attributes: spec, fig, update, table, grid (dict name -> Control), controls (dict name ->
    ipywidgets control), result (of the shown state), image (ipywidgets.Image, shown when
    frames come from the kernel), html, widget (the whole box), frames (dict state -> (png
    bytes, html, result)), animated, size and css_size (the frames' width and height in image
    and CSS pixels), switcher (the FrameSwitcher, or None with prerender=False), and the
    spec's attributes.
    """

    def __init__(self, spec, *, prerender=True):
        self.spec, self.fig, self.update, self.table = spec, spec.fig, spec.update, spec.table
        self.grid = dict(spec.controls)
        self.alt = spec.alt
        names = list(self.grid)
        self.figure_controls = names if spec.figure_controls is None else list(spec.figure_controls)
        unknown = [n for n in self.figure_controls if n not in self.grid]
        if unknown or not self.figure_controls:
            raise ValueError(
                f"figure_controls must name some of the controls {names}, "
                f"got {spec.figure_controls}"
            )
        self.fig.set_dpi(DPI * SCALE)  # frames at SCALE x pixels; every size in inches stays
        self.animated = sorted(spec.animated or [], key=lambda a: a.get_zorder())
        for a in self.animated:
            a.set_animated(True)  # left out of full draws: the layout draw leaves the background
        if prerender:
            self._check_limits()
        self.background = None
        self.frames = {}  # state -> (png, html, result), for states whose frame is drawn
        self._states = {}  # state -> (html, result): every state's update, checked
        self._pngs = {}  # figure state (values of figure_controls) -> PNG bytes
        self._drawn = None  # the state the artists were last updated to
        self._sent = set()  # figure states whose frame the page holds
        self._sent_tables = set()  # states whose table the page holds
        loop = filling_loop() if prerender else None
        self.controls = {name: make_control(c) for name, c in self.grid.items()}
        self.image = widgets.Image(format="png")
        self.html = widgets.HTML()
        rows = [control_row(list(self.controls.values()))]
        if spec.title:
            rows.insert(0, widgets.HTML(f"<b>{spec.title}</b>"))
        body = [self.image] + ([self.html] if self.table is not None else [])
        wrap = widgets.Layout(flex_flow="row wrap", align_items="flex-start")  # narrow: below
        self.widget = widgets.VBox(rows + [widgets.HBox(body, layout=wrap)])
        self.switcher = None
        self._defaults = spec.defaults()
        self.result = self.update(**self._defaults)
        freeze_layout(self.fig)  # the layout of the default state serves every frame
        self._watch()
        if prerender:  # every figure state's update now (checked); the rest now or later
            for state in self.all_states() if loop is None else self._figure_defaults():
                self._checked_update(state) if loop else self.render(state)
        self._show(self._defaults)
        if loop is not None:  # a first press on any control answers at once, even while the
            for state in self._one_step_away(self._defaults):  # kernel runs the cells below
                self.render(state)
        self.size = Image.open(io.BytesIO(self._png)).size  # every frame's (width, height)
        self.css_size = tuple(round(n / SCALE) for n in self.size)
        width, height = (f"{n}px" for n in self.css_size)
        self.image.layout = widgets.Layout(width=width, height=height)  # a swap moves nothing
        if prerender:
            self._switch_in_page(rows)
            if not self.complete:
                _FILLER.add(self, loop)
        for c in self.controls.values():
            c.observe(self._on_change, names="index")
        for name, value in spec.attributes.items():
            if hasattr(self, name):
                raise ValueError(f"attribute {name!r} would hide the view's own; rename it")
            setattr(self, name, value)

    @property
    def name(self):
        """What the view is called in errors: its title, else its alt text, else its axes."""
        return self.spec.title or self.alt or describe(self.fig)

    def _check_limits(self):
        states = math.prod(len(c.values) for c in self.grid.values())
        frames = math.prod(len(self.grid[n].values) for n in self.figure_controls)
        if states > STATE_LIMIT:
            raise ValueError(
                f"view {self.name!r}: {states} states, more than the {STATE_LIMIT} (STATE_LIMIT) "
                "the page can hold; offer fewer values"
            )
        if frames > PRERENDER_LIMIT:
            raise ValueError(
                f"view {self.name!r}: {frames} figure frames, more than the {PRERENDER_LIMIT} "
                "(PRERENDER_LIMIT) the page can hold; offer fewer values, or name the controls "
                "that change only the table outside figure_controls"
            )

    def all_states(self):
        """Every state of the grid, row-major (the first control varies slowest), as dicts."""
        names = list(self.grid)
        grids = (c.values for c in self.grid.values())
        return [dict(zip(names, v, strict=True)) for v in itertools.product(*grids)]

    def _watch(self):
        """What a blitted frame may not change, as drawn for the default state: the leaf
        artists that are not animated, how many artists each axes holds, the view limits."""
        if not self.animated:
            return
        moving = {d for a in self.animated for d in a.findobj()}
        self._still = _leaves(self.fig, moving)
        self._counts = self._artist_counts()
        self._limits = [tuple(ax.viewLim.bounds) for ax in self.fig.axes]

    def _artist_counts(self):
        return [len(self.fig.get_children())] + [len(ax.get_children()) for ax in self.fig.axes]

    def _checked_update(self, values):
        """update(**values); when frames are blitted, a ValueError if it changed more than the
        animated artists (an artist marked stale, an artist added or removed, view limits
        moved): the background would show the default state's version of it."""
        self._drawn = self._key(values)
        if not self.animated:
            return self.update(**values)
        for a in self._still:
            a.stale = False
        result = self.update(**values)
        changed = [a for a in self._still if a.stale]
        reason = None
        if changed:
            reason = f"changed {changed[0]!r} ({len(changed)} in all), not declared animated"
        elif self._artist_counts() != self._counts:
            reason = "added or removed artists"
        elif [tuple(ax.viewLim.bounds) for ax in self.fig.axes] != self._limits:
            reason = "moved an axes' view limits"
        if reason:
            raise ValueError(
                f"view {self.name!r}: update({values}) {reason}; a blitted frame redraws only "
                "the animated artists, so declare every artist update changes as animated"
            )
        return result

    def _switch_in_page(self, rows):
        """The page holds every frame and table (FrameSwitcher) and reads the controls' indices
        itself (the position vector), so a press never waits for the kernel (the kernel round
        trip and the image reload were most of the latency)."""
        names = list(self.grid)
        states = self.all_states()
        self._sent = set(self._pngs)
        self._sent_tables = set(self._states) if self.table else set()
        width, height = self.css_size
        self.switcher = FrameSwitcher(
            frames=self._page_frames(),
            tables=self._page_tables(),
            labels=[self.label(s) for s in states],
            scale=SCALE,
            counts=[len(c.values) for c in self.grid.values()],
            figure_axes=[names.index(n) for n in self.figure_controls],
            controls=list(self.controls.values()),
            width=width,
            height=height,
        )
        self.widget.children = (*rows, self.switcher)

    def figure_states(self):
        """Every state of the figure controls, row-major (the frames' order in the page)."""
        return list(itertools.product(*(self.grid[n].values for n in self.figure_controls)))

    def _page_frames(self):
        """The PNG of every figure state, b"" for one not drawn yet (the page waits for it)."""
        return [self._pngs.get(v, b"") for v in self.figure_states()]

    def _page_tables(self):
        """The table of every state, "" for one not computed yet; [] for a view without."""
        if self.table is None:
            return []
        return [self._states.get(self._key(s), ("",))[0] for s in self.all_states()]

    def _one_step_away(self, values):
        """The states one step from `values` along each control, in the controls' order."""
        out = []
        for name, control in self.grid.items():
            i = control.index(values[name])
            for j in (i - 1, i + 1):
                if 0 <= j < len(control.values):
                    out.append({**values, name: control.values[j]})
        return out

    def _figure_defaults(self):
        """One state per figure state, the other controls at their defaults: the updates a
        build runs to check every frame's artists (tables, details and table-only states can
        wait)."""
        names = self.figure_controls
        return [
            {**self._defaults, **dict(zip(names, v, strict=True))} for v in self.figure_states()
        ]

    def fill_step(self):
        """Complete one state the page lacks (its frame or its table), the nearest in control
        steps to what the controls show, and send it to the page; when none is missing, give
        the switcher every frame and table. Returns whether states are still missing (the
        background task's step, see _Filler)."""
        if self.switcher.comm is None:  # closed: no page to fill
            return False
        missing = [s for s in self.all_states() if self._key(s) not in self.frames]
        if missing:
            at = {n: c.index for n, c in self.controls.items()}

            def steps(state):
                return sum(abs(self.grid[n].index(v) - at[n]) for n, v in state.items())

            self.render(min(missing, key=steps))
            return True
        with self.switcher.hold_sync():  # one message (each state was also sent as rendered)
            self.switcher.frames = self._page_frames()
            self.switcher.tables = self._page_tables()
        return False

    @property
    def complete(self):
        """Whether the page holds every frame and table."""
        if self.switcher is None:
            return True
        tables = len(self.switcher.tables)
        return len(self._sent) == len(self.switcher.frames) and len(self._sent_tables) == tables

    def _send(self, values):
        """Send the page what it lacks of a rendered state: a custom message {frame: index}
        with the PNG as its buffer, and/or {state: index, table: html}."""
        if self.switcher is None:
            return
        key, figure_key = self._key(values), self._key(values, self.figure_controls)
        msg, buffers = {}, []
        if figure_key not in self._sent:
            msg["frame"] = self._flat(values, self.figure_controls)
            buffers.append(self._pngs[figure_key])
            self._sent.add(figure_key)
        if self.table is not None and key not in self._sent_tables:
            msg["state"] = self._flat(values, self.grid)
            msg["table"] = self._states[key][0]
            self._sent_tables.add(key)
        if msg:
            self.switcher.send(msg, buffers)

    def _flat(self, values, names):
        """The place of a state in the page's row-major lists (frames over `names` =
        figure_controls, tables over every control), as frames.js computes it."""
        flat = 0
        for name in names:
            control = self.grid[name]
            flat = flat * len(control.values) + control.index(values[name])
        return flat

    def label(self, values):
        """The accessible name of the frame for a dict of control values: what the figure
        shows, then the values ("...: gain 3.0, rotation 0.0, seed 0")."""
        what = self.alt if self.alt else describe(self.fig)
        return f"{what}: " + ", ".join(f"{name} {v}" for name, v in values.items())

    def values(self):
        """The state the controls show: dict name -> value (read by index from the grid)."""
        return {n: self.grid[n].values[c.index] for n, c in self.controls.items()}

    def _key(self, values, names=None):
        return tuple(values[name] for name in (names or self.grid))

    def _state(self, values):
        """(table HTML, result) of a dict of control values: update run once, checked."""
        key = self._key(values)
        if key not in self._states:
            result = self._checked_update(values)
            if self.spec.details is not None:
                if not isinstance(result, dict):
                    raise ValueError(
                        f"view {self.name!r}: update({values}) gave {type(result).__name__}; "
                        "expected a dict, which details(**values) adds to"
                    )
                result = {**result, **self.spec.details(**values)}
            html = self.table(values, result) if self.table is not None else ""
            if self.table is not None and (not isinstance(html, str) or not html):
                raise ValueError(
                    f"view {self.name!r}: table({values}) gave {html!r}; expected a non-empty "
                    "HTML string (the page reads an empty table as one still to come)"
                )
            self._states[key] = (html, result)
        return self._states[key]

    def render(self, values):
        """Compute (or fetch from the cache) the frame, table and result for a dict of control
        values; the figure is rendered once per state of the figure controls; what the page
        does not hold yet is sent to it."""
        key = self._key(values)
        if key not in self.frames:
            html, result = self._state(values)
            figure_key = self._key(values, self.figure_controls)
            if figure_key not in self._pngs:
                if self._drawn != key:  # the artists show another state
                    self._checked_update(values)
                self._pngs[figure_key] = self._frame_png()
            self.frames[key] = (self._pngs[figure_key], html, result)
            self._send(values)
        return self.frames[key]

    def _frame_png(self):
        """PNG bytes of the figure as it stands: blitted when the moving artists are known."""
        buf = io.BytesIO()
        if not self.animated:  # update() may have added text: it too must be readable
            readable(self.fig)
            self.fig.savefig(buf, format="png", dpi=self.fig.dpi, pil_kwargs={"compress_level": 1})
            return buf.getvalue()
        canvas = self.fig.canvas
        if self.background is None:  # the canvas still holds the layout draw, without them
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self.background)
        for a in self.animated:
            self.fig.draw_artist(a)  # only what moves, in z-order
        rgba = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        rgba.save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def _show(self, values):
        png, html, result = self.render(values)
        self._png = png
        if self.switcher is None:  # in-page frames need no image sent: the page has them all
            self.image.value = png
        if self.table is not None:
            self.html.value = html
        self.result = result

    def _on_change(self, _change):
        self._show(self.values())

    def png(self):
        """The PNG bytes of the frame shown now."""
        return self._png

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and for readers without a kernel the default frame (PNG, with alt
        text) and, as HTML, the frame beside its table."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        png = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.label(self.values()), quote=True)
        width, height = self.css_size
        img = f'<img src="data:image/png;base64,{png}" width="{width}" alt="{alt}">'
        table = f'<div style="flex:1 1 22em">{self.html.value}</div>' if self.table else ""
        bundle["image/png"] = png
        bundle["text/html"] = f'<div style="display:flex;flex-wrap:wrap;gap:8px">{img}{table}</div>'
        bundle["text/plain"] = f"<interactive figure: {', '.join(self.controls)}>"
        meta = {"image/png": {"width": width, "height": height, "alt": alt}}
        return bundle, meta


class TextView:
    """A declared text view made live (see rnnlib.widgets.spec.TextSpec): a text box driving a
    table (no figure) that the page builds as you type (NextStepTable, jslinked to the box),
    so it answers without a kernel too. Attributes: controls ({"text": the box}), html (the
    NextStepTable; its value is the table's HTML), link, result, widget."""

    def __init__(self, spec):
        self.spec = spec
        box = widgets.Text(value=spec.value, description=spec.description, continuous_update=True)
        self.controls = {"text": box}
        self.html = NextStepTable(text=spec.value, **spec.page)
        self.widget = widgets.VBox([box, self.html])
        self.link = widgets.jslink((box, "value"), (self.html, "text"))
        box.observe(lambda _: self._show(), names="value")
        self._show()

    def _show(self):
        text = self.controls["text"].value
        self.html.text = text  # the page has it through the jslink; set for the kernel's side
        self.result, self.html.value = self.spec.respond(text)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.html.value
        bundle["text/plain"] = self.spec.plain
        return bundle


def build(spec, **options):
    """The live view of a declaration: a FigureView of a FigureSpec (options: prerender), a
    TextView of a TextSpec."""
    if isinstance(spec, FigureSpec):
        return FigureView(spec, **options)
    if isinstance(spec, TextSpec):
        return TextView(spec, **options)
    raise ValueError(f"build takes a FigureSpec or a TextSpec, got {type(spec).__name__}")


def progress_bar(n_iters, description="training"):
    """An IntProgress bar and a train() callback that moves it and shows the smoothed loss.

    Returns (widget, callback); pass callback to rnnlib.train.
    """
    bar = widgets.IntProgress(value=0, min=0, max=n_iters, description=description)
    label = widgets.Label("")

    def callback(info):
        bar.value = info.iteration
        label.value = f"iteration {info.iteration}, loss {info.smooth_loss_per_char:.3f} nats/char"

    return widgets.HBox([bar, label]), callback
