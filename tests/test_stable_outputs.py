"""The notebooks' stored outputs survive rounding: what they print from long or chaotic
computations comes out the same when the computation is nudged by more than another machine's
rounding would move it.

Two nudges (tests/rounding.py): `nudged(params)` moves every weight by a relative 1e-13
(about 500 ulp) before a computation; `nudge_every_update` moves every weight by a relative
1e-15 after every training update, as rounding differences do all along a run. Each test
recomputes the numbers a cell prints, under several nudges, and compares them with the
notebook's stored output. The "own text" cell is chaotic by nature: nbval does not compare its
output, and tests/test_notebook_04_claims.py checks its claim with a margin instead.
scripts/machine_matrix.py runs this file under every simulated machine.
"""

import re
from functools import cache
from pathlib import Path

import nbformat
import numpy as np
import pytest
from rounding import nudge_every_update, nudged

from rnnlib import baselines, hello, init_params, sample, units
from rnnlib.corpus import load_corpus, load_corpus_model, split
from rnnlib.dynamics import classify, dynamics_weights, gradient_decay, start_state
from rnnlib.sampling import after_prompt, entropy, next_distribution
from rnnlib.training import per_char_loss, train
from rnnlib.widgets import sampling as views

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NUDGES = range(1, 6)  # seeds of the nudges each test tries


@cache
def read_notebook(name):
    return nbformat.read(NOTEBOOKS / name, as_version=4)


def stored_lines(notebook, marker):
    """The printed lines of the code cell whose source contains `marker`."""
    nb = read_notebook(notebook)
    cells = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    assert len(cells) == 1, f"{len(cells)} cells of {notebook} contain {marker!r}"
    text = "".join(o.get("text", "") for o in cells[0].outputs if o.output_type == "stream")
    return text.splitlines()


@pytest.fixture(scope="module")
def model():
    return load_corpus_model()


@pytest.fixture
def nudged_hello_training(monkeypatch):
    """Make hello.train_hello train with nudge_every_update(seed); returns a setter."""

    def use(seed):
        def nudged_train(*args, **kwargs):
            return train(*args, **kwargs, callback=nudge_every_update(seed), callback_every=1)

        monkeypatch.setattr(hello, "train", nudged_train)

    return use


# notebook 01: the exponents of the three example systems (a chaotic one among them)


@pytest.mark.parametrize("seed", NUDGES)
def test_01_labels_and_rounded_exponents_survive_a_nudged_start(seed):
    printed = {"point attractor": -0.6, "oscillation": 0.0, "chaos": 0.2}
    for (gain, rotation), label in zip([(0.5, 0.0), (2.0, 1.0), (3.0, 0.0)], printed, strict=True):
        W_hh = dynamics_weights(gain, rotation, 0)
        h0 = start_state(W_hh.shape[0])
        h0 = h0 * (1.0 + 1e-13 * np.random.default_rng(seed).standard_normal(h0.shape))
        c = classify(W_hh, h0, burn=1000, steps=3000)  # the notebook's: steps 1000-4000
        assert c["label"] == label
        # printed with one decimal: over 700 steps the chaotic estimate would print +0.3 from
        # about 1 start in 600 (0.17-0.25); over 3000 it stays within 0.19-0.23 (std 0.006)
        assert abs(c["lyapunov"] - printed[label]) < 0.035


def test_01_stored_exponents_are_those_tested():
    lines = stored_lines("01_overview.ipynb", "examples = [(0.5, 0.0, 0)")
    assert [ln.split("λ ≈ ")[1] for ln in lines] == ["-0.6", "+0.0", "+0.2"]


# notebook 03: the solved weights, the trained and the memoryless net


def test_03_solved_weights_print_the_same_when_the_lecture_numbers_move():
    """The printed weights are robust: each lies far from a rounding boundary of its format."""
    lines = stored_lines("03_hello.ipynb", "hello.solve_params()")
    lines = lines[next(i for i, ln in enumerate(lines) if ln.startswith("W_xh =")) :]
    W = hello.solve_params()
    printed = [float(v) for ln in lines for v in re.findall(r"-?\d+\.\d+", ln)]
    values = np.concatenate([W[k].ravel() for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y")])
    assert np.allclose(printed, values, atol=5e-3)
    decimals = len(re.findall(r"-?\d+\.(\d+)", lines[0])[0])
    scaled = np.abs(values) * 10**decimals
    margin = np.abs(scaled - np.floor(scaled) - 0.5)  # distance from a tie, in units of 10^-d
    assert margin.min() > 1e-6
    assert not any(re.search(r"-0\.0+(?!\d)", ln) for ln in lines)  # no "-0.000"


@pytest.mark.parametrize("seed", NUDGES)
def test_03_trained_nets_print_the_same_under_nudged_training(seed, nudged_hello_training):
    nudged_hello_training(seed)
    trained_params = hello.train_hello(500, seed=0).params
    trained = hello.run(trained_params)
    frozen = hello.run(hello.train_hello(500, seed=0, memory=False).params)
    lines = stored_lines("03_hello.ipynb", "frozen = hello.train_hello")
    assert lines[0].startswith(f"W_hh = 0:  loss after 500 updates {frozen['loss']:.4f}")
    assert lines[1] == f"with W_hh: loss after 500 updates {trained['loss']:.4f}"
    for line, t in zip(lines[2:], (2, 3), strict=True):
        assert line.endswith(f"p(l) = {frozen['p'][t][2]:.3f}, p(o) = {frozen['p'][t][3]:.3f}")
    assert hello.greedy_text(trained_params) == "ello"


# notebook 04: the hello sampler, the shipped model, the live run, your own text


@pytest.mark.parametrize("seed", NUDGES)
def test_04_hello_sampler_prints_the_same_under_nudged_training(seed, nudged_hello_training):
    nudged_hello_training(seed)
    steps = views.step_explorer(hello.train_hello().params, hello.vocab(), "h", 8).steps
    lines = stored_lines("04_sampling.ipynb", "steps = steps_view.steps")
    chars = hello.vocab().chars
    for t, line in enumerate(lines[:8], start=1):
        drawn = chars[steps["ix"][t - 1]]
        assert line.endswith(f"drew {drawn!r} with p = {steps['p'][t - 1, steps['ix'][t - 1]]:.3f}")


@pytest.mark.parametrize("seed", NUDGES)
def test_04_shipped_model_prints_the_same_when_its_weights_move(model, seed):
    params, chars = nudged(model.params, seed), model.vocab
    _, y = after_prompt(params, chars, "the robot ")[1:]
    lines = stored_lines("04_sampling.ipynb", "for tau in views.TEMPERATURES")
    for tau, line in zip(views.TEMPERATURES, lines, strict=False):
        p = next_distribution(y, tau)
        assert line.endswith(f"entropy {entropy(p):.3f} nats, largest probability {p.max():.3f}")
    _, held = split(load_corpus(), model.meta["held_out_fraction"])
    lines = stored_lines("04_sampling.ipynb", "held_loss = per_char_loss")
    assert f"held-out loss: {per_char_loss(params, held, chars):.3f} nats" in lines[-1]


@pytest.mark.parametrize("seed", NUDGES)
def test_04_samples_of_the_shipped_model_survive_moved_weights(model, seed):
    params, chars = nudged(model.params, seed), model.vocab
    h, seed_ix, _ = after_prompt(params, chars, "the robot ")
    lines = stored_lines("04_sampling.ipynb", "def draw_text(seed")
    stored = {ln.split(": ", 1)[0]: ln.split(": ", 1)[1] for ln in lines}

    def text(rng, **kw):
        return repr(chars.decode(sample(params, h, seed_ix, 60, rng=rng, **kw)))

    assert stored["seed 7"] == text(7) and stored["seed 8"] == text(8)
    assert stored["greedy"] == text(0, temperature=0.0)


@pytest.mark.parametrize("seed", NUDGES)
def test_04_live_training_prints_the_same_under_nudged_training(model, seed):
    meta, chars = model.meta, model.vocab
    train_text, held = split(load_corpus(), meta["held_out_fraction"])
    keys = ("seq_length", "batch_size", "optimizer", "lr", "clip", "smoothing")
    start = init_params(len(chars), model.params["W_hh"].shape[0], rng=meta["seed"])
    live = train(train_text, start, vocab=chars, n_iters=100, **{k: meta[k] for k in keys},
                 callback=nudge_every_update(seed), callback_every=1)  # fmt: skip
    lines = stored_lines("04_sampling.ipynb", "live_loss = per_char_loss")
    loss = per_char_loss(live.params, held, chars)
    assert lines[0] == f"after 100 iterations: held-out loss {loss:.3f} nats per character"
    H = live.params["W_hh"].shape[0]
    ix = sample(live.params, np.zeros(H), chars.index["t"], 120, temperature=0.7, rng=1)
    assert "\n".join(lines[1:]) == "t" + chars.decode(ix)


@pytest.mark.parametrize("seed", NUDGES)
def test_04_baselines_unit_means_and_gradient_decay_survive_moved_weights(model, seed):
    """The n-gram table (counts: exact; the RNN row from the weights), unit 30's mean activation
    by letters into the word, and the gradient's decay, recomputed from nudged weights."""
    params, chars = nudged(model.params, seed), model.vocab
    train_text, held = split(load_corpus(), model.meta["held_out_fraction"])
    lines = stored_lines("04_sampling.ipynb", "baselines.ngram_losses(")
    ngram = baselines.ngram_losses(train_text, held, chars, range(1, 6))
    losses = [np.log(len(chars)), *ngram.values(), per_char_loss(params, held, chars)]
    for line, loss in zip(lines, losses, strict=True):
        assert f" {loss:.3f} nats = {baselines.bits(loss):.2f} bits" in line
        assert line.endswith(f"perplexity {baselines.perplexity(loss):5.2f}")
    hs = units.hidden_states(params, chars.encode(held))
    features = units.text_features(held)
    best = {name: u for name, u, _ in units.best_units(units.correlations(hs, features))}
    unit = best["letters into the word"]
    means, counts = units.mean_by_value(hs[:, unit], features["letters into the word"], range(8))
    lines = stored_lines("04_sampling.ipynb", "mean_by_value(units_view")
    assert lines[0] == f"unit {unit}, mean activation after k letters of a word:"
    for k, line in enumerate(lines[1:]):
        assert line == f"k = {k}: {means[k]:+.2f} ({counts[k]} positions)"
    assert len(lines) == 9
    _, logs = gradient_decay(params, chars.encode(held), max_lag=25, n_ends=60)
    lines = stored_lines("04_sampling.ipynb", "rnnlib.gradient_decay(model.params")
    for lag, line in zip((1, 10, 25), lines, strict=True):
        assert line == f"l = {lag:2d}: ||dh_T/dh_(T-l)|| = {np.exp(logs[lag]):.2g}"
