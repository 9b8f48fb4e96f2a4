"""Exercise 3, loss_and_grads(params, inputs, targets, h_prev) -> (loss, grads, h_last)."""

import numpy as np

from . import student

KEYS = ("W_xh", "W_hh", "W_hy", "b_h", "b_y")

# ---------------------------------------------------------------- correct


@student(3, correct=True, cause="min-char-rnn: dicts indexed by t, (n, 1) column vectors")
def minchar_columns(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    V = Why.shape[0]
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        y = Why @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[len(inputs) - 1].ravel()


@student(3, correct=True, cause="Python lists, column lookup W_xh[:, ix], log-softmax, np.add.at")
def lists_add_at(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        s = y - y.max()
        logp = s - np.log(np.exp(s).sum())
        loss -= logp[targets[t]]
        ps.append(np.exp(logp))
    dW_hh, dW_hy, db_y = np.zeros_like(W_hh), np.zeros_like(W_hy), np.zeros_like(b_y)
    dhraws = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in range(T - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t + 1])
        db_y += dy
        dh = W_hy.T @ dy + dnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        dhraws[t] = dhraw
        dW_hh += np.outer(dhraw, hs[t])
        dnext = W_hh.T @ dhraw
    dW_xh = np.zeros_like(W_xh)
    np.add.at(dW_xh.T, np.asarray(inputs), dhraws)  # dW_xh[:, inputs[t]] += dhraws[t]
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dhraws.sum(axis=0), "b_y": db_y}
    return float(loss), grads, hs[-1]


@student(3, correct=True, cause="arrays (T, .): one-hot rows, the output layer vectorised over t")
def vectorised_output(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H, V = len(inputs), W_hh.shape[0], W_hy.shape[0]
    rows = np.arange(T)
    X = np.eye(V)[inputs]
    Hs = np.zeros((T + 1, H))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(X[t] @ W_xh.T + Hs[t] @ W_hh.T + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    Y = Y - Y.max(axis=1, keepdims=True)
    E = np.exp(Y)
    Z = E.sum(axis=1)
    P = E / Z[:, None]
    loss = np.sum(np.log(Z) - Y[rows, targets])
    dY = P.copy()
    dY[rows, targets] -= 1
    dHout = dY @ W_hy
    dA = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - Hs[t + 1] ** 2) * (dHout[t] + dnext)
        dnext = dA[t] @ W_hh
    grads = {
        "W_xh": dA.T @ X,
        "W_hh": dA.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return float(loss), grads, Hs[T].copy()


# ---------------------------------------------------------------- buggy


@student(
    3,
    correct=False,
    cause="dY = P without a copy: dY[rows, targets] -= 1 also changes P, and the loss read "
    "afterwards takes the log of p - 1",
    names=(
        r"cop(y|ies|ied)",
        r"alias",
        r"same array",
        r"(chang|modif|overwr)\w*.{0,40}(\bp\b|p_t|probabilit)",
        r"(\bp\b|p_t|probabilit)\w*.{0,60}(chang|modif|overwr|in[- ]place)",
    ),
)
def probabilities_not_copied(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H, V = len(inputs), W_hh.shape[0], W_hy.shape[0]
    rows = np.arange(T)
    X = np.eye(V)[inputs]
    Hs = np.zeros((T + 1, H))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(X[t] @ W_xh.T + Hs[t] @ W_hh.T + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    E = np.exp(Y - Y.max(axis=1, keepdims=True))
    P = E / E.sum(axis=1, keepdims=True)
    dY = P
    dY[rows, targets] -= 1
    dHout = dY @ W_hy
    dA = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - Hs[t + 1] ** 2) * (dHout[t] + dnext)
        dnext = dA[t] @ W_hh
    grads = {
        "W_xh": dA.T @ X,
        "W_hh": dA.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    loss = -np.sum(np.log(P[rows, targets]))
    return float(loss), grads, Hs[T].copy()


@student(
    3,
    correct=False,
    cause="dnext = db_h = np.zeros(H): one zero array shared by two names, so writing dnext in "
    "place (np.dot(..., out=dnext)) overwrites the bias gradient db_h",
    names=(r"shar", r"same (zero )?array", r"alias", r"one array"),
)
def shared_zero_array(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        e = np.exp(y - y.max())
        ps.append(e / e.sum())
        loss -= np.log(ps[t][targets[t]])
    dW_xh, dW_hh = np.zeros_like(W_xh), np.zeros_like(W_hh)
    dW_hy, db_y = np.zeros_like(W_hy), np.zeros_like(b_y)
    dnext = db_h = np.zeros(H)
    for t in range(T - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t + 1])
        db_y += dy
        dh = W_hy.T @ dy + dnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        db_h += dhraw
        dW_xh[:, inputs[t]] += dhraw
        dW_hh += np.outer(dhraw, hs[t])
        np.dot(W_hh.T, dhraw, out=dnext)  # in place, no new array per step
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="the softmax shifted by Y.max(axis=0), each column's max over time, instead of each "
    "row's (step's) max: the shift differs across characters, so p is wrong",
    names=(
        r"axis",
        r"(shift|max)\w*.{0,80}(over time|over (the )?steps|each column|per column|wrong)",
        r"(column|over time).{0,40}max",
    ),
    not_names=(r"overflow",),
)
def shift_wrong_axis(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H, V = len(inputs), W_hh.shape[0], W_hy.shape[0]
    rows = np.arange(T)
    X = np.eye(V)[inputs]
    Hs = np.zeros((T + 1, H))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(X[t] @ W_xh.T + Hs[t] @ W_hh.T + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    E = np.exp(Y - Y.max(axis=0))
    P = E / E.sum(axis=1, keepdims=True)
    loss = -np.sum(np.log(P[rows, targets]))
    dY = P.copy()
    dY[rows, targets] -= 1
    dHout = dY @ W_hy
    dA = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - Hs[t + 1] ** 2) * (dHout[t] + dnext)
        dnext = dA[t] @ W_hh
    grads = {
        "W_xh": dA.T @ X,
        "W_hh": dA.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return float(loss), grads, Hs[T].copy()


@student(
    3,
    correct=False,
    cause="the loss returned as the mean over the T steps instead of the sum (gradients summed)",
    names=(r"mean", r"averag", r"divid\w* by T\b", r"/ ?T\b", r"per[- ](step|char)"),
)
def loss_mean_over_steps(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    V = Why.shape[0]
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        y = Why @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    loss = loss / len(inputs)
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="the gradient passed back to h_{t-1} is W_hh dhraw, not W_hh^T dhraw",
    names=(
        r"W_hh.{0,60}transpos",
        r"transpos.{0,60}W_hh",
        r"W_hh\s*(\^|\*\*)\s*(T|\{?\\top)",
        r"W_hh\.T",
    ),
    not_names=(r"W_hy.{0,40}transpos", r"W_xh.{0,40}transpos"),
)
def dnext_not_transposed(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        s = y - y.max()
        logp = s - np.log(np.exp(s).sum())
        loss -= logp[targets[t]]
        ps.append(np.exp(logp))
    dW_hh, dW_hy, db_y = np.zeros_like(W_hh), np.zeros_like(W_hy), np.zeros_like(b_y)
    dhraws = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in range(T - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t + 1])
        db_y += dy
        dh = W_hy.T @ dy + dnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        dhraws[t] = dhraw
        dW_hh += np.outer(dhraw, hs[t])
        dnext = W_hh @ dhraw
    dW_xh = np.zeros_like(W_xh)
    np.add.at(dW_xh.T, np.asarray(inputs), dhraws)
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dhraws.sum(axis=0), "b_y": db_y}
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="dW_hh accumulates dhraw_t h_t^T (hs[t + 1]) instead of dhraw_t h_{t-1}^T: an index "
    "off by one step",
    names=(
        r"h_\{?t\}?\b.{0,40}(instead of|rather than|in place of|not) h_\{?t ?- ?1",
        r"off[- ]by[- ]one",
        r"one step (late|early|ahead|off)",
        r"(current|new) state.{0,40}(instead|rather)",
        r"hs\[t ?\+ ?1\]",
    ),
)
def dwhh_index_off_by_one(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        s = y - y.max()
        logp = s - np.log(np.exp(s).sum())
        loss -= logp[targets[t]]
        ps.append(np.exp(logp))
    dW_hh, dW_hy, db_y = np.zeros_like(W_hh), np.zeros_like(W_hy), np.zeros_like(b_y)
    dhraws = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in range(T - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t + 1])
        db_y += dy
        dh = W_hy.T @ dy + dnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        dhraws[t] = dhraw
        dW_hh += np.outer(dhraw, hs[t + 1])
        dnext = W_hh.T @ dhraw
    dW_xh = np.zeros_like(W_xh)
    np.add.at(dW_xh.T, np.asarray(inputs), dhraws)
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": dhraws.sum(axis=0), "b_y": db_y}
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="h_0 set to zeros: the h_prev argument is ignored",
    names=(
        r"h_prev.{0,80}(ignor|unused|not used|never used|replaced)",
        r"(ignor|zero)\w*.{0,60}h_prev",
        r"(start|initial|starting)\w* (from )?(a )?(zero|0)",
        r"h_0.{0,40}(zero|0\b)",
    ),
)
def ignores_h_prev(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    V, H = Why.shape
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.zeros((H, 1))
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        y = Why @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="h_last is the name h, which the backward loop reused: it returns h_1, not h_T",
    names=(
        r"h_1\b",
        r"first step'?s? (hidden )?state",
        r"state (after|of) (the )?first step",
        r"(reus|overwr|rebound|shadow)",
    ),
)
def h_last_reused_name(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T = len(inputs)
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    h = hs[0]
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ h + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        e = np.exp(y - y.max())
        ps.append(e / e.sum())
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dnext = np.zeros_like(hs[0])
    for t in reversed(range(T)):
        h = hs[t + 1]
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, h)
        grads["b_y"] += dy
        dhraw = (1 - h * h) * (W_hy.T @ dy + dnext)
        grads["b_h"] += dhraw
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t])
        dnext = W_hh.T @ dhraw
    return float(loss), grads, h


@student(
    3,
    correct=False,
    cause="the gradient from step t+1 added after the tanh derivative "
    "((1 - h^2) * dh_out + dnext) instead of before it",
    names=(
        r"(after|outside)\b.{0,40}(tanh|derivative|1 ?- ?h)",
        r"(tanh|derivative|1 ?- ?h)\W.{0,60}not (applied )?to.{0,40}"
        r"(dh_next|dnext|next|future|t ?\+ ?1)",
        r"(dh_next|dnext|t ?\+ ?1).{0,80}(skips|bypass|without) (the )?(tanh|derivative)",
    ),
)
def dnext_after_derivative(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H, V = len(inputs), W_hh.shape[0], W_hy.shape[0]
    rows = np.arange(T)
    X = np.eye(V)[inputs]
    Hs = np.zeros((T + 1, H))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(X[t] @ W_xh.T + Hs[t] @ W_hh.T + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    Y = Y - Y.max(axis=1, keepdims=True)
    E = np.exp(Y)
    Z = E.sum(axis=1)
    P = E / Z[:, None]
    loss = np.sum(np.log(Z) - Y[rows, targets])
    dY = P.copy()
    dY[rows, targets] -= 1
    dHout = dY @ W_hy
    dA = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - Hs[t + 1] ** 2) * dHout[t] + dnext
        dnext = dA[t] @ W_hh
    grads = {
        "W_xh": dA.T @ X,
        "W_hh": dA.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return float(loss), grads, Hs[T].copy()


@student(
    3,
    correct=False,
    cause="dW_xh[:, inputs] += dA.T: buffered fancy-index += adds only one step per repeated "
    "input character (np.add.at needed)",
    names=(
        r"add\.at",
        r"repeat\w*.{0,40}(index|indices|input|character)",
        r"(input|character|index)\w*.{0,40}repeat",
        r"duplicate",
        r"fancy",
        r"buffer",
    ),
)
def fancy_index_repeats(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H = len(inputs), W_hh.shape[0]
    rows = np.arange(T)
    Hs = np.zeros((T + 1, H))
    Hs[0] = h_prev
    for t in range(T):
        Hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ Hs[t] + b_h)
    Y = Hs[1:] @ W_hy.T + b_y
    Y = Y - Y.max(axis=1, keepdims=True)
    E = np.exp(Y)
    Z = E.sum(axis=1)
    loss = np.sum(np.log(Z) - Y[rows, targets])
    dY = E / Z[:, None]
    dY[rows, targets] -= 1
    dHout = dY @ W_hy
    dA = np.zeros((T, H))
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dA[t] = (1 - Hs[t + 1] ** 2) * (dHout[t] + dnext)
        dnext = dA[t] @ W_hh
    dW_xh = np.zeros_like(W_xh)
    dW_xh[:, inputs] += dA.T
    grads = {
        "W_xh": dW_xh,
        "W_hh": dA.T @ Hs[:-1],
        "W_hy": dY.T @ Hs[1:],
        "b_h": dA.sum(axis=0),
        "b_y": dY.sum(axis=0),
    }
    return float(loss), grads, Hs[T].copy()


@student(
    3,
    correct=False,
    cause="dy[inputs[t]] -= 1: the one-hot subtracted at the input character, not the target",
    names=(
        r"input\w*.{0,60}(instead of|rather than|in place of|not) (the )?target",
        r"onehot\(input",
        r"target\w*.{0,40}(swapp|confus|mix)",
    ),
)
def onehot_at_input(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    V = Why.shape[0]
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        y = Why @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[inputs[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="the backward loop walks forward in time (t = 0 .. T-1), so dnext carries the "
    "gradient of the earlier step instead of the later one",
    names=(
        r"revers",
        r"forward in time",
        r"(wrong|forward) (order|direction)",
        r"t ?= ?0 ?(\.\.|to)",
        r"backward\w* (loop|pass).{0,40}(forward|order|direction)",
    ),
)
def backward_loop_forward_in_time(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T = len(inputs)
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        e = np.exp(y - y.max())
        ps.append(e / e.sum())
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dnext = np.zeros_like(hs[0])
    for t in range(T):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        dhraw = (1 - hs[t + 1] ** 2) * (W_hy.T @ dy + dnext)
        grads["b_h"] += dhraw
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t])
        dnext = W_hh.T @ dhraw
    return float(loss), grads, hs[-1]


@student(
    3,
    correct=False,
    cause="hs as an array of T rows with hs[-1] = h_prev (min-char-rnn's dict idiom): the last "
    "step overwrites hs[-1] with h_T, so dW_hh at the first step uses h_T instead of h_0",
    names=(
        r"h_T.{0,60}(instead of|in place of|rather than).{0,20}(h_prev|h_0)",
        r"hs\[-1\]",
        r"overwr",
        r"(last|final) (row|state).{0,60}(h_prev|h_0)",
    ),
)
def array_minus_one_overwritten(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T, H, V = len(inputs), W_hh.shape[0], W_hy.shape[0]
    hs = np.zeros((T, H))
    ps = np.zeros((T, V))
    hs[-1] = h_prev
    loss = 0.0
    for t in range(T):
        hs[t] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss -= np.log(ps[t, targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dnext = np.zeros(H)
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, hs[t])
        grads["b_y"] += dy
        dhraw = (1 - hs[t] ** 2) * (W_hy.T @ dy + dnext)
        grads["b_h"] += dhraw
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t - 1])
        dnext = W_hh.T @ dhraw
    return float(loss), grads, hs[T - 1].copy()


@student(
    3,
    correct=False,
    cause="clips every gradient to [-5, 5] inside loss_and_grads, as min-char-rnn does",
    names=(r"clip",),
)
def clipped_like_minchar(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    V = Why.shape[0]
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev).reshape(-1, 1)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
        y = Why @ hs[t] + by
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += dy @ hs[t].T
        dby += dy
        dh = Why.T @ dy + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += dhraw @ xs[t].T
        dWhh += dhraw @ hs[t - 1].T
        dhnext = Whh.T @ dhraw
    for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
        np.clip(dparam, -5, 5, out=dparam)
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[len(inputs) - 1].ravel()


@student(
    3,
    correct=False,
    cause="db_h accumulates dh, the gradient before the tanh derivative, instead of dhraw",
    names=(
        r"before (the )?(tanh|derivative)",
        r"\bdh\b.{0,30}(instead of|rather than|not) (the )?(dhraw|da\b|dL/da)",
        r"(without|missing|no) (the )?(tanh|1 ?- ?h)",
    ),
)
def dbh_before_derivative(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy, b_h, b_y = (params[k] for k in KEYS)
    T = len(inputs)
    hs = [np.asarray(h_prev, dtype=float)]
    ps = []
    loss = 0.0
    for t in range(T):
        h = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[-1] + b_h)
        hs.append(h)
        y = W_hy @ h + b_y
        e = np.exp(y - y.max())
        ps.append(e / e.sum())
        loss -= np.log(ps[t][targets[t]])
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    dnext = np.zeros_like(hs[0])
    for t in reversed(range(T)):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        grads["W_hy"] += np.outer(dy, hs[t + 1])
        grads["b_y"] += dy
        dh = W_hy.T @ dy + dnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        grads["b_h"] += dh
        grads["W_xh"][:, inputs[t]] += dhraw
        grads["W_hh"] += np.outer(dhraw, hs[t])
        dnext = W_hh.T @ dhraw
    return float(loss), grads, hs[-1]
