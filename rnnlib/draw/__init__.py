"""matplotlib drawing for the notebooks: functions take an Axes (or a Figure) and return artists."""

from .style import COLORS, freeze_layout, new_figure, placed_figure

__all__ = ["COLORS", "freeze_layout", "new_figure", "placed_figure"]
