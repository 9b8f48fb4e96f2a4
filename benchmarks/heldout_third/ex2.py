"""Exercise 2 (rnn_step_backward), third held-out set: three correct (forward, backward) pairs and
ten backward slips, each paired with a correct forward pass of its own style (its cache)."""

import numpy as np

from . import student

# ---------------------------------------------------------------- forward passes (correct)


def fwd_rows(x, h_prev, W_xh, W_hh, b_h):
    """Rows, the notebook's hint: the cache keeps h."""
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fwd_dict_preact(x, h_prev, W_xh, W_hh, b_h):
    """A dict cache that keeps the pre-activation a (and not h)."""
    a = np.einsum("hd,...d->...h", W_xh, x) + np.einsum("hk,...k->...h", W_hh, h_prev) + b_h
    return np.tanh(a), {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "a": a}


def fwd_columns(x, h_prev, W_xh, W_hh, b_h):
    """Column vectors, as min-char-rnn: each example a column (D, 1)."""
    X = np.atleast_2d(x).T  # (D, B)
    Hp = np.atleast_2d(h_prev).T  # (H, B)
    Hn = np.tanh(W_xh @ X + W_hh @ Hp + b_h.reshape(-1, 1))
    h = Hn.T.reshape(np.shape(h_prev))
    return h, {"X": X, "Hp": Hp, "Hn": Hn, "W_xh": W_xh, "W_hh": W_hh, "single": np.ndim(x) == 1}


# ---------------------------------------------------------------- correct


@student(
    2, correct=True, cause="rows via atleast_2d, squeezed back for one example", forward=fwd_rows
)
def bwd_rows_atleast(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    single = h.ndim == 1
    X, Hp, Hh, dH = (np.atleast_2d(a) for a in (x, h_prev, h, dh))
    da = (1.0 - Hh**2) * dH
    dx = da @ W_xh
    dh_prev = da @ W_hh
    dW_xh = da.T @ X
    dW_hh = da.T @ Hp
    db_h = da.sum(axis=0)
    if single:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="dict cache with the pre-activation, 1 - tanh(a)**2, einsum",
    forward=fwd_dict_preact,
)
def bwd_einsum_preact(dh, cache):
    a = cache["a"]
    da = dh * (1 - np.tanh(a) ** 2)
    dx = np.einsum("...h,hd->...d", da, cache["W_xh"])
    dh_prev = np.einsum("...h,hk->...k", da, cache["W_hh"])
    A = da.reshape(-1, da.shape[-1])  # (B, H), B = 1 for one example
    dW_xh = np.einsum("bh,bd->hd", A, cache["x"].reshape(len(A), -1))
    dW_hh = np.einsum("bh,bk->hk", A, cache["h_prev"].reshape(len(A), -1))
    db_h = np.einsum("bh->h", A)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="column vectors, a loop over the examples adding up the weights",
    forward=fwd_columns,
)
def bwd_columns_loop(dh, cache):
    X, Hp, Hn = cache["X"], cache["Hp"], cache["Hn"]
    W_xh, W_hh = cache["W_xh"], cache["W_hh"]
    dH = np.atleast_2d(dh).T  # (H, B)
    dW_xh = np.zeros_like(W_xh, dtype=float)
    dW_hh = np.zeros_like(W_hh, dtype=float)
    db_h = np.zeros(W_hh.shape[0])
    dX = np.zeros_like(X, dtype=float)
    dHp = np.zeros_like(Hp, dtype=float)
    for b in range(X.shape[1]):
        draw = (1 - Hn[:, b] * Hn[:, b]) * dH[:, b]
        dW_xh += np.outer(draw, X[:, b])
        dW_hh += np.outer(draw, Hp[:, b])
        db_h += draw
        dX[:, b] = W_xh.T @ draw
        dHp[:, b] = W_hh.T @ draw
    if cache["single"]:
        return dX[:, 0], dHp[:, 0], dW_xh, dW_hh, db_h
    return dX.T, dHp.T, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------- common slips

TANH_NOT_SQUARED = (
    r"1\s*-\s*h\b(?!\s*(\*\*|\*|\^|²))",
    r"\(1\s*-\s*h\)\s*\*\s*dh",
    r"(not|never|forgot\w*|without|missing)\s.{0,30}squar",
    r"squar\w*.{0,30}(missing|left out|forgot|omitted|dropped)",
    r"tanh.{0,30}derivative.{0,40}1\s*-\s*h\b(?!\s*(\*\*|\*|\^|²))",
)


@student(
    2,
    correct=False,
    cause="tanh derivative taken as 1 - h instead of 1 - h**2",
    names=TANH_NOT_SQUARED,
    forward=fwd_rows,
)
def bwd_one_minus_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="tanh derivative evaluated at h_prev: 1 - h_prev**2 instead of 1 - h**2",
    names=(
        r"1\s*-\s*h_prev\s*(\*\*\s*2|\*\s*h_prev|\^2|²)",
        r"h_prev.{0,40}(instead of|in place of|rather than)\s.{0,10}\bh\b",
        r"derivative.{0,50}(at|of|from|on|with)\s.{0,15}(h_prev|previous state|h_\{?t-1)",
        r"(previous state|h_prev|h_\{?t-1).{0,40}(in|for)\s.{0,15}(derivative|tanh')",
    ),
    forward=fwd_rows,
)
def bwd_derivative_at_h_prev(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = dh * (1 - h_prev**2)
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw.copy()
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dh_prev multiplies by W_hh transposed: dhraw @ W_hh.T (W_hh dhraw) instead of "
    "W_hh^T dhraw",
    names=(
        r"dh_prev.{0,60}transpos",
        r"transpos.{0,60}(dh_prev|W_hh)",
        r"W_hh.{0,40}transpos",
        r"dhraw\s*@\s*W_hh\.T",
        r"W_hh\s*(@\s*)?(dhraw|da)\b.{0,40}(instead|rather)",
    ),
    not_names=(r"dW_hh.{0,30}transpos", r"W_xh.{0,30}transpos"),
    forward=fwd_rows,
)
def bwd_dh_prev_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh.T
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h_prev, np.sum(dhraw, axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


MEAN_NOT_SUM = (
    r"mean",
    r"averag",
    r"divided by (the batch size|B\b)",
    r"/\s*B\b",
    r"(instead of|rather than|not)\s.{0,10}sum",
)


@student(
    2,
    correct=False,
    cause="db_h averaged over the batch (mean) instead of summed",
    names=MEAN_NOT_SUM,
    forward=fwd_rows,
)
def bwd_db_mean(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    dW_xh = dhraw.T @ x
    dW_hh = dhraw.T @ h_prev
    db_h = dhraw.mean(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dW_xh transposed: x.T @ dhraw (np.outer(x, dhraw)), shape (D, H) instead of (H, D)",
    names=(
        r"dW_xh.{0,60}transpos",
        r"transpos.{0,60}dW_xh",
        r"x\.T\s*@\s*(dhraw|da)",
        r"outer\s*\(\s*x\s*,",
        r"dW_xh.{0,60}\(D,\s*H\)",
    ),
    not_names=(r"dW_hh.{0,20}transpos",),
    forward=fwd_rows,
)
def bwd_dWxh_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh = np.outer(x, dhraw)
        dW_hh = np.outer(dhraw, h_prev)
        db_h = dhraw
    else:
        dW_xh = x.T @ dhraw
        dW_hh = dhraw.T @ h_prev
        db_h = dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------- less common slips


@student(
    2,
    correct=False,
    cause="no backprop through tanh: dh used as the pre-activation gradient (dhraw = dh)",
    names=(
        r"(missing|without|no|forgot\w*|skip\w*|omit\w*|left out|lacks?)\s.{0,30}"
        r"(tanh|1\s*-\s*h|derivative)",
        r"(tanh|derivative|1\s*-\s*h\s*\*\*\s*2).{0,40}(missing|left out|omitted|forgotten|"
        r"not applied|skipped|dropped)",
        r"dhraw\s*=\s*dh\b",
        r"\bdh\b.{0,30}(instead of|in place of|rather than).{0,20}(dhraw|da\b|d[a]\b)",
    ),
    forward=fwd_rows,
)
def bwd_no_tanh_derivative(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    da = dh
    dx = da @ W_xh
    dh_prev = da @ W_hh
    if da.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(da, x), np.outer(da, h_prev), da.copy()
    else:
        dW_xh, dW_hh, db_h = da.T @ x, da.T @ h_prev, da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dW_hh uses the new state h instead of h_prev: dhraw h^T",
    names=(
        r"dW_hh.{0,80}\bh\b.{0,30}(instead of|in place of|rather than|not)\s.{0,10}h_prev",
        r"dW_hh.{0,60}(new|current|next|output) state",
        r"(outer\s*\(\s*(dhraw|da)\s*,\s*h\s*\)|(dhraw|da)\.T\s*@\s*h\b(?!_))",
        r"\bh\b.{0,20}(instead of|in place of|rather than)\s.{0,10}h_prev",
        r"h_t\b.{0,30}(instead of|in place of|rather than).{0,10}h_\{?t-1",
    ),
    forward=fwd_rows,
)
def bwd_dWhh_with_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h), dhraw
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h, dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dh_prev skips the tanh derivative: dh @ W_hh instead of dhraw @ W_hh (only dh_prev; "
    "the weight gradients use dhraw)",
    names=(
        r"dh_prev.{0,80}(without|skip\w*|miss\w*|no|forg\w+|bypass\w*)\s.{0,30}"
        r"(tanh|derivative|1\s*-\s*h)",
        r"dh\s*@\s*W_hh\b",
        r"W_hh\^?T?\s*dh\b",
        r"dh_prev.{0,60}\bdh\b.{0,30}(instead of|in place of|rather than|not)\s.{0,10}"
        r"(dhraw|da\b|dL/da)",
    ),
    forward=fwd_rows,
)
def bwd_dh_prev_from_dh(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dh @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="tanh derivative computed as 1 - tanh(h)**2: tanh applied again to the cached h, "
    "which is already tanh(a)",
    names=(
        r"tanh\s*\(\s*h\s*\)",
        r"tanh.{0,30}(twice|again|applied to h|of h\b)",
        r"(h|cache).{0,40}already.{0,20}tanh",
        r"(treat\w*|as if).{0,40}h\b.{0,40}pre-?activation",
    ),
    forward=fwd_rows,
)
def bwd_tanh_of_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - np.tanh(h) ** 2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh, db_h = np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    else:
        dW_xh, dW_hh, db_h = dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="db_h summed over every axis (np.sum(dhraw)), a scalar instead of a sum over the batch "
    "axis only",
    names=(
        r"db_h.{0,80}(scalar|a number|all axes|every axis|all entries|all elements|whole array|"
        r"axis\s*=\s*0|shape \(\))",
        r"(scalar|all axes|every axis|all entries|all elements).{0,60}db_h",
        r"np\.sum\s*\(\s*(dhraw|da)\s*\)",
        r"(dhraw|da)\.sum\s*\(\s*\)",
        r"sum.{0,30}(without|no)\s.{0,10}axis",
    ),
    not_names=(r"mean", r"averag"),
    forward=fwd_rows,
)
def bwd_db_scalar(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh, dW_hh = np.outer(dhraw, x), np.outer(dhraw, h_prev)
    else:
        dW_xh, dW_hh = dhraw.T @ x, dhraw.T @ h_prev
    db_h = np.sum(dhraw)
    return dx, dh_prev, dW_xh, dW_hh, db_h
