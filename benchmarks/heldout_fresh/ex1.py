"""Exercise 1, rnn_step_forward(x, h_prev, W_xh, W_hh, b_h) -> (h, cache)."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(1, correct=True, cause="column vectors: inputs turned into (D, B) columns and back")
def columns(x, h_prev, W_xh, W_hh, b_h):
    single = np.ndim(x) == 1
    X = np.atleast_2d(x).T  # (D, B)
    Hp = np.atleast_2d(h_prev).T  # (H, B)
    A = W_xh @ X + W_hh @ Hp + b_h.reshape(-1, 1)
    Hn = np.tanh(A)
    h = Hn[:, 0] if single else Hn.T
    return h, (X, Hp, W_xh, W_hh, Hn)


@student(1, correct=True, cause="einsum over the trailing axis, dict cache")
def einsum_dict(x, h_prev, W_xh, W_hh, b_h):
    a = np.einsum("hd,...d->...h", W_xh, x) + np.einsum("hk,...k->...h", W_hh, h_prev) + b_h
    h = np.tanh(a)
    cache = {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "h": h}
    return h, cache


@student(1, correct=True, cause="a loop over the hidden units into a fresh array")
def loop_units(x, h_prev, W_xh, W_hh, b_h):
    H = W_hh.shape[0]
    h = np.zeros(np.shape(h_prev))
    for i in range(H):
        h[..., i] = np.tanh(x @ W_xh[i] + h_prev @ W_hh[i] + b_h[i])
    return h, (x, h_prev, W_xh, W_hh, h)


# ---------------------------------------------------------------- buggy


@student(
    1,
    correct=False,
    cause="W_xh.reshape(D, H) where W_xh.T was meant: the weights are scrambled, not transposed",
    names=(r"reshape", r"scrambl", r"reorder"),
)
def reshape_not_transpose(x, h_prev, W_xh, W_hh, b_h):
    H, D = W_xh.shape
    a = x @ W_xh.reshape(D, H) + h_prev @ W_hh.T + b_h
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="h_prev @ W_hh without .T: the recurrence uses W_hh^T h_prev instead of W_hh h_prev",
    names=(
        r"W_hh.{0,60}transpos",
        r"transpos.{0,60}W_hh",
        r"W_hh\s*(\^|\*\*)\s*(T|\{?\\top)",
        r"W_hh\.T",
    ),
    not_names=(r"W_xh.{0,40}transpos", r"transpos.{0,40}W_xh"),
)
def whh_not_transposed(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh + b_h
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="column vectors with b_h (H,) added as is: it broadcasts along the batch axis, not down "
    "the units (b_h should be a column (H, 1))",
    names=(
        r"(b_h|bias).{0,100}(broadcast|column|axis|\(H, ?1\))",
        r"broadcast.{0,100}(b_h|bias)",
    ),
)
def columns_bias_row(x, h_prev, W_xh, W_hh, b_h):
    single = np.ndim(x) == 1
    X = np.atleast_2d(x).T
    Hp = np.atleast_2d(h_prev).T
    A = W_xh @ X + W_hh @ Hp + b_h
    Hn = np.tanh(A)
    h = Hn[:, 0] if single else Hn.T
    return h, (X, Hp, W_xh, W_hh, Hn)


@student(
    1,
    correct=False,
    cause="b_h added after the tanh instead of inside it",
    names=(
        r"(b_h|bias).{0,60}(outside|after)\b.{0,20}tanh",
        r"tanh.{0,60}before.{0,40}(b_h|bias)",
        r"(b_h|bias).{0,40}not inside",
    ),
)
def bias_outside_tanh(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T) + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="np.tanh(a) called without keeping its result: returns the pre-activation a as h",
    names=(
        r"pre-?activation",
        r"(no|without|missing|forg[eo]t\w*|never|skipp\w*|not appl\w*)\W+(\w+\W+){0,4}tanh",
        r"tanh\W+(\w+\W+){0,4}(missing|not applied|forgotten|skipped)",
    ),
)
def tanh_result_dropped(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    np.tanh(a)
    return a, (x, h_prev, W_xh, W_hh, a)


@student(
    1,
    correct=False,
    cause="writes h into h_prev's array (h = h_prev; h[...] = ...): changes its argument h_prev",
    names=(
        r"(chang|modif|mutat|overwr|in[- ]place|wr[io]te)\w*.{0,80}(argument|h_prev|input)",
        r"h_prev.{0,80}(chang|modif|mutat|overwr|in[- ]place)",
    ),
)
def writes_into_h_prev(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = h_prev
    h[...] = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h.copy())


@student(
    1,
    correct=False,
    cause="a loop over units that updates h in place and reads it: units after the first see "
    "the new values of earlier units instead of h_prev",
    names=(
        r"(already|partly|partially|newly)[- ]updated",
        r"(uses|reads|with|sees) (the )?(new|current|updated) (state|h|values|units)",
        r"in[- ]place.{0,60}(loop|unit|update)",
        r"(loop|unit)\w*.{0,80}in[- ]place",
        r"gauss",
    ),
)
def loop_units_in_place(x, h_prev, W_xh, W_hh, b_h):
    H = W_hh.shape[0]
    h = np.array(h_prev, dtype=float)  # start from the previous state, update unit by unit
    for i in range(H):
        h[..., i] = np.tanh(x @ W_xh[i] + h @ W_hh[i] + b_h[i])
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="a loop over the batch that uses h_prev[0] for every example",
    names=(
        r"h_prev\[0\]",
        r"(first|one|same) (row|example)\w*.{0,80}(every|each|all)",
        r"(every|each|all) (row|example)\w*.{0,80}(first|same|one) (row|example|h_prev)",
    ),
)
def batch_loop_first_state(x, h_prev, W_xh, W_hh, b_h):
    if np.ndim(x) == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
        return h, (x, h_prev, W_xh, W_hh, h)
    h = np.zeros(h_prev.shape)
    for b in range(x.shape[0]):
        h[b] = np.tanh(W_xh @ x[b] + W_hh @ h_prev[0] + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="casts the inputs to float32 to save memory: the step is computed in float32",
    names=(r"float32", r"single precision"),
)
def float32_inputs(x, h_prev, W_xh, W_hh, b_h):
    x32, h32 = np.asarray(x, np.float32), np.asarray(h_prev, np.float32)
    W_xh32, W_hh32, b32 = (np.asarray(w, np.float32) for w in (W_xh, W_hh, b_h))
    h = np.tanh(x32 @ W_xh32.T + h32 @ W_hh32.T + b32)
    return h, (x32, h32, W_xh32, W_hh32, h)


@student(
    1,
    correct=False,
    cause="the batch computed as W @ x.T and returned as columns (H, B), not transposed back "
    "to rows (B, H)",
    names=(r"transpos", r"column", r"\(H, ?B\)", r"not (back )?(in|as) rows"),
    not_names=(r"W_hh.{0,40}transpos", r"transpos.{0,40}W_hh"),
)
def batch_left_as_columns(x, h_prev, W_xh, W_hh, b_h):
    a = (
        W_xh @ np.transpose(x)
        + W_hh @ np.transpose(h_prev)
        + (b_h if np.ndim(x) == 1 else b_h[:, None])
    )
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="W_hh * h_prev summed over axis 0 instead of axis 1 (a column sum, not W_hh h_prev)",
    names=(r"axis", r"sum\w* over (the )?(wrong|rows|columns|first)"),
)
def elementwise_wrong_axis(x, h_prev, W_xh, W_hh, b_h):
    if np.ndim(x) == 1:
        rec = (W_hh * h_prev).sum(axis=0)
        inp = (W_xh * x).sum(axis=1)
    else:
        rec = (W_hh[None, :, :] * h_prev[:, None, :]).sum(axis=1)
        inp = (W_xh[None, :, :] * x[:, None, :]).sum(axis=2)
    h = np.tanh(inp + rec + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="a = b_h then a += ...: for one example the sums go into b_h itself, changing the "
    "argument b_h",
    names=(
        r"(chang|modif|mutat|overwr|in[- ]place|wr[io]te)\w*.{0,80}(argument|b_h|bias|input)",
        r"(b_h|bias).{0,80}(chang|modif|mutat|overwr|in[- ]place)",
    ),
)
def bias_accumulated_in_place(x, h_prev, W_xh, W_hh, b_h):
    a = b_h if np.ndim(x) == 1 else np.tile(b_h, (len(x), 1))  # start from the bias
    a += x @ W_xh.T
    a += h_prev @ W_hh.T
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)
