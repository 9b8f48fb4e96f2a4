"""Exercise 5 (train_chunked), third held-out set: three correct loops, ten single slips."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(5, correct=True, cause="the hint's loop: a dict of zeros per pass, in-place -= step")
def train_hint(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=True,
    cause="a copy of params, a while loop over chunk starts, params[name] = params[name] - lr * g",
)
def train_while_copy(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    params = {name: np.array(value, dtype=float) for name, value in params.items()}
    T = len(inputs)
    losses = []
    it = 0
    while it < n_iters:
        h = np.zeros_like(params["b_h"])
        acc = None
        L = 0.0
        start = 0
        while start < T:
            end = min(start + k, T)
            l, g, h = loss_and_grads(params, inputs[start:end], targets[start:end], h)
            L += l
            acc = dict(g) if acc is None else {name: acc[name] + g[name] for name in acc}
            start = end
        for name in params:
            params[name] = params[name] - lr * acc[name]
        losses.append(L)
        it += 1
    return params, losses


@student(5, correct=True, cause="chunks listed once up front, np.add with out=, a list of names")
def train_chunk_list(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    names = ["W_xh", "W_hh", "W_hy", "b_h", "b_y"]
    chunks = [(inputs[i : i + k], targets[i : i + k]) for i in range(0, len(inputs), k)]
    history = []
    for _epoch in range(n_iters):
        dsum = [np.zeros(params[n].shape) for n in names]
        hprev = np.zeros(params["W_hh"].shape[0])
        epoch_loss = 0
        for xs, ys in chunks:
            loss, grads, hprev = loss_and_grads(params, xs, ys, hprev)
            epoch_loss = epoch_loss + loss
            for d, n in zip(dsum, names, strict=True):
                np.add(d, grads[n], out=d)
        for d, n in zip(dsum, names, strict=True):
            params[n] -= lr * d
        history.append(epoch_loss)
    return params, history


# ---------------------------------------------------------------- common slips


@student(
    5,
    correct=False,
    cause="the state is not carried across chunks: every chunk starts from h = 0",
    names=(
        r"(state|h_last|\bh\b).{0,40}(not|never) (carried|passed|handed)",
        r"(every|each) chunk.{0,50}(zero|h\s*=\s*0|fresh|reset)",
        r"(zero|zeros|h\s*=\s*0|reset\w*).{0,40}(every|each|per|at the start of every) chunk",
        r"h_last.{0,60}(not|never).{0,20}(h_prev|next chunk|passed)",
        r"h_prev.{0,40}(always )?(zero|zeros)",
    ),
    not_names=(r"(not|never) reset",),
)
def train_no_carry(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            h = np.zeros(H)
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="a step after every chunk instead of one step per pass on the summed gradients",
    names=(
        r"(step|update)\w*.{0,40}(after |per |for |in )?(every|each) chunk",
        r"(every|each) chunk.{0,40}(step|update)",
        r"(inside|within) the chunk loop",
        r"(one|a single) step per pass.{0,40}(instead|not)",
        r"(several|many|multiple|\d+) (steps|updates) (per|in one|each) pass",
    ),
)
def train_step_per_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in params:
                params[name] -= lr * grads[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="the gradients are averaged over the chunks (divided by their number) instead of summed",
    names=(
        r"averag",
        r"mean",
        r"divided by.{0,30}(number of chunks|chunks|n_chunks)",
        r"(instead of|rather than|not)\s.{0,10}sum",
        r"1\s*/\s*(the )?(number of chunks|n_chunks|len\(chunks\))",
    ),
    not_names=(r"clip",),
)
def train_mean_grads(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        n_chunks = 0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            n_chunks += 1
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name] / n_chunks
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="h is not reset at the start of a pass: the state of the previous pass's last chunk "
    "carries into the next pass",
    names=(
        r"(not|never) reset",
        r"reset.{0,40}(missing|forgot|each pass|every pass|start of (a|each|every) pass)",
        r"(previous|last|earlier) pass.{0,60}(state|\bh\b|h_last)",
        r"(state|\bh\b|h_last).{0,60}(previous|last|earlier|one) pass",
        r"(pass|passes).{0,40}(start|begin)\w*.{0,30}(not|never).{0,20}(zero|0\b)",
        r"(across|between) passes",
    ),
)
def train_no_reset(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    h = np.zeros(params["W_hh"].shape[0])
    for _ in range(n_iters):
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="the last, shorter chunk is dropped: range(len(inputs) // k) visits only full chunks",
    names=(
        r"last.{0,30}chunk.{0,40}(dropped|missing|skipped|left out|never|not visited|omitted)",
        r"(drop\w*|skip\w*|miss\w*|omit\w*|leav\w* out|never visit\w*)\s.{0,30}"
        r"(the )?(last|final|shorter|partial) chunk",
        r"(only|just) (the )?full chunks",
        r"len\(inputs\)\s*//\s*k",
        r"(last|final) .{0,20}(steps?|characters?).{0,40}(never|not) (visited|seen|used)",
    ),
)
def train_drops_last_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    n_chunks = len(inputs) // k
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for c in range(n_chunks):
            x = inputs[c * k : (c + 1) * k]
            y = targets[c * k : (c + 1) * k]
            loss, grads, h = loss_and_grads(params, x, y, h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="the step rebinds a loop variable (p = p - lr * g): params is never updated",
    names=(
        r"(never|not) (updated|changed|change|modif)",
        r"(params|parameters).{0,40}(unchanged|the same|did not change|do not change|never change)",
        r"(no|zero) step",
        r"loop variable",
        r"rebind",
        r"p\s*=\s*p\s*-",
    ),
)
def train_rebinds_loop_variable(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name, p in params.items():
            p = p - lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


# ---------------------------------------------------------------- less common slips


@student(
    5,
    correct=False,
    cause="losses[i] is the last chunk's loss only, not the pass's summed loss",
    names=(
        r"last chunk.{0,40}loss",
        r"loss.{0,40}(last|final) chunk",
        r"(only|just) (one|the last|a single) chunk",
        r"loss.{0,40}(not|never) (summed|added up|accumulated)",
        r"(overwrit|replac)\w*.{0,30}loss",
    ),
)
def train_last_chunk_loss(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="the gradient sum is made once before the passes and never zeroed: each step uses "
    "the gradients of every pass so far",
    names=(
        r"(not|never) (zeroed|reset|cleared|emptied)",
        r"(every|all|earlier|previous) pass(es)?.{0,40}(gradient|accumulat)",
        r"(gradient|accumulat|sum)\w*.{0,60}(every|all|earlier|previous) pass",
        r"(anew|afresh|new).{0,30}(each|every) pass",
        r"(across|over) passes",
        r"cumulative",
    ),
    not_names=(r"\bstate\b.{0,30}not reset", r"h\b.{0,20}not reset"),
)
def train_grads_not_zeroed(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    total = {name: np.zeros_like(p) for name, p in params.items()}
    for _ in range(n_iters):
        h = np.zeros(H)
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="Adagrad (min-char-rnn's update) instead of a plain gradient step",
    names=(
        r"adagrad",
        r"min-char-rnn.{0,30}update",
        r"(divided|scaled|normali[sz]ed) by.{0,40}(sqrt|root|square)",
        r"sqrt\s*\(\s*mem",
        r"(adaptive|per-entry|per-parameter) (step|learning rate|lr)",
    ),
    not_names=(r"\badam\b", r"momentum"),
)
def train_adagrad(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    mem = {name: np.zeros_like(p) for name, p in params.items()}
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            mem[name] += total[name] * total[name]
            params[name] -= lr * total[name] / np.sqrt(mem[name] + 1e-8)
        losses.append(float(pass_loss))
    return params, losses


@student(
    5,
    correct=False,
    cause="the chunk length k is shadowed: `for k in grads` reuses the name k for the parameter "
    "names, so the next slice is inputs[s : s + 'b_y']",
    names=(
        r"shadow",
        r"\bk\b.{0,50}(reused|overwritten|rebound|reassigned|loop variable|parameter name|"
        r"a string|a key|str\b)",
        r"(loop variable|name|key)s?.{0,40}\bk\b.{0,30}(chunk length|same name|reus)",
        r"chunk length.{0,40}(overwritten|replaced|string|key|name)",
        r"for k in",
    ),
)
def train_shadowed_k(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = {name: np.zeros_like(p) for name, p in params.items()}
        pass_loss = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            for k in grads:
                total[k] += grads[k]
        for name in params:
            params[name] -= lr * total[name]
        losses.append(float(pass_loss))
    return params, losses
