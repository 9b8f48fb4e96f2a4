"""Backpropagation through time for the character language model.

loss_and_grads is the fast path used for training: the input projection is a column lookup
(W_xh x_t for a one-hot x_t is column x_t of W_xh), the output layer, softmax and their
gradients are one (T*B, H) matrix product each, and only the recurrence loops over time.
"""

import numpy as np

from . import _check
from .cell import log_softmax


def check_sequences(params, inputs, targets, h_prev):
    """Validate a (params, inputs, targets, h_prev) call; return them in batched form.

    Returns X (T, B) and Y (T, B) int64, h0 (B, H) float64, and whether the call was unbatched.
    """
    V, H = _check.params(params)
    X = _check.indices("inputs", inputs, V)
    Y = _check.indices("targets", targets, V)
    if X.shape != Y.shape:
        raise ValueError(
            f"inputs have shape {X.shape} but targets have shape {Y.shape}; expected equal"
        )
    if X.ndim not in (1, 2):
        raise ValueError(f"inputs must have shape (T,) or (T, B), got {X.shape}")
    single = X.ndim == 1
    if single:
        X, Y = X[:, None], Y[:, None]
    h0 = _check.hidden("h_prev", h_prev, H, None if single else X.shape[1])
    return X, Y, (h0[None] if single else h0), single


def loss_and_grads(params, inputs, targets, h_prev):
    """Summed cross-entropy over time (averaged over the batch) and its exact gradients.

    Inputs: params dict (W_xh (H, V), W_hh (H, H), W_hy (V, H), b_h (H,), b_y (V,));
    inputs, targets integer arrays (T,) or (T, B); h_prev (H,) or (B, H).
    Returns loss (float, sum over t of -ln p_t[target_t], mean over B), grads (same keys and
    shapes as params) and h_last (shaped like h_prev). No clipping.
    """
    X, Y, h0, single = check_sequences(params, inputs, targets, h_prev)
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, B = X.shape
    H = W_hh.shape[0]
    hs = np.empty((T + 1, B, H))
    hs[0] = h0
    a = W_xh.T[X] + b_h  # W_xh x_t + b_h as a row lookup, (T, B, H)
    for t in range(T):
        hs[t + 1] = np.tanh(a[t] + hs[t] @ W_hh.T)  # h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)
    hflat = hs[1:].reshape(T * B, H)
    logp = log_softmax(hflat @ W_hy.T + b_y)  # log p_t = log softmax(W_hy h_t + b_y)
    rows, cols = np.arange(T * B), Y.reshape(-1)
    loss = -logp[rows, cols].sum() / B  # cross-entropy, summed over t, mean over the batch
    dy = np.exp(logp)
    dy[rows, cols] -= 1.0  # dL/dy_t = p_t - onehot(target_t)
    dy /= B
    dh_out = (dy @ W_hy).reshape(T, B, H)  # gradient reaching h_t from the output layer
    dhraw = np.empty((T, B, H))
    dhnext = np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        dhraw[t] = (1.0 - hs[t + 1] ** 2) * (dh_out[t] + dhnext)  # backprop through tanh
        dhnext = dhraw[t] @ W_hh  # dL/dh_{t-1} through W_hh
    draw = dhraw.reshape(T * B, H)
    dW_xh = np.zeros((V := W_xh.shape[1], H))
    np.add.at(dW_xh, X.reshape(-1), draw)  # scatter rows back to the columns looked up
    grads = {
        "W_xh": np.ascontiguousarray(dW_xh.T),
        "W_hh": draw.T @ hs[:-1].reshape(T * B, H),
        "W_hy": dy.T @ hflat,
        "b_h": draw.sum(axis=0),
        "b_y": dy.sum(axis=0),
    }
    assert grads["W_xh"].shape == (H, V)
    h_last = hs[T, 0] if single else hs[T]
    return float(loss), grads, h_last.copy()
