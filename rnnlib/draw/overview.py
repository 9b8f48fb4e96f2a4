"""Figures for the overview notebook: graphs with and without cycles, the shapes of sequence
problems, capacity (2^N states from N units), and the behaviours of an input-free RNN."""

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, Rectangle

from ..unroll import sequence_setup
from .style import COLORS, new_figure

EXAMPLES = {
    "one-to-one": "image classification: image → label",
    "one-to-many": "image captioning: image → sequence of words",
    "many-to-one": "video classification / sentiment: sequence → label",
    "many-to-many": "per-frame video classification: frames → a label per frame",
    "encoder-decoder": "machine translation: words → words",
}


def _arrow(ax, a, b, color="0.3", rad=0.0, lw=1.2):
    """An arrow from point a to point b (curved by rad), added to ax."""
    style = {"arrowstyle": "-|>", "mutation_scale": 10, "shrinkA": 0, "shrinkB": 0}
    arc = f"arc3,rad={rad}"
    return ax.add_patch(FancyArrowPatch(a, b, color=color, lw=lw, connectionstyle=arc, **style))


def _node(ax, xy, kind, text="", r=0.22):
    """A filled circle of the colour of `kind` (input, hidden, output) with a label."""
    circle = ax.add_patch(Circle(xy, r, fc=COLORS[kind], ec="0.2", lw=0.8))
    label = ax.text(*xy, text, ha="center", va="center", color="white", fontsize=9)
    return [circle, label]


def _toward(a, b, r=0.22):
    """The points on circles of radius r around a and b that face each other."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    u = (b - a) / np.linalg.norm(b - a)
    return tuple(a + r * u), tuple(b - r * u)


def draw_graphs(axes):
    """Three panels: a feed-forward net (a DAG), an RNN (a cycle), the RNN unrolled in time.

    Inputs: axes, a sequence of 3 Axes. Returns a list of the artists drawn.
    """
    ax_ff, ax_rnn, ax_un = axes
    art = []
    layers = [(3, "input"), (4, "hidden"), (4, "hidden"), (2, "output")]  # a DAG, layer by layer
    pos = [[((i - (n - 1) / 2) * 0.8, y) for i in range(n)] for y, (n, _) in enumerate(layers)]
    for lower, upper in zip(pos[:-1], pos[1:], strict=True):
        art += [_arrow(ax_ff, *_toward(a, b), lw=0.6) for a in lower for b in upper]
    for (_, kind), row in zip(layers, pos, strict=True):
        for xy in row:
            art += _node(ax_ff, xy, kind)
    ax_ff.set_title("feed-forward net: a DAG")
    x, h, y = (0, 0), (0, 1.5), (0, 3)
    art += [_arrow(ax_rnn, *_toward(x, h)), _arrow(ax_rnn, *_toward(h, y))]
    art += [_arrow(ax_rnn, (0.2, 1.62), (0.2, 1.38), rad=-2.2)]  # the cycle h → h
    art += _node(ax_rnn, x, "input", "x") + _node(ax_rnn, h, "hidden", "h")
    art += _node(ax_rnn, y, "output", "y")
    art += [ax_rnn.text(0.95, 1.5, "$W_{hh}$\n(memory)", va="center", fontsize=9)]
    art += [ax_rnn.text(0.1, 0.75, "$W_{xh}$", fontsize=9), ax_rnn.text(0.1, 2.2, "$W_{hy}$")]
    ax_rnn.set_title("RNN: a graph with a cycle")
    for t in range(4):
        cx = t * 1.1
        art += [
            _arrow(ax_un, *_toward((cx, 0), (cx, 1.5))),
            _arrow(ax_un, *_toward((cx, 1.5), (cx, 3))),
        ]
        if t:
            art += [_arrow(ax_un, *_toward((cx - 1.1, 1.5), (cx, 1.5)))]
            art += [ax_un.text(cx - 0.55, 1.65, "$W_{hh}$", ha="center", fontsize=8)]
        art += _node(ax_un, (cx, 0), "input", f"$x_{t + 1}$")
        art += _node(ax_un, (cx, 1.5), "hidden", f"$h_{t + 1}$")
        art += _node(ax_un, (cx, 3), "output", f"$y_{t + 1}$")
    ax_un.set_title("unrolled: layers that share $W_{hh}$")
    for ax, xlim in zip(axes, [(-1.6, 1.6), (-1.0, 1.8), (-0.5, 3.8)], strict=True):
        ax.set_xlim(*xlim)
        ax.set_ylim(-0.4, 3.4)
        ax.set_aspect("equal")
        ax.axis("off")
    return art


def _fixed_layout(fig, **margins):
    """Replace the constrained layout by fixed margins: a static figure then renders in one pass."""
    fig.set_layout_engine(None)  # None, not "none": a placeholder engine lays out again on save
    fig.axes[0].get_subplotspec().get_gridspec().update(**margins)
    for ax in fig.axes:
        ax.set_position(ax.get_subplotspec().get_position(fig))  # place the axes by hand
    return fig


def graphs_figure():
    """A static figure of draw_graphs' three panels; returns (fig, axes)."""
    fig, axes = new_figure(9.0, 3.4, ncols=3, gridspec_kw={"width_ratios": [3.2, 2.8, 4.3]})
    draw_graphs(axes)  # width ratios = x ranges, so every panel has the same scale
    return _fixed_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05), axes


def phases_figure(runs):
    """A static figure of draw_phases for a list of runs; returns (fig, axes)."""
    fig, axes = new_figure(2.9 * len(runs), 3.2, ncols=len(runs))
    draw_phases(np.atleast_1d(axes), runs)
    return _fixed_layout(fig, left=0.08, right=0.98, bottom=0.14, top=0.84, wspace=0.45), axes


def draw_process(ax, kind, n_in=3, n_out=3):
    """One process-sequence shape as boxes (inputs red, hidden blue, outputs green) and arrows.

    Which steps read an input and which give an output come from rnnlib.sequence_setup, the
    same description the unrolled network runs on. Inputs: ax; kind, one of EXAMPLES; n_in,
    n_out the lengths. Returns (artists, setup) where setup is sequence_setup's dict.
    """
    setup = sequence_setup(kind, n_in, n_out)
    art = []
    w, hgt = 0.6, 0.45

    def box(t, row, kind_):
        return ax.add_patch(
            Rectangle((t - w / 2, row - hgt / 2), w, hgt, fc=COLORS[kind_], ec="0.2", lw=0.8)
        )

    for t in range(setup["T"]):
        art.append(box(t, 1, "hidden"))
        if t:
            art.append(_arrow(ax, (t - 1 + w / 2, 1), (t - w / 2, 1)))  # h_{t-1} → h_t
    for t in setup["input_steps"]:
        art += [box(t, 0, "input"), _arrow(ax, (t, hgt / 2), (t, 1 - hgt / 2))]
    for t in setup["loss_steps"]:
        art += [box(t, 2, "output"), _arrow(ax, (t, 1 + hgt / 2), (t, 2 - hgt / 2))]
    art.append(ax.text(2.5, -0.65, f"{kind}   e.g. {EXAMPLES[kind]}", ha="center", fontsize=10))
    ax.set_xlim(-0.6, 5.6)
    ax.set_ylim(-0.9, 2.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return art, setup


def draw_capacity(ax, n_max=20):
    """2^N binary activity vectors against N^2 recurrent weights, for N = 1..n_max (log scale).

    Inputs: ax; n_max the largest N. Returns a dict of artists for update_capacity.
    """
    n = np.arange(1, n_max + 1)
    ax.semilogy(n, 2.0**n, color=COLORS["hidden"])
    ax.semilogy(n, n**2.0, color=COLORS["target"])
    ax.text(
        n_max / 2,
        2.0 ** (n_max / 2) * 8,
        "$2^N$ activity vectors",
        ha="right",
        color=COLORS["hidden"],
    )
    ax.text(n_max, n_max**2 * 3, "$N^2$ weights", ha="right", color=COLORS["target"])
    dots = ax.plot([1, 1], [2, 1], "o", color="0.1", ms=5)[0]
    vline = ax.axvline(1, color="0.5", lw=0.8, ls=":")
    ax.set(xlabel="N hidden units", xlim=(0.5, n_max + 0.5), ylim=(0.7, 2.0 ** (n_max + 1)))
    ax.set_xticks([1, *range(5, n_max + 1, 5)])
    decades = np.arange(0, np.log10(2.0**n_max) + 1)
    ax.set_yticks(10.0 ** decades[:: max(1, len(decades) // 4)])
    ax.minorticks_off()  # fewer ticks: faster frames
    return {"dots": dots, "vline": vline}


def update_capacity(art, N):
    """Move the markers to N units; returns (2^N, N^2) as ints."""
    art["dots"].set_data([N, N], [2.0**N, float(N * N)])
    art["vline"].set_xdata([N, N])
    return 2**N, N**2  # activity vectors, recurrent weights


def draw_phases(axes, runs):
    """Side by side, the paths of units 0 and 1 for several runs, each titled with its label.

    Inputs: axes, one Axes per run; runs, dicts with hs (T+1, B, H), label, lyapunov.
    Returns the list of Line2D drawn.
    """
    lines = []
    for ax, run in zip(axes, runs, strict=True):
        hs = run["hs"].reshape(len(run["hs"]), -1, run["hs"].shape[-1])[:, 0]  # first start
        lines += ax.plot(hs[:, 0], hs[:, 1], ".", color=COLORS["hidden"], ms=3)
        lines += ax.plot(hs[:1, 0], hs[:1, 1], "o", color=COLORS["input"], ms=5)  # the start
        lam = round(run["lyapunov"], 1) + 0.0  # + 0.0 turns -0.0 into 0.0
        ax.set_title(f"{run['label']}\n$\\lambda$ ≈ {lam:+.1f} per step", fontsize=10)
        ax.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="$h_t[0]$", ylabel="$h_t[1]$")
        ax.set_aspect("equal")
    return lines


def draw_behaviour(axes, T):
    """Two panels for an input-free RNN run from two nearby starts: the path of units 0 and 1,
    and the distance between the runs (log scale) beside the line d_0 exp(lambda t).

    Inputs: axes, 2 Axes; T the number of steps shown. Returns a dict of artists.
    """
    ax_p, ax_d = axes
    t = np.arange(T + 1)
    colors = (COLORS["hidden"], COLORS["input"])
    art = {
        "path": [ax_p.plot([], [], ".", color=c, ms=3, alpha=0.8)[0] for c in colors],
        "dist": ax_d.semilogy(t, 1 + 0 * t, color="0.1", lw=1.0)[0],
        "rate": ax_d.semilogy(t, 1 + 0 * t, "--", color=COLORS["target"])[0],  # d_0 e^{lambda t}
    }
    ax_p.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="$h_t[0]$", ylabel="$h_t[1]$")
    ax_p.set(xticks=[-1, 0, 1], yticks=[-1, 0, 1], aspect="equal")
    ax_d.set(xlim=(0, T), ylim=(1e-14, 1e1), xlabel="t", ylabel="distance between the runs")
    ax_d.set_yticks([1e-12, 1e-8, 1e-4, 1], ["1e-12", "1e-8", "1e-4", "1"])  # no mathtext
    ax_d.set_xticks(np.linspace(0, T, 4).round())
    ax_d.minorticks_off()  # few ticks and no legend: text is most of a frame's cost
    art["title"] = ax_d.set_title(" ", fontsize=10)
    return art


def update_behaviour(art, hs, lam, label):
    """Show runs hs (T+1, 2, H) from two nearby starts, their distance and d_0 exp(lam t).

    Returns the distances (T+1,) between the two runs.
    """
    for k in range(2):
        art["path"][k].set_data(hs[:, k, 0], hs[:, k, 1])
    dist = np.linalg.norm(hs[:, 0] - hs[:, 1], axis=1)  # ||h_t - h'_t||
    t = np.arange(len(hs))
    art["dist"].set_ydata(np.maximum(dist, 1e-14))
    art["rate"].set_ydata(np.clip(dist[0] * np.exp(lam * t), 1e-14, 1e2))  # d_0 e^{lambda t}
    art["title"].set_text(f"{label}: λ = {lam:+.3f} per step")
    return dist
