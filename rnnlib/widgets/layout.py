"""The row of a view's controls."""

import ipywidgets as widgets


def control_row(controls):
    """The controls of a view side by side, in one box."""
    return widgets.HBox(list(controls))
