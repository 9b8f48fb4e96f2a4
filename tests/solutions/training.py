"""Exercise 5 as students write it: the reference loop, alternatives, catalogued bugs."""

from functools import partial

import numpy as np


def train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """n_iters passes of chunked truncated BPTT, one SGD step per pass."""
    H = params["W_hh"].shape[0]
    losses = []
    for _ in range(n_iters):
        h = np.zeros(H)  # every pass starts over
        total_loss, total = 0.0, {name: np.zeros_like(w) for name, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for name in total:
                total[name] += grads[name]
        for name in params:
            params[name] -= lr * total[name]  # in place: params is updated
        losses.append(total_loss)
    return params, losses


def train_chunked_split(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """np.array_split-free chunking by a list of boundaries, new arrays at every step."""
    T = len(inputs)
    bounds = list(range(0, T, k)) + [T]
    losses = []
    for _ in range(n_iters):
        h = np.zeros_like(params["b_h"])
        results = []
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            loss, grads, h = loss_and_grads(params, inputs[a:b], targets[a:b], h)
            results.append((loss, grads))
        losses.append(sum(r[0] for r in results))
        params = {n: params[n] - lr * sum(r[1][n] for r in results) for n in params}
    return params, losses


def train_chunked_while(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """A while loop over positions and a list of per-pass losses as numpy floats."""
    losses = np.zeros(n_iters)
    names = ["W_xh", "W_hh", "W_hy", "b_h", "b_y"]
    p = {n: params[n].copy() for n in names}
    for it in range(n_iters):
        pos, h, acc = 0, np.zeros(p["W_hh"].shape[0]), None
        while pos < len(inputs):
            end = min(pos + k, len(inputs))
            loss, g, h = loss_and_grads(p, inputs[pos:end], targets[pos:end], h)
            losses[it] += loss
            acc = g if acc is None else {n: acc[n] + g[n] for n in names}
            pos = end
        for n in names:
            p[n] = p[n] + (-lr) * acc[n]
    return p, list(losses)


CORRECT = [train_chunked, train_chunked_split, train_chunked_while]


def buggy(loss_and_grads, params, inputs, targets, k, lr, n_iters, *, mistake):
    """The reference loop with one typical mistake."""
    H = params["W_hh"].shape[0]
    losses, h_carry = [], np.zeros(H)
    step = len(inputs) if mistake == "full_bptt" else k
    for _ in range(n_iters):
        h = h_carry if mistake == "carried_across_passes" else np.zeros(H)
        total_loss, total = 0.0, {n: np.zeros_like(w) for n, w in params.items()}
        stop = len(inputs) - k + 1 if mistake == "drops_short_chunk" else len(inputs)
        starts = list(range(0, stop, step))
        for s in starts:
            end = s + step - 1 if mistake == "off_by_one" else s + step
            if mistake == "h_not_carried":
                h = np.zeros(H)
            loss, grads, h = loss_and_grads(params, inputs[s:end], targets[s:end], h)
            total_loss = loss if mistake == "losses_last_chunk" else total_loss + loss
            if mistake == "update_each_chunk":
                for n in params:
                    params[n] -= lr * grads[n]
            elif mistake == "last_chunk_grads":
                total = grads
            else:
                for n in total:
                    total[n] += grads[n]
        h_carry = h
        if mistake != "update_each_chunk":
            scale = 1.0 / len(starts) if mistake == "mean_over_chunks" else 1.0
            sign = -1.0 if mistake == "sign" else 1.0
            for n in params:
                params[n] -= sign * lr * scale * total[n]
        losses.append(total_loss)
    return params, losses


BUG_HINTS = {
    "update_each_chunk": "the parameters are updated after every chunk",
    "last_chunk_grads": "only the last chunk's gradients are used",
    "sign": "the step goes uphill",
    "mean_over_chunks": "the gradients are averaged over the chunks",
    "losses_last_chunk": "losses[i] holds the last chunk's loss",
    "full_bptt": "that is full BPTT",
    "h_not_carried": "the state is reset to zeros at the chunk boundary",
    "carried_across_passes": "the state of the previous pass is carried into this one",
    "off_by_one": "chunk 1 is inputs[0:2]",
    "drops_short_chunk": "expected 4 (2 passes of 2 chunks). The chunks it passed had the "
    "lengths [4, 4]",
}
BUGS = [(partial(buggy, mistake=m), hint, m) for m, hint in BUG_HINTS.items()]
