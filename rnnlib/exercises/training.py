"""Exercise 5: a training loop with chunked truncated BPTT on "hello".

The contract: train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters) makes
n_iters passes over the sequence. Each pass starts from h = 0, cuts the sequence into chunks of
k steps (the last may be shorter), calls loss_and_grads(params, chunk_inputs, chunk_targets,
h_prev) on each, carrying h_last into the next chunk, adds up the losses and the gradients over
the chunks, then takes one gradient step params[name] -= lr * grads[name]. It returns
(params, losses), losses[i] the loss of pass i (before its update). One pass is thus
rnnlib.bptt.chunked_loss_and_grads plus an update: that is the reference.

The check hands the loop rnnlib's loss_and_grads through a recorder, so it sees every chunk and
state the loop passes and can say which one is wrong.
"""

import copy

import numpy as np

from .. import hello
from ..bptt import chunked_loss_and_grads
from ..bptt import loss_and_grads as rnnlib_loss_and_grads
from ..cell import init_params
from ._core import Fail, as_number, call, close, run_check, snapshot, unchanged

K, LR, N_ITERS = 2, 0.3, 200  # the notebook's run: chunks of 2 steps, SGD, 200 passes
INIT_SCALE, INIT_SEED = 0.1, 0  # init_params(V, H, rng=0, scale=0.1)
TARGET_LOSS = 0.05  # the loss the loop must reach on "hello" (the reference reaches 0.014)
LONG = 5.0  # one call of the student's loop may take 5 x TIMEOUT seconds
NAMES = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")


def hello_setup():
    """inputs "hell", targets "ello" as indices over [h, e, l, o], and the initial params."""
    v = hello.vocab()
    params = init_params(len(v), hello.HIDDEN_SIZE, rng=INIT_SEED, scale=INIT_SCALE)
    return v.encode(hello.INPUTS), v.encode(hello.TARGETS), params


def configs():
    """Short runs (2 passes) whose every call is compared: (label, inputs, targets, k)."""
    v = hello.vocab()
    X, Y, _ = hello_setup()
    X6, Y6 = v.encode("helloh"), v.encode("ellohe")
    return [
        ('on "hell" -> "ello" with k = 2 (chunks of 2 and 2)', X, Y, 2),
        ('on "helloh" -> "ellohe" with k = 4 (chunks of 4 and 2)', X6, Y6, 4),
        ('on "hell" -> "ello" with k = 5 (one chunk: full BPTT)', X, Y, 5),
    ]


def reference(params, inputs, targets, k, lr, n_iters, mistake=None):
    """The reference loop (one chunked_loss_and_grads per pass), or one catalogued mistake."""
    params = copy.deepcopy(params)
    H, losses = params["W_hh"].shape[0], []
    for _ in range(n_iters):
        if mistake is None or mistake in ("sign", "mean_over_chunks", "losses_last_chunk"):
            loss, grads, _ = chunked_loss_and_grads(params, inputs, targets, np.zeros(H), k)
            starts = range(0, len(inputs), k)
            if mistake == "mean_over_chunks":
                grads = {n: g / len(starts) for n, g in grads.items()}
            if mistake == "losses_last_chunk":
                s = starts[-1]
                h = chunked_loss_and_grads(params, inputs[:s], targets[:s], np.zeros(H), k)[2]
                loss = rnnlib_loss_and_grads(params, inputs[s:], targets[s:], h)[0] if s else loss
            sign = -1.0 if mistake == "sign" else 1.0
            for n in NAMES:
                params[n] = params[n] - sign * lr * grads[n]
            losses.append(loss)
            continue
        h, total, last = np.zeros(H), 0.0, None
        for s in range(0, len(inputs), k):
            loss, grads, h = rnnlib_loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            if mistake == "update_each_chunk":
                params = {n: params[n] - lr * grads[n] for n in NAMES}
            last = grads
        if mistake == "last_chunk_grads":
            params = {n: params[n] - lr * last[n] for n in NAMES}
        losses.append(total)
    return params, losses


MISTAKES = {
    "update_each_chunk": "the parameters are updated after every chunk; the contract adds the "
    "chunks' gradients over the pass and takes one step per pass",
    "last_chunk_grads": "only the last chunk's gradients are used: add up the gradients of all "
    "chunks of the pass (total[name] += grads[name])",
    "sign": "the step goes uphill: params[name] -= lr * grads[name] (minus: descend)",
    "mean_over_chunks": "the gradients are averaged over the chunks (or the step is lr divided "
    "by the number of chunks); the contract sums them and steps by lr",
    "losses_last_chunk": "losses[i] holds the last chunk's loss; it is the sum over the chunks "
    "of the pass",
}


class Recorder:
    """rnnlib's loss_and_grads, keeping a copy of what every call got and returned."""

    def __init__(self):
        self.calls = []

    def __call__(self, params, inputs, targets, h_prev):
        got = (np.array(inputs, copy=True), np.array(targets, copy=True), np.array(h_prev))
        loss, grads, h = rnnlib_loss_and_grads(params, inputs, targets, h_prev)
        self.calls.append(got + (h.copy(),))
        return loss, grads, h


def read(out, n_iters, label):
    """The student's (params, losses) as a dict of arrays and a list of floats, else Fail."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        got = "None" if out is None else type(out).__name__
        raise Fail(f"train_chunked should return a tuple (params, losses), got {got} {label}.")
    params, losses = out
    if not isinstance(params, dict) or any(n not in params for n in NAMES):
        raise Fail(f"the params returned should be a dict with the keys {list(NAMES)} {label}.")
    if not hasattr(losses, "__len__") or len(losses) != n_iters:
        what = len(losses) if hasattr(losses, "__len__") else type(losses).__name__
        raise Fail(f"losses should hold one loss per pass, {n_iters}, got {what} {label}.")
    return params, [as_number(x, f"losses[{i}]", label) for i, x in enumerate(losses)]


def check_calls(rec, inputs, targets, k, n_iters, label):
    """Fail naming the first call of loss_and_grads that got the wrong chunk or state."""
    T = len(inputs)
    starts = list(range(0, T, k))
    lengths = [len(c[0]) for c in rec.calls]
    if len(rec.calls) != n_iters * len(starts):
        if lengths == [T] * n_iters and k < T:
            raise Fail(
                f"train_chunked calls loss_and_grads on the whole sequence {label}: that is "
                f"full BPTT. Cut the sequence into chunks of k = {k} steps, inputs[s : s + k] "
                "for s = 0, k, 2k, ..."
            )
        raise Fail(
            f"train_chunked made {len(rec.calls)} calls of loss_and_grads {label}; expected "
            f"{n_iters * len(starts)} ({n_iters} passes of {len(starts)} chunks). The chunks "
            f"it passed had the lengths {lengths}."
        )
    prev_h = None
    for j, (x, y, h_prev, h_last) in enumerate(rec.calls):
        p, c = divmod(j, len(starts))
        s = starts[c]
        where = f"call {j + 1} (pass {p + 1}, chunk {c + 1}) {label}"
        want_x, want_y = inputs[s : s + k], targets[s : s + k]
        if not (np.array_equal(x, want_x) and np.array_equal(y, want_y)):
            raise Fail(
                f"{where} got inputs {x.tolist()} and targets {y.tolist()}; chunk {c + 1} is "
                f"inputs[{s}:{s + k}] = {want_x.tolist()} and targets[{s}:{s + k}] = "
                f"{want_y.tolist()}."
            )
        H = len(h_last)
        if h_prev.shape != (H,):
            raise Fail(f"{where} got h_prev of shape {h_prev.shape}; expected ({H},).")
        if c == 0 and np.any(h_prev != 0):
            carried = prev_h is not None and np.array_equal(h_prev, prev_h)
            why = "the state of the previous pass is carried into this one; " if carried else ""
            raise Fail(
                f"{where} got a nonzero h_prev: {why}every pass starts from h = np.zeros(H) "
                "(the text starts over)."
            )
        if c > 0 and not np.array_equal(h_prev, prev_h):
            zero = not np.any(h_prev)
            why = (
                "the state is reset to zeros at the chunk boundary"
                if zero
                else "it is not the h_last the previous chunk returned"
            )
            raise Fail(
                f"{where} got the wrong h_prev: {why}. Pass the h_last of chunk {c} on as the "
                f"h_prev of chunk {c + 1}: the forward pass carries the state across the "
                "boundary, only the backward pass stops there."
            )
        prev_h = h_last


def same_run(losses, params, want_losses, want_params):
    """Whether a run's losses and final parameters both agree with another run's to 1e-9."""
    return close(losses, want_losses, 1e-9) and all(
        close(params[m], want_params[m], 1e-9) for m in NAMES
    )


def short_run(fn, label, inputs, targets, k):
    """Two passes, every call and the result compared with the reference."""
    _, _, params = hello_setup()
    start = copy.deepcopy(params)
    rec, n = Recorder(), 2
    copies = snapshot(inputs, targets)
    out = call(
        fn,
        "train_chunked",
        (rec, params, inputs, targets, k, LR, n),
        case=label,
        scale=LONG,
    )
    unchanged("train_chunked", ("inputs", "targets"), (inputs, targets), copies, label)
    got_params, losses = read(out, n, label)
    check_calls(rec, inputs, targets, k, n, label)
    want_params, want_losses = reference(start, inputs, targets, k, LR, n)
    if same_run(losses, got_params, want_losses, want_params):
        return
    for mistake, hint in MISTAKES.items():
        bad_params, bad_losses = reference(start, inputs, targets, k, LR, n, mistake)
        if same_run(losses, got_params, bad_losses, bad_params):
            raise Fail(f"train_chunked {label}: {hint}.")
    if not close(losses, want_losses, 1e-9):
        raise Fail(
            f"the losses are off {label}: got {[round(x, 4) for x in losses]}, expected "
            f"{[round(x, 4) for x in want_losses]} (the sum of the chunks' losses of each pass, "
            "before its update)."
        )
    wrong = [m for m in NAMES if not close(got_params[m], want_params[m], 1e-9)]
    raise Fail(
        f"the parameters after 2 passes are off {label} ({', '.join(wrong)}); each pass takes "
        f"one step params[name] -= lr * grads[name] with the gradients summed over its chunks."
    )


def body(fn):
    for label, inputs, targets, k in configs():
        short_run(fn, label, inputs, targets, k)
    X, Y, params = hello_setup()
    label = f'in the full run (k = {K}, lr = {LR}, {N_ITERS} passes on "hell" -> "ello")'
    out = call(
        fn,
        "train_chunked",
        (rnnlib_loss_and_grads, params, X, Y, K, LR, N_ITERS),
        case=label,
        scale=LONG,
    )
    trained, _ = read(out, N_ITERS, label)
    final = final_loss(trained)
    if not final < TARGET_LOSS:
        raise Fail(
            f"the loss after the full run is {final:.3f} {label}; it should be below {TARGET_LOSS}."
        )
    return (
        "Every call of loss_and_grads got the right chunk and state, and the losses and "
        "parameters match the reference, in three short runs (chunks of 2 + 2, 4 + 2 and one "
        f"chunk); the full run reaches a loss of {final:.3f}, below the target {TARGET_LOSS} "
        f"and far below 2 ln 2 = {hello.memoryless_floor():.2f}, the best a net without memory "
        "can do on hello."
    )


def final_loss(params):
    """The loss of params on "hell" -> "ello" from h = 0."""
    X, Y, _ = hello_setup()
    trained = {n: np.asarray(params[n], dtype=np.float64) for n in NAMES}
    return float(rnnlib_loss_and_grads(trained, X, Y, np.zeros(hello.HIDDEN_SIZE))[0])


def check_training(fn):
    """Check a student's train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters)
    -> (params, losses); see the module docstring for the contract."""
    return run_check("train_chunked", lambda: body(fn))
