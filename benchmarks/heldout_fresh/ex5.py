"""Exercise 5, train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters)
-> (params, losses)."""

import numpy as np

from . import student

# ---------------------------------------------------------------- correct


@student(5, correct=True, cause="the hint's loop: range(0, T, k), a dict of zeros per pass, -=")
def hint_loop(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=True,
    cause="chunk boundaries listed first, the first chunk's grads as the start of the sum, "
    "params[name] = params[name] - lr * g",
)
def boundaries_and_rebinding(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    T = len(inputs)
    bounds = [(s, min(s + k, T)) for s in range(0, T, k)]
    losses = []
    for _ in range(n_iters):
        h = np.zeros_like(params["b_h"])
        pass_loss, pass_grads = 0.0, None
        for a, b in bounds:
            loss, g, h = loss_and_grads(params, inputs[a:b], targets[a:b], h)
            pass_loss += loss
            if pass_grads is None:
                pass_grads = {name: g[name].copy() for name in g}
            else:
                pass_grads = {name: pass_grads[name] + g[name] for name in g}
        losses.append(pass_loss)
        for name in params:
            params[name] = params[name] - lr * pass_grads[name]
    return params, losses


@student(5, correct=True, cause="a while loop over the chunk start, sums kept in a list per key")
def while_loop(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    names = list(params)
    losses = []
    it = 0
    while it < n_iters:
        h_prev = np.zeros(params["W_hh"].shape[0])
        chunk_losses, chunk_grads = [], []
        start = 0
        while start < len(inputs):
            stop = start + k
            loss, grads, h_last = loss_and_grads(
                params, inputs[start:stop], targets[start:stop], h_prev
            )
            chunk_losses.append(loss)
            chunk_grads.append(grads)
            h_prev = h_last
            start = stop
        losses.append(float(sum(chunk_losses)))
        for name in names:
            step = lr * sum(g[name] for g in chunk_grads)
            params[name] -= step
        it += 1
    return params, losses


# ---------------------------------------------------------------- buggy


@student(
    5,
    correct=False,
    cause="h = 0 set once before all passes: each pass starts from the state the previous one "
    "ended in",
    names=(
        r"(reset|zero)\w*.{0,80}(each|every|per|start of (each|every|a)) pass",
        r"(carr|kept|keep|continu)\w*.{0,80}(across|between|over|from one|into the next) pass",
        r"previous pass",
        r"pass\w* (does not|doesn't|never) start\w* from (h ?= ?)?(0|zero)",
    ),
)
def h_reset_once(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    h = np.zeros(params["W_hh"].shape[0])
    for _ in range(n_iters):
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="h_last stored in a new name and never assigned to h: every chunk starts from h = 0",
    names=(
        r"(reset|zero)\w*.{0,80}(each|every|per) chunk",
        r"h_last.{0,80}(not|never) (passed|carried|used|fed)",
        r"(not|never) (passed|carried)\w*.{0,60}(next chunk|across|boundar)",
        r"(every|each) chunk (starts|begins) from (h ?= ?)?(0|zero)",
    ),
)
def h_last_never_used(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h_last = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the gradient step taken after each chunk instead of once per pass",
    names=(
        r"(each|every|per) chunk.{0,60}(step|update)",
        r"(step|update)\w*.{0,60}(each|every|per|after (each|every)) chunk",
        r"(several|many|multiple|more than one) (steps|updates) (per|in one|in a) pass",
    ),
)
def step_per_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in params:
                params[name] -= lr * grads[name]
        losses.append(float(total))
    return params, losses


@student(
    5,
    correct=False,
    cause="losses records only the last chunk's loss, not the pass's sum over chunks",
    names=(
        r"last chunk",
        r"only (the )?(last|final|one) chunk",
        r"loss\w*.{0,40}(not|never) (summed|added)",
    ),
    not_names=(r"gradient\w*.{0,40}last chunk",),
)
def loss_of_last_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(loss))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="pass_grads = g at every chunk (overwritten, not added): the step uses only the last "
    "chunk's gradient",
    names=(
        r"last chunk",
        r"only (the )?(last|final|one) chunk",
        r"overwr",
        r"gradient\w*.{0,40}(not|never) (summed|added|accumulated)",
    ),
    not_names=(r"loss\w*.{0,30}last chunk",),
)
def grads_overwritten(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    T = len(inputs)
    bounds = [(s, min(s + k, T)) for s in range(0, T, k)]
    losses = []
    for _ in range(n_iters):
        h = np.zeros_like(params["b_h"])
        pass_loss, pass_grads = 0.0, None
        for a, b in bounds:
            loss, g, h = loss_and_grads(params, inputs[a:b], targets[a:b], h)
            pass_loss += loss
            pass_grads = {name: g[name].copy() for name in g}
        losses.append(pass_loss)
        for name in params:
            params[name] = params[name] - lr * pass_grads[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the dict of gradient sums made once before the passes and never reset: each step "
    "uses the gradients of all passes so far",
    names=(
        r"(reset|zero|made anew|new)\w*.{0,80}(each|every|per) pass",
        r"accumulat\w*.{0,60}(across|over|between|from) (all |the )?(previous )?pass",
        r"previous pass",
        r"(all|earlier) passes",
    ),
)
def sums_not_reset(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    sums = {name: np.zeros_like(value) for name, value in params.items()}
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="range(0, len(inputs) - k, k) stops early: the last chunk is skipped",
    names=(
        r"(skip|miss|drop|omit|leav)\w*.{0,60}(last|final|remaining) (chunk|step)",
        r"(last|final) (chunk|step)\w*.{0,60}(skipped|missing|never|not (called|seen|visited))",
        r"not (every|all) (chunk|step)",
        r"chunks? (are |is )?missing",
    ),
)
def last_chunk_skipped(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs) - k, k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="chunks sliced s : s + k + 1: consecutive chunks overlap by one step",
    names=(r"overlap", r"k ?\+ ?1", r"(step|character)s? (seen|visited|used) twice"),
)
def chunks_overlap(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            x, y = inputs[s : s + k + 1], targets[s : s + k + 1]
            loss, grads, h = loss_and_grads(params, x, y, h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the targets shifted once more (targets[s + 1 : s + k + 1]), as if they were the inputs",
    names=(
        r"target\w*.{0,60}(shift|offset|misalign|one step|ahead)",
        r"(shift|offset|misalign)\w*.{0,60}target",
    ),
)
def targets_shifted_again(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            x = inputs[s : s + k]
            y = targets[s + 1 : s + k + 1]
            if len(y) < len(x):  # the last target has no successor: reuse the last one
                y = np.append(y, targets[-1])
            loss, grads, h = loss_and_grads(params, x, y, h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the chunk gradients averaged over the chunks (divided by their number) instead of "
    "summed",
    names=(r"mean", r"averag", r"divid\w* by (the number|n_chunks|the count)"),
)
def grads_averaged(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    names = list(params)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        chunk_losses, chunk_grads = [], []
        for start in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(
                params, inputs[start : start + k], targets[start : start + k], h
            )
            chunk_losses.append(loss)
            chunk_grads.append(grads)
        losses.append(float(sum(chunk_losses)))
        for name in names:
            params[name] -= lr * np.mean([g[name] for g in chunk_grads], axis=0)
    return params, losses


@student(
    5,
    correct=False,
    cause="every call is given the whole sequence (the slices were forgotten), once per chunk",
    names=(
        r"(whole|full|entire) sequence",
        r"not (sliced|cut|chunked)",
        r"(every|each) call.{0,60}(all|whole|full|entire)",
    ),
)
def whole_sequence_each_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for _s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs, targets, h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="k read as the number of chunks: the chunk length is len(inputs) // k",
    names=(
        r"number of chunks",
        r"(k|the) chunks? count",
        r"k as (the )?(count|number)",
        r"len\(inputs\) ?// ?k",
        r"T ?// ?k",
    ),
)
def k_as_number_of_chunks(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    size = max(1, len(inputs) // k)
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), size):
            loss, grads, h = loss_and_grads(params, inputs[s : s + size], targets[s : s + size], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="for name, p in params.items(): p = p - lr * g rebinds the loop variable only: the "
    "parameters never change",
    names=(
        r"loop variable",
        r"rebind",
        r"(params|parameters).{0,60}(never|not) (change|updated|move)",
        r"(no|never a) step",
    ),
)
def update_rebinds_loop_variable(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name, p in params.items():
            p = p - lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="min-char-rnn's habit: the summed gradients clipped to [-5, 5] before the step",
    names=(r"clip",),
)
def clipped_step(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    H = params["W_hh"].shape[0]
    for _ in range(n_iters):
        h = np.zeros(H)
        total = 0.0
        sums = {name: np.zeros_like(value) for name, value in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(float(total))
        for name in params:
            params[name] -= lr * np.clip(sums[name], -5, 5)
    return params, losses
