"""Small worked examples for the unrolling notebook, in plain numpy.

The "hello" data placed for each process-sequence shape, a run of BPTT on one of them, a
W_hh of chosen spectral radius for vanishing and exploding gradients, and what clipping does.
The views in rnnlib.widgets.unroll show these numbers; tests and notebook cells compute them here.
"""

import numpy as np

from .cell import init_params
from .clip import clip_elementwise, clip_global_norm, global_norm
from .unroll import SETUPS, one_hot_inputs, sequence_loss, sequence_setup, unroll_loss_and_grads

VOCAB = "helo"
HELLO = {  # (input characters, target characters) of each shape, taken from "hello"
    "one-to-one": ("h", "e"),
    "one-to-many": ("h", "ello"),
    "many-to-one": ("hell", "o"),
    "many-to-many": ("hell", "ello"),
    "encoder-decoder": ("hel", "lo"),
}
RHOS = tuple(round(0.5 + 0.1 * i, 1) for i in range(11))  # spectral radii 0.5 .. 1.5


def hello_params(H=3, seed=0, scale=0.8):
    """Random parameters for V = 4 ([h, e, l, o]) and H hidden units (biases zero)."""
    return init_params(len(VOCAB), H, rng=np.random.default_rng(seed), scale=scale)


def hello_example(kind):
    """The "hello" data for one process-sequence shape, with its inputs and losses placed.

    Returns a dict: kind, T, input_steps, loss_steps (as sequence_setup), xs (T, 4) one-hot
    inputs (zero rows at steps without input), targets (L,) indices, inputs and outputs strings.
    """
    if kind not in HELLO:
        raise ValueError(f"kind must be one of {SETUPS}, got {kind!r}")
    ins, outs = HELLO[kind]
    setup = sequence_setup(kind, len(ins), len(outs))
    ix = [VOCAB.index(c) for c in ins]
    xs = one_hot_inputs(ix, len(VOCAB), steps=setup["input_steps"], T=setup["T"])
    targets = np.array([VOCAB.index(c) for c in outs])
    return {**setup, "xs": xs, "targets": targets, "inputs": ins, "outputs": outs}


CHUNK_TEXT = "hellohellohello"  # a loss at every step of "hellohelloh..." -> "ellohelloh..."


def chunk_example(text=CHUNK_TEXT):
    """Many-to-many data on a text over [h, e, l, o]: inputs text[:-1], targets text[1:].

    Returns xs (T, 4) one-hot inputs and targets (T,) indices, T = len(text) - 1.
    """
    if len(text) < 2 or any(c not in VOCAB for c in text):
        raise ValueError(f"text must have >= 2 characters from {VOCAB!r}, got {text!r}")
    ix = [VOCAB.index(c) for c in text]
    return one_hot_inputs(ix[:-1], len(VOCAB)), np.array(ix[1:])


def run_example(params, ex, k=None):
    """Forward, loss and BPTT of one example. Returns loss, step_losses (one per loss step,
    summing to loss), grads and the trace of unroll_loss_and_grads."""
    loss, grads, trace = unroll_loss_and_grads(
        params, ex["xs"], ex["targets"], loss_steps=ex["loss_steps"], k=k
    )
    step_losses = [
        sequence_loss(trace["ys"], [tg], [t])[0]  # L_t alone
        for t, tg in zip(ex["loss_steps"], ex["targets"], strict=True)
    ]
    return loss, step_losses, grads, trace


def orthogonal(H, rng):
    """A random H x H orthogonal matrix Q (Q^T Q = I): every singular value is 1."""
    q, r = np.linalg.qr(rng.standard_normal((H, H)))
    return q * np.sign(np.diag(r))  # fix the signs so Q is unique for a given draw


def radius_run(rho, *, T=15, H=8, k=None, seed=0, input_scale=1e-4):
    """Many-to-one BPTT with W_hh = rho * Q (Q orthogonal), so W_hh's spectral radius is rho.

    Inputs: rho > 0; T steps; H hidden units; k chunked truncation (None: full BPTT); seed;
    input_scale the size of W_xh (small keeps tanh near its linear range, where each step back
    multiplies ||dL/dh_t|| by about rho). Inputs are random characters of [h, e, l, o], the
    loss sits at the last step only.
    Returns loss, grads and the trace of unroll_loss_and_grads (dh_norms (T,), dW_hh_t (T, H, H)).
    """
    rng = np.random.default_rng(seed)
    params = init_params(len(VOCAB), H, rng=rng, scale=1.0)
    params["W_hh"] = rho * orthogonal(H, rng)  # eigenvalues all of modulus rho
    params["W_xh"] *= input_scale
    xs = one_hot_inputs(rng.integers(0, len(VOCAB), T), len(VOCAB))
    return unroll_loss_and_grads(
        params, xs, [int(rng.integers(len(VOCAB)))], loss_steps=[T - 1], k=k
    )


def clip_report(grads, limit=5.0, max_norm=5.0):
    """Gradients before and after element-wise clipping (+/-limit) and global-norm clipping.

    Inputs: grads dict of arrays; limit; max_norm.
    Returns {"raw" | "element-wise" | "global norm": {"norm": global norm, "max": largest
    |entry|, "cos": cosine with the raw gradient seen as one long vector}}.
    """
    raw = np.concatenate([np.ravel(g) for g in grads.values()])
    out = {}
    for name, g in (
        ("raw", grads),
        ("element-wise", clip_elementwise(grads, limit)),
        ("global norm", clip_global_norm(grads, max_norm)[0]),
    ):
        v = np.concatenate([np.ravel(x) for x in g.values()])
        cos = float(v @ raw / (np.linalg.norm(v) * np.linalg.norm(raw)))  # direction kept?
        out[name] = {"norm": global_norm(g), "max": float(np.abs(v).max()), "cos": cos}
    return out
