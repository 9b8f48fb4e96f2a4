"""Exercise 5, train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters)."""

import math

import numpy as np

from . import student

CARRY = [
    r"h_last",
    r"carr(y|ies|ied)\b.{0,50}(state|\bh\b|across|over|boundar|chunk)",
    r"(state|\bh\b|h_prev).{0,60}(not carried|reset|zero).{0,40}(chunk|boundar)",
    r"(pass|hand)\w*.{0,40}(state|h_last|\bh\b).{0,30}(on|next chunk)",
    r"(each|every) chunk.{0,60}(zero|h ?= ?0|from scratch|fresh)",
]
RESET = [
    r"reset",
    r"(each|every) pass.{0,60}(start|begin|zero|h ?= ?0)",
    r"(start|begin)\w*.{0,50}(from )?(h ?= ?0|zero)",
    r"(state|\bh\b).{0,50}(previous|last|earlier) pass",
]
IN_STEPS = [
    r"(each|every|per|after (each|every)) chunk.{0,60}(step|update)",
    r"(step|update)\w*.{0,60}(each|every|per) chunk",
    r"one (gradient )?(step|update) (per|each|a) pass",
    r"(once|one step) (per|each|a) pass",
    r"(too many|several|more than one) (steps|updates)",
]
LAST_CHUNK = [
    r"last chunk",
    r"(skip|miss|drop|omit|lose|lost)\w*.{0,50}(chunk|steps?|end|tail)",
    r"(shorter|partial|final) chunk",
    r"range\(0, ?len",
    r"(cover|visit|reach)\w*.{0,40}(whole|all|entire|every)",
]


def _zeros_like(params):
    return {name: np.zeros_like(value) for name, value in params.items()}


# ---------------------------------------------------------------- correct implementations


@student(5, correct=True, cause="the hint: range(0, T, k), slices, a dict of zeros, in-place step")
def hint_loop(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = {name: np.zeros_like(p) for name, p in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=True,
    cause="a while loop with min(s + k, T), gradients summed chunk by chunk with sum()",
)
def while_loop(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    T = len(inputs)
    losses = []
    it = 0
    while it < n_iters:
        h = np.zeros_like(params["b_h"])
        chunk_losses, chunk_grads = [], []
        s = 0
        while s < T:
            e = min(s + k, T)
            loss, grads, h = loss_and_grads(params, inputs[s:e], targets[s:e], h)
            chunk_losses.append(loss)
            chunk_grads.append(grads)
            s = e
        losses.append(float(sum(chunk_losses)))
        for name in params:
            params[name] -= lr * sum(g[name] for g in chunk_grads)
        it += 1
    return params, losses


@student(
    5, correct=True, cause="chunks from np.array_split at k, 2k, ...; a new params dict each pass"
)
def array_split_new_dict(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    cuts = list(range(k, len(inputs), k))
    in_chunks = np.array_split(np.asarray(inputs), cuts)
    tg_chunks = np.array_split(np.asarray(targets), cuts)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        acc = _zeros_like(params)
        pass_loss = 0.0
        for x, y in zip(in_chunks, tg_chunks, strict=True):
            loss, grads, h = loss_and_grads(params, x, y, h)
            pass_loss += loss
            acc = {name: acc[name] + grads[name] for name in acc}
        losses.append(pass_loss)
        params = {name: params[name] - lr * acc[name] for name in params}
    return params, losses


@student(
    5, correct=True, cause="chunk c is [c k, (c + 1) k) for c < ceil(T / k); np.subtract(..., out=)"
)
def chunk_index_loop(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    n_chunks = math.ceil(len(inputs) / k)
    H = params["W_hh"].shape[0]
    losses = []
    for _ in range(n_iters):
        state = np.zeros(H)
        g_sum = {}
        L = 0.0
        for c in range(n_chunks):
            lo, hi = c * k, min((c + 1) * k, len(inputs))
            loss, grads, state = loss_and_grads(params, inputs[lo:hi], targets[lo:hi], state)
            L += loss
            for name, g in grads.items():
                g_sum[name] = g_sum.get(name, 0) + g
        losses.append(L)
        for name, g in g_sum.items():
            np.subtract(params[name], lr * g, out=params[name])
    return params, losses


@student(
    5,
    correct=True,
    cause="chunk list built once with a list comprehension; update with a named helper",
)
def chunks_prebuilt(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    chunks = [(inputs[i : i + k], targets[i : i + k]) for i in range(0, len(inputs), k)]

    def sgd_step(grads):
        for name in params:
            params[name] -= lr * grads[name]

    losses = []
    for _ in range(n_iters):
        h = np.zeros(len(params["b_h"]))
        grads_total = None
        loss_total = 0.0
        for x, y in chunks:
            loss, grads, h = loss_and_grads(params, x, y, h)
            loss_total += loss
            if grads_total is None:
                grads_total = {name: g.copy() for name, g in grads.items()}
            else:
                for name in grads_total:
                    grads_total[name] += grads[name]
        losses.append(loss_total)
        sgd_step(grads_total)
    return params, losses


# ---------------------------------------------------------------- mistakes


@student(
    5,
    correct=False,
    cause="state not carried across chunks: every chunk starts from h = 0",
    names=CARRY,
    not_names=[r"(not|never|isn't|is not) reset"],
)
def state_not_carried(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    H = params["W_hh"].shape[0]
    losses = []
    for _ in range(n_iters):
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(
                params, inputs[s : s + k], targets[s : s + k], np.zeros(H)
            )
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="state never reset: each pass starts from the last pass's final state",
    names=RESET,
    not_names=[r"(not|never) carr(y|ied)", r"h_last.{0,40}(not|never) (passed|used)"],
)
def state_not_reset_per_pass(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    h = np.zeros(params["W_hh"].shape[0])
    losses = []
    for _ in range(n_iters):
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="a gradient step after every chunk instead of one per pass",
    names=IN_STEPS,
)
def step_per_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in params:
                params[name] -= lr * grads[name]
        losses.append(total)
    return params, losses


@student(
    5,
    correct=False,
    cause="range(0, len(inputs) - k, k) drops the last chunk (all of it when T <= k)",
    names=LAST_CHUNK,
)
def drops_last_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs) - k, k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="chunks inputs[s : s + k + 1] overlap their neighbour by one step",
    names=[
        r"overlap",
        r"off[- ]by[- ]one",
        r"k ?\+ ?1\b",
        r"(one|1) (step )?too (long|many)",
        r"(shared|twice|two chunks)",
    ],
)
def overlapping_chunks(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            x, y = inputs[s : s + k + 1], targets[s : s + k + 1]
            loss, grads, h = loss_and_grads(params, x, y, h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="a sliding window of k steps at every position (stride 1) instead of chunks",
    names=[
        r"overlap",
        r"sliding",
        r"(stride|step) (of )?1\b",
        r"every (position|step|start)",
        r"range\(.{0,40}, ?k\)",
    ],
)
def sliding_windows(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    T = len(inputs)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(max(T - k + 1, 1)):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the pass's loss and gradients averaged over the chunks instead of summed",
    names=[
        r"averag",
        r"\bmean\b",
        r"divid\w*.{0,40}(chunks|number)",
        r"(summed|sum).{0,20}(not|instead)",
    ],
)
def averaged_over_chunks(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        chunk_losses = []
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            chunk_losses.append(loss)
            for name in sums:
                sums[name] += grads[name]
        n_chunks = len(chunk_losses)
        losses.append(sum(chunk_losses) / n_chunks)
        for name in params:
            params[name] -= lr * sums[name] / n_chunks
    return params, losses


@student(
    5,
    correct=False,
    cause="losses[i] is the last chunk's loss, not the sum over the pass's chunks",
    names=[
        r"(only|just) (the )?last chunk",
        r"last chunk'?s? loss",
        r"(sum|add)\w*.{0,50}loss\w*.{0,40}(chunks|pass)",
        r"chunks'? losses",
    ],
    not_names=[r"(gradient|grads)\w*.{0,40}(only|just) (the )?last chunk"],
)
def loss_of_last_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            for name in sums:
                sums[name] += grads[name]
        losses.append(loss)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="gradients overwritten chunk by chunk: the step uses only the last chunk's",
    names=[
        r"(only|just) (the )?last chunk",
        r"last chunk'?s? grad",
        r"(sum|add|accumul)\w*.{0,50}grad",
        r"grad\w*.{0,50}(sum|add|accumul)",
        r"overwr",
    ],
)
def grads_of_last_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
        losses.append(total)
        for name in params:
            params[name] -= lr * grads[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the update rebinds a loop variable (p = p - lr * g): params never change",
    names=[
        r"(not|never|no)\W.{0,40}(updat|chang|step|mov)",
        r"no-?op",
        r"unchanged",
        r"rebind|local (variable|name)",
        r"in[- ]place",
        r"(same|initial) param",
    ],
)
def update_rebinds_local(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name, p in params.items():
            p = p - lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="Adagrad (min-char-rnn's mem += g**2, lr g / sqrt(mem)) instead of plain SGD",
    names=[
        r"adagrad",
        r"adaptive",
        r"sqrt",
        r"mem(ory)?\b.{0,30}(g\^?2|squared)",
        r"plain (sgd|gradient (descent|step))",
        r"not (plain )?sgd",
    ],
)
def adagrad_update(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    mem = _zeros_like(params)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            mem[name] += sums[name] * sums[name]
            params[name] -= lr * sums[name] / np.sqrt(mem[name] + 1e-8)
    return params, losses


@student(
    5,
    correct=False,
    cause="momentum (v = 0.9 v + g, params -= lr v) instead of plain SGD",
    names=[
        r"momentum",
        r"velocity",
        r"(previous|earlier|past) (steps'?|passes'?|gradients)",
        r"plain (sgd|gradient (descent|step))",
        r"not (plain )?sgd",
    ],
)
def momentum_update(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    velocity = _zeros_like(params)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            velocity[name] = 0.9 * velocity[name] + sums[name]
            params[name] -= lr * velocity[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="params += lr * grads: a step up the gradient (ascent)",
    names=[
        r"ascent",
        r"\bsign\b",
        r"\+= ?lr",
        r"(add|plus)\w*.{0,40}(instead of|rather than|not) (subtract|minus)",
        r"opposite direction",
        r"uphill",
        r"wrong direction",
    ],
)
def gradient_ascent(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] += lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="the step forgets the learning rate: params -= grads",
    names=[
        r"(without|forg|miss|ignor|no|not (use|appl))\w*.{0,40}(\blr\b|learning rate|step size)",
        r"(\blr\b|learning rate|step size).{0,40}(missing|ignored|not used|forgotten|left out)",
        r"lr ?= ?1\b",
    ],
)
def forgets_lr(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="targets sliced one step further, targets[s + 1 : s + k + 1]",
    names=[
        r"targets?.{0,60}(shift|offset|off[- ]by[- ]one|s ?\+ ?1|misalign|one step)",
        r"(shift|offset|misalign)\w*.{0,40}targets?",
        r"(inputs?|targets?) (and|&) (inputs?|targets?)"
        r".{0,30}(misalign|(do not|don't) (line up|match)|different)",
    ],
)
def targets_shifted(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    T = len(inputs)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = 0.0
        sums = _zeros_like(params)
        for s in range(0, T, k):
            x = inputs[s : s + k]
            y = targets[s + 1 : s + k + 1]
            loss, grads, h = loss_and_grads(params, x, y, h)
            total += loss
            for name in sums:
                sums[name] += grads[name]
        losses.append(total)
        for name in params:
            params[name] -= lr * sums[name]
    return params, losses


@student(
    5,
    correct=False,
    cause="no chunks: one loss_and_grads call on the whole sequence (full BPTT)",
    names=[
        r"(whole|full|entire) sequence",
        r"(not|never) (cut|split|chunk)",
        r"one call",
        r"full BPTT",
        r"(ignor|not use)\w*.{0,20}\bk\b",
        r"(single|one) chunk",
    ],
)
def no_chunks(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        loss, grads, h = loss_and_grads(params, inputs, targets, h)
        losses.append(loss)
        for name in params:
            params[name] -= lr * grads[name]
    return params, losses
