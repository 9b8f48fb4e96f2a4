"""Plots of per-timestep gradient norms ||dL/dh_t|| in backprop through time: bars that line up
under the unrolled graph's columns, and a log-scale curve with ghosts of other settings."""

import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from .unroll import GRAD_COLOR, sup


def draw_norm_bars(
    ax, T, *, ymax=1.0, color=GRAD_COLOR, label="\u2016dL/dh\u209c\u2016", first=1, dx=1.0
):
    """Bars of a per-timestep quantity (all zero at first), one per step first, ..., T.

    Inputs: ax; T the last step; ymax the fixed top; color; label (y axis); first the first step
    (0 adds a bar for h_0); dx the distance between bars (DX lines them up with draw_unrolled's
    columns, where step t sits at x = (t - 1) * DX).
    Returns the BarContainer; update with set_bar_heights.
    """
    steps = np.arange(first, T + 1)
    x = (steps - 1) * dx if dx != 1.0 else steps
    bars = ax.bar(x, np.zeros(len(steps)), color=color, width=0.7 * dx)
    ax.set_xticks(x, [str(t) for t in steps])
    ax.set_xlim(x[0] - 0.6 * dx, x[-1] + 0.6 * dx)
    ax.set_ylim(0.0, ymax)
    ax.set_xlabel("timestep t", fontsize=9)
    ax.set_ylabel(label, fontsize=9)
    ax.tick_params(labelsize=8)
    return bars


def align_x(fig, top, bottom):
    """Lay the figure out, then give `bottom` the horizontal extent and x limits of `top` (an
    equal-aspect graph), so that bars sit under the graph's columns. Freezes the layout."""
    fig.canvas.draw()
    fig.set_layout_engine(None)
    t, b = top.get_position(), bottom.get_position()
    bottom.set_position((t.x0, b.y0, t.width, b.height))
    bottom.set_xlim(top.get_xlim())
    return bottom


def set_bar_heights(bars, heights):
    """Set every bar's height (NaN or missing values count as 0). Returns the heights used."""
    h = np.nan_to_num(np.asarray(heights, dtype=np.float64), nan=0.0)
    for bar, v in zip(bars, h, strict=True):
        bar.set_height(v)
    return h


def draw_norm_curve(ax, T, ylim, *, n_ghosts=0):
    """A log-scale line of ||dL/dh_t|| over t = 1..T, a dashed reference line and grey ghosts.

    Inputs: ax; T; ylim (low, high) fixed for every frame; n_ghosts faint lines for context.
    Returns a dict: line, ref (the dashed geometric reference), ghosts (list of lines).
    """
    t = np.arange(1, T + 1)
    blank = np.full(T, np.nan)
    ghosts = [ax.plot(t, blank, color="#cccccc", linewidth=1)[0] for _ in range(n_ghosts)]
    ref = ax.plot(t, np.full(T, np.nan), "--", color="#555555", linewidth=1)[0]
    line = ax.plot(t, np.full(T, np.nan), "o-", color=GRAD_COLOR, markersize=4)[0]
    ax.set_yscale("log")
    ax.set_ylim(*ylim)
    decades = 10.0 ** np.arange(np.floor(np.log10(ylim[0])), np.ceil(np.log10(ylim[1])) + 1)
    ticks = decades[:: max(1, len(decades) // 6)]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(
        FixedFormatter([f"10{sup(str(round(np.log10(v))))}" for v in ticks])
    )
    ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost more to draw than the data
    ax.set_xlim(0.5, T + 0.5)
    ax.set_xlabel("timestep t", fontsize=9)
    ax.set_ylabel("\u2016dL/dh\u209c\u2016", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, which="major", alpha=0.3)
    return {"line": line, "ref": ref, "ghosts": ghosts}
