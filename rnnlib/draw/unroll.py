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
SUB = {"W_xh": "xh", "W_hh": "hh", "W_hy": "hy"}


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
    nodes, arrows, rects, slots = {}, {}, [], {}

    def node(kind, t, label, n):
        patch, _, cells = _box(ax, (t * DX, ROW[kind]), label, n)
        nodes[(kind, t)] = patch
        slots[(kind, t)] = slice(len(rects), len(rects) + n)
        rects.extend(cells)

    seen = set()

    def label(w, t):  # the weight's name, or None when only the first arrow is labelled
        if weight_labels == "first" and w in seen:
            return None
        seen.add(w)
        return _wlabel(w, t, tied)

    wcol = {w: (lambda t, w=w: WEIGHT_COLORS[w]) for w in SUB}  # untied: each layer's label says
    node("h", -1, sub("h", 0) + (" learned" if h0 == "learned" else " = 0"), H)
    for t in range(T):
        node("h", t, sub("h", t + 1), H)
        a, b = ((t - 1) * DX + BOX_W / 2, ROW["h"]), (t * DX - BOX_W / 2, ROW["h"])
        lab = label("W_hh", t)
        arrows[("W_hh", t)] = _labelled_arrow(
            ax, a, b, wcol["W_hh"](t), lab, ((t - 0.5) * DX, LABEL_HH)
        )[0]
        if t in ins:
            node("x", t, sub("x", t + 1), D)
            a, b = (t * DX, ROW["x"] + BOX_H / 2), (t * DX, ROW["h"] - BOX_H / 2)
            lab = label("W_xh", t)
            xy = (t * DX + 0.08, 0.6)  # beside the arrow, to its right
            arrows[("W_xh", t)] = _labelled_arrow(ax, a, b, wcol["W_xh"](t), lab, xy, "left")[0]
        if t in outs:
            node("y", t, sub("y", t + 1), V)
            a, b = (t * DX, ROW["h"] + BOX_H / 2), (t * DX, ROW["y"] - BOX_H / 2)
            lab = label("W_hy", t)
            xy = (t * DX + 0.08, LABEL_HY)  # a line above the W_hh label beside it
            arrows[("W_hy", t)] = _labelled_arrow(ax, a, b, wcol["W_hy"](t), lab, xy, "left")[0]
            node("L", t, sub("L", t + 1), 0)
            a, b = (t * DX, ROW["y"] + BOX_H / 2), (t * DX, ROW["L"] - BOX_H / 2)
            arrows[("loss", t)] = _labelled_arrow(ax, a, b, "#555555")[0]
    mid = (T - 1) * DX / 2
    nodes[("sum", 0)] = _box(ax, (mid, ROW["sum"]), "L = \u03a3\u209c L\u209c", 0)[0]
    nodes[("sum", 0)].set_width(1.3)
    nodes[("sum", 0)].set_x(mid - 0.65)
    for t in outs:
        a, b = (t * DX, ROW["L"] + BOX_H / 2), (mid, ROW["sum"] - BOX_H / 2)
        arrows[("sum", t)] = _labelled_arrow(ax, a, b, "#555555")[0]
    for (w, _), arr in arrows.items():
        if w == highlight:
            arr.set_linewidth(2.5)  # a thick outline in the arrow's own colour
            arr.set_edgecolor(arr.get_facecolor())
    cells = PatchCollection(rects, facecolor=PENDING, edgecolor="#777777", linewidth=0.4, zorder=3)
    ax.add_collection(cells)
    ax.set_xlim(-DX - 0.6, (T - 1) * DX + 0.6)
    ax.set_ylim(ROW["x"] - 0.45, ROW["sum"] + 0.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=10, y=1.0)  # a fixed y skips auto-placement
    return {
        "nodes": nodes,
        "arrows": arrows,
        "cells": cells,
        "slots": slots,
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
