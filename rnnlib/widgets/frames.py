"""FrameSwitcher: every frame and table of a FigureView held in the page, switched there.

Why: a slider press must repaint at once. Sending a frame from the kernel costs a round trip;
swapping ipywidgets (a Stack of Images) rebuilds views and reloads an image; both were most of
the latency. This widget's page side (frames.js, through anywidget) decodes every PNG once and
draws the one the controls point at on a canvas of fixed size. It holds references to the
view's controls and reads their indices itself (one position vector, any number of controls),
so the kernel is not on the path.
"""

from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets


class FrameSwitcher(anywidget.AnyWidget):
    """The frames of a grid of control states, and the table of each state, for the page.

    Traits: frames, PNG bytes per state of the figure axes (row-major over figure_axes);
    tables, HTML per state of all controls (row-major), or empty; counts, the number of values
    of each control; figure_axes, the controls the frame depends on; controls, the selection
    widgets themselves (references "IPY_MODEL_<id>" in the page), whose indices are the
    position in the grid; width, height, the frames' size in CSS pixels; scale, image pixels
    per CSS pixel; labels, the accessible name of every state (row-major, all controls). A
    frame not drawn yet is b"" and a table not computed yet "": the kernel sends each later
    in a custom message (rnnlib.widgets.view, frames.js), then sets both traits whole. The
    page decodes frames when they are first shown and keeps at most CACHE of them decoded
    (frames.js): memory stays bounded.
    """

    _esm = Path(__file__).with_name("frames.js").read_text(encoding="utf-8")
    frames = traitlets.List(traitlets.Bytes()).tag(sync=True)
    tables = traitlets.List(traitlets.Unicode()).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    scale = traitlets.Int(1).tag(sync=True)
    counts = traitlets.List(traitlets.Int()).tag(sync=True)
    figure_axes = traitlets.List(traitlets.Int()).tag(sync=True)
    controls = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization
    )
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)

    @traitlets.validate("controls")
    def _one_control_per_axis(self, proposal):
        controls = proposal["value"]
        if len(controls) != len(self.counts) or not all(hasattr(c, "index") for c in controls):
            raise ValueError(
                f"controls must be {len(self.counts)} selection widgets (one per count), "
                f"got {[type(c).__name__ for c in controls]}"
            )
        return controls
