"""ipywidgets views for the notebooks: controls wired to the model and to rnnlib.draw figures."""

from .view import FigureView, control_values

__all__ = ["FigureView", "control_values"]
