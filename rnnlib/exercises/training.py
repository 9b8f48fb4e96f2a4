"""Exercise 5: a training loop with chunked truncated BPTT on "hello".

The contract: train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters) makes
n_iters passes over the sequence. Each pass starts from h = 0, cuts the sequence into chunks of
k steps (the last may be shorter), calls loss_and_grads(params, chunk_inputs, chunk_targets,
h_prev) on each, carrying h_last into the next chunk, adds up the losses and the gradients over
the chunks, then takes one gradient step params[name] -= lr * grads[name]. It returns
(params, losses), losses[i] the loss of pass i (before its update). One pass is thus
rnnlib.bptt.chunked_loss_and_grads plus an update: that is the reference.

The check hands the loop rnnlib's loss_and_grads through a recorder, so it sees every chunk,
state and set of parameters the loop passes, and every loss and gradient it gets back: the
parameters of consecutive passes give each step the loop took, which is compared with
-lr * (the summed gradients) and, when it is not that, with the steps of typical mistakes
(no step, uphill, one chunk's gradients, a scaled step, Adagrad, momentum, gradients clipped
entry by entry or by their norm, ...); the losses it returns are compared with the losses
loss_and_grads gave it. The last short run starts from larger weights on a longer text, so that
its summed gradients are large (entries far above 5): a clip at min-char-rnn's 5 acts there.
"""

import copy

import numpy as np

from .. import hello
from ..bptt import chunked_loss_and_grads
from ..bptt import loss_and_grads as rnnlib_loss_and_grads
from ..cell import PARAM_NAMES as NAMES
from ..cell import init_params
from ._core import Fail, as_number, call, catalogue, run_check, snapshot, unchanged

K, LR, N_ITERS = 2, 0.3, 200  # the notebook's run: chunks of 2 steps, SGD, 200 passes
INIT_SCALE, INIT_SEED = 0.1, 0  # init_params(V, H, rng=0, scale=0.1)
TARGET_LOSS = 0.05  # the loss the loop must reach on "hello" (the reference reaches 0.014)
LONG = 5.0  # one call of the student's loop may take 5 x TIMEOUT seconds
CLIP_TEXT, CLIP_K, CLIP_SCALE = "hello" * 4, 4, 2.0  # the short run with large gradients


def hello_setup(scale=INIT_SCALE):
    """inputs "hell", targets "ello" as indices over [h, e, l, o], and the initial params
    (init_params(4, 3, rng=0, scale=scale))."""
    v = hello.vocab()
    params = init_params(len(v), hello.HIDDEN_SIZE, rng=INIT_SEED, scale=scale)
    return v.encode(hello.INPUTS), v.encode(hello.TARGETS), params


def configs():
    """Short runs (2 passes) whose every call is compared: (label, inputs, targets, k, scale),
    each from init_params(4, 3, rng=0, scale=scale). The last one's summed gradients have entries
    far above 5 (up to 80 in pass 1, 15 in pass 2), so that a clip at 5 acts."""
    v = hello.vocab()
    X, Y, _ = hello_setup()
    X6, Y6 = v.encode("helloh"), v.encode("ellohe")
    XL, YL = v.encode(CLIP_TEXT[:-1]), v.encode(CLIP_TEXT[1:])
    long_label = (
        f'on "{CLIP_TEXT[:-1]}" -> "{CLIP_TEXT[1:]}" with k = {CLIP_K} (chunks of 4, 4, 4, 4 and '
        f"3; large gradients: from init_params(4, 3, rng=0, scale={CLIP_SCALE:g}))"
    )
    return [
        ('on "hell" -> "ello" with k = 2 (chunks of 2 and 2)', X, Y, 2, INIT_SCALE),
        ('on "helloh" -> "ellohe" with k = 4 (chunks of 4 and 2)', X6, Y6, 4, INIT_SCALE),
        ('on "hell" -> "ello" with k = 5 (one chunk: full BPTT)', X, Y, 5, INIT_SCALE),
        (long_label, XL, YL, CLIP_K, CLIP_SCALE),
    ]


def reference(params, inputs, targets, k, lr, n_iters):
    """The reference loop: one chunked_loss_and_grads and one SGD step per pass."""
    params = copy.deepcopy(params)
    H, losses = params["W_hh"].shape[0], []
    for _ in range(n_iters):
        loss, grads, _ = chunked_loss_and_grads(params, inputs, targets, np.zeros(H), k)
        params = {n: params[n] - lr * grads[n] for n in NAMES}
        losses.append(loss)
    return params, losses


MISTAKES = catalogue(
    5,
    train_full_bptt="it calls loss_and_grads on the whole sequence: that is full BPTT; cut the "
    "sequence into chunks of k steps, inputs[s : s + k] for s = 0, k, 2k, ...",
    train_chunk_off_by_one="each chunk is one step short: inputs[s : s + k] holds k steps (the "
    "end of a slice is excluded)",
    train_drops_short_chunk="the last, shorter chunk is left out: range(0, len(inputs), k) "
    "visits every start, and inputs[s : s + k] is shorter at the end",
    train_drops_last_chunk="the last chunk is left out, whole or short: the starts stop one "
    "chunk early (as range(0, len(inputs) - k, k) does); range(0, len(inputs), k) visits every "
    "start",
    train_sliding_windows="it slides a window of k steps along the sequence one step at a "
    "time (stride 1), so the windows overlap; the chunks follow each other without overlap, "
    "inputs[s : s + k] for s = 0, k, 2k, ...",
    train_chunk_overlap="each chunk holds k + 1 steps and so overlaps the next by one step; "
    "inputs[s : s + k] holds k steps (the end of a slice is excluded)",
    train_targets_shifted="the targets of a chunk start one step after its inputs "
    "(targets[s + 1 : s + k + 1]); targets is already the inputs shifted by one, so slice both "
    "alike: inputs[s : s + k] and targets[s : s + k]",
    train_whole_sequence="every call gets the whole sequence, once per chunk: the slices are "
    "missing; call it on inputs[s : s + k] and targets[s : s + k] for s = 0, k, 2k, ...",
    train_k_as_count="k is read as the number of chunks (chunks of len(inputs) // k steps); k is "
    "the chunk length: inputs[s : s + k] for s = 0, k, 2k, ...",
    train_slice_end_k="every chunk ends at k (inputs[s : k]), so the chunks after the first are "
    "empty or cut; the chunk from s ends at s + k: inputs[s : s + k]",
    train_h_not_carried="the state is reset to zeros at the chunk boundary; pass the h_last of "
    "one chunk on as the h_prev of the next: the forward pass carries the state across the "
    "boundary, only the backward pass stops there",
    train_carried_across_passes="the state of the previous pass is carried into this one; every "
    "pass starts from h = np.zeros(H) (the text starts over)",
    train_update_each_chunk="the parameters are updated after every chunk; the contract adds "
    "the chunks' gradients over the pass and takes one step per pass",
    train_no_update="the parameters never change: an update like p = p - lr * g on a loop "
    "variable (or on a copy) rebinds a name and leaves params as it was; write "
    "params[name] = params[name] - lr * grads[name] (or params[name] -= ...)",
    train_returns_stale="it returns the parameters it was given, while the loop went on with "
    "updated ones (a copy): return the dict the steps were applied to",
    train_last_chunk_grads="only the last chunk's gradients are used: add up the gradients of "
    "all chunks of the pass (total[name] += grads[name])",
    train_sign="the step goes uphill: params[name] -= lr * grads[name] (minus: descend)",
    train_mean_over_chunks="the gradients are averaged over the chunks (or lr is divided by "
    "the number of chunks); the contract sums them and steps by lr",
    train_passes_off_by_one="it makes one pass too many or too few; for _ in range(n_iters) "
    "makes exactly n_iters passes",
    train_chunk_losses_listed="losses holds one loss per chunk; append one per pass, the sum of "
    "its chunks' losses",
    train_returns_swapped="it returns (losses, params); the contract is return params, losses",
    train_forgets_lr="the step forgets the learning rate: params[name] -= grads[name] moves "
    "by the gradients themselves, without lr; write params[name] -= lr * grads[name]",
    train_mean_over_steps="the step is divided by a number of time steps (the chunk length or "
    "the sequence length, as when the loss is averaged over time); the contract sums the "
    "losses and gradients and steps by lr",
    train_adagrad="this is Adagrad, min-char-rnn's update (mem += g * g; p -= lr * g / "
    "sqrt(mem + eps)); the contract is plain SGD, params[name] -= lr * grads[name]",
    train_adaptive="each entry moves by the same amount whatever the size of its gradient: "
    "the step is normalised per entry (as Adam or RMSprop do); the contract is plain SGD, "
    "params[name] -= lr * grads[name]",
    train_clipped="the step clips the gradients entry by entry (to [-c, c], as min-char-rnn's "
    "np.clip(dparam, -5, 5, out=dparam) does); the contract is a plain step params[name] -= lr * "
    "grads[name] with the summed gradients as they are",
    train_clipped_norm="the step clips the gradients by their norm (scales them down to norm c "
    "when their norm exceeds c); the contract is a plain step params[name] -= lr * grads[name] "
    "with the summed gradients as they are",
    train_momentum="the step carries a share of the previous step (momentum); the contract is "
    "plain SGD, params[name] -= lr * grads[name]",
    train_grads_not_reset="the gradients are summed across passes: the sum is not reset at the "
    "start of each pass (or momentum is 1), so every step adds all earlier gradients again",
    train_losses_last_chunk="losses[i] holds the last chunk's loss; it is the sum over the "
    "chunks of the pass",
    train_losses_not_reset="losses[i] adds the losses of all passes so far: reset the sum to 0 "
    "at the start of each pass",
    train_losses_averaged="losses[i] is an average (over the chunks or the time steps); it is "
    "the sum of the chunks' losses of pass i",
)


def named(cause, text):
    """A Fail naming catalogued mistake `cause` (Mistake.fail)."""
    return MISTAKES[cause].fail(text)


class Recorder:
    """rnnlib's loss_and_grads, keeping a copy of what every call got (inputs, targets,
    h_prev, params) and returned (h_last, loss, grads); `pending` holds what the last call got
    until it returns (so a call that raised is still seen)."""

    def __init__(self):
        self.calls, self.pending = [], None

    def __call__(self, params, inputs, targets, h_prev):
        self.pending = (np.array(inputs, copy=True), np.array(targets, copy=True))
        got = self.pending + (np.array(h_prev),)
        seen = {n: np.array(params[n], dtype=np.float64) for n in NAMES}
        loss, grads, h = rnnlib_loss_and_grads(params, inputs, targets, h_prev)
        kept = {n: grads[n].copy() for n in NAMES}
        self.calls.append(got + (h.copy(), seen, float(loss), kept))
        self.pending = None
        return loss, grads, h


def read(out, n_iters, label, chunk_losses=None):
    """The student's (params, losses) as a dict of arrays and a list of floats, else Fail;
    chunk_losses, the loss of every call of loss_and_grads, tells losses kept per chunk."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        got = "None" if out is None else type(out).__name__
        raise Fail(f"train_chunked should return a tuple (params, losses), got {got} {label}.")
    params, losses = out
    if isinstance(losses, dict) and not isinstance(params, dict):
        raise named(
            "train_returns_swapped",
            f"train_chunked returned a {type(params).__name__} first and a dict second {label}",
        )
    if not isinstance(params, dict) or any(n not in params for n in NAMES):
        raise Fail(f"the params returned should be a dict with the keys {list(NAMES)} {label}.")
    if not hasattr(losses, "__len__") or len(losses) != n_iters:
        what = len(losses) if hasattr(losses, "__len__") else type(losses).__name__
        text = f"losses should hold one loss per pass, {n_iters}, got {what} {label}"
        if chunk_losses and n_iters < len(chunk_losses) == what:
            try:
                values = np.array(losses, dtype=np.float64)
            except (TypeError, ValueError):
                values = None
            if values is not None and near(values, np.array(chunk_losses)):
                raise named(
                    "train_chunk_losses_listed",
                    f"{text}, the losses of the {what} calls of loss_and_grads",
                )
        raise Fail(f"{text}.")
    try:
        arrays = {n: np.array(params[n], dtype=np.float64) for n in NAMES}
    except (TypeError, ValueError):
        raise Fail(f"the params returned hold something other than arrays {label}.") from None
    return arrays, [as_number(x, f"losses[{i}]", label) for i, x in enumerate(losses)]


CHUNK_MISTAKES = (
    "train_full_bptt",
    "train_chunk_off_by_one",
    "train_chunk_overlap",
    "train_drops_short_chunk",
    "train_drops_last_chunk",
    "train_sliding_windows",
    "train_slice_end_k",
    "train_targets_shifted",
)


def chunk_plan(inputs, targets, k, mistake=None):
    """The (inputs, targets) of each call of one pass, as lists: the contract's chunks, or
    those of the loop with catalogued chunking mistake `mistake`."""
    T = len(inputs)
    if mistake == "train_full_bptt":
        bounds = [(0, T)]
    else:
        starts = {
            "train_drops_short_chunk": range(0, T - k + 1, k),
            "train_drops_last_chunk": range(0, T - k, k),
            "train_sliding_windows": range(0, T - k + 1),
        }.get(mistake, range(0, T, k))
        size = {"train_chunk_off_by_one": k - 1, "train_chunk_overlap": k + 1}.get(mistake, k)
        bounds = [(s, k if mistake == "train_slice_end_k" else s + size) for s in starts]
    d = 1 if mistake == "train_targets_shifted" else 0
    x, y = np.asarray(inputs), np.asarray(targets)
    return [(x[a:b].tolist(), y[a + d : b + d].tolist()) for a, b in bounds]


def check_chunks(rec, inputs, targets, k, n_iters, label, earlier=(), crash=None):
    """Fail naming the chunking mistake if the calls of loss_and_grads did not get the
    contract's chunks, pass after pass. A mistake is named when its simulated chunks are the
    calls' (all of them, or those made before `crash`, the Fail of a loop that raised) and
    the earlier cases, which passed, could not tell it from the contract."""
    got = [(c[0].tolist(), c[1].tolist()) for c in rec.calls]
    if rec.pending is not None:
        got.append((rec.pending[0].tolist(), rec.pending[1].tolist()))
    want = chunk_plan(inputs, targets, k) * n_iters

    def fits(plan):
        return got == plan[: len(got)] if crash is not None else got == plan

    if fits(want):
        if crash is not None:
            raise crash
        return
    if len(got) != len(want) and crash is None:
        lengths = [len(x) for x, _ in got]
        text = (
            f"train_chunked made {len(got)} calls of loss_and_grads {label}; expected "
            f"{len(want)} ({n_iters} passes of {len(want) // n_iters} chunks); the chunks it "
            f"passed had the lengths {lengths}"
        )
        for m in (n_iters - 1, n_iters + 1):
            if got == chunk_plan(inputs, targets, k) * m:
                raise named(
                    "train_passes_off_by_one",
                    f"{text}: the right chunks, for {m} pass{'es' if m != 1 else ''} instead of "
                    f"n_iters = {n_iters}",
                )
    else:
        j = next(j for j in range(len(got)) if j >= len(want) or got[j] != want[j])
        nc = len(want) // n_iters
        p, c = divmod(j, nc)
        s = c * k
        text = f"call {j + 1} (pass {p + 1}, chunk {c + 1}) {label} got inputs {got[j][0]} and "
        text += f"targets {got[j][1]}"
        if j < len(want):
            text += (
                f"; chunk {c + 1} is inputs[{s}:{s + k}] = {want[j][0]} and "
                f"targets[{s}:{s + k}] = {want[j][1]}"
            )
        else:
            text += f", after the {len(want)} calls of {n_iters} passes"
        if crash is not None:
            text += f" (then {str(crash).rstrip('.')})"
    found = [
        m
        for m in CHUNK_MISTAKES
        if fits(chunk_plan(inputs, targets, k, m) * n_iters)
        and all(chunk_plan(*case, m) == chunk_plan(*case) for case in earlier)
    ]
    if len(found) == 1:
        raise named(found[0], text)
    if found:
        both = "; or ".join(MISTAKES[m].cause for m in found)
        raise Fail(f"{text}: the calls fit more than one mistake: {both}.")
    inferred_chunking(got, inputs, targets, k, n_iters, text, crash is not None)
    raise Fail(
        f"{text}; each pass calls it on inputs[s : s + k] and targets[s : s + k] for "
        "s = 0, k, 2k, ... (the last chunk may be shorter)."
    )


def slice_of(seq, part, near=()):
    """(a, b) with seq[a:b] == part, the first a in `near` that fits (the starts expected
    there), else the first; or None."""
    seq, part = list(seq), list(part)
    m = len(part)
    hits = [a for a in range(len(seq) - m + 1) if seq[a : a + m] == part]
    if not m or not hits:
        return None
    a = next((x for x in near if x in hits), hits[0])
    return a, a + m


def inferred_chunking(got, inputs, targets, k, n_iters, text, crashed):
    """Fail naming a chunking mistake read off the slices the calls got: for each call the
    (start, stop) of inputs and of targets that reproduce it; the targets a step ahead of the
    inputs, the whole sequence every call, chunks of len(inputs) // k steps."""
    T, found, stop = len(inputs), [], 0
    for x, y in got:
        sx = slice_of(inputs, x, (stop, 0))  # a chunk follows the last, or a pass starts over
        sy = slice_of(targets, y, (sx[0], sx[0] + 1, sx[0] - 1) if sx else (stop, 0))
        found.append((sx, sy))
        stop = sx[1] if sx else stop
    if not found or any(sx is None for sx, _ in found):
        return
    shown = ", ".join(
        f"inputs[{a}:{b}] / " + (f"targets[{sy[0]}:{sy[1]}]" if sy else "targets: no slice")
        for (a, b), sy in found[:6]
    )
    shown += ", ..." if len(found) > 6 else ""
    text = f"{text}; the calls got {shown}"
    offsets = {sy[0] - sx[0] for sx, sy in found if sy is not None}
    contract = chunk_plan(inputs, targets, k)
    starts = [a for a in range(0, T, k)] * n_iters
    same_inputs = len(found) <= len(starts) and all(
        sx[0] == s for (sx, _), s in zip(found, starts, strict=False)
    )
    if offsets == {1} and same_inputs and found[0][1] is not None:
        raise named(
            "train_targets_shifted",
            f"{text}: each chunk starts where the contract's does, and its targets one step later",
        )
    if len(got) > n_iters and all(sx == (0, T) and sy == (0, T) for sx, sy in found):
        raise named("train_whole_sequence", f"{text}: every call got all {T} steps")
    size = T // k if k else 0
    if 0 < size != k and not crashed:
        for plan in (
            [(a, a + size) for a in range(0, T, size)],
            [(i * size, (i + 1) * size if i < k - 1 else T) for i in range(k)],
        ):
            if [sx for sx, _ in found] == plan * n_iters and len(contract) * n_iters != len(got):
                raise named(
                    "train_k_as_count",
                    f"{text}: chunks of {size} step{'s' if size != 1 else ''} = len(inputs) // k "
                    f"= {T} // {k}",
                )
    raise Fail(
        f"{text}; each pass calls it on inputs[s : s + k] and targets[s : s + k] for "
        "s = 0, k, 2k, ... (the last chunk may be shorter)."
    )


def check_calls(rec, inputs, targets, k, n_iters, label, earlier=()):
    """Fail naming the first call of loss_and_grads that got the wrong chunk or state."""
    check_chunks(rec, inputs, targets, k, n_iters, label, earlier)
    starts = list(range(0, len(inputs), k))
    prev_h = None
    for j, (_, _, h_prev, h_last, *_) in enumerate(rec.calls):
        p, c = divmod(j, len(starts))
        where = f"call {j + 1} (pass {p + 1}, chunk {c + 1}) {label}"
        H = len(h_last)
        if h_prev.shape != (H,):
            raise Fail(f"{where} got h_prev of shape {h_prev.shape}; expected ({H},).")
        if c == 0 and np.any(h_prev != 0):
            text = f"{where} got a nonzero h_prev, {digits(h_prev)}"
            if prev_h is not None and np.array_equal(h_prev, prev_h):
                raise named("train_carried_across_passes", f"{text}, the last state of pass {p}")
            raise Fail(f"{text}; every pass starts from h = np.zeros(H) (the text starts over).")
        if c > 0 and not np.array_equal(h_prev, prev_h):
            text = (
                f"{where} got h_prev = {digits(h_prev, prev_h)}, not the h_last "
                f"{digits(prev_h, h_prev)} of chunk {c}"
            )
            if not np.any(h_prev):
                raise named("train_h_not_carried", text)
            raise Fail(f"{text}: pass the h_last of one chunk on as the h_prev of the next.")
        prev_h = h_last


def digits(a, b=None, least=4):
    """a (an array or a list of numbers) as text, with the fewest significant digits (at least
    `least`) that tell it apart from b: a message that says two numbers differ shows them differ."""
    a = np.asarray(a, dtype=np.float64).ravel()
    for n in range(least, 18):
        text = "[" + ", ".join(f"{x:.{n}g}" for x in a) + "]"
        if b is None:
            return text
        other = "[" + ", ".join(f"{x:.{n}g}" for x in np.asarray(b, dtype=np.float64).ravel()) + "]"
        if text != other:
            return text
    return text


def flat(params):
    """The parameters as one vector (NAMES order)."""
    return np.concatenate([np.ravel(params[n]) for n in NAMES])


def near(a, b, tol=1e-9):
    """Whether vectors a and b agree to tol relative to the larger of them."""
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b))) <= tol * scale


def scale_of(step, sgd):
    """c with step = c * sgd to 1e-9, else None."""
    c = float(step @ sgd) / float(sgd @ sgd)
    return c if near(step, c * sgd) else None


class Scaled(Fail):
    """A Fail for a step that is c times the SGD step (c != 1): which mistake it is shows only
    across the cases, by how c goes with the number of chunks, k and T."""

    def __init__(self, message, c):
        super().__init__(message)
        self.c = c


SCALES = {  # mistake id -> whether c fits it in a case with nc chunks, chunk length k, length T
    "train_mean_over_chunks": lambda c, nc, k, T: abs(c - 1.0 / nc) < 1e-9,
    "train_mean_over_steps": lambda c, nc, k, T: abs(c - 1.0 / k) < 1e-9 or abs(c - 1.0 / T) < 1e-9,
    "train_forgets_lr": lambda c, nc, k, T: abs(c - 1.0 / LR) < 1e-9,
}


def scaled_verdict(cases, first):
    """The Fail for steps scaled by c in some cases (c = 1 where the step was right): a mistake
    is named when its rule fits every case, and no other's does."""
    fits = [m for m, rule in SCALES.items() if all(rule(*case) for case in cases)]
    seen = ", ".join(f"{c:.6g}" for c, *_ in cases)
    count = {3: "three", 4: "four"}.get(len(cases), str(len(cases)))
    text = f"{str(first).rstrip('.')}; in the {count} cases the step is {seen} times the SGD step"
    if len(fits) == 1:
        return named(fits[0], text)
    return Fail(f"{text}: the step is params[name] -= lr * grads[name] with lr as given.")


def check_steps(rec, start, got_params, k, lr, n_iters, T, label):
    """Fail naming the mistake if the loop's steps are not -lr * (the pass's summed gradients).

    The params each call got, and those returned, give every step the loop took; the recorder
    knows the gradients it was given. Returns None if every step is right; raises Scaled for a
    step that is c times the right one (body names the mistake from all cases' c)."""
    nc = len(range(0, T, k))
    calls = rec.calls
    seen = [flat(c[4]) for c in calls]
    grads = [flat(c[6]) for c in calls]
    first = [seen[i * nc] for i in range(n_iters)] + [flat(got_params)]
    x0 = flat(start)
    if not near(first[0], x0, 0.0):
        raise Fail(
            f"the first call of loss_and_grads got other parameters than those given {label}: "
            "start from params as it was passed in."
        )
    for i in range(n_iters):
        for c in range(1, nc):
            if not near(seen[i * nc + c], first[i], 0.0):
                text = (
                    f"the parameters changed between chunk {c} and chunk {c + 1} of pass {i + 1} "
                    f"{label}"
                )
                step = seen[i * nc + c] - seen[i * nc + c - 1]
                if near(step, -lr * grads[i * nc + c - 1]):
                    raise named(
                        "train_update_each_chunk", f"{text}, by -lr times chunk {c}'s gradients"
                    )
                raise Fail(f"{text}; take one step per pass, after its last chunk.")
    G = [sum(grads[i * nc : (i + 1) * nc]) for i in range(n_iters)]
    last = [grads[(i + 1) * nc - 1] for i in range(n_iters)]
    steps = [first[i + 1] - first[i] for i in range(n_iters)]
    if all(near(steps[i], -lr * G[i]) for i in range(n_iters)):
        return
    ret = "the parameters returned" if n_iters == 1 else f"the parameters after {n_iters} passes"
    if not np.any(first[-1] - x0) and not np.any(steps[0]):
        raise named(
            "train_no_update",
            f"{ret} {label} equal the initial ones exactly, and every call of loss_and_grads got "
            "the initial parameters",
        )
    if not np.any(first[-1] - x0):
        raise named(
            "train_returns_stale",
            f"{ret} {label} equal the initial ones exactly, while the calls of pass 2 got "
            f"parameters that differ from them by up to {np.max(np.abs(steps[0])):.3g}",
        )
    i = next(i for i in range(n_iters) if not near(steps[i], -lr * G[i]))
    which = "the step" if n_iters == 1 else f"step {i + 1} (after pass {i + 1})"
    text = f"{which} {label}"
    sgd = -lr * G[i]
    c = scale_of(steps[i], sgd)
    if c is not None and abs(c + 1.0) < 1e-9:
        raise named("train_sign", f"{text} is +lr * (the summed gradients)")
    if nc > 1 and near(steps[i], -lr * last[i]):
        raise named("train_last_chunk_grads", f"{text} is -lr times the gradients of chunk {nc}")
    clipped = clip_fit(steps, G, lr, got_params)
    if clipped is not None:
        cause, how = clipped
        raise named(cause, f"{text} {how}")
    if c is not None and abs(c) > 1e-12:
        raise Scaled(f"{text} is {c:.6g} times the SGD step -lr * (the summed gradients)", c)
    big = np.abs(G[0]) > 1e-2
    moved = np.abs(steps[0][big]) / lr
    if i == 0 and big.any() and np.max(np.abs(moved - 1.0)) < 1e-3:
        text = (
            f"step 1 {label} moves every entry whose gradient exceeds 0.01 by lr = {lr:g} "
            f"(from {np.min(moved) * lr:.6g} to {np.max(moved) * lr:.6g})"
        )
        if n_iters > 1:
            mem = G[0] ** 2 + G[1] ** 2
            ada = -lr * G[1] / np.sqrt(mem + 1e-8)
            if near(steps[1], ada, 1e-4):
                raise named("train_adagrad", f"{text}, and step 2 is -lr * g / sqrt(g1^2 + g2^2)")
        raise named("train_adaptive", text)
    if i > 0 and near(steps[i - 1], -lr * G[i - 1]):
        rest = steps[i] + lr * G[i]  # what the step adds to plain SGD
        mu = scale_of(rest, steps[i - 1])
        if mu is not None and abs(mu - 1.0) < 1e-9:
            raise named(
                "train_grads_not_reset", f"{text} is -lr * (the gradients of passes 1 to {i + 1})"
            )
        if mu is not None and 0.0 < mu < 1.0:
            raise named(
                "train_momentum", f"{text} is the SGD step plus {mu:.6g} times the step before"
            )
    want = first[i] + sgd
    name, index, diff = largest(first[i + 1], want, got_params)
    raise Fail(
        f"{which} {label} is off: afterwards {name}{index} is "
        f"{digits([first[i + 1][diff]], [want[diff]])[1:-1]}, expected "
        f"{digits([want[diff]], [first[i + 1][diff]])[1:-1]} (the largest difference); each pass "
        "takes one step params[name] -= lr * grads[name] with the gradients summed over its "
        "chunks."
    )


def clip_groups(params, how):
    """The flat indices of the groups a clip acts on: each entry, each parameter, or all."""
    if how == "entrywise":
        return None
    if how == "globally":
        return [np.arange(len(flat(params)))]
    sizes = np.cumsum([0] + [np.size(params[n]) for n in NAMES])
    return [np.arange(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


def clipped_by(g, c, groups):
    """g clipped to [-c, c] entry by entry (groups None), else each group scaled down to norm c."""
    if groups is None:
        return np.clip(g, -c, c)
    out = g.copy()
    for idx in groups:
        norm = float(np.linalg.norm(g[idx]))
        if norm > c:
            out[idx] = g[idx] * (c / norm)
    return out


def clip_fit(steps, G, lr, params):
    """(mistake id, what was measured) if every step of the run is -lr * (the summed gradients
    clipped at one c), else None. The clip is entry by entry (np.clip), by the global norm, or by
    each parameter's norm; c is measured: the largest size of a group (an entry, all, or a
    parameter) in the steps. Entrywise, the clip must act on an entry and leave a nonzero entry
    as it was (else the step is only the signs of g); by norm, it must act twice, so that two
    measurements agree on c (one scaled step alone is a scaled step)."""
    us = [-s / lr for s in steps]
    for how in ("entrywise", "globally", "per parameter"):
        groups = clip_groups(params, how)
        if groups is None:
            sizes, gsizes = [np.abs(u) for u in us], [np.abs(g) for g in G]
        else:
            sizes = [np.array([np.linalg.norm(u[i]) for i in groups]) for u in us]
            gsizes = [np.array([np.linalg.norm(g[i]) for i in groups]) for g in G]
        c = max(float(np.max(x)) for x in sizes)
        if not c > 0 or not all(
            near(u, clipped_by(g, c, groups)) for u, g in zip(us, G, strict=True)
        ):
            continue
        acted = sum(int(np.sum(x > c * (1 + 1e-6))) for x in gsizes)
        kept = sum(int(np.sum((x < c * (1 - 1e-6)) & (x > 1e-12 * c))) for x in gsizes)
        if (acted < 2 and how != "entrywise") or (how == "entrywise" and (not acted or not kept)):
            continue
        i = next(i for i in range(len(G)) if np.max(gsizes[i]) > c * (1 + 1e-6))
        if how == "entrywise":
            name, index, j = largest(us[i], G[i], params)
            return "train_clipped", (
                f"is -lr * np.clip(g, -c, c) with c = {c:.6g} on every entry, g the summed "
                f"gradients: step {i + 1} moves {name}{index} by {-lr * us[i][j]:.6g} = -lr * "
                f"({us[i][j]:.6g}), where -lr * g is {-lr * G[i][j]:.6g}, while the entries of g "
                f"smaller than {c:.6g} in size move by -lr * g"
            )
        norms = " and ".join(
            f"{float(np.max(x)):.6g} in step {j + 1}" for j, x in enumerate(gsizes)
        )
        if how == "globally":
            return "train_clipped_norm", (
                f"is -lr * g * min(1, c / |g|) with c = {c:.6g}, g all the summed gradients as "
                f"one vector (the global norm clipped): the steps are -lr times vectors of norm "
                f"{c:.6g}, where |g| is {norms}"
            )
        return "train_clipped_norm", (
            f"is -lr * g * min(1, c / |g|) with c = {c:.6g}, g each parameter's summed "
            f"gradients (each parameter's norm clipped): a parameter whose |g| exceeds {c:.6g} "
            f"moves by -lr times a vector of norm {c:.6g}; the largest |g| is {norms}"
        )
    return None


def largest(a, b, params):
    """Where flat vectors a and b differ most: (parameter name, index in it, flat index)."""
    diff = int(np.argmax(np.abs(a - b)))
    offset = 0
    for n in NAMES:
        size = np.size(params[n])
        if diff < offset + size:
            index = np.unravel_index(diff - offset, np.shape(params[n]))
            return n, list(int(j) for j in index), diff
        offset += size
    return NAMES[-1], [], diff


def check_losses(rec, losses, k, n_iters, T, label):
    """Fail naming the mistake if losses[i] is not the sum of the losses of pass i's chunks."""
    nc = len(range(0, T, k))
    chunk = [c[5] for c in rec.calls]
    want = [sum(chunk[i * nc : (i + 1) * nc]) for i in range(n_iters)]
    if near(np.array(losses), np.array(want)):
        return
    text = (
        f"the losses are off {label}: got {digits(losses, want)}, the chunks' losses that "
        f"loss_and_grads returned sum to {digits(want, losses)} per pass"
    )
    candidates = {
        "train_losses_last_chunk": [chunk[(i + 1) * nc - 1] for i in range(n_iters)],
        "train_losses_not_reset": list(np.cumsum(want)),
    }
    fits = [m for m, v in candidates.items() if near(np.array(losses), np.array(v))]
    for m in (nc, T):
        if near(np.array(losses), np.array(want) / m):
            fits.append("train_losses_averaged")
    fits = list(dict.fromkeys(fits))
    if len(fits) == 1:
        raise named(fits[0], text)
    raise Fail(f"{text}; losses[i] is the sum of the chunks' losses of pass i, before its step.")


def short_run(fn, label, inputs, targets, k, earlier=(), scale=INIT_SCALE):
    """Two passes from init_params(4, 3, rng=0, scale=scale): every call, every step and the
    losses compared with what they should be; `earlier` the (inputs, targets, k) of the cases
    that passed."""
    _, _, params = hello_setup(scale)
    start = copy.deepcopy(params)
    rec, n = Recorder(), 2
    copies = snapshot(inputs, targets)
    try:
        out = call(
            fn,
            "train_chunked",
            (rec, params, inputs, targets, k, LR, n),
            case=label,
            scale=LONG,
        )
    except Fail as crash:  # the chunks it got before it raised may tell why
        check_chunks(rec, inputs, targets, k, n, label, earlier, crash)
        raise
    unchanged("train_chunked", ("inputs", "targets"), (inputs, targets), copies, label)
    if rec.calls:  # the chunks first: a wrong count of passes also miscounts the losses
        check_calls(rec, inputs, targets, k, n, label, earlier)
    got_params, losses = read(out, n, label, [c[5] for c in rec.calls])
    check_calls(rec, inputs, targets, k, n, label, earlier)
    check_steps(rec, start, got_params, k, LR, n, len(inputs), label)
    check_losses(rec, losses, k, n, len(inputs), label)


def body(fn):
    cases, first = [], None  # (c, chunks, k, T) of each case; the first Scaled
    earlier = []  # (inputs, targets, k) of the cases run
    for label, inputs, targets, k, scale in configs():
        c = 1.0
        try:
            short_run(fn, label, inputs, targets, k, earlier, scale)
        except Scaled as fail:
            c, first = fail.c, first or fail
        cases.append((c, len(range(0, len(inputs), k)), k, len(inputs)))
        earlier.append((inputs, targets, k))
    if first is not None:
        raise scaled_verdict(cases, first)
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
        "Every call of loss_and_grads got the right chunk and state, every step was -lr times "
        "the gradients summed over the pass, and the losses the sums of the chunks' losses, in "
        "four short runs (chunks of 2 + 2, 4 + 2, one chunk, and 4 + 4 + 4 + 4 + 3 from larger "
        "weights, whose gradients exceed 5); the full run reaches a loss of "
        f"{final:.3f}, below the target {TARGET_LOSS} "
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
