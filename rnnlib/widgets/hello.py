"""Interactive views of the "hello" example: step through time, replay training."""

from ..draw import hello as draw
from ..draw.style import REFERENCE
from ..hello import CHARS, INPUTS, TARGETS, argmax_label, argmax_text, run
from . import tables
from .spec import FigureSpec, build, buttons, int_range, slider


def _cells(values, fmt="{:.2f}", mark=None):
    """HTML table cells for values, the one at index `mark` highlighted in the target colour."""
    marked = "background:#f7d58f"
    return "".join(
        tables.cell(fmt.format(v), style=marked if k == mark else None)
        for k, v in enumerate(values)
    )


def _table(rows, header):
    """An HTML table from a header row and (label, cells html) rows."""
    head = [tables.cell("", "th")] + [tables.cell(h, "th") for h in header]
    body = [[tables.cell(lab, "th", "text-align:left"), cells] for lab, cells in rows]
    return tables.table([head, *body], "font-family:monospace")


def step_table(_values, res):
    """HTML: h_t, y_t, p_t (the target's column marked), p(target) and the step's loss."""
    t, r = res["step"] - 1, res["run"]
    tg = int(r["target"][t])
    hidden = _table(
        [("h_t", _cells(r["hs"][t], "{:+.3f}"))], [f"unit {i + 1}" for i in range(len(r["hs"][t]))]
    )
    rows = [("y_t", _cells(r["ys"][t], "{:+.2f}", tg)), ("p_t", _cells(r["p"][t], "{:.3f}", tg))]
    summary = (
        f"<p>input <b>{INPUTS[t]}</b>, target <b>{TARGETS[t]}</b>, argmax "
        f"<b>{argmax_label(r, t)}</b><br>p(target) = {r['p_target'][t]:.3f}, "
        f"-ln p(target) = {r['step_loss'][t]:.3f}<br>loss over all 4 steps = {r['loss']:.3f}</p>"
    )
    return hidden + _table(rows, list(CHARS)) + summary


def timestep_explorer(models):
    """Step through the example one timestep at a time, for one or more sets of weights.

    Inputs: models, a dict name -> params (e.g. {"lecture": ..., "trained": ...}).
    Controls: model (buttons), step (a slider 1..T). Every state is prerendered.
    view.result: dict(model, step, run (rnnlib.hello.run's dict), p (V,) = p_t, p_target).
    """
    if not models:
        raise ValueError("models must name at least one set of weights, got an empty dict")
    runs = {name: run(params) for name, params in models.items()}
    boxes = [[0.0, 0.0, 0.68, 0.93], [0.755, 0.09, 0.235, 0.83]]
    fig, (ax_net, ax_p) = draw.placed_figure(9.6, 4.2, boxes)
    net, bars = draw.network(ax_net), draw.probability_bars(ax_p)

    def update(model, step):
        r, t = runs[model], step - 1
        draw.set_network(net, r, step=step, title=f"{model} weights")
        tg = int(r["target"][t])
        title = f'step {step}: "{INPUTS[t]}" \u2192 target "{TARGETS[t]}"'
        draw.set_probability_bars(bars, r["p"][t], tg, title=title)
        return {"model": model, "step": step, "run": r, "p": r["p"][t], "p_target": r["p"][t, tg]}

    moving = draw.dynamic_artists(net) + list(bars["bars"]) + bars["labels"] + [bars["title"]]
    controls = {
        "model": buttons(models, next(iter(models)), "weights"),
        "step": int_range(1, len(INPUTS), 1, "timestep t"),
    }
    alt = "The hello net at one timestep: its hidden state, logits and the softmax bars"
    return build(FigureSpec(fig, update, controls, step_table, moving, alt=alt))


def replay_table(values, res):
    """HTML: the iteration, the loss, and per step p(target) and the argmax."""
    r = res["run"]
    rows = [
        ("p(target)", _cells(r["p_target"], "{:.3f}")),
        ("argmax", "".join(tables.cell(argmax_label(r, t)) for t in range(len(INPUTS)))),
    ]
    header = [f"{i}\u2192{o}" for i, o in zip(INPUTS, TARGETS, strict=True)]
    return f"<p>iteration {values['iteration']}: loss {r['loss']:.4f}</p>" + _table(rows, header)


def training_replay(result, iterations, start=None):
    """Replay training from stored snapshots: the net's numbers, the loss curve with a marker,
    and each step's p(target) bar.

    Inputs: result, a TrainResult with snapshots at (at least) `iterations`; iterations, a
    sorted list of at most ~40 iteration numbers (frames are prerendered); start, the stop
    shown first (None: the first stop at which every argmax is its target, alone).
    Control: iteration (a slider). view.result: dict(iteration, run, loss).
    """
    missing = [i for i in iterations if i not in result.snapshots]
    if missing:
        raise ValueError(f"no snapshot for iterations {missing}; train with snapshot_every=1")
    runs = {i: run(result.snapshots[i]) for i in iterations}
    boxes = [[0.0, 0.0, 0.68, 0.93], [0.76, 0.6, 0.23, 0.37], [0.76, 0.13, 0.23, 0.34]]
    fig, (ax_net, ax_loss, ax_p) = draw.placed_figure(9.6, 4.4, boxes)
    net = draw.network(ax_net)
    losses = result.history["loss"]
    marker = draw.loss_curve(ax_loss, [("with $W_{hh}$", losses, REFERENCE)])
    ax_loss.get_legend().remove()
    bars = ax_p.bar(range(len(INPUTS)), [0.0] * len(INPUTS), color=draw.COLORS["target"])
    ax_p.set_xticks(range(len(INPUTS)), [f"{t + 1}" for t in range(len(INPUTS))])
    ax_p.set_ylim(0, 1)
    ax_p.set_xlabel("step t", fontsize=draw.FS)
    ax_p.set_ylabel("p(target)", fontsize=draw.FS)

    def update(iteration):
        r = runs[iteration]
        draw.set_network(net, r, title=f"iteration {iteration}")
        marker.set_data([iteration], [r["loss"]])
        for bar, p in zip(bars, r["p_target"], strict=True):
            bar.set_height(p)
        return {"iteration": iteration, "run": r, "loss": r["loss"]}

    if start is None:  # the default frame: the moment the predictions come right
        right = [i for i in iterations if argmax_text(runs[i]) == TARGETS]
        start = right[0] if right else iterations[-1]
    elif start not in runs:
        raise ValueError(f"start {start!r} is not one of the iterations {list(iterations)}")
    moving = draw.dynamic_artists(net) + [marker] + list(bars)
    alt = "The hello net after some training updates, with the loss curve and p(target) per step"
    controls = {"iteration": slider(iterations, start, "iteration")}
    return build(FigureSpec(fig, update, controls, replay_table, moving, alt=alt))
