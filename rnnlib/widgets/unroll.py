"""Views for notebook 02: the unrolled graph stepped forward and backward, the process-sequence
shapes, vanishing/exploding gradients against the spectral radius of W_hh, truncated BPTT in
chunks (which loss reaches which step, and the error against full BPTT).

The small examples the views run (on the lecture's vocabulary [h, e, l, o]) are plain numpy
functions in rnnlib.examples, so tests and notebook cells can compute the numbers the views show.
"""

from functools import partial

import numpy as np

from ..draw import norms as dn
from ..draw import unroll as du
from ..draw.style import MUTED, new_figure
from ..examples import (
    CHUNK_TEXT,
    RHOS,
    SETUPS,
    chunk_example,
    hello_example,
    hello_params,
    radius_run,
    run_example,
)
from ..unroll import (
    chunk_starts,
    grad_difference,
    loss_reach,
    unroll_loss_and_grads,
)
from . import tables
from .spec import FigureSpec, build, buttons, int_range, slider


def _html(header, rows):
    """A small right-aligned monospace HTML table: a header row, then rows of cell HTML."""
    head = [tables.cell(h, "th", "padding:0 6px") for h in header]
    body = [[tables.cell(c, "td", "padding:0 6px;text-align:right") for c in r] for r in rows]
    return tables.table([head, *body], "font-family:monospace;font-size:12px")


def _vec(v):
    return "[" + ", ".join(f"{x:+.2f}" for x in v) + "]"


def _values(ex, trace, upto):
    """Node values for show_values: everything computed in the first `upto` steps."""
    vals = {("h", -1): np.zeros(trace["hs"].shape[1])}
    for t in range(upto):
        vals[("h", t)] = trace["hs"][t]
        if t in ex["input_steps"]:
            vals[("x", t)] = ex["xs"][t]
        if t in ex["loss_steps"]:
            vals[("y", t)], vals[("L", t)] = trace["ys"][t], None
    if upto == ex["T"]:
        vals[("sum", 0)] = None
    return vals


def forward_explorer(params=None, kind="many-to-many"):
    """Slider t = 0..T: the forward pass after t steps; h_t and y_t as coloured strips and a table.

    The slider starts at T - 1 (one step left to run), so both arrow keys move it.
    Returns a FigureView; view.result is a dict t, hs (t, H), ys (t, V).
    """
    params = hello_params() if params is None else params
    ex = hello_example(kind)
    trace = run_example(params, ex)[3]
    fig, ax = new_figure(5.2, 3.4)
    art = du.draw_unrolled(
        ax,
        ex["T"],
        H=params["W_hh"].shape[0],
        input_steps=ex["input_steps"],
        loss_steps=ex["loss_steps"],
        weight_labels="first",  # each matrix named once: room for readable labels
    )
    yscale = {"y": float(np.abs(trace["ys"]).max())}

    def update(t):
        du.show_values(art, _values(ex, trace, t), yscale)
        return {"t": t, "hs": trace["hs"][:t], "ys": trace["ys"][:t]}

    def table(values, result):
        rows = []
        for s in range(ex["T"]):
            done = s < values["t"]
            x = ex["inputs"][ex["input_steps"].index(s)] if s in ex["input_steps"] else "0"
            h, y = (_vec(trace["hs"][s]), _vec(trace["ys"][s])) if done else ("", "")
            rows.append([s + 1, x, h, y])
        return _html(["t", "x_t", "h_t", "y_t (h, e, l, o)"], rows)

    controls = {"t": int_range(0, ex["T"], ex["T"] - 1, "step t")}
    alt = "The unrolled RNN with the states computed so far filled in, up to step t"
    title = "forward pass, step by step"
    return build(FigureSpec(fig, update, controls, table=table, title=title, alt=alt))


def setups_explorer(params=None):
    """Buttons over the five shapes: each one's unrolled graph, run on the same code, its losses.

    Returns a FigureView; view.result is a dict kind, loss, step_losses.
    """
    params = hello_params() if params is None else params
    fig, ax0 = new_figure(5.8, 3.2)
    ax0.set_axis_off()
    runs, graphs = {}, {}
    T_max = max(hello_example(kind)["T"] for kind in SETUPS)
    for kind in SETUPS:
        ex = hello_example(kind)
        loss, step_losses, _, trace = run_example(params, ex)
        ax = fig.add_axes((0.0, 0.0, 1.0, 0.92))
        title = f"{kind}: '{ex['inputs']}' -> '{ex['outputs']}'"
        art = du.draw_unrolled(
            ax,
            ex["T"],
            input_steps=ex["input_steps"],
            loss_steps=ex["loss_steps"],
            title=title,
            weight_labels="first",
        )
        du.show_values(art, _values(ex, trace, ex["T"]), {"y": float(np.abs(trace["ys"]).max())})
        ax.set_xlim(-du.DX - 0.6, (T_max - 1) * du.DX + 0.6)
        runs[kind], graphs[kind] = (ex, loss, step_losses), ax

    def update(kind):
        for name, ax in graphs.items():
            ax.set_visible(name == kind)
        ex, loss, step_losses = runs[kind]
        return {"kind": kind, "loss": loss, "step_losses": step_losses}

    def table(values, result):
        ex = runs[values["kind"]][0]
        rows = [
            [t + 1, ex["outputs"][i], f"{result['step_losses'][i]:.4f}"]
            for i, t in enumerate(ex["loss_steps"])
        ]
        rows.append(["", "L = sum", f"{result['loss']:.4f}"])
        return _html(["t", "target", "L_t"], rows)

    controls = {"kind": buttons(SETUPS, "many-to-many", "shape")}
    alt = "The unrolled RNN for one sequence shape, with its inputs, states and losses"
    return build(FigureSpec(fig, update, controls, table=table, alt=alt))


def backward_explorer(params=None, kind="many-to-many"):
    """Slider n = 0..T (starting half-way): the backward pass after n steps back through the cell.

    The gradient starts at the last hidden state; after n steps dL/dh_t is known for the last
    n + 1 states (h_0 included when n = T). Returns a FigureView; view.result is a dict n,
    reached (0-based steps, -1 for h_0), norms (T,) with zeros where not yet reached.
    """
    params = hello_params() if params is None else params
    ex = hello_example(kind)
    T = ex["T"]
    trace = run_example(params, ex)[3]
    fig, (ax, axb) = new_figure(5.2, 4.9, nrows=2, height_ratios=(3.3, 1.3))
    art = du.draw_unrolled(
        ax, T, input_steps=ex["input_steps"], loss_steps=ex["loss_steps"], weight_labels="first"
    )
    values = _values(ex, trace, T)
    yscale = {"y": float(np.abs(trace["ys"]).max())}
    h0_norm = float(np.linalg.norm(trace["dh_init"]))  # ||dL/dh_0||
    top = 1.1 * max(float(trace["dh_norms"].max()), h0_norm)
    bars = dn.draw_norm_bars(axb, T, ymax=top, first=0, dx=du.DX)
    dn.align_x(fig, ax, axb)  # bars under the columns of the graph
    contrib = np.sqrt((trace["dW_hh_t"] ** 2).sum(axis=(1, 2)))  # ||contribution of step t||

    def update(n):
        reached = list(range(T - 1 - n, T))
        du.show_values(art, values, yscale)
        du.show_gradient(art, reached)
        norms = np.where(np.arange(T) >= T - 1 - n, trace["dh_norms"], 0.0)
        dn.set_bar_heights(bars, np.r_[h0_norm if n == T else 0.0, norms])
        return {"n": n, "reached": reached, "norms": norms}

    def table(_values, result):
        rows = [
            [
                t + 1,
                f"{result['norms'][t]:.4f}" if t in result["reached"] else "",  # blank: not yet
                f"{contrib[t]:.4f}" if t in result["reached"] else "",
            ]
            for t in range(T)
        ]
        if -1 in result["reached"]:
            rows.insert(0, [0, f"{h0_norm:.4f}", ""])
        return _html(["t", "||dL/dh_t||", "||dW_hh part||"], rows)

    controls = {"n": int_range(0, T, T // 2, "steps back")}
    alt = "The backward pass: the states it has reached, and the gradient norm at each step"
    title = "backward pass, step by step"
    return build(FigureSpec(fig, update, controls, table=table, title=title, alt=alt))


def radius_explorer(T=12, H=8):
    """A slider for the spectral radius rho of W_hh (0.5..1.5): ||dL/dh_t|| on a log axis.

    Returns a FigureView; view.result is a dict rho, norms (T,), factor (the mean ratio
    ||dL/dh_{t-1}|| / ||dL/dh_t||).
    """
    norms = {rho: radius_run(rho, T=T, H=H)[2]["dh_norms"] for rho in RHOS}
    allv = np.concatenate(list(norms.values()))
    fig, ax = new_figure(6.0, 3.2)
    art = dn.draw_norm_curve(
        ax,
        T,
        (allv.min() / 3, allv.max() * 3),
        n_ghosts=len(RHOS),
        ref_label="prediction\n\u2016dL/dh_T\u2016 \u03c1^(T-t)",
        ghost_label="other \u03c1",
    )
    t = np.arange(1, T + 1)
    for ghost, rho in zip(art["ghosts"], RHOS, strict=True):
        ghost.set_ydata(norms[rho])
    title = ax.set_title("", fontsize=10, y=1.0)

    def update(rho):
        n = norms[rho]
        art["line"].set_ydata(n)
        art["ref"].set_ydata(n[-1] * rho ** (T - t))  # ||dL/dh_T|| rho^(T-t)
        factor = float(np.exp(np.mean(np.log(n[:-1] / n[1:]))))
        word = "vanish" if rho < 1 else "explode" if rho > 1 else "keep their size"
        title.set_text(f"\u03c1 = {rho:.1f}: gradients {word} going back")
        return {"rho": rho, "norms": n, "factor": factor}

    def table(values, result):
        n = result["norms"]
        rows = [
            ["||dL/dh_T||", f"{n[-1]:.3e}"],
            ["||dL/dh_1||", f"{n[0]:.3e}"],
            ["||dL/dh_1|| / ||dL/dh_T||", f"{n[0] / n[-1]:.3e}"],
            ["factor per step", f"{result['factor']:.4f}"],
        ]
        return _html(["rho = " + f"{values['rho']:.1f}", ""], rows)

    controls = {"rho": slider(RHOS, 1.0, "rho", labels=[f"{r:.1f}" for r in RHOS])}
    alt = "Gradient norm against timestep (log scale): measured markers and the rho^(T-t) line"
    return build(FigureSpec(fig, update, controls, table=table, alt=alt))


def _truncation_runs(params, xs, targets):
    """Truncated BPTT in chunks of k, for every k = 1..T (T = len(targets)), against full BPTT.

    Returns {k: run}, each run a dict k, starts (0-based chunk starts), kept ((T, T) bool: the
    (loss, state) gradients the chunks keep), error and cosine of the truncated gradient against
    full BPTT's (0 and 1 for k = T), backward_steps (chunked) and sliding_steps (sliding-window
    truncation with the same k): the numbers the view shows, computed once before any frame.
    """
    T = len(targets)
    _, full, _ = unroll_loss_and_grads(params, xs, targets)
    runs = {}
    for k in range(1, T + 1):
        _, grads, trace = unroll_loss_and_grads(params, xs, targets, k=k)
        sliding = unroll_loss_and_grads(params, xs, targets, k=k, truncation="sliding")[2]
        err, cos = grad_difference(grads, full) if k < T else (0.0, 1.0)
        runs[k] = {
            "k": k,
            "starts": chunk_starts(T, k),
            "kept": loss_reach(params, xs, targets, k=k) > 0,
            "error": err,
            "cosine": cos,
            "backward_steps": trace["backward_steps"],
            "sliding_steps": sliding["backward_steps"],
        }
    return runs


def _error_bars(ax, errors):
    """The right panel: the relative error for each k = 1..len(errors) as muted bars, with a
    label to sit on the current k's bar. Returns (bars, label)."""
    T = len(errors)
    bars = ax.bar(range(1, T + 1), errors, width=0.7, color=MUTED)
    ax.set_xticks(list(range(1, T + 1, 2)))
    ax.set_xlim(-0.2, T + 1.2)  # room for the labels of the first and last bar
    ax.set_ylim(0.0, 1.12 * max(errors))
    ax.set_xlabel("chunk length k", fontsize=9)
    ax.set_ylabel("relative error", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.set_title("error vs full BPTT", fontsize=10, y=1.0)
    return bars, ax.text(0, 0, "", ha="center", va="bottom", fontsize=8)


def _truncation_table(T, values, result):
    """The table beside the truncation figure: the chunks as 1-based step ranges, how many of
    the T (T + 1) / 2 (loss, step) gradients they keep, the error and cosine against full BPTT
    and the backward steps of chunked and sliding-window truncation. Returns HTML."""
    ends = [*result["starts"][1:], T]
    chunks = ", ".join(
        f"{a + 1}-{b}" if b > a + 1 else f"{b}" for a, b in zip(result["starts"], ends, strict=True)
    )
    kept, pairs = int(result["kept"].sum()), T * (T + 1) // 2
    rows = [
        ["chunks (steps)", chunks],
        ["(loss, step) pairs kept", f"{kept} of {pairs}"],
        ["relative error", f"{result['error']:.2f}"],
        ["cosine with full", f"{result['cosine']:.2f}"],
        ["backward steps", f"{result['backward_steps']}"],
        ["sliding window, same k", f"{result['sliding_steps']}"],
    ]
    return _html(["k = " + str(values["k"]), ""], rows)


def truncation_explorer(params=None, text=CHUNK_TEXT):
    """A slider for the chunk length k of truncated BPTT (1..T), a loss at every step.

    Left: the reach map, ||dL_s/dh_t|| for each loss L_s and state h_t (full BPTT), purple where
    chunked truncation keeps the gradient, grey where it cuts it, with the chunk boundaries.
    Right: the relative error of the truncated gradient of (W_xh, W_hh, b_h) against full BPTT,
    for every k (the current one highlighted).
    Returns a FigureView; view.result is a dict k, starts (0-based chunk starts), kept (T, T)
    bool, error, cosine, backward_steps (chunked) and sliding_steps (sliding-window truncation
    with the same k).
    """
    params = hello_params() if params is None else params
    xs, targets = chunk_example(text)
    T = len(targets)
    runs = _truncation_runs(params, xs, targets)
    reach = loss_reach(params, xs, targets)  # full BPTT: every path
    on = reach[reach > 0]
    vmin, vmax = float(on.min()), float(on.max())
    fig, (ax, axe) = new_figure(8.0, 4.4, ncols=2, width_ratios=(1.25, 1))
    art = dn.draw_reach_map(ax, T, title="which loss reaches which h\u209c")
    bars, label = _error_bars(axe, [runs[k]["error"] for k in range(1, T + 1)])

    def update(k):
        r = runs[k]
        dn.show_reach(art, reach, r["kept"], r["starts"], vmin, vmax)
        for i, bar in enumerate(bars, start=1):
            bar.set_color(dn.GRAD_COLOR if i == k else MUTED)
        label.set_position((k, r["error"]))
        label.set_text(f"{r['error']:.2f}")
        return r

    moving = [art["image"], *art["vlines"], *art["hlines"], *bars, label]  # blitted per frame
    spec = FigureSpec(
        fig,
        update,
        {"k": int_range(1, T, 5, "k")},
        table=partial(_truncation_table, T),
        alt="Which loss term's gradient reaches which hidden state under chunks of k steps, and "
        "the relative error against full BPTT for every k",
        title="truncated BPTT in chunks of k",
        animated=moving,
    )
    return build(spec)
