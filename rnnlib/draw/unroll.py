"""Drawing the unrolled computation graph of an RNN (the gradient-norm plots are in norms.py).

Timesteps are 0-based in code and drawn 1-based as in the lecture (x_1, h_1, ...; h_0 is the
initial state). Each vector node is a box holding a strip of small cells, one per unit, coloured
by its value, so a forward pass can be shown by filling the strips step by step.
"""

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize, to_rgb
from matplotlib.patches import FancyBboxPatch, Rectangle

from .style import COLORS, DIVERGING, MUTED, REFERENCE, arrow, placed_figure

DX, ROW = 1.5, {"x": 0.0, "h": 1.2, "y": 2.7, "L": 3.7, "sum": 4.6}  # grid of the graph
BOX_W, BOX_H = 0.9, 0.62
# Between the h and y rows sit two lines of labels: W_hh above its arrow, W_hy beside its own.
LABEL_HH = ROW["h"] + BOX_H / 2 + 0.2
LABEL_HY = ROW["y"] - BOX_H / 2 - 0.2
# Weights are dark grey arrows, told apart by their labels and directions (a colour of their own
# would give a second meaning to a colour of the palette); the gradient has its palette colour.
WEIGHT_COLORS = {"W_xh": REFERENCE, "W_hh": REFERENCE, "W_hy": REFERENCE}
GRAD_COLOR = COLORS["gradient"]
PENDING = "#f4f4f4"
CMAP = colormaps[DIVERGING]


def _box(ax, xy, label, n_cells):
    """One node: a rounded box with a label and, for a vector node, a strip of n_cells."""
    x, y = xy
    patch = FancyBboxPatch(
        (x - BOX_W / 2, y - BOX_H / 2),
        BOX_W,
        BOX_H,
        boxstyle="round,pad=0.02",
        facecolor=PENDING,
        edgecolor="#999999",
        linewidth=1.2,
        zorder=2,
    )
    ax.add_patch(patch)
    ty = y + 0.12 if n_cells else y
    text = ax.text(x, ty, label, ha="center", va="center", fontsize=9, zorder=4)
    cw = (BOX_W - 0.12) / max(n_cells, 1)
    cells = [Rectangle((x - BOX_W / 2 + 0.06 + i * cw, y - 0.25), cw, 0.2) for i in range(n_cells)]
    return patch, text, cells


def _labelled_arrow(ax, a, b, color, label=None, label_xy=None, ha="center"):
    """A straight arrow (a plain polygon, cheap to redraw) from a to b, with an optional label
    in its colour at label_xy. Returns (arrow, label text or None)."""
    arr = arrow(ax, a, b, color, width=0.025, head=0.12)
    txt = None
    if label is not None:
        txt = ax.text(*label_xy, label, ha=ha, va="center", color=color)
    return arr, txt


SUBSCRIPT = str.maketrans(
    "0123456789()t",
    "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089\u208d\u208e\u209c",
)
SUPERSCRIPT = str.maketrans(
    "0123456789()-",
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207d\u207e\u207b",
)


def sub(name, t):
    """A label such as h\u2081 in plain text: Unicode subscripts, no mathtext (whose parser costs
    ~10 ms per new string)."""
    return f"{name}{str(t).translate(SUBSCRIPT)}"


def sup(text):
    """Digits and parentheses as Unicode superscripts, e.g. (2) -> \u207d\u00b2\u207e."""
    return text.translate(SUPERSCRIPT)


def _wlabel(name, t, tied):
    """Weight label: W_hh for the shared matrix, W_hh^(t) for layer t of an untied net."""
    return name if tied else f"{name}{sup(f'({t + 1})')}"


class _Graph:
    """The artists of one unrolled graph, collected while it is drawn on ax.

    nodes {(kind, t): box}, arrows {(weight, t): arrow}, rects (the cells of every vector node,
    in drawing order) and slots {(kind, t): slice into rects}; weight_labels and tied decide the
    text beside each weight arrow (see draw_unrolled).
    """

    def __init__(self, ax, weight_labels, tied):
        self.ax, self.weight_labels, self.tied = ax, weight_labels, tied
        self.nodes, self.arrows, self.rects, self.slots = {}, {}, [], {}
        self.labelled = set()  # the weights whose first arrow has its label

    def node(self, kind, t, label, n):
        """Draw the box of node (kind, t) at its grid place, with a strip of n cells."""
        patch, _, cells = _box(self.ax, (t * DX, ROW[kind]), label, n)
        self.nodes[(kind, t)] = patch
        self.slots[(kind, t)] = slice(len(self.rects), len(self.rects) + n)
        self.rects.extend(cells)

    def weight(self, w, t, a, b, label_xy, ha="center"):
        """Draw the arrow of weight w at step t from a to b, labelled at label_xy unless
        weight_labels is "first" and an arrow of w already carries the name."""
        label = None
        if self.weight_labels != "first" or w not in self.labelled:
            self.labelled.add(w)
            label = _wlabel(w, t, self.tied)
        arr, _ = _labelled_arrow(self.ax, a, b, WEIGHT_COLORS[w], label, label_xy, ha)
        self.arrows[(w, t)] = arr

    def plain(self, key, a, b):
        """Draw an unlabelled grey arrow (a loss flowing on) from a to b under `key`."""
        self.arrows[key] = _labelled_arrow(self.ax, a, b, "#555555")[0]


def _draw_step(g, t, sizes, has_input, has_loss):
    """Draw step t's column of graph g: h_t with the W_hh arrow from h_{t-1}, then, if the step
    has them, x_t with its W_xh arrow and y_t, L_t with the W_hy and loss arrows.
    sizes is (H, V, D), the cells of h, y and x nodes."""
    H, V, D = sizes
    g.node("h", t, sub("h", t + 1), H)
    a, b = ((t - 1) * DX + BOX_W / 2, ROW["h"]), (t * DX - BOX_W / 2, ROW["h"])
    g.weight("W_hh", t, a, b, ((t - 0.5) * DX, LABEL_HH))
    if has_input:
        g.node("x", t, sub("x", t + 1), D)
        a, b = (t * DX, ROW["x"] + BOX_H / 2), (t * DX, ROW["h"] - BOX_H / 2)
        g.weight("W_xh", t, a, b, (t * DX + 0.08, 0.6), "left")  # beside the arrow, to its right
    if has_loss:
        g.node("y", t, sub("y", t + 1), V)
        a, b = (t * DX, ROW["h"] + BOX_H / 2), (t * DX, ROW["y"] - BOX_H / 2)
        g.weight("W_hy", t, a, b, (t * DX + 0.08, LABEL_HY), "left")  # a line above W_hh's
        g.node("L", t, sub("L", t + 1), 0)
        a, b = (t * DX, ROW["y"] + BOX_H / 2), (t * DX, ROW["L"] - BOX_H / 2)
        g.plain(("loss", t), a, b)


def _draw_sum(g, T, loss_steps):
    """Draw the total loss L = sum of L_t, a wide box centred over the T steps, and an arrow
    into it from each L_t of loss_steps."""
    mid = (T - 1) * DX / 2
    box = _box(g.ax, (mid, ROW["sum"]), "L = \u03a3\u209c L\u209c", 0)[0]
    box.set_width(1.3)
    box.set_x(mid - 0.65)
    g.nodes[("sum", 0)] = box
    for t in loss_steps:
        g.plain(("sum", t), (t * DX, ROW["L"] + BOX_H / 2), (mid, ROW["sum"] - BOX_H / 2))


def _thicken(arrows, weight):
    """Draw every arrow of `weight` with a thick outline in its own colour (None: none)."""
    for (w, _), arr in arrows.items():
        if w == weight:
            arr.set_linewidth(2.5)
            arr.set_edgecolor(arr.get_facecolor())


def _finish(ax, rects, T, title):
    """Add the cells of every node as one PatchCollection (one artist to recolour per frame),
    fit the axes to T steps and set the title. Returns the collection."""
    cells = PatchCollection(rects, facecolor=PENDING, edgecolor="#777777", linewidth=0.4, zorder=3)
    ax.add_collection(cells)
    ax.set_xlim(-DX - 0.6, (T - 1) * DX + 0.6)
    ax.set_ylim(ROW["x"] - 0.45, ROW["sum"] + 0.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10, y=1.0)  # a fixed y skips auto-placement
    return cells


def draw_unrolled(
    ax,
    T,
    *,
    H=3,
    V=4,
    D=None,
    input_steps=None,
    loss_steps=None,
    tied=True,
    h0="zero",
    title=None,
    highlight=None,
    weight_labels="all",
):
    """Draw an RNN unrolled over T steps: inputs, hidden states, outputs, losses and their sum.

    Inputs: ax; T steps; H, V, D sizes of h_t, y_t, x_t (D None: V, one-hot inputs); input_steps,
    loss_steps the steps with an x node and with a y node and loss (None: all); tied True names
    every arrow of a matrix alike (W_hh at every step: the RNN), False by its layer (W_hh^(t):
    the layered net); every weight arrow is the same dark grey either way; h0 "zero" or
    "learned" (the label of the initial state); highlight a weight name whose arrows are drawn
    thicker (e.g. "W_hh", to show the one matrix re-used at every step); weight_labels "all"
    names every weight arrow, "first" only the first arrow of each matrix (fewer texts make
    frames cheaper to render).
    Returns a dict of artists: nodes {(kind, t): box} with kind x, h, y, L and ("h", -1) for h_0
    and ("sum", 0) for L; arrows {(weight, t): arrow}; cells (a PatchCollection) and slots
    {(kind, t): slice into its cells}; plus T, input_steps, loss_steps.
    """
    D = V if D is None else D
    ins = list(range(T)) if input_steps is None else list(input_steps)
    outs = list(range(T)) if loss_steps is None else list(loss_steps)
    g = _Graph(ax, weight_labels, tied)
    g.node("h", -1, sub("h", 0) + (" learned" if h0 == "learned" else " = 0"), H)
    for t in range(T):
        _draw_step(g, t, (H, V, D), t in ins, t in outs)
    _draw_sum(g, T, outs)
    _thicken(g.arrows, highlight)
    return {
        "nodes": g.nodes,
        "arrows": g.arrows,
        "cells": _finish(ax, g.rects, T, title),
        "slots": g.slots,
        "T": T,
        "input_steps": ins,
        "loss_steps": outs,
    }


def show_values(art, values, scale=None):
    """Fill node boxes and colour their cells; nodes missing from `values` look pending.

    Inputs: art from draw_unrolled; values {(kind, t): vector} (h nodes in [-1, 1]; other kinds
    scaled by scale[kind], default 1), plus optional {("L", t): None, ("sum", 0): None} to mark
    loss nodes as computed. Returns the list of node keys shown as computed.
    """
    scale = {"h": 1.0, "x": 1.0, "y": 1.0, **(scale or {})}
    colors = np.tile(np.array([0.957, 0.957, 0.957, 1.0]), (len(art["cells"].get_paths()), 1))
    for key, sl in art["slots"].items():
        if key in values and values[key] is not None:
            v = np.asarray(values[key], dtype=np.float64) / scale[key[0]]
            colors[sl] = CMAP(Normalize(-1.0, 1.0)(v))
    art["cells"].set_facecolor(colors)
    done = [k for k in art["nodes"] if k in values]
    for key, patch in art["nodes"].items():
        kind = "hidden" if key[0] in ("h",) else "input" if key[0] == "x" else "output"
        on = key in values
        patch.set_facecolor(_pale(COLORS[kind]) if on else PENDING)
        patch.set_edgecolor(COLORS[kind] if on else MUTED)
        patch.set_linewidth(1.2)
    for (w, t), arr in art["arrows"].items():
        head = {"W_hh": ("h", t), "W_xh": ("h", t), "W_hy": ("y", t), "loss": ("L", t)}
        arr.set_alpha(1.0 if head.get(w, ("sum", 0)) in values else 0.25)
    return done


def show_gradient(art, steps):
    """Mark the hidden nodes the backward pass has reached (gradient-coloured edges) and the W_hh
    arrows it has flowed back through. Inputs: art; steps, the 0-based steps t with dL/dh_t
    known (t = -1 is h_0). Returns the sorted list of marked steps."""
    steps = sorted(set(steps))
    for t in steps:
        art["nodes"][("h", t)].set_edgecolor(GRAD_COLOR)
        art["nodes"][("h", t)].set_linewidth(3.0)
    for t in range(art["T"]):
        back = t in steps and (t - 1) in steps  # gradient passed from h_t to h_{t-1}
        art["arrows"][("W_hh", t)].set_color(GRAD_COLOR if back else WEIGHT_COLORS["W_hh"])
    return steps


def _pale(color, amount=0.8):
    """A colour mixed with white."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))


def draw_folded(ax):
    """The RNN before unrolling: x -> h -> y with a self-loop W_hh on h (the cycle as memory).

    Returns a dict: nodes {kind: box}, arrows {weight: arrow}.
    """
    nodes = {k: _box(ax, (0.0, ROW[k]), f"{k}\u209c", 0)[0] for k in ("x", "h", "y")}
    top, bottom, h, y = BOX_H / 2, -BOX_H / 2, ROW["h"], ROW["y"]
    loop = arrow(
        ax, (0.25, h + top), (BOX_W / 2, h - 0.15), WEIGHT_COLORS["W_hh"], lw=1.4, rad=-1.6
    )
    arrows = {
        "W_xh": _labelled_arrow(
            ax, (0, top), (0, h + bottom), WEIGHT_COLORS["W_xh"], "W_xh", (0.08, h / 2), "left"
        ),
        "W_hy": _labelled_arrow(
            ax,
            (0, h + top),
            (0, y + bottom),
            WEIGHT_COLORS["W_hy"],
            "W_hy",
            (0.08, (h + y) / 2),
            "left",
        ),
        "W_hh": (loop, ax.text(0.85, h + 0.3, "W_hh", fontsize=8, color=WEIGHT_COLORS["W_hh"])),
    }
    ax.set_xlim(-1.0, 1.6)
    ax.set_ylim(-0.45, y + 0.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return {"nodes": nodes, "arrows": {k: a[0] for k, a in arrows.items()}}


def cell_figure(T=3):
    """Static figure: the folded RNN (a cycle) beside the same RNN unrolled for T steps.

    Returns (fig, (folded artists, unrolled artists)).
    """
    fig, (a, b) = placed_figure(6.4, 3.0, [(0.0, 0.0, 0.22, 0.92), (0.22, 0.0, 0.78, 0.92)])
    art = draw_folded(a), draw_unrolled(b, T, highlight="W_hh")
    a.set_title("folded: a cycle", fontsize=10, y=1.0)
    b.set_title(f"unrolled for T = {T}: one W_hh, re-used at every step", fontsize=10, y=1.0)
    fig.alt = (
        f"Left, the folded RNN: x to h to y, with a loop from h back to itself (W_hh). Right, "
        f"the same net unrolled for T = {T} steps, the one W_hh drawn thick at every step"
    )
    return fig, art


def layered_figure(T=3):
    """Static figure: the layered feed-forward net, one copy of each weight per layer.

    Returns (fig, artists of draw_unrolled with tied=False).
    """
    fig, (ax,) = placed_figure(4.6, 3.0, [(0.0, 0.0, 1.0, 0.92)])
    art = draw_unrolled(ax, T, tied=False, title="layered net: layer t has its own weights")
    fig.alt = (
        f"A layered feed-forward net of {T} layers, each with its own weights "
        "W_xh, W_hh and W_hy labelled by the layer number"
    )
    return fig, art
