"""Exercise 3 as students write it: the reference solution, alternatives, catalogued bugs."""

from functools import partial

import numpy as np

from .step import rnn_step_backward, rnn_step_forward


def loss_and_grads(params, inputs, targets, h_prev):
    """Summed cross-entropy of one sequence and its gradients (min-char-rnn's loop)."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V = W_hy.shape[0]
    xs, hs, ps = {}, {-1: h_prev}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(V)
        xs[t][inputs[t]] = 1.0  # one-hot x_t
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())  # shift by the max: no overflow
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1.0  # p_t - onehot(target_t)
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next  # from the output and from step t + 1
        dhraw = (1 - hs[t] * hs[t]) * dh  # backprop through tanh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


def loss_and_grads_rows(params, inputs, targets, h_prev):
    """Rows as time steps: one-hot matrix X (T, V), the output layer as one matrix product."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, V = len(inputs), W_hy.shape[0]
    X = np.eye(V)[inputs]
    hs = np.zeros((T + 1, len(h_prev)))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(X[t] @ W_xh.T + hs[t] @ W_hh.T + b_h)
    Y = hs[1:] @ W_hy.T + b_y  # (T, V)
    Y = Y - Y.max(axis=1, keepdims=True)
    logp = Y - np.log(np.exp(Y).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(T), targets].sum()
    dY = np.exp(logp)
    dY[np.arange(T), targets] -= 1
    dH = dY @ W_hy  # (T, H) from the output layer
    draw = np.zeros_like(dH)
    carry = np.zeros(len(h_prev))
    for t in range(T - 1, -1, -1):
        draw[t] = (1 - hs[t + 1] ** 2) * (dH[t] + carry)
        carry = draw[t] @ W_hh
    grads = {
        "W_xh": draw.T @ X,
        "W_hh": draw.T @ hs[:-1],
        "W_hy": dY.T @ hs[1:],
        "b_h": draw.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return loss, grads, hs[T]


def loss_and_grads_steps(params, inputs, targets, h_prev):
    """Built from the cell's step functions (exercises 1 and 2), log-sum-exp by logaddexp."""
    V = params["W_hy"].shape[0]
    h, caches, ys = h_prev, [], []
    loss = 0.0
    for ix, target in zip(inputs, targets, strict=True):
        h, cache = rnn_step_forward(np.eye(V)[ix], h, params["W_xh"], params["W_hh"], params["b_h"])
        y = params["W_hy"] @ h + params["b_y"]
        loss += np.logaddexp.reduce(y) - y[target]
        caches.append(cache)
        ys.append((y, target, h))
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(h_prev)
    for cache, (y, target, h_t) in zip(reversed(caches), reversed(ys), strict=True):
        dy = np.exp(y - np.logaddexp.reduce(y))
        dy[target] -= 1
        grads["W_hy"] += np.outer(dy, h_t)
        grads["b_y"] += dy
        _, dh_next, dW_xh, dW_hh, db_h = rnn_step_backward(params["W_hy"].T @ dy + dh_next, cache)
        grads["W_xh"] += dW_xh
        grads["W_hh"] += dW_hh
        grads["b_h"] += db_h
    return loss, grads, h


def loss_and_grads_einsum(params, inputs, targets, h_prev):
    """Lists of states, einsum for the sums over time, the softmax by a stable helper."""
    P = params
    T = len(inputs)
    hs = [np.asarray(h_prev, dtype=float)]
    for t in range(T):
        hs.append(
            np.tanh(P["W_xh"][:, inputs[t]] + np.einsum("ij,j->i", P["W_hh"], hs[-1]) + P["b_h"])
        )
    H = np.array(hs[1:])
    Y = np.einsum("vh,th->tv", P["W_hy"], H) + P["b_y"]
    m = Y.max(axis=1, keepdims=True)
    Pr = np.exp(Y - m) / np.exp(Y - m).sum(axis=1, keepdims=True)
    loss = float(np.sum(np.log(np.exp(Y - m).sum(axis=1)) + m[:, 0] - Y[np.arange(T), targets]))
    dY = Pr - np.eye(Y.shape[1])[targets]
    draws = [None] * T
    nxt = np.zeros_like(hs[0])
    for t in reversed(range(T)):
        draws[t] = (1 - H[t] ** 2) * (np.einsum("vh,v->h", P["W_hy"], dY[t]) + nxt)
        nxt = np.einsum("ij,i->j", P["W_hh"], draws[t])
    D = np.array(draws)
    dW_xh = np.zeros_like(P["W_xh"])
    np.add.at(dW_xh.T, np.asarray(inputs), D)
    grads = {
        "W_xh": dW_xh,
        "W_hh": np.einsum("ti,tj->ij", D, np.array(hs[:-1])),
        "W_hy": np.einsum("tv,th->vh", dY, H),
        "b_h": D.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return loss, grads, H[-1]


def loss_and_grads_lookup(params, inputs, targets, h_prev):
    """W_xh x_t as a lookup of column x_t (np.take), dW_xh summed by np.bincount: the index
    functions that refuse int64 indices under Pyodide, where numpy's index type is int32."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    (H, V), T = W_xh.shape, len(inputs)
    xw = np.take(W_xh, inputs, axis=1).T + b_h  # row t: W_xh x_t + b_h
    hs = np.zeros((T + 1, H))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(xw[t] + W_hh @ hs[t])
    Y = hs[1:] @ W_hy.T + b_y
    Y = Y - Y.max(axis=1, keepdims=True)
    logp = Y - np.log(np.exp(Y).sum(axis=1, keepdims=True))  # log-softmax
    loss = -logp[np.arange(T), targets].sum()
    dY = np.exp(logp)
    dY[np.arange(T), targets] -= 1
    dH = dY @ W_hy
    draw = np.zeros((T, H))
    for t in reversed(range(T)):
        after = draw[t + 1] @ W_hh if t + 1 < T else 0.0  # from step t + 1
        draw[t] = (1 - hs[t + 1] ** 2) * (dH[t] + after)
    flat = np.arange(H)[:, None] * V + np.asarray(inputs)  # (H, T): where dW_xh[i, x_t] is
    dW_xh = np.bincount(flat.ravel(), weights=draw.T.ravel(), minlength=H * V).reshape(H, V)
    grads = {
        "W_xh": dW_xh,
        "W_hh": draw.T @ hs[:-1],
        "W_hy": dY.T @ hs[1:],
        "b_h": draw.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return loss, grads, hs[T]


CORRECT = [
    loss_and_grads,
    loss_and_grads_rows,
    loss_and_grads_steps,
    loss_and_grads_einsum,
    loss_and_grads_lookup,
]


def buggy(params, inputs, targets, h_prev, *, mistake):
    """Row-vector BPTT with one typical mistake (as a student would make it)."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, V = len(inputs), W_hy.shape[0]
    tgt = inputs if mistake == "inputs_as_targets" else targets
    X = np.eye(V)[inputs]
    hs = [h_prev]
    for t in range(T):
        a = X[t] @ W_xh.T + hs[-1] @ W_hh.T + b_h
        hs.append(a if mistake == "no_tanh" else np.tanh(a))
    Hs = np.array(hs)
    Y = Hs[1:] @ W_hy.T + b_y
    if mistake == "overflow":
        E = np.exp(Y)  # no shift: inf for large logits
        Pr = E / E.sum(axis=1, keepdims=True)
    else:
        E = np.exp(Y - Y.max(axis=1, keepdims=True))
        Pr = E / E.sum(axis=1, keepdims=True)
    loss = -np.log(Pr[np.arange(T), tgt]).sum()
    dY = Pr.copy()
    if mistake != "no_minus_one":
        dY[np.arange(T), tgt] -= 1
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    nxt = np.zeros_like(h_prev)
    for t in reversed(range(T)):
        dh = dY[t] @ W_hy + (0 if mistake == "no_dh_next" else nxt)
        if mistake == "one_minus_h":
            dhraw = (1 - Hs[t + 1]) * dh
        elif mistake in ("no_tanh_grad", "no_tanh"):
            dhraw = dh
        else:
            dhraw = (1 - Hs[t + 1] ** 2) * dh
        grads["W_xh"] += np.outer(dhraw, X[t])
        grads["W_hh"] += np.outer(dhraw, Hs[t + 1] if mistake == "W_hh_with_h_t" else Hs[t])
        grads["b_h"] += dhraw
        grads["W_hy"] += np.outer(dY[t], Hs[t + 1])
        grads["b_y"] += dY[t]
        if mistake == "W_hh_not_transposed":
            nxt = dhraw @ W_hh.T
        elif mistake == "dh_next_before_tanh":
            nxt = dh @ W_hh
        else:
            nxt = dhraw @ W_hh
    if mistake in ("mean_loss", "mean_all"):
        loss = loss / T
    if mistake == "mean_all":
        grads = {k: g / T for k, g in grads.items()}
    h_last = {"h_last_is_h_prev": h_prev, "h_last_is_first": Hs[1]}.get(mistake, Hs[-1])
    if mistake == "in_place":
        h_prev[:] = Hs[-1]  # "carry the state": changes the caller's array
    return loss, grads, h_last


BUG_HINTS = {
    "no_dh_next": "the gradient from the next step is not added",
    "no_tanh_grad": "the tanh derivative is missing",
    "one_minus_h": "the tanh derivative is written 1 - h_t",
    "W_hh_not_transposed": "dh_next uses W_hh where W_hh.T is needed",
    "dh_next_before_tanh": "dh_next is computed from dh_t before the tanh derivative",
    "W_hh_with_h_t": "dW_hh uses h_t",
    "no_minus_one": "subtract 1 at the target",
    "mean_loss": "the loss is averaged over time",
    "mean_all": "the loss and the gradients are averaged over time",
    "inputs_as_targets": "the loss uses the inputs as targets",
    "h_last_is_h_prev": "h_last is h_prev",
    "h_last_is_first": "h_last is h_1",
    "no_tanh": "the tanh is missing from the forward pass",
    "overflow": "the softmax overflows",
    "in_place": "changed its input h_prev in place",
}
BUGS = [(partial(buggy, mistake=m), hint, m) for m, hint in BUG_HINTS.items()]
