"""The "hello" figure: input, hidden and output layers per timestep, and its companion plots.

network(ax) draws the boxes once and returns their artists; set_network(art, r) writes a run's
numbers into them (r is a dict from rnnlib.hello.run). The other helpers follow the same
build-then-update pattern so that widgets only change text, colours and heights.
"""

import matplotlib as mpl
import numpy as np
from matplotlib.patches import Rectangle

from ..hello import CHARS, INPUTS, TARGETS
from .style import (
    CHAR_FONT,
    COLORS,
    DIVERGING,
    FONT,
    MUTED,
    REFERENCE,
    arrow,
    new_figure,
    placed_figure,
)

W, CH, GAP, DX = 1.3, 0.62, 1.25, 3.3  # box width, box height, gap between layers, column step
CMAP = mpl.colormaps[DIVERGING]
LIGHT_TARGET = "#f7d58f"  # the target's logit box
FS = FONT["small"]  # the smallest text a projected figure may carry


def _fmt(x, digits=1):
    """One decimal (or `digits`), as the lecture prints, without a "-0.0"."""
    return f"{round(float(x), digits) + 0.0:.{digits}f}"


def logit_texts(ys, bold):
    """One step's logits as printed: one decimal, as the lecture prints, or more where one
    decimal would print a bold (argmax or tied) logit and a plain one alike.

    Inputs: ys (V,) logits; bold (V,) bool, the logits drawn as the argmax.
    Returns a list of V strings, all with the same number of decimals (1 to 4).
    """
    for digits in (1, 2, 3, 4):
        texts = [_fmt(v, digits) for v in ys]
        shown = {texts[k] for k in range(len(texts)) if bold[k]}
        if not shown & {texts[k] for k in range(len(texts)) if not bold[k]}:
            break
    return texts


def _light(value):
    """A pale diverging colour for a value in [-1, 1] (blue negative, red positive)."""
    r, g, b, _ = CMAP(0.5 + 0.5 * float(np.clip(value, -1.0, 1.0)))
    return (0.5 + 0.5 * r, 0.5 + 0.5 * g, 0.5 + 0.5 * b)


def _column(ax, cx, y0, n, color):
    """n stacked boxes centred at x = cx, the first on top; returns (boxes, texts)."""
    boxes, texts = [], []
    for k in range(n):
        y = y0 + (n - 1 - k) * CH
        boxes.append(ax.add_patch(Rectangle((cx - W / 2, y), W, CH, fc="white", ec=color, lw=1.2)))
        texts.append(ax.text(cx, y + CH / 2, "", ha="center", va="center", fontsize=FS))
    return boxes, texts


def _labelled_arrow(ax, start, end, label=None, offset=(0.0, 0.0)):
    """An arrow from start to end (data coordinates), with an optional label beside its middle."""
    arrow(ax, start, end, "0.35")
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*mid, label, fontsize=FS, color="0.2", ha="center", va="center")


def _heights(V, H):
    """Where the layers sit: the bottom y of the input, hidden and output columns (V, H and V
    boxes stacked with a GAP between layers) and the top of the output column."""
    y_in, y_h = 0.0, V * CH + GAP
    y_out = y_h + H * CH + GAP
    return y_in, y_h, y_out, y_out + V * CH


def _step(ax, t, ys, inputs, targets, chars, H):
    """Draw step t's column: its shading rectangle (hidden until set_network selects the step),
    the one-hot input boxes filled in, blank hidden and output boxes, and the input and target
    characters below and above. ys as from _heights.
    Returns (hidden boxes, hidden texts, logit boxes, logit texts, background).
    """
    V, cx = len(chars), t * DX
    y_in, y_h, y_out, top = ys
    background = ax.add_patch(
        Rectangle((cx - 0.9, -0.9), 1.8, top + 1.8, fc="0.5", alpha=0.15, ec="none", zorder=0)
    )
    _, texts = _column(ax, cx, y_in, V, COLORS["input"])
    for k, txt in enumerate(texts):
        txt.set_text("1" if chars[k] == inputs[t] else "0")
    hb, ht = _column(ax, cx, y_h, H, COLORS["hidden"])
    ob, ot = _column(ax, cx, y_out, V, COLORS["output"])
    kw = {"ha": "center", "fontsize": FS + 1, "family": CHAR_FONT}
    ax.text(cx, -0.55, f'"{inputs[t]}"', color=COLORS["input"], **kw)
    ax.text(cx, top + 0.25, f'"{targets[t]}"', color="0.1", **kw)
    return hb, ht, ob, ot, background


def _weights(ax, t, ys, V, H, last):
    """Draw step t's weight arrows: W_xh up into h, W_hy up into y (named at step 0 only) and,
    unless t is the last step, W_hh on to the next step's h. ys as from _heights."""
    cx, (_, y_h, y_out, _) = t * DX, ys
    first = t == 0
    _labelled_arrow(ax, (cx, V * CH), (cx, y_h), "$W_{xh}$" if first else None, (0.6, 0))
    _labelled_arrow(ax, (cx, y_h + H * CH), (cx, y_out), "$W_{hy}$" if first else None, (0.6, 0))
    if not last:
        mid = y_h + H * CH / 2
        _labelled_arrow(ax, (cx + W / 2, mid), (cx + DX - W / 2, mid), "$W_{hh}$", (0, 0.3))


def _margin(ax, ys, chars, H):
    """Write the left margin: each input and output row's character, and the layer names."""
    y_in, y_h, y_out, top = ys
    V = len(chars)
    for k, c in enumerate(chars):  # which row is which character
        for y0 in (y_in, y_out):
            y = y0 + (V - 1 - k) * CH + CH / 2
            ax.text(-W / 2 - 0.15, y, c, ha="right", va="center", color="0.4", family=CHAR_FONT)
    labels = [
        (y_in + V * CH / 2, "input\nlayer"),
        (y_h + H * CH / 2, "hidden\nlayer"),
        (y_out + V * CH / 2, "output\nlayer"),
        (top + 0.4, "target"),
        (-0.45, "input"),
    ]
    for y, name in labels:
        ax.text(-1.25, y, name, ha="right", va="center", fontsize=FS)


def network(ax, inputs=INPUTS, targets=TARGETS, chars=CHARS, H=3):
    """Draw the unrolled net of the lecture's figure (numbers left blank) on `ax`.

    Inputs: ax; inputs, targets strings of length T; chars the vocabulary; H hidden units.
    Returns a dict of artists: hidden_box, hidden_text (T lists of H), logit_box, logit_text
    (T lists of V), column (T background rectangles, shown for the current step), title.
    """
    T, ys = len(inputs), _heights(len(chars), H)
    art = {k: [] for k in ("hidden_box", "hidden_text", "logit_box", "logit_text", "column")}
    for t in range(T):
        for key, artists in zip(art, _step(ax, t, ys, inputs, targets, chars, H), strict=True):
            art[key].append(artists)
        _weights(ax, t, ys, len(chars), H, last=t + 1 == T)
    _margin(ax, ys, chars, H)
    top, right = ys[3], (T - 1) * DX + 1.0
    key = "orange: target   thick: argmax (all of them if tied)"
    ax.text(right, top + 0.62, key, ha="right", va="bottom", fontsize=FS - 1, color="0.35")
    ax.set_xlim(-2.6, right)
    ax.set_ylim(-1.0, top + 1.05)
    ax.set_axis_off()
    art["title"] = ax.set_title("", fontsize=FS + 1, y=1.0)
    return art


def dynamic_artists(art):
    """The artists set_network changes (everything else in the net is static)."""
    groups = art["hidden_box"] + art["hidden_text"] + art["logit_box"] + art["logit_text"]
    return [a for group in groups for a in group] + art["column"] + [art["title"]]


def set_network(art, r, step=None, title=""):
    """Write a run's numbers into the net: h_t shaded by value, target logit boxes coloured,
    the argmax (every tied one) drawn with a thick border and bold digits, each step's logits
    with the decimals logit_texts needs; step (1-based) shades that column, None none.
    Returns the list of artists changed.
    """
    for t, (hb, ht, ob, ot) in enumerate(
        zip(art["hidden_box"], art["hidden_text"], art["logit_box"], art["logit_text"], strict=True)
    ):
        for k in range(len(hb)):
            hb[k].set_facecolor(_light(r["hs"][t, k]))
            ht[k].set_text(_fmt(r["hs"][t, k]))
        logits = logit_texts(r["ys"][t], r["tied"][t])
        for k in range(len(ob)):
            target, best = k == r["target"][t], r["tied"][t, k]
            ob[k].set_facecolor(LIGHT_TARGET if target else "white")
            ob[k].set_linewidth(3.0 if best else 1.2)
            ot[k].set_text(logits[k])
            ot[k].set_fontweight("bold" if best else "normal")
        art["column"][t].set_visible(step == t + 1)
    art["title"].set_text(title)
    return art["column"] + [b for col in art["hidden_box"] + art["logit_box"] for b in col]


def probability_bars(ax, chars=CHARS):
    """Bars for one step's softmax p_t over the vocabulary; returns the artists dict."""
    bars = ax.bar(range(len(chars)), np.zeros(len(chars)), color=COLORS["output"])
    labels = [ax.text(k, 0.0, "", ha="center", va="bottom", fontsize=FS) for k in range(len(chars))]
    ax.set_xticks(range(len(chars)), list(chars), fontfamily=CHAR_FONT)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("$p_t$ = softmax($y_t$)", fontsize=FS)
    return {"bars": bars, "labels": labels, "title": ax.set_title("", fontsize=FS + 1, y=1.0)}


def set_probability_bars(art, p, target, title=""):
    """Heights p (V,), the target's bar in the target colour; returns the bars."""
    for k, (bar, lab) in enumerate(zip(art["bars"], art["labels"], strict=True)):
        bar.set_height(p[k])
        bar.set_color(COLORS["target"] if k == target else COLORS["output"])
        lab.set_position((k, p[k] + 0.02))
        lab.set_text(f"{p[k]:.2f}")
    art["title"].set_text(title)
    return list(art["bars"])


def loss_curve(ax, curves, floors=()):
    """Loss per iteration, log loss against a symlog iteration axis, with a movable marker.

    Inputs: ax; curves, a list of (label, losses (n,), colour); floors, a list of (label,
    value) drawn as dotted lines. Returns the marker (a Line2D at the first curve's start).
    """
    for label, losses, color in curves:
        ax.plot(np.arange(len(losses)), losses, color=color, lw=1.5, label=label)
    for label, value in floors:
        ax.axhline(value, color="0.3", ls=":", lw=1.2, label=label)
    ax.set_yscale("log")
    lo = min([float(np.min(c[1])) for c in curves] + [v for _, v in floors])
    decades = 10.0 ** np.arange(np.floor(np.log10(lo)), 1)
    ax.set_yticks(decades, [f"{d:g}" for d in decades])  # plain labels: no mathtext to typeset
    ax.yaxis.set_minor_locator(mpl.ticker.NullLocator())
    n = max(len(c[1]) for c in curves)
    ax.set_xscale("symlog", linthresh=1.0, linscale=0.5)  # early iterations get room
    xt = [0] + [int(10**k) for k in range(int(np.log10(n)) + 1)]
    ax.set_xticks(xt, [str(x) for x in xt])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlabel("iteration", fontsize=FS)
    ax.set_ylabel("loss (nats)", fontsize=FS)
    ax.legend(fontsize=FS - 1, loc="lower left")
    (marker,) = ax.plot([0], [curves[0][1][0]], "o", color=curves[0][2], ms=7)
    return marker


def hello_figure(r, title=""):
    """A static figure of the net with a run's numbers; returns the Figure."""
    fig, (ax,) = placed_figure(6.4, 4.4, [[0.0, 0.0, 1.0, 0.94]])
    set_network(network(ax), r, title=title)
    preds = ", ".join(CHARS[int(k)] for k in r["pred"])
    fig.alt = (
        f"{title}: the hello net over four steps, inputs h, e, l, l and targets e, l, l, o, "
        f"with every hidden value and logit; the largest logits predict {preds}"
    )
    return fig


def memory_figure(full, frozen, floor, p_frozen):
    """Loss curves with and without W_hh, and what the memoryless net predicts after each l.

    Inputs: full, frozen loss histories (n,); floor, 2 ln 2; p_frozen (T, V) the frozen net's
    softmax outputs. Returns the Figure.
    """
    fig, (ax1, ax2) = new_figure(8.4, 3.0, ncols=2, width_ratios=[1.5, 1])
    curves = [("with $W_{hh}$", full, REFERENCE), ("$W_{hh} = 0$", frozen, "#8c8c8c")]
    loss_curve(ax1, curves, [("2 ln 2", floor)]).set_visible(False)
    width = 0.38
    for j, (t, color, hatch) in enumerate(((2, COLORS["output"], ""), (3, MUTED, "//"))):
        ax2.bar(
            np.arange(len(CHARS)) + (j - 0.5) * width,
            p_frozen[t],
            width,
            color=color,
            hatch=hatch,  # told apart by pattern, not only by colour
            label=f'step {t + 1}: "{INPUTS[t]}" \u2192 "{TARGETS[t]}"',
        )
    ax2.set_xticks(range(len(CHARS)), list(CHARS), fontfamily=CHAR_FONT)
    ax2.set_ylim(0, 1)
    ax2.set_title("$W_{hh} = 0$: $p_t$ after each l", fontsize=FS + 1)
    ax2.legend(fontsize=FS - 1, loc="upper left", prop={"family": CHAR_FONT})
    fig.alt = (
        "Left: the loss with W_hh falls far below 2 ln 2, without W_hh it levels off at 2 ln 2. "
        "Right: without W_hh the net gives both l steps the same prediction, l and o at 0.5 each"
    )
    return fig


def gradient_figure(r):
    """Per-step gradients of one run, in three panels.

    Input: r, a dict from rnnlib.hello.run. Draws dL/dy_t = p_t - onehot(target_t) as a
    (V, T) grid, ||dL/dh_t|| and the Frobenius norm of each step's part of dW_hh.
    Returns the Figure.
    """
    fig, (ax1, ax2, ax3) = new_figure(9.0, 2.8, ncols=3)
    T, V = r["dys"].shape
    ax1.imshow(r["dys"].T, cmap=DIVERGING, vmin=-1, vmax=1)
    for t in range(T):
        for k in range(V):
            v = r["dys"][t, k]
            color = "white" if abs(v) > 0.6 else "black"  # readable on the dark cells
            ax1.text(t, k, f"{v:.2f}", ha="center", va="center", fontsize=FS - 1, color=color)
    steps = [f"{t + 1}\n{INPUTS[t]}\u2192{TARGETS[t]}" for t in range(T)]
    ax1.set_xticks(range(T), steps, fontsize=FS - 1, fontfamily=CHAR_FONT)
    ax1.set_yticks(range(V), list(CHARS), fontfamily=CHAR_FONT)
    ax1.set_title("$dL/dy_t = p_t - $onehot(target)", fontsize=FS)
    ax2.bar(range(T), r["dh_norms"], color=COLORS["gradient"])
    ax2.set_title("$\\|dL/dh_t\\|$", fontsize=FS)
    dW = np.sqrt((r["dW_hh_t"] ** 2).sum(axis=(1, 2)))  # Frobenius norm per step
    ax3.bar(range(T), dW, color=COLORS["gradient"])
    ax3.set_title("$\\|$step $t$'s part of $dW_{hh}\\|$", fontsize=FS)
    for ax in (ax2, ax3):
        ax.set_xticks(range(T), steps, fontsize=FS - 1, fontfamily=CHAR_FONT)
    fig.alt = (
        "Gradients of the lecture's net, step by step: dL/dy_t as a grid of numbers, the norm "
        "of dL/dh_t and the size of each step's part of dW_hh, both largest at step 2"
    )
    return fig
