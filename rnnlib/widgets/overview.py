"""Interactive views for the overview notebook: sequence shapes, next-step targets, capacity,
and the behaviours of an input-free RNN."""

import html

import ipywidgets as widgets
import numpy as np

from ..draw import overview as draw
from ..draw.style import new_figure
from ..dynamics import classify, dynamics_weights, start_state, trajectory
from ..vocab import Vocab
from .view import FigureView

SHOW_STEPS = 120  # steps drawn in the behaviours view
NEARBY = 1e-8  # distance between the two starts
GAINS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)  # the behaviours view's grid: 6 x 5 x 4 = 120 frames
ROTATIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
SEEDS = 4


def _table(rows):
    """An HTML table from a list of rows of cells (the first row is the header)."""
    html_rows = []
    for i, row in enumerate(rows):
        tag = "th" if i == 0 else "td"
        html_rows.append("".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row))
    body = "".join(f"<tr>{r}</tr>" for r in html_rows)
    return f"<table style='border-collapse:collapse;text-align:center'>{body}</table>"


def process_explorer(kind="many-to-many"):
    """The five process-sequence shapes, one at a time, chosen with toggle buttons.

    Returns a FigureView; its result is rnnlib.sequence_setup's dict for the shape shown.
    """
    fig, ax = new_figure(6.0, 2.6)
    drawn = []

    def update(kind):
        for a in drawn:
            a.remove()  # take the previous shape off the axes
        art, setup = draw.draw_process(ax, kind)
        drawn[:] = art
        return setup

    def table(values, setup):
        return _table(
            [
                ["shape", "T", "inputs at t", "outputs at t"],
                [setup["kind"], setup["T"], setup["input_steps"], setup["loss_steps"]],
            ]
        )

    kinds = widgets.ToggleButtons(options=list(draw.EXAMPLES), value=kind, description="shape")
    kinds.style.button_width = "110px"
    return FigureView(fig, update, {"kind": kinds}, table=table)


def next_step_pairs(text):
    """Inputs and targets for next-step prediction: the target is the input advanced by one.

    Inputs: text, a string. Returns (inputs, targets) as lists of characters, each of length
    len(text) - 1 (empty when the text has fewer than two characters).
    """
    chars = list(text)
    return chars[:-1], chars[1:]  # x_t = c_t, target_t = c_{t+1}


class TextView:
    """A text box driving an HTML table (no figure). Attributes: controls, html, result, widget."""

    def __init__(self, text):
        self.controls = {
            "text": widgets.Text(value=text, description="text", continuous_update=True)
        }
        self.html = widgets.HTML()
        self.widget = widgets.VBox([self.controls["text"], self.html])
        self.controls["text"].observe(lambda _: self._show(), names="value")
        self._show()

    def _show(self):
        text = self.controls["text"].value
        inputs, targets = next_step_pairs(text)
        self.result = {"inputs": inputs, "targets": targets}
        if not inputs:
            self.html.value = "<i>type at least two characters</i>"
            return
        vocab = Vocab(text, order="given")  # characters in order of first appearance
        self.result["vocab"] = vocab.chars
        self.html.value = _table(
            [["t", *range(1, len(inputs) + 1)]]
            + [["input x_t", *inputs], ["target", *targets]]
            + [["input index", *vocab.encode(inputs)], ["target index", *vocab.encode(targets)]]
        )

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self.html.value
        bundle["text/plain"] = "<text box: next-step targets>"
        return bundle


def next_step_view(text="hello"):
    """A text box; the table below it shows inputs and targets (the input advanced by one)."""
    return TextView(text)


def capacity_explorer(N=10, n_max=20):
    """A slider for N hidden units: 2^N activity vectors against N^2 weights; the table adds,
    for two independent processes, an FSA's squared states against an RNN's doubled units.

    Returns a FigureView; its result is a dict N, patterns (2^N), weights (N^2), fsa (states
    for one and two processes: 2^N, 4^N), rnn (units for one and two processes: N, 2N).
    """
    fig, ax = new_figure(5.0, 3.0)
    art = draw.draw_capacity(ax, n_max)

    def update(N):
        patterns, weights = draw.update_capacity(art, N)
        fsa, rnn = (2**N, (2**N) ** 2), (N, 2 * N)  # an FSA squares its states, an RNN doubles
        return {"N": N, "patterns": patterns, "weights": weights, "fsa": fsa, "rnn": rnn}

    def table(values, r):
        return _table(
            [
                ["", "1 process", "2 independent processes"],
                ["FSA states", f"{r['fsa'][0]:,}", f"{r['fsa'][1]:,}"],
                ["RNN units", r["rnn"][0], r["rnn"][1]],
                ["RNN activity vectors", f"{r['patterns']:,}", f"{r['patterns'] ** 2:,}"],
                ["RNN recurrent weights", f"{r['weights']:,}", f"{4 * r['weights']:,}"],
            ]
        )

    slider = widgets.IntSlider(value=N, min=1, max=n_max, description="N units")
    return FigureView(fig, update, {"N": slider}, table=table)


def behaviour_run(gain, rotation, seed, T=SHOW_STEPS, steps=700):
    """Classify the system dynamics_weights(gain, rotation, seed) from start_state(H) (the
    exponent averaged over `steps` steps) and run it from that start and one NEARBY away for T
    steps. Returns a dict: label, lyapunov, period, hs (T+1, 2, H)."""
    W_hh = dynamics_weights(gain, rotation, seed)
    h0 = start_state(W_hh.shape[0])
    u = np.random.default_rng(1).standard_normal(len(h0))  # direction of the nudge
    c = classify(W_hh, h0, steps=steps)
    hs = trajectory(W_hh, np.stack([h0, h0 + NEARBY * u / np.linalg.norm(u)]), T)  # (T+1, 2, H)
    return {"label": c["label"], "lyapunov": c["lyapunov"], "period": c["period"], "hs": hs}


def behaviours_explorer(gain=3.0, rotation=0.0, seed=0):
    """Sliders for gain, rotation and seed of h_{t+1} = tanh(W_hh h_t): the path, two nearby
    starts, their distance and the Lyapunov exponent, labelled point attractor / oscillation /
    chaos. Returns a FigureView; its result is behaviour_run's dict plus dist (T+1,)."""
    fig, axes = new_figure(7.0, 3.0, ncols=2)
    art = draw.draw_behaviour(axes, SHOW_STEPS)

    def update(gain, rotation, seed):
        run = behaviour_run(gain, rotation, seed)
        run["dist"] = draw.update_behaviour(art, run["hs"], run["lyapunov"], run["label"])
        return run

    def table(values, r):
        period = "none (quasi-periodic)" if r["period"] is None else r["period"]
        rows = [["label", r["label"]], ["Lyapunov exponent", f"{r['lyapunov']:+.4f}"]]
        rows += [["distance at t=0", f"{r['dist'][0]:.1e}"]]
        rows += [[f"distance at t={SHOW_STEPS}", f"{r['dist'][-1]:.1e}"]]
        if r["label"] == "oscillation":
            rows.append(["period", period])
        return _table([["quantity", "value"]] + rows)

    controls = {  # selection sliders: every state can sit in the page (see FigureView)
        "gain": widgets.SelectionSlider(options=GAINS, value=gain, description="gain"),
        "rotation": widgets.SelectionSlider(
            options=ROTATIONS, value=rotation, description="rotation"
        ),
        "seed": widgets.IntSlider(value=seed, min=0, max=SEEDS - 1, description="seed"),
    }
    moving = [*art["path"], art["dist"], art["rate"], art["title"]]
    return FigureView(fig, update, controls, table=table, animated=moving)
