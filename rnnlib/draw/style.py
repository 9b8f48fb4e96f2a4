"""Shared figure settings: small, fixed-size figures that render fast and identically everywhere."""

import base64
import html
import io
import sys

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, FancyArrowPatch
from matplotlib.text import Text

DPI = 80  # CSS pixels per inch of a figure as shown

# One colour per meaning, the same in every notebook: Okabe and Ito's palette ("Color Universal
# Design", 2008), chosen so that every pair stays apart under simulated protanopia, deuteranopia
# and tritanopia (tests/test_style.py measures it). Wherever a colour carries meaning, a label or
# a marker says it too.
COLORS = {
    "input": "#d55e00",  # vermillion: inputs x_t
    "hidden": "#0072b2",  # blue: hidden states h_t
    "output": "#009e73",  # bluish green: outputs y_t, p_t
    "target": "#e69f00",  # orange: the target character
    "gradient": "#cc79a7",  # reddish purple: gradients dL/d...
    "sample": "#56b4e9",  # sky blue: a character drawn by the sampler
}
REFERENCE = "#333333"  # dark grey: predictions, reference lines, a second run (with its own marker)
MUTED = "#b3b3b3"  # light grey: what is cut off, not yet reached, or only for comparison
DIVERGING = "RdBu_r"  # signed values: blue negative, white 0, red positive (ColorBrewer, CVD-safe)

# Text sizes in points; at DPI 80 a point is 80/72 px, so 11 pt is 12.2 px, the smallest text a
# projected figure may carry (tests/test_style.py renders every view and checks it).
FONT = {"small": 11, "normal": 12, "title": 13}
MIN_FONT_PX = 12
CHAR_FONT = "DejaVu Sans Mono"  # characters: its "l" has a tail, never to be read as "I" or "|"
SCALE = 2  # image pixels per CSS pixel: frames and figures stay crisp at devicePixelRatio 2


class CourseFigure(Figure):
    """A Figure that shows itself in a notebook as a SCALE x PNG at its CSS size, with alt text
    (what it shows, for screen readers and for readers without the image), and whose text is
    never smaller than FONT["small"]. Set fig.alt to describe it."""

    alt = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _claim_display()

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The PNG with its CSS size and alt text, and the same as an <img> in HTML (static
        HTML exports keep the alt text only from there)."""
        png = base64.b64encode(figure_png(self)).decode("ascii")
        width, height = css_size(self)
        alt = describe(self)
        img = f'<img src="data:image/png;base64,{png}" width="{width}" alt="{html.escape(alt)}">'
        data = {"image/png": png, "text/html": img, "text/plain": f"<{alt}>"}
        return data, {"image/png": {"width": width, "height": height, "alt": alt}}


def _claim_display():
    """In an IPython shell, let CourseFigure's own bundle stand. The inline backend registers
    a PNG formatter for every Figure, and IPython prefers a registered formatter to the bundle,
    so each figure was drawn a second time, at 1x, and that PNG replaced the 2x one. A printer
    that returns None for CourseFigure (more specific than Figure) keeps the bundle's PNG."""
    ipython = sys.modules.get("IPython")  # looked up, not imported: scripts need no IPython
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        png = shell.display_formatter.formatters["image/png"]
        if CourseFigure not in png.type_printers:
            png.for_type(CourseFigure, _own_bundle)


def _own_bundle(fig):
    """The image/png printer for CourseFigure: none, the figure's own bundle has it."""
    return None


def describe(fig):
    """The figure's alt text: fig.alt, or else its axes' titles joined ("figure: ...")."""
    if getattr(fig, "alt", ""):
        return fig.alt
    titles = [ax.get_title() for ax in fig.axes if ax.get_title().strip()]
    return "figure: " + "; ".join(titles) if titles else "figure"


def css_size(fig):
    """The figure's size in CSS pixels (its inches times DPI), as ints (width, height)."""
    w, h = fig.get_size_inches()
    return round(w * DPI), round(h * DPI)


def titles(fig):
    """The figure's titles: its suptitle and every axes' centre, left and right title."""
    found = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title]
    return found


def readable(fig):
    """Raise every text of the figure (tick labels too) to at least FONT["small"] points, and
    its titles to at least FONT["title"], so a title reads above its labels from the back row."""
    for title in titles(fig):
        if title.get_fontsize() < FONT["title"]:
            title.set_fontsize(FONT["title"])
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if not (ax.axison and axis.get_visible()):
                continue  # not drawn
            # the first tick's label shows the size every tick is made with; asking for the
            # tick labels instead would run the locator and formatter (mathtext on log axes)
            if axis.majorTicks[0].label1.get_fontsize() < FONT["small"]:
                ax.tick_params(axis="x" if axis is ax.xaxis else "y", labelsize=FONT["small"])
    for text in fig.findobj(Text):
        if text.get_fontsize() < FONT["small"]:
            text.set_fontsize(FONT["small"])
    return fig


def figure_png(fig, scale=SCALE):
    """PNG bytes of a figure at `scale` image pixels per CSS pixel, its text made readable."""
    readable(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI * scale, pil_kwargs={"compress_level": 6})
    return buf.getvalue()


def new_figure(width=8.0, height=3.2, *, nrows=1, ncols=1, **subplot_kw):
    """A Figure not managed by pyplot (so notebooks never show it twice) and its axes.

    Inputs: width, height in inches; nrows, ncols; extra keyword arguments go to subplots.
    Returns (fig, axes) where axes is one Axes or an array of them, as Figure.subplots gives.
    """
    fig = CourseFigure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # render with Agg directly, without pyplot's machinery
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def freeze_layout(fig, **margins):
    """Fix where the axes sit, so that later redraws skip the layout solver; returns fig.

    Without margins: lay the figure out once (its text made readable first, so the layout
    makes room for it), then keep those positions. With margins (left, right, bottom, top,
    wspace, hspace as GridSpec.update takes them): place the axes on their grid with those
    margins instead, without a layout pass (a static figure then renders in one pass).
    """
    if not margins:
        readable(fig)
        fig.canvas.draw()
    fig.set_layout_engine(None)  # None, not "none": a placeholder engine makes savefig draw twice
    if margins:
        fig.axes[0].get_subplotspec().get_gridspec().update(**margins)
        for ax in fig.axes:
            ax.set_position(ax.get_subplotspec().get_position(fig))  # place the axes by hand
    return fig


def placed_figure(width, height, boxes):
    """A figure whose axes sit at fixed places, with no layout engine (drawing then skips the
    layout solver, which costs more than the drawing itself).

    Inputs: width, height in inches; boxes, [left, bottom, width, height] figure fractions.
    Returns (fig, list of axes).
    """
    fig, first = new_figure(width, height)
    fig.set_layout_engine(None)  # every axes is placed by hand below
    first.set_position(boxes[0])
    return fig, [first] + [fig.add_axes(box) for box in boxes[1:]]


def arrow(ax, a, b, color="0.3", *, lw=None, rad=0.0, shrink=2.0, width=None, head=None):
    """An arrow from point a to point b (data coordinates), added to ax; returns it.

    By default a FancyArrowPatch with a "-|>" head of 10 points, curved by rad, line width lw
    (None: the style's), its ends `shrink` points short of a and b. With `width` and `head`
    (data units) it is a straight FancyArrow polygon instead: a shaft `width` wide, a head
    `head` long and wide, no outline; cheaper to redraw (views recolour such arrows per frame).
    """
    if width is None:
        style = {"arrowstyle": "-|>", "mutation_scale": 10, "shrinkA": shrink, "shrinkB": shrink}
        arc = f"arc3,rad={rad}"
        return ax.add_patch(FancyArrowPatch(a, b, color=color, lw=lw, connectionstyle=arc, **style))
    (x0, y0), (x1, y1) = a, b
    shape = {"width": width, "head_width": head, "head_length": head, "length_includes_head": True}
    return ax.add_patch(
        FancyArrow(x0, y0, x1 - x0, y1 - y0, color=color, linewidth=0, zorder=1, **shape)
    )
