"""Exercise 5 as students write it: the reference loop, alternatives, catalogued bugs.

CORRECT: loops that must pass. BUGS: (function, the cause its message must hold, mistake id),
each with one mistake of rnnlib.exercises.training.MISTAKES, by id.
"""

import copy
from functools import partial

import numpy as np

from rnnlib.exercises.training import MISTAKES


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
    step = len(inputs) if mistake == "train_full_bptt" else k
    for _ in range(n_iters):
        h = h_carry if mistake == "train_carried_across_passes" else np.zeros(H)
        total_loss, total = 0.0, {n: np.zeros_like(w) for n, w in params.items()}
        stop = len(inputs) - k + 1 if mistake == "train_drops_short_chunk" else len(inputs)
        starts = list(range(0, stop, step))
        for s in starts:
            end = s + step - 1 if mistake == "train_chunk_off_by_one" else s + step
            if mistake == "train_h_not_carried":
                h = np.zeros(H)
            loss, grads, h = loss_and_grads(params, inputs[s:end], targets[s:end], h)
            total_loss = loss if mistake == "train_losses_last_chunk" else total_loss + loss
            if mistake == "train_update_each_chunk":
                for n in params:
                    params[n] -= lr * grads[n]
            elif mistake == "train_last_chunk_grads":
                total = grads
            else:
                for n in total:
                    total[n] += grads[n]
        h_carry = h
        if mistake != "train_update_each_chunk":
            scale = 1.0 / len(starts) if mistake == "train_mean_over_chunks" else 1.0
            sign = -1.0 if mistake == "train_sign" else 1.0
            for n in params:
                params[n] -= sign * lr * scale * total[n]
        losses.append(total_loss)
    return params, losses


def rebinds_loop_variable(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The update p = p - lr * g rebinds the loop variable: params never changes."""
    losses = []
    for _ in range(n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {name: np.zeros_like(w) for name, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for name in total:
                total[name] = total[name] + grads[name]
        for name, p in params.items():
            p = p - lr * total[name]  # noqa: PLW2901 (the bug)
        losses.append(total_loss)
    return params, losses


def updates_a_copy(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Steps a deep copy, then goes on (and returns) with the original."""
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        pass_loss, total = 0.0, {n: 0.0 for n in params}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            pass_loss += loss
            total = {n: total[n] + grads[n] for n in total}
        new_params = copy.deepcopy(params)
        for n in new_params:
            new_params[n] -= lr * total[n]
        losses.append(pass_loss)
    return params, losses


def returns_the_original(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Trains a copy (so as not to change the caller's dict), returns the caller's."""
    p = {n: w.copy() for n, w in params.items()}
    losses = []
    for _ in range(n_iters):
        h, acc, total_loss = np.zeros(len(p["b_h"])), None, 0.0
        for s in range(0, len(inputs), k):
            loss, g, h = loss_and_grads(p, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            acc = g if acc is None else {n: acc[n] + g[n] for n in acc}
        for n in p:
            p[n] -= lr * acc[n]
        losses.append(total_loss)
    return params, losses


def adagrad(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """min-char-rnn's update: Adagrad with a memory of squared gradients."""
    mem = {n: np.zeros_like(w) for n, w in params.items()}
    losses = []
    for _ in range(n_iters):
        hprev, smooth = np.zeros(params["W_hh"].shape[0]), 0.0
        dsum = {n: np.zeros_like(w) for n, w in params.items()}
        for p in range(0, len(inputs), k):
            loss, grads, hprev = loss_and_grads(
                params, inputs[p : p + k], targets[p : p + k], hprev
            )
            smooth += loss
            for n in dsum:
                dsum[n] += grads[n]
        for param, dparam, m in zip(
            [params[n] for n in params],
            [dsum[n] for n in params],
            [mem[n] for n in params],
            strict=True,
        ):
            m += dparam * dparam
            param += -lr * dparam / np.sqrt(m + 1e-8)  # adagrad update
        losses.append(smooth)
    return params, losses


def adam(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Adam with bias correction."""
    m = {n: np.zeros_like(w) for n, w in params.items()}
    v = {n: np.zeros_like(w) for n, w in params.items()}
    losses = []
    for it in range(1, n_iters + 1):
        h, total_loss, total = np.zeros(params["b_h"].shape), 0.0, {}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n, g in grads.items():
                total[n] = total.get(n, 0.0) + g
        for n in params:
            m[n] = 0.9 * m[n] + 0.1 * total[n]
            v[n] = 0.999 * v[n] + 0.001 * total[n] ** 2
            m_hat, v_hat = m[n] / (1 - 0.9**it), v[n] / (1 - 0.999**it)
            params[n] = params[n] - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        losses.append(total_loss)
    return params, losses


def momentum(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """SGD with momentum 0.9."""
    velocity = {n: np.zeros_like(w) for n, w in params.items()}
    losses = []
    for _ in range(n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            velocity[n] = 0.9 * velocity[n] - lr * total[n]
            params[n] = params[n] + velocity[n]
        losses.append(total_loss)
    return params, losses


def sums_not_reset(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The gradient sums made once, before the passes: never reset."""
    H = params["W_hh"].shape[0]
    total = {n: np.zeros_like(w) for n, w in params.items()}
    losses = []
    for _ in range(n_iters):
        h, total_loss = np.zeros(H), 0.0
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def mean_over_time(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The loss and the gradients averaged over the time steps of the sequence."""
    T, losses = len(inputs), []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total_loss, total = 0.0, {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, T, k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        params = {n: params[n] - lr * total[n] / T for n in params}
        losses.append(total_loss)
    return params, losses


def loss_sum_not_reset(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The running loss set to 0 once, before the passes."""
    losses, running = [], 0.0
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            running += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(running)
    return params, losses


def loss_per_step(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Reports the loss per character (the sum divided by T)."""
    losses = []
    for _ in range(n_iters):
        h, chunk_losses = np.zeros(params["W_hh"].shape[0]), []
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            chunk_losses.append(loss)
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(sum(chunk_losses) / len(inputs))
    return params, losses


def stops_a_chunk_early(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """A while loop that goes on only while a whole chunk lies ahead: the last is skipped."""
    losses = []
    for _ in range(n_iters):
        h, s, total_loss = np.zeros(params["W_hh"].shape[0]), 0, 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        while s + k < len(inputs):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
            s += k
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def every_window(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """A window of k steps at every position t, the state passed from window to window."""
    losses = []
    for _ in range(n_iters):
        h, total_loss, acc = np.zeros(params["W_hh"].shape[0]), 0.0, None
        for t in range(len(inputs) - k + 1):
            loss, g, h = loss_and_grads(params, inputs[t : t + k], targets[t : t + k], h)
            total_loss += loss
            acc = g if acc is None else {n: acc[n] + g[n] for n in acc}
        params = {n: params[n] - lr * acc[n] for n in params}
        losses.append(total_loss)
    return params, losses


def inclusive_end(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The chunk's last index computed, then sliced as if the end of a slice were included."""
    T, losses = len(inputs), []
    for _ in range(n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, T, k):
            last = min(s + k, T - 1)
            loss, grads, h = loss_and_grads(params, inputs[s : last + 1], targets[s : last + 1], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def next_character_targets(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Takes each chunk's targets from the position after its inputs (shifts them twice)."""
    starts = list(range(0, len(inputs), k))
    xs = [inputs[s : s + k] for s in starts]
    ys = [targets[s + 1 :][:k] for s in starts]
    losses = []
    for _ in range(n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for x, y in zip(xs, ys, strict=True):
            loss, grads, h = loss_and_grads(params, x, y, h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def slice_to_k(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Slices every chunk as inputs[s:k]: right for the first chunk only."""
    losses = []
    for _ in range(n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s:k], targets[s:k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def step_without_lr(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Subtracts the summed gradients themselves: lr is never used."""
    losses = []
    for _ in range(n_iters):
        h, chunk_losses, sums = np.zeros(len(params["b_h"])), [], {}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            chunk_losses.append(loss)
            for n, g in grads.items():
                sums[n] = sums.get(n, 0) + g
        params = {n: w - sums[n] for n, w in params.items()}
        losses.append(sum(chunk_losses))
    return params, losses


def counts_passes_from_one(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Numbers the passes 1..n_iters, but with range(1, n_iters): one pass too few."""
    losses = []
    for _ in range(1, n_iters):
        h, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


def logs_every_chunk(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Appends each chunk's loss to the history, as a training log would."""
    history = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total = {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            history.append(loss)
            for n in total:
                total[n] += grads[n]
        for n in params:
            params[n] -= lr * total[n]
    return params, history


def returns_losses_first(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """The right loop, returning (losses, params)."""
    params, losses = train_chunked(loss_and_grads, params, inputs, targets, k, lr, n_iters)
    return losses, params


def clips_like_min_char_rnn(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """min-char-rnn's clip: np.clip(dparam, -5, 5, out=dparam) on the summed gradients."""
    losses = []
    for _ in range(n_iters):
        hprev, total_loss = np.zeros(params["W_hh"].shape[0]), 0.0
        dW_xh, dW_hh, dW_hy = (np.zeros_like(params[n]) for n in ("W_xh", "W_hh", "W_hy"))
        db_h, db_y = np.zeros_like(params["b_h"]), np.zeros_like(params["b_y"])
        for s in range(0, len(inputs), k):
            loss, g, hprev = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], hprev)
            total_loss += loss
            dW_xh += g["W_xh"]
            dW_hh += g["W_hh"]
            dW_hy += g["W_hy"]
            db_h += g["b_h"]
            db_y += g["b_y"]
        for dparam in [dW_xh, dW_hh, dW_hy, db_h, db_y]:
            np.clip(dparam, -5, 5, out=dparam)  # mitigate exploding gradients
        for n, dparam in zip(
            ["W_xh", "W_hh", "W_hy", "b_h", "b_y"], [dW_xh, dW_hh, dW_hy, db_h, db_y], strict=True
        ):
            params[n] -= lr * dparam
        losses.append(total_loss)
    return params, losses


def clips_the_global_norm(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Scales the summed gradients down to norm 5 when their norm (all of them) exceeds 5."""
    max_norm, losses = 5.0, []
    for _ in range(n_iters):
        h, total_loss, total = np.zeros(params["W_hh"].shape[0]), 0.0, None
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            total = grads if total is None else {n: total[n] + grads[n] for n in total}
        norm = np.sqrt(sum(np.sum(g**2) for g in total.values()))
        if norm > max_norm:
            total = {n: g * (max_norm / norm) for n, g in total.items()}
        params = {n: params[n] - lr * total[n] for n in params}
        losses.append(total_loss)
    return params, losses


def clips_each_norm(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Clips each parameter's summed gradient to norm 5 (np.linalg.norm per matrix)."""
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total_loss, total = 0.0, {n: np.zeros_like(w) for n, w in params.items()}
        for s in range(0, len(inputs), k):
            loss, grads, h = loss_and_grads(params, inputs[s : s + k], targets[s : s + k], h)
            total_loss += loss
            for n in total:
                total[n] += grads[n]
        for n in params:
            g = total[n]
            norm = np.linalg.norm(g)
            if norm > 5:
                g = g * 5 / norm
            params[n] -= lr * g
        losses.append(total_loss)
    return params, losses


def forgets_to_slice(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Counts the chunks, but hands loss_and_grads the whole sequence each time."""
    H = len(params["b_h"])
    n_chunks = -(-len(inputs) // k)
    losses = []
    for _ in range(n_iters):
        h, total, summed = np.zeros(H), 0.0, None
        for _ in range(n_chunks):
            loss, grads, h = loss_and_grads(params, inputs, targets, h)
            total += loss
            summed = grads if summed is None else {n: summed[n] + grads[n] for n in grads}
        params = {n: params[n] - lr * summed[n] for n in params}
        losses.append(total)
    return params, losses


def k_chunks(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Reads k as how many chunks: each has len(inputs) // k steps, the last one the rest."""
    size = max(1, len(inputs) // k)
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        grads_sum = {n: np.zeros_like(p) for n, p in params.items()}
        loss_sum = 0.0
        for i in range(k):
            end = len(inputs) if i == k - 1 else (i + 1) * size
            loss, grads, h = loss_and_grads(
                params, inputs[i * size : end], targets[i * size : end], h
            )
            loss_sum += loss
            for n in grads_sum:
                grads_sum[n] += grads[n]
        for n in params:
            params[n] = params[n] - lr * grads_sum[n]
        losses.append(loss_sum)
    return params, losses


def targets_one_ahead(loss_and_grads, params, inputs, targets, k, lr, n_iters):
    """Slices the targets one step ahead of the inputs and trims the inputs of the last chunk
    to the targets' length (so no call raises)."""
    losses = []
    for _ in range(n_iters):
        h = np.zeros(params["W_hh"].shape[0])
        total_loss, total = 0.0, {n: 0.0 for n in params}
        for s in range(0, len(inputs), k):
            y = targets[s + 1 : s + k + 1]
            if not len(y):
                continue
            loss, grads, h = loss_and_grads(params, inputs[s : s + len(y)], y, h)
            total_loss += loss
            total = {n: total[n] + grads[n] for n in params}
        for n in params:
            params[n] -= lr * total[n]
        losses.append(total_loss)
    return params, losses


SWITCHED = [
    "train_update_each_chunk",
    "train_last_chunk_grads",
    "train_sign",
    "train_mean_over_chunks",
    "train_losses_last_chunk",
    "train_full_bptt",
    "train_h_not_carried",
    "train_carried_across_passes",
    "train_chunk_off_by_one",
    "train_drops_short_chunk",
]
TAGGED = [(partial(buggy, mistake=m), m) for m in SWITCHED] + [
    (rebinds_loop_variable, "train_no_update"),
    (updates_a_copy, "train_no_update"),
    (returns_the_original, "train_returns_stale"),
    (adagrad, "train_adagrad"),
    (adam, "train_adaptive"),
    (momentum, "train_momentum"),
    (sums_not_reset, "train_grads_not_reset"),
    (mean_over_time, "train_mean_over_steps"),
    (loss_sum_not_reset, "train_losses_not_reset"),
    (loss_per_step, "train_losses_averaged"),
    (stops_a_chunk_early, "train_drops_last_chunk"),
    (every_window, "train_sliding_windows"),
    (inclusive_end, "train_chunk_overlap"),
    (next_character_targets, "train_targets_shifted"),
    (slice_to_k, "train_slice_end_k"),
    (step_without_lr, "train_forgets_lr"),
    (counts_passes_from_one, "train_passes_off_by_one"),
    (logs_every_chunk, "train_chunk_losses_listed"),
    (returns_losses_first, "train_returns_swapped"),
    (clips_like_min_char_rnn, "train_clipped"),
    (clips_the_global_norm, "train_clipped_norm"),
    (clips_each_norm, "train_clipped_norm"),
    (forgets_to_slice, "train_whole_sequence"),
    (k_chunks, "train_k_as_count"),
    (targets_one_ahead, "train_targets_shifted"),
]
BUGS = [(fn, MISTAKES[m].cause, m) for fn, m in TAGGED]
