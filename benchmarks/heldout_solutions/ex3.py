"""Exercise 3, loss_and_grads(params, inputs, targets, h_prev) -> (loss, grads, h_last)."""

import numpy as np

from . import student

KEYS = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")
RECURRENT = [
    r"dh_?next",
    r"(from|through|of) (the )?(step )?t ?\+ ?1",
    r"(from|through|of) the (next|later|following) step",
    r"recurren\w*",
    r"(two|second|both) parts?",
    r"W_hh(\^?T|ᵀ|\.T)?\s*(@\s*)?(∂L/∂a|dL/da|da|dhraw)",
]


# ---------------------------------------------------------------- correct implementations


@student(3, correct=True, cause="min-char-rnn: dicts, one-hot column vectors, hs[-1] = h_prev")
def min_char_columns(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    H, V = W_xh.shape
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + bh)
        ys[t] = W_hy @ hs[t] + by
        e = np.exp(ys[t] - np.max(ys[t]))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros((H, 1))
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += dy @ hs[t].T
        dby += dy
        dh = W_hy.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dW_xh += dhraw @ xs[t].T
        dW_hh += dhraw @ hs[t - 1].T
        dhnext = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return loss, grads, hs[len(inputs) - 1].ravel()


@student(3, correct=True, cause="Python lists, 1-D states, column lookup W_xh[:, ix], hs[t + 1]")
def lists_and_lookup(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]  # hs[t + 1] is h after input t
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(3, correct=True, cause="vectorised outputs, log-sum-exp loss, np.add.at for dW_xh")
def vectorised_add_at(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = np.zeros((T + 1, H))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h)
    Y = hs[1:] @ W_hy.T + b_y  # (T, V)
    m = Y.max(axis=1, keepdims=True)
    logZ = m[:, 0] + np.log(np.exp(Y - m).sum(axis=1))
    rows = np.arange(T)
    loss = np.sum(logZ - Y[rows, targets])
    dY = np.exp(Y - logZ[:, None])
    dY[rows, targets] -= 1
    dH = dY @ W_hy  # from the outputs, (T, H)
    dA = np.zeros((T, H))
    carry = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - hs[t + 1] ** 2) * (dH[t] + carry)
        carry = dA[t] @ W_hh
    dW_xhT = np.zeros((W_xh.shape[1], H))
    np.add.at(dW_xhT, inputs, dA)
    grads = {
        "W_xh": dW_xhT.T,
        "W_hh": dA.T @ hs[:-1],
        "W_hy": dY.T @ hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return float(loss), grads, hs[T].copy()


@student(3, correct=True, cause="one-hot matrix from np.eye, einsum for every weight gradient")
def one_hot_einsum(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    V = W_xh.shape[1]
    X = np.eye(V)[inputs]  # (T, V) one-hot rows
    Tg = np.eye(V)[targets]
    T = len(inputs)
    h = h_prev
    hs, ps = [], []
    loss = 0.0
    for t in range(T):
        h = np.tanh(np.einsum("hv,v->h", W_xh, X[t]) + np.einsum("hk,k->h", W_hh, h) + b_h)
        z = np.einsum("vh,h->v", W_hy, h) + b_y
        z = z - z.max()
        logp = z - np.log(np.exp(z).sum())
        loss += -np.einsum("v,v->", Tg[t], logp)
        hs.append(h)
        ps.append(np.exp(logp))
    HS = np.array(hs)
    HP = np.vstack([h_prev[None, :], HS[:-1]])  # h_{t-1}
    dY = np.array(ps) - Tg
    dA = np.zeros_like(HS)
    nxt = np.zeros_like(h_prev)
    for t in range(T - 1, -1, -1):
        dA[t] = (1 - HS[t] ** 2) * (np.einsum("vh,v->h", W_hy, dY[t]) + nxt)
        nxt = np.einsum("hk,h->k", W_hh, dA[t])
    grads = {
        "W_xh": np.einsum("th,tv->hv", dA, X),
        "W_hh": np.einsum("th,tk->hk", dA, HP),
        "W_hy": np.einsum("tv,th->vh", dY, HS),
        "b_h": np.einsum("th->h", dA),
        "b_y": np.einsum("tv->v", dY),
    }
    return float(loss), grads, HS[-1]


@student(3, correct=True, cause="states in a (T + 1, H) array, dW_xh column by column with masks")
def masks_per_character(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    T = inputs.shape[0]
    hs = np.empty((T + 1, h_prev.shape[0]))
    hs[0] = h_prev
    ps = np.empty((T, W_hy.shape[0]))
    loss = 0.0
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh.dot(hs[t]) + b_h)
        y = W_hy.dot(hs[t + 1]) + b_y
        e = np.exp(y - np.amax(y))
        ps[t] = e / e.sum()
        loss += -np.log(ps[t, targets[t]])
    dy = ps.copy()
    dy[np.arange(T), targets] -= 1
    da = np.zeros((T, hs.shape[1]))
    back = np.zeros(hs.shape[1])
    for t in range(T - 1, -1, -1):
        da[t] = (W_hy.T.dot(dy[t]) + back) * (1 - hs[t + 1] * hs[t + 1])
        back = W_hh.T.dot(da[t])
    dW_xh = np.zeros_like(W_xh)
    for v in np.unique(inputs):
        dW_xh[:, v] = da[inputs == v].sum(axis=0)
    grads = {
        "W_xh": dW_xh,
        "W_hh": da.T.dot(hs[:-1]),
        "W_hy": dy.T.dot(hs[1:]),
        "b_h": da.sum(0),
        "b_y": dy.sum(0),
    }
    return loss, grads, hs[-1]


# ---------------------------------------------------------------- mistakes


@student(
    3,
    correct=False,
    cause="states in a (T, H) array; at t = 0 the backward pass reads hs[t - 1] = hs[-1], the "
    "last state h_T, instead of h_prev (the forward pass handled t = 0)",
    names=[
        r"hs\[-1\]",
        r"hs\[t ?- ?1\]",
        r"wrap\w*",
        r"(last|final) (hidden )?state.{0,60}(instead|rather than|in place of)",
        r"\bh_prev\b.{0,60}(t ?= ?0|first step|step 0)",
        r"(t ?= ?0|first step|step 0).{0,80}(\bh_prev\b|initial state|h_0|previous state)",
    ],
    not_names=[r"(miss|forg|without|omit|drop)\w*.{0,40}(dh_?next|recurren)"],
)
def array_wraps_at_t0(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = np.zeros((T, H))
    ps = np.zeros((T, W_hy.shape[0]))
    loss = 0.0
    for t in range(T):
        prev = h_prev if t == 0 else hs[t - 1]
        hs[t] = np.tanh(W_xh[:, inputs[t]] + W_hh @ prev + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros(H)
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t - 1])
        grads["b_h"] += dhraw
        dh_next = W_hh.T @ dhraw
    return loss, grads, hs[T - 1]


@student(
    3,
    correct=False,
    cause="the gradient from step t + 1 (dh_next) is never added: dh = W_hy^T dy only",
    names=RECURRENT,
)
def no_dh_next(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="dh_next reset to zero inside the backward loop, so the gradient from step t + 1 is lost",
    names=RECURRENT + [r"reset"],
)
def dh_next_reset_in_loop(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    H, V = W_xh.shape
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + bh)
        y = W_hy @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    for t in reversed(range(len(inputs))):
        dhnext = np.zeros((H, 1))
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += dy @ hs[t].T
        dby += dy
        dh = W_hy.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dW_xh += dhraw @ xs[t].T
        dW_hh += dhraw @ hs[t - 1].T
        dhnext = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return loss, grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="dh_next = W_hh^T dh, from the gradient before the tanh derivative instead of dhraw",
    names=[
        r"dh_?next.{0,80}(dhraw|\bda\b|pre-?activation|tanh|1 - h)",
        r"(dhraw|\bda\b|∂L/∂a|dL/da).{0,80}dh_?next",
        r"before (the )?tanh",
        r"∂L/∂a_?\{?t ?\+ ?1",
        r"W_hh(\^?T|ᵀ|\.T)?\s*(@\s*)?(dhraw|da\b)",
    ],
    not_names=[r"(miss|forg|without|omit|drop|never add)\w*.{0,40}(dh_?next|recurren|t ?\+ ?1)"],
)
def dh_next_skips_tanh(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        dh = W_hy.T @ dy + dh_next
        da = (1 - hs[t + 1] ** 2) * dh
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ dh
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="loss and gradients averaged over the T steps instead of summed",
    names=[
        r"averag",
        r"\bmean\b",
        r"divid\w*.{0,30}\bT\b",
        r"/ ?T\b",
        r"1 ?/ ?T\b",
        r"(factor|times) (of )?(1 ?/ ?)?T\b",
        r"per (step|character)",
    ],
)
def averaged_over_steps(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T = len(inputs)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t in range(T):
        hs.append(np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        ps.append(p / p.sum())
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    grads = {k: g / T for k, g in grads.items()}
    return float(loss / T), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="softmax of y without subtracting max(y): exp overflows at logits near 1000",
    names=[
        r"overflow",
        r"y - (np\.)?max",
        r"subtract\w*.{0,40}max",
        r"shift\w*",
        r"stab(le|ility)",
        r"max\s*y",
    ],
)
def softmax_not_shifted(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    H, V = W_xh.shape
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + bh)
        y = W_hy @ hs[t] + by
        ps[t] = np.exp(y) / np.sum(np.exp(y))
        loss += -np.log(ps[t][targets[t], 0])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros((H, 1))
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += dy @ hs[t].T
        dby += dy
        dhraw = (1 - hs[t] * hs[t]) * (W_hy.T @ dy + dhnext)
        dbh += dhraw
        dW_xh += dhraw @ xs[t].T
        dW_hh += dhraw @ hs[t - 1].T
        dhnext = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return loss, grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="dL/dy = p_t: the one-hot of the target is not subtracted",
    names=[
        r"one-?hot",
        r"-= ?1\b",
        r"subtract\w*.{0,40}\b(1|one)\b",
        r"p_?t? ?- ?(1|onehot|one-hot|y)",
        r"minus (1|one)\b",
    ],
)
def dy_without_minus_one(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t]
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="the one-hot subtracted in dL/dy is the input's, dy[inputs[t]] -= 1",
    names=[
        r"inputs?\b.{0,50}(instead|rather|not|in place).{0,20}targets?",
        r"targets?.{0,50}(instead|rather|not|in place).{0,20}inputs?",
        r"(swap|mix|confus)\w*.{0,30}(inputs|targets)",
    ],
)
def dy_uses_input(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[inputs[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="the backward loop stops at t = 1: step 0 (the first step) gets no gradient",
    names=[
        r"off[- ]by[- ]one",
        r"(first|earliest) (time ?)?step",
        r"(t ?= ?0|step 0)",
        r"(skip|miss|omit|stop)\w*.{0,40}(first|t ?= ?0|step 0|step 1\b)",
        r"range\(1,",
    ],
)
def backward_skips_first_step(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(1, len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="returns hs[-1] of min-char-rnn's dict, which is h_prev, not h_T",
    names=[
        r"hs\[-1\]",
        r"h_last.{0,80}(\bh_prev\b|initial|h_0|first|dict|key)",
        r"(\bh_prev\b|initial state|h_0).{0,60}(instead|returned|as h_last)",
    ],
)
def returns_hs_minus_one(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    H, V = W_xh.shape
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + bh)
        y = W_hy @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros((H, 1))
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += dy @ hs[t].T
        dby += dy
        dhraw = (1 - hs[t] * hs[t]) * (W_hy.T @ dy + dhnext)
        dbh += dhraw
        dW_xh += dhraw @ xs[t].T
        dW_hh += dhraw @ hs[t - 1].T
        dhnext = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return loss, grads, hs[-1].ravel()  # the last hidden state


@student(
    3,
    correct=False,
    cause="params cast to float32 for speed: loss and gradients in float32",
    names=[r"float32", r"single[- ]precision", r"32[- ]bit"],
)
def float32_params(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k].astype(np.float32) for k in KEYS)
    hs = [h_prev.astype(np.float32)]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k], dtype=np.float32) for k in KEYS}
    dh_next = np.zeros_like(hs[0])
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="gradients clipped to [-5, 5] as min-char-rnn does (the contract has no clipping)",
    names=[r"\bclip"],
)
def clips_like_min_char(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        dW_hy += np.outer(dy, hs[t + 1])
        db_y += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        dW_xh[:, inputs[t]] += da
        dW_hh += np.outer(da, hs[t])
        db_h += da
        dh_next = W_hh.T @ da
    for d in [dW_xh, dW_hh, dW_hy, db_h, db_y]:
        np.clip(d, -5, 5, out=d)  # mitigate exploding gradients
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="the state is updated in place in h_prev's array (changes its argument)",
    names=[
        r"(chang|modif|mutat|overwr|writ|alter)\w*.{0,50}(argument|input|\bh_prev\b|params)",
        r"in[- ]place",
    ],
)
def updates_h_prev_in_place(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    h = h_prev
    hs = [h_prev.copy()]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        h[:] = np.tanh(W_xh[:, ix] + W_hh @ h + b_h)  # update the state
        hs.append(h.copy())
        y = W_hy @ h + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="dW_xh[:, inputs] += dA.T: fancy-index += adds a repeated character's gradient once",
    names=[
        r"add\.at",
        r"(repeat|duplicat|twice|more than once|several times)\w*.{0,50}"
        r"(ind|input|character|column)",
        r"bincount",
        r"fancy",
        r"(same|repeated) (character|input|index)",
    ],
    # only dW_xh is wrong, and only when a character repeats: not the recurrence (a confusion
    # a first run's message made, registered after it)
    not_names=[r"dh_?next"],
)
def fancy_index_accumulate(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = np.zeros((T + 1, H))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h)
    Y = hs[1:] @ W_hy.T + b_y
    Y = Y - Y.max(axis=1, keepdims=True)
    P = np.exp(Y)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(P[np.arange(T), targets]))
    dY = P.copy()
    dY[np.arange(T), targets] -= 1
    dA = np.zeros((T, H))
    nxt = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - hs[t + 1] ** 2) * (dY[t] @ W_hy + nxt)
        nxt = dA[t] @ W_hh
    dW_xh = np.zeros_like(W_xh)
    dW_xh[:, inputs] += dA.T
    grads = {
        "W_xh": dW_xh,
        "W_hh": dA.T @ hs[:-1],
        "W_hy": dY.T @ hs[1:],
        "b_h": dA.sum(0),
        "b_y": dY.sum(0),
    }
    return float(loss), grads, hs[-1].copy()


@student(
    3,
    correct=False,
    cause="dW_hy from the previous state h_{t-1} instead of h_t",
    names=[
        r"dW_hy.{0,80}(h_\{?t ?- ?1|\bh_prev\b|previous|hs\[t\])",
        r"(h_\{?t ?- ?1|\bh_prev\b|previous state).{0,80}dW_hy",
    ],
)
def dW_hy_from_previous_state(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    hs = [h_prev]
    ps = []
    loss = 0.0
    for t, ix in enumerate(inputs):
        hs.append(np.tanh(W_xh[:, ix] + W_hh @ hs[t] + b_h))
        y = W_hy @ hs[t + 1] + b_y
        p = np.exp(y - y.max())
        p /= p.sum()
        ps.append(p)
        loss -= np.log(p[targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dh_next = np.zeros_like(h_prev)
    for t in range(len(inputs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        da = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += da
        grads["W_hh"] += np.outer(da, hs[t])
        grads["b_h"] += da
        dh_next = W_hh.T @ da
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="softmax of the (T, V) logits normalised over axis 0 (time) instead of axis 1",
    names=[
        r"axis",
        r"(over|across|along) (time|the steps|the sequence|t\b)",
        r"normali[sz]\w*.{0,50}(time|column|steps)",
    ],
)
def softmax_wrong_axis(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = np.zeros((T + 1, H))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h)
    Y = hs[1:] @ W_hy.T + b_y
    E = np.exp(Y - Y.max(axis=1, keepdims=True))
    P = E / E.sum(axis=0)
    loss = -np.sum(np.log(P[np.arange(T), targets]))
    dY = P.copy()
    dY[np.arange(T), targets] -= 1
    dA = np.zeros((T, H))
    nxt = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - hs[t + 1] ** 2) * (dY[t] @ W_hy + nxt)
        nxt = dA[t] @ W_hh
    dW_xhT = np.zeros((W_xh.shape[1], H))
    np.add.at(dW_xhT, inputs, dA)
    grads = {
        "W_xh": dW_xhT.T,
        "W_hh": dA.T @ hs[:-1],
        "W_hy": dY.T @ hs[1:],
        "b_h": dA.sum(0),
        "b_y": dY.sum(0),
    }
    return float(loss), grads, hs[-1].copy()
