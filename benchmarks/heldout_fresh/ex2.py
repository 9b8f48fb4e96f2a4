"""Exercise 2, rnn_step_backward(dh, cache) -> (dx, dh_prev, dW_xh, dW_hh, db_h), checked as a
pair with the forward pass of the same style (its cache)."""

import numpy as np

from . import student

# ---------------------------------------------------------------- forward passes (correct)


def fwd_tuple(x, h_prev, W_xh, W_hh, b_h):
    """Rows, tuple cache with h."""
    h = np.tanh(x @ W_xh.T + h_prev @ W_hh.T + b_h)
    return h, (x, h_prev, W_xh, W_hh, h)


def fwd_dict_a(x, h_prev, W_xh, W_hh, b_h):
    """Rows, dict cache with the pre-activation a (and h)."""
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = np.tanh(a)
    return h, {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "a": a, "h": h}


def fwd_only_a(x, h_prev, W_xh, W_hh, b_h):
    """Rows, cache with the pre-activation a only (no h)."""
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    return np.tanh(a), (x, h_prev, W_xh, W_hh, a)


def fwd_2d(x, h_prev, W_xh, W_hh, b_h):
    """Always 2-D inside: the cache holds (B, .) arrays and whether the call was single."""
    single = np.ndim(x) == 1
    X, Hp = np.atleast_2d(x), np.atleast_2d(h_prev)
    Hn = np.tanh(X @ W_xh.T + Hp @ W_hh.T + b_h)
    return (Hn[0] if single else Hn), (X, Hp, W_xh, W_hh, Hn, single)


def fwd_tanh_out(x, h_prev, W_xh, W_hh, b_h):
    """Rows, tanh computed in place into the pre-activation buffer; caches a and h."""
    a = x @ W_xh.T + h_prev @ W_hh.T + b_h
    h = np.tanh(a, out=a)
    return h, {"x": x, "h_prev": h_prev, "W_xh": W_xh, "W_hh": W_hh, "a": a, "h": h}


# ---------------------------------------------------------------- correct


@student(2, correct=True, cause="2-D throughout (atleast_2d), squeezed back", forward=fwd_2d)
def back_2d(dh, cache):
    X, Hp, W_xh, W_hh, Hn, single = cache
    dA = (1 - Hn**2) * np.atleast_2d(dh)
    dx, dh_prev = dA @ W_xh, dA @ W_hh
    dW_xh, dW_hh, db_h = dA.T @ X, dA.T @ Hp, dA.sum(axis=0)
    if single:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=True,
    cause="dict cache, tanh' from the pre-activation (1 - tanh(a)^2), einsum",
    forward=fwd_dict_a,
)
def back_dict_einsum(dh, cache):
    da = (1 - np.tanh(cache["a"]) ** 2) * dh
    dx = np.einsum("...h,hd->...d", da, cache["W_xh"])
    dh_prev = np.einsum("...h,hk->...k", da, cache["W_hh"])
    H = da.shape[-1]
    rows = da.reshape(-1, H)  # (B, H), B = 1 for one example
    dW_xh = np.einsum("bh,bd->hd", rows, cache["x"].reshape(len(rows), -1))
    dW_hh = np.einsum("bh,bk->hk", rows, cache["h_prev"].reshape(len(rows), -1))
    db_h = da if da.ndim == 1 else da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h.copy()


@student(
    2,
    correct=True,
    cause="a loop over the batch accumulating outer products into fresh zeros",
    forward=fwd_tuple,
)
def back_batch_loop(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1.0 - h * h) * dh
    dx = dhraw @ W_xh
    dh_prev = dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw.copy()
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_h = np.zeros(W_hh.shape[0])
    for b in range(dhraw.shape[0]):
        dW_xh += np.outer(dhraw[b], x[b])
        dW_hh += np.outer(dhraw[b], h_prev[b])
        db_h += dhraw[b]
    return dx, dh_prev, dW_xh, dW_hh, db_h


# ---------------------------------------------------------------- buggy


@student(
    2,
    correct=False,
    cause="tanh' taken as 1 - a^2 from the cached pre-activation a instead of 1 - h^2",
    names=(r"pre-?activation", r"1 ?- ?a ?(\*\*|\^) ?2", r"1 ?- ?a²"),
    forward=fwd_only_a,
)
def deriv_from_preactivation(dh, cache):
    x, h_prev, W_xh, W_hh, a = cache
    da = (1 - a**2) * dh
    dx, dh_prev = da @ W_xh, da @ W_hh
    if da.ndim == 1:
        return dx, dh_prev, np.outer(da, x), np.outer(da, h_prev), da
    return dx, dh_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)


@student(
    2,
    correct=False,
    cause="(1 - h)**2 instead of 1 - h**2 for tanh' (misplaced parenthesis)",
    names=(
        r"\(1 ?- ?h\) ?(\*\*|\^) ?2",
        r"\(1 ?- ?h\)²",
        r"parenthes",
        r"square of 1 ?- ?h",
    ),
    forward=fwd_tuple,
)
def deriv_parenthesis(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h) ** 2 * dh
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dW_hh from the new state h instead of h_prev",
    names=(
        r"\bh\b.{0,30}(instead of|rather than|in place of) (the )?h_prev",
        r"(new|current|output) (state|h)\b.{0,60}(instead|rather|in place)",
        r"h_t\b.{0,30}(instead of|rather than) h_\{?t ?- ?1",
        r"instead of h_prev",
    ),
    forward=fwd_tuple,
)
def dwhh_from_h(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dW_xh computed as x^T dhraw (D, H) and reshaped to (H, D) instead of transposed",
    names=(r"reshape", r"scrambl", r"reorder"),
    forward=fwd_tuple,
)
def dwxh_reshaped(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    H, D = W_xh.shape
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    if dhraw.ndim == 1:
        dW_xh = np.outer(x, dhraw).reshape(H, D)
        return dx, dh_prev, dW_xh, np.outer(dhraw, h_prev), dhraw
    dW_xh = (x.T @ dhraw).reshape(H, D)
    return dx, dh_prev, dW_xh, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="the weight and bias gradients averaged over the batch (divided by B) instead of summed",
    names=(r"mean", r"averag", r"divid\w* by (the batch|B\b|the number)", r"1 ?/ ?B\b", r"/ ?B\b"),
    forward=fwd_2d,
)
def batch_mean(dh, cache):
    X, Hp, W_xh, W_hh, Hn, single = cache
    dA = (1 - Hn**2) * np.atleast_2d(dh)
    B = dA.shape[0]
    dx, dh_prev = dA @ W_xh, dA @ W_hh
    dW_xh, dW_hh, db_h = dA.T @ X / B, dA.T @ Hp / B, dA.mean(axis=0)
    if single:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="db_h summed over axis 1 (the units) instead of axis 0 (the batch)",
    names=(r"axis", r"sum\w* over (the )?(units|hidden|wrong)"),
    forward=fwd_2d,
)
def dbh_wrong_axis(dh, cache):
    X, Hp, W_xh, W_hh, Hn, single = cache
    dA = (1 - Hn**2) * np.atleast_2d(dh)
    dx, dh_prev = dA @ W_xh, dA @ W_hh
    dW_xh, dW_hh, db_h = dA.T @ X, dA.T @ Hp, dA.sum(axis=1)
    if single:
        dx, dh_prev = dx[0], dh_prev[0]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dh_prev = dhraw @ W_hh.T: multiplied by W_hh instead of W_hh^T",
    names=(r"W_hh.{0,60}transpos", r"transpos.{0,60}W_hh", r"W_hh\.T", r"W_hh\^?T\b"),
    not_names=(r"W_xh.{0,40}transpos", r"transpos.{0,40}W_xh"),
    forward=fwd_tuple,
)
def dhprev_transposed(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh.T
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="the forward pass's np.tanh(a, out=a) overwrote the cached pre-activation with h, so "
    "1 - tanh(a)^2 applies tanh twice",
    names=(
        r"overwr",
        r"out=",
        r"alias",
        r"same array",
        r"tanh.{0,20}twice",
        r"tanh\(tanh",
        r"tanh\(h\)",
    ),
    forward=fwd_tanh_out,
)
def tanh_out_aliases_cache(dh, cache):
    da = (1 - np.tanh(cache["a"]) ** 2) * dh
    dx, dh_prev = da @ cache["W_xh"], da @ cache["W_hh"]
    x, h_prev = cache["x"], cache["h_prev"]
    if da.ndim == 1:
        return dx, dh_prev, np.outer(da, x), np.outer(da, h_prev), da
    return dx, dh_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)


@student(
    2,
    correct=False,
    cause="dh *= 1 - h**2 in place: changes the caller's dh",
    names=(
        r"(chang|modif|mutat|overwr|in[- ]place)\w*.{0,80}(\bdh\b|argument|input)",
        r"\bdh\b.{0,80}(chang|modif|mutat|overwr|in[- ]place)",
    ),
    forward=fwd_tuple,
)
def dh_in_place(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dh *= 1 - h**2
    dx, dh_prev = dh @ W_xh, dh @ W_hh
    if dh.ndim == 1:
        return dx, dh_prev, np.outer(dh, x), np.outer(dh, h_prev), dh.copy()
    return dx, dh_prev, dh.T @ x, dh.T @ h_prev, dh.sum(axis=0)


@student(
    2,
    correct=False,
    cause="in the loop over the batch db_h = dhraw[b] (assignment, not +=): only the last "
    "example's bias gradient is kept",
    names=(
        r"last (example|row)",
        r"only (one|the last|a single) (example|row)",
        r"(assign|=)\w*.{0,30}instead of \+=",
        r"not (summed|accumulated)",
    ),
    forward=fwd_tuple,
)
def dbh_assigned_in_loop(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1.0 - h * h) * dh
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw.copy()
    dW_xh = np.zeros_like(W_xh)
    dW_hh = np.zeros_like(W_hh)
    db_h = np.zeros(W_hh.shape[0])
    for b in range(dhraw.shape[0]):
        dW_xh += np.outer(dhraw[b], x[b])
        dW_hh += np.outer(dhraw[b], h_prev[b])
        db_h = dhraw[b]
    return dx, dh_prev, dW_xh, dW_hh, db_h


@student(
    2,
    correct=False,
    cause="dh_prev also multiplied by 1 - h_prev^2, the previous step's tanh' (which belongs to "
    "that step's own backward pass)",
    names=(
        r"1 ?- ?h_prev ?(\*\*|\^)? ?2",
        r"h_prev ?(\*\*|\^) ?2",
        r"previous (step'?s? )?(tanh|derivative)",
        r"tanh'?.{0,40}(twice|previous step)",
    ),
    forward=fwd_tuple,
)
def dhprev_extra_derivative(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx = dhraw @ W_xh
    dh_prev = (dhraw @ W_hh) * (1 - h_prev**2)
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(dhraw, x), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="np.outer(x, dhraw) for one example: the arguments swapped, dW_xh comes out as its "
    "transpose (D, H)",
    names=(r"outer", r"swap", r"transpos"),
    not_names=(r"W_hh.{0,40}transpos", r"transpos.{0,40}W_hh"),
    forward=fwd_tuple,
)
def outer_swapped(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    dhraw = (1 - h**2) * dh
    dx, dh_prev = dhraw @ W_xh, dhraw @ W_hh
    if dhraw.ndim == 1:
        return dx, dh_prev, np.outer(x, dhraw), np.outer(dhraw, h_prev), dhraw
    return dx, dh_prev, dhraw.T @ x, dhraw.T @ h_prev, dhraw.sum(axis=0)


@student(
    2,
    correct=False,
    cause="the tanh derivative left out: da = dh",
    names=(
        r"(no|without|missing|forg[eo]t\w*|skipp\w*|omit\w*|leav\w* out|left out)\W+(\w+\W+){0,4}"
        r"(tanh|1 ?- ?h)",
        r"(tanh|1 ?- ?h ?(\*\*|\^) ?2)\W+(\w+\W+){0,4}"
        r"(missing|left out|omitted|skipped|not applied)",
    ),
    forward=fwd_tuple,
)
def no_tanh_derivative(dh, cache):
    x, h_prev, W_xh, W_hh, h = cache
    da = dh
    dx, dh_prev = da @ W_xh, da @ W_hh
    if da.ndim == 1:
        return dx, dh_prev, np.outer(da, x), np.outer(da, h_prev), da.copy()
    return dx, dh_prev, da.T @ x, da.T @ h_prev, da.sum(axis=0)
