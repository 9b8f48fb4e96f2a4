"""Exercise 1, rnn_step_forward(x, h_prev, W_xh, W_hh, b_h) -> (h, cache)."""

import math

import numpy as np

from . import student

IN_PLACE = [
    r"(chang|modif|mutat|overwr|writ|alter)\w*.{0,50}(argument|input|h_prev|parameter)",
    r"in[- ]place",
]
FLOAT32 = [r"float32", r"single[- ]precision", r"32[- ]bit"]


# ---------------------------------------------------------------- correct implementations


@student(1, correct=True, cause="rows, the hint's one line: x @ W_xh.T + h_prev @ W_hh.T + b_h")
def rows_one_line(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    cache = (x, h_prev, W_xh, W_hh, h)
    return h, cache


@student(1, correct=True, cause="column vectors as in the formula, a batch transposed to columns")
def column_vectors(x, h_prev, W_xh, W_hh, b_h):
    if x.ndim == 1:
        a = W_xh @ x + W_hh @ h_prev + b_h
        h = np.tanh(a)
    else:
        # one example per column: (H, D) @ (D, B) -> (H, B), then back to rows
        a = W_xh @ x.T + W_hh @ h_prev.T + b_h[:, None]
        h = np.tanh(a).T
    cache = {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "h": h}
    return h, cache


@student(1, correct=True, cause="einsum over the last axis, pre-activation kept in the cache")
def einsum_last_axis(x, h_prev, W_xh, W_hh, b_h):
    a = np.einsum("hd,...d->...h", W_xh, x) + np.einsum("hk,...k->...h", W_hh, h_prev) + b_h
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, a)


@student(1, correct=True, cause="Python loops over examples, units and inputs, math.tanh")
def python_loops(x, h_prev, W_xh, W_hh, b_h):
    H, D = W_xh.shape
    xs = [x] if x.ndim == 1 else list(x)
    hs = [h_prev] if x.ndim == 1 else list(h_prev)
    rows = []
    for xb, hb in zip(xs, hs, strict=True):
        row = []
        for i in range(H):
            s = b_h[i]
            for j in range(D):
                s += W_xh[i, j] * xb[j]
            for j in range(H):
                s += W_hh[i, j] * hb[j]
            row.append(math.tanh(s))
        rows.append(row)
    h = np.array(rows[0]) if x.ndim == 1 else np.array(rows)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(1, correct=True, cause="stacked weights [W_xh W_hh] times the concatenation [x, h_prev]")
def stacked_weights(x, h_prev, W_xh, W_hh, b_h):
    W = np.concatenate([W_xh, W_hh], axis=1)  # (H, D + H)
    xh = np.concatenate([x, h_prev], axis=-1)  # (D + H,) or (B, D + H)
    h = np.tanh(xh @ W.T + b_h)
    return h, {"xh": xh, "W": W, "h": h, "D": W_xh.shape[1]}


@student(1, correct=True, cause="np.dot on a reshaped 2-D batch, reshaped back to h_prev's shape")
def reshape_to_batch(x, h_prev, W_xh, W_hh, b_h):
    H, D = W_xh.shape
    X = np.reshape(x, (-1, D))
    Hp = np.reshape(h_prev, (-1, H))
    a = np.dot(X, W_xh.T) + np.dot(Hp, W_hh.T) + b_h
    h = np.tanh(a).reshape(np.shape(h_prev))
    return h, (X, Hp, W_xh, W_hh, h.reshape(-1, H))


# ---------------------------------------------------------------- mistakes


@student(
    1,
    correct=False,
    cause="the formula's column-vector form W_xh @ x: fails on a batch of rows (x is (B, D))",
    names=[
        r"x @ W_xh\.T",
        r"W_xh @ x\b",
        r"column[- ]vectors?",
        r"(examples|inputs) (as|in|are) rows",
        r"rows? of (x|the batch)",
    ],
)
def column_formula_on_batch(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="W_xh not transposed: x @ W_xh instead of x @ W_xh.T",
    names=[r"W_xh.{0,40}transpos", r"transpos\w*.{0,40}W_xh", r"W_xh(\.T|\^T|ᵀ)"],
    not_names=[r"W_hh.{0,20}transpos", r"transpos\w*.{0,20}W_hh"],
)
def forgot_transpose_W_xh(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="W_hh not transposed: h_prev @ W_hh instead of h_prev @ W_hh.T",
    names=[r"W_hh.{0,40}transpos", r"transpos\w*.{0,40}W_hh", r"W_hh(\.T|\^T|ᵀ)"],
    not_names=[r"W_xh.{0,20}transpos", r"transpos\w*.{0,20}W_xh"],
)
def forgot_transpose_W_hh(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh + b_h
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the bias b_h is left out",
    names=[r"b_h", r"bias"],
)
def no_bias(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the recurrent term W_hh h_prev is left out",
    names=[
        r"W_hh\s*h_prev",
        r"h_prev\s*@\s*W_hh",
        r"W_hh\s*@\s*h_prev",
        r"(ignor|miss|forg|without|lack|leav|omit|drop)\w*.{0,50}"
        r"(h_prev|previous (hidden )?state|W_hh|recurren)",
        r"recurren\w* (term|part|contribution|connection)",
    ],
)
def no_recurrence(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the logistic sigmoid instead of tanh",
    names=[r"sigmoid", r"logistic"],
)
def sigmoid_not_tanh(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = 1.0 / (1.0 + np.exp(-a))
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="no tanh: returns the pre-activation a as h",
    names=[
        r"(without|no|miss|forg|skip|omit|apply|applied)\w*.{0,30}(tanh|nonlinearit|non-linearit)",
        r"pre-?activation",
        r"before (the )?tanh",
    ],
)
def no_tanh(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return a, (x, h_prev, W_xh, W_hh, a)


@student(
    1,
    correct=False,
    cause="b_h added after the tanh instead of inside it",
    names=[
        r"(b_h|bias).{0,50}(outside|after)",
        r"(outside|after) (the )?tanh",
        r"inside (the )?tanh",
    ],
    not_names=[r"(miss|forg|without|omit|lack)\w*.{0,20}(the )?(bias|b_h)"],
)
def bias_outside_tanh(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T) + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="W_xh and W_hh swapped: x @ W_hh.T + h_prev @ W_xh.T",
    names=[
        r"(swap|mix|exchang|confus|interchang|revers)\w*.{0,50}(W_xh|W_hh|weights)",
        r"(W_xh|W_hh).{0,50}(swap|mixed|exchang|confus|interchang|the other way|wrong way)",
    ],
)
def swapped_weights(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_hh.T + h_prev @ W_xh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="writes the new state into h_prev (changes its argument)",
    names=IN_PLACE,
)
def overwrites_h_prev(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    h_prev[...] = h  # the state moves on
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="computes h in float32 (a preallocated float32 buffer)",
    names=FLOAT32,
)
def float32_buffer(x, h_prev, W_xh, W_hh, b_h):
    h = np.zeros(h_prev.shape, dtype=np.float32)
    h[...] = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the loop over the batch starts at 1 and skips the first example (row 0 stays zero)",
    names=[
        r"(first|0th) (row|example|input)",
        r"off[- ]by[- ]one",
        r"(skip|miss|omit)\w*.{0,30}(row|example)",
        r"range\(1,",
    ],
)
def batch_loop_from_one(x, h_prev, W_xh, W_hh, b_h):
    if x.ndim == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
        return h, (x, h_prev, W_xh, W_hh, h)
    h = np.zeros_like(h_prev)
    for b in range(1, x.shape[0]):
        h[b] = np.tanh(W_xh @ x[b] + W_hh @ h_prev[b] + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="column form for a batch adds b_h (H,) to an (H, B) array: broadcast along the batch",
    names=[
        r"b_h\[:, ?None\]",
        r"(b_h|bias).{0,50}(axis|broadcast|column|dimension)",
        r"broadcast\w*.{0,50}(b_h|bias)",
    ],
)
def bias_broadcast_columns(x, h_prev, W_xh, W_hh, b_h):
    if x.ndim == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
    else:
        h = np.tanh(W_xh @ x.T + W_hh @ h_prev.T + b_h).T
    return h, {"x": x, "h_prev": h_prev, "h": h}


@student(
    1,
    correct=False,
    cause="np.atleast_2d for one example, never undone: h is (1, H) for x of shape (D,)",
    names=[
        r"\(1, ?\w+\)",
        r"squeez",
        r"atleast_2d",
        r"extra (leading )?(axis|dimension)",
        r"1-?D.{0,60}(2-?D|two-dimensional|batch of one)",
    ],
)
def keeps_batch_axis(x, h_prev, W_xh, W_hh, b_h):
    x2 = np.atleast_2d(x)
    h2 = np.atleast_2d(h_prev)
    h = np.tanh(x2 @ W_xh.T + h2 @ W_hh.T + b_h)
    return h, (x2, h2, W_xh, W_hh, h)
