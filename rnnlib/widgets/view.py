"""FigureView: a figure built once, redrawn by updating its artists, shown as cached PNG frames.

Why frames: a slider press must answer at once. Rendering a figure costs tens of milliseconds,
showing a frame the page already holds costs about one. So each distinct state of the controls is
rendered once, ahead of time when the states are few enough, and when every state is ready the
page holds all the frames (FrameSwitcher) and a press only draws another one, without the kernel.
Otherwise the kernel sends the cached frame. Tables are HTML beside the figure, far cheaper than
text drawn in matplotlib. When the view is told which artists move, a frame is blitted: the
static rest of the figure is drawn once as a background, and each frame copies it back and draws
only the moving artists (axes, ticks and text are most of a full draw's cost).
PIL comes with matplotlib, which uses it to write PNGs.
"""

import base64
import html
import io
import itertools
import math

import ipywidgets as widgets
from PIL import Image

from ..draw.style import DPI, SCALE, describe, freeze_layout, readable
from .frames import MAX_CONTROLS, FrameSwitcher
from .layout import control_row

PRERENDER_LIMIT = 128  # figure frames rendered ahead of time, at most, per view
STATE_LIMIT = 256  # states (figure frame + table) computed ahead of time, at most, per view


def _shown(value):
    """A control value as the label shows it (a top-k pair as its label)."""
    return value[0] if isinstance(value, tuple) else value


def control_values(controls):
    """The current values of a dict of controls, as a dict name -> value."""
    return {name: c.value for name, c in controls.items()}


def _choices(control):
    """Every value a discrete control can take, or None for a continuous one."""
    if isinstance(control, (widgets.IntSlider, widgets.BoundedIntText)):
        return list(range(control.min, control.max + 1, control.step or 1))
    if isinstance(control, widgets.FloatSlider):
        n = round((control.max - control.min) / control.step)
        return [round(control.min + i * control.step, 10) for i in range(n + 1)]
    values = getattr(control, "_options_values", None)  # selection widgets keep their values here
    return list(values) if values is not None else None


class FigureView:
    """Controls driving a figure through an update function, with frames cached by state.

    Inputs: fig, a matplotlib Figure built once; update(**values) -> result, which changes the
    figure's artists for the given control values and returns whatever the view should expose
    (tests read it as view.result); controls, a dict name -> ipywidgets control;
    table(values, result) -> HTML string, optional, shown beside the figure;
    figure_controls, optional: the names of the controls the figure depends on (default all;
    the others change only the table, and states that differ only in them share one frame);
    prerender, compute up front every state of the controls when there are at most
    STATE_LIMIT states and PRERENDER_LIMIT distinct frames, else every state along each control
    (others at their defaults) when those are few enough. The layout is computed once, for the
    default state,
    so axis limits and label sizes should not depend on the controls in a way that needs more
    room. animated, optional: the artists update() changes (it must change no others); frames
    are then blitted over a background drawn once.
    Attributes: controls, result (of the last update), image (ipywidgets.Image), html,
    widget (the whole box), frames (dict state -> (png bytes, html, result)), animated,
    size (the frames' width and height in pixels),
    switcher (the FrameSwitcher holding every frame in the page, or None when frames come
    from the kernel), links (the jslinks from the controls to the switcher).
    """

    def __init__(
        self,
        fig,
        update,
        controls,
        *,
        table=None,
        prerender=True,
        title=None,
        animated=None,
        figure_controls=None,
        alt=None,
    ):
        self.fig, self.update, self.controls, self.table = fig, update, dict(controls), table
        fig.set_dpi(DPI * SCALE)  # frames at SCALE x pixels; every size in inches stays
        self.alt = alt
        names = list(self.controls)
        self.figure_controls = names if figure_controls is None else list(figure_controls)
        unknown = [n for n in self.figure_controls if n not in self.controls]
        if unknown or not self.figure_controls:
            raise ValueError(
                f"figure_controls must name some of the controls {names}, got {figure_controls}"
            )
        self.animated = sorted(animated or [], key=lambda a: a.get_zorder())
        for a in self.animated:
            a.set_animated(True)  # left out of full draws: the layout draw leaves the background
        self.background = None
        self.frames = {}
        self._pngs = {}  # figure state (values of figure_controls) -> PNG bytes
        self.image = widgets.Image(format="png")
        self.html = widgets.HTML()
        self.result = None
        for c in self.controls.values():
            c.continuous_update = True
            c.observe(self._on_change, names="value")
            if hasattr(c.style, "description_width"):
                c.style.description_width = "initial"  # the whole label, never "temperat..."
        rows = [control_row(list(self.controls.values()))]
        if title:
            rows.insert(0, widgets.HTML(f"<b>{title}</b>"))
        body = [self.image] + ([self.html] if table is not None else [])
        wrap = widgets.Layout(flex_flow="row wrap", align_items="flex-start")  # narrow: below
        self.widget = widgets.VBox(rows + [widgets.HBox(body, layout=wrap)])
        self.switcher, self.links = None, []  # set when frames switch in the page
        self._defaults = control_values(self.controls)
        update(**self._defaults)
        freeze_layout(fig)  # the layout of the default state serves every frame
        if prerender:
            self._prerender()
        self._show(self._defaults)
        self.size = Image.open(io.BytesIO(self._png)).size  # every frame's (width, height)
        self.css_size = tuple(round(n / SCALE) for n in self.size)
        width, height = (f"{n}px" for n in self.css_size)
        self.image.layout = widgets.Layout(width=width, height=height)  # a swap moves nothing
        self._switch_in_page(rows)

    def _switch_in_page(self, rows):
        """When every state of the controls is computed, frames switch in the page itself.

        A FrameSwitcher holds every frame and table in the page; each control is jslinked to
        one of its integer traits, so a press never waits for the kernel (the kernel round trip
        and the image reload were most of the latency). The kernel still follows each change,
        so result, png() and html stay current. An IntSlider links its value (offset by its
        minimum), a selection control its index.
        """
        links = []  # (control, linked attribute, offset, values) per control
        for c in self.controls.values():
            choices = _choices(c)
            if isinstance(c, widgets.IntSlider) and c.step == 1:
                links.append((c, "value", c.min, choices))
            elif hasattr(c, "index") and choices is not None:
                links.append((c, "index", 0, choices))
            else:
                return
        names = list(self.controls)
        grids = dict(zip(names, (values for *_, values in links), strict=True))
        states = list(itertools.product(*grids.values()))  # keys, in the controls' order
        if len(links) > MAX_CONTROLS or any(k not in self.frames for k in states):
            return
        # one frame per state of the figure controls, row-major, as the page reads them
        frames = [
            self._pngs[v] for v in itertools.product(*(grids[n] for n in self.figure_controls))
        ]
        width, height = self.css_size
        self.switcher = FrameSwitcher(
            frames=frames,
            tables=[self.frames[k][1] for k in states] if self.table is not None else [],
            labels=[self.label(dict(zip(names, k, strict=True))) for k in states],
            scale=SCALE,
            counts=[len(values) for *_, values in links],
            offsets=[offset for _, _, offset, _ in links],
            figure_axes=[names.index(n) for n in self.figure_controls],
            width=width,
            height=height,
        )
        for k, (c, attr, _, _) in enumerate(links):
            setattr(self.switcher, f"i{k}", getattr(c, attr))
            self.links.append(widgets.jslink((c, attr), (self.switcher, f"i{k}")))
        self.widget.children = (*rows, self.switcher)

    def label(self, values):
        """The accessible name of the frame for a dict of control values: what the figure
        shows, then the values ("...: gain 3.0, rotation 0.0, seed 0")."""
        what = self.alt if self.alt else describe(self.fig)
        return f"{what}: " + ", ".join(f"{name} {_shown(v)}" for name, v in values.items())

    def _key(self, values, names=None):
        return tuple(values[name] for name in (names or self.controls))

    def render(self, values):
        """Compute (or fetch from the cache) the frame, table and result for a dict of control
        values; the figure is rendered once per state of the figure controls."""
        key = self._key(values)
        if key not in self.frames:
            result = self.update(**values)
            html = self.table(values, result) if self.table is not None else ""
            figure_key = self._key(values, self.figure_controls)
            if figure_key not in self._pngs:
                self._pngs[figure_key] = self._frame_png()
            self.frames[key] = (self._pngs[figure_key], html, result)
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

    def _prerender(self):
        grids = [_choices(c) for c in self.controls.values()]
        states = []
        if None not in grids and math.prod(len(g) for g in grids) <= STATE_LIMIT:
            states = [dict(zip(self.controls, v, strict=True)) for v in itertools.product(*grids)]
        if not self._few(states):  # too many together: the states along each control
            states = [dict(self._defaults)]
            for name, grid in zip(self.controls, grids, strict=True):
                states += [{**self._defaults, name: v} for v in grid or []]
        unique = {self._key(s): s for s in states}
        if self._few(unique.values()):
            for s in unique.values():
                self.render(s)

    def _few(self, states):
        """Whether states (dicts of control values) are few enough to compute up front."""
        states = list(states)
        figures = {self._key(s, self.figure_controls) for s in states}
        return 0 < len(states) <= STATE_LIMIT and len(figures) <= PRERENDER_LIMIT

    def _show(self, values):
        png, html, result = self.render(values)
        self._png = png
        if self.switcher is None:  # in-page frames need no image sent: the page has them all
            self.image.value = png
        if self.table is not None:
            self.html.value = html
        self.result = result

    def _on_change(self, _change):
        self._show(control_values(self.controls))

    def png(self):
        """The PNG bytes of the frame shown now."""
        return self._png

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and for readers without a kernel the default frame (PNG, with alt
        text) and, as HTML, the frame beside its table."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        png = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.label(control_values(self.controls)), quote=True)
        width, height = self.css_size
        img = f'<img src="data:image/png;base64,{png}" width="{width}" alt="{alt}">'
        table = f'<div style="flex:1 1 22em">{self.html.value}</div>' if self.table else ""
        bundle["image/png"] = png
        bundle["text/html"] = f'<div style="display:flex;flex-wrap:wrap;gap:8px">{img}{table}</div>'
        bundle["text/plain"] = f"<interactive figure: {', '.join(self.controls)}>"
        meta = {"image/png": {"width": width, "height": height, "alt": alt}}
        return bundle, meta
