"""Shared figure settings: small, fixed-size figures that render fast and identically everywhere."""

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 80
COLORS = {"input": "#d64545", "hidden": "#3b7dd8", "output": "#3a9a52", "target": "#e69b00"}


def new_figure(width=8.0, height=3.2, *, nrows=1, ncols=1, **subplot_kw):
    """A Figure not managed by pyplot (so notebooks never show it twice) and its axes.

    Inputs: width, height in inches; nrows, ncols; extra keyword arguments go to subplots.
    Returns (fig, axes) where axes is one Axes or an array of them, as Figure.subplots gives.
    """
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # render with Agg directly, without pyplot's machinery
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def freeze_layout(fig):
    """Lay the figure out once, then keep the positions: later redraws skip the layout solver."""
    fig.canvas.draw()
    fig.set_layout_engine(None)  # None, not "none": a placeholder engine makes savefig draw twice
    return fig


def placed_figure(width, height, boxes):
    """A figure whose axes sit at fixed places, with no layout engine (drawing then skips the
    layout solver, which costs more than the drawing itself).

    Inputs: width, height in inches; boxes, [left, bottom, width, height] figure fractions.
    Returns (fig, list of axes).
    """
    fig, first = new_figure(width, height)
    fig.set_layout_engine(None)
    first.set_position(boxes[0])
    return fig, [first] + [fig.add_axes(box) for box in boxes[1:]]
