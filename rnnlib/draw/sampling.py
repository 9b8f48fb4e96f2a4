"""Drawings for test time: the sampling chain, next-character distributions, entropy, loss curves.

Each builder takes an Axes and returns its artists; a matching set_* function updates them, so a
view builds its figure once and only changes heights, colours and texts afterwards.
"""

import numpy as np
from matplotlib.patches import FancyBboxPatch, Rectangle

from .style import CHAR_FONT, COLORS, MUTED, REFERENCE

GREY = MUTED  # reference lines and curves only for comparison
FUTURE_ALPHA = 0.15  # how faint the steps not sampled yet are
ROWS = {"x": 0.0, "h": 1.0, "p": 2.0, "s": 3.0}  # heights of the chain's rows
SUBSCRIPTS = str.maketrans(
    "0123456789", "\u2080\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089"
)
SPECIAL = {" ": "\u2423", "\n": "\\n", "\t": "\\t"}  # visible stand-ins for blank characters


def char_label(c):
    """A visible label for one character (space -> open box, newline -> backslash n)."""
    return SPECIAL.get(c, c)


def _box(ax, x, y, text, color):
    patch = FancyBboxPatch(
        (x - 0.3, y - 0.22), 0.6, 0.44, boxstyle="round,pad=0.02", fc="white", ec=color, lw=1.5
    )
    ax.add_patch(patch)
    label = ax.text(x, y, text, ha="center", va="center", fontsize=12, color=color)
    label.set_fontfamily(CHAR_FONT)
    return patch, label


def sampling_chain(ax, n):
    """The unrolled sampler for n steps: x_t -> h_t -> p_t -> sample, the sample fed to x_{t+1}.

    Inputs: ax; n the number of steps drawn.
    Returns a dict of artists: "x", "h", "p", "s" (lists of (patch, text) per step), "feed"
    (the n - 1 arrows from a sample to the next input), "veil" (a white Rectangle over the
    steps not taken yet), "cursor" (a Rectangle around the current step) and "animated" (the
    artists set_chain changes: veil, cursor, the input and sample texts).
    """
    ax.set_xlim(-1.6, n - 0.4)
    ax.set_ylim(-0.5, 3.5)
    ax.set_axis_off()
    for name, label in (("x", "input $x_t$"), ("h", "$h_t$"), ("p", "$p_t$"), ("s", "sample")):
        ax.text(-0.5, ROWS[name], label, ha="right", va="center", fontsize=9)
    colors = {"x": COLORS["input"], "h": COLORS["hidden"], "p": COLORS["output"]}
    colors["s"] = COLORS["sample"]
    art = {name: [] for name in ROWS}
    art["feed"] = []
    arrow = {"arrowstyle": "->", "color": GREY, "lw": 1.0, "shrinkA": 0, "shrinkB": 0}
    for t in range(n):
        for name in ROWS:
            sub = str(t + 1).translate(SUBSCRIPTS)  # h₁, p₁: plain text, no mathtext parse
            text = {"h": f"h{sub}", "p": f"p{sub}"}.get(name, "?")
            art[name].append(_box(ax, t, ROWS[name], text, colors[name]))
        for lo, hi in (("x", "h"), ("h", "p"), ("p", "s")):
            ax.annotate("", (t, ROWS[hi] - 0.24), (t, ROWS[lo] + 0.24), arrowprops=arrow)
        if t + 1 < n:
            ax.annotate("", (t + 0.7, ROWS["h"]), (t + 0.3, ROWS["h"]), arrowprops=arrow)  # W_hh
            feed = dict(arrow, color=COLORS["sample"], connectionstyle="arc3,rad=-0.15")
            art["feed"].append(
                ax.annotate(
                    "", (t + 0.78, ROWS["x"] + 0.2), (t + 0.22, ROWS["s"] - 0.2), arrowprops=feed
                )
            )
    art["veil"] = ax.add_patch(
        Rectangle((0.5, -0.5), n, 4.0, fc="white", ec="none", alpha=1 - FUTURE_ALPHA, zorder=5)
    )
    art["cursor"] = ax.add_patch(
        Rectangle((-0.45, -0.42), 0.9, 3.84, fc="none", ec=REFERENCE, lw=2.0, zorder=6)
    )
    texts = [art[name][t][1] for name in ("x", "s") for t in range(n)]
    for text in texts:
        text.set_zorder(7)  # above the veil, so "?" shows on the steps to come
    art["animated"] = [art["veil"], art["cursor"], *texts]
    return art


def set_chain(art, inputs, drawn, step):
    """Show the chain after `step` steps (1-based): inputs and samples up to it, the rest veiled.

    Inputs: art from sampling_chain; inputs (n,) and drawn (n,) characters (str each);
    step in 1..n. Returns art["animated"], the artists it changed.
    """
    art["cursor"].set_x(step - 1 - 0.45)
    art["veil"].set_x(step - 0.5)  # covers the columns step .. n - 1 (0-based)
    for t in range(len(art["x"])):
        past = t < step
        for name, chars in (("x", inputs), ("s", drawn)):
            text = art[name][t][1]
            text.set_text(char_label(chars[t]) if past else "?")
            text.set_alpha(1.0 if past else 0.5)
    return art["animated"]


def distribution_bars(ax, chars, *, ymax=1.0):
    """A bar per vocabulary character, heights to be set by set_distribution.

    Inputs: ax; chars the vocabulary (list of str, V); ymax the fixed top of the axis.
    Returns the BarContainer (V bars).
    """
    V = len(chars)
    bars = ax.bar(np.arange(V), np.zeros(V), color=COLORS["output"], width=0.8)
    ax.set_xticks(np.arange(V), [char_label(c) for c in chars], fontfamily=CHAR_FONT)
    ax.set_xlim(-0.6, V - 0.4)
    ax.set_ylim(0.0, ymax)
    ax.set_ylabel("probability")
    ax.spines[["top", "right"]].set_visible(False)
    return bars


def set_distribution(bars, p, drawn=None):
    """Set bar heights to p (V,); colour the drawn index (None: no highlight). Returns bars."""
    for i, (bar, v) in enumerate(zip(bars, p, strict=True)):
        bar.set_height(float(v))
        bar.set_color(COLORS["sample"] if i == drawn else COLORS["output"])
    return bars


def entropy_curve(ax, temperatures, entropies, log_v):
    """Entropy (nats) against temperature, with the uniform ceiling ln V and a movable marker.

    Inputs: ax; temperatures (K,); entropies (K,); log_v = ln V.
    Returns (line, marker) Line2D artists; move the marker with marker.set_data([T], [H]).
    """
    (line,) = ax.plot(temperatures, entropies, color=REFERENCE, lw=1.5)
    ax.axhline(log_v, color=GREY, ls="--", lw=1.0)
    ax.text(temperatures[-1], log_v, "ln V", va="bottom", ha="right", fontsize=9, color=GREY)
    (marker,) = ax.plot([], [], "o", color=REFERENCE, ms=8, clip_on=False)
    ax.set_xlim(0.0, temperatures[-1])
    ax.set_ylim(-0.06 * log_v, 1.08 * log_v)  # a curve at 0 (top-k = 1) stays above the spine
    ax.set_xlabel("temperature")
    ax.set_ylabel("entropy (nats)")
    ax.spines[["top", "right"]].set_visible(False)
    return line, marker


def top_k_ceiling(ax, temperatures):
    """The ceiling ln k of the entropy under top-k, a dashed line with its label (hidden until
    set_top_k_ceiling shows it). Returns (line, text) for set_top_k_ceiling."""
    (line,) = ax.plot([temperatures[0], temperatures[-1]], [0.0, 0.0], ls="--", lw=1.0)
    line.set_color(REFERENCE)
    text = ax.text(temperatures[-1], 0.0, "", va="bottom", ha="right", fontsize=9)
    text.set_color(REFERENCE)
    return line, text


def set_top_k_ceiling(art, k, V):
    """Show the line ln k (the most entropy k characters can have), or hide it when k >= V."""
    line, text = art
    shown = k < V
    line.set_visible(shown)
    text.set_visible(shown)
    line.set_ydata([np.log(k), np.log(k)])
    text.set_y(np.log(k))
    text.set_text(f"ln {k}" if k > 1 else "ln 1 = 0")
    return [line, text]


def loss_curve(ax, iterations, loss, *, label="loss per character", log_v=None, background=None):
    """A training curve: loss against iteration, optionally with the uniform guess ln V.

    Inputs: ax; iterations (n,); loss (n,); label; log_v (None: no baseline); background,
    None or (iterations (m,), loss (m,), label), a second curve drawn faint behind.
    Returns (line, marker): the curve and an empty marker to point at one iteration.
    """
    if background is not None:
        its, values, name = background
        ax.plot(its, values, color=GREY, lw=0.8, label=name)
    (line,) = ax.plot(iterations, loss, color=REFERENCE, lw=1.5, label=label)
    if log_v is not None:
        ax.axhline(log_v, color=GREY, ls="--", lw=1.0, label="uniform guess, ln V")
    (marker,) = ax.plot([], [], "o", mfc="none", mec=REFERENCE, mew=2, ms=10)
    ax.set_xlabel("iteration")
    ax.set_ylabel("nats per character")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return line, marker
