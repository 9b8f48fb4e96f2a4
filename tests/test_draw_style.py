"""The shared drawing helpers of rnnlib.draw.style: one arrow, one way to freeze a layout."""

import numpy as np
from matplotlib.patches import FancyArrow, FancyArrowPatch

from rnnlib.draw.style import arrow, freeze_layout, new_figure


def test_arrow_is_a_patch_from_a_to_b_curved_by_rad():
    fig, ax = new_figure(3.0, 2.0)
    a = arrow(ax, (0.0, 0.0), (1.0, 0.5), "red", lw=0.6, rad=-0.5, shrink=0.0)
    assert isinstance(a, FancyArrowPatch) and a in ax.patches
    assert a.get_linewidth() == 0.6 and a.shrinkA == a.shrinkB == 0.0
    assert a.get_connectionstyle().rad == -0.5 and a.get_facecolor()[:3] == (1.0, 0.0, 0.0)
    default = arrow(ax, (0.0, 0.0), (0.0, 1.0))
    assert default.shrinkA == 2.0 and default.get_edgecolor()[:3] == (0.3, 0.3, 0.3)


def test_arrow_with_a_width_is_a_cheap_polygon():
    fig, ax = new_figure(3.0, 2.0)
    a = arrow(ax, (0.0, 0.0), (1.0, 0.0), "blue", width=0.02, head=0.1)
    assert isinstance(a, FancyArrow) and a.get_linewidth() == 0 and a.get_zorder() == 1
    xy = a.get_xy()
    assert np.isclose(xy[:, 0].max(), 1.0) and np.isclose(xy[:, 0].min(), 0.0)  # head at b
    assert np.isclose(np.ptp(xy[:, 1]), 0.1)  # the head's width


def test_freeze_layout_keeps_the_constrained_positions():
    fig, axes = new_figure(4.0, 2.0, ncols=2)
    axes[0].set_title("a title the layout makes room for")
    freeze_layout(fig)
    before = [ax.get_position().bounds for ax in axes]
    assert fig.get_layout_engine() is None
    axes[1].set_title("a much longer title that would move the axes under a layout engine")
    fig.canvas.draw()
    assert [ax.get_position().bounds for ax in axes] == before


def test_freeze_layout_with_margins_places_the_grid_without_a_layout_pass():
    fig, axes = new_figure(4.0, 2.0, ncols=2)
    freeze_layout(fig, left=0.1, right=0.9, bottom=0.2, top=0.8, wspace=0.0)
    assert fig.get_layout_engine() is None
    left, right = (ax.get_position() for ax in axes)
    assert np.isclose(left.x0, 0.1) and np.isclose(right.x1, 0.9) and np.isclose(left.x1, right.x0)
    assert np.isclose(left.y0, 0.2) and np.isclose(left.y1, 0.8)
