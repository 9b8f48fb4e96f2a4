"""FrameSwitcher: every frame and table of a FigureView held in the page, switched there.

Why: a slider press must repaint at once. Sending a frame from the kernel costs a round trip;
swapping ipywidgets (a Stack of Images) rebuilds views and reloads an image; both were most of
the latency. This widget's page side (frames.js, through anywidget) decodes every PNG once and
draws the one the controls point at on a canvas of fixed size; the controls reach it through
jslinked integer traits i0, i1, ... (one per control), so the kernel is not on the path.
"""

from pathlib import Path

import anywidget
import traitlets

MAX_CONTROLS = 4  # traits i0 .. i3


class FrameSwitcher(anywidget.AnyWidget):
    """The frames of a grid of control states, and the table of each state, for the page.

    Traits: frames, PNG bytes per state of the figure axes (row-major over figure_axes);
    tables, HTML per state of all controls (row-major), or empty; counts, the number of values
    of each control; offsets, subtracted from i<k> to give position k; figure_axes, the
    controls the frame depends on; width, height, the frames' size in CSS pixels; scale, image
    pixels per CSS pixel; labels, the accessible name of every state (row-major, all controls);
    i0 .. i3, the controls' values or indices (jslinked). The page decodes frames when they are
    first shown and keeps at most CACHE of them decoded (frames.js): memory stays bounded.
    """

    _esm = Path(__file__).with_name("frames.js").read_text(encoding="utf-8")
    frames = traitlets.List(traitlets.Bytes()).tag(sync=True)
    tables = traitlets.List(traitlets.Unicode()).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    scale = traitlets.Int(1).tag(sync=True)
    counts = traitlets.List(traitlets.Int()).tag(sync=True)
    offsets = traitlets.List(traitlets.Int()).tag(sync=True)
    figure_axes = traitlets.List(traitlets.Int()).tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    i0 = traitlets.Int(0).tag(sync=True)
    i1 = traitlets.Int(0).tag(sync=True)
    i2 = traitlets.Int(0).tag(sync=True)
    i3 = traitlets.Int(0).tag(sync=True)
