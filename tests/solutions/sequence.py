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
    elif mistake == "softmax_over_time":
        E = np.exp(Y - Y.max())
        Pr = E / E.sum(axis=0, keepdims=True)  # "sum over the first axis"
    else:
        E = np.exp(Y - Y.max(axis=1, keepdims=True))
        Pr = E / E.sum(axis=1, keepdims=True)
    loss = -np.log(Pr[np.arange(T), tgt]).sum()
    dY = Pr.copy()
    if mistake == "dy_at_input":
        dY[np.arange(T), inputs] -= 1
    elif mistake != "no_minus_one":
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
        grads["W_hy"] += np.outer(dY[t], Hs[t] if mistake == "dW_hy_h_prev" else Hs[t + 1])
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


def bptt_list_wraps(params, inputs, targets, h_prev):
    """The issue's example: states in a Python list of h_1..h_T; at t = 0, hs[t - 1] is hs[-1],
    the last state, where h_prev belongs."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    hs, ps, loss, h = [], [], 0.0, h_prev
    for t in range(len(inputs)):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ h + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        p = np.exp(y - y.max())
        ps.append(p / p.sum())
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    dh_next = np.zeros_like(h_prev)
    for t in reversed(range(len(inputs))):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy + dh_next)
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t - 1])  # t = 0: hs[-1] is h_T, not h_prev
        grads["b_h"] += dhraw
        dh_next = W_hh.T @ dhraw
    return loss, grads, hs[-1]


def _mincharrnn(params, inputs, targets, h_prev, *, edit):
    """min-char-rnn's loop (dicts indexed by t) where `edit` names one line written wrong."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    V, T = W_hy.shape[0], len(inputs)
    xs, hs, ps = {}, {-1: np.zeros_like(h_prev) if edit == "zero_start" else h_prev}, {}
    loss = 0.0
    for t in range(T):
        xs[t] = np.zeros(V)
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        p = np.exp(y - np.max(y)) / np.sum(np.exp(y - np.max(y)))
        ps[t] = p
        if edit == "vocab_mean":
            loss += -np.mean(np.eye(V)[targets[t]] * np.log(p))
        else:
            loss += -np.log(p[targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dhnext = np.zeros_like(h_prev)
    order = {
        "skip_first": range(T - 1, 0, -1),
        "skip_last": reversed(range(T - 1)),
        "forward_order": range(T),
    }.get(edit, reversed(range(T)))
    for t in order:
        if edit == "reset_dhnext":
            dhnext = np.zeros_like(h_prev)  # "start each step clean"
        dy = np.copy(p if edit == "last_p" else ps[t])
        dy[targets[t]] -= 1
        if edit == "assign_dW_hy":
            dW_hy = np.outer(dy, hs[t])
        else:
            dW_hy += np.outer(dy, hs[T - 1] if edit == "last_h" else hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dhnext
        if edit == "tanh_of_h":
            dhraw = (1 - np.tanh(hs[t]) ** 2) * dh
        elif edit == "negated_derivative":
            dhraw = (hs[t] ** 2 - 1) * dh
        elif edit == "derivative_of_a":
            a = W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h
            dhraw = (1 - a * a) * dh
        elif edit == "parenthesis":
            dhraw = (1 - hs[t]) ** 2 * dh
        elif edit == "dnext_after":
            dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy) + dhnext
        elif edit == "h_prev_derivative":
            dhraw = (1 - hs[t - 1] * hs[t - 1]) * dh
        else:
            dhraw = (1 - hs[t] * hs[t]) * dh
        db_h += dh if edit == "db_h_from_dh" else dhraw
        dW_xh += np.outer(dhraw, np.eye(V)[targets[t]] if edit == "target_onehot" else xs[t])
        h_in = np.zeros_like(h_prev) if (edit == "first_zero" and t == 0) else hs[t - 1]
        if edit == "last_h_in_W_hh":
            h_in = hs[T - 1]
        dW_hh += np.outer(dhraw, h_in)
        dhnext = W_hh.T @ dhraw
    if edit == "clip":
        for dparam in [dW_xh, dW_hh, dW_hy, db_h, db_y]:
            np.clip(dparam, -5, 5, out=dparam)  # mitigate exploding gradients
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[T - 1]


def bptt_assign(params, inputs, targets, h_prev):
    """Rows as time steps, the gradients assigned at each step instead of added up."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, V = len(inputs), W_hy.shape[0]
    X = np.eye(V)[inputs]
    hs = [h_prev]
    for t in range(T):
        hs.append(np.tanh(X[t] @ W_xh.T + hs[-1] @ W_hh.T + b_h))
    Hs = np.array(hs)
    Y = Hs[1:] @ W_hy.T + b_y
    P = np.exp(Y - Y.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(T), targets]).sum()
    dY = P.copy()
    dY[np.arange(T), targets] -= 1
    grads = {}
    nxt = np.zeros_like(h_prev)
    for t in range(T - 1, -1, -1):
        dhraw = (1 - Hs[t + 1] ** 2) * (dY[t] @ W_hy + nxt)
        grads["W_xh"] = np.outer(dhraw, X[t])
        grads["W_hh"] = np.outer(dhraw, Hs[t])
        grads["b_h"] = dhraw
        grads["W_hy"] = np.outer(dY[t], Hs[t + 1])
        grads["b_y"] = dY[t]
        nxt = dhraw @ W_hh
    return loss, grads, Hs[-1]


def bptt_fancy_rows(params, inputs, targets, h_prev):
    """Rows as time steps, dW_xh gathered at once with fancy indexing on its transpose: a
    character that occurs twice gets one step's dhraw, not their sum."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T = len(inputs)
    Hs = np.zeros((T + 1, len(h_prev)))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + Hs[t] @ W_hh.T + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    logp = Y - Y.max(axis=1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(T), targets].sum()
    dY = np.exp(logp)
    dY[np.arange(T), targets] -= 1
    draw = np.zeros((T, len(h_prev)))
    back = np.zeros(len(h_prev))
    for t in range(T - 1, -1, -1):
        draw[t] = (1 - Hs[t + 1] ** 2) * (dY[t] @ W_hy + back)
        back = draw[t] @ W_hh
    dW_xh = np.zeros_like(W_xh)
    dW_xh.T[inputs] += draw  # one write per distinct index
    grads = {
        "W_xh": dW_xh,
        "W_hh": draw.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": draw.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return loss, grads, Hs[T]


def bptt_log_likelihood(params, inputs, targets, h_prev):
    """Dicts indexed by t; the loss summed as the log-likelihood, its sign lost."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    hs, ps, loss = {-1: h_prev}, {}, 0.0
    for t, (ix, tg) in enumerate(zip(inputs, targets, strict=True)):
        hs[t] = np.tanh(W_xh[:, ix] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        logp = y - y.max() - np.log(np.sum(np.exp(y - y.max())))
        ps[t] = np.exp(logp)
        loss += logp[tg]  # the log-likelihood of the target
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    carry = np.zeros_like(h_prev)
    for t in sorted(ps, reverse=True):
        dy = ps[t] - np.eye(len(b_y))[targets[t]]
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy + carry)
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t - 1])
        grads["b_h"] += dhraw
        carry = W_hh.T @ dhraw
    return loss, grads, hs[len(inputs) - 1]


def bptt_outer_reversed(params, inputs, targets, h_prev):
    """Rows as time steps, dW_hh's product written the other way round."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, V = len(inputs), len(b_y)
    X = np.eye(V)[inputs]
    Hs = [h_prev]
    for t in range(T):
        Hs.append(np.tanh(X[t] @ W_xh.T + Hs[t] @ W_hh.T + b_h))
    Hs = np.array(Hs)
    Y = Hs[1:] @ W_hy.T + b_y
    P = np.exp(Y - Y.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(P[np.arange(T), targets]))
    dY = P - np.eye(V)[targets]
    draw = np.zeros((T, len(b_h)))
    nxt = np.zeros_like(b_h)
    for t in reversed(range(T)):
        draw[t] = (1 - Hs[t + 1] ** 2) * (dY[t] @ W_hy + nxt)
        nxt = draw[t] @ W_hh
    grads = {
        "W_xh": draw.T @ X,
        "W_hh": Hs[:-1].T @ draw,  # (H, T) @ (T, H): the states' side first
        "W_hy": dY.T @ Hs[1:],
        "b_h": draw.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return loss, grads, Hs[-1]


def bptt_float32(params, inputs, targets, h_prev):
    """The reference loop on float32 copies of everything ("faster")."""
    p32 = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    loss, grads, h = loss_and_grads(p32, inputs, targets, h_prev.astype(np.float32))
    return float(loss), grads, h


def bptt_two_mistakes(params, inputs, targets, h_prev):
    """The loss averaged over time and dW_hh paired with h_t: two mistakes at once."""
    loss, grads, h = buggy(params, inputs, targets, h_prev, mistake="W_hh_with_h_t")
    return loss / len(inputs), grads, h


def overflow_log(params, inputs, targets, h_prev):
    """Shifted softmax for the gradients, but the loss as log(sum exp(y)) - y[target]
    unshifted: right for moderate logits, inf for logits near 1000."""
    loss, grads, h = loss_and_grads(params, inputs, targets, h_prev)
    hs, h_t = [], h_prev
    for ix in inputs:
        h_t = np.tanh(params["W_xh"][:, ix] + params["W_hh"] @ h_t + params["b_h"])
        hs.append(h_t)
    ys = [params["W_hy"] @ h_t + params["b_y"] for h_t in hs]
    loss = sum(np.log(np.sum(np.exp(y))) - y[tg] for y, tg in zip(ys, targets, strict=True))
    return loss, grads, h


def bptt_shift_per_column(params, inputs, targets, h_prev):
    """Rows as time steps; the softmax shifted by each column's max (over time)."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T = len(inputs)
    hs = np.zeros((T + 1, len(h_prev)))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h)
    Y = hs[1:] @ W_hy.T + b_y
    E = np.exp(Y - Y.max(axis=0))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(P[np.arange(T), targets]))
    dY = P.copy()
    dY[np.arange(T), targets] -= 1
    grads = {"W_hy": dY.T @ hs[1:], "b_y": dY.sum(axis=0)}
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    carry = np.zeros_like(h_prev)
    for t in range(T - 1, -1, -1):
        draw = (1 - hs[t + 1] ** 2) * (W_hy.T @ dY[t] + carry)
        dW_xh[:, inputs[t]] += draw
        dW_hh += np.outer(draw, hs[t])
        db_h += draw
        carry = W_hh.T @ draw
    grads.update(W_xh=dW_xh, W_hh=dW_hh, b_h=db_h)
    return loss, grads, hs[T]


def bptt_shared_zeros(params, inputs, targets, h_prev):
    """One zero array for two names: writing dnext in place (out=) overwrites db_h."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T, H = len(inputs), len(b_h)
    hs, ps, loss = {-1: h_prev}, {}, 0.0
    for t in range(T):
        hs[t] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        ps[t] = np.exp(y - y.max()) / np.exp(y - y.max()).sum()
        loss -= np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy, db_y = (np.zeros_like(a) for a in (W_xh, W_hh, W_hy, b_y))
    dnext = db_h = np.zeros(H)
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy + dnext)
        db_h += dhraw
        dW_xh[:, inputs[t]] += dhraw
        dW_hh += np.outer(dhraw, hs[t - 1])
        np.dot(W_hh.T, dhraw, out=dnext)
    return loss, {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}, hs[T - 1]


def bptt_no_copy(params, inputs, targets, h_prev):
    """dY = P without a copy; the loss is read from P afterwards."""
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in ("W_xh", "W_hh", "W_hy", "b_h", "b_y"))
    T = len(inputs)
    hs = [h_prev]
    for t in range(T):
        hs.append(np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h))
    Hs = np.array(hs[1:])
    Y = Hs @ W_hy.T + b_y
    P = np.exp(Y - Y.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    dY = P
    dY[np.arange(T), targets] -= 1
    with np.errstate(invalid="ignore"):
        loss = -np.sum(np.log(P[np.arange(T), targets]))
    grads = {"W_hy": dY.T @ Hs, "b_y": dY.sum(axis=0)}
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    nxt = np.zeros_like(h_prev)
    for t in range(T - 1, -1, -1):
        draw = (1 - hs[t + 1] ** 2) * (dY[t] @ W_hy + nxt)
        dW_xh[:, inputs[t]] += draw
        dW_hh += np.outer(draw, hs[t])
        db_h += draw
        nxt = draw @ W_hh
    grads.update(W_xh=dW_xh, W_hh=dW_hh, b_h=db_h)
    return loss, grads, hs[-1]


BUG_IDS = [
    "no_dh_next",
    "no_tanh_grad",
    "one_minus_h",
    "W_hh_not_transposed",
    "dh_next_before_tanh",
    "W_hh_with_h_t",
    "no_minus_one",
    "mean_loss",
    "mean_all",
    "inputs_as_targets",
    "h_last_is_h_prev",
    "h_last_is_first",
    "no_tanh",
    "overflow",
    "in_place",
    "dy_at_input",
    "dW_hy_h_prev",
    "softmax_over_time",
]
EDITS = {  # _mincharrnn's edits -> the mistake each makes
    "zero_start": "h_prev_ignored",
    "vocab_mean": "loss_mean_vocab",
    "skip_first": "range_misses_first",
    "skip_last": "range_misses_last",
    "reset_dhnext": "no_dh_next",
    "last_p": "p_last",
    "last_h": "dW_hy_last_h",
    "tanh_of_h": "tanh_of_h",
    "h_prev_derivative": "dhraw_with_h_prev",
    "target_onehot": "dW_xh_from_target",
    "first_zero": "dW_hh_first_zero",
    "clip": "clipped",
    "parenthesis": "derivative_parenthesis",
    "dnext_after": "dh_next_after_tanh",
    "forward_order": "backward_forward_in_time",
    "db_h_from_dh": "db_h_before_tanh",
    "assign_dW_hy": "assign_not_accumulate",
    "negated_derivative": "derivative_sign",
    "derivative_of_a": "one_minus_a_squared",
    "last_h_in_W_hh": "dW_hh_last_h",
}


def _named(fn, name):
    fn.__name__ = name
    return fn


BUGS = (
    [
        (_named(partial(buggy, mistake=m), m), "softmax_overflow" if m == "overflow" else m)
        for m in BUG_IDS
    ]
    + [(_named(partial(_mincharrnn, edit=e), e), m) for e, m in EDITS.items()]
    + [
        (bptt_list_wraps, "hs_wrap"),
        (bptt_assign, "assign_not_accumulate"),
        (bptt_fancy_rows, "W_xh_fancy_index"),
        (bptt_log_likelihood, "loss_sign"),
        (bptt_outer_reversed, "dW_hh_transposed"),
        (bptt_float32, "bptt_float32"),
        (bptt_two_mistakes, "W_hh_with_h_t"),
        (overflow_log, "softmax_overflow"),
        (bptt_shift_per_column, "shift_over_time"),
        (bptt_shared_zeros, "b_h_holds_dh_next"),
        (bptt_no_copy, "p_changed_in_place"),
    ]
)
