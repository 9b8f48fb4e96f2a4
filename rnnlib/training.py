"""Training the character language model: the loop, one step, and a held-out loss.

The default is the min-char-rnn recipe: Adagrad with lr 0.1, gradients clipped element-wise to
[-5, 5], the text read in chunks of seq_length characters, the hidden state carried from chunk to
chunk and reset to zero when the text starts over. With batch_size B the text is cut into B
contiguous streams read side by side, each carrying its own state; targets are the inputs
advanced by one character.
"""

from dataclasses import dataclass, field

import numpy as np

from . import _check
from .bptt import loss_and_grads
from .cell import PARAM_NAMES, init_params
from .optim import Optimizer
from .vocab import Vocab


def train_step(opt, inputs, targets, h_prev):
    """One update: loss_and_grads on a chunk, then opt.step (clip + update).

    Inputs: opt an Optimizer; inputs, targets (T,) or (T, B) indices; h_prev (H,) or (B, H).
    Returns the chunk's loss (before the update) and h_last. A non-finite loss raises
    ValueError naming the iteration (opt.t) and leaves the parameters untouched.
    """
    loss, grads, h = loss_and_grads(opt.params, inputs, targets, h_prev)
    if not np.isfinite(loss):
        raise ValueError(
            f"training diverged at iteration {opt.t}: the loss is {loss}; "
            "try a smaller lr or enable clipping"
        )
    opt.step(grads)
    return loss, h


def streams(ix, batch_size):
    """Cut an index sequence into B contiguous streams read side by side.

    Inputs: ix (N,) int indices; batch_size B. Stream b reads ix[b L : b L + L + 1] with
    L = (N - 1) // B, so B L + 1 <= N characters are used.
    Returns X (L, B) inputs and Y (L, B) targets, Y[j, b] = X[j + 1, b] within a stream.
    """
    B = _check.positive_int("batch_size", batch_size)
    L = (len(ix) - 1) // B
    if L < 1:
        raise ValueError(
            f"a text of {len(ix)} characters is too short for {B} streams; need >= {B + 1}"
        )
    pos = np.arange(L)[:, None] + L * np.arange(B)[None, :]  # (L, B) positions in the text
    return np.ascontiguousarray(ix[pos]), np.ascontiguousarray(ix[pos + 1])


def as_indices(data, vocab, params):
    """Resolve a training text or index array to (indices (N,), vocab or None, V)."""
    if isinstance(data, str):
        vocab = Vocab.from_text(data) if vocab is None else vocab
        return vocab.encode(data), vocab, len(vocab)
    if vocab is not None:
        V = len(vocab)
    elif params is not None:
        V = _check.params(params)[0]
    else:
        raise ValueError("training on index arrays needs a vocab or params to know V")
    ix = _check.indices("data", data, V)
    if ix.ndim != 1:
        raise ValueError(f"data must be a text or a 1-D index array, got shape {ix.shape}")
    return ix, vocab, V


@dataclass
class Progress:
    """What a training callback sees: `iteration` updates done of `n_iters`, the last chunk's
    loss (sum over its T characters, mean over streams), its per-character value and the
    smoothed per-character loss, the live params (views: copy to keep) and carried state h (B, H).
    """

    iteration: int
    n_iters: int
    loss: float
    loss_per_char: float
    smooth_loss_per_char: float
    params: dict
    h: np.ndarray


@dataclass
class TrainResult:
    """The outcome of train(): params (copies), vocab (None if trained on bare indices),
    history (dict of (n,) arrays: iteration, loss, loss_per_char, smooth_loss,
    smooth_loss_per_char), h (B, H) the state after the last chunk, the optimizer (to keep
    training), snapshots {iteration: params copy}, and stopped (True if the callback stopped it).
    """

    params: dict
    vocab: Vocab | None
    history: dict
    h: np.ndarray
    optimizer: Optimizer
    snapshots: dict = field(default_factory=dict)
    stopped: bool = False


def train(
    data,
    params=None,
    *,
    vocab=None,
    hidden_size=100,
    seq_length=25,
    batch_size=1,
    optimizer="adagrad",
    lr=None,
    clip=5.0,
    n_iters=1000,
    rng=None,
    freeze=(),
    callback=None,
    callback_every=100,
    snapshot_every=None,
    smoothing=0.999,
):
    """Train a character language model on a text (or an index array).

    Inputs: data, a str (vocab defaults to its sorted characters) or (N,) indices; params to
    start from (None: init_params(V, hidden_size, rng=rng)); seq_length T; batch_size B streams;
    optimizer "adagrad" | "sgd" | "adam", lr (None: DEFAULT_LR), clip (element-wise, None: off),
    freeze (names kept fixed, e.g. ("W_hh",)); n_iters updates, one per chunk of T characters
    per stream (the state is reset to zero when the streams end); callback(Progress) every
    callback_every updates and after the last one (returning False stops training early);
    snapshot_every k keeps params copies at iterations 0, k, 2k, ... and at the end;
    smoothing, the factor of min-char-rnn's running loss (starts at the uniform ln V).
    Returns a TrainResult; history[...][i] is the loss of iteration i's chunk measured before
    update i, i.e. with the params of snapshots[i]. A non-finite loss raises ValueError naming
    the iteration.
    """
    ix, vocab, V = as_indices(data, vocab, params)
    T = _check.positive_int("seq_length", seq_length)
    n_iters = _check.nonneg_int("n_iters", n_iters)
    every = _check.positive_int("callback_every", callback_every)
    snap = None if snapshot_every is None else _check.positive_int("snapshot_every", snapshot_every)
    if not 0.0 <= smoothing < 1.0:
        raise ValueError(f"smoothing must lie in [0, 1), got {smoothing!r}")
    if params is None:
        params = init_params(V, hidden_size, rng=rng)
    if _check.params(params)[0] != V:
        raise ValueError(f"params have V={_check.params(params)[0]}, but the vocabulary has {V}")
    for k in PARAM_NAMES:
        if not np.all(np.isfinite(params[k])):
            raise ValueError(f"params[{k!r}] holds non-finite values; expected finite numbers")
    X, Y = streams(ix, batch_size)
    L, B = X.shape
    T = min(T, L)
    opt = Optimizer(params, optimizer, lr, clip=clip, freeze=freeze)
    h = np.zeros((B, opt.params["W_hh"].shape[0]))
    hist = {k: np.zeros(n_iters) for k in ("loss", "loss_per_char", "smooth_loss_per_char")}
    smooth, snapshots, stopped, p, done = np.log(V), {}, False, 0, 0  # uniform: ln V per char
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported as ValueError
        for it in range(n_iters):
            if snap is not None and it % snap == 0:
                snapshots[it] = {k: v.copy() for k, v in opt.params.items()}
            if p >= L:
                p = 0
                h = np.zeros_like(h)  # the streams start over: reset the memory
            x, y = X[p : p + T], Y[p : p + T]
            loss, h = train_step(opt, x, y, h)
            per_char = loss / len(x)
            smooth = smoothing * smooth + (1.0 - smoothing) * per_char  # running average
            hist["loss"][it], hist["loss_per_char"][it] = loss, per_char
            hist["smooth_loss_per_char"][it] = smooth
            p, done = p + T, it + 1
            if callback is not None and (done % every == 0 or done == n_iters):
                info = Progress(done, n_iters, loss, per_char, smooth, opt.params, h)
                if callback(info) is False:
                    stopped = True
                    break
    if not np.all(np.isfinite(opt.flat)):
        raise ValueError(f"training diverged at iteration {done}: parameters are not finite")
    if snap is not None:
        snapshots[done] = {k: v.copy() for k, v in opt.params.items()}
    hist = {k: v[:done] for k, v in hist.items()}
    hist["iteration"] = np.arange(done)
    hist["smooth_loss"] = hist["smooth_loss_per_char"] * T  # min-char-rnn's per-chunk scale
    out = {k: v.copy() for k, v in opt.params.items()}
    return TrainResult(out, vocab, hist, h, opt, snapshots, stopped)


def per_char_loss(params, data, vocab=None, chunk=1000):
    """Mean cross-entropy per character of a text under the model, from a zero state.

    Inputs: params; data a str (encoded with vocab) or (N,) indices, N >= 2; chunk, the number
    of characters per loss_and_grads call (the state is carried between calls).
    Returns the average of -ln p(next char) over the N - 1 predictions, in nats.
    """
    ix, _, _ = as_indices(data, vocab, params)
    chunk = _check.positive_int("chunk", chunk)
    if len(ix) < 2:
        raise ValueError(f"need at least 2 characters to score a prediction, got {len(ix)}")
    h, total = np.zeros(params["W_hh"].shape[0]), 0.0
    for s in range(0, len(ix) - 1, chunk):
        x, y = ix[s : s + chunk], ix[s + 1 : s + chunk + 1]
        loss, _, h = loss_and_grads(params, x[: len(y)], y, h)
        total += loss
    return total / (len(ix) - 1)
