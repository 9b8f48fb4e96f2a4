"""Exercise 3 (loss_and_grads, BPTT), third held-out set: three correct implementations, ten
single slips."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(3, correct=True, cause="min-char-rnn dicts indexed by t, hs[-1] = h_prev, row vectors")
def bptt_dicts(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    V = W_xh.shape[1]
    xs, hs, ps = {}, {}, {}
    hs[-1] = np.copy(h_prev)
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(V)
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - np.max(y))
        ps[t] = e / np.sum(e)
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] * hs[t]) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return float(loss), grads, hs[len(inputs) - 1]


@student(
    3,
    correct=True,
    cause="arrays hs (T+1, H), log-softmax loss, vectorised output layer, "
    "np.add.at for the input columns",
)
def bptt_arrays(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    inputs, targets = np.asarray(inputs), np.asarray(targets)
    T, H = len(inputs), W_hh.shape[0]
    hs = np.zeros((T + 1, H))
    hs[0] = h_prev
    for t in range(T):
        hs[t + 1] = np.tanh(W_xh[:, inputs[t]] + W_hh @ hs[t] + b_h)
    Y = hs[1:] @ W_hy.T + b_y  # (T, V)
    Z = Y - Y.max(axis=1, keepdims=True)
    logp = Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(T), targets].sum()
    dY = np.exp(logp)
    dY[np.arange(T), targets] -= 1
    dW_hy = dY.T @ hs[1:]
    db_y = dY.sum(axis=0)
    dH = dY @ W_hy  # (T, H): the part from each step's output
    dA = np.zeros((T, H))
    carry = np.zeros(H)
    for t in range(T - 1, -1, -1):
        dA[t] = (1 - hs[t + 1] ** 2) * (dH[t] + carry)
        carry = W_hh.T @ dA[t]
    dW_xh = np.zeros_like(W_xh)
    np.add.at(dW_xh.T, inputs, dA)
    grads = {
        "W_xh": dW_xh,
        "W_hh": dA.T @ hs[:-1],
        "W_hy": dW_hy,
        "b_h": dA.sum(axis=0),
        "b_y": db_y,
    }
    return loss, grads, hs[T].copy()


@student(3, correct=True, cause="column vectors (H, 1) as min-char-rnn, lists, reshaped at the end")
def bptt_columns(params, inputs, targets, h_prev):
    Wxh, Whh, Why = params["W_xh"], params["W_hh"], params["W_hy"]
    bh, by = params["b_h"].reshape(-1, 1), params["b_y"].reshape(-1, 1)
    vocab = Wxh.shape[1]
    h = np.array(h_prev, dtype=float).reshape(-1, 1)
    xs, hs, ps = [], [h], []
    loss = 0
    for ix, tg in zip(inputs, targets, strict=True):
        x = np.zeros((vocab, 1))
        x[ix] = 1.0
        h = np.tanh(np.dot(Wxh, x) + np.dot(Whh, h) + bh)
        y = np.dot(Why, h) + by
        y = y - y.max()
        p = np.exp(y) / np.sum(np.exp(y))
        loss -= np.log(p[tg, 0])
        xs.append(x)
        hs.append(h)
        ps.append(p)
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in range(len(xs) - 1, -1, -1):
        dy = ps[t].copy()
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t + 1].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t + 1] ** 2) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t].T)
        dhnext = np.dot(Whh.T, dhraw)
    grads = {"W_xh": dWxh, "W_hh": dWhh, "W_hy": dWhy, "b_h": dbh.ravel(), "b_y": dby.ravel()}
    return float(loss), grads, hs[-1].ravel()


# ---------------------------------------------------------------- common slips


@student(
    3,
    correct=False,
    cause="softmax computed as exp(y) / sum(exp(y)) without subtracting max(y): overflow on "
    "large logits",
    names=(
        r"overflow",
        r"(subtract|shift)\w*.{0,30}(max|largest)",
        r"y\s*-\s*(np\.)?max\s*\(?\s*y",
        r"(max|largest)\s*(logit)?.{0,30}(not )?(subtracted|shifted)",
        r"(stable|stabl\w+).{0,20}softmax",
        r"exp\s*\(\s*y\s*\)",
    ),
)
def bptt_unshifted_softmax(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        ps[t] = np.exp(y) / np.sum(np.exp(y))
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="the gradient from step t+1 (dh_next) is never added: dh = W_hy^T dy only",
    names=(
        r"dh_next",
        r"(from|through)\s.{0,20}(step\s*)?t\s*\+\s*1",
        r"(later|next|future)\s(step|time)",
        r"(only|just)\s.{0,20}(one step|the output|its own step|current step|step t\b)",
        r"(recurren\w*|through time|through W_hh).{0,40}(missing|dropped|left out|not added|"
        r"never added|forgot)",
        r"(missing|without|no|forgot\w*|drop\w*|never)\s.{0,40}(recurren|through time|"
        r"W_hh\^?T?\s*(dhraw|da|dL/da)|backward through W_hh)",
    ),
    not_names=(r"transpos",),
)
def bptt_no_dh_next(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="the loss is averaged over the T steps instead of summed (the gradients are summed)",
    names=(
        r"mean",
        r"averag",
        r"divided by\s.{0,10}(T\b|the (number of )?steps|len|length)",
        r"/\s*(T|len\(inputs\))\b",
        r"(instead of|rather than|not)\s.{0,10}sum",
    ),
    not_names=(r"gradients?.{0,30}(averag|mean|divided)",),
)
def bptt_mean_loss(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    T = len(inputs)
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    losses = []
    for t in range(T):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        losses.append(-np.log(ps[t][targets[t]]))
    loss = np.mean(losses)
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(T)):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return float(loss), grads, hs[T - 1]


@student(
    3,
    correct=False,
    cause="dy = p without subtracting the one-hot target (the -1 at the target is missing)",
    names=(
        r"one-?hot",
        r"-\s*1\b.{0,30}(target|missing|forgot)",
        r"(missing|without|forgot\w*|not)\s.{0,30}(subtract|-\s*1)",
        r"dy\s*=\s*p\b",
        r"(p_t|\bp\b)\s*-\s*onehot.{0,30}(missing|instead)",
        r"\bp\b.{0,20}(instead of|rather than)\s.{0,10}p\s*-",
    ),
)
def bptt_no_minus_one(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="tanh derivative taken as 1 - h instead of 1 - h**2 in the backward loop",
    names=(
        r"1\s*-\s*h(s\[t\])?\b(?!\s*(\*\*|\*|\^|²|_t\s*(\*\*|\^|²)))",
        r"(not|never|forgot\w*|without|missing)\s.{0,30}squar",
        r"squar\w*.{0,30}(missing|left out|forgot|omitted|dropped)",
        r"tanh.{0,30}derivative.{0,40}1\s*-\s*h\b(?!\s*(\*\*|\*|\^|²))",
    ),
)
def bptt_one_minus_h(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t]) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="dh_next through W_hh instead of W_hh^T: dh_next = W_hh @ dhraw",
    names=(
        r"W_hh.{0,40}transpos",
        r"transpos.{0,40}W_hh",
        r"dh_next\s*=\s*W_hh\s*@",
        r"W_hh\s*(@\s*)?(dhraw|da\b)",
        r"W_hh\s*\.T\b",
        r"W_hh\^T",
    ),
    not_names=(r"dW_hh.{0,20}transpos", r"W_hy.{0,20}transpos", r"W_xh.{0,20}transpos"),
)
def bptt_dh_next_untransposed(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


# ---------------------------------------------------------------- less common slips


@student(
    3,
    correct=False,
    cause="off-by-one backward loop: range(len(inputs) - 1, 0, -1) never visits the first step",
    names=(
        r"off[- ]by[- ]one",
        r"(first|earliest) (step|time step|character|input).{0,50}(missing|skipped|never|left out|"
        r"not visited|dropped|omitted)",
        r"(skip\w*|miss\w*|never visit\w*|drop\w*|leav\w* out|omit\w*)\s.{0,30}(the )?"
        r"(first|earliest) (step|time step)",
        r"t\s*=\s*(0|1)\b.{0,40}(missing|skipped|never|not visited|left out)",
        r"range\s*\(.{0,30},\s*0\s*,\s*-1\s*\)",
    ),
)
def bptt_skips_first_step(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in range(len(inputs) - 1, 0, -1):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="gradients clipped to [-5, 5] inside loss_and_grads (min-char-rnn's habit)",
    names=(r"clip", r"\[-5,\s*5\]", r"\b5\b.{0,30}(limit|bound|cap)", r"capped"),
)
def bptt_clipped(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    for dparam in [dW_xh, dW_hh, dW_hy, db_h, db_y]:
        np.clip(dparam, -5, 5, out=dparam)  # mitigate exploding gradients
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="dW_hh pairs dhraw_t with h_t instead of h_{t-1}: np.outer(dhraw, hs[t])",
    names=(
        r"h_t\b.{0,30}(instead of|in place of|rather than)\s.{0,10}h_\{?t\s*-\s*1",
        r"hs\[t\](?!\s*-).{0,30}(instead of|in place of|rather than)\s.{0,10}hs\[t\s*-\s*1\]",
        r"dW_hh.{0,80}(h_t\b|hs\[t\]|current state|new state|same step|off by one step|"
        r"shifted by one)",
        r"(state|h).{0,30}(one step|a step) (late|too late|ahead|off)",
    ),
)
def bptt_dWhh_with_h_t(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ hs[t - 1] + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]


@student(
    3,
    correct=False,
    cause="state not carried in the forward pass: every step uses h_prev instead of h_{t-1}",
    names=(
        r"(state|h)\w*.{0,30}not carried",
        r"h_prev.{0,40}(every|each) step",
        r"(every|each) step.{0,40}(h_prev|h_0|initial state|starting state)",
        r"(instead of|rather than|not)\s.{0,10}(h_\{?t\s*-\s*1|hs\[t\s*-\s*1\]|the previous "
        r"(step's )?state)",
        r"(forward|state).{0,40}(never|not) (updated|carried|passed on)",
        r"(no|without) (memory|recurrence).{0,30}(between|across) steps",
    ),
)
def bptt_state_not_carried(params, inputs, targets, h_prev):
    W_xh, W_hh, W_hy = params["W_xh"], params["W_hh"], params["W_hy"]
    b_h, b_y = params["b_h"], params["b_y"]
    xs, hs, ps = {}, {-1: np.copy(h_prev)}, {}
    loss = 0.0
    for t in range(len(inputs)):
        xs[t] = np.zeros(W_xh.shape[1])
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(W_xh @ xs[t] + W_hh @ h_prev + b_h)
        y = W_hy @ hs[t] + b_y
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss += -np.log(ps[t][targets[t]])
    dW_xh, dW_hh, dW_hy = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(W_hy)
    db_h, db_y = np.zeros_like(b_h), np.zeros_like(b_y)
    dh_next = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dW_hy += np.outer(dy, hs[t])
        db_y += dy
        dh = W_hy.T @ dy + dh_next
        dhraw = (1 - hs[t] ** 2) * dh
        db_h += dhraw
        dW_xh += np.outer(dhraw, xs[t])
        dW_hh += np.outer(dhraw, hs[t - 1])
        dh_next = W_hh.T @ dhraw
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "W_hy": dW_hy, "b_h": db_h, "b_y": db_y}
    return loss, grads, hs[len(inputs) - 1]
