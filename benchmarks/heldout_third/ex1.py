"""Exercise 1 (rnn_step_forward), third held-out set: three correct cells, ten single slips."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(1, correct=True, cause="column vectors: atleast_2d, W @ X.T, transposed back")
def columns_atleast_2d(x, h_prev, W_xh, W_hh, b_h):
    X = np.atleast_2d(x)  # (B, D), B = 1 for a single example
    Hp = np.atleast_2d(h_prev)
    A = W_xh @ X.T + W_hh @ Hp.T + b_h[:, None]  # (H, B): one column per example
    h = np.tanh(A).T.reshape(np.shape(h_prev))
    cache = (X, Hp, W_xh, W_hh, h.reshape(Hp.shape), np.ndim(x))
    return h, cache


@student(1, correct=True, cause="einsum over a leading ellipsis, dict cache")
def einsum_dict(x, h_prev, W_xh, W_hh, b_h):
    a = np.einsum("hd,...d->...h", W_xh, x) + np.einsum("hk,...k->...h", W_hh, h_prev) + b_h
    h = np.tanh(a)
    return h, {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "h": h}


@student(1, correct=True, cause="a Python loop over the rows of a batch, np.dot per example")
def loop_rows(x, h_prev, W_xh, W_hh, b_h):
    if x.ndim == 1:
        h = np.tanh(np.dot(W_xh, x) + np.dot(W_hh, h_prev) + b_h)
    else:
        h = np.zeros_like(h_prev, dtype=float)
        for i in range(x.shape[0]):
            h[i] = np.tanh(np.dot(W_xh, x[i]) + np.dot(W_hh, h_prev[i]) + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


# ---------------------------------------------------------------- common slips


@student(
    1,
    correct=False,
    cause="W_hh not transposed in the row form: h_prev @ W_hh instead of h_prev @ W_hh.T",
    names=(
        r"h_prev\s*@\s*W_hh\b(?!\s*\.T)",
        r"W_hh.{0,40}transpos",
        r"transpos.{0,40}W_hh",
        r"W_hh\s*\.T",
        r"W_hh\^T",
    ),
    not_names=(r"W_xh.{0,30}transpos", r"transpos.{0,30}W_xh"),
)
def hh_untransposed(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh + b_h
    h = np.tanh(a)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the bias b_h is left out of the pre-activation",
    names=(
        r"\bb_h\b.{0,40}(missing|left out|omitted|forgot|not added|absent|leaves out|dropped)",
        r"(missing|without|left out|omit\w*|forg\w+|no|lacks?|drop\w*)\s.{0,30}\bbias",
        r"(missing|without|left out|omit\w*|forg\w+|no|lacks?|drop\w*)\s.{0,30}\bb_h\b",
        r"\bbias.{0,40}(missing|left out|omitted|forgot|not added|absent|dropped)",
    ),
)
def no_bias(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="no tanh: returns the pre-activation W_xh x + W_hh h_prev + b_h itself",
    names=(
        r"(missing|without|no|forg\w+|left out|omit\w*|skip\w*|lacks?)\s.{0,20}\btanh",
        r"\btanh.{0,40}(missing|left out|omitted|forgot|not applied|never applied|skipped)",
        r"pre-?activation.{0,40}(itself|instead|returned|not squashed)",
        r"(returns?|returned).{0,30}pre-?activation",
        r"\blinear\b.{0,30}(cell|instead|activation)",
    ),
)
def no_tanh(x, h_prev, W_xh, W_hh, b_h):
    h = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the recurrent term W_hh h_prev is left out: the cell ignores the previous state",
    names=(
        r"W_hh\s*h_prev.{0,40}(missing|left out|omitted|forgot|dropped|absent|not added)",
        r"(missing|without|no|forg\w+|left out|omit\w*|drop\w*|ignor\w*|lacks?)\s.{0,40}"
        r"(W_hh|h_prev|recurren|previous state)",
        r"(h_prev|previous state|W_hh|recurren\w*).{0,40}(ignored|no effect|not used|unused|"
        r"missing|left out|dropped|has no influence|makes no difference)",
    ),
    not_names=(r"transpos",),
)
def no_recurrence(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="h_prev is changed in place: the new state is written back into the argument "
    "(h_prev[:] = h)",
    names=(
        r"(chang|modif|overwr|mutat|alter|writ)\w*.{0,40}(h_prev|argument|input)",
        r"h_prev.{0,40}(in place|in-place|changed|modified|overwritten|mutated)",
        r"in[- ]place.{0,40}(h_prev|argument)",
        r"must not change",
    ),
)
def writes_back_state(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    cache = (x, h_prev.copy(), W_xh, W_hh, h)
    h_prev[:] = h  # carry the state on
    return h, cache


# ---------------------------------------------------------------- less common slips


@student(
    1,
    correct=False,
    cause="a sigmoid instead of tanh as the nonlinearity",
    names=(
        r"sigmoid",
        r"logistic",
        r"1\s*/\s*\(1\s*\+\s*(np\.)?exp",
        r"\(1\s*\+\s*tanh.{0,10}/\s*2",
    ),
)
def sigmoid_cell(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = 1.0 / (1.0 + np.exp(-a))
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="misplaced parenthesis: tanh covers only W_xh x; W_hh h_prev and b_h are added after it",
    names=(
        r"tanh\s*\(\s*(W_xh\s*x|x\s*@\s*W_xh\.T)\s*\)\s*\+",
        r"tanh.{0,40}only.{0,40}(W_xh|input)",
        r"only.{0,30}(W_xh\s*x|input term|x\s*@\s*W_xh).{0,40}(inside|through|in)\s.{0,10}tanh",
        r"parenthes",
        r"(W_hh\s*h_prev|h_prev\s*@\s*W_hh\.T|recurren\w*|previous state)"
        r".{0,60}(outside|after|beyond).{0,20}tanh",
    ),
    not_names=(
        r"(missing|without|no)\s.{0,10}\btanh",
        r"(W_xh\s*x|input term)\s+(is\s+)?(added\s+)?(outside|after)\s+(the\s+)?tanh",
    ),
)
def tanh_input_only(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T) + h_prev @ W_hh.T + b_h
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="computed in float32 (the weights cast to float32 to save memory)",
    names=(r"float32", r"single precision", r"32-bit", r"dtype"),
)
def float32_weights(x, h_prev, W_xh, W_hh, b_h):
    W_xh, W_hh, b_h = (w.astype(np.float32) for w in (W_xh, W_hh, b_h))
    x = x.astype(np.float32)
    h_prev = h_prev.astype(np.float32)
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="the batch is computed in columns, W_xh @ x.T, and h is returned (H, B), not transposed "
    "back to rows",
    names=(
        r"\(H,\s*B\)",
        r"transposed back",
        r"(columns?|column vectors?).{0,60}(rows?|transpos)",
        r"(rows?).{0,60}(columns?)",
        r"h\.T\b",
        r"(output|\bh\b|result).{0,30}transposed",
    ),
)
def batch_as_columns(x, h_prev, W_xh, W_hh, b_h):
    if x.ndim == 1:
        h = np.tanh(W_xh @ x + W_hh @ h_prev + b_h)
    else:
        h = np.tanh(W_xh @ x.T + W_hh @ h_prev.T + b_h[:, None])
    return h, (x, h_prev, W_xh, W_hh, h)


@student(
    1,
    correct=False,
    cause="ReLU (np.maximum(0, a)) instead of tanh as the nonlinearity",
    names=(r"relu", r"rectif", r"maximum\s*\(\s*0", r"max\s*\(\s*0", r"clip.{0,20}at 0"),
)
def relu_cell(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = np.maximum(0, a)
    return h, (x, h_prev, W_xh, W_hh, h)
