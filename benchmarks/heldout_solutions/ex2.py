"""Exercise 2, rnn_step_backward(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h).

The check takes a (forward, backward) pair; every backward here is paired with a correct
forward of its own style, whose cache it reads.
"""

import numpy as np

from . import student

TANH_DERIVATIVE = [
    r"tanh'?s? derivative",
    r"derivative of (the )?tanh",
    r"tanh'",
    r"1 - h\s*(\*\*|\^)\s*2",
]
IN_PLACE = [
    r"(chang|modif|mutat|overwr|writ|alter)\w*.{0,50}(argument|input|\bdh\b|cache)",
    r"in[- ]place",
]


# ---------------------------------------------------------------- correct forward passes


def forward_tuple(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def forward_dict(x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "h": h}


def forward_preactivation(x, h_prev, W_xh, W_hh, b_h):
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return np.tanh(a), (x, h_prev, W_xh, W_hh, a)


# ---------------------------------------------------------------- correct implementations


@student(
    2,
    correct=True,
    cause="rows, the hint: np.outer for one example, dhraw.T @ x for a batch",
    forward=forward_tuple,
)
def rows_hint(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh = np.outer(dhraw, x)
        dW_hh = np.outer(dhraw, h_prev)
        db_h = dhraw
    else:
        dW_xh = dhraw.T @ x
        dW_hh = dhraw.T @ h_prev
        db_h = dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="atleast_2d: every input as a batch, dx and dh_prev reshaped back",
    forward=forward_dict,
)
def as_batch(dh, cache):
    x2 = np.atleast_2d(cache["x"])
    hp2 = np.atleast_2d(cache["h_prev"])
    h2 = np.atleast_2d(cache["h"])
    da = (1.0 - h2 * h2) * np.atleast_2d(dh)
    dx = (da @ cache["W_xh"]).reshape(np.shape(cache["x"]))
    dh_prev = (da @ cache["W_hh"]).reshape(np.shape(cache["h_prev"]))
    return dx, dh_prev, da.T @ x2, da.T @ hp2, np.sum(da, axis=0)


@student(
    2,
    correct=True,
    cause="einsum, derivative 1 - tanh(a)**2 from the cached pre-activation",
    forward=forward_preactivation,
)
def einsum_preactivation(dh, cache):
    x, h_prev, W_xh, W_hh, a = cache
    da = (1 - np.tanh(a) ** 2) * dh
    dx = np.einsum("...h,hd->...d", da, W_xh)
    dh_prev = np.einsum("...h,hk->...k", da, W_hh)
    dW_xh = np.einsum("bh,bd->hd", np.atleast_2d(da), np.atleast_2d(x))
    dW_hh = np.einsum("bh,bk->hk", np.atleast_2d(da), np.atleast_2d(h_prev))
    db_h = da.reshape(-1, W_hh.shape[0]).sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="a loop over the examples, accumulating outer products",
    forward=forward_tuple,
)
def loop_over_examples(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    single = dh.ndim == 1
    X, HP, Hs, DH = (np.atleast_2d(v) for v in (x, h_prev, h, dh))
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_h = np.zeros(W_hh.shape[0])
    dxs, dhps = [], []
    for b in range(DH.shape[0]):
        dhraw = (1 - Hs[b] * Hs[b]) * DH[b]
        dW_xh += np.outer(dhraw, X[b])
        dW_hh += np.outer(dhraw, HP[b])
        db_h += dhraw
        dxs.append(W_xh.T @ dhraw)
        dhps.append(W_hh.T @ dhraw)
    dx, dh_prev = np.array(dxs), np.array(dhps)
    if single:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="sech^2(a) = 1 / cosh(a)**2 from the pre-activation, columns",
    forward=forward_preactivation,
)
def sech_squared_columns(dh, cache):
    x, h_prev, W_xh, W_hh, a = cache
    da = dh / np.cosh(a) ** 2
    if da.ndim == 1:
        col = da[:, None]
        return W_xh.T @ da, W_hh.T @ da, col @ x[None, :], col @ h_prev[None, :], da
    dA = da.T  # (H, B), one example per column
    return (W_xh.T @ dA).T, (W_hh.T @ dA).T, dA @ x, dA @ h_prev, dA.sum(axis=1)


# ---------------------------------------------------------------- mistakes


@student(
    2,
    correct=False,
    cause="tanh derivative written 1 - h instead of 1 - h**2",
    names=[r"1 - h\b(?!\s*(\*|\^|²))"] + TANH_DERIVATIVE,
    forward=forward_tuple,
)
def one_minus_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="tanh derivative from h_prev: (1 - h_prev**2) instead of (1 - h**2)",
    names=[
        r"h_prev.{0,60}(derivative|tanh|1 - )",
        r"(derivative|tanh'?|1 - ).{0,60}\bh_prev\b",
        r"previous state.{0,50}(derivative|tanh)",
        r"(derivative|tanh).{0,50}previous state",
    ],
    forward=forward_dict,
)
def derivative_of_h_prev(dh, cache):
    x, h_prev = cache["x"], cache["h_prev"]
    dhraw = (1 - h_prev**2) * dh
    dx = dhraw @ cache["W_xh"]
    dh_prev = dhraw @ cache["W_hh"]
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="cache holds the pre-activation a, derivative written 1 - a**2 (tanh forgotten)",
    names=[r"pre-?activation", r"1 - a\b", r"tanh\(a\)"] + TANH_DERIVATIVE,
    forward=forward_preactivation,
)
def one_minus_a_squared(dh, cache):
    x, h_prev, W_xh, W_hh, a = cache
    da = (1 - a**2) * dh
    dx = da @ W_xh
    dh_prev = da @ W_hh
    if da.ndim == 1:
        return dx, dh_prev, np.outer(da, x), np.outer(da, h_prev), da
    return dx, dh_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dx with W_xh transposed: dhraw @ W_xh.T instead of dhraw @ W_xh",
    names=[
        r"\bdx\b.{0,80}(transpos|W_xh\b(?!\.T))",
        r"transpos\w*.{0,80}\bdx\b",
        r"@ W_xh\b(?!\.)",
    ],
    not_names=[r"dh_prev.{0,40}transpos"],
    forward=forward_tuple,
)
def dx_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx = dhraw @ W_xh.T
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dh_prev with W_hh transposed: dhraw @ W_hh.T instead of dhraw @ W_hh",
    names=[
        r"dh_prev.{0,80}(transpos|W_hh\b(?!\.T))",
        r"transpos\w*.{0,80}dh_prev",
        r"@ W_hh\b(?!\.)",
    ],
    not_names=[r"\bdx\b.{0,40}transpos"],
    forward=forward_tuple,
)
def dh_prev_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h * h) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh.T
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dW_xh transposed: x.T @ dhraw (D, H) instead of dhraw.T @ x (H, D)",
    names=[
        r"dW_xh.{0,80}transpos",
        r"transpos\w*.{0,80}dW_xh",
        r"x\.T @ d",
        r"np\.outer\(x,",
        r"dhraw\.T @ x",
    ],
    forward=forward_dict,
)
def dW_xh_transposed(dh, cache):
    x, h_prev, h = cache["x"], cache["h_prev"], cache["h"]
    dhraw = (1 - h**2) * dh
    dx = dhraw @ cache["W_xh"]
    dh_prev = dhraw @ cache["W_hh"]
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(x, dhraw), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, x.T @ dhraw, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="no tanh derivative: dh used as the gradient of the pre-activation",
    names=[
        r"(without|miss|forg|skip|omit|no|ignor|leav)\w*.{0,40}(tanh|1 - h|derivative)",
        r"through (the )?tanh",
    ]
    + TANH_DERIVATIVE,
    forward=forward_tuple,
)
def no_tanh_derivative(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dx = dh @ W_xh
    dh_prev = dh @ W_hh
    if dh.ndim == 1:
        return dx, dh_prev, np.outer(dh, x), np.outer(dh, h_prev), dh
    return dx, dh_prev, dh.T @ x, dh.T @ h_prev, dh.sum(axis=0)


@student(
    2,
    correct=False,
    cause="db_h of a batch summed over axis 1 (the units) instead of axis 0",
    names=[
        r"axis",
        r"(sum|add)\w*.{0,40}(over|across) (the )?(batch|examples|rows)",
        r"(units|hidden).{0,30}instead of.{0,30}(batch|examples)",
    ],
    forward=forward_tuple,
)
def db_h_wrong_axis(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=1)


@student(
    2,
    correct=False,
    cause="weight and bias gradients of a batch averaged (divided by B) instead of summed",
    names=[
        r"averag",
        r"\bmean\b",
        r"divid\w*.{0,30}\bB\b",
        r"/ ?B\b",
        r"1 ?/ ?B\b",
        r"(factor|times) (of )?(1 ?/ ?)?B\b",
    ],
    forward=forward_tuple,
)
def batch_averaged(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    B = dhraw.shape[0]
    return dx, dh_prev, dhraw.T @ x / B, dhraw.T @ h_prev / B, dhraw.mean(axis=0)


@student(
    2,
    correct=False,
    cause="dW_hh from the new state h instead of h_prev",
    names=[r"\bh_prev\b", r"previous (hidden )?state", r"h_\{?t ?- ?1\}?", r"h_\{?t-1"],
    forward=forward_tuple,
)
def dW_hh_uses_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="np.outer on a batch: it flattens the (B, H) and (B, D) rows, (B*H, B*D)",
    names=[r"np\.outer", r"outer", r"flatten"],
    forward=forward_tuple,
)
def outer_on_batch(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    dW_xh = np.outer(dhraw, x)
    dW_hh = np.outer(dhraw, h_prev)
    db_h = dhraw if dhraw.ndim == 1 else dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="batch-only code: for one example dhraw.T @ x is a dot product, not an outer product",
    names=[
        r"np\.outer",
        r"outer product",
        r"1-?D.{0,60}(scalar|dot product|outer|inner)",
        r"(scalar|dot product|inner product).{0,60}(1-?D|single|one example)",
    ],
    forward=forward_dict,
)
def batch_only(dh, cache):
    dhraw = (1 - cache["h"] ** 2) * dh
    dx = dhraw @ cache["W_xh"]
    dh_prev = dhraw @ cache["W_hh"]
    dW_xh = dhraw.T @ cache["x"]
    dW_hh = dhraw.T @ cache["h_prev"]
    db_h = dhraw.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dx and dh_prev swapped weights: dx = dhraw @ W_hh, dh_prev = dhraw @ W_xh",
    names=[
        r"(swap|mix|exchang|confus|interchang)\w*.{0,60}(W_xh|W_hh|\bdx\b|dh_prev|weights)",
        r"(\bdx\b|dh_prev|W_xh|W_hh).{0,60}(swap|mixed|exchang|confus|interchang)",
    ],
    forward=forward_tuple,
)
def swapped_weights(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_hh
    dh_prev = dhraw @ W_xh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="multiplies dh in place by the tanh derivative (changes its argument)",
    names=IN_PLACE,
    forward=forward_tuple,
)
def scales_dh_in_place(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dh *= 1 - h**2  # now dh is dL/da
    dx = dh @ W_xh
    dh_prev = dh @ W_hh
    if dh.ndim == 1:
        return dx, dh_prev, np.outer(dh, x), np.outer(dh, h_prev), dh.copy()
    return dx, dh_prev, dh.T @ x, dh.T @ h_prev, dh.sum(axis=0)


@student(
    2,
    correct=False,
    cause="gradients computed in float32",
    names=[r"float32", r"single[- ]precision", r"32[- ]bit"],
    forward=forward_tuple,
)
def float32_gradients(dh, cache):
    x, h_prev, W_xh, W_hh, h = (np.asarray(v, dtype=np.float32) for v in cache)
    dhraw = (1 - h**2) * dh.astype(np.float32)
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="sign of the tanh derivative flipped: (h**2 - 1) instead of (1 - h**2)",
    names=[r"\bsign", r"negat", r"h\s*(\*\*|\^)\s*2 - 1", r"opposite"],
    forward=forward_tuple,
)
def derivative_sign_flipped(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (h**2 - 1) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)
