"""The vanilla (Elman) RNN cell: one step forward and its backward pass.

    h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)        y_t = W_hy h_t + b_y

Weights have PyTorch's shapes: W_xh (H, D), W_hh (H, H), W_hy (V, H). Batched code works on rows
(x is (B, D), h is (B, H)), so it computes the transposed form x @ W_xh.T + h @ W_hh.T + b_h.
"""

import numpy as np

from . import _check
from ._check import PARAM_NAMES as PARAM_NAMES  # their one definition, public from here


def init_params(vocab_size, hidden_size, *, rng=None, scale=0.01):
    """Small random weights and zero biases, as in min-char-rnn.

    Inputs: vocab_size V, hidden_size H (ints > 0); rng a np.random.Generator or a seed
    (None means seed 0, so that results never depend on hidden global state); scale the
    standard deviation of the weights.
    Returns a dict of float64 arrays: W_xh (H, V), W_hh (H, H), W_hy (V, H), b_h (H,), b_y (V,).
    """
    V = _check.positive_int("vocab_size", vocab_size)
    H = _check.positive_int("hidden_size", hidden_size)
    scale = _check.nonneg_number("scale", scale)
    rng = as_rng(rng)
    return {
        "W_xh": rng.standard_normal((H, V)) * scale,  # input to hidden
        "W_hh": rng.standard_normal((H, H)) * scale,  # hidden to hidden
        "W_hy": rng.standard_normal((V, H)) * scale,  # hidden to output
        "b_h": np.zeros(H),
        "b_y": np.zeros(V),
    }


def as_rng(rng):
    """A np.random.Generator from a Generator, an int seed or None (seed 0)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(f"rng must be a numpy Generator, an int seed or None, got {rng!r}")


def softmax(y, axis=-1):
    """Numerically stable softmax along `axis` (shift by the max before exp)."""
    z = np.exp(y - np.max(y, axis=axis, keepdims=True))
    return z / np.sum(z, axis=axis, keepdims=True)


def log_softmax(y, axis=-1):
    """log(softmax(y)) without overflow or log(0)."""
    s = y - np.max(y, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    """One step of the Elman cell.

    Inputs: x (D,) or (B, D); h_prev (H,) or (B, H) (same leading shape as x);
    W_xh (H, D); W_hh (H, H); b_h (H,).
    Returns h (H,) or (B, H), and a cache for rnn_step_backward.
    """
    x = np.asarray(x, dtype=np.float64)
    h_prev = np.asarray(h_prev, dtype=np.float64)
    H, D = np.shape(W_xh)
    if x.ndim not in (1, 2) or x.shape[-1] != D:
        raise ValueError(f"x has shape {x.shape}, expected ({D},) or (B, {D})")
    want = (H,) if x.ndim == 1 else (x.shape[0], H)
    if h_prev.shape != want:
        raise ValueError(f"h_prev has shape {h_prev.shape}, expected {want}")
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)  # h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def read_index(params, h, ix):
    """One step of the cell on character index ix: h_t = tanh(W_xh[:, ix] + W_hh h_{t-1} + b_h).

    W_xh x_t for a one-hot x_t is column ix of W_xh. Inputs: params; h (H,); ix an int.
    Returns the next hidden state (H,).
    """
    return np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h + params["b_h"])


def rnn_step_backward(dh, cache):
    """Backward pass of one step.

    Inputs: dh, the gradient of the loss w.r.t. h, shaped like h; cache from rnn_step_forward.
    Returns dx (like x), dh_prev (like h_prev), dW_xh (H, D), dW_hh (H, H), db_h (H,).
    """
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1.0 - h * h) * dh  # backprop through tanh nonlinearity
    dx = dhraw @ W_xh  # dL/dx_t = W_xh^T dhraw
    dh_prev = dhraw @ W_hh  # dL/dh_{t-1} = W_hh^T dhraw
    if dhraw.ndim == 1:
        dW_xh = np.outer(dhraw, x)
        dW_hh = np.outer(dhraw, h_prev)
        db_h = dhraw.copy()
    else:
        dW_xh = dhraw.T @ x  # summed over the batch
        dW_hh = dhraw.T @ h_prev
        db_h = dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h
