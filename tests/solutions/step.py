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


# ---- catalogued bugs of the forward pass, each tagged with the id of its mistake ----


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


def fw_relu(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = np.maximum(a, 0)  # "the activation"
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_bias_outside(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(np.dot(x, W_xh.T) + np.dot(h_prev, W_hh.T)) + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_recurrence_outside(x, h_prev, W_xh, W_hh, b_h):
    """Rows in a loop over the batch, the recurrent term added after the squashing."""
    X, Hp = np.atleast_2d(x), np.atleast_2d(h_prev)
    rows = [np.tanh(W_xh @ X[b] + b_h) + W_hh @ Hp[b] for b in range(len(X))]
    h = rows[0] if x.ndim == 1 else np.array(rows)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_float32(x, h_prev, W_xh, W_hh, b_h):
    """Everything in float32 "to save memory": accurate to about 1e-7."""
    f = np.float32
    h = np.tanh(
        x.astype(f) @ W_xh.T.astype(f) + h_prev.astype(f) @ W_hh.T.astype(f) + b_h.astype(f)
    )
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_float32_cast_back(x, h_prev, W_xh, W_hh, b_h):
    """float32 inside, returned as float64."""
    a = np.float32(1) * (x @ W_xh.T + h_prev @ W_hh.T + b_h).astype(np.float32)
    h = np.tanh(a).astype(np.float64)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_unit_loops_no_bias(x, h_prev, W_xh, W_hh, b_h):
    """Python lists, unit by unit; the bias forgotten."""
    rows = [x] if x.ndim == 1 else list(x)
    hrows = [h_prev] if x.ndim == 1 else list(h_prev)
    out = []
    for xr, hr in zip(rows, hrows, strict=True):
        out.append([np.tanh(sum(W_xh[i] * xr) + sum(W_hh[i] * hr)) for i in range(len(b_h))])
    h = np.array(out[0] if x.ndim == 1 else out)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_swapped_weights(x, h_prev, W_xh, W_hh, b_h):
    """The two weights swapped, with np.dot: fine wherever D = H, a shape error elsewhere."""
    h = np.tanh(np.dot(x, W_hh.T) + np.dot(h_prev, W_xh.T) + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_batch_loop_skips_last(x, h_prev, W_xh, W_hh, b_h):
    """A batch filled row by row into zeros, the loop stopping one row early."""
    if x.ndim == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
        return h, (x, h_prev, W_xh, W_hh, h)
    h = np.zeros((x.shape[0], W_xh.shape[0]))
    for b in range(x.shape[0] - 1):
        h[b] = np.tanh(W_xh @ x[b] + W_hh @ h_prev[b] + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_columns_transposed_back(x, h_prev, W_xh, W_hh, b_h):
    """Columns for a batch, transposed back to rows at the end; b_h added as (H,)."""
    a = np.dot(W_xh, x.T) + np.dot(W_hh, h_prev.T) + b_h
    return np.tanh(a).T, None


def fw_batch_first_state(x, h_prev, W_xh, W_hh, b_h):
    """Every example of a batch starts from the first example's state (h_prev[0])."""
    state = h_prev if x.ndim == 1 else h_prev[0]
    h = np.tanh(x @ W_xh.T + W_hh @ state + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_both_transposed(x, h_prev, W_xh, W_hh, b_h):
    """Rows multiplied by the weights as stored: both on the wrong side (runs where D = H)."""
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_input_outside(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(np.matmul(h_prev, W_hh.T) + b_h) + np.matmul(x, W_xh.T)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_reshape_for_transpose(x, h_prev, W_xh, W_hh, b_h):
    """Rows, with reshape where a transpose was meant (it runs for every D and H)."""
    D, H = W_xh.shape[1], W_xh.shape[0]
    h = np.tanh(x @ W_xh.reshape(D, H) + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_column_sums(x, h_prev, W_xh, W_hh, b_h):
    """Elementwise products summed by hand, one example at a time; W_hh's over axis 0."""

    def one(x1, h1):
        return np.tanh(np.sum(W_xh * x1, axis=1) + np.sum(W_hh * h1, axis=0) + b_h)

    h = (
        one(x, h_prev)
        if x.ndim == 1
        else np.array([one(a, b) for a, b in zip(x, h_prev, strict=True)])
    )
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_gauss_seidel(x, h_prev, W_xh, W_hh, b_h):
    """A loop over units that writes into the state it reads (a copy of h_prev)."""
    h = np.array(h_prev, dtype=float)
    rows = h.reshape(-1, len(b_h))  # a view: writing rows writes h
    xs = np.atleast_2d(x)
    for r in range(len(rows)):
        for i in range(len(b_h)):
            rows[r, i] = np.tanh(W_xh[i] @ xs[r] + W_hh[i] @ rows[r] + b_h[i])
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_column_vector_bias(x, h_prev, W_xh, W_hh, b_h):
    """Column vectors (D, 1) and (H, 1), b_h added as (H,); the first column is returned."""
    xc, hc = x.reshape(-1, 1), h_prev.reshape(-1, 1)
    h = np.tanh(W_xh @ xc + W_hh @ hc + b_h)[:, 0]
    return h, (x, h_prev, W_xh, W_hh, h)


def fw_batch_mean_state(x, h_prev, W_xh, W_hh, b_h):
    """A batch's examples all start from the batch's mean state."""
    state = h_prev if x.ndim == 1 else h_prev.mean(axis=0)
    h = np.tanh(x @ W_xh.T + state @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


FORWARD_BUGS = [
    (fw_batch_mean_state, "fw_batch_rows"),
    (fw_reshape_for_transpose, "fw_W_xh_reshaped"),
    (fw_column_sums, "fw_sum_wrong_axis"),
    (fw_gauss_seidel, "fw_units_in_place"),
    (fw_column_vector_bias, "fw_bias_broadcast"),
    (fw_no_tanh, "fw_no_tanh"),
    (fw_W_hh_transposed, "fw_W_hh_transposed"),
    (fw_W_xh_transposed, "fw_W_xh_transposed"),
    (fw_no_bias, "fw_no_bias"),
    (fw_sigmoid, "fw_sigmoid"),
    (fw_no_recurrence, "fw_no_recurrence"),
    (fw_no_input, "fw_no_input"),
    (fw_columns_only, "fw_bias_broadcast"),
    (fw_columns_transposed_back, "fw_bias_broadcast"),
    (fw_batch_first_state, "fw_batch_one_row"),
    (fw_swapped_weights, "fw_weights_swapped"),
    (fw_both_transposed, "fw_both_transposed"),
    (fw_input_outside, "fw_input_outside_tanh"),
    (fw_batch_loop_skips_last, "fw_batch_rows_skipped"),
    (fw_in_place, "fw_in_place"),
    (fw_no_cache, "fw_no_cache"),
    (fw_transposed_batch, "fw_h_transposed"),
    (fw_relu, "fw_relu"),
    (fw_bias_outside, "fw_bias_outside_tanh"),
    (fw_recurrence_outside, "fw_recurrence_outside_tanh"),
    (fw_float32, "fw_float32"),
    (fw_float32_cast_back, "fw_float32"),
    (fw_unit_loops_no_bias, "fw_no_bias"),
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


def bw_tanh_of_h(dh, cache):
    """The issue's example: tanh' written as 1 - tanh(.)**2 and applied to h."""
    x, h_prev, W_xh, W_hh, h = cache
    return _grads(dh * (1 - np.tanh(h) ** 2), x, h_prev, W_xh, W_hh)


def bw_sech_of_h(dh, cache):
    """tanh'(a) = 1 / cosh(a)**2, evaluated at h instead of a; columns, a loop over the batch."""
    x, h_prev, W_xh, W_hh, h = cache
    X, Hp, Hs, D = (np.atleast_2d(v) for v in (x, h_prev, h, dh))
    out = [np.zeros((len(X), W_xh.shape[1])), np.zeros_like(Hp)]
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(len(W_hh))
    for b in range(len(X)):
        dhraw = D[b] / np.cosh(Hs[b]) ** 2
        out[0][b], out[1][b] = W_xh.T @ dhraw, W_hh.T @ dhraw
        dW_xh += np.outer(dhraw, X[b])
        dW_hh += np.outer(dhraw, Hp[b])
        db_h += dhraw
    dx, dh_prev = (o[0] if x.ndim == 1 else o for o in out)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def bw_dW_hh_with_h(dh, cache):
    """A loop over the batch; dW_hh pairs dhraw with the output h instead of h_prev."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    X, Hp, Hs, R = (np.atleast_2d(v) for v in (x, h_prev, h, dhraw))
    dW_xh = sum(np.outer(R[b], X[b]) for b in range(len(R)))
    dW_hh = sum(np.outer(R[b], Hs[b]) for b in range(len(R)))
    return dhraw @ W_xh, dhraw @ W_hh, dW_xh, dW_hh, R.sum(axis=0)


def bw_dh_prev_before_tanh(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx, _, dW_xh, dW_hh, db_h = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return dx, dh @ W_hh, dW_xh, dW_hh, db_h  # dh_prev straight from dh


def bw_float32(dh, cache):
    x, h_prev, W_xh, W_hh, h = (np.asarray(a, dtype=np.float32) for a in cache)
    return _grads((1 - h * h) * dh.astype(np.float32), x, h_prev, W_xh, W_hh)


def bw_two_mistakes(dh, cache):
    """dx with W_xh not transposed (it raises once D != H) and dW_hh transposed."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx = (W_xh @ dhraw.T).T
    _, dh_prev, dW_xh, dW_hh, db_h = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return dx, dh_prev, dW_xh, dW_hh.T, db_h


def forward_caching_a(x, h_prev, W_xh, W_hh, b_h):
    """A correct forward whose cache holds the pre-activation a instead of h."""
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return np.tanh(a), (x, h_prev, W_xh, W_hh, a)


def bw_one_minus_a_squared(dh, cache):
    """With forward_caching_a's cache: the derivative written at a, as if a were h."""
    x, h_prev, W_xh, W_hh, a = cache
    return _grads(dh * (1.0 - a * a), x, h_prev, W_xh, W_hh)


def bw_sign_flipped(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    return _grads(dh * (h**2 - 1), x, h_prev, W_xh, W_hh)


def bw_swapped_weights(dh, cache):
    """Columns: dx from W_hh, dh_prev from W_xh (runs only where D = H)."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    _, _, dW_xh, dW_hh, db_h = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return (W_hh.T @ dhraw.T).T, (W_xh.T @ dhraw.T).T, dW_xh, dW_hh, db_h


def bw_db_wrong_axis(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx, dh_prev, dW_xh, dW_hh, _ = _grads(dhraw, x, h_prev, W_xh, W_hh)
    return dx, dh_prev, dW_xh, dW_hh, np.sum(dhraw, axis=-1) if dhraw.ndim == 2 else dhraw


def bw_outer_everywhere(dh, cache):
    """np.outer for 1-D inputs and batches alike (right only for B = 1)."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = dh * (1 - h * h)
    db_h = dhraw if dhraw.ndim == 1 else dhraw.sum(0)
    return dhraw @ W_xh, dhraw @ W_hh, np.outer(dhraw, x), np.outer(dhraw, h_prev), db_h


def bw_rows_only(dh, cache):
    """Written for a batch in rows only: on a 1-D example the weight gradients are numbers."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    db_h = dhraw.sum(axis=0) if dhraw.ndim == 2 else dhraw
    return dhraw @ W_xh, dhraw @ W_hh, dhraw.T @ x, dhraw.T @ h_prev, db_h


BACKWARD_BUGS = [
    (bw_no_tanh_grad, "bw_no_tanh_grad"),
    (bw_one_minus_h, "bw_one_minus_h"),
    (bw_derivative_of_h_prev, "bw_derivative_of_h_prev"),
    (bw_W_hh_not_transposed, "bw_W_hh_not_transposed"),
    (bw_W_xh_not_transposed, "bw_W_xh_not_transposed"),
    (bw_dW_hh_transposed, "bw_dW_hh_transposed"),
    (bw_dW_xh_transposed, "bw_dW_xh_transposed"),
    (bw_batch_mean, "bw_batch_mean"),
    (bw_db_not_summed, "bw_db_not_summed"),
    (bw_in_place, "bw_in_place"),
    (bw_tanh_of_h, "bw_tanh_of_h"),
    (bw_sech_of_h, "bw_tanh_of_h"),
    (bw_dW_hh_with_h, "bw_dW_hh_with_h"),
    (bw_dh_prev_before_tanh, "bw_dh_prev_before_tanh"),
    (bw_float32, "bw_float32"),
    (bw_two_mistakes, "bw_W_xh_not_transposed"),
]


def bw_parenthesis(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    return _grads((1 - h) ** 2 * dh, x, h_prev, W_xh, W_hh)


def bw_dW_xh_reshape(dh, cache):
    """dW_xh as x^T dhraw, (D, H), reshaped to W_xh's shape."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx, dh_prev, _, dW_hh, db_h = _grads(dhraw, x, h_prev, W_xh, W_hh)
    dW_xh = (np.atleast_2d(x).T @ np.atleast_2d(dhraw)).reshape(W_xh.shape)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def bw_dh_prev_through_tanh_again(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dx, dh_prev, dW_xh, dW_hh, db_h = rnn_step_backward(dh, cache)
    return dx, dh_prev * (1 - h_prev**2), dW_xh, dW_hh, db_h


def bw_batch_loop_assigns(dh, cache):
    """A loop over the batch that assigns db_h (and accumulates the rest)."""
    x, h_prev, W_xh, W_hh, h = cache
    xs, hs, hp, dhs = (np.atleast_2d(a) for a in (x, h, h_prev, dh))
    dx, dh_prev = np.zeros_like(xs), np.zeros_like(hp)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros(len(W_hh))
    for b in range(len(xs)):
        dhraw = (1 - hs[b] ** 2) * dhs[b]
        dx[b], dh_prev[b] = W_xh.T @ dhraw, W_hh.T @ dhraw
        dW_xh += np.outer(dhraw, xs[b])
        dW_hh += np.outer(dhraw, hp[b])
        db_h = dhraw
    return dx.reshape(np.shape(x)), dh_prev.reshape(np.shape(h_prev)), dW_xh, dW_hh, db_h


def bw_db_axis_one_2d(dh, cache):
    """Everything as a batch (a 1-D input as one row); db_h summed over axis 1."""
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = np.atleast_2d((1 - h**2) * dh)
    dx, dh_prev, dW_xh, dW_hh, _ = _grads(
        dhraw, np.atleast_2d(x), np.atleast_2d(h_prev), W_xh, W_hh
    )
    return dx.reshape(np.shape(x)), dh_prev.reshape(np.shape(h_prev)), dW_xh, dW_hh, dhraw.sum(1)


def bw_db_from_dh(dh, cache):
    """db_h from the incoming gradient, before the tanh derivative."""
    x, h_prev, W_xh, W_hh, h = cache
    dx, dh_prev, dW_xh, dW_hh, _ = rnn_step_backward(dh, cache)
    return dx, dh_prev, dW_xh, dW_hh, dh if dh.ndim == 1 else dh.sum(axis=0)


BACKWARD_BUGS += [
    (bw_db_from_dh, "bw_grads_before_tanh"),
    (bw_parenthesis, "bw_derivative_parenthesis"),
    (bw_dW_xh_reshape, "bw_dW_xh_reshaped"),
    (bw_dh_prev_through_tanh_again, "bw_dh_prev_extra_derivative"),
    (bw_batch_loop_assigns, "bw_assign_in_batch_loop"),
    (bw_db_axis_one_2d, "bw_db_wrong_axis"),
    (bw_sign_flipped, "bw_derivative_sign"),
    (bw_swapped_weights, "bw_weights_swapped"),
    (bw_db_wrong_axis, "bw_db_wrong_axis"),
    (bw_outer_everywhere, "bw_outer_on_batch"),
    (bw_rows_only, "bw_batch_only"),
]

# Backward bugs that need a forward of their own (its cache): ((forward, backward), id).
BACKWARD_PAIR_BUGS = [((forward_caching_a, bw_one_minus_a_squared), "bw_one_minus_a_squared")]
