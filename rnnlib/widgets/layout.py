"""The row of a view's controls, usable on any width: a phone's 390 px or a laptop's notebook.

Why: ipywidgets lays a row of sliders out as one flex line that only shrinks. A slider's track
holds no content, so it is the part that gives: on a phone three sliders side by side kept their
descriptions and readouts and squeezed their tracks to 0 px, each readout covering the next
slider's description. Here the row wraps instead, and each horizontal slider is a grid of three
columns (description, track, readout) whose track column cannot be narrower than MIN_TRACK px.
The slider is never narrower than its three columns (min-content; one with a long description
grows past the 300 px ipywidgets gives it rather than spill its readout onto its neighbour), so
a slider that no longer fits beside the others goes onto a line of its own, whatever its
description's width. Wide rows look as before (300 px per slider, side by side). Only ipywidgets
Layout is used, so the same rules hold in JupyterLab, JupyterLite and the static site, without
any stylesheet.
"""

import ipywidgets as widgets

MIN_TRACK = 120  # CSS px: the narrowest track a slider keeps
HORIZONTAL_SLIDERS = (
    widgets.IntSlider,
    widgets.FloatSlider,
    widgets.FloatLogSlider,
    widgets.IntRangeSlider,
    widgets.FloatRangeSlider,
    widgets.SelectionSlider,
    widgets.SelectionRangeSlider,
)
# ipywidgets puts a slider's track in a .slider-container with a margin of half a handle (less
# the borders) on each side, so the column holds the track and at most one handle's width more.
TRACK_COLUMN = f"minmax(calc({MIN_TRACK}px + var(--jp-widgets-slider-handle-size)), 1fr)"
SLIDER_GRID = f"max-content {TRACK_COLUMN} max-content"  # description, track, readout


def control_row(controls):
    """The widget laying out a view's controls (a list of ipywidgets controls, in order): an
    HBox that wraps its controls onto more lines when they do not fit side by side. Each
    control's description is shown whole (description_width "initial"), and each horizontal
    slider keeps a track of at least MIN_TRACK px (slider_layout). The controls are changed in
    place and are the children of the returned box."""
    controls = list(controls)
    for c in controls:
        if not isinstance(c, widgets.DOMWidget):
            raise ValueError(
                f"control_row expects ipywidgets controls (DOMWidget), got {c!r} "
                f"of type {type(c).__name__}"
            )
    for c in controls:
        if hasattr(c.style, "description_width"):
            c.style.description_width = "initial"  # the whole label, never "temperat..."
        if isinstance(c, HORIZONTAL_SLIDERS) and c.orientation == "horizontal":
            slider_layout(c.layout)
    return widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap"))


def slider_layout(layout):
    """Make a horizontal slider's Layout a grid (description, track, readout) whose track
    column is at least MIN_TRACK px wide, the slider never narrower than those three columns
    need; returns layout (changed in place)."""
    layout.display = "grid"
    layout.grid_template_columns = SLIDER_GRID
    layout.min_width = "min-content"  # its own width (300 px) may be less: then it grows
    return layout
