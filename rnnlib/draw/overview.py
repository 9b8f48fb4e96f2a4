"""Figures for the overview notebook: graphs with and without cycles, the shapes of sequence
problems, capacity (2^H states from H units), and the behaviours of an input-free RNN."""

from functools import partial

import numpy as np
from matplotlib.patches import Circle, Rectangle

from ..unroll import sequence_setup
from .style import COLORS, REFERENCE, arrow, freeze_layout, new_figure

EXAMPLES = {
    "one-to-one": "image classification: image → label",
    "one-to-many": "image captioning: image → sequence of words",
    "many-to-one": "video classification / sentiment: sequence → label",
    "many-to-many": "per-frame video classification: frames → a label per frame",
    "encoder-decoder": "machine translation: words → words",
}


_arrow = partial(arrow, lw=1.2, shrink=0.0)  # this module's arrows: from point to point


LETTERS = {"input": "x", "hidden": "h", "output": "y"}  # said in letters, not only in colour


def _node(ax, xy, kind, text=None, r=0.22):
    """A filled circle of the colour of `kind` (input, hidden, output) with a label (None: the
    kind's letter, x, h or y)."""
    text = LETTERS[kind] if text is None else text
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


def graphs_figure():
    """A static figure of draw_graphs' three panels; returns (fig, axes)."""
    fig, axes = new_figure(9.0, 3.4, ncols=3, gridspec_kw={"width_ratios": [3.2, 2.8, 4.3]})
    draw_graphs(axes)  # width ratios = x ranges, so every panel has the same scale
    fig.alt = (
        "Three graphs: a feed-forward net whose arrows all point up from inputs x to outputs y; "
        "an RNN whose hidden node h has an arrow back to itself; and the same RNN unrolled over "
        "four steps, each h_t passing to h_t+1 through the same W_hh"
    )
    return freeze_layout(fig, left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.05), axes


def phases_figure(runs):
    """A static figure of draw_phases for a list of runs; returns (fig, axes)."""
    fig, axes = new_figure(2.9 * len(runs), 3.2, ncols=len(runs))
    draw_phases(np.atleast_1d(axes), runs)
    fig.alt = "The path of hidden units 0 and 1 from a start: " + "; ".join(
        f"{behaviour_title(r)} (lambda about {round(r['lyapunov'], 1) + 0.0:+.1f} per step)"
        for r in runs
    )
    return freeze_layout(fig, left=0.09, right=0.98, bottom=0.14, top=0.84, wspace=0.45), axes


# (n_in, n_out) drawn per shape: the encoder-decoder is notebook 02's 'hel' -> 'lo' (T = 5)
LENGTHS = {kind: (3, 2) if kind == "encoder-decoder" else (3, 3) for kind in EXAMPLES}


def draw_process(ax, kind, n_in=None, n_out=None):
    """One process-sequence shape as boxes (x input, h hidden, y output, each in its colour).

    Which steps read an input and which give an output come from rnnlib.sequence_setup, the
    same description the unrolled network runs on. Inputs: ax; kind, one of EXAMPLES; n_in,
    n_out the lengths (None: LENGTHS[kind]). Returns (artists, setup), setup being
    sequence_setup's dict (steps counted from 0 there).
    """
    default = LENGTHS.get(kind, (3, 3))
    n_in = default[0] if n_in is None else n_in
    n_out = default[1] if n_out is None else n_out
    setup = sequence_setup(kind, n_in, n_out)
    art = []
    w, hgt = 0.6, 0.45

    def box(t, row, kind_):
        patch = ax.add_patch(
            Rectangle((t - w / 2, row - hgt / 2), w, hgt, fc=COLORS[kind_], ec="0.2", lw=0.8)
        )
        letter = ax.text(t, row, LETTERS[kind_], ha="center", va="center", color="white")
        art.append(letter)  # the kind in a letter too, for readers who cannot tell the colours
        return patch

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


def draw_capacity(ax, h_max=20):
    """2^H binary activity vectors against H^2 recurrent weights, for H = 1..h_max (log scale).

    Inputs: ax; h_max the largest H. Returns a dict of artists for update_capacity.
    """
    n = np.arange(1, h_max + 1)
    ax.semilogy(n, 2.0**n, color=COLORS["hidden"])
    ax.semilogy(n, n**2.0, color=REFERENCE, ls="--")
    ax.text(
        h_max / 2,
        2.0 ** (h_max / 2) * 8,
        "$2^H$ activity vectors",
        ha="right",
        color=COLORS["hidden"],
    )
    ax.text(h_max, h_max**2 * 3, "$H^2$ weights", ha="right", color=REFERENCE)
    dots = ax.plot([1, 1], [2, 1], "o", color="0.1", ms=5)[0]
    vline = ax.axvline(1, color="0.5", lw=0.8, ls=":")
    ax.set(xlabel="H hidden units", xlim=(0.5, h_max + 0.5), ylim=(0.7, 2.0 ** (h_max + 1)))
    ax.set_xticks([1, *range(5, h_max + 1, 5)])
    decades = np.arange(0, np.log10(2.0**h_max) + 1)
    ax.set_yticks(10.0 ** decades[:: max(1, len(decades) // 4)])
    ax.minorticks_off()  # fewer ticks: faster frames
    return {"dots": dots, "vline": vline}


def update_capacity(art, H):
    """Move the markers to H units; returns (2^H, H^2) as ints."""
    art["dots"].set_data([H, H], [2.0**H, float(H * H)])
    art["vline"].set_xdata([H, H])
    return 2**H, H**2  # activity vectors, recurrent weights


def behaviour_title(run):
    """The label with what qualifies it: "point attractor, still settling", "oscillation,
    period 8", "oscillation, quasi-periodic", or the bare label."""
    if run["label"] == "point attractor" and not run["settled"]:
        return "point attractor, still settling"
    if run["label"] == "oscillation":
        return "oscillation, " + (
            "quasi-periodic" if run["period"] is None else f"period {run['period']}"
        )
    return run["label"]


PHASE_STEPS = 80  # steps drawn per run in the static phase portraits


def draw_phases(axes, runs, steps=PHASE_STEPS):
    """Side by side, the path of units 0 and 1 for several runs, each titled with its label.

    Each path is the run's first `steps` states from its start, dots joined in time order by a
    thin line (a cycle retraces one closed polygon; chaos scribbles), the start a ring.
    Inputs: axes, one Axes per run; runs, behaviour_run dicts (transient, hs, label, lyapunov).
    Returns the list of Line2D drawn.
    """
    lines = []
    for ax, run in zip(axes, runs, strict=True):
        hs = np.vstack([run["transient"], run["hs"][1:, 0]])[: steps + 1]  # one run from its start
        lines += ax.plot(hs[:, 0], hs[:, 1], "-", color=COLORS["hidden"], lw=0.6, alpha=0.6)
        lines += ax.plot(hs[:, 0], hs[:, 1], ".", color=COLORS["hidden"], ms=4)
        lines += ax.plot(hs[:1, 0], hs[:1, 1], "o", mfc="none", mec="0.1", ms=8, mew=1.2)
        ax.annotate("start", hs[0, :2], xytext=(6, 6), textcoords="offset points", fontsize=9)
        lam = round(run["lyapunov"], 1) + 0.0  # + 0.0 turns -0.0 into 0.0
        ax.set_title(f"{behaviour_title(run)}\n$\\lambda$ ≈ {lam:+.1f} per step", fontsize=10)
        ax.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="$h_t[0]$", ylabel="$h_t[1]$")
        ax.set_aspect("equal")
    return lines


DIST_FLOOR = 1e-40  # distances below this are drawn at it (the axis' bottom)
ROUNDING = 1e-16  # float64's resolution of a state of size ~1: two runs cannot get closer
PATH_TAIL = 60  # the last steps of the two runs drawn in the behaviours view's path panel


def draw_behaviour(axes, T, burn):
    """Two panels for an input-free RNN: the path of units 0 and 1 (the `burn` transient steps
    in grey, then the last PATH_TAIL steps of two runs from nearby states, joined in time
    order), and the distance between
    the two runs over the T steps after the nudge (log scale) beside the line d_0 exp(lambda t).

    Inputs: axes, 2 Axes; T the steps after the nudge; burn the transient's steps.
    Returns a dict of artists.
    """
    ax_p, ax_d = axes
    t = np.arange(T + 1)
    art = {
        "path": [
            ax_p.plot([], [], "-", color="0.75", lw=0.6)[0],  # the transient
            ax_p.plot([], [], ".-", color=COLORS["hidden"], ms=3, lw=0.4)[0],  # run 1
            ax_p.plot([], [], "x", color="0.1", ms=3, mew=0.8)[0],  # run 2, nudged
        ],
        "dist": ax_d.semilogy(t, 1 + 0 * t, color=COLORS["hidden"], lw=1.2)[0],
        "rate": ax_d.semilogy(t, 1 + 0 * t, "--", color=REFERENCE)[0],  # d_0 e^{lambda t}
    }
    ax_p.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="$h_t[0]$", ylabel="$h_t[1]$")
    ax_p.set(xticks=[-1, 0, 1], yticks=[-1, 0, 1], aspect="equal")
    ax_p.set_title(f"grey: steps 0-{burn}\nlast {PATH_TAIL}: run 1 dots, run 2 x", fontsize=9)
    ax_d.set(xlim=(0, T), ylim=(DIST_FLOOR, 1e2), ylabel="distance between the runs")
    ax_d.set_xlabel(f"steps after the nudge at step {burn}")
    ax_d.set_yticks([1e-40, 1e-30, 1e-20, 1e-10, 1], ["1e-40", "1e-30", "1e-20", "1e-10", "1"])
    ax_d.set_xticks(np.linspace(0, T, 5).round())
    ax_d.minorticks_off()  # few ticks and no legend: text is most of a frame's cost
    ax_d.axhline(ROUNDING, color="0.6", lw=0.6, ls=":")  # next to a state h* != 0 they stop here
    ax_d.text(T, ROUNDING / 10, "float64 rounding ", ha="right", va="top", fontsize=8, color="0.4")
    art["title"] = ax_d.set_title(" \n ", fontsize=10)  # two lines: the label, then lambda
    return art


def update_behaviour(art, run, title):
    """Show a behaviour_run dict: the transient and the two runs hs (T+1, 2, U) in units 0
    and 1 (U >= 2 kept units), their distance dist (T+1,) over every unit and d_0 exp(lambda t);
    set the distance panel's title. Returns the distances."""
    hs, dist = run["hs"], run["dist"]  # dist: ||h_t - h'_t||
    art["path"][0].set_data(run["transient"][:, 0], run["transient"][:, 1])
    for k in range(2):
        art["path"][k + 1].set_data(hs[-PATH_TAIL:, k, 0], hs[-PATH_TAIL:, k, 1])
    t = np.arange(len(dist))
    art["dist"].set_ydata(np.maximum(dist, DIST_FLOOR))
    rate = dist[0] * np.exp(run["lyapunov"] * t)  # d_0 e^{lambda t}
    art["rate"].set_ydata(np.clip(rate, DIST_FLOOR, 1e2))
    art["title"].set_text(title)
    return dist


def decay_slope(lags, logs, first=10):
    """The least-squares slope of logs against lags from lag `first` on (the early lags
    carry the first steps' transient): the per-step rate of ln ||dh_T/dh_{T-k}||."""
    return float(np.polyfit(lags[first:], logs[first:], 1)[0])


def decay_figure(lags, logs, lam_free, first=10):
    """ln ||dh_T/dh_{T-k}|| against the lag k along real text (dots), its fitted line from lag
    `first`, and a line of slope lam_free (the input-free system's exponent) through the same
    point at lag `first`. Returns (fig, ax)."""
    fig, ax = new_figure(5.6, 3.0)
    slope = decay_slope(lags, logs, first)
    k = lags[first:]
    ax.plot(lags[1:], logs[1:], "o", color=COLORS["gradient"], ms=4, label="along held-out text")
    ax.plot(
        k,
        logs[first] + slope * (k - first),
        "-",
        color="0.2",
        lw=1.0,
        label=f"fitted slope {slope:+.2f} per step",
    )
    ax.plot(
        k,
        logs[first] + lam_free * (k - first),
        "--",
        color="0.5",
        lw=1.0,
        label=f"input-free exponent {lam_free:+.2f} per step",
    )
    ax.set(xlabel="lag k = T - t (steps)", ylabel="mean ln ||dh_T / dh_t||")
    ax.legend(fontsize=9, frameon=False)
    fig.alt = (
        f"The mean log gradient norm ln ||dh_T/dh_t|| falls with the lag along a straight line of "
        f"slope {slope:+.2f} per step, steeper than the input-free exponent {lam_free:+.2f}"
    )
    return fig, ax
