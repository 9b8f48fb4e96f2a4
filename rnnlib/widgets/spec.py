"""Views declared as grids of states, with no ipywidgets: what a view module writes.

A view is a figure drawn once (with rnnlib.draw), a grid of control values (name -> Control),
an update(**values) that changes the figure's artists for one state and returns the result the
view exposes, the artists it changes (animated), and optionally a table(values, result) -> HTML.
The engine (rnnlib.widgets.view, the one module with ipywidgets) makes the controls, renders
every state and switches the frames in the page; build() hands it a declaration. So a view
module imports this module and rnnlib.draw only, and importing it loads no ipywidgets.
"""

from dataclasses import dataclass, field
from typing import Any

KINDS = ("slider", "buttons")  # a selection slider, or one toggle button per value


@dataclass(frozen=True)
class Control:
    """One control's values, in order: values (tuple, >= 1), default (one of them), description
    (the label shown), kind (one of KINDS), labels (the text shown per value; default str)."""

    values: tuple
    default: Any
    description: str
    kind: str = "slider"
    labels: tuple = None

    def __post_init__(self):
        values = tuple(self.values)
        object.__setattr__(self, "values", values)
        if not values:
            raise ValueError(f"control {self.description!r} needs at least one value, got none")
        if self.kind not in KINDS:
            raise ValueError(f"control kind must be one of {KINDS}, got {self.kind!r}")
        labels = tuple(str(v) for v in values) if self.labels is None else tuple(self.labels)
        if len(labels) != len(values):
            raise ValueError(
                f"control {self.description!r} needs one label per value ({len(values)}), "
                f"got {len(labels)}"
            )
        object.__setattr__(self, "labels", labels)
        self.index(self.default)  # the default is one of the values

    def index(self, value):
        """The position of value among the values; ValueError when it is not one of them."""
        for i, v in enumerate(self.values):
            if v == value:
                return i
        raise ValueError(
            f"control {self.description!r}: {value!r} is not one of its values {list(self.values)}"
        )


def slider(values, default, description, labels=None):
    """A Control shown as a slider over values (any values: the slider moves by index)."""
    return Control(tuple(values), default, description, "slider", labels)


def buttons(values, default, description, labels=None):
    """A Control shown as a row of toggle buttons, one per value."""
    return Control(tuple(values), default, description, "buttons", labels)


def int_range(start, stop, default, description):
    """A slider over the integers start..stop (both included)."""
    return slider(range(start, stop + 1), default, description)


@dataclass
class FigureSpec:
    """A figure view: fig (a matplotlib Figure, drawn once); update(**values) -> result;
    controls (dict name -> Control; update's arguments); table(values, result) -> HTML, or
    None; animated, every artist update() changes (then frames are blitted and the engine
    checks that no other artist changes); figure_controls, the controls the figure depends on
    (default all; the rest change only the table); alt, what the figure shows; title, shown
    above the controls; attributes, set on the built view (e.g. arrays tests read);
    details(**values) -> dict, or None: what only the table shows and takes time to compute
    (a sampled text), merged into update's result (a dict then). A view built in a notebook
    kernel checks every figure state's update before its cell returns, but computes details
    and tables only for the states it draws then; the rest follow with their frames."""

    fig: Any
    update: Any
    controls: dict
    table: Any = None
    animated: list = field(default_factory=list)
    figure_controls: list = None
    alt: str = None
    title: str = None
    attributes: dict = field(default_factory=dict)
    details: Any = None

    def defaults(self):
        """The default state: dict name -> value."""
        return {name: c.default for name, c in self.controls.items()}


@dataclass
class TextSpec:
    """A text box driving a table built in the page as you type (no figure): value, the text
    at first; description; respond(text) -> (result, html), what the kernel computes;
    plain, the output's text/plain; page, the traits of the page side (NextStepTable)."""

    value: str
    description: str
    respond: Any
    plain: str
    page: dict = field(default_factory=dict)


def build(spec, **options):
    """The live view of a declaration (FigureView or TextView), made by the engine. The engine
    is imported on first use, so declarations and view modules stay free of ipywidgets."""
    from . import view

    return view.build(spec, **options)


def progress_bar(n_iters, description="training"):
    """A progress bar and a train() callback that moves it and shows the smoothed loss; made
    by the engine (see rnnlib.widgets.view.progress_bar). Returns (widget, callback)."""
    from . import view

    return view.progress_bar(n_iters, description)
