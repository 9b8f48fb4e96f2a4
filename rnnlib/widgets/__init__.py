"""Views for the notebooks: declared in the view modules (rnnlib.widgets.spec, no ipywidgets),
made live by the engine (rnnlib.widgets.view, the one place ipywidgets is used). FigureView and
control_values are the engine's, loaded on first use so the view modules import without it."""

__all__ = ["FigureView", "control_values"]


def __getattr__(name):
    if name in __all__:
        from . import view

        return getattr(view, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
