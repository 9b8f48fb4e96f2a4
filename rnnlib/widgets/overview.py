"""Interactive views for the overview notebook: sequence shapes, next-step targets, capacity,
and the behaviours of an input-free RNN."""

import html

from ..draw import overview as draw
from ..draw.sampling import SPECIAL as CHAR_LABELS
from ..draw.sampling import char_label
from ..draw.style import new_figure
from ..dynamics import BURN, SHOW_STEPS, behaviour_runs
from ..vocab import Vocab
from . import tables
from .spec import FigureSpec, TextSpec, build, buttons, int_range, slider

GAINS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)  # the behaviours view's grid: 6 x 5 x 4 = 120 frames
ROTATIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
# The seed values the view offers, chosen by a search over seeds 0-79 (a script, not kept) so
# that every state of the grid has settled in the window shown: for each seed and each gain and
# rotation, the label over steps BURN to BURN + SHOW_STEPS, from the start and from 4 starts
# nudged by a relative 1e-13, equals the label over steps 5000-15000 (3 starts); chaos has an
# exponent above 0.02 in every one of these runs and parts past 1e-2, the other states stay
# below 0.005 and 1e-4 in the window. Of seeds 0-3 none qualifies: each has a state whose chaos
# is transient (it ends after the window, at a step that can depend on the start's 13th
# digit) or whose exponent lies near the threshold. tests/test_notebook_01_claims.py checks it.
SEEDS = (5, 53, 60, 71)

TABLE = "border-collapse:separate;border-spacing:14px 3px;text-align:center"  # room between cells


def _table(rows, style=TABLE):
    """An HTML table from a list of rows of plain values (the first row is the header)."""
    return tables.table(
        [[tables.cell(html.escape(str(c)), "th" if i == 0 else "td") for c in row]
         for i, row in enumerate(rows)],
        style,
    )  # fmt: skip


def _steps(steps):
    """Steps counted from 1, as in the notebooks' formulas: [0, 1, 2] -> "1, 2, 3"."""
    return ", ".join(str(t + 1) for t in steps)


def process_explorer(kind="many-to-many"):
    """The five process-sequence shapes, one at a time, chosen with toggle buttons; the table
    numbers the steps from 1.

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
                ["shape", "T", "inputs at t =", "outputs at t ="],
                [
                    setup["kind"],
                    setup["T"],
                    _steps(setup["input_steps"]),
                    _steps(setup["loss_steps"]),
                ],
            ]
        )

    kinds = buttons(draw.EXAMPLES, kind, "shape")
    alt = "A sequence shape: which steps read an input x, carry a hidden state h, emit an output y"
    return build(FigureSpec(fig, update, {"kind": kinds}, table=table, alt=alt))


def next_step_pairs(text):
    """Inputs and targets for next-step prediction: the target is the input advanced by one.

    Inputs: text, a string. Returns (inputs, targets) as lists of characters, each of length
    len(text) - 1 (empty when the text has fewer than two characters).
    """
    chars = list(text)
    return chars[:-1], chars[1:]  # x_t = c_t, target_t = c_{t+1}


SHORT_TEXT = "<i>type at least two characters</i>"
NEXT_STEP_TABLE = TABLE + ";font-family:monospace"  # an "l" with a tail, never read as "I"


def next_step_table(text):
    """What 01's text box shows for text: (result, HTML). result holds inputs and targets
    (next_step_pairs) and, for two or more characters, vocab (characters in order of first
    appearance); the HTML numbers the steps from 1 and shows blanks by name."""
    inputs, targets = next_step_pairs(text)
    result = {"inputs": inputs, "targets": targets}
    if not inputs:
        return result, SHORT_TEXT
    vocab = Vocab(text, order="given")  # characters in order of first appearance
    result["vocab"] = vocab.chars
    shown = [[char_label(c) for c in chars] for chars in (inputs, targets)]  # blanks visible
    rows = [["t", *range(1, len(inputs) + 1)]]
    rows += [["input x_t", *shown[0]], ["target", *shown[1]]]
    rows += [["input index", *vocab.encode(inputs)], ["target index", *vocab.encode(targets)]]
    return result, _table(rows, NEXT_STEP_TABLE)


def next_step_view(text="hello"):
    """A text box; the table below it shows inputs and targets (the input advanced by one),
    built in the page as you type (so it works without a kernel too). Returns a TextView;
    view.result is next_step_table's result, view.html.value its HTML."""
    page = {"table_style": NEXT_STEP_TABLE, "short": SHORT_TEXT, "labels": CHAR_LABELS}
    plain = "<text box: next-step targets>"
    return build(TextSpec(text, "text", next_step_table, plain, page))


def capacity_explorer(H=10, h_max=20):
    """A slider for H hidden units: 2^H activity vectors against H^2 weights; the table adds,
    for two independent processes, an FSA's squared states against an RNN's doubled units.

    Returns a FigureView; its result is a dict H, patterns (2^H), weights (H^2), fsa (states
    for one and two processes: 2^H, 4^H), rnn (units for one and two processes: H, 2H).
    """
    fig, ax = new_figure(5.0, 3.0)
    art = draw.draw_capacity(ax, h_max)

    def update(H):
        patterns, weights = draw.update_capacity(art, H)
        fsa, rnn = (2**H, (2**H) ** 2), (H, 2 * H)  # an FSA squares its states, an RNN doubles
        return {"H": H, "patterns": patterns, "weights": weights, "fsa": fsa, "rnn": rnn}

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

    controls = {"H": int_range(1, h_max, H, "H units")}
    alt = "2^H activity vectors grow far faster than H^2 weights (log scale), marked at H"
    return build(FigureSpec(fig, update, controls, table=table, alt=alt))


def behaviours_explorer(gain=3.0, rotation=0.0, seed=SEEDS[0]):
    """Sliders for gain, rotation and seed of h_{t+1} = tanh(W_hh h_t): the path (transient,
    then two runs from nearby states), their distance beside d_0 e^(lambda t), and the label,
    all over the same window. Every state of the grid GAINS x ROTATIONS x SEEDS is run up
    front, in one batched run (at rotation 1 one seed serves all). Returns a FigureView; its
    result is rnnlib.dynamics.behaviour_run's dict with the two units drawn (transient and hs
    keep units 0 and 1; the distance and the exponent are over all 32)."""
    fig, axes = new_figure(7.0, 3.0, ncols=2)
    art = draw.draw_behaviour(axes, SHOW_STEPS, BURN)
    grid = [(g, r, s) for g in GAINS for r in ROTATIONS for s in SEEDS if r < 1 or s == SEEDS[0]]
    runs = behaviour_runs(grid, units=(0, 1))  # the two units drawn: the rest is not kept
    runs = dict(zip(grid, runs, strict=True))  # rotation 1: the seed plays no part

    def update(gain, rotation, seed):
        run = dict(runs[(gain, rotation, seed if rotation < 1 else SEEDS[0])])
        title = f"{draw.behaviour_title(run)}\nλ = {run['lyapunov']:+.3f}"
        draw.update_behaviour(art, run, title)
        return run

    def table(values, r):
        window = f"steps {BURN}-{BURN + SHOW_STEPS}"
        rows = [["behaviour", draw.behaviour_title(r)]]
        rows += [[f"Lyapunov exponent ({window})", f"{r['lyapunov']:+.4f} per step"]]
        rows += [[f"distance at the nudge (step {BURN})", f"{r['dist'][0]:.1e}"]]
        rows += [[f"largest distance, {window}", f"{r['separation']:.1e}"]]
        rows += [[f"distance {SHOW_STEPS} steps later", f"{r['dist'][-1]:.1e}"]]
        if values["rotation"] == 1.0:
            rows.append(["seed", "no effect: at rotation 1, W_hh = gain R has no random part"])
        return _table([["quantity", "value"]] + rows)

    controls = {
        "gain": slider(GAINS, gain, "gain"),
        "rotation": slider(ROTATIONS, rotation, "rotation"),
        "seed": slider(SEEDS, seed, "seed"),
    }
    moving = [*art["path"], art["dist"], art["rate"], art["title"]]
    alt = "An input-free RNN: the path of two hidden units, and the distance of two nearby runs"
    return build(FigureSpec(fig, update, controls, table=table, animated=moving, alt=alt))
