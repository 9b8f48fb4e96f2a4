"""Plots of per-timestep gradient norms ||dL/dh_t|| in backprop through time: bars that line up
under the unrolled graph's columns, a log-scale curve with ghosts of other settings, and a reach
map (which loss term's gradient reaches which hidden state, and where truncation cuts it)."""

import numpy as np
from matplotlib import colormaps
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator

from .style import MUTED, REFERENCE, freeze_layout
from .unroll import GRAD_COLOR, sup

PREDICTION_COLOR = REFERENCE  # a prediction, dashed, drawn over the measured values (markers)
BOUNDARY_COLOR = REFERENCE  # where the gradient through W_hh stops
KEPT = colormaps["RdPu"]  # the gradient's hue (reddish purple), darker for a larger gradient


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
    equal-aspect graph), so that bars sit under the graph's columns. Freezes the layout (with
    the text made readable first, so the layout makes room for it)."""
    freeze_layout(fig)
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


def draw_norm_curve(
    ax, T, ylim, *, n_ghosts=0, legend=True, ref_label="prediction", ghost_label="other settings"
):
    """A log-scale plot of ||dL/dh_t|| over t = 1..T: the measured values as markers, a dashed
    prediction line drawn on top of them in another colour, and grey ghosts of other settings.

    Inputs: ax; T; ylim (low, high) fixed for every frame; n_ghosts faint lines for context;
    legend True names the three, right of the axes (a fixed spot: no frame pays to place it),
    with ref_label for the prediction and ghost_label for the ghosts.
    Returns a dict: line (the measured markers), ref (the dashed prediction), ghosts (list of
    lines), legend (or None).
    """
    t = np.arange(1, T + 1)
    blank = np.full(T, np.nan)
    ghosts = [ax.plot(t, blank, color=MUTED, linewidth=1, zorder=1)[0] for _ in range(n_ghosts)]
    measured = "measured \u2016dL/dh\u209c\u2016"
    (line,) = ax.plot(t, blank, "o", color=GRAD_COLOR, markersize=7, zorder=3, label=measured)
    (ref,) = ax.plot(
        t, blank, "--", color=PREDICTION_COLOR, linewidth=1.6, zorder=4, label=ref_label
    )
    if n_ghosts:
        ghosts[0].set_label(ghost_label)
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
    handles = [line, ref] + ghosts[:1]
    leg = None
    if legend:
        leg = ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False
        )
    return {"line": line, "ref": ref, "ghosts": ghosts, "legend": leg}


REACH_EMPTY = (1.0, 1.0, 1.0, 1.0)  # t > s: no path from h_t to L_s


def reach_colors(reach, kept, vmin, vmax):
    """RGBA colours of a reach map: kept pairs in the gradient's purple, cut pairs in grey, both
    darker for a larger ||dL_s/dh_t|| (log scale from vmin to vmax), pairs without a path white.

    Inputs: reach (T, T) the full-BPTT norms; kept (T, T) bool, the pairs truncation keeps.
    Returns (T, T, 4) floats.
    """
    reach = np.asarray(reach, dtype=np.float64)
    level = np.zeros_like(reach)
    on = reach > 0
    level[on] = np.clip(np.log(reach[on] / vmin) / np.log(vmax / vmin), 0.0, 1.0)
    out = np.empty(reach.shape + (4,))
    out[...] = REACH_EMPTY
    keep, cut = on & kept, on & ~kept
    out[keep] = KEPT(0.25 + 0.75 * level[keep])
    out[cut] = colormaps["Greys"](0.1 + 0.4 * level[cut])
    return out


def draw_reach_map(ax, T, *, title=None):
    """An empty T x T map: row s is the loss L_s, column t the hidden state h_t (1-based ticks),
    plus T - 1 dashed vertical and horizontal lines for chunk boundaries (hidden at first) and a
    legend (kept, cut, no path) below the map.

    Returns a dict: image (the AxesImage, set_data with reach_colors), vlines, hlines (lists of
    T - 1 lines, the boundary before steps 2..T), T.
    """
    image = ax.imshow(
        np.ones((T, T, 4)), extent=(0.5, T + 0.5, T + 0.5, 0.5), interpolation="nearest"
    )
    vlines = [
        ax.axvline(b + 0.5, color=BOUNDARY_COLOR, linestyle="--", lw=1.2) for b in range(1, T)
    ]
    hlines = [
        ax.axhline(b + 0.5, color=BOUNDARY_COLOR, linestyle="--", lw=1.2) for b in range(1, T)
    ]
    for line in vlines + hlines:
        line.set_visible(False)
    ticks = list(range(1, T + 1, max(1, T // 7)))
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel("hidden state h\u209c, step t", fontsize=9)
    ax.set_ylabel("loss term L\u209b, step s", fontsize=9)
    ax.tick_params(labelsize=8)
    handles = [
        Patch(facecolor=KEPT(0.7), label="gradient kept"),
        Patch(facecolor=colormaps["Greys"](0.35), label="cut by truncation"),
        Line2D([], [], color=BOUNDARY_COLOR, linestyle="--", label="chunk boundary"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=2,
        fontsize=8,
        frameon=False,
    )
    if title:
        ax.set_title(title, fontsize=10, y=1.0)
    return {"image": image, "vlines": vlines, "hlines": hlines, "T": T}


def show_reach(art, reach, kept, starts, vmin, vmax):
    """Colour the map for one truncation and show its chunk boundaries (the steps in starts,
    0-based, other than 0). Returns the list of boundaries shown (1-based steps they precede)."""
    art["image"].set_data(reach_colors(reach, kept, vmin, vmax))
    shown = [s + 1 for s in starts if s > 0]
    for b, (v, h) in enumerate(zip(art["vlines"], art["hlines"], strict=True), start=2):
        v.set_visible(b in shown)
        h.set_visible(b in shown)
    return shown
