"""Exercises 1 and 2 as students write them: reference solutions, alternatives, catalogued bugs.

The first function of each kind carries the contract's name: scripts/teacher_copy.py puts it into
the teacher's copy of notebooks/05_exercises.ipynb.
"""

import numpy as np


def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h):
    """One step of the cell, rows as examples: works for x (D,) and x (B, D)."""
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)  # h = tanh(W_xh x + W_hh h_prev + b_h)
    cache = (x, h_prev, W_xh, W_hh, h)
    return h, cache


def rnn_step_backward(dh, cache):
    """The backward pass of rnn_step_forward, rows as examples."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh  # backprop through tanh
    dx = dhraw @ W_xh  # W_xh^T dhraw
    dh_prev = dhraw @ W_hh  # W_hh^T dhraw
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


# ---- correct alternatives: columns and a loop over the batch, einsum, scalar loops ----


def forward_columns(x, h_prev, W_xh, W_hh, b_h):
    """Column vectors, one example at a time."""
    if x.ndim == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
    else:
        h = np.stack([np.tanh(W_xh @ x[b] + W_hh @ h_prev[b] + b_h) for b in range(len(x))])
    return h, {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "h": h}


def backward_columns(dh, cache):
    x, h_prev, W_xh, W_hh, h = (cache[k] for k in ("x", "h_prev", "W_xh", "W_hh", "h"))
    if x.ndim == 1:
        x, h_prev, h, dh = x[None], h_prev[None], h[None], dh[None]
        one = True
    else:
        one = False
    dx, dh_prev = np.zeros_like(x), np.zeros_like(h_prev)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(W_hh.shape[0])
    for b in range(len(x)):
        dhraw = (1 - h[b] * h[b]) * dh[b]
        dx[b] = W_xh.T @ dhraw
        dh_prev[b] = W_hh.T @ dhraw
        dW_xh += np.outer(dhraw, x[b])
        dW_hh += np.outer(dhraw, h_prev[b])
        db_h += dhraw
    if one:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


def forward_einsum(x, h_prev, W_xh, W_hh, b_h):
    a = np.einsum("hd,...d->...h", W_xh, x) + np.einsum("hk,...k->...h", W_hh, h_prev) + b_h
    h = np.tanh(a)
    return h, [x, h_prev, W_xh, W_hh, h]


def backward_einsum(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = dh * (1 - np.tanh(np.arctanh(h)) ** 2)
    dx = np.einsum("...h,hd->...d", dhraw, W_xh)
    dh_prev = np.einsum("...h,hk->...k", dhraw, W_hh)
    dW_xh = np.einsum("bh,bd->hd", np.atleast_2d(dhraw), np.atleast_2d(x))
    dW_hh = np.einsum("bh,bk->hk", np.atleast_2d(dhraw), np.atleast_2d(h_prev))
    db_h = dhraw.reshape(-1, dhraw.shape[-1]).sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def forward_scalar_loops(x, h_prev, W_xh, W_hh, b_h):
    """Pure Python loops over examples and units, and a cache holding the pre-activation."""
    rows_x, rows_h = np.atleast_2d(x), np.atleast_2d(h_prev)
    H, D = W_xh.shape
    a = np.zeros((len(rows_x), H))
    for b in range(len(rows_x)):
        for i in range(H):
            s = b_h[i]
            for j in range(D):
                s += W_xh[i, j] * rows_x[b, j]
            for j in range(H):
                s += W_hh[i, j] * rows_h[b, j]
            a[b, i] = s
    h = np.tanh(a)
    return (h[0] if x.ndim == 1 else h), (rows_x, rows_h, W_xh, W_hh, a, x.ndim)


def backward_scalar_loops(dh, cache):
    rows_x, rows_h, W_xh, W_hh, a, ndim = cache
    dh = np.atleast_2d(dh)
    dhraw = dh / np.cosh(a) ** 2  # tanh'(a) = 1 / cosh(a)^2
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    dW_xh = sum(np.outer(dhraw[b], rows_x[b]) for b in range(len(dhraw)))
    dW_hh = sum(np.outer(dhraw[b], rows_h[b]) for b in range(len(dhraw)))
    db_h = dhraw.sum(axis=0)
    if ndim == 1:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


CORRECT_FORWARD = [rnn_step_forward, forward_columns, forward_einsum, forward_scalar_loops]
CORRECT_PAIRS = [
    (rnn_step_forward, rnn_step_backward),
    (forward_columns, backward_columns),
    (forward_einsum, backward_einsum),
    (forward_scalar_loops, backward_scalar_loops),
]


# ---- catalogued bugs of the forward pass, each with (a part of) the hint it must get ----


def fw_no_tanh(x, h_prev, W_xh, W_hh, b_h):
    h = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_W_hh_transposed(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh + b_h)
    return h, None


def fw_W_xh_transposed(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh.T + b_h)
    return h, None


def fw_no_bias(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(W_xh @ x + W_hh @ h_prev), None


def fw_sigmoid(x, h_prev, W_xh, W_hh, b_h):
    return 1 / (1 + np.exp(-(x @ W_xh.T + h_prev @ W_hh.T + b_h))), None


def fw_no_recurrence(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(x @ W_xh.T + b_h), None


def fw_no_input(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(h_prev @ W_hh.T + b_h), None


def fw_columns_only(x, h_prev, W_xh, W_hh, b_h):
    """Right for one example, wrong for a batch (W_xh @ x.T gives (H, B), + b_h misaligns)."""
    h = np.tanh(W_xh @ x.T + W_hh @ h_prev.T + b_h)
    return h, None


def fw_in_place(x, h_prev, W_xh, W_hh, b_h):
    h_prev[...] = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h_prev, None


def fw_no_cache(x, h_prev, W_xh, W_hh, b_h):
    return np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)


def fw_transposed_batch(x, h_prev, W_xh, W_hh, b_h):
    """Right for one example; a batch comes out (H, B)."""
    if x.ndim == 1:
        return np.tanh(W_xh @ x + W_hh @ h_prev + b_h), None
    return np.tanh(W_xh @ x.T + W_hh @ h_prev.T + b_h[:, None]), None


FORWARD_BUGS = [
    (fw_no_tanh, "the tanh is missing"),
    (fw_W_hh_transposed, "W_hh is used transposed"),
    (fw_W_xh_transposed, "W_xh is used transposed"),
    (fw_no_bias, "the bias b_h is missing"),
    (fw_sigmoid, "a sigmoid is used"),
    (fw_no_recurrence, "h_prev is not used"),
    (fw_no_input, "x is not used"),
    (fw_columns_only, "Every 1-D case passes but this batch does not"),
    (fw_in_place, "changed its input h_prev in place"),
    (fw_no_cache, "should return a tuple (h, cache)"),
    (fw_transposed_batch, "your h is transposed"),
]


# ---- catalogued bugs of the backward pass (with the reference forward and its cache) ----


def _grads(dhraw, x, h_prev, W_xh, W_hh):
    rows = dhraw.reshape(-1, dhraw.shape[-1])
    x2, h2 = x.reshape(len(rows), -1), h_prev.reshape(len(rows), -1)
    return dhraw @ W_xh, dhraw @ W_hh, rows.T @ x2, rows.T @ h2, rows.sum(axis=0)


def bw_no_tanh_grad(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    return _grads(dh, x, h_prev, W_xh, W_hh)


def bw_one_minus_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    return _grads((1 - h) * dh, x, h_prev, W_xh, W_hh)


def bw_derivative_of_h_prev(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    return _grads((1 - h_prev**2) * dh, x, h_prev, W_xh, W_hh)


def bw_W_hh_not_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dx, _, dW_xh, dW_hh, db_h = _grads((1 - h * h) * dh, x, h_prev, W_xh, W_hh)
    return dx, ((1 - h * h) * dh) @ W_hh.T, dW_xh, dW_hh, db_h


def bw_W_xh_not_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    _, dh_prev, dW_xh, dW_hh, db_h = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return np.dot(W_xh, dhraw.T).T, dh_prev, dW_xh, dW_hh, db_h


def bw_dW_hh_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dx, dh_prev, dW_xh, dW_hh, db_h = _grads((1 - h * h) * dh, x, h_prev, W_xh, W_hh)
    return dx, dh_prev, dW_xh, dW_hh.T, db_h


def bw_dW_xh_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dx, dh_prev, dW_xh, dW_hh, db_h = _grads((1 - h * h) * dh, x, h_prev, W_xh, W_hh)
    return dx, dh_prev, dW_xh.T, dW_hh, db_h


def bw_batch_mean(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    if dhraw.ndim == 1:
        return _grads(dhraw, x, h_prev, W_xh, W_hh)
    B = len(dhraw)
    return dhraw @ W_xh, dhraw @ W_hh, dhraw.T @ x / B, dhraw.T @ h_prev / B, dhraw.mean(axis=0)


def bw_db_not_summed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx, dh_prev, dW_xh, dW_hh, _ = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return dx, dh_prev, dW_xh, dW_hh, dhraw


def bw_in_place(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dh *= 1 - h * h
    return _grads(dh, x, h_prev, W_xh, W_hh)


BACKWARD_BUGS = [
    (bw_no_tanh_grad, "the tanh derivative is missing"),
    (bw_one_minus_h, "the tanh derivative is written 1 - h"),
    (bw_derivative_of_h_prev, "the tanh derivative uses h_prev"),
    (bw_W_hh_not_transposed, "dh_prev uses W_hh where W_hh.T is needed"),
    (bw_W_xh_not_transposed, "dx uses W_xh where W_xh.T is needed"),
    (bw_dW_hh_transposed, "dW_hh is transposed"),
    (bw_dW_xh_transposed, "dW_xh is transposed"),
    (bw_batch_mean, "averaged over the batch"),
    (bw_db_not_summed, "summed over the batch (axis 0)"),
    (bw_in_place, "changed its input dh in place"),
]
